"""A hostile web: broken robots.txt files, giant and deep pages, slow bodies, spider traps.

None may crash the crawl, stall it or blow its memory; each is recorded in provenance. Memory is
measured from outside: the peak RSS of the crawl process and of each analysis worker.
"""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from crawler.provenance import verify_output
from tests.helpers import REPO, article, final_records, write_policy
from tests.mockserver import FixtureServer

MB = 1024 * 1024


class Watched:
    """A crawl subprocess with its peak memory and listening sockets sampled while it runs."""

    def __init__(self, policy: Path, *extra: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "crawl", str(policy), "--quiet", *extra],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        self.peak_main = 0
        self.peak_worker = 0
        self.listening: set[tuple[str, int]] = set()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _sample(self) -> None:
        try:
            main = psutil.Process(self.process.pid)
        except psutil.NoSuchProcess:
            return
        while self.process.poll() is None:
            try:
                self.peak_main = max(self.peak_main, main.memory_info().rss)
                for proc in [main, *main.children(recursive=True)]:
                    if proc.pid != main.pid:
                        self.peak_worker = max(self.peak_worker, proc.memory_info().rss)
                    for conn in proc.net_connections(kind="inet"):
                        if conn.status == psutil.CONN_LISTEN:
                            self.listening.add((conn.laddr.ip, conn.laddr.port))
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
            time.sleep(0.05)

    def wait(self, timeout: float = 120) -> str:
        _, stderr = self.process.communicate(timeout=timeout)
        self._sampler.join(5)
        assert self.process.returncode == 0, stderr[-3000:]
        return stderr


def test_giant_link_page_costs_bounded_memory_and_opens_no_port(
    site: FixtureServer, tmp_path: Path
) -> None:
    links = "".join(f'<a href="/l/{i}.html">link {i}</a>\n' for i in range(300_000))
    site.add("/", f"<html><body><h1>Links</h1>{links}</body></html>")  # ~11 MB
    policy = write_policy(
        tmp_path,
        [site.url("/")],
        network={"max_body_bytes": 16 * MB},
        scope={"max_links_per_page": 200, "max_depth": 1},
    )
    watched = Watched(policy)
    watched.wait()
    assert len([p for p in site.page_paths() if p.startswith("/l/")]) <= 200
    assert watched.listening == set(), f"the crawler listened on {watched.listening}"
    assert watched.peak_main < 600 * MB, f"crawl process peaked at {watched.peak_main / MB:.0f} MB"
    assert watched.peak_worker < 600 * MB, f"a worker peaked at {watched.peak_worker / MB:.0f} MB"
    assert verify_output(tmp_path / "out").ok


def test_deep_nesting_and_slow_bodies_are_bounded(site: FixtureServer, tmp_path: Path) -> None:
    deep = "<div>" * 100_000 + "deep text" + "</div>" * 100_000
    site.add("/", article("Home", links=["/deep.html", "/drip.html", "/ok.html"]))
    site.add("/deep.html", f"<html><body>{deep}</body></html>")
    site.add("/drip.html", article("Drip"), action="drip", delay=0.2)
    site.add("/ok.html", article("Fine"))
    policy = write_policy(tmp_path, [site.url("/")], network={"timeout": 2.0, "retries": 0})
    started = time.monotonic()
    Watched(policy).wait()
    assert time.monotonic() - started < 60
    finals = final_records(tmp_path / "out")
    assert finals[site.url("/drip.html")]["reasons"] == ["download-timeout"]
    assert site.url("/deep.html") in finals
    assert finals[site.url("/ok.html")]["outcome"] == "accepted"


