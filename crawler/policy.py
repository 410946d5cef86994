"""The policy model: what a crawl may collect and how, loaded from YAML and validated.

A policy with an unknown key, a wrong type or a missing required key is refused before any request
is sent, with the key path and what was expected. A loaded Policy is immutable. The file is read
as plain YAML (PolicyLoader: no aliases, no duplicate keys, at most 1 MiB), and an error message
never echoes more than a short prefix of what the file held.
"""

from __future__ import annotations

import fnmatch
import hashlib
import ipaddress
import os
import re
import reprlib
from collections.abc import Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args
from urllib.parse import urlsplit

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    field_validator,
    model_validator,
)

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

# Every pattern is used with fullmatch: `$` also matches before a trailing newline.
# RFC 9309 §2.2.1: a product token is letters, underscores and hyphens only.
PRODUCT_TOKEN = re.compile(r"[A-Za-z_-]{1,64}")
POLICY_NAME = re.compile(r"[a-z0-9-]+")
HOSTNAME = re.compile(r"(?=.{1,253}\Z)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_-]+")
SPDX_PATTERN = re.compile(r"[A-Za-z0-9.*+-]+")
LANGUAGE = re.compile(r"[a-z]{2,3}(-[a-z]{2,4})?")
# The contact sits in the User-Agent's comment (RFC 9110 §5.6.5): RFC 3986 characters only, and
# none of "(", ")" or ";", which would close the comment and let the rest pose as another bot.
CONTACT = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,=%]{1,200}")
MAILBOX = re.compile(r"[A-Za-z0-9._~!$&'*+=%-]+@(?P<domain>[A-Za-z0-9.-]+)")

# Longest wait any float key may ask for: a delay of hours is a crawl that never ends.
MAX_DELAY = 3600.0
# RFC 9309 §2.4: a cached robots.txt should not be used for more than 24 hours.
MAX_ROBOTS_TTL = 86400.0
MAX_POLICY_BYTES = 1024 * 1024
MAX_YAML_DEPTH = 32
MAX_PROBLEMS = 20

# YAML gives lists; the model keeps immutable tuples. Items stay strictly typed.
Strings = Annotated[tuple[str, ...], Strict(False)]

Usage = Literal["train-ai", "train-genai", "ai-input", "ai-use", "search", "archive", "research"]
USAGES: tuple[str, ...] = get_args(Usage)
# Usages that opt-outs aimed at AI and text-and-data mining (noai, TDMRep, AI-bot robots.txt
# groups) refuse; a search index is not one of them.
AI_USAGES: frozenset[str] = frozenset(USAGES) - {"search"}


