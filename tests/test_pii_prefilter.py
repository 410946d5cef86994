"""The PII prefilter skips only recognizers that could not have matched: on every text, Presidio
finds exactly what it finds with every recognizer running."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.pii.prefilter import possible_entities
from pipelines.pii.step import analyzer

SAMPLES = [
    "Contact Jane Doe at jane.doe@example.com or +44 20 7946 0958. 手机13800138000。",
    "Card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, SSN 078-05-1120.",
    "Server 192.168.10.20 and fe80::1ff:fe23:4567:890a answered; ::1 too.",
    "Send to 1BoatSLRHtKNngkdXEeobR76b53LETtpyT or bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq.",
    "ftp://admin:hunter2@files.example.org/ has the dump. 身份证 11010519491231002X",
    "护照 E12345678, 信用代码 91350100M000100Y4, 卡号 6217 0012 3456 7890 123.",
    "Call (020) 7946 0958 or ０２０ ７９４６ ０９５８ today.",
    "An order number 123456 and a year 2026, nothing personal here.",
    "Plain prose about the harbour committee and its north wall repairs.",
]


@pytest.fixture(scope="module")
def engine() -> Any:
    return analyzer()


def found(engine: Any, text: str, entities: list[str] | None) -> list[tuple[str, int, int]]:
    if entities == []:
        return []
    results = engine.analyze(text, language="en", entities=entities, score_threshold=0.5)
    return sorted((r.entity_type, r.start, r.end) for r in results)


@pytest.mark.parametrize("text", SAMPLES)
def test_prefiltered_analysis_finds_what_the_full_analysis_finds(engine: Any, text: str) -> None:
    every = found(engine, text, None)
    assert found(engine, text, possible_entities(text, engine.get_supported_entities())) == every


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("0123456789 +-().:@/abcXYZ_1bc3手机Ee\n")), max_size=80)
)
def test_prefilter_never_hides_a_finding_on_generated_text(engine: Any, text: str) -> None:
    every = found(engine, text, None)
    assert found(engine, text, possible_entities(text, engine.get_supported_entities())) == every
