"""The benchmark site: N pages spread evenly over several origins, homes -> hubs -> articles.

Every origin has a home page linking all its hubs, each hub lists ~30 of its articles, and
articles cross-link across origins, so the homes (the seeds) reach every page within depth 2.
Two page profiles share that layout: `article` (bench/html.py, the default) and `real`
(bench/realpage.py: real-world templates, each origin its own publisher, en/de/fr/zh).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from bench import html, realpage, realplan
from bench.prose import SECTIONS, Prose

ARTICLES_PER_HUB = 30
ROBOTS_TXT = b"User-agent: *\nAllow: /\n"
PROFILES = ("article", "real")


@dataclass
class PageRef:
    origin: int
    path: str
    title: str
    kind: str  # home | hub | article
    lang: str = "en"
    section: str = ""
    published: str = ""  # ISO 8601 (real profile)


@dataclass
class Site:
    bases: list[str]
    seed: int
    pages: list[PageRef] = field(default_factory=list)
    hubs: list[list[int]] = field(default_factory=list)  # per origin: page indexes of its hubs
    articles: list[list[int]] = field(default_factory=list)
    shared: dict[str, bytes] = field(default_factory=dict)  # nav and footer of each origin
    profile: str = "article"

    def href(self, page: PageRef, from_origin: int) -> str:
        return page.path if page.origin == from_origin else self.bases[page.origin] + page.path


def plan_site(pages: int, bases: list[str], seed: int, profile: str = "article") -> Site:
    """Which page lives where, with its title: cheap, done before any HTML is written."""
    if pages < 4 * len(bases):
        raise ValueError(f"at least {4 * len(bases)} pages for {len(bases)} origins")
    if profile not in PROFILES:
        raise ValueError(f"unknown page profile {profile!r}: one of {', '.join(PROFILES)}")
    site = Site(bases, seed, profile=profile)
    prose = Prose(seed)
    for o in range(len(bases)):
        n = pages // len(bases) + (o < pages % len(bases))
        hubs = max(1, math.ceil((n - 1) / (ARTICLES_PER_HUB + 1)))
        home = realplan.home_title(o) if profile == "real" else f"The {html.paper_name(o)}"
        site.pages.append(PageRef(o, "/", home, "home"))
        site.hubs.append([])
        site.articles.append([])
        for k in range(hubs):
            section = SECTIONS[k % len(SECTIONS)]
            site.hubs[o].append(len(site.pages))
            path = f"/sections/{section}-{k}.html"
            if profile == "real":
                path = realplan.hub_path(o, section, k)
            site.pages.append(PageRef(o, path, section, "hub", section=section))
        for j in range(n - 1 - hubs):
            site.articles[o].append(len(site.pages))
            if profile == "real":
                section = SECTIONS[j % hubs % len(SECTIONS)]  # that of the hub listing it
                path, title, lang, day = realplan.article_name(seed, o, j, section)
                site.pages.append(PageRef(o, path, title, "article", lang, section, day))
            else:
                title = prose.headline()
                slug = "-".join(title.lower().split()[:6])
                site.pages.append(PageRef(o, f"/news/{slug}-{o}{j:05d}.html", title, "article"))
    return site


def page_body(site: Site, index: int) -> list[bytes]:
    """The HTML of one page as chunks; the large shared ones are the same objects every time."""
    if site.profile == "real":
        return realpage.page_chunks(site, index)
    page = site.pages[index]
    rng = random.Random(site.seed * 1_000_003 + index)
    prose = Prose(rng.randrange(2**32))
    o = page.origin
    if page.kind == "home":
        listed = [site.pages[i] for i in site.hubs[o] + site.articles[o][:20]]
        main = html.listing(site, page, listed, prose)
    elif page.kind == "hub":
        k = site.hubs[o].index(index)
        listed = [site.pages[i] for i in site.articles[o][k :: len(site.hubs[o])]]
        main = html.listing(site, page, listed, prose)
    else:
        main = html.article(site, page, prose, rng)
    others = [site.pages[i] for i in rng.sample(range(len(site.pages)), 24)]
    return [
        html.head(site, page, prose, rng),
        html.shared_assets(),
        html.navigation(site, o),
        main,
        html.sidebar(site, page, others, prose),
        html.footer(site, o),
    ]


def robots_for(path: str) -> bytes | None:
    return ROBOTS_TXT if path == "/robots.txt" else None
