"""The dataset card (README.md) with a Hugging Face Hub YAML header that `datasets` can load.

The header states only what the figures show (licences, languages, size); licences without a Hub
id are declared as `other` with a name and a link. It never quotes document text.
"""

from __future__ import annotations

from typing import Any

import yaml

from crawler.bundle.summary import composition, human_bytes

# Hub licence ids that are not the lower-cased SPDX id.
HUB_ALIASES = {
    "odc-by-1.0": "odc-by",
    "odbl-1.0": "odbl",
    "pddl-1.0": "pddl",
    "gfdl-1.3-or-later": "gfdl",
    "gfdl-1.3-only": "gfdl",
    "gpl-2.0-only": "gpl-2.0",
    "gpl-3.0-only": "gpl-3.0",
    "lgpl-2.1-only": "lgpl-2.1",
    "lgpl-3.0-only": "lgpl-3.0",
    "agpl-3.0-only": "agpl-3.0",
}
HUB_IDS = frozenset(
    (
        "apache-2.0", "mit", "afl-3.0", "artistic-2.0", "bsl-1.0", "bsd-2-clause", "bsd-3-clause",
        "bsd-3-clause-clear", "cc0-1.0", "cc-by-2.0", "cc-by-2.5", "cc-by-3.0", "cc-by-4.0",
        "cc-by-sa-3.0", "cc-by-sa-4.0", "cc-by-nc-2.0", "cc-by-nc-3.0", "cc-by-nc-4.0",
        "cc-by-nd-4.0", "cc-by-nc-nd-3.0", "cc-by-nc-nd-4.0", "cc-by-nc-sa-2.0", "cc-by-nc-sa-3.0",
        "cc-by-nc-sa-4.0",
        "cdla-sharing-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0", "wtfpl", "ecl-2.0",
        "epl-1.0", "epl-2.0", "etalab-2.0", "eupl-1.1", "eupl-1.2", "agpl-3.0", "gfdl", "gpl-2.0",
        "gpl-3.0", "lgpl-2.1", "lgpl-3.0", "isc", "mpl-2.0", "odc-by", "odbl", "pddl", "osl-3.0",
        "postgresql", "ofl-1.1", "ncsa", "unlicense", "zlib", "unknown",
    )
)  # fmt: skip


def hub_licence(spdx: str) -> str | None:
    lowered = spdx.lower()
    hub = HUB_ALIASES.get(lowered, lowered)
    return hub if hub in HUB_IDS else None


def hub_language(code: str) -> str:
    return code.split("-")[0].lower()  # langdetect's zh-cn is the Hub's zh


def header(s: dict[str, Any], data_glob: str) -> dict[str, Any]:
    licences = [str(r["licence"]) for r in s["licences"]]
    hub = sorted({h for h in (hub_licence(x) for x in licences) if h})
    others = sorted(x for x in licences if hub_licence(x) is None)
    meta: dict[str, Any] = {"license": [*hub, "other"] if others else hub or ["unknown"]}
    if others:
        meta["license_name"] = others[0].lower() if len(others) == 1 else "per-document-licences"
        meta["license_link"] = (
            f"https://spdx.org/licenses/{others[0]}.html" if len(others) == 1 else "SUMMARY.md"
        )
    languages = sorted({hub_language(r["language"]) for r in s["languages"]} - {"unknown"})
    if languages:
        meta["language"] = languages
    meta.update(
        {
            "pretty_name": s["title"],
            "size_categories": [s["dataset"]["size_category"]],
            "task_categories": ["text-generation"],
            "tags": ["web-crawl", "provenance", "ccrawl"],
            "configs": [
                {
                    "config_name": "default",
                    "data_files": [{"split": "train", "path": data_glob}],
                    "default": True,
                }
            ],
        }
    )
    return meta


