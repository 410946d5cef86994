"""The analysis stages in one worker call per page: the fast path (CCRAWL_ONE_CALL_ANALYSIS).

The same stage classes run, in the same order, with the same code: in the worker their `pool`
runs functions inline, so a page crosses the process boundary once instead of once per stage and
its body is pickled once. Only dedupe, whose memory is the crawl's, runs back in the reactor, from
a fingerprint taken in the worker at its place in the chain. A test compares this path with the
stage-by-stage one on the same pages: the outputs must be identical.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from scrapy.utils.misc import load_object

from crawler.items import Page
from crawler.runstats import cpu_timer
from pipelines.base import Stage
from pipelines.dedupe import FINGERPRINT_KEY, DedupePipeline, text_fingerprint

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

T = TypeVar("T")

# The worker-side stages, in pipeline order; dedupe's place is marked by None.
CHAIN = (
    "pipelines.optouts.OptoutsPipeline",
    "pipelines.extract.ExtractPipeline",
    "pipelines.secrets.SecretsPipeline",
    "pipelines.language.LanguagePipeline",
    "pipelines.licence.LicencePipeline",
    None,
    "pipelines.pii.PiiPipeline",
)


class InlinePool:
    """Stands in for the stage's pool inside the worker: runs the function here, times it."""

    def __init__(self, cpu: dict[str, float], stage: str) -> None:
        self.cpu = cpu
        self.stage = stage

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        started = time.process_time()
        try:
            return function(*args)
        finally:
            self.cpu[self.stage] = self.cpu.get(self.stage, 0.0) + time.process_time() - started


def run_chain(page: Page, stages: list[tuple[str | None, dict[str, Any]]]) -> tuple[Page, dict]:
    """Worker side: every stage's own process_item on the page; returns it without its body."""
    cpu: dict[str, float] = {}

    async def chain() -> None:
        for path, state in stages:
            if path is None:
                if not page.errors and page.text.strip():
                    page.findings[FINGERPRINT_KEY] = text_fingerprint(page.text)
                continue
            cls = load_object(path)
            stage = cls.__new__(cls)
            stage.__dict__.update(state)
            stage.pool = InlinePool(cpu, stage.name)
            await Stage.process_item(stage, page)

    asyncio.run(chain())
    page.body = b""
    return page, cpu


class ChainPipeline(Stage):
    name = "analysis"

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.stages: list[tuple[str | None, dict[str, Any]]] = []
        for path in CHAIN:
            if path is None:
                self.stages.append((None, {}))
                continue
            stage = load_object(path).from_crawler(crawler)
            # What the stage's code needs in the worker: its settings, never the crawler.
            state = {
                k: v for k, v in stage.__dict__.items() if k not in ("crawler", "context", "pool")
            }
            self.stages.append((path, state))
        self.dedupe = DedupePipeline(crawler)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, Page):
            return item
        body = item.body
        try:
            analysed, cpu = await self.pool.pool.run(run_chain, item, self.stages)
        except Exception as exc:  # the worker died or timed out: the page is recorded so
            return await Stage.process_item(_Failing(self, exc), item)
        analysed.body = body
        for stage, seconds in cpu.items():
            self.crawler.stats.inc_value(f"ccrawl/cpu/{stage}", seconds)
        with cpu_timer(self.crawler.stats, "dedupe"):
            await self.dedupe.process_item(analysed)
        return analysed


class _Failing:
    """A stage whose observation raises the chain's failure, so Stage.process_item records it
    exactly as it would for a single stage (timeouts as `analysis-timeout`)."""

    def __init__(self, chain: ChainPipeline, error: Exception) -> None:
        self.name = chain.name
        self.error = error

    async def observe(self, page: Page) -> None:
        raise self.error
