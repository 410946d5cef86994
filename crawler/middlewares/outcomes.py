"""Record what happened to every URL that was requested and will not reach the analysis stages.

`OutcomeRecorder` sits outermost in the downloader chain, so it sees each final response and each
final failure (after retries and redirects), plus robots.txt fetches. HTML pages with a 2xx status
are left to the pipelines, which settle them. `RecordingRetryMiddleware` records the attempts that
Scrapy's retry logic throws away. Nothing here changes a request: it only writes down.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import exceptions
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from twisted.internet import defer
from twisted.internet import error as net
from twisted.python.failure import Failure
from twisted.web._newclient import _DataLoss
from twisted.web.http import PotentialDataLoss

from crawler.addresses import refused_at_connection
from crawler.context import CrawlContext
from crawler.pages import is_html, sha256_hex
from crawler.provenance import utc_now
from crawler.refusals import Refusal, refuse_response, response_refusal

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

RECORDED = "ccrawl_recorded"
ROBOTS_INFO = "ccrawl_robots"
AUTH_STATUSES = {401, 403, 407}


LOST = (net.ConnectionLost, net.ConnectionDone, _DataLoss, PotentialDataLoss)


def _lost_connection(exception: BaseException) -> bool:
    """A download that failed because the connection went away (Scrapy wraps Twisted's
    ResponseFailed, whose `reasons` are the failures that ended the response)."""
    cause = exception.__cause__
    reasons = getattr(cause, "reasons", None) or []
    return any(isinstance(r, Failure) and r.check(*LOST) for r in reasons)


def classify_exception(exception: BaseException) -> tuple[str, str]:
    """(outcome, reason code) for a failed download, from the exception's type only."""
    if isinstance(exception, Refusal):
        return exception.outcome, exception.code
    if isinstance(exception, IgnoreRequest):
        return "refused", "ignored"  # another project's middleware ignored it
    timeouts = (
        exceptions.DownloadTimeoutError,
        net.TimeoutError,
        net.TCPTimedOutError,
        TimeoutError,
    )
    if isinstance(exception, timeouts):
        return "error", "download-timeout"
    refused = (exceptions.DownloadConnectionRefusedError, net.ConnectionRefusedError)
    if isinstance(exception, (*refused, ConnectionRefusedError)):
        return "error", "connection-refused"
    if isinstance(exception, exceptions.CannotResolveHostError | net.DNSLookupError):
        return "error", "dns-error"
    if isinstance(exception, exceptions.DownloadCancelledError | defer.CancelledError):
        return "dropped", "too-large"
    if isinstance(exception, exceptions.ResponseDataLossError):
        return "error", "connection-lost"
    if isinstance(exception, exceptions.DownloadFailedError) and _lost_connection(exception):
        return "error", "connection-lost"
    lost = (net.ConnectionLost, net.ConnectionDone, ConnectionResetError, ConnectionAbortedError)
    if isinstance(exception, lost):
        return "error", "connection-lost"
    return "error", "download-error"


def classify_status(status: int) -> tuple[str, str]:
    if status in AUTH_STATUSES:
        return "refused", "http-auth"
    if status == 451:
        return "refused", "http-legal"
    if status == 429 or status >= 500:
        return "error", "http-status"
    return "dropped", "http-status"


def describe_exception(exception: BaseException) -> str:
    text = f"{type(exception).__name__}: {exception}"
    return text[:300]


# meta key on the requests that fetch an origin's rules, valued "robots" or "tdmrep"
RULES_FETCH = "ccrawl_rules_fetch"
RULES_REASON = {"robots": "robots-txt", "tdmrep": "tdmrep-json"}


def rules_reason(request: Request) -> str | None:
    """The reason code of a rules fetch (robots.txt, tdmrep.json), None for other requests."""
    kind = request.meta.get(RULES_FETCH)
    if kind:
        return RULES_REASON.get(str(kind), "robots-txt")
    if request.meta.get("dont_obey_robotstxt") and request.url.endswith("/robots.txt"):
        return "robots-txt"
    return None


def in_redirect_loop(request: Request) -> bool:
    """The URL was already met earlier in this redirect chain: it has its final record."""
    return request.url in (request.meta.get("redirect_urls") or [])


def record_failure(context: CrawlContext, request: Request, exception: BaseException) -> None:
    """The final record of a request that failed or was refused; at most once per request."""
    if request.meta.get(RECORDED):
        return
    request.meta[RECORDED] = True
    exception = refused_at_connection(request.url, exception) or exception
    try:
        outcome, reason = classify_exception(exception)
    except Exception:  # a record with a vague reason beats no record
        outcome, reason = "error", "download-error"
    reasons = [reason]
    fetched_as = rules_reason(request)
    if fetched_as and reason != fetched_as:
        reasons = [fetched_as, reason]
    refusal = exception if isinstance(exception, Refusal) else None
    context.record(
        request.url,
        outcome,
        reasons,
        final=not in_redirect_loop(request),
        error=None if refusal else describe_exception(exception),
        evidence=refusal.evidence if refusal and refusal.evidence else None,
        robots=(refusal.robots if refusal else None) or request.meta.get(ROBOTS_INFO),
        depth=request.meta.get("depth"),
    )


