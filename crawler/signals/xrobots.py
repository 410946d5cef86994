"""Robots directives for our token from `X-Robots-Tag` headers and robots meta tags, including
the `noai`/`noimageai` opt-outs. Other crawlers' directives are ignored; a directive we cannot
read is never taken to lift a restriction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from crawler.signals import _html
from crawler.signals._text import as_text
from crawler.signals.types import Signal

# Directives that carry a value after a colon; anything else before a colon is a crawler name.
_WITH_VALUE = frozenset(
    {"unavailable_after", "max-snippet", "max-image-preview", "max-video-preview"}
)
# Directives without a value: "noindex: x" is a garbled noindex, never a crawler called noindex.
_PLAIN = frozenset(
    [
        "all",
        "index",
        "follow",
        "none",
        "noindex",
        "nofollow",
        "noarchive",
        "nocache",
        "nosnippet",
        "notranslate",
        "noimageindex",
        "indexifembedded",
        "noai",
        "noimageai",
    ]
)
_NAME = re.compile(r"^[a-z0-9_.*-]+(?:/[\w.]*)?$")
# RFC 850 dates ("Wednesday, 25-Jun-2025 15:00:00 GMT") hold a comma; the part after it is the
# rest of the date, not a directive.
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*$", re.I)


@dataclass(frozen=True, slots=True)
class Directives:
    """Lower-case directives that apply to us, their values, and where each was seen."""

    directives: frozenset[str] = frozenset()
    values: dict[str, str] = field(default_factory=dict)  # e.g. unavailable_after -> date
    evidence: dict[str, tuple[str, str]] = field(default_factory=dict)  # -> (source, text)

    @property
    def noindex(self) -> bool:
        return bool({"noindex", "none"} & self.directives)

    @property
    def nofollow(self) -> bool:
        return bool({"nofollow", "none"} & self.directives)


class _Collector:
    def __init__(self, token: str) -> None:
        self.token = token
        self.found: dict[str, tuple[str, str]] = {}
        self.values: dict[str, str] = {}

    def add(self, directive: str, value: str | None, source: str, evidence: str) -> None:
        directive = directive.strip().lower()
        if not directive:
            return
        self.found.setdefault(directive, (source, evidence))
        if value is not None and directive not in self.values:
            self.values[directive] = value.strip()

    def read(self, text: str, scope: str | None, source: str, evidence: str) -> None:
        """One header value or meta content: comma-separated directives, where `name: ...`
        switches the crawler the following directives address (Google's X-Robots-Tag form)."""
        pieces = text.split(",")
        i = 0
        while i < len(pieces):
            piece = pieces[i].strip()
            i += 1
            if not piece:
                continue
            if ":" in piece:
                name, rest = (p.strip() for p in piece.split(":", 1))
                lname = name.lower()
                if lname in _PLAIN:
                    self._plain(lname, scope, source, evidence)
                    continue
                if lname not in _WITH_VALUE and _NAME.match(lname):
                    scope = lname.split("/", 1)[0]
                    if not rest:
                        continue
                    piece = rest
                    if ":" not in piece:
                        self._plain(piece, scope, source, evidence)
                        continue
                    name, rest = (p.strip() for p in piece.split(":", 1))
                    lname = name.lower()
                if scope is not None and scope != self.token:
                    continue
                if lname == "unavailable_after" and _WEEKDAY.match(rest) and i < len(pieces):
                    rest = f"{rest}, {pieces[i].strip()}"
                    i += 1
                self.add(lname, rest, source, evidence)
            else:
                self._plain(piece, scope, source, evidence)

    def _plain(self, piece: str, scope: str | None, source: str, evidence: str) -> None:
        if scope is not None and scope != self.token:
            return
        # "noindex nofollow" without a comma is a common slip; every word is still a directive.
        for word in piece.split():
            self.add(word, None, source, evidence)


def _token(token: str) -> str:
    return as_text(token).strip().lower().split("/", 1)[0]


def directives_for(
    token: str, header_values: Sequence[str | bytes] | str | bytes | None, html: str | bytes | None
) -> Directives:
    """Directives addressed to `token` or to every crawler, from headers and page meta tags."""
    wanted = _token(token)
    collector = _Collector(wanted)
    if isinstance(header_values, str | bytes):
        header_values = [header_values]
    for value in header_values or ():
        text = as_text(value)
        collector.read(text, None, "header:X-Robots-Tag", f"X-Robots-Tag: {text.strip()}")
    if html:
        for attrs, tag in _html.tags(_html.markup(html), "meta"):
            name = attrs.get("name", "").strip().lower()
            if name == "robots":
                collector.read(attrs.get("content", ""), None, "meta:robots", tag)
            elif wanted and name == wanted:
                collector.read(attrs.get("content", ""), wanted, f"meta:{name}", tag)
    return Directives(frozenset(collector.found), collector.values, collector.found)


def _signal(d: Directives, directive: str, code: str) -> Signal:
    source, evidence = d.evidence.get(directive, ("", ""))
    return Signal(code=code, source=source, evidence=evidence, detail={"directive": directive})


def ai_optouts(d: Directives) -> list[Signal]:
    """`ai-optout-noai` and `ai-optout-noimageai`, each when present."""
    out = []
    if "noai" in d.directives:
        out.append(_signal(d, "noai", "ai-optout-noai"))
    if "noimageai" in d.directives:
        out.append(_signal(d, "noimageai", "ai-optout-noimageai"))
    return out


def is_ai_optout(d: Directives) -> Signal | None:
    """The strongest AI opt-out: `noai` (all content), else `noimageai` (images only)."""
    found = ai_optouts(d)
    return found[0] if found else None


def noindex(d: Directives) -> Signal | None:
    """`robots-noindex` for `noindex` or `none`."""
    for directive in ("noindex", "none"):
        if directive in d.directives:
            return _signal(d, directive, "robots-noindex")
    return None


def nofollow(d: Directives) -> bool:
    """Whether links on the page must not be followed (`nofollow` or `none`)."""
    return d.nofollow
