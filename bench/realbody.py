"""The main content of a real-profile page: an article (~500-1,800 words with ads, an inline
"read more" box, a pull quote, tags and an author box) or a listing of teasers (home, sections).

`article_blocks` returns the body's paragraphs too, which the state blob repeats as HTML.
"""

from __future__ import annotations

from html import escape

from bench import ui_text, widgets
from bench.assets import cls
from bench.brands import CC_BY_SA
from bench.realctx import SYNDICATOR, PageContext


def figure(ctx: PageContext, key: object, caption: str) -> str:
    sizes = ", ".join(f"{ctx.image(key, w)}?q=75 {w}w" for w in (320, 640, 1024, 1600))
    return (
        f'<figure class="{cls(ctx.brand, "figure")}"><picture><source type="image/avif" srcset='
        f'"{sizes.replace(".webp", ".avif")}"><img src="{ctx.image(key, 1024)}" srcset="{sizes}" '
        f'sizes="(min-width: 1024px) 760px, 100vw" width="1024" height="576" alt="'
        f'{escape(caption[:80])}" decoding="async"></picture><figcaption>{escape(caption)} '
        f'<span class="credit">© {escape(ctx.text.person())}</span></figcaption></figure>'
    )


def republished(ctx: PageContext) -> str:
    return (
        f'<p class="republish">This article is republished from <a href="https://'
        f'opensciencewire.example/">{SYNDICATOR}</a> under a <a rel="license" href="{CC_BY_SA}">'
        f"Creative Commons Attribution-ShareAlike 4.0</a> licence. Read the original.</p>"
    )


def article_blocks(ctx: PageContext) -> list[str]:
    rng, text = ctx.rng, ctx.text
    blocks = []
    for i in range(rng.randrange(8, 24)):
        if i and i % 4 == 0:
            blocks.append(f"<h2>{escape(text.headline())}</h2>")
        blocks.append(f"<p>{escape(text.paragraph(rng.randrange(2, 6)))}</p>")
        if i == 4 and rng.random() < 0.6:
            blocks.append(f"<blockquote><p>{escape(text.sentence())}</p></blockquote>")
        if i == 6 and rng.random() < 0.3:
            items = "".join(f"<li>{escape(text.sentence())}</li>" for _ in range(4))
            blocks.append(f"<ul>{items}</ul>")
    return blocks


def article(ctx: PageContext, blocks: list[str]) -> str:
    b, ui, page, rng = ctx.brand, ui_text.UI[ctx.lang], ctx.page, ctx.rng
    section, hub = ctx.hub()
    body = list(blocks)
    for at, kind in ((3, "inline-1"), (9, "inline-2")):
        if at < len(body):
            body.insert(at, widgets.ad_slot(ctx, kind))
    more = ctx.related[0]
    body.insert(min(6, len(body)), f'<aside class="{cls(b, "promo")}"><b>{ui["read_more"]}</b> '
                f'<a href="{ctx.href(more)}">{escape(more.title)}</a></aside>')  # fmt: skip
    if ctx.licence and not b.site_licence:
        body.append(republished(ctx))
    byline = ", ".join(
        f'<a rel="author" href="https://{b.domain}/authors/{a.split()[-1].lower()}">{escape(a)}</a>'
        for a in ctx.authors
    )
    tags = "".join(
        f'<li><a class="{cls(b, "tag")}" href="{hub}">{escape(t)}</a></li>'
        for t in rng.sample(ui_text.subtopics(ctx.lang), 5)
    )
    bio = escape(f"{ctx.authors[0]} — {ctx.text.sentence()}")
    minutes = max(2, sum(len(x) for x in blocks) // 1400)
    return (
        f'<nav class="{cls(b, "breadcrumb")}" aria-label="breadcrumb"><ol><li><a href="/">'
        f'{ui["home"]}</a></li><li><a href="{hub}">{escape(section)}</a></li></ol></nav>'
        f'{widgets.ad_slot(ctx, "top")}<article class="{cls(b, "article")}"><header class="'
        f'{cls(b, "article", "header")}"><a class="{cls(b, "article", "kicker")}" href="{hub}">'
        f'{escape(section)}</a><h1 class="{cls(b, "headline")}">{escape(page.title)}</h1><p '
        f'class="{cls(b, "article", "standfirst")}">{escape(ctx.text.paragraph(2))}</p><div '
        f'class="{cls(b, "byline")}">{ui["by"]} {byline} <time datetime="{ctx.published}">'
        f"{ui_text.long_date(ctx.lang, ctx.published)}</time> · {minutes} {ui['min_read']}</div>"
        f"{widgets.share_bar(ctx)}</header>{figure(ctx, ctx.index, ctx.text.sentence())}<div "
        f'class="{cls(b, "body")}">{"".join(body)}</div><ul class="{cls(b, "tag", "list")}">'
        f'{tags}</ul>{widgets.share_bar(ctx)}<aside class="{cls(b, "author")}"><img src="'
        f'{ctx.image(ctx.authors[0], 96)}" alt="" width="48" height="48"><p>{bio}</p></aside>'
        f"</article>"
    )


def listing(ctx: PageContext) -> str:
    site, page, b = ctx.site, ctx.page, ctx.brand
    o, hubs = page.origin, site.hubs[page.origin]
    if page.kind == "home":
        listed = [site.pages[i] for i in site.articles[o][:20]]
        firsts = zip(hubs, site.articles[o], strict=False)  # article k is listed on hub k
        blocks = [(site.pages[h], site.pages[a]) for h, a in firsts]
    else:
        k = hubs.index(ctx.index)
        listed = [site.pages[i] for i in site.articles[o][k :: len(hubs)]]
        blocks = []
    cards = "".join(
        f'<div class="{cls(b, "card")}"><a href="{p.path}" tabindex="-1"><img src="'
        f'{ctx.image(p.path, 640)}" alt="" width="320" height="180" loading="lazy"></a><h3><a '
        f'href="{p.path}">{escape(p.title)}</a></h3><p>{escape(ctx.text.sentence())}</p><time>'
        f"{ui_text.long_date(p.lang, p.published or ctx.published)}</time></div>"
        for p in listed
    )
    sections = "".join(
        f'<section class="{cls(b, "grid")}"><h2><a href="{hub.path}">'
        f"{escape(ui_text.section_label(ctx.lang, hub.section))}</a>"
        f'</h2><a href="{first.path}">{escape(first.title)}</a></section>'
        for hub, first in blocks
    )
    title = page.title if page.kind == "home" else ctx.hub()[0]
    return (
        f'<h1 class="{cls(b, "headline")}">{escape(title)}</h1>{widgets.ad_slot(ctx, "top")}'
        f'<div class="{cls(b, "grid", "list")}">{cards}</div>{sections}'
    )
