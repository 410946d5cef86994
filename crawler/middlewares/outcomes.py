"""Record what happened to every URL that was requested and will not reach the analysis stages.

`OutcomeRecorder` sits outermost in the downloader chain, so it sees each final response and each
final failure (after retries and redirects), plus robots.txt fetches. HTML pages with a 2xx status
are left to the pipelines, which settle them. `RecordingRetryMiddleware` records the attempts that
Scrapy's retry logic throws away. Nothing here changes a request: it only writes down.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import exceptions
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from twisted.internet import defer
from twisted.internet import error as net

from crawler.context import CrawlContext
from crawler.pages import is_html, sha256_hex
from crawler.provenance import utc_now

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

RECORDED = "ccrawl_recorded"
AUTH_STATUSES = {401, 403, 407}


def classify_exception(exception: BaseException) -> tuple[str, str]:
    """(outcome, reason code) for a failed download."""
    if isinstance(exception, IgnoreRequest):
        if "robots.txt" in str(exception):
            return "refused", "robots-disallow"
        if str(exception).startswith("offsite-redirect"):
            return "refused", "offsite-redirect"
        return "refused", "ignored"
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
    if isinstance(exception, exceptions.DownloadFailedError | exceptions.ResponseDataLossError):
        text = str(exception)
        if "ConnectionLost" in text or "ConnectionDone" in text or "DataLoss" in text:
            return "error", "connection-lost"
        if isinstance(exception, exceptions.ResponseDataLossError):
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


def is_robots_fetch(request: Request) -> bool:
    return bool(request.meta.get("dont_obey_robotstxt")) and request.url.endswith("/robots.txt")


class OutcomeRecorder:
    def __init__(self, context: CrawlContext) -> None:
        self.context = context

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OutcomeRecorder:
        return cls(CrawlContext.of(crawler))

    def process_response(self, request: Request, response: Response) -> Response:
        self.context.fetched += 1
        request.meta["ccrawl_fetched_at"] = utc_now()
        if is_robots_fetch(request):
            self.context.record(
                response.url,
                "dropped",
                ["robots-txt"],
                status=response.status,
                content_sha256=sha256_hex(response.body),
            )
            return response
        common: dict[str, Any] = {
            "status": response.status,
            "content_sha256": sha256_hex(response.body),
            "depth": request.meta.get("depth"),
        }
        if not 200 <= response.status < 300:
            outcome, reason = classify_status(response.status)
            self.context.record(response.url, outcome, [reason], **common)
            request.meta[RECORDED] = True
        elif not is_html(response):
            content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
            self.context.record(
                response.url, "dropped", ["not-html"], content_type=content_type[:100], **common
            )
            request.meta[RECORDED] = True
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        try:
            outcome, reason = classify_exception(exception)
        except Exception:  # a record with a vague reason beats no record
            outcome, reason = "error", "download-error"
        reason_list = ["robots-txt", reason] if is_robots_fetch(request) else [reason]
        self.context.record(
            request.url,
            outcome,
            reason_list,
            error=describe_exception(exception),
            depth=request.meta.get("depth"),
        )
        request.meta[RECORDED] = True
        return None


class RecordingRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, plus a provenance record for every attempt it retries."""

    context: CrawlContext

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordingRetryMiddleware:
        middleware = super().from_crawler(crawler)
        middleware.context = CrawlContext.of(crawler)
        return middleware

    def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
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

    def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
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
        status=response.status,
        content_sha256=sha256_hex(response.body),
        redirect_to=target.url,
        depth=request.meta.get("depth"),
    )


class RecordingRedirectMiddleware(RedirectMiddleware):
    """Scrapy's RedirectMiddleware, plus a record for each redirecting URL when it redirects.

    Recorded at once: the target may be a duplicate that the scheduler filters, and the source
    must have its record all the same.
    """

    context: CrawlContext

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordingRedirectMiddleware:
        middleware = super().from_crawler(crawler)
        middleware.context = CrawlContext.of(crawler)
        return middleware

    def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request) and result is not request:
            _record_redirect(self.context, request, response, result)
        return result


class RecordingMetaRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware (<meta http-equiv="refresh">), recorded the same way."""

    context: CrawlContext

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordingMetaRefreshMiddleware:
        middleware = super().from_crawler(crawler)
        middleware.context = CrawlContext.of(crawler)
        return middleware

    def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request) and result is not request:
            _record_redirect(self.context, request, response, result)
        return result
