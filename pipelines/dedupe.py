"""Exact-duplicate detection: a page whose main text was already seen in this crawl is tagged.

The fingerprint (a hash of the whitespace-normalised main text, before PII redaction, so two
copies redacted differently still match) is taken in the worker; the memory of what was seen is
the crawl's and lives on the reactor. It only tags; `decide` drops.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from crawler.items import Page
from pipelines.findings import DedupeFindings

if TYPE_CHECKING:
    from pipelines.analysis import StepConfig
    from pipelines.document import Document

SPACES = re.compile(r"\s+")


def text_fingerprint(text: str) -> str:
    return hashlib.sha256(SPACES.sub(" ", text).strip().lower().encode("utf-8")).hexdigest()


class FingerprintStep:
    name = "fingerprint"

    @classmethod
    def from_config(cls, config: StepConfig) -> FingerprintStep:
        return cls()

    def observe(self, page: Page, document: Document) -> str | None:
        return text_fingerprint(page.text) if page.text.strip() else None


class Dedupe:
    """The first URL seen with each text; texts an earlier run of this crawl kept stay kept."""

    def __init__(self, seen: dict[str, str]) -> None:
        self.first_url: dict[str, str] = dict(seen)

    def observe(self, page: Page) -> None:
        fingerprint = page.findings.fingerprint
        if page.errors or fingerprint is None:
            return
        first = self.first_url.setdefault(fingerprint, page.url)
        page.findings.dedupe = DedupeFindings(fingerprint, first if first != page.url else None)
