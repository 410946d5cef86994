"""PolitenessMiddleware: each request waits for its origin's turn (crawler.politeness keeps the
delays, slots and breakers) and holds a slot until its answer. It sits innermost, so the time
it records is when the request really starts; it never sends a request early.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.context import CrawlContext
from crawler.politeness import CLUSTER_DISPATCH_MARGIN, HELD, REQUESTED_AT, Politeness
from crawler.provenance import utc_now
from crawler.urls import origin

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response


class PolitenessMiddleware:
    """Innermost downloader middleware: wait for the origin's turn, hold a slot until the answer."""

    def __init__(self, politeness: Politeness) -> None:
        self.politeness = politeness

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PolitenessMiddleware:
        return cls(CrawlContext.of(crawler).politeness)

    async def process_request(self, request: Request) -> None:
        key = origin(request.url)
        self.politeness.check_open(key)
        member = await self.politeness.acquire(key)
        request.meta[HELD] = (key, member)
        cluster = self.politeness.cluster
        if cluster is not None and member is not None:
            # The grant may have waited in a busy event loop: the delay counts from now, the
            # moment this request really starts, not from the grant.
            state = self.politeness.state(key)
            if state.delay:
                await cluster.pause(key, state.delay + CLUSTER_DISPATCH_MARGIN)
        request.meta[REQUESTED_AT] = utc_now()  # when the origin's turn came: the request start

    async def _release(self, request: Request) -> None:
        held = request.meta.pop(HELD, None)
        if held is not None:
            await self.politeness.release(*held)

    async def process_response(self, request: Request, response: Response) -> Response:
        await self._release(request)
        return response

    async def process_exception(self, request: Request, exception: Exception) -> None:
        await self._release(request)
