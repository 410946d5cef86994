"""A real HTTP fixture server on loopback, configured per test with routes.

Modelled on Scrapy's tests/mockserver.

Each FixtureServer is one origin (127.0.0.x and an ephemeral port). It records every request it
receives (time, method, path, headers) and the most requests it ever had in flight, so tests can
assert from the server's side what the crawler did.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal

RULES_PATHS = frozenset({"/robots.txt", "/.well-known/tdmrep.json"})


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "text/html; charset=utf-8"
    delay: float = 0.0  # seconds before answering
    # respond; reset (TCP RST); hang (no answer); stall (headers and half the body, then
    # nothing); drip (the body one byte every `delay` seconds, after an immediate header)
    action: Literal["respond", "reset", "hang", "stall", "drip"] = "respond"


@dataclass(frozen=True)
class Hit:
    time: float
    method: str
    path: str
    headers: dict[str, str]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        fixture = self.server.fixture
        fixture._enter(Hit(time.monotonic(), self.command, self.path, dict(self.headers.items())))
        try:
            route = fixture.routes.get(self.path) or fixture.routes.get(self.path.split("?")[0])
            if route is None:
                route = Route(b"<html><body><h1>Not found</h1></body></html>", status=404)
            if route.delay and route.action != "drip":
                time.sleep(route.delay)
            if route.action == "reset":
                # SO_LINGER 0: close with a TCP RST, as a crashing server would.
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.connection.close()
                self.close_connection = True
                return
            if route.action == "hang":
                time.sleep(10)
                return
            self.send_response(route.status)
            if route.content_type:
                self.send_header("Content-Type", route.content_type)
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            if self.command == "HEAD":
                return
            if route.action == "stall":
                self.wfile.write(route.body[: len(route.body) // 2])
                self.wfile.flush()
                time.sleep(10)
                return
            if route.action == "drip":
                for index in range(len(route.body)):
                    self.wfile.write(route.body[index : index + 1])
                    self.wfile.flush()
                    time.sleep(route.delay)
                return
            self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            fixture._leave()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fixture: FixtureServer


class FixtureServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self._server = _Server((host, port), _Handler)
        self._server.fixture = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def host(self) -> str:
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base + path

    def _enter(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def reset(self) -> None:
        with self._lock:
            self.routes = {}
            self.hits = []
            # Threads of an earlier test may still be sleeping in a hang/stall route; their
            # requests do not count against this test's concurrency.
            self.in_flight = 0
            self.max_in_flight = 0

    def add(self, path: str, body: bytes | str = b"", **kwargs: object) -> Route:
        if isinstance(body, str):
            body = body.encode("utf-8")
        route = Route(body=body, **kwargs)  # type: ignore[arg-type]
        self.routes[path] = route
        return route

    def paths(self) -> list[str]:
        return [hit.path for hit in self.hits]

    def page_paths(self) -> list[str]:
        """Requested paths other than the rules files (robots.txt, tdmrep.json)."""
        return [p for p in self.paths() if p not in RULES_PATHS]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
