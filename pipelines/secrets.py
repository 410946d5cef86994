"""The secrets stage: credentials removed from the page's text and title, confidentiality markers
weighed (core in crawler.secrets, run in a worker). It only annotates, never decides, and no
credential value may reach a finding, a log line or an error message.
"""

from __future__ import annotations

from typing import Any

from crawler.items import Page
from crawler.secrets import scan_secrets
from crawler.workers import AnalysisTimeout, WorkerDied
from pipelines.base import Stage
from pipelines.extract import decode_body


class SecretsScanFailed(Exception):
    """The scan failed; the message names the error type only (the original may quote the page)."""


def scan_page(body: bytes, encoding: str, text: str, title: str | None) -> dict[str, Any]:
    """Decodes in the worker, so the reactor's thread is spared a large body's decoding."""
    return scan_secrets(decode_body(body, encoding), text, title)


class SecretsPipeline(Stage):
    name = "secrets"

    async def observe(self, page: Page) -> None:
        try:
            result = await self.pool.run(scan_page, page.body, page.encoding, page.text, page.title)
        except (WorkerDied, AnalysisTimeout):
            raise  # their messages are ours and name no page content
        except Exception as exc:
            raise SecretsScanFailed(type(exc).__name__) from None
        page.text = result["text"]
        page.title = result["title"]
        page.findings["secrets"] = {
            key: value for key, value in result.items() if key not in ("text", "title")
        }
