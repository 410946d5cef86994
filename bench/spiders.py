"""The two plain-Scrapy crawls ccrawl is compared with: (A) trafilatura to JSONL, (C) download only.

Both follow every link on the site from the origins' home pages, with the same concurrency as
ccrawl (one download slot per origin host), and write their Scrapy stats to <output>/stats.json.
Run as `python -m bench.spiders {extract,download} --output DIR ORIGIN...`.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import trafilatura
from scrapy import Request, signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule


class SiteSpider(CrawlSpider):
    """Download only (C): count the HTML pages and follow their links (the usual CrawlSpider)."""

    name = "bench-download"
    rules = (Rule(LinkExtractor(), callback="parse_page", follow=True),)

    def __init__(self, origins: list[str], **kwargs: Any) -> None:
        self.start_urls = origins
        self.allowed_domains = sorted({urlsplit(u).hostname or "" for u in origins})
        super().__init__(**kwargs)

    async def start(self) -> AsyncIterator[Request]:
        # Scrapy's default start requests skip the dupefilter, so the home pages would be
        # fetched twice (once more through links); ccrawl fetches each seed once.
        for url in self.start_urls:
            yield Request(url)

    def parse_start_url(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        return self.parse_page(response)

    def parse_page(self, response: Response) -> Iterator[Any]:
        if isinstance(response, TextResponse):
            self.crawler.stats.inc_value("bench/html_pages")
            yield from self.handle(response)

    def handle(self, response: TextResponse) -> Iterator[Any]:
        yield from ()


class ExtractSpider(SiteSpider):
    """What a user would write (A): trafilatura in the callback, items to a JSONL feed."""

    name = "bench-extract"

    def handle(self, response: TextResponse) -> Iterator[Any]:
        extracted = trafilatura.extract(
            response.text,
            url=response.url,
            output_format="json",
            with_metadata=True,
            include_comments=False,
            include_tables=True,
        )
        if extracted:
            yield {"url": response.url, **json.loads(extracted)}


def write_stats(crawler: Crawler, output: Path, started: float) -> None:
    stats = crawler.stats.get_stats() if crawler.stats else {}
    report = {
        "seconds": round(time.monotonic() - started, 3),
        "fetched": stats.get("bench/html_pages", 0),
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "cpu_seconds_main": round(time.process_time(), 3),
        "stats": {k: v if isinstance(v, int | float) else str(v) for k, v in stats.items()},
    }
    (output / "stats.json").write_text(json.dumps(report, indent=1, sort_keys=True))


def settings(output: Path, extract: bool, concurrency: int, per_origin: int) -> dict[str, Any]:
    feeds = {str(output / "items.jsonl"): {"format": "jsonlines", "encoding": "utf8"}}
    return {
        "ROBOTSTXT_OBEY": True,
        "CONCURRENT_REQUESTS": concurrency,
        # The origins are distinct hosts (127.0.0.1..4), so Scrapy's per-host download slot is
        # the per-origin limit, as ccrawl's politeness.max_concurrency is.
        "CONCURRENT_REQUESTS_PER_DOMAIN": per_origin,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
        "USER_AGENT": "BenchBot/1.0 (+https://example.org/bot)",
        "FEEDS": feeds if extract else {},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.spiders")
    parser.add_argument("mode", choices=["extract", "download"])
    parser.add_argument("--output", required=True)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--per-origin", type=int, default=4)
    parser.add_argument("origins", nargs="+")
    args = parser.parse_args(argv)
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    extract = args.mode == "extract"
    process = CrawlerProcess(settings(output, extract, args.concurrency, args.per_origin))
    crawler = process.create_crawler(ExtractSpider if extract else SiteSpider)
    started = [time.monotonic()]

    def opened(**_: Any) -> None:  # timed from here, as ccrawl's stats.json is
        started[0] = time.monotonic()

    def closed(**_: Any) -> None:
        write_stats(crawler, output, started[0])

    crawler.signals.connect(opened, signals.spider_opened, weak=False)
    crawler.signals.connect(closed, signals.spider_closed, weak=False)
    process.crawl(crawler, origins=args.origins)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
