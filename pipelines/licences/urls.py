"""Licence URLs to SPDX ids: Creative Commons deeds, legal codes and badges, and the canonical
URLs of the other licences in our table. A URL we cannot place maps to None, never a guess.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from pipelines.licences import spdx

_CC_HOSTS = re.compile(r"^(?:[a-z0-9-]+\.)*(?:creativecommons\.org|licensebuttons\.net)$")
_CC_CODE = {
    "by": "BY",
    "by-sa": "BY-SA",
    "by-nd": "BY-ND",
    "by-nc": "BY-NC",
    "by-nc-sa": "BY-NC-SA",
    "by-nc-nd": "BY-NC-ND",
    "by-nd-nc": "BY-NC-ND",  # the 1.0 spelling
}
# /licenses/by-sa/3.0/de/deed.en, /l/by/4.0/88x31.png (badges), with an optional port segment.
_CC_LICENCE = re.compile(
    r"^/(?:licen[cs]es|l)/(?P<code>[a-z-]+)/(?P<version>\d\.\d)"
    r"(?:/(?P<port>[a-z]{2}|igo|scotland)(?=/|$))?(?:/.*)?$"
)
_CC_TOOL = (
    (re.compile(r"^/(?:publicdomain|p)/zero/1\.0(?:/.*)?$"), "CC0-1.0"),
    (re.compile(r"^/(?:publicdomain|p)/mark/1\.0(?:/.*)?$"), "CC-PDM-1.0"),
    (re.compile(r"^/(?:licenses|l)/publicdomain(?:/.*)?$"), "CC-PDDC"),
    (re.compile(r"^/presskit/buttons/[^/]+/[^/]+/cc-zero\.[a-z]+$"), "CC0-1.0"),
)
_CC_LICENCE_PATH = re.compile(r"^/(?:licen[cs]es|publicdomain|l|p|presskit/buttons)/")

_GNU = re.compile(r"^/licenses/(?:old-licenses/)?(a?gpl|lgpl|fdl)-(\d\.\d)(?:[./-].*)?$")
_GNU_NAMES = {"gpl": "GPL", "agpl": "AGPL", "lgpl": "LGPL", "fdl": "GFDL"}
# host suffix, path pattern, SPDX id (the path group, when the id is None)
_OTHERS: tuple[tuple[str, re.Pattern[str], str | None], ...] = (
    ("opensource.org", re.compile(r"^/licen[cs]es?/([a-z0-9.-]+?)(?:\.php|\.html)?/?$"), None),
    ("spdx.org", re.compile(r"^/licenses/([a-z0-9.+-]+?)(?:\.html|\.json)?/?$"), None),
    ("choosealicense.com", re.compile(r"^/licenses/([a-z0-9.-]+)/?$"), None),
    ("apache.org", re.compile(r"^/licenses/license-2\.0(?:\.html|\.txt)?/?$"), "Apache-2.0"),
    ("mozilla.org", re.compile(r"^/(?:en-us/)?mpl/2\.0(?:/.*)?$"), "MPL-2.0"),
    ("opendatacommons.org", re.compile(r"^/licenses/odbl(?:/1[-.]0)?(?:/.*)?$"), "ODbL-1.0"),
    ("opendatacommons.org", re.compile(r"^/licenses/by(?:/1[-.]0)?(?:/.*)?$"), "ODC-By-1.0"),
    ("opendatacommons.org", re.compile(r"^/licenses/pddl(?:/1[-.]0)?(?:/.*)?$"), "PDDL-1.0"),
    ("open.canada.ca", re.compile(r"/open-government-licence-canada/?$"), "OGL-Canada-2.0"),
    ("govdata.de", re.compile(r"^/dl-de/by-2-0/?$"), "DL-DE-BY-2.0"),
    ("govdata.de", re.compile(r"^/dl-de/zero-2-0/?$"), "DL-DE-ZERO-2.0"),
    ("data.norge.no", re.compile(r"^/nlod/[a-z]{2}/2\.0/?$"), "NLOD-2.0"),
    ("data.norge.no", re.compile(r"^/nlod/[a-z]{2}/1\.0/?$"), "NLOD-1.0"),
    ("unlicense.org", re.compile(r"^/?$"), "Unlicense"),
    ("wtfpl.net", re.compile(r"^/(?:about/?)?$"), "WTFPL"),
)
_OGL_UK = re.compile(r"^/doc/open-government-licence/version/([123])/?")


def _split(url: str) -> tuple[str, str] | None:
    url = url.strip().strip("<>\"'")
    if not url or len(url) > 2000:
        return None
    if "://" not in url:
        url = "http:" + url if url.startswith("//") else "http://" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host, unquote(parts.path).lower()


def is_cc_licence_url(url: str) -> bool:
    """A Creative Commons licence, public-domain tool or badge URL (not its blog or home page)."""
    lowered = url.lower()
    if "creativecommons.org" not in lowered and "licensebuttons.net" not in lowered:
        return False  # most links of a page: no need to parse them
    split = _split(url)
    return bool(split and _CC_HOSTS.match(split[0]) and _CC_LICENCE_PATH.match(split[1]))


def _cc(path: str) -> str | None:
    for pattern, identifier in _CC_TOOL:
        if pattern.match(path):
            return identifier
    m = _CC_LICENCE.match(path)
    if not m or m.group("code") not in _CC_CODE:
        return None
    port = m.group("port")
    if port == "scotland":
        port = None
    return spdx.cc_id(_CC_CODE[m.group("code")], m.group("version"), port)


def licence_from_url(url: str) -> str | None:
    """The SPDX id a licence URL names, or None when it is not one we recognise."""
    split = _split(url)
    if split is None:
        return None
    host, path = split
    if _CC_HOSTS.match(host):
        return _cc(path)
    if host == "gnu.org" or host.endswith(".gnu.org"):
        m = _GNU.match(path)
        if m:
            return spdx.canonical(f"{_GNU_NAMES[m.group(1)]}-{m.group(2)}-only")
        return None
    if host == "nationalarchives.gov.uk":
        ogl = _OGL_UK.match(path)
        return f"OGL-UK-{ogl.group(1)}.0" if ogl else None
    for suffix, pattern, identifier in _OTHERS:
        if host != suffix and not host.endswith("." + suffix):
            continue
        m = pattern.search(path)
        if not m:
            continue
        return identifier if identifier is not None else spdx.canonical(m.group(1))
    return None
