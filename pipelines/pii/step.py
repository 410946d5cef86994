"""The PII step: finds personal information in every value of a page that will be written (text,
title, byline, site name, marker snippets, opt-out and licence evidence) and replaces it (redact,
mask or hash, per the policy) before anything leaves the analysis worker.

The core `scan_many` is pure; each process builds its analyzer once. Only entity types, counts
and shares leave it: never a detected value, in a finding, a log or an error.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from presidio_analyzer import AnalyzerEngine

from crawler.items import Page
from pipelines.document import Document
from pipelines.findings import PiiFindings, Redacted, Rewrite
from pipelines.pii.anonymize import ACTIONS, Span, anonymize, resolve
from pipelines.pii.engine import analysis_language, build_analyzer, check_ner_model
from pipelines.pii.prefilter import possible_entities
from pipelines.pii.words import count_words

if TYPE_CHECKING:
    from pipelines.analysis import StepConfig


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
    known = entities or tuple(engine.get_supported_entities())
    entities = tuple(e for e in known if e not in exclude)
    counts: Counter[str] = Counter()
    pii_words = total_words = 0
    out = []
    seen: dict[str, tuple[str, list[Span]]] = {}  # evidence values repeat: each is scanned once
    for text in texts:
        if not text.strip():
            out.append(text)
            continue
        if text in seen:
            anonymised, spans = seen[text]
            out.append(anonymised)
            counts.update(span.entity for span in spans)
            total_words += count_words(text)
            pii_words += sum(count_words(text[span.start : span.end]) for span in spans)
            continue
        lang = analysis_language(engine, language, text)
        results = []
        for offset, chunk in _chunks(text):
            wanted = possible_entities(chunk, entities)
            if not wanted:
                continue
            try:
                found = engine.analyze(
                    chunk, language=lang, entities=wanted, score_threshold=min_score
                )
            except Exception as exc:
                # Presidio's messages can quote the matched text; only the type may leave.
                raise PiiScanError(f"PII analysis failed ({type(exc).__name__})") from None
            results += [
                Shifted(r.entity_type, r.start + offset, r.end + offset, r.score) for r in found
            ]
        spans = resolve(results)
        seen[text] = (anonymize(text, spans, action, salt), spans)
        out.append(seen[text][0])
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


def _holder_survives(holder: str | None, before: list[str], after: list[str]) -> bool:
    """False when the rights holder was (part of) a value the scan removed, say the name part
    of an e-mail address: it is then no holder, and reports fall back to the domain."""
    if holder is None:
        return False
    return not any(holder in b and holder not in a for b, a in zip(before, after, strict=True))


class PiiStep:
    """Finds personal information in every value that will be written, and replaces it (redact,
    mask or hash, per the policy's `pii.action`). The PII share, which `decide` compares with
    `pii.quarantine_above`, is the main text's."""

    name = "pii"

    def __init__(
        self,
        action: str,
        salt: bytes,
        entities: tuple[str, ...] = (),
        ner_model: str = "",
        min_score: float = 0.5,
    ) -> None:
        if action not in ACTIONS:
            raise ValueError(f"unknown PII action {action!r}; expected one of {', '.join(ACTIONS)}")
        self.options = (action, salt, entities, ner_model)
        self.min_score = min_score
        analyzer(ner_model, entities)  # built now: a broken engine fails at start, not per page

    @classmethod
    def from_config(cls, config: StepConfig) -> PiiStep:
        pii = config.policy.pii
        problem = check_ner_model(pii.ner_model)
        if problem:
            raise ValueError(problem)
        return cls(pii.action, config.salt, tuple(pii.entities), pii.ner_model, pii.min_score)

    def _scan(self, texts: list[str], language: str | None, exclude: tuple[str, ...] = ()) -> Any:
        return scan_many(texts, language, *self.options, self.min_score, exclude)

    def observe(self, page: Page, document: Document) -> PiiFindings:
        found = page.findings
        markers = found.secrets.markers if found.secrets else ()
        optouts = found.optouts
        signals = list(optouts.signals) if optouts else []
        paywall = optouts.paywall if optouts else None
        texts = [page.text, page.title or "", *(m.context for m in markers)]
        main = self._scan(texts, page.language)
        meta = [page.author or "", page.sitename or "", *(s.evidence for s in signals)]
        if paywall is not None:
            meta.append(paywall.signal.evidence)
        metadata = self._scan(meta, page.language)
        counts: Counter[str] = Counter(main["counts"])
        counts.update(metadata["counts"])
        redacted = Redacted()
        if found.secrets is not None:
            cleaned = tuple(
                replace(m, context=c) for m, c in zip(markers, main["texts"][2:], strict=True)
            )
            redacted = replace(redacted, secrets=replace(found.secrets, markers=cleaned))
        if optouts is not None:
            values = metadata["texts"][2:]
            new_signals = tuple(
                replace(s, evidence=v) for s, v in zip(signals, values, strict=False)
            )
            new_paywall = paywall
            if paywall is not None:
                new_paywall = replace(paywall, signal=replace(paywall.signal, evidence=values[-1]))
            redacted = replace(
                redacted, optouts=replace(optouts, signals=new_signals, paywall=new_paywall)
            )
        licence = found.licence
        if licence is not None and (licence.evidence or licence.holder_evidence):
            entries = [
                *licence.evidence,
                *([licence.holder_evidence] if licence.holder_evidence else []),
            ]
            before = [e.value for e in entries]
            credited = self._scan(before, page.language, ATTRIBUTION_KEEPS)
            after = credited["texts"]
            counts.update(credited["counts"])
            evidence = tuple(
                replace(e, value=v) for e, v in zip(licence.evidence, after, strict=False)
            )
            holder_evidence = licence.holder_evidence
            if holder_evidence is not None:
                holder_evidence = replace(holder_evidence, value=after[-1])
            holder = (
                licence.rightsholder
                if _holder_survives(licence.rightsholder, before, after)
                else None
            )
            redacted = replace(
                redacted,
                licence=replace(
                    licence, evidence=evidence, holder_evidence=holder_evidence, rightsholder=holder
                ),
            )
        rewrite = Rewrite(
            text=main["texts"][0],
            title=main["texts"][1] if page.title is not None else None,
            author=metadata["texts"][0] if page.author is not None else None,
            sitename=metadata["texts"][1] if page.sitename is not None else None,
        )
        return PiiFindings(dict(sorted(counts.items())), main["share"], rewrite, redacted)
