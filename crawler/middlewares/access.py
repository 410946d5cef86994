"""AccessGuard: doors that are closed stay closed. Never circumvent, never retry as someone else.

401/403/407/451 refuse the URL, and repeated refusals stop the origin (a circuit breaker). 429 and
503 are honoured with Retry-After (seconds or HTTP-date) or an exponential backoff, a bounded number
of times, then the origin is stopped. A bot challenge stops the origin at once. A login wall is
never logged into. Every refusal is written to provenance with its evidence.
"""

from __future__ import annotations

import email.utils
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy.http import Request, Response

from crawler.context import CrawlContext
from crawler.middlewares.outcomes import ROBOTS_INFO, RULES_FETCH
from crawler.pages import is_html
from crawler.policy import Policy
from crawler.politeness import Politeness
from crawler.refusals import Refusal, refuse_response, response_refusal
from crawler.signals.types import Signal
from crawler.signals.walls import detect_challenge, detect_login_wall
from crawler.urls import origin

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

BACKOFF = "ccrawl_backoff"
REFUSAL_STATUSES = {401: "http-auth", 403: "http-auth", 407: "http-auth", 451: "http-legal"}
RATE_LIMIT_STATUSES = (429, 503)
SCANNED_BYTES = 256 * 1024


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds from now (RFC 9110 §10.2.3: delay-seconds or an HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now if now is not None else datetime.now(UTC).timestamp()
    return max(0.0, when.timestamp() - current)


def first_headers(response: Response) -> dict[str, str]:
    return {
        k.decode("latin-1").lower(): v[0].decode("latin-1") if v else ""
        for k, v in response.headers.items()
    }


def signal_evidence(signal: Signal) -> dict[str, Any]:
    return {"source": signal.source, "evidence": signal.evidence, **signal.detail}


class AccessGuard:
    def __init__(self, context: CrawlContext, policy: Policy, politeness: Politeness) -> None:
        self.context = context
        self.policy = policy
        self.politeness = politeness

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AccessGuard:
        context = CrawlContext.of(crawler)
        return cls(context, context.policy, context.politeness)

    def process_request(self, request: Request) -> None:
        self.politeness.check_open(origin(request.url))

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get(RULES_FETCH) or response_refusal(request.meta):
            return response  # robots.txt has its own status semantics (RFC 9309)
        key = origin(request.url)
        status = response.status
        headers = first_headers(response)
        body = response.body[:SCANNED_BYTES]
        challenge = detect_challenge(status, headers, body)
        if challenge is not None:
            self._stop(key, "challenge", signal_evidence(challenge))
            return self._refuse(request, response, "challenge", signal_evidence(challenge))
        if status in REFUSAL_STATUSES:
            code = REFUSAL_STATUSES[status]
            evidence: dict[str, Any] = {"status": status}
            if headers.get("www-authenticate"):
                evidence["www-authenticate"] = headers["www-authenticate"][:200]
            if status == 401:
                wall = detect_login_wall(status, headers, response.url, body)
                if wall is not None:
                    code, evidence = "login-wall", signal_evidence(wall)
            self._count_refusal(key, code)
            return self._refuse(request, response, code, evidence)
        if status in RATE_LIMIT_STATUSES:
            return self._back_off(request, response, key, headers)
        if 200 <= status < 300:
            self.politeness.state(key).consecutive_refusals = 0
            if is_html(response):
                wall = detect_login_wall(status, headers, response.url, body)
                if wall is not None:
                    return self._refuse(request, response, "login-wall", signal_evidence(wall))
        return response

    def _back_off(
        self, request: Request, response: Response, key: str, headers: dict[str, str]
    ) -> Request | Response:
        attempts = int(request.meta.get(BACKOFF, 0))
        access = self.policy.access
        told = retry_after_seconds(headers.get("retry-after"))
        wait = (
            told if told is not None else max(1.0, self.policy.politeness.min_delay) * 2**attempts
        )
        evidence = {
            "status": response.status,
            "retry_after": headers.get("retry-after"),
            "wait": round(wait, 3),
            "attempt": attempts + 1,
        }
        if wait > access.max_wait or attempts >= access.max_retries:
            self._stop(key, "rate-limited", evidence)
            return self._refuse(request, response, "rate-limited", evidence, outcome="error")
        self.politeness.pause(key, wait)
        self.context.fetched += 1
        self.context.record(
            request.url,
            "error",
            ["retry", "rate-limited"],
            status=response.status,
            final=False,
            evidence=evidence,
            robots=request.meta.get(ROBOTS_INFO),
        )
        logger.info("%s answered %d: waiting %.1f s before retrying", key, response.status, wait)
        retry = request.replace(dont_filter=True)
        retry.meta[BACKOFF] = attempts + 1
        return retry

    def _count_refusal(self, key: str, code: str) -> None:
        state = self.politeness.state(key)
        state.consecutive_refusals += 1
        if state.consecutive_refusals >= self.policy.access.max_refusals:
            self._stop(
                key, "too-many-refusals", {"refusals": state.consecutive_refusals, "last": code}
            )

    def _stop(self, key: str, code: str, evidence: dict[str, Any]) -> None:
        if self.politeness.state(key).stopped is None:
            logger.warning("Stopping the crawl of %s: %s %s", key, code, evidence)
        self.politeness.stop(key, code, evidence)

    @staticmethod
    def _refuse(
        request: Request,
        response: Response,
        code: str,
        evidence: dict[str, Any],
        outcome: str = "refused",
    ) -> Response:
        """The response goes on, refused: the outcome recorder writes its record and stops it."""
        refuse_response(request.meta, Refusal(code, evidence, outcome=outcome))
        return response
