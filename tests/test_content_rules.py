"""Content rules end to end: planted personal data and secrets never reach any output file, and
licences, markers, credentials and PII density send pages where the policy says."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.provenance import verify_output
from crawler.quarantine import QuarantineStore
from tests.helpers import final_records, read_jsonl, run_ccrawl, write_policy
from tests.mockserver import FixtureServer

CC_BY = '<link rel="license" href="https://creativecommons.org/licenses/by/4.0/">'
CC_BY_ND = '<link rel="license" href="https://creativecommons.org/licenses/by-nd/4.0/">'

EMAIL = "margaret.holloway@harbour-example.org"
PHONE = "+44 20 7946 0321"
CN_ID = "11010519491231002X"  # valid check character
CARD = "4111 1111 1111 1111"
AWS_KEY = "AKIAZ7QWERTYUIOPASDF"
GITHUB_TOKEN = "ghp_4Zq8Lm2Rt6Wx9Yb1Nc3Vd5Fg7Hj0Kp2Ls4Qa"
PRIVATE_KEY_LINE = "MIIEowIBAAKCAQEA7vXq0pBnQ3qZ9mMexamplePlantedKeyBodyLine0123456789"
PLANTED = [EMAIL, PHONE, CN_ID, CARD, AWS_KEY, GITHUB_TOKEN, PRIVATE_KEY_LINE, "Margaret Holloway"]

PROSE = (
    "The harbour committee met on Tuesday evening to discuss the repairs to the north wall, "
    "which engineers say has been weakened by three winters of storms. Residents asked how "
    "long the works would take and whether the ferry would keep running during the repairs. "
)


def page(title: str, body: str, head: str = CC_BY, banner: str = "") -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"{head}</head><body>{banner}<nav><a href='/'>Home</a></nav><main><article>"
        f"<h1>{title}</h1>{body}</article></main><footer>Example News</footer></body></html>"
    )


def build_site(site: FixtureServer) -> None:
    links = [
        "/article.html",
        "/staff.html",
        "/memo.html",
        "/lawsuit.html",
        "/keys.html",
        "/nd.html",
        "/reserved.html",
        "/zh.html",
    ]
    nav = "".join(f'<p><a href="{link}">{link}</a> {PROSE}</p>' for link in links)
    site.add("/", page("Home", nav))
    site.add(
        "/article.html",
        page(
            "Wall repairs",
            (
                f"<p>{PROSE}</p><p>Dr Margaret Holloway, the council engineer, said the work would "
                f"start in May. Press enquiries: {EMAIL}, {PHONE}.</p><p>{PROSE}</p>"
                f"<p>Card used for the deposit: {CARD}. Resident ID on the form: {CN_ID}.</p>"
                f"<p>The contractor's script leaked a key: "
                f"<code>aws_access_key_id = {AWS_KEY}</code></p>"
                # distinct paragraphs: trafilatura drops repeated ones
                + "".join(f"<p>Update {i}: {PROSE}</p>" for i in range(8))
            ),
        ),
    )
    rows = "".join(
        f"<tr><td>Mr John Smith{i}</td><td>j.smith{i}@harbour-example.org</td>"
        f"<td>+44 20 7946 {1000 + i}</td></tr>"
        for i in range(40)
    )
    site.add("/staff.html", page("Staff directory", f"<table>{rows}</table><p>{PROSE}</p>"))
    site.add(
        "/memo.html",
        page(
            "Quarterly plan",
            f"<p>{PROSE}</p><p>{PROSE}</p>",
            banner='<div class="banner">CONFIDENTIAL - INTERNAL USE ONLY</div>',
        ),
    )
    lawsuit = (
        "The trial over trade secrets between two shipbuilders began on Monday. Lawyers "
        "for the firm said no trade secret had been taken, and the judge ordered that "
        "confidential exhibits stay sealed. "
    )
    site.add("/lawsuit.html", page("Shipbuilders in court", f"<p>{lawsuit}</p><p>{PROSE}</p>"))
    keys = (
        f"<pre>GITHUB_TOKEN={GITHUB_TOKEN}\naws_access_key_id = {AWS_KEY}\n"
        f"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8pL2mN4o\n"
        f"-----BEGIN RSA PRIVATE KEY-----\n{PRIVATE_KEY_LINE}\n"
        f"-----END RSA PRIVATE KEY-----</pre><p>{PROSE}</p><p>{PROSE}</p>"
    )
    site.add("/keys.html", page("Deployment notes", keys))
    site.add("/nd.html", page("No derivatives", f"<p>{PROSE}</p>", head=CC_BY_ND))
    site.add(
        "/reserved.html",
        page("Reserved", f"<p>{PROSE}</p><p>© 2026 Example Ltd. All rights reserved.</p>", head=""),
    )
    zh = (
        "海港镇议会周二晚间开会讨论北侧防波堤的修缮工程。工程师表示，连续三个冬季的风暴已经削弱了堤坝。"
        "居民们询问工期多长，以及吊车在码头作业期间渡轮是否会继续运行。"
    )
    zh_body = f"<p>{zh}</p><p>联系电话：13800138000。</p>" + "".join(
        f"<p>第{i}段。{zh}</p>" for i in range(1, 4)
    )
    site.add("/zh.html", page("海港新闻", zh_body))


@pytest.fixture(scope="module")
def content_crawl(
    _servers: tuple[FixtureServer, ...], tmp_path_factory: pytest.TempPathFactory
) -> tuple[FixtureServer, Path, str]:
    site = _servers[0]
    site.reset()
    build_site(site)
    directory = tmp_path_factory.mktemp("content")
    policy = write_policy(
        directory,
        [site.url("/")],
        licences={
            "accept": ["CC-BY-*", "CC0-1.0"],
            "reject": ["CC-BY-ND-*"],
            "unknown": "quarantine",
        },
        pii={"action": "redact", "quarantine_above": 0.05},
    )
    result = run_ccrawl("crawl", str(policy), "--log-level", "DEBUG")
    assert result.returncode == 0, result.stderr[-3000:]
    return site, directory / "out", result.stdout + result.stderr


def test_planted_values_never_reach_any_output(
    content_crawl: tuple[FixtureServer, Path, str],
) -> None:
    _, out, console = content_crawl
    files = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.name == "quarantine.sqlite" for p in files)
    for value in PLANTED:
        for path in files:
            assert value.encode() not in path.read_bytes(), f"{value!r} found in {path.name}"
        assert value not in console, f"{value!r} printed on the console (debug log)"
    assert verify_output(out).ok


def test_accepted_page_is_redacted_with_counts(
    content_crawl: tuple[FixtureServer, Path, str],
) -> None:
    site, out, _ = content_crawl
    docs = {d["url"]: d for d in read_jsonl(out / "dataset.jsonl")}
    article = docs[site.url("/article.html")]
    assert article["licence"] == "CC-BY-4.0"
    assert "<EMAIL_ADDRESS>" in article["text"] and "<CN_RESIDENT_ID>" in article["text"]
    assert "<SECRET:" in article["text"]
    counts = article["redactions"]
    assert counts["EMAIL_ADDRESS"] >= 1 and counts["PHONE_NUMBER"] >= 1
    assert counts["CREDIT_CARD"] >= 1 and counts["PERSON"] >= 1
    record = final_records(out)[site.url("/article.html")]
    assert record["findings"]["pii"]["counts"] == counts  # counts and types, never values
    zh = docs[site.url("/zh.html")]
    assert "<CN_MOBILE>" in zh["text"] or "<PHONE_NUMBER>" in zh["text"]


def test_pages_go_where_the_policy_says(content_crawl: tuple[FixtureServer, Path, str]) -> None:
    site, out, _ = content_crawl
    finals = final_records(out)

    def outcome(path: str) -> tuple[str, list[str]]:
        record = finals[site.url(path)]
        return record["outcome"], record["reasons"]

    assert outcome("/staff.html") == ("quarantined", ["pii-density"])
    assert outcome("/memo.html") == ("quarantined", ["confidential-marker"])
    assert outcome("/lawsuit.html") == ("accepted", ["policy-accept"])
    assert outcome("/keys.html")[0] == "quarantined" and "credentials" in outcome("/keys.html")[1]
    assert outcome("/nd.html") == ("dropped", ["licence-rejected"])
    assert outcome("/reserved.html") == ("dropped", ["licence-not-accepted"])
    store = QuarantineStore.in_dir(out)
    memo = next(i for i in store.items() if i.url == site.url("/memo.html"))
    markers = memo.evidence[0]["markers"]
    assert markers[0]["where"] == "banner" and "CONFIDENTIAL" in markers[0]["context"]
