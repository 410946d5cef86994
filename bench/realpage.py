"""A real-profile page as served: ~95-245 KB, most of it template around the story.

Order as on real pages: head (metadata, preloads, scripts, critical CSS, JSON-LD), SVG sprite,
masthead with mega-menu, main content with share bars, ads, comments and rails, footer,
consent dialog, the framework's JSON state, deferred scripts. The large per-origin parts are
the same bytes objects on every page (bench/server.py serves chunk lists).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bench import assets, chrome, metadata, state, ui_text, widgets
from bench.assets import cls
from bench.realbody import article, article_blocks, listing
from bench.realctx import page_context

if TYPE_CHECKING:
    from bench.site import Site


def page_chunks(site: Site, index: int) -> list[bytes]:
    ctx = page_context(site, index)
    b, o, lang, ui = ctx.brand, ctx.page.origin, ctx.lang, ui_text.UI[ctx.lang]
    description = ctx.text.sentence()
    if ctx.page.kind == "article":
        blocks = article_blocks(ctx)
        main = article(ctx, blocks) + widgets.comments(ctx)
    else:
        blocks = []
        main = listing(ctx)
    rails = (
        f'<aside class="{cls(b, "rail", "column")}">'
        f"{widgets.rail(ctx, ui['most_read'], 0, 10, False)}{widgets.ad_slot(ctx, 'rail')}"
        f"{widgets.rail(ctx, ui['related'], 10, 8, True)}{widgets.sponsored(ctx)}"
        f"{widgets.newsletter(ctx)}</aside>"
    )
    root = {"next": '<div id="__next">', "nuxt": '<div id="__nuxt">'}.get(b.framework, "")
    body = f'</head><body class="{cls(b, "page")} page--{ctx.page.kind} lang-{lang}">{root}'
    close = f"{'</div>' if root else ''}</body></html>"
    return [
        metadata.head(ctx, description),
        assets.head_scripts(b),
        assets.inline_css(b),
        metadata.json_ld(ctx, description).encode(),
        body.encode(),
        assets.sprite_and_logo(b),
        chrome.masthead(site, o, lang),
        f'<main id="main" class="{cls(b, "main")}">{main}</main>{rails}'.encode(),
        chrome.footer(site, o, lang),
        chrome.consent(site, o, lang),
        *state.state_chunks(ctx, blocks),
        assets.tail_scripts(b),
        close.encode(),
    ]
