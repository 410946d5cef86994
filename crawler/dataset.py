"""The dataset writer: accepted documents, one JSON object a line, flushed per record.

Only text that went through every stage reaches it; it never writes PII values or secrets.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from crawler.items import Page
from crawler.jsonl import JsonlAppender, TornTail, canonical_json
from crawler.redact import redact_url


def document_id(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:24]


def document_digest(record: dict[str, Any]) -> str:
    """sha256 of a dataset record without its `provenance` field (which points back at it)."""
    body = {k: v for k, v in record.items() if k != "provenance"}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def dataset_record(page: Page, provenance_hash: str, urls: str = "redact") -> dict[str, Any]:
    licence = page.findings.licence
    pii = page.findings.pii
    return {
        "id": document_id(page.url),
        "url": redact_url(page.url) if urls == "redact" else page.url,
        "fetched_at": page.fetched_at,
        "title": page.title,
        "text": page.text,
        "language": page.language,
        "language_probability": page.language_probability,
        "licence": licence.licence if licence else "unknown",
        "licence_evidence": licence.evidence_dicts() if licence else [],
        "rightsholder": licence.rightsholder if licence else None,
        "author": page.author,
        "date": page.date,
        "sitename": page.sitename,
        "content_sha256": page.content_sha256,
        "provenance": provenance_hash,
        "redactions": dict(pii.counts) if pii else {},
    }


class DatasetWriter:
    def __init__(self, path: Path | str) -> None:
        self._file = JsonlAppender(path)
        self.torn: TornTail | None = self._file.torn

    def append(self, record: dict[str, Any]) -> None:
        self._file.append(record)

    def close(self) -> None:
        self._file.close()
