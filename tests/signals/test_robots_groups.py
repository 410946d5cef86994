"""Group selection, rule matching and the AI-token opt-outs of robots.txt (RFC 9309)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from protego import Protego

from crawler.signals.robots_groups import (
    KNOWN_AI_TOKENS,
    GroupSelection,
    ai_token_optouts,
    crawl_delay,
    match_length,
    matching_rule,
    normalize_path,
    request_rate,
    select_group,
    sitemaps,
    split_directive,
)

SUBSTRING_TRAP = """\
User-agent: mybot
Disallow: /

User-agent: ExampleBot-News
Disallow: /

User-agent: *
Disallow: /private/
"""


def texts(selection: GroupSelection) -> list[str]:
    return [raw for _, raw in selection.lines]


# --- group selection -------------------------------------------------------------------------


def test_bot_token_does_not_select_mybot_group():
    selection = select_group(SUBSTRING_TRAP, "bot")
    assert selection.matched == "*"
    assert matching_rule(selection, "/page")[0] is True
    assert matching_rule(selection, "/private/x") == (False, "Disallow: /private/")


def test_examplebot_does_not_select_examplebot_news_group():
    selection = select_group(SUBSTRING_TRAP, "ExampleBot")
    assert selection.matched == "*"
    assert texts(selection) == ["Disallow: /private/"]


def test_token_match_is_case_insensitive():
    selection = select_group("user-AGENT: EXAMPLEBOT\ndisallow: /x\n", "examplebot")
    assert selection.matched == "token"
    assert matching_rule(selection, "/x/y") == (False, "disallow: /x")


def test_versioned_user_agent_value_matches_product_token():
    text = "User-agent: ExampleBot/1.0\nDisallow: /v1\n\nUser-agent: *\nDisallow: /\n"
    selection = select_group(text, "ExampleBot")
    assert selection.matched == "token"
    assert matching_rule(selection, "/v1/a")[0] is False
    assert matching_rule(selection, "/other")[0] is True


def test_our_token_given_with_version_still_matches():
    selection = select_group("User-agent: examplebot\nDisallow: /a\n", "ExampleBot/2.3")
    assert selection.matched == "token"


def test_wildcard_suffix_on_user_agent_value_still_binds_us():
    selection = select_group("User-agent: ExampleBot*\nDisallow: /\n", "ExampleBot")
    assert selection.matched == "token"
    assert matching_rule(selection, "/a")[0] is False


def test_all_groups_naming_our_token_combine():
    text = """\
User-agent: ExampleBot
Disallow: /a

User-agent: other
Disallow: /b

User-agent: examplebot
Disallow: /c
"""
    selection = select_group(text, "ExampleBot")
    assert texts(selection) == ["Disallow: /a", "Disallow: /c"]
    assert [n for n, _ in selection.lines] == [2, 8]


def test_all_star_groups_combine_when_no_group_names_us():
    text = (
        "User-agent: *\nDisallow: /a\n\n"
        "User-agent: other\nDisallow: /\n\n"
        "User-agent: *\nDisallow: /b\n"
    )
    selection = select_group(text, "ExampleBot")
    assert selection.matched == "*"
    assert texts(selection) == ["Disallow: /a", "Disallow: /b"]


def test_no_matching_group_means_no_restrictions():
    selection = select_group("User-agent: GPTBot\nDisallow: /\n", "ExampleBot")
    assert selection.matched == "none"
    assert selection.lines == ()
    assert matching_rule(selection, "/anything") == (True, None)
    assert Protego.parse(selection.text).can_fetch("https://e.com/anything", "x")


def test_consecutive_user_agent_lines_share_one_group():
    text = "User-agent: a\nUser-agent: ExampleBot\nUser-agent: b\nDisallow: /shared\n"
    selection = select_group(text, "ExampleBot")
    assert texts(selection) == ["Disallow: /shared"]


def test_user_agent_after_a_rule_starts_a_new_group():
    text = "User-agent: ExampleBot\nDisallow: /mine\nUser-agent: other\nDisallow: /theirs\n"
    assert texts(select_group(text, "ExampleBot")) == ["Disallow: /mine"]


def test_user_agent_after_crawl_delay_starts_a_new_group():
    text = "User-agent: ExampleBot\nCrawl-delay: 4\nUser-agent: other\nDisallow: /theirs\n"
    assert texts(select_group(text, "ExampleBot")) == ["Crawl-delay: 4"]


def test_empty_disallow_still_closes_the_group():
    text = "User-agent: ExampleBot\nDisallow:\nUser-agent: other\nDisallow: /\n"
    selection = select_group(text, "ExampleBot")
    assert texts(selection) == ["Disallow:"]
    assert matching_rule(selection, "/page") == (True, None)


def test_sitemap_lines_are_not_group_members_and_do_not_split_groups():
    text = """\
