"""The licence stage: the SPDX licence a page is under, its rights holder, and the evidence.

It decides nothing (`decide` applies the policy's `licences` rules) and never guesses: a licence
it cannot read is "unknown". The core `licence_findings` is pure and runs in a worker process.
"""

from __future__ import annotations

from typing import Any

from crawler.items import Page
from crawler.licences import headers as http_headers
from crawler.licences.evidence import MEDIA
from crawler.licences.markup import page_signals
from crawler.licences.resolve import resolve, rightsholder
from pipelines.base import Stage
from pipelines.extract import decode_body

MAX_EVIDENCE = 100


def licence_findings(
    html: str,
    url: str,
    headers: dict[str, list[str]],
    site_signals: list[dict[str, Any]],
    main_text: str | None = None,
) -> dict[str, Any]:
    """Licence, evidence and rights holder of the page at `url` (relative links resolve there)."""
    headers = headers if isinstance(headers, dict) else {}
    evidence = http_headers.link_header_licences(headers.get("link", []))
    found, holders = page_signals(html if isinstance(html, str) else "", url, main_text)
    evidence += found
    evidence += http_headers.rsl(headers, site_signals)
    evidence = list(dict.fromkeys(evidence))
    licence, conflict = resolve(evidence)
    holder = rightsholder(holders)
    sources = [e.where for e in evidence if e.spdx == licence and e.level != MEDIA]
    return {
        "licence": licence,
        "evidence": [e.as_dict() for e in evidence[:MAX_EVIDENCE]],
        "rightsholder": holder.name if holder else None,
        "rightsholder_evidence": {"where": holder.where, "value": holder.value} if holder else None,
        "conflict": conflict,
        "summary": {
            "licence": licence,
            "sources": list(dict.fromkeys(sources)),
            "rightsholder": holder is not None,
            "conflict": conflict,
        },
    }


class LicencePipeline(Stage):
    name = "licence"

    async def observe(self, page: Page) -> None:
        html = decode_body(page.body, page.encoding)
        page.findings["licence"] = await self.pool.run(
            licence_findings, html, page.url, page.headers, page.site_signals, page.text or None
        )
