"""Licence signals outside the HTML: HTTP `Link: <url>; rel="license"` headers and RSL pointers
(robots.txt `License:` lines, `Link` headers of type application/rsl+xml). We never fetch an
RSL document, so an RSL pointer names a licence only when its URL is itself a known licence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from crawler.signals import aipref
from pipelines.licences.evidence import PAGE, SITE, Evidence
from pipelines.licences.urls import licence_from_url

# Everything between one link's `>` and the next `<` is its parameters.
_LINK = re.compile(r"<([^<>]{0,2000})>([^<]*)")
_PARAM = re.compile(r";\s*([^\s=;,]+)\s*(?:=\s*(?:\"([^\"]*)\"|([^;,]*)))?")


def _as_strings(values: Any) -> list[str]:
    if isinstance(values, str | bytes):
        values = [values]
    if not isinstance(values, Iterable):
        return []
    out = []
    for value in values:
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if isinstance(value, str):
            out.append(value)
    return out


def link_header_licences(values: Any) -> list[Evidence]:
    """`licence` links of the response's Link headers (RSL links are reported by `rsl`)."""
    out = []
    for value in _as_strings(values):
        for m in _LINK.finditer(value[:20_000]):
            params: dict[str, str] = {}
            for p in _PARAM.finditer(m.group(2)):
                params.setdefault(p.group(1).lower(), (p.group(2) or p.group(3) or "").strip())
            rels = set(params.get("rel", "").lower().split())
            media = params.get("type", "").split(";")[0].strip().lower()
            if rels & {"license", "licence"} and media != "application/rsl+xml":
                url = m.group(1).strip()
                seen = m.group(0).strip().rstrip(",").strip()
                out.append(Evidence("link-header", seen, licence_from_url(url), PAGE))
    return out


def rsl(headers: dict[str, Any], site_signals: Any) -> list[Evidence]:
    """RSL licence pointers from robots.txt and from the response's Link headers, site level."""
    out = []
    signals = site_signals if isinstance(site_signals, list) else []
    for signal in signals:
        if isinstance(signal, dict) and signal.get("code") == "licence-rsl":
            url = str(signal.get("url") or "")
            evidence = str(signal.get("evidence") or url)
            out.append(Evidence("rsl", evidence, licence_from_url(url) if url else None, SITE))
    links = _as_strings(headers.get("link", [])) if isinstance(headers, dict) else []
    if links:
        for signal in aipref.rsl_from_link_header(links):
            url = signal.detail.get("url", "")
            out.append(Evidence("rsl", signal.evidence, licence_from_url(url), SITE))
    return out
