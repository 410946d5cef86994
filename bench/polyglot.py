"""Seeded news prose in English, German, French or Chinese, behind one interface.

English is bench/prose.py's `Prose`; the others slot bench/lexicon.py's words into sentence
templates with agreeing articles and adjectives. Same seed, same text.
"""

from __future__ import annotations

import random
from typing import Protocol

from bench import lexicon as lx
from bench.prose import Prose

LANGUAGES = ("en", "de", "fr", "zh")


class Writer(Protocol):
    rng: random.Random

    def sentence(self) -> str: ...
    def paragraph(self, sentences: int) -> str: ...
    def headline(self) -> str: ...
    def person(self) -> str: ...


class _Base:
    separator = " "

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def sentence(self) -> str:
        raise NotImplementedError

    def headline(self) -> str:
        raise NotImplementedError

    def person(self) -> str:
        raise NotImplementedError

    def paragraph(self, sentences: int) -> str:
        return self.separator.join(self.sentence() for _ in range(sentences))


class German(_Base):
    ARTICLES = {"nom": "der die das", "acc": "den die das", "dat": "dem der dem"}
    WEAK = {"nom": "e e e", "acc": "en e e", "dat": "en en en"}  # after a definite article

    def phrase(self, case: str) -> str:
        gender, noun = self.rng.choice(lx.DE_NOUNS)
        g = "mfn".index(gender)
        adjective = self.rng.choice(lx.DE_ADJECTIVES) + self.WEAK[case].split()[g]
        return f"{self.ARTICLES[case].split()[g]} {adjective} {noun}"

    def sentence(self) -> str:
        rng, subject = self.rng, self.phrase("nom")
        return rng.choice(lx.DE_TEMPLATES).format(
            s=subject,
            S=subject[0].upper() + subject[1:],
            o=self.phrase("acc"),
            d=self.phrase("dat"),
            part=rng.choice(lx.DE_PARTICIPLES),
            place=rng.choice(lx.DE_PLACES),
            day=rng.choice(lx.DE_DAYS),
        )

    def headline(self) -> str:
        gender, noun = self.rng.choice(lx.DE_NOUNS)
        strong = {"m": "er", "f": "e", "n": "es"}[gender]
        adjective = self.rng.choice(lx.DE_ADJECTIVES).capitalize() + strong
        place, part = self.rng.choice(lx.DE_PLACES), self.rng.choice(lx.DE_PARTICIPLES)
        return f"{place}: {adjective} {noun} {part}"

    def person(self) -> str:
        return f"{self.rng.choice(lx.DE_GIVEN)} {self.rng.choice(lx.DE_FAMILY)}"


class French(_Base):
    def phrase(self) -> tuple[str, str]:
        gender, noun = self.rng.choice(lx.FR_NOUNS)
        adjective = self.rng.choice(lx.FR_ADJECTIVES)[gender == "f"]
        return f"{noun} {adjective}", gender

    def sentence(self) -> str:
        rng = self.rng
        (subject, _), (obj, gender) = self.phrase(), self.phrase()
        part = rng.choice(lx.FR_PARTICIPLES)
        return rng.choice(lx.FR_TEMPLATES).format(
            s=subject,
            S=subject[0].upper() + subject[1:],
            o=obj,
            part=part,
            part_o=part + "e" * (gender == "f"),
            place=rng.choice(lx.FR_PLACES),
            day=rng.choice(lx.FR_DAYS),
        )

    def headline(self) -> str:
        subject, _ = self.phrase()
        return f"À {self.rng.choice(lx.FR_PLACES)}, {subject} {self.rng.choice(lx.FR_VERBS_NOW)}"

    def person(self) -> str:
        return f"{self.rng.choice(lx.FR_GIVEN)} {self.rng.choice(lx.FR_FAMILY)}"


class Chinese(_Base):
    separator = ""

    def sentence(self) -> str:
        rng = self.rng
        noun, noun2 = rng.sample(lx.ZH_NOUNS, 2)
        return rng.choice(lx.ZH_TEMPLATES).format(
            noun=noun,
            noun2=noun2,
            adj=rng.choice(lx.ZH_ADJECTIVES),
            verb=rng.choice(lx.ZH_VERBS),
            place=rng.choice(lx.ZH_PLACES),
            day=rng.choice(lx.ZH_DAYS),
        )

    def headline(self) -> str:
        rng = self.rng
        noun, noun2 = rng.sample(lx.ZH_NOUNS, 2)
        return f"{rng.choice(lx.ZH_PLACES)}{noun}{rng.choice(lx.ZH_VERBS)}{noun2}方案引发关注"

    def person(self) -> str:
        return self.rng.choice(lx.ZH_FAMILY) + self.rng.choice(lx.ZH_GIVEN)


def writer(lang: str, seed: int) -> Writer:
    if lang == "en":
        return Prose(seed)
    return {"de": German, "fr": French, "zh": Chinese}[lang](seed)
