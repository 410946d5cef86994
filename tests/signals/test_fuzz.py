"""Every public parser on arbitrary input: nothing raises, and garbage never grants permission."""

from __future__ import annotations

import json
import time

from http_sf import Token
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crawler.signals import aipref, robots_groups, tdmrep, walls, xrobots
from crawler.signals.types import EVIDENCE_MAX, Signal

FUZZ = settings(max_examples=300, deadline=None)

# Text that looks enough like the real thing to reach deep code paths, mixed with anything at
# all, lone surrogates and control characters included.
_ANY_CHAR = st.characters(codec=None, exclude_categories=())
_FRAGMENTS = st.sampled_from(
    [
        "User-agent: ", "Disallow: ", "Allow: ", "Content-Usage: ", "Content-Signal: ",
        "Crawl-delay: ", "Request-rate: ", "Sitemap: ", "License: ", "*", "/", "$", "%", "%2F",
        "#", ":", "=", ",", ";", "\n", "\r\n", "\r", "\ufeff", " ", "\t", "train-ai", "=n",
        "=y", "yes", "no", "ExampleBot", "GPTBot", "<", ">", "<meta ", 'name="robots" ',
        'content="noai"', "<script ", 'type="application/ld+json">', "</script>", "<!--",
        "-->", '"', "'", "{", "}", "[", "]", "isAccessibleForFree", "false", "\x00", "\ud800",
    ]
)  # fmt: skip
TEXT = st.one_of(
    st.text(_ANY_CHAR, max_size=200),
    st.lists(st.one_of(_FRAGMENTS, st.text(_ANY_CHAR, max_size=5)), max_size=40).map("".join),
)
TEXT_OR_BYTES = st.one_of(TEXT, st.binary(max_size=200))
HEADERS = st.dictionaries(
    st.one_of(st.sampled_from(["tdm-reservation", "TDM-Policy", "cf-mitigated", "x"]), TEXT),
    st.one_of(TEXT, st.binary(max_size=20), st.lists(st.binary(max_size=10), max_size=3)),
    max_size=4,
)


def check_signal(signal: object) -> None:
    assert isinstance(signal, Signal)
    assert len(signal.evidence) <= EVIDENCE_MAX
    assert all(isinstance(v, str) for v in signal.detail.values())


# --- robots.txt ---------------------------------------------------------------------------------


@FUZZ
@given(TEXT_OR_BYTES, TEXT, TEXT)
def test_robots_parsers_never_raise(robots, token, path):
    selection = robots_groups.select_group(robots, token)
    allowed, rule = robots_groups.matching_rule(selection, path)
    assert isinstance(allowed, bool)
    assert rule is None or any(rule == raw for _, raw in selection.lines)
    delay = robots_groups.crawl_delay(selection)
    assert delay is None or delay >= 0
    rate = robots_groups.request_rate(selection)
    assert rate is None or rate > 0
    assert all(isinstance(s, str) for s in robots_groups.sitemaps(robots))
    for signal in robots_groups.ai_token_optouts(robots, path, token):
        check_signal(signal)
    robots_groups.match_length(token, path)
    robots_groups.split_directive(token)


def _is_grant_or_group(line: str) -> bool:
    parsed = robots_groups.split_directive(line)
    return parsed is not None and parsed[0] in ("allow", "user-agent", "useragent", "user agent")


@FUZZ
@given(st.lists(TEXT, max_size=8), TEXT)
def test_garbage_lines_never_lift_a_disallow(garbage, path):
    lines = [g for g in "\n".join(garbage).splitlines() if not _is_grant_or_group(g)]
    text = "User-agent: *\nDisallow: /\n" + "\n".join(lines) + "\n"
    selection = robots_groups.select_group(text, "ExampleBot")
    assume(robots_groups.normalize_path(path) != "/robots.txt" and "/robots.txt" not in path)
    assert robots_groups.matching_rule(selection, path)[0] is False


# --- AI preferences -----------------------------------------------------------------------------


