"""Output directories: a crawl writes only into a new or empty directory, or into its own crawl's.

The attacks are played with real directories and real `ccrawl` runs: the user's own files, the
parent directory, the filesystem root, the home directory, a project root, another crawl.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from crawler.outputdir import MARKER, OutputDirError, claim_output_dir
from crawler.policy import PolicyError, load_policy
from tests.helpers import REPO, crawl, run_ccrawl, write_policy
from tests.mockserver import FixtureServer

HOME_ENV = "HOME"


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes() for p in directory.rglob("*") if p.is_file()
    }


def refused(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    """Run `ccrawl crawl ...`, assert exit 2 with one `ccrawl: ...` line; return that line."""
    result = run_ccrawl("crawl", *args, "--quiet", cwd=cwd, env=env)
    assert result.returncode == 2, result.stderr[-3000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ccrawl: "), result.stderr[-3000:]
    return lines[0]


def marker(directory: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((directory / MARKER).read_text(encoding="utf-8"))
    return data


def test_a_new_directory_is_created_and_marked(site: FixtureServer, tmp_path: Path) -> None:
    site.add("/", "<html><body><p>hello</p></body></html>")
    out = tmp_path / "deep" / "new" / "out"
    policy = write_policy(tmp_path, [site.url("/")], output={"dir": str(out)})
    crawl(policy)
    sha256 = hashlib.sha256(policy.read_bytes()).hexdigest()
    found = marker(out)
    assert found["tool"] == "ccrawl" and found["format"] == 1
    assert found["policy"] == {"name": "test", "sha256": sha256}
    assert [entry["sha256"] for entry in found["policy_history"]] == [sha256]
    # the same policy again: its own directory, accepted without a word
    again = crawl(policy)
    assert "changed" not in again.stderr
    assert marker(out)["policy"] == found["policy"]


def test_an_empty_directory_is_accepted(tmp_path: Path) -> None:
    policy = load_policy(write_policy(tmp_path, ["https://example.org/"]))
    out = tmp_path / "empty"
    out.mkdir()
    claim_output_dir(out, policy)
    assert marker(out)["policy"] == {"name": "test", "sha256": policy.sha256}


def test_the_policy_file_alone_leaves_a_directory_fresh(tmp_path: Path) -> None:
    # `ccrawl demo` writes its policy into the output directory, then crawls into it.
    out = tmp_path / "demo"
    out.mkdir()
    policy = load_policy(write_policy(out, ["https://example.org/"]))
    claim_output_dir(out, policy)
    assert (out / MARKER).is_file()


def test_a_users_own_files_are_never_touched(site: FixtureServer, tmp_path: Path) -> None:
    site.add("/", "<html><body><p>hello</p></body></html>")
    mine = tmp_path / "mine"
    mine.mkdir()
    # a torn last line: resuming would cut it off (torn-line repair) if ccrawl adopted the directory
    (mine / "dataset.jsonl").write_bytes(b'{"my": "data"}\n{"half a rec')
    (mine / "notes.txt").write_text("my notes\n")
    before = snapshot(mine)
    line = refused(str(write_policy(tmp_path, [site.url("/")])), "--output", str(mine))
    assert f"{mine}: is not empty and no ccrawl crawl made it (no {MARKER})" in line
    assert snapshot(mine) == before and sorted(p.name for p in mine.iterdir()) == [
        "dataset.jsonl",
        "notes.txt",
    ]
    assert site.hits == []


def test_the_parent_directory_is_refused(site: FixtureServer, tmp_path: Path) -> None:
    work = tmp_path / "work"
    (work / "sub").mkdir(parents=True)
    (work / "report.txt").write_text("not a crawl\n")
    policy = write_policy(tmp_path, [site.url("/")], output={"dir": ".."})
    before = snapshot(work)
    line = refused(str(policy), cwd=work / "sub")
    assert "is not empty and no ccrawl crawl made it" in line
    assert snapshot(work) == before and not (work / MARKER).exists()
    assert site.hits == []


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("/", "the filesystem root"),
        ("//", "the filesystem root"),
        ("/tmp/..", "the filesystem root"),
        ("~", "the home directory"),
        ("~/", "the home directory"),
        ("~/.", "the home directory"),
    ],
)
def test_policy_check_refuses_root_and_home(tmp_path: Path, value: str, reason: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    policy = write_policy(tmp_path, ["https://example.org/"], output={"dir": value})
    result = run_ccrawl("policy", "check", str(policy), env={HOME_ENV: str(home)})
    assert result.returncode == 2
    assert f"output.dir: {value!r} is {reason}; a crawl writes into a directory of its own" in (
        result.stderr
    )


def test_home_is_expanded_in_output_dir(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    policy = write_policy(tmp_path, ["https://example.org/"], output={"dir": "~/crawls/news"})
    result = run_ccrawl("policy", "check", str(policy), env={HOME_ENV: str(home)})
    assert result.returncode == 0, result.stderr
    assert f"dir: {home}/crawls/news" in result.stdout


def test_crawl_refuses_root_and_an_empty_home(site: FixtureServer, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {HOME_ENV: str(home)}
    policy = str(write_policy(tmp_path, [site.url("/")]))
    assert refused(policy, "--output", "/", env=env) == (
        "ccrawl: /: is the filesystem root; "
        "choose a new or empty directory (output.dir or --output)"
    )
    # empty, yet refused: everything else a user keeps would soon sit beside the crawl
    assert "is the home directory" in refused(policy, "--output", str(home), env=env)
    assert list(home.iterdir()) == [] and site.hits == []


@pytest.mark.parametrize("name", [".git", "pyproject.toml", "scrapy.cfg"])
def test_a_project_root_is_refused_even_with_a_marker(
    site: FixtureServer, tmp_path: Path, name: str
) -> None:
    policy = write_policy(tmp_path, [site.url("/")])
    project = tmp_path / "project"
    project.mkdir()
    claim_output_dir(project, load_policy(policy))  # a marker that would otherwise be accepted
    if name == ".git":
        (project / name).mkdir()
    else:
        (project / name).write_text("[x]\n")
    line = refused(str(policy), "--output", str(project))
    assert f"is a project root (it holds {name})" in line
    assert site.hits == []


def test_this_repository_is_refused_as_output_dir(site: FixtureServer, tmp_path: Path) -> None:
    policy = write_policy(tmp_path, [site.url("/")], output={"dir": "."})
    line = refused(str(policy), cwd=REPO)
    assert "is a project root (it holds .git)" in line
    assert not (REPO / MARKER).exists() and not (REPO / "provenance.jsonl").exists()


def test_a_file_is_not_an_output_dir(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    policy = write_policy(tmp_path, ["https://example.org/"])
    assert refused(str(policy), "--output", str(target)).endswith("exists and is not a directory")


def test_another_policys_crawl_is_never_adopted(site: FixtureServer, tmp_path: Path) -> None:
    site.add("/", "<html><body><p>hello</p></body></html>")
    first = tmp_path / "first"
    first.mkdir()
    crawl(write_policy(first, [site.url("/")], output={"dir": str(tmp_path / "out")}))
    out = tmp_path / "out"
    before, hits = snapshot(out), len(site.hits)
    other = write_policy(tmp_path, [site.url("/")], name="other")
    line = refused(str(other))
    assert f"{out}: holds the crawl of policy 'test', not 'other'" in line
    assert snapshot(out) == before and len(site.hits) == hits


def test_an_edited_policy_continues_with_a_warning(site: FixtureServer, tmp_path: Path) -> None:
    site.add("/", "<html><body><p>hello</p></body></html>")
    policy = write_policy(tmp_path, [site.url("/")])
    crawl(policy)
    old = hashlib.sha256(policy.read_bytes()).hexdigest()
    data = yaml.safe_load(policy.read_text())
    data["scope"] = {"max_depth": 2}
    policy.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    new = hashlib.sha256(policy.read_bytes()).hexdigest()
    result = crawl(policy)
    assert "[crawler.outputdir] WARNING: " in result.stderr
    assert f"the policy file changed since this crawl began (sha256 {old[:12]}..." in result.stderr
    out = tmp_path / "out"
    found = marker(out)
    assert found["policy"] == {"name": "test", "sha256": new}
    assert [e["sha256"] for e in found["policy_history"]] == [old, new]
    # both files are kept beside the crawl, for exports
    assert (out / "policies" / f"{old}.yaml").is_file()
    assert (out / "policies" / f"{new}.yaml").is_file()


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        json.dumps({"tool": "othertool", "format": 1, "policy": {"name": "test"}}),
        json.dumps({"tool": "ccrawl", "format": 99, "policy": {"name": "test"}}),
        json.dumps({"tool": "ccrawl", "format": 1, "policy": "test"}),
        json.dumps(["ccrawl"]),
    ],
)
def test_a_foreign_or_broken_marker_is_refused(tmp_path: Path, text: str) -> None:
    policy = load_policy(write_policy(tmp_path, ["https://example.org/"]))
    out = tmp_path / "out"
    out.mkdir()
    (out / MARKER).write_text(text)
    with pytest.raises(OutputDirError) as caught:
        claim_output_dir(out, policy)
    assert isinstance(caught.value, PolicyError)  # the CLI's exit 2
    assert str(caught.value).startswith(f"{out}: {MARKER} is ") and "\n" not in str(caught.value)
    assert (out / MARKER).read_text() == text


def test_scrapy_crawl_refuses_a_users_directory_too(site: FixtureServer, tmp_path: Path) -> None:
    # `scrapy crawl policy` never passes through `ccrawl crawl`: CrawlContext claims the directory.
    site.add("/", "<html><body><p>hello</p></body></html>")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "dataset.jsonl").write_bytes(b'{"my": "data"}\n{"half a rec')
    before = snapshot(mine)
    policy = write_policy(tmp_path, [site.url("/")], output={"dir": str(mine)})
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "policy", "-a", f"policy={policy}"],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert f"{mine}: is not empty and no ccrawl crawl made it" in result.stderr
    assert snapshot(mine) == before and site.hits == []
