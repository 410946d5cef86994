"""The analysis of one page: the one ordered list of steps and the one way to run them.

`Analyzer.analyse` decodes and parses the body once and runs every step in `STEPS` order, in an
analysis worker (or inline with `CCRAWL_WORKERS=0`); `pipelines.pipeline.AnalysisPipeline` sends
each page here once. This side never imports Scrapy: a worker holds only what the steps need. A
step never applies the policy's rules and never sees the crawler.
"""

from __future__ import annotations

import importlib
import logging
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from crawler.items import Page
from crawler.policy import Policy
from pipelines.findings import Rewrite

if TYPE_CHECKING:
    from pipelines.document import Document

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


# The order steps run in: extraction needs the opt-outs' paywall selectors, secrets and licence
# read the main text, the fingerprint is taken before PII redaction, PII runs last so it sees
# every value that will be written. Loaded by name where the steps run (the analysis workers), so
# the crawl's own process never imports the extraction and PII libraries.
STEPS: tuple[str, ...] = (
    "pipelines.optouts.OptoutsStep",
    "pipelines.extract.ExtractStep",
    "pipelines.secrets.step.SecretsStep",
    "pipelines.language.LanguageStep",
    "pipelines.licences.step.LicenceStep",
    "pipelines.dedupe.FingerprintStep",
    "pipelines.pii.step.PiiStep",
)


def load_step(path: str) -> Any:
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


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
        return cls([load_step(path).from_config(config) for path in STEPS])

    def analyse(self, page: Page) -> tuple[Page, dict[str, float]]:
        """The page with its findings and rewritten content, and the CPU seconds of each step.
        Its body is dropped: it goes back to the reactor without it."""
        # Imported here, where pages are analysed: the crawl's own process never loads trafilatura.
        from pipelines.document import Document

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
