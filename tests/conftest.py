"""Shared fixtures: loopback fixture servers started once per session, reset per test."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# Every crawl a test starts is a real subprocess with a real analysis pool; one worker each keeps
# dozens of small crawls from fighting over two cores. The benchmark measures the full pool.
os.environ.setdefault("CCRAWL_WORKERS", "1")

from tests.mockserver import FixtureServer


@pytest.fixture(scope="session")
def _servers() -> Iterator[tuple[FixtureServer, FixtureServer, FixtureServer]]:
    first, second = FixtureServer(), FixtureServer()
    # 127.0.0.2 stands for an address the policy does not allow (a private network): a server
    # listens there only to detect a breach. Tests never send traffic beyond loopback.
    forbidden = FixtureServer("127.0.0.2")
    yield first, second, forbidden
    for server in (first, second, forbidden):
        server.close()


@pytest.fixture
def site(_servers: tuple[FixtureServer, ...]) -> FixtureServer:
    """One origin on 127.0.0.1, with no routes (every path 404) at the start of each test."""
    _servers[0].reset()
    return _servers[0]


@pytest.fixture
def other_site(_servers: tuple[FixtureServer, ...]) -> FixtureServer:
    """A second origin: same host, another port, so another site."""
    _servers[1].reset()
    return _servers[1]


@pytest.fixture
def forbidden_site(_servers: tuple[FixtureServer, ...]) -> FixtureServer:
    """A server on 127.0.0.2, which test policies do not allow: it must never see a request."""
    _servers[2].reset()
    return _servers[2]
