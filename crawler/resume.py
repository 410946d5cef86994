"""What a crawl already did, read back from its output directory so it can continue after a crash.

The outputs are the source of truth, not a pickled queue: a URL with a final provenance record is
settled and never fetched again; a URL in frontier.jsonl without one is fetched on resume. An
accepted or quarantined record whose document never reached dataset.jsonl or the queue (a crash
between the two writes) is superseded by a `lost-on-crash` record and its URL fetched again.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.jsonl import JsonlAppender, TornTail, read_jsonl
from crawler.provenance import DATASET_FILE, PROVENANCE_FILE, utc_now
from crawler.quarantine import QUARANTINE_FILE
from crawler.redact import needs_redaction
from crawler.urls import canonical_url, origin

FRONTIER_FILE = "frontier.jsonl"


@dataclass
class ResumeState:
    settled: set[str] = field(default_factory=set)
    frontier: list[dict[str, Any]] = field(default_factory=list)
    fingerprints: dict[str, str] = field(default_factory=dict)
    last_request: dict[str, float] = field(default_factory=dict)
    lost: list[dict[str, Any]] = field(default_factory=list)
    records: int = 0

    @property
    def resuming(self) -> bool:
        return self.records > 0 or bool(self.frontier)

    def pending(self) -> list[dict[str, Any]]:
        """Frontier entries without a final record, first occurrence of each URL, in order."""
        out, seen = [], set()
        for entry in self.frontier:
            key = canonical_url(entry["url"])
            if key not in self.settled and key not in seen:
                seen.add(key)
                out.append(entry)
        return out


def _wall(time_text: str) -> float:
    return datetime.fromisoformat(time_text.replace("Z", "+00:00")).timestamp()


def _queued_hashes(directory: Path) -> set[str]:
    path = directory / QUARANTINE_FILE
    if not path.is_file():
        return set()
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return {row[0] for row in db.execute("SELECT provenance FROM items")}
    finally:
        db.close()


def load_state(directory: Path) -> ResumeState:
    state = ResumeState()
    provenance = directory / PROVENANCE_FILE
    if not provenance.is_file():
        return state
    documents: set[str] = set()
    if (directory / DATASET_FILE).is_file():
        documents = {
            str(r.get("provenance")) for _, r, _ in read_jsonl(directory / DATASET_FILE) if r
        }
    queued = _queued_hashes(directory)
    finals: dict[str, dict[str, Any]] = {}
    superseded: set[str] = set()
    for _, record, _ in read_jsonl(provenance):
        if record is None:
            continue
        state.records += 1
        url = str(record.get("url", ""))
        if "://" in url and record.get("time"):
            key = origin(url)
            state.last_request[key] = max(state.last_request.get(key, 0.0), _wall(record["time"]))
        if record.get("supersedes"):
            superseded.add(record["supersedes"])
        if record.get("final"):
            finals[record["hash"]] = record
    for digest, record in finals.items():
        if record.get("reasons") == ["lost-on-crash"] or digest in superseded:
            continue  # the URL is open again, or a later decision speaks for it
        outcome = record.get("outcome")
        if (outcome == "accepted" and digest not in documents) or (
            outcome == "quarantined" and digest not in queued
        ):
            state.lost.append(record)
            continue
        url = str(record.get("url", ""))
        if "://" in url:
            state.settled.add(canonical_url(url))
        fingerprint = (record.get("findings") or {}).get("dedupe", {}).get("text_sha256")
        if fingerprint and outcome in ("accepted", "quarantined"):
            state.fingerprints.setdefault(fingerprint, url)
    if (directory / FRONTIER_FILE).is_file():
        entries = (frontier_entry(r) for _, r, _ in read_jsonl(directory / FRONTIER_FILE))
        state.frontier = [e for e in entries if e is not None]
    return state


def frontier_entry(line: Any) -> dict[str, Any] | None:
    """A frontier line as `{"url", "depth"}`, or None if FrontierLog could not have written it.

    Only the shape is checked here, so that no line can break the resume; whether an entry is
    still in scope is ScopeGuard's to decide, by the rules a fresh link passes.
    """
    if not isinstance(line, dict):
        return None
    url, depth = line.get("url"), line.get("depth", 0)
    if not isinstance(url, str) or type(depth) is not int or depth < 0:
        return None
    try:
        parts = urlsplit(url)
        origin(url)  # a port out of range raises here
        canonical_url(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return {"url": url, "depth": depth}


def lost_record(record: dict[str, Any]) -> dict[str, Any]:
    """Supersedes an accepted/quarantined record whose document a crash lost (URL refetched)."""
    return {
        "url": record["url"],
        "time": utc_now(),
        "outcome": "error",
        "reasons": ["lost-on-crash"],
        "status": record.get("status"),
        "content_sha256": record.get("content_sha256"),
        "final": True,
        "supersedes": record["hash"],
    }


class FrontierLog:
    """Every request the crawl scheduled, appended before it is sent (url, depth)."""

    def __init__(self, directory: Path, keep_all: bool = False) -> None:
        self._file = JsonlAppender(directory / FRONTIER_FILE)
        self.torn: TornTail | None = self._file.torn
        self.keep_all = keep_all

    def add(self, url: str, depth: int) -> None:
        # A URL that carries credentials or personal data is not written down (unless the policy
        # keeps URLs as fetched): after a crash it is requested again only if a page links it.
        if self.keep_all or not needs_redaction(url):
            self._file.append({"url": url, "depth": depth})

    def close(self) -> None:
        self._file.close()


def write_json_atomically(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    temporary.replace(path)
