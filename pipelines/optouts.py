"""The opt-outs step: page-level rules a site publishes, X-Robots-Tag and robots meta (noai,
noimageai, noindex, nofollow), TDMRep headers and meta tags, the Content-Usage header, and
JSON-LD paywall markup.

Every signal is recorded whatever the policy's usage: `decide` picks the ones that apply.
Malformed values are never read as permission.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cssselect import GenericTranslator, SelectorError

from crawler.items import Page
from crawler.policy import USAGES
from crawler.signals import aipref, tdmrep, xrobots
from crawler.signals.types import Signal
from crawler.signals.walls import detect_paywall
from pipelines.document import Document
from pipelines.findings import OptoutFindings, Paywall

if TYPE_CHECKING:
    from pipelines.analysis import StepConfig


def css_selectors_valid(selectors: tuple[str, ...]) -> bool:
    try:
        for selector in selectors:
            GenericTranslator().css_to_xpath(selector)
    except SelectorError:
        return False
    return True


def page_signals(html: str, headers: dict[str, list[str]], token: str) -> OptoutFindings:
    signals: list[Signal] = []
    directives = xrobots.directives_for(token, headers.get("x-robots-tag", []), html)
    signals += xrobots.ai_optouts(directives)
    declaration = tdmrep.resolve(
        tdmrep.declaration_from_headers({k: ", ".join(v) for k, v in headers.items()}),
        tdmrep.declaration_from_html_meta(html),
    )
    reservation = declaration.signal() if declaration is not None else None
    if reservation is not None:
        signals.append(reservation)
    noindex = xrobots.noindex(directives)
    if noindex is not None:
        signals.append(noindex)
    if headers.get("content-usage"):
        # One signal per usage the header refuses, each naming its usage: `decide` matches.
        for usage in USAGES:
            refusal = aipref.content_usage_from_header(headers["content-usage"], usage)
            if refusal is not None:
                signals.append(refusal)
    found = detect_paywall(html)
    paywall = None
    if found is not None:
        selectors = tuple(found.selectors)
        cuttable = bool(selectors) and css_selectors_valid(selectors)
        paywall = Paywall(found.signal, selectors, cuttable)
    return OptoutFindings(tuple(signals), paywall, xrobots.nofollow(directives))


class OptoutsStep:
    name = "optouts"

    def __init__(self, token: str) -> None:
        self.token = token

    @classmethod
    def from_config(cls, config: StepConfig) -> OptoutsStep:
        return cls(config.policy.agent.token)

    def observe(self, page: Page, document: Document) -> OptoutFindings:
        return page_signals(document.html, page.headers, self.token)
