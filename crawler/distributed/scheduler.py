"""The shared frontier: scrapy-redis's scheduler and dupefilter, plus claims on in-flight URLs.

scrapy-redis pops a request and forgets it, so a worker killed mid-crawl would lose what it was
fetching. Here every popped request is claimed (by canonical URL) until its final provenance record
is written; a worker whose heartbeat stops has its claims handed back to the queue by the others,
and a worker restarting under the same name takes back its own. A worker stays alive while any
claim is open anywhere, since the URLs it holds may still yield new links.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from scrapy.utils.request import request_from_dict
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from crawler.context import CrawlContext
from crawler.distributed.cluster import Cluster
from crawler.urls import canonical_url

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
TICK_SECONDS = 2.0
QUIET_SECONDS = 3.0


class ClusterScheduler(Scheduler):
    cluster: Cluster
    prefetch: int

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterScheduler:
        scheduler: ClusterScheduler = super().from_crawler(crawler)
        cluster = CrawlContext.of(crawler).cluster
        if cluster is None:
            raise ValueError("ClusterScheduler needs distributed.redis_url in the policy")
        scheduler.cluster = cluster
        scheduler._loop = task.LoopingCall(scheduler.tick)
        scheduler._quiet_since = None
        scheduler.prefetch = crawler.settings.getint("CCRAWL_CLUSTER_PREFETCH", 4)
        return scheduler

    def open(self, spider: Spider) -> Any:
        result = super().open(spider)
        self.cluster.heartbeat()
        self._requeue_own_claims()
        self._loop.start(TICK_SECONDS, now=False)
        return result

    def close(self, reason: str) -> Any:
        if self._loop.running:
            self._loop.stop()
        self.cluster.close()
        return super().close(reason)

    def next_request(self) -> Request | None:
        # Take no more than we will fetch soon: requests left in Redis go to whichever worker
        # is free, and fewer are at stake when a worker dies.
        if len(self.cluster.local) >= self.prefetch:
            return None
        request: Request | None = super().next_request()
        if request is not None:
            self.cluster.claim(canonical_url(request.url), request.to_dict(spider=self.spider))
        return request

    def has_pending_requests(self) -> bool:
        # Open claims anywhere may still produce links: keep this worker in the crawl. The cluster
        # must look finished for a few seconds running before a worker leaves, so a worker that
        # starts while the seeds are being pushed does not leave at once.
        busy = len(self) > 0 or self.cluster.claims() > 0 or not self.cluster.seeded()
        now = time.monotonic()
        if busy:
            self._quiet_since = None
            return True
        if self._quiet_since is None:
            self._quiet_since = now
        return now - self._quiet_since < QUIET_SECONDS

    def tick(self) -> None:
        """Heartbeat, and hand the claims of dead workers back to the queue."""
        try:
            self.cluster.heartbeat()
            for url_key, data in self.cluster.orphaned_claims():
                if self.cluster.take_claim(url_key) and not self.cluster.is_settled(url_key):
                    logger.warning("Re-queueing %s: its worker stopped answering", url_key)
                    self._push(data)
        except Exception:  # Redis unreachable for a moment: the next tick tries again
            logger.exception("Cluster tick failed")

    def _requeue_own_claims(self) -> None:
        for url_key, raw_claim in self._own_claims():
            if self.cluster.take_claim(url_key) and not self.cluster.is_settled(url_key):
                self._push(raw_claim)

    def _own_claims(self) -> list[tuple[str, dict[str, Any]]]:
        import pickle

        out = []
        for url_key, raw in self.cluster.hgetall(self.cluster.key("claims")).items():
            claim = pickle.loads(raw)  # written by our own workers only
            if claim["worker"] == self.cluster.worker:
                out.append((url_key.decode(), claim["request"]))
        return out

    def _push(self, data: dict[str, Any]) -> None:
        request = request_from_dict(data, spider=self.spider)
        request.dont_filter = True  # its fingerprint is in the dupefilter already
        self.queue.push(request)
