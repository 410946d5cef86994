"""The one item pipeline ccrawl adds: each captured page is analysed (once, in the worker pool),
then on the reactor deduplicated against the crawl's memory, decided, and settled (provenance,
dataset, quarantine). It never changes an outcome `decide` gave.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from crawler.context import CrawlContext
from crawler.items import Page
from crawler.runstats import cpu_timer
from crawler.workers import AnalysisTimeout
from pipelines.analysis import StepConfig
from pipelines.decide import TIMEOUT_PREFIX, decide
from pipelines.dedupe import Dedupe

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class AnalysisPipeline:
    """Analyse, dedupe, decide and settle each page a spider captured."""

    def __init__(self, context: CrawlContext, stats: Any) -> None:
        self.context = context
        self.policy = context.policy
        self.stats = stats
        self.pool = context.analysis_pool(StepConfig(context.policy, context.pii_salt))
        self.dedupe = Dedupe(context.resume.fingerprints)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AnalysisPipeline:
        return cls(CrawlContext.of(crawler), crawler.stats)

    def open_spider(self) -> None:
        self.pool.warm()

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, Page):
            return item
        try:
            page, cpu = await self.pool.run(item)
        except AnalysisTimeout as exc:
            logger.warning("Analysis timed out on %s: %s", item.url, exc)
            item.errors.append(f"{TIMEOUT_PREFIX}analysis: {exc}")
            page, cpu = item, {}
        except Exception as exc:  # the worker died: one page lost, recorded
            logger.warning("Analysis failed on %s: %s", item.url, exc)
            item.errors.append(f"analysis: {type(exc).__name__}: {str(exc)[:200]}")
            page, cpu = item, {}
        for step, seconds in cpu.items():
            self.stats.inc_value(f"ccrawl/cpu/{step}", seconds)
        with cpu_timer(self.stats, "decide"):
            self.dedupe.observe(page)
            decision = decide(page, self.policy)
        page.outcome, page.reasons = decision.outcome, list(decision.reasons)
        page.evidence = list(decision.evidence)
        with cpu_timer(self.stats, "write"):
            self.context.settle(page)
        page.body = b""
        return page
