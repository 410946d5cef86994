"""Turn every 2xx HTML response a spider receives into a Page item for the analysis stages.

This is what lets any spider, ours or a user's, run under the same rules: the page is captured
before the spider's own callback runs its course, so a failing callback still leaves a record.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any

from crawler.middlewares.outcomes import RECORDED
from crawler.pages import is_html, page_from_response

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

CAPTURED = "ccrawl_captured"


def _take(response: Response) -> bool:
    meta = response.meta
    if meta.get(CAPTURED) or meta.get(RECORDED):
        return False
    if not 200 <= response.status < 300 or not is_html(response):
        return False
    meta[CAPTURED] = True
    return True


class PageCapture:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageCapture:
        return cls()

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        if _take(response):
            yield page_from_response(response)
        yield from result

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        if _take(response):
            yield page_from_response(response)
        async for item in result:
            yield item

    def process_spider_exception(self, response: Response, exception: Exception) -> Any:
        if _take(response):
            return [page_from_response(response)]
        return None
