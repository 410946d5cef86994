"""The hash-chained provenance log and its verifier.

Each record carries `prev` (the hash of the record before it) and `hash` = sha256 over the canonical
JSON of the record including `prev`, so any edit, insertion or deletion breaks the chain. Records
keep counts and types, never PII values or secrets.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.dataset import document_digest
from crawler.jsonl import JsonlAppender, TornTail, canonical_json, line_problem, read_jsonl

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
    after_anchor: int | None = None  # records that follow the anchored head, when one was given

    @property
    def ok(self) -> bool:
        return not self.problems


# A dataset or data-file line: (file name, line number, the record, or why the line is not one).
Line = tuple[str, int, dict[str, Any] | str]
REVIEW_DECISIONS = {
    "approved": ("accepted", "review-approved"),
    "rejected": ("dropped", "review-rejected"),
}


def verify_chain(path: Path, report: VerifyReport) -> dict[str, dict[str, Any]]:
    """Check every link; return the records by hash (in chain order) for the later checks."""
    by_hash: dict[str, dict[str, Any]] = {}
    prev = GENESIS
    for number, record, raw in read_jsonl(path):
        where = f"{path.name}:{number}"
        if record is None:
            report.problems.append(f"{where}: {line_problem(raw)}")
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


def records_after(by_hash: dict[str, dict[str, Any]], head: str) -> int | None:
    """How many records follow `head` in the chain; None when it is not in the chain."""
    if head == GENESIS:
        return len(by_hash)
    for position, digest in enumerate(by_hash, start=1):
        if digest == head:
            return len(by_hash) - position
    return None


def check_anchor(
    by_hash: dict[str, dict[str, Any]], head: str, name: str, report: VerifyReport
) -> None:
    after = records_after(by_hash, head)
    if after is None:
        report.problems.append(
            f"{name}: the anchored head {head[:16]} is not in the chain: records were cut from "
            "the end, or the log was rewritten, after it was anchored"
        )
    report.after_anchor = after


def _document_problem(record: dict[str, Any], by_hash: dict[str, dict[str, Any]]) -> str | None:
    source = by_hash.get(str(record.get("provenance")))
    if source is None:
        return f"no provenance record has hash {record.get('provenance')}"
    if source.get("outcome") != "accepted":
        return f"its provenance record's outcome is {source.get('outcome')}"
    for key in ("url", "content_sha256"):
        if source.get(key) != record.get(key):
            return f"`{key}` differs from its provenance record"
    expected = source.get("document_sha256")
    if expected is not None and expected != document_digest(record):
        return "the document differs from the one provenance recorded"
    return None


def verify_dataset(
    lines: Iterable[Line], by_hash: dict[str, dict[str, Any]], report: VerifyReport
) -> None:
    """Each document matches one accepted record, and each accepted record has one document."""
    first_seen: dict[str, str] = {}
    for name, number, record in lines:
        where = f"{name}:{number}"
        if isinstance(record, str):
            report.problems.append(f"{where}: {record}")
            return
        report.dataset_records += 1
        problem = _document_problem(record, by_hash)
        if problem is not None:
            report.problems.append(f"{where}: {problem}")
            return
        digest = str(record["provenance"])
        if digest in first_seen:
            report.problems.append(
                f"{where}: a second document for the provenance record {digest[:16]} (the first "
                f"is {first_seen[digest]}); an accepted record has exactly one"
            )
            continue
        first_seen[digest] = where
    superseded = {str(r.get("supersedes")) for r in by_hash.values() if r.get("supersedes")}
    for digest, source in by_hash.items():
        if (
            source.get("outcome") == "accepted"
            and digest not in first_seen
            and digest not in superseded
        ):
            report.problems.append(
                f"{PROVENANCE_FILE}: accepted record for {source.get('url')} has no dataset record"
            )
            return


def _store_rows(path: Path) -> list[sqlite3.Row]:
    """The queue's items without their text, read-only (a verifier never writes the store)."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    db.row_factory = sqlite3.Row
    try:
        return db.execute(
            "SELECT id, url, provenance, status, reviewer, decided_at, decision_provenance"
            " FROM items ORDER BY quarantined_at, id"
        ).fetchall()
    finally:
        db.close()


def _is_review_decision(record: dict[str, Any]) -> bool:
    reasons = record.get("reasons")
    codes = {code for _outcome, code in REVIEW_DECISIONS.values()}
    return (
        bool(record.get("supersedes"))
        and isinstance(reasons, list)
        and any(isinstance(code, str) and code in codes for code in reasons)
    )


