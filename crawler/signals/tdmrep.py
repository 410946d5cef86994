"""W3C TDMRep (CG final report, 2024): TDM rights reservations in HTTP headers, HTML meta tags
and `/.well-known/tdmrep.json`. A malformed value is "unset" as the spec says, never "not
reserved": only a well-formed `0` lifts a reservation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from crawler.signals import _html
from crawler.signals._text import as_text, header_values
from crawler.signals.robots_groups import match_length
from crawler.signals.types import Signal

_CODE = "ai-optout-tdmrep"


@dataclass(frozen=True, slots=True)
class TdmDeclaration:
    """One well-formed declaration: reserved or not, and the policy URL that goes with it."""

    reserved: bool
    policy: str | None
    source: str
    evidence: str
    location: str | None = None  # the tdmrep.json rule that matched

    def signal(self) -> Signal | None:
        if not self.reserved:
            return None
        detail = {"reservation": "1"}
        if self.policy:
            # Spec "tdm-policy": it only means something when rights are reserved.
            detail["policy"] = self.policy
        if self.location is not None:
            detail["location"] = self.location
        return Signal(code=_CODE, source=self.source, evidence=self.evidence, detail=detail)


def resolve(*declarations: TdmDeclaration | None) -> TdmDeclaration | None:
    """The declaration in force, given in the order file, header, meta (spec "Processing
    priority": each later technique supersedes the earlier ones; an unset one supersedes none)."""
    found = [d for d in declarations if d is not None]
    return found[-1] if found else None


def _reservation(value: Any) -> bool | None:
    """True for 1, False for 0, None (unset) for anything else (a protocol error).

    A quoted "1" or 1.0 still reads as a reservation, since honouring it only restricts us;
    nothing but the integer 0 lifts one.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return {1: True, 0: False}.get(value)
    if isinstance(value, float):
        return True if value == 1.0 else None
    if isinstance(value, str) and value.strip() == "1":
        return True
    return None


def _header_reservation(values: list[str]) -> bool | None:
    # Repeated headers arrive joined by commas. A "1" among them stands whatever sits beside it;
    # only nothing but "0"s lifts a reservation.
    items = [v.strip() for value in values for v in value.split(",")]
    if "1" in items:
        return True
    if items and all(v == "0" for v in items):
        return False
    return None


def declaration_from_headers(headers: Mapping[str, str]) -> TdmDeclaration | None:
    """The `tdm-reservation` / `tdm-policy` header declaration, None if unset."""
    values = header_values(headers, "tdm-reservation")
    reserved = _header_reservation(values)
    if reserved is None:
        return None
    policies = header_values(headers, "tdm-policy")
    policy = policies[0].strip() if policies and policies[0].strip() else None
    evidence = "tdm-reservation: " + ", ".join(values)
    if policy and reserved:
        evidence += f"; tdm-policy: {policy}"
    return TdmDeclaration(reserved, policy, "header:tdm-reservation", evidence)


def from_headers(headers: Mapping[str, str]) -> Signal | None:
    """`ai-optout-tdmrep` when the response headers reserve TDM rights."""
    declaration = declaration_from_headers(headers)
    return declaration.signal() if declaration else None


def declaration_from_html_meta(html: str | bytes | None) -> TdmDeclaration | None:
    """The `<meta name="tdm-reservation">` / `tdm-policy` declaration, None if unset."""
    reservation: tuple[str, str] | None = None
    policy: str | None = None
    for attrs, tag in _html.tags(_html.markup(html), "meta"):
        name = attrs.get("name", "").strip().lower()
        if name == "tdm-reservation" and reservation is None:
            reservation = (attrs.get("content", ""), tag)
        elif name == "tdm-policy" and policy is None and attrs.get("content", "").strip():
            policy = attrs["content"].strip()
    if reservation is None:
        return None
    reserved = _header_reservation([reservation[0]])
    if reserved is None:
        return None
    return TdmDeclaration(reserved, policy, "meta:tdm-reservation", reservation[1])


def from_html_meta(html: str | bytes | None) -> Signal | None:
    """`ai-optout-tdmrep` when the page's meta tags reserve TDM rights."""
    declaration = declaration_from_html_meta(html)
    return declaration.signal() if declaration else None


@dataclass(frozen=True, slots=True)
class TdmRule:
    location: str
    reserved: bool
    policy: str | None
    evidence: str


def _location_pattern(location: str) -> str:
    # Some files give absolute URLs as locations; the rule is about the path on this origin.
    if location.lower().startswith(("http://", "https://")):
        try:
            parts = urlsplit(location)
        except ValueError:
            return location
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return location


@dataclass(frozen=True, slots=True)
class TdmRepFile:
    """A parsed `/.well-known/tdmrep.json`: its well-formed rules, in file order."""

    rules: tuple[TdmRule, ...]
    skipped: int = 0  # rules left out as malformed

    def declaration(self, path: str) -> TdmDeclaration | None:
        """The first rule whose location matches `path`: "the most specific match is the first
        in sequence". Locations are robots.txt patterns (`*`, `$`), matched case-sensitively."""
        for rule in self.rules:
            if match_length(_location_pattern(rule.location), as_text(path)) is not None:
                return TdmDeclaration(
                    rule.reserved, rule.policy, "tdmrep.json", rule.evidence, rule.location
                )
        return None

    def match(self, path: str) -> Signal | None:
        """`ai-optout-tdmrep` when the first matching rule reserves TDM rights for `path`."""
        declaration = self.declaration(path)
        return declaration.signal() if declaration else None


def parse_tdmrep_json(body: bytes | str) -> TdmRepFile | None:
    """`/.well-known/tdmrep.json`, or None when it is not a JSON array.

    Rules without a string `location` or a well-formed `tdm-reservation` are skipped rather than
    read as unset-and-stop, so a broken rule cannot hide a later reservation.
    """
    text = as_text(body).removeprefix("\ufeff")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError, TypeError):
        return None
    if not isinstance(data, list):
        return None
    rules: list[TdmRule] = []
    skipped = 0
    for entry in data:
        rule = _rule(entry)
        if rule is None:
            skipped += 1
        else:
            rules.append(rule)
    return TdmRepFile(tuple(rules), skipped)


def _rule(entry: Any) -> TdmRule | None:
    if not isinstance(entry, dict):
        return None
    fields = {str(k).strip().lower(): v for k, v in entry.items()}
    location = fields.get("location")
    if not isinstance(location, str) or not location.strip():
        return None
    reserved = _reservation(fields.get("tdm-reservation"))
    if reserved is None:
        return None
    policy = fields.get("tdm-policy")
    policy = policy.strip() if isinstance(policy, str) and policy.strip() else None
    try:
        evidence = json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str)
    except (ValueError, TypeError, RecursionError):
        evidence = f"location: {location}"
    return TdmRule(location.strip(), reserved, policy, evidence)
