"""Distributed crawling: several workers share one frontier and one politeness budget in Redis."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.distributed.cluster import Cluster, default_worker_name

if TYPE_CHECKING:
    from scrapy.settings import Settings

    from crawler.policy import Policy


def worker_name(settings: Settings, policy: Policy) -> str:
    return settings.get("CCRAWL_WORKER") or policy.distributed.worker or default_worker_name()


def join_cluster(settings: Settings, policy: Policy) -> Cluster | None:
    """The crawl's Redis cluster state, or None for a crawl on one machine."""
    if not policy.distributed.redis_url:
        return None
    return Cluster(
        policy.distributed.redis_url,
        policy.name,
        worker_name(settings, policy),
        policy.distributed.lease_seconds,
    )
