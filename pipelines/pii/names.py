"""The name lists the model-free PERSON recognizer reads, shipped under data/ (see build_names.py).

Read once per process from the package, never fetched; a missing list is an installation error.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


def split(words: str) -> tuple[str, ...]:
    """Word lists written as one string in code (many short words read better than a column)."""
    return tuple(words.split())


@cache
def ranked_list(name: str) -> tuple[str, ...]:
    """The words of data/<name>.txt in file order (some lists are most frequent first)."""
    lines = (DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@cache
def word_list(name: str) -> frozenset[str]:
    return frozenset(ranked_list(name))


@cache
def rank(name: str) -> dict[str, int]:
    return {word: i for i, word in enumerate(ranked_list(name))}
