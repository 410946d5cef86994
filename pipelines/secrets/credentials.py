"""Finds the credentials in a page's texts and replaces each with a typed placeholder such as
<SECRET:JWT>. A value found here must never leave the module: callers get the redacted text and
(type, digest) pairs, never a value (not in a log line, not in an exception either).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from detect_secrets.plugins.base import RegexBasedDetector

from pipelines.secrets.blocks import key_blocks
from pipelines.secrets.keywords import assignments
from pipelines.secrets.patterns import (
    AWS_KEY_ID,
    OWN,
    PARTNER_DISTANCE,
    PARTNERS,
    PLUGINS,
    SAS_VERSION,
    is_valid_jwt,
)
from pipelines.secrets.placeholders import is_placeholder

# A value this long found in one text of the page is removed from its other texts too; past
# MAX_SHARED values the page is junk (and quarantined): each text still loses its own finds.
MIN_SHARED = 8
MAX_SHARED = 100
# A span never ends inside a token: what a plugin's regex left of it goes too.
_TOKEN_TAIL = re.compile(r"(?:[A-Za-z0-9_+/=%-]|\.(?=[A-Za-z0-9_-])){1,200}")
_GENERIC = frozenset({"PASSWORD", "SECRET_ASSIGNMENT"})


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    type: str
    value: str = field(repr=False)


def _occurrences(text: str, value: str) -> Iterator[int]:
    start = text.find(value) if value else -1
    while start >= 0:
        yield start
        start = text.find(value, start + len(value))


def _plugin_spans(plugin: RegexBasedDetector, text: str) -> Iterator[tuple[int, int]]:
    # The positions of what `analyze_string` yields (each non-empty group, else the match), so
    # a value that is also a common word ("passed" in a URL) is removed where it was found only.
    for regex in plugin.denylist:
        for match in regex.finditer(text):
            groups = [g for g in range(1, (regex.groups or 0) + 1) if match.group(g)]
            for group in groups or [0]:
                yield match.span(group)


def _plugin_hits(text: str) -> Iterator[Hit]:
    # None of these plugins' regexes crosses a line end, so one pass over the whole text finds
    # what a pass per line would, at the regex engine's speed.
    for plugin, kind in PLUGINS:
        for start, end in _plugin_spans(plugin, text):
            value = text[start:end]
            if value.startswith("AccountKey="):
                start += len("AccountKey=")
            if kind == "ARTIFACTORY_TOKEN":  # its regex keeps the delimiters around the token
                start += len(value) - len(value.lstrip(' \t\r\n"=:'))
                end -= len(value) - len(value.rstrip(' \t\r\n"'))
            found = kind
            if kind == "AWS_ACCESS_KEY" and not AWS_KEY_ID.fullmatch(text, start, end):
                found = "AWS_SECRET_KEY"
            if start < end:
                yield Hit(start, end, found, text[start:end])


def _is_basic_credential(value: str) -> bool:
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return False
    user, colon, password = decoded.partition(":")
    return bool(colon) and not (is_placeholder(password, "") or is_placeholder(user, ""))


def _own_hits(text: str) -> Iterator[Hit]:
    lowered = text.lower()
    for own in OWN:
        if own.hint not in lowered:
            continue
        for match in own.regex.finditer(text):
            start, end = match.span(own.group)
            value = match.group(own.group)
            if own.type == "AZURE_SAS_TOKEN" and not SAS_VERSION.search(
                text, max(0, start - PARTNER_DISTANCE), end + PARTNER_DISTANCE
            ):
                continue
            if own.type == "BASIC_AUTH_HEADER" and not _is_basic_credential(value):
                continue
            if own.type == "JWT" and not is_valid_jwt(value):
                continue
            yield Hit(start, end, own.type, value)
    if "private key" in lowered or "putty-user-key-file" in lowered:
        for start, end, kind in key_blocks(text):
            yield Hit(start, end, kind, text[start:end])


def _partner_hits(text: str, hits: list[Hit]) -> Iterator[Hit]:
    for id_type, (kind, pattern) in PARTNERS.items():
        windows: list[tuple[int, int]] = []
        for hit in sorted((h for h in hits if h.type == id_type), key=lambda h: h.start):
            low, high = max(0, hit.start - PARTNER_DISTANCE), hit.end + PARTNER_DISTANCE
            if windows and low <= windows[-1][1]:
                windows[-1] = (windows[-1][0], high)  # overlapping windows are searched once
            else:
                windows.append((low, high))
        for low, high in windows:
            for match in pattern.finditer(text, low, high):
                value = match.group()
                if all(re.search(c, value) for c in ("[a-z]", "[A-Z]", "[0-9]")):
                    yield Hit(match.start(), match.end(), kind, value)


def _whole(text: str, hit: Hit) -> Hit:
    """The hit up to the end of its token: a plugin may stop short (GitHub's after 36 characters
    of a longer token)."""
    tail = _TOKEN_TAIL.match(text, hit.end)
    if not tail or hit.end == hit.start:
        return hit
    return Hit(hit.start, tail.end(), hit.type, text[hit.start : tail.end()])


def find_credentials(text: str) -> list[Hit]:
    """Every credential in `text` that is not a placeholder, overlapping finds merged."""
    found = [*_own_hits(text), *_plugin_hits(text)]
    found.extend(Hit(at, at + len(value), kind, value) for at, kind, value in assignments(text))
    found = [
        hit for hit in {_whole(text, h) for h in found} if not is_placeholder(hit.value, hit.type)
    ]
    found.extend(h for h in set(_partner_hits(text, found)) if not is_placeholder(h.value, h.type))
    return _merge(text, found)


def _merge(text: str, hits: list[Hit]) -> list[Hit]:
    merged: list[Hit] = []
    # At equal spans the specific type wins over the keyword plugin's generic ones.
    for hit in sorted(hits, key=lambda h: (h.start, -h.end, h.type in _GENERIC, h.type)):
        end = _whole(text, hit).end
        if merged and hit.start < merged[-1].end:
            last = merged[-1]
            # The longer find names the merged span (a key block beats a token inside it).
            kind = last.type if last.end - last.start >= end - hit.start else hit.type
            end = max(end, last.end)
            merged[-1] = Hit(last.start, end, kind, text[last.start : end])
        else:
            merged.append(Hit(hit.start, end, hit.type, text[hit.start : end]))
    return merged


def _token_like(value: str) -> bool:
    # A found value is looked for in the page's other texts only if it cannot be a common word.
    mixed_case = value.lower() != value and value.upper() != value
    return len(value) >= MIN_SHARED and (mixed_case or not value.isalpha())


class Redactor:
    """Redacts the texts of one page. A value found in one of them (a key named by its variable in
    the text) is removed from all of them (the same key alone in the title), so call `learn` on
    every text first. Values stay inside this object, which never leaves the worker.
    """

    def __init__(self) -> None:
        self._hits: dict[str, list[Hit]] = {}
        self._known: dict[str, str] = {}

    def learn(self, text: str) -> None:
        if text in self._hits:
            return
        self._hits[text] = find_credentials(text)
        for hit in self._hits[text]:
            if _token_like(hit.value) and len(self._known) < MAX_SHARED:
                self._known.setdefault(hit.value, hit.type)

    def redact(self, text: str) -> tuple[str, set[tuple[str, str]]]:
        """`text` with each credential replaced by <SECRET:TYPE>, and (type, digest) of each."""
        self.learn(text)
        hits = list(self._hits[text])
        for value, kind in self._known.items():
            hits.extend(Hit(at, at + len(value), kind, value) for at in _occurrences(text, value))
        parts: list[str] = []
        digests: set[tuple[str, str]] = set()
        position = 0
        for hit in _merge(text, hits):
            parts.append(text[position : hit.start])
            parts.append(f"<SECRET:{hit.type}>")
            position = hit.end
            digest = hashlib.sha256(hit.value.encode("utf-8", "replace")).hexdigest()
            digests.add((hit.type, digest))
        parts.append(text[position:])
        return "".join(parts), digests
