"""The one place where the policy is applied to a page: accept, quarantine, drop or refuse.

Stages before this one only observe. Re-running `decide` with another policy over the same
findings gives the other answer; nothing here looks at the network or the raw page. Rules run in
the order below; the first that settles the page wins, except quarantine reasons, which add up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crawler.items import Page
from crawler.policy import Policy
from crawler.runstats import cpu_timer
from pipelines.base import TIMEOUT_PREFIX, Stage

# Signals recorded but not acted on for text: noimageai reserves images, and we keep no images.
RECORDED_ONLY = frozenset({"ai-optout-noimageai"})


@dataclass(frozen=True)
class Decision:
    outcome: str
    reasons: tuple[str, ...]
    evidence: tuple[dict[str, Any], ...] = ()


def refusing_signals(page: Page, policy: Policy) -> list[dict[str, Any]]:
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


def licence_rule(page: Page, policy: Policy) -> tuple[str, str, dict[str, Any]] | None:
    """(outcome, reason, evidence) when the licence keeps the page out, or None."""
    findings = page.findings.get("licence", {})
    licence = str(findings.get("licence") or "unknown")
    evidence = {"licence": licence, "evidence": findings.get("evidence", [])[:5]}
    rules = policy.licences
    if licence == "unknown":
        if rules.unknown == "accept":
            return None
        outcome = "quarantined" if rules.unknown == "quarantine" else "dropped"
        return outcome, "licence-unknown", evidence
    if rules.matches(rules.reject, licence):
        return "dropped", "licence-rejected", evidence
    if not rules.matches(rules.accept, licence):
        return "dropped", "licence-not-accepted", evidence
    if findings.get("conflict"):
        return "quarantined", "licence-conflict", evidence
    return None


def quarantine_rules(page: Page, policy: Policy) -> list[tuple[str, dict[str, Any]]]:
    """Reasons (with evidence) a person must look at the page before it is used."""
    found: list[tuple[str, dict[str, Any]]] = []
    secrets = page.findings.get("secrets", {})
    credentials = sum(secrets.get("credentials", {}).values())
    if credentials >= policy.secrets.quarantine_credentials:
        found.append(("credentials", {"credentials": secrets.get("credentials", {})}))
    score = float(secrets.get("confidential_score", 0.0))
    if score >= policy.secrets.quarantine_confidential:
        markers = secrets.get("markers", [])
        found.append(("confidential-marker", {"score": round(score, 3), "markers": markers[:5]}))
    pii = page.findings.get("pii", {})
    share = float(pii.get("share", 0.0))
    if share > policy.pii.quarantine_above:
        found.append(("pii-density", {"share": round(share, 4), "counts": pii.get("counts", {})}))
    return found


def decide(page: Page, policy: Policy) -> Decision:
    if page.errors:
        if any(e.startswith(TIMEOUT_PREFIX) for e in page.errors):
            return Decision("error", ("analysis-timeout",))
        return Decision("error", ("analysis-error",))
    refusing = refusing_signals(page, policy)
    if refusing:
        codes = tuple(dict.fromkeys(str(s["code"]) for s in refusing))
        return Decision("refused", codes, tuple(refusing))
    if page.findings.get("extract", {}).get("too_complex"):
        return Decision("dropped", ("page-too-complex",))
    if len(page.text.strip()) < policy.content.min_chars:
        return Decision("dropped", ("no-text",))
    if page.findings.get("dedupe", {}).get("of"):
        return Decision("dropped", ("duplicate-content",))
    if policy.languages and page.language not in policy.languages:
        return Decision("dropped", ("language",))
    held: list[tuple[str, dict[str, Any]]] = []
    licence = licence_rule(page, policy)
    if licence is not None:
        outcome, reason, evidence = licence
        if outcome == "dropped":
            return Decision("dropped", (reason,), ({"code": reason, **evidence},))
        held.append((reason, evidence))
    held += quarantine_rules(page, policy)
    if held:
        reasons = tuple(reason for reason, _ in held)
        return Decision("quarantined", reasons, tuple({"code": r, **e} for r, e in held))
    return Decision("accepted", ("policy-accept",))


class DecidePipeline(Stage):
    name = "decide"

    async def process_item(self, item: object) -> object:
        if isinstance(item, Page):
            with cpu_timer(self.crawler.stats, "decide"):
                decision = decide(item, self.policy)
            item.outcome = decision.outcome
            item.reasons = list(decision.reasons)
            if decision.evidence:
                item.findings["decision"] = {"evidence": list(decision.evidence)}
        return item
