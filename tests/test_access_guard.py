"""AccessGuard end to end: a closed door stays closed, and nothing is retried as someone else.

Auth and legal refusals, the per-origin circuit breaker, 429/503 with Retry-After and bounded
retries, bot challenges and login walls. Each test checks what the fixture server saw (paths,
arrival times, headers) and what the crawl wrote to provenance.

Access state is per origin, so every case is an origin of its own in one shared crawl (module
scope: a crawl per case would make this file slow). Each case's site is built right above its
tests by a function registered with `@shared_origin`. Pages that must be asked for *after* an
origin was stopped are linked from the `later` origin, whose only page answers after LATER s.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crawler import __version__
from crawler.provenance import verify_output
from tests.helpers import WORDS, article, crawl, final_records, read_jsonl, write_policy
from tests.mockserver import FixtureServer, Route

EXPECTED_UA = f"TestBot/{__version__} (+https://example.org/testbot)"
# Arrival times include each request's connection set-up: allow 30 ms of jitter, no more.
JITTER = 0.03
# The shared crawl's policy.
MAX_REFUSALS = 2
MAX_RETRIES = 1
MAX_WAIT = 60
# When the `later` origin's page answers (and its links are followed): after every stop.
LATER = 2.5


def page(name: str, links: list[str] | None = None) -> str:
    """An article whose main text is unique to `name` (so no page is a duplicate of another)."""
    return article(name, links=links, body_text=f"{name} was reported today. {WORDS}")


class RouteSequences(dict[str, Route]):
    """Routes where a path answers differently over time: each hit takes the next route of its
    sequence, and the last one repeats."""

    def __init__(self) -> None:
        super().__init__()
        self._sequences: dict[str, list[Route]] = {}
        self._lock = threading.Lock()

    def sequence(self, path: str, *routes: Route) -> None:
        self._sequences[path] = list(routes)
        self[path] = routes[-1]

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        with self._lock:
            queue = self._sequences.get(key)
            if queue and len(queue) > 1:
                return queue.pop(0)
        return super().get(key, default)


def close_all(servers: Iterable[FixtureServer]) -> None:
    """Close servers in parallel (each shutdown waits up to half a second for its loop)."""
    with ThreadPoolExecutor() as pool:
        list(pool.map(FixtureServer.close, servers))


# --- the shared crawl --------------------------------------------------------------------------


@dataclass
class Case:
    build: Callable[[FixtureServer], list[str]]  # adds routes, returns seed paths
    later: tuple[str, ...] = ()  # paths linked from the `later` origin


CASES: dict[str, Case] = {}


def shared_origin(name: str, later: tuple[str, ...] = ()) -> Callable[..., Any]:
    def register(build: Callable[[FixtureServer], list[str]]) -> Callable[..., Any]:
        CASES[name] = Case(build, later)
        return build

    return register


@dataclass
class SharedCrawl:
    servers: dict[str, FixtureServer]
    out: Path
    finals: dict[str, dict[str, Any]]
    attempts: list[dict[str, Any]]  # records with final: false
    accepted: set[str]  # dataset URLs

    def record(self, name: str, path: str) -> dict[str, Any]:
        return self.finals[self.servers[name].url(path)]

    def hits(self, name: str, path: str) -> list[float]:
        return [hit.time for hit in self.servers[name].hits if hit.path == path]


@pytest.fixture(scope="module")
def access(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedCrawl]:
    servers = {name: FixtureServer() for name in [*CASES, "later"]}
    try:
        seeds = [
            servers[name].url(p) for name, case in CASES.items() for p in case.build(servers[name])
        ]
        later = [servers[name].url(p) for name, case in CASES.items() for p in case.later]
        servers["later"].add("/", page("Later links", links=later), delay=LATER)
        directory = tmp_path_factory.mktemp("access")
        policy = write_policy(
            directory,
            [*seeds, servers["later"].url("/")],
            network={"retries": 0},
            politeness={"min_delay": 0.0, "max_concurrency": 4},
            access={"max_refusals": MAX_REFUSALS, "max_retries": MAX_RETRIES, "max_wait": MAX_WAIT},
        )
        crawl(policy)
        out = directory / "out"
        records = read_jsonl(out / "provenance.jsonl")
        attempts = [r for r in records if not r["final"]]
        accepted = {doc["url"] for doc in read_jsonl(out / "dataset.jsonl")}
        yield SharedCrawl(servers, out, final_records(out), attempts, accepted)
    finally:
        close_all(servers.values())


def test_shared_crawl_provenance_verifies(access: SharedCrawl) -> None:
    assert verify_output(access.out).ok
    requested = {s.url(path) for s in access.servers.values() for path in s.paths()}
    assert requested <= set(access.finals), f"unrecorded: {requested - set(access.finals)}"


def test_one_identity_no_cookies_no_credentials_on_any_request(access: SharedCrawl) -> None:
    hits = [hit for server in access.servers.values() for hit in server.hits]
    assert {hit.headers.get("User-Agent") for hit in hits} == {EXPECTED_UA}
    for hit in hits:
        names = {name.lower() for name in hit.headers}
        assert not names & {"cookie", "authorization", "proxy-authorization"}, hit
        assert hit.method == "GET", hit  # never a form submitted


# --- 401, 403, 451 ------------------------------------------------------------------------------


def build_refusal(path: str, status: int, headers: dict[str, str]) -> Callable[..., list[str]]:
    def build(server: FixtureServer) -> list[str]:
        # Both pages set a cookie: it must never come back.
        cookie = {"Set-Cookie": f"session={status}; Path=/"}
        server.add("/", page(f"Home {status}", links=[path]), headers=cookie)
        server.add(
            path,
            f"<html><body>No ({status})</body></html>",
            status=status,
            headers={**cookie, **headers},
        )
        return ["/"]

    return build


shared_origin("members")(
    build_refusal("/members.html", 401, {"WWW-Authenticate": 'Basic realm="members"'})
)
shared_origin("forbidden")(build_refusal("/forbidden.html", 403, {}))
shared_origin("legal")(build_refusal("/legal.html", 451, {}))


def test_auth_and_legal_refusals_are_recorded_and_never_asked_again(
    access: SharedCrawl,
) -> None:
    cases = (
        ("members", "/members.html", 401, "login-wall"),
        ("forbidden", "/forbidden.html", 403, "http-auth"),
        ("legal", "/legal.html", 451, "http-legal"),
    )
    for name, path, status, code in cases:
        assert access.servers[name].paths().count(path) == 1, f"{path} was asked for again"
        record = access.record(name, path)
        assert record["outcome"] == "refused" and record["reasons"] == [code], record
        assert record["status"] == status
        assert access.record(name, "/")["outcome"] == "accepted"
    members = access.record("members", "/members.html")
    assert members["evidence"]["evidence"] == 'WWW-Authenticate: Basic realm="members"'
    refused = {access.servers[name].url(path) for name, path, *_ in cases}
    assert not [r for r in access.attempts if r["url"] in refused], "a refusal was retried"


def test_auth_and_legal_refusals_carry_evidence(access: SharedCrawl) -> None:
    for name, path in (("forbidden", "/forbidden.html"), ("legal", "/legal.html")):
        assert access.record(name, path).get("evidence"), f"{path}: refused without evidence"


# --- the circuit breaker -----------------------------------------------------------------------


@shared_origin("breaker", later=("/r3.html", "/ok.html"))
def build_breaker(server: FixtureServer) -> list[str]:
    for path in ("/r1.html", "/r2.html", "/r3.html"):
        server.add(path, "<html><body>Forbidden</body></html>", status=403)
    server.add("/ok.html", page("Would be fine"))
    return ["/r1.html", "/r2.html"]


def test_consecutive_refusals_stop_the_origin(access: SharedCrawl) -> None:
    assert sorted(access.servers["breaker"].page_paths()) == ["/r1.html", "/r2.html"]
    for path in ("/r1.html", "/r2.html"):
        assert access.record("breaker", path)["reasons"] == ["http-auth"]
    for path in ("/r3.html", "/ok.html"):
        record = access.record("breaker", path)
        assert record["outcome"] == "refused" and record["reasons"] == ["origin-stopped"]
        assert record["evidence"]["because"] == "too-many-refusals"
        assert record["evidence"]["refusals"] == MAX_REFUSALS


# --- 429 / 503 ---------------------------------------------------------------------------------


@shared_origin("retry-after")
def build_retry_after(server: FixtureServer) -> list[str]:
    routes = RouteSequences()
    server.routes = routes
    routes.sequence(
        "/busy.html",
        Route(b"<html><body>Slow down</body></html>", status=429, headers={"Retry-After": "1"}),
        Route(page("Busy but fine").encode("utf-8")),
    )
    return ["/busy.html"]


def test_retry_after_is_waited_for_before_the_retry(access: SharedCrawl) -> None:
    hits = access.hits("retry-after", "/busy.html")
    assert len(hits) == 2
    assert hits[1] - hits[0] >= 1.0 - JITTER, hits[1] - hits[0]
    url = access.servers["retry-after"].url("/busy.html")
    assert access.record("retry-after", "/busy.html")["outcome"] == "accepted"
    assert url in access.accepted
    attempts = [r for r in access.attempts if r["url"] == url]
    assert len(attempts) == 1
    attempt = attempts[0]
    assert attempt["outcome"] == "error" and attempt["reasons"] == ["retry", "rate-limited"]
    assert attempt["status"] == 429
    assert attempt["evidence"]["retry_after"] == "1"


@shared_origin("unavailable", later=("/later.html",))
def build_unavailable(server: FixtureServer) -> list[str]:
    server.add("/down.html", "<html><body>Service unavailable</body></html>", status=503)
    server.add("/later.html", page("Later, unavailable"))
    return ["/down.html"]


def test_503_is_retried_a_bounded_number_of_times_then_the_origin_stops(
    access: SharedCrawl,
) -> None:
    hits = access.hits("unavailable", "/down.html")
    assert len(hits) == 1 + MAX_RETRIES
    # No Retry-After: an exponential backoff of at least one second.
    assert hits[1] - hits[0] >= 1.0 - JITTER
    assert "/later.html" not in access.servers["unavailable"].paths()
    down = access.record("unavailable", "/down.html")
    assert down["outcome"] == "error" and down["reasons"] == ["rate-limited"]
    assert down["status"] == 503
    later = access.record("unavailable", "/later.html")
    assert later["outcome"] == "refused" and later["reasons"] == ["origin-stopped"]
    assert later["evidence"]["because"] == "rate-limited"
    url = access.servers["unavailable"].url("/down.html")
    attempts = [(r["reasons"], r["status"]) for r in access.attempts if r["url"] == url]
    assert attempts == [(["retry", "rate-limited"], 503)] * MAX_RETRIES


@shared_origin("too-long", later=("/later.html",))
def build_too_long(server: FixtureServer) -> list[str]:
    server.add(
        "/busy.html",
        "<html><body>Come back tomorrow</body></html>",
        status=429,
        headers={"Retry-After": "3600"},
    )
    server.add("/later.html", page("Later, too long"))
    return ["/busy.html"]


def test_retry_after_longer_than_max_wait_stops_the_origin_at_once(access: SharedCrawl) -> None:
    assert access.servers["too-long"].page_paths() == ["/busy.html"]
    busy = access.record("too-long", "/busy.html")
    assert busy["outcome"] == "error" and busy["reasons"] == ["rate-limited"]
    assert busy["evidence"]["retry_after"] == "3600"
    later = access.record("too-long", "/later.html")
    assert later["outcome"] == "refused" and later["reasons"] == ["origin-stopped"]
    url = access.servers["too-long"].url("/busy.html")
    assert not [r for r in access.attempts if r["url"] == url]


# --- bot challenges and login walls -------------------------------------------------------------

CLOUDFLARE_CHALLENGE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta name="robots" content="noindex,nofollow"></head><body>
<div class="main-wrapper" role="main"><div class="main-content">
<noscript><div class="h2"><span id="challenge-error-text">Enable JavaScript and cookies to
continue</span></div></noscript></div></div>
<script>(function(){window._cf_chl_opt={cvId: '3',cZone: 'example.org',cType: 'managed'};
var cpo = document.createElement('script');
cpo.src = '/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8f0e1d2c3b4a5968';
document.getElementsByTagName('head')[0].appendChild(cpo);}());</script></body></html>"""


