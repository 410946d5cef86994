"""Word counts for the PII share: a run of letters or digits is one word, and so is each Chinese
or Japanese character (CJK text has no spaces, and one character is roughly one morpheme).

Counting only: nothing here looks at what the words are.
"""

from __future__ import annotations

import regex

_CJK = r"\p{Han}\p{Hiragana}\p{Katakana}"
WORD = regex.compile(rf"[{_CJK}]|(?:(?![{_CJK}])[\p{{L}}\p{{M}}\p{{N}}])+")


def count_words(text: str) -> int:
    return sum(1 for _ in WORD.finditer(text))
