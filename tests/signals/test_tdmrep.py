"""W3C TDMRep: headers, meta tags, /.well-known/tdmrep.json."""

from __future__ import annotations

import json

import pytest

from crawler.signals.tdmrep import (
    TdmRepFile,
    declaration_from_headers,
    declaration_from_html_meta,
    from_headers,
    from_html_meta,
    parse_tdmrep_json,
    resolve,
)

# --- headers ------------------------------------------------------------------------------------


def test_reservation_header_is_an_optout_with_policy():
    signal = from_headers(
        {"TDM-Reservation": "1", "TDM-Policy": "https://provider.com/policies/policy.json"}
    )
    assert signal is not None
    assert signal.code == "ai-optout-tdmrep"
    assert signal.source == "header:tdm-reservation"
    assert signal.detail["policy"] == "https://provider.com/policies/policy.json"
    assert "tdm-reservation: 1" in signal.evidence


def test_reservation_zero_is_not_an_optout():
    assert from_headers({"tdm-reservation": "0", "tdm-policy": "https://p/x"}) is None
    declaration = declaration_from_headers({"tdm-reservation": "0"})
    assert declaration is not None and declaration.reserved is False


@pytest.mark.parametrize("value", ["2", "yes", "", "1.0", "true", "01", "-1"])
def test_other_header_values_are_unset(value):
    assert declaration_from_headers({"tdm-reservation": value}) is None


def test_repeated_headers_keep_a_reservation():
    assert from_headers({"tdm-reservation": "0, 1"}) is not None
    assert from_headers({"tdm-reservation": "1, junk"}) is not None
    assert declaration_from_headers({"tdm-reservation": "0, junk"}) is None
    assert from_headers({b"tdm-reservation": [b"1", b"1"]}) is not None


def test_no_header_is_unset():
    assert declaration_from_headers({"content-type": "text/html"}) is None
    assert from_headers({}) is None


def test_policy_without_reservation_is_ignored():
    assert declaration_from_headers({"tdm-policy": "https://p/x"}) is None


# --- HTML meta ----------------------------------------------------------------------------------

META_PAGE = """<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="tdm-reservation" content="1">
    <meta name="tdm-policy" content="https://provider.com/policies/policy.json">
    <title>Document title</title>
  </head>
  <body>...</body>
</html>"""


def test_meta_tags_reserve_rights():
    signal = from_html_meta(META_PAGE)
    assert signal is not None
    assert signal.source == "meta:tdm-reservation"
    assert signal.evidence == '<meta name="tdm-reservation" content="1">'
    assert signal.detail["policy"] == "https://provider.com/policies/policy.json"


def test_meta_names_are_case_insensitive_and_quotes_optional():
    assert from_html_meta("<META NAME=TDM-Reservation CONTENT=1>") is not None


def test_meta_zero_is_not_an_optout():
    assert from_html_meta('<meta name="tdm-reservation" content="0">') is None
    assert declaration_from_html_meta('<meta name="tdm-reservation" content="0">') is not None


def test_commented_out_meta_is_ignored():
    assert from_html_meta('<!-- <meta name="tdm-reservation" content="1"> -->') is None


def test_meta_inside_script_text_is_ignored():
    html = '<script>var s = \'<meta name="tdm-reservation" content="1">\';</script>'
    assert from_html_meta(html) is None


@pytest.mark.parametrize("html", ["", "<<<>>>", "\x00\xff", "<meta", "<meta name=", None])
def test_garbage_html_is_unset(html):
    assert from_html_meta(html) is None


# --- /.well-known/tdmrep.json -------------------------------------------------------------------

SPEC_EXAMPLE = json.dumps(
    [
        {"location": "/directory-a/", "tdm-reservation": 1},
        {
            "location": "/directory-b/html/",
            "tdm-reservation": 1,
            "tdm-policy": "https://provider.com/policies/policy.json",
        },
        {"location": "/directory-b/images/*.jpg", "tdm-reservation": 0},
    ]
).encode()


