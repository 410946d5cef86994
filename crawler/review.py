"""Review decisions on quarantined pages, written so the provenance chain still verifies.

Approving appends the held item to dataset.jsonl with a new provenance record (outcome `accepted`,
reason `review-approved`, reviewer, note) that supersedes the quarantine record; rejecting
appends a `review-rejected` record and deletes the held text. Both run inside the store's
transaction: a decision never exists without its record.
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Any

from crawler.dataset import DatasetWriter, document_digest
from crawler.provenance import (
    DATASET_FILE,
    PROVENANCE_FILE,
    ProvenanceLog,
    torn_record,
    utc_now,
)
from crawler.quarantine import QUARANTINE_FILE, DecisionError, QuarantineStore, QueueItem


def default_reviewer() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def find_record(path: Path, digest: str) -> dict[str, Any] | None:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if digest in line:
                record: dict[str, Any] = json.loads(line)
                if record.get("hash") == digest:
                    return record
    return None


class Review:
    """The quarantine queue of one output directory, with the writers a decision needs."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)
        if not (self.directory / QUARANTINE_FILE).is_file():
            raise DecisionError(
                f"{self.directory}: no {QUARANTINE_FILE} here (not a crawl output?)"
            )
        self.store = QuarantineStore.in_dir(self.directory)

    def _decision_record(
        self, item: QueueItem, outcome: str, reason: str, reviewer: str, note: str | None
    ) -> dict[str, Any]:
        original = find_record(self.directory / PROVENANCE_FILE, item.provenance) or {}
        document = item.item or {}
        return {
            "url": item.url,
            "time": utc_now(),
            "outcome": outcome,
            "reasons": [reason],
            "status": original.get("status"),
            "content_sha256": document.get("content_sha256", original.get("content_sha256")),
            "robots": original.get("robots"),
            "policy": original.get("policy"),
            "agent": original.get("agent"),
            "final": True,
            "supersedes": item.provenance,
            "reviewer": reviewer,
            "note": note,
        }

    def approve(self, item_id: str, reviewer: str, note: str | None = None) -> QueueItem:
        def record(item: QueueItem) -> str:
            if item.item is None:
                raise DecisionError(f"{item.id}: the held item is missing; cannot approve")
            document = {k: v for k, v in item.item.items() if k != "provenance"}
            entry = self._decision_record(item, "accepted", "review-approved", reviewer, note)
            entry["document_sha256"] = document_digest(document)
            log = self._log()
            dataset = DatasetWriter(self.directory / DATASET_FILE)
            try:
                if dataset.torn is not None:
                    log.append(torn_record(dataset.torn))
                written = log.append(entry)
                dataset.append({**document, "provenance": written["hash"]})
            finally:
                log.close()
                dataset.close()
            return str(written["hash"])

        return self.store.decide(item_id, "approved", reviewer, note, record)

    def reject(self, item_id: str, reviewer: str, note: str | None = None) -> QueueItem:
        def record(item: QueueItem) -> str:
            entry = self._decision_record(item, "dropped", "review-rejected", reviewer, note)
            log = self._log()
            try:
                written = log.append(entry)
            finally:
                log.close()
            return str(written["hash"])

        return self.store.decide(item_id, "rejected", reviewer, note, record)

    def _log(self) -> ProvenanceLog:
        log = ProvenanceLog(self.directory / PROVENANCE_FILE)
        if log.torn is not None:
            log.append(torn_record(log.torn))
        return log

    def close(self) -> None:
        self.store.close()


class MergedStore:
    """The queues of several workers' output directories read as one (a merge at read time)."""

    def __init__(self, reviews: list[Review]) -> None:
        self.reviews = reviews

    def items(
        self, status: str | None = None, reason: str | None = None, domain: str | None = None
    ) -> list[QueueItem]:
        found = [i for r in self.reviews for i in r.store.items(status, reason, domain)]
        return sorted(found, key=lambda i: (i.quarantined_at, i.id))

    def get(self, item_id: str) -> QueueItem | None:
        return next((i for r in self.reviews if (i := r.store.get(item_id))), None)

    def owner(self, item_id: str) -> Review:
        for review in self.reviews:
            if review.store.get(item_id) is not None:
                return review
        raise DecisionError(f"{item_id}: no such item in the quarantine queue")

    def stats(self) -> dict[str, Any]:
        merged: dict[str, Any] = {"total": 0, "by_status": {}, "pending_by_reason": {}}
        for review in self.reviews:
            part = review.store.stats()
            merged["total"] += part["total"]
            for key in ("by_status", "pending_by_reason"):
                for name, count in part[key].items():
                    merged[key][name] = merged[key].get(name, 0) + count
        return merged


class ClusterReview:
    """All workers' queues of a distributed crawl (<output>/workers/*) reviewed as one queue;
    each decision is written to the worker directory that holds the item, in its own chain."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        workers = sorted(p.parent for p in directory.glob(f"workers/*/{QUARANTINE_FILE}"))
        self.store = MergedStore([Review(w) for w in workers])

    def approve(self, item_id: str, reviewer: str, note: str | None = None) -> QueueItem:
        return self.store.owner(item_id).approve(item_id, reviewer, note)

    def reject(self, item_id: str, reviewer: str, note: str | None = None) -> QueueItem:
        return self.store.owner(item_id).reject(item_id, reviewer, note)

    def close(self) -> None:
        for review in self.store.reviews:
            review.close()


def open_review(directory: Path | str) -> Review | ClusterReview:
    """The queue of a crawl output directory, or of all workers under a distributed one."""
    directory = Path(directory)
    if not (directory / QUARANTINE_FILE).is_file() and any(
        directory.glob(f"workers/*/{QUARANTINE_FILE}")
    ):
        return ClusterReview(directory)
    return Review(directory)
