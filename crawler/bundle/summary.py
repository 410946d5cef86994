"""SUMMARY.md: summary.json laid out like the AI Office's Art. 53(1)(d) public-summary template.

It fills the sections a crawler can and marks the rest for the model provider. It renders the
figures and nothing else, so the two never disagree; it never quotes document text.
"""

from __future__ import annotations

from typing import Any

from crawler.reasons import REASONS

PROVIDER = "*To be completed by the model provider.*"
NOT_APPLICABLE = "Not applicable to this dataset: a web crawler collects no {what}."


def human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    if not rows:
        return ["*None.*", ""]
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return [*out, ""]


def composition(rows: list[dict[str, Any]], label: str, heading: str) -> list[str]:
    docs = sum(r["documents"] for r in rows)
    size = sum(r["bytes"] for r in rows)
    body = [
        [
            f"`{r[label]}`" if label != "category" else str(r[label]),
            str(r["documents"]),
            _pct(r["documents"], docs),
            human_bytes(r["bytes"]),
            _pct(r["bytes"], size),
            str(r["tokens"]),
        ]
        for r in rows
    ]
    if rows:
        total = ["**total**", str(docs), "100%", human_bytes(size), "100%"]
        body.append([*total, str(sum(r["tokens"] for r in rows))])
    return _table([heading, "documents", "% docs", "size", "% size", "tokens"], body)


def _counts(counts: dict[str, int]) -> list[str]:
    rows = [[f"`{code}`", str(n), REASONS.get(code, ("", ""))[1]] for code, n in counts.items()]
    return _table(["reason code", "URLs", "meaning"], rows)


def _general(s: dict[str, Any]) -> list[str]:
    d = s["dataset"]
    langs = ", ".join(f"`{r['language']}`" for r in s["languages"]) or "none"
    return [
        "## 1. General information",
        "",
        "### 1.1 Provider identification",
        "",
        PROVIDER,
        "",
        "Crawler operator contact (from the policy): "
        + (", ".join(p["contact"] for p in s["policies"] if p.get("contact")) or "-"),
        "",
        "### 1.2 Model identification",
        "",
        PROVIDER,
        "",
        "### 1.3 Modalities, overall training data size and other characteristics",
        "",
        *_table(
            ["", ""],
            [
                ["modality", "text"],
                ["documents", str(d["documents"])],
                ["size", f"{human_bytes(d['bytes'])} ({d['bytes']} bytes of UTF-8 text)"],
                ["tokens", f"{d['tokens']} (whitespace tokens + CJK characters)"],
                ["size range (template)", d["token_range"]],
                ["types of content", "main text of public web pages (HTML), boilerplate removed"],
                [
                    "latest date of data acquisition",
                    str(s["collection_period"]["fetched_at"]["to"]),
                ],
                ["languages", langs],
            ],
        ),
    ]


def _sources(s: dict[str, Any]) -> list[str]:
    period = s["collection_period"]["records"]
    policies = s["policies"]
    top = s["domains"]["top"]
    lines = [
        "## 2. List of data sources",
        "",
        "### 2.1 Publicly available datasets",
        "",
        "None were used by the crawler. " + PROVIDER,
        "",
        "### 2.2 Private non-publicly available datasets obtained from third parties",
        "",
        PROVIDER,
        "",
        "### 2.3 Data crawled and scraped from online sources",
        "",
        "**Crawler name / identifier:** "
        + ", ".join(f"`{a}`" for a in s["crawler"]["agents"])
        + " (product token"
        + ("s " if len({p["token"] for p in policies}) > 1 else " ")
        + ", ".join(f"`{t}`" for t in sorted({str(p["token"]) for p in policies}))
        + " in robots.txt).",
        "",
        "**Purpose:** "
        + "; ".join(
            f"{p['purpose']} (policy `{p['name']}`, usage `{p['usage']}`)" for p in policies
        )
        + ".",
        "",
        "**Behaviour during collection:** the crawler",
        "",
        *[f"- {line}" for line in s["behaviour"]],
        "",
        f"**Period of data collection:** {period['from']} to {period['to']} (UTC, first and last "
        "provenance record of the crawl itself; later review decisions excluded).",
        "",
        "**Type of content and online sources:** the main text of HTML pages, by source category "
        "(a URL-based rule, see ccrawl's `docs/bundle.md`), by licence and by language:",
        "",
        *composition(s["categories"], "category", "source category"),
        *composition(s["licences"], "licence", "licence"),
        *composition(s["languages"], "language", "language"),
        f"![Licence mix]({s['charts']['licences']}) ![Language mix]({s['charts']['languages']}) "
        f"![Source categories]({s['charts']['categories']})",
        "",
        f"**Most relevant domain names:** the top {s['domains']['top_share']} of the "
        f"{s['domains']['count']} domain name{'' if s['domains']['count'] == 1 else 's'} by size "
        "of content in the dataset:",
        "",
        *_table(
            ["domain", "documents", "size", "tokens"],
            [
                [r["domain"], str(r["documents"]), human_bytes(r["bytes"]), str(r["tokens"])]
                for r in top
            ],
        ),
        "### 2.4 User data",
        "",
        NOT_APPLICABLE.format(what="user data"),
        "",
        "### 2.5 Synthetic data",
        "",
        NOT_APPLICABLE.format(what="synthetic data"),
        "",
        "### 2.6 Other sources of data",
        "",
        PROVIDER,
        "",
    ]
    return lines


