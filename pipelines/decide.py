"""The one place where the policy is applied to a page: accept, quarantine, drop or refuse.

Steps before this one only observe, for every usage and every setting. Re-running `decide` with
another policy over the same findings gives the other answer; nothing here looks at the network
or the raw page. Rules run in the order below; the first that settles the page wins, except
quarantine reasons, which add up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from crawler.items import Page
from crawler.policy import AI_USAGES, Policy
from crawler.signals.types import Signal
from pipelines.findings import LicenceFindings, OptoutFindings, signal_dict

TIMEOUT_PREFIX = "timeout: "
# Signals recorded but not acted on for text: noimageai reserves images, and we keep no images.
RECORDED_ONLY = frozenset({"ai-optout-noimageai"})
# Opt-outs that speak of AI and text-and-data mining: they bind the AI usages only.
AI_SIGNALS = frozenset({"ai-optout-noai", "ai-optout-noimageai", "ai-optout-tdmrep"})
USAGE_SIGNALS = frozenset({"ai-optout-content-usage"})  # each names the usage it refuses


@dataclass(frozen=True)
class Decision:
    outcome: str
    reasons: tuple[str, ...]
    evidence: tuple[dict[str, Any], ...] = ()


def for_usage(signals: Iterable[Signal], usage: str) -> list[Signal]:
    """The signals that speak to `usage`: what a crawl for that usage records and honours."""
    kept = []
    for signal in signals:
        if signal.code in AI_SIGNALS and usage not in AI_USAGES:
            continue
        if signal.code in USAGE_SIGNALS and signal.detail.get("usage") != usage:
            continue
        kept.append(signal)
    return kept


def optout_summary(optouts: OptoutFindings, usage: str) -> dict[str, Any]:
    found: dict[str, Any] = {"signals": sorted({s.code for s in for_usage(optouts.signals, usage)})}
    if optouts.paywall is not None:
        found["paywall"] = True
    return found


def refusing_signals(page: Page, policy: Policy) -> list[dict[str, Any]]:
    """The page-level signals that say this page must not be used under the policy."""
    optouts = page.findings.optouts
    if optouts is None:
        return []
    refusing = [
        signal_dict(s)
        for s in for_usage(optouts.signals, policy.usage)
        if s.code not in RECORDED_ONLY
        and (s.code != "robots-noindex" or policy.optouts.noindex == "honour")
    ]
    paywall = optouts.paywall
    if paywall and not (paywall.cuttable and policy.access.paywalled_sections == "cut"):
        refusing.append(paywall.as_dict())
    return refusing


def licence_rule(page: Page, policy: Policy) -> tuple[str, str, dict[str, Any]] | None:
    """(outcome, reason, evidence) when the licence keeps the page out, or None."""
    findings = page.findings.licence or LicenceFindings()
    licence = findings.licence or "unknown"
    evidence = {"licence": licence, "evidence": findings.evidence_dicts()[:5]}
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
    if findings.conflict:
        return "quarantined", "licence-conflict", evidence
    return None


def quarantine_rules(page: Page, policy: Policy) -> list[tuple[str, dict[str, Any]]]:
    """Reasons (with evidence) a person must look at the page before it is used."""
    found: list[tuple[str, dict[str, Any]]] = []
    secrets = page.findings.secrets
    if secrets is not None:
        if sum(secrets.credentials.values()) >= policy.secrets.quarantine_credentials:
            found.append(("credentials", {"credentials": dict(secrets.credentials)}))
        score = float(secrets.confidential_score)
        if score >= policy.secrets.quarantine_confidential:
            markers = [m.as_dict() for m in secrets.markers[:5]]
            found.append(("confidential-marker", {"score": round(score, 3), "markers": markers}))
    pii = page.findings.pii
    if pii is not None and pii.share > policy.pii.quarantine_above:
        found.append(("pii-density", {"share": round(pii.share, 4), "counts": dict(pii.counts)}))
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
    if page.findings.extract is not None and page.findings.extract.too_complex:
        return Decision("dropped", ("page-too-complex",))
    if len(page.text.strip()) < policy.content.min_chars:
        return Decision("dropped", ("no-text",))
    if page.findings.dedupe is not None and page.findings.dedupe.duplicate_of:
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
