"""Origins that time out, reset connections or do not exist: the crawl finishes and says why."""

from __future__ import annotations

import socket
from pathlib import Path

from crawler.provenance import verify_output
from tests.helpers import article, crawl, final_records, read_jsonl, write_policy
from tests.mockserver import FixtureServer


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_timeouts_and_resets_are_recorded_and_retried(site: FixtureServer, tmp_path: Path) -> None:
    site.add("/", article("Home", links=["/slow.html", "/reset.html", "/ok.html"]))
    site.add("/slow.html", article("Slow"), delay=3.0)
    site.add("/reset.html", action="reset")
    site.add("/ok.html", article("Fine"))
    policy = write_policy(tmp_path, [site.url("/")], network={"timeout": 1.0, "retries": 1})
    crawl(policy)
    out = tmp_path / "out"
    finals = final_records(out)

    assert finals[site.url("/ok.html")]["outcome"] == "accepted"
    assert finals[site.url("/slow.html")]["outcome"] == "error"
    assert finals[site.url("/slow.html")]["reasons"] == ["download-timeout"]
    assert finals[site.url("/reset.html")]["outcome"] == "error"
    assert finals[site.url("/reset.html")]["reasons"] == ["connection-lost"]
    assert site.paths().count("/slow.html") == 2, "one retry, as the policy says"

    attempts = [r for r in read_jsonl(out / "provenance.jsonl") if not r["final"]]
    assert {(r["url"], tuple(r["reasons"])) for r in attempts} == {
        (site.url("/slow.html"), ("retry", "download-timeout")),
        (site.url("/reset.html"), ("retry", "connection-lost")),
    }
    assert verify_output(out).ok


def test_unreachable_seed_finishes_cleanly(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/"
    crawl(write_policy(tmp_path, [url], network={"retries": 0}))
    out = tmp_path / "out"
    finals = final_records(out)
    # robots.txt cannot be fetched, so nothing else is (RFC 9309 §2.3.1.4: unreachable).
    robots = finals[url + "robots.txt"]
    assert robots["outcome"] == "error"
    assert robots["reasons"] == ["robots-txt", "connection-refused"]
    assert finals[url]["outcome"] == "refused"
    assert finals[url]["reasons"] == ["robots-unreachable"]
    assert finals[url]["robots"]["url"] == url + "robots.txt"
    assert verify_output(out).ok


def test_server_errors_are_retried_then_recorded(site: FixtureServer, tmp_path: Path) -> None:
    site.add("/", article("Home", links=["/broken.html"]))
    site.add("/broken.html", "<html><body>oops</body></html>", status=500)
    crawl(write_policy(tmp_path, [site.url("/")], network={"retries": 2}))
    finals = final_records(tmp_path / "out")
    assert site.paths().count("/broken.html") == 3
    assert finals[site.url("/broken.html")]["outcome"] == "error"
    assert finals[site.url("/broken.html")]["status"] == 500
