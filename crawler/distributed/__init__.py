"""Distributed crawling: several workers share one frontier and one politeness budget in Redis."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.distributed.cluster import Cluster, default_worker_name

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

CLUSTER_ATTRIBUTE = "_ccrawl_cluster"


def worker_name(crawler: Crawler) -> str:
    from crawler.context import policy_for

    return (
        crawler.settings.get("CCRAWL_WORKER")
        or policy_for(crawler).distributed.worker
        or default_worker_name()
    )


def cluster_for(crawler: Crawler) -> Cluster | None:
    """The crawl's Redis cluster state, or None for a crawl on one machine."""
    from crawler.context import policy_for

    if not hasattr(crawler, CLUSTER_ATTRIBUTE):
        policy = policy_for(crawler)
        cluster = None
        if policy.distributed.redis_url:
            cluster = Cluster(
                policy.distributed.redis_url,
                policy.name,
                worker_name(crawler),
                policy.distributed.lease_seconds,
            )
        setattr(crawler, CLUSTER_ATTRIBUTE, cluster)
    return getattr(crawler, CLUSTER_ATTRIBUTE)  # type: ignore[no-any-return]
