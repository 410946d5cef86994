"""The quarantine store: pages the rules could not settle alone, waiting for a person.

`quarantine.sqlite` (WAL, owner-only) holds each item as it would enter the dataset (text already
redacted), its reasons and evidence, and the decision. A crawl and a reviewer may use it at once.
Approving releases the item into the dataset with a provenance record of the decision; rejecting
deletes the held content and keeps the decision. A decision is final: a second one is refused.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.provenance import utc_now

QUARANTINE_FILE = "quarantine.sqlite"
STATUSES = ("pending", "approved", "rejected")

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    domain TEXT NOT NULL,
    quarantined_at TEXT NOT NULL,
    reasons TEXT NOT NULL,
    evidence TEXT NOT NULL,
    item TEXT,
    provenance TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'rejected')),
    reviewer TEXT,
    decided_at TEXT,
    note TEXT,
    decision_provenance TEXT
);
CREATE INDEX IF NOT EXISTS items_status ON items(status);
"""


class DecisionError(Exception):
    """A review decision that cannot be made (unknown id, already decided)."""


@dataclass(frozen=True)
class QueueItem:
    id: str
    url: str
    domain: str
    quarantined_at: str
    reasons: list[str]
    evidence: list[dict[str, Any]]
    item: dict[str, Any] | None
    provenance: str
    status: str
    reviewer: str | None
    decided_at: str | None
    note: str | None
    decision_provenance: str | None

    def summary(self) -> dict[str, Any]:
        """The stable JSON shape of `ccrawl quarantine list --json`."""
        return {
            "id": self.id,
            "url": self.url,
            "domain": self.domain,
            "reasons": self.reasons,
            "status": self.status,
            "quarantined_at": self.quarantined_at,
            "reviewer": self.reviewer,
            "decided_at": self.decided_at,
            "note": self.note,
            "title": (self.item or {}).get("title"),
        }


def _row_to_item(row: sqlite3.Row) -> QueueItem:
    return QueueItem(
        id=row["id"],
        url=row["url"],
        domain=row["domain"],
        quarantined_at=row["quarantined_at"],
        reasons=json.loads(row["reasons"]),
        evidence=json.loads(row["evidence"]),
        item=json.loads(row["item"]) if row["item"] else None,
        provenance=row["provenance"],
        status=row["status"],
        reviewer=row["reviewer"],
        decided_at=row["decided_at"],
        note=row["note"],
        decision_provenance=row["decision_provenance"],
    )


class QuarantineStore:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        previous = os.umask(0o077)  # the -wal and -shm files hold item text too
        try:
            self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA busy_timeout=30000")
            # rejected text is overwritten on disk, not just unlinked from the b-tree
            self._db.execute("PRAGMA secure_delete=ON")
            self._db.executescript(SCHEMA)
        finally:
            os.umask(previous)

    @classmethod
    def in_dir(cls, directory: Path | str) -> QuarantineStore:
        return cls(Path(directory) / QUARANTINE_FILE)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def add(
        self,
        item_id: str,
        url: str,
        reasons: list[str],
        evidence: list[dict[str, Any]],
        item: dict[str, Any],
        provenance: str,
    ) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO items (id, url, domain, quarantined_at, reasons, evidence,"
                " item, provenance) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    item_id,
                    url,
                    (urlsplit(url).hostname or "").lower(),
                    utc_now(),
                    json.dumps(reasons),
                    json.dumps(evidence, ensure_ascii=False),
                    json.dumps(item, ensure_ascii=False),
                    provenance,
                ),
            )

    def get(self, item_id: str) -> QueueItem | None:
        row = self._db.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
        return _row_to_item(row) if row else None

    def items(
        self, status: str | None = None, reason: str | None = None, domain: str | None = None
    ) -> list[QueueItem]:
        rows = self._db.execute("SELECT * FROM items ORDER BY quarantined_at, id").fetchall()
        found = [_row_to_item(r) for r in rows]
        return [
            i
            for i in found
            if (status is None or i.status == status)
            and (reason is None or reason in i.reasons)
            and (domain is None or i.domain == domain.lower())
        ]

    def stats(self) -> dict[str, Any]:
        items = self.items()
        by_status = {s: sum(1 for i in items if i.status == s) for s in STATUSES}
        by_reason: dict[str, int] = {}
        for i in items:
            if i.status == "pending":
                for r in i.reasons:
                    by_reason[r] = by_reason.get(r, 0) + 1
        return {"total": len(items), "by_status": by_status, "pending_by_reason": by_reason}

    def decide(
        self,
        item_id: str,
        status: str,
        reviewer: str,
        note: str | None,
        record_decision: Any,
    ) -> QueueItem:
        """Mark an item approved or rejected; `record_decision(item)` writes the provenance
        (and, for approvals, the dataset record) inside the same transaction and returns the
        decision's provenance hash, so a crash never leaves a decision without its record."""
        if status not in ("approved", "rejected"):
            raise DecisionError(f"unknown decision {status!r}")
        with self._transaction() as db:
            row = db.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
            if row is None:
                raise DecisionError(f"{item_id}: no such item in the quarantine queue")
            current = _row_to_item(row)
            if current.status != "pending":
                raise DecisionError(
                    f"{item_id}: already {current.status} by {current.reviewer or '?'} at "
                    f"{current.decided_at}; a decision is final"
                )
            digest = record_decision(current)
            evidence = current.evidence
            if status == "rejected":  # the held text goes, including the context snippets
                evidence = [{k: v for k, v in e.items() if k != "context"} for e in evidence]
            db.execute(
                "UPDATE items SET status = ?, reviewer = ?, decided_at = ?, note = ?,"
                " decision_provenance = ?, evidence = ?,"
                " item = CASE WHEN ? = 'rejected' THEN NULL ELSE item END WHERE id = ?",
                (
                    status,
                    reviewer,
                    utc_now(),
                    note,
                    digest,
                    json.dumps(evidence, ensure_ascii=False),
                    status,
                    item_id,
                ),
            )
        decided = self.get(item_id)
        assert decided is not None
        return decided

    def close(self) -> None:
        self._db.close()
