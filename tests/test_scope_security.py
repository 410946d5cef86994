"""Scope under attack: redirect chains against the page budget, a planted frontier on resume.

Each test plays the attack with a real crawl against the loopback servers and asserts from both
sides: what the servers saw, and what the crawl wrote.
"""

from __future__ import annotations

import json
from pathlib import Path

from crawler.provenance import verify_output
from tests.helpers import article, crawl, final_records, read_jsonl, write_policy
from tests.mockserver import FixtureServer

HOPS = 5  # REDIRECT_MAX_TIMES


def redirect(server: FixtureServer, path: str, to: str) -> None:
    server.add(path, b"", status=302, headers={"Location": to}, content_type=None)


def redirect_chain(server: FixtureServer, name: str, hops: int) -> None:
    """/name/0 -> /name/1 -> ... -> /name/<hops>, an article."""
    for step in range(hops):
        redirect(server, f"/{name}/{step}", f"/{name}/{step + 1}")
    server.add(f"/{name}/{hops}", article(f"End of {name}", body_text=f"Story {name}. " * 40))


def plant(out: Path, *lines: object) -> None:
    with open(out / "frontier.jsonl", "a", encoding="utf-8") as handle:
        for line in lines:
            text = line if isinstance(line, str) else json.dumps(line)
            handle.write(text + "\n")


def assert_every_request_recorded(out: Path, *servers: FixtureServer) -> None:
    finals = final_records(out)
    requested = {server.url(path) for server in servers for path in server.paths()}
    assert requested <= set(finals), f"unrecorded: {requested - set(finals)}"
    report = verify_output(out)
    assert report.ok, report.problems


def test_redirect_hops_take_pages_from_the_budget(site: FixtureServer, tmp_path: Path) -> None:
    # The finding: 40 links, each the start of a 5-hop chain, under a budget of 30 pages.
    chains = [f"/c{i}/0" for i in range(40)]
    site.add("/", article("Hub", links=chains))
    for i in range(40):
        redirect_chain(site, f"c{i}", HOPS)
    crawl(write_policy(tmp_path, [site.url("/")], scope={"max_pages": 30}))

    assert len(site.page_paths()) == 30, "the hub, 29 chain starts, and no hop past the budget"
    out = tmp_path / "out"
    finals = final_records(out)
    redirects = [r for r in read_jsonl(out / "provenance.jsonl") if r["reasons"] == ["redirect"]]
    assert redirects, "the chains were entered"
    for record in redirects:
        target = finals[record["redirect_to"]]  # every redirect target has its final record
        path = target["url"].removeprefix(site.base)
        if path not in site.paths():
            assert (target["outcome"], target["reasons"]) == ("refused", ["page-budget"])
            assert target["robots"]["rule"] is None
    assert_every_request_recorded(out, site)


def test_a_redirect_chain_stops_at_the_budget_and_stays_counted_on_resume(
    site: FixtureServer, tmp_path: Path
) -> None:
    redirect_chain(site, "r", 4)
    site.add("/planted.html", article("Planted"))
    policy = write_policy(tmp_path, [site.url("/r/0")], scope={"max_pages": 3})
    crawl(policy)

    assert site.page_paths() == ["/r/0", "/r/1", "/r/2"]
    out = tmp_path / "out"
    finals = final_records(out)
    assert [finals[site.url(f"/r/{n}")]["reasons"] for n in range(3)] == [["redirect"]] * 3
    stopped = finals[site.url("/r/3")]
    assert (stopped["outcome"], stopped["reasons"]) == ("refused", ["page-budget"])
    assert stopped["evidence"] == {"max_pages": 3}
    assert site.url("/r/4") not in finals
    assert_every_request_recorded(out, site)

    # On resume the hops still count: an entry added to the frontier finds no page left.
    site.hits.clear()
    plant(out, {"url": site.url("/planted.html"), "depth": 1})
    crawl(policy)
    assert site.page_paths() == []
    assert site.url("/planted.html") not in final_records(out)
    assert verify_output(out).ok


def test_a_planted_frontier_cannot_widen_the_scope_on_resume(
    site: FixtureServer, forbidden_site: FixtureServer, tmp_path: Path
) -> None:
    site.add("/", article("Home"))
    site.add("/deep.html", article("Deep"))
    site.add("/string-depth.html", article("String depth"))
    for i in range(10):
        site.add(f"/extra{i}.html", article(f"Extra {i}", body_text=f"Extra story {i}. " * 40))
    forbidden_site.add("/planted.html", article("Outside the scope"))
    # The network guard would let 127.0.0.2 through: only the scope stands in the way.
    policy = write_policy(
        tmp_path,
        [site.url("/")],
        scope={"max_pages": 5, "max_depth": 2},
        network={"allow_private": ["127.0.0.1", "127.0.0.2"]},
    )
    crawl(policy)
    out = tmp_path / "out"
    assert site.page_paths() == ["/"]

    site.hits.clear()
    plant(
        out,
        {"url": forbidden_site.url("/planted.html"), "depth": 1},
        {"url": site.url("/deep.html"), "depth": 9},
        {"url": "file:///etc/passwd", "depth": 0},
        {"url": site.url("/string-depth.html"), "depth": "1"},
        {"url": 5, "depth": 0},
        {"url": "http://[::1/broken", "depth": 0},
        {"url": "http://127.0.0.1:99999/port", "depth": 0},
        "not json at all",
        *({"url": site.url(f"/extra{i}.html"), "depth": 1} for i in range(10)),
    )
    crawl(policy)

    assert forbidden_site.paths() == []
    # The budget of 5 holds across runs: "/" took one page, the first four extras the rest.
    assert sorted(site.page_paths()) == [f"/extra{i}.html" for i in range(4)]
    finals = final_records(out)
    for url in (forbidden_site.url("/planted.html"), site.url("/deep.html")):
        assert url not in finals
    assert site.url("/extra4.html") not in finals
    dataset = {doc["url"] for doc in read_jsonl(out / "dataset.jsonl")}
    assert dataset == {site.url("/")} | {site.url(f"/extra{i}.html") for i in range(4)}
    assert_every_request_recorded(out, site, forbidden_site)
