"""One honest identity per crawl, and one politeness slot per origin.

Every request leaves with the crawl's own User-Agent, whatever any other component set: the crawler
never retries under another identity. Slots are keyed by origin (scheme, host, port) because two
ports on one host are two sites with their own robots.txt and politeness.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.context import CrawlContext
from crawler.urls import origin

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler


class IdentityMiddleware:
    def __init__(self, user_agent: str) -> None:
        self.user_agent = user_agent

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IdentityMiddleware:
        return cls(CrawlContext.of(crawler).policy.user_agent)

    def process_request(self, request: Request) -> None:
        request.headers["User-Agent"] = self.user_agent
        request.meta["download_slot"] = origin(request.url)
