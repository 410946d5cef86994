"""Keep every spider inside the policy's scope: http(s) only, allowed domains, page budget.

Applies to our PolicySpider and to any spider of a project using the add-on. A request it filters
was never sent, so it needs no provenance record; it is counted in the stats.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from crawler.context import CrawlContext, policy_for
from crawler.distributed import cluster_for
from crawler.distributed.cluster import Cluster
from crawler.middlewares.outcomes import RULES_FETCH
from crawler.policy import Policy
from crawler.resume import FrontierLog
from crawler.urls import canonical_url, origin

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


RESUMED = "ccrawl_resumed"


def path_key(url: str) -> str:
    """origin + path, without the query: the unit of the query-variants cap."""
    parts = urlsplit(url)
    return f"{origin(url)}{parts.path}"


class ScopeGuard:
    def __init__(
        self,
        policy: Policy,
        max_pages: int,
        stats: StatsCollector | None,
        frontier: FrontierLog | None = None,
        seen: set[str] | None = None,
        cluster: Cluster | None = None,
    ) -> None:
        self.cluster = cluster
        self.policy = policy
        self.max_pages = max_pages
        self.stats = stats
        self.frontier = frontier
        # On resume, everything an earlier run scheduled counts: its budget, its duplicates.
        self.seen: set[str] = seen or set()
        self._budget_logged = False
        self.per_origin: Counter[str] = Counter()
        self.per_path: Counter[str] = Counter()
        for key in self.seen:
            self._count_scheduled(key)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScopeGuard:
        context = CrawlContext.of(crawler)
        policy = context.policy
        max_pages = crawler.settings.getint("CCRAWL_MAX_PAGES") or policy.scope.max_pages
        cluster = cluster_for(crawler)
        seen = set() if cluster else {canonical_url(e["url"]) for e in context.resume.frontier}
        return cls(policy, max_pages, crawler.stats, context.frontier, seen, cluster)

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"ccrawl/scope/{key}")

    def allow(self, request: Request, depth: int = 0) -> bool:
        if request.meta.get("dont_obey_robotstxt") or request.meta.get(RESUMED):
            return True
        if depth > self.policy.scope.max_depth:  # exact, 0 included (Scrapy's 0 is "no limit")
            self._count("depth")
            return False
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            self._count("scheme")
            return False
        if not self.policy.in_scope(parts.hostname):
            self._count("offsite")
            return False
        key = canonical_url(request.url)
        if self.cluster is not None:
            return self._allow_in_cluster(key, request.url, depth)
        if key in self.seen:
            self._count("duplicate")
            return False
        if len(self.seen) >= self.max_pages:
            self._count("budget")
            if not self._budget_logged:
                logger.info("Page budget of %d reached: no new pages are scheduled", self.max_pages)
                self._budget_logged = True
            return False
        per_origin = self.policy.scope.max_pages_per_origin
        if per_origin and self.per_origin[origin(key)] >= per_origin:
            self._count("origin-budget")
            return False
        if parts.query and self.per_path[path_key(key)] >= self.policy.scope.max_query_variants:
            self._count("query-variants")
            return False
        self.seen.add(key)
        self._count_scheduled(key)
        if self.frontier is not None:
            self.frontier.add(request.url, depth)
        return True

    def _allow_in_cluster(self, key: str, url: str, depth: int) -> bool:
        """Duplicates and the page budget counted across all workers, in Redis."""
        assert self.cluster is not None
        if not self.cluster.sync.sadd(self.cluster.key("seen"), key):
            self._count("duplicate")
            return False
        if self.cluster.sync.incr(self.cluster.key("scheduled")) > self.max_pages:
            self._count("budget")
            return False
        if self.frontier is not None:
            self.frontier.add(url, depth)
        return True

    def _count_scheduled(self, key: str) -> None:
        self.per_origin[origin(key)] += 1
        if "?" in key:
            self.per_path[path_key(key)] += 1

    def _filter(self, item: Any, depth: int) -> bool:
        return not isinstance(item, Request) or self.allow(item, depth)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item in start:
            if self._filter(item, 0):
                yield item

    def process_spider_output(self, response: Any, result: Iterable[Any]) -> Iterable[Any]:
        depth = int(response.meta.get("depth", 0)) + 1
        for item in result:
            if self._filter(item, depth):
                yield item

    async def process_spider_output_async(
        self, response: Any, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        depth = int(response.meta.get("depth", 0)) + 1
        async for item in result:
            if self._filter(item, depth):
                yield item


class RedirectScope:
    """Downloader side of the scope: a redirect must not carry the crawl out of its domains."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectScope:
        return cls(policy_for(crawler))

    def process_request(self, request: Request) -> None:
        # robots.txt may redirect anywhere (RFC 9309 §2.3.1.2); its rules apply to the origin
        # that was asked. NetworkGuard still checks where it goes.
        if not request.meta.get("redirect_urls") or request.meta.get(RULES_FETCH):
            return
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https") or not self.policy.in_scope(parts.hostname):
            raise IgnoreRequest(f"offsite-redirect: {request.url[:200]}")
