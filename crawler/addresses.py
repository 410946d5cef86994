"""Which network addresses a crawl may connect to, enforced where the connection gets its address.

`AddressGuard` wraps the reactor's name resolver, so every address a connection is about to use
(HTTP, HTTPS, a redirect target, robots.txt) passes the policy's rule first: a name that resolves
differently at connection time than before (DNS rebinding), or fails once and then answers
(a failed pre-check), can never reach a private address. It must never let an address through
unchecked, and it keeps no verdict: every lookup is checked anew.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from scrapy.exceptions import CannotResolveHostError
from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import (
    IAddress,
    IHostnameResolver,
    IHostResolution,
    IResolutionReceiver,
)
from zope.interface import implementer

from crawler.policy import Policy
from crawler.refusals import Refusal

logger = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def is_public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (address.is_multicast or address.is_reserved)


def parse_address(text: str) -> Address | None:
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])  # an IPv6 zone id is not an address
    except ValueError:
        return None


def normal_host(host: str) -> str:
    return host.lower().rstrip(".")


@dataclass(frozen=True)
class AddressRule:
    """Public addresses, plus the private hosts and networks `network.allow_private` lists."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[Network, ...] = ()

    @classmethod
    def from_policy(cls, policy: Policy) -> AddressRule:
        hosts: set[str] = set()
        networks: list[Network] = []
        for entry in policy.network.allow_private:
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(normal_host(entry))
        return cls(frozenset(hosts), tuple(networks))

    def allows(self, host: str, address: Address) -> bool:
        if is_public(address) or normal_host(host) in self.hosts:
            return True
        return any(address in network for network in self.networks)


@implementer(IResolutionReceiver)
class _CheckedReceiver:
    """Passes on only the addresses the guard allows; remembers the first one it held back."""

    def __init__(self, receiver: IResolutionReceiver, host: str, guard: AddressGuard) -> None:
        self.receiver = receiver
        self.host = host
        self.guard = guard

    def resolutionBegan(self, resolution: IHostResolution) -> None:
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address: IAddress) -> None:
        parsed = parse_address(getattr(address, "host", ""))
        if parsed is not None and self.guard.allows(self.host, parsed):
            self.receiver.addressResolved(address)
            return
        self.guard.held_back(self.host, parsed)

    def resolutionComplete(self) -> None:
        self.receiver.resolutionComplete()


@implementer(IHostnameResolver)
class AddressGuard:
    """The reactor's name resolver, with the crawl's address rule applied to every answer.

    With several crawls in one process, an address must be allowed by every crawl's rule.
    """

    def __init__(self, wrapped: IHostnameResolver) -> None:
        self.wrapped = wrapped
        self.rules: list[AddressRule] = []
        # host -> the address it last resolved to that was held back (evidence for provenance)
        self.refused: dict[str, Address | None] = {}

    def allows(self, host: str, address: Address) -> bool:
        return all(rule.allows(host, address) for rule in self.rules)

    def held_back(self, host: str, address: Address | None) -> None:
        host = normal_host(host)
        if host not in self.refused:
            logger.warning("Refusing to connect to %s at %s: not a public address", host, address)
        self.refused[host] = address

    def resolveHostName(
        self,
        resolutionReceiver: IResolutionReceiver,
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[type[IAddress]] | None = None,
        transportSemantics: str = "TCP",
    ) -> IHostResolution:
        checked = _CheckedReceiver(resolutionReceiver, hostName, self)
        return self.wrapped.resolveHostName(
            checked, hostName, portNumber, addressTypes, transportSemantics
        )


def install_address_guard(reactor: Any, rule: AddressRule) -> AddressGuard:
    """Wrap the reactor's current name resolver (Scrapy installs its own when the crawl starts,
    so this runs at the first request). `installNameResolver` also replaces `reactor.resolver`,
    so connections that resolve through the simple interface are checked too."""
    current = reactor.nameResolver
    guard = current if isinstance(current, AddressGuard) else None
    if guard is None:
        guard = AddressGuard(current)
        reactor.installNameResolver(guard)
    if rule not in guard.rules:
        guard.rules.append(rule)
    return guard


@dataclass
class Lookup:
    """Every address one name resolved to, collected by `resolve_all`."""

    addresses: list[Address] = field(default_factory=list)


def resolve_all(resolver: IHostnameResolver, host: str) -> Deferred[Lookup]:
    """A Deferred firing with a Lookup of every address `host` resolves to (no check applied)."""
    done: Deferred[Lookup] = Deferred()
    lookup = Lookup()

    @implementer(IResolutionReceiver)
    class Collect:
        def resolutionBegan(self, resolution: IHostResolution) -> None:
            pass

        def addressResolved(self, address: IAddress) -> None:
            if isinstance(address, IPv4Address | IPv6Address):
                parsed = parse_address(address.host)
                if parsed is not None:
                    lookup.addresses.append(parsed)

        def resolutionComplete(self) -> None:
            done.callback(lookup)

    resolver.resolveHostName(Collect(), host, 0)
    return done


def installed_guard() -> AddressGuard | None:
    # Imported here: importing the reactor at module level would install Twisted's default
    # reactor before Scrapy installs the one its settings name.
    from twisted.internet import reactor

    resolver = getattr(reactor, "nameResolver", None)
    return resolver if isinstance(resolver, AddressGuard) else None


def refused_at_connection(url: str, exception: BaseException) -> Refusal | None:
    """The refusal behind a failed lookup when the guard held the host's addresses back."""
    if not isinstance(exception, DNSLookupError | CannotResolveHostError):
        return None
    guard = installed_guard()
    host = normal_host(urlsplit(url).hostname or "")
    if guard is None or host not in guard.refused:
        return None
    address = guard.refused[host]
    return Refusal("private-address", {"host": host, "address": str(address)})
