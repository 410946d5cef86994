"""Exact-duplicate detection: a page whose main text was already seen in this crawl is tagged.

Compares a hash of the whitespace-normalised main text, so the same article under two URLs
(`/` and `/index.html`, print views) is kept once. It only tags; `decide` drops.
"""

from __future__ import annotations

import hashlib
import re

from crawler.items import Page
from pipelines.base import Stage

SPACES = re.compile(r"\s+")
FINGERPRINT_KEY = "_text_fingerprint"


def text_fingerprint(text: str) -> str:
    return hashlib.sha256(SPACES.sub(" ", text).strip().lower().encode("utf-8")).hexdigest()


class DedupePipeline(Stage):
    name = "dedupe"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # texts kept by an earlier run of this crawl (resume) stay kept once
        self.first_url: dict[str, str] = dict(self.context.resume.fingerprints)

    async def observe(self, page: Page) -> None:
        # The one-call analysis path computes the fingerprint in the worker, at this stage's
        # place in the chain (before PII redaction), and leaves it here.
        precomputed = page.findings.pop(FINGERPRINT_KEY, None)
        if not page.text.strip():
            return
        fingerprint = precomputed or text_fingerprint(page.text)
        first = self.first_url.setdefault(fingerprint, page.url)
        finding: dict[str, object] = {"summary": {"text_sha256": fingerprint}}
        if first != page.url:
            finding["of"] = first
        page.findings["dedupe"] = finding
