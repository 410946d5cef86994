"""URL helpers: the origin of a URL and the canonical form used to filter duplicates.

Canonicalisation must never change which resource a URL names beyond dropping fragments and
known session/tracking parameters.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

DEFAULT_PORTS = {"http": 80, "https": 443}

# Query parameters that name a session or a campaign, not a resource.
SESSION_PARAMS = frozenset(
    {
        "jsessionid",
        "phpsessid",
        "sid",
        "sessionid",
        "session_id",
        "aspsessionid",
        "cfid",
        "cftoken",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
        "gclid",
        "fbclid",
        "mc_cid",
        "mc_eid",
    }
)


def origin(url: str) -> str:
    """scheme://host:port, the unit of robots.txt and politeness (RFC 9309 §2.3)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or DEFAULT_PORTS.get(scheme, 0)
    return f"{scheme}://{(parts.hostname or '').lower()}:{port}"


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


def clean_url(url: str) -> str:
    """The URL to request: fragment and session parameters removed, path and order kept."""
    parts = urlsplit(url)
    path = parts.path
    if ";" in path:  # ;jsessionid=... path parameters
        head, _, tail = path.partition(";")
        if tail.lower().split("=", 1)[0] in SESSION_PARAMS:
            path = head
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if k.lower() not in SESSION_PARAMS]
        if len(kept) != len(pairs):
            query = urlencode(kept)
    return urlunsplit((parts.scheme, parts.netloc, path or "/", query, ""))


def canonical_url(url: str) -> str:
    """The key for duplicate filtering: clean_url, then sorted query and normalised escapes."""
    return canonicalize_url(clean_url(url))
