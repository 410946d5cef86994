"""Replace detected spans: redact to a typed placeholder, mask with stars, or hash to a token that
is stable within one crawl (HMAC-SHA256 under the crawl's salt) and unlinkable across crawls.

Values are only transformed here: none is returned beside the new text, logged, or put in an
exception message.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

ACTIONS = ("redact", "mask", "hash")
HASH_CHARS = 10
# When two types claim the same span with the same score, the more specific one names it.
SPECIFIC_FIRST = (
    "URL_CREDENTIALS",
    "CN_RESIDENT_ID",
    "CN_SOCIAL_CREDIT_CODE",
    "CN_BANK_CARD",
    "CN_MOBILE",
    "CN_PASSPORT",
    "US_SSN",
    "IBAN_CODE",
    "CREDIT_CARD",
    "CRYPTO",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "IP_ADDRESS",
    "PERSON",
    "LOCATION",
)
# Hashed on their letters and digits only, so "138 0013 8000" and "138-0013-8000" agree.
SEPARATORS_IGNORED = frozenset(SPECIFIC_FIRST) - {"PERSON", "LOCATION", "URL_CREDENTIALS"}


class Detection(Protocol):
    # Read-only members, so that a frozen dataclass (step.Shifted) is a Detection too.
    @property
    def entity_type(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def score(self) -> float: ...


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    entity: str
    score: float


def _rank(d: Detection) -> tuple[int, float, int]:
    specific = SPECIFIC_FIRST.index(d.entity_type) if d.entity_type in SPECIFIC_FIRST else 99
    return -(d.end - d.start), -d.score, specific


def resolve(detections: Iterable[Detection]) -> list[Span]:
    """One span per group of overlapping detections, covering all of them (nothing of a value is
    left in the text), typed by the longest, then highest-scoring, then most specific one."""
    spans: list[Span] = []
    group: list[Detection] = []
    for d in sorted(detections, key=lambda d: (d.start, -d.end)):
        if group and d.start >= max(g.end for g in group):
            spans.append(_merge(group))
            group = []
        group.append(d)
    if group:
        spans.append(_merge(group))
    return spans


def _merge(group: list[Detection]) -> Span:
    best = min(group, key=_rank)
    return Span(
        min(d.start for d in group), max(d.end for d in group), best.entity_type, best.score
    )


def mask(value: str, entity: str) -> str:
    """Same length: e-mail keeps the first character of each part and the top-level domain
    (j***@e******.com); everything else has each letter and digit replaced by '*'."""
    if entity == "EMAIL_ADDRESS" and "@" in value:
        local, domain = value.rsplit("@", 1)
        labels = domain.split(".")
        masked = [_first_only(label) for label in labels[:-1]] + labels[-1:]
        return _first_only(local) + "@" + ".".join(masked)
    return "".join("*" if c.isalnum() else c for c in value)


def _first_only(part: str) -> str:
    return part[:1] + "*" * (len(part) - 1)


def token(value: str, entity: str, salt: bytes) -> str:
    normal = unicodedata.normalize("NFKC", value).casefold()
    if entity in SEPARATORS_IGNORED:
        normal = "".join(c for c in normal if c.isalnum())
    else:
        normal = " ".join(normal.split())
    digest = hmac.new(salt, normal.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"<{entity}:{digest[:HASH_CHARS]}>"


def replacement(value: str, entity: str, action: str, salt: bytes) -> str:
    if action == "redact":
        return f"<{entity}>"
    if action == "mask":
        return mask(value, entity)
    if action == "hash":
        return token(value, entity, salt)
    raise ValueError(f"unknown PII action {action!r}; expected one of {', '.join(ACTIONS)}")


def anonymize(text: str, spans: list[Span], action: str, salt: bytes) -> str:
    parts, position = [], 0
    for span in spans:
        parts += [text[position : span.start], replacement(text[span.start : span.end],
                  span.entity, action, salt)]  # fmt: skip
        position = span.end
    parts.append(text[position:])
    return "".join(parts)
