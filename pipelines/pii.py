"""The PII stage: finds personal information in a page's text, title and secret-marker snippets,
and replaces it (redact, mask or hash, per the policy) before anything is written.

The core `scan_many` is pure and runs in a worker process, which builds its analyzer once. Only
entity types, counts and shares leave it: never a detected value, in a finding, a log or an error.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from presidio_analyzer import AnalyzerEngine

from crawler.items import Page
from crawler.pii.anonymize import ACTIONS, anonymize, resolve
from crawler.pii.engine import analysis_language, build_analyzer, check_ner_model
from crawler.pii.salt import pii_salt
from crawler.pii.words import count_words
from pipelines.base import Stage


class PiiScanError(Exception):
    """Analysis failed; the message names the error type only, never the text analysed."""


CHUNK_CHARS = 100_000
_ANALYZERS: dict[tuple[str, tuple[str, ...]], AnalyzerEngine] = {}


def analyzer(ner_model: str = "", entities: tuple[str, ...] = ()) -> AnalyzerEngine:
    """This process's analyzer for a model and entity set, built on first use."""
    key = (ner_model, tuple(sorted(entities)))
    if key not in _ANALYZERS:
        _ANALYZERS[key] = build_analyzer(ner_model, entities=key[1])
    return _ANALYZERS[key]


@dataclass(frozen=True)
class Shifted:
    """A detection in a chunk, moved to its place in the whole text."""

    entity_type: str
    start: int
    end: int
    score: float


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Pieces of at most CHUNK_CHARS, cut at a line break (else a space) so that no value is cut
    in two: spaCy refuses texts over a million characters, and memory grows with length."""
    start = 0
    while len(text) - start > CHUNK_CHARS:
        window = text[start : start + CHUNK_CHARS]
        cut = max(window.rfind("\n"), window.rfind(" ") if "\n" not in window else -1)
        end = start + (cut + 1 if cut > 0 else CHUNK_CHARS)
        yield start, text[start:end]
        start = end
    yield start, text[start:]


def scan_many(
    texts: list[str],
    language: str | None,
    action: str,
    salt: bytes,
    entities: tuple[str, ...] = (),
    ner_model: str = "",
    min_score: float = 0.5,
    exclude: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Anonymise each text; counts, PII words and total words are summed over all of them.
    `exclude` names entity types not to look for (attribution fields keep person names)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown PII action {action!r}; expected one of {', '.join(ACTIONS)}")
    engine = analyzer(ner_model, tuple(entities))
    if exclude:
        known = entities or tuple(engine.get_supported_entities())
        entities = tuple(e for e in known if e not in exclude)
    counts: Counter[str] = Counter()
    pii_words = total_words = 0
    out = []
    for text in texts:
        if not text.strip():
            out.append(text)
            continue
        lang = analysis_language(engine, language, text)
        results = []
        for offset, chunk in _chunks(text):
            try:
                found = engine.analyze(
                    chunk, language=lang, entities=list(entities) or None, score_threshold=min_score
                )
            except Exception as exc:
                # Presidio's messages can quote the matched text; only the type may leave.
                raise PiiScanError(f"PII analysis failed ({type(exc).__name__})") from None
            results += [
                Shifted(r.entity_type, r.start + offset, r.end + offset, r.score) for r in found
            ]
        spans = resolve(results)
        out.append(anonymize(text, spans, action, salt))
        counts.update(span.entity for span in spans)
        total_words += count_words(text)
        pii_words += sum(count_words(text[span.start : span.end]) for span in spans)
    return {
        "texts": out,
        "counts": dict(sorted(counts.items())),
        "pii_words": pii_words,
        "total_words": total_words,
        "share": pii_words / total_words if total_words else 0.0,
    }


def scan_text(
    text: str,
    language: str | None,
    action: str,
    salt: bytes,
    entities: tuple[str, ...] = (),
    ner_model: str = "",
    min_score: float = 0.5,
) -> dict[str, Any]:
    """`scan_many` for one text: {"text", "counts", "pii_words", "total_words", "share"}."""
    result = scan_many([text], language, action, salt, entities, ner_model, min_score)
    return {"text": result.pop("texts")[0], **result}


# Names a licence asks to be credited (CC BY's attribution, a copyright notice's holder) stay
# in attribution fields; contact details and identifiers never do.
ATTRIBUTION_KEEPS = ("PERSON",)


def _attribution_values(page: Page) -> list[dict[str, Any]]:
    """The licence finding's evidence entries and rights-holder evidence (each with "value")."""
    licence = page.findings.get("licence")
    if not isinstance(licence, dict):
        return []
    entries = [e for e in licence.get("evidence", []) if isinstance(e, dict)]
    holder = licence.get("rightsholder_evidence")
    if isinstance(holder, dict):
        entries.append(holder)
    return [e for e in entries if isinstance(e.get("value"), str)]


