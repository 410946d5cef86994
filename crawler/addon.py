"""The Scrapy add-on: `ADDONS = {"crawler.addon.CompliantCrawl": 0}` and `CCRAWL_POLICY`.

Any spider of a project that enables it runs under the policy: the same identity, robots.txt,
politeness, middlewares, pipelines and provenance as `ccrawl crawl`. A missing or invalid policy
stops the crawl before any request is sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import UsageError

from crawler.context import CrawlContext
from crawler.policy import PolicyError, load_policy
from crawler.settings import (
    CCRAWL_DEFAULTS,
    cluster_settings,
    component_settings,
    policy_settings,
)

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

ADDON_PATH = "crawler.addon.CompliantCrawl"
# Above every built-in priority (cmdline is 40): a project's settings.py, a spider's
# custom_settings or `-s` cannot loosen what the policy says.
POLICY_PRIORITY = 50


class CompliantCrawl:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CompliantCrawl:
        return cls(crawler)

    def update_settings(self, settings: Settings) -> None:
        path = settings.get("CCRAWL_POLICY")
        if not path:
            raise UsageError(
                f"{ADDON_PATH} is enabled but CCRAWL_POLICY is not set: name a policy file"
            )
        try:
            policy = load_policy(path)
        except PolicyError as exc:
            raise UsageError(str(exc)) from None
        for name, value in CCRAWL_DEFAULTS.items():
            settings.set(name, value, priority="default")
        for name, value in {**policy_settings(policy), **cluster_settings(policy)}.items():
            settings.set(name, value, priority=POLICY_PRIORITY)
        for name, value in component_settings(settings).items():
            settings.set(name, value, priority=POLICY_PRIORITY)
        # The one context every component is handed: outputs, politeness, cluster, pool.
        try:
            CrawlContext.open(self.crawler, policy)
        except PolicyError as exc:  # an output directory it may not write into
            raise UsageError(str(exc)) from None
