"""Per-origin politeness: concurrency never above the policy, delay never below it."""

from __future__ import annotations

import itertools
from pathlib import Path

from tests.helpers import article, crawl, write_policy
from tests.mockserver import FixtureServer


def hub(site: FixtureServer, n: int, delay: float) -> None:
    links = [f"/p{i}.html" for i in range(n)]
    site.add("/", article("Hub", links=links))
    for link in links:
        site.add(link, article(f"Page {link}"), delay=delay)


def test_concurrency_per_origin_is_capped_with_zero_delay(
    site: FixtureServer, other_site: FixtureServer, tmp_path: Path
) -> None:
    # Scrapy does not cap per-domain concurrency by itself when the delay is 0 (scrapy#6982);
    # our slots are per origin, so two ports of one host are capped separately.
    hub(site, 12, delay=0.3)
    hub(other_site, 12, delay=0.3)
    policy = write_policy(
        tmp_path,
        [site.url("/"), other_site.url("/")],
        politeness={"min_delay": 0.0, "max_concurrency": 2},
    )
    crawl(policy)
    assert len(site.page_paths()) == 13 and len(other_site.page_paths()) == 13
    assert site.max_in_flight == 2
    assert other_site.max_in_flight == 2


def test_min_delay_is_a_floor_between_requests(site: FixtureServer, tmp_path: Path) -> None:
    hub(site, 5, delay=0.0)
    policy = write_policy(
        tmp_path, [site.url("/")], politeness={"min_delay": 0.4, "max_concurrency": 4}
    )
    crawl(policy)
    times = [hit.time for hit in site.hits]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) == 8  # robots.txt, tdmrep.json, hub and 5 pages
    # The server stamps arrival, which includes the connection set-up of each request, so one
    # slow connect can shorten the next measured gap by a few milliseconds. Requests are *sent*
    # min_delay apart; allow 30 ms of arrival jitter, no more.
    assert min(gaps) >= 0.37, gaps
    assert sum(gaps) / len(gaps) >= 0.4, gaps
