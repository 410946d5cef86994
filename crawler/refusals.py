"""Refusal: a request the crawler will not send, or a response it will not use, with a reason code.

A guard refuses a request by raising it (network, robots, scope); a response by attaching it to
the request with `refuse_response` and passing the response on. Either way the outcome recorder,
outermost, writes the one record. A refusal is final: nothing retries it under another identity.
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


# meta key: the Refusal a downloader middleware attached to a response it will not let through
RESPONSE_REFUSAL = "ccrawl_response_refusal"


def refuse_response(meta: dict[str, Any], refusal: Refusal) -> None:
    """Mark the response to this request refused; the first refusal stands."""
    meta.setdefault(RESPONSE_REFUSAL, refusal)


def response_refusal(meta: dict[str, Any]) -> Refusal | None:
    found = meta.get(RESPONSE_REFUSAL)
    return found if isinstance(found, Refusal) else None
