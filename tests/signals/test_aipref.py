"""AIPREF Content-Usage, Cloudflare Content-Signal and RSL licence pointers."""

from __future__ import annotations

import pytest

from crawler.signals.aipref import (
    USAGES,
    content_signal_from_robots,
    content_usage_from_header,
    content_usage_from_robots,
    parse_content_signal,
    parse_usage_preferences,
    rsl_from_link_header,
    rsl_licences,
    salvage_refusals,
    usage_denied,
)
from crawler.signals.robots_groups import select_group

# --- parsing the preference vocabulary ----------------------------------------------------------


def test_parses_y_and_n_tokens():
    assert parse_usage_preferences("train-ai=y, search=n") == {"train-ai": True, "search": False}


def test_unknown_keys_are_kept_but_harmless():
    prefs = parse_usage_preferences("future-use=n, train-ai=y")
    assert prefs == {"future-use": False, "train-ai": True}
    assert usage_denied(prefs, "train-ai") is None


def test_values_other_than_y_or_n_are_unknown():
    assert parse_usage_preferences('train-ai=maybe, search="y", ai-use=?1, all=1') == {}


def test_quoted_or_spelled_out_no_still_refuses():
    assert parse_usage_preferences('train-ai="n", search=no') == {
        "train-ai": False,
        "search": False,
    }


def test_spelled_out_yes_is_not_an_aipref_permission():
    assert parse_usage_preferences("train-ai=yes") == {}


def test_last_duplicate_key_wins_as_rfc_9651_says():
    assert parse_usage_preferences("train-ai=n, train-ai=y") == {"train-ai": True}


def test_parameters_are_ignored():
    assert parse_usage_preferences("train-ai=n;until=2030, search=y;x") == {
        "train-ai": False,
        "search": True,
    }


@pytest.mark.parametrize(
    "value",
    [
        "Train-AI=n",  # keys are lower case only
        "train-ai = n",  # no spaces around "="
        "train-ai=n,",  # trailing comma
        "train-ai=n;",  # empty parameter
        "=n",
        "train-ai=n search=y",
        'train-ai="n',
        "train-ai=(n",
        "trâin-ai=n",
    ],
)
def test_malformed_expressions_are_none(value):
    assert parse_usage_preferences(value) is None


def test_empty_expression_states_nothing():
    assert parse_usage_preferences("") == {}


def test_content_signal_uses_yes_and_no():
    assert parse_content_signal("search=yes, ai-train=no, ai-input=no") == {
        "search": True,
        "ai-train": False,
        "ai-input": False,
    }
    assert parse_content_signal("search=y") == {}


def test_salvage_never_returns_a_permission():
    assert salvage_refusals("Train-AI = n, Search = Y, ai-input: no") == {
        "train-ai": False,
        "ai-input": False,
    }


# --- the vocabulary hierarchy -------------------------------------------------------------------


def test_train_ai_refusal_denies_genai_training():
    assert usage_denied({"train-ai": False}, "train-genai") == "train-ai"


def test_genai_refusal_denies_training_that_may_be_generative():
    assert usage_denied({"train-genai": False}, "train-ai") == "train-genai"


def test_specific_permission_beats_general_refusal():
    assert usage_denied({"train-ai": False, "train-genai": True}, "train-genai") is None


def test_automated_processing_refusal_denies_every_use():
    for usage in USAGES:
        assert usage_denied({"all": False}, usage) == "all"


def test_search_permission_is_not_touched_by_training_refusal():
    assert usage_denied({"train-ai": False, "search": True}, "search") is None


def test_cloudflare_ai_train_maps_to_train_ai():
    assert usage_denied({"ai-train": False}, "train-ai") == "ai-train"
    assert usage_denied({"ai-train": False}, "train-genai") == "ai-train"


def test_ai_input_and_ai_use_are_one_category():
    assert usage_denied({"ai-input": False}, "ai-use") == "ai-input"
    assert usage_denied({"ai-use": False}, "ai-input") == "ai-use"
    assert usage_denied({"ai-use": False}, "search") is None


def test_unknown_usage_is_denied_by_any_refusal():
    assert usage_denied({"search": False}, "something-new") == "search"
    assert usage_denied({"search": True}, "something-new") is None


