"""The quarantine queue: the store, review decisions and the CLI, against real crawls."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.provenance import verify_output
from crawler.quarantine import DecisionError, QuarantineStore
from crawler.review import Review
from tests.helpers import REPO, article, crawl, final_records, read_jsonl, run_ccrawl, write_policy
from tests.mockserver import FixtureServer


def quarantining_crawl(site: FixtureServer, tmp_path: Path, pages: int = 3) -> Path:
    """A crawl whose pages carry no licence, under a policy that quarantines unknown licences."""
    links = [f"/story{i}.html" for i in range(pages)]
    site.add("/", article("Home", links=links))
    for i, link in enumerate(links):
        site.add(link, article(f"Story {i}"))
    policy = write_policy(tmp_path, [site.url("/")], licences={"unknown": "quarantine"})
    crawl(policy)
    return tmp_path / "out"


def test_unknown_licence_pages_wait_in_the_queue(site: FixtureServer, tmp_path: Path) -> None:
    out = quarantining_crawl(site, tmp_path)
    store = QuarantineStore.in_dir(out)
    items = store.items()
    assert {i.url for i in items} >= {site.url(f"/story{i}.html") for i in range(3)}
    assert all(i.status == "pending" and i.reasons == ["licence-unknown"] for i in items)
    held = items[0].item
    assert held is not None and "harbour committee" in held["text"]
    assert read_jsonl(out / "dataset.jsonl") == []
    finals = final_records(out)
    assert finals[site.url("/story0.html")]["outcome"] == "quarantined"
    assert verify_output(out).ok
    mode = stat.S_IMODE((out / "quarantine.sqlite").stat().st_mode)
    assert mode == 0o600, oct(mode)


def test_approve_and_reject_keep_the_chain_verifiable(site: FixtureServer, tmp_path: Path) -> None:
    out = quarantining_crawl(site, tmp_path)
    review = Review(out)
    first, second = (i.id for i in review.store.items()[:2])
    approved = review.approve(first, "alice", "licence confirmed by email")
    rejected = review.reject(second, "alice", "not ours to use")
    assert approved.status == "approved" and approved.reviewer == "alice"
    assert rejected.item is None and rejected.status == "rejected"
    assert all("context" not in e for e in rejected.evidence)

    report = verify_output(out)
    assert report.ok, report.problems
    docs = read_jsonl(out / "dataset.jsonl")
    assert [d["url"] for d in docs] == [approved.url]
    decisions = [r for r in read_jsonl(out / "provenance.jsonl") if r.get("reviewer")]
    assert [(r["outcome"], r["reasons"], r["note"]) for r in decisions] == [
        ("accepted", ["review-approved"], "licence confirmed by email"),
        ("dropped", ["review-rejected"], "not ours to use"),
    ]
    assert decisions[0]["supersedes"] == approved.provenance
    assert docs[0]["provenance"] == decisions[0]["hash"]


def test_a_second_decision_is_refused(site: FixtureServer, tmp_path: Path) -> None:
    out = quarantining_crawl(site, tmp_path, pages=1)
    review = Review(out)
    item_id = review.store.items()[0].id
    review.approve(item_id, "alice")
    with pytest.raises(DecisionError, match="already approved by alice"):
        review.reject(item_id, "bob")
    with pytest.raises(DecisionError, match="no such item"):
        review.approve("0000deadbeef", "bob")
    assert len(read_jsonl(out / "dataset.jsonl")) == 1


def test_cli_list_show_approve_reject_stats(site: FixtureServer, tmp_path: Path) -> None:
    out = quarantining_crawl(site, tmp_path)
    listing = run_ccrawl("quarantine", "list", str(out), "--json")
    assert listing.returncode == 0, listing.stderr
    items = json.loads(listing.stdout)
    assert {"id", "url", "reasons", "status"} <= set(items[0])
    ids = [i["id"] for i in items]

    table = run_ccrawl("quarantine", "list", str(out), "--reason", "licence-unknown")
    assert table.stdout.splitlines()[0].split() == ["id", "status", "reasons", "url", "title"]
    show = run_ccrawl("quarantine", "show", str(out), ids[0])
    assert "reasons: licence-unknown" in show.stdout and "harbour committee" in show.stdout

    approve = run_ccrawl(
        "quarantine", "approve", str(out), ids[0], ids[1], "--note", "ok", "--reviewer", "carol"
    )
    assert approve.returncode == 0
    assert approve.stdout.splitlines() == [
        f"{ids[0]}: approved by carol",
        f"{ids[1]}: approved by carol",
    ]
    again = run_ccrawl("quarantine", "reject", str(out), ids[0])
    assert again.returncode == 1 and "already approved by carol" in again.stderr
    reject = run_ccrawl("quarantine", "reject", str(out), ids[2], "--note", "no")
    assert reject.returncode == 0

    stats = json.loads(run_ccrawl("quarantine", "stats", str(out), "--json").stdout)
    assert stats["by_status"]["approved"] == 2 and stats["by_status"]["rejected"] == 1
    pending = json.loads(
        run_ccrawl("quarantine", "list", str(out), "--json", "--status", "pending").stdout
    )
    assert {i["id"] for i in pending} == set(ids) - set(ids[:3])
    assert run_ccrawl("provenance", "verify", str(out)).returncode == 0


def test_cli_on_a_directory_without_a_queue(tmp_path: Path) -> None:
    result = run_ccrawl("quarantine", "list", str(tmp_path))
    assert result.returncode == 2
    assert "no quarantine.sqlite here" in result.stderr


def test_review_while_the_crawl_runs(site: FixtureServer, tmp_path: Path) -> None:
    """A reviewer approves items while the crawl is still writing: both append to one chain."""
    links = [f"/story{i}.html" for i in range(40)]
    site.add("/", article("Home", links=links))
    for i, link in enumerate(links):
        site.add(link, article(f"Story {i}"), delay=0.05)
    policy = write_policy(
        tmp_path,
        [site.url("/")],
        licences={"unknown": "quarantine"},
        politeness={"max_concurrency": 1},
    )
    out = tmp_path / "out"
    crawler = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", str(policy), "--quiet"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    approved: set[str] = set()
    deadline = time.monotonic() + 120
    while crawler.poll() is None and time.monotonic() < deadline:
        if (out / "quarantine.sqlite").exists():
            review = Review(out)
            for item in review.store.items(status="pending")[:3]:
                review.approve(item.id, "alice")
                approved.add(item.url)
            review.close()
        time.sleep(0.1)
    assert crawler.wait(timeout=120) == 0, crawler.stderr.read() if crawler.stderr else ""
    assert len(approved) >= 3, "the crawl ended before any review happened"
    report = verify_output(out)
    assert report.ok, report.problems
    docs = read_jsonl(out / "dataset.jsonl")
    assert sorted(d["url"] for d in docs) == sorted(approved)


def test_the_queues_of_several_workers_are_reviewed_as_one(
    site: FixtureServer, tmp_path: Path
) -> None:
    links = [f"/story{i}.html" for i in range(2)]
    site.add("/", article("Home", links=links))
    for i, link in enumerate(links):
        site.add(link, article(f"Story {i}"))
    policy = write_policy(tmp_path, [site.url("/")], licences={"unknown": "quarantine"})
    out = tmp_path / "out"
    for name in ("w1", "w2"):  # two workers' output directories, as a distributed crawl leaves
        result = run_ccrawl(
            "crawl", str(policy), "--quiet", "--output", str(out / "workers" / name)
        )
        assert result.returncode == 0, result.stderr[-2000:]
    listing = json.loads(run_ccrawl("quarantine", "list", str(out), "--json").stdout)
    assert len(listing) == 6 and len({i["id"] for i in listing}) == 6
    first = listing[0]["id"]
    assert run_ccrawl("quarantine", "approve", str(out), first).returncode == 0
    approved = [w for w in ("w1", "w2") if read_jsonl(out / "workers" / w / "dataset.jsonl")]
    assert len(approved) == 1, "the decision goes to the worker that holds the item"
    for name in ("w1", "w2"):
        assert verify_output(out / "workers" / name).ok
    stats = json.loads(run_ccrawl("quarantine", "stats", str(out), "--json").stdout)
    assert stats["by_status"] == {"pending": 5, "approved": 1, "rejected": 0}
