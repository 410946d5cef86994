"""NetworkGuard end to end: what may be connected to at all, and what is downloaded.

Private addresses (by IP, by redirect, by DNS name), non-http schemes, non-HTML bodies and
decompression bombs. The server on 127.0.0.2 (`forbidden_site`) stands for a private network
the policy does not allow: it only listens to detect a breach and must never see a request.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from crawler import __version__
from crawler.provenance import verify_output
from tests.helpers import (
    WORDS,
    article,
    crawl,
    final_records,
    read_jsonl,
    run_ccrawl,
    write_policy,
)
from tests.mockserver import FixtureServer

EXPECTED_UA = f"TestBot/{__version__} (+https://example.org/testbot)"
RESOLVER = "DNS_RESOLVER=tests.resolver.FixtureHosts"


def page(name: str, links: list[str] | None = None) -> str:
    """An article whose main text is unique to `name` (so no page is a duplicate of another)."""
    return article(name, links=links, body_text=f"{name} was reported today. {WORDS}")


def test_links_to_a_private_address_are_refused_and_never_contacted(
    site: FixtureServer, forbidden_site: FixtureServer, tmp_path: Path
) -> None:
    secret = forbidden_site.url("/secret.html")
    # Other spellings of 127.0.0.2 (read by inet_aton, no DNS query): checked once resolved.
    spelled = {
        f"http://2130706434:{forbidden_site.port}/decimal.html": "2130706434",
        f"http://127.2:{forbidden_site.port}/short.html": "127.2",
    }
    forbidden_site.add("/secret.html", page("Intranet"))
    site.add("/", page("Home", links=[secret, *spelled, "/story.html"]))
    site.add("/story.html", page("Story"))
    # Every host is in scope: only the network rule stands between the crawl and 127.0.0.2.
    domains = ["127.0.0.1", "127.0.0.2", *spelled.values()]
    crawl(write_policy(tmp_path, [site.url("/")], scope={"domains": domains}))
    out = tmp_path / "out"
    finals = final_records(out)

    assert forbidden_site.hits == []
    assert finals[site.url("/story.html")]["outcome"] == "accepted"
    record = finals[secret]
    assert record["outcome"] == "refused" and record["reasons"] == ["private-address"]
    assert record["evidence"] == {"host": "127.0.0.2", "address": "127.0.0.2"}
    for url, host in spelled.items():
        record = finals[url]
        assert record["outcome"] == "refused" and record["reasons"] == ["private-address"]
        assert record["evidence"] == {"host": host, "address": "127.0.0.2"}
    for url, final in finals.items():
        if not url.startswith(site.base):
            assert final["reasons"] == ["private-address"], final
    assert verify_output(out).ok


def test_loopback_is_refused_unless_allow_private_lists_it(
    site: FixtureServer, tmp_path: Path
) -> None:
    site.add("/", page("Home"))
    crawl(write_policy(tmp_path, [site.url("/")], network={"allow_private": []}))
    out = tmp_path / "out"
    finals = final_records(out)

    assert site.hits == [], "not even robots.txt may be asked of a private address"
    record = finals[site.url("/")]
    assert record["outcome"] == "refused" and record["reasons"] == ["private-address"]
    assert record["evidence"]["address"] == "127.0.0.1"
    assert verify_output(out).ok


def test_redirects_to_a_private_address_are_refused_at_every_hop(
    site: FixtureServer, forbidden_site: FixtureServer, tmp_path: Path
) -> None:
    landing = forbidden_site.url("/landing.html")
    site.add("/", page("Home", links=["/go.html", "/hop1.html"]))
    site.add("/go.html", status=302, headers={"Location": landing})
    site.add("/hop1.html", status=301, headers={"Location": "/hop2.html"})
    site.add("/hop2.html", status=307, headers={"Location": forbidden_site.url("/deep.html")})
    forbidden_site.add("/landing.html", page("Landing"))
    forbidden_site.add("/deep.html", page("Deep"))
    policy = write_policy(tmp_path, [site.url("/")], scope={"domains": ["127.0.0.1", "127.0.0.2"]})
    crawl(policy)
    out = tmp_path / "out"
    finals = final_records(out)

    assert forbidden_site.hits == []
    assert finals[site.url("/go.html")]["reasons"] == ["redirect"]
    assert finals[site.url("/go.html")]["redirect_to"] == landing
    assert finals[site.url("/hop1.html")]["redirect_to"] == site.url("/hop2.html")
    assert finals[site.url("/hop2.html")]["redirect_to"] == forbidden_site.url("/deep.html")
    for path in ("/landing.html", "/deep.html"):
        record = finals[forbidden_site.url(path)]
        assert record["outcome"] == "refused" and record["reasons"] == ["private-address"]
    assert verify_output(out).ok


def test_robots_txt_redirect_to_a_private_address_is_not_followed(
    site: FixtureServer, forbidden_site: FixtureServer, tmp_path: Path
) -> None:
    # robots.txt may redirect anywhere in scope or not; the network rule still applies.
    moved = forbidden_site.url("/robots.txt")
    site.add("/robots.txt", status=302, headers={"Location": moved})
    forbidden_site.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    site.add("/", page("Home"))
    crawl(write_policy(tmp_path, [site.url("/")], network={"retries": 0}))
    out = tmp_path / "out"
    finals = final_records(out)

    assert forbidden_site.hits == []
    assert finals[moved]["outcome"] == "refused"
    assert "private-address" in finals[moved]["reasons"]
    # No readable robots.txt: nothing is fetched from the origin (RFC 9309 §2.3.1.4).
    assert site.paths() == ["/robots.txt"]
    home = finals[site.url("/")]
    assert home["outcome"] == "refused" and home["reasons"] == ["robots-unreachable"]
    assert verify_output(out).ok


def test_host_names_are_checked_on_the_address_they_resolve_to(
    site: FixtureServer, forbidden_site: FixtureServer, tmp_path: Path
) -> None:
    intranet = f"http://intranet.test:{forbidden_site.port}/wiki.html"
    news = f"http://news.test:{site.port}"
    site.add("/", page("Home", links=[intranet, "/story.html"]))
    site.add("/story.html", page("Story"))
    forbidden_site.add("/wiki.html", page("Wiki"))
    policy = write_policy(
        tmp_path,
        [news + "/"],
        scope={"domains": ["news.test", "intranet.test"]},
        network={"allow_private": ["127.0.0.1"]},
    )
    result = run_ccrawl(
        "crawl",
        str(policy),
        "--quiet",
        "-s",
        RESOLVER,
        env={"CCRAWL_TEST_HOSTS": "intranet.test=127.0.0.2,news.test=127.0.0.1"},
    )
    assert result.returncode == 0, result.stderr[-4000:]
    out = tmp_path / "out"
    finals = final_records(out)

    assert forbidden_site.hits == []
    assert sorted(site.page_paths()) == ["/", "/story.html"]
    assert {hit.headers.get("Host") for hit in site.hits} == {f"news.test:{site.port}"}
    assert {hit.headers.get("User-Agent") for hit in site.hits} == {EXPECTED_UA}
    assert finals[news + "/story.html"]["outcome"] == "accepted"
    record = finals[intranet]
    assert record["outcome"] == "refused" and record["reasons"] == ["private-address"]
    assert record["evidence"] == {"host": "intranet.test", "address": "127.0.0.2"}
    assert verify_output(out).ok


def test_links_with_other_schemes_are_never_requested(
    site: FixtureServer, forbidden_site: FixtureServer, tmp_path: Path
) -> None:
    others = [
        "javascript:alert(document.cookie)",
        "mailto:editor@example.org?subject=Hello",
        "data:text/html;base64,PGgxPmhlbGxvPC9oMT4=",
        "file:///etc/passwd",
        f"ftp://127.0.0.2:{forbidden_site.port}/pub/archive.txt",
    ]
    site.add("/", page("Home", links=[*others, "/story.html", "/to-file.html"]))
    site.add("/story.html", page("Story"))
    site.add("/to-file.html", status=302, headers={"Location": "file:///etc/passwd"})
    policy = write_policy(tmp_path, [site.url("/")], scope={"domains": ["127.0.0.1", "127.0.0.2"]})
    crawl(policy)
    out = tmp_path / "out"

    assert forbidden_site.hits == []
    assert sorted(site.page_paths()) == ["/", "/story.html", "/to-file.html"]
    records = read_jsonl(out / "provenance.jsonl")
    for record in records:
        if not record["url"].startswith(("http://", "https://")):
            assert record["outcome"] == "refused" and record["reasons"] == ["scheme"], record
    assert final_records(out)[site.url("/story.html")]["outcome"] == "accepted"
    assert verify_output(out).ok


def test_pdf_is_recorded_not_html_and_its_body_is_not_kept(
    site: FixtureServer, tmp_path: Path
) -> None:
    pdf = b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024) + b"\n%%EOF\n"
    # Served under a path without ".pdf": the link extractor skips such links outright.
    site.add("/", page("Home", links=["/download/annual-report"]))
    site.add("/download/annual-report", pdf, content_type="application/pdf")
    crawl(write_policy(tmp_path, [site.url("/")]))
    out = tmp_path / "out"
    finals = final_records(out)

    assert site.paths().count("/download/annual-report") == 1
    record = finals[site.url("/download/annual-report")]
    assert record["outcome"] == "dropped" and record["reasons"] == ["not-html"]
    assert record["content_type"].startswith("application/pdf")
    assert record["content_sha256"] is None, "the body was downloaded past its headers"
    dataset = read_jsonl(out / "dataset.jsonl")
    assert site.url("/download/annual-report") not in {d["url"] for d in dataset}
    stored = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    assert stored < 256 * 1024, f"{stored} bytes in the output: the PDF was stored"
    assert verify_output(out).ok


def test_gzip_bomb_is_dropped_as_too_large_and_the_crawl_goes_on(
    site: FixtureServer, tmp_path: Path
) -> None:
    bomb = gzip.compress(b"\0" * (10 * 1024 * 1024))
    assert len(bomb) < 64 * 1024
    site.add("/", page("Home", links=["/bomb.html", "/story.html"]))
    site.add("/bomb.html", bomb, headers={"Content-Encoding": "gzip"})
    site.add("/story.html", page("Story"))
    crawl(write_policy(tmp_path, [site.url("/")], network={"max_body_bytes": 1024 * 1024}))
    out = tmp_path / "out"
    finals = final_records(out)

    assert site.paths().count("/bomb.html") == 1
    record = finals[site.url("/bomb.html")]
    assert record["outcome"] == "dropped" and record["reasons"] == ["too-large"]
    assert finals[site.url("/story.html")]["outcome"] == "accepted"
    assert verify_output(out).ok
