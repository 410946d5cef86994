"""The benchmark site's HTTP server: pre-built responses served from memory by asyncio protocols.

One process listens on every origin (127.0.0.1..4, one port), answers HTTP/1.1 keep-alive GETs
from a dict of ready bytes, and counts what it served (GET /__bench/stats) so crawls can be checked.
Run as `python -m bench.server --pages N --port P [--profile real]`; it prints one JSON line when
ready.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from functools import partial

from bench.site import PROFILES, ROBOTS_TXT, page_body, plan_site

STATS_PATH = b"/__bench/stats"
URLS_PATH = b"/__bench/urls"
NOT_FOUND = b"Not found\n"
Response = tuple[bytes, list[bytes], str]  # header block, body chunks, kind (counted)


def response(status: str, content_type: str, chunks: list[bytes], kind: str) -> Response:
    length = sum(len(c) for c in chunks)
    header = (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n"
        f"Connection: keep-alive\r\n\r\n"
    ).encode()
    return header, chunks, kind


def build_routes(
    pages: int, hosts: list[str], port: int, seed: int, profile: str = "article"
) -> list[dict[bytes, Response]]:
    """Per origin: path -> ready response."""
    site = plan_site(pages, [f"http://{host}:{port}" for host in hosts], seed, profile)
    routes: list[dict[bytes, Response]] = [{} for _ in hosts]
    for table in routes:
        table[b"/robots.txt"] = response("200 OK", "text/plain", [ROBOTS_TXT], "robots")
    for index, page in enumerate(site.pages):
        body = page_body(site, index)
        html = response("200 OK", "text/html; charset=utf-8", body, "html")
        routes[page.origin][page.path.encode()] = html
    urls = [site.bases[p.origin] + p.path for p in site.pages]
    for table in routes:  # for the load test; no page links here
        table[URLS_PATH] = response("200 OK", "application/json", [json.dumps(urls).encode()], "")
    return routes


class HttpProtocol(asyncio.Protocol):
    def __init__(self, routes: dict[bytes, Response], counts: Counter[str]) -> None:
        self.routes = routes
        self.counts = counts
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while self.transport is not None:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > 65536:
                    self.transport.close()
                return
            head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            self.answer(head)

    def answer(self, head: bytes) -> None:
        assert self.transport is not None
        line, _, fields = head.partition(b"\r\n")
        method, _, rest = line.partition(b" ")
        target, _, version = rest.partition(b" ")
        path = target.split(b"?", 1)[0]
        if path == STATS_PATH:
            found = response("200 OK", "application/json", [json.dumps(self.counts).encode()], "")
        else:
            found = self.routes.get(path) or response(
                "404 Not Found", "text/plain", [NOT_FOUND], "missing"
            )
        header, chunks, kind = found
        if kind:
            self.counts[kind] += 1
            self.counts["bytes"] += len(header) + sum(map(len, chunks))
        self.transport.writelines([header] if method == b"HEAD" else [header, *chunks])
        if version == b"HTTP/1.0" or b"connection: close" in fields.lower():
            self.transport.close()


async def serve(routes: list[dict[bytes, Response]], hosts: list[str], port: int) -> None:
    loop = asyncio.get_running_loop()
    counts: Counter[str] = Counter()
    for host, table in zip(hosts, routes, strict=True):
        await loop.create_server(partial(HttpProtocol, table, counts), host, port, backlog=1024)
    await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.server")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--port", type=int, default=8650)
    parser.add_argument("--hosts", default="127.0.0.1,127.0.0.2,127.0.0.3,127.0.0.4")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", choices=PROFILES, default="article")
    args = parser.parse_args(argv)
    hosts = args.hosts.split(",")
    started = time.perf_counter()
    routes = build_routes(args.pages, hosts, args.port, args.seed, args.profile)
    sizes = [sum(map(len, r[1])) for t in routes for r in t.values() if r[2] == "html"]
    ready = {
        "profile": args.profile,
        "pages": len(sizes),
        "mean_page_bytes": round(sum(sizes) / len(sizes)),
        "min_page_bytes": min(sizes),
        "max_page_bytes": max(sizes),
        "origins": [f"http://{h}:{args.port}/" for h in hosts],
        "build_seconds": round(time.perf_counter() - started, 2),
    }

    async def run() -> None:
        task = asyncio.ensure_future(serve(routes, hosts, args.port))
        await asyncio.sleep(0.2)
        if task.done():
            task.result()  # a bind error surfaces here
        print(json.dumps(ready), flush=True)
        await task

    try:
        asyncio.run(run())
    except OSError as exc:
        print(json.dumps({"error": str(exc)}), flush=True)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
