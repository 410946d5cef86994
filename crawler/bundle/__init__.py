"""Dataset bundles: export crawl outputs as a self-describing, verifiable bundle, and read them.

A bundle only ever holds accepted documents and the complete provenance; held (quarantined) or
rejected text never leaves the crawl output directory.
"""

from __future__ import annotations


class BundleError(Exception):
    """A bundle that cannot be made or read (bad input, missing policy copy, target exists)."""
