"""The review page under attack: a real `ccrawl review` server on 127.0.0.1, real HTTP requests.

Each test plays one finding against the running server (a DNS-rebinding Host, a cross-origin
POST, a bind beyond loopback, another local user, a stored javascript: URL, bidi controls, a
spoofed banner) and asserts what the server answered and what it left in the queue and dataset.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from crawler.provenance import verify_output
from crawler.quarantine import QuarantineStore
from tests.helpers import REPO, article, crawl, read_jsonl, run_ccrawl, write_policy
from tests.mockserver import FixtureServer

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
HOSTILE_URLS = {
    "js00plain": "javascript:alert(document.cookie)",
    "js00mixed": "JaVaScRiPt:alert(1)",
    "js00lead": "\tjavascript:alert(1)",
    "js00split": "java\nscript:alert(1)",
    "js00data": "data:text/html,<script>alert(1)</script>",
    "js00bidi": "https://example.org/\u202egpj.exe",
    "js00fine": "https://example.org/fine.html",
}
BIDI_TITLE = "Invoice \u2066evil\u2069 \u202etxt.exe"
BIDI_TEXT = "left \u200fright\u200e \u202aembedded\u202c \u202boverride\u202c \u061cend"


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: str

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    @property
    def set_cookies(self) -> list[str]:
        return [v for k, v in self.headers if k.lower() == "set-cookie"]


@dataclass
class Client:
    """A cookie-keeping HTTP/1.1 client that sends exactly the Host (and Origin) it is told to."""

    port: int
    address: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)

    def send(
        self,
        method: str,
        target: str,
        host: str | None = "",
        headers: dict[str, str] | None = None,
        form: dict[str, str] | None = None,
        cookies: bool = True,
    ) -> Reply:
        """`host=""` sends our own Host, None sends none at all."""
        connection = http.client.HTTPConnection(self.address, self.port, timeout=10)
        connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        if host is not None:
            connection.putheader("Host", host or f"127.0.0.1:{self.port}")
        if cookies and self.cookies:
            connection.putheader("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        body = urlencode(form).encode() if form is not None else None
        if body is not None:
            connection.putheader("Content-Type", "application/x-www-form-urlencoded")
            connection.putheader("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        reply = Reply(response.status, response.getheaders(), response.read().decode())
        connection.close()
        for cookie in reply.set_cookies:
            name, _, value = cookie.split(";")[0].partition("=")
            self.cookies[name] = value
        return reply

    def sign_in(self, key: str, host: str = "") -> Reply:
        return self.send("GET", f"/?key={key}", host=host)

    def csrf(self, item_id: str) -> str:
        page = self.send("GET", f"/item/{item_id}")
        assert page.status == 200, page.body
        found = re.search(r'name="csrf" value="([^"]+)"', page.body)
        assert found, "no session token on the item page"
        return found.group(1)


@dataclass
class Running:
    process: subprocess.Popen[str]
    line: str
    port: int
    key: str
    log: Path

    def client(self) -> Client:
        return Client(self.port)


@contextmanager
def review_server(out: Path, *extra: str, env: dict[str, str] | None = None) -> Iterator[Running]:
    """`ccrawl review OUT --port 0 ...` as a subprocess; its request log goes to a file."""
    log = out.parent / f"review-{len(list(out.parent.glob('review-*.log')))}.log"
    with open(log, "w", encoding="utf-8") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "review", str(out), "--port", "0", *extra],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            # a CCRAWL_REVIEW_TOKEN from the caller's shell would replace the printed key
            env={**os.environ, "PYTHONPATH": str(REPO), "CCRAWL_REVIEW_TOKEN": "", **(env or {})},
        )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"http://(\S+?):(\d+)/\?key=(\S+)", line)
        assert found, f"review server did not start: {line}{log.read_text()}"
        yield Running(process, line, int(found.group(2)), found.group(3), log)
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def crawled(_servers: tuple[FixtureServer, ...], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real crawl whose pages wait in the queue (unknown licence), shared by the module."""
    site, directory = _servers[0], tmp_path_factory.mktemp("crawled")
    site.reset()
    site.add("/", article("Home", links=["/a.html", "/b.html"]))
    site.add("/a.html", article("Story A"))
    site.add("/b.html", article("Story B"))
    crawl(write_policy(directory, [site.url("/")], licences={"unknown": "quarantine"}))
    site.reset()
    return directory / "out"


