"""Attacks on verification, played on a real crawl output and a real exported bundle.

One crawl (accepted pages, a robots refusal, quarantined pages a reviewer approved, rejected or
left pending) and its export feed every test; each test tampers with its own copy.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crawler.bundle.export import export
from crawler.bundle.verify import verify_bundle
from crawler.provenance import GENESIS, record_hash, verify_output
from crawler.review import Review
from tests.helpers import article, crawl, read_jsonl, run_ccrawl, write_policy
from tests.mockserver import FixtureServer

CC_BY = '<link rel="license" href="https://creativecommons.org/licenses/by/4.0/">'
SHARD = "data/train-00000-of-00001.jsonl"


@dataclass
class Outputs:
    crawl: Path  # 3 accepted pages + 1 approved, 1 rejected, 1 pending; decisions last in the log
    bundle: Path  # its export, unsigned
    signed: Path  # its export, signed with key.key
    key: Path  # the public key of `signed`
    private_url: str  # the page robots.txt refused


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outputs]:
    server = FixtureServer()
    try:
        server.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        links = ["/open0.html", "/open1.html", "/held0.html", "/held1.html", "/held2.html"]
        server.add("/", article("Home", links=[*links, "/private/x.html"], extra_head=CC_BY))
        for name in links:
            text = f"Story {name} from the quay, told by the harbour master. " * 12
            head = CC_BY if name.startswith("/open") else ""
            server.add(name, article(name, body_text=text, extra_head=head))
        work = tmp_path_factory.mktemp("verify")
        licences = {"accept": ["CC-BY-4.0"], "unknown": "quarantine"}
        crawl(write_policy(work, [server.url("/")], licences=licences))
        out = work / "out"
        review = Review(out)
        held = sorted(review.store.items(), key=lambda i: i.url)
        review.approve(held[0].id, "alice", "licence confirmed")
        review.reject(held[1].id, "alice", "not ours")
        review.close()
        assert run_ccrawl("keygen", "--out", str(work / "key")).returncode == 0
        bundle = export([out], work / "bundle").root
        signed = export([out], work / "signed", sign_key=work / "key.key").root
        yield Outputs(out, bundle, signed, work / "key.pub", server.url("/private/x.html"))
    finally:
        server.close()


def copy(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / source.name
    shutil.copytree(source, target)
    return target


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def verify(path: Path, *extra: str) -> tuple[int, str]:
    result = run_ccrawl("provenance", "verify", str(path), *extra)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout


def rewrite_manifest(bundle: Path, change: Any) -> None:
    path = bundle / "MANIFEST.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")


def relist(bundle: Path, rel: str) -> None:
    """What a forger does after editing a file: put its new sha256 and size in MANIFEST.json."""
    data = (bundle / rel).read_bytes()

    def change(manifest: dict[str, Any]) -> None:
        for entry in manifest["files"]:
            if entry["path"] == rel:
                entry.update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))

    rewrite_manifest(bundle, change)


def test_fresh_outputs_verify(outputs: Outputs) -> None:
    code, stdout = verify(outputs.crawl)
    assert code == 0 and stdout.startswith("OK: "), stdout
    code, stdout = verify(outputs.bundle)
    assert code == 0 and "its figures match the data" in stdout, stdout
    assert "only a signature proves who made it" in stdout
    decisions = [r for r in read_jsonl(outputs.crawl / "provenance.jsonl") if r.get("reviewer")]
    assert len(decisions) == 2 and len(read_jsonl(outputs.crawl / "dataset.jsonl")) == 4


# --- 11: every figure MANIFEST.json states is recomputed -------------------------------------

EDITS = {
    "counts.documents": lambda m: m["counts"].update(documents=m["counts"]["documents"] + 1),
    "data.documents": lambda m: m["data"].update(documents=m["data"]["documents"] - 1),
    "counts.records": lambda m: m["counts"].update(records=m["counts"]["records"] * 2),
    "counts.outcomes.accepted": lambda m: m["counts"]["outcomes"].update(accepted=99),
    "time_span.time.from": lambda m: m["time_span"]["time"].update({"from": "2020-01-01T00:00Z"}),
    "time_span.fetched_at.to": lambda m: m["time_span"]["fetched_at"].update(to="2030-01-01"),
    "bundle_version": lambda m: m.update(bundle_version=2),
    "crawler.version": lambda m: m["crawler"].update(version="9.9.9"),
    "sources[0].documents": lambda m: m["sources"][0].update(documents=1),
    "chain_heads.provenance.jsonl": lambda m: m["chain_heads"].update({"provenance.jsonl": "0"}),
    "policies[0].name": lambda m: m["policies"][0].update(name="a-nicer-policy"),
}


@pytest.mark.parametrize("figure", sorted(EDITS))
def test_a_manifest_figure_edited_alone_is_named(
    outputs: Outputs, tmp_path: Path, figure: str
) -> None:
    bundle = copy(outputs.bundle, tmp_path)
    rewrite_manifest(bundle, EDITS[figure])
    problems = verify_bundle(bundle).problems
    assert any(p.startswith(f"MANIFEST.json: `{figure}` states ") for p in problems), problems


def test_an_edited_document_count_fails_the_command(outputs: Outputs, tmp_path: Path) -> None:
    bundle = copy(outputs.bundle, tmp_path)
    rewrite_manifest(bundle, EDITS["counts.documents"])
    code, stdout = verify(bundle)
    assert code == 1
    assert "BROKEN: MANIFEST.json: `counts.documents` states 5; recomputed from the bundle: 4" in (
        stdout
    )


def test_a_swapped_policy_file_is_not_the_one_provenance_names(
    outputs: Outputs, tmp_path: Path
) -> None:
    bundle = copy(outputs.bundle, tmp_path)
    policy = bundle / "policy.yaml"
    policy.write_text(policy.read_text().replace("quarantine", "drop"))
    relist(bundle, "policy.yaml")
    sha = hashlib.sha256(policy.read_bytes()).hexdigest()
    rewrite_manifest(bundle, lambda m: m["policies"][0].update(sha256=sha))
    problems = verify_bundle(bundle).problems
    assert any(p.startswith("policy.yaml: not the policy file provenance names") for p in problems)


def test_a_creation_time_before_the_crawl_is_refused(outputs: Outputs, tmp_path: Path) -> None:
    bundle = copy(outputs.bundle, tmp_path)
    early = "2001-01-01T00:00:00.000Z"
    summary = json.loads((bundle / "summary.json").read_text())
    summary["created_at"] = early
    (bundle / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    relist(bundle, "summary.json")
    rewrite_manifest(bundle, lambda m: m.update(created_at=early))
    problems = verify_bundle(bundle).problems
    assert [p for p in problems if "created_at" in p] == [
        f"MANIFEST.json: `created_at` {early} is before the last provenance record "
        f"({read_jsonl(bundle / 'provenance.jsonl')[-1]['time']}): a bundle is made after its crawl"
    ]


def test_only_the_key_tells_a_consistent_forgery(outputs: Outputs, tmp_path: Path) -> None:
    """The known limit: forged together, summary.json and MANIFEST.json agree; a signature
    checked with a trusted key is what proves the bundle's origin."""
    bundle = copy(outputs.signed, tmp_path)
    summary = json.loads((bundle / "summary.json").read_text())
    summary["generated_by"]["version"] = "9.9.9"
    (bundle / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    relist(bundle, "summary.json")
    rewrite_manifest(bundle, lambda m: m["crawler"].update(version="9.9.9"))
    code, stdout = verify(bundle)
    assert code == 0 and "Signature: present, not checked" in stdout, stdout
    code, stdout = verify(bundle, "--key", str(outputs.key))
    assert code == 1 and "BROKEN: MANIFEST.json.sig: the signature does not match" in stdout


# --- 12: one document per accepted record ----------------------------------------------------


def test_a_duplicated_dataset_line_is_found_in_a_crawl_output(
    outputs: Outputs, tmp_path: Path
) -> None:
    out = copy(outputs.crawl, tmp_path)
    dataset = out / "dataset.jsonl"
    lines = lines_of(dataset)
    dataset.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    code, stdout = verify(out)
    assert code == 1
    digest = json.loads(lines[1])["provenance"]
    assert (
        f"BROKEN: dataset.jsonl:{len(lines) + 1}: a second document for the provenance record "
        f"{digest[:16]} (the first is dataset.jsonl:2); an accepted record has exactly one"
    ) in stdout.splitlines()


def test_a_duplicated_data_line_is_found_in_a_bundle(outputs: Outputs, tmp_path: Path) -> None:
    bundle = copy(outputs.bundle, tmp_path)
    lines = lines_of(bundle / SHARD)
    (bundle / SHARD).write_text("".join([lines[0], *lines]), encoding="utf-8")
    relist(bundle, SHARD)
    rewrite_manifest(bundle, EDITS["counts.documents"])  # the forger's figures agree
    rewrite_manifest(bundle, lambda m: m["data"].update(documents=m["counts"]["documents"]))
    code, stdout = verify(bundle)
    assert code == 1
    assert f"BROKEN: {SHARD}:2: a second document for the provenance record" in stdout


# --- 13: the quarantine store against the chain ----------------------------------------------


def store(out: Path, sql: str, *args: str) -> None:
    db = sqlite3.connect(out / "quarantine.sqlite")
    with db:
        db.execute(sql, args)
    db.close()


def test_a_decision_cut_from_the_end_of_the_log_is_found(outputs: Outputs, tmp_path: Path) -> None:
    out = copy(outputs.crawl, tmp_path)
    log = out / "provenance.jsonl"
    lines = lines_of(log)
    rejection = json.loads(lines[-1])
    assert rejection["reasons"] == ["review-rejected"]
    log.write_text("".join(lines[:-1]), encoding="utf-8")  # still a valid chain
    code, stdout = verify(out)
    assert code == 1
    problem = next(p for p in stdout.splitlines() if "quarantine.sqlite: item" in p)
    assert rejection["url"] in problem and "rejected by alice at" in problem
    assert problem.endswith(
        f"its decision record {rejection['hash'][:16]} is not in provenance.jsonl: the log was "
        "cut or rewritten"
    )


def test_a_store_reset_to_pending_or_emptied_is_found(outputs: Outputs, tmp_path: Path) -> None:
    out = copy(outputs.crawl, tmp_path)
    records = read_jsonl(out / "provenance.jsonl")
    approval = next(i for i, r in enumerate(records, 1) if r["reasons"] == ["review-approved"])
    store(
        out,
        "UPDATE items SET status = 'pending', decision_provenance = NULL WHERE status = ?",
        "approved",
    )
    pending = next(i for i, r in enumerate(records, 1) if r["outcome"] == "quarantined")
    store(out, "DELETE FROM items WHERE provenance = ?", records[pending - 1]["hash"])
    code, stdout = verify(out)
    assert code == 1
    assert f"BROKEN: provenance.jsonl:{approval}: review decision for " in stdout
    assert "is not the decision quarantine.sqlite holds" in stdout
    assert (
        f"BROKEN: provenance.jsonl:{pending}: quarantined record for "
        f"{records[pending - 1]['url']} has no item in quarantine.sqlite"
    ) in stdout.splitlines()

    (out / "quarantine.sqlite").unlink()
    code, stdout = verify(out)
    assert code == 1 and "BROKEN: quarantine.sqlite: missing, yet 3 records were quarantined" in (
        stdout
    )


# --- lows: parsing -----------------------------------------------------------------------------


def test_a_deeply_nested_manifest_is_a_problem_not_a_crash(
    outputs: Outputs, tmp_path: Path
) -> None:
    bundle = copy(outputs.bundle, tmp_path)
    (bundle / "MANIFEST.json").write_text('{"files": ' + "[" * 100_000 + "]" * 100_000 + "}")
    code, stdout = verify(bundle)
    assert code == 1
    assert stdout == "BROKEN: MANIFEST.json: not valid JSON (nested deeper than 100 levels)\n"


def test_a_deeply_nested_provenance_line_is_a_problem_not_a_crash(
    outputs: Outputs, tmp_path: Path
) -> None:
    out = copy(outputs.crawl, tmp_path)
    with open(out / "provenance.jsonl", "a") as log:
        log.write('{"url": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    code, stdout = verify(out)
    number = len(lines_of(out / "provenance.jsonl"))
    assert code == 1 and f"BROKEN: provenance.jsonl:{number}: nested deeper than 100" in stdout


def test_a_duplicate_key_in_a_provenance_line_is_named(outputs: Outputs, tmp_path: Path) -> None:
    out = copy(outputs.crawl, tmp_path)
    log = out / "provenance.jsonl"
    lines = lines_of(log)
    number, line = next(
        (n, line) for n, line in enumerate(lines, 1) if '"outcome":"refused"' in line
    )
    # A reader that keeps the first value sees an accepted page; json.loads keeps the last one,
    # so the record hashes as before and the chain alone does not notice.
    forged = '{"outcome":"accepted",' + line[1:]
    assert json.loads(forged) == json.loads(line)
    lines[number - 1] = forged
    log.write_text("".join(lines), encoding="utf-8")
    code, stdout = verify(out)
    assert code == 1
    assert stdout.splitlines()[0] == f"BROKEN: provenance.jsonl:{number}: duplicate key 'outcome'"


def test_a_duplicate_key_in_a_dataset_line_is_named(outputs: Outputs, tmp_path: Path) -> None:
    for target in (copy(outputs.crawl, tmp_path / "dir"), copy(outputs.bundle, tmp_path / "b")):
        rel = "dataset.jsonl" if (target / "dataset.jsonl").is_file() else SHARD
        lines = lines_of(target / rel)
        lines[2] = '{"text":"words nobody wrote",' + lines[2][1:]
        (target / rel).write_text("".join(lines), encoding="utf-8")
        code, stdout = verify(target)
        assert code == 1
        assert stdout.splitlines()[0] == f"BROKEN: {rel}:3: duplicate key 'text'", stdout


# --- anchors: the outside reference that truncation and rewriting cannot forge ---------------


def rechain_without(out: Path, url: str) -> None:
    """A forger's consistent rewrite: drop one record, recompute every later hash, and point the
    dataset and the quarantine store at the new hashes. Without an anchor this verifies."""
    new: dict[str, str] = {}
    prev, lines = GENESIS, []
    for record in read_jsonl(out / "provenance.jsonl"):
        if record["url"] == url:
            continue
        if record.get("supersedes"):
            record["supersedes"] = new[record["supersedes"]]
        record["prev"] = prev
        old, record["hash"] = record["hash"], record_hash(record)
        new[old] = prev = record["hash"]
        lines.append(json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n")
    (out / "provenance.jsonl").write_text("".join(lines), encoding="utf-8")
    docs = read_jsonl(out / "dataset.jsonl")
    for doc in docs:
        doc["provenance"] = new[doc["provenance"]]
    (out / "dataset.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs))
    for old, fresh in new.items():
        store(out, "UPDATE items SET provenance = ? WHERE provenance = ?", fresh, old)
        store(
            out,
            "UPDATE items SET decision_provenance = ? WHERE decision_provenance = ?",
            fresh,
            old,
        )


def anchor(path: Path) -> tuple[str, int]:
    result = run_ccrawl("provenance", "anchor", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    head, records, _label, rel = result.stdout.split()
    assert rel == "provenance.jsonl"
    return head, int(records)


def test_anchor_prints_the_head_and_later_records_are_counted(
    outputs: Outputs, tmp_path: Path
) -> None:
    out = copy(outputs.crawl, tmp_path)
    records = read_jsonl(out / "provenance.jsonl")
    assert anchor(out) == (records[-1]["hash"], len(records))
    listed = json.loads(run_ccrawl("provenance", "anchor", str(out), "--json").stdout)
    assert listed == {"provenance.jsonl": {"head": records[-1]["hash"], "records": len(records)}}
    assert anchor(outputs.bundle) == anchor(out)  # the export carries the same chain

    head = records[-1]["hash"]
    review = Review(out)
    review.approve(review.store.items(status="pending")[0].id, "bob")  # the log goes on
    review.close()
    code, stdout = verify(out, "--head", head.upper())
    assert code == 0, stdout
    assert f"Anchor: head {head[:16]} is in the chain; 1 records follow it" in stdout
    code, stdout = verify(outputs.bundle, "--head", head)
    assert code == 0 and "Anchor: head" in stdout and "0 records follow it" in stdout
    assert run_ccrawl("provenance", "verify", str(out), "--head", "abc").returncode == 2


def test_a_rewritten_chain_verifies_alone_but_not_against_its_anchor(
    outputs: Outputs, tmp_path: Path
) -> None:
    out = copy(outputs.crawl, tmp_path)
    head, _records = anchor(out)
    rechain_without(out, outputs.private_url)
    assert outputs.private_url not in (out / "provenance.jsonl").read_text()
    assert verify_output(out, require_store=True).ok  # the known limit, without an anchor
    code, stdout = verify(out, "--head", head)
    assert code == 1
    assert stdout.splitlines() == [
        f"BROKEN: provenance.jsonl: the anchored head {head[:16]} is not in the chain: records "
        "were cut from the end, or the log was rewritten, after it was anchored"
    ]


def test_a_cut_tail_is_found_against_its_anchor(outputs: Outputs, tmp_path: Path) -> None:
    out = copy(outputs.crawl, tmp_path)
    head, _records = anchor(out)
    log = out / "provenance.jsonl"
    log.write_text("".join(lines_of(log)[:-1]), encoding="utf-8")
    code, stdout = verify(out, "--head", head)
    assert code == 1 and f"the anchored head {head[:16]} is not in the chain" in stdout
