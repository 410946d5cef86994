"""Shared fixtures: loopback fixture servers started once per session, reset per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.mockserver import FixtureServer


@pytest.fixture(scope="session")
def _servers() -> Iterator[tuple[FixtureServer, FixtureServer]]:
    first, second = FixtureServer(), FixtureServer()
    yield first, second
    first.close()
    second.close()


@pytest.fixture
def site(_servers: tuple[FixtureServer, FixtureServer]) -> FixtureServer:
    """One origin on 127.0.0.1, with no routes (every path 404) at the start of each test."""
    _servers[0].reset()
    return _servers[0]


@pytest.fixture
def other_site(_servers: tuple[FixtureServer, FixtureServer]) -> FixtureServer:
    """A second origin: same host, another port, so another site."""
    _servers[1].reset()
    return _servers[1]
