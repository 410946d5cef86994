"""`ccrawl quarantine ...` and `ccrawl review`: the review queue from a terminal or a browser.

Human output is a readable table; `--json` is stable for scripts. Page text is never printed by
`list`; `show` prints the held (already redacted) item.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from crawler.quarantine import DecisionError, QueueItem
from crawler.review import default_reviewer, open_review


def _table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join([line, "  ".join("-" * w for w in widths), *body])


def _short(text: str | None, width: int) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_list(args: argparse.Namespace) -> int:
    review = open_review(args.dir)
    items = review.store.items(status=args.status, reason=args.reason, domain=args.domain)
    if args.json:
        print(json.dumps([i.summary() for i in items], ensure_ascii=False, indent=2))
        return 0
    if not items:
        print("The queue is empty" + (f" for status {args.status}" if args.status else "") + ".")
        return 0
    rows = [
        [i.id, i.status, ",".join(i.reasons), _short(i.url, 60), _short(i.summary()["title"], 40)]
        for i in items
    ]
    print(_table(rows, ["id", "status", "reasons", "url", "title"]))
    return 0


def _show(item: QueueItem) -> dict[str, Any]:
    return {
        **item.summary(),
        "evidence": item.evidence,
        "item": item.item,
        "provenance": item.provenance,
        "decision_provenance": item.decision_provenance,
    }


def cmd_show(args: argparse.Namespace) -> int:
    review = open_review(args.dir)
    status = 0
    for item_id in args.ids:
        item = review.store.get(item_id)
        if item is None:
            print(f"ccrawl: {item_id}: no such item in the quarantine queue", file=sys.stderr)
            status = 1
            continue
        if args.json:
            print(json.dumps(_show(item), ensure_ascii=False, indent=2))
            continue
        print(f"{item.id}  [{item.status}]  {item.url}")
        print(f"  reasons: {', '.join(item.reasons)}")
        for evidence in item.evidence:
            print("  evidence: " + json.dumps(evidence, ensure_ascii=False)[:500])
        if item.status != "pending":
            print(
                f"  decided: {item.status} by {item.reviewer} at {item.decided_at}"
                + (f" ({item.note})" if item.note else "")
            )
        if item.item:
            print(f"  title: {item.item.get('title')}")
            print(f"  licence: {item.item.get('licence')}  language: {item.item.get('language')}")
            print("  text:\n    " + (item.item.get("text") or "").replace("\n", "\n    "))
    return status


def _decide(args: argparse.Namespace, approve: bool) -> int:
    review = open_review(args.dir)
    reviewer = args.reviewer or default_reviewer()
    status = 0
    for item_id in args.ids:
        try:
            if approve:
                item = review.approve(item_id, reviewer, args.note)
            else:
                item = review.reject(item_id, reviewer, args.note)
        except DecisionError as exc:
            print(f"ccrawl: {exc}", file=sys.stderr)
            status = 1
            continue
        print(f"{item.id}: {item.status} by {reviewer}")
    return status


def cmd_approve(args: argparse.Namespace) -> int:
    return _decide(args, approve=True)


def cmd_reject(args: argparse.Namespace) -> int:
    return _decide(args, approve=False)


def cmd_stats(args: argparse.Namespace) -> int:
    stats = open_review(args.dir).store.stats()
    if args.json:
        print(json.dumps(stats, indent=2))
        return 0
    by_status = stats["by_status"]
    print(f"{stats['total']} items: " + ", ".join(f"{k} {v}" for k, v in by_status.items()))
    for reason, count in sorted(stats["pending_by_reason"].items(), key=lambda kv: -kv[1]):
        print(f"  pending {reason}: {count}")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from crawler.review_access import AccessError, check_bind, normalise_names, read_token
    from crawler.webreview import serve

    open_review(args.dir).close()  # fail early and clearly if DIR is not a crawl output
    try:
        token = read_token(args.token_file)
        names = normalise_names(args.allow_host)
        check_bind(args.host, args.allow_remote, token, names)
    except AccessError as exc:
        print(f"ccrawl: {exc}", file=sys.stderr)
        return 2
    reviewer = args.reviewer or default_reviewer()
    serve(args.dir, args.host, args.port, reviewer, token=token, allow_hosts=names)
    return 0


def add_commands(sub: Any) -> None:
    queue = sub.add_parser("quarantine", help="the review queue").add_subparsers(
        dest="action", required=True
    )
    listing = queue.add_parser("list", help="the queue as a table (or --json)")
    listing.add_argument("dir")
    listing.add_argument("--status", choices=["pending", "approved", "rejected"])
    listing.add_argument("--reason", help="only items with this reason code")
    listing.add_argument("--domain", help="only items from this host")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_list)

    show = queue.add_parser("show", help="one item with its evidence and held text")
    show.add_argument("dir")
    show.add_argument("ids", nargs="+", metavar="ID")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_show)

    for name, func, text in (
        ("approve", cmd_approve, "release into the dataset"),
        ("reject", cmd_reject, "delete the held text, keep the decision"),
    ):
        action = queue.add_parser(name, help=text)
        action.add_argument("dir")
        action.add_argument("ids", nargs="+", metavar="ID")
        action.add_argument("--note", help="why (kept in provenance)")
        action.add_argument("--reviewer", help="who decides (default: the OS user)")
        action.set_defaults(func=func)

    stats = queue.add_parser("stats", help="counts by status and pending reason")
    stats.add_argument("dir")
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(func=cmd_stats)

    review = sub.add_parser("review", help="the review queue as a local web page")
    review.add_argument("dir")
    review.add_argument(
        "--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)"
    )
    review.add_argument("--port", type=int, default=8765)
    review.add_argument("--reviewer", help="who decides (default: the OS user)")
    review.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a non-loopback --host; needs a token (--token-file or CCRAWL_REVIEW_TOKEN)",
    )
    review.add_argument(
        "--token-file",
        metavar="FILE",
        help="owner-only file holding the key (default: CCRAWL_REVIEW_TOKEN, else a random key)",
    )
    review.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer this Host name (needed with --host 0.0.0.0); repeatable",
    )
    review.set_defaults(func=cmd_review)
