"""Finds credentials in text and replaces each with a typed placeholder such as <SECRET:JWT>.

Placeholders and documentation examples (YOUR_API_KEY, AKIA...EXAMPLE, <token>, ${SECRET}, xxxxx)
are neither counted nor replaced. A value found here must never leave the module: callers get the
redacted text and counts by type, never a value (not in a log line, not in an exception either).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from detect_secrets.filters.heuristic import (
    is_indirect_reference,
    is_likely_id_string,
    is_sequential_string,
    is_templated_secret,
)
from detect_secrets.plugins.keyword import (
    CONFIG_DENYLIST_REGEX_TO_GROUP,
    QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP,
    KeywordDetector,
)

from crawler.secrets.patterns import (
    AWS_KEY_ID,
    OWN,
    PARTNER_DISTANCE,
    PARTNERS,
    PLUGINS,
    SAS_VERSION,
)

# The keyword plugin sees a text line by line; a longer line is cut into overlapping windows so
# its backtracking regexes never run over a megabyte of minified text.
MAX_LINE = 4000
OVERLAP = 1000
_LINE = re.compile(r"[^\n]+")
# A value this long found in one text of the page is removed from its other texts too.
MIN_SHARED = 8
# A span never ends inside a token: what a plugin's regex left of it goes too.
_TOKEN_TAIL = re.compile(r"(?:[A-Za-z0-9_+/=%-]|\.(?=[A-Za-z0-9_-])){1,2000}")

_KEYWORD = KeywordDetector()
_KEYWORD_HINT = re.compile(r"(?i)key|pass|pwd|secret|contrase")
_GENERIC = frozenset({"PASSWORD", "SECRET_ASSIGNMENT"})
_PASSWORD_WORD = re.compile(r"(?i)pass|pwd|contrase")
_UNQUOTED_SECRET = re.compile(r"[A-Za-z0-9!@#$%^&*_+=.~-]+")

_PLACEHOLDER = re.compile(
    r"(?i:(?:^|[^a-z0-9])(?:your|example|placeholder|dummy|sample|redacted|changeme|replace|insert"
    r"|fake|xxxx))|EXAMPLE|(.)\1{4,}|\.\.\.|…|[<>{}]|%s|\$\{|^\$[A-Za-z_]"
)
_PLACEHOLDER_VALUES = frozenset(
    {"password", "passwd", "pass", "pwd", "secret", "token", "none", "null", "true", "false"}
)
# Published documentation examples that are formally valid (jwt.io's sample token's signature).
_KNOWN_EXAMPLES = ("SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",)
_PEM_BODY = re.compile(r"[A-Za-z0-9+/=]{64}")


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    type: str
    value: str = field(repr=False)


def is_placeholder(value: str, kind: str) -> bool:
    if kind in ("PRIVATE_KEY", "GCP_SERVICE_ACCOUNT"):
        # Random base64 may hold any short word: only an elided body marks an example here.
        return "..." in value or not _PEM_BODY.search(value.replace("\\n", "\n"))
    if value.lower() in _PLACEHOLDER_VALUES or any(e in value for e in _KNOWN_EXAMPLES):
        return True
    return bool(
        _PLACEHOLDER.search(value) or is_templated_secret(value) or is_sequential_string(value)
    )


def _plausible_password(value: str, unquoted: bool) -> bool:
    if len(value) < 6 or any(c.isspace() for c in value) or not re.search("[A-Za-z]", value):
        return False
    if unquoted:
        # `password: required` in prose or `secret_key: settings.SECRET_KEY` in docs are not
        # secrets; an unquoted value must look like one (letters and digits, no code syntax).
        return bool(_UNQUOTED_SECRET.fullmatch(value) and re.search("[0-9]", value))
    return True


def _occurrences(line: str, value: str) -> Iterator[int]:
    start = line.find(value)
    while start >= 0 and value:
        yield start
        start = line.find(value, start + len(value))


def _windows(text: str) -> Iterator[tuple[int, str]]:
    for match in _LINE.finditer(text):
        line = match.group()
        if len(line) <= MAX_LINE:
            yield match.start(), line
            continue
        for i in range(0, len(line), MAX_LINE - OVERLAP):
            yield match.start() + i, line[i : i + MAX_LINE]


def _plugin_hits(text: str) -> Iterator[Hit]:
    # None of these plugins' regexes crosses a line end, so one pass over the whole text finds
    # what a pass per line would, at the regex engine's speed.
    for plugin, kind in PLUGINS:
        for raw in set(plugin.analyze_string(text)):
            value = raw.removeprefix("AccountKey=")
            if kind == "ARTIFACTORY_TOKEN":
                value = value.strip(' \t\r\n"=:')  # its regex keeps the delimiters
            found = kind
            if kind == "AWS_ACCESS_KEY" and not AWS_KEY_ID.fullmatch(value):
                found = "AWS_SECRET_KEY"
            for at in _occurrences(text, value):
                yield Hit(at, at + len(value), found, value)


def _keyword_hits(offset: int, line: str) -> Iterator[Hit]:
    # The keyword plugin reports the first match per pattern only: it must see line by line.
    if not _KEYWORD_HINT.search(line) or is_indirect_reference(line):
        return
    for groups, unquoted in (
        (QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP, False),
        (CONFIG_DENYLIST_REGEX_TO_GROUP, True),
    ):
        for value in set(_KEYWORD.analyze_string(line, groups)):
            if not _plausible_password(value, unquoted) or is_likely_id_string(
                value, line, _KEYWORD
            ):
                continue
            for at in _occurrences(line, value):
                kind = "PASSWORD" if _PASSWORD_WORD.search(line[:at]) else "SECRET_ASSIGNMENT"
                yield Hit(offset + at, offset + at + len(value), kind, value)


def _own_hits(text: str) -> Iterator[Hit]:
    lowered = text.lower()
    for own in OWN:
        if own.hint not in lowered:
            continue
        for match in own.regex.finditer(text):
            start, end = match.span(own.group)
            if own.type == "AZURE_SAS_TOKEN" and not SAS_VERSION.search(
                text, max(0, start - PARTNER_DISTANCE), end + PARTNER_DISTANCE
            ):
                continue
            if own.type == "BASIC_AUTH_HEADER" and not _is_basic_credential(match.group(own.group)):
                continue
            yield Hit(start, end, own.type, match.group(own.group))


def _is_basic_credential(value: str) -> bool:
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return False
    user, colon, password = decoded.partition(":")
    return (
        bool(colon)
        and not is_placeholder(password, "PASSWORD")
        and not is_placeholder(user, "PASSWORD")
    )


def _partner_hits(text: str, hits: list[Hit]) -> Iterator[Hit]:
    for hit in hits:
        if hit.type not in PARTNERS:
            continue
        kind, pattern = PARTNERS[hit.type]
        low, high = max(0, hit.start - PARTNER_DISTANCE), hit.end + PARTNER_DISTANCE
        for match in pattern.finditer(text, low, high):
            value = match.group()
            if all(re.search(c, value) for c in ("[a-z]", "[A-Z]", "[0-9]")):
                yield Hit(match.start(), match.end(), kind, value)


def find_credentials(text: str) -> list[Hit]:
    """Every credential in `text` that is not a placeholder, overlapping finds merged."""
    found = [*_own_hits(text), *_plugin_hits(text)]
    for offset, line in _windows(text):
        found.extend(_keyword_hits(offset, line))
    found = [_whole(text, hit) for hit in set(found)]
    found = [hit for hit in set(found) if not is_placeholder(hit.value, hit.type)]
    found.extend(h for h in set(_partner_hits(text, found)) if not is_placeholder(h.value, h.type))
    return _merge(text, found)


def _whole(text: str, hit: Hit) -> Hit:
    """The hit up to the end of its token: a plugin may stop short (the JWT one before the
    signature, GitHub's after 36 characters of a longer token)."""
    tail = _TOKEN_TAIL.match(text, hit.end)
    if not tail or hit.end == hit.start:
        return hit
    return Hit(hit.start, tail.end(), hit.type, text[hit.start : tail.end()])


def _merge(text: str, hits: list[Hit]) -> list[Hit]:
    merged: list[Hit] = []
    # At equal spans the specific type wins over the keyword plugin's generic ones.
    for hit in sorted(hits, key=lambda h: (h.start, -h.end, h.type in _GENERIC, h.type)):
        end = _whole(text, hit).end
        if merged and hit.start < merged[-1].end:
            last = merged[-1]
            # The longer find names the merged span (a PEM block beats its BEGIN line).
            kind = last.type if last.end - last.start >= end - hit.start else hit.type
            end = max(end, last.end)
            merged[-1] = Hit(last.start, end, kind, text[last.start : end])
        else:
            merged.append(Hit(hit.start, end, hit.type, text[hit.start : end]))
    return merged


class Redactor:
    """Redacts the texts of one page. A value found in one of them (a key named by its variable in
    the text) is removed from all of them (the same key alone in the title), so call `learn` on
    every text first. Values stay inside this object, which never leaves the worker.
    """

    def __init__(self) -> None:
        self._hits: dict[str, list[Hit]] = {}
        self._known: dict[str, str] = {}

    def learn(self, text: str) -> None:
        if text not in self._hits:
            self._hits[text] = find_credentials(text)
            for hit in self._hits[text]:
                if len(hit.value) >= MIN_SHARED:
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
            digests.add(
                (hit.type, hashlib.sha256(hit.value.encode("utf-8", "replace")).hexdigest())
            )
        parts.append(text[position:])
        return "".join(parts), digests
