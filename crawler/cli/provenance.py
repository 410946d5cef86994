"""`ccrawl provenance verify|anchor`: check a crawl output or a bundle, and anchor its chain."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crawler.provenance import PROVENANCE_FILE, verify_output


def anchor_hash(text: str) -> str:
    """argparse type of --head: a full sha256, as `ccrawl provenance anchor` prints it."""
    digest = text.strip().lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise argparse.ArgumentTypeError("a 64-character sha256 hex hash, as anchor prints")
    return digest


def cmd_provenance_verify(args: argparse.Namespace) -> int:
    from crawler.bundle.verify import is_bundle
    from crawler.cli.bundle import verify_bundle_command

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
