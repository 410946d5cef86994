"""The ccrawl command line: the demo, progress output, and usage errors."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import article, final_records, read_jsonl, run_ccrawl, write_policy
from tests.mockserver import FixtureServer


def test_demo_crawls_the_bundled_site(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = run_ccrawl("demo", "--output", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Serving the demo site at http://127.0.0.1:" in result.stdout
    assert "Provenance: intact" in result.stdout
    for label in ("fetched", "accepted", "refused", "dropped"):
        assert f"  {label}" in result.stdout

    docs = read_jsonl(out / "dataset.jsonl")
    urls = {d["url"].split("/", 3)[3] for d in docs}
    assert "articles/lighthouse-history.html" in urls
    assert "zh/harbour-festival.html" in urls
    assert "fr/article.html" not in urls  # the demo policy keeps en and zh only
    assert "gallery.html" not in urls  # no main text
    assert "articles/sponsored.html" not in urls  # only linked with rel=nofollow
    finals = {url.split("/", 3)[3]: r for url, r in final_records(out).items()}
    assert finals["private/staff.html"]["reasons"] == ["robots-disallow"]
    assert finals["fr/article.html"]["reasons"] == ["language"]
    assert finals["feed.xml"]["reasons"] == ["not-html"]
    assert finals["articles/ferry-timetable.html"]["reasons"] == ["ai-optout-ai-bot-disallow"]
    assert finals["articles/fish-stew-recipe.html"]["reasons"] == ["ai-optout-content-usage"]
    lighthouse = next(d for d in docs if d["url"].endswith("lighthouse-history.html"))
    assert "Navigation" not in lighthouse["text"]
    assert "Harbour Town Gazette Ltd" not in lighthouse["text"], "footer boilerplate kept"


def test_progress_line_when_asked(site: FixtureServer, tmp_path: Path) -> None:
    site.add("/", article("Home", links=[f"/p{i}.html" for i in range(6)]))
    for i in range(6):
        site.add(f"/p{i}.html", article(f"Page {i}"), delay=0.3)
    policy = write_policy(tmp_path, [site.url("/")], politeness={"max_concurrency": 1})
    result = run_ccrawl(
        "crawl", str(policy), "-s", "CCRAWL_PROGRESS=1", "-s", "CCRAWL_PROGRESS_INTERVAL=0.2"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    # text mode turns the progress line's \r into \n; \x1b[K clears the rest of the line.
    assert "\nfetched " in result.stderr and "pages/s\x1b[K" in result.stderr
    assert "Crawl 'test' finished" in result.stdout
    assert "accepted         7" in result.stdout


def test_quiet_crawl_prints_nothing(site: FixtureServer, tmp_path: Path) -> None:
    site.add("/", article("Home"))
    result = run_ccrawl("crawl", str(write_policy(tmp_path, [site.url("/")])), "--quiet")
    assert result.returncode == 0
    assert result.stdout == ""
    assert "pages/s\x1b[K" not in result.stderr


def test_output_option_overrides_the_policy(site: FixtureServer, tmp_path: Path) -> None:
    site.add("/", article("Home"))
    elsewhere = tmp_path / "elsewhere"
    result = run_ccrawl(
        "crawl", str(write_policy(tmp_path, [site.url("/")])), "--quiet", "--output", str(elsewhere)
    )
    assert result.returncode == 0
    assert (elsewhere / "provenance.jsonl").exists()
    assert not (tmp_path / "out").exists()


def test_verify_on_a_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    result = run_ccrawl("provenance", "verify", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert "not a directory" in result.stderr
