"""Golden copy of a real crawl: the dataset, provenance and quarantine a fixed site and policy
produce, normalised so runs compare across time, ports and the hash chain. It guards the rebuild
of the page-analysis path: the rebuilt code must write exactly what the current code writes.

Regenerate (only when a change of output is intended, and review the diff):
    CCRAWL_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from crawler.dataset import document_id
from crawler.quarantine import QUARANTINE_FILE
from tests.helpers import read_jsonl, run_ccrawl, write_policy
from tests.mockserver import FixtureServer
from tests.test_content_rules import AWS_KEY, CC_BY, PLANTED, PROSE, build_site, page

GOLDEN = Path(__file__).resolve().parent / "golden" / "content_crawl.json"
UPDATE = os.environ.get("CCRAWL_UPDATE_GOLDEN") == "1"
# Fixed, so hashed PII tokens (if the policy ever hashes) and anything else keyed by the salt are
# stable; without it every output directory gets a random salt (crawler/pii/salt.py).
SALT = "golden-test-salt-not-secret"
SITE = "http://SITE"

Outputs = dict[str, list[dict[str, Any]]]  # dataset, provenance, quarantine

# Times, and hashes that chain records or cover a time, change on every run; `policy.sha256`
# goes too (the policy file names the port and the temporary output path). Everything else is
# kept. Lists keep their order: in repeated runs none varied (evidence, licence sources, signals
# come out in document or rule order), and a reordering by the rebuild is a change worth seeing.
VOLATILE = frozenset(
    {
        "time",
        "fetched_at",
        "requested_at",
        "quarantined_at",
        "decided_at",
        "hash",
        "prev",
        "provenance",
        "document_sha256",
        "supersedes",
        "decision_provenance",
    }
)

PAID = "Subscribers read on: the full engineering report and the tender figures."
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8pL2mN4o"
DESK_EMAIL = "desk@harbour-example.org"
DESK_PHONE = "+44 20 7946 0588"
ROBOTS = "User-agent: *\nDisallow: /golden/private/\n"


def golden_pages(site: FixtureServer) -> None:
    """Pages beyond test_content_rules.build_site, one per rule the analysis path applies."""
    links = [
        "/golden/paywall-cut.html",
        "/golden/paywall.html",
        "/golden/noai.html",
        "/golden/tdmrep.html",
        "/golden/zh-notice.html",
        "/golden/original.html",
        "/golden/aws.html",
        "/golden/contact.html",
        "/golden/moved.html",
        "/golden/de.html",
        "/golden/private/plan.html",
    ]
    nav = "".join(f'<p><a href="{link}">{link}</a> {PROSE}</p>' for link in links)
    site.add("/golden/index.html", page("Golden index", nav))
    site.add("/robots.txt", ROBOTS, content_type="text/plain")
    # Article-level flag plus a hasPart section with a cssSelector: a cuttable paywall.
    cut_ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": "Tender results",
            "isAccessibleForFree": False,
            "hasPart": {
                "@type": "WebPageElement",
                "isAccessibleForFree": False,
                "cssSelector": ".paid",
            },
        }
    )
    site.add(
        "/golden/paywall-cut.html",
        page(
            "Tender results",
            f"<p>Free part. {PROSE}</p><p>{PROSE}</p><div class='paid'><p>{PAID}</p></div>",
            head=CC_BY + f'<script type="application/ld+json">{cut_ld}</script>',
        ),
    )
    # The whole page is paid: nothing to cut.
    whole_ld = json.dumps(
        {"@context": "https://schema.org", "@type": "NewsArticle", "isAccessibleForFree": "False"}
    )
    site.add(
        "/golden/paywall.html",
        page(
            "Members only",
            f"<p>{PROSE}</p>",
            head=CC_BY + f'<script type="application/ld+json">{whole_ld}</script>',
        ),
    )
    site.add(
        "/golden/noai.html",
        page("No AI", f"<p>{PROSE}</p>", head=CC_BY + '<meta name="robots" content="noai">'),
    )
    site.add(
        "/golden/tdmrep.html",
        page(
            "Reserved for TDM",
            f"<p>{PROSE}</p>",
            head=CC_BY
            + '<meta name="tdm-reservation" content="1">'
            + '<meta name="tdm-policy" content="https://example.org/tdm-policy.json">',
        ),
    )
    zh = (
        "渡轮公司宣布，由于码头维修，下周起早班船将推迟半小时出发。公司提醒乘客提前查看时刻表，"
        "并感谢市民在施工期间的耐心与理解。"
    )
    site.add(
        "/golden/zh-notice.html",
        page("渡轮时刻调整", "".join(f"<p>第{i}条。{zh}</p>" for i in range(1, 5))).replace(
            'lang="en"', 'lang="zh-CN"'
        ),
    )
    # An exact duplicate: byte for byte the same body. The copy is linked only from the original
    # and answers late, so the original is always the one kept: which of two pages counts as the
    # duplicate must not depend on download order.
    original = page(
        "Ferry timetable",
        f"<p>{PROSE}</p><p>The ferry keeps its winter timetable until the works end.</p>"
        '<p><a href="/golden/original-copy.html">mirror</a></p>',
    )
    site.add("/golden/original.html", original)
    site.add("/golden/original-copy.html", original, delay=1.0)
    site.add(
        "/golden/aws.html",
        page(
            "Build log",
            f"<p>{PROSE}</p><p>The build used the access key {AWS_KEY} with the secret "
            f"{AWS_SECRET} for the upload.</p>",
        ),
    )
    site.add(
        "/golden/contact.html",
        page(
            f"Call {DESK_PHONE} or write to {DESK_EMAIL}",
            f"<p>{PROSE}</p><p>News desk: {DESK_EMAIL}, {DESK_PHONE}.</p>"
            # enough prose to stay under pii.quarantine_above: accepted, redacted in place
            + "".join(f"<p>Notice {i}: {PROSE}</p>" for i in range(14)),
        ),
    )
    # The target is linked from nowhere else, so its referer and depth are always the same.
    site.add("/golden/moved.html", status=301, headers={"Location": "/golden/moved-to.html"})
    site.add("/golden/moved-to.html", page("New address", f"<p>{PROSE}</p><p>{PROSE}</p>"))
    de = (
        "Der Hafenausschuss traf sich am Dienstagabend, um die Reparatur der Nordmauer zu "
        "besprechen, die nach drei stürmischen Wintern geschwächt ist. "
    )
    site.add(
        "/golden/de.html",
        page("Hafenmauer", "".join(f"<p>{i}. {de}</p>" for i in range(1, 6))).replace(
            'lang="en"', 'lang="de"'
        ),
    )
    site.add("/golden/private/plan.html", page("Private plan", f"<p>{PROSE}</p>"))


def golden_crawl(
    servers: tuple[FixtureServer, ...], directory: Path, *settings: str
) -> tuple[Path, str]:
    """Build the site, run one real crawl with the fixed policy; the output dir and base URL."""
    site = servers[0]
    site.reset()
    build_site(site)
    golden_pages(site)
    policy = write_policy(
        directory,
        [site.url("/"), site.url("/golden/index.html")],
        licences={
            "accept": ["CC-BY-*", "CC0-1.0"],
            "reject": ["CC-BY-ND-*"],
            "unknown": "quarantine",
        },
        pii={"action": "redact", "quarantine_above": 0.05},
        access={"paywalled_sections": "cut"},
        languages=["en", "zh"],
    )
    args = ["crawl", str(policy), "--quiet", "-s", f"CCRAWL_PII_SALT={SALT}"]
    for setting in settings:
        args += ["-s", setting]
    result = run_ccrawl(*args)
    assert result.returncode == 0, f"crawl failed ({result.returncode}):\n{result.stderr[-3000:]}"
    return directory / "out", site.base


def _clean(value: Any, base: str) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v, base) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_clean(v, base) for v in value]
    if isinstance(value, str):
        # The port is ephemeral. Besides the base URL it shows as host:port, and after the host
        # itself was redacted as PII: the fixture's site name "127.0.0.1:PORT" is written as
        # "<IP_ADDRESS>:PORT".
        port = base.rsplit(":", 1)[1]
        value = value.replace(base, SITE).replace(base.removeprefix("http://"), "SITE")
        return re.sub(rf":{port}\b", ":PORT", value)
    if isinstance(value, float):
        # Language probabilities and PII shares: stable in repeated runs today, but last-digit
        # noise (another thread count, another numeric library build) must not fail the test.
        return round(value, 3)
    return value


def _document(record: dict[str, Any], base: str) -> dict[str, Any]:
    """A dataset record (also the item a quarantine entry holds), normalised."""
    out: dict[str, Any] = _clean(record, base)
    # `id` is sha256 of the URL, so it carries the port: keep the relation, not the value.
    if "id" in record and record["id"] == document_id(record.get("url", "")):
        out["id"] = document_id(out["url"])
    return out


def _provenance(record: dict[str, Any], base: str) -> dict[str, Any]:
    out: dict[str, Any] = _clean(record, base)
    if isinstance(out.get("policy"), dict):
        # The policy file holds the port (seeds) and the output path.
        out["policy"] = {k: v for k, v in out["policy"].items() if k != "sha256"}
    return out


def _sort_key(record: dict[str, Any]) -> tuple[str, str, str, str]:
    return (
        str(record.get("url")),
        str(record.get("final")),
        str(record.get("outcome", record.get("status"))),
        json.dumps(record, sort_keys=True, ensure_ascii=False),
    )


def _quarantine(out: Path, base: str) -> list[dict[str, Any]]:
    path = out / QUARANTINE_FILE
    if not path.exists():
        return []
    # Read-only, so the comparison can never change the store it reads.
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        rows = [dict(row) for row in db.execute("SELECT * FROM items")]
    finally:
        db.close()
    items = []
    for row in rows:
        # `id` is the first 12 hex digits of the provenance hash: chain-dependent.
        row.pop("id")
        for column in ("reasons", "evidence", "item"):
            row[column] = json.loads(row[column]) if row[column] else None
        item = _document(row.pop("item"), base) if row.get("item") is not None else None
        items.append({**_clean(row, base), "item": item})
    return items


def normalised(out: Path, base: str) -> Outputs:
    """The crawl's outputs with times, chain hashes and the port removed, in a stable order."""
    return {
        "dataset": sorted(
            (_document(r, base) for r in read_jsonl(out / "dataset.jsonl")), key=_sort_key
        ),
        "provenance": sorted(
            (_provenance(r, base) for r in read_jsonl(out / "provenance.jsonl")), key=_sort_key
        ),
        "quarantine": sorted(_quarantine(out, base), key=_sort_key),
    }


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


