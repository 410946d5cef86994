"""What a real template ships on every page: class names, inline CSS, SVG icons, script tags.

All of it depends only on the brand (bench/brands.py), so it is built once per brand and the
same bytes objects are reused by every page of that origin.
"""

from __future__ import annotations

import hashlib
import random
from functools import cache

from bench.brands import Brand
from bench.prose import words

COMPONENTS = words(
    """
header masthead nav menu mega article headline byline body figure caption teaser card rail
footer share comments consent ad newsletter tag breadcrumb author video gallery live search
button grid promo
"""
)
ELEMENTS = words(
    """
title link item list image label icon meta inner wrapper text container heading badge column
"""
)
MODIFIERS = words("primary large small active open dark compact featured highlight inverse")
UTILITIES = words(
    """
flex grid block hidden items-center justify-between gap-2 gap-4 px-4 py-2 mt-4 mb-6 text-sm
text-lg font-semibold leading-tight text-gray-700 bg-white rounded-lg shadow-sm border
border-gray-200 hover:underline md:flex lg:grid-cols-3 w-full max-w-screen-xl mx-auto
line-clamp-3 aspect-video object-cover truncate uppercase tracking-wide
"""
)
ICONS = words(
    """
search menu close facebook x linkedin whatsapp email link bookmark comment play arrow-right
chevron-down user bell print gift headphones camera clock location
"""
)
CHUNKS = words(
    """
webpack framework main pages/_app pages/[...slug] 2443 7361 8925 ads consent video comments
analytics polyfills
"""
)


def short_hash(*parts: object, n: int = 5) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()[:n]


@cache
def cls(brand: Brand, component: str, element: str = "") -> str:
    """A class attribute's value in the brand's naming style."""
    if brand.css == "modules":
        name = component.capitalize() + (f"_{element}" if element else "_root")
        return f"{name}__{short_hash(brand.name, component, element)}"
    if brand.css == "bem":
        return f"c-{component}" + (f"__{element}" if element else "")
    if brand.css == "utility":
        rng = random.Random(f"{brand.name}/{component}/{element}")
        return " ".join(rng.sample(UTILITIES, rng.randrange(3, 7)))
    return f"wp-block-{component}" + (f"__{element}" if element else "")


def declarations(rng: random.Random) -> str:
    props = [
        f"margin:{rng.randrange(0, 48)}px {rng.randrange(0, 24)}px",
        f"padding:{rng.randrange(0, 32)}px",
        f"color:#{rng.randrange(2**24):06x}",
        f"font-size:{rng.randrange(12, 48) / 16:.3f}rem",
        f"line-height:{rng.randrange(100, 180) / 100}",
        "display:flex;align-items:center",
        f"grid-template-columns:repeat({rng.randrange(2, 6)},minmax(0,1fr))",
        f"border-bottom:1px solid var(--c-line-{rng.randrange(9)})",
        f"transition:opacity .{rng.randrange(1, 9)}s ease-in-out",
        f"max-width:{rng.randrange(320, 1440)}px",
    ]
    return ";".join(rng.sample(props, rng.randrange(2, 6)))


def selector(brand: Brand, rng: random.Random) -> str:
    component, element = rng.choice(COMPONENTS), rng.choice(ELEMENTS)
    if brand.css == "utility":
        name = rng.choice(UTILITIES).replace(":", "\\:")
        return f".{name}{rng.randrange(1, 13)}" if rng.random() < 0.7 else f".{name}"
    base = "." + cls(brand, component, element).split()[0]
    if brand.css == "bem" and rng.random() < 0.3:
        base += f"--{rng.choice(MODIFIERS)}"
    return base + rng.choice(["", ":hover", " a", " > li", "::before", " svg"])


@cache
def inline_css(brand: Brand) -> bytes:
    rng = random.Random(f"css/{brand.name}")
    root = ";".join(f"--c-line-{i}:#{rng.randrange(2**24):06x}" for i in range(9))
    fonts = "".join(
        f"@font-face{{font-family:{family};font-display:swap;font-weight:{weight};src:url("
        f"/fonts/{family.lower()}-{weight}.{short_hash(family, weight, n=8)}.woff2) "
        "format('woff2')}"
        for family in ("Serif", "Sans") for weight in (400, 700)
    )  # fmt: skip
    rules = []
    for i in range(brand.css_rules):
        rule = f"{selector(brand, rng)}{{{declarations(rng)}}}"
        if i % 4 == 3:
            rule = f"@media (min-width:{rng.choice([600, 768, 1024, 1280])}px){{{rule}}}"
        rules.append(rule)
    return f"<style>:root{{{root}}}{fonts}{''.join(rules)}</style>".encode()


@cache
def icon_path(name: str, points: int = 16) -> str:
    rng = random.Random(f"icon/{name}")
    steps = "".join(
        f"{rng.choice('LQC')}{rng.uniform(0, 24):.2f} {rng.uniform(0, 24):.2f}"
        + (f" {rng.uniform(0, 24):.2f} {rng.uniform(0, 24):.2f}" if i % 3 == 0 else "")
        for i in range(points)
    )
    return f"M{rng.uniform(0, 24):.2f} {rng.uniform(0, 24):.2f}{steps}Z"


