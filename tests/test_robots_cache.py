"""robots.txt parsed once per fetch and kept without its comments, in memory and on disk.

The crawls are real (subprocesses against the loopback servers); the parse count is taken inside
the crawl process by wrapping the parser before the crawl starts.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from crawler.signals.robots_groups import (
    ai_token_optouts,
    matching_rule,
    parse_robots,
    select_group,
    strip_comments,
)
from tests.helpers import REPO, article, crawl, final_records, write_policy
from tests.mockserver import FixtureServer

COUNTING_RUN = """
import atexit, json, sys
from crawler.signals import aipref, robots_groups

counts = {"parse": 0, "split_directive": 0}

def counted(name, function):
    def wrapper(*args, **kwargs):
        counts[name] += 1
        return function(*args, **kwargs)
    return wrapper

robots_groups._parse = counted("parse", robots_groups._parse)
robots_groups.split_directive = counted("split_directive", robots_groups.split_directive)
aipref.split_directive = robots_groups.split_directive
atexit.register(lambda: open(sys.argv[1], "w").write(json.dumps(counts)))
from crawler.cli import main
sys.exit(main(sys.argv[2:]))
"""


def large_robots(lines: int) -> str:
    """A big real-world shape: comments, many rules for `*`, an AI bot's group, usage lines."""
    out = ["# robots.txt for a large site"]
    out += ["User-agent: *", "Content-Usage: /members/ train-ai=n"]
    out += [f"Disallow: /archive/{n}/  # moved in {2000 + n % 25}" for n in range(lines // 2)]
    out += ["User-agent: GPTBot"]
    out += [f"Disallow: /gpt/{n}/" for n in range(lines // 2)]
    return "\n".join(out) + "\n"


def counting_crawl(policy: Path, counts: Path) -> dict[str, int]:
    result = subprocess.run(
        [sys.executable, "-c", COUNTING_RUN, str(counts), "crawl", str(policy), "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr[-4000:]
    found: dict[str, int] = json.loads(counts.read_text(encoding="utf-8"))
    return found


def test_robots_txt_is_parsed_once_per_fetch_not_per_request(
    site: FixtureServer, tmp_path: Path
) -> None:
    lines, pages = 6000, 20
    body = large_robots(lines).encode()
    assert len(body) > 100_000
    site.add("/robots.txt", body, content_type="text/plain")
    links = [f"/p{n}.html" for n in range(pages)]
    site.add("/", article("Hub", links=links))
    for n in range(pages):
        site.add(f"/p{n}.html", article(f"Page {n}", body_text=f"Story number {n}. " * 40))
    counts = counting_crawl(write_policy(tmp_path, [site.url("/")]), tmp_path / "counts.json")

    assert site.paths().count("/robots.txt") == 1
    assert sorted(site.page_paths()) == sorted(["/", *links])
    finals = final_records(tmp_path / "out")
    digest = hashlib.sha256(body).hexdigest()
    for path in ["/", *links]:
        record = finals[site.url(path)]
        assert record["outcome"] == "accepted", record
        assert record["robots"]["sha256"] == digest
    # One fetch, one parse. Re-parsing per request would split every line once per page or more.
    assert counts["parse"] == 1, counts
    assert counts["split_directive"] < 8 * lines < pages * lines, counts


EMAILS = (b"jane.doe@harbour-news.test", b"rights@harbour-news.test", b"ai@harbour-news.test")
COMMENTED_ROBOTS = (
    "# Webmaster: Jane Doe <jane.doe@harbour-news.test>, call before crawling\n"
    "User-agent: *\n"
    "Disallow: /private/  # ask jane.doe@harbour-news.test for access\n"
    "Content-Usage: /members/ train-ai=n # questions: rights@harbour-news.test\n"
    "\n"
    "User-agent: GPTBot  # ai@harbour-news.test\n"
    "Disallow: /gpt-only/ # ai@harbour-news.test\n"
)


def files_holding(directory: Path, needles: tuple[bytes, ...]) -> list[str]:
    return [
        str(path.relative_to(directory))
        for path in directory.rglob("*")
        if path.is_file() and any(needle in path.read_bytes() for needle in needles)
    ]


def test_robots_comments_never_reach_the_output_directory(
    site: FixtureServer, tmp_path: Path
) -> None:
    body = COMMENTED_ROBOTS.encode()
    site.add("/robots.txt", body, content_type="text/plain")
    refused = ["/private/x.html", "/members/m.html", "/gpt-only/a.html"]
    site.add("/", article("Home", links=[*refused, "/a.html"]))
    for path in [*refused, "/a.html", "/b.html", "/private/y.html"]:
        site.add(path, article(f"Page {path}", body_text=f"Story at {path}. " * 40))
    policy = write_policy(tmp_path, [site.url("/")])
    crawl(policy)

    out = tmp_path / "out"
    assert not set(refused) & set(site.paths()), "the rules were applied"
    finals = final_records(out)
    assert finals[site.url("/private/x.html")]["robots"]["rule"] == "Disallow: /private/"
    assert finals[site.url("/members/m.html")]["reasons"] == ["ai-optout-content-usage"]
    assert finals[site.url("/gpt-only/a.html")]["reasons"] == ["ai-optout-ai-bot-disallow"]
    assert finals[site.url("/a.html")]["outcome"] == "accepted"
    assert files_holding(out, EMAILS) == []
    [saved] = list((out / "state" / "robots").glob("*.json"))
    state = json.loads(saved.read_text(encoding="utf-8"))
    assert state["sha256"] == hashlib.sha256(body).hexdigest()
    assert "#" not in state["text"]

    # A state file written before comments were dropped is cleaned when a resumed crawl reads
    # it, and its rules still decide without robots.txt being fetched again.
    saved.write_text(json.dumps({**state, "text": COMMENTED_ROBOTS}), encoding="utf-8")
    site.hits.clear()
    with open(out / "frontier.jsonl", "a", encoding="utf-8") as handle:
        for path in ("/private/y.html", "/b.html"):
            handle.write(json.dumps({"url": site.url(path), "depth": 1}) + "\n")
    crawl(policy)
    assert site.paths() == ["/b.html"]
    finals = final_records(out)
    assert finals[site.url("/private/y.html")]["robots"]["rule"] == "Disallow: /private/"
    assert finals[site.url("/b.html")]["robots"]["sha256"] == state["sha256"]
    assert files_holding(out, EMAILS) == []


PATHS = ["/", "/private/x", "/private", "/members/a", "/gpt-only/b", "/a.html", "/robots.txt"]


def test_parsed_rules_decide_as_the_text_does_and_keep_line_numbers() -> None:
    text = strip_comments(COMMENTED_ROBOTS)
    assert "@" not in text
    assert len(text.splitlines()) == len(COMMENTED_ROBOTS.splitlines())
    assert strip_comments(text) == text
    parsed = parse_robots(text, "ExampleBot")
    for path in PATHS:
        allowed, rule = matching_rule(select_group(COMMENTED_ROBOTS, "ExampleBot"), path)
        assert parsed.verdict(path) == (allowed, rule.split("#")[0].rstrip() if rule else None)
        original = ai_token_optouts(COMMENTED_ROBOTS, path, "ExampleBot")
        found = parsed.ai_optouts(path)
        assert [s.detail["line"] for s in found] == [s.detail["line"] for s in original]
    assert [n for n, _ in parsed.member_lines("content-usage")] == [4]
