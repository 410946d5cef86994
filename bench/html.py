"""HTML of the benchmark site's pages: head, shared assets, mega-menu, article, sidebar, footer.

Pages look like a news site's (~80 KB, most of it boilerplate around ~1,000 words of prose), with
PII planted in some articles (bylines, quoted titled names, emails, phones) and licence links.
"""

from __future__ import annotations

import json
import random
from functools import cache
from html import escape
from typing import TYPE_CHECKING

from bench.prose import FAMILY, GIVEN, SECTIONS, Prose

if TYPE_CHECKING:
    from bench.site import PageRef, Site

PAPERS = ["Northfield Courier", "Eastbrook Gazette", "Westmere Herald", "Southport Chronicle"]
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
CC_BY_SA = "https://creativecommons.org/licenses/by-sa/4.0/"


def paper_name(origin: int) -> str:
    return PAPERS[origin % len(PAPERS)]


def phone(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"020 7946 {rng.randrange(10000):04d}"
    return f"+1 (415) 555-{rng.randrange(100, 199):04d}"


def email(rng: random.Random, origin: int) -> str:
    domain = paper_name(origin).lower().replace(" ", "-") + ".example"
    return f"{rng.choice(GIVEN).lower()}.{rng.choice(FAMILY).lower()}@{domain}"


def head(site: Site, page: PageRef, prose: Prose, rng: random.Random) -> bytes:
    roll = rng.random()
    licence = CC_BY if roll < 0.85 else CC_BY_SA if roll < 0.90 else None
    link = f'<link rel="license" href="{licence}">' if licence else ""
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle" if page.kind == "article" else "WebPage",
        "headline": page.title,
        "datePublished": f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
        "publisher": {"@type": "Organization", "name": paper_name(page.origin)},
    }
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(page.title)} | {paper_name(page.origin)}</title>"
        f'<meta name="description" content="{escape(prose.sentence())}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="canonical" href="{site.bases[page.origin]}{page.path}">{link}'
        f'<meta property="og:title" content="{escape(page.title)}">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    ).encode()


@cache
def shared_assets() -> bytes:
    """Inline CSS and a tracking script, as many news pages carry, then the body's opening."""
    rules = "".join(
        f".c-{i}{{margin:{i % 7}px {i % 5}px;padding:{i % 3}px;color:#{i * 2654435 % 2**24:06x}}}"
        for i in range(560)
    )
    script = "".join(
        f"window.dl=window.dl||[];dl.push({{event:'slot{i}',id:'ad-{i}',size:[300,250]}});"
        for i in range(260)
    )
    body = (
        '</head><body class="site"><div id="cookie-banner" class="banner">We use cookies to '
        "improve your experience and to show you relevant advertising. "
        '<button class="btn">Accept all</button><button class="btn">Manage</button></div>'
    )
    return f"<style>{rules}</style><script>{script}</script>{body}".encode()


def navigation(site: Site, origin: int) -> bytes:
    key = f"nav-{origin}"
    if key not in site.shared:
        hubs = [site.pages[i] for i in site.hubs[origin]]
        items = []
        for s, section in enumerate(SECTIONS):
            links = "".join(
                f'<li class="menu__item menu__item--sub"><a class="menu__link" data-track='
                f'"nav:{section}:{i}" href="{hubs[(s * 8 + i) % len(hubs)].path}">'
                f"{section.capitalize()} {i + 1}</a></li>"
                for i in range(8)
            )
            items.append(
                f'<li class="menu__item"><a class="menu__link menu__link--top" href="'
                f'{hubs[s % len(hubs)].path}">{section.capitalize()}</a>'
                f'<ul class="menu__sub">{links}</ul></li>'
            )
        network = "".join(
            f'<li><a href="{base}/">{paper_name(o)}</a></li>' for o, base in enumerate(site.bases)
        )
        site.shared[key] = (
            f'<header class="masthead"><a class="logo" href="/">{paper_name(origin)}</a>'
            f'<ul class="network">{network}</ul><nav class="menu" aria-label="Sections">'
            f'<ul class="menu__list">{"".join(items)}</ul></nav></header>'
        ).encode()
    return site.shared[key]


