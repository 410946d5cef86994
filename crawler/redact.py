"""What site-controlled text may keep before it is written anywhere: URLs without credentials or
personal data in them, evidence without contact details.

These run on the reactor, on every record, so they are regular expressions, not a model: the
full PII engine scans page text and metadata in the analysis step. They must never let a value
through because it is malformed: a URL that cannot be parsed is redacted whole.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

REDACTED = "REDACTED"

# Query or fragment parameters whose value is a credential, whatever it looks like.
SECRET_PARAMETERS = frozenset(
    {
        "access_token",
        "api_key",
        "apikey",
        "api-key",
        "auth",
        "authorization",
        "client_secret",
        "code",
        "credential",
        "id_token",
        "jsessionid",
        "key",
        "otp",
        "passwd",
        "password",
        "phpsessid",
        "pwd",
        "refresh_token",
        "secret",
        "session",
        "session_id",
        "sessionid",
        "sid",
        "sig",
        "signature",
        "token",
        "x-amz-credential",
        "x-amz-security-token",
        "x-amz-signature",
        "x-goog-credential",
        "x-goog-signature",
    }
)
# Parameters whose value is about a person.
PERSONAL_PARAMETERS = frozenset(
    {"email", "e-mail", "mail", "phone", "tel", "mobile", "user", "username", "login"}
)
_URL_IN_TEXT = re.compile(r"https?://[^\s\"'<>]+")
EMAIL = re.compile(r"[\w.+%-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+", re.UNICODE)
# Seven or more digits, optionally grouped by spaces, dots, dashes or brackets, optionally +.
PHONE = re.compile(r"(?<![\w+])\+?\(?\d(?:[\s().-]{0,2}\d){6,14}(?!\w)")
# Values that are credentials by their shape: AWS key ids, JWTs, long opaque tokens.
SECRET_VALUE = re.compile(
    r"^(?:(?:AKIA|ASIA)[0-9A-Z]{16}.*|eyJ[\w-]{8,}\.[\w-]{8,}\..*|[A-Za-z0-9+/_=-]{40,})$"
)


def _is_secret(name: str, value: str) -> bool:
    lowered = name.lower()
    if lowered in SECRET_PARAMETERS or lowered in PERSONAL_PARAMETERS:
        return True
    if lowered.startswith(("x-amz-", "x-goog-")) and lowered not in ("x-amz-date", "x-amz-expires"):
        return True
    return bool(EMAIL.search(value) or SECRET_VALUE.match(value))


def _redact_pairs(text: str) -> tuple[str, bool]:
    pairs = parse_qsl(text, keep_blank_values=True)
    redacted = [(n, REDACTED if v and _is_secret(n, v) else v) for n, v in pairs]
    if redacted == pairs:
        return text, False
    return urlencode(redacted, quote_via=quote, safe="/:,"), True


def redact_url(url: str) -> str:
    """`url` with credentials (userinfo, secret or personal query and fragment values, e-mail
    addresses in the path) replaced by REDACTED. Unchanged when it carries none."""
    if not isinstance(url, str) or "://" not in url:
        return url
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            netloc = f"{REDACTED}@{netloc.rsplit('@', 1)[1]}"
        path = parts.path
        if "@" in unquote(path):
            path = EMAIL.sub(REDACTED, unquote(path))
        query, _ = _redact_pairs(parts.query)
        fragment = _redact_pairs(parts.fragment)[0] if "=" in parts.fragment else parts.fragment
        return urlunsplit((parts.scheme, netloc, path, query, fragment))
    except ValueError:
        return f"{REDACTED}-URL"


def needs_redaction(url: str) -> bool:
    return redact_url(url) != url


def scrub_contacts(text: str) -> str:
    """E-mail addresses, phone numbers and credential-bearing URLs in free text, redacted."""
    if "://" in text:
        text = _URL_IN_TEXT.sub(lambda m: redact_url(m.group(0)), text)
    text = EMAIL.sub(f"<{REDACTED}:EMAIL>", text)
    return PHONE.sub(_phone, text)


_DATE_OR_TIME = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}:\d{2}")


def _phone(match: re.Match[str]) -> str:
    value = match.group(0)
    # Dates and times have the digits of a phone number; they are not one.
    return value if _DATE_OR_TIME.match(value.strip()) else f"<{REDACTED}:PHONE>"


# Evidence keys whose values are network names and addresses (a host spelled as a decimal
# number looks like a phone number): they carry no personal data, and must stay exact.
NETWORK_KEYS = frozenset({"host", "address", "scheme", "origin"})


def scrub(value: Any) -> Any:
    """`scrub_contacts` applied to every string inside a JSON-like value."""
    if isinstance(value, str):
        return scrub_contacts(value)
    if isinstance(value, Mapping):
        return {
            key: item if key in NETWORK_KEYS and isinstance(item, str) else scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    return value


# Provenance fields whose values are URLs the site chose: redacted as URLs.
URL_FIELDS = ("url", "redirect_to", "referer", "duplicate_of")
# Fields built by the crawler from values that cannot carry site text.
TRUSTED_FIELDS = frozenset(
    {
        "time",
        "outcome",
        "reasons",
        "status",
        "content_sha256",
        "document_sha256",
        "policy",
        "agent",
        "final",
        "requested_at",
        "fetched_at",
        "depth",
        "language",
        "attempt",
        "prev",
        "hash",
        "supersedes",
    }
)


def scrub_record(record: dict[str, Any], urls: str = "redact") -> dict[str, Any]:
    """A provenance record as it may be written: URLs redacted (unless `urls` is "keep"), every
    other field that holds site-controlled text (evidence, errors, robots rule lines, content
    types) scrubbed of contact details."""
    safe: dict[str, Any] = {}
    for key, value in record.items():
        if key in URL_FIELDS and isinstance(value, str):
            safe[key] = redact_url(value) if urls == "redact" else value
        elif key in TRUSTED_FIELDS:
            safe[key] = value
        elif key == "robots" and isinstance(value, Mapping):
            safe[key] = {
                k: redact_url(v) if k == "url" and isinstance(v, str) else scrub(v)
                for k, v in value.items()
            }
        else:
            safe[key] = scrub(value)
    return safe


def redact_urls_in(text: str) -> str:
    """Every URL in a log line redacted as `redact_url` does, and bare e-mail addresses too."""
    if "://" in text:
        text = _URL_IN_TEXT.sub(lambda m: redact_url(m.group(0)), text)
    return EMAIL.sub(f"<{REDACTED}:EMAIL>", text) if "@" in text else text


def install_log_redaction() -> None:
    """Every log record of the process, Scrapy's own "Crawled <GET ...>" lines included, has its
    URLs redacted before any handler sees it (DEBUG logs are shared in bug reports)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "redacts_urls", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed call is the logging module's to report
            return record
        if "://" in message or "@" in message:
            record.msg, record.args = redact_urls_in(message), ()
        return record

    factory.redacts_urls = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