FIELDS = (
    ("id", "sha256 of the URL, first 24 hex digits"),
    ("url", "the page's URL as fetched"),
    ("fetched_at", "when it was fetched (RFC 3339, UTC)"),
    ("title, author, date, sitename", "page metadata found by the extractor"),
    ("text", "main text, boilerplate removed, personal data redacted"),
    ("language, language_probability", "detected language (ISO 639-1)"),
    ("licence", "SPDX id of the page's licence, or `unknown`"),
    ("licence_evidence", "where the licence was found (links, meta, JSON-LD, notices)"),
    ("rightsholder", "the rights-holder named by the page, if any"),
    ("content_sha256", "sha256 of the response body as received"),
    ("provenance", "`hash` of this document's record in the provenance log"),
    ("redactions", "counts of redacted personal data by type (never the values)"),
)


def render(s: dict[str, Any], fmt: str, data_glob: str) -> str:
    front = yaml.safe_dump(header(s, data_glob), sort_keys=False, allow_unicode=True)
    d = s["dataset"]
    period = s["collection_period"]["records"]
    json_note = (
        "\nIn the Parquet files, `licence_evidence`, `redactions` (and any other column that is "
        "not one plain type) hold canonical JSON text: `json.loads` gives the original value.\n"
        if fmt == "parquet"
        else ""
    )
    lines = [
        "---",
        front.rstrip(),
        "---",
        "",
        f"# {s['title']}",
        "",
        f"{d['documents']} web documents ({human_bytes(d['bytes'])} of text, {d['tokens']} "
        f"tokens) collected by {', '.join(f'`{a}`' for a in s['crawler']['agents'])} between "
        f"{period['from']} and {period['to']}, for "
        + "; ".join(f"{p['purpose']} (policy `{p['name']}`)" for p in s["policies"])
        + ". Every outcome of the crawl, refusals included, is in the hash-chained provenance "
        "log shipped here.",
        "",
        "## Load it",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        'ds = load_dataset("path/to/this/bundle", split="train")',
        f'ds = load_dataset("{fmt if fmt == "parquet" else "json"}", '
        f'data_files="path/to/this/bundle/{data_glob}", split="train")',
        "```",
        "",
        "Croissant metadata (MLCommons Croissant 1.0 with RAI fields) is in `metadata.json`:",
        '`mlcroissant.Dataset(jsonld="path/to/this/bundle/metadata.json")`.',
        "",
        "## Fields",
        "",
        "| field | meaning |",
        "|---|---|",
        *[f"| `{name}` | {meaning} |" for name, meaning in FIELDS],
        json_note,
        "## Licences",
        "",
        "Each document keeps its own licence (`licence`, with `licence_evidence` and "
        "`rightsholder`); the collection as a whole has no single licence. Respect each "
        "document's terms (attribution for CC BY, share-alike for CC BY-SA).",
        "",
        *composition(s["licences"], "licence", "licence"),
        "## Provenance and verification",
        "",
        "`provenance.jsonl` (or `provenance/<source>.jsonl`, one per crawl output) records every "
        "URL the crawler met and what happened to it, and why; `policy.yaml` (or `policies/`) is "
        "the exact policy it ran under; `MANIFEST.json` lists every file with its sha256. "
        "`SUMMARY.md` is the public summary of this content, laid out like the AI Office "
        "template.",
        "",
        "```sh",
        "ccrawl provenance verify path/to/this/bundle [--key PUBLISHER.pub]",
        "```",
        "",
        "## For rights-holders",
        "",
        "```sh",
        "ccrawl lookup path/to/this/bundle --url https://example.org/your/article",
        "ccrawl lookup path/to/this/bundle --text your-article.txt",
        "ccrawl report rightsholders path/to/this/bundle",
        "```",
        "",
        "Contact the crawler operator at "
        + (", ".join(sorted({str(p["contact"]) for p in s["policies"] if p.get("contact")})) or "-")
        + ".",
        "",
    ]
    return "\n".join(lines)
