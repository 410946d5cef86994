"""Verify a bundle: signature, every provenance chain, dataset-to-provenance, every file's hash.

It reuses crawler.provenance's checks record for record, so a bundle is held to exactly the rules
of a crawl output. It never repairs or rewrites anything; problems name file:line where known.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.bundle import BundleError
from crawler.bundle.collection import Chain, Collection, open_collection
from crawler.bundle.formats import read_shard
from crawler.bundle.manifest import (
    MANIFEST_FILE,
    SIGNATURE_FILE,
    bundle_files,
    file_sha256,
    load_manifest,
)
from crawler.bundle.signing import fingerprint, is_valid, load_public
from crawler.jsonl import canonical_json
from crawler.provenance import PROVENANCE_FILE, VerifyReport, verify_chain, verify_dataset

Line = tuple[str, int, dict[str, Any] | None]


@dataclass
class BundleReport(VerifyReport):
    files: int = 0
    heads: dict[str, str] = field(default_factory=dict)
    signature: str = "absent"  # absent | not checked | valid | invalid
    key_fingerprint: str | None = None


def is_bundle(path: Path | str) -> bool:
    return (Path(path) / MANIFEST_FILE).is_file()


def _relabel(problems: list[str], old: str, new: str) -> list[str]:
    if old == new:
        return problems
    return [new + p[len(old) :] if p.startswith(old + ":") else p for p in problems]


def _check_signature(root: Path, key_path: Path | str | None, report: BundleReport) -> None:
    sig_path = root / SIGNATURE_FILE
    if key_path is None:
        report.signature = "not checked" if sig_path.is_file() else "absent"
        return
    key = load_public(key_path)
    report.key_fingerprint = fingerprint(key)
    if not sig_path.is_file():
        report.signature = "absent"
        report.problems.append(f"{SIGNATURE_FILE}: missing (--key asks for a signed bundle)")
        return
    if is_valid((root / MANIFEST_FILE).read_bytes(), sig_path.read_bytes(), key):
        report.signature = "valid"
    else:
        report.signature = "invalid"
        report.problems.append(
            f"{SIGNATURE_FILE}: the signature does not match {MANIFEST_FILE} under this key"
        )


def _check_chains(
    collection: Collection, report: BundleReport
) -> list[tuple[Chain, dict[str, dict[str, Any]]]]:
    expected = {s.get("provenance"): s for s in (collection.manifest or {}).get("sources", [])}
    chains = []
    for chain in collection.chains:
        if not chain.path.is_file():
            report.problems.append(f"{chain.rel}: missing")
            continue
        sub = VerifyReport()
        by_hash = verify_chain(chain.path, sub)
        report.problems += _relabel(sub.problems, chain.path.name, chain.rel)
        report.records += sub.records
        report.heads[chain.rel] = sub.head
        source = expected.get(chain.rel, {})
        if not sub.problems and source.get("head") not in (None, sub.head):
            report.problems.append(
                f"{chain.rel}: chain head {sub.head[:16]} is not the one {MANIFEST_FILE} "
                f"recorded ({str(source['head'])[:16]}): records were added or removed at the end"
            )
        chains.append((chain, by_hash))
    return chains


def _readable(collection: Collection, report: BundleReport) -> Iterator[Line]:
    """Every document line; a data file that cannot be read ends the check with a problem."""
    for rel, path in collection.data_files:
        if not path.is_file():
            report.problems.append(f"{rel}: missing")
            return
        try:
            for number, record in read_shard(path):
                try:
                    canonical_json(record)
                except (TypeError, ValueError) as exc:  # damaged Parquet can decode to bytes
                    report.problems.append(f"{rel}:{number}: cannot be decoded ({exc})")
                    return
                yield rel, number, record
        except Exception as exc:  # a damaged Parquet file raises pyarrow's own errors
            report.problems.append(f"{rel}: cannot be read ({type(exc).__name__}: {exc})")
            return


def _check_dataset(
    collection: Collection,
    chains: list[tuple[Chain, dict[str, dict[str, Any]]]],
    report: BundleReport,
) -> None:
    if len(chains) == 1:
        chain, by_hash = chains[0]
        sub = VerifyReport()
        verify_dataset(_readable(collection, report), by_hash, sub)
        report.dataset_records += sub.dataset_records
        report.problems += _relabel(sub.problems, PROVENANCE_FILE, chain.rel)
        return
    owner = {digest: chain.rel for chain, by_hash in chains for digest in by_hash}
    for rel, number, record in _readable(collection, report):
        if record is None:
            report.problems.append(f"{rel}:{number}: not a JSON object")
            return
        if str(record.get("provenance")) not in owner:
            report.problems.append(
                f"{rel}:{number}: no provenance record has hash {record.get('provenance')}"
            )
            return
    for chain, by_hash in chains:
        sub = VerifyReport()
        lines: Iterable[Line] = (
            line
            for line in _readable(collection, report)
            if line[2] is not None and owner.get(str(line[2].get("provenance"))) == chain.rel
        )
        verify_dataset(lines, by_hash, sub)
        report.dataset_records += sub.dataset_records
        report.problems += _relabel(sub.problems, PROVENANCE_FILE, chain.rel)
        if sub.problems:
            return


def _check_files(root: Path, manifest: dict[str, Any], report: BundleReport) -> None:
    listed = set()
    for entry in manifest["files"]:
        rel = str(entry.get("path"))
        listed.add(rel)
        path = root / rel
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            report.problems.append(f"{MANIFEST_FILE}: {rel!r} points outside the bundle")
        elif not path.is_file():
            report.problems.append(f"{rel}: missing (listed in {MANIFEST_FILE})")
        elif path.stat().st_size != entry.get("bytes") or file_sha256(path) != entry.get("sha256"):
            report.problems.append(f"{rel}: sha256 or size differs from {MANIFEST_FILE}")
        else:
            report.files += 1
    for rel in bundle_files(root):
        if rel not in listed:
            report.problems.append(f"{rel}: not listed in {MANIFEST_FILE}")


def verify_bundle(root: Path | str, key_path: Path | str | None = None) -> BundleReport:
    """Signature (with a key), chains, dataset records, then every file against the manifest."""
    root = Path(root)
    report = BundleReport()
    try:
        manifest = load_manifest(root)
        _check_signature(root, key_path, report)
        collection = open_collection(root)
    except BundleError as exc:
        report.problems.append(str(exc))
        return report
    chains = _check_chains(collection, report)
    if not report.problems:
        _check_dataset(collection, chains, report)
    _check_files(root, manifest, report)
    if len(report.heads) == 1:
        report.head = next(iter(report.heads.values()))
    return report
