"""The four publishers of the real-page profile, one per origin, each with its own page template.

Two large news sites (one international, with de/fr/zh editions), a tech-news site that
republishes some stories under CC BY-SA, and a CC BY blog: what differs between real templates
(framework, CSS style, menu size, state blob, comments, licence, URL scheme) differs here.
"""

from __future__ import annotations

from dataclasses import dataclass

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
CC_BY_SA = "https://creativecommons.org/licenses/by-sa/4.0/"


@dataclass(frozen=True)
class Brand:
    name: str
    owner: str  # the copyright holder named in notices and JSON-LD
    domain: str  # its public host name, for og:url, CDN and social links (never fetched)
    framework: str  # next | nuxt | wordpress: how the page's JSON state is embedded
    css: str  # bem | modules | utility | wordpress: how its class names look
    css_rules: int  # rules of inline critical CSS
    menu_links: int  # links per section column of the mega-menu
    featured: int  # featured stories per section in the mega-menu
    languages: tuple[tuple[str, float], ...]  # article languages, with their shares
    article_path: str  # str.format of: lang section slug id year month day
    hub_prefix: str  # section pages: <hub_prefix><section>/
    state_bytes: tuple[int, int]  # size range of the inline JSON state blob
    comments: str  # rendered (in the HTML) | embed (a script's placeholder + top comments)
    article_type: str = "NewsArticle"
    cc_share: float = 0.0  # articles republished under CC BY-SA (notice in the article)
    site_licence: str = ""  # a CC licence for the whole site (footer and <link rel=license>)
    footer_links: int = 60
    drawer: bool = False  # the menu again in a mobile drawer, as many sites render it twice

    @property
    def cdn(self) -> str:
        return "cdn." + self.domain.removeprefix("www.")


BRANDS = [
    Brand(
        name="The Northfield Courier",
        owner="Northfield Media Group Ltd",
        domain="www.northfield-courier.example",
        framework="next",
        css="modules",
        css_rules=300,
        menu_links=12,
        featured=4,
        languages=(("en", 1.0),),
        article_path="/news/{section}/{year}/{month:02d}/{day:02d}/{slug}-{id}/",
        hub_prefix="/news/",
        state_bytes=(30_000, 75_000),
        comments="embed",
        footer_links=72,
        drawer=True,
    ),
    Brand(
        name="Global Dispatch",
        owner="Global Dispatch Media GmbH",
        domain="www.globaldispatch.example",
        framework="nuxt",
        css="bem",
        css_rules=220,
        menu_links=12,
        featured=3,
        languages=(("en", 0.4), ("de", 0.2), ("fr", 0.2), ("zh", 0.2)),
        article_path="/{lang}/{section}/{slug}-a-{id}",
        hub_prefix="/en/",
        state_bytes=(25_000, 60_000),
        comments="embed",
        footer_links=64,
    ),
    Brand(
        name="Field Notes",
        owner="Hannah Lockwood",
        domain="fieldnotes.example",
        framework="wordpress",
        css="wordpress",
        css_rules=80,
        menu_links=6,
        featured=0,
        languages=(("en", 0.7), ("de", 0.3)),
        article_path="/{year}/{month:02d}/{slug}-{id}/",
        hub_prefix="/category/",
        state_bytes=(20_000, 26_000),
        comments="rendered",
        article_type="BlogPosting",
        site_licence=CC_BY,
        footer_links=30,
    ),
    Brand(
        name="Eastbrook Tech Review",
        owner="Eastbrook Publishing Inc.",
        domain="www.eastbrook-tech.example",
        framework="next",
        css="utility",
        css_rules=300,
        menu_links=10,
        featured=3,
        languages=(("en", 0.6), ("zh", 0.2), ("fr", 0.2)),
        article_path="/{lang}/articles/{id}-{slug}.html",
        hub_prefix="/en/topics/",
        state_bytes=(20_000, 50_000),
        comments="embed",
        cc_share=0.25,
        footer_links=48,
        drawer=True,
    ),
]


def brand(origin: int) -> Brand:
    return BRANDS[origin % len(BRANDS)]
