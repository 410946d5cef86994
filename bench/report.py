"""The benchmark's report: the same tables as aligned text (printed) and as Markdown (latest.md).

The printed text ends with the line `ratio B/A: X.XX` (B's median pages/s over A's).
"""

from __future__ import annotations

from typing import Any

from bench.crawls import LABELS

Table = tuple[str, list[str], list[list[str]]]  # title, header, rows
MB = 1e6


def crawl_rows(summary: dict[str, dict[str, Any]], labels: dict[str, str]) -> list[list[str]]:
    return [
        [
            f"{key} {labels[key]}",
            f"{s['pages']:.0f}",
            f"{s['pages_per_second']:.1f}",
            f"{s['crawl_pages_per_second']:.1f}",
            f"{s['cpu_ms_per_page'] / 1000:.4f}",
            f"{s['peak_rss_main'] / MB:.0f}",
            f"{s['peak_rss_tree'] / MB:.0f}",
            f"{s['peak_pss_tree'] / MB:.0f}",
            f"{s['other_load_cores']:.2f}",
        ]
        for key, s in summary.items()
    ]


CRAWL_HEADER = [
    "crawl (median of runs)",
    "pages",
    "pages/s",
    "pages/s in crawl",
    "CPU s/page",
    "RSS main MB",
    "RSS tree MB",
    "PSS tree MB",
    "other load",
]


def stage_table(title: str, stages: dict[str, float]) -> Table:
    total = sum(stages.values()) or 1.0
    rows = [[k, f"{v:.1f}", f"{100 * v / total:.0f}%"] for k, v in stages.items()]
    rows.append(["total (whole process tree)", f"{total:.1f}", "100%"])
    return title, ["stage", "CPU ms/page", "share"], rows


def tables(results: dict[str, Any]) -> list[Table]:
    out: list[Table] = []
    load = results["server"]["load_test"]
    out.append(
        (
            "Site server (its own process) under a loopback load",
            ["connections", "pages/s", "MB/s", "server CPU ms/page", "pages per server CPU s"],
            [
                [
                    str(load["connections"]),
                    f"{load['pages_per_second']:.0f}",
                    f"{load['megabytes_per_second']:.0f}",
                    f"{load['server_cpu_ms_per_page']:.3f}",
                    f"{load['pages_per_server_cpu_second']}",
                ]
            ],
        )
    )
    summary = results["summary"]
    labels = dict(LABELS)
    if "B-ner" in summary:
        labels["B-ner"] = f"ccrawl, NER ({results['ner']['model']})"
    out.append(("Crawls", CRAWL_HEADER, crawl_rows(summary, labels)))
    out.append(stage_table("Where B's CPU goes (median run)", results["b_stages"]))
    if "b_ner_stages" in results:
        out.append(stage_table("Where B-ner's CPU goes (median run)", results["b_ner_stages"]))
    t = results["b_timeline"]
    out.append(
        (
            "B: does downloading go on while analysis is busy? (median run, after 2 s warm-up)",
            [
                "fetch pages/s min/median/max (5 s windows)",
                "longest pause s",
                "in analysis median/max",
                "drain s",
            ],
            [
                [
                    f"{t.get('fetch_rate_min')} / {t.get('fetch_rate_median')} / "
                    f"{t.get('fetch_rate_max')}",
                    f"{t.get('longest_fetch_pause')}",
                    f"{t.get('median_in_analysis'):.0f} / {t.get('max_in_analysis')}",
                    f"{t.get('drain_seconds')}",
                ]
            ],
        )
    )
    outcomes = results["b_outcomes"]
    out.append(("B outcomes (median run)", list(outcomes), [[str(v) for v in outcomes.values()]]))
    if "memory" in results:
        rows = [
            [
                f"{m['pages']}",
                f"{m['peak_rss_main'] / MB:.0f}",
                " / ".join(f"{x / MB:.0f}" for x in m["rss_main_at_quarters"]),
                f"{m['peak_rss_tree'] / MB:.0f}",
                f"{m['pages_per_second']:.1f}",
            ]
            for m in results["memory"]["runs"]
        ]
        growth = results["memory"]["growth_bytes_per_page"]
        out.append(
            (
                f"Memory of B vs crawl length (main RSS growth {growth:.0f} bytes per extra page)",
                ["pages", "RSS main MB", "at 25/50/75/100% of the run", "RSS tree MB", "pages/s"],
                rows,
            )
        )
    return out


def text(results: dict[str, Any]) -> str:
    lines = [results["headline"], ""]
    for title, header, rows in tables(results):
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        lines.append(title)
        for row in [header, *rows]:
            cells = [row[0].ljust(widths[0])]
            cells += [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)]
            lines.append("  " + "  ".join(cells))
        lines.append("")
    lines += results["notes"]
    lines.append(f"ratio B/A: {results['ratio_b_a']:.2f}")
    return "\n".join(lines)


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        "# ccrawl benchmark",
        "",
        results["headline"],
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['os']}; Python "
        f"{m['python']}, Scrapy {m['scrapy']}, Twisted {m['twisted']}, trafilatura "
        f"{m['trafilatura']}; ccrawl {m['ccrawl']} at {m['commit']}; load average at start "
        f"{m['load_average_at_start']}. Run `{results['command']}` at {results['started']}.",
        "",
    ]
    for title, header, rows in tables(results):
        lines += [f"## {title}", "", "| " + " | ".join(header) + " |"]
        lines.append("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        lines.append("")
    lines += [f"- {note}" for note in results["notes"]]
    lines += ["", f"**ratio B/A: {results['ratio_b_a']:.2f}**", ""]
    return "\n".join(lines)
