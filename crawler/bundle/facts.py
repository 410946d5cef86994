"""What the policy files say about a crawl: identity, purpose and the rules it honoured.

Read from the exact policy files shipped in the bundle (plain YAML, not re-validated, so an older
policy still reads). It states only what the crawler enforces; it never claims more.
"""

from __future__ import annotations

from typing import Any

USAGES = {
    "train-ai": "training AI models",
    "train-genai": "training generative AI models",
    "ai-input": "use as input to AI systems (retrieval, grounding)",
    "ai-use": "use by AI systems",
    "search": "search indexing",
    "archive": "archiving",
    "research": "research",
}


def _get(policy: dict[str, Any], path: str, default: Any = None) -> Any:
    value: Any = policy
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return default if value is None else value


def identity(policy: dict[str, Any]) -> dict[str, Any]:
    usage = str(_get(policy, "usage", "train-ai"))
    return {
        "name": _get(policy, "name"),
        "token": _get(policy, "agent.token"),
        "contact": _get(policy, "agent.contact"),
        "usage": usage,
        "purpose": USAGES.get(usage, usage),
        "languages": list(_get(policy, "languages", [])),
        "licences_accepted": list(_get(policy, "licences.accept", [])),
    }


def behaviour(policy: dict[str, Any]) -> list[str]:
    """One sentence per rule the crawler applied under this policy."""
    usage = str(_get(policy, "usage", "train-ai"))
    lines = [
        "identifies itself on every request with its own User-Agent product token and a contact "
        "URL; never retries under another identity",
        "fetches and obeys robots.txt (RFC 9309) before any other request to a site; an "
        "unreachable robots.txt means nothing is fetched from that site",
        "honours AI-usage reservations: IETF AIPREF Content-Usage (robots.txt and HTTP header), "
        "Cloudflare Content-Signal, `noai` in X-Robots-Tag and robots meta tags",
    ]
    if _get(policy, "optouts.tdmrep", True) is not False:
        lines.append(
            "honours W3C TDMRep reservations (tdmrep.json, tdm-reservation header and meta tag)"
        )
    if _get(policy, "optouts.ai_bot_disallow", True) is not False and usage in (
        "train-ai",
        "train-genai",
    ):
        lines.append(
            "treats a robots.txt Disallow for known AI-training crawlers (GPTBot, CCBot, "
            "Google-Extended, ...) as a reservation against it too"
        )
    if _get(policy, "optouts.noindex", "honour") != "ignore":
        lines.append("honours noindex/none in X-Robots-Tag and robots meta tags")
    lines += [
        "never circumvents access controls: no login, no forms, no cookies, no JavaScript; a bot "
        "challenge (CAPTCHA, Cloudflare, DataDome...) stops all requests to that site",
        "does not use paywalled pages (JSON-LD isAccessibleForFree: false)"
        + (
            "; only the free sections of a page are kept"
            if _get(policy, "access.paywalled_sections") == "cut"
            else ""
        ),
        f"waits at least {_get(policy, 'politeness.min_delay', 1.0)} s between requests to one "
        f"site, with at most {_get(policy, 'politeness.max_concurrency', 1)} in flight, and "
        "follows Crawl-delay, Retry-After and 429/503 back-off",
        "writes every outcome, refusals included, to a hash-chained provenance log shipped with "
        "the data",
    ]
    return lines
