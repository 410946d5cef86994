"""MANIFEST.json: every file of a bundle with its sha256 and size, and the bundle's key figures.

The manifest is written last and is what a signature covers; it never lists itself or the
signature, and it never holds document text.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from crawler.bundle import BundleError

MANIFEST_FILE = "MANIFEST.json"
SIGNATURE_FILE = "MANIFEST.json.sig"
NOT_LISTED = frozenset({MANIFEST_FILE, SIGNATURE_FILE})


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
        manifest = json.loads(path.read_bytes())
    except OSError as exc:
        raise BundleError(f"{MANIFEST_FILE}: cannot be read ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise BundleError(f"{MANIFEST_FILE}: not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        raise BundleError(f"{MANIFEST_FILE}: no `files` list")
    return manifest
