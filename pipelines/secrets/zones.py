"""Where text stands in a page's HTML: its title, h1 headings, notice banners and the top of the
body, footers, and the h2-h6 headings. The main text loses these; markers are weighed by them.
Garbage or huge HTML yields fewer zones or none, never an exception.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from lxml import etree

MAX_HTML = 2_000_000
MAX_ELEMENTS = 50_000
MAX_ZONE_CHARS = 5_000
MAX_HEADINGS = 50
MAX_ZONES = 200
TOP_CHARS = 500

_BLOCKS = re.findall(
    r"\w+",
    "address article aside blockquote body dd div dl dt fieldset figcaption figure footer form h1"
    " h2 h3 h4 h5 h6 header hr li main nav ol p pre section table td th tr ul",
)
_DROP = ("script", "style", "noscript", "template", "svg", "math", "head")
_BANNER_ROLES = {"banner", "alert", "note", "status"}
_BANNER_HINT = re.compile(r"(?i)banner|notice|alert|classification|marking|watermark|confidential")
_FOOTER_HINT = re.compile(r"(?i)footer|disclaimer|legal|copyright|colophon")


def _parse(html: str) -> Any:
    parser = lxml.html.HTMLParser(
        recover=True, no_network=True, remove_comments=True, remove_pis=True, encoding="utf-8"
    )
    # Bytes: lxml refuses a str that carries an XML encoding declaration.
    data = html[:MAX_HTML].encode("utf-8", "replace")
    return lxml.html.document_fromstring(data, parser=parser)


def _text(element: Any) -> str:
    return str(element.text_content())[:MAX_ZONE_CHARS]


def _kind(element: Any) -> str | None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in ("html", "body", "main", "article"):
        return None  # a page-wide class such as "legal-page" says nothing about a part of it
    role = str(element.get("role") or "").lower()
    hints = f"{element.get('class') or ''} {element.get('id') or ''}"
    if tag == "h1":
        return "h1"
    if tag in ("h2", "h3", "h4", "h5", "h6"):
        return "subheading"
    if tag == "footer" or role == "contentinfo" or _FOOTER_HINT.search(hints):
        return "footer"
    if tag == "header" or role in _BANNER_ROLES or _BANNER_HINT.search(hints):
        return "banner"
    return None


def _top_of_body(body: Any) -> str:
    lines, seen = [], 0
    for line in _text(body).splitlines():
        if seen >= TOP_CHARS:
            break
        if line.strip():
            lines.append(line)
            seen += len(line.strip())
    return "\n".join(lines)


def _zones(root: Any) -> list[tuple[str, str]]:
    """Zones of a parsed page; `root` is changed (its scripts dropped, its blocks marked)."""
    found: list[tuple[str, str]] = [("title", _text(t)) for t in root.iter("title")][:1]
    etree.strip_elements(root, *_DROP, with_tail=False)
    for element in root.iter(*_BLOCKS):
        # Blocks end lines, as in the rendered page; text_content() alone would glue them.
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    for element in root.iter("br"):
        element.tail = "\n" + (element.tail or "")
    inside = 0  # depth inside an element already taken as a zone: its parts are not zones again
    headings = 0
    for count, (event, element) in enumerate(etree.iterwalk(root, events=("start", "end"))):
        if count >= 2 * MAX_ELEMENTS or len(found) >= MAX_ZONES:
            break
        if event == "end":
            inside -= 1 if inside else 0
            continue
        if inside:
            inside += 1
            continue
        kind = _kind(element)
        if kind is None or (kind in ("h1", "subheading") and headings >= MAX_HEADINGS):
            continue
        headings += kind in ("h1", "subheading")
        inside = 1
        found.append((kind, _text(element)))
    body = root.find("body")
    found.append(("banner", _top_of_body(body if body is not None else root)))
    order = {"title": 0, "h1": 1, "footer": 2, "banner": 3, "subheading": 4}
    return sorted(found, key=lambda zone: order[zone[0]])


def zones(html: str) -> list[tuple[str, str]]:
    """(zone, text) pairs, zone one of title, h1, footer, banner, subheading, most telling first."""
    if not html or not html.strip():
        return []
    try:
        return _zones(_parse(html))
    except Exception:
        # Structure only refines the weights; the main text is still scanned without it.
        return []


def zones_of(tree: Any) -> list[tuple[str, str]]:
    """`zones` of a page already parsed; `tree` is a copy this may change."""
    if tree is None:
        return []
    try:
        return _zones(tree)
    except Exception:
        return []
