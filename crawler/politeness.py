"""Per-origin politeness state: delay, concurrency, pauses and circuit breakers, in one place.

An origin is scheme + host + port. The delay between two request starts is never below the
policy's min_delay; robots.txt Crawl-delay/Request-rate and Retry-After only make it longer. A
stopped origin (challenge met, too many refusals) gets no further request in this crawl.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crawler.context import policy_for
from crawler.refusals import Refusal
from crawler.urls import origin

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

POLITENESS_ATTRIBUTE = "_ccrawl_politeness"
HELD = "ccrawl_origin_slot"


@dataclass
class OriginState:
    delay: float
    semaphore: asyncio.Semaphore
    next_start: float = 0.0
    paused_until: float = 0.0
    stopped: str | None = None
    stop_evidence: dict[str, Any] = field(default_factory=dict)
    consecutive_refusals: int = 0
    waiting: int = 0


class Politeness:
    def __init__(self, min_delay: float, max_concurrency: int) -> None:
        self.min_delay = min_delay
        self.max_concurrency = max_concurrency
        self.origins: dict[str, OriginState] = {}

    @classmethod
    def of(cls, crawler: Crawler) -> Politeness:
        registry: Politeness | None = getattr(crawler, POLITENESS_ATTRIBUTE, None)
        if registry is None:
            policy = policy_for(crawler)
            registry = cls(policy.politeness.min_delay, policy.politeness.max_concurrency)
            setattr(crawler, POLITENESS_ATTRIBUTE, registry)
        return registry

    def state(self, key: str) -> OriginState:
        state = self.origins.get(key)
        if state is None:
            state = OriginState(self.min_delay, asyncio.Semaphore(self.max_concurrency))
            self.origins[key] = state
        return state

    def set_delay(self, key: str, delay: float) -> None:
        self.state(key).delay = max(self.min_delay, delay)

    def pause(self, key: str, seconds: float) -> None:
        state = self.state(key)
        state.paused_until = max(state.paused_until, time.monotonic() + seconds)

    def stop(self, key: str, code: str, evidence: dict[str, Any]) -> None:
        state = self.state(key)
        if state.stopped is None:
            state.stopped = code
            state.stop_evidence = evidence

    def check_open(self, key: str) -> None:
        state = self.origins.get(key)
        if state is not None and state.stopped is not None:
            raise Refusal("origin-stopped", {"because": state.stopped, **state.stop_evidence})

    async def acquire(self, key: str) -> None:
        state = self.state(key)
        state.waiting += 1
        try:
            await state.semaphore.acquire()
            try:
                # Request starts are serialised per origin: each start books the next slot.
                while True:
                    now = time.monotonic()
                    start_at = max(state.next_start, state.paused_until)
                    if start_at <= now:
                        break
                    await asyncio.sleep(start_at - now)
                self.check_open(key)
                state.next_start = time.monotonic() + state.delay
            except BaseException:
                state.semaphore.release()
                raise
        finally:
            state.waiting -= 1

    def release(self, key: str) -> None:
        self.state(key).semaphore.release()

    def busiest(self, limit: int = 3) -> list[tuple[str, OriginState]]:
        ranked = sorted(self.origins.items(), key=lambda kv: -kv[1].waiting)
        return [(k, s) for k, s in ranked[:limit] if s.waiting]


class PolitenessMiddleware:
    """Innermost downloader middleware: wait for the origin's turn, hold a slot until the answer."""

    def __init__(self, politeness: Politeness) -> None:
        self.politeness = politeness

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PolitenessMiddleware:
        return cls(Politeness.of(crawler))

    async def process_request(self, request: Request) -> None:
        key = origin(request.url)
        self.politeness.check_open(key)
        await self.politeness.acquire(key)
        request.meta[HELD] = key

    def _release(self, request: Request) -> None:
        key = request.meta.pop(HELD, None)
        if key is not None:
            self.politeness.release(key)

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._release(request)
