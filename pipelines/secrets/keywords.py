"""`password = "..."`-style assignments, found by detect-secrets' keyword plugin line by line.
Its regexes backtrack: a line is only handed to it in windows of bounded size, and lines that look
like garbage rather than code are skipped. It must never report a prose word as a password.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from detect_secrets.filters.heuristic import is_indirect_reference, is_likely_id_string
from detect_secrets.plugins.keyword import (
    CONFIG_DENYLIST_REGEX_TO_GROUP,
    QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP,
    KeywordDetector,
)

WINDOW = 1000
OVERLAP = 300
# On "api_keyapi_key..." the plugin takes 0.1 s per 1000 characters; a code line has a keyword or
# two and no 200-character word, so a window with more or longer is skipped.
MAX_KEYWORDS = 20
MAX_WORD = 200
NEAR = 150

_DETECTOR = KeywordDetector()
_HINT = re.compile(r"(?i)key|pass|pwd|secret|contrase")
# Every form the plugin knows has an operator or a quote right after the name, or a comparison
# before it: prose that merely says "key" or "password" is not handed to it.
_ASSIGNED = re.compile(
    r"(?i)(?:key|pass|pwd|secret|contrase)\S{0,60}?\s*(?:[:=(;\"'`]|\.assign)|[=!]="
)
_LONG_WORD = re.compile(rf"(?<!\w)\w{{{MAX_WORD}}}")
_LINE = re.compile(r"[^\n]+")
_PASSWORD_WORD = re.compile(r"(?i)pass|pwd|contrase")
_UNQUOTED = re.compile(r"[A-Za-z0-9!@#$%^&*_+=.~-]+")


def _plausible(value: str, unquoted: bool) -> bool:
    if len(value) < 6 or any(c.isspace() for c in value) or not re.search("[A-Za-z]", value):
        return False
    if unquoted:
        # `password: required` in prose or `secret_key: settings.SECRET_KEY` in docs are not
        # secrets; an unquoted value must look like one (letters and digits, no code syntax).
        return bool(_UNQUOTED.fullmatch(value) and re.search("[0-9]", value))
    return True


def _windows(text: str) -> Iterator[tuple[int, str]]:
    for match in _LINE.finditer(text):
        line = match.group()
        for i in range(0, max(len(line) - OVERLAP, 1), WINDOW - OVERLAP):
            yield match.start() + i, line[i : i + WINDOW]


def _in_window(line: str) -> Iterator[tuple[int, str, str]]:
    hints = len(_HINT.findall(line))
    if not hints or hints > MAX_KEYWORDS or _LONG_WORD.search(line) or not _ASSIGNED.search(line):
        return
    for groups, unquoted in (
        (QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP, False),
        (CONFIG_DENYLIST_REGEX_TO_GROUP, True),
    ):
        for value in set(_DETECTOR.analyze_string(line, groups)):
            if not _plausible(value, unquoted) or is_likely_id_string(value, line, _DETECTOR):
                continue
            at = line.find(value)
            while at >= 0:
                # `secret = get_secret()` names no value. The heuristic backtracks over what it
                # is given, so it sees the value's surroundings, not the whole window.
                near = line[max(0, at - NEAR) : at + len(value) + NEAR]
                if not is_indirect_reference(near):
                    kind = "PASSWORD" if _PASSWORD_WORD.search(line, 0, at) else "SECRET_ASSIGNMENT"
                    yield at, kind, value
                at = line.find(value, at + len(value))


def assignments(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, type, value) of each secret assigned to a secret-sounding name in `text`."""
    for offset, line in _windows(text):
        for at, kind, value in _in_window(line):
            yield offset + at, kind, value
