"""NetworkGuard: what may be connected to at all, checked on every request and every redirect.

Only http and https; no private, loopback, link-local, reserved or multicast address unless
`network.allow_private` lists it. The address is checked where the connection gets it
(`crawler.addresses.AddressGuard` wraps the reactor's resolver); the check here refuses early, with
evidence, and never lets a failed lookup count as allowed. No proxies: behind one, the target's
address is resolved where nothing can check it. Bodies of content types the policy does not accept
are not downloaded past their headers.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import StopDownload
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor

from crawler.addresses import (
    AddressGuard,
    AddressRule,
    install_address_guard,
    normal_host,
    parse_address,
    resolve_all,
)
from crawler.context import CrawlContext
from crawler.middlewares.outcomes import RULES_FETCH
from crawler.policy import Policy
from crawler.refusals import Refusal

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Headers

logger = logging.getLogger(__name__)

STOPPED_AT_HEADERS = "ccrawl_stopped_at_headers"


class NetworkGuard:
    def __init__(self, policy: Policy) -> None:
        self.rule = AddressRule.from_policy(policy)
        self.content_types = tuple(t.lower() for t in policy.network.content_types)
        self._guard: AddressGuard | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NetworkGuard:
        guard = cls(CrawlContext.of(crawler).policy)
        crawler.signals.connect(guard.headers_received, signal=signals.headers_received)
        return guard

    def address_guard(self) -> AddressGuard:
        """The connection-level guard, installed on the reactor's resolver at the first request
        (and again should anything replace that resolver)."""
        # Twisted types the global reactor with its common interfaces only; every reactor Scrapy
        # installs provides IReactorPluggableNameResolver too.
        if self._guard is None or reactor.nameResolver is not self._guard:  # type: ignore[attr-defined]
            self._guard = install_address_guard(reactor, self.rule)
        return self._guard

    async def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            raise Refusal("scheme", {"scheme": parts.scheme})
        host = normal_host(parts.hostname or "")
        if not host:
            raise Refusal("scheme", {"url": request.url[:200]})
        if request.meta.get("proxy"):
            # Through a proxy the target's address is resolved where no guard can check it.
            raise Refusal("proxy-not-allowed", {"host": host})
        guard = self.address_guard()
        # A refusal here names the address early and spares the origin's robots.txt fetch; the
        # guarantee is the connection-level check, which sees the address actually used.
        literal = parse_address(host)
        addresses = [literal] if literal else (await self._lookup(guard, host))
        for address in addresses:
            if not guard.allows(host, address):
                raise Refusal("private-address", {"host": host, "address": str(address)})

    async def _lookup(self, guard: AddressGuard, host: str) -> list[Any]:
        lookup = await maybe_deferred_to_future(resolve_all(guard.wrapped, host))
        # No answer: the connection resolves again, through the guard, and fails or is checked.
        return lookup.addresses

    def headers_received(
        self, headers: Headers, body_length: int, request: Request, **kwargs: Any
    ) -> None:
        if request.meta.get(RULES_FETCH) or not self.content_types:
            return
        declared = headers.get(b"Content-Type")
        if not declared:
            return  # sniffed after download
        media = declared.decode("latin-1").split(";", 1)[0].strip().lower()
        if media and media not in self.content_types:
            request.meta[STOPPED_AT_HEADERS] = media
            raise StopDownload(fail=False)
