"""What each analysis step observed on a page: one frozen dataclass per step, never page text.

Steps return these; `decide` reads them; provenance keeps only their `summary()`. Values that
came from the page (evidence snippets, marker contexts) have been through the PII step before a
findings object leaves the worker.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from crawler.signals.types import Signal
from pipelines.licences.evidence import Evidence


def signal_dict(signal: Signal) -> dict[str, Any]:
    """A signal as provenance and the review queue show it."""
    return {
        "code": signal.code,
        "source": signal.source,
        "evidence": signal.evidence,
        **signal.detail,
    }


@dataclass(frozen=True)
class Rewrite:
    """Content a step produced or changed; the analyzer applies it to the page, and the findings
    keep none of it."""

    text: str | None = None
    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None


@dataclass(frozen=True)
class Paywall:
    signal: Signal
    selectors: tuple[str, ...]
    cuttable: bool  # every selector is valid CSS, so the sections can be cut from the text

    def as_dict(self) -> dict[str, Any]:
        return {
            **signal_dict(self.signal),
            "selectors": list(self.selectors),
            "cuttable": self.cuttable,
        }


@dataclass(frozen=True)
class OptoutFindings:
    """Every page-level signal, whatever the policy's usage: `decide` picks what applies."""

    signals: tuple[Signal, ...] = ()
    paywall: Paywall | None = None
    nofollow: bool = False

    def summary(self) -> dict[str, Any]:
        found: dict[str, Any] = {"signals": sorted({s.code for s in self.signals})}
        if self.paywall is not None:
            found["paywall"] = True
        return found


@dataclass(frozen=True)
class ExtractFindings:
    chars: int = 0
    too_complex: bool = False
    # paywalled sections (JSON-LD isAccessibleForFree) cut from the text before extraction
    cut_sections: int = 0
    rewrite: Rewrite | None = None

    def summary(self) -> dict[str, Any]:
        found: dict[str, Any] = {"chars": self.chars}
        if self.too_complex:
            found["too_complex"] = True
        return found


@dataclass(frozen=True)
class Marker:
    marker: str
    where: str
    form: str
    weight: float
    language: str | None
    context: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "marker": self.marker,
            "where": self.where,
            "form": self.form,
            "weight": self.weight,
            "language": self.language,
            "context": self.context,
        }


@dataclass(frozen=True)
class SecretsFindings:
    credentials: Mapping[str, int] = field(default_factory=dict)
    markers: tuple[Marker, ...] = ()
    marker_count: int = 0
    confidential_score: float = 0.0
    rewrite: Rewrite | None = None

    def summary(self) -> dict[str, Any]:
        return {
            "credentials": dict(self.credentials),
            "markers": self.marker_count,
            "confidential_score": self.confidential_score,
        }


@dataclass(frozen=True)
class LanguageFindings:
    language: str | None = None
    probability: float | None = None


@dataclass(frozen=True)
class LicenceFindings:
    licence: str = "unknown"
    evidence: tuple[Evidence, ...] = ()
    rightsholder: str | None = None
    holder_evidence: Evidence | None = None
    conflict: bool = False
    sources: tuple[str, ...] = ()

    def summary(self) -> dict[str, Any]:
        return {
            "licence": self.licence,
            "sources": list(self.sources),
            "rightsholder": self.rightsholder is not None,
            "conflict": self.conflict,
        }

    def evidence_dicts(self) -> list[dict[str, Any]]:
        return [e.as_dict() for e in self.evidence]


@dataclass(frozen=True)
class Redacted:
    """Earlier steps' findings with the personal data in their values removed."""

    optouts: OptoutFindings | None = None
    secrets: SecretsFindings | None = None
    licence: LicenceFindings | None = None


@dataclass(frozen=True)
class PiiFindings:
    counts: Mapping[str, int] = field(default_factory=dict)
    share: float = 0.0  # of the main text's words
    rewrite: Rewrite | None = None
    redacted: Redacted | None = None

    def summary(self) -> dict[str, Any]:
        return {"counts": dict(self.counts), "share": round(self.share, 4)}


@dataclass(frozen=True)
class DedupeFindings:
    text_sha256: str
    duplicate_of: str | None = None

    def summary(self) -> dict[str, Any]:
        return {"text_sha256": self.text_sha256}


@dataclass(frozen=True)
class Truncated:
    analysed_bytes: int
    body_bytes: int

    def summary(self) -> dict[str, Any]:
        return {"analysed_bytes": self.analysed_bytes, "body_bytes": self.body_bytes}


@dataclass
class Findings:
    """Every step's findings for one page, in step order; None where a step did not run."""

    truncated: Truncated | None = None
    optouts: OptoutFindings | None = None
    extract: ExtractFindings | None = None
    secrets: SecretsFindings | None = None
    language: LanguageFindings | None = None
    licence: LicenceFindings | None = None
    fingerprint: str | None = None  # of the main text before PII redaction, for dedupe
    dedupe: DedupeFindings | None = None
    pii: PiiFindings | None = None

    def summaries(self) -> dict[str, Any]:
        """What provenance keeps: counts and types, in the order the steps ran."""
        found: dict[str, Any] = {}
        for name in ("truncated", "optouts", "extract", "secrets", "licence", "dedupe", "pii"):
            value = getattr(self, name)
            if value is not None:
                found[name] = value.summary()
        return found