def _item_problem(row: sqlite3.Row, by_hash: dict[str, dict[str, Any]]) -> str | None:
    held = by_hash.get(str(row["provenance"]))
    if held is None:
        return f"its quarantine record {str(row['provenance'])[:16]} is not in {PROVENANCE_FILE}"
    if held.get("outcome") != "quarantined" or held.get("url") != row["url"]:
        return f"its record {str(row['provenance'])[:16]} is not this URL's quarantine record"
    if row["status"] not in REVIEW_DECISIONS:
        return None
    decision = by_hash.get(str(row["decision_provenance"]))
    if decision is None:
        return (
            f"{row['status']} by {row['reviewer']} at {row['decided_at']}, but its decision "
            f"record {str(row['decision_provenance'])[:16]} is not in {PROVENANCE_FILE}: the log "
            "was cut or rewritten"
        )
    outcome, code = REVIEW_DECISIONS[row["status"]]
    if (
        decision.get("supersedes") != row["provenance"]
        or decision.get("outcome") != outcome
        or code not in (decision.get("reasons") or [])
    ):
        return (
            f"its decision record {str(row['decision_provenance'])[:16]} records another decision"
        )
    return None


def _unheld(by_hash: dict[str, dict[str, Any]]) -> set[str]:
    """Quarantine records whose item a crash lost before the store got it (resume said so)."""
    return {
        str(r.get("supersedes")) for r in by_hash.values() if r.get("reasons") == ["lost-on-crash"]
    }


def _chain_against_store(
    rows: list[sqlite3.Row], by_hash: dict[str, dict[str, Any]], name: str, report: VerifyReport
) -> None:
    exempt = {row["provenance"] for row in rows} | _unheld(by_hash)
    decided = {row["decision_provenance"] for row in rows if row["decision_provenance"]}
    for number, (digest, record) in enumerate(by_hash.items(), start=1):
        where, url = f"{PROVENANCE_FILE}:{number}", record.get("url")
        if record.get("outcome") == "quarantined" and digest not in exempt:
            report.problems.append(f"{where}: quarantined record for {url} has no item in {name}")
        elif _is_review_decision(record) and digest not in decided:
            report.problems.append(
                f"{where}: review decision for {url} is not the decision {name} holds"
            )


def verify_quarantine(path: Path, by_hash: dict[str, dict[str, Any]], report: VerifyReport) -> None:
    """Every store item has its records in the chain, and every quarantine record and review
    decision in the chain has its item: a decision cut from the log's end shows up here."""
    if not path.is_file():
        unheld = _unheld(by_hash)
        count = sum(
            1 for d, r in by_hash.items() if r.get("outcome") == "quarantined" and d not in unheld
        )
        if count:
            report.problems.append(f"{path.name}: missing, yet {count} records were quarantined")
        return
    try:
        rows = _store_rows(path)
    except sqlite3.Error as exc:
        report.problems.append(f"{path.name}: cannot be read ({exc})")
        return
    for row in rows:
        problem = _item_problem(row, by_hash)
        if problem is not None:
            report.problems.append(f"{path.name}: item {row['id']} ({row['url']}): {problem}")
    _chain_against_store(rows, by_hash, path.name, report)


def _dataset_lines(path: Path) -> list[Line]:
    if not path.is_file():
        return []
    return [
        (path.name, n, rec if rec is not None else line_problem(raw))
        for n, rec, raw in read_jsonl(path)
    ]


def verify_output(
    directory: Path | str, head: str | None = None, require_store: bool = False
) -> VerifyReport:
    """Chain, dataset and the quarantine store (when there is one, or always with require_store:
    a staged copy for export has none); with `head`, that anchored hash must be in the chain."""
    from crawler.quarantine import QUARANTINE_FILE  # it imports this module

    directory = Path(directory)
    report = VerifyReport()
    provenance = directory / PROVENANCE_FILE
    if not provenance.is_file():
        report.problems.append(f"{provenance}: missing")
        return report
    by_hash = verify_chain(provenance, report)
    if report.problems:
        return report
    if head is not None:
        check_anchor(by_hash, head, PROVENANCE_FILE, report)
    verify_dataset(_dataset_lines(directory / DATASET_FILE), by_hash, report)
    store = directory / QUARANTINE_FILE
    if store.is_file() or require_store:
        verify_quarantine(store, by_hash, report)
    return report
