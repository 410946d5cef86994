"""Scrapy project settings for `scrapy crawl policy -a policy=FILE` (scrapy.cfg points here).

Everything that makes the crawl compliant comes from the add-on and the policy, not from here.
"""

BOT_NAME = "ccrawl"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
ADDONS = {"crawler.addon.CompliantCrawl": 0}
LOG_LEVEL = "INFO"
