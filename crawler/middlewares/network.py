"""NetworkGuard: what may be connected to at all, checked on every request and every redirect.

Only http and https; no private, loopback, link-local, reserved or multicast address unless
`network.allow_private` lists it, checked on the resolved address. Bodies of content types the
policy does not accept are not downloaded past their headers.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import StopDownload
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor

from crawler.context import policy_for
from crawler.middlewares.outcomes import RULES_FETCH
from crawler.policy import Policy
from crawler.refusals import Refusal

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Headers

logger = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
STOPPED_AT_HEADERS = "ccrawl_stopped_at_headers"


def is_public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (address.is_multicast or address.is_reserved)


class NetworkGuard:
    def __init__(self, policy: Policy) -> None:
        self.allowed_hosts: set[str] = set()
        self.allowed_networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for entry in policy.network.allow_private:
            try:
                self.allowed_networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.allowed_hosts.add(entry.lower().rstrip("."))
        self.content_types = tuple(t.lower() for t in policy.network.content_types)
        self._verdicts: dict[str, tuple[str, Address] | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NetworkGuard:
        guard = cls(policy_for(crawler))
        crawler.signals.connect(guard.headers_received, signal=signals.headers_received)
        return guard

    def allowed(self, host: str, address: Address) -> bool:
        if is_public(address):
            return True
        if host in self.allowed_hosts:
            return True
        return any(address in network for network in self.allowed_networks)

    async def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            raise Refusal("scheme", {"scheme": parts.scheme})
        host = (parts.hostname or "").lower().rstrip(".")
        if not host:
            raise Refusal("scheme", {"url": request.url[:200]})
        if host not in self._verdicts:
            self._verdicts[host] = await self._check(host)
        verdict = self._verdicts[host]
        if verdict is not None:
            reason, address = verdict
            raise Refusal(reason, {"host": host, "address": str(address)})

    async def _check(self, host: str) -> tuple[str, Address] | None:
        try:
            address: Address = ipaddress.ip_address(host)
        except ValueError:
            try:
                resolved = await maybe_deferred_to_future(reactor.resolve(host))  # type: ignore[attr-defined]
                address = ipaddress.ip_address(resolved)
            except Exception:
                return None  # the download fails with dns-error and is recorded as such
        if not self.allowed(host, address):
            logger.warning("Refusing %s: it resolves to %s, not a public address", host, address)
            return ("private-address", address)
        return None

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
