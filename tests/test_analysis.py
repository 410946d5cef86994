"""The analysis path parses a page once: no step may change the shared tree (the golden-copy
tests prove that the pool and the inline path give the same outputs)."""

from __future__ import annotations

from lxml import etree

from crawler.items import Page
from pipelines.document import Document
from pipelines.extract import extract_main_text
from pipelines.licences.step import LicenceStep
from pipelines.secrets.step import SecretsStep
from tests.helpers import WORDS, article

PAYWALL = (
    '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
    ' "isAccessibleForFree": false, "hasPart": {"@type": "WebPageElement",'
    ' "isAccessibleForFree": false, "cssSelector": ".paid"}}</script>'
)


def page_of(html: str) -> Page:
    return Page("https://example.org/a", 200, html.encode(), "utf-8", "text/html", "", "")


def test_no_step_changes_the_shared_tree() -> None:
    html = article("Harbour", extra_head=PAYWALL).replace(
        "</article>", f'<div class="paid"><p>Paid part. {WORDS}</p></div></article>'
    )
    document = Document.decode(html.encode(), "utf-8")
    assert document.tree is not None
    before = etree.tostring(document.tree)
    page = page_of(html)
    found = extract_main_text(document, page.url)
    cut = extract_main_text(document, page.url, (".paid",))
    page.text = "article text"
    SecretsStep().observe(page, document)
    LicenceStep().observe(page, document)
    assert etree.tostring(document.tree) == before
    assert found.rewrite is not None and "Paid part" in (found.rewrite.text or "")
    assert cut.cut_sections == 1 and cut.rewrite is not None
    assert "Paid part" not in (cut.rewrite.text or "")
