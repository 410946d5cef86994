"""The sink: write each decided page's provenance record, and the document if it was accepted.

It writes exactly what `decide` settled; it never changes an outcome.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.context import CrawlContext
from crawler.items import Page
from crawler.runstats import cpu_timer

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class OutputSink:
    def __init__(self, context: CrawlContext, stats: Any = None) -> None:
        self.context = context
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OutputSink:
        return cls(CrawlContext.of(crawler), crawler.stats)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Page):
            with cpu_timer(self.stats, "write"):
                self.context.settle(item)
            item.body = b""  # the raw body is not needed past this point
        return item
