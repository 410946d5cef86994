"""Presidio's generic recognizers set up for multilingual web text, plus URL_CREDENTIALS.

Every recognizer here works offline: e-mail domains are checked against tldextract's bundled
suffix snapshot, never a fetched list. Context words cover English, German, French and Chinese.
"""

from __future__ import annotations

from typing import Any

import regex
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    CryptoRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    UsSsnRecognizer,
)
from tldextract import TLDExtract

# Unicode word boundaries: with them `\b` also falls between a CJK character and a digit, so
# "卡号4111111111111111" or "邮箱a@b.cn" still match (plain `\b` sees no boundary there).
PATTERN_FLAGS = regex.DOTALL | regex.MULTILINE | regex.IGNORECASE | regex.WORD


def offline_suffixes() -> TLDExtract:
    # No suffix-list URL and no cache: the snapshot shipped inside tldextract is the only source.
    return TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


_SUFFIXES = offline_suffixes()

# Canada shares +1 with the US, so US parsing finds Canadian numbers too.
PHONE_REGIONS = ("US", "GB", "DE", "FR", "CN", "JP", "IN", "ES", "IT", "AU", "BR")

CONTEXT = {
    "EMAIL_ADDRESS": ["email", "e-mail", "mail", "contact", "邮箱", "邮件", "电邮", "联系"],
    "PHONE_NUMBER": [
        "phone", "tel", "mobile", "cell", "call", "fax", "contact", "whatsapp", "reach",
        "telefon", "handy", "tél", "portable", "téléfono", "móvil",
        "电话", "手机", "联系", "致电", "拨打", "热线", "传真", "電話",
    ],
    "CREDIT_CARD": [
        "credit", "card", "visa", "mastercard", "amex", "debit", "karte", "carte",
        "信用卡", "银行卡", "卡号", "借记卡",
    ],
    "IBAN_CODE": ["iban", "bank", "account", "konto", "compte", "virement", "账户", "账号", "银行"],
    "IP_ADDRESS": ["ip", "ipv4", "ipv6", "address", "server", "host", "地址", "服务器"],
    "US_SSN": ["ssn", "social", "security"],
    "CRYPTO": ["wallet", "btc", "bitcoin", "crypto", "address", "钱包", "比特币"],
}  # fmt: skip

EMAIL_PATTERN = (
    r"(?<![a-z0-9.%+_-])[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9\u00c0-\u024f](?:[a-z0-9\u00c0-\u024f-]*[a-z0-9\u00c0-\u024f])?\.)+"
    r"(?:[a-z]{2,63}|xn--[a-z0-9-]{2,59})(?![a-z0-9-])"
)
# Mastercard's 2-series (2221-2720), which Presidio's card pattern does not cover.
MASTERCARD_2_PATTERN = (
    r"\b2(?:22[1-9]|2[3-9]\d|[3-6]\d{2}|7[01]\d|720)[- ]?\d{4}[- ]?\d{4}[- ]?\d{4}\b"
)
# scheme://user:password@host: the credentials and the host they open, not the path.
URL_CREDENTIALS_PATTERN = r"\b[a-z][a-z0-9+.-]{1,15}://[^\s/?#@:]+:[^\s/?#@]+@[^\s/?#:]+(?::\d+)?"


class OfflineEmailRecognizer(EmailRecognizer):
    def validate_result(self, pattern_text: str) -> bool:
        return _SUFFIXES(pattern_text.rsplit("@", 1)[-1]).suffix != ""


class InternationalPhoneRecognizer(PhoneRecognizer):
    """Presidio's phonenumbers-based recognizer, scored by how the number is written: with its
    country code it is a phone number; grouped like a phone number ("020 7946 0958") it passes
    the default threshold; a bare digit run (an order number?) still needs a context word."""

    INTERNATIONAL_SCORE = 0.6
    GROUPED_SCORE = 0.5
    GROUPED = regex.compile(r"^\(?\d+\)?(?:[ .-]\(?\d+\)?)+$")
    # Runs of digits and separators; only those with enough digits go to phonenumbers, which
    # is slow when run over a whole page once per region.
    CANDIDATE = regex.compile(r"[+(]?\d(?:[\d \u00a0().\-/]*\d)?")
    MIN_DIGITS = 6

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None
    ) -> list[RecognizerResult]:
        results = []
        for candidate in self.CANDIDATE.finditer(text):
            if sum(c.isdigit() for c in candidate.group()) < self.MIN_DIGITS:
                continue
            # One character either side: phonenumbers rejects a number glued to letters.
            low, high = max(0, candidate.start() - 1), min(len(text), candidate.end() + 1)
            for result in super().analyze(text[low:high], entities, nlp_artifacts):
                result.start += low
                result.end += low
                results.append(result)
        for result in results:
            if text[result.start] == "+" or text.startswith("00", result.start):
                result.score = max(result.score, self.INTERNATIONAL_SCORE)
            elif self.GROUPED.match(text[result.start : result.end]):
                result.score = max(result.score, self.GROUPED_SCORE)
        return EntityRecognizer.remove_duplicates(results)


def _with_flags(recognizer: PatternRecognizer) -> PatternRecognizer:
    recognizer.global_regex_flags = (recognizer.global_regex_flags or 0) | regex.WORD
    return recognizer


def generic_recognizers(language: str) -> list[EntityRecognizer]:
    email = OfflineEmailRecognizer(
        patterns=[Pattern("email", EMAIL_PATTERN, 0.5)],
        context=CONTEXT["EMAIL_ADDRESS"],
        supported_language=language,
    )
    credentials = PatternRecognizer(
        supported_entity="URL_CREDENTIALS",
        name="UrlCredentialsRecognizer",
        patterns=[Pattern("url with user:password", URL_CREDENTIALS_PATTERN, 0.9)],
        context=["login", "password", "credentials", "密码"],
        supported_language=language,
        global_regex_flags=PATTERN_FLAGS,
    )
    phone = InternationalPhoneRecognizer(
        context=CONTEXT["PHONE_NUMBER"],
        supported_language=language,
        supported_regions=PHONE_REGIONS,
    )
    card = CreditCardRecognizer(
        patterns=[
            *CreditCardRecognizer.PATTERNS,
            Pattern("mastercard 2", MASTERCARD_2_PATTERN, 0.3),
        ],
        context=CONTEXT["CREDIT_CARD"],
        supported_language=language,
    )
    builtin = [
        (IbanRecognizer, "IBAN_CODE"),
        (IpRecognizer, "IP_ADDRESS"),
        (UsSsnRecognizer, "US_SSN"),
        (CryptoRecognizer, "CRYPTO"),
    ]
    return [
        _with_flags(email),
        credentials,
        phone,
        _with_flags(card),
        *(_with_flags(cls(context=CONTEXT[e], supported_language=language)) for cls, e in builtin),
    ]