def test_spec_example_file():
    parsed = parse_tdmrep_json(SPEC_EXAMPLE)
    assert isinstance(parsed, TdmRepFile)
    signal = parsed.match("/directory-a/report.pdf")
    assert signal is not None and signal.source == "tdmrep.json"
    assert signal.detail["location"] == "/directory-a/"
    assert "policy" not in signal.detail
    html = parsed.match("/directory-b/html/page.html")
    assert html is not None
    assert html.detail["policy"] == "https://provider.com/policies/policy.json"
    assert parsed.match("/directory-b/images/cat.jpg") is None
    assert parsed.declaration("/directory-b/images/cat.jpg").reserved is False  # type: ignore[union-attr]
    assert parsed.declaration("/elsewhere") is None


def test_first_matching_rule_wins_even_if_less_specific():
    body = b'[{"location": "/", "tdm-reservation": 0}, {"location": "/a/", "tdm-reservation": 1}]'
    parsed = parse_tdmrep_json(body)
    assert parsed is not None and parsed.match("/a/x") is None


def test_whole_site_optout():
    parsed = parse_tdmrep_json(b'[{"location": "/", "tdm-reservation": 1}]')
    assert parsed is not None and parsed.match("https://e.com/any/thing?x=1") is not None


def test_matching_is_case_sensitive():
    parsed = parse_tdmrep_json(b'[{"location": "/Private/", "tdm-reservation": 1}]')
    assert parsed is not None and parsed.match("/private/x") is None


def test_dollar_anchor_in_location():
    parsed = parse_tdmrep_json(b'[{"location": "/exact$", "tdm-reservation": 1}]')
    assert parsed is not None
    assert parsed.match("/exact") is not None
    assert parsed.match("/exact/more") is None


def test_absolute_url_location_matches_its_path():
    parsed = parse_tdmrep_json(b'[{"location": "https://e.com/news/", "tdm-reservation": 1}]')
    assert parsed is not None and parsed.match("/news/1") is not None


def test_malformed_rule_is_skipped_so_a_later_reservation_still_applies():
    body = (
        b'[{"location": "/", "tdm-reservation": 2},'
        b' {"location": "/", "tdm-reservation": "maybe"},'
        b' {"tdm-reservation": 0},'
        b' "junk",'
        b' {"location": "/", "tdm-reservation": 1}]'
    )
    parsed = parse_tdmrep_json(body)
    assert parsed is not None
    assert parsed.skipped == 4
    assert parsed.match("/x") is not None


def test_quoted_one_reserves_but_quoted_zero_does_not_lift():
    parsed = parse_tdmrep_json(
        b'[{"location": "/a", "tdm-reservation": "0"}, {"location": "/", "tdm-reservation": "1"}]'
    )
    assert parsed is not None and parsed.match("/a") is not None


def test_boolean_reservation_is_malformed():
    parsed = parse_tdmrep_json(b'[{"location": "/", "tdm-reservation": true}]')
    assert parsed is not None and parsed.rules == ()


def test_keys_are_read_case_insensitively_and_bom_is_accepted():
    parsed = parse_tdmrep_json(b'\xef\xbb\xbf[{"Location": "/", "TDM-Reservation": 1}]')
    assert parsed is not None and parsed.match("/") is not None


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b'{"location": "/", "tdm-reservation": 1}',  # an object, not an array
        b"[" * 100_000,
        b"<html>404</html>",
        b"null",
        b'[{"location": "/", "tdm-reservation": 1}',
    ],
)
def test_unparseable_file_is_none(body):
    assert parse_tdmrep_json(body) is None


def test_empty_array_reserves_nothing():
    parsed = parse_tdmrep_json(b"[]")
    assert parsed is not None and parsed.match("/") is None


# --- processing priority ------------------------------------------------------------------------


def test_later_technique_supersedes_earlier_one():
    file_decl = parse_tdmrep_json(b'[{"location": "/", "tdm-reservation": 1}]').declaration("/")  # type: ignore[union-attr]
    header_decl = declaration_from_headers({"tdm-reservation": "0"})
    meta_decl = declaration_from_html_meta('<meta name="tdm-reservation" content="1">')
    assert resolve(file_decl, header_decl, None).reserved is False  # type: ignore[union-attr]
    assert resolve(file_decl, header_decl, meta_decl).reserved is True  # type: ignore[union-attr]
    assert resolve(file_decl, None, None) is file_decl
    assert resolve(None, None, None) is None
