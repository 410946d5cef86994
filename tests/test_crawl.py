"""End-to-end crawls of the fixture server: what the server saw, and what the crawl wrote."""

from __future__ import annotations

from pathlib import Path

from crawler import __version__
from crawler.provenance import verify_output
from tests.helpers import article, crawl, final_records, read_jsonl, write_policy
from tests.mockserver import FixtureServer

EXPECTED_UA = f"TestBot/{__version__} (+https://example.org/testbot)"


def build_news_site(site: FixtureServer) -> None:
    site.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.add(
        "/",
        article(
            "Home",
            links=[
                "/a1.html",
                "/a2.html",
                "/private/p.html",
                "/feed.xml",
                "/missing.html",
                "/old.html",
                "/forbidden.html",
            ],
        ),
    )
    site.add("/a1.html", article("First article", links=["/a2.html", "/a1.html#comments"]))
    site.add("/a2.html", article("Second article", links=["/a1.html"]))
    site.add("/private/p.html", article("Private"))
    site.add("/feed.xml", "<rss></rss>", content_type="application/rss+xml")
    site.add("/old.html", b"", status=301, headers={"Location": "/a1.html"})
    site.add("/forbidden.html", "<html><body>no</body></html>", status=403)


def test_crawl_writes_dataset_and_verifiable_provenance(
    site: FixtureServer, tmp_path: Path
) -> None:
    build_news_site(site)
    policy = write_policy(tmp_path, [site.url("/")])
    crawl(policy)
    out = tmp_path / "out"

    report = verify_output(out)
    assert report.ok, report.problems
    dataset = read_jsonl(out / "dataset.jsonl")
    urls = {doc["url"] for doc in dataset}
    assert urls == {site.url("/"), site.url("/a1.html"), site.url("/a2.html")}
    first = next(doc for doc in dataset if doc["url"] == site.url("/a1.html"))
    assert first["title"] == "First article"
    assert "harbour committee" in first["text"]
    assert "Most read" not in first["text"], "sidebar boilerplate reached the dataset"
    assert first["language"] == "en"
    assert first["fetched_at"].endswith("Z")
    assert len(first["content_sha256"]) == 64
    for key in ("id", "licence", "licence_evidence", "rightsholder", "provenance", "redactions"):
        assert key in first


def test_every_requested_url_has_one_final_record(site: FixtureServer, tmp_path: Path) -> None:
    build_news_site(site)
    policy = write_policy(tmp_path, [site.url("/")])
    crawl(policy)
    finals = final_records(tmp_path / "out")

    requested = {site.url(path) for path in site.paths()}
    assert requested <= set(finals), f"unrecorded: {requested - set(finals)}"
    assert finals[site.url("/robots.txt")]["reasons"] == ["robots-txt"]
    assert finals[site.url("/private/p.html")]["outcome"] == "refused"
    assert finals[site.url("/private/p.html")]["reasons"] == ["robots-disallow"]
    assert finals[site.url("/feed.xml")]["reasons"] == ["not-html"]
    assert finals[site.url("/missing.html")]["outcome"] == "dropped"
    assert finals[site.url("/missing.html")]["status"] == 404
    assert finals[site.url("/forbidden.html")]["outcome"] == "refused"
    assert finals[site.url("/forbidden.html")]["reasons"] == ["http-auth"]
    redirect = finals[site.url("/old.html")]
    assert redirect["reasons"] == ["redirect"] and redirect["status"] == 301
    assert redirect["redirect_to"] == site.url("/a1.html")
    assert "/private/p.html" not in site.paths(), "robots.txt disallowed path was fetched"
    for record in finals.values():
        assert record["policy"]["name"] == "test" and len(record["policy"]["sha256"]) == 64
        assert record["agent"] == EXPECTED_UA
        assert record["robots"]["url"] == site.url("/robots.txt")


def test_one_honest_user_agent_on_every_request(site: FixtureServer, tmp_path: Path) -> None:
    build_news_site(site)
    crawl(write_policy(tmp_path, [site.url("/")]))
    assert site.hits
    assert {hit.headers.get("User-Agent") for hit in site.hits} == {EXPECTED_UA}
    assert all("Cookie" not in hit.headers for hit in site.hits)


def test_robots_txt_is_fetched_before_any_page(site: FixtureServer, tmp_path: Path) -> None:
    build_news_site(site)
    crawl(write_policy(tmp_path, [site.url("/")]))
    assert site.paths()[0] == "/robots.txt"


def test_duplicates_and_fragments_are_fetched_once(site: FixtureServer, tmp_path: Path) -> None:
    build_news_site(site)
    crawl(write_policy(tmp_path, [site.url("/")]))
    paths = site.paths()
    assert paths.count("/a1.html") == 1
    assert paths.count("/a2.html") == 1


