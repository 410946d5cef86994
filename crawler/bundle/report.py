"""`ccrawl report rightsholders`: documents, bytes, tokens and licences per rights-holder.

The account a statutory or collective licensing scheme asks for: per named rights-holder, and per
domain for documents that name none. Counts only; it never prints document text.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from crawler.bundle.categories import host_of
from crawler.bundle.collection import open_collection
from crawler.bundle.summary import human_bytes
from crawler.bundle.text import byte_size, token_count


def tally(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"documents": 0, "bytes": 0, "tokens": 0, "licences": Counter(), "domains": set()}
    )
    for doc in documents:
        holder = str(doc.get("rightsholder") or "").strip()
        domain = host_of(str(doc.get("url") or ""))
        key = ("rightsholder", holder) if holder else ("domain", domain)
        text = str(doc.get("text") or "")
        group = groups[key]
        group["documents"] += 1
        group["bytes"] += byte_size(text)
        group["tokens"] += token_count(text)
        group["licences"][str(doc.get("licence") or "unknown")] += 1
        group["domains"].add(domain)
    rows = [
        {
            "kind": kind,
            "name": name,
            "documents": g["documents"],
            "bytes": g["bytes"],
            "tokens": g["tokens"],
            "licences": dict(sorted(g["licences"].items())),
            "domains": sorted(g["domains"]),
        }
        for (kind, name), g in groups.items()
    ]
    return sorted(rows, key=lambda r: (-r["bytes"], r["kind"], r["name"]))


def rightsholders(path: Path | str) -> list[dict[str, Any]]:
    collection = open_collection(path)
    return tally([doc for _rel, _n, doc in collection.documents() if doc is not None])


def render(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "No documents."
    table = [
        [
            r["name"] if r["kind"] == "rightsholder" else f"(no holder named) {r['name']}",
            str(r["documents"]),
            human_bytes(r["bytes"]),
            str(r["tokens"]),
            ", ".join(f"{k} {v}" for k, v in r["licences"].items()),
        ]
        for r in rows
    ]
    headers = ["rights-holder / domain", "documents", "size", "tokens", "licences"]
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in table
    ]
    total = [sum(r[k] for r in rows) for k in ("documents", "bytes", "tokens")]
    lines.append(
        f"{len(rows)} accounts, {total[0]} documents, {human_bytes(total[1])}, {total[2]} "
        "tokens (tokens: whitespace-separated, each CJK character one)"
    )
    return "\n".join(lines)