User-agent: a
Sitemap: https://e.com/s1.xml
User-agent: ExampleBot
Disallow: /x
Sitemap: https://e.com/s2.xml
"""
    selection = select_group(text, "ExampleBot")
    assert texts(selection) == ["Disallow: /x"]
    assert texts(select_group(text, "a")) == ["Disallow: /x"]
    assert sitemaps(text) == ["https://e.com/s1.xml", "https://e.com/s2.xml"]


def test_other_member_lines_are_kept_in_lines_and_text():
    text = """\
User-agent: *
Crawl-delay: 2
Request-rate: 1/5s
Content-Usage: / train-ai=n
Content-Signal: search=yes, ai-train=no
X-Unknown-Thing: whatever
Disallow: /tmp
"""
    selection = select_group(text, "ExampleBot")
    assert len(selection.lines) == 6
    for raw in texts(selection):
        assert raw in selection.text
    assert selection.text.startswith("User-agent: *\n")


def test_lines_before_any_user_agent_are_global_not_members():
    text = "Content-Usage: / train-ai=n\nDisallow: /ignored\nUser-agent: *\nDisallow: /x\n"
    selection = select_group(text, "ExampleBot")
    assert texts(selection) == ["Disallow: /x"]
    assert selection.global_lines == (
        (1, "Content-Usage: / train-ai=n"),
        (2, "Disallow: /ignored"),
    )
    assert matching_rule(selection, "/ignored")[0] is True


def test_bom_crlf_comments_and_odd_spacing_are_handled():
    text = (
        "\ufeffUser-Agent :   ExampleBot   # our crawler\r\n"
        "# a full-line comment\r\n"
        "   DISALLOW   :    /secret   # why\r\n"
        "\r\n"
        "Allow:/secret/public\r\n"
    )
    selection = select_group(text, "examplebot")
    assert selection.matched == "token"
    assert matching_rule(selection, "/secret/a") == (False, "   DISALLOW   :    /secret   # why")
    assert matching_rule(selection, "/secret/public/b")[0] is True


def test_old_mac_cr_line_endings_are_handled():
    selection = select_group("User-agent: ExampleBot\rDisallow: /cr\r", "ExampleBot")
    assert matching_rule(selection, "/cr/x")[0] is False


def test_lines_without_colon_are_read_like_protego():
    selection = select_group("User-agent ExampleBot\nDisallow /nocolon\n", "ExampleBot")
    assert selection.matched == "token"
    assert matching_rule(selection, "/nocolon/1") == (False, "Disallow /nocolon")


def test_common_disallow_typo_is_honoured_as_protego_does():
    selection = select_group("User-agent: *\nDissallow: /typo\n", "ExampleBot")
    assert matching_rule(selection, "/typo")[0] is False


def test_garbage_lines_never_allow_anything():
    text = "User-agent: *\nDisallow: /\nthis is not a rule\n:::\nAllow\n@@@: /x\n"
    selection = select_group(text, "ExampleBot")
    assert matching_rule(selection, "/x")[0] is False


def test_bytes_input_is_decoded():
    selection = select_group(b"User-agent: *\nDisallow: /caf\xc3\xa9\n", "ExampleBot")
    assert matching_rule(selection, "/caf%C3%A9/menu")[0] is False


def test_split_directive_reads_fields_case_insensitively():
    assert split_directive("  USER AGENT  foo ") == ("user agent", "foo")
    assert split_directive("Content-Usage:/ train-ai=n") == ("content-usage", "/ train-ai=n")
    assert split_directive("# only a comment") is None
    assert split_directive("just words") is None


# --- rule matching (RFC 9309 §2.2.2) ------------------------------------------------------------


def test_longest_match_wins():
    selection = select_group("User-agent: *\nAllow: /a\nDisallow: /a/b\n", "x")
    assert matching_rule(selection, "/a/b/c") == (False, "Disallow: /a/b")
    assert matching_rule(selection, "/a/c") == (True, "Allow: /a")


def test_allow_wins_a_tie():
    selection = select_group("User-agent: *\nDisallow: /page\nAllow: /page\n", "x")
    assert matching_rule(selection, "/page") == (True, "Allow: /page")


def test_star_wildcard_and_dollar_anchor():
    text = "User-agent: *\nDisallow: /*.pdf$\nDisallow: /*/print\nAllow: /docs/*.pdf$\n"
    selection = select_group(text, "x")
    assert matching_rule(selection, "/files/a.pdf") == (False, "Disallow: /*.pdf$")
    assert matching_rule(selection, "/files/a.pdf?x=1")[0] is True
    assert matching_rule(selection, "/docs/a.pdf") == (True, "Allow: /docs/*.pdf$")
    assert matching_rule(selection, "/news/print/1") == (False, "Disallow: /*/print")


def test_percent_encoding_is_normalised_on_both_sides():
    text = "User-agent: *\nDisallow: /caf%C3%A9\nDisallow: /%7Euser\nDisallow: /a%2Fb\n"
    selection = select_group(text, "x")
    assert matching_rule(selection, "/café/x")[0] is False
    assert matching_rule(selection, "/~user/x")[0] is False
    assert matching_rule(selection, "/a%2fb")[0] is False
    # "%2F" is not a path separator: /a/b is a different path from /a%2Fb.
    assert matching_rule(selection, "/a/b")[0] is True


def test_robots_txt_is_always_allowed():
    selection = select_group("User-agent: *\nDisallow: /\n", "x")
    assert matching_rule(selection, "/robots.txt") == (True, None)
    assert matching_rule(selection, "https://e.com/robots.txt") == (True, None)
    assert matching_rule(selection, "/robots.txt.bak")[0] is False


def test_full_urls_are_matched_on_path_and_query():
    selection = select_group("User-agent: *\nDisallow: /search?q=\n", "x")
    assert matching_rule(selection, "https://e.com/search?q=cats#top")[0] is False
    assert matching_rule(selection, "https://e.com/search")[0] is True


def test_no_matching_rule_means_allowed_with_no_line():
    selection = select_group("User-agent: *\nDisallow: /private\n", "x")
    assert matching_rule(selection, "/public") == (True, None)


def test_match_length_counts_the_normalised_pattern():
    assert match_length("/a", "/a/b") == 2
    assert match_length("/caf%c3%a9", "/café") == len("/caf%C3%A9")
    assert match_length("/b", "/a") is None
    # The query separator is escaped on both sides, as Protego compares.
    assert normalize_path("https://e.com/x y?z=1#f") == "/x%20y%3Fz=1"


# --- crawl-delay, request-rate, sitemaps --------------------------------------------------------


def test_crawl_delay_takes_the_largest_of_combined_groups():
    text = "User-agent: *\nCrawl-delay: 2\n\nUser-agent: *\nCrawl-delay: 7.5\nCrawl-delay: bad\n"
    assert crawl_delay(select_group(text, "x")) == 7.5


def test_crawl_delay_is_none_without_a_valid_value():
    assert crawl_delay(select_group("User-agent: *\nCrawl-delay: soon\n", "x")) is None
    assert crawl_delay(select_group("User-agent: *\nCrawl-delay: -3\n", "x")) is None


def test_request_rate_gives_seconds_between_requests():
    assert request_rate(select_group("User-agent: *\nRequest-rate: 1/10s\n", "x")) == 10.0
    assert request_rate(select_group("User-agent: *\nRequest-rate: 3/1m\n", "x")) == 20.0
    assert request_rate(select_group("User-agent: *\nRequest-rate: 1/0\n", "x")) is None
    assert request_rate(select_group("User-agent: *\nRequest-rate: lots\n", "x")) is None


def test_request_rate_of_another_group_does_not_apply():
    text = "User-agent: other\nRequest-rate: 1/60s\n\nUser-agent: *\nDisallow:\n"
    assert request_rate(select_group(text, "ExampleBot")) is None


def test_sitemaps_are_deduplicated_in_order():
    text = (
        "Sitemap: https://e.com/a.xml\nsitemap: https://e.com/b.xml\nSitemap: https://e.com/a.xml\n"
    )
    assert sitemaps(text) == ["https://e.com/a.xml", "https://e.com/b.xml"]


# --- AI-token opt-outs --------------------------------------------------------------------------

AI_ROBOTS = """\
User-agent: GPTBot
Disallow: /

