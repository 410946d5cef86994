"""A quick loopback load on the benchmark server, to show it is not what limits a crawl.

Keep-alive connections spread over the origins each fetch pages back to back for a few seconds;
run as `python -m bench.loadtest --connections 16 --seconds 3 ORIGIN`; prints one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import sys
import time
import urllib.request
from functools import partial
from urllib.parse import urlsplit


class Fetcher(asyncio.Protocol):
    """Sends one GET, reads the answer to its Content-Length, sends the next, until told."""

    def __init__(
        self, host: str, paths: list[str], deadline: float, done: asyncio.Future[None]
    ) -> None:
        self.requests = itertools.cycle(
            f"GET {p} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode() for p in paths
        )
        self.deadline = deadline
        self.done = done
        self.buffer = b""
        self.remaining = -1  # body bytes still expected; -1 while reading headers
        self.responses = 0
        self.bytes = 0
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.write(next(self.requests))

    def data_received(self, data: bytes) -> None:
        self.bytes += len(data)
        if self.remaining < 0:
            self.buffer += data
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].lower()
            start = head.index(b"content-length:") + 15
            length = int(head[start : head.index(b"\r\n", start)].strip())
            self.remaining = length - (len(self.buffer) - end - 4)
            self.buffer = b""
        else:
            self.remaining -= len(data)
        if self.remaining <= 0:
            self.remaining = -1
            self.responses += 1
            assert self.transport is not None
            if time.monotonic() < self.deadline:
                self.transport.write(next(self.requests))
            else:
                self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            self.done.set_result(None)


def _same(fetcher: Fetcher) -> Fetcher:
    return fetcher


async def load(urls: list[str], connections: int, seconds: float) -> dict[str, float]:
    loop = asyncio.get_running_loop()
    deadline = time.monotonic() + seconds
    started = time.perf_counter()
    by_origin: dict[str, list[str]] = {}
    for u in urls:
        by_origin.setdefault(urlsplit(u).netloc, []).append(urlsplit(u).path)
    origins = sorted(by_origin)
    fetchers, waits = [], []
    for i in range(connections):
        netloc = origins[i % len(origins)]
        paths = by_origin[netloc]
        start = (i // len(origins)) * len(paths) // max(1, connections // len(origins))
        done: asyncio.Future[None] = loop.create_future()
        fetcher = Fetcher(netloc, paths[start:] + paths[:start], deadline, done)
        host, port = netloc.rsplit(":", 1)
        await loop.create_connection(partial(_same, fetcher), host, int(port))
        fetchers.append(fetcher)
        waits.append(done)
    await asyncio.gather(*waits)
    elapsed = time.perf_counter() - started
    responses = sum(f.responses for f in fetchers)
    megabytes = sum(f.bytes for f in fetchers) / 1e6
    return {
        "connections": connections,
        "seconds": round(elapsed, 3),
        "responses": responses,
        "pages_per_second": round(responses / elapsed, 1),
        "megabytes_per_second": round(megabytes / elapsed, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.loadtest")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("origin", help="any origin of the site, e.g. http://127.0.0.1:8650")
    args = parser.parse_args(argv)
    with urllib.request.urlopen(args.origin.rstrip("/") + "/__bench/urls") as answer:
        urls = json.loads(answer.read())
    print(json.dumps(asyncio.run(load(urls, args.connections, args.seconds))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
