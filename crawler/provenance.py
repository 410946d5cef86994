"""The hash-chained provenance log and its verifier.

Each record carries `prev` (the hash of the record before it) and `hash` = sha256 over the canonical
JSON of the record including `prev`, so any edit, insertion or deletion breaks the chain. Records
keep counts and types, never PII values or secrets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.dataset import document_digest
from crawler.jsonl import JsonlAppender, TornTail, canonical_json, read_jsonl

GENESIS = "0" * 64
PROVENANCE_FILE = "provenance.jsonl"
DATASET_FILE = "dataset.jsonl"


def utc_now() -> str:
    """RFC 3339 time in UTC with milliseconds, e.g. 2026-11-29T01:02:03.456Z."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def record_hash(record: dict[str, Any]) -> str:
    body = {k: v for k, v in record.items() if k != "hash"}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def torn_record(torn: TornTail) -> dict[str, Any]:
    """The record that says a torn last line was repaired (moved to a .torn file)."""
    name = Path(torn.path).name
    return {
        "url": name,
        "time": utc_now(),
        "outcome": "error",
        "reasons": ["torn-line-repaired"],
        "status": None,
        "content_sha256": None,
        "final": True,
        "torn": {
            "file": name,
            "bytes": torn.length,
            "sha256": torn.sha256,
            "saved_to": Path(torn.saved_to).name,
        },
    }


class ProvenanceLog:
    def __init__(self, path: Path | str) -> None:
        self._file = JsonlAppender(path)
        self.torn: TornTail | None = self._file.torn

    def append(self, record: dict[str, Any]) -> dict[str, Any]:
        def build(last: dict[str, Any] | None) -> dict[str, Any]:
            chained = {**record, "prev": last["hash"] if last else GENESIS}
            chained["hash"] = record_hash(chained)
            return chained

        return self._file.append_with(build)

    def sync(self) -> None:
        self._file.sync()

    def close(self) -> None:
        self._file.close()


@dataclass
class VerifyReport:
    records: int = 0
    dataset_records: int = 0
    head: str = GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(path: Path, report: VerifyReport) -> dict[str, dict[str, Any]]:
    """Check every link; return the records by hash for the dataset check."""
    by_hash: dict[str, dict[str, Any]] = {}
    prev = GENESIS
    for number, record, _raw in read_jsonl(path):
        where = f"{path.name}:{number}"
        if record is None:
            report.problems.append(f"{where}: not a JSON object")
            return by_hash
        if record.get("prev") != prev:
            report.problems.append(f"{where}: `prev` does not match the hash of the line before")
            return by_hash
        if record.get("hash") != record_hash(record):
            report.problems.append(f"{where}: `hash` does not match the record's content")
            return by_hash
        prev = record["hash"]
        by_hash[prev] = record
        report.records += 1
    report.head = prev
    return by_hash


def verify_dataset(
    lines: Iterable[tuple[str, int, dict[str, Any] | None]],
    by_hash: dict[str, dict[str, Any]],
    report: VerifyReport,
) -> None:
    used: set[str] = set()
    for name, number, record in lines:
        where = f"{name}:{number}"
        if record is None:
            report.problems.append(f"{where}: not a JSON object")
            return
        report.dataset_records += 1
        source = by_hash.get(str(record.get("provenance")))
        if source is None:
            report.problems.append(
                f"{where}: no provenance record has hash {record.get('provenance')}"
            )
            return
        if source.get("outcome") != "accepted":
            report.problems.append(
                f"{where}: its provenance record's outcome is {source.get('outcome')}"
            )
            return
        for key in ("url", "content_sha256"):
            if source.get(key) != record.get(key):
                report.problems.append(f"{where}: `{key}` differs from its provenance record")
                return
        expected = source.get("document_sha256")
        if expected is not None and expected != document_digest(record):
            report.problems.append(
                f"{where}: the document differs from the one provenance recorded"
            )
            return
        used.add(source["hash"])
    superseded = {str(r.get("supersedes")) for r in by_hash.values() if r.get("supersedes")}
    for digest, source in by_hash.items():
        if source.get("outcome") == "accepted" and digest not in used and digest not in superseded:
            report.problems.append(
                f"{PROVENANCE_FILE}: accepted record for {source.get('url')} has no dataset record"
            )
            return


def verify_output(directory: Path | str) -> VerifyReport:
    directory = Path(directory)
    report = VerifyReport()
    provenance = directory / PROVENANCE_FILE
    if not provenance.is_file():
        report.problems.append(f"{provenance}: missing")
        return report
    by_hash = verify_chain(provenance, report)
    if report.problems:
        return report
    dataset = directory / DATASET_FILE
    lines: list[tuple[str, int, dict[str, Any] | None]] = []
    if dataset.is_file():
        lines = [(dataset.name, n, rec) for n, rec, _ in read_jsonl(dataset)]
    verify_dataset(lines, by_hash, report)
    return report
