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


def scripted_answers() -> dict[str, list[str]]:
    """CCRAWL_TEST_DNS="rebind.test=127.0.0.1|~|127.0.0.1|127.0.0.2;flaky.test=fail|127.0.0.2":
    the answers each name gives, one per lookup ("fail" = the lookup fails); once they run out
    they start again after the `~` (or from the first, without one)."""
    script: dict[str, list[str]] = {}
    for entry in os.environ.get("CCRAWL_TEST_DNS", "").split(";"):
        name, _, answers = entry.partition("=")
        steps = [a.strip() for a in answers.split("|") if a.strip()]
        for step in steps:
            if step not in ("fail", "~") and not ipaddress.ip_address(step).is_loopback:
                raise ValueError(f"test DNS answers must be loopback addresses, not {step}")
        if name.strip() and steps:
            script[name.strip().lower()] = steps
    return script


@implementer(IResolverSimple)
class ScriptedHosts(FixtureHosts):
    """An attacker's DNS: each scripted name changes its answer from one lookup to the next."""

    def __init__(self, reactor: Any) -> None:
        super().__init__(reactor)
        self.script = scripted_answers()
        self.lookups: dict[str, int] = {}

    def getHostByName(self, name: str, timeout: Any = ()) -> defer.Deferred[str]:
        steps = self.script.get(name.lower())
        if steps is None:
            return super().getHostByName(name, timeout)
        count = self.lookups.get(name.lower(), 0)
        self.lookups[name.lower()] = count + 1
        prefix = steps.index("~") if "~" in steps else 0
        cycle = steps[prefix + 1 :] if "~" in steps else steps
        answer = steps[count] if count < prefix else cycle[(count - prefix) % len(cycle)]
        if answer == "fail":
            return defer.fail(DNSLookupError(f"{name}: scripted failure"))
        return defer.succeed(answer)