def _keyed(records: list[dict[str, Any]]) -> dict[tuple[str, ...], dict[str, Any]]:
    """Records by (url, final, n), n telling apart records that share both: a record whose
    outcome changed pairs with its old self and shows as a diff, not as one gone and one new."""
    seen: Counter[tuple[str, ...]] = Counter()
    keyed: dict[tuple[str, ...], dict[str, Any]] = {}
    for record in records:
        key = (str(record.get("url")), str(record.get("final", "")))
        keyed[(*key, str(seen[key]))] = record
        seen[key] += 1
    return keyed


def _label(key: tuple[str, ...], record: dict[str, Any] | None) -> str:
    outcome = (record or {}).get("outcome") or (record or {}).get("status")
    return " ".join(p for p in (key[0], "final" if key[1] == "True" else "", outcome) if p)


def describe_mismatch(expected: Outputs, actual: Outputs, limit: int = 5) -> str:
    """Per section: which records are gone or new, then the first `limit` changed records, each
    as a unified diff of its pretty JSON."""
    lines: list[str] = []
    shown = 0
    for section in sorted(set(expected) | set(actual)):
        want, got = _keyed(expected.get(section, [])), _keyed(actual.get(section, []))
        gone = [k for k in want if k not in got]
        new = [k for k in got if k not in want]
        changed = [k for k in want if k in got and want[k] != got[k]]
        if not (gone or new or changed):
            continue
        lines.append(
            f"== {section}: golden {len(want)} records, this run {len(got)}; "
            f"{len(gone)} gone, {len(new)} new, {len(changed)} changed"
        )
        for title, keys, side in (("gone", gone, want), ("new", new, got)):
            for key in keys[:10]:
                lines.append(f"  {title}: {_label(key, side[key])}")
            if len(keys) > 10:
                lines.append(f"  ... and {len(keys) - 10} more {title}")
        for key in changed:
            if shown == limit:
                lines.append(f"  ... (only the first {limit} changed records are shown)")
                break
            shown += 1
            lines.extend(
                difflib.unified_diff(
                    _pretty(want[key]).splitlines(),
                    _pretty(got[key]).splitlines(),
                    fromfile=f"golden {section}: {_label(key, want[key])}",
                    tofile=f"this run {section}: {_label(key, got[key])}",
                    lineterm="",
                    n=2,
                )
            )
    return "\n".join(lines)


