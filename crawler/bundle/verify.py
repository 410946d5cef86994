"""Verify a bundle: signature, every provenance chain, dataset-to-provenance, MANIFEST's figures
recomputed from the data and provenance, and every file's hash.

It reuses crawler.provenance's checks record for record, so a bundle is held to exactly the rules
of a crawl output. It never repairs or rewrites anything; problems name file:line where known.
Without a trusted key it proves consistency only: a bundle forged consistently still verifies.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from crawler.bundle import BundleError
from crawler.bundle.collection import Chain, Collection, open_collection
from crawler.bundle.formats import FORMATS, read_parquet, shard_name
from crawler.bundle.manifest import (
    ABSENT,
    MANIFEST_FILE,
    SIGNATURE_FILE,
    bundle_files,
    differences,
    figures,
    file_sha256,
    load_manifest,
)
from crawler.bundle.signing import fingerprint, is_valid, load_public
from crawler.bundle.stats import compute
from crawler.jsonl import canonical_json, line_problem, read_jsonl, strict_loads
from crawler.provenance import (
    PROVENANCE_FILE,
    Line,
    VerifyReport,
    check_anchor,
    records_after,
    verify_chain,
    verify_dataset,
)

Chains = list[tuple[Chain, dict[str, dict[str, Any]]]]
SUMMARY_FILE = "summary.json"
CLOCK_SKEW = timedelta(minutes=5)  # workers of a distributed crawl run on other machines' clocks


@dataclass
class BundleReport(VerifyReport):
    files: int = 0
    heads: dict[str, str] = field(default_factory=dict)
    chain_records: dict[str, int] = field(default_factory=dict)
    chain_documents: dict[str, int] = field(default_factory=dict)
    signature: str = "absent"  # absent | not checked | valid | invalid
    key_fingerprint: str | None = None
    anchored_in: str | None = None  # the chain that holds the anchored head


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


def _check_chains(collection: Collection, report: BundleReport) -> Chains:
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
        report.chain_records[chain.rel] = sub.records
        source = expected.get(chain.rel, {})
        if not sub.problems and source.get("head") not in (None, sub.head):
            report.problems.append(
                f"{chain.rel}: chain head {sub.head[:16]} is not the one {MANIFEST_FILE} "
                f"recorded ({str(source['head'])[:16]}): records were added or removed at the end"
            )
        chains.append((chain, by_hash))
    return chains


def _shard_lines(rel: str, path: Path) -> Iterator[Line]:
    if path.suffix == ".parquet":
        for number, record in enumerate(read_parquet(path), start=1):
            yield rel, number, record
        return
    for number, parsed, raw in read_jsonl(path):
        yield rel, number, parsed if parsed is not None else line_problem(raw)


def _readable(collection: Collection, report: BundleReport) -> Iterator[Line]:
    """Every document line; a data file that cannot be read ends the check with a problem."""
    for rel, path in collection.data_files:
        if not path.is_file():
            report.problems.append(f"{rel}: missing")
            return
        try:
            for line in _shard_lines(rel, path):
                try:
                    canonical_json(line[2])
                except (TypeError, ValueError) as exc:  # damaged Parquet can decode to bytes
                    report.problems.append(f"{rel}:{line[1]}: cannot be decoded ({exc})")
                    return
                yield line
        except Exception as exc:  # a damaged Parquet file raises pyarrow's own errors
            report.problems.append(f"{rel}: cannot be read ({type(exc).__name__}: {exc})")
            return


def _check_one_chain(
    lines: Iterable[Line], chain: Chain, by_hash: Any, report: BundleReport
) -> None:
    sub = VerifyReport()
    verify_dataset(lines, by_hash, sub)
    report.dataset_records += sub.dataset_records
    report.chain_documents[chain.rel] = sub.dataset_records
    report.problems += _relabel(sub.problems, PROVENANCE_FILE, chain.rel)


def _check_dataset(collection: Collection, chains: Chains, report: BundleReport) -> None:
    if len(chains) == 1:
        _check_one_chain(_readable(collection, report), *chains[0], report)
        return
    owner = {digest: chain.rel for chain, by_hash in chains for digest in by_hash}
    for rel, number, record in _readable(collection, report):
        if isinstance(record, str):
            report.problems.append(f"{rel}:{number}: {record}")
            return
        if str(record.get("provenance")) not in owner:
            report.problems.append(
                f"{rel}:{number}: no provenance record has hash {record.get('provenance')}"
            )
            return
    for chain, by_hash in chains:
        lines: Iterable[Line] = (
            line
            for line in _readable(collection, report)
            if not isinstance(line[2], str)
            and owner.get(str(line[2].get("provenance"))) == chain.rel
        )
        _check_one_chain(lines, chain, by_hash, report)
        if report.problems:
            return


def _named_policies(collection: Collection) -> dict[str, str]:
    """sha256 -> name of every policy the provenance records name, in order of first mention."""
    named: dict[str, str] = {}
    for _chain, _number, record in collection.provenance():
        policy = (record or {}).get("policy")
        if isinstance(policy, dict) and policy.get("sha256"):
            named.setdefault(str(policy["sha256"]), str(policy.get("name")))
    return named


def _policies(root: Path, collection: Collection, report: BundleReport) -> list[dict[str, Any]]:
    """The policy entries export writes, each file checked against the sha256 provenance names."""
    named = _named_policies(collection)
    entries = []
    for sha, name in named.items():
        rel = "policy.yaml" if len(named) == 1 else f"policies/{sha}.yaml"
        if not (root / rel).is_file() or file_sha256(root / rel) != sha:
            report.problems.append(
                f"{rel}: not the policy file provenance names ({name}, sha256 {sha[:16]})"
            )
        entries.append({"name": name, "sha256": sha, "path": rel})
    return entries


def _shards(root: Path) -> tuple[str | None, list[str]]:
    """(format, shard names) that the files under data/ call for."""
    present = [rel for rel in bundle_files(root) if rel.startswith("data/")]
    suffixes = {Path(rel).suffix.lstrip(".") for rel in present}
    fmt = next(iter(suffixes)) if len(suffixes) == 1 and suffixes <= set(FORMATS) else None
    return fmt, [shard_name(i, len(present), fmt or "?") for i in range(len(present))]


def _summary_file(root: Path) -> dict[str, Any]:
    try:
        summary = strict_loads((root / SUMMARY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # the file check reports a missing or altered summary.json
    return summary if isinstance(summary, dict) else {}


def recomputed_summary(root: Path, collection: Collection, report: BundleReport) -> dict[str, Any]:
    """The figures export would write for this bundle, from its data and provenance alone.

    When and by what it was made cannot be recomputed: those come from summary.json, so a
    MANIFEST.json edited alone still disagrees with it."""
    written = _summary_file(root)
    fmt, _names = _shards(root)
    sources = [
        {
            "name": chain.name,
            "provenance": chain.rel,
            "records": report.chain_records.get(chain.rel),
            "head": report.heads.get(chain.rel),
            "documents": report.chain_documents.get(chain.rel, 0),
        }
        for chain in collection.chains
    ]
    return {
        "created_at": written.get("created_at"),
        "generated_by": written.get("generated_by"),
        "format": fmt,
        "sources": sources,
        "policies": _policies(root, collection, report),
        **compute(collection),
    }


def _shown(value: Any) -> str:
    if value is ABSENT:
        return "nothing"
    text = canonical_json(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _instant(text: Any) -> datetime | None:
    """An RFC 3339 time (with its offset), or None."""
    try:
        value = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def _check_created_at(created_at: Any, collection: Collection, report: BundleReport) -> None:
    made = _instant(created_at)
    if made is None:
        report.problems.append(f"{MANIFEST_FILE}: `created_at` {_shown(created_at)} is not a time")
        return
    times = [(_instant(r.get("time")), r.get("time")) for _c, _n, r in collection.provenance() if r]
    latest = max(((t, text) for t, text in times if t is not None), default=None)
    if latest is not None and made < latest[0] - CLOCK_SKEW:
        report.problems.append(
            f"{MANIFEST_FILE}: `created_at` {created_at} is before the last provenance record "
            f"({latest[1]}): a bundle is made after its crawl"
        )


def _check_figures(
    root: Path, manifest: dict[str, Any], collection: Collection, report: BundleReport
) -> None:
    """Every figure MANIFEST.json states, against the same figure recomputed from the bundle."""
    try:
        s = recomputed_summary(root, collection, report)
    except (AttributeError, TypeError, ValueError) as exc:  # a chained record of a forged shape
        report.problems.append(f"{MANIFEST_FILE}: its figures cannot be recomputed ({exc})")
        return
    _fmt, shards = _shards(root)
    stated = {k: v for k, v in manifest.items() if k != "files"}
    for path, was, should in differences(stated, figures(s, shards)):
        report.problems.append(
            f"{MANIFEST_FILE}: `{path}` states {_shown(was)}; recomputed from the bundle: "
            f"{_shown(should)}"
        )
    _check_created_at(manifest.get("created_at"), collection, report)


def _check_files(root: Path, manifest: dict[str, Any], report: BundleReport) -> None:
    listed = set()
    for entry in manifest["files"]:
        rel = str(entry.get("path")) if isinstance(entry, dict) else repr(entry)
        listed.add(rel)
        path = root / rel
        if not isinstance(entry, dict):
            report.problems.append(f"{MANIFEST_FILE}: {rel} in `files` is not a file entry")
        elif Path(rel).is_absolute() or ".." in Path(rel).parts:
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


def _check_anchor(chains: Chains, head: str, report: BundleReport) -> None:
    for chain, by_hash in chains:
        if records_after(by_hash, head) is not None:
            check_anchor(by_hash, head, chain.rel, report)
            report.anchored_in = chain.rel
            return
    report.problems.append(
        f"the anchored head {head[:16]} is in none of the bundle's chains: records were cut "
        "from the end, or a log was rewritten, after it was anchored"
    )


def verify_bundle(
    root: Path | str, key_path: Path | str | None = None, head: str | None = None
) -> BundleReport:
    """Signature (with a key), chains, dataset records, figures, then every file's hash."""
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
    if not report.problems:  # the figures are only worth recomputing from readable data
        _check_figures(root, manifest, collection, report)
    if head is not None and chains:
        _check_anchor(chains, head, report)
    _check_files(root, manifest, report)
    if len(report.heads) == 1:
        report.head = next(iter(report.heads.values()))
    return report
