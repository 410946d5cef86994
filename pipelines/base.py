"""The shape every analysis stage shares: observe a Page, annotate it, never drop it.

A stage that fails on a page records the failure on the page (the decide stage turns it into an
`analysis-error` outcome) instead of losing the page, so every fetched page still gets a record.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from crawler.context import CrawlContext
from crawler.items import Page
from crawler.workers import AnalysisPool, AnalysisTimeout, StagePool

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
TIMEOUT_PREFIX = "timeout: "


class Stage:
    name = "stage"

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.context = CrawlContext.of(crawler)
        self.policy = self.context.policy
        self.pool = StagePool(AnalysisPool.of(crawler), crawler.stats, self.name)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Stage:
        return cls(crawler)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, Page) or item.errors:
            return item
        try:
            await self.observe(item)
        except AnalysisTimeout as exc:
            logger.warning("%s stage timed out on %s: %s", self.name, item.url, exc)
            item.errors.append(f"{TIMEOUT_PREFIX}{self.name}: {exc}")
        except Exception as exc:
            logger.warning("%s stage failed on %s: %s", self.name, item.url, exc)
            item.errors.append(f"{self.name}: {type(exc).__name__}: {str(exc)[:200]}")
        return item

    async def observe(self, page: Page) -> None:
        raise NotImplementedError
