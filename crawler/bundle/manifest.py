"""MANIFEST.json: every file of a bundle with its sha256 and size, and the bundle's key figures.

The manifest is written last and is what a signature covers; it never lists itself or the
signature, and it never holds document text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crawler.bundle import BundleError
from crawler.jsonl import strict_loads

MANIFEST_FILE = "MANIFEST.json"
SIGNATURE_FILE = "MANIFEST.json.sig"
NOT_LISTED = frozenset({MANIFEST_FILE, SIGNATURE_FILE})
BUNDLE_VERSION = 1  # the layout this code writes and verifies


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def bundle_files(root: Path) -> list[str]:
    """Every regular file under root as a POSIX relative path, sorted, manifest and sig excluded."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and p.relative_to(root).as_posix() not in NOT_LISTED
    )


def file_entries(root: Path) -> list[dict[str, Any]]:
    return [
        {"path": rel, "sha256": file_sha256(root / rel), "bytes": (root / rel).stat().st_size}
        for rel in bundle_files(root)
    ]


def write_manifest(root: Path, manifest: dict[str, Any]) -> bytes:
    data = (json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode()
    (root / MANIFEST_FILE).write_bytes(data)
    return data


def load_manifest(root: Path) -> dict[str, Any]:
    path = root / MANIFEST_FILE
    try:
        manifest = strict_loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise BundleError(f"{MANIFEST_FILE}: cannot be read ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise BundleError(f"{MANIFEST_FILE}: not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        raise BundleError(f"{MANIFEST_FILE}: no `files` list")
    return manifest


class _Absent:
    def __repr__(self) -> str:
        return "(absent)"


ABSENT: Any = _Absent()  # a key one side of `differences` lacks


def figures(s: dict[str, Any], shards: list[str]) -> dict[str, Any]:
    """Everything MANIFEST.json states besides `files`, from a bundle summary: export writes
    these, and verify recomputes the summary from the bundle's data and provenance to compare."""
    return {
        "bundle_version": BUNDLE_VERSION,
        "created_at": s["created_at"],
        "crawler": s["generated_by"],
        "data": {"format": s["format"], "documents": s["dataset"]["documents"], "files": shards},
        "sources": s["sources"],
        "chain_heads": {src["provenance"]: src["head"] for src in s["sources"]},
        "policies": [{k: p[k] for k in ("name", "sha256", "path")} for p in s["policies"]],
        "counts": {
            "records": s["provenance"]["records"],
            "urls": s["provenance"]["urls"],
            "outcomes": s["provenance"]["outcomes"],
            "documents": s["dataset"]["documents"],
        },
        "time_span": {
            "time": s["collection_period"]["records"],
            "fetched_at": s["collection_period"]["fetched_at"],
        },
    }


def differences(stated: Any, expected: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(dotted path, stated value, expected value) for every leaf where two JSON values differ."""
    if isinstance(stated, dict) and isinstance(expected, dict):
        keys = [*expected, *(k for k in stated if k not in expected)]
        for key in keys:
            where = f"{path}.{key}" if path else str(key)
            yield from differences(stated.get(key, ABSENT), expected.get(key, ABSENT), where)
    elif isinstance(stated, list) and isinstance(expected, list) and len(stated) == len(expected):
        for index, (left, right) in enumerate(zip(stated, expected, strict=True)):
            yield from differences(left, right, f"{path}[{index}]")
    elif type(stated) is not type(expected) or stated != expected:  # true is not 1
        yield path, stated, expected
