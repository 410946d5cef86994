"""A real-profile page's <head> metadata and its JSON-LD blocks.

News brands emit separate blocks (NewsArticle with author, publisher and copyrightHolder;
BreadcrumbList; Organization), the blog one @graph as SEO plugins do. The head carries the
OpenGraph and Twitter cards, robots directives, preloads and the page's dataLayer push.
"""

from __future__ import annotations

import json
from html import escape

from bench import ui_text
from bench.realctx import PageContext

LANG_TAGS = {"en": "en-GB", "de": "de-DE", "fr": "fr-FR", "zh": "zh-CN"}


def ld_script(data: dict[str, object]) -> str:
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return f'<script type="application/ld+json">{text}</script>'


def organization(ctx: PageContext) -> dict[str, object]:
    b = ctx.brand
    return {
        "@type": "Organization" if not b.site_licence else "Person",
        "@id": f"https://{b.domain}/#publisher",
        "name": b.owner if b.site_licence else b.name,
        "url": f"https://{b.domain}/",
        "logo": {"@type": "ImageObject", "url": f"https://{b.cdn}/logo.png", "width": 600},
        "sameAs": [f"https://{n}.example/{b.domain.split('.')[-2]}" for n in ("x", "facebook")],
    }


def breadcrumbs(ctx: PageContext) -> dict[str, object]:
    base = ctx.site.bases[ctx.page.origin]
    trail = [(ui_text.UI[ctx.lang]["home"], "/"), ctx.hub()]
    if ctx.page.kind == "article":
        trail.append((ctx.page.title, ctx.page.path))
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i + 1, "name": name, "item": base + p}
            for i, (name, p) in enumerate(trail)
        ],
    }


def creative_work(ctx: PageContext, description: str) -> dict[str, object]:
    page, b = ctx.page, ctx.brand
    work: dict[str, object] = {
        "@type": b.article_type,
        "headline": page.title,
        "description": description,
        "inLanguage": LANG_TAGS[ctx.lang],
        "datePublished": ctx.published,
        "dateModified": ctx.published,
        "mainEntityOfPage": {"@type": "WebPage", "@id": ctx.url},
        "image": [ctx.image((ctx.index, w), w) for w in (1200, 800, 400)],
        "articleSection": page.section,
        "author": [
            {"@type": "Person", "name": a, "url": f"https://{b.domain}/authors/{a.split()[-1]}"}
            for a in ctx.authors
        ],
        "publisher": {"@id": f"https://{b.domain}/#publisher"} | organization(ctx),
        "copyrightHolder": {"@type": "Organization", "name": ctx.holder},
        "copyrightYear": int(ctx.published[:4]),
        "isAccessibleForFree": True,
    }
    if ctx.licence:
        work["license"] = ctx.licence
    return work


def json_ld(ctx: PageContext, description: str) -> str:
    page = ctx.page
    if page.kind == "article":
        main = creative_work(ctx, description)
    elif page.kind == "hub":
        main = {"@type": "CollectionPage", "name": page.title, "url": ctx.url}
    else:
        search = f"{ctx.site.bases[page.origin]}/search?q={{query}}"
        main = {
            "@type": "WebSite",
            "name": ctx.brand.name,
            "url": ctx.url,
            "potentialAction": {
                "@type": "SearchAction",
                "target": search,
                "query-input": "required name=query",
            },
        }
    blocks = [main, organization(ctx)] + ([breadcrumbs(ctx)] if page.kind != "home" else [])
    if ctx.brand.framework == "wordpress":
        return ld_script({"@context": "https://schema.org", "@graph": blocks})
    return "".join(ld_script({"@context": "https://schema.org"} | block) for block in blocks)


def head(ctx: PageContext, description: str) -> bytes:
    page, b = ctx.page, ctx.brand
    title, image = escape(page.title), ctx.image((ctx.index, 1200), 1200)
    kind = "article" if page.kind == "article" else "website"
    article_meta = "".join(
        f'<meta property="article:{k}" content="{escape(v)}">'
        for k, v in (
            ("published_time", ctx.published),
            ("section", page.section),
            *(("author", a) for a in ctx.authors),
            *(("tag", t) for t in ui_text.subtopics(ctx.lang)[:4]),
        )
    )
    licence = f'<link rel="license" href="{ctx.licence}">' if b.site_licence else ""
    layer = json.dumps(
        {
            "pageType": page.kind,
            "section": page.section,
            "language": ctx.lang,
            "contentId": ctx.index,
            "authors": ctx.authors,
            "published": ctx.published,
            "access": "free",
        },
        ensure_ascii=False,
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{LANG_TAGS[ctx.lang]}" dir="ltr" class="no-js"><head>'
        f'<meta charset="utf-8"><meta name="viewport" content="width=device-width, '
        f'initial-scale=1"><title>{title} | {escape(b.name)}</title><meta name="description" '
        f'content="{escape(description)}"><meta name="robots" content="index, follow, '
        f'max-image-preview:large, max-snippet:-1, max-video-preview:-1"><link rel="canonical" '
        f'href="{ctx.url}"><link rel="alternate" hreflang="{ctx.lang}" href="{ctx.url}">'
        f'<link rel="alternate" hreflang="x-default" href="{ctx.url}">{licence}'
        f'<link rel="alternate" type="application/rss+xml" title="{escape(b.name)}" href="/feed/">'
        f'<link rel="icon" href="/favicon.ico" sizes="32x32"><link rel="apple-touch-icon" href='
        f'"/apple-touch-icon.png"><link rel="manifest" href="/site.webmanifest"><meta name='
        f'"theme-color" content="#0a2540"><meta property="og:type" content="{kind}"><meta '
        f'property="og:site_name" content="{escape(b.name)}"><meta property="og:title" content='
        f'"{title}"><meta property="og:description" content="{escape(description)}"><meta '
        f'property="og:url" content="{ctx.url}"><meta property="og:image" content="{image}">'
        f'<meta property="og:image:width" content="1200"><meta property="og:image:height" '
        f'content="630"><meta property="og:locale" content="{LANG_TAGS[ctx.lang].replace("-", "_")}'
        f'">{article_meta}<meta name="twitter:card" content="summary_large_image"><meta name='
        f'"twitter:site" content="@{b.domain.split(".")[-2]}"><meta name="twitter:title" content='
        f'"{title}"><meta name="twitter:description" content="{escape(description)}"><meta '
        f'name="twitter:image" content="{image}"><script>window.dataLayer=window.dataLayer||[];'
        f"dataLayer.push({layer.replace('<', '')});</script>"
    ).encode()
