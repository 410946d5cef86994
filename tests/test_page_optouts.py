"""Page-level opt-outs end to end: rules a page carries in its headers and markup.

X-Robots-Tag and robots meta tags (noai, noimageai, noindex, for everyone or for our token),
TDMRep headers and meta tags, the Content-Usage header and JSON-LD paywalls. These can only be
read once the page is fetched, so the page is requested (once) and then refused, with evidence.

Most cases share one crawl of one site (module scope: a crawl per case would be slow); the
policies that change the answer (noindex: ignore, paywalled_sections: cut) get their own crawls.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crawler import __version__
from crawler.provenance import verify_output
from tests.helpers import WORDS, article, crawl, final_records, read_jsonl, write_policy
from tests.mockserver import FixtureServer

EXPECTED_UA = f"TestBot/{__version__} (+https://example.org/testbot)"

PAID = (
    "Subscribers learn that the council agreed a settlement of four million pounds with the "
    "contractor, and that the minutes of the closed session name the three councillors who "
    "voted against it. "
)


def page(name: str, extra_head: str = "") -> str:
    """An article whose main text is unique to `name` (so no page is a duplicate of another)."""
    return article(name, extra_head=extra_head, body_text=f"{name} was reported today. {WORDS}")


def paywalled(title: str, json_ld: bool = True) -> str:
    """A news article whose second half sits in `.paywall`, marked so in JSON-LD."""
    markup = ""
    if json_ld:
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "isAccessibleForFree": False,
            "hasPart": {
                "@type": "WebPageElement",
                "isAccessibleForFree": False,
                "cssSelector": ".paywall",
            },
        }
        markup = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    free = "".join(f"<p>{title}, part {n}. {WORDS}</p>" for n in range(1, 3))
    paid = "".join(f"<p>{n}. {PAID}</p>" for n in range(1, 4))
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'{markup}</head><body><header><nav><a href="/">Home</a></nav></header>'
        f'<main><article><h1>{title}</h1>{free}<div class="paywall">{paid}</div></article></main>'
        "<footer>© 2026 Example News Ltd.</footer></body></html>"
    )


# path -> (response headers, extra <head> markup, expected outcome or refusal code)
PAGES: dict[str, tuple[dict[str, str], str, str]] = {
    "/plain.html": ({}, "", "accepted"),
    "/xrt-noai.html": ({"X-Robots-Tag": "noai"}, "", "ai-optout-noai"),
    "/xrt-testbot-noai.html": ({"X-Robots-Tag": "TestBot: noai"}, "", "ai-optout-noai"),
    "/xrt-otherbot-noai.html": ({"X-Robots-Tag": "otherbot: noai"}, "", "accepted"),
    "/meta-robots-noai.html": ({}, '<meta name="robots" content="noai">', "ai-optout-noai"),
    "/meta-testbot-noindex.html": (
        {},
        '<meta name="testbot" content="noindex">',
        "robots-noindex",
    ),
    "/meta-otherbot-noindex.html": ({}, '<meta name="otherbot" content="noindex">', "accepted"),
    "/xrt-noindex.html": ({"X-Robots-Tag": "noindex"}, "", "robots-noindex"),
    "/tdm-header.html": (
        {"tdm-reservation": "1", "tdm-policy": "https://example.org/tdm-policy"},
        "",
        "ai-optout-tdmrep",
    ),
    "/tdm-meta.html": ({}, '<meta name="tdm-reservation" content="1">', "ai-optout-tdmrep"),
    "/tdm-header-zero.html": ({"tdm-reservation": "0"}, "", "accepted"),
    "/content-usage.html": ({"Content-Usage": "train-ai=n"}, "", "ai-optout-content-usage"),
    "/noimageai.html": ({"X-Robots-Tag": "noimageai"}, "", "accepted"),
}


def build_optout_site(server: FixtureServer) -> None:
    server.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    links = "".join(f'<li><a href="{path}">{path}</a></li>' for path in [*PAGES, "/paywall.html"])
    server.add("/", f"<!doctype html><html><body><h1>Index</h1><ul>{links}</ul></body></html>")
    for path, (headers, extra_head, _) in PAGES.items():
        server.add(path, page(f"Story {path}", extra_head=extra_head), headers=headers)
    server.add("/paywall.html", paywalled("Harbour settlement"))


@dataclass
class Crawled:
    server: FixtureServer
    out: Path
    finals: dict[str, dict[str, Any]]
    dataset: dict[str, dict[str, Any]]

    def final(self, path: str) -> dict[str, Any]:
        return self.finals[self.server.url(path)]


@pytest.fixture(scope="module")
def optout_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    """One crawl, default policy (usage train-ai), of a site with one page per opt-out."""
    server = FixtureServer()
    try:
        build_optout_site(server)
        directory = tmp_path_factory.mktemp("optouts")
        crawl(write_policy(directory, [server.url("/")]))
        out = directory / "out"
        dataset = {doc["url"]: doc for doc in read_jsonl(out / "dataset.jsonl")}
        yield Crawled(server, out, final_records(out), dataset)
    finally:
        server.close()


def assert_refused(crawled: Crawled, path: str, code: str) -> dict[str, Any]:
    record = crawled.final(path)
    assert record["outcome"] == "refused", record
    assert record["reasons"] == [code], record
    assert record["status"] == 200
    assert crawled.server.url(path) not in crawled.dataset
    evidence = [e for e in record["evidence"] if e["code"] == code]
    assert evidence, record["evidence"]
    return evidence[0]


def assert_accepted(crawled: Crawled, path: str) -> None:
    record = crawled.final(path)
    assert record["outcome"] == "accepted", record
    assert crawled.server.url(path) in crawled.dataset


def test_pages_with_opt_outs_are_fetched_once_with_our_user_agent(optout_crawl: Crawled) -> None:
    paths = optout_crawl.server.page_paths()
    for path in [*PAGES, "/paywall.html"]:
        assert paths.count(path) == 1, path
    assert {hit.headers.get("User-Agent") for hit in optout_crawl.server.hits} == {EXPECTED_UA}
    assert verify_output(optout_crawl.out).ok


def test_x_robots_tag_noai_refuses_the_page_for_everyone_and_for_our_token(
    optout_crawl: Crawled,
) -> None:
    found = assert_refused(optout_crawl, "/xrt-noai.html", "ai-optout-noai")
    assert found["evidence"] == "X-Robots-Tag: noai"
    found = assert_refused(optout_crawl, "/xrt-testbot-noai.html", "ai-optout-noai")
    assert found["evidence"] == "X-Robots-Tag: TestBot: noai"


def test_x_robots_tag_noai_for_another_bot_does_not_apply(optout_crawl: Crawled) -> None:
    assert_accepted(optout_crawl, "/xrt-otherbot-noai.html")


def test_robots_meta_noai_refuses_the_page(optout_crawl: Crawled) -> None:
    found = assert_refused(optout_crawl, "/meta-robots-noai.html", "ai-optout-noai")
    assert found["source"] == "meta:robots"
    assert 'content="noai"' in found["evidence"]


def test_meta_noindex_for_our_token_refuses_the_page_and_for_another_bot_does_not(
    optout_crawl: Crawled,
) -> None:
    found = assert_refused(optout_crawl, "/meta-testbot-noindex.html", "robots-noindex")
    assert found["source"] == "meta:testbot"
    assert_accepted(optout_crawl, "/meta-otherbot-noindex.html")


def test_x_robots_tag_noindex_refuses_the_page(optout_crawl: Crawled) -> None:
    found = assert_refused(optout_crawl, "/xrt-noindex.html", "robots-noindex")
    assert found["evidence"] == "X-Robots-Tag: noindex"


def test_tdm_reservation_header_and_meta_tag_refuse_the_page(optout_crawl: Crawled) -> None:
    found = assert_refused(optout_crawl, "/tdm-header.html", "ai-optout-tdmrep")
    assert found["source"] == "header:tdm-reservation"
    assert found["policy"] == "https://example.org/tdm-policy"
    found = assert_refused(optout_crawl, "/tdm-meta.html", "ai-optout-tdmrep")
    assert found["source"] == "meta:tdm-reservation"
    assert_accepted(optout_crawl, "/tdm-header-zero.html")


def test_content_usage_header_refusing_training_refuses_the_page(optout_crawl: Crawled) -> None:
    found = assert_refused(optout_crawl, "/content-usage.html", "ai-optout-content-usage")
    assert found["evidence"] == "Content-Usage: train-ai=n"


def test_paywalled_article_is_refused_by_default(optout_crawl: Crawled) -> None:
    found = assert_refused(optout_crawl, "/paywall.html", "paywall")
    assert found["source"] == "json-ld"
    assert ".paywall" in found["selectors"]


def test_noimageai_alone_does_not_refuse_the_page(optout_crawl: Crawled) -> None:
    assert_accepted(optout_crawl, "/noimageai.html")
    assert_accepted(optout_crawl, "/plain.html")


def test_every_refused_page_record_carries_evidence(optout_crawl: Crawled) -> None:
    refused = [r for r in optout_crawl.finals.values() if r["outcome"] == "refused"]
    expected = sum(1 for *_, code in PAGES.values() if code != "accepted") + 1  # + paywall
    assert len(refused) == expected
    for record in refused:
        assert record["evidence"], record
        for item in record["evidence"]:
            assert item["code"] in record["reasons"] and item["source"] and item["evidence"]
    accepted = {url for url, r in optout_crawl.finals.items() if r["outcome"] == "accepted"}
    assert accepted == set(optout_crawl.dataset)


def test_noindex_pages_are_accepted_when_the_policy_ignores_noindex(
    site: FixtureServer, tmp_path: Path
) -> None:
    build_optout_site(site)
    crawl(write_policy(tmp_path, [site.url("/")], optouts={"noindex": "ignore"}))
    out = tmp_path / "out"
    finals = final_records(out)

    for path in ("/xrt-noindex.html", "/meta-testbot-noindex.html"):
        assert finals[site.url(path)]["outcome"] == "accepted", finals[site.url(path)]
    # Only noindex is ignored: AI opt-outs still refuse.
    assert finals[site.url("/xrt-noai.html")]["reasons"] == ["ai-optout-noai"]
    assert finals[site.url("/tdm-meta.html")]["reasons"] == ["ai-optout-tdmrep"]
    assert verify_output(out).ok


def test_paywalled_sections_are_cut_when_the_policy_says_cut(
    site: FixtureServer, tmp_path: Path
) -> None:
    site.add("/paywall.html", paywalled("Harbour settlement"))
    # The same layout without paywall markup: shows the extractor does keep `.paywall` text.
    site.add("/open.html", paywalled("Open settlement", json_ld=False))
    seeds = [site.url("/paywall.html"), site.url("/open.html")]
    crawl(write_policy(tmp_path, seeds, access={"paywalled_sections": "cut"}))
    out = tmp_path / "out"
    finals = final_records(out)
    dataset = {doc["url"]: doc for doc in read_jsonl(out / "dataset.jsonl")}

    assert finals[site.url("/paywall.html")]["outcome"] == "accepted"
    cut = dataset[site.url("/paywall.html")]["text"]
    assert "Harbour settlement, part 1" in cut and "harbour committee" in cut
    assert "four million pounds" not in cut, "paid text reached the dataset"
    assert "four million pounds" in dataset[site.url("/open.html")]["text"]
    assert verify_output(out).ok
