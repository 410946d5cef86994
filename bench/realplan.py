"""Where the real-page profile's pages live: each brand's URL scheme, article languages, dates.

Called by bench/site.py's plan_site while it lays out the site, before any HTML is written.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date, timedelta

from bench.brands import brand
from bench.polyglot import writer

FIRST_DAY = date(2025, 1, 1)
DAYS = 540  # articles dated 2025-01-01 .. 2026-06-24


def slugify(title: str, words: int = 8) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    kept = ["".join(c for c in w if c.isalnum()) for w in ascii_title.lower().split()]
    return "-".join(w for w in kept if w)[:80].strip("-") or "story"


def home_title(origin: int) -> str:
    return f"{brand(origin).name}: news, analysis and opinion"


def hub_path(origin: int, section: str, k: int) -> str:
    """A section page, paginated once every section has one: /news/sport/, /news/sport/page/2/."""
    base = f"{brand(origin).hub_prefix}{section}/"
    return base if k < 12 else f"{base}page/{k // 12 + 1}/"


def article_name(seed: int, origin: int, j: int, section: str) -> tuple[str, str, str, str]:
    """(path, title, language, ISO date) of the origin's j-th article."""
    rng = random.Random(f"{seed}/{origin}/{j}")
    b = brand(origin)
    langs, weights = zip(*b.languages, strict=True)
    lang = rng.choices(langs, weights)[0]
    title = writer(lang, rng.randrange(2**32)).headline()
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    path = b.article_path.format(
        lang=lang,
        section=section,
        slug=slugify(title),
        id=10_000_000 + 1_000_000 * origin + j,
        year=day.year,
        month=day.month,
        day=day.day,
    )
    stamp = f"{day.isoformat()}T{rng.randrange(6, 22):02d}:{rng.randrange(60):02d}:00Z"
    return path, title, lang, stamp
