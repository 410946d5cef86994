"""Cluster state in Redis, so that politeness holds across every worker of a distributed crawl.

Per origin: one atomic Lua gate (the delay between two request starts and the requests in flight,
counted across all workers, on Redis's clock), shared robots.txt rules (one fetch per origin per
TTL for the whole cluster) and shared circuit breakers (one worker meeting a challenge stops the
origin for all). Also the claims of in-flight URLs, so a worker that dies loses nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import pickle
import socket
from typing import Any, cast

import redis
import redis.asyncio as aioredis

logger = logging.getLogger(__name__)

# KEYS: in-flight zset, next-start key, stopped hash. ARGV: member, delay, max, lease, origin.
# Returns "-1" (origin stopped), "0" (go: the slot is held), or seconds to wait before asking again.
ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
if redis.call('HEXISTS', KEYS[3], ARGV[5]) == 1 then return '-1' end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return '0.05' end
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < nxt then return tostring(nxt - now) end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('SET', KEYS[2], tostring(now + tonumber(ARGV[2])))
return '0'
"""

# KEYS: next-start key. ARGV: seconds. Pushes the origin's next start at least that far away.
PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
local want = now + tonumber(ARGV[1])
if want > nxt then redis.call('SET', KEYS[1], tostring(want)) end
return 1
"""


def default_worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class Cluster:
    def __init__(self, redis_url: str, crawl: str, worker: str, lease: float) -> None:
        self.url = redis_url
        self.prefix = f"ccrawl:{crawl}"
        self.worker = worker
        self.lease = lease
        self.sync = redis.Redis.from_url(redis_url)
        self._async: aioredis.Redis | None = None
        self._acquire: Any = None
        self._pause: Any = None
        # URLs this worker claimed and has not settled yet
        self.local: set[str] = set()

    def key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def hgetall(self, name: str) -> dict[bytes, bytes]:
        """A hash's fields and values. redis-py types a reply as bytes or str, whatever the
        client's decode_responses; this client leaves it off, so both are bytes."""
        return cast("dict[bytes, bytes]", self.sync.hgetall(name))

    @property
    def aio(self) -> aioredis.Redis:
        if self._async is None:  # created on the reactor's event loop, at first use
            self._async = aioredis.Redis.from_url(self.url)
            self._acquire = self._async.register_script(ACQUIRE)
            self._pause = self._async.register_script(PAUSE)
        return self._async

    # --- politeness -------------------------------------------------------------------------

    async def acquire(self, origin: str, member: str, delay: float, limit: int) -> float:
        """0 when the slot is ours, -1 when the origin is stopped, else seconds to wait."""
        _ = self.aio
        reply = await self._acquire(
            keys=[self.key("inflight", origin), self.key("next", origin), self.key("stopped")],
            args=[member, delay, limit, self.lease, origin],
        )
        return float(reply)

    async def release(self, origin: str, member: str) -> None:
        await self.aio.zrem(self.key("inflight", origin), member)

    async def pause(self, origin: str, seconds: float) -> None:
        _ = self.aio
        await self._pause(keys=[self.key("next", origin)], args=[seconds])

    def stop(self, origin: str, code: str, evidence: dict[str, Any]) -> None:
        payload = json.dumps({"code": code, "evidence": evidence, "worker": self.worker})
        self.sync.hsetnx(self.key("stopped"), origin, payload)

    def stopped(self) -> dict[str, dict[str, Any]]:
        raw = self.hgetall(self.key("stopped"))
        return {k.decode(): json.loads(v) for k, v in raw.items()}

    # --- robots.txt rules, one fetch per origin per TTL -------------------------------------

    async def robots(self, origin: str) -> dict[str, Any] | None:
        raw = await self.aio.get(self.key("robots", origin))
        return json.loads(raw) if raw else None

    async def share_robots(self, origin: str, state: dict[str, Any], ttl: float) -> None:
        await self.aio.set(
            self.key("robots", origin), json.dumps(state), px=max(1, int(ttl * 1000))
        )

    async def lock_robots(self, origin: str, seconds: float = 60.0) -> bool:
        return bool(
            await self.aio.set(
                self.key("robots-lock", origin), self.worker, nx=True, px=int(seconds * 1000)
            )
        )

    async def unlock_robots(self, origin: str) -> None:
        await self.aio.delete(self.key("robots-lock", origin))

    async def wait_for_robots(self, origin: str, seconds: float = 90.0) -> dict[str, Any] | None:
        """Rules another worker is fetching; None if it gave up (its lock expired)."""
        deadline = asyncio.get_running_loop().time() + seconds
        while asyncio.get_running_loop().time() < deadline:
            state = await self.robots(origin)
            if state is not None:
                return state
            if not await self.aio.exists(self.key("robots-lock", origin)):
                return None
            await asyncio.sleep(0.1)
        return None

    # --- seeds, claims and liveness ---------------------------------------------------------

    def claim_seeding(self) -> bool:
        """True for the one worker that pushes the seeds, ever, for this crawl."""
        return bool(self.sync.set(self.key("seeded"), self.worker, nx=True))

    def seeded(self) -> bool:
        return bool(self.sync.exists(self.key("seeded")))

    def claim(self, url_key: str, request: dict[str, Any]) -> None:
        self.local.add(url_key)
        self.sync.hset(
            self.key("claims"), url_key, pickle.dumps({"worker": self.worker, "request": request})
        )

    def release_claim(self, url_key: str) -> None:
        self.local.discard(url_key)
        self.sync.hdel(self.key("claims"), url_key)

    def settle(self, url_key: str) -> None:
        """The URL has its final record and its document: never hand it to another worker."""
        self.local.discard(url_key)
        with self.sync.pipeline(transaction=True) as pipe:
            pipe.sadd(self.key("settled"), url_key)
            pipe.hdel(self.key("claims"), url_key)
            pipe.execute()

    def is_settled(self, url_key: str) -> bool:
        return bool(self.sync.sismember(self.key("settled"), url_key))

    def claims(self) -> int:
        return int(self.sync.hlen(self.key("claims")))

    def heartbeat(self) -> None:
        self.sync.set(self.key("alive", self.worker), 1, ex=max(3, int(self.lease / 4)))

    def orphaned_claims(self) -> list[tuple[str, dict[str, Any]]]:
        """Claims of workers whose heartbeat stopped: their requests must be done by others."""
        out = []
        for url_key, raw in self.hgetall(self.key("claims")).items():
            claim = pickle.loads(raw)  # written by our own workers only
            if claim["worker"] == self.worker:
                continue
            if not self.sync.exists(self.key("alive", claim["worker"])):
                out.append((url_key.decode(), claim["request"]))
        return out

    def take_claim(self, url_key: str) -> bool:
        """Remove a claim; True for the one worker that removed it (it re-queues it)."""
        return bool(self.sync.hdel(self.key("claims"), url_key))

    def close(self) -> None:
        self.sync.delete(self.key("alive", self.worker))
        self.sync.close()
