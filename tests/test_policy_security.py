"""Hostile policy files: refused at once, with the line or key path, never echoed at full size.

Each test plays an attack on the loader or on the User-Agent through real files, and where the CLI
is involved a real `ccrawl` run.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from crawler import __version__
from crawler.policy import MAX_POLICY_BYTES, Policy, PolicyError, load_policy, parse_policy
from tests.helpers import crawl, run_ccrawl, write_policy
from tests.mockserver import FixtureServer

HEAD = """\
name: news
agent:
  token: ExampleBot
  contact: https://example.org/bot
seeds: [https://example.org/]
"""

# Under 700 bytes that expand to 9**9 strings: the classic "billion laughs".
ALIAS_BOMB = (
    HEAD
    + 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    + "".join(
        f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
        for prev, name in zip("abcdefg", "bcdefgh", strict=True)
    )
    + "languages: *h\n"
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_policy(write(tmp_path, text))
    return caught.value.problems


# --- 7: YAML aliases, duplicate keys, size, depth -------------------------------------------


def test_alias_bomb_is_refused_at_once_naming_the_line(tmp_path: Path) -> None:
    assert len(ALIAS_BOMB.encode()) < 700
    started = time.monotonic()
    result = run_ccrawl("policy", "check", str(write(tmp_path, ALIAS_BOMB)), timeout=30)
    assert time.monotonic() - started < 15, "the check expanded the aliases"
    assert result.returncode == 2
    assert "line 6, column 4: YAML anchors and aliases (&name, *name) are not allowed" in (
        result.stderr
    )
    assert len(result.stderr) < 500


def test_a_single_alias_is_refused_too(tmp_path: Path) -> None:
    text = HEAD.replace("contact: https://example.org/bot", "contact: &c https://example.org/bot")
    found = problems_of(tmp_path, text + "seeds2: *c\n")
    assert found == [
        "line 4, column 12: YAML anchors and aliases (&name, *name) are not allowed in a policy"
    ]


def test_merge_keys_are_refused(tmp_path: Path) -> None:
    found = problems_of(tmp_path, HEAD + "scope:\n  <<: {max_depth: 2}\n")
    assert found == ["line 7, column 3: merge keys (<<) are not allowed in a policy"]


def test_duplicate_key_is_refused_with_key_and_line(tmp_path: Path) -> None:
    text = HEAD + "politeness:\n  min_delay: 5.0\n  max_concurrency: 1\n  min_delay: 0.0\n"
    result = run_ccrawl("policy", "check", str(write(tmp_path, text)))
    assert result.returncode == 2
    assert "line 9, column 3: duplicate key 'min_delay' (first at line 7)" in result.stderr
    assert problems_of(tmp_path, HEAD + "name: other\n") == [
        "line 6, column 1: duplicate key 'name' (first at line 1)"
    ]


def test_oversized_policy_file_is_refused_before_parsing(tmp_path: Path) -> None:
    padding = "# " + "x" * 98 + "\n"
    big = write(tmp_path, HEAD + padding * (MAX_POLICY_BYTES // len(padding) + 1))
    started = time.monotonic()
    result = run_ccrawl("policy", "check", str(big))
    assert time.monotonic() - started < 15
    assert result.returncode == 2
    assert "(file): larger than 1 MiB" in result.stderr
    # just under the cap is still a policy
    (tmp_path / "ok").mkdir()
    ok = write(tmp_path / "ok", HEAD + padding * (MAX_POLICY_BYTES // len(padding) - 1))
    assert load_policy(ok).name == "news"


def test_deep_nesting_is_refused_with_its_line(tmp_path: Path) -> None:
    found = problems_of(tmp_path, HEAD + "languages: " + "[" * 5000 + "]" * 5000 + "\n")
    assert len(found) == 1 and found[0].startswith("line 6, column ")
    assert found[0].endswith("nested deeper than 32 levels")


def test_integer_too_long_to_read_is_a_clean_error(tmp_path: Path) -> None:
    found = problems_of(tmp_path, HEAD + "scope:\n  max_pages: 1" + "0" * 5000 + "\n")
    assert found == ["line 7, column 14: a number too long"]


def test_echoed_values_are_bounded(tmp_path: Path) -> None:
    # What a YAML bomb would have built, made in memory: nine references to nine references...
    level: Any = ["lol"] * 9
    for _ in range(8):
        level = [level] * 9
    data = {
        "name": "news",
        "agent": {"token": "ExampleBot", "contact": "https://example.org/bot"},
        "seeds": ["https://example.org/"],
        "languages": level,
        "scope": {"max_depth": "x" * 1_000_000},
    }
    started = time.monotonic()
    with pytest.raises(PolicyError) as caught:
        parse_policy(data)
    assert time.monotonic() - started < 2
    assert len(str(caught.value)) < 2000
    depth = next(p for p in caught.value.problems if p.startswith("scope.max_depth"))
    assert depth.startswith("scope.max_depth: Input should be a valid integer (got 'xxx")
    assert len(depth) < 150 and "..." in depth


def test_thousands_of_problems_are_listed_as_a_few(tmp_path: Path) -> None:
    found = problems_of(tmp_path, HEAD.replace("[https://example.org/]", str(list(range(5000)))))
    assert len(found) == 21
    # one per seed, and one for the list as a whole
    assert found[-1] == "(and more): 4981 further problems not shown"


# --- low: every float key is finite and bounded --------------------------------------------


def float_keys(model: type[BaseModel] = Policy, prefix: str = "") -> list[str]:
    keys = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            keys += float_keys(annotation, f"{prefix}{name}.")
        elif annotation is float:
            keys.append(prefix + name)
    return keys


def with_value(key: str, value: str) -> str:
    section, name = key.split(".")
    return HEAD + f"{section}:\n  {name}: {value}\n"


def test_every_float_key_is_found() -> None:
    assert "politeness.min_delay" in float_keys() and len(float_keys()) >= 10


@pytest.mark.parametrize("key", float_keys())
@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "1.0e12"])
def test_float_keys_refuse_non_finite_and_absurd_values(
    tmp_path: Path, key: str, value: str
) -> None:
    found = problems_of(tmp_path, with_value(key, value))
    assert len(found) == 1 and found[0].startswith(f"{key}: "), found


def test_delays_allow_up_to_an_hour(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, with_value("politeness.min_delay", "3600.0")))
    assert policy.politeness.min_delay == 3600.0
    assert math.isfinite(policy.access.max_wait)


def test_infinite_delay_is_refused_by_check_and_crawl(site: FixtureServer, tmp_path: Path) -> None:
    path = write(tmp_path, with_value("politeness.min_delay", ".inf"))
    check = run_ccrawl("policy", "check", str(path))
    assert check.returncode == 2
    assert "politeness.min_delay: Input should be a finite number (got inf)" in check.stderr
    crawl_policy = write_policy(tmp_path, [site.url("/")])
    crawl_policy.write_text(
        crawl_policy.read_text().replace("min_delay: 0.0", "min_delay: .inf"), encoding="utf-8"
    )
    result = run_ccrawl("crawl", str(crawl_policy), "--quiet")
    assert result.returncode == 2 and "politeness.min_delay" in result.stderr
    assert site.hits == []


# --- 16: the User-Agent cannot impersonate another bot -------------------------------------

IMPERSONATION = "https://x.example (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.mark.parametrize(
    "contact",
    [
        IMPERSONATION,
        "https://x.example/(compatible;Googlebot/2.1)",
        "https://x.example/;Googlebot",
        "https://x.example/\n",
        "https://x.example/\r\nX-Injected: 1",
        "https://x.example/\t",
        "https://x.example/\x00",
        "https://x.example/\u00a0",
        "https://x.example/café",
        "https://googlebot.com@x.example/",
        "https://x.example:99999/",
        "https://x.example/" + "a" * 200,
        "mailto:a@x.example, Googlebot",
        "mailto:a@x.example,b@y.example",
        "mailto:not-an-address",
        "javascript:alert(1)",
        "https:///no-host",
    ],
)
def test_contact_must_be_exactly_one_plain_address(tmp_path: Path, contact: str) -> None:
    data = {"name": "news", "agent": {"token": "ExampleBot", "contact": contact}}
    with pytest.raises(PolicyError) as caught:
        parse_policy({**data, "seeds": ["https://example.org/"]})
    assert caught.value.problems[0].startswith("agent.contact: an http(s) URL or a mailto:")


@pytest.mark.parametrize(
    "contact",
    [
        "https://example.org/bot",
        "http://example.org:8080/bot?id=7&lang=en#contact",
        "https://example.org/bots/crawler,info",
        "mailto:crawl-team+bot@example.org",
    ],
)
def test_plain_contacts_are_accepted(contact: str) -> None:
    data = {"name": "n", "agent": {"token": "Bot", "contact": contact}, "seeds": ["https://a.b/"]}
    assert parse_policy(data).user_agent == f"Bot/{__version__} (+{contact})"


def test_policy_check_refuses_an_impersonating_contact(tmp_path: Path) -> None:
    text = HEAD.replace("https://example.org/bot", f'"{IMPERSONATION}"')
    result = run_ccrawl("policy", "check", str(write(tmp_path, text)))
    assert result.returncode == 2
    assert "agent.contact: an http(s) URL or a mailto: address" in result.stderr
    assert "User-Agent" not in result.stdout


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("token: ExampleBot", 'token: "ExampleBot\\n"', "agent.token"),
        ("token: ExampleBot", "token: " + "B" * 65, "agent.token"),
        ("name: news", 'name: "news\\n"', "name"),
    ],
)
def test_policy_check_refuses_a_trailing_newline(
    tmp_path: Path, old: str, new: str, key: str
) -> None:
    result = run_ccrawl("policy", "check", str(write(tmp_path, HEAD.replace(old, new))))
    assert result.returncode == 2
    assert f"  - {key}: " in result.stderr


def test_server_sees_exactly_the_expected_user_agent(site: FixtureServer, tmp_path: Path) -> None:
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    site.add("/", "<html><body><p>hello</p></body></html>")
    contact = "https://example.org/bot?id=7&lang=en"
    crawl(write_policy(tmp_path, [site.url("/")], agent={"contact": contact}))
    agents = {hit.headers.get("User-Agent") for hit in site.hits}
    assert agents == {f"TestBot/{__version__} (+{contact})"}


def test_an_impersonating_policy_sends_nothing(site: FixtureServer, tmp_path: Path) -> None:
    site.add("/", "<html><body><p>hello</p></body></html>")
    policy = write_policy(tmp_path, [site.url("/")], agent={"contact": IMPERSONATION})
    result = run_ccrawl("crawl", str(policy), "--quiet")
    assert result.returncode == 2 and "agent.contact" in result.stderr
    assert site.hits == []
    assert not (tmp_path / "out").exists()
