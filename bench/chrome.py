"""A real template's page chrome: masthead with mega-menu, cookie-consent dialog, footer.

Each is the same for every page of one origin in one language, so it is built once and cached in
`site.shared`. Menu links go to the origin's section pages and featured stories, legal and
social links to other hosts (out of every crawl's scope, as on real sites).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from bench import ui_text
from bench.assets import cls, icon, use_icon
from bench.brands import brand
from bench.prose import SECTIONS

if TYPE_CHECKING:
    from bench.site import PageRef, Site

SOCIAL = ("facebook", "x", "linkedin", "instagram", "youtube", "tiktok", "threads", "bluesky")
LEGAL = ("privacy", "terms", "cookies", "contact", "about", "careers")


def _hubs(site: Site, origin: int) -> list[PageRef]:
    return [site.pages[i] for i in site.hubs[origin]]


def _featured(site: Site, origin: int, lang: str, count: int) -> list[PageRef]:
    same = [site.pages[i] for i in site.articles[origin] if site.pages[i].lang == lang]
    pool = same or [site.pages[i] for i in site.articles[origin]]
    step = max(1, len(pool) // max(count, 1))
    return [pool[(i * step) % len(pool)] for i in range(count)] if pool else []


def _menu(site: Site, origin: int, lang: str, drawer: bool) -> str:
    b, hubs, ui = brand(origin), _hubs(site, origin), ui_text.UI[lang]
    names, topics = ui_text.sections(lang), ui_text.subtopics(lang)
    featured = _featured(site, origin, lang, len(SECTIONS) * b.featured)
    items = []
    for s, name in enumerate(names):
        links = "".join(
            f'<li class="{cls(b, "mega", "item")}"><a class="{cls(b, "mega", "link")}" '
            f'href="{hubs[(s * b.menu_links + i) % len(hubs)].path}" data-track="nav|{SECTIONS[s]}'
            f'|{i}">{escape(name)} {escape(topics[i % len(topics)])}</a></li>'
            for i in range(b.menu_links)
        )
        cards = "" if drawer else "".join(
            f'<div class="{cls(b, "mega", "card")}"><a href="{p.path}" tabindex="-1"><img src='
            f'"https://{b.cdn}/img/{p.path.strip("/").replace("/", "-")[:40]}/320x180.webp"'
            f' alt="" width="320" height="180" loading="lazy"></a><a class="'
            f'{cls(b, "mega", "title")}" href="{p.path}">{escape(p.title)}</a></div>'
            for p in featured[s * b.featured : (s + 1) * b.featured]
        )  # fmt: skip
        items.append(
            f'<li class="{cls(b, "menu", "item")}"><a class="{cls(b, "menu", "link")}" href="'
            f'{hubs[s % len(hubs)].path}" aria-haspopup="true">{escape(name)}'
            f'{use_icon("chevron-down", 12)}</a><div class="{cls(b, "mega")}" hidden><ul class="'
            f'{cls(b, "mega", "list")}">{links}</ul><div class="{cls(b, "mega", "featured")}">'
            f'{cards}</div><a class="{cls(b, "mega", "all")}" href="{hubs[s % len(hubs)].path}">'
            f"{ui['more']} {escape(name)}</a></div></li>"
        )
    label = ui["menu"] if drawer else ui["topics"]
    return f'<nav class="{cls(b, "nav")}" aria-label="{label}"><ul>{"".join(items)}</ul></nav>'


def masthead(site: Site, origin: int, lang: str) -> bytes:
    key = f"real-masthead-{origin}-{lang}"
    if key not in site.shared:
        b, ui = brand(origin), ui_text.UI[lang]
        network = "".join(
            f'<li><a href="{base}/">{escape(brand(o).name)}</a></li>'
            for o, base in enumerate(site.bases)
            if o != origin
        )
        drawer = (
            f'<div class="{cls(b, "drawer")}" id="drawer" hidden>{_menu(site, origin, lang, True)}'
            f"</div>"
            if b.drawer
            else ""
        )
        site.shared[key] = (
            f'<a class="skip-link" href="#main">{ui["skip"]}</a><header class="'
            f'{cls(b, "masthead")}"><div class="{cls(b, "masthead", "top")}"><button class="'
            f'{cls(b, "button", "menu")}" aria-controls="drawer">{icon("menu")}{ui["menu"]}'
            f'</button><a class="{cls(b, "masthead", "logo")}" href="/" aria-label="{b.name}">'
            f'<svg width="240" height="32"><use href="#logo"/></svg></a><form class="'
            f'{cls(b, "search")}" action="/search" method="get" role="search"><input type="search"'
            f' name="q" placeholder="{ui["search"]}"><button>{icon("search")}</button></form>'
            f'<a class="{cls(b, "button", "primary")}" href="https://account.{b.domain}/subscribe'
            f'">{ui["subscribe"]}</a><a href="https://account.{b.domain}/login">{ui["login"]}</a>'
            f'</div><ul class="{cls(b, "masthead", "network")}">{network}</ul>'
            f"{_menu(site, origin, lang, False)}</header>{drawer}"
        ).encode()
    return site.shared[key]


def consent(site: Site, origin: int, lang: str) -> bytes:
    key = f"real-consent-{origin}-{lang}"
    if key not in site.shared:
        b, ui = brand(origin), ui_text.UI[lang]
        purposes = "".join(
            f'<li class="ot-purpose"><label for="purpose-{i}">{escape(p)}</label><input '
            f'type="checkbox" id="purpose-{i}" class="ot-switch" data-purpose="{i + 1}"><p '
            f'class="ot-desc">{escape(p)}. {escape(ui["consent"][:160])}</p></li>'
            for i, p in enumerate(ui["purposes"].split("|"))
        )
        site.shared[key] = (
            f'<div id="consent-sdk" class="ot-sdk" role="dialog" aria-modal="true" aria-label="'
            f'{ui["consent_title"]}"><div class="ot-banner"><h2 class="ot-title">'
            f'{ui["consent_title"]}</h2><p class="ot-text">{escape(ui["consent"])} <a href="'
            f'https://legal.{b.domain}/{lang}/cookies">{ui["cookies"]}</a></p><ul class="'
            f'ot-purposes">{purposes}</ul><div class="ot-buttons"><button id="ot-accept">'
            f'{ui["accept"]}</button><button id="ot-reject">{ui["reject"]}</button><button '
            f'id="ot-manage">{ui["manage"]}</button></div></div></div>'
        ).encode()
    return site.shared[key]


def licence_line(origin: int, lang: str) -> str:
    b, ui = brand(origin), ui_text.UI[lang]
    if b.site_licence:
        return (
            f"© 2019–2026 {escape(b.owner)}. Except where otherwise noted, content on this site "
            f'is licensed under a <a rel="license" href="{b.site_licence}">Creative Commons '
            f"Attribution 4.0 International License</a>."
        )
    if lang == "zh":
        return f"版权所有 © 2026 {escape(b.owner)} {ui['rights']}"
    return f"© 2026 {escape(b.owner)}. {ui['rights']}"


def footer(site: Site, origin: int, lang: str) -> bytes:
    key = f"real-footer-{origin}-{lang}"
    if key not in site.shared:
        b, ui, hubs = brand(origin), ui_text.UI[lang], _hubs(site, origin)
        names, topics = ui_text.sections(lang), ui_text.subtopics(lang)
        count = b.footer_links - len(LEGAL) - len(SOCIAL)
        sections = "".join(
            f'<li><a class="{cls(b, "footer", "link")}" href="{hubs[i % len(hubs)].path}">'
            f"{escape(names[i % len(names)])} {escape(topics[i // len(names) % len(topics)])}"
            f"</a></li>"
            for i in range(count)
        )
        legal = "".join(
            f'<li><a href="https://legal.{b.domain}/{lang}/{item}">{ui[item]}</a></li>'
            for item in LEGAL
        )
        social = "".join(
            f'<li><a href="https://{name}.example/{b.domain.split(".")[-2]}" rel="noopener" '
            f'aria-label="{name}">{icon(name, 24)}</a></li>'
            for name in SOCIAL
        )
        site.shared[key] = (
            f'<footer class="{cls(b, "footer")}" role="contentinfo"><svg width="160" height="24">'
            f'<use href="#logo"/></svg><ul class="{cls(b, "footer", "list")}">{sections}</ul>'
            f'<ul class="{cls(b, "footer", "legal")}">{legal}</ul><ul class="'
            f'{cls(b, "footer", "social")}">{social}</ul><p class="{cls(b, "footer", "copy")}">'
            f"{licence_line(origin, lang)}</p></footer>"
        ).encode()
    return site.shared[key]
