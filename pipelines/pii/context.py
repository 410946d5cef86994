"""How a context word near a match is recognised: a Latin-script word must start a nearby word
("tel" finds "Tel:" and "telephone", not "Bestellnummer"); a CJK word may sit anywhere in one.

Presidio's own choice is all-substring or all-whole-word, and neither works for both scripts.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

import regex
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")


class PrefixContextEnhancer(LemmaContextAwareEnhancer):
    @staticmethod
    def _find_index_of_match_token(
        word: str, start: int, tokens: Any, tokens_indices: list[int]
    ) -> int:
        # Presidio walks every token for every match (slow on character-per-token Chinese) and
        # raises with the matched text in its message; a binary search does neither.
        i = max(0, bisect_right(tokens_indices, start) - 1)
        if i + 1 < len(tokens_indices) and start >= tokens_indices[i] + len(tokens[i]):
            i += 1
        return i

    def _extract_surrounding_words(self, nlp_artifacts: Any, word: str, start: int) -> list[str]:
        # Presidio's version tests membership in a list for every step: quadratic on long pages.
        if not nlp_artifacts.tokens:
            return [""]
        keywords = getattr(nlp_artifacts, "_keyword_set", None)
        if keywords is None:
            keywords = set(nlp_artifacts.keywords)
            nlp_artifacts._keyword_set = keywords
        index = self._find_index_of_match_token(
            word, start, nlp_artifacts.tokens, nlp_artifacts.tokens_indices
        )
        lemmas = nlp_artifacts.lemmas
        found = set()
        for step, count in ((-1, self.context_prefix_count), (1, self.context_suffix_count)):
            i, remaining = index, count + 1
            while 0 <= i < len(lemmas) and remaining > 0:
                lemma = lemmas[i].lower()
                if lemma in keywords:
                    found.add(lemma)
                    remaining -= 1
                i += step
        return list(found)

    @staticmethod
    def _find_supportive_word_in_context(
        context_list: list[str],
        recognizer_context_list: list[str],
        matching_mode: str = "prefix",
    ) -> str:
        if not context_list or not recognizer_context_list:
            return ""
        for word in recognizer_context_list:
            word = word.lower()
            if CJK.search(word):
                if any(word in keyword for keyword in context_list):
                    return word
            elif any(keyword.startswith(word) for keyword in context_list):
                return word
        return ""