def check_golden(actual: Outputs, may_update: bool) -> None:
    text = _pretty(actual)
    # The golden file is committed: a planted value in it would be a leak twice over.
    for value in [*PLANTED, AWS_SECRET, DESK_EMAIL, DESK_PHONE, PAID]:
        assert value not in text, f"{value[:12]!r}... reached the crawl's output"
    if UPDATE and may_update:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text + "\n", encoding="utf-8")
        print(f"wrote golden file {GOLDEN}")
        return
    assert GOLDEN.exists(), f"{GOLDEN} missing; run with CCRAWL_UPDATE_GOLDEN=1 to create it"
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    if expected != actual:
        pytest.fail(
            "crawl output differs from the golden copy "
            f"({GOLDEN.name}; CCRAWL_UPDATE_GOLDEN=1 rewrites it if the change is intended)\n"
            + describe_mismatch(expected, actual),
            pytrace=False,
        )


def test_crawl_output_matches_golden_copy(
    _servers: tuple[FixtureServer, ...], tmp_path: Path
) -> None:
    out, base = golden_crawl(_servers, tmp_path)
    actual = normalised(out, base)
    # Guard the fixture itself: a golden copy of an empty or all-error crawl proves nothing.
    outcomes = {r["outcome"] for r in actual["provenance"] if r.get("final")}
    assert {"accepted", "quarantined", "dropped", "refused"} <= outcomes, outcomes
    check_golden(actual, may_update=True)


def test_inline_analysis_matches_golden_copy(
    _servers: tuple[FixtureServer, ...], tmp_path: Path
) -> None:
    out, base = golden_crawl(_servers, tmp_path, "CCRAWL_WORKERS=0")
    # Never written from this path: the golden copy comes from the worker pool's output.
    check_golden(normalised(out, base), may_update=False)