def _processing(s: dict[str, Any]) -> list[str]:
    rights = s["rights_reservations"]
    removal = s["removal"]
    quarantine = removal["quarantine"]
    return [
        "## 3. Data processing aspects",
        "",
        "### 3.1 Respect of reservation of rights from the text and data mining exception",
        "",
        "Every reservation below was checked before the page was used (most before it was even "
        "requested); the URLs it covered were refused and recorded. Counts are URLs, each "
        "counted by its final provenance record.",
        "",
        "**Machine-readable AI opt-outs honoured:**",
        "",
        *_counts(rights["ai_optouts"]),
        "**robots.txt and robots meta tags:**",
        "",
        *_counts(rights["robots"]),
        "**Access controls met and not passed** (bot challenges, login walls, paywalls):",
        "",
        *_counts(rights["access"]),
        "### 3.2 Removal of illegal content",
        "",
        "Personal data found in the text was redacted before a page entered the dataset "
        "(counts by type; values are never kept):",
        "",
        *_table(
            ["PII type", "redactions"], [[k, str(v)] for k, v in removal["redactions"].items()]
        ),
        "Pages the rules could not settle alone (unknown licence, PII density, credentials, "
        "confidentiality markers) were quarantined for human review: "
        f"{quarantine['approved']} approved, {quarantine['rejected']} rejected, and still held "
        "(not in the dataset):",
        "",
        *_counts(quarantine["held"]),
        "Other pages left out:",
        "",
        *_counts(removal["dropped"]),
        "### 3.3 Other information",
        "",
        *_verification(s),
    ]


def _verification(s: dict[str, Any]) -> list[str]:
    p = s["provenance"]
    heads = [
        f"- `{src['provenance']}`: {src['records']} records, head `{src['head']}`"
        for src in s["sources"]
    ]
    return [
        f"The provenance log{'s' if len(heads) > 1 else ''} ({p['records']} records for "
        f"{p['urls']} URLs: "
        + ", ".join(f"{n} {o}" for o, n in p["outcomes"].items())
        + f") {'are' if len(heads) > 1 else 'is'} part of the bundle:",
        "",
        *heads,
        "",
        "Check the bundle, its chains and that every document matches its provenance record with "
        "`ccrawl provenance verify BUNDLE [--key PUB]`; rights-holders can search it with "
        "`ccrawl lookup BUNDLE --url URL` or `--text FILE`.",
        "",
    ]


def render(s: dict[str, Any]) -> str:
    gen = s["generated_by"]
    lines = [
        f"# Public summary of training content: {s['title']}",
        "",
        f"Generated by {gen['name']} {gen['version']} on {s['created_at']} from "
        f"{len(s['sources'])} crawl output{'s' if len(s['sources']) > 1 else ''}. The sections "
        "follow the AI Office's *Template for the Public Summary of Training Content for "
        "general-purpose AI models* (Art. 53(1)(d) AI Act) for the parts a crawler can fill; "
        "parts only the model provider can fill are marked. The same figures are in "
        "`summary.json`.",
        "",
        *_general(s),
        *_sources(s),
        *_processing(s),
    ]
    return "\n".join(lines).rstrip() + "\n"
