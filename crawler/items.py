"""The Page item: a fetched HTML document travelling through the analysis steps.

Steps add findings (typed, in `pipelines.findings`) and rewrite the content fields; only
`decide` sets `outcome`, `reasons` and `evidence`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipelines.findings import Findings


@dataclass(repr=False)
class Page:
    url: str
    status: int
    body: bytes
    encoding: str
    content_type: str
    fetched_at: str
    content_sha256: str
    headers: dict[str, list[str]] = field(default_factory=dict)
    site_signals: list[dict[str, Any]] = field(default_factory=list)
    robots: dict[str, Any] | None = None
    requested_at: str | None = None
    depth: int = 0
    referer: str | None = None
    # Filled by the stages.
    text: str = ""
    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None
    language: str | None = None
    language_probability: float | None = None
    findings: Findings = field(default_factory=Findings)
    errors: list[str] = field(default_factory=list)
    # Set by decide only.
    outcome: str | None = None
    reasons: list[str] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def __repr__(self) -> str:
        # Never print text or body: they may hold personal data (logs reach consoles).
        return f"<Page {self.url} status={self.status} outcome={self.outcome}>"
