"""`ccrawl`: run crawls, check policies, verify provenance.

Exit codes: 0 success, 1 the crawl or the check found a problem, 2 bad usage or an invalid policy.
Nothing here prints page content; summaries are counts.
"""

from __future__ import annotations

import argparse
import logging
import sys

from crawler.cli.crawl import cmd_crawl, cmd_demo, run_crawl
from crawler.cli.provenance import anchor_hash, cmd_provenance_anchor, cmd_provenance_verify
from crawler.policy import PolicyError, load_policy
from crawler.quarantine import DecisionError

__all__ = ["build_parser", "main", "run_crawl"]


def cmd_policy_check(args: argparse.Namespace) -> int:
    policy = load_policy(args.policy)
    print(f"# {args.policy}: valid (sha256 {policy.sha256})")
    print(f"# User-Agent: {policy.user_agent}")
    print(policy.effective_yaml(), end="")
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

    from crawler.cli.bundle import add_commands as add_bundle_commands
    from crawler.cli.quarantine import add_commands

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