def test_nothing_said_denies_nothing():
    assert usage_denied({}, "train-ai") is None


# --- Content-Usage in robots.txt ----------------------------------------------------------------

DRAFT_EXAMPLE = """\
User-Agent: *
Allow: /
Disallow: /never/
Content-Usage: / train-ai=n
Content-Usage: /ai-ok/ train-ai=y

User-Agent: ExampleBot
Allow: /
Content-Usage: / train-ai=y
"""


def test_draft_example_table_for_other_crawlers():
    selection = select_group(DRAFT_EXAMPLE, "OtherBot")
    signal = content_usage_from_robots(selection, "/test", "train-ai")
    assert signal is not None
    assert signal.code == "ai-optout-content-usage"
    assert signal.source == "robots.txt"
    assert signal.evidence == "Content-Usage: / train-ai=n"
    assert signal.detail["key"] == "train-ai"
    assert content_usage_from_robots(selection, "/ai-ok/test", "train-ai") is None


def test_draft_example_examplebot_uses_its_own_group():
    selection = select_group(DRAFT_EXAMPLE, "ExampleBot")
    assert content_usage_from_robots(selection, "/test", "train-ai") is None


def test_rule_without_path_covers_the_whole_site():
    selection = select_group("User-agent: *\nContent-Usage: train-ai=n\n", "x")
    assert content_usage_from_robots(selection, "/deep/page", "train-ai") is not None


def test_identical_paths_with_conflicting_preferences_refuse():
    text = "User-agent: *\nContent-Usage: /a train-ai=y\nContent-Usage: /a train-ai=n\n"
    signal = content_usage_from_robots(select_group(text, "x"), "/a/1", "train-ai")
    assert signal is not None and signal.evidence == "Content-Usage: /a train-ai=n"


def test_malformed_longer_rule_does_not_override_a_refusal():
    text = "User-agent: *\nContent-Usage: / train-ai=n\nContent-Usage: /blog/ Train-AI=Y\n"
    signal = content_usage_from_robots(select_group(text, "x"), "/blog/post", "train-ai")
    assert signal is not None and signal.evidence == "Content-Usage: / train-ai=n"


def test_malformed_rule_still_refuses_what_it_clearly_refuses():
    text = "User-agent: *\nContent-Usage: / Train-AI = n\n"
    signal = content_usage_from_robots(select_group(text, "x"), "/p", "train-ai")
    assert signal is not None and signal.evidence == "Content-Usage: / Train-AI = n"


def test_wildcard_paths_and_tab_separator():
    text = "User-agent: *\nContent-Usage: /*.pdf$\ttrain-ai=n\n"
    selection = select_group(text, "x")
    assert content_usage_from_robots(selection, "/docs/a.pdf", "train-ai") is not None
    assert content_usage_from_robots(selection, "/docs/a.html", "train-ai") is None


def test_comment_ends_the_rule_value():
    text = "User-agent: *\nContent-Usage: / train-ai=n # no training please\n"
    assert content_usage_from_robots(select_group(text, "x"), "/p", "train-ai") is not None


def test_content_usage_in_another_crawlers_group_does_not_apply():
    text = "User-agent: OtherBot\nContent-Usage: / train-ai=n\n\nUser-agent: *\nAllow: /\n"
    assert content_usage_from_robots(select_group(text, "ExampleBot"), "/p", "train-ai") is None


def test_content_usage_before_any_group_binds_every_crawler():
    text = "Content-Usage: train-ai=n\n\nUser-agent: ExampleBot\nAllow: /\n"
    selection = select_group(text, "ExampleBot")
    assert content_usage_from_robots(selection, "/p", "train-ai") is not None
    # Given only the group's lines, the preamble is out of reach.
    assert content_usage_from_robots(selection.lines, "/p", "train-ai") is None


def test_without_usage_any_refusal_is_reported():
    text = "User-agent: *\nContent-Usage: / search=y, ai-use=n\n"
    signal = content_usage_from_robots(select_group(text, "x"), "/p")
    assert signal is not None and signal.detail["key"] == "ai-use"
    assert content_usage_from_robots(select_group(text, "x"), "/p", "search") is None