class PolicyError(Exception):
    """A policy that cannot be used; `problems` lists each one as 'key.path: what was expected'."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: invalid policy\n" + "\n".join(f"  - {p}" for p in problems))


_SHORT = reprlib.Repr()
_SHORT.maxlevel = 2
_SHORT.maxstring = _SHORT.maxother = _SHORT.maxlong = 60
_SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxdict = _SHORT.maxset = 4


def shown(value: Any, limit: int = 80) -> str:
    """A value as an error message may echo it: a few levels, a few items, at most `limit` chars.

    A full repr of what a file held can be gigabytes (a YAML alias bomb: 300 bytes that expand to
    a billion strings) or a megabyte of one string.
    """
    try:
        text = _SHORT.repr(value)
    except Exception:  # an int too long to print (sys.get_int_max_str_digits), a broken __repr__
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _Section(BaseModel):
    # inf and nan are numbers to YAML (.inf, .nan), never sane settings: `min_delay: .inf` is a
    # crawl that never ends.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Agent(_Section):
    token: str
    contact: str

    @field_validator("token")
    @classmethod
    def _token(cls, value: str) -> str:
        if not PRODUCT_TOKEN.fullmatch(value):
            raise ValueError(
                "a robots.txt product token: letters, '_' and '-' only (RFC 9309 §2.2.1)"
            )
        return value

    @field_validator("contact")
    @classmethod
    def _contact(cls, value: str) -> str:
        if CONTACT.fullmatch(value) and _one_address(value):
            return value
        raise ValueError(
            "an http(s) URL or a mailto: address where site owners can reach you: exactly one, "
            "at most 200 characters, no spaces, control characters, '(', ')' or ';'"
        )


def _one_address(contact: str) -> bool:
    scheme, _, rest = contact.partition(":")
    if scheme.lower() == "mailto":
        mailbox = MAILBOX.fullmatch(rest)
        return bool(mailbox and HOSTNAME.fullmatch(mailbox["domain"].lower()))
    if scheme.lower() not in ("http", "https"):
        return False
    parts = urlsplit(contact)
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number in range
    except ValueError:
        return False
    # No userinfo: in https://googlebot.com@example.org/ the host a reader sees is not the host.
    return bool(parts.hostname) and "@" not in parts.netloc


class Scope(_Section):
    domains: Strings = ()
    max_depth: int = Field(default=5, ge=0)
    max_pages: int = Field(default=1000, ge=1)
    max_pages_per_origin: int = Field(default=0, ge=0)
    max_query_variants: int = Field(default=100, ge=1)
    max_links_per_page: int = Field(default=1000, ge=1)

    @field_validator("domains")
    @classmethod
    def _domains(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(d.strip().lower().rstrip(".") for d in value)
        for domain in cleaned:
            if not HOSTNAME.fullmatch(domain):
                raise ValueError(f"a host name such as example.org, got {shown(domain)}")
        return cleaned


class Network(_Section):
    allow_private: Strings = ()
    timeout: float = Field(default=30.0, gt=0, le=600)
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    retries: int = Field(default=2, ge=0, le=10)
    content_types: Strings = ("text/html", "application/xhtml+xml")

    @field_validator("allow_private")
    @classmethod
    def _allow_private(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for entry in value:
            if "/" in entry or entry.replace(".", "").isdigit() or ":" in entry:
                try:
                    ipaddress.ip_network(entry, strict=False)
                except ValueError:
                    raise ValueError(
                        f"an IP address, CIDR block or host name, got {shown(entry)}"
                    ) from None
            elif not HOSTNAME.fullmatch(entry.lower()):
                raise ValueError(f"an IP address, CIDR block or host name, got {shown(entry)}")
        return value


class Politeness(_Section):
    min_delay: float = Field(default=1.0, ge=0, le=MAX_DELAY)
    max_concurrency: int = Field(default=1, ge=1, le=32)
    max_crawl_delay: float = Field(default=60.0, ge=0, le=MAX_DELAY)


class Robots(_Section):
    ttl: float = Field(default=86400.0, gt=0, le=MAX_ROBOTS_TTL)
    error_ttl: float = Field(default=300.0, gt=0, le=MAX_ROBOTS_TTL)
    max_bytes: int = Field(default=500 * 1024, ge=1024)


class Optouts(_Section):
    ai_bot_disallow: bool = True
    noindex: Literal["honour", "ignore"] = "honour"
    tdmrep: bool = True


class Access(_Section):
    max_refusals: int = Field(default=5, ge=1)
    max_retries: int = Field(default=3, ge=0, le=10)
    max_wait: float = Field(default=300.0, ge=0, le=MAX_DELAY)
    paywalled_sections: Literal["drop", "cut"] = "drop"


class Licences(_Section):
    accept: Strings = ("CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0")
    reject: Strings = ("CC-BY-ND-4.0",)
    unknown: Literal["accept", "quarantine", "drop"] = "quarantine"

    @field_validator("accept", "reject")
    @classmethod
    def _spdx(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for entry in value:
            if not SPDX_PATTERN.fullmatch(entry):
                raise ValueError(
                    f"an SPDX licence id or a wildcard like CC-BY-*, got {shown(entry)}"
                )
        return value

    def matches(self, patterns: tuple[str, ...], licence: str) -> bool:
        return any(fnmatch.fnmatchcase(licence.upper(), p.upper()) for p in patterns)


class Pii(_Section):
    action: Literal["redact", "mask", "hash"] = "redact"
    quarantine_above: float = Field(default=0.05, ge=0, le=1)
    # Entity types detected; empty = every type the engine knows.
    entities: Strings = ()
    # "" = the model-free default engine; else an installed spaCy model package or a path.
    ner_model: str = ""
    min_score: float = Field(default=0.5, ge=0, le=1)

    @field_validator("ner_model")
    @classmethod
    def _ner_model(cls, value: str) -> str:
        if value:
            from pipelines.pii.nlp import check_ner_model  # imports spaCy: only when asked

            problem = check_ner_model(value)
            if problem:
                raise ValueError(problem)
        return value


class Secrets(_Section):
    # Credentials (keys, tokens, private keys) found on one page at or above which the page is
    # quarantined; below it they are only removed from the text.
    quarantine_credentials: int = Field(default=3, ge=1)
    # Confidentiality-marker score at or above which the page is quarantined.
    quarantine_confidential: float = Field(default=1.0, gt=0, le=100)


class Content(_Section):
    min_chars: int = Field(default=200, ge=0)
    max_analysis_bytes: int = Field(default=2 * 1024 * 1024, ge=64 * 1024)
    max_elements: int = Field(default=100_000, ge=100)


class Distributed(_Section):
    # "" = one machine. A Redis URL switches to the shared frontier and global politeness.
    redis_url: str = ""
    # This worker's name (its outputs go to output.dir/workers/<worker>); `--worker` overrides.
    worker: str = ""
    # Seconds a worker's hold on an in-flight request (and an origin slot) lasts without renewal.
    lease_seconds: float = Field(default=60.0, gt=1, le=MAX_DELAY)

    @field_validator("redis_url")
    @classmethod
    def _redis(cls, value: str) -> str:
        if value and urlsplit(value).scheme not in ("redis", "rediss", "unix"):
            raise ValueError("a redis://host:port/db URL")
        return value


class Output(_Section):
    # "~" is expanded here, so that `~/crawls/x` is under the home directory, not a "~" in cwd.
    dir: str = ""
    # redact: URLs are written (dataset, provenance, quarantine, frontier, logs) with credentials
    # and personal data in them replaced by REDACTED; keep: as fetched (opt-in).
    urls: Literal["redact", "keep"] = "redact"

    @field_validator("dir")
    @classmethod
    def _dir(cls, value: str) -> str:
        if "\x00" in value:
            raise ValueError("a directory path, without NUL bytes")
        if not value:
            return value
        expanded = os.path.expanduser(value)
        reserved = reserved_dir(expanded)
        if reserved:
            raise ValueError(
                f"{shown(value)} is {reserved}; a crawl writes into a directory of its own"
            )
        return expanded


def reserved_dir(path: str | Path) -> str | None:
    """What makes `path` a place no crawl may write into as a whole, or None."""
    where = os.path.realpath(path)
    if where == os.path.realpath(os.sep):
        return "the filesystem root"
    if where == os.path.realpath(os.path.expanduser("~")):
        return "the home directory"
    return None


class Policy(_Section):
    name: str
    agent: Agent
    seeds: Strings = Field(min_length=1)
    scope: Scope = Scope()
    network: Network = Network()
    politeness: Politeness = Politeness()
    usage: Usage = "train-ai"
    robots: Robots = Robots()
    optouts: Optouts = Optouts()
    access: Access = Access()
    licences: Licences = Licences()
    pii: Pii = Pii()
    secrets: Secrets = Secrets()
    languages: Strings = ()
    content: Content = Content()
    distributed: Distributed = Distributed()
    output: Output = Output()

    # Filled by load_policy, not by the file.
    source: str = Field(default="", exclude=True)
    sha256: str = Field(default="", exclude=True)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not POLICY_NAME.fullmatch(value):
            raise ValueError("lower-case letters, digits and '-' only, e.g. news-crawl")
        return value

    @field_validator("seeds")
    @classmethod
    def _seeds(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for seed in value:
            parts = urlsplit(seed)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"absolute http(s) URLs, got {shown(seed)}")
        return value

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for lang in value:
            if not LANGUAGE.fullmatch(lang):
                raise ValueError(f"ISO 639-1 language codes such as en or zh, got {shown(lang)}")
        return value

    @model_validator(mode="after")
    def _fill_defaults(self) -> Policy:
        if not self.scope.domains:
            hosts = tuple(dict.fromkeys(urlsplit(s).hostname or "" for s in self.seeds))
            object.__setattr__(self, "scope", self.scope.model_copy(update={"domains": hosts}))
        if not self.output.dir:
            object.__setattr__(self, "output", Output(dir=f"output/{self.name}"))
        return self

    @property
    def user_agent(self) -> str:
        from crawler import __version__

        return f"{self.agent.token}/{__version__} (+{self.agent.contact})"

    def in_scope(self, host: str | None) -> bool:
        if not host:
            return False
        host = host.lower().rstrip(".")
        return any(host == d or host.endswith("." + d) for d in self.scope.domains)

    def effective(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def effective_yaml(self) -> str:
        return yaml.safe_dump(self.effective(), sort_keys=False, allow_unicode=True)

    def identity(self) -> dict[str, str]:
        return {"name": self.name, "sha256": self.sha256, "file": self.source}


def _describe(error: ErrorDetails) -> str:
    path = ".".join(_key(p) for p in error["loc"]) or "(top level)"
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"{path}: unknown key"
    if kind == "missing":
        return f"{path}: required key is missing"
    message = error["msg"].removeprefix("Value error, ")
    got = error.get("input")
    if kind != "value_error" and not isinstance(got, dict):
        message = f"{message} (got {shown(got)})"
    return f"{path}: {message}"


def _key(part: Any) -> str:
    text = str(part)
    return text if len(text) <= 40 and text.isprintable() else shown(text, 40)


def _allowed_keys(model: type[BaseModel]) -> str:
    return ", ".join(name for name, f in model.model_fields.items() if not f.exclude)


def parse_policy(data: Any, source: str = "<policy>", sha256: str = "") -> Policy:
    if not isinstance(data, dict):
        raise PolicyError(
            source, [f"(top level): expected a mapping of keys, got {type(data).__name__}"]
        )
    try:
        policy = Policy.model_validate({**data, "source": source, "sha256": sha256})
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            text = _describe(error)
            if error["type"] == "extra_forbidden":
                text += f" (allowed here: {_allowed_here(error['loc'])})"
            problems.append(text)
        if len(problems) > MAX_PROBLEMS:
            more = len(problems) - MAX_PROBLEMS
            problems = [*problems[:MAX_PROBLEMS], f"(and more): {more} further problems not shown"]
        raise PolicyError(source, problems) from None
    if "source" in data or "sha256" in data:
        raise PolicyError(source, ["source/sha256: unknown key"])
    return policy


def _allowed_here(loc: tuple[Any, ...]) -> str:
    model: type[BaseModel] = Policy
    for part in loc[:-1]:
        field = model.model_fields.get(str(part))
        annotation = field.annotation if field else None
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            model = annotation
        else:
            break
    return _allowed_keys(model)


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that a policy never needs and the loader will not take."""