@pytest.fixture
def out(crawled: Path, tmp_path: Path) -> Path:
    """A private copy of the crawl output (decisions in one test stay out of the others)."""
    shutil.copytree(crawled, tmp_path / "out")
    return tmp_path / "out"


@pytest.fixture
def hostile(out: Path) -> Path:
    """The copy plus items a tampered or merged store could hold: hostile URLs, bidi text."""
    store = QuarantineStore.in_dir(out)
    for item_id, url in HOSTILE_URLS.items():
        held = {"title": BIDI_TITLE, "text": BIDI_TEXT, "url": url, "licence": "unknown"}
        evidence = [
            {
                "code": "licence-unknown",
                "markers": [{"marker": "evil", "context": "an \u202eevil\u202c marker"}],
            }
        ]
        store.add(item_id, url, ["licence-unknown"], evidence, held, "0" * 64)
    store.close()
    return out


def crawled_item(out: Path) -> tuple[str, str]:
    """The id and URL of a pending item that came from the crawl."""
    store = QuarantineStore.in_dir(out)
    item = store.items()[0]
    store.close()
    return item.id, item.url


def status_of(out: Path, item_id: str) -> str:
    store = QuarantineStore.in_dir(out)
    item = store.get(item_id)
    store.close()
    assert item is not None
    return item.status


def signed_in(server: Running, item_id: str) -> tuple[Client, str]:
    """The owner's client: the key traded for the cookie, and an item page's session token."""
    client = server.client()
    assert client.sign_in(server.key).status == 303
    return client, client.csrf(item_id)


class Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [v or "" for k, v in attrs if k in ("href", "data-href", "formaction")]


def hrefs(html: str) -> list[str]:
    parser = Hrefs()
    parser.feed(html)
    return parser.hrefs


def test_a_rebinding_host_name_is_refused_on_every_route(out: Path) -> None:
    """A DNS-rebinding page reaches the port under its own name: every route answers 421 and
    gives away nothing, even to a client that holds the owner's cookie and session token."""
    item_id, url = crawled_item(out)
    with review_server(out) as server:
        client, csrf = signed_in(server, item_id)
        port = server.port
        foreign = [
            f"evil.example:{port}",
            "evil.example",
            f"localhost.evil.example:{port}",
            f"127.0.0.1:{port + 1 if port < 65535 else port - 1}",
            f"0.0.0.0:{port}",
            f"127.0.0.1:{port}.evil.example",
        ]
        attempts = [("GET", "/"), ("GET", f"/item/{item_id}"), ("GET", f"/?key={server.key}")]
        for host in foreign:
            for method, target in attempts:
                reply = client.send(method, target, host=host)
                assert reply.status == 421, (host, target, reply.status)
                assert url not in reply.body and csrf not in reply.body
                assert reply.set_cookies == [], (host, target)
            posted = client.send(
                "POST",
                f"/item/{item_id}/approve",
                host=host,
                headers={"Origin": f"http://{host}"},  # the rebinding page's own origin
                form={"csrf": csrf, "note": "rebound"},
            )
            assert posted.status == 421, (host, posted.status)
        assert client.send("GET", "/", host=None).status == 421  # no Host at all
        absolute = client.send("GET", f"http://evil.example:{port}/")  # absolute-form target
        assert absolute.status == 421
        assert status_of(out, item_id) == "pending"
        assert read_jsonl(out / "dataset.jsonl") == []
        for ours in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}"):
            reply = client.send("GET", "/", host=ours)
            assert reply.status == 200 and item_id in reply.body, ours


