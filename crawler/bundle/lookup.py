"""`ccrawl lookup`: for a rights-holder, is a work in the dataset and what happened to it.

By canonical URL or by text (MinHash LSH candidates, exact Jaccard on shingles), with every
provenance record about it. Read-only; it shows titles and URLs, never the stored text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crawler.bundle.collection import open_collection
from crawler.bundle.text import jaccard, shingles
from crawler.urls import canonical_url

NUM_PERM = 128
LSH_THRESHOLD = 0.3  # recall first: candidates are re-scored exactly
REPORT_FLOOR = 0.2  # candidates below this exact score are not worth showing
DOCUMENT_KEYS = (
    "id",
    "url",
    "title",
    "fetched_at",
    "language",
    "licence",
    "licence_evidence",
    "rightsholder",
    "provenance",
)


def _canonical(url: Any) -> str | None:
    try:
        return canonical_url(str(url)) if url else None
    except ValueError:
        return None


def _minhash(items: set[str]) -> Any:
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=1)
    minhash.update_batch([s.encode("utf-8") for s in items])
    return minhash


class Lookup:
    def __init__(self, path: Path | str) -> None:
        self.collection = open_collection(path)

    def _documents(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for rel, number, record in self.collection.documents():
            if record is not None:
                yield f"{rel}:{number}", record

    def _records_about(self, keys: set[str]) -> list[dict[str, Any]]:
        found = []
        for chain, number, record in self.collection.provenance():
            if record is None:
                continue
            if (
                _canonical(record.get("url")) in keys
                or _canonical(record.get("redirect_to")) in keys
            ):
                found.append({"where": f"{chain.rel}:{number}", **record})
        return found

    def _summary(self, where: str, doc: dict[str, Any]) -> dict[str, Any]:
        return {"where": where, **{k: doc.get(k) for k in DOCUMENT_KEYS}}

    def by_url(self, url: str) -> dict[str, Any]:
        key = _canonical(url) or url
        docs = [
            self._summary(w, d) for w, d in self._documents() if _canonical(d.get("url")) == key
        ]
        records = self._records_about({key})
        return {
            "query": {"url": url, "canonical": key},
            "found": bool(docs or records),
            "in_dataset": bool(docs),
            "documents": docs,
            "records": records,
        }

    def by_text(self, text: str, threshold: float = 0.5) -> dict[str, Any]:
        from datasketch import MinHashLSH

        query = shingles(text)
        lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        for where, doc in self._documents():
            lsh.insert(where, _minhash(shingles(str(doc.get("text") or ""))))
        candidates = set(lsh.query(_minhash(query))) if query else set()
        matches: list[dict[str, Any]] = []
        for where, doc in self._documents():
            if where not in candidates:
                continue
            theirs = shingles(str(doc.get("text") or ""))
            score = jaccard(query, theirs)
            if score >= REPORT_FLOOR:
                matches.append(
                    {
                        "score": round(score, 4),
                        "containment": round(len(query & theirs) / len(theirs), 4),
                        "match": score >= threshold,
                        "document": self._summary(where, doc),
                    }
                )
        matches.sort(key=lambda m: -m["score"])
        for match in matches:
            key = _canonical(match["document"]["url"])
            match["records"] = self._records_about({key}) if key else []
        return {
            "query": {"text_shingles": len(query), "threshold": threshold},
            "found": any(m["match"] for m in matches),
            "in_dataset": any(m["match"] for m in matches),
            "matches": matches,
        }


def _record_line(r: dict[str, Any]) -> list[str]:
    policy = r.get("policy") or {}
    out = [
        f"  {r.get('time')}  {r.get('outcome'):<11} {', '.join(r.get('reasons') or [])}"
        + (f"  (HTTP {r['status']})" if r.get("status") else "")
        + ("" if r.get("final") else "  [retried]"),
        f"      policy {policy.get('name')} sha256 {str(policy.get('sha256'))[:16]}…"
        f"  agent {r.get('agent')}  at {r['where']}",
    ]
    robots = r.get("robots") or {}
    if robots.get("rule"):
        out.append(f"      robots.txt rule: {robots['rule']}")
    if r.get("evidence"):
        out.append(f"      evidence: {r['evidence']}")
    licence = (r.get("findings") or {}).get("licence")
    if licence:
        out.append(f"      licence signals: {licence}")
    for key in ("redirect_to", "reviewer", "note", "error", "duplicate_of"):
        if r.get(key):
            out.append(f"      {key}: {r[key]}")
    return out


def _document_lines(d: dict[str, Any]) -> list[str]:
    out = [
        f'  {d["url"]}  "{d.get("title") or ""}"',
        f"      licence {d.get('licence')}, rights-holder {d.get('rightsholder') or '-'}, "
        f"fetched {d.get('fetched_at')}, at {d['where']}",
    ]
    for evidence in (d.get("licence_evidence") or [])[:5]:
        out.append(f"      licence evidence: {evidence}")
    return out


def render(result: dict[str, Any]) -> str:
    lines: list[str] = []
    if "url" in result["query"]:
        lines.append(f"URL {result['query']['url']} (canonical {result['query']['canonical']})")
        lines.append("In the dataset: " + ("yes" if result["in_dataset"] else "no"))
        for doc in result["documents"]:
            lines += _document_lines(doc)
        lines.append(f"Provenance records: {len(result['records'])}")
        for record in result["records"]:
            lines += _record_line(record)
        return "\n".join(lines)
    threshold = result["query"]["threshold"]
    matches = result["matches"]
    lines.append(
        "In the dataset: " + ("yes" if result["found"] else "no") + f" (threshold {threshold})"
    )
    if not matches:
        lines.append("No document has a similar text.")
    for match in matches:
        lines.append(
            f"{'MATCH' if match['match'] else 'similar'}: score {match['score']:.2f} "
            f"(Jaccard of 5-word shingles; {match['containment']:.0%} of the document's shingles)"
        )
        lines += _document_lines(match["document"])
        for record in match["records"]:
            lines += _record_line(record)
    return "\n".join(lines)
