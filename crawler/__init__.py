"""ccrawl: a compliant web crawler framework on Scrapy.

Every fetched page passes rules that cannot be skipped silently, and every outcome is written to a
hash-chained provenance log.
"""

__version__ = "0.1.0"