class OutcomeRecorder:
    def __init__(self, context: CrawlContext) -> None:
        self.context = context

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OutcomeRecorder:
        return cls(CrawlContext.of(crawler))

    def process_response(self, request: Request, response: Response) -> Response:
        self.context.fetched += 1
        request.meta["ccrawl_fetched_at"] = utc_now()
        refusal = response_refusal(request.meta)
        if refusal is not None:
            self._record_refused(request, response, refusal)
            raise refusal  # the spider never sees a refused response
        fetched_as = rules_reason(request)
        if fetched_as:
            self.context.record(
                response.url,
                "dropped",
                [fetched_as],
                requested_at=request.meta.get("ccrawl_requested_at"),
                status=response.status,
                content_sha256=sha256_hex(response.body),
            )
            return response
        stopped = request.meta.get("ccrawl_stopped_at_headers")
        common: dict[str, Any] = {
            "status": response.status,
            # a body not downloaded past its headers has no hash to record
            "content_sha256": None if stopped else sha256_hex(response.body),
            "depth": request.meta.get("depth"),
            "robots": request.meta.get(ROBOTS_INFO),
            "requested_at": request.meta.get("ccrawl_requested_at"),
        }
        if not 200 <= response.status < 300:
            outcome, reason = classify_status(response.status)
            self.context.record(response.url, outcome, [reason], **common)
            request.meta[RECORDED] = True
        elif not is_html(response):
            content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
            self.context.record(
                response.url, "dropped", ["not-html"], content_type=content_type[:100], **common
            )
            request.meta[RECORDED] = True
        return response

    def _record_refused(self, request: Request, response: Response, refusal: Refusal) -> None:
        if request.meta.get(RECORDED):
            return
        request.meta[RECORDED] = True
        self.context.record(
            response.url,
            refusal.outcome,
            [refusal.code],
            final=not in_redirect_loop(request),
            status=response.status,
            content_sha256=sha256_hex(response.body),
            evidence=refusal.evidence or None,
            robots=refusal.robots or request.meta.get(ROBOTS_INFO),
            requested_at=request.meta.get("ccrawl_requested_at"),
            depth=request.meta.get("depth"),
        )

    def process_exception(self, request: Request, exception: Exception) -> None:
        record_failure(self.context, request, exception)
        return None


class RecordingRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, plus a provenance record for every attempt it retries."""

    context: CrawlContext

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordingRetryMiddleware:
        middleware = super().from_crawler(crawler)
        middleware.context = CrawlContext.of(crawler)
        return middleware

    # `spider` in both methods only matches RetryMiddleware's signature (see _Recording).
    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if response_refusal(request.meta):
            return response  # a refusal is final: never retried
        result = super().process_response(request, response)
        if isinstance(result, Request):
            self.context.record(
                request.url,
                "error",
                ["retry", "http-status"],
                status=response.status,
                final=False,
                attempt=request.meta.get("retry_times", 0) + 1,
            )
        return result

    def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> Request | Response | None:
        if refused_at_connection(request.url, exception):
            return None  # a refusal, not a failure: never retried
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            self.context.record(
                request.url,
                "error",
                ["retry", classify_exception(exception)[1]],
                final=False,
                attempt=request.meta.get("retry_times", 0) + 1,
                error=describe_exception(exception),
            )
        return result


def _record_redirect(
    context: CrawlContext, request: Request, response: Response, target: Request
) -> None:
    context.fetched += 1
    context.record(
        request.url,
        "dropped",
        ["redirect"],
        final=not in_redirect_loop(request),
        status=response.status,
        content_sha256=sha256_hex(response.body),
        requested_at=request.meta.get("ccrawl_requested_at"),
        redirect_to=target.url,
        depth=request.meta.get("depth"),
    )


class _Recording:
    """Wraps a Scrapy downloader middleware's process_response so that what it decides is
    recorded: a redirect it follows, or an IgnoreRequest it raises (raised from
    process_response, that would bypass every process_exception and leave no record)."""

    context: CrawlContext

    # The two ignores: a mixin's super() is the middleware after it in the MRO, which mypy
    # cannot see from here (it looks the method up on object).
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        middleware = super().from_crawler(crawler)  # type: ignore[misc]
        middleware.context = CrawlContext.of(crawler)
        return middleware

    # The refusal a wrapped middleware's IgnoreRequest stands for.
    refusal_code: tuple[str, str] = ("ignored", "refused")

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        # `spider` only matches the wrapped middlewares' signature: the argument is deprecated,
        # and Scrapy passes it only to a method that requires it, which this one does not.
        if response_refusal(request.meta):
            return response
        try:
            result: Request | Response = super().process_response(  # type: ignore[misc]
                request, response
            )
        except IgnoreRequest:
            code, outcome = self.refusal_code
            refuse_response(request.meta, Refusal(code, outcome=outcome))
            return response
        if isinstance(result, Request) and result is not request:
            _record_redirect(self.context, request, response, result)
        return result


class RecordingRedirectMiddleware(_Recording, RedirectMiddleware):
    """Scrapy's RedirectMiddleware, plus a record for each redirecting URL when it redirects.

    Recorded at once: the target may be a duplicate that the scheduler filters, and the source
    must have its record all the same. Too many redirections are recorded as `redirect-limit`
    (the one IgnoreRequest Scrapy's middleware raises).
    """

    refusal_code = ("redirect-limit", "error")


class RecordingMetaRefreshMiddleware(_Recording, MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware (<meta http-equiv="refresh">), recorded the same way."""

    refusal_code = ("redirect-limit", "error")


class RecordingHttpCompressionMiddleware(_Recording, HttpCompressionMiddleware):
    """Scrapy's decompression, plus a record when a body inflates past the size limit (a bomb:
    the one IgnoreRequest Scrapy's middleware raises)."""

    refusal_code = ("too-large", "dropped")
