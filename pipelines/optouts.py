"""Page-level rules a site publishes: X-Robots-Tag and robots meta (noai, noimageai, noindex),
TDMRep headers and meta tags, the Content-Usage header, and JSON-LD paywall markup.

It observes only; `decide` refuses the page. Malformed values are never read as permission.
The core `page_rules` is pure and runs in a worker process.
"""

from __future__ import annotations

from typing import Any

from cssselect import GenericTranslator, SelectorError

from crawler.items import Page
from crawler.signals import aipref, tdmrep, xrobots
from crawler.signals.types import Signal
from crawler.signals.walls import detect_paywall
from pipelines.base import Stage
from pipelines.extract import decode_body

# A search index is not an AI use; every other usage honours noai and TDM reservations.
AI_USAGES = ("train-ai", "train-genai", "ai-input", "ai-use", "archive", "research")


def as_dict(signal: Signal) -> dict[str, Any]:
    return {
        "code": signal.code,
        "source": signal.source,
        "evidence": signal.evidence,
        **signal.detail,
    }


def css_selectors_valid(selectors: tuple[str, ...]) -> bool:
    try:
        for selector in selectors:
            GenericTranslator().css_to_xpath(selector)
    except SelectorError:
        return False
    return True


def page_rules(
    body: bytes, encoding: str, headers: dict[str, list[str]], token: str, usage: str
) -> dict[str, Any]:
    html = decode_body(body, encoding)
    signals: list[Signal] = []
    directives = xrobots.directives_for(token, headers.get("x-robots-tag", []), html)
    if usage in AI_USAGES:
        signals += xrobots.ai_optouts(directives)
        declaration = tdmrep.resolve(
            tdmrep.declaration_from_headers({k: ", ".join(v) for k, v in headers.items()}),
            tdmrep.declaration_from_html_meta(html),
        )
        if declaration is not None and declaration.signal() is not None:
            signals.append(declaration.signal())  # type: ignore[arg-type]
    noindex = xrobots.noindex(directives)
    if noindex is not None:
        signals.append(noindex)
    if headers.get("content-usage"):
        usage_signal = aipref.content_usage_from_header(headers["content-usage"], usage)
        if usage_signal is not None:
            signals.append(usage_signal)
    result: dict[str, Any] = {"signals": [as_dict(s) for s in signals]}
    paywall = detect_paywall(html)
    if paywall is not None:
        result["paywall"] = {
            **as_dict(paywall.signal),
            "selectors": list(paywall.selectors),
            "cuttable": bool(paywall.selectors) and css_selectors_valid(paywall.selectors),
        }
    return result


class OptoutsPipeline(Stage):
    name = "optouts"

    async def observe(self, page: Page) -> None:
        found = await self.pool.run(
            page_rules,
            page.body,
            page.encoding,
            page.headers,
            self.policy.agent.token,
            self.policy.usage,
        )
        found["summary"] = {"signals": sorted({s["code"] for s in found["signals"]})}
        if "paywall" in found:
            found["summary"]["paywall"] = True
        page.findings["optouts"] = found