def test_a_post_from_another_origin_is_refused_even_under_our_host(out: Path) -> None:
    """Origin (else Referer) is compared with the origins we serve, not with the Host sent."""
    item_id, _ = crawled_item(out)
    with review_server(out) as server:
        client, csrf = signed_in(server, item_id)
        port = server.port
        forged: list[dict[str, str]] = [
            {"Origin": f"http://evil.example:{port}"},
            {"Origin": "null"},
            {"Origin": f"http://127.0.0.1:{port + 1}"},
            {"Origin": f"https://127.0.0.1:{port}"},
            {"Referer": f"http://evil.example:{port}/item/{item_id}"},
        ]
        for headers in forged:
            reply = client.send(
                "POST", f"/item/{item_id}/approve", headers=headers, form={"csrf": csrf}
            )
            assert reply.status == 403, (headers, reply.status)
        assert status_of(out, item_id) == "pending"
        ours = client.send(
            "POST",
            f"/item/{item_id}/approve",
            host=f"127.0.0.1:{port}",
            headers={"Origin": f"http://localhost:{port}"},  # another of our own names
            form={"csrf": csrf, "note": "same reviewer, other tab"},
        )
        assert ours.status in (302, 303), ours.body
    assert status_of(out, item_id) == "approved"
    assert [d["url"] for d in read_jsonl(out / "dataset.jsonl")] == [crawled_item_url(out)]
    report = verify_output(out)
    assert report.ok, report.problems


