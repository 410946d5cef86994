"""The review page served for real and driven in headless Chromium (Debian's package).

Skips with a clear reason where Chromium is missing, unless CCRAWL_REQUIRE_BROWSER=1 (CI), which
turns the skip into a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.provenance import verify_output
from crawler.quarantine import QuarantineStore
from tests.helpers import REPO, article, crawl, read_jsonl, write_policy
from tests.mockserver import FixtureServer

CHROMIUM = "/usr/bin/chromium"
HOSTILE = "<script>window.PWNED = 1; document.title = 'pwned'</script><img src=x onerror=alert(1)>"


def browser_or_skip() -> str:
    if Path(CHROMIUM).exists() and shutil.which("chromium"):
        try:
            import playwright  # noqa: F401
        except ImportError:
            if os.environ.get("CCRAWL_REQUIRE_BROWSER") == "1":
                pytest.fail("CCRAWL_REQUIRE_BROWSER=1 but the playwright package is missing")
            pytest.skip("the playwright package is not installed (pip install -e '.[test]')")
        return CHROMIUM
    if os.environ.get("CCRAWL_REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"CCRAWL_REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install chromium)"
        )
    pytest.skip(f"{CHROMIUM} not found: apt-get install chromium to run the browser test")


@pytest.fixture
def review_server(site: FixtureServer, tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    site.add("/", article("Home", links=["/a.html", "/b.html", "/hostile.html"]))
    site.add("/a.html", article("Approve me"))
    site.add("/b.html", article("Reject me"))
    escaped = HOSTILE.replace("<", "&lt;").replace(">", "&gt;")
    site.add("/hostile.html", article("Hostile page", body_text=escaped + " " * 3 + "x" * 300))
    crawl(write_policy(tmp_path, [site.url("/")], licences={"unknown": "quarantine"}))
    out = tmp_path / "out"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crawler.cli",
            "review",
            str(out),
            "--port",
            "0",
            "--reviewer",
            "dana",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "CCRAWL_REVIEW_TOKEN": ""},  # a token would replace the printed key
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    # The page opens only with the key the server printed (it keeps other local users out).
    match = re.search(r"(http://127\.0\.0\.1:\d+/)\?key=(\S+)", line)
    assert match, f"review server did not start: {line}"
    try:
        yield match.group(1), match.group(2), out
    finally:
        server.terminate()
        server.wait(10)


def item_id(out: Path, title: str) -> str:
    store = QuarantineStore.in_dir(out)
    found = [i.id for i in store.items() if (i.item or {}).get("title") == title]
    store.close()
    assert found, title
    return found[0]


def test_post_without_the_session_token_is_refused(
    review_server: tuple[str, str, Path],
) -> None:
    base, key, out = review_server
    # Signed in with the key (so the refusal below is the session token's, not the key's).
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    assert opener.open(f"{base}?key={key}", timeout=10).status == 200
    target = f"{base}item/{item_id(out, 'Approve me')}/approve"
    request = urllib.request.Request(target, data=b"note=forged", method="POST")
    with pytest.raises(urllib.error.HTTPError) as caught:
        opener.open(request, timeout=10)
    assert caught.value.code == 403
    assert b"session token" in caught.value.read()
    assert read_jsonl(out / "dataset.jsonl") == []


def test_review_page_approves_rejects_and_renders_hostile_text_inert(
    review_server: tuple[str, str, Path], tmp_path: Path
) -> None:
    chromium = browser_or_skip()
    from playwright.sync_api import sync_playwright

    base, key, out = review_server
    approve_id, reject_id = item_id(out, "Approve me"), item_id(out, "Reject me")
    hostile_id = item_id(out, "Hostile page")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium,
            args=[
                "--no-sandbox",
                "--headless",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

        page.goto(f"{base}?key={key}&status=pending")  # the printed URL sets the key cookie
        assert "key=" not in page.url, "the key is dropped from the address bar"
        assert page.locator("#queue tr[data-href]").count() >= 3
        page.goto(f"{base}item/{hostile_id}")
        text = page.locator("#text").inner_text()
        assert "<script>window.PWNED = 1" in text, "the hostile text must show as text"
        assert page.evaluate("typeof window.PWNED") == "undefined"
        assert page.title() != "pwned" and not dialogs
        page.screenshot(path=str(tmp_path / "item.png"))

        page.goto(f"{base}item/{approve_id}")
        page.fill("#note", "licence checked")
        with page.expect_navigation():
            page.click("#approve")
        assert "approved" in page.locator("#flash").inner_text()
        page.goto(f"{base}item/{reject_id}")
        page.keyboard.press("n")  # keyboard triage: n focuses the note, Escape leaves it
        page.keyboard.type("not for training")
        page.keyboard.press("Escape")
        with page.expect_navigation():
            page.keyboard.press("r")
        assert "rejected" in page.locator("#flash").inner_text()
        page.goto(f"{base}?status=")
        if os.environ.get("CCRAWL_SCREENSHOT"):
            page.goto(f"{base}item/{hostile_id}")
            page.screenshot(path=os.environ["CCRAWL_SCREENSHOT"], full_page=False)
        browser.close()

    store = QuarantineStore.in_dir(out)
    assert store.get(approve_id).status == "approved"  # type: ignore[union-attr]
    rejected = store.get(reject_id)
    assert rejected is not None and rejected.status == "rejected" and rejected.item is None
    assert rejected.note == "not for training" and rejected.reviewer == "dana"
    docs = read_jsonl(out / "dataset.jsonl")
    assert [d["title"] for d in docs] == ["Approve me"]
    report = verify_output(out)
    assert report.ok, report.problems