def test_content_usage_path_without_preference_is_ignored():
    text = "User-agent: *\nContent-Usage: / train-ai=n\nContent-Usage: /blog/\n"
    assert content_usage_from_robots(select_group(text, "x"), "/blog/1", "train-ai") is not None


# --- Content-Signal in robots.txt ---------------------------------------------------------------

CLOUDFLARE = """\
# As a condition of accessing this website, you agree to abide by the following content signals:
User-Agent: *
Content-Signal: search=yes, ai-train=no
Allow: /

User-agent: GPTBot
Disallow: /
"""


def test_cloudflare_managed_robots_refuses_training():
    selection = select_group(CLOUDFLARE, "ExampleBot")
    signal = content_signal_from_robots(selection, "/any", "train-ai")
    assert signal is not None
    assert signal.code == "ai-optout-content-signal"
    assert signal.evidence == "Content-Signal: search=yes, ai-train=no"
    assert signal.detail["key"] == "ai-train"
    assert content_signal_from_robots(selection, "/any", "search") is None
    # ai-input is not stated: unknown, not refused.
    assert content_signal_from_robots(selection, "/any", "ai-input") is None


def test_content_signal_is_scoped_to_our_group():
    text = CLOUDFLARE + "\nUser-agent: ExampleBot\nContent-Signal: ai-train=yes\nAllow: /\n"
    assert content_signal_from_robots(select_group(text, "ExampleBot"), "/a", "train-ai") is None


def test_content_signal_ai_input_refusal():
    text = "User-agent: *\nContent-signal: search=yes,ai-input=no\n"
    signal = content_signal_from_robots(select_group(text, "x"), "/", "ai-use")
    assert signal is not None and signal.detail["key"] == "ai-input"


def test_content_signal_and_content_usage_are_read_separately():
    text = "User-agent: *\nContent-Usage: train-ai=n\n"
    assert content_signal_from_robots(select_group(text, "x"), "/", "train-ai") is None


# --- Content-Usage header -----------------------------------------------------------------------


def test_header_refusal():
    signal = content_usage_from_header("train-ai=n", "train-genai")
    assert signal is not None
    assert signal.source == "header:Content-Usage"
    assert signal.evidence == "Content-Usage: train-ai=n"


def test_header_permission_is_no_signal():
    assert content_usage_from_header("train-ai=y", "train-ai") is None


def test_repeated_header_lines_form_one_dictionary():
    assert content_usage_from_header(["search=y", "train-ai=n"], "train-ai") is not None


def test_garbage_header_is_no_signal_and_no_error():
    assert content_usage_from_header("\x00\xff garbage ;;;", "train-ai") is None
    assert content_usage_from_header(b"\xff\xfe", "train-ai") is None


# --- RSL ----------------------------------------------------------------------------------------


def test_rsl_license_lines_anywhere_in_robots():
    text = "License: https://e.com/license.xml\nUser-agent: *\nAllow: /\nlicense: /rel.xml\n"
    found = rsl_licences(text)
    assert [s.detail["url"] for s in found] == ["https://e.com/license.xml", "/rel.xml"]
    assert [s.detail["absolute"] for s in found] == ["yes", "no"]
    assert all(s.code == "licence-rsl" for s in found)
    assert found[0].evidence == "License: https://e.com/license.xml"


def test_rsl_link_header():
    value = (
        '<https://e.com/a,b.xml>; rel="license"; type="application/rsl+xml", '
        "<https://e.com/next>; rel=next, "
        '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    )
    found = rsl_from_link_header(value)
    assert [s.detail["url"] for s in found] == ["https://e.com/a,b.xml"]
    assert found[0].source == "header:Link"


def test_rsl_link_header_rel_list_and_case():
    found = rsl_from_link_header(
        '<https://e.com/l.xml>; REL="alternate License"; Type=Application/RSL+XML'
    )
    assert len(found) == 1


def test_rsl_link_header_garbage():
    assert rsl_from_link_header('<<<>>>;;;,,, rel="license"') == []
    assert rsl_from_link_header(["", b"\xff"]) == []
