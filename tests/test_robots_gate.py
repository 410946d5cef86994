"""RobotsGate end to end: an origin's published rules decide what is requested from it at all.

RFC 9309 robots.txt (fetch order, status semantics, redirects, group selection, Crawl-delay) and
the AI-usage rules that ride along with it (Content-Usage, Content-Signal, disallows aimed at AI
training bots, /.well-known/tdmrep.json). Each test checks both sides: what the fixture server
was asked, and what the crawl wrote to provenance.

Robots rules are per origin, so most cases are origins of their own in one shared crawl (module
scope: a crawl per case would make this file slow). Each case's site is built right above its
test by a function registered with `@shared_origin`; policies that change the answer get their
own crawls.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crawler import __version__
from crawler.provenance import verify_output
from tests.helpers import WORDS, article, crawl, final_records, read_jsonl, write_policy
from tests.mockserver import FixtureServer

EXPECTED_UA = f"TestBot/{__version__} (+https://example.org/testbot)"
# Arrival times include each request's connection set-up: allow 30 ms of jitter, no more.
JITTER = 0.03
RULES_FILES = ("/robots.txt", "/.well-known/tdmrep.json")
# The shared crawl's policy: short timeouts, no retries, a ceiling on Crawl-delay.
# Long enough for a loaded 2-core CI machine to answer every healthy page; the "timeout" robots.txt
# route waits a second longer than this.
TIMEOUT = 3.0
MAX_CRAWL_DELAY = 5.0
PACED_DELAY = 0.4


def page(name: str, links: list[str] | None = None) -> str:
    """An article whose main text is unique to `name` (so no page is a duplicate of another)."""
    return article(name, links=links, body_text=f"{name} was reported today. {WORDS}")


def robots(server: FixtureServer, text: str, **kwargs: Any) -> bytes:
    body = text.encode("utf-8")
    server.add("/robots.txt", body, content_type="text/plain", **kwargs)
    return body


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def close_all(servers: Iterable[FixtureServer]) -> None:
    """Close servers in parallel (each shutdown waits up to half a second for its loop)."""
    with ThreadPoolExecutor() as pool:
        list(pool.map(FixtureServer.close, servers))


# --- the shared crawl --------------------------------------------------------------------------

# origin name -> builder: adds the routes to a fresh server, returns the seed paths
ORIGINS: dict[str, Callable[[FixtureServer], list[str]]] = {}


def shared_origin(name: str) -> Callable[..., Any]:
    def register(build: Callable[[FixtureServer], list[str]]) -> Callable[..., Any]:
        ORIGINS[name] = build
        return build

    return register


@dataclass
class SharedCrawl:
    servers: dict[str, FixtureServer]
    out: Path
    finals: dict[str, dict[str, Any]]
    accepted: set[str]  # dataset URLs

    def record(self, name: str, path: str) -> dict[str, Any]:
        return self.finals[self.servers[name].url(path)]


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedCrawl]:
    """One crawl of one origin per case, default usage (train-ai)."""
    servers = {name: FixtureServer() for name in ORIGINS}
    try:
        seeds = [
            servers[name].url(p) for name, build in ORIGINS.items() for p in build(servers[name])
        ]
        directory = tmp_path_factory.mktemp("robots")
        policy = write_policy(
            directory,
            seeds,
            network={"timeout": TIMEOUT, "retries": 0},
            politeness={"min_delay": 0.0, "max_concurrency": 4, "max_crawl_delay": MAX_CRAWL_DELAY},
        )
        crawl(policy)
        out = directory / "out"
        accepted = {doc["url"] for doc in read_jsonl(out / "dataset.jsonl")}
        yield SharedCrawl(servers, out, final_records(out), accepted)
    finally:
        close_all(servers.values())


def test_shared_crawl_provenance_verifies(rules: SharedCrawl) -> None:
    assert verify_output(rules.out).ok
    requested = {s.url(path) for s in rules.servers.values() for path in s.paths()}
    assert requested <= set(rules.finals), f"unrecorded: {requested - set(rules.finals)}"
    hits = [hit for server in rules.servers.values() for hit in server.hits]
    assert {hit.headers.get("User-Agent") for hit in hits} == {EXPECTED_UA}


# --- fetch order and what page records say about robots.txt --------------------------------------

RECORDS_ROBOTS = "# house rules\nUser-agent: *\nDisallow: /private/\nAllow: /private/open.html\n"


@shared_origin("records")
def build_records(server: FixtureServer) -> list[str]:
    robots(server, RECORDS_ROBOTS)
    server.add("/", page("Home", links=["/private/open.html", "/private/closed.html"]))
    for name in ("a", "b", "c"):
        server.add(f"/{name}.html", page(f"Story {name}"))
    server.add("/private/open.html", page("Open"))
    server.add("/private/closed.html", page("Closed"))
    return ["/a.html", "/b.html", "/c.html", "/"]


def test_robots_txt_is_fetched_first_once_with_our_user_agent(rules: SharedCrawl) -> None:
    server = rules.servers["records"]
    assert server.paths()[0] == "/robots.txt", server.paths()
    assert server.paths().count("/robots.txt") == 1
    assert server.hits[0].headers.get("User-Agent") == EXPECTED_UA
    assert sorted(server.page_paths()) == [
        "/",
        "/a.html",
        "/b.html",
        "/c.html",
        "/private/open.html",
    ]
    record = rules.record("records", "/robots.txt")
    assert record["outcome"] == "dropped" and record["reasons"] == ["robots-txt"]
    assert record["content_sha256"] == sha256(RECORDS_ROBOTS.encode())


def test_page_records_name_the_robots_file_its_hash_and_the_matched_rule(
    rules: SharedCrawl,
) -> None:
    server = rules.servers["records"]
    assert "/private/closed.html" not in server.paths()
    home = rules.record("records", "/")
    opened = rules.record("records", "/private/open.html")
    closed = rules.record("records", "/private/closed.html")
    assert home["outcome"] == "accepted" and opened["outcome"] == "accepted"
    assert closed["outcome"] == "refused" and closed["reasons"] == ["robots-disallow"]
    assert closed["evidence"] == {"rule": "Disallow: /private/"}
    for record in (home, opened, closed):
        assert record["robots"]["url"] == server.url("/robots.txt")
        assert record["robots"]["sha256"] == sha256(RECORDS_ROBOTS.encode())
    assert home["robots"]["rule"] is None
    assert opened["robots"]["rule"] == "Allow: /private/open.html"
    assert closed["robots"]["rule"] == "Disallow: /private/"
    assert server.url("/private/open.html") in rules.accepted
    assert server.url("/private/closed.html") not in rules.accepted


# --- robots.txt status: 4xx means no restrictions, 429/5xx/timeouts/resets mean none at all -------

FOUR_XX = (404, 403, 401)


def build_four_xx(status: int) -> Callable[[FixtureServer], list[str]]:
    def build(server: FixtureServer) -> list[str]:
        # An error page that looks like a robots.txt disallowing everything: still "unavailable".
        robots(server, "User-agent: *\nDisallow: /\n", status=status)
        server.add("/", page(f"Home {status}", links=["/news.html"]))
        server.add("/news.html", page(f"News {status}"))
        return ["/"]

    return build


for _status in FOUR_XX:
    shared_origin(f"robots-{_status}")(build_four_xx(_status))


def test_robots_txt_4xx_means_no_restrictions(rules: SharedCrawl) -> None:
    # RFC 9309 §2.3.1.3: "unavailable" (4xx) means the crawler may access any resource.
    for status in FOUR_XX:
        name = f"robots-{status}"
        server = rules.servers[name]
        assert server.paths()[0] == "/robots.txt"
        assert sorted(server.page_paths()) == ["/", "/news.html"], (status, server.paths())
        assert rules.record(name, "/robots.txt")["status"] == status
        for path in ("/", "/news.html"):
            record = rules.record(name, path)
            assert record["outcome"] == "accepted", (status, record)
            assert record["robots"]["url"] == server.url("/robots.txt")


UNREACHABLE: dict[str, dict[str, Any]] = {
    "429": {"status": 429},
    "500": {"status": 500},
    "503": {"status": 503},
    "timeout": {"delay": TIMEOUT + 1.0},
    "reset": {"action": "reset"},
}


def build_unreachable(kind: str) -> Callable[[FixtureServer], list[str]]:
    def build(server: FixtureServer) -> list[str]:
        robots(server, "User-agent: *\nAllow: /\n", **UNREACHABLE[kind])
        server.add("/", page(f"Home {kind}", links=["/a.html"]))
        server.add("/a.html", page(f"Article {kind}"))
        return ["/", "/a.html"]

    return build


for _kind in UNREACHABLE:
    shared_origin(f"unreachable-{_kind}")(build_unreachable(_kind))


def test_unreachable_robots_txt_refuses_every_page_of_the_origin(rules: SharedCrawl) -> None:
    # RFC 9309 §2.3.1.4: 429, 5xx, a timeout or a network error mean "complete disallow".
    for kind in UNREACHABLE:
        name = f"unreachable-{kind}"
        server = rules.servers[name]
        assert server.paths() == ["/robots.txt"], f"{kind}: a page was requested"
        assert rules.record(name, "/robots.txt")["reasons"][0] == "robots-txt"
        for path in ("/", "/a.html"):
            record = rules.record(name, path)
            assert record["outcome"] == "refused", (kind, record)
            assert record["reasons"] == ["robots-unreachable"]
            assert record["robots"]["url"] == server.url("/robots.txt")
            assert record["evidence"]["error"]
            assert server.url(path) not in rules.accepted
    for kind in ("429", "500", "503"):
        assert rules.record(f"unreachable-{kind}", "/")["evidence"]["status"] == int(kind)
    timeout = rules.record("unreachable-timeout", "/robots.txt")
    assert timeout["reasons"] == ["robots-txt", "download-timeout"]
    reset = rules.record("unreachable-reset", "/robots.txt")
    assert reset["reasons"] == ["robots-txt", "connection-lost"]


# --- redirects --------------------------------------------------------------------------------

REDIRECTED_ROBOTS = b"User-agent: *\nDisallow: /private/\n"


@shared_origin("redirected")
def build_redirected(server: FixtureServer) -> list[str]:
    server.add("/robots.txt", status=301, headers={"Location": "/real-robots.txt"})
    server.add("/real-robots.txt", REDIRECTED_ROBOTS, content_type="text/plain")
    server.add("/", page("Home", links=["/private/p.html", "/public.html"]))
    server.add("/private/p.html", page("Private"))
    server.add("/public.html", page("Public"))
    return ["/"]


def test_robots_txt_redirect_is_followed_and_its_rules_apply_to_the_origin(
    rules: SharedCrawl,
) -> None:
    server = rules.servers["redirected"]
    assert server.paths()[:2] == ["/robots.txt", "/real-robots.txt"]
    assert "/private/p.html" not in server.paths()
    assert "/public.html" in server.paths()
    source = rules.record("redirected", "/robots.txt")
    assert "redirect" in source["reasons"]
    assert source["redirect_to"] == server.url("/real-robots.txt")
    private = rules.record("redirected", "/private/p.html")
    assert private["outcome"] == "refused" and private["reasons"] == ["robots-disallow"]
    assert private["robots"]["url"] == server.url("/robots.txt")
    assert private["robots"]["sha256"] == sha256(REDIRECTED_ROBOTS)
    assert rules.record("redirected", "/public.html")["outcome"] == "accepted"


def test_robots_txt_redirect_to_another_origin_gives_the_rules_of_the_first(
    site: FixtureServer, other_site: FixtureServer, tmp_path: Path
) -> None:
    # RFC 9309 §2.3.1.2: the rules fetched through the redirect apply to the origin asked.
    site.add("/robots.txt", status=302, headers={"Location": other_site.url("/shared.txt")})
    other_site.add("/shared.txt", REDIRECTED_ROBOTS, content_type="text/plain")
    site.add("/", page("Home", links=["/private/p.html", "/public.html"]))
    site.add("/private/p.html", page("Private"))
    site.add("/public.html", page("Public"))
    crawl(write_policy(tmp_path, [site.url("/")]))
    out = tmp_path / "out"
    finals = final_records(out)

    assert "/private/p.html" not in site.paths()
    assert "/public.html" in site.paths()
    # Only the rules file was asked of the other origin: it is not crawled for it.
    assert other_site.paths() == ["/shared.txt"]
    assert finals[other_site.url("/shared.txt")]["reasons"] == ["robots-txt"]
    private = finals[site.url("/private/p.html")]
    assert private["reasons"] == ["robots-disallow"]
    assert private["robots"]["url"] == site.url("/robots.txt")
    assert private["robots"]["sha256"] == sha256(REDIRECTED_ROBOTS)
    assert verify_output(out).ok


# --- group selection --------------------------------------------------------------------------

GROUP_PATHS = ["/news/1.html", "/test/1.html", "/a/1.html", "/b/1.html", "/star/1.html"]


def build_groups(text: str) -> Callable[[FixtureServer], list[str]]:
    def build(server: FixtureServer) -> list[str]:
        robots(server, text)
        for path in GROUP_PATHS:
            server.add(path, page(f"{server.port} {path}"))
        return GROUP_PATHS

    return build


shared_origin("groups-token")(
    build_groups(
        "User-agent: testbot-news\nDisallow: /news/\n\n"
        "User-agent: Test\nDisallow: /test/\n\n"
        "User-agent: TestBot\nDisallow: /a/\n\n"
        "User-agent: *\nDisallow: /star/\n\n"
        "User-agent: TestBot\nDisallow: /b/\n"
    )
)
# No group names TestBot exactly: only the `*` group applies (RFC 9309 §2.2.1).
shared_origin("groups-star")(
    build_groups(
        "User-agent: testbot-news\nDisallow: /star/\n\n"
        "User-agent: Test\nDisallow: /star/\n\n"
        "User-agent: *\nDisallow: /news/\n"
    )
)


def test_groups_are_chosen_by_exact_product_token_and_combine(rules: SharedCrawl) -> None:
    server = rules.servers["groups-token"]
    # Every article links Home ("/"), a 404 here.
    assert sorted(server.page_paths()) == ["/", "/news/1.html", "/star/1.html", "/test/1.html"]
    for path, rule in (("/a/1.html", "Disallow: /a/"), ("/b/1.html", "Disallow: /b/")):
        record = rules.record("groups-token", path)
        assert record["reasons"] == ["robots-disallow"], record
        assert record["robots"]["rule"] == rule
        assert record["robots"]["group"] == "token"


def test_groups_fall_back_to_star_when_no_group_names_our_token(rules: SharedCrawl) -> None:
    server = rules.servers["groups-star"]
    assert sorted(server.page_paths()) == [
        "/",
        "/a/1.html",
        "/b/1.html",
        "/star/1.html",
        "/test/1.html",
    ]
    refused = rules.record("groups-star", "/news/1.html")
    assert refused["reasons"] == ["robots-disallow"]
    assert refused["robots"]["group"] == "*" and refused["robots"]["rule"] == "Disallow: /news/"


# --- Crawl-delay ------------------------------------------------------------------------------

PACED_LINKS = [f"/p{n}.html" for n in range(4)]


@pytest.fixture(scope="module")
def paced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FixtureServer]:
    """A crawl of its own (timing is measured best on a quiet reactor) of a paced origin."""
    server = FixtureServer()
    try:
        robots(
            server,
            f"User-agent: *\nCrawl-delay: 3\n\nUser-agent: TestBot\nCrawl-delay: {PACED_DELAY}\n",
        )
        server.add("/", page("Hub", links=PACED_LINKS))
        for link in PACED_LINKS:
            server.add(link, page(f"Page {link}"))
        directory = tmp_path_factory.mktemp("paced")
        policy = write_policy(
            directory,
            [server.url("/")],
            politeness={"min_delay": 0.0, "max_concurrency": 4, "max_crawl_delay": 10.0},
        )
        crawl(policy)
        finals = final_records(directory / "out")
        assert all(finals[server.url(link)]["outcome"] == "accepted" for link in PACED_LINKS)
        yield server
    finally:
        server.close()


def test_crawl_delay_for_our_group_spaces_requests_to_the_origin(paced: FixtureServer) -> None:
    assert paced.paths()[:2] == list(RULES_FILES)
    pages = [hit.time for hit in paced.hits if hit.path not in RULES_FILES]
    assert len(pages) == 5  # the hub and 4 pages
    gaps = [b - a for a, b in itertools.pairwise(pages)]
    assert min(gaps) >= PACED_DELAY - JITTER, gaps
    assert max(gaps) < 3 - 1, "the `*` group's Crawl-delay must not apply to TestBot"


def test_crawl_delay_spaces_every_request_after_robots_txt_is_read(paced: FixtureServer) -> None:
    # Known once robots.txt has arrived: the next request to the origin already waits for it.
    gaps = [b - a for a, b in itertools.pairwise(hit.time for hit in paced.hits)]
    assert min(gaps) >= PACED_DELAY - JITTER, gaps


@shared_origin("too-slow")
def build_too_slow(server: FixtureServer) -> list[str]:
    robots(server, "User-agent: *\nCrawl-delay: 30\n")
    server.add("/", page("Home", links=["/a.html"]))
    server.add("/a.html", page("Article"))
    return ["/", "/a.html"]


def test_crawl_delay_above_the_policy_maximum_skips_the_origin(rules: SharedCrawl) -> None:
    assert rules.servers["too-slow"].page_paths() == []
    for path in ("/", "/a.html"):
        record = rules.record("too-slow", path)
        assert record["outcome"] == "refused" and record["reasons"] == ["crawl-delay-too-long"]
        assert record["evidence"] == {"crawl_delay": 30.0, "max_crawl_delay": MAX_CRAWL_DELAY}


# --- AI-usage lines in robots.txt --------------------------------------------------------------

CONTENT_USAGE_ROBOTS = (
    "User-agent: *\nAllow: /\n"
    "Content-Usage: /articles/ train-ai=n\n"
    "Content-Usage: /articles/open/ train-ai=y\n"
)
CONTENT_SIGNAL_ROBOTS = "User-agent: *\nContent-Signal: search=yes, ai-train=no\nAllow: /\n"


def build_ai_usage(text: str) -> Callable[[FixtureServer], list[str]]:
    def build(server: FixtureServer) -> list[str]:
        robots(server, text)
        server.add("/", page(f"Home {server.port}", links=["/articles/a.html"]))
        server.add("/articles/a.html", page(f"Closed article {server.port}"))
        server.add("/articles/open/b.html", page(f"Open article {server.port}"))
        return ["/", "/articles/open/b.html"]

    return build


shared_origin("content-usage")(build_ai_usage(CONTENT_USAGE_ROBOTS))
shared_origin("content-signal")(build_ai_usage(CONTENT_SIGNAL_ROBOTS))


def test_content_usage_refuses_training_before_any_fetch_and_longest_path_wins(
    rules: SharedCrawl,
) -> None:
    server = rules.servers["content-usage"]
    # A longer `train-ai=y` path re-allows what a shorter `train-ai=n` refused.
    assert sorted(server.page_paths()) == ["/", "/articles/open/b.html"]
    closed = rules.record("content-usage", "/articles/a.html")
    assert closed["outcome"] == "refused"
    assert closed["reasons"] == ["ai-optout-content-usage"]
    assert closed["evidence"]["evidence"] == "Content-Usage: /articles/ train-ai=n"
    assert server.url("/articles/open/b.html") in rules.accepted
    assert server.url("/") in rules.accepted


def test_content_signal_refuses_training_before_any_fetch(rules: SharedCrawl) -> None:
    server = rules.servers["content-signal"]
    assert server.paths() == list(RULES_FILES)
    for path in ("/", "/articles/open/b.html"):
        record = rules.record("content-signal", path)
        assert record["outcome"] == "refused"
        assert record["reasons"] == ["ai-optout-content-signal"]
        assert "ai-train=no" in record["evidence"]["evidence"]


def test_content_usage_and_content_signal_allow_a_search_crawl(
    site: FixtureServer, other_site: FixtureServer, tmp_path: Path
) -> None:
    build_ai_usage(CONTENT_USAGE_ROBOTS)(site)
    build_ai_usage(CONTENT_SIGNAL_ROBOTS)(other_site)
    crawl(write_policy(tmp_path, [site.url("/"), other_site.url("/")], usage="search"))
    finals = final_records(tmp_path / "out")

    for server in (site, other_site):
        assert sorted(server.page_paths()) == ["/", "/articles/a.html"]
        assert finals[server.url("/articles/a.html")]["outcome"] == "accepted"


AI_BOT_ROBOTS = "User-agent: GPTBot\nDisallow: /x/\n\nUser-agent: TestBot\nAllow: /\n"


@shared_origin("ai-bot")
def build_ai_bot(server: FixtureServer) -> list[str]:
    robots(server, AI_BOT_ROBOTS)
    server.add("/", page(f"Home {server.port}", links=["/x/story.html"]))
    server.add("/x/story.html", page(f"Story {server.port}"))
    return ["/"]


def test_disallow_for_an_ai_training_bot_is_an_opt_out(rules: SharedCrawl) -> None:
    assert "/x/story.html" not in rules.servers["ai-bot"].paths()
    record = rules.record("ai-bot", "/x/story.html")
    assert record["outcome"] == "refused"
    assert record["reasons"] == ["ai-optout-ai-bot-disallow"]
    assert record["evidence"]["token"] == "GPTBot"
    assert record["evidence"]["rule"] == "Disallow: /x/"


def test_ai_bot_disallow_is_not_honoured_when_the_policy_turns_it_off(
    site: FixtureServer, tmp_path: Path
) -> None:
    build_ai_bot(site)
    crawl(write_policy(tmp_path, [site.url("/")], optouts={"ai_bot_disallow": False}))
    out = tmp_path / "out"

    assert site.paths().count("/x/story.html") == 1
    assert final_records(out)[site.url("/x/story.html")]["outcome"] == "accepted"
    assert verify_output(out).ok


TDMREP = [
    {"location": "/reserved/*", "tdm-reservation": 1, "tdm-policy": "https://example.org/policy"}
]


@shared_origin("tdmrep")
def build_tdmrep(server: FixtureServer) -> list[str]:
    robots(server, "User-agent: *\nAllow: /\n")
    server.add("/.well-known/tdmrep.json", json.dumps(TDMREP), content_type="application/json")
    server.add("/", page(f"Home {server.port}", links=["/reserved/a.html", "/free.html"]))
    server.add("/reserved/a.html", page("Reserved"))
    server.add("/free.html", page("Free"))
    return ["/"]


def test_tdmrep_json_reservation_refuses_matching_pages(rules: SharedCrawl) -> None:
    server = rules.servers["tdmrep"]
    assert server.paths()[:2] == list(RULES_FILES)
    assert "/reserved/a.html" not in server.paths()
    assert rules.record("tdmrep", "/.well-known/tdmrep.json")["reasons"] == ["tdmrep-json"]
    reserved = rules.record("tdmrep", "/reserved/a.html")
    assert reserved["outcome"] == "refused" and reserved["reasons"] == ["ai-optout-tdmrep"]
    assert reserved["evidence"]["policy"] == "https://example.org/policy"
    assert reserved["evidence"]["source"] == "tdmrep.json"
    assert server.url("/free.html") in rules.accepted
