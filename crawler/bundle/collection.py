"""Read a crawl output directory or an exported bundle alike: provenance chains and documents.

Read-only. Documents come back exactly as stored (JSONL lines, or Parquet rows decoded to the
records they were written from), so hashes computed on them are the ones provenance recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawler.bundle import BundleError
from crawler.bundle.formats import read_shard
from crawler.bundle.manifest import MANIFEST_FILE, load_manifest
from crawler.jsonl import read_jsonl
from crawler.provenance import DATASET_FILE, PROVENANCE_FILE


@dataclass(frozen=True)
class Chain:
    name: str  # the source (crawl output) it came from
    rel: str  # path inside the bundle or directory, as problems name it
    path: Path


@dataclass
class Collection:
    root: Path
    chains: list[Chain]
    data_files: list[tuple[str, Path]]
    policy_files: list[Path]
    manifest: dict[str, Any] | None = None

    @property
    def is_bundle(self) -> bool:
        return self.manifest is not None

    def provenance(self) -> Iterator[tuple[Chain, int, dict[str, Any] | None]]:
        for chain in self.chains:
            for number, record, _raw in read_jsonl(chain.path):
                yield chain, number, record

    def documents(self) -> Iterator[tuple[str, int, dict[str, Any] | None]]:
        for rel, path in self.data_files:
            for number, record in read_shard(path):
                yield rel, number, record


def open_collection(path: Path | str) -> Collection:
    root = Path(path)
    if (root / MANIFEST_FILE).is_file():
        return _bundle(root)
    if (root / PROVENANCE_FILE).is_file():
        dataset = root / DATASET_FILE
        return Collection(
            root=root,
            chains=[Chain(root.name, PROVENANCE_FILE, root / PROVENANCE_FILE)],
            data_files=[(DATASET_FILE, dataset)] if dataset.is_file() else [],
            policy_files=sorted((root / "policies").glob("*.yaml")),
        )
    raise BundleError(
        f"{root}: neither a bundle ({MANIFEST_FILE}) nor a crawl output ({PROVENANCE_FILE})"
    )


def _bundle(root: Path) -> Collection:
    manifest = load_manifest(root)
    try:
        chains = [
            Chain(s["name"], s["provenance"], root / s["provenance"]) for s in manifest["sources"]
        ]
        data_rels = [str(rel) for rel in manifest["data"]["files"]]
        policy_rels = [str(p["path"]) for p in manifest["policies"]]
    except (KeyError, TypeError) as exc:
        raise BundleError(f"{MANIFEST_FILE}: missing or malformed key {exc}") from None
    data = [(rel, root / rel) for rel in data_rels]
    policies = [root / rel for rel in policy_rels]
    for rel in [c.rel for c in chains] + data_rels + policy_rels:
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            raise BundleError(f"{MANIFEST_FILE}: {rel!r} points outside the bundle")
    return Collection(root, chains, data, policies, manifest)
