"""`ccrawl review DIR`: the quarantine queue as a local web page (Flask, bound to 127.0.0.1).

Page text is hostile input: everything is escaped by Jinja, bidi controls are shown as <U+202E>,
only http(s) URLs become links, and a Content-Security-Policy allows only this page's own nonce'd
script, so injected markup stays inert. Every request must name one of our Host names (DNS
rebinding) and carry this run's key cookie (other local users); state-changing requests also carry
a per-session token and must come from our own origin. Banners come only from the server's flash.
"""

from __future__ import annotations

import json
import re
import secrets
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import (
    Flask,
    abort,
    flash,
    g,
    redirect,
    render_template_string,
    request,
    session,
    url_for,
)
from markupsafe import Markup, escape
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Response

from crawler.quarantine import DecisionError, QueueItem
from crawler.review import ClusterReview, Review, open_review
from crawler.review_access import Access, allowed_hosts, host_literal, is_wildcard, same_secret

# Trojan Source (CVE-2021-42574): these reorder how the text around them is displayed.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
KEY_IN_QUERY = re.compile(r"([?&]key=)[^&\s]*")

LAYOUT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }} · ccrawl review</title>
<style nonce="{{ g.nonce }}">
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d232b;background:#f6f7f9}
header{background:#1d3557;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.5rem;
align-items:center}
header a{color:#fff} main{padding:1rem 1.2rem;max-width:70rem}
table{border-collapse:collapse;width:100%;background:#fff}
td,th{border-bottom:1px solid #dde1e6;padding:.35rem .5rem;text-align:left;vertical-align:top}
tr.sel{background:#fff3c4} .reason{display:inline-block;background:#e8eef7;border-radius:3px;
padding:0 .35rem;margin:0 .15rem;font-size:.85em} .status-approved{color:#1b7f3b}
.status-rejected{color:#b3261e} mark{background:#ffd54f} pre{white-space:pre-wrap;background:#fff;
border:1px solid #dde1e6;padding:.8rem;max-height:28rem;overflow:auto}
.evidence{background:#fff;border-left:4px solid #e0a800;padding:.4rem .8rem;margin:.4rem 0}
form.decide{display:flex;gap:.5rem;align-items:center;margin:1rem 0}
input[name=note]{flex:1;padding:.35rem} button{padding:.4rem .9rem;cursor:pointer}
.keys{color:#59636e;font-size:.85em} .flash{background:#e6f4ea;padding:.4rem .8rem}
</style></head><body>
<header><strong>ccrawl review</strong><a href="{{ url_for('queue') }}">queue</a>
<span>{{ stats.by_status.pending }} pending · {{ stats.by_status.approved }} approved ·
{{ stats.by_status.rejected }} rejected</span><span>reviewer: {{ reviewer }}</span></header>
<main>{% with messages = get_flashed_messages() %}{% if messages %}
<p class="flash" id="flash">{{ messages | join(" · ") }}</p>{% endif %}{% endwith %}
{{ body }}</main>
<script nonce="{{ g.nonce }}">{{ script }}</script></body></html>"""

QUEUE = """<form method="get" class="filters">
<label>status <select name="status">{% for s in ["pending", "approved", "rejected", ""] %}
<option value="{{ s }}" {% if s == status %}selected{% endif %}>{{ s or "any" }}</option>
{% endfor %}</select></label>
<label>reason <select name="reason"><option value="">any</option>{% for r in reasons %}
<option {% if r == reason %}selected{% endif %}>{{ r }}</option>{% endfor %}</select></label>
<label>domain <select name="domain"><option value="">any</option>{% for d in domains %}
<option {% if d == domain %}selected{% endif %}>{{ d }}</option>{% endfor %}</select></label>
<button>filter</button></form>
<p class="keys">keys: j/k move · Enter open · a approve · r reject · n note</p>
<table id="queue"><tr><th>id</th><th>status</th><th>reasons</th><th>title</th><th>url</th></tr>
{% for item in items %}<tr data-href="{{ url_for('item', item_id=item.id) }}">
<td><a href="{{ url_for('item', item_id=item.id) }}">{{ item.id }}</a></td>
<td class="status-{{ item.status }}">{{ item.status }}</td>
<td>{% for r in item.reasons %}<span class="reason">{{ r }}</span>{% endfor %}</td>
<td>{{ (item.item or {}).get("title") or "" }}</td><td>{{ item.url }}</td></tr>
{% else %}<tr><td colspan="5">Nothing here.</td></tr>{% endfor %}</table>"""

ITEM = """<h1 id="title">{{ (item.item or {}).get("title") or item.url }}</h1>
<p>{{ item.url | link }} ·
<span class="status-{{ item.status }}" id="status">{{ item.status }}</span>
{% for r in item.reasons %}<span class="reason">{{ r }}</span>{% endfor %}</p>
{% if item.status == "pending" %}
<form class="decide" method="post" id="decide">
<input type="hidden" name="csrf" value="{{ csrf }}">
<input name="note" id="note" placeholder="note (kept in provenance)" autocomplete="off">
<button formaction="{{ url_for('decide', item_id=item.id, action='approve') }}"
 id="approve">Approve (a)</button>
<button formaction="{{ url_for('decide', item_id=item.id, action='reject') }}"
 id="reject">Reject (r)</button></form>
{% else %}<p>Decided by {{ item.reviewer }} at {{ item.decided_at }}{% if item.note %}:
{{ item.note }}{% endif %}</p>{% endif %}
<h2>Evidence</h2>{% for e in evidence %}<div class="evidence"><strong>{{ e.code }}</strong>
{{ e.detail }}{% if e.context %}<p>{{ e.context }}</p>{% endif %}</div>{% endfor %}
{% if item.item %}<h2>Text (as it would enter the dataset)</h2>
<p>licence {{ item.item.get("licence") }} · language {{ item.item.get("language") }} ·
rights-holder {{ item.item.get("rightsholder") or "unknown" }}</p>
<pre id="text">{{ text }}</pre>{% endif %}
<p class="keys">keys: a approve · r reject · n note · j next · k previous · u queue</p>"""

QUEUE_SCRIPT = """
const rows=[...document.querySelectorAll('#queue tr[data-href]')];let at=0;
function mark(){rows.forEach((r,i)=>r.classList.toggle('sel',i===at));}
if(rows.length){mark();}
document.addEventListener('keydown',e=>{if(e.target.tagName==='INPUT'||e.target.tagName==='SELECT')return;
if(e.key==='j'&&at<rows.length-1){at++;mark();}
if(e.key==='k'&&at>0){at--;mark();}
if((e.key==='Enter'||e.key==='o')&&rows.length){location=rows[at].dataset.href;}});"""

ITEM_SCRIPT = """
const form=document.getElementById('decide');
document.addEventListener('keydown',e=>{if(e.target.tagName==='INPUT'){
if(e.key==='Escape')e.target.blur();return;}
if(form&&e.key==='a'){e.preventDefault();document.getElementById('approve').click();}
if(form&&e.key==='r'){e.preventDefault();document.getElementById('reject').click();}
if(form&&e.key==='n'){e.preventDefault();document.getElementById('note').focus();}
if(e.key==='j'&&NEXT)location=NEXT; if(e.key==='k'&&PREV)location=PREV;
if(e.key==='u')location=QUEUE;});"""


def highlight(context: str, marker: str | None) -> Markup:
    """Escape `context` and wrap each occurrence of `marker` in <mark>."""
    if not marker:
        return escape(context)
    lowered, needle = context.lower(), marker.lower()
    parts: list[Markup] = []
    start = 0
    while (found := lowered.find(needle, start)) != -1:
        parts.append(escape(context[start:found]))
        parts.append(
            Markup("<mark>") + escape(context[found : found + len(marker)]) + Markup("</mark>")
        )
        start = found + len(marker)
    parts.append(escape(context[start:]))
    return Markup("").join(parts)


def visible(value: Any) -> Any:
    """Every value a template prints: bidi controls become a visible <U+202E> (escaped in
    Markup, left for autoescape in plain text), so stored text cannot reorder what is shown."""
    if isinstance(value, Markup):
        return Markup(BIDI_CONTROLS.sub(lambda m: f"&lt;U+{ord(m.group()):04X}&gt;", value))
    if isinstance(value, str):
        return BIDI_CONTROLS.sub(lambda m: f"<U+{ord(m.group()):04X}>", value)
    return value


def link(url: str) -> Markup:
    """A stored URL as a link only when it is plainly http(s) (no javascript:, data: or a scheme
    hidden behind whitespace or controls, which browsers strip); anything else is shown as text."""
    if re.match(r"https?://", url, re.IGNORECASE) and url.isprintable() and " " not in url:
        return Markup('<a href="{0}" rel="noreferrer noopener">{0}</a>').format(url)
    return escape(url)


def readable(detail: dict[str, Any]) -> str:
    """key: value pairs, nested values as compact JSON (escaped later by the template)."""
    parts = []
    for key, value in detail.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}: {text}")
    return " · ".join(parts)


def evidence_rows(item: QueueItem) -> list[dict[str, Any]]:
    rows = []
    for entry in item.evidence:
        detail = {k: v for k, v in entry.items() if k not in ("code", "markers", "context")}
        rows.append({"code": entry.get("code", ""), "detail": readable(detail), "context": None})
        for marker in entry.get("markers", []) or []:
            rows.append(
                {
                    "code": f"marker: {marker.get('marker')}",
                    "detail": readable({k: marker.get(k) for k in ("where", "weight", "language")}),
                    "context": highlight(str(marker.get("context") or ""), marker.get("marker")),
                }
            )
    return rows


def create_app(directory: Path | str, reviewer: str, access: Access) -> Flask:
    app = Flask(__name__, static_folder=None)
    app.secret_key = secrets.token_bytes(32)  # new per server run: old sessions and tokens die
    app.config.update(
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_NAME=f"{access.cookie_name}-session",
    )
    app.jinja_env.finalize = visible
    app.jinja_env.filters["link"] = link
    directory = Path(directory)

    def review() -> Review | ClusterReview:
        if "review" not in g:
            g.review = open_review(directory)
        return g.review

    @app.teardown_appcontext
    def close(_: object) -> None:
        opened = g.pop("review", None)
        if opened is not None:
            opened.close()

    @app.before_request
    def guard() -> Response | None:
        g.nonce = secrets.token_urlsafe(16)
        if not access.host_ok(request.environ.get("HTTP_HOST")):
            return refuse(421, "this server does not answer that Host name")
        if request.method == "GET" and "key" in request.args:
            return sign_in(access)
        if not access.cookie_ok(request.cookies.get(access.cookie_name)):
            return refuse(403, "open the URL ccrawl review printed (it carries the key)")
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(32)
        if request.method == "POST":
            if not same_secret(request.form.get("csrf", ""), session["csrf"]):
                return refuse(403, "missing or wrong session token")
            if not access.origin_ok(request.headers.get("Origin"), request.headers.get("Referer")):
                return refuse(403, "cross-origin request refused")
        return None

    @app.after_request
    def headers(response: Any) -> Any:
        nonce = g.get("nonce", "")
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        # same-origin: no referrer leaks to the pages reviewed, yet our own POSTs carry Origin
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cache-Control"] = "no-store"  # held text stays out of the disk cache
        return response

    def page(title: str, body: Markup, script: str) -> str:
        return render_template_string(
            LAYOUT,
            title=title,
            body=body,
            script=Markup(script),
            stats=review().store.stats(),
            reviewer=reviewer,
        )

    @app.get("/")
    def queue() -> str:
        status = request.args.get("status", "pending")
        reason = request.args.get("reason") or None
        domain = request.args.get("domain") or None
        everything = review().store.items()
        items = review().store.items(status=status or None, reason=reason, domain=domain)
        body = Markup(
            render_template_string(
                QUEUE,
                items=items,
                status=status,
                reason=reason,
                domain=domain,
                reasons=sorted({r for i in everything for r in i.reasons}),
                domains=sorted({i.domain for i in everything}),
            )
        )
        return page("queue", body, QUEUE_SCRIPT)

    @app.get("/item/<item_id>")
    def item(item_id: str) -> str:
        found = review().store.get(item_id)
        if found is None:
            abort(404)
        pending = [i.id for i in review().store.items(status="pending")]
        index = pending.index(item_id) if item_id in pending else -1
        next_id = pending[index + 1] if 0 <= index < len(pending) - 1 else None
        prev_id = pending[index - 1] if index > 0 else None
        links = {
            "NEXT": url_for("item", item_id=next_id) if next_id else "",
            "PREV": url_for("item", item_id=prev_id) if prev_id else "",
            "QUEUE": url_for("queue"),
        }
        script = "".join(f"const {k}={_js_string(v)};" for k, v in links.items()) + ITEM_SCRIPT
        body = Markup(
            render_template_string(
                ITEM,
                item=found,
                evidence=evidence_rows(found),
                csrf=session["csrf"],
                text=(found.item or {}).get("text", ""),
            )
        )
        return page(found.id, body, script)

    @app.post("/item/<item_id>/<action>")
    def decide(item_id: str, action: str) -> Any:
        note = (request.form.get("note") or "").strip() or None
        try:
            if action == "approve":
                review().approve(item_id, reviewer, note)
            elif action == "reject":
                review().reject(item_id, reviewer, note)
            else:
                abort(404)
        except DecisionError as exc:
            flash(str(exc))  # the banner is the server's own text, carried in the signed session
            return redirect(url_for("item", item_id=item_id))
        pending = [i.id for i in review().store.items(status="pending")]
        flash(f"{item_id} {'approved' if action == 'approve' else 'rejected'}")
        if pending:
            return redirect(url_for("item", item_id=pending[0]))
        return redirect(url_for("queue"))

    return app


def refuse(status: int, reason: str) -> Response:
    """A short plain-text refusal that carries nothing of the queue (and sets no cookie)."""
    return Response(reason + "\n", status=status, mimetype="text/plain")


def sign_in(access: Access) -> Response:
    """`?key=` opens the page: trade it for an HttpOnly, SameSite=Strict cookie and redirect to
    the same URL without the key, so it stays out of the history and off the screen."""
    if not access.key_ok(request.args.get("key")):
        return refuse(403, "wrong key")
    rest = [(k, v) for k, v in request.args.items(multi=True) if k != "key"]
    # "/" + lstrip: a path like //evil.example/ must not become a protocol-relative redirect
    path = "/" + request.path.lstrip("/")
    response = redirect(path + ("?" + urlencode(rest) if rest else ""), code=303)
    response.set_cookie(
        access.cookie_name, access.cookie_value, httponly=True, samesite="Strict", path="/"
    )
    return response


def _js_string(value: str) -> str:
    # json.dumps escapes quotes; </ is split so the value cannot close the script element.
    return json.dumps(value).replace("</", "<\\/")


class _RequestHandler(WSGIRequestHandler):
    """The development server's request log, with the key blanked out of logged URLs."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.path = KEY_IN_QUERY.sub(r"\1…", self.path)  # the request is already parsed
        super().log_request(code, size)


def start(
    directory: Path | str,
    host: str,
    port: int,
    reviewer: str,
    token: str | None = None,
    allow_hosts: list[str] | None = None,
) -> tuple[BaseWSGIServer, str]:
    """Bind, then build the app for the port actually bound (the Host allowlist and the cookie
    name need it); returns the server and the URL to print. Binding fails before any request."""
    host = host.strip("[]")
    listener = _listen(host, port)
    try:
        server = make_server(
            host,
            port,
            _unbound,
            threaded=True,
            request_handler=_RequestHandler,
            fd=listener.fileno(),
        )
    finally:
        listener.close()  # the server holds its own duplicate of the socket
    bound = str(server.server_address[0])
    hosts = allowed_hosts(host, bound, server.port, allow_hosts or [])
    key = token or secrets.token_urlsafe(32)
    access = Access(hosts=hosts, key=key, port=server.port)
    server.app = create_app(directory, reviewer, access)
    shown = "127.0.0.1" if is_wildcard(bound) else host_literal(host)
    url = f"http://{shown}:{server.port}/"
    return server, url + ("?key=<your token>" if token else f"?key={key}")


def _listen(host: str, port: int) -> socket.socket:
    """Bind here rather than in werkzeug, which prints two lines and exits 1 on a port in use:
    an OSError reaches the CLI as one line and exit 2."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, backlog=128)
    except OSError as exc:
        shown = f"[{host}]" if ":" in host else host
        why = str(exc.strerror or exc).split(" (while attempting")[0]  # create_server adds it
        raise OSError(exc.errno, f"cannot listen on {shown}:{port}: {why}") from exc


def _unbound(environ: Any, start_response: Any) -> list[bytes]:
    """Placeholder until the real app is built for the bound port; never reached in practice."""
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting\n"]


def serve(
    directory: Path | str,
    host: str,
    port: int,
    reviewer: str,
    token: str | None = None,
    allow_hosts: list[str] | None = None,
) -> None:
    server, url = start(directory, host, port, reviewer, token, allow_hosts)
    # The key is printed only here, on the owner's terminal: it is what keeps other local users
    # (who can connect to any loopback port) out.
    print(f"Reviewing {directory} at {url} (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
