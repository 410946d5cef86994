"""The one place where the policy is applied to a page: accept, quarantine or drop, with reasons.

Stages before this one only observe. Re-running `decide` with another policy over the same
findings gives the other answer; nothing here looks at the network or the raw page.
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.items import Page
from crawler.policy import Policy
from pipelines.base import Stage


@dataclass(frozen=True)
class Decision:
    outcome: str
    reasons: tuple[str, ...]


def decide(page: Page, policy: Policy) -> Decision:
    if page.errors:
        return Decision("error", ("analysis-error",))
    if len(page.text.strip()) < policy.content.min_chars:
        return Decision("dropped", ("no-text",))
    if page.findings.get("dedupe", {}).get("of"):
        return Decision("dropped", ("duplicate-content",))
    if policy.languages and page.language not in policy.languages:
        return Decision("dropped", ("language",))
    return Decision("accepted", ("policy-accept",))


class DecidePipeline(Stage):
    name = "decide"

    async def process_item(self, item: object) -> object:
        if isinstance(item, Page):
            decision = decide(item, self.policy)
            item.outcome = decision.outcome
            item.reasons = list(decision.reasons)
        return item
