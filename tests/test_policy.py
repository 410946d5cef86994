"""Policy loading: every kind of error is refused with the key path and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from crawler.policy import PolicyError, load_policy
from tests.helpers import REPO, run_ccrawl, write_policy
from tests.mockserver import FixtureServer

VALID = {
    "name": "news",
    "agent": {"token": "ExampleBot", "contact": "mailto:crawl@example.org"},
    "seeds": ["https://example.org/"],
}


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def problems(tmp_path: Path, data: object) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_policy(write(tmp_path, data))
    return caught.value.problems


@pytest.mark.parametrize("name", ["default.yaml", "demo.yaml"])
def test_bundled_policies_are_valid(name: str) -> None:
    policy = load_policy(REPO / "policies" / name)
    assert policy.sha256 and policy.agent.token == "ExampleBot"


def test_default_policy_documents_every_key() -> None:
    text = (REPO / "policies" / "default.yaml").read_text(encoding="utf-8")
    effective = load_policy(REPO / "policies" / "default.yaml").effective()

    def keys(data: dict[str, object], prefix: str = "") -> list[str]:
        found = []
        for key, value in data.items():
            found.append(prefix + key)
            if isinstance(value, dict):
                found += keys(value, prefix + key + ".")
        return found

    for key in keys(effective):
        assert f"{key.split('.')[-1]}:" in text, f"{key} is not in policies/default.yaml"


def test_defaults_are_filled(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, VALID))
    assert policy.scope.domains == ("example.org",)
    assert policy.output.dir == "output/news"
    assert policy.usage == "train-ai"
    assert (
        policy.user_agent.startswith("ExampleBot/")
        and "mailto:crawl@example.org" in policy.user_agent
    )


def test_sha256_is_of_the_file_bytes(tmp_path: Path) -> None:
    import hashlib

    path = write(tmp_path, VALID)
    assert load_policy(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_unknown_key_is_named_with_its_path(tmp_path: Path) -> None:
    found = problems(tmp_path, {**VALID, "scope": {"max_depht": 3}, "extra": 1})
    assert any(
        p.startswith("scope.max_depht: unknown key (allowed here: domains, max_depth, max_pages")
        for p in found
    ), found
    assert any(p.startswith("extra: unknown key") for p in found)


def test_wrong_type_names_key_and_expectation(tmp_path: Path) -> None:
    found = problems(tmp_path, {**VALID, "scope": {"max_depth": "five"}})
    assert found == ["scope.max_depth: Input should be a valid integer (got 'five')"]
    found = problems(tmp_path, {**VALID, "politeness": {"min_delay": "1"}})
    assert found[0].startswith("politeness.min_delay: Input should be a valid number")


def test_missing_required_keys_are_listed(tmp_path: Path) -> None:
    found = problems(tmp_path, {"name": "x", "agent": {"token": "Bot"}})
    assert "agent.contact: required key is missing" in found
    assert "seeds: required key is missing" in found


@pytest.mark.parametrize(
    ("patch", "expected"),
    [
        ({"name": "News Crawl"}, "name: lower-case letters"),
        (
            {"agent": {"token": "Example Bot/1.0", "contact": "mailto:a@b.c"}},
            "agent.token: a robots",
        ),
        ({"agent": {"token": "Bot", "contact": "call us"}}, "agent.contact: an http(s) URL"),
        ({"seeds": ["ftp://example.org/"]}, "seeds: absolute http(s) URLs"),
        ({"seeds": []}, "seeds: "),
        ({"usage": "anything"}, "usage: Input should be"),
        ({"licences": {"unknown": "maybe"}}, "licences.unknown: Input should be"),
        ({"pii": {"quarantine_above": 2}}, "pii.quarantine_above: Input should be less than"),
        ({"network": {"allow_private": ["10.0.0.0/33"]}}, "network.allow_private: an IP address"),
        ({"languages": ["English"]}, "languages: ISO 639-1"),
    ],
)
def test_invalid_values_are_refused(
    tmp_path: Path, patch: dict[str, object], expected: str
) -> None:
    found = problems(tmp_path, {**VALID, **patch})
    assert any(p.startswith(expected) for p in found), found


def test_yaml_syntax_error_gives_line(tmp_path: Path) -> None:
    found = problems(tmp_path, "name: x\nagent: [unclosed\nseeds: []\n")
    assert found[0].startswith("line ") and "YAML syntax error" in found[0]


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    assert problems(tmp_path, "- a\n- b\n") == ["(top level): expected a mapping of keys, got list"]


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read the file"):
        load_policy(tmp_path / "nope.yaml")


def test_policy_check_command(tmp_path: Path) -> None:
    good = run_ccrawl("policy", "check", str(write(tmp_path, VALID)))
    assert good.returncode == 0, good.stderr
    assert "valid (sha256" in good.stdout and "max_depth: 5" in good.stdout
    bad = run_ccrawl("policy", "check", str(write(tmp_path, {**VALID, "bogus": 1})))
    assert bad.returncode == 2
    assert "bogus: unknown key" in bad.stderr


def test_invalid_policy_sends_no_request(site: FixtureServer, tmp_path: Path) -> None:
    path = write_policy(tmp_path, [site.url("/")], scope={"max_depth": -1})
    result = run_ccrawl("crawl", str(path), "--quiet")
    assert result.returncode == 2
    assert "scope.max_depth: Input should be greater than or equal to 0" in result.stderr
    assert site.hits == []
    assert not (tmp_path / "out").exists()


# --- fuzzing: whatever the file holds, loading it raises PolicyError or gives a valid Policy ---

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

YAML_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30)
)
YAML_VALUES = st.recursive(
    YAML_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
KEYS = st.sampled_from(
    [
        "name",
        "agent",
        "seeds",
        "scope",
        "network",
        "politeness",
        "usage",
        "licences",
        "pii",
        "languages",
        "output",
        "robots",
        "optouts",
        "access",
        "content",
        "distributed",
        "secrets",
        "bogus",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, YAML_VALUES, max_size=8))
def test_fuzzed_policies_are_refused_cleanly_or_valid(data: dict[str, object]) -> None:
    from crawler.policy import parse_policy

    try:
        policy = parse_policy(data)
    except PolicyError as exc:
        assert exc.problems and all(isinstance(p, str) and ": " in p for p in exc.problems)
    else:
        assert policy.seeds and policy.agent.token


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_fuzzed_policy_files_never_crash_the_loader(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "p.yaml"
    path.write_bytes(raw)
    with pytest.raises(PolicyError):
        load_policy(path)