@FUZZ
@given(TEXT_OR_BYTES, st.sampled_from([*aipref.USAGES, "other", ""]))
def test_preference_parsers_never_raise(value, usage):
    for parse in (aipref.parse_usage_preferences, aipref.parse_content_signal):
        prefs = parse(value)
        assert prefs is None or all(isinstance(v, bool) for v in prefs.values())
        if prefs is not None:
            aipref.usage_denied(prefs, usage)
    assert all(v is False for v in aipref.salvage_refusals(value).values())
    for signal in (
        aipref.content_usage_from_header(value, usage),
        aipref.content_usage_from_header(value),
    ):
        if signal is not None:
            check_signal(signal)
    for signal in aipref.rsl_licences(value) + aipref.rsl_from_link_header(value):
        check_signal(signal)
    aipref.parse_dictionary(value if isinstance(value, str) else value.decode("latin-1"))


@FUZZ
@given(TEXT_OR_BYTES, TEXT, st.sampled_from([*aipref.USAGES, None]))
def test_robots_preference_readers_never_raise(robots, path, usage):
    selection = robots_groups.select_group(robots, "ExampleBot")
    for reader in (aipref.content_usage_from_robots, aipref.content_signal_from_robots):
        for source in (selection, selection.lines):
            signal = reader(source, path, usage)
            if signal is not None:
                check_signal(signal)


@FUZZ
@given(TEXT, TEXT)
def test_garbage_content_usage_at_the_same_path_never_lifts_a_refusal(garbage, path):
    garbage = garbage.replace("\r", " ").replace("\n", " ")
    text = f"User-agent: *\nContent-Usage: / train-ai=n\nContent-Usage: / {garbage}\n"
    selection = robots_groups.select_group(text, "ExampleBot")
    assert aipref.content_usage_from_robots(selection, path, "train-ai") is not None


@FUZZ
@given(TEXT, TEXT, TEXT)
def test_malformed_content_usage_anywhere_never_lifts_a_refusal(pattern, garbage, path):
    # As the rule's value will be read: one line, no comment, surrounding whitespace dropped.
    garbage = garbage.replace("\r", " ").replace("\n", " ").replace("#", " ").strip()
    assume(aipref.parse_usage_preferences(garbage) is None)
    pattern = "/" + pattern.replace("\r", "").replace("\n", "").replace(" ", "").replace("\t", "")
    text = f"User-agent: *\nContent-Usage: / train-ai=n\nContent-Usage: {pattern} {garbage}\n"
    selection = robots_groups.select_group(text, "ExampleBot")
    assert aipref.content_usage_from_robots(selection, path, "train-ai") is not None


@FUZZ
@given(TEXT)
def test_garbage_header_line_never_lifts_a_header_refusal(garbage):
    assume(aipref.parse_usage_preferences(garbage) is None)
    assert aipref.content_usage_from_header(["train-ai=n", garbage], "train-ai") is not None


@FUZZ
@given(TEXT)
def test_garbage_is_never_read_as_a_permission(garbage):
    if aipref.parse_usage_preferences(garbage) is None:
        assert True not in aipref.salvage_refusals(garbage).values()
    prefs = aipref.parse_usage_preferences(garbage) or {}
    # A permission only ever comes from the exact token `y`.
    parsed = aipref.parse_dictionary(garbage) or {}
    for key, allowed in prefs.items():
        if allowed:
            value = parsed[key][0]
            assert isinstance(value, Token) and str(value) == "y"


# --- TDMRep -------------------------------------------------------------------------------------


@FUZZ
@given(TEXT_OR_BYTES, TEXT)
def test_tdmrep_file_parser_never_raises(body, path):
    parsed = tdmrep.parse_tdmrep_json(body)
    if parsed is not None:
        signal = parsed.match(path)
        if signal is not None:
            check_signal(signal)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)


@FUZZ
@given(st.lists(_JSON, max_size=5), TEXT)
def test_tdmrep_any_json_array_never_raises(rules, path):
    parsed = tdmrep.parse_tdmrep_json(json.dumps(rules).encode())
    assert parsed is not None
    parsed.match(path)


_NOT_ZERO = st.one_of(
    st.integers().filter(lambda i: i != 0),
    st.text(max_size=5),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
    st.lists(st.integers(), max_size=2),
)


