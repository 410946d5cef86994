"""PolicySpider: start at the policy's seeds and follow in-scope links, honouring nofollow.

It only finds links; the page itself is captured for analysis by the PageCapture middleware and
scope, budget and duplicates are enforced by ScopeGuard, so a user's own spider gets the same.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

from scrapy import Request, Spider
from scrapy.http import Response, TextResponse
from scrapy.selector import Selector
from twisted.python.failure import Failure

from crawler.addon import ADDON_PATH
from crawler.context import CrawlContext
from crawler.links import page_links
from crawler.middlewares.outcomes import record_failure
from crawler.middlewares.scope import RESUMED
from crawler.pages import is_html
from crawler.policy import Policy
from crawler.signals import xrobots
from crawler.urls import clean_url

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


def nofollow_page(response: TextResponse, page: Selector, token: str) -> bool:
    """nofollow or none for us in X-Robots-Tag or a robots meta tag: the rules of
    `crawler.signals.xrobots`, read from the meta tags of the page's parsed tree."""
    metas = "".join(page.xpath("//meta[@name and @content]").getall())
    headers = response.headers.getlist(b"X-Robots-Tag")
    return xrobots.nofollow(xrobots.directives_for(token, headers, metas))


class PolicySpider(Spider):
    name = "policy"

    @property
    def policy(self) -> Policy:
        # The spider is built before the add-on applies the policy and opens the crawl's context.
        return CrawlContext.of(self.crawler).policy

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> PolicySpider:
        path = kwargs.pop("policy", None)
        if path:
            crawler.settings.set("CCRAWL_POLICY", path, priority="cmdline")
        addons = dict(crawler.settings.getdict("ADDONS"))
        if ADDON_PATH not in addons:
            addons[ADDON_PATH] = 0
            crawler.settings.set("ADDONS", addons, priority="cmdline")
        spider: PolicySpider = super().from_crawler(crawler, *args, **kwargs)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        cluster = CrawlContext.of(self.crawler).cluster
        if cluster is not None:
            # The frontier lives in Redis: seeds are pushed once, by the first worker ever.
            if cluster.claim_seeding():
                for seed in self.policy.seeds:
                    yield Request(clean_url(seed), callback=self.parse, errback=self.failed)
            return
        resume = CrawlContext.of(self.crawler).resume
        if resume.resuming:
            pending = resume.pending()
            self.logger.info(
                "Resuming: %d URLs settled, %d pending", len(resume.settled), len(pending)
            )
            for entry in pending:
                meta = {"depth": int(entry.get("depth", 0)), RESUMED: True}
                yield Request(entry["url"], callback=self.parse, errback=self.failed, meta=meta)
            if resume.frontier:
                return
        for seed in self.policy.seeds:
            yield Request(clean_url(seed), callback=self.parse, errback=self.failed)

    def parse(self, response: Response) -> Iterator[Request]:
        if not isinstance(response, TextResponse) or not is_html(response):
            return
        # Parsed here and not cached on the response (response.selector would be): the response
        # stays alive while its page waits for analysis, and a tree is many times its body.
        page = Selector(response=response, type="html")
        if nofollow_page(response, page, self.policy.agent.token):
            self.crawler.stats.inc_value("ccrawl/links/nofollow_page")
            return
        limit = self.policy.scope.max_links_per_page
        # A page repeats its links (nav, teaser, "read more"): one Request per distinct URL,
        # so scope checks and the shared frontier see each once.
        yielded: set[str] = set()
        for url, nofollow in page_links(response, page, limit):
            if nofollow:
                self.crawler.stats.inc_value("ccrawl/links/nofollow")
                continue
            target = clean_url(url)
            if target not in yielded:
                yielded.add(target)
                yield Request(target, callback=self.parse, errback=self.failed)

    def failed(self, failure: Failure) -> None:
        # Normally written to provenance already; nothing to retry or work around. A failure no
        # middleware recorded (raised where none could see it) is recorded here.
        request = getattr(failure, "request", None)
        if request is not None:
            assert failure.value is not None  # a Failure holds the exception it was made from
            record_failure(CrawlContext.of(self.crawler), request, failure.value)
        self.logger.debug("Not fetched: %s", failure.getErrorMessage())