@shared_origin("challenge-header", later=("/later.html",))
def build_challenge_header(server: FixtureServer) -> list[str]:
    server.add("/story.html", page("Story behind a check"), headers={"cf-mitigated": "challenge"})
    server.add("/later.html", page("Later, header"))
    return ["/story.html"]


@shared_origin("challenge-page", later=("/later.html",))
def build_challenge_page(server: FixtureServer) -> list[str]:
    server.add(
        "/story.html",
        CLOUDFLARE_CHALLENGE,
        status=403,
        headers={"Server": "cloudflare", "cf-ray": "8f0e1d2c3b4a5968-AMS"},
    )
    server.add("/later.html", page("Later, page"))
    return ["/story.html"]


@pytest.mark.parametrize("name", ["challenge-header", "challenge-page"])
def test_bot_challenge_is_refused_and_stops_the_origin(name: str, access: SharedCrawl) -> None:
    server = access.servers[name]
    assert server.page_paths() == ["/story.html"], "asked again, or for more, after a challenge"
    story = access.record(name, "/story.html")
    assert story["outcome"] == "refused" and story["reasons"] == ["challenge"]
    assert story["evidence"]["vendor"] == "cloudflare"
    assert server.url("/story.html") not in access.accepted
    later = access.record(name, "/later.html")
    assert later["outcome"] == "refused" and later["reasons"] == ["origin-stopped"]
    assert later["evidence"]["because"] == "challenge"


LOGIN = "/login?returnUrl=%2Faccount.html"


@shared_origin("login")
def build_login(server: FixtureServer) -> list[str]:
    server.add("/", page("Home", links=["/account.html"]))
    server.add("/account.html", status=302, headers={"Location": LOGIN})
    server.add(
        "/login",
        "<!doctype html><html><head><title>Sign in</title></head><body><main><h1>Sign in</h1>"
        '<form method="post" action="/login"><input type="email" name="email">'
        '<input type="password" name="password"><button>Sign in</button></form>'
        "</main></body></html>",
    )
    return ["/"]


def test_redirect_to_a_sign_in_page_is_a_login_wall(access: SharedCrawl) -> None:
    server = access.servers["login"]
    assert server.paths().count("/account.html") == 1
    assert server.paths().count(LOGIN) == 1
    account = access.record("login", "/account.html")
    assert account["reasons"] == ["redirect"] and account["redirect_to"] == server.url(LOGIN)
    wall = access.record("login", LOGIN)
    assert wall["outcome"] == "refused" and wall["reasons"] == ["login-wall"]
    assert wall["evidence"]
    assert server.url(LOGIN) not in access.accepted
    assert server.url("/") in access.accepted
