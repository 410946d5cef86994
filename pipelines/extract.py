"""Main-text extraction with trafilatura: the article text, title, author, date and site name.

Boilerplate (navigation, footers, sidebars) must not reach the dataset. The core `extract_main_text`
is pure and runs in a worker process.
"""

from __future__ import annotations

import codecs
from typing import Any

import trafilatura
from trafilatura.utils import load_html

from crawler.items import Page
from pipelines.base import Stage


def decode_body(body: bytes, encoding: str) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "utf-8"
    return body.decode(encoding, errors="replace")


def without_sections(tree: Any, selectors: list[str]) -> Any:
    """The tree with the elements matching `selectors` removed (paywalled parts)."""
    for selector in selectors:
        for element in tree.cssselect(selector):
            element.drop_tree()
    return tree


def element_count(tree: Any, limit: int) -> int:
    """Elements in the tree, counting stops just past `limit`."""
    count = 0
    for _ in tree.iter():
        count += 1
        if count > limit:
            break
    return count


def extract_main_text(
    body: bytes,
    encoding: str,
    url: str,
    cut_selectors: list[str] | None = None,
    max_elements: int = 100_000,
) -> dict[str, Any]:
    html = decode_body(body, encoding)
    # Parsed once with trafilatura's own loader, so the result is what it would extract itself.
    tree = load_html(html)
    if tree is None:
        return {"text": ""}
    if element_count(tree, max_elements) > max_elements:
        # trafilatura's work grows with the tree; a trap page of 500,000 elements is not text.
        return {"text": "", "too_complex": True}
    if cut_selectors:
        tree = without_sections(tree, cut_selectors)
    document = trafilatura.bare_extraction(
        tree,
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
        result = await self.pool.run(
            extract_main_text,
            page.body,
            page.encoding,
            page.url,
            cut,
            self.policy.content.max_elements,
        )
        page.text = result["text"]
        page.title = result.get("title")
        page.author = result.get("author")
        page.date = result.get("date")
        page.sitename = result.get("sitename")
        page.findings["extract"] = {"summary": {"chars": len(page.text)}}
        if result.get("too_complex"):
            page.findings["extract"]["too_complex"] = True
            page.findings["extract"]["summary"]["too_complex"] = True
