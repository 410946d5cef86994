"""Keep every spider inside the policy's scope: http(s) only, allowed domains, depth, page budget.

Applies to our PolicySpider and to any spider of a project using the add-on. A link it filters
was never sent, so it needs no provenance record; it is counted in the stats. A redirect target it
stops was named by a recorded response, so it gets a final record. It must never let a request
that reaches the network for a page go uncounted, nor a frontier read back on resume go unchecked.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import Request

from crawler.budget import PageBudget, path_key
from crawler.context import CrawlContext
from crawler.distributed.cluster import Cluster
from crawler.middlewares.outcomes import RULES_FETCH
from crawler.policy import Policy
from crawler.refusals import Refusal
from crawler.resume import FrontierLog
from crawler.urls import canonical_url, origin, robots_url

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


RESUMED = "ccrawl_resumed"
# meta: how many hops of its redirect chain took a page, so a retried hop does not take another
BUDGETED = "ccrawl_budgeted_hops"


class ScopeGuard:
    def __init__(
        self,
        policy: Policy,
        budget: PageBudget,
        stats: StatsCollector | None,
        frontier: FrontierLog | None = None,
        cluster: Cluster | None = None,
    ) -> None:
        self.cluster = cluster
        self.policy = policy
        self.budget = budget
        self.stats = stats
        self.frontier = frontier
        # frontier entries of an earlier run that passed the checks, until they are requested
        self.readmitted: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScopeGuard:
        context = CrawlContext.of(crawler)
        cluster = context.cluster
        budget = context.page_budget
        guard = cls(context.policy, budget, crawler.stats, context.frontier, cluster)
        if cluster is None:  # a cluster's frontier and budget live in Redis
            guard.readmit(context.resume.frontier)
        return guard

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"ccrawl/scope/{key}")

    def readmit(self, entries: Iterable[dict[str, Any]]) -> None:
        """Put an earlier run's frontier through the checks a fresh link passes, in its order.

        The file sits in the output directory, where anyone may have written to it: an entry
        out of scope, too deep or past the budget is not requested, and takes no page.
        """
        for entry in entries:
            url, depth = entry["url"], entry["depth"]
            refused = self._admit(url, depth)
            if refused is None:
                self.readmitted.add(canonical_url(url))
            else:
                self._count(f"resume-{refused}")

    def allow(self, request: Request, depth: int = 0) -> bool:
        if request.meta.get("dont_obey_robotstxt"):
            return True
        if request.meta.get(RESUMED):
            return self._allow_resumed(request.url)
        refused = self._admit(request.url, depth)
        if refused is not None:
            self._count(refused)
            return False
        if self.frontier is not None:
            self.frontier.add(request.url, depth)
        return True

    def _allow_resumed(self, url: str) -> bool:
        key = canonical_url(url)
        if key in self.readmitted:
            self.readmitted.discard(key)
            return True
        return False  # refused when read back, and counted then

    def _admit(self, url: str, depth: int) -> str | None:
        """None when `url` at `depth` may be requested (it then takes a page), else why not."""
        if depth > self.policy.scope.max_depth:  # exact, 0 included (Scrapy's 0 is "no limit")
            return "depth"
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return "scheme"
        if not self.policy.in_scope(parts.hostname):
            return "offsite"
        key = canonical_url(url)
        if self.cluster is not None:
            return self._admit_in_cluster(key)
        if key in self.budget.seen:
            return "duplicate"
        per_origin = self.policy.scope.max_pages_per_origin
        if per_origin and self.budget.per_origin[origin(key)] >= per_origin:
            return "origin-budget"
        variants = self.budget.per_path[path_key(key)]
        if parts.query and variants >= self.policy.scope.max_query_variants:
            return "query-variants"
        return None if self.budget.take(key) else "budget"

    def _admit_in_cluster(self, key: str) -> str | None:
        """Duplicates and the page budget counted across all workers, in Redis."""
        assert self.cluster is not None
        if not self.cluster.sync.sadd(self.cluster.key("seen"), key):
            return "duplicate"
        return None if self.budget.take(key) else "budget"

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
    """Downloader side of the scope: a redirect must not carry the crawl out of its domains, nor
    past its page budget. A hop is a page request like any other: it takes a page, and is written
    to the frontier so that a resumed crawl counts it too.
    """

    def __init__(
        self, policy: Policy, budget: PageBudget, frontier: FrontierLog | None = None
    ) -> None:
        self.policy = policy
        self.budget = budget
        self.frontier = frontier

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectScope:
        context = CrawlContext.of(crawler)
        return cls(context.policy, context.page_budget, context.frontier)

    def process_request(self, request: Request) -> None:
        # robots.txt may redirect anywhere (RFC 9309 §2.3.1.2); its rules apply to the origin
        # that was asked. NetworkGuard still checks where it goes.
        if not request.meta.get("redirect_urls") or request.meta.get(RULES_FETCH):
            return
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https") or not self.policy.in_scope(parts.hostname):
            raise Refusal("offsite-redirect", {"host": parts.hostname or ""})
        hops = len(request.meta["redirect_urls"])
        if request.meta.get(BUDGETED, 0) >= hops:
            return  # a retry of a hop that already took its page
        if not self.budget.take(canonical_url(request.url)):
            raise Refusal(
                "page-budget",
                {"max_pages": self.budget.limit},
                # never requested, so no robots.txt rule was applied to it
                robots={"url": robots_url(request.url), "sha256": None, "rule": None},
            )
        request.meta[BUDGETED] = hops
        if self.frontier is not None:
            self.frontier.add(request.url, int(request.meta.get("depth", 0)))
