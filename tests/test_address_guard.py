"""The address guard against an attacker who controls DNS answers (issue 18, items 1 and 2).

A scripted resolver (tests.resolver.ScriptedHosts) stands for the attacker's DNS: a name that
fails once and then answers a private address, and a name that alternates between an allowed
address and a forbidden one (DNS rebinding). Servers on 127.0.0.2 stand for the internal network:
they must never see a request, whatever the answers were.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.provenance import verify_output
from tests.helpers import WORDS, article, final_records, read_jsonl, run_ccrawl, write_policy
from tests.mockserver import FixtureServer

RESOLVER = "TWISTED_DNS_RESOLVER=tests.resolver.ScriptedHosts"


def page(name: str, links: list[str] | None = None) -> str:
    return article(name, links=links, body_text=f"{name} was reported today. {WORDS}")


@pytest.fixture
def twin(site: FixtureServer) -> Iterator[FixtureServer]:
    """An internal server on 127.0.0.2 at the same port as `site`: where a rebound name leads."""
    server = FixtureServer("127.0.0.2", port=site.port)
    yield server
    server.close()


def crawl_with_dns(policy: Path, script: str, *settings: str) -> None:
    extra = [item for setting in (RESOLVER, *settings) for item in ("-s", setting)]
    result = run_ccrawl(
        "crawl",
        str(policy),
        "--quiet",
        *extra,
        env={"CCRAWL_TEST_DNS": script, "CCRAWL_TEST_HOSTS": "news.test=127.0.0.1"},
    )
    assert result.returncode == 0, result.stderr[-4000:]


def test_a_name_that_fails_once_and_then_answers_a_private_address_is_never_contacted(
    site: FixtureServer, forbidden_site: FixtureServer, tmp_path: Path
) -> None:
    secret = f"http://flaky.test:{forbidden_site.port}/secret.html"
    forbidden_site.add("/secret.html", page("Intranet"))
    site.add("/", page("Home", links=[secret, "/story.html"]))
    site.add("/story.html", page("Story"))
    news = f"http://news.test:{site.port}"
    policy = write_policy(
        tmp_path,
        [news + "/"],
        scope={"domains": ["news.test", "flaky.test"]},
        network={"allow_private": ["127.0.0.1"]},
    )
    crawl_with_dns(policy, "flaky.test=fail|127.0.0.2")
    out = tmp_path / "out"
    finals = final_records(out)

    assert forbidden_site.hits == []
    assert finals[news + "/story.html"]["outcome"] == "accepted"
    record = finals[secret]
    assert record["outcome"] == "refused", record
    assert "private-address" in record["reasons"] or "robots-unreachable" in record["reasons"]
    assert all("Intranet" not in doc["text"] for doc in read_jsonl(out / "dataset.jsonl"))
    assert verify_output(out).ok


def test_dns_rebinding_never_reaches_the_internal_address(
    site: FixtureServer, twin: FixtureServer, tmp_path: Path
) -> None:
    stories = [f"/story-{n}.html" for n in range(6)]
    site.add("/", page("Home", links=stories))
    for path in stories:
        site.add(path, page(f"Public {path}"))
        twin.add(path, page(f"Intranet {path}"))
    twin.add("/", page("Intranet home"))
    rebind = f"http://rebind.test:{site.port}"
    policy = write_policy(
        tmp_path,
        [rebind + "/"],
        scope={"domains": ["rebind.test"]},
        network={"allow_private": ["127.0.0.1"]},
    )
    # The first lookups (the home page and robots.txt) answer the allowed address, then every
    # other lookup answers the internal one; no DNS cache smooths it over.
    script = "rebind.test=" + "|".join(["127.0.0.1"] * 4 + ["~", "127.0.0.1", "127.0.0.2"])
    crawl_with_dns(policy, script, "DNSCACHE_ENABLED=False")
    out = tmp_path / "out"
    finals = final_records(out)

    assert twin.hits == [], [hit.path for hit in twin.hits]
    assert site.hits, "the allowed address was reached"
    documents = read_jsonl(out / "dataset.jsonl")
    assert all("Intranet" not in doc["text"] for doc in documents)
    refused = [r for r in finals.values() if "private-address" in r["reasons"]]
    assert refused, "the rebound lookups are recorded as refusals"
    for record in refused:
        assert record["outcome"] == "refused"
        assert record["evidence"] == {"host": "rebind.test", "address": "127.0.0.2"}
    assert verify_output(out).ok


def test_a_proxy_from_the_environment_is_not_used(
    site: FixtureServer, forbidden_site: FixtureServer, tmp_path: Path
) -> None:
    site.add("/", page("Home"))
    policy = write_policy(tmp_path, [site.url("/")])
    proxy = f"http://127.0.0.2:{forbidden_site.port}"
    result = run_ccrawl(
        "crawl", str(policy), "--quiet", env={"http_proxy": proxy, "HTTP_PROXY": proxy}
    )
    assert result.returncode == 0, result.stderr[-4000:]
    finals = final_records(tmp_path / "out")

    assert forbidden_site.hits == []
    assert site.page_paths() == ["/"]
    assert finals[site.url("/")]["outcome"] == "accepted"
