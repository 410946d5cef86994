"""A DNS resolver for tests: names listed in CCRAWL_TEST_HOSTS resolve to loopback addresses.

`-s DNS_RESOLVER=tests.resolver.FixtureHosts` with CCRAWL_TEST_HOSTS="news.test=127.0.0.1,
intranet.test=127.0.0.2". Any other name fails to resolve: tests never reach a real DNS server.
"""

from __future__ import annotations

import ipaddress
import os
from typing import Any

from twisted.internet import defer
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IResolverSimple
from zope.interface import implementer


def fixture_hosts() -> dict[str, str]:
    hosts: dict[str, str] = {}
    for pair in os.environ.get("CCRAWL_TEST_HOSTS", "").split(","):
        name, _, address = pair.partition("=")
        if name and address and ipaddress.ip_address(address.strip()).is_loopback:
            hosts[name.strip().lower()] = address.strip()
    return hosts


@implementer(IResolverSimple)
class FixtureHosts:
    def __init__(self, reactor: Any) -> None:
        self.reactor = reactor
        self.hosts = fixture_hosts()

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> FixtureHosts:
        return cls(reactor)

    def install_on_reactor(self) -> None:
        self.reactor.installResolver(self)

    def getHostByName(self, name: str, timeout: Any = ()) -> defer.Deferred[str]:
        try:
            return defer.succeed(str(ipaddress.ip_address(name)))
        except ValueError:
            pass
        address = self.hosts.get(name.lower())
        if address is None:
            return defer.fail(DNSLookupError(f"{name} is not a fixture host"))
        return defer.succeed(address)
