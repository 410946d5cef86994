"""An existing Scrapy project adopts the rules through the add-on; `scrapy crawl policy` works."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from crawler import __version__
from crawler.provenance import verify_output
from tests.helpers import REPO, article, final_records, read_jsonl, write_policy
from tests.mockserver import FixtureServer

SPIDER = """
import scrapy


class NewsSpider(scrapy.Spider):
    name = "news"
    custom_settings = {"DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": False}

    def __init__(self, start="", **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [start]

    def parse(self, response):
        yield {"title": response.css("title::text").get()}
        yield from response.follow_all(css="a", callback=self.parse)
"""

SETTINGS = """
BOT_NAME = "newsproject"
SPIDER_MODULES = ["newsproject.spiders"]
USER_AGENT = "Mozilla/5.0 (pretending to be a browser)"
ROBOTSTXT_OBEY = False
ADDONS = {"crawler.addon.CompliantCrawl": 0}
CCRAWL_POLICY = %r
"""


def scrapy(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(cwd), str(REPO)])}
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def news_site(site: FixtureServer) -> None:
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.add("/", article("Home", links=["/a.html", "/private/x.html", "http://localhost:9/off"]))
    site.add("/a.html", article("A story"))
    site.add("/private/x.html", article("Private"))


def test_existing_project_runs_under_the_policy(site: FixtureServer, tmp_path: Path) -> None:
    news_site(site)
    policy = write_policy(tmp_path, [site.url("/")])
    project = tmp_path / "project"
    (project / "newsproject" / "spiders").mkdir(parents=True)
    (project / "scrapy.cfg").write_text("[settings]\ndefault = newsproject.settings\n")
    (project / "newsproject" / "__init__.py").write_text("")
    (project / "newsproject" / "settings.py").write_text(SETTINGS % str(policy))
    (project / "newsproject" / "spiders" / "__init__.py").write_text("")
    (project / "newsproject" / "spiders" / "news.py").write_text(SPIDER)

    result = scrapy(
        "crawl", "news", "-a", f"start={site.url('/')}", "-O", "items.jsonl", cwd=project
    )
    assert result.returncode == 0, result.stderr[-3000:]

    # The project's own output still works...
    titles = {item["title"] for item in read_jsonl(project / "items.jsonl")}
    assert titles == {"Home", "A story"}
    # ...but the crawl ran under the policy: honest identity, robots.txt, provenance.
    agents = {hit.headers["User-Agent"] for hit in site.hits}
    assert agents == {f"TestBot/{__version__} (+https://example.org/testbot)"}
    assert "/private/x.html" not in site.paths()
    out = tmp_path / "out"
    assert verify_output(out).ok
    finals = final_records(out)
    assert finals[site.url("/a.html")]["outcome"] == "accepted"
    assert finals[site.url("/private/x.html")]["reasons"] == ["robots-disallow"]


def test_scrapy_crawl_policy_runs_the_same_crawl(site: FixtureServer, tmp_path: Path) -> None:
    news_site(site)
    policy = write_policy(tmp_path, [site.url("/")])
    result = scrapy(
        "crawl", "policy", "-a", f"policy={policy}", "-s", "LOG_LEVEL=WARNING", cwd=REPO
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = tmp_path / "out"
    assert verify_output(out).ok
    assert {d["url"] for d in read_jsonl(out / "dataset.jsonl")} == {
        site.url("/"),
        site.url("/a.html"),
    }


def test_addon_without_policy_stops_with_a_message(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "p").mkdir(parents=True)
    (project / "scrapy.cfg").write_text("[settings]\ndefault = p.settings\n")
    (project / "p" / "__init__.py").write_text("")
    (project / "p" / "settings.py").write_text(
        'SPIDER_MODULES = ["crawler.spiders"]\nADDONS = {"crawler.addon.CompliantCrawl": 0}\n'
    )
    result = scrapy("crawl", "policy", cwd=project)
    assert result.returncode != 0
    assert "CCRAWL_POLICY is not set" in result.stderr
