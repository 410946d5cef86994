"""Policy -> Scrapy settings: every setting the crawl depends on, with its default, in one place.

Settings that make the crawl compliant are applied at add-on priority, above a project's own
settings.py: a project cannot switch off the rules by accident.
"""

from __future__ import annotations

import os
from typing import Any

from crawler.policy import Policy

# Component positions. The recorder sits outermost (10) to see final outcomes; identity sits
# innermost (990) so nothing after it can change the User-Agent.
DOWNLOADER_MIDDLEWARES: dict[str, int | None] = {
    "crawler.middlewares.outcomes.OutcomeRecorder": 10,
    "crawler.middlewares.scope.RedirectScope": 50,
    "crawler.middlewares.network.NetworkGuard": 60,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.robots.RobotsGate": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.outcomes.RecordingRetryMiddleware": 550,
    "crawler.middlewares.access.AccessGuard": 560,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.outcomes.RecordingMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.outcomes.RecordingRedirectMiddleware": 600,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.middlewares.outcomes.RecordingHttpCompressionMiddleware": 590,
    "crawler.middlewares.identity.IdentityMiddleware": 990,
    "crawler.middlewares.politeness.PolitenessMiddleware": 995,
}
SPIDER_MIDDLEWARES: dict[str, int | None] = {
    "crawler.middlewares.capture.PageCapture": 950,
    "crawler.middlewares.scope.ScopeGuard": 960,
}
# One pipeline: analysis in the worker pool, dedupe, decide, the writes (pipelines/pipeline.py).
ITEM_PIPELINES: dict[str, int] = {
    "pipelines.pipeline.AnalysisPipeline": 800,
}
EXTENSIONS: dict[str, int | None] = {
    "crawler.progress.Progress": 500,
    "crawler.runstats.RunStats": 510,
    # No listening ports: the telnet console is a remote shell into the crawler.
    "scrapy.extensions.telnet.TelnetConsole": None,
    # Scrapy 2.19's remote control opens an HTTP port on every crawl: a crawler opens no listeners.
    "scrapy.extensions.remote_control.RemoteControl": None,
}

# Defaults of ours that are not policy keys (override in settings.py or with -s).
CCRAWL_DEFAULTS: dict[str, Any] = {
    # analysis processes; -1 = one per CPU, at most one per 250 pages of the page budget (a worker
    # holds its own engines, ~250 MB); 0 = analyse inline, in the crawl's own process (the
    # reactor waits for each page: for debugging and small crawls). The environment variable
    # CCRAWL_WORKERS sets the default (the test suite runs its many small crawls with one).
    "CCRAWL_WORKERS": int(os.environ.get("CCRAWL_WORKERS", "-1")),
    "CCRAWL_PAGE_TIMEOUT": 60.0,  # seconds the analysis of one page may take (worker replaced)
    "CCRAWL_WORKER_MEMORY_MB": 2048,  # heap cap of each analysis worker
    "CCRAWL_PROGRESS": None,  # live progress line: None = only on a terminal, True, False
    "CCRAWL_PROGRESS_INTERVAL": 1.0,
    "CCRAWL_OUTPUT_DIR": None,  # overrides output.dir
    "CCRAWL_MAX_PAGES": None,  # overrides scope.max_pages
    "CCRAWL_WORKER": None,  # this worker's name in a distributed crawl (overrides the policy)
    "CCRAWL_CLUSTER_PREFETCH": 4,  # requests one worker takes from the shared queue at a time
}


def merge_components(current: dict[str, Any] | None, ours: dict[str, Any]) -> dict[str, Any]:
    merged = dict(current or {})
    merged.update(ours)
    return merged


def policy_settings(policy: Policy) -> dict[str, Any]:
    """The Scrapy settings a policy implies."""
    return {
        "USER_AGENT": policy.user_agent,
        # robots.txt is obeyed by crawler.middlewares.robots.RobotsGate (RFC 9309 semantics:
        # unreachable means disallow); Scrapy's own middleware would allow on a 5xx.
        "ROBOTSTXT_OBEY": False,
        # Delays and per-origin concurrency are enforced by crawler.politeness (exact floors,
        # robots Crawl-delay, Retry-After); Scrapy's own slot delay would only add jitter.
        "DOWNLOAD_DELAY": 0.0,
        "DOWNLOAD_DELAY_JITTER": 0.0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": policy.politeness.max_concurrency,
        "CONCURRENT_REQUESTS_PER_IP": 0,
        "DEPTH_LIMIT": policy.scope.max_depth,
        "DOWNLOAD_TIMEOUT": policy.network.timeout,
        "DOWNLOAD_MAXSIZE": policy.network.max_body_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_TIMES": policy.network.retries,
        # 429 and 503 are AccessGuard's: Retry-After, backoff, then the origin stops.
        "RETRY_HTTP_CODES": [500, 502, 504, 522, 524, 408],
        "REDIRECT_MAX_TIMES": 5,
        # One identity: no cookies, so no session that a refusal could be retried under.
        "COOKIES_ENABLED": False,
        # No proxy from http_proxy/https_proxy: behind a proxy the address guard cannot see
        # where a request goes (NetworkGuard also refuses a request whose meta names one).
        "HTTPPROXY_ENABLED": False,
        # http and https through Scrapy's Twisted handler only: its connections resolve through
        # the reactor, where crawler.addresses.AddressGuard checks every address.
        "DOWNLOAD_HANDLERS": {
            "http": "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler",
            "https": "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler",
            "ftp": None,
            "s3": None,
            "file": None,
            "data": None,
        },
        "AUTOTHROTTLE_ENABLED": False,
        "HTTPCACHE_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
    }


def cluster_settings(policy: Policy) -> dict[str, Any]:
    """The shared frontier of a distributed crawl (scrapy-redis), or nothing on one machine."""
    if not policy.distributed.redis_url:
        return {}
    prefix = f"ccrawl:{policy.name}"
    return {
        "SCHEDULER": "crawler.distributed.scheduler.ClusterScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,  # the queue outlives the workers: the crawl resumes
        "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
        "REDIS_URL": policy.distributed.redis_url,
    }


def component_settings(settings: Any) -> dict[str, Any]:
    return {
        "DOWNLOADER_MIDDLEWARES": merge_components(
            settings.getdict("DOWNLOADER_MIDDLEWARES"), DOWNLOADER_MIDDLEWARES
        ),
        "SPIDER_MIDDLEWARES": merge_components(
            settings.getdict("SPIDER_MIDDLEWARES"), SPIDER_MIDDLEWARES
        ),
        "ITEM_PIPELINES": merge_components(settings.getdict("ITEM_PIPELINES"), ITEM_PIPELINES),
        "EXTENSIONS": merge_components(settings.getdict("EXTENSIONS"), EXTENSIONS),
    }
