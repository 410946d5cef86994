"""Find tags, attributes, scripts and visible text in HTML that may be garbage, keeping the
exact tag text for evidence. Every pattern is bounded or linear: a hostile page may make a
detector miss a tag, never hang it or make it raise.
"""

from __future__ import annotations

import functools
import html as htmllib
import re

from crawler.signals._text import as_text

# Comments and raw-text elements, scanned together so that a "<!--" inside a script is script
# text and a "<script" inside a comment is comment text. An unclosed one runs to the end of the
# document, as in a browser.
_COMMENT_OR_RAW = re.compile(
    r"(<!--.*?(?:-->|\Z))"
    r"|<(script|style|noscript|template|textarea)\b([^>]{0,8192})>(.*?)(?:</\2\s*>|\Z)",
    re.S | re.I,
)
_TAG = re.compile(r"<[^>]{0,8192}>", re.S)
_ATTR = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>`]+)))?""", re.S)
_TITLE = re.compile(r"<title\b[^>]{0,8192}>(.*?)</title\s*>", re.S | re.I)
_SPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=4)
def without_comments(html: str) -> str:
    """The document with its comments blanked out; script and style contents are kept."""
    return _COMMENT_OR_RAW.sub(lambda m: " " if m.group(1) else m.group(0), html)


def markup(html: str | bytes | None) -> str:
    """The document without comments and without script/style contents: what tags live in."""
    return _markup(as_text(html))


# Several detectors read the same page one after another: it is cleaned once.
@functools.lru_cache(maxsize=4)
def _markup(text: str) -> str:
    return _COMMENT_OR_RAW.sub(" ", text)


def attributes(tag: str) -> dict[str, str]:
    """Attributes of one tag text, names lower-cased, first occurrence wins (HTML parsing)."""
    body = re.sub(r"^<\s*[^\s/>]+", "", tag).rstrip(">").rstrip("/")
    out: dict[str, str] = {}
    for m in _ATTR.finditer(body):
        name = m.group(1).lower()
        if name in out:
            continue
        raw = next((g for g in m.groups()[1:] if g is not None), "")
        out[name] = htmllib.unescape(raw)
    return out


def tags(clean_markup: str, name: str) -> list[tuple[dict[str, str], str]]:
    """`(attributes, exact tag text)` of every `<name ...>` start tag in `markup()` output."""
    pattern = re.compile(rf"<{re.escape(name)}(?=[\s/>])[^>]{{0,8192}}>", re.I)
    return [(attributes(m.group(0)), m.group(0)) for m in pattern.finditer(clean_markup)]


def scripts(html: str | bytes | None) -> list[tuple[dict[str, str], str]]:
    """`(attributes, body)` of every script element outside comments."""
    return [
        (attributes(f"<script{m.group(3)}>"), m.group(4))
        for m in _COMMENT_OR_RAW.finditer(as_text(html))
        if m.group(2) and m.group(2).lower() == "script"
    ]


def title(html: str | bytes | None) -> str:
    m = _TITLE.search(without_comments(as_text(html)))
    return _SPACE.sub(" ", htmllib.unescape(m.group(1))).strip() if m else ""


def visible_text(clean_markup: str) -> str:
    """Text a reader would see in `markup()` output, whitespace collapsed."""
    return _SPACE.sub(" ", htmllib.unescape(_TAG.sub(" ", clean_markup))).strip()
