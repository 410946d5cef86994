"""A strict RFC 9651 (Structured Field Values) Dictionary parser, enough for AI preferences.
Any syntax error gives None, as RFC 9651 §4.2 requires: never a partly parsed value that a
caller could read as a statement of preference.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from decimal import Decimal

_LCALPHA = frozenset(string.ascii_lowercase)
_KEY_CHARS = _LCALPHA | frozenset(string.digits) | frozenset("_-.*")
_ALPHA = frozenset(string.ascii_letters)
_DIGITS = frozenset(string.digits)
# RFC 9110 §5.6.2 tchar, plus ":" and "/" which RFC 9651 §3.3.4 allows in Tokens.
_TOKEN_CHARS = _ALPHA | _DIGITS | frozenset("!#$%&'*+-.^_`|~:/")
_BASE64 = _ALPHA | _DIGITS | frozenset("+/=")
_HEX_LOWER = frozenset("0123456789abcdef")


class Token(str):
    """An RFC 9651 Token, kept apart from a String with the same characters."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Member:
    value: object
    params: tuple[tuple[str, object], ...] = ()


class _Fail(Exception):
    pass


class _Parser:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def take(self) -> str:
        ch = self.peek()
        if not ch:
            raise _Fail
        self.i += 1
        return ch

    def skip_sp(self) -> None:
        while self.peek() == " ":
            self.i += 1

    def skip_ows(self) -> None:
        while self.peek() in (" ", "\t") and self.peek():
            self.i += 1

    def key(self) -> str:
        ch = self.peek()
        if not ch or (ch not in _LCALPHA and ch != "*"):
            raise _Fail
        start = self.i
        while self.peek() and self.peek() in _KEY_CHARS:
            self.i += 1
        return self.s[start : self.i]

    def params(self) -> tuple[tuple[str, object], ...]:
        out: dict[str, object] = {}
        while self.peek() == ";":
            self.i += 1
            self.skip_sp()
            k = self.key()
            v: object = True
            if self.peek() == "=":
                self.i += 1
                v = self.bare_item()
            out[k] = v
        return tuple(out.items())

    def item_or_inner_list(self) -> Member:
        if self.peek() == "(":
            return self.inner_list()
        value = self.bare_item()
        return Member(value, self.params())

    def inner_list(self) -> Member:
        self.take()  # "("
        items: list[Member] = []
        while True:
            self.skip_sp()
            if self.peek() == ")":
                self.i += 1
                return Member(tuple(items), self.params())
            value = self.bare_item()
            items.append(Member(value, self.params()))
            if self.peek() not in (" ", ")") or not self.peek():
                raise _Fail

    def bare_item(self) -> object:
        ch = self.peek()
        if ch == "-" or (ch and ch in _DIGITS):
            return self.number()
        if ch == '"':
            return self.string()
        if ch == "*" or (ch and ch in _ALPHA):
            return self.token()
        if ch == ":":
            return self.byte_sequence()
        if ch == "?":
            return self.boolean()
        if ch == "@":
            self.i += 1
            value = self.number()
            if not isinstance(value, int):
                raise _Fail
            return value
        if ch == "%":
            return self.display_string()
        raise _Fail

    def number(self) -> int | Decimal:
        sign = 1
        if self.peek() == "-":
            self.i += 1
            sign = -1
        if not self.peek() or self.peek() not in _DIGITS:
            raise _Fail
        digits = ""
        is_decimal = False
        while self.peek() and (self.peek() in _DIGITS or self.peek() == "."):
            ch = self.take()
            if ch == ".":
                if is_decimal or len(digits) > 12:
                    raise _Fail
                is_decimal = True
            digits += ch
            if (not is_decimal and len(digits) > 15) or (is_decimal and len(digits) > 16):
                raise _Fail
        if not is_decimal:
            return sign * int(digits)
        if digits.endswith(".") or len(digits) - digits.index(".") - 1 > 3:
            raise _Fail
        return sign * Decimal(digits)

    def string(self) -> str:
        self.take()  # opening quote
        out = []
        while True:
            ch = self.take()
            if ch == "\\":
                nxt = self.take()
                if nxt not in ('"', "\\"):
                    raise _Fail
                out.append(nxt)
            elif ch == '"':
                return "".join(out)
            elif not (" " <= ch <= "~"):
                raise _Fail
            else:
                out.append(ch)

    def token(self) -> Token:
        start = self.i
        self.i += 1
        while self.peek() and self.peek() in _TOKEN_CHARS:
            self.i += 1
        return Token(self.s[start : self.i])

    def byte_sequence(self) -> bytes:
        self.take()
        start = self.i
        while self.peek() != ":":
            if not self.peek() or self.peek() not in _BASE64:
                raise _Fail
            self.i += 1
        body = self.s[start : self.i]
        self.i += 1
        return body.encode("ascii")

    def boolean(self) -> bool:
        self.take()
        ch = self.take()
        if ch == "1":
            return True
        if ch == "0":
            return False
        raise _Fail

    def display_string(self) -> str:
        self.take()
        if self.take() != '"':
            raise _Fail
        raw = bytearray()
        while True:
            ch = self.take()
            if ch == "%":
                hx = self.take() + self.take()
                if not set(hx) <= _HEX_LOWER:
                    raise _Fail
                raw.append(int(hx, 16))
            elif ch == '"':
                try:
                    return raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise _Fail from exc
            elif not (" " <= ch <= "~"):
                raise _Fail
            else:
                raw += ch.encode("ascii")


def parse_dictionary(text: str) -> dict[str, Member] | None:
    """RFC 9651 §4.2.2 Dictionary, or None if `text` is not one. Later duplicate keys win."""
    if not text.isascii():
        return None
    p = _Parser(text.strip(" \t"))
    out: dict[str, Member] = {}
    try:
        while p.peek():
            k = p.key()
            if p.peek() == "=":
                p.i += 1
                member = p.item_or_inner_list()
            else:
                member = Member(True, p.params())
            out.pop(k, None)
            out[k] = member
            p.skip_ows()
            if not p.peek():
                return out
            if p.take() != ",":
                return None
            p.skip_ows()
            if not p.peek():
                return None  # a trailing comma is an error (RFC 9651 §4.2.2)
    except _Fail:
        return None
    return out
