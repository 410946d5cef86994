"""A page's body decoded once and parsed once, for every analysis step to read.

The encoding is the one Scrapy settled for the response (BOM, then Content-Type, then <meta>,
then detection: w3lib's order); an unknown name falls back to UTF-8 with replacement, never an
exception. The tree is parsed with trafilatura's own parser settings, so extraction sees exactly
what trafilatura would build itself. Steps that change a tree (extraction, zone marking) work on
`working_copy()`; nobody may change `tree`.
"""

from __future__ import annotations

import codecs
import copy
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import lxml.html
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import is_dubious_html, repair_faulty_html


def decode_body(body: bytes, encoding: str) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "utf-8"
    return body.decode(encoding, errors="replace")


# trafilatura's parser settings, with a fixed element class: lxml.html's own class lookup is
# Python code run for every element every step touches (a third of the cost of walking a tree),
# and nothing here needs its form and input subclasses.
_PARSER = lxml.html.HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)
# Where trafilatura would refuse a page as not HTML, the other steps still read what structure
# there is (a footer notice, a rel=license link).
_FALLBACK_PARSER = lxml.html.HTMLParser(
    recover=True, no_network=True, remove_comments=True, remove_pis=True, encoding="utf-8"
)


def trafilatura_tree(html: str) -> Any:
    """What `trafilatura.utils.load_html` builds from `html` (its repairs, its fallback to
    bytes, its refusal of a dubious one-block document), parsed with `_PARSER`."""
    beginning = html[:50].lower()
    dubious = is_dubious_html(beginning)
    html = repair_faulty_html(html, beginning)
    tree = None
    fallback = False
    try:
        tree = lxml.html.fromstring(html, parser=_PARSER)
    except ValueError:  # a str with an XML encoding declaration
        fallback = True
        tree = _from_bytes(html)
    except Exception:
        tree = None
    if (tree is None or len(tree) < 1) and not fallback:
        tree = _from_bytes(html)
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree


def _from_bytes(html: str) -> Any:
    try:
        return lxml.html.fromstring(html.encode("utf8", "surrogatepass"), parser=_PARSER)
    except Exception:
        return None


@dataclass
class Document:
    html: str
    # trafilatura refused the page as not HTML: extraction finds no text in it
    rejected: bool = False

    @classmethod
    def decode(cls, body: bytes, encoding: str) -> Document:
        return cls(decode_body(body, encoding))

    @cached_property
    def tree(self) -> HtmlElement | None:
        """The parsed page (None when nothing in it parses). Read it; never change it."""
        if not self.html.strip():
            return None
        try:
            tree: Any = trafilatura_tree(self.html)
        except Exception:  # lxml gives up on some garbage
            tree = None
        if isinstance(tree, HtmlElement):
            return tree
        self.rejected = True
        try:
            data = self.html.encode("utf-8", "replace")
            fallback: Any = lxml.html.document_fromstring(data, parser=_FALLBACK_PARSER)
        except Exception:
            return None
        return fallback if isinstance(fallback, HtmlElement) else None

    def working_copy(self) -> HtmlElement | None:
        """A copy of the tree for a step that changes what it reads."""
        return copy.deepcopy(self.tree) if self.tree is not None else None
