"""spaCy pipelines for Presidio: blank tokenizers built here by default, or an installed NER model.

Nothing here downloads: a blank pipeline needs no data, and a named model must already be an
installed package or a directory written by `nlp.to_disk()`; anything else is refused.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import regex
import spacy
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.tokens import Doc

LEMMA_COMPONENT = "ccrawl_pii_lemmas"
# Presidio matches a context word as a substring of one lemma; with one Chinese character per
# token "电话" would never match, so a CJK token's lemma also holds the characters after it.
CJK_LOOKAHEAD = 3
CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
# A Chinese tokenizer that needs no dictionary or model: one token per character.
ZH_CONFIG = {"nlp": {"tokenizer": {"segmenter": "char"}}}
NER_MAPPING = {"PERSON": "PERSON", "PER": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION"}
NER_ENTITIES = frozenset(NER_MAPPING.values())
# Components a NER model does not need here; leaving them out halves the analysis time.
NOT_NEEDED = ["parser", "tagger", "attribute_ruler", "lemmatizer", "senter", "morphologizer"]


def set_lemmas(doc: Doc) -> Doc:
    text = doc.text
    if not CJK.search(text):
        # The same lemmas (lower-cased text) set in one array call: no Token object per token.
        # spaCy's stub says to_array returns floats; it returns the uint64 array from_array takes.
        doc.from_array([LEMMA], doc.to_array([LOWER]))  # type: ignore[arg-type]
        return doc
    for token in doc:
        lemma = token.text.lower()
        if CJK.match(token.text[-1:]):
            end = token.idx + len(token.text)
            follow = text[end : end + CJK_LOOKAHEAD]
            lemma += follow[: next((i for i, c in enumerate(follow) if not CJK.match(c)), None)]
        token.lemma_ = lemma
    return doc


if not Language.has_factory(LEMMA_COMPONENT):
    Language.component(LEMMA_COMPONENT, func=set_lemmas)


def blank_pipeline(language: str) -> Language:
    nlp = spacy.blank(language, config=ZH_CONFIG) if language == "zh" else spacy.blank(language)
    nlp.add_pipe(LEMMA_COMPONENT)
    return nlp


def _model_exists(name: str) -> bool:
    return spacy.util.is_package(name) or Path(name).is_dir()


@cache
def load_ner_model(name: str) -> Language:
    """An installed model package or a model directory, with our lemmas; never downloaded."""
    if not _model_exists(name):
        raise OSError(not_installed(name))
    nlp = spacy.load(name, exclude=NOT_NEEDED)
    nlp.add_pipe(LEMMA_COMPONENT, last=True)
    return nlp


def not_installed(name: str) -> str:
    return (
        f"pii.ner_model {name!r} is neither an installed spaCy model package nor a model "
        "directory; models are never downloaded at run time: install the package with pip "
        "(a wheel file or an index that serves it), or give the path of a directory written "
        "by nlp.to_disk(), or leave ner_model empty for the model-free engine"
    )


def entity_labels(nlp: Language) -> set[str]:
    labels: set[str] = set()
    for _, component in nlp.pipeline:
        labels.update(getattr(component, "labels", ()) or ())
    return labels


def check_ner_model(name: str) -> str | None:
    """Why `name` cannot serve as the NER model, or None if it can (or is empty)."""
    if not name:
        return None
    if not _model_exists(name):
        return not_installed(name)
    try:
        nlp = load_ner_model(name)
    except Exception as exc:
        return (
            f"pii.ner_model {name!r} could not be loaded by spaCy {spacy.__version__}: "
            f"{type(exc).__name__}: {str(exc)[:300]}"
        )
    if not entity_labels(nlp) & set(NER_MAPPING):
        return (
            f"pii.ner_model {name!r} has no component that labels PERSON, PER, GPE or LOC "
            f"entities (its components: {', '.join(nlp.pipe_names) or 'none'})"
        )
    return None


def ner_configuration(nlp: Language | None) -> NerModelConfiguration:
    ignored = sorted(entity_labels(nlp) - set(NER_MAPPING)) if nlp is not None else []
    return NerModelConfiguration(
        model_to_presidio_entity_mapping=dict(NER_MAPPING), labels_to_ignore=ignored
    )


class PipelinesNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine over pipelines built or loaded here, one per language."""

    def __init__(self, pipelines: dict[str, Language], configuration: NerModelConfiguration):
        models = [{"lang_code": lang, "model_name": nlp.meta.get("name", "")}
                  for lang, nlp in pipelines.items()]  # fmt: skip
        super().__init__(models=models, ner_model_configuration=configuration)
        # Presidio's __init__ sets self.nlp = None unannotated, so mypy infers None for it.
        self.nlp = dict(pipelines)  # type: ignore[assignment]

    def load(self) -> None:
        # Already loaded; SpacyNlpEngine.load would try to download a missing model.
        pass