def test_nofollow_links_and_pages_are_not_followed(site: FixtureServer, tmp_path: Path) -> None:
    site.add(
        "/",
        article("Home", links=["/followed.html"]).replace(
            "</ul>", '<li><a rel="nofollow sponsored" href="/sponsored.html">ad</a></li></ul>'
        ),
    )
    meta = '<meta name="robots" content="noarchive, nofollow">'
    site.add("/followed.html", article("Followed", links=["/behind-meta.html"], extra_head=meta))
    site.add("/behind-meta.html", article("Should not be fetched"))
    site.add("/sponsored.html", article("Should not be fetched"))
    crawl(write_policy(tmp_path, [site.url("/")]))
    assert "/followed.html" in site.paths()
    assert "/sponsored.html" not in site.paths()
    assert "/behind-meta.html" not in site.paths()


def test_scope_keeps_the_crawl_on_listed_domains(
    site: FixtureServer, other_site: FixtureServer, tmp_path: Path
) -> None:
    # Same host, another port: in scope by domain, so followed; a foreign host is not.
    site.add("/", article("Home", links=[other_site.url("/x.html"), "http://localhost:9/y.html"]))
    other_site.add("/x.html", article("Other origin page"))
    crawl(write_policy(tmp_path, [site.url("/")]))
    assert "/x.html" in other_site.paths()
    assert other_site.paths()[0] == "/robots.txt", "each origin gets its own robots.txt"


def test_depth_and_page_budget_are_honoured(site: FixtureServer, tmp_path: Path) -> None:
    for n in range(30):
        site.add(f"/p{n}.html", article(f"Page {n}", links=[f"/p{n + 1}.html"]))
    crawl(write_policy(tmp_path, [site.url("/p0.html")], scope={"max_depth": 3}))
    # Every article also links Home ("/", depth 1), which exists as a 404.
    pages = [p for p in site.paths() if p.startswith("/p")]
    assert pages == [f"/p{n}.html" for n in range(4)]

    site.reset()
    for n in range(30):
        site.add(f"/p{n}.html", article(f"Page {n}", links=[f"/p{n + 1}.html"]))
    second = tmp_path / "budget"
    second.mkdir()
    crawl(write_policy(second, [site.url("/p0.html")]), "--max-pages", "5")
    assert len(site.page_paths()) == 5
    assert len(final_records(second / "out")) == 7  # robots.txt, tdmrep.json + 5 pages


def test_language_filter_drops_other_languages(site: FixtureServer, tmp_path: Path) -> None:
    french = (
        "Le conseil municipal a voté mardi soir la rénovation du port, après trois hivers de "
        "tempêtes qui ont fragilisé la digue nord. Les habitants ont demandé combien de temps "
        "dureraient les travaux et si le bac continuerait de circuler pendant le chantier. "
    )
    site.add("/", article("Home", links=["/fr.html"]))
    site.add("/fr.html", article("Le port", body_text=french, lang="fr"))
    crawl(write_policy(tmp_path, [site.url("/")], languages=["en"]))
    finals = final_records(tmp_path / "out")
    assert finals[site.url("/")]["outcome"] == "accepted"
    assert finals[site.url("/fr.html")]["outcome"] == "dropped"
    assert finals[site.url("/fr.html")]["reasons"] == ["language"]
    assert finals[site.url("/fr.html")]["language"] == "fr"
    dataset = read_jsonl(tmp_path / "out" / "dataset.jsonl")
    assert [doc["url"] for doc in dataset] == [site.url("/")]


def test_page_without_main_text_is_dropped(site: FixtureServer, tmp_path: Path) -> None:
    site.add("/", '<html><body><img src="a.png"><img src="b.png"></body></html>')
    crawl(write_policy(tmp_path, [site.url("/")]))
    final = final_records(tmp_path / "out")[site.url("/")]
    assert final["outcome"] == "dropped" and final["reasons"] == ["no-text"]


def test_identical_pages_are_kept_once(site: FixtureServer, tmp_path: Path) -> None:
    page = article("Same story", links=["/copy.html"])
    site.add("/", page)
    site.add("/copy.html", page)
    crawl(write_policy(tmp_path, [site.url("/")]))
    finals = final_records(tmp_path / "out")
    # Whichever copy finishes analysis first is kept; the other names it.
    pair = [finals[site.url("/")], finals[site.url("/copy.html")]]
    kept = [r for r in pair if r["outcome"] == "accepted"]
    copies = [r for r in pair if r["outcome"] == "dropped"]
    assert len(kept) == 1 and len(copies) == 1
    assert copies[0]["reasons"] == ["duplicate-content"]
    assert copies[0]["duplicate_of"] == kept[0]["url"]
    assert len(read_jsonl(tmp_path / "out" / "dataset.jsonl")) == 1
