"""Per-origin concurrency that holds whatever the delay: at most N requests in flight to an origin.

Scrapy's slot loop starts every queued request at once when the download delay is 0 (its
`transferring` set is filled only when each download coroutine starts; scrapy#6982), so
CONCURRENT_REQUESTS_PER_DOMAIN alone does not cap an origin. This middleware sits innermost and
holds a per-origin semaphore from just before the download until its response or failure.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from crawler.context import policy_for
from crawler.urls import origin

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

HELD = "ccrawl_origin_slot"


class OriginConcurrency:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._semaphores: dict[str, asyncio.Semaphore] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OriginConcurrency:
        return cls(policy_for(crawler).politeness.max_concurrency)

    def _semaphore(self, key: str) -> asyncio.Semaphore:
        semaphore = self._semaphores.get(key)
        if semaphore is None:
            semaphore = self._semaphores[key] = asyncio.Semaphore(self.limit)
        return semaphore

    async def process_request(self, request: Request) -> None:
        key = origin(request.url)
        await self._semaphore(key).acquire()
        request.meta[HELD] = key

    def _release(self, request: Request) -> None:
        key = request.meta.pop(HELD, None)
        if key is not None:
            self._semaphores[key].release()

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._release(request)
