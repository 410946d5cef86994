"""Claiming an output directory: a crawl writes only where it cannot damage anything not its own.

A directory is a crawl's when it was absent or empty and the crawl marked it (`.ccrawl-output.json`:
tool, format, policy name and sha256), or when a crawl of the same policy marked it before.
Never the filesystem root, a home directory or a project root; never another policy's crawl;
never a user's own files (resuming repairs the last line of dataset.jsonl: it would cut theirs).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler import __version__
from crawler.policy import Policy, PolicyError, reserved_dir, shown

logger = logging.getLogger(__name__)

MARKER = ".ccrawl-output.json"
TOOL = "ccrawl"
FORMAT = 1
MAX_MARKER_BYTES = 64 * 1024
# A checkout or a Scrapy project: its root is full of files a crawl must not sit among.
PROJECT_FILES = (".git", "pyproject.toml", "scrapy.cfg")
ELSEWHERE = "choose a new or empty directory (output.dir or --output)"


class OutputDirError(PolicyError):
    """A directory a crawl must not write into (exit 2, like an invalid policy); one line."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(str(path), [problem])

    def __str__(self) -> str:
        return f"{self.source}: {self.problems[0]}"


def claim_output_dir(path: Path, policy: Policy) -> None:
    """Make `path` the output directory of a crawl under `policy`, or raise OutputDirError."""
    _refuse_reserved(path)
    if (path / MARKER).exists():
        _continue(path, _read_marker(path), policy)
    elif _is_fresh(path, policy):
        path.mkdir(parents=True, exist_ok=True)
        _write_marker(path, _new_marker(policy))
    else:
        raise OutputDirError(
            path, f"is not empty and no ccrawl crawl made it (no {MARKER}); {ELSEWHERE}"
        )


def _refuse_reserved(path: Path) -> None:
    reserved = reserved_dir(path)
    if reserved:
        raise OutputDirError(path, f"is {reserved}; {ELSEWHERE}")
    if path.exists() and not path.is_dir():
        raise OutputDirError(path, "exists and is not a directory")
    for name in PROJECT_FILES:
        if (path / name).exists():
            raise OutputDirError(path, f"is a project root (it holds {name}); {ELSEWHERE}")


def _is_fresh(path: Path, policy: Policy) -> bool:
    """Absent, or empty but for the policy file itself (`ccrawl demo` writes its policy there)."""
    if not path.exists():
        return True
    own = os.path.realpath(policy.source) if policy.source.endswith((".yaml", ".yml")) else None
    for name in os.listdir(path):
        # A marker being written by a worker starting at the same moment is not a stranger's.
        if not name.startswith(MARKER) and os.path.realpath(path / name) != own:
            return False
    return True


def _read_marker(path: Path) -> dict[str, Any]:
    try:
        with (path / MARKER).open("rb") as handle:
            marker = json.loads(handle.read(MAX_MARKER_BYTES + 1))
    except (OSError, ValueError):
        marker = None
    if not (
        isinstance(marker, dict)
        and marker.get("tool") == TOOL
        and isinstance(marker.get("policy"), dict)
    ):
        raise OutputDirError(path, f"{MARKER} is not a ccrawl marker; {ELSEWHERE}")
    if marker.get("format") != FORMAT:
        raise OutputDirError(
            path, f"{MARKER} is of format {shown(marker.get('format'))}, not {FORMAT}; {ELSEWHERE}"
        )
    return marker


def _continue(path: Path, marker: dict[str, Any], policy: Policy) -> None:
    owner = marker["policy"].get("name")
    if owner != policy.name:
        raise OutputDirError(
            path,
            f"holds the crawl of policy {shown(owner)}, not {policy.name!r}; "
            f"a crawl never adopts another's state: {ELSEWHERE}",
        )
    if policy.sha256 and marker["policy"].get("sha256") != policy.sha256:
        # Same crawl, edited rules (a wider scope, another delay): resuming is what the user
        # wants. Every provenance record names the sha256 it ran under; the marker keeps the list.
        logger.warning(
            "%s: the policy file changed since this crawl began (sha256 %s..., now %s...); "
            "continuing under the new one (recorded in %s)",
            path,
            str(marker["policy"].get("sha256"))[:12],
            policy.sha256[:12],
            MARKER,
        )
        marker["policy"]["sha256"] = policy.sha256
        marker.setdefault("policy_history", []).append(_used(policy))
        _write_marker(path, marker)


def _new_marker(policy: Policy) -> dict[str, Any]:
    return {
        "tool": TOOL,
        "format": FORMAT,
        "version": __version__,
        "created": _now(),
        "policy": {"name": policy.name, "sha256": policy.sha256},
        "policy_history": [_used(policy)],
    }


def _used(policy: Policy) -> dict[str, str]:
    return {"sha256": policy.sha256, "since": _now()}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_marker(path: Path, marker: dict[str, Any]) -> None:
    # Written aside and renamed: a worker starting at the same moment never reads half a marker.
    temporary = path / f"{MARKER}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    temporary.write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path / MARKER)
