"""The inline JSON state a JavaScript framework ships for hydration (__NEXT_DATA__, __NUXT__,
a WordPress plugin's `var appState`): 20-80 KB per page depending on the brand.

It has a per-page part (the article again as HTML blocks, authors, images, recommendations) and
a site-wide part (menu tree, translations, feature flags, consent vendors) that is the same bytes
for every page of one origin and language, as real apps embed their layout data on each page.
"""

from __future__ import annotations

import json
import random
from typing import TYPE_CHECKING, Any

from bench import ui_text
from bench.assets import short_hash
from bench.brands import brand
from bench.prose import SECTIONS
from bench.realctx import PageContext

if TYPE_CHECKING:
    from bench.site import Site

TEASER_BYTES = 560  # about what one recommendation adds to the JSON


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def shared_state(site: Site, origin: int, lang: str, size: int) -> bytes:
    key = f"real-state-{origin}-{lang}"
    if key not in site.shared:
        rng = random.Random(key)
        hubs = [site.pages[i] for i in site.hubs[origin]]
        names, topics = ui_text.sections(lang), ui_text.subtopics(lang)
        menu = [
            {
                "id": f"nav-{s}",
                "label": names[s],
                "url": hubs[s % len(hubs)].path,
                "children": [
                    {"id": f"nav-{s}-{i}", "label": f"{names[s]} {t}", "url": hubs[i % len(hubs)]
                     .path, "tracking": {"event": "nav_click", "position": i}}
                    for i, t in enumerate(topics[: brand(origin).menu_links])
                ],
            }
            for s in range(len(SECTIONS))
        ]  # fmt: skip
        i18n = {f"{area}.{k}": v for area in ("ui", "a11y") for k, v in ui_text.UI[lang]
                .items()}  # fmt: skip
        flags = {f"flag_{short_hash(i, n=6)}": rng.random() < 0.5 for i in range(120)}
        data: dict[str, Any] = {"menu": menu, "i18n": i18n, "flags": flags}
        partial = len(dumps(data))
        data["consentVendors"] = [
            rng.randrange(1, 1500) for _ in range(max(0, size - partial) // 4)
        ]
        site.shared[key] = dumps(data).encode()
    return site.shared[key]


def teaser(ctx: PageContext, i: int) -> dict[str, Any]:
    other = ctx.related[i % len(ctx.related)]
    src = ctx.image((ctx.index, "rec", i), 640)
    return {
        "id": f"{other.origin}-{short_hash(other.path, n=8)}",
        "title": other.title,
        "url": ctx.href(other),
        "kicker": other.section or "news",
        "image": {"src": src, "srcset": f"{src} 640w, {src[:-9]}1024.webp 1024w", "alt": ""},
        "published": other.published,
        "readingTime": ctx.rng.randrange(2, 15),
        "tracking": {"slot": i, "model": "collab-v3", "score": round(ctx.rng.random(), 6)},
    }


def page_state(ctx: PageContext, blocks: list[str]) -> dict[str, Any]:
    page = ctx.page
    return {
        "content": {
            "id": ctx.index,
            "type": page.kind,
            "headline": page.title,
            "language": ctx.lang,
            "published": ctx.published,
            "authors": [{"name": a, "slug": a.lower().replace(" ", "-")} for a in ctx.authors],
            "body": [{"type": "html", "html": b} for b in blocks],
            "licence": ctx.licence or "all-rights-reserved",
        },
        "ads": {"targeting": {"section": page.section, "pos": ["top", "mpu", "inline"]}},
        "recommendations": [],
    }


def state_chunks(ctx: PageContext, blocks: list[str]) -> list[bytes]:
    """[opening and per-page part, site-wide part (shared bytes), closing]."""
    b = ctx.brand
    low, high = b.state_bytes
    target = ctx.rng.randrange(low, high)
    shared = shared_state(ctx.site, ctx.page.origin, ctx.lang, low // 2)
    data = page_state(ctx, blocks)
    missing = target - len(shared) - len(dumps(data))
    data["recommendations"] = [teaser(ctx, i) for i in range(max(0, missing) // TEASER_BYTES)]
    unique = dumps(data)
    build = short_hash(b.name, n=21)
    if b.framework == "next":
        head = '<script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":'
        head += f'{unique},"__N_SSG":true}},"layout":'
        tail = (
            f',"page":"/[...slug]","query":{{"slug":{dumps(ctx.page.path.strip("/").split("/"))}'
            f'}},"buildId":"{build}","isFallback":false,"gsp":true,"locale":"{ctx.lang}",'
            f'"scriptLoader":[]}}</script>'
        )
    elif b.framework == "nuxt":
        head = f'<script>window.__NUXT__={{"data":[{unique}],"state":'
        tail = f',"serverRendered":true,"config":{{"app":{{"buildId":"{build}"}}}}}};</script>'
    else:
        head = f'<script id="app-state-js-extra">var appState = {{"post":{unique},"site":'
        tail = "};</script>"
    return [head.encode(), shared, tail.encode()]
