"""`ccrawl crawl` and `ccrawl demo`: run a crawl under a policy and print what it did.

A crawl that cannot start (a bad policy, an output directory it may not write into) stops before
any request with one line naming the problem.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.policy import PolicyError, load_policy
from crawler.provenance import DATASET_FILE, PROVENANCE_FILE, verify_output

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class CrawlResult:
    policy_name: str
    output_dir: Path
    finish_reason: str
    seconds: float
    counts: dict[str, int]
    reasons: Counter[str] = field(default_factory=Counter)


def run_crawl(
    policy_path: str | Path,
    output: str | Path | None = None,
    max_pages: int | None = None,
    quiet: bool = False,
    log_level: str = "WARNING",
    settings_overrides: dict[str, Any] | None = None,
    resume: bool = False,
) -> CrawlResult:
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from crawler.context import CrawlContext
    from crawler.outputdir import claim_output_dir
    from crawler.progress import summary_counts
    from crawler.spiders.policy import PolicySpider

    policy = load_policy(policy_path)  # fail before Scrapy starts
    target = Path(output or policy.output.dir)
    if resume and not policy.distributed.redis_url and not (target / "frontier.jsonl").is_file():
        raise PolicyError(str(policy_path), [f"--resume: {target} holds no crawl to resume"])
    settings = Settings()
    settings.setmodule("crawler.scrapy_settings", priority="project")
    settings.set("CCRAWL_POLICY", str(policy_path), priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    if output is not None:
        settings.set("CCRAWL_OUTPUT_DIR", str(output), priority="cmdline")
    if max_pages is not None:
        settings.set("CCRAWL_MAX_PAGES", max_pages, priority="cmdline")
    if quiet:
        settings.set("CCRAWL_PROGRESS", False, priority="cmdline")
    for name, value in (settings_overrides or {}).items():
        settings.set(name, value, priority="cmdline")

    process = CrawlerProcess(settings, install_root_handler=True)
    # Claimed (or made) here, before the reactor runs, so a refusal is one line naming the
    # directory; after the process exists, so a warning is logged the way Scrapy logs.
    claim_output_dir(target, policy)
    crawler = process.create_crawler(PolicySpider)
    started = time.monotonic()
    process.crawl(crawler)
    process.start()
    seconds = time.monotonic() - started

    stats = crawler.stats.get_stats() if crawler.stats else {}
    context: CrawlContext | None = getattr(crawler, "_ccrawl_context", None)
    counts = summary_counts(context) if context else {}
    reasons = Counter(
        {
            k.removeprefix("ccrawl/reason/"): v
            for k, v in stats.items()
            if k.startswith("ccrawl/reason/")
        }
    )
    out_dir = context.output_dir if context else Path(output or policy.output.dir)
    return CrawlResult(
        policy.name, out_dir, str(stats.get("finish_reason", "unknown")), seconds, counts, reasons
    )


def print_summary(result: CrawlResult, stream: Any = sys.stdout) -> None:
    c = result.counts
    print(
        f"Crawl '{result.policy_name}' {result.finish_reason} in {result.seconds:.1f} s",
        file=stream,
    )
    for label, key in (
        ("fetched", "fetched"),
        ("accepted", "accepted"),
        ("quarantined", "quarantined"),
        ("dropped", "dropped"),
        ("refused", "refused"),
        ("errors", "error"),
    ):
        print(f"  {label:<12}{c.get(key, 0):>6}", file=stream)
    if result.reasons:
        top = ", ".join(f"{code} {n}" for code, n in result.reasons.most_common(8))
        print(f"  reasons     {top}", file=stream)
    out = result.output_dir
    print(f"Output: {out}/{DATASET_FILE}, {out}/{PROVENANCE_FILE}", file=stream)
    print(f"Check it: ccrawl provenance verify {out}", file=stream)
    if c.get("quarantined"):
        print(
            f"Review the queue: ccrawl quarantine list {out}  (or: ccrawl review {out})",
            file=stream,
        )


def cmd_crawl(args: argparse.Namespace) -> int:
    result = run_crawl(
        args.policy,
        output=args.output,
        max_pages=args.max_pages,
        quiet=args.quiet,
        log_level=args.log_level,
        settings_overrides={
            **dict(_parse_set(s) for s in args.set or []),
            **({"CCRAWL_WORKER": args.worker} if args.worker else {}),
        },
        resume=args.resume,
    )
    if not args.quiet:
        print_summary(result)
    return 0 if result.finish_reason in ("finished", "closespider_pagecount") else 1


def _parse_set(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep:
        raise SystemExit(f"ccrawl: -s takes NAME=VALUE, got {text!r}")
    return name, value


def demo_policy_file() -> Path:
    path = REPO_ROOT / "policies" / "demo.yaml"
    if not path.is_file():
        raise SystemExit(
            f"ccrawl: the demo policy is missing ({path}); install from the repository"
        )
    return path


def cmd_demo(args: argparse.Namespace) -> int:
    from crawler.demo.server import DemoServer

    template = demo_policy_file().read_text(encoding="utf-8")
    output = Path(args.output or "output/demo")
    output.mkdir(parents=True, exist_ok=True)
    with DemoServer() as server:
        host_port = server.base_url.split("//", 1)[1].rstrip("/")
        policy_file = output / "demo-policy.yaml"
        policy_file.write_text(template.replace("127.0.0.1:8631", host_port), encoding="utf-8")
        print(f"Serving the demo site at {server.base_url}")
        result = run_crawl(policy_file, output=output, quiet=args.quiet, log_level=args.log_level)
    print_summary(result)
    report = verify_output(output)
    print(f"Provenance: {'intact' if report.ok else 'BROKEN'} ({report.records} records)")
    return 0 if report.ok and result.finish_reason == "finished" else 1