User-agent: CCBot
Disallow: /articles/
Allow: /articles/free/

User-agent: ChatGPT-User
Disallow: /

User-agent: *
Allow: /
"""


def test_ai_bot_with_its_own_disallow_group_is_an_optout():
    found = ai_token_optouts(AI_ROBOTS, "/articles/1", "ExampleBot")
    assert [s.detail["token"] for s in found] == ["GPTBot", "CCBot"]
    assert all(s.code == "ai-optout-ai-bot-disallow" for s in found)
    assert "GPTBot" in found[0].evidence and "Disallow: /" in found[0].evidence
    assert found[1].detail["rule"] == "Disallow: /articles/"
    assert found[1].detail["line"] == "5"


def test_ai_bot_allowed_on_the_path_is_no_optout():
    found = ai_token_optouts(AI_ROBOTS, "/articles/free/1", "ExampleBot")
    assert [s.detail["token"] for s in found] == ["GPTBot"]


def test_live_fetch_agents_are_not_training_optouts():
    assert "ChatGPT-User" not in KNOWN_AI_TOKENS
    found = ai_token_optouts("User-agent: ChatGPT-User\nDisallow: /\n", "/a", "ExampleBot")
    assert found == []


def test_star_group_disallow_is_not_an_ai_optout():
    assert ai_token_optouts("User-agent: *\nDisallow: /x\n", "/y", "ExampleBot") == []


def test_ai_optout_not_reported_when_our_own_group_disallows():
    text = AI_ROBOTS + "\nUser-agent: ExampleBot\nDisallow: /articles/\n"
    assert ai_token_optouts(text, "/articles/1", "ExampleBot") == []


def test_ai_optout_ignores_substring_tokens():
    text = "User-agent: GPTBot-Lite\nDisallow: /\n\nUser-agent: MyGPTBot\nDisallow: /\n"
    assert ai_token_optouts(text, "/a", "ExampleBot") == []


def test_our_own_token_is_not_reported_as_someone_elses_optout():
    text = "User-agent: CCBot\nDisallow: /\n"
    assert ai_token_optouts(text, "/a", "CCBot") == []


# --- equivalence with Protego -------------------------------------------------------------------

_PIECES = st.sampled_from(
    ["a", "b", "/", "*", "$", "%", "%2F", "%2f", "%41", "%25", "%24", "%E9", "é", "?", "=", ".",
     "~", "-", " ", "index.html", "%zz", "x y"]
)  # fmt: skip
_PATTERN = st.lists(_PIECES, max_size=8).map("".join)
_RULE = st.tuples(
    st.sampled_from(["Allow", "Disallow", "allow", "DISALLOW", "Dissallow", "Disallow "]),
    st.sampled_from([": ", ":", " ", " : "]),
    _PATTERN,
    st.sampled_from(["", " # comment", "\t"]),
).map("".join)
_LINE = st.one_of(
    _RULE,
    _RULE,
    _RULE,
    st.sampled_from(["Crawl-delay: 3", "Sitemap: https://e.com/s.xml", "junk", "Content-Usage: /"]),
)
_PATH = st.one_of(
    _PATTERN.map(lambda p: "/" + p),
    _PATTERN.map(lambda p: "https://e.com/" + p),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, max_size=10), _PATH, st.sampled_from(["*", "ExampleBot"]))
def test_verdict_equals_protego_can_fetch_on_the_selection(lines, path, group_agent):
    text = f"User-agent: {group_agent}\n" + "\n".join(lines) + "\n"
    selection = select_group(text, "ExampleBot")
    allowed, rule = matching_rule(selection, path)
    assert allowed == Protego.parse(selection.text).can_fetch(path, "ExampleBot")
    if rule is not None:
        assert rule in lines


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, max_size=6), st.lists(_LINE, max_size=6), _PATH)
def test_selection_applies_the_same_rules_protego_gives_a_star_only_file(ours, theirs, path):
    # With only `*` groups and one other crawler's group, Protego on the whole file and Protego
    # on our selection must agree: the selection neither drops nor invents a rule.
    text = (
        "User-agent: *\n" + "\n".join(ours) + "\nUser-agent: otherbot\n" + "\n".join(theirs) + "\n"
    )
    selection = select_group(text, "ExampleBot")
    whole = Protego.parse(text).can_fetch(path, "ExampleBot")
    assert matching_rule(selection, path)[0] == whole
