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
    evidence: tuple[dict[str, object], ...] = ()


# Signals recorded but not acted on for text: noimageai reserves images, and we keep no images.
RECORDED_ONLY = frozenset({"ai-optout-noimageai"})


def refusing_signals(page: Page, policy: Policy) -> list[dict[str, object]]:
    """The page-level signals that say this page must not be used under the policy."""
    optouts = page.findings.get("optouts", {})
    refusing = [
        s
        for s in optouts.get("signals", [])
        if s["code"] not in RECORDED_ONLY
        and (s["code"] != "robots-noindex" or policy.optouts.noindex == "honour")
    ]
    paywall = optouts.get("paywall")
    if paywall and not (paywall["cuttable"] and policy.access.paywalled_sections == "cut"):
        refusing.append(paywall)
    return refusing


def decide(page: Page, policy: Policy) -> Decision:
    if page.errors:
        return Decision("error", ("analysis-error",))
    refusing = refusing_signals(page, policy)
    if refusing:
        codes = tuple(dict.fromkeys(str(s["code"]) for s in refusing))
        return Decision("refused", codes, tuple(refusing))
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
            if decision.evidence:
                item.findings["decision"] = {"evidence": list(decision.evidence)}
        return item
