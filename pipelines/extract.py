"""The extraction step: the article text, title, author, date and site name, with trafilatura.

Boilerplate (navigation, footers, sidebars) must not reach the dataset. Sections that the page's
own schema.org markup marks as not free (a paywall, found by the opt-outs step) are cut before
extraction whenever they can be; whether a paywalled page may be used at all is `decide`'s rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import trafilatura

from crawler.items import Page
from pipelines.document import Document
from pipelines.findings import ExtractFindings, Rewrite

if TYPE_CHECKING:
    from pipelines.analysis import StepConfig


def without_sections(tree: Any, selectors: tuple[str, ...]) -> int:
    """Removes the elements matching `selectors` from `tree`; how many were removed."""
    removed = 0
    for selector in selectors:
        for element in tree.cssselect(selector):
            element.drop_tree()
            removed += 1
    return removed


def too_many_elements(tree: Any, limit: int) -> bool:
    """More than `limit` elements (counting stops just past it)."""
    return any(count > limit for count, _ in enumerate(tree.iter(), 1))


def extract_main_text(
    document: Document, url: str, cut_selectors: tuple[str, ...] = (), max_elements: int = 100_000
) -> ExtractFindings:
    if document.tree is None or document.rejected:
        return ExtractFindings()
    if too_many_elements(document.tree, max_elements):
        # trafilatura's work grows with the tree; a trap page of 500,000 elements is not text.
        return ExtractFindings(too_complex=True)
    # trafilatura (2.3+) works on its own copy of a tree it is given; cutting paywalled sections
    # changes the tree, so that needs a copy of ours first.
    tree = document.working_copy() if cut_selectors else document.tree
    assert tree is not None  # document.tree was checked above
    cut = without_sections(tree, cut_selectors) if cut_selectors else 0
    extracted = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
    )
    if extracted is None:
        return ExtractFindings(cut_sections=cut)
    data = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    text = (data.get("text") or "").strip()
    rewrite = Rewrite(
        text=text,
        title=data.get("title"),
        author=data.get("author"),
        date=data.get("date"),
        sitename=data.get("sitename"),
    )
    return ExtractFindings(chars=len(text), cut_sections=cut, rewrite=rewrite)


class ExtractStep:
    name = "extract"

    def __init__(self, max_elements: int) -> None:
        self.max_elements = max_elements

    @classmethod
    def from_config(cls, config: StepConfig) -> ExtractStep:
        return cls(config.policy.content.max_elements)

    def observe(self, page: Page, document: Document) -> ExtractFindings:
        paywall = page.findings.optouts.paywall if page.findings.optouts else None
        cut = paywall.selectors if paywall is not None and paywall.cuttable else ()
        return extract_main_text(document, page.url, cut, self.max_elements)
