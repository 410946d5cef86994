"""Seeded English news prose for the benchmark site: headlines, sentences and paragraphs.

Words come from small fixed vocabularies slotted into sentence templates, so the text reads like
real reporting (langdetect says English, trafilatura sees paragraphs), yet costs nothing to make.
"""

from __future__ import annotations

import random


def words(text: str) -> list[str]:
    return text.split()


NOUNS = words(
    """
council budget harbour school hospital railway bridge market festival library museum court
police report survey committee project district river village station election community plan
policy road park garden factory company union minister mayor resident farmer teacher nurse
engineer student volunteer visitor business shop restaurant theatre stadium club team season
match league player coach price rate tax fund grant scheme service network system programme
proposal decision agreement contract investigation inquiry review study research result figure
data evidence statement interview meeting hearing debate vote campaign protest rally storm
flood drought harvest crop forest coast island valley mountain lake beach airport ferry bus
tram
"""
)
ADJECTIVES = words(
    """
local new old major small large public private national regional rural urban annual final early
late recent former senior junior independent official popular controversial ambitious modest
historic famous quiet busy remote coastal northern southern eastern western central significant
serious unexpected detailed careful cautious strong weak rising falling
"""
)
VERBS = words(
    """
approved rejected announced confirmed criticised welcomed delayed launched opened closed
reviewed expanded reduced increased funded proposed discussed questioned defended supported
opposed completed extended published investigated postponed cancelled restored
"""
)
ADVERBS = words(
    """
quickly slowly narrowly unanimously publicly privately finally initially reportedly formally
briefly firmly openly
"""
)
PLACES = words(
    """
Northfield Eastbrook Westmere Southport Ashford Brookvale Carrow Dunmore Elmstead Fairhaven
Glenridge Hollowell Kingsbay Lindenfield Marlow Oakhurst Pinecrest Redcliffe Stonebridge
Thornbury Upton Whitby Yarrow
"""
)
GIVEN = words(
    """
Margaret Thomas Eleanor James Priya Daniel Sophie William Hannah Robert Aisha Michael Laura
David Chloe Samuel Olivia George Fiona Patrick
"""
)
FAMILY = words(
    """
Ellison Hartley Whitmore Okafor Lindqvist Brennan Castellano Dunbar Fairweather Gallagher
Holloway Iverson Kaplan Lockwood Moreland Nakamura Pemberton Redfern Sutherland Thornton
"""
)
TITLES = ["Dr.", "Prof.", "Mr.", "Ms.", "Mrs."]
DAYS = words(
    """
Monday Tuesday Wednesday Thursday Friday Saturday Sunday
"""
)
SECTIONS = words(
    """
news politics business health education environment sport culture science transport housing
opinion
"""
)

TEMPLATES = [
    "The {adj} {noun} {verb} the {noun2} on {day}, according to officials in {place}.",
    "Members of the {noun} {adverb} {verb} a {adj} {noun2} after a long {noun3} in {place}.",
    "Residents of {place} said the {adj} {noun} had {verb} plans for a {noun2} near the {noun3}.",
    "Last {day}, the {noun} in {place} {verb} the {adj} {noun2} for the third time this year.",
    "Critics argue that the {noun} will affect the {adj} {noun2} and the wider {noun3} for years.",
    "A spokesperson for the {noun} said the {noun2} was {adverb} {verb} following the {noun3}.",
    "The {noun} {verb} a {adj} {noun2}, which is expected to cost the {noun3} more than before.",
    "Figures published on {day} show the {adj} {noun} in {place} has {verb} its {noun2}.",
    "Supporters of the {noun2} gathered outside the {noun} in {place} on {day} evening.",
    "It is the first time the {adj} {noun} has {verb} a {noun2} since the {noun3} began.",
    "Local groups in {place} have {adverb} {verb} the {noun}, saying the {noun2} needs support.",
    "The {noun} is now under {adj} {noun2}, and a further {noun3} is planned for the spring.",
]


class Prose:
    """A random source of sentences; the same seed always gives the same text."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def words(self, pool: list[str], k: int) -> list[str]:
        return self.rng.choices(pool, k=k)

    def sentence(self) -> str:
        rng = self.rng
        noun, noun2, noun3 = rng.choices(NOUNS, k=3)
        return rng.choice(TEMPLATES).format(
            adj=rng.choice(ADJECTIVES),
            noun=noun,
            noun2=noun2,
            noun3=noun3,
            verb=rng.choice(VERBS),
            adverb=rng.choice(ADVERBS),
            day=rng.choice(DAYS),
            place=rng.choice(PLACES),
        )

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def headline(self) -> str:
        rng = self.rng
        words = [rng.choice(PLACES), rng.choice(NOUNS), rng.choice(VERBS), "as"]
        words += [rng.choice(ADJECTIVES), rng.choice(NOUNS), rng.choice(NOUNS)]
        return " ".join(words).capitalize().replace(words[0].lower(), words[0], 1)

    def person(self) -> str:
        return f"{self.rng.choice(GIVEN)} {self.rng.choice(FAMILY)}"

    def titled_person(self) -> str:
        return f"{self.rng.choice(TITLES)} {self.person()}"
