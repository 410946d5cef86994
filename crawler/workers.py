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
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from pebble import ProcessExpired, ProcessPool

logger = logging.getLogger(__name__)
T = TypeVar("T")


class WorkerDied(Exception):
    """The worker process running a task died (a crash, or its memory cap); one page is lost."""


class AnalysisTimeout(Exception):
    """A task ran past its time limit; its worker was killed and replaced."""


def _limit_memory(max_bytes: int) -> None:
    """Worker initializer: cap the heap so a hostile page raises MemoryError, not an OOM kill."""
    if max_bytes > 0:
        with contextlib.suppress(ValueError, OSError):  # not permitted here: run uncapped
            resource.setrlimit(resource.RLIMIT_DATA, (max_bytes, max_bytes))


PAGES_PER_WORKER = 250


def default_workers(page_budget: int) -> int:
    """One worker per CPU, but no more than one per PAGES_PER_WORKER pages of the crawl's budget:
    each worker holds its own engines (~230 MB) and takes ~2 CPU seconds to start, which a small
    crawl does not repay."""
    cpus = os.cpu_count() or 1
    if page_budget <= 0:
        return cpus
    return max(1, min(cpus, -(-page_budget // PAGES_PER_WORKER)))


def _start_worker(max_bytes: int, start: Callable[..., None], args: tuple[Any, ...]) -> None:
    _limit_memory(max_bytes)
    start(*args)


class AnalysisPool:
    """Runs `task(item)` in a worker process whose state `start(*start_args)` built once.

    With no workers (`CCRAWL_WORKERS=0`) the same start and task run in this process, inline.
    """

    def __init__(
        self,
        workers: int,
        start: Callable[..., None],
        start_args: tuple[Any, ...],
        task: Callable[[Any], T],
        timeout: float = 30.0,
        memory_mb: int = 2048,
    ) -> None:
        self.workers = workers
        self.start = start
        self.start_args = start_args
        self.task = task
        self.timeout = timeout
        self.memory_bytes = memory_mb * 1024 * 1024
        self._pool: ProcessPool | None = None
        self._starting: asyncio.Future[ProcessPool] | None = None
        self._started_inline = False

    @classmethod
    def from_settings(
        cls,
        settings: Any,
        start: Callable[..., None],
        start_args: tuple[Any, ...],
        task: Callable[[Any], Any],
        page_budget: int = 0,
    ) -> AnalysisPool:
        configured = settings.getint("CCRAWL_WORKERS", -1)
        return cls(
            configured if configured >= 0 else default_workers(page_budget),
            start,
            start_args,
            task,
            timeout=settings.getfloat("CCRAWL_PAGE_TIMEOUT", 60.0),
            memory_mb=settings.getint("CCRAWL_WORKER_MEMORY_MB", 2048),
        )

    def _processes(self) -> ProcessPool:
        if self._pool is None:
            # forkserver: workers never inherit the reactor's sockets and threads. Nothing is
            # preloaded into it: pages shared by fork still count in every process's RSS, and a
            # worker without Scrapy holds only what the steps need.
            context = multiprocessing.get_context("forkserver")
            self._pool = ProcessPool(
                max_workers=self.workers,
                initializer=_start_worker,
                initargs=(self.memory_bytes, self.start, self.start_args),
                context=context,
            )
        return self._pool

    def warm(self) -> None:
        """Start the fork server and the workers in a thread: their imports and engines take
        seconds, which the reactor spends downloading (robots.txt first) instead of waiting."""
        if self.workers and self._starting is None:
            self._starting = asyncio.ensure_future(asyncio.to_thread(self._processes))

    async def run(self, item: Any) -> Any:
        if self.workers == 0:
            if not self._started_inline:
                self.start(*self.start_args)
                self._started_inline = True
            return self.task(item)
        self.warm()
        assert self._starting is not None
        pool = await asyncio.shield(self._starting)
        future = pool.schedule(self.task, args=(item,), timeout=self.timeout)
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
