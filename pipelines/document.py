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
from lxml.html import HtmlElement
from trafilatura.utils import load_html


def decode_body(body: bytes, encoding: str) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "utf-8"
    return body.decode(encoding, errors="replace")


# The parser lxml falls back to where trafilatura refuses a page as not HTML: the other steps
# still read what structure there is (a footer notice, a rel=license link).
_FALLBACK_PARSER = lxml.html.HTMLParser(
    recover=True, no_network=True, remove_comments=True, remove_pis=True, encoding="utf-8"
)


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
            tree: Any = load_html(self.html)
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
