"""RobotsGate: the rules an origin publishes, checked before any request to it is sent.

RFC 9309 robots.txt (parsed by Protego, groups chosen by our exact product token), the AI-usage
lines in it (AIPREF Content-Usage, Content-Signal, disallows aimed at known AI-training bots) and
W3C TDMRep's /.well-known/tdmrep.json. When unsure it refuses: an unreachable robots.txt (429,
5xx, timeout, network error, unparseable body) means nothing is fetched from that origin.
A file is parsed once per fetch, never per request, and its comments are never kept.
"""

from __future__ import annotations

import asyncio
import codecs
import hashlib
import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from scrapy import Request
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK

from crawler.context import CrawlContext
from crawler.middlewares.outcomes import ROBOTS_INFO, RULES_FETCH
from crawler.pages import sha256_hex
from crawler.policy import AI_USAGES, Policy
from crawler.politeness import Politeness
from crawler.refusals import Refusal
from crawler.resume import write_json_atomically
from crawler.runstats import cpu_timer
from crawler.signals import aipref, tdmrep
from crawler.signals.robots_groups import (
    RobotsRules,
    crawl_delay,
    parse_robots,
    request_rate,
    strip_comments,
)
from crawler.signals.types import Signal
from crawler.urls import origin, robots_url

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

SITE_SIGNALS = "ccrawl_site_signals"
AI_TRAINING_USAGES = ("train-ai", "train-genai")
# TDMRep reserves text and data mining; a search index is not TDM.
# RFC 9309 §2.3.1.4: 429 is "unreachable", like 5xx.
UNREACHABLE_STATUS = 429


@dataclass
class OriginRules:
    url: str
    state: Literal["parsed", "unrestricted", "unreachable", "too-slow"]
    expires: float
    status: int | None = None
    sha256: str | None = None  # of the body as fetched
    text: str = ""  # the file without its comments: all that is kept, in memory and on disk
    parsed: RobotsRules | None = None
    error: str | None = None
    delay: float | None = None
    failures: int = 0
    tdm: tdmrep.TdmRepFile | None = None
    tdm_body: str | None = None
    site_signals: list[Signal] = field(default_factory=list)

    def to_state(self) -> dict[str, Any]:
        """What a restarted crawl needs to reuse these rules without fetching them again.

        Never the comments: they are prose, often a webmaster's e-mail address.
        """
        remaining = self.expires - time.monotonic()
        return {
            "url": self.url,
            "state": self.state,
            "status": self.status,
            "sha256": self.sha256,
            "text": self.text,
            "error": self.error,
            "delay": self.delay,
            "failures": self.failures,
            "tdm": self.tdm_body,
            "expires_at": time.time() + remaining,
        }

    def info(self, rule: str | None = None) -> dict[str, Any]:
        group = self.parsed.selection.matched if self.parsed else None
        return {
            "url": self.url,
            "sha256": self.sha256,
            "rule": rule,
            "group": group,
            "status": self.status,
        }


def signal_evidence(signal: Signal) -> dict[str, Any]:
    return {"source": signal.source, "evidence": signal.evidence, **signal.detail}


def decode_robots(body: bytes, limit: int) -> str | None:
    """robots.txt as text, the first `limit` bytes; None if it is not text at all."""
    body = body[:limit]
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = body.decode("utf-16", errors="replace")
    else:
        text = body.decode("utf-8-sig", errors="replace")
    if "\x00" in text:
        return None
    sample = text[:4096]
    if sample and sum(ch == "\ufffd" or (ch < " " and ch not in "\t\r\n\f") for ch in sample) > (
        len(sample) // 10
    ):
        return None
    return text


