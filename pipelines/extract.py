"""Main-text extraction with trafilatura: the article text, title, author, date and site name.

Boilerplate (navigation, footers, sidebars) must not reach the dataset. The core `extract_main_text`
is pure and runs in a worker process.
"""

from __future__ import annotations

import codecs
from typing import Any

import lxml.html
import trafilatura

from crawler.items import Page
from pipelines.base import Stage


def decode_body(body: bytes, encoding: str) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "utf-8"
    return body.decode(encoding, errors="replace")


def without_sections(html: str, selectors: list[str]) -> Any:
    """The page as an lxml tree with the elements matching `selectors` removed (paywalled parts)."""
    tree = lxml.html.fromstring(html)
    for selector in selectors:
        for element in tree.cssselect(selector):
            element.drop_tree()
    return tree


def extract_main_text(
    body: bytes, encoding: str, url: str, cut_selectors: list[str] | None = None
) -> dict[str, Any]:
    html = decode_body(body, encoding)
    source: Any = without_sections(html, cut_selectors) if cut_selectors else html
    document = trafilatura.bare_extraction(
        source,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
    )
    if document is None:
        return {"text": ""}
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    return {
        "text": (data.get("text") or "").strip(),
        "title": data.get("title"),
        "author": data.get("author"),
        "date": data.get("date"),
        "sitename": data.get("sitename"),
    }


class ExtractPipeline(Stage):
    name = "extract"

    async def observe(self, page: Page) -> None:
        paywall = page.findings.get("optouts", {}).get("paywall")
        cut = None
        if paywall and paywall["cuttable"] and self.policy.access.paywalled_sections == "cut":
            cut = paywall["selectors"]
        result = await self.pool.run(extract_main_text, page.body, page.encoding, page.url, cut)
        page.text = result["text"]
        page.title = result.get("title")
        page.author = result.get("author")
        page.date = result.get("date")
        page.sitename = result.get("sitename")
        page.findings["extract"] = {"summary": {"chars": len(page.text)}}