def test_runaway_analysis_is_killed_and_recorded(site: FixtureServer, tmp_path: Path) -> None:
    site.add("/", article("Home", links=["/a.html"]))
    site.add("/a.html", article("A"))
    policy = write_policy(tmp_path, [site.url("/")])
    Watched(policy, "-s", "CCRAWL_PAGE_TIMEOUT=0.001").wait()
    out = tmp_path / "out"
    finals = final_records(out)
    assert finals[site.url("/a.html")]["outcome"] == "error"
    assert finals[site.url("/a.html")]["reasons"] == ["analysis-timeout"]
    assert verify_output(out).ok


@pytest.mark.parametrize(
    ("name", "body", "extra", "allowed"),
    [
        (
            "utf16-bom",
            codecs.BOM_UTF16_LE + "User-agent: *\nDisallow: /a.html\n".encode("utf-16-le"),
            {},
            False,
        ),
        (
            "utf8-bom-odd-spacing",
            codecs.BOM_UTF8 + b"USER-AGENT :  *  \r\n  disallow:/a.html   \r\n",
            {},
            False,
        ),
        ("binary", bytes(range(256)) * 64, {}, None),
        (
            "huge-rule-after-limit",
            b"User-agent: *\n" + b"# padding\n" * 60_000 + b"Disallow: /a.html\n",
            {},
            True,
        ),
        ("stall-mid-body", b"User-agent: *\nDisallow: /b.html\n" * 50, {"action": "stall"}, None),
    ],
)
def test_hostile_robots_txt(
    site: FixtureServer,
    tmp_path: Path,
    name: str,
    body: bytes,
    extra: dict[str, str],
    allowed: bool | None,
) -> None:
    site.add("/robots.txt", body, content_type="text/plain", **extra)  # type: ignore[arg-type]
    site.add("/", article("Home", links=["/a.html"]))
    site.add("/a.html", article("A"))
    policy = write_policy(tmp_path, [site.url("/")], network={"timeout": 2.0, "retries": 0})
    Watched(policy).wait()
    finals = final_records(tmp_path / "out")
    robots = finals[site.url("/robots.txt")]
    if allowed is None:  # unreadable: the origin is treated as unreachable, nothing fetched
        assert finals[site.url("/")]["reasons"] == ["robots-unreachable"], robots
        assert site.page_paths() == []
    elif allowed:
        assert finals[site.url("/a.html")]["outcome"] == "accepted"
    else:
        assert finals[site.url("/a.html")]["reasons"] == ["robots-disallow"]
        assert "/a.html" not in site.paths()


def test_robots_txt_redirect_loop_means_unreachable(site: FixtureServer, tmp_path: Path) -> None:
    site.add("/robots.txt", b"", status=302, headers={"Location": "/robots2.txt"})
    site.add("/robots2.txt", b"", status=302, headers={"Location": "/robots.txt"})
    site.add("/", article("Home"))
    Watched(write_policy(tmp_path, [site.url("/")], network={"retries": 0})).wait()
    finals = final_records(tmp_path / "out")
    assert finals[site.url("/")]["reasons"] == ["robots-unreachable"]
    assert site.page_paths() == ["/robots2.txt"] * site.page_paths().count("/robots2.txt")


def test_spider_traps_are_bounded(site: FixtureServer, tmp_path: Path) -> None:
    # An endless calendar, and links that differ only by session id.
    site.add(
        "/",
        article(
            "Home",
            links=[
                "/cal?month=1",
                "/news.html;jsessionid=A1",
                "/news.html?sid=XYZ",
                "/news.html?utm_source=x",
            ],
        ),
    )
    for month in range(1, 200):
        site.add(
            f"/cal?month={month}", article(f"Month {month}", links=[f"/cal?month={month + 1}"])
        )
    site.add("/news.html", article("News"))
    policy = write_policy(
        tmp_path, [site.url("/")], scope={"max_query_variants": 10, "max_depth": 50}
    )
    Watched(policy).wait()
    calendar = [p for p in site.paths() if p.startswith("/cal")]
    assert len(calendar) == 10
    assert site.paths().count("/news.html") == 1
    assert verify_output(tmp_path / "out").ok