def crawled_item_url(out: Path) -> str:
    store = QuarantineStore.in_dir(out)
    approved = [i.url for i in store.items(status="approved")]
    store.close()
    return approved[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_bind_beyond_loopback_needs_allow_remote_and_a_token(out: Path, tmp_path: Path) -> None:
    """`--host 0.0.0.0` alone exits 2 with one line, before binding; --allow-remote needs a
    token from an owner-only file or CCRAWL_REVIEW_TOKEN, and a wildcard bind needs names."""
    port = str(free_port())
    loose = tmp_path / "loose-token"
    loose.write_text("a-long-enough-review-token\n", encoding="utf-8")
    loose.chmod(0o644)
    tight = tmp_path / "token"
    tight.write_text("a-long-enough-review-token\n", encoding="utf-8")
    tight.chmod(0o600)
    no_token = {"CCRAWL_REVIEW_TOKEN": ""}
    cases: list[tuple[list[str], dict[str, str], str]] = [
        (["--host", "0.0.0.0"], no_token, "--allow-remote"),
        (["--host", "::"], no_token, "--allow-remote"),
        (["--host", "192.0.2.10"], no_token, "not a loopback address"),
        (["--host", "review.example"], no_token, "not a loopback address"),
        (["--host", "0.0.0.0", "--allow-remote"], no_token, "needs a token"),
        (["--host", "0.0.0.0", "--allow-remote", "--token-file", str(loose)], {}, "chmod 600"),
        (["--host", "0.0.0.0", "--allow-remote"], {"CCRAWL_REVIEW_TOKEN": "short"}, "at least"),
        (["--host", "0.0.0.0", "--allow-remote", "--token-file", str(tight)], {}, "--allow-host"),
        (["--allow-host", "evil.example:80"], {}, "not a host name"),
    ]
    for extra, env, message in cases:
        result = run_ccrawl("review", str(out), "--port", port, *extra, timeout=30, env=env)
        assert result.returncode == 2, (extra, result.stdout, result.stderr)
        assert result.stdout == "", extra
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("ccrawl: review: "), result.stderr
        assert message in lines[0], (extra, lines)


def test_a_port_in_use_is_one_line_and_exit_2(out: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_ccrawl("review", str(out), "--port", str(port), timeout=30)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == f"ccrawl: cannot listen on 127.0.0.1:{port}: " + (
        "Address already in use"
    ), result.stderr


def test_allow_remote_checks_the_token_on_every_request(out: Path) -> None:
    """Bound on every interface with --allow-remote: without the token nothing is served, the
    token is never printed or logged, and only the named Host is answered."""
    item_id, url = crawled_item(out)
    token = "remote-review-token-0123456789"
    with review_server(
        out,
        "--host",
        "0.0.0.0",
        "--allow-remote",
        "--allow-host",
        "review.example",
        env={"CCRAWL_REVIEW_TOKEN": token},
    ) as server:
        assert token not in server.line and server.key == "<your"  # "?key=<your token>"
        client = server.client()
        named = f"review.example:{server.port}"
        for method, target in (
            ("GET", "/"),
            ("GET", f"/item/{item_id}"),
            ("GET", "/?status="),
            ("POST", f"/item/{item_id}/approve"),
            ("GET", "/?key=remote-review-token-012345678"),  # one character short
            ("GET", "/?key="),
        ):
            reply = client.send(method, target, host=named, form={} if method == "POST" else None)
            assert reply.status == 403, (target, reply.status)
            assert url not in reply.body and reply.set_cookies == []
        assert client.sign_in(token, host=named).status == 303
        assert client.send("GET", "/", host=named).status == 200
        assert client.send("GET", "/", host=f"evil.example:{server.port}").status == 421
        csrf = client.csrf(item_id)
        stranger = Client(server.port)  # the token, not the session token, is what lets one in
        denied = stranger.send("POST", f"/item/{item_id}/approve", host=named, form={"csrf": csrf})
        assert denied.status == 403
    assert status_of(out, item_id) == "pending"
    assert token not in server.log.read_text()


def test_a_token_file_works_on_loopback_and_is_never_printed(out: Path, tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("loopback-review-token-abcdef\n", encoding="utf-8")
    token_file.chmod(0o600)
    with review_server(out, "--token-file", str(token_file)) as server:
        assert "loopback-review-token" not in server.line
        client = server.client()
        assert client.sign_in("wrong-review-token-abcdef").status == 403
        assert client.send("GET", "/").status == 403
        assert client.sign_in("loopback-review-token-abcdef").status == 303
        assert client.send("GET", "/").status == 200


PROBE = """
import http.client, json, sys
port, pid, store = int(sys.argv[1]), sys.argv[2], sys.argv[3]
seen = {}
def get(target):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", target)
    r = c.getresponse()
    return r.status, r.read().decode()
seen["queue"] = get("/")
seen["item"] = get(sys.argv[4])
seen["guess"] = get("/?key=guessed")
seen["cmdline"] = open(f"/proc/{pid}/cmdline").read()
for name, path in (("environ", f"/proc/{pid}/environ"), ("store", store)):
    try:
        open(path, "rb").read()
        seen[name] = "read"
    except PermissionError:
        seen[name] = "denied"
print(json.dumps(seen))
"""


def as_nobody(*args: object) -> dict[str, Any]:
    """PROBE run as uid/gid 65534 (another local user), with the system Python."""
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run(
        [*nobody, "/usr/bin/python3", "-I", "-c", PROBE, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=30,
        cwd="/",
    )
    assert probe.returncode == 0, probe.stderr
    return json.loads(probe.stdout)  # type: ignore[no-any-return]


def test_another_local_user_cannot_use_the_page(out: Path) -> None:
    """Another local user can connect to the port, but without this run's key (printed only to
    the owner, never on the command line) every request is refused; the owner's key is traded
    for an HttpOnly, SameSite=Strict cookie and dropped from the URL."""
    item_id, url = crawled_item(out)
    with review_server(out, "--reviewer", "dana") as server:
        outsider = server.client()
        for method, target in (
            ("GET", "/"),
            ("GET", f"/item/{item_id}"),
            ("GET", "/?status=&reason=licence-unknown"),
            ("POST", f"/item/{item_id}/reject"),
            ("GET", f"/?key={server.key[:-1]}"),
            ("GET", "/missing"),
        ):
            reply = outsider.send(
                method,
                target,
                headers={"Origin": f"http://127.0.0.1:{server.port}"},
                form={} if method == "POST" else None,
            )
            assert reply.status == 403, (target, reply.status)
            assert url not in reply.body and "harbour" not in reply.body
            assert reply.set_cookies == [], target

        if os.geteuid() == 0 and shutil.which("setpriv") and Path("/usr/bin/python3").exists():
            store = out / "quarantine.sqlite"
            seen = as_nobody(server.port, server.process.pid, store, f"/item/{item_id}")
            assert seen["queue"][0] == seen["item"][0] == seen["guess"][0] == 403, seen
            assert all(url not in seen[k][1] for k in ("queue", "item", "guess"))
            assert server.key not in seen["cmdline"]
            assert seen["environ"] == "denied" and seen["store"] == "denied"

        owner = server.client()
        signed = owner.send("GET", f"/?key={server.key}&status=")
        assert signed.status == 303 and signed.header("Location") == "/?status="
        (cookie,) = signed.set_cookies
        attributes = {a.strip().lower() for a in cookie.split(";")[1:]}
        assert {"httponly", "samesite=strict", "path=/"} <= attributes, cookie
        assert server.key not in cookie
        listing = owner.send("GET", "/?status=")
        assert listing.status == 200 and item_id in listing.body
    assert status_of(out, item_id) == "pending"
    assert server.key not in server.log.read_text(), "the key must not reach the request log"


def test_only_http_urls_become_links(hostile: Path) -> None:
    """A stored javascript:, data: or disguised URL is shown as text, never as an href."""
    with review_server(hostile) as server:
        client, _ = signed_in(server, "js00fine")
        for item_id, url in HOSTILE_URLS.items():
            page = client.send("GET", f"/item/{item_id}")
            assert page.status == 200, item_id
            links = hrefs(page.body)
            foreign = [h for h in links if not h.startswith("/")]
            if item_id == "js00fine":
                assert foreign == [url]
            else:
                assert foreign == [], (item_id, foreign)
            assert "javascript:" not in " ".join(links).lower()
        queue = client.send("GET", "/?status=")
        assert all(h.startswith("/") or h == "" for h in hrefs(queue.body))


def test_bidi_controls_are_shown_escaped(hostile: Path) -> None:
    """Stored URL, title, text and evidence carry bidi controls: none reaches the page raw,
    each shows as a visible <U+XXXX>."""
    with review_server(hostile) as server:
        client, _ = signed_in(server, "js00bidi")
        for target in ("/item/js00bidi", "/?status="):
            page = client.send("GET", target)
            assert page.status == 200
            raw = [f"U+{ord(c):04X}" for c in BIDI if c in page.body]
            assert raw == [], (target, raw)
        item = client.send("GET", "/item/js00bidi").body
        assert "https://example.org/&lt;U+202E&gt;gpj.exe" in item
        assert "Invoice &lt;U+2066&gt;evil&lt;U+2069&gt; &lt;U+202E&gt;txt.exe" in item
        assert "left &lt;U+200F&gt;right&lt;U+200E&gt; &lt;U+202A&gt;embedded" in item
        assert "&lt;U+061C&gt;end" in item
        assert "an &lt;U+202E&gt;<mark>evil</mark>&lt;U+202C&gt; marker" in item


def test_the_banner_comes_only_from_the_server(out: Path) -> None:
    """`?message=` no longer puts text on the page; the server's own flash still does, once."""
    item_id, _ = crawled_item(out)
    spoof = "Session expired: re-enter your password at evil.example"
    with review_server(out) as server:
        client, csrf = signed_in(server, item_id)
        for target in ("/", f"/item/{item_id}"):
            page = client.send("GET", f"{target}?{urlencode({'message': spoof})}")
            assert page.status == 200
            assert "Session expired" not in page.body and 'id="flash"' not in page.body
        decided = client.send(
            "POST",
            f"/item/{item_id}/reject",
            headers={"Origin": f"http://127.0.0.1:{server.port}"},
            form={"csrf": csrf, "note": "not ours"},
        )
        assert decided.status in (302, 303)
        location = decided.header("Location") or ""
        assert "message" not in location
        shown = client.send("GET", location)
        assert f'id="flash">{item_id} rejected</p>' in shown.body
        again = client.send("GET", location)
        assert 'id="flash"' not in again.body, "a flash is shown once"
    assert status_of(out, item_id) == "rejected"


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not ipv6_loopback(), reason="no IPv6 loopback on this machine")
def test_ipv6_loopback_answers_its_own_names(out: Path) -> None:
    with review_server(out, "--host", "::1") as server:
        assert f"http://[::1]:{server.port}/?key=" in server.line
        client = Client(server.port, address="::1")
        assert client.sign_in(server.key, host=f"[::1]:{server.port}").status == 303
        assert client.send("GET", "/", host=f"[::1]:{server.port}").status == 200
        assert client.send("GET", "/", host=f"localhost:{server.port}").status == 200
        assert client.send("GET", "/", host=f"127.0.0.1:{server.port}").status == 421
