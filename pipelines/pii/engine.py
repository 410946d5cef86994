"""Assemble the Presidio analyzer: pattern, checksum and name recognizers on blank spaCy pipelines,
or on an installed NER model for PERSON and LOCATION.

It must work offline on a fresh machine: it never calls Presidio's defaults (which download
en_core_web_lg) and never loads anything it was not given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import regex
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry
from presidio_analyzer.predefined_recognizers import SpacyRecognizer
from spacy.language import Language

from pipelines.pii.china import china_recognizers
from pipelines.pii.context import PrefixContextEnhancer
from pipelines.pii.generic import generic_recognizers
from pipelines.pii.nlp import (
    NER_ENTITIES,
    PipelinesNlpEngine,
    blank_pipeline,
    check_ner_model,
    load_ner_model,
    ner_configuration,
)
from pipelines.pii.person import ModelFreePersonRecognizer

__all__ = ["ENTITIES", "analysis_language", "build_analyzer", "check_ner_model"]

DEFAULT_LANGUAGES = ("en", "zh")
FALLBACK = "xx"
ENTITIES = (
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
    "US_SSN",
    "CRYPTO",
    "URL_CREDENTIALS",
    "CN_RESIDENT_ID",
    "CN_MOBILE",
    "CN_BANK_CARD",
    "CN_PASSPORT",
    "CN_SOCIAL_CREDIT_CODE",
    "PERSON",
)
CJK_SCRIPT = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")


def _recognizers(language: str, ner: bool) -> list[EntityRecognizer]:
    recognizers = [*generic_recognizers(language), *china_recognizers(language)]
    recognizers.append(ModelFreePersonRecognizer(language))
    if ner:
        recognizers.append(
            SpacyRecognizer(supported_language=language, supported_entities=sorted(NER_ENTITIES))
        )
    return recognizers


def _keep_context_words(nlp: Language, recognizers: Iterable[EntityRecognizer]) -> None:
    # Presidio skips stop words when it collects context, and spaCy's English list has "call",
    # "name" and "first": a context word must never be one.
    for recognizer in recognizers:
        for word in recognizer.context or ():
            nlp.vocab[word.lower()].is_stop = False


def known_entities(ner_model: str = "") -> tuple[str, ...]:
    return ENTITIES + (("LOCATION",) if ner_model else ())


def build_analyzer(
    ner_model: str = "",
    languages: Sequence[str] = DEFAULT_LANGUAGES,
    entities: Sequence[str] = (),
) -> AnalyzerEngine:
    """An analyzer for `languages` (every recognizer is registered for each of them), limited to
    `entities` when given. `ner_model` names an installed spaCy model or a model directory."""
    unknown = sorted(set(entities) - set(known_entities(ner_model)))
    if unknown:
        raise ValueError(
            f"unknown PII entity types {unknown}; known: {', '.join(known_entities(ner_model))}"
        )
    # "xx" (spaCy's multi-language tokenizer) takes pages in any other known language, so a NER
    # model never reads a language it was not trained on.
    pipelines = {lang: blank_pipeline(lang) for lang in (*languages, FALLBACK)}
    model = load_ner_model(ner_model) if ner_model else None
    model_lang = None
    if model is not None:
        model_lang = model.lang
        assert model_lang is not None  # a loaded pipeline has its vocab's language
        pipelines[model_lang] = model
    registry = RecognizerRegistry(supported_languages=list(pipelines))
    for lang in pipelines:
        for recognizer in _recognizers(lang, ner=lang == model_lang):
            if not entities or set(recognizer.supported_entities) & set(entities):
                registry.add_recognizer(recognizer)
    for nlp in pipelines.values():
        _keep_context_words(nlp, registry.recognizers)
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=PipelinesNlpEngine(pipelines, ner_configuration(model)),
        supported_languages=list(pipelines),
        context_aware_enhancer=PrefixContextEnhancer(),
    )


def analysis_language(analyzer: AnalyzerEngine, language: str | None, text: str) -> str:
    """The pipeline a page goes through (every recognizer runs in each): its own language if the
    analyzer has one, Chinese for CJK-script text, the multi-language one for another known
    language, English when the language is unknown."""
    base = (language or "").split("-")[0].lower()
    if base in analyzer.supported_languages:
        return base
    sample = text[:2000]
    cjk = len(CJK_SCRIPT.findall(sample))
    if "zh" in analyzer.supported_languages and cjk > len(sample) * 0.2:
        return "zh"
    if base:
        return FALLBACK
    return "en" if "en" in analyzer.supported_languages else FALLBACK
