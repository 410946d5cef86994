"""Which licence a page is under, given every signal found on it, and who holds its rights.

It never guesses: signals it cannot read make the answer "unknown", never a neighbour's licence.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipelines.licences import spdx
from pipelines.licences.evidence import FOOTER, PAGE, SITE, Evidence, Holder

LEVELS = {PAGE: 0, SITE: 1, FOOTER: 2}
DECLARATIONS = frozenset(
    {"link-rel", "a-rel", "json-ld", "meta-dcterms", "link-header", "microdata", "rsl"}
)
# Between equally restrictive disagreeing licences, the more deliberate statement is named.
_STRENGTH = (
    "link-header",
    "link-rel",
    "a-rel",
    "json-ld",
    "microdata",
    "meta-dcterms",
    "meta-dc",
    "rsl",
    "cc-badge",
    "cc-url-text",
    "spdx-text",
    "public-domain-text",
    "copyright-notice",
)


def _strength(where: str) -> int:
    return _STRENGTH.index(where) if where in _STRENGTH else len(_STRENGTH)


def resolve(evidence: Sequence[Evidence]) -> tuple[str, bool]:
    """(licence, conflict) for the signals of one page, by these rules in order:

    1. Levels rank page > site > footer; the best level with a recognised licence decides.
       Media licences (an image's, a figure's) are evidence only: we keep text, and a photo's
       licence is not its article's.
    2. A machine-readable declaration we could not read (rel=license, JSON-LD, dcterms meta,
       Link header, microdata or RSL with spdx None) on a better level makes it "unknown": a
       lower signal must not speak for a licence we could not read.
    3. Disagreeing licences on the deciding level: the most restrictive wins and `conflict` is
       set; so is an unreadable declaration beside a readable one. A bare "public domain"
       statement agrees with CC0, the PD Mark and CC-PDDC.
    4. Nothing recognised: "unknown".
    """
    ranked = [e for e in evidence if e.level in LEVELS]
    recognised = [e for e in ranked if e.spdx]
    if not recognised:
        return spdx.UNKNOWN, False
    best = min(LEVELS[e.level] for e in recognised)
    unreadable = [e for e in ranked if e.spdx is None and e.where in DECLARATIONS]
    if any(LEVELS[e.level] < best for e in unreadable):
        return spdx.UNKNOWN, False
    deciding = [e for e in recognised if LEVELS[e.level] == best]
    ids = {e.spdx for e in deciding}
    if spdx.PUBLIC_DOMAIN in ids and len(ids & spdx.PUBLIC_DOMAIN_IDS) > 1:
        ids.discard(spdx.PUBLIC_DOMAIN)
        deciding = [e for e in deciding if e.spdx != spdx.PUBLIC_DOMAIN]
    conflict = len(ids) > 1 or any(LEVELS[e.level] == best for e in unreadable)
    chosen = min(
        enumerate(deciding),
        key=lambda item: (
            -spdx.restrictiveness(item[1].spdx or ""),
            _strength(item[1].where),
            item[0],
        ),
    )[1]
    return chosen.spdx or spdx.UNKNOWN, conflict


def rightsholder(holders: Sequence[Holder]) -> Holder | None:
    """The best-ranked candidate; the first found among equals."""
    return min(enumerate(holders), key=lambda item: (item[1].rank, item[0]))[1] if holders else None
