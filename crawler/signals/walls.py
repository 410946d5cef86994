"""Detect doors a compliant crawler must not force: bot challenges, login walls, paywalls.
Only markup, scripts and headers such pages carry count: the word "captcha" in an article is
never enough, and nothing here ever helps to get past what it found.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from crawler.signals import _html
from crawler.signals._text import as_text, header_values
from crawler.signals.types import Signal

# Markers only challenge or block pages carry. Cloudflare injects
# /cdn-cgi/challenge-platform/.../scripts/jsd/main.js into ordinary pages, so only the
# challenge page's own `_cf_chl_opt` and `orchestrate/` paths count.
_CHALLENGE_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "cloudflare",
        re.compile(
            r"_cf_chl_opt|/cdn-cgi/challenge-platform/h/[a-z]/orchestrate/"
            r"|id=[\"']challenge-(?:form|running|stage)[\"']|cf-browser-verification"
            r"|__cf_chl_(?:f_tk|rt_tk|tk|jschl_tk__)="
        ),
    ),
    ("datadome", re.compile(r"(?:geo|ct)\.captcha-delivery\.com|captcha-delivery\.com/captcha")),
    ("perimeterx", re.compile(r"id=[\"']px-captcha[\"']|captcha\.px-cdn\.net|_pxCaptcha")),
    ("aws-waf", re.compile(r"window\.gokuProps|awswaf\.com/[^\"'\s]*/(?:challenge|captcha)\.js")),
    (
        "akamai",
        # Bot Manager interstitials, and the edge's "Access Denied" page (errors.edgesuite.net).
        re.compile(
            r"/_sec/cp_challenge/|sec-if-cpt-container|/_sec/verify\?provider=interstitial"
            r"|errors\.edgesuite\.net"
        ),
    ),
    ("imperva", re.compile(r"Incapsula incident ID|id=[\"']main-iframe[\"'][^>]*_Incapsula_")),
)
# Captcha widgets: a gate when they sit on a thin page, an error status or a "verify" title;
# a comment form under a long article carries the same widget and is no gate.
_WIDGETS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "recaptcha",
        re.compile(
            r"class=[\"'][^\"']*\bg-recaptcha\b"
            r"|(?:google\.com|recaptcha\.net)/recaptcha/(?:api2/anchor|api\.js|enterprise\.js)"
        ),
    ),
    ("hcaptcha", re.compile(r"class=[\"'][^\"']*\bh-captcha\b|hcaptcha\.com/1/api\.js")),
    (
        "turnstile",
        re.compile(r"class=[\"'][^\"']*\bcf-turnstile\b|challenges\.cloudflare\.com/turnstile/"),
    ),
)
_GATE_TITLE = re.compile(
    r"just a moment|attention required|are you (?:a )?(?:human|robot)|verify(?:ing)? you"
    r"|security check|captcha|access denied|bot (?:check|protection)|pardon our interruption",
    re.I,
)
_GATE_STATUS = frozenset({401, 403, 405, 429, 503})
_THIN_WORDS = 150


def _header(headers: Mapping[str, str], name: str) -> str:
    values = header_values(headers, name)
    return values[-1].strip() if values else ""


def _snippet(text: str, start: int, end: int) -> str:
    """The tag around a match, or the match with a little context."""
    left = text.rfind("<", max(0, start - 300), start + 1)
    right = text.find(">", end, end + 300)
    if left != -1 and right != -1:
        return text[left : right + 1]
    return text[max(0, start - 40) : end + 40]


def _word_count(clean_markup: str) -> int:
    return len(_html.visible_text(clean_markup).split())


def _challenge(vendor: str, evidence: str, source: str, status: int) -> Signal:
    return Signal(
        code="challenge",
        source=source,
        evidence=evidence,
        detail={"vendor": vendor, "status": str(status)},
    )


# Every marker, title and widget pattern above needs one of these (compared lower-cased): a page
# with none of them is no challenge, and is spared the full scan (it runs on every 2xx page).
_NEEDED = (
    "chl",
    "challenge",
    "cf-browser",
    "captcha",
    "px-c",
    "gokuprops",
    "awswaf",
    "/_sec/",
    "sec-if-cpt",
    "edgesuite",
    "incapsula",
    "turnstile",
    "just a moment",
)


def _may_be_challenge(text: str) -> bool:
    lowered = text.lower()
    return any(needle in lowered for needle in _NEEDED)


def detect_challenge(
    status: int, headers: Mapping[str, str], html: str | bytes | None
) -> Signal | None:
    """`challenge` when the response is a bot challenge (Cloudflare, DataDome, PerimeterX/HUMAN,
    AWS WAF, Akamai, Imperva, or a captcha widget gating a thin page)."""
    mitigated = _header(headers, "cf-mitigated")
    if mitigated.lower() == "challenge":
        return _challenge("cloudflare", f"cf-mitigated: {mitigated}", "header:cf-mitigated", status)
    waf_action = _header(headers, "x-amzn-waf-action")
    if waf_action.lower() in ("captcha", "challenge"):
        return _challenge(
            "aws-waf", f"x-amzn-waf-action: {waf_action}", "header:x-amzn-waf-action", status
        )
    raw = as_text(html)
    if not _may_be_challenge(raw):
        return None
    text = _html.without_comments(raw)
    for vendor, pattern in _CHALLENGE_MARKERS:
        m = pattern.search(text)
        if m:
            return _challenge(vendor, _snippet(text, m.start(), m.end()), "html", status)
    page_title = _html.title(text)
    is_cloudflare = (
        bool(_header(headers, "cf-ray")) or _header(headers, "server").lower() == "cloudflare"
    )
    if page_title.lower().startswith("just a moment") and (status in _GATE_STATUS or is_cloudflare):
        return _challenge("cloudflare", f"<title>{page_title}</title>", "html", status)
    clean = _html.markup(text)
    gated = status in _GATE_STATUS or bool(_GATE_TITLE.search(page_title))
    for vendor, pattern in _WIDGETS:
        m = pattern.search(text)
        if m and (gated or _word_count(clean) < _THIN_WORDS):
            return _challenge(vendor, _snippet(text, m.start(), m.end()), "html", status)
    return None


_LOGIN_SEGMENTS = frozenset(
    [
        "login",
        "log-in",
        "log_in",
        "signin",
        "sign-in",
        "sign_in",
        "logon",
        "wp-login.php",
        "login.php",
        "login.aspx",
        "login.jsp",
        "login.html",
        "signin.aspx",
    ]
)
_RETURN_PARAMS = frozenset({"returnurl", "return_url", "returnto", "return_to"})
_AROUND_CONTENT = re.compile(
    r"<(header|nav|footer|aside|form)\b[^>]{0,8192}>.*?</\1\s*>", re.S | re.I
)


def detect_login_wall(
    status: int, headers: Mapping[str, str], url: str, html: str | bytes | None
) -> Signal | None:
    """`login-wall` for a 401, a final URL that is a sign-in page, or a page whose main content
    is a password form."""
    if status == 401:
        challenge = _header(headers, "www-authenticate")
        if challenge:
            evidence = f"WWW-Authenticate: {challenge}"
            return Signal("login-wall", "header:WWW-Authenticate", evidence, {"status": "401"})
        # RFC 9110 §15.5.2 requires the header; a bare 401 still asks for credentials.
        return Signal("login-wall", "http-status", "HTTP 401", {"status": "401"})
    url = as_text(url)
    try:
        parts = urlsplit(url)
        query = parse_qsl(parts.query, keep_blank_values=True)
    except ValueError:
        parts, query = None, []
    if parts is not None:
        segments = [s.lower() for s in parts.path.split("/") if s]
        if any(s in _LOGIN_SEGMENTS for s in segments):
            return Signal("login-wall", "url", url, {"status": str(status)})
        if any(k.lower() in _RETURN_PARAMS for k, _ in query):
            return Signal("login-wall", "url", url, {"status": str(status)})
    text = as_text(html)
    if "password" not in text.lower():
        return None  # no password field, no wall: most pages are spared the markup scan
    clean = _html.markup(text)
    for attrs, tag in _html.tags(clean, "input"):
        if attrs.get("type", "").strip().lower() == "password":
            # Sign-in boxes in headers and sidebars sit on ordinary pages; only a page whose
            # own content is (nearly) nothing but the form is a wall.
            if _word_count(_AROUND_CONTENT.sub(" ", clean)) < _THIN_WORDS:
                return Signal("login-wall", "html", tag, {"status": str(status)})
            break
    return None


@dataclass(frozen=True, slots=True)
class Paywall:
    """A paywall and the CSS selectors of its paid sections (empty: the whole page is paid)."""

    signal: Signal
    selectors: tuple[str, ...] = ()


_FALSE = frozenset({"false", "no", "http://schema.org/false", "https://schema.org/false"})
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


def _is_false(value: Any) -> bool:
    if isinstance(value, dict):  # a JSON-LD value object: {"@value": false}
        value = value.get("@value")
    if isinstance(value, list):
        return any(_is_false(v) for v in value)
    if value is False:
        return True
    return isinstance(value, str) and value.strip().lower() in _FALSE


def _free_flag(obj: dict[str, Any]) -> tuple[str, Any] | None:
    """The isAccessibleForFree entry, also spelled `schema:...` or as a full IRI."""
    for key, value in obj.items():
        if isinstance(key, str) and re.split(r"[:/#]", key)[-1] == "isAccessibleForFree":
            return key, value
    return None


def _objects(data: Any) -> list[dict[str, Any]]:
    """Every JSON object in a JSON-LD value (lists, @graph, hasPart, nested), iteratively."""
    out: list[dict[str, Any]] = []
    queue = deque([data])  # breadth first, so sections keep their document order
    while queue and len(out) < 10_000:
        item = queue.popleft()
        if isinstance(item, dict):
            out.append(item)
            queue.extend(item.values())
        elif isinstance(item, list):
            queue.extend(item)
    return out


def _selectors(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def _load_json_ld(body: str) -> Any:
    body = body.strip()
    for start, end in (("<!--", "-->"), ("//<![CDATA[", "//]]>"), ("<![CDATA[", "]]>")):
        if body.startswith(start) and body.endswith(end):
            body = body[len(start) : -len(end)].strip()
    for attempt in (body, _TRAILING_COMMA.sub(r"\1", body)):
        try:
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):
            continue
    return None


def detect_paywall(html: str | bytes | None) -> Paywall | None:
    """`paywall` from schema.org markup: `isAccessibleForFree` false on the page (JSON-LD,
    also inside `@graph` and lists, or microdata), with the `cssSelector`s of the `hasPart`
    sections marked not free so a caller can cut them out."""
    found: list[tuple[str, str]] = []  # (source, evidence)
    selectors: list[str] = []
    for attrs, body in _html.scripts(html):
        media = attrs.get("type", "").split(";")[0].strip().lower()
        if media != "application/ld+json":
            continue
        for obj in _objects(_load_json_ld(body)):
            flag = _free_flag(obj)
            if flag is None or not _is_false(flag[1]):
                continue
            marked = {"@type": obj.get("@type", ""), flag[0]: flag[1]}
            if "cssSelector" in obj:
                marked["cssSelector"] = obj["cssSelector"]
            found.append(("json-ld", json.dumps(marked, ensure_ascii=False, default=str)))
            for selector in _selectors(obj.get("cssSelector")):
                if selector not in selectors:
                    selectors.append(selector)
    for attrs, tag in _html.tags(_html.markup(html), "meta"):
        if attrs.get("itemprop", "").strip() == "isAccessibleForFree" and _is_false(
            attrs.get("content", "")
        ):
            found.append(("html", tag))
    if not found:
        return None
    # The page-level flag is the better evidence; a section's flag only when it is all we have.
    source, evidence = next((f for f in found if "cssSelector" not in f[1]), found[0])
    detail = {"selectors": ", ".join(selectors)} if selectors else {}
    return Paywall(Signal("paywall", source, evidence, detail), tuple(selectors))
