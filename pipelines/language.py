"""Language identification with langdetect, made deterministic by a fixed seed.

The core `detect_language` is pure and runs in a worker process; it never decides anything, it
only reports the language and its probability for `decide` to filter on.
"""

from __future__ import annotations

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

from crawler.items import Page
from pipelines.base import Stage

# langdetect is randomised; a fixed seed makes a re-run give the same answer (its README).
DetectorFactory.seed = 0

# langdetect reports Chinese as zh-cn / zh-tw; the policy speaks ISO 639-1.
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
    return best.lang.split("-")[0], float(best.prob)


class LanguagePipeline(Stage):
    name = "language"

    async def observe(self, page: Page) -> None:
        if not page.text:
            return
        language, probability = await self.pool.run(detect_language, page.text)
        page.language = language
        page.language_probability = probability