class PolicyLoader(yaml.SafeLoader):
    """SafeLoader without anchors, aliases, merge keys or duplicate keys, nesting bounded.

    An alias lets 300 bytes expand to a billion values; a duplicate key silently replaces a rule
    with another one further down the file.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(
                problem="YAML anchors and aliases (&name, *name) are not allowed in a policy",
                problem_mark=event.start_mark,
            )
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise _Refused(
                    problem=f"nested deeper than {MAX_YAML_DEPTH} levels",
                    problem_mark=event.start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first_line: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(
                    problem="merge keys (<<) are not allowed in a policy",
                    problem_mark=key_node.start_mark,
                )
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                continue  # the base class refuses it, with its own message
            if key in first_line:
                raise _Refused(
                    problem=f"duplicate key {shown(key)} (first at line {first_line[key]})",
                    problem_mark=key_node.start_mark,
                )
            first_line[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # more digits than int() reads (sys.get_int_max_str_digits)
            raise _Refused(problem="a number too long", problem_mark=node.start_mark) from None


PolicyLoader.add_constructor("tag:yaml.org,2002:int", PolicyLoader.construct_yaml_int)


def load_policy(path: str | Path) -> Policy:
    path = Path(path)
    raw = _read_policy_file(path)
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=PolicyLoader)  # a SafeLoader subclass
    except UnicodeDecodeError as exc:
        raise PolicyError(str(path), [f"not UTF-8 text (byte {exc.start})"]) from None
    except yaml.YAMLError as exc:
        raise PolicyError(str(path), [_yaml_problem(exc)]) from None
    return parse_policy(data, source=str(path), sha256=hashlib.sha256(raw).hexdigest())


def _read_policy_file(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_POLICY_BYTES + 1)  # bounded: /dev/zero is a file too
    except OSError as exc:
        raise PolicyError(str(path), [f"cannot read the file: {exc.strerror or exc}"]) from None
    if len(raw) > MAX_POLICY_BYTES:
        raise PolicyError(
            str(path),
            [f"(file): larger than {MAX_POLICY_BYTES // 1024 // 1024} MiB; a policy is a few KiB"],
        )
    return raw


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    problem = getattr(exc, "problem", None) or str(exc)
    if len(problem) > 200:  # a problem may quote a tag or token of any length
        problem = problem[:197] + "..."
    kind = "" if isinstance(exc, _Refused) else "YAML syntax error: "
    return f"{where}{kind}{problem}"
