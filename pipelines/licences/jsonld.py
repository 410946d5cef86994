"""JSON-LD `license` values and rights-holder names, each at the level it applies to: the page
(its main entity, in `@graph`, arrays or `mainEntity`), the site (WebSite, Organization,
isPartOf) or embedded media (ImageObject...). Malformed JSON is skipped, never repaired.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pipelines.licences import names, spdx
from pipelines.licences.evidence import HOLDER_RANKS, MEDIA, PAGE, SITE, Evidence, Holder
from pipelines.licences.notices import clean_holder
from pipelines.licences.urls import licence_from_url

_MEDIA_TYPES = frozenset(
    {"imageobject", "videoobject", "audioobject", "mediaobject", "photograph", "3dmodel"}
    | {"imagegallery"}
)
_SITE_TYPES = frozenset(
    {"website", "organization", "newsmediaorganization", "corporation", "periodical", "blog"}
)
_MEDIA_KEYS = frozenset(
    {"image", "video", "audio", "associatedmedia", "thumbnail", "primaryimageofpage", "photo"}
    | {"logo"}
)
_HOLDER_KEYS = {
    "copyrightholder": "holder-metadata",
    "author": "author-metadata",
    "creator": "author-metadata",
    "publisher": "publisher-metadata",
}
_MAX_NODES = 500
_WRAPPERS = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$")


def parse(text: str) -> Any:
    """The JSON of one ld+json script, or None when it is not JSON."""
    try:
        return json.loads(_WRAPPERS.sub("", text), strict=False)
    except (ValueError, RecursionError):
        return None


def _local(name: Any) -> str:
    """`schema:license`, `https://schema.org/license` and `license` are one key."""
    text = str(name)
    return text if text.startswith("@") else re.split(r"[/:#]", text)[-1].lower()


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type", [])
    return {_local(t) for t in (value if isinstance(value, list) else [value])}


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)[:300]


def licence_of(value: str) -> str | None:
    """The SPDX id a licence written as a URL, an id or a name stands for."""
    value = value.strip()
    if "://" in value or value.startswith(("//", "www.")):
        return licence_from_url(value)
    known = spdx.canonical(value)
    if known:
        return known
    return next((m.spdx for m in names.mentions(value) if m.spdx), None)


def _licences(value: Any) -> list[tuple[str, str | None]]:
    if isinstance(value, list):
        return [item for v in value[:10] for item in _licences(v)]
    if isinstance(value, str):
        return [(value, licence_of(value))]
    if isinstance(value, dict):
        urls = [value[k] for k in ("url", "@id", "sameAs") if isinstance(value.get(k), str)]
        name = value.get("name") if isinstance(value.get("name"), str) else None
        found = next(filter(None, (licence_of(u) for u in urls)), None)
        if found is None and name:
            found = licence_of(name)
        return [(urls[0] if urls else name or _as_text(value), found)]
    return []


def _name(value: Any, index: dict[str, dict[str, Any]]) -> str | None:
    if isinstance(value, list):
        found = [n for n in (_name(v, index) for v in value[:5]) if n]
        return ", ".join(dict.fromkeys(found)) or None
    if isinstance(value, str):
        return None if "://" in value else clean_holder(value)
    if isinstance(value, dict):
        name = value.get("name")
        if not isinstance(name, str) and isinstance(value.get("@id"), str):
            name = index.get(value["@id"], {}).get("name")
        return clean_holder(name) if isinstance(name, str) else None
    return None


class _Reader:
    def __init__(self, data: Any) -> None:
        self.index: dict[str, dict[str, Any]] = {}
        self.evidence: list[Evidence] = []
        self.holders: list[Holder] = []
        self.nodes = 0
        self._index(data, 0)
        self._walk(data, PAGE, 0)

    def _index(self, node: Any, depth: int) -> None:
        if depth > 8:
            return
        if isinstance(node, list):
            for item in node[:200]:
                self._index(item, depth + 1)
        elif isinstance(node, dict):
            if isinstance(node.get("@id"), str):
                self.index.setdefault(node["@id"], node)
            for value in node.values():
                if isinstance(value, list | dict):
                    self._index(value, depth + 1)

    def _walk(self, node: Any, level: str, depth: int) -> None:
        self.nodes += 1
        if depth > 8 or self.nodes > _MAX_NODES:
            return
        if isinstance(node, list):
            for item in node[:200]:
                self._walk(item, level, depth + 1)
            return
        if not isinstance(node, dict):
            return
        types = _types(node)
        if types & _MEDIA_TYPES:
            level = MEDIA
        elif types & _SITE_TYPES and level == PAGE:
            level = SITE
        for key, value in node.items():
            local = _local(key)
            if local in ("license", "licence"):
                for seen, found in _licences(value):
                    self.evidence.append(Evidence("json-ld", seen, found, level))
            elif local in ("@graph", "mainentity", "mainentityofpage"):
                self._walk(value, PAGE if local == "@graph" else level, depth + 1)
            elif local in _MEDIA_KEYS:
                self._walk(value, MEDIA, depth + 1)
            elif local == "ispartof":
                self._walk(value, SITE, depth + 1)
            elif level == PAGE and local in _HOLDER_KEYS:
                self._holder(_HOLDER_KEYS[local], value)
            elif level == PAGE and local == "copyrightnotice" and isinstance(value, str):
                self._holder("page-notice", value, clean_holder(value))
        if level == SITE and "website" in types:
            self._holder("site-name", node.get("name"))

    def _holder(self, kind: str, value: Any, name: str | None = None) -> None:
        name = name or _name(value, self.index)
        if name:
            self.holders.append(Holder(HOLDER_RANKS[kind], "json-ld", _as_text(value)[:300], name))


def read(data: Any) -> tuple[list[Evidence], list[Holder]]:
    """Licence evidence and candidate holders in one parsed JSON-LD document."""
    reader = _Reader(data)
    return reader.evidence, reader.holders