def use_icon(name: str, size: int = 16) -> str:
    """A reference to the sprite's symbol, as menus use them."""
    return f'<svg width="{size}" height="{size}" aria-hidden="true"><use href="#i-{name}"/></svg>'


def icon(name: str, size: int = 20) -> str:
    """An inline SVG icon, as share buttons and menus repeat them."""
    return (
        f'<svg class="icon icon--{name}" width="{size}" height="{size}" viewBox="0 0 24 24" '
        f'aria-hidden="true" focusable="false"><path fill="currentColor" d="{icon_path(name)}"/>'
        f"</svg>"
    )


@cache
def sprite_and_logo(brand: Brand) -> bytes:
    symbols = "".join(
        f'<symbol id="i-{n}" viewBox="0 0 24 24"><path d="{icon_path(n)}"/></symbol>' for n in ICONS
    )
    logo = icon_path(brand.name, points=120)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" style="display:none">{symbols}'
        f'<symbol id="logo" viewBox="0 0 240 32"><title>{brand.name}</title><path d="{logo}"/>'
        f"</symbol></svg>"
    ).encode()


@cache
def head_scripts(brand: Brand) -> bytes:
    """Preconnects, preloads, the consent-mode default, a tag-manager loader, the ad setup."""
    gtm = f"GTM-{short_hash(brand.name, n=6).upper()}"
    cdn = f"https://{brand.cdn}"
    links = "".join(
        f'<link rel="preconnect" href="{h}" crossorigin>'
        for h in (cdn, "https://securepubads.g.doubleclick.net", "https://www.googletagmanager.com")
    )
    chunks = "".join(
        f'<link rel="preload" as="script" href="{cdn}/static/chunks/{c}-{short_hash(c, n=16)}.js">'
        for c in CHUNKS
    )
    slots = "".join(
        f"googletag.defineSlot('/21{short_hash(brand.name, n=6)}/{brand.domain}/{kind}',"
        f"[[300,250],[300,600],[728,90],[970,250]],'ad-{kind}').addService(googletag.pubads());"
        for kind in ("top", "mpu-1", "mpu-2", "inline-1", "inline-2", "rail", "bottom", "sticky")
    )
    bidders = ",".join(
        f"{{bidder:'{b}',params:{{placementId:{random.Random(b + brand.name).randrange(10**7)}}}}}"
        for b in ("appnexus", "rubicon", "ix", "openx", "pubmatic", "criteo", "teads", "sovrn")
    )
    inline = (
        "window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
        "gtag('consent','default',{ad_storage:'denied',ad_user_data:'denied',"
        "ad_personalization:'denied',analytics_storage:'denied',wait_for_update:500});"
        "(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':Date.now(),event:'gtm.js'});"
        "var f=d.getElementsByTagName(s)[0],j=d.createElement(s);j.async=true;"
        f"j.src='https://www.googletagmanager.com/gtm.js?id='+i;f.parentNode.insertBefore(j,f)}})"
        f"(window,document,'script','dataLayer','{gtm}');"
        f"window.googletag=window.googletag||{{cmd:[]}};googletag.cmd.push(function(){{{slots}"
        "googletag.pubads().enableSingleRequest();googletag.pubads().collapseEmptyDivs();"
        "googletag.enableServices()});"
        f"window.pbjs=window.pbjs||{{que:[]}};pbjs.que.push(function(){{pbjs.addAdUnits([{{code:"
        f"'ad-mpu-1',mediaTypes:{{banner:{{sizes:[[300,250]]}}}},bids:[{bidders}]}}])}});"
    )
    external = "".join(
        f'<script async src="{src}"></script>'
        for src in (
            f"https://cmp.{brand.domain}/stub.js",
            "https://securepubads.g.doubleclick.net/tag/js/gpt.js",
            f"{cdn}/vendor/prebid.{short_hash('pb', n=8)}.js",
            "https://static.chartbeat.example/js/chartbeat_mab.js",
        )
    )
    css = f'<link rel="stylesheet" href="{cdn}/static/css/{short_hash(brand.name, n=12)}.css">'
    return f"{links}{chunks}{css}<script>{inline}</script>{external}".encode()


@cache
def tail_scripts(brand: Brand) -> bytes:
    cdn = f"https://{brand.cdn}"
    tags = "".join(
        f'<script src="{cdn}/static/chunks/{c}-{short_hash(c, n=16)}.js" defer></script>'
        for c in CHUNKS
    )
    pixel = (
        "<script>!function(f,b,e,v){if(f.fbq)return;var n=f.fbq=function(){n.queue.push("
        "arguments)};n.queue=[];var t=b.createElement(e);t.async=!0;t.src=v;"
        "b.head.appendChild(t)}(window,document,'script','https://connect.facebook.example/"
        "fbevents.js');fbq('init','" + short_hash(brand.name, n=15) + "');fbq('track','PageView');"
        '</script><noscript><img height="1" width="1" style="display:none" alt="" '
        'src="https://www.facebook.example/tr?ev=PageView&amp;noscript=1"></noscript>'
    )
    return (tags + pixel).encode()
