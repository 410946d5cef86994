"""How a captured page becomes a decided page: the one ordered list of steps, one way to run it.

`AnalysisPipeline` (the only item pipeline ccrawl adds) sends each page to the analysis pool once.
In a worker, `Analyzer.analyse` decodes and parses the body once and runs every step in `STEPS`
order; back on the reactor only what needs the crawl's memory runs (dedupe), then `decide`, then
the page is settled (provenance, dataset, quarantine). With `CCRAWL_WORKERS=0` the same
`Analyzer` runs inline. A step never applies the policy's rules; it never sees the crawler.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from crawler.context import CrawlContext
from crawler.items import Page
from crawler.policy import Policy
from crawler.runstats import cpu_timer
from crawler.workers import AnalysisTimeout
from pipelines.decide import TIMEOUT_PREFIX, decide
from pipelines.dedupe import Dedupe, FingerprintStep
from pipelines.document import Document
from pipelines.extract import ExtractStep
from pipelines.findings import Rewrite
from pipelines.language import LanguageStep
from pipelines.licences.step import LicenceStep
from pipelines.optouts import OptoutsStep
from pipelines.pii.step import PiiStep
from pipelines.secrets.step import SecretsStep

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StepConfig:
    """What a worker needs to build the steps: the policy and the crawl's PII salt."""

    policy: Policy
    salt: bytes


class Step(Protocol):
    name: str

    def observe(self, page: Page, document: Document) -> Any:
        """The step's findings (a frozen dataclass), computed from the page and its document."""


class StepFactory(Protocol):
    def __call__(self, config: StepConfig) -> Step: ...


# The order steps run in: extraction needs the opt-outs' paywall selectors, secrets and licence
# read the main text, the fingerprint is taken before PII redaction, PII runs last so it sees
# every value that will be written.
STEPS: tuple[StepFactory, ...] = (
    OptoutsStep.from_config,
    ExtractStep.from_config,
    SecretsStep.from_config,
    LanguageStep.from_config,
    LicenceStep.from_config,
    FingerprintStep.from_config,
    PiiStep.from_config,
)


def apply_rewrite(page: Page, rewrite: Rewrite | None) -> None:
    if rewrite is None:
        return
    for name in ("text", "title", "author", "date", "sitename"):
        value = getattr(rewrite, name)
        if value is not None:
            setattr(page, name, value)


class Analyzer:
    """Every step, built once per process from the policy."""

    def __init__(self, steps: list[Step]) -> None:
        self.steps = steps

    @classmethod
    def from_config(cls, config: StepConfig) -> Analyzer:
        return cls([make(config) for make in STEPS])

    def analyse(self, page: Page) -> tuple[Page, dict[str, float]]:
        """The page with its findings and rewritten content, and the CPU seconds of each step.
        Its body is dropped: it goes back to the reactor without it."""
        cpu: dict[str, float] = {}
        started = time.process_time()
        document = Document.decode(page.body, page.encoding)
        cpu["decode"] = time.process_time() - started
        for step in self.steps:
            started = time.process_time()
            try:
                self._record(page, step.name, step.observe(page, document))
            except Exception as exc:  # the page is recorded as an analysis error, never lost
                logger.warning("%s step failed on %s: %s", step.name, page.url, type(exc).__name__)
                page.errors.append(f"{step.name}: {type(exc).__name__}: {str(exc)[:200]}")
                break
            finally:
                cpu[step.name] = cpu.get(step.name, 0.0) + time.process_time() - started
        page.body = b""
        return page, cpu

    @staticmethod
    def _record(page: Page, name: str, found: Any) -> None:
        rewrite = getattr(found, "rewrite", None)
        apply_rewrite(page, rewrite)
        if rewrite is not None:
            found = replace(found, rewrite=None)  # content lives on the page, once
        redacted = getattr(found, "redacted", None)
        if redacted is not None:
            # The PII step's copies of earlier findings replace them before anything is written.
            for earlier in ("optouts", "secrets", "licence"):
                if getattr(redacted, earlier) is not None:
                    setattr(page.findings, earlier, getattr(redacted, earlier))
            found = replace(found, redacted=None)
        if name == "language":
            page.language, page.language_probability = found.language, found.probability
        setattr(page.findings, name, found)


# One analyzer per worker process, built by the pool's initializer.
_analyzer: Analyzer | None = None


def start_worker(config: StepConfig) -> None:
    global _analyzer
    _analyzer = Analyzer.from_config(config)


def analyse_in_worker(page: Page) -> tuple[Page, dict[str, float]]:
    if _analyzer is None:
        raise RuntimeError("the analysis worker was started without its steps")
    return _analyzer.analyse(page)


class AnalysisPipeline:
    """Analyse, dedupe, decide and settle each page a spider captured."""

    def __init__(self, context: CrawlContext, stats: Any) -> None:
        self.context = context
        self.policy = context.policy
        self.stats = stats
        self.pool = context.analysis_pool(StepConfig(context.policy, context.pii_salt))
        self.dedupe = Dedupe(context.resume.fingerprints)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AnalysisPipeline:
        return cls(CrawlContext.of(crawler), crawler.stats)

    def open_spider(self) -> None:
        self.pool.warm()

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, Page):
            return item
        body = item.body
        try:
            page, cpu = await self.pool.run(item)
        except AnalysisTimeout as exc:
            logger.warning("Analysis timed out on %s: %s", item.url, exc)
            item.errors.append(f"{TIMEOUT_PREFIX}analysis: {exc}")
            page, cpu = item, {}
        except Exception as exc:  # the worker died: one page lost, recorded
            logger.warning("Analysis failed on %s: %s", item.url, exc)
            item.errors.append(f"analysis: {type(exc).__name__}: {str(exc)[:200]}")
            page, cpu = item, {}
        page.body = body
        for step, seconds in cpu.items():
            self.stats.inc_value(f"ccrawl/cpu/{step}", seconds)
        with cpu_timer(self.stats, "decide"):
            self.dedupe.observe(page)
            decision = decide(page, self.policy)
        page.outcome, page.reasons = decision.outcome, list(decision.reasons)
        page.evidence = list(decision.evidence)
        with cpu_timer(self.stats, "write"):
            self.context.settle(page)
        page.body = b""
        return page
