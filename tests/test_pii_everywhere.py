"""Personal data and credentials in every field, not only in the text (issue 18, items 3 to 5).

A site plants contact details where a crawler copies metadata from: og:site_name, the byline,
a copyright notice, a licence link's text, an X-Robots-Tag header, and URLs that carry an e-mail
address or a presigned-storage credential. None of the planted values may appear in any file of
the crawl's output, in an exported bundle, or in the DEBUG log; the pages themselves are still
fetched as published (the server sees the real URLs).
"""

from __future__ import annotations

from pathlib import Path

from crawler.provenance import verify_output
from tests.helpers import WORDS, final_records, read_jsonl, run_ccrawl, write_policy
from tests.mockserver import FixtureServer

PHONE = "+44 20 7946 0958"
NOTICE_EMAIL = "jane.doe@example.com"
LINK_EMAIL = "licensing.desk@example.org"
AUTHOR_EMAIL = "reporter.one@example.net"
HEADER_EMAIL = "webmaster.x@example.org"
URL_EMAIL = "reader.two@example.com"
AWS_KEY = "AKIAIOSFODNN7EXAMPLE"
SIGNATURE = "f0e1d2c3b4a5968778695a4b3c2d1e0f"
PLANTED = [PHONE, NOTICE_EMAIL, "jane.doe", LINK_EMAIL, AUTHOR_EMAIL, HEADER_EMAIL, URL_EMAIL]
PLANTED += [AWS_KEY, SIGNATURE, "reader.two%40example.com"]

PRESIGNED = (
    f"/files/report.html?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={AWS_KEY}%2F20261204"
    f"&X-Amz-Signature={SIGNATURE}"
)
WITH_EMAIL = "/newsletter.html?email=reader.two%40example.com&issue=7"


def article(title: str, head: str = "", footer: str = "") -> str:
    paras = "".join(f"<p>{n}. {title} {WORDS}</p>" for n in range(4))
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"{head}</head><body><main><article><h1>{title}</h1>{paras}</article></main>"
        f"<footer>{footer}</footer></body></html>"
    )


def build_site(site: FixtureServer) -> None:
    head = (
        f'<meta property="og:site_name" content="Harbour News, call {PHONE}">'
        f'<meta name="author" content="Sam Writer {AUTHOR_EMAIL}">'
    )
    footer = (
        f"© 2026 {NOTICE_EMAIL}. "
        '<a rel="license" href="https://creativecommons.org/licenses/by/4.0/">'
        f"CC BY 4.0, permissions: {LINK_EMAIL}</a>"
    )
    links = f'<a href="{PRESIGNED}">report</a><a href="{WITH_EMAIL}">news</a>'
    site.add(
        "/",
        article("Harbour works", head, footer).replace("</main>", f"{links}</main>"),
    )
    site.add("/files/report.html", article("Quarterly report"))
    site.add("/newsletter.html", article("Newsletter issue"))
    site.add(
        "/closed.html", article("Closed page"), headers={"X-Robots-Tag": f"noai, {HEADER_EMAIL}"}
    )
    site.add("/index.html", article("Index", footer='<a href="/closed.html">closed</a>'))


def test_planted_contact_data_and_credentials_reach_no_output(
    site: FixtureServer, tmp_path: Path
) -> None:
    build_site(site)
    policy = write_policy(
        tmp_path,
        [site.url("/"), site.url("/index.html")],
        licences={"accept": ["CC-BY-*"], "unknown": "accept"},
        pii={"quarantine_above": 1.0},
    )
    result = run_ccrawl("crawl", str(policy), "--log-level", "DEBUG")
    assert result.returncode == 0, result.stderr[-3000:]
    out = tmp_path / "out"
    bundle = tmp_path / "bundle"
    exported = run_ccrawl("export", str(out), "--to", str(bundle))
    assert exported.returncode == 0, exported.stderr[-3000:]
    reports = run_ccrawl("report", "rightsholders", str(out))
    assert reports.returncode == 0, reports.stderr[-3000:]
    console = result.stdout + result.stderr + exported.stdout + reports.stdout

    # The server saw the URLs as published: nothing was changed on the wire.
    assert PRESIGNED in site.paths() and WITH_EMAIL in site.paths()
    assert "/closed.html" in site.paths()
    files = [p for p in [*out.rglob("*"), *bundle.rglob("*")] if p.is_file()]
    for value in PLANTED:
        for path in files:
            assert value.encode() not in path.read_bytes(), f"{value!r} found in {path}"
        assert value not in console, f"{value!r} printed on the console (debug log)"

    documents = {doc["title"]: doc for doc in read_jsonl(out / "dataset.jsonl")}
    home = documents["Harbour works"]
    assert home["sitename"] and "Harbour News" in home["sitename"]
    assert home["rightsholder"] is None, "a holder cut from an e-mail address is no holder"
    assert home["licence_evidence"], "the evidence is kept, with the contact data removed"
    report = documents["Quarterly report"]
    assert "X-Amz-Credential=REDACTED" in report["url"]
    assert "X-Amz-Signature=REDACTED" in report["url"]
    assert "email=REDACTED" in documents["Newsletter issue"]["url"]
    closed = next(r for u, r in final_records(out).items() if u.endswith("/closed.html"))
    assert closed["outcome"] == "refused" and closed["reasons"] == ["ai-optout-noai"]
    assert verify_output(out).ok


def test_urls_are_kept_as_fetched_only_when_the_policy_opts_in(
    site: FixtureServer, tmp_path: Path
) -> None:
    site.add("/", article("Links home").replace("</main>", f'<a href="{PRESIGNED}">r</a></main>'))
    site.add("/files/report.html", article("Quarterly report"))
    policy = write_policy(tmp_path, [site.url("/")], output={"urls": "keep"})
    result = run_ccrawl("crawl", str(policy), "--quiet")
    assert result.returncode == 0, result.stderr[-3000:]
    out = tmp_path / "out"

    documents = {doc["title"]: doc for doc in read_jsonl(out / "dataset.jsonl")}
    assert documents["Quarterly report"]["url"] == site.url(PRESIGNED)
    assert site.url(PRESIGNED) in final_records(out)
    frontier = (out / "frontier.jsonl").read_text(encoding="utf-8")
    assert AWS_KEY in frontier
    assert verify_output(out).ok
