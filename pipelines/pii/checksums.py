"""Check digits and plausibility tests for the identifiers the recognizers validate.

Pure functions over the matched string; they never raise on malformed input, they return False.
"""

from __future__ import annotations

import datetime as dt

# GB 11643-1999: the first two digits of a resident ID are a province-level division.
CN_PROVINCES = frozenset(
    f"{n}"
    for n in (
        *range(11, 16),
        *range(21, 24),
        *range(31, 38),
        *range(41, 47),
        *range(50, 55),
        *range(61, 66),
        71,
        81,
        82,
    )
)
_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
# GB 32100-2015: the 31 characters of a unified social credit code (no I, O, S, V, Z).
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# The oldest living people were born around 1900; IDs issued later cannot name an earlier year.
EARLIEST_BIRTH_YEAR = 1900


def digits_only(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


def luhn_ok(value: str) -> bool:
    digits = digits_only(value)
    if len(digits) < 12:
        return False
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def cn_id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of a resident ID's first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def cn_resident_id_ok(value: str, today: dt.date | None = None) -> bool:
    """An 18-character resident ID: province, a real birth date not in the future, check char."""
    value = value.upper()
    if len(value) != 18 or not value[:17].isdigit() or value[:2] not in CN_PROVINCES:
        return False
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if born.year < EARLIEST_BIRTH_YEAR or born > (today or dt.date.today()):
        return False
    return cn_id_check_char(value[:17]) == value[17]


def uscc_ok(value: str) -> bool:
    """A unified social credit code (统一社会信用代码) with a valid GB 32100-2015 check char."""
    value = value.upper()
    if len(value) != 18 or not value[2:8].isdigit():
        return False
    if any(c not in USCC_ALPHABET for c in value):
        return False
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(value, _USCC_WEIGHTS, strict=False))
    return USCC_ALPHABET[(31 - total % 31) % 31] == value[17]
