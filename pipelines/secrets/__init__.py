"""Trade-secret and credential detection: credentials removed from page text, confidentiality
markers weighed by where they stand. Pure (no Scrapy, no network): it runs in a worker process and
must never return, log or raise with a credential's value in it.
"""

import warnings

_showwarning = warnings.showwarning
from pipelines.secrets.scan import scan_secrets  # noqa: E402

# detect-secrets calls logging.captureWarnings(True) when imported; the crawl's warnings stay ours.
warnings.showwarning = _showwarning

__all__ = ["scan_secrets"]
