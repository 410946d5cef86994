"""`ccrawl export`: crawl output directories into one self-describing, verifiable bundle.

Sources are snapshotted and verified first, then copied exactly. It never exports the quarantine
store or held or rejected text, and never writes into an existing non-empty directory.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from crawler import __version__
from crawler.bundle import BundleError, card, charts, croissant, summary
from crawler.bundle.collection import Chain, Collection
from crawler.bundle.facts import behaviour, identity
from crawler.bundle.formats import (
    DEFAULT_SHARD_DOCS,
    FORMATS,
    Layout,
    shard_name,
    write_parquet,
)
from crawler.bundle.manifest import (
    MANIFEST_FILE,
    SIGNATURE_FILE,
    figures,
    file_entries,
    write_manifest,
)
from crawler.bundle.signing import is_valid, load_private, sign
from crawler.bundle.stats import compute
from crawler.bundle.verify import verify_bundle
from crawler.jsonl import read_jsonl
from crawler.provenance import DATASET_FILE, PROVENANCE_FILE, utc_now, verify_output

STAGING = ".staging"


@dataclass
class Source:
    name: str
    directory: Path
    staged: Path
    rel: str  # the provenance file's path in the bundle
    records: int = 0
    head: str = ""
    documents: int = 0

    def info(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "provenance": self.rel,
            "records": self.records,
            "head": self.head,
            "documents": self.documents,
        }


@dataclass
class ExportResult:
    root: Path
    documents: int
    shards: list[str]
    records: int
    heads: dict[str, str]
    signed: bool


def _names(directories: list[Path]) -> list[str]:
    names: list[str] = []
    for directory in directories:
        base = directory.resolve().name or "crawl"
        name, n = base, 2
        while name in names:
            name, n = f"{base}-{n}", n + 1
        names.append(name)
    return names


def _stage(source: Source) -> None:
    """Copy the dataset, then the log (so every copied document has its record), and verify."""
    directory = source.directory
    if (directory / MANIFEST_FILE).is_file():
        raise BundleError(f"{directory}: is a bundle already; export crawl output directories")
    if not (directory / PROVENANCE_FILE).is_file():
        raise BundleError(f"{directory}: not a crawl output (no {PROVENANCE_FILE})")
    source.staged.mkdir(parents=True)
    dataset = directory / DATASET_FILE
    if dataset.is_file():
        shutil.copyfile(dataset, source.staged / DATASET_FILE)
    else:
        (source.staged / DATASET_FILE).touch()
    shutil.copyfile(directory / PROVENANCE_FILE, source.staged / PROVENANCE_FILE)
    report = verify_output(source.staged)
    if not report.ok:
        raise BundleError(
            f"{directory}: does not verify ({report.problems[0]}); a broken or still-running "
            "crawl is never exported"
        )
    source.records, source.head, source.documents = (
        report.records,
        report.head,
        report.dataset_records,
    )


def _policies(sources: list[Source]) -> list[tuple[str, str, bytes]]:
    """(name, sha256, exact bytes) of every policy the provenance records name."""
    found: dict[str, tuple[str, str, bytes]] = {}
    for source in sources:
        for _n, record, _raw in read_jsonl(source.staged / PROVENANCE_FILE):
            policy = (record or {}).get("policy")
            if not isinstance(policy, dict) or not policy.get("sha256"):
                continue
            sha = str(policy["sha256"])
            if sha in found:
                continue
            copy = source.directory / "policies" / f"{sha}.yaml"
            if not copy.is_file():
                raise BundleError(
                    f"{source.directory}: policies/{sha}.yaml is missing: the exact policy file "
                    f"the crawl ran under (policy {policy.get('name')}) must ship with the data"
                )
            data = copy.read_bytes()
            if hashlib.sha256(data).hexdigest() != sha:
                raise BundleError(f"{copy}: its sha256 is not the one provenance recorded")
            found[sha] = (str(policy.get("name")), sha, data)
    return list(found.values())


def _documents(sources: list[Source]) -> Iterator[tuple[dict[str, Any], bytes]]:
    for source in sources:
        with open(source.staged / DATASET_FILE, "rb") as handle:
            for raw in handle:
                yield json.loads(raw), raw if raw.endswith(b"\n") else raw + b"\n"


def _write_data(root: Path, sources: list[Source], fmt: str, shard_docs: int) -> list[str]:
    total = sum(s.documents for s in sources)
    count = max(1, math.ceil(total / shard_docs))
    names = [shard_name(i, count, fmt) for i in range(count)]
    (root / "data").mkdir()
    layout = Layout()
    if fmt == "parquet":
        for record, _raw in _documents(sources):
            layout.add(record)
    documents = _documents(sources)
    for index, name in enumerate(names):
        size = min(shard_docs, total - index * shard_docs)
        chunk = (next(documents) for _ in range(max(size, 0)))
        if fmt == "parquet":
            write_parquet(root / name, (record for record, _raw in chunk), layout)
        else:
            with open(root / name, "wb") as handle:
                for _record, raw in chunk:
                    handle.write(raw)
    return names


def _write_rules(
    root: Path, sources: list[Source], policies: list[tuple[str, str, bytes]]
) -> list[dict[str, Any]]:
    if len(sources) > 1:
        (root / "provenance").mkdir()
    for source in sources:
        shutil.copyfile(source.staged / PROVENANCE_FILE, root / source.rel)
    written = []
    for name, sha, data in policies:
        rel = "policy.yaml" if len(policies) == 1 else f"policies/{sha}.yaml"
        (root / rel).parent.mkdir(exist_ok=True)
        (root / rel).write_bytes(data)
        policy = yaml.safe_load(data.decode("utf-8"))
        written.append({"name": name, "sha256": sha, "path": rel, "policy": policy})
    return written


def _summary(
    sources: list[Source], policies: list[dict[str, Any]], fmt: str, created_at: str
) -> dict[str, Any]:
    collection = Collection(
        root=Path("."),
        chains=[Chain(s.name, s.rel, s.staged / PROVENANCE_FILE) for s in sources],
        data_files=[(f"{s.name}/{DATASET_FILE}", s.staged / DATASET_FILE) for s in sources],
        policy_files=[],
    )
    names = sorted({str(p["name"]) for p in policies}) or ["crawl"]
    lines = list(dict.fromkeys(line for p in policies for line in behaviour(p["policy"] or {})))
    return {
        "title": f"ccrawl dataset: {', '.join(names)}",
        "name": "-".join(names),
        "generated_by": {"name": "ccrawl", "version": __version__},
        "created_at": created_at,
        "format": fmt,
        "sources": [s.info() for s in sources],
        "policies": [
            {**identity(p["policy"] or {}), "sha256": p["sha256"], "path": p["path"]}
            for p in policies
        ],
        "behaviour": lines,
        **compute(collection),
    }


def _manifest(root: Path, s: dict[str, Any], shards: list[str]) -> dict[str, Any]:
    # The same figures verify recomputes: writer and verifier cannot drift apart.
    return {**figures(s, shards), "files": file_entries(root)}


def _write_descriptions(root: Path, s: dict[str, Any], shards: list[str]) -> None:
    fmt = s["format"]
    glob = f"data/train-*.{fmt}"
    s["charts"] = charts.write_charts(s, root)
    (root / "summary.json").write_text(json.dumps(s, indent=2, ensure_ascii=False) + "\n")
    (root / "SUMMARY.md").write_text(summary.render(s), encoding="utf-8")
    (root / "README.md").write_text(card.render(s, fmt, glob), encoding="utf-8")
    entries = {e["path"]: e for e in file_entries(root)}
    files = {
        "data": [entries[rel] for rel in shards],
        "provenance": [entries[src["provenance"]] for src in s["sources"]],
        "policies": [entries[p["path"]] for p in s["policies"]],
    }
    document = croissant.metadata(s, fmt, glob, files)
    (root / "metadata.json").write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def export(
    directories: list[Path | str],
    to: Path | str,
    fmt: str = "jsonl",
    shard_docs: int = DEFAULT_SHARD_DOCS,
    sign_key: Path | str | None = None,
) -> ExportResult:
    target = Path(to)
    dirs = [Path(d) for d in directories]
    if fmt not in FORMATS:
        raise BundleError(f"--format: one of {', '.join(FORMATS)}, got {fmt!r}")
    if shard_docs < 1:
        raise BundleError("--shard-docs: at least 1")
    if len({d.resolve() for d in dirs}) != len(dirs):
        raise BundleError("the same directory is named twice")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BundleError(f"{target}: exists and is not an empty directory")
    key = load_private(sign_key) if sign_key else None
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        names = _names(dirs)
        sources = [
            Source(
                name,
                d,
                work / STAGING / name,
                PROVENANCE_FILE if len(dirs) == 1 else f"provenance/{name}.jsonl",
            )
            for name, d in zip(names, dirs, strict=True)
        ]
        for source in sources:
            _stage(source)
        policies = _write_rules(work, sources, _policies(sources))
        shards = _write_data(work, sources, fmt, shard_docs)
        s = _summary(sources, policies, fmt, utc_now())
        shutil.rmtree(work / STAGING)
        _write_descriptions(work, s, shards)
        data = write_manifest(work, _manifest(work, s, shards))
        if key is not None:
            (work / SIGNATURE_FILE).write_bytes(sign(data, key))
        report = verify_bundle(work)
        signature_ok = key is None or is_valid(
            data, (work / SIGNATURE_FILE).read_bytes(), key.public_key()
        )
        if not report.ok or not signature_ok:
            problem = report.problems[0] if report.problems else "signature check failed"
            raise BundleError(f"the new bundle does not verify ({problem}); nothing was written")
        work.chmod(0o755)
        if target.exists():
            target.rmdir()
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return ExportResult(
        target, s["dataset"]["documents"], shards, report.records, report.heads, key is not None
    )
