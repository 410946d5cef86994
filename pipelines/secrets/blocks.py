"""Private key blocks (PEM, PuTTY) found whole, armour lines included, in one pass over the text.

A lazy BEGIN...END regex rescans up to its bound from every BEGIN (minutes on a page of BEGIN
lines); pairing each BEGIN with the next END keeps the work linear. It must never leave a key's
body behind: a block with no END (cut short) is taken up to its last base64 or header line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

MAX_BLOCK = 20_000
_PEM_BEGIN = r"-{4,5} ?BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)? ?-{4,5}"
_PEM_END = r"-{4,5} ?END[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)? ?-{4,5}"
_MARKS = (
    re.compile(rf"(?P<begin>{_PEM_BEGIN})|{_PEM_END}"),
    re.compile(r"(?P<begin>PuTTY-User-Key-File-\d:)|Private-MAC: ?[0-9a-fA-F]+"),
)
# What follows a header when the END is missing: base64 lines and "Name: value" header lines,
# separated by real or JSON-escaped line ends.
_REST = re.compile(r"(?:(?:\s|\\r|\\n)+(?:[A-Za-z0-9+/=]{16,}|[A-Za-z-]{3,20}: [^\n]{0,200}))*")
_SERVICE_ACCOUNT = re.compile(r'"private_key"\s*:\s*"$')


def _cut_short(text: str, begin: re.Match[str]) -> tuple[int, int]:
    rest = _REST.match(text, begin.end())
    return begin.start(), rest.end() if rest else begin.end()


def _spans(text: str, marks: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    opened: re.Match[str] | None = None
    for mark in marks.finditer(text):
        if mark.group("begin"):
            if opened is not None:
                yield _cut_short(text, opened)
            opened = mark
        elif opened is not None:
            if mark.end() - opened.start() <= MAX_BLOCK:
                yield opened.start(), mark.end()
            else:
                yield _cut_short(text, opened)
            opened = None
    if opened is not None:
        yield _cut_short(text, opened)


def key_blocks(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, type) of each private key block; GCP_SERVICE_ACCOUNT when it is the
    `private_key` of a service-account JSON."""
    for marks in _MARKS:
        for start, end in _spans(text, marks):
            account = _SERVICE_ACCOUNT.search(text, max(0, start - 40), start)
            yield start, end, "GCP_SERVICE_ACCOUNT" if account else "PRIVATE_KEY"
