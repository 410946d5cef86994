"""The language step: langdetect, made deterministic by a fixed seed.

It reports the language and its probability; `decide` filters on them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from langdetect import DetectorFactory, detect_langs
from langdetect import detector_factory as factories
from langdetect.lang_detect_exception import LangDetectException

from crawler.items import Page
from pipelines.document import Document
from pipelines.findings import LanguageFindings

if TYPE_CHECKING:
    from pipelines.analysis import StepConfig

# langdetect is randomised; a fixed seed makes a re-run give the same answer (its README).
DetectorFactory.seed = 0
# Enough text for a stable answer; langdetect's cost grows with the sample.
MAX_CHARS = 3_000


def detect_language(text: str) -> tuple[str | None, float | None]:
    sample = text[:MAX_CHARS]
    if not sample.strip():
        return None, None
    try:
        best = detect_langs(sample)[0]
    except LangDetectException:
        return None, None
    # langdetect reports Chinese as zh-cn / zh-tw; the policy speaks ISO 639-1.
    return best.lang.split("-")[0], float(best.prob)


class LanguageStep:
    name = "language"

    @classmethod
    def from_config(cls, config: StepConfig) -> LanguageStep:
        factories.init_factory()  # loads the profiles once per process, not on the first page
        return cls()

    def observe(self, page: Page, document: Document) -> LanguageFindings:
        language, probability = detect_language(page.text)
        return LanguageFindings(language, probability)
