"""Recognizers for identifiers protected under China's PIPL: resident ID, mobile, bank card,
passport and unified social credit code.

Checksummed identifiers are only reported when their check character (and, for IDs, the birth
date) is valid: a near-miss is not an identifier, and reporting it would only destroy text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import regex
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer

from pipelines.pii.checksums import cn_resident_id_ok, luhn_ok, uscc_ok
from pipelines.pii.generic import PATTERN_FLAGS

# Lookarounds instead of \b: a number glued to Chinese text ("手机13800138000") has no \b.
_NOT_AFTER = r"(?<![0-9A-Za-z])"
_NOT_BEFORE = r"(?![0-9A-Za-z])"

RESIDENT_ID = (
    _NOT_AFTER
    + r"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx]"
    + _NOT_BEFORE
)
MOBILE = r"(?<![0-9A-Za-z+])(?:(?:\+|00)86[ -]?|\(\+?86\)[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)"
# 16 to 19 digits, plain or in groups of four.
BANK_CARD = r"(?<!\d)62\d{2}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?(?!\d)"
PASSPORT = _NOT_AFTER + r"(?:E[A-HJ-NP-Z0-9]\d{7}|[EGDSP]\d{8})" + _NOT_BEFORE
# First char: the registering authority (1-9, A, N, Y); second: the kind of organisation.
SOCIAL_CREDIT_CODE = _NOT_AFTER + r"[1-9ANY][1-9]\d{6}[0-9A-HJ-NPQRTUWXY]{10}" + _NOT_BEFORE


CASE_SENSITIVE = PATTERN_FLAGS & ~regex.IGNORECASE


class ChecksumRecognizer(PatternRecognizer):
    """A pattern recognizer whose matches count only when `check` accepts them."""

    def __init__(
        self, check: Callable[[str], bool], flags: int = CASE_SENSITIVE, **kwargs: Any
    ) -> None:
        self._check = check
        super().__init__(global_regex_flags=flags, **kwargs)

    def validate_result(self, pattern_text: str) -> bool:
        return self._check(pattern_text)


def _alnum_luhn_ok(text: str) -> bool:
    return luhn_ok("".join(c for c in text if c.isalnum()))


def china_recognizers(language: str) -> list[EntityRecognizer]:
    return [
        ChecksumRecognizer(
            cn_resident_id_ok,
            supported_entity="CN_RESIDENT_ID",
            name="CnResidentIdRecognizer",
            patterns=[Pattern("resident id", RESIDENT_ID, 0.5)],
            context=["身份证", "证件", "公民身份", "id card", "resident"],
            supported_language=language,
        ),
        PatternRecognizer(
            supported_entity="CN_MOBILE",
            name="CnMobileRecognizer",
            patterns=[Pattern("mainland mobile", MOBILE, 0.6)],
            context=["手机", "电话", "联系", "致电", "拨打", "mobile", "phone", "tel", "call"],
            supported_language=language,
            global_regex_flags=PATTERN_FLAGS,
        ),
        ChecksumRecognizer(
            _alnum_luhn_ok,
            supported_entity="CN_BANK_CARD",
            name="CnBankCardRecognizer",
            patterns=[Pattern("unionpay card", BANK_CARD, 0.5)],
            context=["银行卡", "卡号", "借记卡", "信用卡", "账号", "开户", "unionpay", "card"],
            supported_language=language,
        ),
        PatternRecognizer(
            supported_entity="CN_PASSPORT",
            name="CnPassportRecognizer",
            # Letter + 8 digits is too common to stand alone: only a context word lifts it.
            patterns=[Pattern("passport number", PASSPORT, 0.3)],
            context=["护照", "passport", "证件号"],
            supported_language=language,
            global_regex_flags=CASE_SENSITIVE,
        ),
        ChecksumRecognizer(
            uscc_ok,
            supported_entity="CN_SOCIAL_CREDIT_CODE",
            name="CnSocialCreditCodeRecognizer",
            patterns=[Pattern("unified social credit code", SOCIAL_CREDIT_CODE, 0.5)],
            context=["信用代码", "社会信用", "营业执照", "credit code"],
            supported_language=language,
        ),
    ]
