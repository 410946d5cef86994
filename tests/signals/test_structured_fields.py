"""The RFC 9651 Dictionary parser behind AI preferences."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crawler.signals._sf import Token, parse_dictionary


def values(text: str) -> dict[str, object] | None:
    parsed = parse_dictionary(text)
    return None if parsed is None else {k: m.value for k, m in parsed.items()}


def test_tokens_strings_numbers_booleans():
    assert values('a=tok, b="str", c=12, d=-1.5, e=?0, f, g=:AQID:') == {
        "a": "tok",
        "b": "str",
        "c": 12,
        "d": Decimal("-1.5"),
        "e": False,
        "f": True,
        "g": b"AQID",
    }


def test_token_and_string_are_told_apart():
    parsed = parse_dictionary('a=y, b="y"')
    assert parsed is not None
    assert isinstance(parsed["a"].value, Token)
    assert not isinstance(parsed["b"].value, Token)


def test_inner_lists_and_parameters():
    parsed = parse_dictionary("a=(x y);p=1, b=z;q;r=?1")
    assert parsed is not None
    assert [m.value for m in parsed["a"].value] == ["x", "y"]  # type: ignore[attr-defined]
    assert parsed["a"].params == (("p", 1),)
    assert parsed["b"].params == (("q", True), ("r", True))


def test_optional_whitespace_around_commas_and_edges():
    assert values("  a=1 ,\tb=2  ") == {"a": 1, "b": 2}


def test_duplicate_key_keeps_last_value():
    assert values("a=1, a=2") == {"a": 2}


def test_escapes_in_strings():
    assert values(r'a="q\"b\\c"') == {"a": 'q"b\\c'}


def test_dates_and_display_strings():
    assert values('a=@1700000000, b=%"caf%c3%a9"') == {"a": 1700000000, "b": "café"}


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
    ],
)
def test_syntax_errors_are_none(text):
    assert parse_dictionary(text) is None


def test_empty_field_is_an_empty_dictionary():
    assert parse_dictionary("") == {}
