"""The RFC 9651 Dictionary behind AI preferences: our use of http-sf (`aipref.parse_dictionary`)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from http_sf import DisplayString, Token

from crawler.signals.aipref import parse_dictionary, parse_usage_preferences


def values(text: str | bytes) -> dict[str, object] | None:
    parsed = parse_dictionary(text)
    return None if parsed is None else {k: m[0] for k, m in parsed.items()}  # type: ignore[index]


def test_tokens_strings_numbers_booleans():
    assert values('a=tok, b="str", c=12, d=-1.5, e=?0, f, g=:AQID:') == {
        "a": "tok",
        "b": "str",
        "c": 12,
        "d": Decimal("-1.5"),
        "e": False,
        "f": True,
        "g": b"\x01\x02\x03",  # decoded, RFC 9651 §4.2.7
    }


def test_token_and_string_are_told_apart():
    parsed = parse_dictionary('a=y, b="y"')
    assert parsed is not None
    assert isinstance(parsed["a"][0], Token)
    assert isinstance(parsed["b"][0], str)
    assert parse_usage_preferences('a=y, b="y"') == {"a": True}  # a String is no permission


def test_inner_lists_and_parameters():
    parsed = parse_dictionary("a=(x y);p=1, b=z;q;r=?1")
    assert parsed is not None
    inner, params = parsed["a"]
    assert [str(item) for item, _ in inner] == ["x", "y"]
    assert params == {"p": 1}
    assert parsed["b"][1] == {"q": True, "r": True}


def test_optional_whitespace_around_commas_and_edges():
    assert values("  a=1 ,\tb=2  ") == {"a": 1, "b": 2}


def test_tabs_around_the_whole_value_are_stripped():
    # HTTP trims OWS around a field value; http-sf alone would refuse a leading HTAB.
    assert values("\ta=1\t") == {"a": 1}


def test_bytes_are_decoded_first():
    assert values(b"a=1, b=tok") == {"a": 1, "b": "tok"}


def test_duplicate_key_keeps_last_value():
    assert values("a=1, a=2") == {"a": 2}


def test_duplicate_key_keeps_its_first_place():
    # RFC 9651 §4.2.2: the existing value is overwritten, so the key keeps its position.
    parsed = parse_dictionary("a=1, b=2, a=3")
    assert parsed is not None
    assert list(parsed) == ["a", "b"]


def test_escapes_in_strings():
    assert values(r'a="q\"b\\c"') == {"a": 'q"b\\c'}


def test_dates_and_display_strings():
    parsed = values('a=@1700000000, b=%"caf%c3%a9"')
    assert parsed == {"a": datetime.fromtimestamp(1700000000, UTC), "b": "café"}
    assert isinstance(parsed["b"], DisplayString)


def test_display_string_refusal_is_read():
    assert parse_usage_preferences('train-ai=%"n"') == {"train-ai": False}


@pytest.mark.parametrize(
    "text",
    [
        "A=1",
        "a=1,",
        "a=1,,b=2",
        "a = 1",
        "a=1 b=2",
        'a="unterminated',
        r'a="bad\escape"',
        "a=(x",
        "a=(x)y",
        "a=1234567890123456",
        "a=1.2345",
        "a=1.",
        "a=?2",
        "a=:not base64!:",
        "a=@1.5",
        'a=%"%C3"',
        "a=é",
        "a=1;",
        "1a=1",
        "a=\x00",
        "a=\ud800",
        b"a=\xff",
    ],
)
def test_syntax_errors_are_none(text):
    assert parse_dictionary(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "a=:A:",  # cannot be decoded as base64 (RFC 9651 §4.2.7)
        "a=:A=B:",
        "a=@999999999999999",  # a valid Date, but past what http-sf can represent (year 9999)
        "train-ai=y, a=:A:",  # one bad member fails the whole field: no permission survives
    ],
)
def test_values_http_sf_refuses_fail_the_whole_field(text):
    assert parse_dictionary(text) is None
    assert parse_usage_preferences(text) is None


def test_empty_field_is_an_empty_dictionary():
    assert parse_dictionary("") == {}
    assert parse_dictionary(" \t ") == {}
