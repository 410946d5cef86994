"""The parts around a real page's main text: share bars, ad slots, rails, comments, newsletter.

Share, social and promoted links point to other hosts (never fetched: out of scope); rails link
the site's own pages across origins, as a network's "related" and "most read" boxes do.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from bench import ui_text
from bench.assets import cls, icon, short_hash
from bench.prose import words
from bench.realctx import PageContext

SHARE = (
    ("facebook", "https://www.facebook.example/sharer/sharer.php?u="),
    ("x", "https://x.example/intent/post?url="),
    ("linkedin", "https://www.linkedin.example/sharing/share-offsite/?url="),
    ("whatsapp", "https://wa.example/send?text="),
    ("email", "mailto:?subject=Shared%20story&amp;body="),
)
HANDLES = words("oldtimer sunnyside rivermouth quietreader nightowl fjordview ciderpress bluebell")


def share_bar(ctx: PageContext) -> str:
    b, url = ctx.brand, quote(ctx.url, safe="")
    links = "".join(
        f'<li><a class="{cls(b, "share", "link")}" href="{base}{url}" target="_blank" rel='
        f'"noopener noreferrer" aria-label="{name}" data-share="{name}">{icon(name)}</a></li>'
        for name, base in SHARE
    )
    copy = f'<li><button class="{cls(b, "share", "copy")}" data-copy="{ctx.url}">{icon("link")}'
    return (
        f'<div class="{cls(b, "share")}"><span>{ui_text.UI[ctx.lang]["share"]}</span><ul>{links}'
        f"{copy}</button></li></ul></div>"
    )


def ad_slot(ctx: PageContext, kind: str) -> str:
    b = ctx.brand
    return (
        f'<div class="{cls(b, "ad")} ad-slot ad-slot--{kind}" id="ad-{kind}" data-ad-unit="/21'
        f'{short_hash(b.name, n=6)}/{b.domain}/{ctx.page.section or "home"}/{kind}" '
        f'data-sizes="300x250,300x600,728x90" aria-hidden="true"><span class="ad-slot__label">'
        f"{ui_text.UI[ctx.lang]['ad']}</span></div>"
    )


def rail(ctx: PageContext, title: str, start: int, count: int, teaser: bool) -> str:
    b = ctx.brand
    items = []
    for p in ctx.related[start : start + count]:
        image = (
            f'<a href="{ctx.href(p)}" tabindex="-1" aria-hidden="true"><img src="'
            f'{ctx.image(p.path, 320)}" alt="" width="160" height="90" loading="lazy"></a>'
        )
        line = f"<p>{escape(ctx.text.sentence())}</p>" if teaser else ""
        items.append(
            f'<li class="{cls(b, "rail", "item")}">{image if teaser else ""}<a class="'
            f'{cls(b, "rail", "link")}" href="{ctx.href(p)}">{escape(p.title)}</a>{line}</li>'
        )
    return (
        f'<section class="{cls(b, "rail")}"><h2 class="{cls(b, "rail", "heading")}">{title}</h2>'
        f"<ol>{''.join(items)}</ol></section>"
    )


def sponsored(ctx: PageContext) -> str:
    ui = ui_text.UI[ctx.lang]
    items = "".join(
        f'<li><a href="https://promoted.example/c/{short_hash(ctx.index, i, n=10)}" rel="sponsored'
        f' noopener" target="_blank"><img src="https://images.promoted.example/{i}.jpg" alt="" '
        f'loading="lazy"><span>{escape(ctx.text.sentence())}</span></a></li>'
        for i in range(4)
    )
    return (
        f'<section class="sponsored" data-widget="feed"><h2>{ui["sponsored"]}</h2><ul>{items}'
        f"</ul></section>"
    )


def newsletter(ctx: PageContext) -> str:
    ui, b = ui_text.UI[ctx.lang], ctx.brand
    return (
        f'<form class="{cls(b, "newsletter")}" action="https://account.{b.domain}/newsletter" '
        f'method="post"><label for="nl-{ctx.index}">{ui["newsletter"]}</label><input id="nl-'
        f'{ctx.index}" type="email" name="email" autocomplete="email"><button>'
        f"{ui['subscribe']}</button></form>"
    )


def commenter(ctx: PageContext) -> str:
    if ctx.rng.random() < 0.5:
        return ctx.text.person()
    return f"{ctx.rng.choice(HANDLES)}{ctx.rng.randrange(10, 999)}"


def comment(ctx: PageContext, n: int) -> str:
    ui, cid = ui_text.UI[ctx.lang], 100_000 + ctx.index * 40 + n
    avatar = f"https://avatars.example/{short_hash(ctx.index, n, n=16)}?s=56&amp;d=identicon"
    return (
        f'<li class="comment" id="comment-{cid}"><article class="comment-body"><footer class='
        f'"comment-meta"><img class="avatar" src="{avatar}" alt="" width="56" height="56"><b '
        f'class="fn">{escape(commenter(ctx))}</b><a href="#comment-{cid}"><time>'
        f'{ui_text.long_date(ctx.lang, ctx.published)}</time></a></footer><div class="comment-'
        f'content"><p>{escape(ctx.text.paragraph(ctx.rng.randrange(1, 4)))}</p></div><a rel='
        f'"nofollow" class="comment-reply-link" href="#respond">{ui["reply"]}</a></article></li>'
    )


def comments(ctx: PageContext) -> str:
    ui, b = ui_text.UI[ctx.lang], ctx.brand
    if b.comments == "rendered":
        count = ctx.rng.randrange(2, 24)
        form = (
            '<div id="respond"><form action="/wp-comments-post.php" method="post"><textarea '
            'name="comment" rows="6"></textarea><input name="author"><input name="email" '
            'type="email"><input name="url" type="url"><button>Post</button></form></div>'
        )
    else:
        count = ctx.rng.randrange(0, 5)
        form = (
            f'<div id="coral_thread" data-story-url="{ctx.url}"></div><script async src="'
            f'https://comments.{b.domain}/assets/js/embed.js"></script>'
        )
    listed = "".join(comment(ctx, n) for n in range(count))
    return (
        f'<section id="comments" class="comments-area {cls(b, "comments")}"><h2>'
        f'{ui["comments"]} ({count})</h2><ol class="comment-list">{listed}</ol>{form}</section>'
    )
