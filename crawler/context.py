"""Per-crawl shared state: policy, provenance log, dataset, and the one `record` call.

Every component that settles a URL writes through `CrawlContext.record`, so each outcome gets one
chained provenance record and the counters that progress and summaries show stay in step.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals

from crawler.budget import PageBudget
from crawler.dataset import DatasetWriter, dataset_record, document_digest
from crawler.distributed import join_cluster
from crawler.distributed.cluster import Cluster
from crawler.items import Page
from crawler.jsonl import TornTail
from crawler.outputdir import claim_output_dir
from crawler.policy import Policy
from crawler.politeness import STATE_FILE as POLITENESS_STATE
from crawler.politeness import Politeness
from crawler.provenance import (
    DATASET_FILE,
    PROVENANCE_FILE,
    ProvenanceLog,
    torn_record,
    utc_now,
)
from crawler.quarantine import QuarantineStore
from crawler.redact import install_log_redaction, scrub_record
from crawler.resume import FrontierLog, ResumeState, load_state, lost_record
from crawler.urls import canonical_url, robots_url
from crawler.workers import AnalysisPool
from pipelines.decide import optout_summary
from pipelines.pii.salt import pii_salt

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

CONTEXT_ATTRIBUTE = "_ccrawl_context"


class CrawlContext:
    """Built once per crawl by the add-on (`CrawlContext.open`); every component is handed it
    through `CrawlContext.of(crawler)` in its `from_crawler`, and takes what it needs from it."""

    def __init__(
        self, crawler: Crawler, policy: Policy, output_dir: Path, cluster: Cluster | None = None
    ) -> None:
        claim_output_dir(output_dir, policy)  # before anything is written there
        self.crawler = crawler
        self.policy = policy
        self.cluster = cluster
        self.output_dir = output_dir
        output_dir.mkdir(parents=True, exist_ok=True)
        self.provenance = ProvenanceLog(output_dir / PROVENANCE_FILE)
        self.dataset = DatasetWriter(output_dir / DATASET_FILE)
        if policy.output.urls == "redact":
            install_log_redaction()
        self.quarantine = QuarantineStore.in_dir(output_dir)
        self.frontier = FrontierLog(output_dir, keep_all=policy.output.urls == "keep")
        keep_policy_copy(policy, output_dir)
        self.counts: Counter[str] = Counter()
        self.fetched = 0
        # pages captured and not yet settled: what backpressure must keep bounded
        self.in_analysis = 0
        self.max_in_analysis = 0
        self.on_final: Callable[[str], None] | None = None
        self._agent = policy.user_agent
        self._policy_identity = {"name": policy.name, "sha256": policy.sha256}
        for torn in (self.provenance.torn, self.dataset.torn, self.frontier.torn):
            if torn is not None:
                self._record_torn(torn)
        # Read back what an earlier run of this crawl did (after the torn-line repairs above).
        self.resume: ResumeState = load_state(output_dir)
        for record in self.resume.lost:
            logger.warning(
                "%s: its document was lost in a crash; it will be fetched again", record["url"]
            )
            lost = lost_record(record)
            self.record(lost.pop("url"), lost.pop("outcome"), lost.pop("reasons"), **lost)
        self.max_pages = crawler.settings.getint("CCRAWL_MAX_PAGES") or policy.scope.max_pages
        self.page_budget = PageBudget(self.max_pages, cluster)
        self.politeness = Politeness.for_crawl(
            policy, self.resume.last_request, output_dir / POLITENESS_STATE, cluster
        )
        if cluster is not None:
            self.on_final = lambda url: cluster.settle(canonical_url(url))
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def open(cls, crawler: Crawler, policy: Policy) -> CrawlContext:
        """The crawl's context: its outputs opened (or resumed), its cluster joined."""
        output = Path(crawler.settings.get("CCRAWL_OUTPUT_DIR") or policy.output.dir)
        cluster = join_cluster(crawler.settings, policy)
        if cluster is not None:  # each worker writes its own files (its own chain)
            output = output / "workers" / cluster.worker
        context = cls(crawler, policy, output, cluster)
        setattr(crawler, CONTEXT_ATTRIBUTE, context)
        return context

    @classmethod
    def of(cls, crawler: Crawler) -> CrawlContext:
        context: CrawlContext | None = getattr(crawler, CONTEXT_ATTRIBUTE, None)
        if context is None:
            raise RuntimeError(
                "ccrawl's components need its add-on: ADDONS = {'crawler.addon.CompliantCrawl': 0}"
            )
        return context

    def record(
        self,
        url: str,
        outcome: str,
        reasons: list[str],
        *,
        status: int | None = None,
        content_sha256: str | None = None,
        final: bool = True,
        robots: dict[str, Any] | None = None,
        requested_at: str | None = None,
        release: bool = True,
        **extra: Any,
    ) -> dict[str, Any]:
        record: dict[str, Any] = {
            "url": url,
            "time": utc_now(),
            "outcome": outcome,
            "reasons": list(reasons),
            "status": status,
            "content_sha256": content_sha256,
            "robots": robots or {"url": robots_url(url), "sha256": None, "rule": None},
            "policy": self._policy_identity,
            "agent": self._agent,
            "final": final,
        }
        record.update({k: v for k, v in extra.items() if v is not None})
        if requested_at is not None:
            record["requested_at"] = requested_at
        written = self.provenance.append(scrub_record(record, self.policy.output.urls))
        stats = self._stats()
        if final and release and self.on_final is not None and "://" in url:
            self.on_final(url)
        if final:
            self.counts[outcome] += 1
            if stats is not None:
                stats.inc_value(f"ccrawl/outcome/{outcome}")
        if stats is not None:
            for reason in reasons:
                stats.inc_value(f"ccrawl/reason/{reason}")
        return written

    def _stats(self) -> Any:
        """The crawl's stats, or None before the crawl starts (records of a resume's repairs are
        written while the add-on opens the context)."""
        try:
            return self.crawler.stats
        except RuntimeError:
            return None

    def settle(self, page: Page) -> dict[str, Any]:
        """Write the final record of an analysed page, and the document itself if accepted.

        An accepted page's provenance record holds `document_sha256`, the hash of its dataset
        record, so an edit to the dataset is as detectable as an edit to the log.
        """
        self.in_analysis = max(0, self.in_analysis - 1)
        outcome = page.outcome or "error"
        held = outcome in ("accepted", "quarantined")
        document = dataset_record(page, "", self.policy.output.urls) if held else None
        evidence = page.evidence or None
        written = self.record(
            page.url,
            outcome,
            page.reasons or ["analysis-error"],
            status=page.status,
            content_sha256=page.content_sha256,
            document_sha256=document_digest(document) if document else None,
            fetched_at=page.fetched_at,
            requested_at=page.requested_at,
            depth=page.depth,
            referer=page.referer,
            content_type=page.content_type,
            language=page.language,
            findings=_provenance_findings(page, self.policy.usage),
            error="; ".join(page.errors) if page.errors else None,
            duplicate_of=page.findings.dedupe.duplicate_of if page.findings.dedupe else None,
            evidence=evidence,
            robots=page.robots,
            # a distributed crawl lets go of the URL only once the document is written too
            release=False,
        )
        if document is not None:
            document["provenance"] = written["hash"]
            if outcome == "accepted":
                self.dataset.append(document)
            else:
                self.quarantine.add(
                    written["hash"][:12],
                    written["url"],
                    list(page.reasons),
                    written.get("evidence") or [],
                    document,
                    written["hash"],
                )
        if self.on_final is not None:
            self.on_final(page.url)
        return written

    @property
    def pii_salt(self) -> bytes:
        return pii_salt(self.crawler.settings.get("CCRAWL_PII_SALT"), self.output_dir)

    def analysis_pool(self, config: Any) -> AnalysisPool:
        """The pool that analyses this crawl's pages, its workers built with `config`."""
        from pipelines.analysis import analyse_in_worker, start_worker

        pool = AnalysisPool.from_settings(
            self.crawler.settings,
            start_worker,
            (config,),
            analyse_in_worker,
            page_budget=self.max_pages,
        )
        self.crawler.signals.connect(pool.close, signal=signals.spider_closed)
        return pool

    def captured(self) -> None:
        self.in_analysis += 1
        self.max_in_analysis = max(self.max_in_analysis, self.in_analysis)

    def _record_torn(self, torn: TornTail) -> None:
        logger.warning(
            "Repaired a torn last line in %s (%d bytes moved to %s)",
            torn.path,
            torn.length,
            torn.saved_to,
        )
        record = torn_record(torn)
        self.record(
            record.pop("url"), record.pop("outcome"), record.pop("reasons"), torn=record["torn"]
        )

    def close(self) -> None:
        self.provenance.close()
        self.dataset.close()
        self.quarantine.close()
        self.frontier.close()


def keep_policy_copy(policy: Policy, output_dir: Path) -> None:
    """Keep the exact policy file a crawl ran under, as policies/<sha256>.yaml, for exports."""
    if not policy.source or not policy.sha256:
        return
    target = output_dir / "policies" / f"{policy.sha256}.yaml"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(Path(policy.source).read_bytes())


def _provenance_findings(page: Page, usage: str) -> dict[str, Any]:
    """Counts and types only: provenance never holds page text, PII values or secrets."""
    findings: dict[str, Any] = {}
    if page.language_probability is not None:
        findings["language_probability"] = round(page.language_probability, 4)
    findings["text_chars"] = len(page.text)
    findings.update(page.findings.summaries())
    if page.findings.optouts is not None:  # the signals that speak to this crawl's usage
        findings["optouts"] = optout_summary(page.findings.optouts, usage)
    return findings
