"""Licence signals in an HTML page: rel=license links, meta tags, JSON-LD, microdata, Creative
Commons URLs and badges, licence names, public-domain statements and copyright notices, each
with the region it sits in. Garbage markup yields fewer signals, never an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from urllib.parse import urljoin

from lxml import etree

from pipelines.licences import jsonld, names, notices, spdx
from pipelines.licences.evidence import (
    FOOTER,
    HOLDER_RANKS,
    MEDIA,
    PAGE,
    SITE,
    Evidence,
    Holder,
    snippet,
)
from pipelines.licences.urls import is_cc_licence_url, licence_from_url

_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd"}
    | {"details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer"}
    | {"form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav"}
    | {"ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul"}
)
_NO_TEXT = frozenset(
    {"head", "title", "script", "style", "noscript", "template", "textarea", "svg"}
    | {"math", "select", "iframe", "object"}
)
_MEDIA_TAGS = frozenset({"figure", "figcaption", "picture", "video", "audio"})
_BOILER_TAGS = frozenset({"footer", "aside", "nav", "header"})
_BOILER_ROLES = frozenset({"contentinfo", "navigation", "complementary", "banner"})
_BOILER_ATTR = re.compile(r"(?:^|[\s_-])(?:footer|colophon|sidebar|site-info)(?:$|[\s_-])", re.I)
_MEDIA_ATTR = re.compile(
    r"(?:^|[\s_-])(?:caption|(?:photo|image|img|media)[_-]?credit)(?:$|[\s_-])", re.I
)
_LICENSE_RELS = frozenset(
    {"license", "licence", "cc:license", "dc:license", "dcterms:license", "dct:license"}
)
_META_LICENCE = frozenset({"dcterms.license", "dc.license", "dcterms:license", "dct:license"})
_META_RIGHTS = frozenset({"dc.rights", "dcterms.rights", "dc:rights", "dcterms:rights"})
_META_HOLDER = frozenset({"dcterms.rightsholder", "dc.rightsholder", "dcterms:rightsholder"})
_CC_URL_TEXT = re.compile(
    r"(?:https?:)?//(?:[a-z0-9-]+\.)*(?:creativecommons\.org|licensebuttons\.net)/[^\s\"'<>)\]]+"
    r"|(?<![\w./])(?:www\.)?creativecommons\.org/(?:licenses|publicdomain)/[^\s\"'<>)\]]+",
    re.I,
)
# Every detector below needs one of these; most blocks of a page have none.
_TRIGGER = re.compile(
    r"(?<![a-z0-9])(?:cc|mit)|creative|licen|copyright|©|&copy;|\(c\)|rights|public\s+domain"
    r"|gpl|general\s+public|documentation|fdl|apache|mozilla|bsd|odbl|database|government"
    r"|unlicense|datenlizenz|ouverte|spdx|rechte|droits|derechos|diritti|direitos|rechten|права"
    r"|知识共享|知識共享|創用|クリエイティブ|版权|版權|著作|保留|翻印|侵权|侵權|無断|公有|公共领域|公共領域"
    r"|パブリック",
    re.I,
)
_PARSER = etree.HTMLParser(encoding="utf-8", no_network=True)
_SPACE = re.compile(r"\s+")
_MAX_EVIDENCE = 200
_BLOCK_EDGE = 20_000


@dataclass(frozen=True, slots=True)
class _Where:
    head: bool = False
    media: bool = False
    article: bool = False
    region: str | None = None  # "main" or "boiler", whichever is nearer


_REGION_TAGS = _MEDIA_TAGS | _BOILER_TAGS | {"head", "main", "article"}


def _enter(where: _Where, el: etree._Element, tag: str) -> _Where:
    classes, ident, role = el.get("class"), el.get("id"), el.get("role")
    if (tag not in _REGION_TAGS and not (classes or ident or role)) or tag in ("html", "body"):
        return where
    marks = f"{classes or ''} {ident or ''}"
    role = (role or "").lower()
    region = where.region
    if tag == "main" or role == "main":
        region = "main"
    elif tag in _BOILER_TAGS or role in _BOILER_ROLES or _BOILER_ATTR.search(marks):
        region = "boiler"
    entered = _Where(
        head=where.head or tag == "head",
        media=where.media or tag in _MEDIA_TAGS or bool(_MEDIA_ATTR.search(marks)),
        article=where.article or tag == "article" or role == "article",
        region=region,
    )
    return where if entered == where else entered


def _licence_in_text(text: str) -> str | None:
    return next((m.spdx for m in names.mentions(text[:500]) if m.spdx), None)


def _absolute(base: str, href: str) -> str:
    try:
        return urljoin(base, href)
    except ValueError:
        return href


class _Walker:
    def __init__(self, base: str, landmarks: bool, main_text: str | None) -> None:
        self.base = base
        self.landmarks = landmarks
        self.main_text = main_text
        self.evidence: list[Evidence] = []
        self.holders: list[Holder] = []
        self._buffer: list[str] = []
        self._blocks: list[_Where] = [_Where()]

    def level(self, where: _Where, text: str | None = None) -> str:
        if where.head:
            return PAGE
        if where.media:
            return MEDIA
        if where.article or where.region == "main":
            return PAGE
        if where.region == "boiler" or self.landmarks:
            return FOOTER
        if self.main_text is not None and text is not None:
            # No landmarks: what the extractor kept as main text is the page, the rest is chrome.
            return PAGE if text[:200] in self.main_text else FOOTER
        return PAGE

    def walk(self, el: etree._Element, where: _Where, depth: int, text_ok: bool) -> None:
        if not isinstance(el.tag, str):
            return  # comments and processing instructions
        tag = el.tag.lower()
        where = _enter(where, el, tag)
        text_ok = text_ok and tag not in _NO_TEXT
        block = tag in _BLOCKS
        if block:
            self._flush()
            self._blocks.append(where)
        self._element(el, tag, where)
        if text_ok and el.text:
            self._buffer.append(el.text)
        for child in el if depth < 300 else ():
            self.walk(child, where, depth + 1, text_ok)
            if text_ok and child.tail:
                self._buffer.append(child.tail)
        if block:
            self._flush()
            self._blocks.pop()

    def finish(self) -> None:
        self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        text = _SPACE.sub(" ", "".join(self._buffer)).strip()
        self._buffer.clear()
        if len(text) > 2 * _BLOCK_EDGE:
            # Statements sit at the start or end of a block; the middle of a megabyte-long
            # block would only cost time.
            text = f"{text[:_BLOCK_EDGE]} … {text[-_BLOCK_EDGE:]}"
        if text and len(self.evidence) < _MAX_EVIDENCE:
            self._text(text, self.level(self._blocks[-1], text))

    def _add(self, where: str, value: str, found: str | None, level: str) -> None:
        self.evidence.append(Evidence(where, snippet(value), found, level))

    def _element(self, el: etree._Element, tag: str, where: _Where) -> None:
        rels = set((el.get("rel") or "").lower().split())
        itemprop = (el.get("itemprop") or "").lower().split()
        if tag in ("link", "a", "area"):
            href = (el.get("href") or "").strip()
            licensed = bool(rels & _LICENSE_RELS) or "license" in itemprop
            if licensed:  # resolved only here: a page has hundreds of ordinary links
                label = el.get("title") or ("".join(el.itertext()) if tag != "link" else "")
                found = licence_from_url(_absolute(self.base, href)) or _licence_in_text(label)
                where_found = (
                    "microdata"
                    if not rels & _LICENSE_RELS
                    else ("link-rel" if tag == "link" else "a-rel")
                )
                self._add(where_found, href, found, self.level(where))
            elif tag != "link" and is_cc_licence_url(href):
                self._add("cc-url-text", href, licence_from_url(href), self.level(where))
        elif tag == "img":
            src = (el.get("src") or el.get("data-src") or "").strip()
            if is_cc_licence_url(src):
                self._add("cc-badge", src, licence_from_url(src), self.level(where))
        elif tag == "meta":
            self._meta(el, where, itemprop)
        elif tag == "script" and "ld+json" in (el.get("type") or "").lower():
            evidence, holders = jsonld.read(jsonld.parse(el.text or ""))
            self.evidence += evidence
            self.holders += holders

    def _meta(self, el: etree._Element, where: _Where, itemprop: list[str]) -> None:
        name = (el.get("name") or el.get("property") or "").strip().lower()
        content = (el.get("content") or "").strip()
        if not content:
            return
        level = self.level(where)
        if name in _META_LICENCE:
            self._add("meta-dcterms", content, jsonld.licence_of(content), level)
        elif "license" in itemprop:
            self._add("microdata", content, jsonld.licence_of(content), level)
        elif name in _META_RIGHTS:
            found = jsonld.licence_of(content)
            if found is None and notices.reservation(content):
                found = spdx.ALL_RIGHTS_RESERVED
            self._add("meta-dc", content, found, level)
            self._notice_holders(content, "page-notice", "meta-dc")
        elif name == "copyright":
            reserved = notices.reservation(content)
            found = spdx.ALL_RIGHTS_RESERVED if reserved else None
            self._add("copyright-notice", content, found, SITE)
            self._notice_holders(content, "site-notice", "copyright-notice")
        elif name in _META_HOLDER:
            self._holder("holder-metadata", "meta-dcterms", content, notices.clean_holder(content))
        elif name == "author":
            self._holder("meta-author", "meta-author", content, notices.clean_holder(content))
        elif name in ("og:site_name", "application-name"):
            self._holder("site-name", name, content, notices.clean_holder(content))

    def _holder(self, rank: str, where: str, value: str, name: str | None) -> None:
        if name:
            self.holders.append(Holder(HOLDER_RANKS[rank], where, snippet(value), name))

    def _notice_holders(self, text: str, rank: str, where: str) -> None:
        for notice in notices.notices(text):
            self._holder(rank, where, snippet(text, notice.start), notice.holder)

    def _text(self, text: str, level: str) -> None:
        if not _TRIGGER.search(text):
            return
        for m in islice(_CC_URL_TEXT.finditer(text), 20):
            if is_cc_licence_url(m.group(0)):
                self._add("cc-url-text", m.group(0), licence_from_url(m.group(0)), level)
        for mention in names.mentions(text)[:10]:
            self._add("spdx-text", snippet(text, mention.start), mention.spdx, level)
        for start, _ in notices.public_domain_statements(text)[:3]:
            self._add("public-domain-text", snippet(text, start), spdx.PUBLIC_DOMAIN, level)
        found = notices.notices(text)
        reserved = notices.reservation(text)
        if found or reserved:
            start = min([n.start for n in found] + ([reserved.start()] if reserved else []))
            arr = spdx.ALL_RIGHTS_RESERVED if reserved else None
            self._add("copyright-notice", snippet(text, start), arr, level)
        if level in (PAGE, FOOTER):  # a photo credit does not own the text
            rank = "page-notice" if level == PAGE else "footer-notice"
            for notice in found:
                value = snippet(text, notice.start)
                self._holder(rank, "copyright-notice", value, notice.holder)


def _landmarks(root: etree._Element) -> bool:
    return bool(root.xpath("//main | //article | //*[@role='main' or @role='article']"))


def page_signals(
    html: str, url: str = "", main_text: str | None = None
) -> tuple[list[Evidence], list[Holder]]:
    """Every licence signal and candidate rights holder in `html` (from `url`), in order."""
    try:
        root = etree.fromstring(html.encode("utf-8", "replace"), parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return [], []
    return signals_in_tree(root, url, main_text)


def signals_in_tree(
    root: etree._Element | None, url: str = "", main_text: str | None = None
) -> tuple[list[Evidence], list[Holder]]:
    """`page_signals` of a page already parsed (the tree is only read)."""
    if root is None:
        return [], []
    if main_text is not None:
        main_text = _SPACE.sub(" ", main_text).strip()
    walker = _Walker(url, _landmarks(root), main_text or None)
    walker.walk(root, _Where(), 0, True)
    walker.finish()
    return walker.evidence[:_MAX_EVIDENCE], walker.holders
