"""Every reason code the crawler writes to provenance, with what it means: the one list to document.

Codes are short and stable: tools and reviewers match on them. Never reuse a code for a new meaning.
"""

from __future__ import annotations

# code -> (outcome it usually goes with, description). Outcomes: accepted, quarantined, dropped,
# refused, error. A record can carry several codes.
REASONS: dict[str, tuple[str, str]] = {
    # accepted
    "policy-accept": ("accepted", "every rule of the policy let the page in"),
    # fetch-level outcomes
    "robots-txt": ("dropped", "robots.txt fetched as the origin's rules, never used as content"),
    "robots-disallow": ("refused", "robots.txt disallows the URL for our product token"),
    "robots-unreachable": (
        "refused",
        "robots.txt answered 429/5xx, timed out, failed or is not text: nothing from the origin",
    ),
    "crawl-delay-too-long": ("refused", "robots.txt asks for more than politeness.max_crawl_delay"),
    "tdmrep-json": ("dropped", "/.well-known/tdmrep.json fetched as rules, never used as content"),
    "ai-optout-content-usage": (
        "refused",
        "AIPREF Content-Usage (robots.txt line or HTTP header) refuses our usage",
    ),
    "ai-optout-content-signal": ("refused", "robots.txt Content-Signal refuses our usage"),
    "ai-optout-ai-bot-disallow": (
        "refused",
        "robots.txt disallows the URL for a known AI-training bot (GPTBot, CCBot, ...)",
    ),
    "ai-optout-tdmrep": (
        "refused",
        "TDMRep reservation (tdmrep.json, tdm-reservation header or meta tag)",
    ),
    "ai-optout-noai": ("refused", "X-Robots-Tag or <meta name=robots> says noai"),
    "ai-optout-noimageai": ("refused", "X-Robots-Tag or <meta name=robots> says noimageai"),
    "robots-noindex": ("refused", "noindex/none in X-Robots-Tag or a robots meta tag"),
    "challenge": (
        "refused",
        "a bot challenge (Cloudflare, reCAPTCHA, DataDome...): origin stopped",
    ),
    "login-wall": ("refused", "a login is required (401 + WWW-Authenticate, sign-in page)"),
    "paywall": ("refused", "JSON-LD isAccessibleForFree: false (see access.paywalled_sections)"),
    "rate-limited": (
        "error",
        "429/503 beyond access.max_retries or access.max_wait: origin stopped",
    ),
    "origin-stopped": (
        "refused",
        "the origin was stopped earlier (challenge, refusals, rate limit)",
    ),
    "private-address": (
        "refused",
        "the host is or resolves to a private/loopback/link-local address",
    ),
    "scheme": ("refused", "not an http(s) URL"),
    "proxy-not-allowed": (
        "refused",
        "the request names a proxy: behind one, the address guard cannot check the target",
    ),
    "offsite-redirect": ("refused", "a redirect pointed outside scope.domains; not followed"),
    "page-budget": (
        "refused",
        "a redirect target past scope.max_pages (each hop is a page); not requested",
    ),
    "redirect": ("dropped", "the URL answered with a redirect; the target has its own record"),
    "redirect-limit": ("error", "more than 5 redirects in a row (or a loop); not followed further"),
    "retry": ("error", "a failed attempt that was retried; the final attempt has its own record"),
    "http-status": (
        "dropped/error",
        "non-2xx answer (see `status`): 4xx dropped, 429 and 5xx error",
    ),
    "http-auth": ("refused", "401/403/407: access needs credentials or was forbidden"),
    "http-legal": ("refused", "451: unavailable for legal reasons"),
    "not-html": ("dropped", "the response is not an HTML document (see `content_type`)"),
    "too-large": ("dropped", "the body exceeds network.max_body_bytes"),
    "download-timeout": ("error", "no complete answer within network.timeout"),
    "connection-refused": ("error", "the server refused the TCP connection"),
    "connection-lost": ("error", "the connection was reset or closed before a full answer"),
    "dns-error": ("error", "the host name could not be resolved"),
    "download-error": ("error", "any other download failure (see `error`)"),
    "ignored": ("refused", "a downloader middleware refused the request (see `error`)"),
    # content-level outcomes
    "no-text": ("dropped", "less main text than content.min_chars (nav, galleries, empty pages)"),
    "page-too-complex": ("dropped", "more HTML elements than content.max_elements: not extracted"),
    "duplicate-content": ("dropped", "the same main text was already seen (see `duplicate_of`)"),
    "language": ("dropped", "the page language is not in the policy's `languages`"),
    "licence-unknown": ("quarantined", "no licence found (licences.unknown: quarantine | drop)"),
    "licence-rejected": ("dropped", "the licence matches licences.reject"),
    "licence-not-accepted": ("dropped", "the licence is known but not in licences.accept"),
    "licence-conflict": ("quarantined", "page-level licence signals disagree"),
    "credentials": (
        "quarantined",
        "secrets.quarantine_credentials or more keys/tokens on the page",
    ),
    "confidential-marker": (
        "quarantined",
        "confidentiality markers reach secrets.quarantine_confidential",
    ),
    "pii-density": ("quarantined", "the share of PII words exceeds pii.quarantine_above"),
    "review-approved": ("accepted", "a reviewer approved a quarantined page (see `reviewer`)"),
    "review-rejected": ("dropped", "a reviewer rejected a quarantined page; its text is deleted"),
    "analysis-timeout": (
        "error",
        "an analysis step ran past CCRAWL_PAGE_TIMEOUT; its worker was replaced",
    ),
    "analysis-error": ("error", "an analysis stage failed on this page (see `error`)"),
    # housekeeping
    "lost-on-crash": (
        "error",
        "a crash lost the document of an accepted/quarantined record; URL fetched again",
    ),
    "torn-line-repaired": ("error", "a torn last line (crash mid-write) was moved to a .torn file"),
}

FINAL_OUTCOMES = ("accepted", "quarantined", "dropped", "refused", "error")


def describe(code: str) -> str:
    return REASONS[code][1]


def markdown_table() -> str:
    """The reason-code table the README carries (a test keeps the two identical)."""
    rows = ["| code | outcome | meaning |", "|---|---|---|"]
    rows += [f"| `{code}` | {outcome} | {text} |" for code, (outcome, text) in REASONS.items()]
    return "\n".join(rows)


def update_readme(path: str = "README.md") -> None:
    """Rewrite the table between the README's reasons markers (`python -m crawler.reasons`)."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    start, end = "<!-- reasons:start -->", "<!-- reasons:end -->"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(f"{head}{start}\n{markdown_table()}\n{end}{tail}")


if __name__ == "__main__":
    update_readme()
