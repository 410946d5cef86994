"""Links of a page, read straight off the parsed tree and capped, so a page with hundreds of
thousands of links costs bounded time and memory. Never yields javascript:, mailto:, data: or
file: links: they are never followed.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin

from scrapy.http import TextResponse
from scrapy.selector import Selector
from scrapy.utils.response import get_base_url

SKIPPED_SCHEMES = ("javascript:", "mailto:", "data:", "file:", "tel:", "ftp:", "about:", "blob:")


def page_links(response: TextResponse, page: Selector, limit: int) -> Iterator[tuple[str, bool]]:
    """(absolute URL, nofollow) for each <a>/<area> href of the response's parsed `page`, at
    most `limit` of them."""
    base = get_base_url(response)
    root = page.root
    if root is None or not hasattr(root, "iter"):
        return
    count = 0
    joined: dict[str, str] = {}  # pages repeat their links (menus, rails): each href joined once
    for element in root.iter("a", "area"):
        href = element.get("href")
        if not href:
            continue
        href = href.strip()
        if not href or href.startswith("#") or href.lower().startswith(SKIPPED_SCHEMES):
            continue
        rel = (element.get("rel") or "").lower().split()
        url = joined.get(href)
        if url is None:
            url = joined[href] = urljoin(base, href)
        yield url, "nofollow" in rel
        count += 1
        if count >= limit:
            return
