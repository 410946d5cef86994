"""The model-free PERSON recognizer: English-script and Chinese name rules, plus later mentions.

A name once found with evidence is also found where it recurs alone ("Okafor said"), since news
prose introduces a person once and then uses the surname. It reports spans and scores only.
"""

from __future__ import annotations

from typing import Any

import regex
from presidio_analyzer import LocalRecognizer, RecognizerResult

from pipelines.pii.person_en import COMMON_CAPS, VETO, Found, english_names
from pipelines.pii.person_zh import chinese_names

MENTION_SEED = 0.5
MENTION_SCORE = 0.6


def _mentions(text: str, found: list[Found]) -> list[Found]:
    """Other occurrences of an accepted full name, and of an English surname on its own."""
    seeds = {text[f.start : f.end] for f in found if f.score >= MENTION_SEED}
    seeds |= {
        f.words[-1]
        for f in found
        if f.score >= MENTION_SEED and len(f.words) > 1 and len(f.words[-1]) > 2
        and f.words[-1] not in COMMON_CAPS | VETO
    }  # fmt: skip
    taken = [(f.start, f.end) for f in found]
    more = []
    for seed in sorted(seeds, key=len, reverse=True):
        if regex.search(r"\p{Han}", seed):
            pattern = regex.escape(seed)
        else:
            pattern = rf"(?<![\p{{L}}\p{{N}}]){regex.escape(seed)}(?![\p{{L}}\p{{N}}])"
        for match in regex.finditer(pattern, text):
            start, end = match.span()
            if all(end <= s or start >= e for s, e in taken):
                taken.append((start, end))
                more.append(Found(start, end, MENTION_SCORE, ()))
    return more


class ModelFreePersonRecognizer(LocalRecognizer):
    ENTITIES = ["PERSON"]
    # Set by EntityRecognizer.__init__, whose type mypy cannot infer across Presidio's modules.
    name: str

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entities=self.ENTITIES,
            supported_language=supported_language,
            name="ModelFreePersonRecognizer",
            # Context is part of the rules; Presidio's enhancer must not add to it again.
            context=[],
        )

    def load(self) -> None:
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None
    ) -> list[RecognizerResult]:
        if entities and "PERSON" not in entities:
            return []
        found = english_names(text) + chinese_names(text)
        found += _mentions(text, found)
        return [
            RecognizerResult(
                "PERSON",
                f.start,
                f.end,
                f.score,
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                },
            )
            for f in found
        ]
