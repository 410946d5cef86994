"""Turning a Scrapy response into a Page item, and telling HTML from everything else.

A body that claims to be HTML but is binary (NUL bytes near the start) is not HTML.
"""

from __future__ import annotations

import hashlib
from typing import Any

from scrapy.http import Response, TextResponse

from crawler.items import Page
from crawler.provenance import utc_now
from pipelines.findings import Truncated

HTML_TYPES = (b"text/html", b"application/xhtml+xml")
KEPT_HEADERS = (
    "content-type",
    "content-language",
    "last-modified",
    "link",
    "x-robots-tag",
    "content-usage",
    "tdm-reservation",
    "tdm-policy",
)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_html(response: Response) -> bool:
    content_type = (response.headers.get(b"Content-Type") or b"").lower()
    if content_type:
        declared = any(t in content_type for t in HTML_TYPES)
    else:
        head = response.body[:512].lstrip().lower()
        declared = head.startswith((b"<!doctype html", b"<html"))
    return declared and b"\x00" not in response.body[:1024]


def page_from_response(response: Response, max_bytes: int = 0) -> Page:
    """The Page of a response; `body` cut to `max_bytes` for analysis (the hash is of it all)."""
    encoding = response.encoding if isinstance(response, TextResponse) else "utf-8"
    headers: dict[str, list[str]] = {}
    for name in KEPT_HEADERS:
        values = response.headers.getlist(name)
        if values:
            headers[name] = [v.decode("latin-1") for v in values]
    meta: dict[str, Any] = response.meta
    referer = response.request.headers.get(b"Referer") if response.request else None
    body = response.body
    page = Page(
        url=response.url,
        status=response.status,
        body=body[:max_bytes] if max_bytes and len(body) > max_bytes else body,
        encoding=encoding,
        content_type=(headers.get("content-type") or [""])[0],
        fetched_at=meta.get("ccrawl_fetched_at") or utc_now(),
        content_sha256=sha256_hex(body),
        headers=headers,
        depth=int(meta.get("depth", 0)),
        referer=referer.decode("latin-1") if referer else None,
        site_signals=list(meta.get("ccrawl_site_signals") or []),
        robots=meta.get("ccrawl_robots"),
        requested_at=meta.get("ccrawl_requested_at"),
    )
    if len(page.body) < len(body):
        page.findings.truncated = Truncated(len(page.body), len(body))
    return page
