"""X-Robots-Tag headers and robots meta tags, and the noai opt-outs they carry."""

from __future__ import annotations

from crawler.signals.xrobots import (
    Directives,
    ai_optouts,
    directives_for,
    is_ai_optout,
    nofollow,
    noindex,
)


def test_generic_header_directives_apply():
    d = directives_for("ExampleBot", ["noindex, nofollow"], None)
    assert {"noindex", "nofollow"} <= d.directives
    assert d.evidence["noindex"] == ("header:X-Robots-Tag", "X-Robots-Tag: noindex, nofollow")


def test_our_prefixed_directives_apply():
    d = directives_for("ExampleBot", ["ExampleBot: noai"], None)
    signal = is_ai_optout(d)
    assert signal is not None
    assert signal.code == "ai-optout-noai"
    assert signal.source == "header:X-Robots-Tag"
    assert signal.evidence == "X-Robots-Tag: ExampleBot: noai"


def test_other_bots_prefixed_directives_are_ignored():
    d = directives_for("ExampleBot", ["googlebot: noindex, nofollow", "otherbot: noai"], None)
    assert d.directives == frozenset()
    assert noindex(d) is None


def test_bot_prefix_carries_to_following_directives_in_the_same_value():
    d = directives_for("ExampleBot", ["googlebot: nofollow, examplebot: noindex, noarchive"], None)
    assert d.directives == frozenset({"noindex", "noarchive"})


def test_mixed_generic_and_prefixed_in_one_value():
    d = directives_for("ExampleBot", ["noimageindex, googlebot: noindex"], None)
    assert d.directives == frozenset({"noimageindex"})


def test_several_header_lines_are_all_read():
    d = directives_for("ExampleBot", ["noarchive", "noindex"], None)
    assert {"noarchive", "noindex"} <= d.directives


def test_none_means_noindex_and_nofollow():
    d = directives_for("ExampleBot", ["none"], None)
    signal = noindex(d)
    assert signal is not None and signal.code == "robots-noindex"
    assert signal.detail["directive"] == "none"
    assert nofollow(d) is True


def test_nofollow_alone_does_not_noindex():
    d = directives_for("ExampleBot", ["nofollow"], None)
    assert nofollow(d) is True
    assert noindex(d) is None


def test_unavailable_after_keeps_its_date_with_comma():
    d = directives_for(
        "ExampleBot", ["unavailable_after: Wednesday, 25-Jun-2025 15:00:00 GMT, noarchive"], None
    )
    assert d.values["unavailable_after"] == "Wednesday, 25-Jun-2025 15:00:00 GMT"
    assert "noarchive" in d.directives
    assert noindex(d) is None  # kept, not acted on


def test_unavailable_after_iso_date():
    d = directives_for("ExampleBot", ["unavailable_after: 2025-06-25"], None)
    assert d.values["unavailable_after"] == "2025-06-25"


def test_value_directives():
    d = directives_for("ExampleBot", ["max-snippet: 0, max-image-preview:none"], None)
    assert d.values == {"max-snippet": "0", "max-image-preview": "none"}


def test_meta_robots_and_meta_for_our_token():
    html = """<html><head>
    <meta name="robots" content="noindex">
    <meta name="ExampleBot" content="noai, noimageai">
    <meta name="googlebot" content="nofollow">
    </head><body></body></html>"""
    d = directives_for("examplebot", [], html)
    assert d.directives == frozenset({"noindex", "noai", "noimageai"})
    assert d.evidence["noindex"] == ("meta:robots", '<meta name="robots" content="noindex">')
    assert d.evidence["noai"][0] == "meta:examplebot"


def test_noai_and_noimageai_are_reported_separately():
    d = directives_for("ExampleBot", [], '<meta name="robots" content="noai, noimageai">')
    assert [s.code for s in ai_optouts(d)] == ["ai-optout-noai", "ai-optout-noimageai"]


def test_noimageai_alone_is_its_own_code():
    d = directives_for("ExampleBot", ["noimageai"], None)
    signal = is_ai_optout(d)
    assert signal is not None and signal.code == "ai-optout-noimageai"


def test_directives_are_lower_cased():
    d = directives_for("ExampleBot", ["NoIndex, NOAI"], '<meta name="ROBOTS" content="NoFollow">')
    assert {"noindex", "noai", "nofollow"} <= d.directives


def test_space_separated_directives_are_still_read():
    d = directives_for("ExampleBot", [], '<meta name="robots" content="noindex nofollow">')
    assert {"noindex", "nofollow"} <= d.directives


def test_garbled_directive_with_colon_is_not_taken_for_a_bot_name():
    d = directives_for("ExampleBot", ["noindex: true"], None)
    assert "noindex" in d.directives


def test_commented_meta_is_ignored():
    d = directives_for("ExampleBot", [], '<!-- <meta name="robots" content="noindex"> -->')
    assert d.directives == frozenset()


def test_single_string_and_bytes_headers_are_accepted():
    assert "noindex" in directives_for("ExampleBot", "noindex", None).directives
    assert "noai" in directives_for("ExampleBot", [b"noai"], None).directives


def test_nothing_at_all():
    d = directives_for("ExampleBot", None, None)
    assert d == Directives()
    assert is_ai_optout(d) is None
    assert noindex(d) is None
    assert nofollow(d) is False
