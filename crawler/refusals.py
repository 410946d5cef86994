"""Refusal: a request the crawler will not send, or a response it will not use, with a reason code.

Raised by the guards (network, robots, access); the outcome recorder writes its code and evidence
to provenance. A refusal is final: nothing retries it under another identity.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import IgnoreRequest


class Refusal(IgnoreRequest):
    def __init__(
        self,
        code: str,
        evidence: dict[str, Any] | None = None,
        outcome: str = "refused",
        robots: dict[str, Any] | None = None,
    ) -> None:
        self.code = code
        self.evidence = evidence or {}
        self.outcome = outcome
        self.robots = robots
        super().__init__(f"{code}: {self.evidence}"[:300])