def _signal_evidence(page: Page) -> list[dict[str, Any]]:
    """Opt-out signals and paywall findings: their evidence is site text."""
    optouts = page.findings.get("optouts")
    if not isinstance(optouts, dict):
        return []
    found = [s for s in optouts.get("signals", []) if isinstance(s, dict)]
    if isinstance(optouts.get("paywall"), dict):
        found.append(optouts["paywall"])
    return [s for s in found if isinstance(s.get("evidence"), str)]


def _scrub_holder(page: Page, before: list[str], after: list[str]) -> None:
    """A rights holder that was (part of) a value the scan removed, say the name part of an
    e-mail address, is no holder: it becomes None, and reports fall back to the domain."""
    licence = page.findings.get("licence")
    holder = licence.get("rightsholder") if isinstance(licence, dict) else None
    if not isinstance(holder, str):
        return
    for original, scrubbed in zip(before, after, strict=True):
        if holder in original and holder not in scrubbed:
            licence["rightsholder"] = None  # type: ignore[index]
            return


def _marker_contexts(page: Page) -> list[dict[str, Any]]:
    secrets = page.findings.get("secrets")
    markers = secrets.get("markers", []) if isinstance(secrets, dict) else []
    return [m for m in markers if isinstance(m, dict) and isinstance(m.get("context"), str)]


class PiiPipeline(Stage):
    name = "pii"

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        pii = self.policy.pii
        problem = check_ner_model(pii.ner_model)
        if problem:
            raise ValueError(problem)
        self.salt = pii_salt(crawler.settings.get("CCRAWL_PII_SALT"), self.context.output_dir)

    async def observe(self, page: Page) -> None:
        pii = self.policy.pii
        markers = _marker_contexts(page)
        texts = [page.text, page.title or "", *(m["context"] for m in markers)]
        scan = (page.language, pii.action, self.salt, tuple(pii.entities), pii.ner_model)
        result = await self.pool.run(scan_many, texts, *scan, pii.min_score)
        page.text = result["texts"][0]
        if page.title is not None:
            page.title = result["texts"][1]
        for marker, context in zip(markers, result["texts"][2:], strict=True):
            marker["context"] = context
        counts = Counter(result["counts"])
        counts.update(await self._scan_metadata(page, scan, pii.min_score))
        total = dict(sorted(counts.items()))
        page.findings["pii"] = {
            "counts": total,
            "share": result["share"],
            "summary": {"counts": total, "share": round(result["share"], 4)},
        }

    async def _scan_metadata(self, page: Page, scan: tuple[Any, ...], min_score: float) -> Counter:
        """Every other field that is written anywhere and holds site text: byline, site name and
        opt-out evidence fully; licence evidence and rights holder for all but the credited name.
        The PII share (quarantine density) stays the main text's."""
        signals = _signal_evidence(page)
        full = [page.author or "", page.sitename or "", *(s["evidence"] for s in signals)]
        found = await self.pool.run(scan_many, full, *scan, min_score)
        if page.author is not None:
            page.author = found["texts"][0]
        if page.sitename is not None:
            page.sitename = found["texts"][1]
        for signal, evidence in zip(signals, found["texts"][2:], strict=True):
            signal["evidence"] = evidence
        counts: Counter[str] = Counter(found["counts"])
        attribution = _attribution_values(page)
        if attribution:
            values = [e["value"] for e in attribution]
            credited = await self.pool.run(scan_many, values, *scan, min_score, ATTRIBUTION_KEEPS)
            _scrub_holder(page, values, credited["texts"])
            for entry, value in zip(attribution, credited["texts"], strict=True):
                entry["value"] = value
            counts.update(credited["counts"])
        return counts