@FUZZ
@given(st.lists(st.tuples(st.text(max_size=10), _NOT_ZERO), max_size=5), st.text(max_size=20))
def test_malformed_tdmrep_rules_never_hide_a_later_reservation(broken, path):
    rules = [{"location": loc, "tdm-reservation": value} for loc, value in broken]
    rules.append({"location": "/", "tdm-reservation": 1})
    parsed = tdmrep.parse_tdmrep_json(json.dumps(rules).encode())
    assert parsed is not None
    assert parsed.match("/" + path) is not None


@FUZZ
@given(TEXT)
def test_unparseable_tdmrep_file_is_none(body):
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        assert tdmrep.parse_tdmrep_json(body) is None
    else:
        assert (tdmrep.parse_tdmrep_json(body) is None) == (not isinstance(data, list))


@FUZZ
@given(HEADERS, TEXT_OR_BYTES)
def test_tdmrep_headers_and_meta_never_raise(headers, html):
    for signal in (tdmrep.from_headers(headers), tdmrep.from_html_meta(html)):
        if signal is not None:
            check_signal(signal)


@FUZZ
@given(TEXT)
def test_tdmrep_header_garbage_never_lifts_a_reservation(value):
    declaration = tdmrep.declaration_from_headers({"tdm-reservation": value})
    if declaration is not None and not declaration.reserved:
        assert {v.strip() for v in value.split(",")} == {"0"}


# --- X-Robots-Tag and meta robots ---------------------------------------------------------------


@FUZZ
@given(TEXT, st.lists(TEXT_OR_BYTES, max_size=4), st.one_of(st.none(), TEXT_OR_BYTES))
def test_robots_directives_never_raise(token, headers, html):
    d = xrobots.directives_for(token, headers, html)
    assert all(k == k.lower() for k in d.directives)
    for signal in [*xrobots.ai_optouts(d), xrobots.noindex(d)]:
        if signal is not None:
            check_signal(signal)
    assert isinstance(xrobots.nofollow(d), bool)


@FUZZ
@given(st.lists(TEXT, max_size=4))
def test_extra_header_lines_never_remove_a_directive(garbage):
    base = xrobots.directives_for("ExampleBot", ["noai, noindex"], None)
    more = xrobots.directives_for("ExampleBot", ["noai, noindex", *garbage], None)
    assert base.directives <= more.directives


# --- walls --------------------------------------------------------------------------------------


@FUZZ
@given(st.integers(0, 999), HEADERS, TEXT, st.one_of(st.none(), TEXT_OR_BYTES))
def test_wall_detectors_never_raise(status, headers, url, html):
    for signal in (
        walls.detect_challenge(status, headers, html),
        walls.detect_login_wall(status, headers, url, html),
    ):
        if signal is not None:
            check_signal(signal)
    paywall = walls.detect_paywall(html)
    if paywall is not None:
        check_signal(paywall.signal)
        assert all(isinstance(s, str) for s in paywall.selectors)


@FUZZ
@given(_JSON)
def test_paywall_reader_on_any_json_ld(data):
    html = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    paywall = walls.detect_paywall(html)
    if paywall is not None:
        check_signal(paywall.signal)


# --- size -------------------------------------------------------------------------------------


def test_large_inputs_stay_fast():
    robots = "User-agent: *\n" + "Disallow: /private/*/x$\nAllow: /p\n" * 14_000  # ~500 KiB
    html = "<html><body>" + "<p>word <b>x</b> <!-- c --></p><script>1<2</script>" * 40_000
    hostile = "<meta " * 50_000 + "<!--" * 10_000 + "<script>" * 10_000
    start = time.perf_counter()
    selection = robots_groups.select_group(robots, "ExampleBot")
    robots_groups.matching_rule(selection, "/private/a/x")
    aipref.content_usage_from_robots(selection, "/a", "train-ai")
    for page in (html, hostile):
        walls.detect_challenge(200, {}, page)
        walls.detect_login_wall(200, {}, "https://e.com/a", page)
        walls.detect_paywall(page)
        xrobots.directives_for("ExampleBot", [], page)
        tdmrep.from_html_meta(page)
    assert time.perf_counter() - start < 10
