"""The source category of a document, from its URL alone: a documented, deliberately plain rule.

The first matching rule wins, in the order of CATEGORIES. It never fetches or guesses from the
text; what no rule matches is "other web". The rules are listed in docs/bundle.md.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

CATEGORIES = (
    "government",
    "education",
    "academic",
    "encyclopedia",
    "code",
    "forum",
    "news/magazine",
    "blog",
    "other web",
)

GOVERNMENT = re.compile(
    r"(^|\.)(gov|mil|gouv|gob|govt|go|gv|gc|nic)\.[a-z]{2}$|\.(gov|mil|int)$"
    r"|(^|\.)(admin\.ch|bund\.de|overheid\.nl|europa\.eu|un\.org|who\.int|oecd\.org)$"
)
EDUCATION = re.compile(r"\.(edu|ac|sch)(\.[a-z]{2})?$|\.edu$|(^|[.-])(uni|univ|university)[.-]")
ACADEMIC = (
    "arxiv.org", "doi.org", "ncbi.nlm.nih.gov", "pubmed.ncbi.nlm.nih.gov", "ssrn.com",
    "researchgate.net", "springer.com", "sciencedirect.com", "nature.com", "plos.org",
    "jstor.org", "biorxiv.org", "semanticscholar.org", "hal.science", "zenodo.org",
)  # fmt: skip
ENCYCLOPEDIA = (
    "wikipedia.org", "wiktionary.org", "wikibooks.org", "wikisource.org", "wikivoyage.org",
    "wikiversity.org", "wikinews.org", "britannica.com", "scholarpedia.org",
    "encyclopedia.com", "larousse.fr", "baike.baidu.com",
)  # fmt: skip
CODE = (
    "github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "sourceforge.net",
    "readthedocs.io", "readthedocs.org", "pypi.org", "npmjs.com", "crates.io", "docs.rs",
    "pkg.go.dev", "gitee.com",
)  # fmt: skip
FORUM = (
    "reddit.com", "stackoverflow.com", "stackexchange.com", "quora.com", "superuser.com",
    "serverfault.com", "askubuntu.com", "zhihu.com", "tieba.baidu.com", "discourse.org",
)  # fmt: skip
FORUM_HOST = re.compile(r"^(forum|forums|community|discuss|discourse|board|boards|bbs)\.")
FORUM_PATH = re.compile(
    r"/(forum|forums|thread|threads|topic|viewtopic\.php|showthread\.php|discussion)s?(/|$)"
)
NEWS = (
    "bbc.co.uk", "bbc.com", "nytimes.com", "theguardian.com", "reuters.com", "apnews.com",
    "washingtonpost.com", "lemonde.fr", "spiegel.de", "elpais.com", "corriere.it",
    "xinhuanet.com", "people.com.cn", "asahi.com", "cnn.com", "ft.com", "economist.com",
)  # fmt: skip
NEWS_HOST = re.compile(
    r"(^|[.-])(news|times|gazette|herald|tribune|journal|chronicle|courier|daily|"
    r"magazine|zeitung|presse|noticias)([.-]|$)"
)
NEWS_PATH = re.compile(r"^/(news|article|articles|story|stories|nachrichten|actualites)(/|$)")
BLOG = ("blogspot.com", "wordpress.com", "medium.com", "substack.com", "tumblr.com")
BLOG_HOST = re.compile(r"^blog\.|(^|[.-])blog([.-]|$)")
BLOG_PATH = re.compile(r"^/(blog|blogs|posts?)(/|$)")


def _under(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def host_of(url: str) -> str:
    """The host name without a leading www. (the unit of the domain tables)."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def category(url: str) -> str:
    host, path = host_of(url), urlsplit(url).path.lower()
    rules = (
        ("government", GOVERNMENT.search(host)),
        ("education", EDUCATION.search(host)),
        ("academic", _under(host, ACADEMIC)),
        ("encyclopedia", _under(host, ENCYCLOPEDIA) or host.startswith("wiki.")),
        ("code", _under(host, CODE)),
        ("forum", _under(host, FORUM) or FORUM_HOST.search(host) or FORUM_PATH.search(path)),
        ("news/magazine", _under(host, NEWS) or NEWS_HOST.search(host) or NEWS_PATH.search(path)),
        ("blog", _under(host, BLOG) or BLOG_HOST.search(host) or BLOG_PATH.search(path)),
    )
    return next((name for name, matched in rules if matched), "other web")
