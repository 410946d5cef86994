"""Several workers on one Redis frontier: politeness holds globally and nothing is lost.

Each test starts its own redis-server on a free loopback port (Debian's package). Without it the
tests skip with a reason, unless CCRAWL_REQUIRE_REDIS=1 (CI), which makes the skip a failure.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.provenance import verify_output
from tests.helpers import REPO, article, read_jsonl, write_policy
from tests.mockserver import FixtureServer

PAGES = 24


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CCRAWL_REQUIRE_REDIS") == "1":
            pytest.fail(
                "CCRAWL_REQUIRE_REDIS=1 but redis-server is missing (apt-get install redis-server)"
            )
        pytest.skip("redis-server not found: apt-get install redis-server to run these tests")
    port = free_port()
    server = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


def build_site(site: FixtureServer) -> list[str]:
    links = [f"/p{i}.html" for i in range(PAGES)]
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.add("/", article("Hub", links=[*links, "/private/x.html"]))
    for i, link in enumerate(links):
        site.add(link, article(f"Page {i}", body_text=f"Story number {i}. " * 40), delay=0.05)
    return ["/", *links]


def worker(policy: Path, name: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", str(policy), "--quiet", "--worker", name],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def finish(process: subprocess.Popen[str], timeout: float = 180) -> None:
    _, stderr = process.communicate(timeout=timeout)
    assert process.returncode == 0, stderr[-3000:]


def datasets(out: Path) -> list[str]:
    return [
        d["url"]
        for w in sorted((out / "workers").iterdir())
        for d in read_jsonl(w / "dataset.jsonl")
    ]


def test_two_workers_share_the_frontier_and_one_politeness_budget(
    site: FixtureServer, tmp_path: Path, redis_url: str
) -> None:
    pages = build_site(site)
    policy = write_policy(
        tmp_path,
        [site.url("/")],
        politeness={"min_delay": 0.15, "max_concurrency": 1},
        distributed={"redis_url": redis_url},
    )
    first, second = worker(policy, "w1"), worker(policy, "w2")
    finish(first)
    finish(second)

    hits = Counter(site.paths())
    assert all(count == 1 for count in hits.values()), f"fetched twice: {hits.most_common(3)}"
    assert hits["/robots.txt"] == 1, "robots.txt is fetched once for the whole cluster"
    assert "/private/x.html" not in hits
    assert site.max_in_flight == 1, "per-origin concurrency held across workers"
    times = [hit.time for hit in site.hits]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.15 - 0.03, sorted(gaps)[:3]

    out = tmp_path / "out"
    per_worker = {w.name: read_jsonl(w / "dataset.jsonl") for w in (out / "workers").iterdir()}
    assert set(per_worker) == {"w1", "w2"}
    assert all(per_worker.values()), "both workers took part"
    assert sorted(datasets(out)) == sorted(site.url(p) for p in pages)
    for directory in (out / "workers").iterdir():
        report = verify_output(directory)
        assert report.ok, (directory.name, report.problems)


def test_killing_a_worker_loses_nothing(
    site: FixtureServer, tmp_path: Path, redis_url: str
) -> None:
    pages = build_site(site)
    policy = write_policy(
        tmp_path,
        [site.url("/")],
        politeness={"min_delay": 0.1, "max_concurrency": 1},
        distributed={"redis_url": redis_url, "lease_seconds": 4},
    )
    out = tmp_path / "out"
    workers = {"w1": worker(policy, "w1"), "w2": worker(policy, "w2")}
    # Kill whichever worker is busy first, mid-crawl, with work claimed.
    doomed_name = ""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not doomed_name:
        for name in workers:
            provenance = out / "workers" / name / "provenance.jsonl"
            if provenance.exists() and provenance.read_bytes().count(b"\n") >= 5:
                doomed_name = name
                break
        time.sleep(0.02)
    doomed = workers.pop(doomed_name)
    survivor = next(iter(workers.values()))
    assert doomed.poll() is None, f"{doomed_name} finished before it could be killed"
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(10)
    finish(survivor)
    # The dead worker comes back once: it repairs its files and finds nothing left to do.
    finish(worker(policy, doomed_name))

    assert sorted(datasets(out)) == sorted(site.url(p) for p in pages), "every page exactly once"
    hits = Counter(site.page_paths())
    twice = [p for p, n in hits.items() if n > 1]
    # Only what the dead worker had claimed and not settled (fetching or being analysed) is
    # fetched again: at most CCRAWL_CLUSTER_PREFETCH (4) URLs.
    assert len(twice) <= 4, f"fetched again: {twice}"
    for directory in (out / "workers").iterdir():
        report = verify_output(directory)
        assert report.ok, (directory.name, report.problems)
