"""The Signal record."""

from __future__ import annotations

import dataclasses

import pytest

from crawler.signals.types import EVIDENCE_MAX, Signal


def test_evidence_is_truncated_to_300_characters():
    signal = Signal("challenge", "html", "x" * 1000)
    assert len(signal.evidence) == EVIDENCE_MAX == 300


def test_short_evidence_is_kept_exactly():
    assert Signal("paywall", "json-ld", "  exact  ").evidence == "  exact  "


def test_signal_is_frozen_and_has_its_own_detail():
    a = Signal("paywall", "html", "e")
    b = Signal("paywall", "html", "e")
    assert a.detail == {} and a.detail is not b.detail
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.code = "other"  # type: ignore[misc]


def test_signals_compare_by_value():
    assert Signal("c", "s", "e", {"k": "v"}) == Signal("c", "s", "e", {"k": "v"})
