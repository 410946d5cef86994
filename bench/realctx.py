"""One real-profile page's facts, drawn once from its seed and shared by the parts that render it
(head and JSON-LD, state blob, body): its brand, language, authors, licence, related pages.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bench import ui_text
from bench.assets import short_hash
from bench.brands import CC_BY_SA, Brand, brand
from bench.polyglot import Writer, writer

if TYPE_CHECKING:
    from bench.site import PageRef, Site

SYNDICATOR = "Open Science Wire"


@dataclass
class PageContext:
    site: Site
    index: int
    page: PageRef
    brand: Brand
    lang: str
    rng: random.Random
    text: Writer
    authors: list[str]
    licence: str  # a CC licence URL, or "" (all rights reserved)
    related: list[PageRef]  # other pages, across origins, for rails and the state blob

    @property
    def url(self) -> str:
        return self.site.bases[self.page.origin] + self.page.path

    @property
    def published(self) -> str:
        return self.page.published or "2026-01-15T08:00:00Z"

    @property
    def holder(self) -> str:
        return SYNDICATOR if self.licence and not self.brand.site_licence else self.brand.owner

    def hub(self) -> tuple[str, str]:
        """(label, path) of the section page this page belongs to."""
        hubs = [self.site.pages[i] for i in self.site.hubs[self.page.origin]]
        hub = next((h for h in hubs if h.section == self.page.section), hubs[0])
        return ui_text.section_label(self.lang, hub.section), hub.path

    def href(self, other: PageRef) -> str:
        return self.site.href(other, self.page.origin)

    def image(self, key: object, width: int) -> str:
        return f"https://{self.brand.cdn}/img/{short_hash(key, n=10)}/{width}.webp"


def page_context(site: Site, index: int) -> PageContext:
    page = site.pages[index]
    rng = random.Random(site.seed * 1_000_003 + index)
    b = brand(page.origin)
    text = writer(page.lang, rng.randrange(2**32))
    authors = [text.person() for _ in range(1 + (rng.random() < 0.3))]
    licence = b.site_licence
    if not licence and page.kind == "article" and rng.random() < b.cc_share:
        licence = CC_BY_SA
    related = [site.pages[i] for i in rng.sample(range(len(site.pages)), min(30, len(site.pages)))]
    return PageContext(site, index, page, b, page.lang, rng, text, authors, licence, related)
