"""The figures a bundle reports, computed once from provenance and documents (summary.json).

SUMMARY.md, the dataset card, Croissant and MANIFEST.json all read these figures, so they agree.
Counts only: nothing here keeps document text, PII values or anything beyond URLs' host names.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any

from crawler.bundle.categories import category, host_of
from crawler.bundle.collection import Collection
from crawler.bundle.text import byte_size, token_count

OPTOUT_PREFIX = "ai-optout-"
ROBOTS_CODES = ("robots-disallow", "robots-noindex", "robots-unreachable", "crawl-delay-too-long")
ACCESS_CODES = ("challenge", "login-wall", "paywall", "http-auth", "http-legal", "origin-stopped")
QUALITY_CODES = (
    "duplicate-content",
    "no-text",
    "language",
    "licence-rejected",
    "licence-not-accepted",
    "not-html",
    "too-large",
)
TOKEN_RANGES = ((10**9, "less than 1 billion tokens"), (10**13, "1 billion to 10 trillion tokens"))
HF_SIZES = ((10**3, "n<1K"), (10**4, "1K<n<10K"), (10**5, "10K<n<100K"), (10**6, "100K<n<1M"))


def hf_size_category(documents: int) -> str:
    for limit, name in HF_SIZES:
        if documents < limit:
            return name
    exponent = int(math.log10(documents))
    names = {6: "1M<n<10M", 7: "10M<n<100M", 8: "100M<n<1B", 9: "1B<n<10B"}
    return names.get(exponent, "n>1T")


def token_range(tokens: int) -> str:
    return next((name for limit, name in TOKEN_RANGES if tokens < limit), "more than 10T tokens")


class _Tally:
    def __init__(self) -> None:
        self.rows: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, key: str, size: int, tokens: int) -> None:
        self.rows[key].update(documents=1, bytes=size, tokens=tokens)

    def table(self, label: str) -> list[dict[str, Any]]:
        ordered = sorted(self.rows.items(), key=lambda kv: (-kv[1]["bytes"], kv[0]))
        return [
            {label: k, **{f: v[f] for f in ("documents", "bytes", "tokens")}} for k, v in ordered
        ]


def current_records(collection: Collection) -> tuple[int, list[dict[str, Any]], list[str]]:
    """(all records, each URL's final records minus those a review decision superseded,
    the times of the crawl's own records: review decisions come later and are not collection)."""
    total, finals, superseded, times = 0, {}, set(), []
    for _chain, _number, record in collection.provenance():
        if record is None:
            continue
        total += 1
        if record.get("supersedes"):
            superseded.add(record["supersedes"])
        elif record.get("time"):
            times.append(str(record["time"]))
        if record.get("final"):
            finals[record.get("hash")] = record
    return total, [r for h, r in finals.items() if h not in superseded], times


def _span(values: list[str]) -> dict[str, str | None]:
    values = sorted(v for v in values if isinstance(v, str))
    return {"from": values[0] if values else None, "to": values[-1] if values else None}


def compute(collection: Collection) -> dict[str, Any]:
    total, current, times = current_records(collection)
    outcomes = Counter(str(r.get("outcome")) for r in current)
    reasons = Counter(code for r in current for code in r.get("reasons") or [])
    agents = Counter(str(r["agent"]) for r in current if r.get("agent"))

    tallies = {name: _Tally() for name in ("language", "licence", "category", "domain")}
    redactions: Counter[str] = Counter()
    fetched: list[str] = []
    documents = size = tokens = 0
    for _rel, _number, doc in collection.documents():
        if doc is None:
            continue
        text = str(doc.get("text") or "")
        doc_bytes, doc_tokens = byte_size(text), token_count(text)
        documents, size, tokens = documents + 1, size + doc_bytes, tokens + doc_tokens
        url = str(doc.get("url") or "")
        keys = {
            "language": str(doc.get("language") or "unknown"),
            "licence": str(doc.get("licence") or "unknown"),
            "category": category(url),
            "domain": host_of(url),
        }
        for name, key in keys.items():
            tallies[name].add(key, doc_bytes, doc_tokens)
        for kind, count in (doc.get("redactions") or {}).items():
            if isinstance(count, int):
                redactions[kind] += count
        fetched.append(str(doc.get("fetched_at")))

    domains = tallies["domain"].table("domain")
    top = math.ceil(len(domains) / 10) if domains else 0
    held = Counter(
        code
        for r in current
        if r.get("outcome") == "quarantined"
        for code in r.get("reasons") or []
    )
    return {
        "provenance": {
            "records": total,
            "urls": len(current),
            "outcomes": dict(sorted(outcomes.items())),
            "reasons": dict(sorted(reasons.items())),
        },
        "crawler": {"agents": sorted(agents)},
        "collection_period": {"records": _span(times), "fetched_at": _span(fetched)},
        "dataset": {
            "documents": documents,
            "bytes": size,
            "tokens": tokens,
            "size_category": hf_size_category(documents),
            "token_range": token_range(tokens),
        },
        "languages": tallies["language"].table("language"),
        "licences": tallies["licence"].table("licence"),
        "categories": tallies["category"].table("category"),
        "domains": {"count": len(domains), "top": domains[:top], "top_share": "10%"},
        "rights_reservations": {
            "ai_optouts": {k: v for k, v in sorted(reasons.items()) if k.startswith(OPTOUT_PREFIX)},
            "robots": {k: reasons[k] for k in ROBOTS_CODES if reasons[k]},
            "access": {k: reasons[k] for k in ACCESS_CODES if reasons[k]},
        },
        "removal": {
            "redactions": dict(sorted(redactions.items())),
            "quarantine": {
                "held": dict(sorted(held.items())),
                "approved": reasons["review-approved"],
                "rejected": reasons["review-rejected"],
            },
            "dropped": {k: reasons[k] for k in QUALITY_CODES if reasons[k]},
        },
    }
