"""Helpers for end-to-end tests: write a policy, run ccrawl for real, read its outputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent

WORDS = (
    "The harbour committee met on Tuesday evening to discuss the repairs to the north wall, "
    "which engineers say has been weakened by three winters of storms. Residents asked how long "
    "the works would take and whether the ferry would keep running while cranes were on the quay. "
)


def article(
    title: str,
    paragraphs: int = 4,
    links: list[str] | None = None,
    extra_head: str = "",
    body_text: str = WORDS,
    lang: str = "en",
) -> str:
    """A realistic article page: nav, sidebar and footer boilerplate around the main text."""
    nav = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links or [])
    paras = "".join(f"<p>{i + 1}. {body_text}</p>" for i in range(paragraphs))
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f'{extra_head}</head><body><header><nav><ul><li><a href="/">Home</a></li>{nav}</ul>'
        f"</nav></header><main><article><h1>{title}</h1>{paras}</article></main>"
        "<aside>Most read: weather, tides, parking</aside>"
        "<footer>© 2026 Example News Ltd. Contact us. Privacy.</footer></body></html>"
    )


def write_policy(directory: Path, seeds: list[str], **sections: Any) -> Path:
    policy: dict[str, Any] = {
        "name": "test",
        "agent": {"token": "TestBot", "contact": "https://example.org/testbot"},
        "seeds": seeds,
        "network": {"allow_private": ["127.0.0.1"], "timeout": 5.0, "retries": 1},
        "politeness": {"min_delay": 0.0, "max_concurrency": 4},
        # Fixture pages mostly carry no licence; tests about licences set their own rules.
        "licences": {"unknown": "accept"},
        "output": {"dir": str(directory / "out")},
    }
    for key, value in sections.items():
        if isinstance(value, dict) and isinstance(policy.get(key), dict):
            policy[key] = {**policy[key], **value}
        else:
            policy[key] = value
    path = directory / "policy.yaml"
    path.write_text(yaml.safe_dump(policy, sort_keys=False), encoding="utf-8")
    return path


def run_ccrawl(
    *args: str, timeout: float = 180, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd or REPO,
        env=full_env,
    )


def crawl(policy: Path, *extra: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    result = run_ccrawl(
        "crawl", str(policy), "--quiet", "--log-level", "INFO", *extra, timeout=timeout
    )
    assert result.returncode == 0, f"crawl failed ({result.returncode}):\n{result.stderr[-4000:]}"
    return result


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def final_records(out: Path) -> dict[str, dict[str, Any]]:
    """url -> its final provenance record (asserting there is exactly one per URL)."""
    finals: dict[str, dict[str, Any]] = {}
    for record in read_jsonl(out / "provenance.jsonl"):
        if record.get("final"):
            assert record["url"] not in finals, f"two final records for {record['url']}"
            finals[record["url"]] = record
    return finals
