"""The crawl's page budget (`scope.max_pages`): every request that reaches the network for a
page takes one page, whoever sends it. One per crawl, held by the crawl's context; it must never
let a page go uncounted.
"""

from __future__ import annotations

import logging
from collections import Counter
from urllib.parse import urlsplit

from crawler.distributed.cluster import Cluster
from crawler.urls import origin

logger = logging.getLogger(__name__)


def path_key(url: str) -> str:
    """origin + path, without the query: the unit of the query-variants cap."""
    parts = urlsplit(url)
    return f"{origin(url)}{parts.path}"


class PageBudget:
    """`scope.max_pages`, one per crawl, shared by both sides of the scope.

    Every request that reaches the network for a page takes one page: a link scheduled, a redirect
    hop followed. Rules fetches (robots.txt, tdmrep.json) are not pages, and a retry is the same
    page again (bounded by network.retries), so neither takes one. The per-origin and per-path
    counts behind `max_pages_per_origin` and `max_query_variants` count the same pages.
    """

    def __init__(self, limit: int, cluster: Cluster | None = None) -> None:
        self.limit = limit
        self.cluster = cluster
        self.used = 0
        # canonical URLs that took a page, and their counts (a cluster keeps its own in Redis)
        self.seen: set[str] = set()
        self.per_origin: Counter[str] = Counter()
        self.per_path: Counter[str] = Counter()
        self._logged = False

    def take(self, key: str) -> bool:
        """One page for `key`, if any is left."""
        if self.cluster is not None:
            granted = bool(self.cluster.sync.incr(self.cluster.key("scheduled")) <= self.limit)
        else:
            granted = self.used < self.limit
            if granted:
                self._count(key)
        if not granted and not self._logged:
            logger.info("Page budget of %d reached: no new pages are requested", self.limit)
            self._logged = True
        return granted

    def _count(self, key: str) -> None:
        self.used += 1
        self.seen.add(key)
        self.per_origin[origin(key)] += 1
        if "?" in key:
            self.per_path[path_key(key)] += 1
