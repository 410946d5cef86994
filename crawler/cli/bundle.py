"""`ccrawl export`, `keygen`, `lookup` and `report`: bundles for data teams and rights-holders.

Human output is short and readable; `--json` is stable for scripts. Nothing here prints document
text except `lookup`'s matched titles and URLs, and nothing prints key material.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from crawler.bundle import BundleError


def _fail(exc: Exception) -> int:
    print(f"ccrawl: {exc}", file=sys.stderr)
    return 2


def cmd_export(args: argparse.Namespace) -> int:
    from crawler.bundle.export import export

    try:
        result = export(args.dirs, args.to, args.format, args.shard_docs, args.sign)
    except BundleError as exc:
        return _fail(exc)
    print(
        f"Bundle {result.root}: {result.documents} documents in {len(result.shards)} "
        f"{args.format} shard(s), {result.records} provenance records"
        + (", MANIFEST.json signed" if result.signed else "")
    )
    for rel, head in result.heads.items():
        print(f"  {rel}: head {head}")
    print(f"Check it: ccrawl provenance verify {result.root}")
    return 0


def cmd_keygen(args: argparse.Namespace) -> int:
    from crawler.bundle.signing import fingerprint, keygen, load_public

    try:
        key_path, pub_path = keygen(args.out)
    except BundleError as exc:
        return _fail(exc)
    print(f"Private key: {key_path} (keep it secret; mode 0600)")
    print(f"Public key:  {pub_path} ({fingerprint(load_public(pub_path))})")
    return 0


def verify_bundle_command(directory: Path, key: str | None, head: str | None = None) -> int:
    """`ccrawl provenance verify BUNDLE [--key PUB] [--head HASH]` (called from crawler.cli)."""
    from crawler.bundle.signing import load_public
    from crawler.bundle.verify import verify_bundle

    if key is not None:
        try:
            load_public(key)
        except BundleError as exc:
            return _fail(exc)
    report = verify_bundle(directory, key, head)
    if not report.ok:
        for problem in report.problems:
            print(f"BROKEN: {problem}")
        return 1
    chains = ", ".join(f"{rel} head {digest[:16]}" for rel, digest in report.heads.items())
    print(
        f"OK: bundle intact: {report.files} files match MANIFEST.json and its figures match the "
        f"data; {report.records} provenance records chained ({chains}); "
        f"{report.dataset_records} dataset records match"
    )
    if head is not None:
        print(
            f"Anchor: head {head[:16]} is in {report.anchored_in}; "
            f"{report.after_anchor} records follow it"
        )
    if report.signature == "valid":
        print(f"Signature: valid ({report.key_fingerprint})")
    elif report.signature == "not checked":
        print("Signature: present, not checked (pass --key PUB to check it); origin unproven")
    else:
        print("Signature: none; the bundle is consistent, but only a signature proves who made it")
    return 0


def cmd_lookup(args: argparse.Namespace) -> int:
    from crawler.bundle.lookup import Lookup, render

    try:
        lookup = Lookup(args.path)
        if args.url:
            result = lookup.by_url(args.url)
        else:
            text = (
                sys.stdin.read()
                if args.text == "-"
                else Path(args.text).read_text(encoding="utf-8")
            )
            result = lookup.by_text(text, threshold=args.threshold)
    except (BundleError, OSError) as exc:
        return _fail(exc)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(render(result))
    return 0 if result["found"] else 1


def cmd_report_rightsholders(args: argparse.Namespace) -> int:
    from crawler.bundle.report import render, rightsholders

    try:
        rows = rightsholders(args.path)
    except BundleError as exc:
        return _fail(exc)
    print(json.dumps(rows, indent=2, ensure_ascii=False) if args.json else render(rows))
    return 0


def add_commands(sub: Any) -> None:
    from crawler.bundle.formats import DEFAULT_SHARD_DOCS

    export = sub.add_parser("export", help="crawl output(s) into a verifiable dataset bundle")
    export.add_argument("dirs", nargs="+", metavar="DIR", help="crawl output directories")
    export.add_argument("--to", required=True, metavar="BUNDLE", help="new bundle directory")
    export.add_argument("--format", choices=["jsonl", "parquet"], default="jsonl")
    export.add_argument(
        "--shard-docs",
        type=int,
        default=DEFAULT_SHARD_DOCS,
        metavar="N",
        help=f"documents per data file (default {DEFAULT_SHARD_DOCS})",
    )
    export.add_argument("--sign", metavar="KEY", help="Ed25519 private key (ccrawl keygen)")
    export.set_defaults(func=cmd_export)

    keygen = sub.add_parser("keygen", help="an Ed25519 key pair for signing bundles")
    keygen.add_argument("--out", required=True, metavar="PREFIX", help="writes PREFIX.key/.pub")
    keygen.set_defaults(func=cmd_keygen)

    lookup = sub.add_parser("lookup", help="is a work in the dataset, and what happened to it")
    lookup.add_argument("path", metavar="DIR|BUNDLE")
    what = lookup.add_mutually_exclusive_group(required=True)
    what.add_argument("--url", help="the work's URL (compared in canonical form)")
    what.add_argument("--text", metavar="FILE", help="the work's text ('-' for stdin)")
    lookup.add_argument(
        "--threshold",
        type=float,
        default=0.5,
        help="Jaccard similarity at which a text counts as found (default 0.5)",
    )
    lookup.add_argument("--json", action="store_true")
    lookup.set_defaults(func=cmd_lookup)

    report = sub.add_parser("report", help="accounts of the dataset").add_subparsers(
        dest="report", required=True
    )
    holders = report.add_parser(
        "rightsholders", help="documents, bytes, tokens and licences per rights-holder"
    )
    holders.add_argument("path", metavar="DIR|BUNDLE")
    holders.add_argument("--json", action="store_true")
    holders.set_defaults(func=cmd_report_rightsholders)
