"""Turn every 2xx HTML response a spider receives into a Page item for the analysis stages.

This is what lets any spider, ours or a user's, run under the same rules: the page is captured
before the spider's own callback runs its course, so a failing callback still leaves a record.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any

from crawler.context import CrawlContext
from crawler.items import Page
from crawler.middlewares.outcomes import RECORDED
from crawler.pages import is_html, page_from_response

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

CAPTURED = "ccrawl_captured"
logger = logging.getLogger(__name__)


def _take(response: Response) -> bool:
    meta = response.meta
    if meta.get(CAPTURED) or meta.get(RECORDED):
        return False
    if not 200 <= response.status < 300 or not is_html(response):
        return False
    meta[CAPTURED] = True
    return True


class PageCapture:
    def __init__(self, context: CrawlContext) -> None:
        self.context = context
        self.max_bytes = context.policy.content.max_analysis_bytes

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageCapture:
        return cls(CrawlContext.of(crawler))

    def _page(self, response: Response) -> Page:
        self.context.captured()
        return page_from_response(response, self.max_bytes)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        if _take(response):
            yield self._page(response)
        yield from result

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        if _take(response):
            yield self._page(response)
        async for item in result:
            yield item

    def process_spider_exception(self, response: Response, exception: Exception) -> Any:
        if _take(response):
            logger.error("The spider failed on %s: %s", response.url, exception)
            return [self._page(response)]
        return None
