"""Per-origin politeness state: delay, concurrency, pauses and circuit breakers, in one place.

An origin is scheme + host + port. The delay between two request starts is never below the
policy's min_delay; robots.txt Crawl-delay/Request-rate and Retry-After only make it longer. A
stopped origin (challenge met, too many refusals) gets no further request in this crawl.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.distributed.cluster import Cluster
from crawler.policy import Policy
from crawler.refusals import Refusal
from crawler.resume import write_json_atomically

if TYPE_CHECKING:
    pass

STATE_FILE = "state/origins.json"
CLUSTER_DISPATCH_MARGIN = 0.05
HELD = "ccrawl_origin_slot"
REQUESTED_AT = "ccrawl_requested_at"


@dataclass
class OriginState:
    delay: float
    semaphore: asyncio.Semaphore
    next_start: float = 0.0
    last_start: float = 0.0
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
        self.state_file: Path | None = None
        self.cluster: Cluster | None = None
        self._background: set[asyncio.Future[Any]] = set()

    @classmethod
    def for_crawl(
        cls,
        policy: Policy,
        last_request: dict[str, float],
        state_file: Path,
        cluster: Cluster | None,
    ) -> Politeness:
        """The crawl's politeness: the policy's floors, what an earlier run of it sent last,
        and the origins it (or, in a cluster, any worker) stopped."""
        registry = cls(policy.politeness.min_delay, policy.politeness.max_concurrency)
        registry.restore(last_request, state_file)
        registry.state_file = state_file
        registry.cluster = cluster
        if cluster is not None:
            for key, stop in cluster.stopped().items():
                registry.stop(key, stop["code"], stop["evidence"])
        return registry

    def restore(self, last_request: dict[str, float], state_file: Path) -> None:
        """After a restart: no request sooner than min_delay after the last one an earlier run
        sent, and origins it stopped stay stopped."""
        now_wall, now = time.time(), time.monotonic()
        for key, when in last_request.items():
            self.state(key).next_start = now + max(0.0, self.min_delay - (now_wall - when))
        if state_file.is_file():
            for key, stop in json.loads(state_file.read_text(encoding="utf-8")).items():
                self.stop(key, stop["code"], stop["evidence"])

    def state(self, key: str) -> OriginState:
        state = self.origins.get(key)
        if state is None:
            state = OriginState(self.min_delay, asyncio.Semaphore(self.max_concurrency))
            self.origins[key] = state
        return state

    def set_delay(self, key: str, delay: float) -> None:
        state = self.state(key)
        state.delay = max(self.min_delay, delay)
        # A delay learnt mid-way (robots.txt Crawl-delay) also spaces the request already booked.
        state.next_start = max(state.next_start, state.last_start + state.delay)

    def pause(self, key: str, seconds: float) -> None:
        state = self.state(key)
        state.paused_until = max(state.paused_until, time.monotonic() + seconds)
        if self.cluster is not None:
            pausing = asyncio.ensure_future(self.cluster.pause(key, seconds))
            self._background.add(pausing)
            pausing.add_done_callback(self._background.discard)

    def stop(self, key: str, code: str, evidence: dict[str, Any]) -> None:
        state = self.state(key)
        if state.stopped is None:
            state.stopped = code
            state.stop_evidence = evidence
            if self.cluster is not None:
                self.cluster.stop(key, code, evidence)
            if self.state_file is not None:
                stopped = {
                    k: {"code": s.stopped, "evidence": s.stop_evidence}
                    for k, s in self.origins.items()
                    if s.stopped
                }
                write_json_atomically(self.state_file, stopped)

    def check_open(self, key: str) -> None:
        state = self.origins.get(key)
        if state is not None and state.stopped is not None:
            raise Refusal("origin-stopped", {"because": state.stopped, **state.stop_evidence})

    async def acquire(self, key: str) -> str | None:
        """Wait for the origin's turn; returns the cluster slot held, if any."""
        state = self.state(key)
        state.waiting += 1
        try:
            await state.semaphore.acquire()
            try:
                if self.cluster is not None:
                    return await self._acquire_in_cluster(key, state)
                # Request starts are serialised per origin: each start books the next slot.
                while True:
                    now = time.monotonic()
                    start_at = max(state.next_start, state.paused_until)
                    if start_at <= now:
                        break
                    await asyncio.sleep(start_at - now)
                self.check_open(key)
                state.last_start = time.monotonic()
                state.next_start = state.last_start + state.delay
                return None
            except BaseException:
                state.semaphore.release()
                raise
        finally:
            state.waiting -= 1

    async def _acquire_in_cluster(self, key: str, state: OriginState) -> str:
        """The delay and the concurrency held across every worker, by Redis's atomic gate."""
        assert self.cluster is not None
        member = f"{self.cluster.worker}:{uuid.uuid4().hex}"
        # Redis grants the slot; the request leaves this process a little later, and two workers
        # differ in that lag. The margin keeps the gap the site sees at or above the delay.
        booked = state.delay + CLUSTER_DISPATCH_MARGIN if state.delay else 0.0
        while True:
            self.check_open(key)
            wait = await self.cluster.acquire(key, member, booked, self.max_concurrency)
            if wait == 0:
                return member
            if wait < 0:
                for origin_key, stop in self.cluster.stopped().items():
                    self.stop(origin_key, stop["code"], stop["evidence"])
                self.check_open(key)
            await asyncio.sleep(min(wait, 1.0) if wait > 0 else 0.05)

    async def release(self, key: str, member: str | None = None) -> None:
        self.state(key).semaphore.release()
        if member is not None and self.cluster is not None:
            await self.cluster.release(key, member)

    def busiest(self, limit: int = 3) -> list[tuple[str, OriginState]]:
        ranked = sorted(self.origins.items(), key=lambda kv: -kv[1].waiting)
        return [(k, s) for k, s in ranked[:limit] if s.waiting]
