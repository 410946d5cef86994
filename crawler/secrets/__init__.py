"""Trade-secret and credential detection: credentials removed from page text, confidentiality
markers weighed by where they stand. Pure (no Scrapy, no network): it runs in a worker process and
must never return, log or raise with a credential's value in it.
"""

from crawler.secrets.scan import scan_secrets

__all__ = ["scan_secrets"]
