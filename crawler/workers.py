"""A process pool for CPU-heavy analysis, so the reactor keeps downloading while pages are analysed.

Only pure, picklable functions run here. A worker that dies (out of memory, a crash in a C
library) costs one page, recorded as an error; the pool is rebuilt and the crawl goes on.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, TypeVar

from scrapy import signals

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
T = TypeVar("T")

POOL_ATTRIBUTE = "_ccrawl_pool"
PRELOAD = ["pipelines.extract", "pipelines.language"]


class WorkerDied(Exception):
    """The worker process running a task died; the task's page is recorded as an error."""


class AnalysisPool:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None

    @classmethod
    def of(cls, crawler: Crawler) -> AnalysisPool:
        pool: AnalysisPool | None = getattr(crawler, POOL_ATTRIBUTE, None)
        if pool is None:
            configured = crawler.settings.getint("CCRAWL_WORKERS", -1)
            workers = configured if configured >= 0 else (os.cpu_count() or 1)
            pool = cls(workers)
            setattr(crawler, POOL_ATTRIBUTE, pool)
            crawler.signals.connect(pool.close, signal=signals.spider_closed)
        return pool

    def _start(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # forkserver: workers never inherit the reactor's sockets and threads.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            self._executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        return self._executor

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        if self.workers == 0:
            return function(*args)
        try:
            future = self._start().submit(function, *args)
            return await asyncio.wrap_future(future)
        except BrokenProcessPool as exc:
            logger.error("An analysis worker died; restarting the pool")
            self._restart()
            raise WorkerDied("the analysis worker process died") from exc

    def _restart(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
