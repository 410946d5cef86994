"""scan_secrets: the page's main text and title with credentials removed, the credentials counted
by type, and the confidentiality markers weighed (see markers.py for the weights). Pure, for a
worker process; it only annotates, and no credential value ever reaches its result.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from pipelines.secrets.credentials import Redactor
from pipelines.secrets.markers import (
    FOOTER_CAP,
    LABEL_WEIGHT,
    MAX_LISTED,
    MENTION_CAP,
    MENTION_WEIGHT,
    context,
    find_terms,
    is_disclaimer,
    is_label,
)
from pipelines.secrets.zones import MAX_ZONE_CHARS, zones

_LINE = re.compile(r"[^\n]+")
_CUT_TOKEN = re.compile(r"[A-Za-z0-9_+/=%.-]+$")


@dataclass(frozen=True)
class Occurrence:
    where: str
    form: str
    marker: str
    language: str
    context: str


def _key(line: str) -> str:
    return "".join(line.split()).casefold()


class _Markers:
    """Collects marker occurrences zone by zone; a line already seen in a zone is not seen again."""

    def __init__(self) -> None:
        self.found: list[Occurrence] = []
        self.seen: set[str] = set()

    def scan(self, zone: str, text: str, headings: frozenset[str] = frozenset()) -> None:
        for match in _LINE.finditer(text):
            line, key = match.group(), _key(match.group())
            if not key or key in self.seen:
                continue
            self.seen.add(key)
            terms = find_terms(line)
            if not terms:
                continue
            where = zone
            if zone == "body" and key in headings:
                where = "heading"
            if where != "title" and is_disclaimer(line):
                where = "footer"
            labels = [term for term in terms if is_label(line, term, terms)]
            for form, chosen in (("label", labels[:1]), ("mention", [] if labels else terms)):
                for term in chosen:
                    around = context(text, match.start() + term.start, match.start() + term.end)
                    marker = " ".join(term.surface.split())
                    self.found.append(Occurrence(where, form, marker, term.language, around))


def _cut(text: str) -> str:
    # A zone cut at MAX_ZONE_CHARS may end in half a credential, which no pattern would know.
    return _CUT_TOKEN.sub("", text) if len(text) >= MAX_ZONE_CHARS else text


def _occurrences(
    page_zones: list[tuple[str, str]], text: str, title: str | None
) -> list[Occurrence]:
    markers = _Markers()
    headings = frozenset(_key(t) for zone, t in page_zones if zone == "subheading")
    for zone, block in page_zones:
        if zone != "subheading":
            markers.scan(zone, block)
    if title and not any(_key(title) in _key(b) for z, b in page_zones if z in ("title", "h1")):
        markers.scan("title", title)
    markers.scan("body", text, headings)
    return markers.found


def weigh(found: list[Occurrence]) -> tuple[list[dict[str, Any]], float]:
    """The markers, heaviest first, and their total, mentions and footers capped."""
    budget = {"mention": MENTION_CAP, "footer": FOOTER_CAP}
    weighed: list[dict[str, Any]] = []
    for item in found:
        if item.where == "footer":
            weight = min(LABEL_WEIGHT["footer"], budget["footer"])
            budget["footer"] -= weight
        elif item.form == "label":
            weight = LABEL_WEIGHT[item.where]
        else:
            weight = min(MENTION_WEIGHT[item.where], budget["mention"])
            budget["mention"] -= weight
        weighed.append(
            {
                "marker": item.marker,
                "where": "heading" if item.where == "h1" else item.where,
                "form": item.form,
                "weight": round(weight, 3),
                "language": item.language,
                "context": item.context,
            }
        )
    score = float(round(sum(entry["weight"] for entry in weighed), 3))
    weighed.sort(key=lambda entry: -entry["weight"])
    return weighed[:MAX_LISTED], score


def scan_secrets(
    html: str, main_text: str, title: str | None, page_zones: list[tuple[str, str]] | None = None
) -> dict[str, Any]:
    """`page_zones`: the page's zones when the caller has parsed it (else they come from html)."""
    main_text = main_text or ""
    if page_zones is None:
        page_zones = zones(html or "")
    page_zones = [(zone, _cut(block)) for zone, block in page_zones]
    redactor = Redactor()
    for source in (main_text, title or "", *(block for _, block in page_zones)):
        redactor.learn(source)
    text, found = redactor.redact(main_text)
    clean_title = title
    if title:
        clean_title, in_title = redactor.redact(title)
        found |= in_title
    # Credentials elsewhere in the HTML are hidden from marker contexts but not counted: they do
    # not reach the dataset (scripts and widgets often carry public client-side keys).
    page_zones = [(zone, redactor.redact(block)[0]) for zone, block in page_zones]
    occurrences = _occurrences(page_zones, text, clean_title)
    markers, score = weigh(occurrences)
    credentials = dict(sorted(Counter(kind for kind, _ in found).items()))
    return {
        "text": text,
        "title": clean_title,
        "credentials": credentials,
        "markers": markers,
        "confidential_score": score,
        "summary": {
            "credentials": dict(credentials),
            "markers": len(occurrences),
            "confidential_score": score,
        },
    }
