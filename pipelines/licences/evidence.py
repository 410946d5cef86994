"""The records the detectors return: one licence signal as seen on the page, and one candidate
rights holder. Values are kept as found (cut to 300 characters), never paraphrased.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.signals.types import EVIDENCE_MAX

# Where a signal sat on the page; the resolver ranks them in this order.
PAGE, SITE, FOOTER, MEDIA = "page", "site", "footer", "media"
# Rights-holder ranks: the page's own notice, explicit holder metadata, the footer's notice, a
# site-wide notice, then authorship and the site's name.
HOLDER_RANKS = {
    "page-notice": 0,
    "holder-metadata": 1,
    "footer-notice": 2,
    "site-notice": 3,
    "author-metadata": 4,
    "publisher-metadata": 5,
    "meta-author": 6,
    "site-name": 7,
}
_SPACE = re.compile(r"\s+")


def snippet(text: str, start: int = 0) -> str:
    """`text` around `start`, at most 300 characters, whitespace collapsed."""
    if len(text) > EVIDENCE_MAX:
        left = max(0, min(start - 80, len(text) - EVIDENCE_MAX))
        text = text[left : left + EVIDENCE_MAX]
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class Evidence:
    where: str
    value: str
    spdx: str | None
    level: str

    def __post_init__(self) -> None:
        if len(self.value) > EVIDENCE_MAX:
            object.__setattr__(self, "value", self.value[:EVIDENCE_MAX])

    def as_dict(self) -> dict[str, str | None]:
        return {"where": self.where, "value": self.value, "spdx": self.spdx, "level": self.level}


@dataclass(frozen=True, slots=True)
class Holder:
    """A candidate rights holder; the lowest `rank` wins, then the first found."""

    rank: int
    where: str
    value: str
    name: str
