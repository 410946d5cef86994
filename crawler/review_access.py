"""Who may use the review page: the bind address, the Host names it answers to, and its key.

The page has no login of its own, so it must never answer a name it was not started for (DNS
rebinding), never bind beyond loopback unless told to, and never serve a request that does not
carry this run's key (another local user can connect to any loopback port). No Flask here,
so the rules read (and test) on their own.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import re
import secrets
import socket
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

TOKEN_ENV = "CCRAWL_REVIEW_TOKEN"
MIN_TOKEN_LENGTH = 16  # a remote page is guessable over the network: no short passwords
_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


class AccessError(Exception):
    """A review server that must not start as asked (shown as one line, exit 2)."""


def is_loopback(host: str) -> bool:
    """True for `localhost` and loopback address literals; names are not resolved (a name that
    resolves to loopback today may not tomorrow)."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    """True for a bind on every address: "", 0.0.0.0, ::, and the legacy spellings the socket
    layer also accepts ("0", "0.0")."""
    host = host.strip("[]")
    if not host:
        return True
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        pass
    try:
        return socket.inet_aton(host) == bytes(4)
    except OSError:
        return False


def host_literal(address: str) -> str:
    """An address as it appears in a Host header: IPv6 in brackets, names lower-case."""
    address = address.strip("[]").lower()
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    return f"[{parsed.compressed}]" if parsed.version == 6 else parsed.compressed


def check_bind(host: str, allow_remote: bool, token: str | None, allow_hosts: list[str]) -> None:
    """Refuse a bind the page cannot defend: beyond loopback only with --allow-remote and a token,
    and a wildcard bind only with the names browsers will use (the Host allowlist needs them)."""
    if is_loopback(host):
        return
    if not allow_remote:
        raise AccessError(
            f"review: --host {host or '(all)'} is not a loopback address; the page has no login."
            " Use an SSH tunnel to 127.0.0.1, or pass --allow-remote with a token"
            f" (--token-file FILE or {TOKEN_ENV})"
        )
    if token is None:
        raise AccessError(f"review: --allow-remote needs a token: --token-file FILE or {TOKEN_ENV}")
    if is_wildcard(host) and not allow_hosts:
        raise AccessError(
            f"review: --host {host or '(all)'} answers on every address; name the host names"
            " browsers will use with --allow-host NAME, or bind one address"
        )


def read_token(token_file: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """The operator's token from a file only its owner can read, else from CCRAWL_REVIEW_TOKEN.
    Never from the command line: any local user can read another's argv in /proc."""
    env = os.environ if environ is None else environ
    if token_file:
        path = Path(token_file)
        try:
            mode = path.stat().st_mode
            token = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise AccessError(f"review: cannot read --token-file {token_file}: {exc}") from exc
        if stat.S_IMODE(mode) & 0o077:
            raise AccessError(
                f"review: --token-file {token_file} is readable by others (chmod 600 it)"
            )
    else:
        token = env.get(TOKEN_ENV, "").strip()
        if not token:
            return None
    if len(token) < MIN_TOKEN_LENGTH or not token.isprintable():
        raise AccessError(
            f"review: the token must be at least {MIN_TOKEN_LENGTH} printable characters"
        )
    return token


def normalise_names(names: Iterable[str]) -> list[str]:
    """--allow-host values as Host-header names, refusing anything that is not a plain name or
    address (a port or path here would silently never match)."""
    normalised = []
    for name in names:
        literal = host_literal(name)
        if not (literal.startswith("[") or _NAME.fullmatch(literal)):
            raise AccessError(f"review: --allow-host {name!r} is not a host name or address")
        normalised.append(literal)
    return normalised


def allowed_hosts(bind: str, bound: str, port: int, extra: Iterable[str] = ()) -> frozenset[str]:
    """Host header values the page answers: the bound address (never a wildcard one: browsers
    reach 0.0.0.0 as this machine), the name bound, `localhost` for the usual loopback
    addresses, and the --allow-host names; each with the bound port (and bare when that port is
    80, as browsers then omit it)."""
    names = set(extra)
    if is_wildcard(bound):
        names |= {"127.0.0.1", "localhost"} | ({"[::1]"} if ":" in bound else set())
    else:
        names |= {host_literal(bound), host_literal(bind)}
    if names & {"127.0.0.1", "[::1]"}:
        names.add("localhost")
    hosts = {f"{name}:{port}" for name in names}
    return frozenset(hosts | (names if port == 80 else set()))


@dataclass(frozen=True)
class Access:
    """This run's gate: the Host names answered, the key that opens the page, the cookie it buys.

    The cookie is a fresh random value per run, not the key: a token the operator reuses never
    sits in a browser's cookie store, and a restart logs every browser out."""

    hosts: frozenset[str]
    key: str
    port: int
    cookie_value: str = field(default_factory=lambda: secrets.token_hex(32))

    @property
    def origins(self) -> frozenset[str]:
        return frozenset(f"http://{host}" for host in self.hosts)

    @property
    def cookie_name(self) -> str:
        # cookies ignore ports: two review servers on one host must not overwrite each other's
        return f"ccrawl-review-{self.port}"

    def host_ok(self, host: str | None) -> bool:
        return host is not None and host.lower() in self.hosts

    def key_ok(self, sent: str | None) -> bool:
        return sent is not None and same_secret(sent, self.key)

    def cookie_ok(self, sent: str | None) -> bool:
        return sent is not None and same_secret(sent, self.cookie_value)

    def origin_ok(self, origin: str | None, referer: str | None) -> bool:
        """A POST's Origin (else its Referer's origin) must be one of ours; neither sent is a
        non-browser client, which still needs the cookie and the session token."""
        if origin is None and referer:
            parts = urlsplit(referer)
            origin = f"{parts.scheme}://{parts.netloc}"
        return origin is None or origin.lower() in self.origins


def same_secret(sent: str, expected: str) -> bool:
    """Constant-time comparison that also takes non-ASCII input (compare_digest on str refuses)."""
    return hmac.compare_digest(sent.encode("utf-8", "replace"), expected.encode("utf-8"))