def footer(site: Site, origin: int) -> bytes:
    key = f"footer-{origin}"
    if key not in site.shared:
        hubs = [site.pages[i] for i in site.hubs[origin]]
        links = "".join(
            f'<li class="footer__item"><a class="footer__link" href="{hubs[i % len(hubs)].path}">'
            f"{SECTIONS[i % len(SECTIONS)].capitalize()} archive {i // len(SECTIONS) + 1}</a></li>"
            for i in range(60)
        )
        site.shared[key] = (
            f'<footer class="site-footer"><ul class="footer__list">{links}</ul>'
            f"<p>&copy; 2026 {paper_name(origin)}. Registered in England "
            f"and Wales.</p></footer></body></html>"
        ).encode()
    return site.shared[key]


def article(site: Site, page: PageRef, prose: Prose, rng: random.Random) -> bytes:
    author = prose.person()
    parts = [f'<p class="standfirst">{prose.paragraph(2)}</p>']
    for i in range(14):
        if i and i % 4 == 0:
            parts.append(f"<h2>{prose.headline()}</h2>")
        parts.append(f"<p>{prose.paragraph(rng.randrange(4, 6))}</p>")
        if i == 5 and rng.random() < 0.4:
            quote = prose.sentence().rstrip(".")
            parts.append(f"<p>&ldquo;{quote},&rdquo; said {prose.titled_person()}.</p>")
    if rng.random() < 0.25:
        parts.append(
            f"<p>Readers with information can contact the newsroom at "
            f"{email(rng, page.origin)} or call {phone(rng)}.</p>"
        )
    if rng.random() < 0.02:  # a staff list: a page dense with personal data
        rows = "".join(
            f"<li>{prose.titled_person()}, {email(rng, page.origin)}, {phone(rng)}</li>"
            for _ in range(25)
        )
        parts.append(f"<h2>Contacts</h2><ul>{rows}</ul>")
    tags = "".join(f'<li class="tag">{w}</li>' for w in prose.words(SECTIONS, 6))
    return (
        f'<main id="content"><article class="article c-{rng.randrange(300)}">'
        f'<h1 class="article__title">{escape(page.title)}</h1><p class="byline">By '
        f'<span class="author">{author}</span> &middot; <time>{rng.randrange(1, 28)} March'
        f' 2026</time></p><figure><img src="/img/{rng.randrange(999)}.jpg" alt="">'
        f"<figcaption>{prose.sentence()}</figcaption></figure>"
        f'<div class="article__body">{"".join(parts)}</div><ul class="tags">{tags}</ul>'
        f"</article></main>"
    ).encode()


def listing(site: Site, page: PageRef, listed: list[PageRef], prose: Prose) -> bytes:
    teasers = "".join(
        f'<div class="teaser"><h3><a href="{site.href(p, page.origin)}">{escape(p.title)}</a>'
        f"</h3><p>{prose.sentence()} {prose.sentence()}</p></div>"
        for p in listed
    )
    return f'<main id="content"><h1>{escape(page.title)}</h1>{teasers}</main>'.encode()


def sidebar(site: Site, page: PageRef, others: list[PageRef], prose: Prose) -> bytes:
    """Most read (titles) and related stories (titles with a teaser line), across origins."""

    def block(title: str, pages: list[PageRef], teaser: bool) -> str:
        items = "".join(
            f'<li class="rail__item"><a class="rail__link" href="{site.href(p, page.origin)}">'
            f"{escape(p.title)}</a>{f'<p>{prose.sentence()}</p>' if teaser else ''}</li>"
            for p in pages
        )
        return f'<section class="rail"><h2>{title}</h2><ol>{items}</ol></section>'

    return (
        f'<aside class="sidebar">{block("Most read", others[:10], False)}'
        f"{block('Related', others[10:], True)}"
        f'<div class="ad-slot" id="ad-rail-1"></div><form class="newsletter"><label>Get the '
        f'morning briefing</label><input type="email" name="email"><button>Sign up</button>'
        f"</form></aside>"
    ).encode()
