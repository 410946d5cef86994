"""Crash and resume: a crawl killed with SIGKILL continues where it stopped and loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.provenance import verify_output
from crawler.urls import canonical_url
from tests.helpers import REPO, article, crawl, read_jsonl, write_policy
from tests.mockserver import FixtureServer

PAGES = 40


def build_site(site: FixtureServer) -> None:
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    hub = [f"/p{i}.html" for i in range(PAGES)] + ["/private/x.html"]
    site.add("/", article("Hub", links=hub))
    for i in range(PAGES):
        # every page differs, so dedupe keeps all of them
        site.add(
            f"/p{i}.html", article(f"Page {i}", body_text=f"Story number {i}. " * 40), delay=0.03
        )


def settled_urls(out: Path) -> set[str]:
    return {
        canonical_url(r["url"])
        for r in read_jsonl(out / "provenance.jsonl")
        if r.get("final") and r["reasons"] != ["lost-on-crash"] and "://" in r["url"]
    }


def start(policy: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", str(policy), "--quiet"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def kill_after(policy: Path, out: Path, records: int) -> None:
    process = start(policy)
    deadline = time.monotonic() + 60
    path = out / "provenance.jsonl"
    while time.monotonic() < deadline and process.poll() is None:
        if path.exists() and path.read_bytes().count(b"\n") >= records:
            break
        time.sleep(0.01)
    if process.poll() is not None:
        stderr = process.stderr.read() if process.stderr else ""
        raise AssertionError(f"the crawl ended before it could be killed:\n{stderr[-3000:]}")
    process.send_signal(signal.SIGKILL)
    process.wait(10)


@pytest.mark.slow
def test_sigkill_then_resume_equals_an_uninterrupted_crawl(
    site: FixtureServer, tmp_path: Path
) -> None:
    build_site(site)
    reference_dir = tmp_path / "reference"
    reference_dir.mkdir()
    crawl(write_policy(reference_dir, [site.url("/")], politeness={"max_concurrency": 2}))
    expected = {d["url"] for d in read_jsonl(reference_dir / "out" / "dataset.jsonl")}
    assert len(expected) == PAGES + 1

    site.hits.clear()
    policy = write_policy(tmp_path, [site.url("/")], politeness={"max_concurrency": 2})
    out = tmp_path / "out"
    checkpoints: list[tuple[set[str], int]] = []
    # Killed three times in one crawl, each run resuming the one before, then run to the end.
    for records in (8, 20, 33):
        kill_after(policy, out, records)
        checkpoints.append((settled_urls(out), len(site.hits)))
        # A line half-written when the power went: resume must repair it, not drop it silently.
        with open(out / "dataset.jsonl", "ab") as handle:
            handle.write(b'{"id": "torn", "url": "http://')
    crawl(policy)
    robots = canonical_url(site.url("/robots.txt"))
    for settled, hits_before in checkpoints:
        later = {canonical_url(site.url(h.path)) for h in site.hits[hits_before:]}
        assert not (later & settled) - {robots}, "a settled URL was fetched again"

    report = verify_output(out)
    assert report.ok, report.problems
    docs = [d["url"] for d in read_jsonl(out / "dataset.jsonl")]
    assert sorted(docs) == sorted(expected), "every page exactly once"
    assert site.paths().count("/robots.txt") == 1, "robots.txt cached across restarts"
    assert "/private/x.html" not in site.paths()
    repairs = [
        r for r in read_jsonl(out / "provenance.jsonl") if r["reasons"] == ["torn-line-repaired"]
    ]
    assert len(repairs) == 3 and all(r["torn"]["file"] == "dataset.jsonl" for r in repairs)
    assert (out / "dataset.jsonl.torn").read_bytes().count(b'"id": "torn"') == 3
