"""A process pool for CPU-heavy analysis, so the reactor keeps downloading while pages are analysed.

Only pure, picklable functions run here. Each task has a time limit (trafilatura has none of its
own): a page that takes too long has its worker process killed and replaced (pebble), and each
worker's heap is capped, so one hostile page costs one page, recorded as an error, never the crawl.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import resource
import time
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING, Any, TypeVar

from pebble import ProcessExpired, ProcessPool
from scrapy import signals

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
T = TypeVar("T")

POOL_ATTRIBUTE = "_ccrawl_pool"
PRELOAD = [
    "pipelines.extract",
    "pipelines.language",
    "pipelines.licence",
    "pipelines.optouts",
    "pipelines.pii",
    "pipelines.secrets",
    "pipelines.chain",
]


class WorkerDied(Exception):
    """The worker process running a task died (a crash, or its memory cap); one page is lost."""


class AnalysisTimeout(Exception):
    """A task ran past its time limit; its worker was killed and replaced."""


def _limit_memory(max_bytes: int) -> None:
    """Worker initializer: cap the heap so a hostile page raises MemoryError, not an OOM kill."""
    if max_bytes > 0:
        with contextlib.suppress(ValueError, OSError):  # not permitted here: run uncapped
            resource.setrlimit(resource.RLIMIT_DATA, (max_bytes, max_bytes))


def timed(function: Callable[..., T], *args: Any) -> tuple[T, float]:
    """Run `function` and return its result with the CPU seconds it took (in this process)."""
    started = time.process_time()
    result = function(*args)
    return result, time.process_time() - started


class StagePool:
    """The pool as one stage sees it: every task's CPU time is added to `ccrawl/cpu/<stage>`."""

    def __init__(self, pool: AnalysisPool, stats: Any, stage: str) -> None:
        self.pool = pool
        self.stats = stats
        self.key = f"ccrawl/cpu/{stage}"

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        result, seconds = await self.pool.run(timed, function, *args)
        if self.stats is not None:
            self.stats.inc_value(self.key, seconds)
        return result


class AnalysisPool:
    def __init__(self, workers: int, timeout: float = 30.0, memory_mb: int = 2048) -> None:
        self.workers = workers
        self.timeout = timeout
        self.memory_bytes = memory_mb * 1024 * 1024
        self._pool: ProcessPool | None = None

    @classmethod
    def of(cls, crawler: Crawler) -> AnalysisPool:
        pool: AnalysisPool | None = getattr(crawler, POOL_ATTRIBUTE, None)
        if pool is None:
            settings = crawler.settings
            configured = settings.getint("CCRAWL_WORKERS", -1)
            workers = configured if configured >= 0 else (os.cpu_count() or 1)
            pool = cls(
                workers,
                timeout=settings.getfloat("CCRAWL_PAGE_TIMEOUT", 60.0),
                memory_mb=settings.getint("CCRAWL_WORKER_MEMORY_MB", 2048),
            )
            setattr(crawler, POOL_ATTRIBUTE, pool)
            crawler.signals.connect(pool.close, signal=signals.spider_closed)
        return pool

    def _start(self) -> ProcessPool:
        if self._pool is None:
            # forkserver: workers never inherit the reactor's sockets and threads.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            self._pool = ProcessPool(
                max_workers=self.workers,
                initializer=_limit_memory,
                initargs=(self.memory_bytes,),
                context=context,
            )
        return self._pool

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        if self.workers == 0:
            return function(*args)
        future = self._start().schedule(function, args=args, timeout=self.timeout)
        try:
            return await asyncio.wrap_future(future)
        except FutureTimeout:
            raise AnalysisTimeout(f"over {self.timeout:.0f} s; the worker was replaced") from None
        except ProcessExpired as exc:
            raise WorkerDied(f"the analysis worker died (exit code {exc.exitcode})") from None
        except MemoryError:
            raise WorkerDied("the page needed more than the worker's memory cap") from None

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()
            pool.join(timeout=30)
            pool.stop()
