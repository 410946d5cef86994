"""Cut out the robots.txt group for one product token (RFC 9309) as a text Protego applies as is,
and name the rule line behind each verdict. Tokens are compared whole, never as substrings, and
no unreadable line is ever read as an Allow.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from urllib.parse import quote, urlparse, urlsplit

from protego import Protego

from crawler.signals._text import as_text
from crawler.signals.types import Signal

# Field spellings Protego accepts; kept identical so that the synthetic text we hand to Protego
# is grouped and read exactly as we read it.
_USER_AGENT = frozenset({"user-agent", "useragent", "user agent"})
_ALLOW = frozenset({"allow"})
_DISALLOW = frozenset({"disallow", "dissallow", "dissalow", "disalow", "diasllow", "disallaw"})
_SITEMAP = frozenset({"sitemap", "sitemaps", "site-map"})
_HOST = frozenset({"host"})
_CRAWL_DELAY = frozenset({"crawl-delay", "crawl delay"})
_REQUEST_RATE = frozenset({"request-rate", "request rate"})
_VISIT_TIME = frozenset({"visit-time", "visit time"})
_KNOWN = (
    _USER_AGENT | _ALLOW | _DISALLOW | _SITEMAP | _HOST | _CRAWL_DELAY | _REQUEST_RATE | _VISIT_TIME
)
# Sitemap and Host belong to the file, not to a group, and do not end one.
_SITE_WIDE = _SITEMAP | _HOST
_MAX_FIELD_WORDS = 2

# Tokens whose own group disallowing a path is an opt-out from AI training. Only crawlers that
# collect training data are listed: a Disallow for a live-fetch or search agent (ChatGPT-User,
# OAI-SearchBot, PerplexityBot, Claude-User...) refuses answer engines, not training, and a
# crawler honouring ai-input preferences reads that from Content-Signal instead.
KNOWN_AI_TOKENS: tuple[str, ...] = (
    "GPTBot",  # OpenAI: training
    "CCBot",  # Common Crawl: the corpus most models are trained on
    "Google-Extended",  # Google: control token for Gemini training
    "ClaudeBot",  # Anthropic: training
    "anthropic-ai",  # Anthropic: former training token, still widely blocked
    "Claude-Web",  # Anthropic: former token, still widely blocked
    "Applebot-Extended",  # Apple: control token for training Apple models
    "Bytespider",  # ByteDance: training
    "Meta-ExternalAgent",  # Meta: training
    "FacebookBot",  # Meta: training of speech and language models
    "cohere-ai",  # Cohere
    "cohere-training-data-crawler",  # Cohere: training
    "Amazonbot",  # Amazon: may train Amazon models
    "Diffbot",  # knowledge graph sold as training data
    "omgili",  # Webz.io: datasets sold for training
    "omgilibot",  # Webz.io
    "Webzio-Extended",  # Webz.io: control token for AI training use
    "ImagesiftBot",  # image datasets
    "Timpibot",  # Timpi: data for LLM training
    "AI2Bot",  # Allen Institute: training corpora
    "Ai2Bot-Dolma",  # Allen Institute: Dolma corpus
    "PanguBot",  # Huawei: training
)


@dataclass(frozen=True, slots=True)
class GroupSelection:
    """The group(s) that apply to one token.

    `text` is a robots.txt holding only those member lines under a single `User-agent: *`, so
    that Protego applies exactly that group. `global_lines` are lines that sit before any
    User-agent line (no group: RFC 9309 ignores them, some extensions read them).
    """

    matched: Literal["token", "*", "none"]
    text: str
    lines: tuple[tuple[int, str], ...]
    token: str = ""
    global_lines: tuple[tuple[int, str], ...] = ()


@dataclass(slots=True)
class _Group:
    agents: list[str]
    members: list[tuple[int, str]]


@dataclass(slots=True)
class _Parsed:
    groups: list[_Group]
    preamble: list[tuple[int, str]]
    site_wide: list[tuple[int, str, str, str]]  # (line number, raw, field, value)


def split_directive(line: str) -> tuple[str, str] | None:
    """`(field, value)` of one robots.txt line, field lower-cased; None for blanks and comments.

    Reads a line the way Protego does (so our groups are its groups): `Field: value`, and,
    failing that, `Field value` for known fields (`Disallow /x`, `User agent foo`).
    """
    line = as_text(line).split("#", 1)[0].strip()
    if not line:
        return None
    name: str | None = None
    value = ""
    if ":" in line:
        name, raw_value = line.split(":", 1)
        name = name.strip().lower()
        value = raw_value.strip()
        if name in _KNOWN or not raw_value or raw_value[0].isspace():
            return name, value
    words = line.split()
    for count in range(1, _MAX_FIELD_WORDS + 1):
        candidate = " ".join(words[:count]).lower()
        if candidate in _KNOWN:
            return candidate, " ".join(words[count:])
    if name is None:
        return None
    return name, value


def _clean(robots_text: str | bytes) -> str:
    text = as_text(robots_text)
    return text[1:] if text.startswith("\ufeff") else text


def _parse(text: str) -> _Parsed:
    groups: list[_Group] = []
    preamble: list[tuple[int, str]] = []
    site_wide: list[tuple[int, str, str, str]] = []
    current: _Group | None = None
    previous: str | None = None
    # str.splitlines, as Protego uses: CR, LF and CRLF, plus the rarer Unicode breaks.
    for number, raw in enumerate(text.splitlines(), 1):
        parsed = split_directive(raw)
        if parsed is None:
            continue
        name, value = parsed
        if name in _USER_AGENT:
            # RFC 9309 §2.1: consecutive user-agent lines open one group; one that follows any
            # other member line opens the next.
            if current is None or (previous is not None and previous not in _USER_AGENT):
                current = _Group([], [])
                groups.append(current)
            if value:
                current.agents.append(_product_token(value))
        elif name in _SITE_WIDE:
            site_wide.append((number, raw, name, value))
        elif current is None:
            preamble.append((number, raw))
        else:
            current.members.append((number, raw))
        if name not in _SITE_WIDE:
            previous = name
    return _Parsed(groups, preamble, site_wide)


def _product_token(value: str) -> str:
    """The comparable form of a product token: lower case, without version or wildcards.

    `ExampleBot/1.0` names ExampleBot (RFC 9309 §2.2.1 matches the product token only); a
    stray `*` in `ExampleBot*` is dropped as Protego does, so the group still binds us.
    """
    value = as_text(value).strip().lower()
    if value == "*":
        return "*"
    return value.split("/", 1)[0].replace("*", "").strip()


def _select(parsed: _Parsed, token: str) -> GroupSelection:
    wanted = _product_token(token)
    chosen: list[_Group] = []
    matched: Literal["token", "*", "none"] = "none"
    if wanted and wanted != "*":
        chosen = [g for g in parsed.groups if wanted in g.agents]
        if chosen:
            matched = "token"
    if not chosen:
        # RFC 9309 §2.2.1: no group names us, so every `*` group applies, combined.
        chosen = [g for g in parsed.groups if "*" in g.agents]
        if chosen:
            matched = "*"
    members = tuple(line for g in chosen for line in g.members)
    text = ""
    if matched != "none":
        text = "\n".join(["User-agent: *", *(raw for _, raw in members)]) + "\n"
    return GroupSelection(matched, text, members, as_text(token), tuple(parsed.preamble))


def select_group(robots_text: str | bytes, token: str) -> GroupSelection:
    """The group(s) of `robots_text` that apply to product token `token` (RFC 9309 §2.2.1)."""
    return _select(_parse(_clean(robots_text)), token)


# --- Path matching (RFC 9309 §2.2.2, §2.2.3), written to agree with Protego's can_fetch. ---

_HEX = frozenset("0123456789abcdefABCDEF")
# Escapes that stay escaped while normalising: "/" and "%" (so "%2F" never becomes a segment
# break and "%25" never becomes a new escape); patterns also keep "*", their wildcard.
_KEEP_PATH = frozenset({"2F", "25"})
_KEEP_PATTERN = frozenset({"2F", "25", "2A"})
_PLAIN_PATTERN = re.compile(r"[A-Za-z0-9_.~/=*-]+\$?")


def _unescape(value: str, keep: frozenset[str]) -> str:
    if "%" not in value:
        return value
    head, *rest = value.split("%")
    out = bytearray(head.encode("utf-8"))
    for part in rest:
        if len(part) >= 2 and part[0] in _HEX and part[1] in _HEX:
            code = part[:2].upper()
            if code not in keep:
                out += bytes.fromhex(code) + part[2:].encode("utf-8")
                continue
            part = code + part[2:]
        out += b"%" + part.encode("utf-8")
    return out.decode("utf-8", "replace")


def normalize_path(url_or_path: str) -> str:
    """Path and query of a URL with percent-encoding normalised for comparison (RFC 9309 §2.2.2)."""
    url = as_text(url_or_path).partition("#")[0]
    try:
        parts = urlsplit(url)
        path = parts.path
        query = parts.query
    except ValueError:  # e.g. an unbalanced IPv6 bracket: compare the text as a path
        path, _, query = url.partition("?")
    if "?" in url:
        # A "?" with nothing after it is still part of what rules match against.
        path += f"?{query}"
    path = quote(_unescape(path, _KEEP_PATH), safe="/%=")
    return path if path.startswith("/") else f"/{path}"


def _normalize_pattern(pattern: str) -> str:
    if _PLAIN_PATTERN.fullmatch(pattern):
        return pattern
    if pattern.startswith(("https://", "http://")):
        # An absolute URL written as a rule matches paths containing it, as Protego reads it.
        pattern = f"/{pattern}"
    anchor = ""
    if pattern.endswith("$"):
        anchor = "$"
        pattern = pattern[:-1]
    return quote(_unescape(pattern, _KEEP_PATTERN), safe="/%*=") + anchor


def _pattern_matches(pattern: str, path: str) -> bool:
    """RFC 9309 §2.2.3: `*` is any run of characters, a final `$` anchors at the end."""
    anchored = pattern.endswith("$")
    if "*" not in pattern:
        return path == pattern[:-1] if anchored else path.startswith(pattern)
    body = pattern[:-1] if anchored else pattern
    parts = re.sub(r"\*+", "*", body).split("*")
    if not path.startswith(parts[0]):
        return False
    pos = len(parts[0])
    for part in parts[1:-1]:
        found = path.find(part, pos)
        if found == -1:
            return False
        pos = found + len(part)
    last = parts[-1]
    if anchored:
        end = len(path) - len(last)
        return end >= pos and path[end:] == last
    return not last or path.find(last, pos) != -1


def match_length(pattern: str, url_or_path: str) -> int | None:
    """How specific `pattern` is when it matches `url_or_path` (RFC 9309 §2.2.2), else None.

    The length counts the normalised pattern, as robots.txt rules are compared. Also used for
    Content-Usage and TDMRep `location` patterns, which borrow these rules.
    """
    normalized = _normalize_pattern(as_text(pattern))
    if not normalized:
        return None
    if _pattern_matches(normalized, normalize_path(url_or_path)):
        return len(normalized)
    return None


@dataclass(frozen=True, slots=True)
class _Rule:
    allow: bool
    pattern: str
    number: int
    raw: str


@lru_cache(maxsize=256)
def _rules(lines: tuple[tuple[int, str], ...]) -> tuple[_Rule, ...]:
    out: list[_Rule] = []
    for number, raw in lines:
        parsed = split_directive(raw)
        if parsed is None:
            continue
        name, value = parsed
        if not value or (name not in _ALLOW and name not in _DISALLOW):
            continue
        allow = name in _ALLOW
        # Protego also reads a "$" as a literal character, so "/a$" covers "/a" and "/a$...".
        values = [value.replace("$", "%24"), value] if "$" in value else [value]
        for v in values:
            pattern = _normalize_pattern(v)
            if not pattern:
                continue
            out.append(_Rule(allow, pattern, number, raw))
            if allow and pattern.endswith("/index.html"):
                # Google and Protego read an allowed index.html as its directory allowed too.
                out.append(_Rule(True, pattern.removesuffix("index.html") + "$", number, raw))
    # RFC 9309 §2.2.2: the longest match wins, and Allow wins a tie.
    out.sort(key=lambda r: (len(r.pattern), r.allow), reverse=True)
    return tuple(out)


def _cached_rules(selection: GroupSelection) -> tuple[_Rule, ...]:
    try:
        return _rules(tuple(selection.lines))
    except TypeError:  # a hand-built selection with unhashable lines
        return _rules.__wrapped__(tuple(selection.lines))


def _decide(selection: GroupSelection, url_or_path: str) -> tuple[bool, _Rule | None]:
    if selection.matched == "none":
        return _verdict((), url_or_path)
    return _verdict(_cached_rules(selection), url_or_path)


def _verdict(rules: tuple[_Rule, ...], url_or_path: str) -> tuple[bool, _Rule | None]:
    """The first of `rules` (sorted by `_rules`) matching the URL; no rules means no group."""
    url = as_text(url_or_path)
    try:
        # urlparse, as Protego: it sets ";params" aside, so "/robots.txt;x" counts too.
        robots_path = urlparse(url).path if "/robots.txt" in url else ""
    except ValueError:
        robots_path = ""
    if robots_path == "/robots.txt":
        return True, None  # RFC 9309 §2.2.2: /robots.txt is always allowed
    if not rules:
        return True, None
    path = normalize_path(url)
    for rule in rules:
        if _pattern_matches(rule.pattern, path):
            return rule.allow, rule
    return True, None


def matching_rule(selection: GroupSelection, path: str) -> tuple[bool, str | None]:
    """Whether `path` (or a full URL) may be fetched, and the exact rule line that decided.

    `None` as the line means no rule matched (allowed by default, RFC 9309 §2.2.2).
    """
    allowed, rule = _decide(selection, path)
    return allowed, rule.raw if rule else None


def _values(selection: GroupSelection, names: frozenset[str]) -> list[str]:
    out = []
    for _, raw in selection.lines:
        parsed = split_directive(raw)
        if parsed and parsed[0] in names and parsed[1]:
            out.append(parsed[1])
    return out


def crawl_delay(selection: GroupSelection) -> float | None:
    """Seconds between requests from `Crawl-delay`; the largest when groups combine."""
    delays = []
    for value in _values(selection, _CRAWL_DELAY):
        try:
            delay = float(value)
        except ValueError:
            continue
        if math.isfinite(delay) and delay >= 0:
            delays.append(delay)
    return max(delays) if delays else None


def request_rate(selection: GroupSelection) -> float | None:
    """Seconds between requests implied by `Request-rate: n/m` (`1/10s` is 10.0); the largest."""
    intervals = []
    for value in _values(selection, _REQUEST_RATE):
        # Protego reads the value (units s/m/h/d, optional visit window) and rejects bad ones.
        rate = Protego.parse(f"User-agent: *\nRequest-rate: {value}\n").request_rate("*")
        if rate is not None and rate.requests > 0:
            intervals.append(rate.seconds / rate.requests)
    return max(intervals) if intervals else None


def sitemaps(robots_text: str | bytes) -> list[str]:
    """Sitemap URLs, in file order, each once. They belong to no group (RFC 9309 §2.2.4)."""
    out: list[str] = []
    for _, _, name, value in _parse(_clean(robots_text)).site_wide:
        if name in _SITEMAP and value and value not in out:
            out.append(value)
    return out


def ai_token_optouts(robots_text: str | bytes, path: str, own_token: str) -> list[Signal]:
    """AI crawlers whose own group disallows `path` while our group allows it.

    Only groups naming the AI token exactly count: a `*` group says nothing about AI use.
    """
    return parse_robots(robots_text, own_token).ai_optouts(path)


def strip_comments(robots_text: str | bytes) -> str:
    """The file without its comments (RFC 9309 §2.2: `#` to the end of the line).

    One line out for each line in, so rule line numbers stay those of the original. Nothing
    reads a comment, and comments often hold a webmaster's name or e-mail address.
    """
    lines = _clean(robots_text).splitlines()
    kept = (line.split("#", 1)[0].rstrip() if "#" in line else line for line in lines)
    return "\n".join(kept).rstrip("\n")


@dataclass(frozen=True, slots=True, eq=False)
class RobotsRules:
    """One robots.txt parsed once for one product token: our group's rules ready to match, the
    AI-training bots' own groups, and our member lines by field. Matching a URL never reads the
    file again (re-parsing a 500 KiB file cost 171 ms per request).
    """

    selection: GroupSelection
    rules: tuple[_Rule, ...]
    ai_groups: tuple[tuple[str, tuple[_Rule, ...]], ...]
    fields: Mapping[str, tuple[tuple[int, str], ...]]

    def verdict(self, url_or_path: str) -> tuple[bool, str | None]:
        """As `matching_rule`: allowed or not, and the rule line that decided."""
        allowed, rule = _verdict(self.rules, url_or_path)
        return allowed, rule.raw if rule else None

    def member_lines(self, name: str) -> tuple[tuple[int, str], ...]:
        """Lines with field `name` (lower case) of our group and of the preamble, in file order."""
        return self.fields.get(name, ())

    def ai_optouts(self, url_or_path: str) -> list[Signal]:
        """As `ai_token_optouts`."""
        if not _verdict(self.rules, url_or_path)[0]:
            return []  # we may not fetch it anyway; nothing to report as an AI opt-out
        out: list[Signal] = []
        for token, rules in self.ai_groups:
            allowed, rule = _verdict(rules, url_or_path)
            if not allowed and rule is not None:
                out.append(_ai_signal(token, rule))
        return out


def parse_robots(robots_text: str | bytes, token: str) -> RobotsRules:
    """Everything matching needs from `robots_text` for product token `token`, parsed once."""
    parsed = _parse(_clean(robots_text))
    selection = _select(parsed, token)
    own_name = _product_token(token)
    ai_groups = []
    for ai_token in KNOWN_AI_TOKENS:
        if _product_token(ai_token) == own_name:
            continue
        theirs = _select(parsed, ai_token)
        if theirs.matched == "token":
            ai_groups.append((ai_token, _compiled(theirs)))
    members = [*selection.global_lines, *selection.lines]
    return RobotsRules(selection, _compiled(selection), tuple(ai_groups), _by_field(members))


def _compiled(selection: GroupSelection) -> tuple[_Rule, ...]:
    # Not through the lru_cache: a file's rules live as long as its RobotsRules.
    return () if selection.matched == "none" else _rules.__wrapped__(tuple(selection.lines))


def _by_field(lines: list[tuple[int, str]]) -> dict[str, tuple[tuple[int, str], ...]]:
    out: dict[str, list[tuple[int, str]]] = {}
    for number, raw in sorted(lines):
        parsed = split_directive(raw)
        if parsed is not None:
            out.setdefault(parsed[0], []).append((number, raw))
    return {name: tuple(found) for name, found in out.items()}


def _ai_signal(token: str, rule: _Rule) -> Signal:
    return Signal(
        code="ai-optout-ai-bot-disallow",
        source="robots.txt",
        evidence=f"User-agent: {token} / line {rule.number}: {rule.raw.strip()}",
        detail={"token": token, "rule": rule.raw.strip(), "line": str(rule.number)},
    )
