"""The licence step: the SPDX licence a page is under, its rights holder, and the evidence.

It decides nothing (`decide` applies the policy's `licences` rules) and never guesses: a licence
it cannot read is "unknown".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.items import Page
from pipelines.document import Document
from pipelines.findings import LicenceFindings
from pipelines.licences import headers as http_headers
from pipelines.licences.evidence import MEDIA, Evidence
from pipelines.licences.markup import page_signals, signals_in_tree
from pipelines.licences.resolve import resolve, rightsholder

if TYPE_CHECKING:
    from pipelines.analysis import StepConfig

MAX_EVIDENCE = 100


def resolve_licence(
    found: tuple[list[Evidence], list[Any]],
    headers: dict[str, list[str]],
    site_signals: list[dict[str, Any]],
) -> LicenceFindings:
    headers = headers if isinstance(headers, dict) else {}
    evidence = http_headers.link_header_licences(headers.get("link", []))
    page_evidence, holders = found
    evidence += page_evidence
    evidence += http_headers.rsl(headers, site_signals)
    evidence = list(dict.fromkeys(evidence))
    licence, conflict = resolve(evidence)
    holder = rightsholder(holders)
    sources = [e.where for e in evidence if e.spdx == licence and e.level != MEDIA]
    return LicenceFindings(
        licence=licence,
        evidence=tuple(evidence[:MAX_EVIDENCE]),
        rightsholder=holder.name if holder else None,
        holder_evidence=Evidence(holder.where, holder.value, None, "") if holder else None,
        conflict=conflict,
        sources=tuple(dict.fromkeys(sources)),
    )


def licence_findings(
    html: str,
    url: str,
    headers: dict[str, list[str]],
    site_signals: list[dict[str, Any]],
    main_text: str | None = None,
) -> dict[str, Any]:
    """The licence findings of the page at `url` from its HTML, as provenance and tests read
    them (relative links resolve against `url`)."""
    page = page_signals(html if isinstance(html, str) else "", url, main_text)
    return as_dict(resolve_licence(page, headers, site_signals))


def as_dict(found: LicenceFindings) -> dict[str, Any]:
    holder = found.holder_evidence
    return {
        "licence": found.licence,
        "evidence": found.evidence_dicts(),
        "rightsholder": found.rightsholder,
        "rightsholder_evidence": {"where": holder.where, "value": holder.value} if holder else None,
        "conflict": found.conflict,
        "summary": found.summary(),
    }


class LicenceStep:
    name = "licence"

    @classmethod
    def from_config(cls, config: StepConfig) -> LicenceStep:
        return cls()

    def observe(self, page: Page, document: Document) -> LicenceFindings:
        found = signals_in_tree(document.tree, page.url, page.text or None)
        return resolve_licence(found, page.headers, page.site_signals)
