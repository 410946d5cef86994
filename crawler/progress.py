"""Live progress on a terminal and a summary at the end of every crawl.

The progress line goes to stderr only when it is a terminal (or CCRAWL_PROGRESS is true); it never
prints page content, only counts, the rate and per-origin waits.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import TYPE_CHECKING, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.context import CrawlContext

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def summary_counts(context: CrawlContext) -> dict[str, int]:
    counts = context.counts
    return {
        "fetched": context.fetched,
        "accepted": counts["accepted"],
        "quarantined": counts["quarantined"],
        "dropped": counts["dropped"],
        "refused": counts["refused"],
        "error": counts["error"],
    }


def origin_waits(crawler: Crawler, limit: int = 3) -> str:
    """The origins with the most requests waiting for their turn, with their delay."""
    busy = CrawlContext.of(crawler).politeness.busiest(limit)
    parts = [f"{key.split('://')[-1]} {state.delay:.1f}s q{state.waiting}" for key, state in busy]
    return ("  waits: " + ", ".join(parts)) if parts else ""


class Progress:
    def __init__(self, crawler: Crawler, stream: TextIO | None, interval: float) -> None:
        self.crawler = crawler
        self.stream = stream
        self.interval = interval
        self.started = time.monotonic()
        self._loop: task.LoopingCall | None = None
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        if "CCRAWL_POLICY" not in crawler.settings:
            raise NotConfigured
        wanted = crawler.settings.get("CCRAWL_PROGRESS")
        if wanted is None:
            wanted = sys.stderr.isatty()
        stream = sys.stderr if crawler.settings.getbool("CCRAWL_PROGRESS", bool(wanted)) else None
        return cls(crawler, stream, crawler.settings.getfloat("CCRAWL_PROGRESS_INTERVAL", 1.0))

    def opened(self) -> None:
        self.started = time.monotonic()
        if self.stream is not None:
            self._loop = task.LoopingCall(self.tick)
            self._loop.start(self.interval, now=False)

    def line(self) -> str:
        context = CrawlContext.of(self.crawler)
        counts = summary_counts(context)
        elapsed = max(time.monotonic() - self.started, 1e-6)
        return (
            f"fetched {counts['fetched']}  accepted {counts['accepted']}  "
            f"quarantined {counts['quarantined']}  dropped {counts['dropped']}  "
            f"refused {counts['refused']}  errors {counts['error']}  "
            f"{counts['fetched'] / elapsed:.1f} pages/s{origin_waits(self.crawler)}"
        )

    def tick(self) -> None:
        if self.stream is not None:
            self.stream.write("\r" + self.line()[:200] + "\x1b[K")
            self.stream.flush()

    def closed(self, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self.stream is not None:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
        logger.info("Crawl closed (%s): %s", reason, self.line())
