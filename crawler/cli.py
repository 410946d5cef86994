"""`ccrawl`: run crawls, check policies, verify provenance.

Exit codes: 0 success, 1 the crawl or the check found a problem, 2 bad usage or an invalid policy.
Nothing here prints page content; summaries are counts.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.policy import PolicyError, load_policy
from crawler.provenance import DATASET_FILE, PROVENANCE_FILE, verify_output
from crawler.quarantine import DecisionError

REPO_ROOT = Path(__file__).resolve().parent.parent


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


def cmd_policy_check(args: argparse.Namespace) -> int:
    policy = load_policy(args.policy)
    print(f"# {args.policy}: valid (sha256 {policy.sha256})")
    print(f"# User-Agent: {policy.user_agent}")
    print(policy.effective_yaml(), end="")
    return 0


def anchor_hash(text: str) -> str:
    """argparse type of --head: a full sha256, as `ccrawl provenance anchor` prints it."""
    digest = text.strip().lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise argparse.ArgumentTypeError("a 64-character sha256 hex hash, as anchor prints")
    return digest


def cmd_provenance_verify(args: argparse.Namespace) -> int:
    from crawler.bundle.verify import is_bundle
    from crawler.cli_bundle import verify_bundle_command

    directory = Path(args.dir)
    if not directory.is_dir():
        print(f"ccrawl: {directory}: not a directory", file=sys.stderr)
        return 2
    if is_bundle(directory):
        return verify_bundle_command(directory, args.key, args.head)
    if args.key:
        print(
            f"ccrawl: {directory}: --key checks a bundle's signature (no MANIFEST.json here)",
            file=sys.stderr,
        )
        return 2
    report = verify_output(directory, head=args.head, require_store=True)
    if report.ok:
        print(
            f"OK: {report.records} provenance records chained (head {report.head[:16]}), "
            f"{report.dataset_records} dataset records match"
        )
        if args.head:
            print(
                f"Anchor: head {args.head[:16]} is in the chain; "
                f"{report.after_anchor} records follow it"
            )
        return 0
    for problem in report.problems:
        print(f"BROKEN: {problem}")
    return 1


def cmd_provenance_anchor(args: argparse.Namespace) -> int:
    import json

    from crawler.bundle.verify import is_bundle, verify_bundle
    from crawler.provenance import VerifyReport

    directory = Path(args.dir)
    if not directory.is_dir():
        print(f"ccrawl: {directory}: not a directory", file=sys.stderr)
        return 2
    report: VerifyReport
    if is_bundle(directory):
        bundle = verify_bundle(directory)
        report, heads = bundle, {r: (h, bundle.chain_records[r]) for r, h in bundle.heads.items()}
    else:
        report = verify_output(directory, require_store=True)
        heads = {PROVENANCE_FILE: (report.head, report.records)}
    if not report.ok:  # an anchor vouches for a state: never for a broken one
        for problem in report.problems:
            print(f"BROKEN: {problem}")
        return 1
    if args.json:
        print(json.dumps({r: {"head": h, "records": n} for r, (h, n) in heads.items()}, indent=2))
        return 0
    for rel, (head, records) in heads.items():
        print(f"{head}  {records} records  {rel}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ccrawl", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    crawl = sub.add_parser("crawl", help="run the crawl a policy describes")
    crawl.add_argument("policy")
    crawl.add_argument("--output", help="output directory (default: the policy's output.dir)")
    crawl.add_argument("--max-pages", type=int, help="page budget (default: scope.max_pages)")
    crawl.add_argument(
        "--resume",
        action="store_true",
        help="continue the crawl in the output directory (also the default when it holds one)",
    )
    crawl.add_argument("--worker", help="this worker's name in a distributed crawl")
    crawl.add_argument("--quiet", action="store_true", help="no progress line, no summary")
    crawl.add_argument("--log-level", default="WARNING", help="Scrapy log level (default WARNING)")
    crawl.add_argument(
        "-s", "--set", action="append", metavar="NAME=VALUE", help="a Scrapy setting"
    )
    crawl.set_defaults(func=cmd_crawl)

    demo = sub.add_parser("demo", help="serve the bundled demo site and crawl it")
    demo.add_argument("--output", help="output directory (default: output/demo)")
    demo.add_argument("--quiet", action="store_true")
    demo.add_argument("--log-level", default="WARNING")
    demo.set_defaults(func=cmd_demo)

    policy = sub.add_parser("policy", help="policy files").add_subparsers(
        dest="action", required=True
    )
    check = policy.add_parser("check", help="validate a policy and print the effective values")
    check.add_argument("policy")
    check.set_defaults(func=cmd_policy_check)

    provenance = sub.add_parser("provenance", help="provenance logs").add_subparsers(
        dest="action", required=True
    )
    verify = provenance.add_parser(
        "verify", help="check the hash chain and the dataset (of a crawl output or a bundle)"
    )
    verify.add_argument("dir", metavar="DIR|BUNDLE")
    verify.add_argument("--key", metavar="PUB", help="a bundle's Ed25519 public key")
    verify.add_argument(
        "--head",
        type=anchor_hash,
        metavar="HASH",
        help="a head published earlier (ccrawl provenance anchor): fail unless it is in the chain",
    )
    verify.set_defaults(func=cmd_provenance_verify)
    anchor = provenance.add_parser(
        "anchor", help="verify, then print the chain head(s) to publish or sign"
    )
    anchor.add_argument("dir", metavar="DIR|BUNDLE")
    anchor.add_argument("--json", action="store_true")
    anchor.set_defaults(func=cmd_provenance_anchor)

    from crawler.cli_bundle import add_commands as add_bundle_commands
    from crawler.cli_quarantine import add_commands

    add_commands(sub)
    add_bundle_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.captureWarnings(True)
    try:
        return int(args.func(args))
    except PolicyError as exc:
        print(f"ccrawl: {exc}", file=sys.stderr)
        return 2
    except DecisionError as exc:
        print(f"ccrawl: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # an output directory not writable, a review port already in use
        print(f"ccrawl: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
