"""The secrets step: credentials removed from the page's text and title, confidentiality markers
weighed by where they stand on the page (core in pipelines.secrets). It only observes and rewrites
the text; no credential value may reach a finding, a log line or an error message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.items import Page
from pipelines.document import Document
from pipelines.findings import Marker, Rewrite, SecretsFindings
from pipelines.secrets.scan import scan_secrets
from pipelines.secrets.zones import zones_of

if TYPE_CHECKING:
    from pipelines.analysis import StepConfig


class SecretsScanFailed(Exception):
    """The scan failed; the message names the error type only (the original may quote the page)."""


def secrets_findings(result: dict[str, Any]) -> SecretsFindings:
    markers = tuple(Marker(**marker) for marker in result["markers"])
    return SecretsFindings(
        credentials=result["credentials"],
        markers=markers,
        marker_count=result["summary"]["markers"],
        confidential_score=result["confidential_score"],
        rewrite=Rewrite(text=result["text"], title=result["title"]),
    )


class SecretsStep:
    name = "secrets"

    @classmethod
    def from_config(cls, config: StepConfig) -> SecretsStep:
        return cls()

    def observe(self, page: Page, document: Document) -> SecretsFindings:
        try:
            page_zones = zones_of(document.working_copy())
            result = scan_secrets(document.html, page.text, page.title, page_zones)
        except Exception as exc:
            raise SecretsScanFailed(type(exc).__name__) from None
        return secrets_findings(result)
