"""The one record every detector returns: what was seen, where, and the exact text that said
it. Evidence is never paraphrased: the original line, header or tag, cut to 300 characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EVIDENCE_MAX = 300


@dataclass(frozen=True, slots=True)
class Signal:
    code: str
    source: str
    evidence: str
    detail: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.evidence) > EVIDENCE_MAX:
            object.__setattr__(self, "evidence", self.evidence[:EVIDENCE_MAX])