class RobotsGate:
    def __init__(
        self, crawler: Crawler, policy: Policy, politeness: Politeness, state_dir: Path | None
    ) -> None:
        self.crawler = crawler
        self.policy = policy
        self.politeness = politeness
        self.token = policy.agent.token
        self.usage = policy.usage
        self.rules: dict[str, OriginRules] = {}
        self._pending: dict[str, asyncio.Future[OriginRules]] = {}
        self.state_dir = state_dir
        if state_dir is not None:
            self._restore(state_dir)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsGate:
        context = CrawlContext.of(crawler)
        return cls(
            crawler, context.policy, context.politeness, context.output_dir / "state" / "robots"
        )

    def _state_path(self, key: str) -> Path:
        assert self.state_dir is not None
        return self.state_dir / (hashlib.sha1(key.encode()).hexdigest() + ".json")

    def _restore(self, state_dir: Path) -> None:
        """Rules an earlier run of this crawl fetched, still within their TTL."""
        if not state_dir.is_dir():
            return
        for path in state_dir.glob("*.json"):
            try:
                saved = json.loads(path.read_text(encoding="utf-8"))
            except (ValueError, OSError):
                continue
            rules = self._rules_from_state(saved)
            if rules is not None:
                self.rules[saved["origin"]] = rules
                if rules.text != (saved.get("text") or ""):
                    self._save(saved["origin"], rules)  # a file saved with comments

    def _rules_from_state(self, saved: dict[str, Any]) -> OriginRules | None:
        try:
            key, remaining = saved["origin"], saved["expires_at"] - time.time()
        except (KeyError, TypeError):
            return None
        if remaining <= 0:
            return None
        rules = OriginRules(
            saved["url"],
            saved["state"],
            time.monotonic() + remaining,
            status=saved.get("status"),
            sha256=saved.get("sha256"),
            # files saved before comments were dropped still hold them
            text=strip_comments(saved.get("text") or ""),
            error=saved.get("error"),
            delay=saved.get("delay"),
            failures=saved.get("failures", 0),
        )
        if rules.state in ("parsed", "too-slow") and rules.text:
            rules.parsed = parse_robots(rules.text, self.token)
            rules.site_signals = aipref.rsl_licences(rules.text)
        if saved.get("tdm"):
            rules.tdm_body = saved["tdm"]
            rules.tdm = tdmrep.parse_tdmrep_json(saved["tdm"])
        if rules.delay is not None and rules.state == "parsed":
            self.politeness.set_delay(key, rules.delay)
        return rules

    def _save(self, key: str, rules: OriginRules) -> None:
        if self.state_dir is not None:
            write_json_atomically(self._state_path(key), {"origin": key, **rules.to_state()})

    async def process_request(self, request: Request) -> None:
        if request.meta.get(RULES_FETCH):
            return
        rules = await self.rules_for(request.url)
        with cpu_timer(self.crawler.stats, "robots"):
            self.check(request, rules)

    def check(self, request: Request, rules: OriginRules) -> None:
        url = request.url
        if rules.state == "unreachable":
            raise Refusal(
                "robots-unreachable",
                {"status": rules.status, "error": rules.error},
                robots=rules.info(),
            )
        if rules.state == "too-slow":
            raise Refusal(
                "crawl-delay-too-long",
                {
                    "crawl_delay": rules.delay,
                    "max_crawl_delay": self.policy.politeness.max_crawl_delay,
                },
                robots=rules.info(),
            )
        rule: str | None = None
        if rules.parsed is not None:
            allowed, rule = rules.parsed.verdict(url)
            if not allowed:
                raise Refusal("robots-disallow", {"rule": rule}, robots=rules.info(rule))
            for signal in self._robots_optouts(rules, url):
                raise Refusal(signal.code, signal_evidence(signal), robots=rules.info(rule))
        if rules.tdm is not None and self.usage in AI_USAGES:
            reserved = rules.tdm.match(request.url)
            if reserved is not None:
                raise Refusal(reserved.code, signal_evidence(reserved), robots=rules.info(rule))
        request.meta[ROBOTS_INFO] = rules.info(rule)
        if rules.site_signals:
            request.meta[SITE_SIGNALS] = [
                signal_evidence(s) | {"code": s.code} for s in rules.site_signals
            ]

    def _robots_optouts(self, rules: OriginRules, url: str) -> list[Signal]:
        parsed = rules.parsed
        assert parsed is not None
        # Only the lines of each field, picked out once per fetch, not every line per request.
        usage_lines = parsed.member_lines("content-usage")
        signal_lines = parsed.member_lines("content-signal")
        found = [
            aipref.content_usage_from_robots(usage_lines, url, self.usage),
            aipref.content_signal_from_robots(signal_lines, url, self.usage),
        ]
        signals = [s for s in found if s is not None]
        if self.usage in AI_TRAINING_USAGES and self.policy.optouts.ai_bot_disallow:
            signals += parsed.ai_optouts(url)
        return signals

    async def rules_for(self, url: str) -> OriginRules:
        key = origin(url)
        rules = self.rules.get(key)
        if rules is not None and rules.expires > time.monotonic():
            return rules
        pending = self._pending.get(key)
        if pending is None:
            pending = asyncio.ensure_future(self._load(key, url, rules))
            self._pending[key] = pending
            pending.add_done_callback(lambda _: self._pending.pop(key, None))
        return await asyncio.shield(pending)

    async def _download(self, url: str, kind: str) -> Response:
        request = Request(
            url,
            # No handle_httpstatus_all: RedirectMiddleware must follow robots.txt redirects.
            meta={RULES_FETCH: kind, "dont_obey_robotstxt": True},
            priority=1000,
            dont_filter=True,
            callback=NO_CALLBACK,
        )
        assert self.crawler.engine is not None
        return await self.crawler.engine.download_async(request)

    async def _load(self, key: str, url: str, previous: OriginRules | None) -> OriginRules:
        cluster = self.politeness.cluster
        if cluster is None:
            return await self._load_here(key, url, previous)
        # One fetch per origin per TTL for the whole cluster: the worker holding the lock fetches
        # and shares; the others wait for its rules.
        shared = await cluster.robots(key)
        if shared is None:
            if await cluster.lock_robots(key):
                try:
                    rules = await self._load_here(key, url, previous)
                    await cluster.share_robots(
                        key, {"origin": key, **rules.to_state()}, rules.expires - time.monotonic()
                    )
                finally:
                    await cluster.unlock_robots(key)
                return rules
            shared = await cluster.wait_for_robots(key)
        rules_shared = self._rules_from_state(shared) if shared else None
        if rules_shared is None:
            return await self._load_here(key, url, previous)
        self.rules[key] = rules_shared
        self._save(key, rules_shared)
        return rules_shared

    async def _load_here(self, key: str, url: str, previous: OriginRules | None) -> OriginRules:
        rules = await self._fetch_robots(url, previous)
        if rules.delay is not None and rules.state == "parsed":
            # Applied at once: the next request to the origin (tdmrep.json included) waits.
            if rules.delay > self.policy.politeness.max_crawl_delay:
                rules.state = "too-slow"
                logger.warning(
                    "%s asks for %.0f s between requests: origin skipped", key, rules.delay
                )
            else:
                self.politeness.set_delay(key, rules.delay)
        wants_tdmrep = self.policy.optouts.tdmrep and self.usage in AI_USAGES
        if wants_tdmrep and rules.state in ("parsed", "unrestricted"):
            rules.tdm_body = await self._fetch_tdmrep(url)
            if rules.tdm_body is not None:
                rules.tdm = tdmrep.parse_tdmrep_json(rules.tdm_body)
        self.rules[key] = rules
        self._save(key, rules)
        return rules

    async def _fetch_robots(self, url: str, previous: OriginRules | None) -> OriginRules:
        target = robots_url(url)
        settings = self.policy.robots
        now = time.monotonic()
        try:
            response = await self._download(target, "robots")
        except Exception as exc:  # timeouts, resets, DNS, refusals, redirect loops
            return self._unreachable(target, previous, None, f"{type(exc).__name__}: {exc}"[:200])
        status = response.status
        if status == UNREACHABLE_STATUS or status >= 500:
            return self._unreachable(target, previous, status, f"HTTP {status}")
        if 400 <= status < 500:
            # RFC 9309 §2.3.1.3: unavailable (4xx) means no restrictions.
            return OriginRules(target, "unrestricted", now + settings.ttl, status=status)
        if not 200 <= status < 300:
            return self._unreachable(target, previous, status, f"HTTP {status}")
        decoded = decode_robots(response.body, settings.max_bytes)
        if decoded is None:
            return self._unreachable(target, previous, status, "not a text file")
        with cpu_timer(self.crawler.stats, "robots"):
            # Parsed once per fetch; comments dropped first, so no evidence can quote one.
            text = strip_comments(decoded)
            parsed = parse_robots(text, self.token)
        selection = parsed.selection
        delays = [d for d in (crawl_delay(selection), request_rate(selection)) if d is not None]
        return OriginRules(
            target,
            "parsed",
            now + settings.ttl,
            status=status,
            sha256=sha256_hex(response.body),
            text=text,
            parsed=parsed,
            delay=max(delays) if delays else None,
            site_signals=aipref.rsl_licences(text),
        )

    def _unreachable(
        self, url: str, previous: OriginRules | None, status: int | None, error: str
    ) -> OriginRules:
        failures = (previous.failures if previous and previous.state == "unreachable" else 0) + 1
        wait = min(self.policy.robots.error_ttl * 2 ** (failures - 1), self.policy.robots.ttl)
        logger.warning(
            "robots.txt %s unreachable (%s): nothing is fetched from this origin for %.0f s",
            url,
            error,
            wait,
        )
        return OriginRules(
            url,
            "unreachable",
            time.monotonic() + wait,
            status=status,
            error=error,
            failures=failures,
        )

    async def _fetch_tdmrep(self, url: str) -> str | None:
        """The body of /.well-known/tdmrep.json, or None when there is none we can read."""
        target = origin_root(url) + "/.well-known/tdmrep.json"
        try:
            response = await self._download(target, "tdmrep")
        except Exception:
            return None  # no file we can read: headers and meta tags still decide per page
        if not 200 <= response.status < 300:
            return None
        return response.body[: self.policy.robots.max_bytes].decode("utf-8", errors="replace")


def origin_root(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
