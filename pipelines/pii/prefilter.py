"""Which entity types a text can hold at all, by what every recognizer of the type needs to
match: an e-mail address needs an "@", a card number twelve digits. Presidio then runs only the
recognizers that could find something (on most texts: the name recognizer alone), and a text that
could hold nothing is not analysed. Conditions are necessary, never sufficient: nothing a
recognizer would find is skipped. Types without a known condition always run.
"""

from __future__ import annotations

from collections.abc import Iterable

# Fewest digits a value of the type has (CN patterns: 7 digits at the least, the passport).
MIN_DIGITS = {
    "PHONE_NUMBER": 6,  # InternationalPhoneRecognizer.MIN_DIGITS
    "CREDIT_CARD": 12,
    "US_SSN": 9,
    "IBAN_CODE": 4,
    "CN_RESIDENT_ID": 7,
    "CN_MOBILE": 7,
    "CN_BANK_CARD": 7,
    "CN_PASSPORT": 7,
    "CN_SOCIAL_CREDIT_CODE": 7,
}
NEEDS_AT = frozenset({"EMAIL_ADDRESS", "URL_CREDENTIALS"})
_ASCII_DIGITS = "0123456789"


def digit_count(text: str) -> int:
    # Patterns use Unicode \d: outside ASCII, fullwidth and other digits count, so assume many.
    if not text.isascii():
        return len(text)
    return sum(map(text.count, _ASCII_DIGITS))


def possible(entity: str, text: str, digits: int) -> bool:
    if entity in NEEDS_AT and "@" not in text:
        return False
    if entity == "URL_CREDENTIALS":
        return "://" in text
    if entity in MIN_DIGITS:
        return digits >= MIN_DIGITS[entity]
    if entity == "IP_ADDRESS":  # IPv4 needs dots and four digits; IPv6 needs colons
        return ":" in text or ("." in text and digits >= 4)
    if entity == "CRYPTO":  # addresses start with 1, 3 or bc1
        return digits > 0 and ("1" in text or "3" in text or not text.isascii())
    return True


def possible_entities(text: str, entities: Iterable[str]) -> list[str]:
    digits = digit_count(text)
    return [entity for entity in entities if possible(entity, text, digits)]
