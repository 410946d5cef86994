"""Run statistics: Scrapy's stats plus a timeline, written to <output>/stats.json at the end.

The timeline (every second: pages fetched, pages settled, pages waiting in the analysis stages)
shows whether downloading stalls while analysis is busy, and whether backpressure holds.
"""

from __future__ import annotations

import contextlib
import json
import resource
import time
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.context import CrawlContext

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

STATS_FILE = "stats.json"


@contextlib.contextmanager
def cpu_timer(stats: Any, key: str) -> Iterator[None]:
    """Add the CPU seconds of the block to the stat `ccrawl/cpu/<key>`."""
    started = time.process_time()
    try:
        yield
    finally:
        if stats is not None:
            stats.inc_value(f"ccrawl/cpu/{key}", time.process_time() - started)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


class RunStats:
    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.timeline: list[dict[str, float]] = []
        self.started = time.monotonic()
        self._loop: task.LoopingCall | None = None
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunStats:
        if "CCRAWL_POLICY" not in crawler.settings:
            raise NotConfigured
        return cls(crawler, crawler.settings.getfloat("CCRAWL_TIMELINE_INTERVAL", 1.0))

    def opened(self) -> None:
        self.started = time.monotonic()
        self._loop = task.LoopingCall(self.sample)
        self._loop.start(self.interval, now=True)

    def sample(self) -> None:
        context = CrawlContext.of(self.crawler)
        self.timeline.append(
            {
                "t": round(time.monotonic() - self.started, 2),
                "fetched": context.fetched,
                "settled": sum(context.counts.values()),
                "in_analysis": context.in_analysis,
            }
        )

    def closed(self, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self.sample()
        context = CrawlContext.of(self.crawler)
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        report = {
            "finish_reason": reason,
            "seconds": round(time.monotonic() - self.started, 3),
            "counts": dict(context.counts),
            "fetched": context.fetched,
            "max_in_analysis": context.max_in_analysis,
            "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            "cpu_seconds_main": round(time.process_time(), 3),
            "stats": {k: _plain(v) for k, v in stats.items()},
            "timeline": self.timeline,
        }
        path = context.output_dir / STATS_FILE
        path.write_text(json.dumps(report, indent=1, sort_keys=True), encoding="utf-8")
