"""Counting and comparing document text: tokens, byte size, shingles for near-copy search.

Definitions here are the ones every report and summary states; they never look at anything but
the text they are given.
"""

from __future__ import annotations

import re
import unicodedata

# Scripts written without spaces between words: each character counts as one token. Hangul is
# written with spaces, so Korean words are counted by whitespace like Latin text.
CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
WORD = re.compile(r"\w+", re.UNICODE)
SHINGLE_SIZE = 5


def token_count(text: str) -> int:
    """Whitespace-separated tokens, with every CJK character (Han, kana) a token of its own."""
    cjk = len(CJK.findall(text))
    return cjk + len(CJK.sub(" ", text).split())


def byte_size(text: str) -> int:
    return len(text.encode("utf-8"))


def words(text: str) -> list[str]:
    """Case- and width-folded words with punctuation dropped; CJK characters one by one."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return WORD.findall(CJK.sub(lambda m: f" {m.group(0)} ", folded))


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[str]:
    """Overlapping runs of `size` words; a shorter text is one shingle."""
    tokens = words(text)
    if len(tokens) <= size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
