"""AI-usage preferences: IETF AIPREF `Content-Usage` (robots.txt rule, HTTP header), Cloudflare
`Content-Signal`, RSL `License` pointers. A value that does not parse is unknown, and no garbage
or malformed statement may ever remove a refusal that a well-formed one made.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

import http_sf

from crawler.signals._text import as_text
from crawler.signals.robots_groups import (
    GroupSelection,
    match_length,
    split_directive,
)
from crawler.signals.types import Signal

# Our policy's uses, each mapped to the vocabulary categories it may fall into. A use is
# refused when any of its categories resolves to "n".
#
# A category resolves by walking from the most specific label to the most general and taking
# the first explicit y/n (earlier vocab drafts, "Applying Statements of Preference"; the latest
# draft is flat, and for it this walk changes nothing).
# Labels on one level are synonyms across vocabularies: Cloudflare's `ai-train` is AIPREF
# `train-ai`, `ai-input` is AIPREF `ai-use` (using content as input to a model at inference
# time, e.g. RAG or grounding). `all` is the Automated Processing category of the earlier
# drafts, parent of every other one.
#
# - train-genai: training a generative model: train-genai -> train-ai -> all.
# - train-ai: training a model that may be generative. We cannot prove a model will never be
#   used generatively, so it is also refused by a train-genai=n.
# - ai-use / ai-input: the same category under its two names: ai-use -> all.
# - search: search only (vocab "Search": it overrides the AI categories), so search -> all.
_LEVELS: dict[str, tuple[tuple[str, ...], ...]] = {
    "train-genai": (("train-genai",), ("train-ai", "ai-train"), ("all",)),
    "train-ai": (("train-ai", "ai-train"), ("all",)),
    "ai-use": (("ai-use", "ai-input"), ("all",)),
    "search": (("search",), ("all",)),
}
_CATEGORIES: dict[str, tuple[str, ...]] = {
    "train-genai": ("train-genai",),
    "train-ai": ("train-ai", "train-genai"),
    "ai-use": ("ai-use",),
    "ai-input": ("ai-use",),
    "search": ("search",),
}
USAGES: tuple[str, ...] = tuple(_CATEGORIES)

# Values read as a refusal in either vocabulary even where the other vocabulary's spelling is
# used ("train-ai=no", "ai-train=n"): honouring them only ever restricts us.
_NO = frozenset({"n", "no"})
_SALVAGE = re.compile(r"([A-Za-z*][A-Za-z0-9_.*-]*)\s*[=:]\s*\"?(no|n)\"?\s*(?=[,;]|$)", re.I)


def parse_dictionary(value: str | bytes) -> http_sf.DictionaryType | None:
    """An RFC 9651 §4.2.2 Dictionary (parsed by http-sf), or None if `value` is not one.

    A syntax error fails the whole field (RFC 9651 §4.2), never a partly parsed value that a
    caller could read as a statement of preference. Each member is `(value, params)`; a later
    duplicate key overwrites the earlier one in its place.
    """
    text = as_text(value)
    if not text.isascii():
        return None  # RFC 9651 §4.2: a field with non-ASCII characters fails parsing
    try:
        # HTTP strips OWS (SP and HTAB) around a field value (RFC 9110 §5.5) and robots.txt
        # values may carry either; http-sf discards leading SP only (RFC 9651 §4.2 step 1).
        parsed = http_sf.parse(text.strip(" \t").encode("ascii"), tltype="dictionary")
    except http_sf.StructuredFieldError:
        return None
    return cast("http_sf.DictionaryType", parsed)


def _parse(value: Any, yes: str) -> dict[str, bool] | None:
    members = parse_dictionary(as_text(value))
    if members is None:
        return None
    out: dict[str, bool] = {}
    for key, member in members.items():
        item = member[0] if isinstance(member, tuple) else member
        # Tokens, Strings and Display Strings may state a preference; booleans, numbers, byte
        # sequences, dates and inner lists state none (vocab "Processing Algorithm").
        if not isinstance(item, str | http_sf.Token | http_sf.DisplayString):
            continue
        if isinstance(item, http_sf.Token) and str(item) == yes:
            out[key] = True
        elif str(item).lower() in _NO:
            out[key] = False
    return out


def parse_usage_preferences(value: str | bytes) -> dict[str, bool] | None:
    """An AIPREF preference expression (RFC 9651 Dictionary, `y`/`n` Tokens), None if malformed.

    Keys with any other value are left out (unknown, vocab "Processing Algorithm"); unknown
    keys are kept, but nothing reads them.
    """
    return _parse(value, "y")


def parse_content_signal(value: str | bytes) -> dict[str, bool] | None:
    """A Cloudflare Content-Signal value (`search=yes, ai-train=no`), None if malformed."""
    return _parse(value, "yes")


def salvage_refusals(value: str | bytes) -> dict[str, bool]:
    """`key=n`/`key=no` pairs readable in a value that is not a valid Dictionary.

    The vocab makes a malformed expression unknown; a crawler that ignores a refusal because
    of a stray space or capital would read a malformed value as permission, so refusals are
    kept. Never returns a permission.
    """
    return {m.group(1).lower(): False for m in _SALVAGE.finditer(as_text(value))}


def usage_denied(prefs: Mapping[str, bool], usage: str) -> str | None:
    """The preference key that refuses `usage`, or None when nothing refuses it.

    `usage` is one of USAGES. An unknown usage cannot be placed in the hierarchy, so any
    refusal at all refuses it.
    """
    try:
        items = dict(prefs)
    except (TypeError, ValueError):
        return None
    categories = _CATEGORIES.get(as_text(usage).strip().lower())
    if categories is None:
        return next((k for k, v in items.items() if v is False), None)
    for category in categories:
        for level in _LEVELS[category]:
            said = [(key, items[key]) for key in level if isinstance(items.get(key), bool)]
            refused = [key for key, allowed in said if not allowed]
            if refused:
                return refused[0]
            if said:
                break  # an explicit "y" on the most specific level decides
    return None


# --- robots.txt rules: `Content-Usage: [path] prefs` and `Content-Signal: [path] prefs` ---


def _lines_of(selection: GroupSelection | Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    if isinstance(selection, GroupSelection):
        # Lines before any User-agent line: the attach draft defines Content-Usage only inside a
        # group (§3), yet CMS plugins write it at the top of the file, meaning every crawler.
        # Read as members of every group, they take part in the longest-match choice.
        return sorted([*selection.global_lines, *selection.lines])
    try:
        return [(int(n), as_text(raw)) for n, raw in selection]
    except (TypeError, ValueError):
        return []


def _statements(
    lines: list[tuple[int, str]], field_name: str, path: str, yes: str
) -> list[tuple[dict[str, bool], str]]:
    """The statements of preference that lines make for `path`, each with its line.

    The well-formed rules with the longest matching path (attach draft §3.1), then the refusals
    salvaged from malformed matching rules, which add to them but never override them.
    """
    best: list[tuple[dict[str, bool], str]] = []
    best_length = -1
    salvaged: list[tuple[dict[str, bool], str]] = []
    for _, raw in lines:
        parsed = split_directive(raw)
        if parsed is None or parsed[0] != field_name or not parsed[1]:
            continue
        value = parsed[1]
        pattern = "/"
        first, _, rest = value.replace("\t", " ", 1).partition(" ")
        if first.startswith(("/", "*")):
            # The path ends at the first SP or HTAB (attach §3.2); without one the rule applies
            # to the whole site.
            pattern, value = first, rest.strip(" \t")
        if not value.strip():
            continue  # a path with no preference is no rule (attach §3 ABNF)
        length = match_length(pattern, path)
        if length is None:
            continue
        prefs = _parse(value, yes)
        if prefs is None:
            refusals = salvage_refusals(value)
            if refusals:
                salvaged.append((refusals, raw.strip()))
            continue
        if length > best_length:
            best, best_length = [], length
        if length == best_length:
            # Identical paths with conflicting preferences all apply (attach §3.1).
            best.append((prefs, raw.strip()))
    return best + salvaged


def _refusal(
    statements: Iterable[tuple[dict[str, bool], str]], usage: str | None
) -> tuple[str, dict[str, bool], str] | None:
    """The first statement refusing `usage`, as (key, preferences, evidence).

    Statements combine per category after each is resolved (vocab "Combining Preferences"): any
    refusal wins.
    """
    for prefs, evidence in statements:
        if usage is None:
            key = next((k for k, v in prefs.items() if v is False), None)
        else:
            key = usage_denied(prefs, usage)
        if key is not None:
            return key, prefs, evidence
    return None


def _signal(
    code: str, source: str, found: tuple[str, dict[str, bool], str], usage: str | None
) -> Signal:
    key, prefs, evidence = found
    return Signal(
        code=code,
        source=source,
        evidence=evidence,
        detail={
            "key": key,
            "usage": usage or "",
            "preferences": ", ".join(f"{k}={'y' if v else 'n'}" for k, v in prefs.items()),
        },
    )


def _from_robots(
    selection: GroupSelection | Iterable[tuple[int, str]],
    path: str,
    usage: str | None,
    field_name: str,
    yes: str,
    code: str,
) -> Signal | None:
    statements = _statements(_lines_of(selection), field_name, as_text(path), yes)
    found = _refusal(statements, usage)
    return _signal(code, "robots.txt", found, usage) if found else None


def content_usage_from_robots(
    selection_lines: GroupSelection | Iterable[tuple[int, str]],
    path: str,
    usage: str | None = None,
) -> Signal | None:
    """`ai-optout-content-usage` when our group's Content-Usage rules refuse `usage` on `path`.

    The rule with the longest matching path wins (attach draft §3.1); a rule without a path
    covers `/`. With `usage=None`, any refusal at all is reported.
    """
    return _from_robots(
        selection_lines, path, usage, "content-usage", "y", "ai-optout-content-usage"
    )


def content_signal_from_robots(
    selection_lines: GroupSelection | Iterable[tuple[int, str]],
    path: str,
    usage: str | None = None,
) -> Signal | None:
    """`ai-optout-content-signal` when our group's Content-Signal line refuses `usage`.

    Content-Signal is scoped like any group rule: the one in our group (or the `*` group) counts,
    those in other crawlers' groups do not. Cloudflare defines no path; an optional leading path
    is accepted and matched like Content-Usage.
    """
    return _from_robots(
        selection_lines, path, usage, "content-signal", "yes", "ai-optout-content-signal"
    )


def content_usage_from_header(
    value: str | bytes | Sequence[str | bytes], usage: str | None = None
) -> Signal | None:
    """`ai-optout-content-usage` when a `Content-Usage` header refuses `usage`.

    Several header lines are one Dictionary joined by commas (RFC 9110 §5.3).
    """
    if isinstance(value, list | tuple):
        value = ", ".join(as_text(v) for v in value)
    text = as_text(value).strip()
    prefs = parse_usage_preferences(text)
    if prefs is None:
        prefs = salvage_refusals(text)
    found = _refusal([(prefs, f"Content-Usage: {text}")], usage)
    return (
        _signal("ai-optout-content-usage", "header:Content-Usage", found, usage) if found else None
    )


# --- RSL (Really Simple Licensing) pointers ---

_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")


def rsl_licences(robots_text: str | bytes) -> list[Signal]:
    """`licence-rsl` for every `License:` line; RSL makes it global, outside any group."""
    out: list[Signal] = []
    text = as_text(robots_text).removeprefix("\ufeff")
    for number, raw in enumerate(text.splitlines(), 1):
        parsed = split_directive(raw)
        if parsed is None or parsed[0] not in ("license", "licence") or not parsed[1]:
            continue
        url = parsed[1]
        out.append(
            Signal(
                code="licence-rsl",
                source="robots.txt",
                evidence=raw.strip(),
                detail={
                    "url": url,
                    "line": str(number),
                    # RSL wants an absolute URL; a relative one is still a licence claim.
                    "absolute": "yes" if _ABSOLUTE.match(url) else "no",
                },
            )
        )
    return out


def _split_links(value: str) -> list[str]:
    """Split a Link header on the commas between links (RFC 8288 §3), not inside <> or quotes."""
    parts: list[str] = []
    start = 0
    in_uri = in_quote = escaped = False
    for i, ch in enumerate(value):
        if escaped:
            escaped = False
        elif in_quote:
            if ch == "\\":
                escaped = True
            elif ch == '"':
                in_quote = False
        elif in_uri:
            in_uri = ch != ">"
        elif ch == "<":
            in_uri = True
        elif ch == '"':
            in_quote = True
        elif ch == ",":
            parts.append(value[start:i])
            start = i + 1
    parts.append(value[start:])
    return [p.strip() for p in parts if p.strip()]


_LINK = re.compile(r"^<([^>]*)>(.*)$", re.S)
_PARAM = re.compile(r';\s*([^\s=;,]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^;,]*)))?', re.S)


def rsl_from_link_header(value: str | bytes | Sequence[str | bytes]) -> list[Signal]:
    """`licence-rsl` for `Link: <url>; rel="license"; type="application/rsl+xml"` entries."""
    if isinstance(value, list | tuple):
        value = ", ".join(as_text(v) for v in value)
    out: list[Signal] = []
    for link in _split_links(as_text(value)):
        m = _LINK.match(link)
        if not m:
            continue
        params: dict[str, str] = {}
        for p in _PARAM.finditer(m.group(2)):
            name = p.group(1).lower()
            if name not in params:  # RFC 8288 §3: only the first occurrence counts
                params[name] = (p.group(2) if p.group(2) is not None else p.group(3) or "").strip()
        rels = params.get("rel", "").lower().split()
        media = params.get("type", "").split(";")[0].strip().lower()
        if "license" in rels and media == "application/rsl+xml":
            out.append(
                Signal(
                    code="licence-rsl",
                    source="header:Link",
                    evidence=f"Link: {link}",
                    detail={"url": m.group(1).strip()},
                )
            )
    return out
