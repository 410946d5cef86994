"""The provenance chain and its verifier: intact logs pass, any edit is found with its line."""

from __future__ import annotations

import itertools
import json
import multiprocessing
from pathlib import Path

from crawler.dataset import DatasetWriter
from crawler.provenance import GENESIS, ProvenanceLog, record_hash, verify_output
from tests.helpers import article, crawl, read_jsonl, run_ccrawl, write_policy
from tests.mockserver import FixtureServer


def make_log(directory: Path, n: int = 5) -> list[dict[str, object]]:
    log = ProvenanceLog(directory / "provenance.jsonl")
    dataset = DatasetWriter(directory / "dataset.jsonl")
    written = []
    for i in range(n):
        outcome = "accepted" if i % 2 == 0 else "dropped"
        record = log.append(
            {"url": f"https://e.org/{i}", "outcome": outcome, "content_sha256": f"{i}"}
        )
        if outcome == "accepted":
            dataset.append(
                {"url": record["url"], "content_sha256": f"{i}", "provenance": record["hash"]}
            )
        written.append(record)
    log.close()
    dataset.close()
    return written


def test_chain_links_each_record_to_the_one_before(tmp_path: Path) -> None:
    records = make_log(tmp_path)
    assert records[0]["prev"] == GENESIS
    for before, after in itertools.pairwise(records):
        assert after["prev"] == before["hash"]
    assert all(r["hash"] == record_hash(r) for r in records)
    report = verify_output(tmp_path)
    assert report.ok and report.records == 5 and report.dataset_records == 3


def test_edited_record_is_found_with_its_line(tmp_path: Path) -> None:
    make_log(tmp_path)
    path = tmp_path / "provenance.jsonl"
    lines = path.read_text().splitlines()
    lines[2] = lines[2].replace('"dropped"', '"accepted"').replace('"accepted"', '"acceptex"', 0)
    record = json.loads(lines[2])
    record["outcome"] = "refused"
    lines[2] = json.dumps(record, sort_keys=True, separators=(",", ":"))
    path.write_text("\n".join(lines) + "\n")
    report = verify_output(tmp_path)
    assert not report.ok
    assert report.problems[0].startswith("provenance.jsonl:3: `hash` does not match")


def test_deleted_record_breaks_the_chain(tmp_path: Path) -> None:
    make_log(tmp_path)
    path = tmp_path / "provenance.jsonl"
    lines = path.read_text().splitlines()
    del lines[1]
    path.write_text("\n".join(lines) + "\n")
    assert verify_output(tmp_path).problems[0].startswith("provenance.jsonl:2: `prev` does not")


def test_dataset_record_must_match_its_provenance(tmp_path: Path) -> None:
    make_log(tmp_path)
    path = tmp_path / "dataset.jsonl"
    docs = read_jsonl(path)
    docs[1]["content_sha256"] = "forged"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs))
    assert verify_output(tmp_path).problems == [
        "dataset.jsonl:2: `content_sha256` differs from its provenance record"
    ]


def test_torn_last_line_is_moved_aside_not_lost(tmp_path: Path) -> None:
    make_log(tmp_path, 3)
    path = tmp_path / "provenance.jsonl"
    with open(path, "ab") as handle:
        handle.write(b'{"url":"https://e.org/torn","outc')
    log = ProvenanceLog(path)
    assert log.torn is not None and log.torn.length == len(b'{"url":"https://e.org/torn","outc')
    log.append({"url": "https://e.org/after", "outcome": "dropped"})
    log.close()
    assert (
        (tmp_path / "provenance.jsonl.torn").read_bytes().startswith(b'{"url":"https://e.org/torn"')
    )
    assert verify_output(tmp_path).ok


def _append_many(path: str, worker: int) -> None:
    log = ProvenanceLog(path)
    for i in range(200):
        log.append({"url": f"https://e.org/{worker}/{i}", "outcome": "dropped"})
    log.close()


def test_two_processes_appending_keep_one_chain(tmp_path: Path) -> None:
    path = str(tmp_path / "provenance.jsonl")
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_append_many, args=(path, w)) for w in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    report = verify_output(tmp_path)
    assert report.ok, report.problems
    assert report.records == 400


def test_verify_command_on_a_real_crawl_and_after_tampering(
    site: FixtureServer, tmp_path: Path
) -> None:
    site.add("/", article("Home", links=["/a.html"]))
    site.add("/a.html", article("A story"))
    crawl(write_policy(tmp_path, [site.url("/")]))
    out = tmp_path / "out"
    good = run_ccrawl("provenance", "verify", str(out))
    assert good.returncode == 0 and good.stdout.startswith("OK: "), good.stdout

    dataset = out / "dataset.jsonl"
    original = dataset.read_text(encoding="utf-8")
    dataset.write_text(
        original.replace("harbour committee", "harbour c0mmittee", 1), encoding="utf-8"
    )
    edited = run_ccrawl("provenance", "verify", str(out))
    assert edited.returncode == 1
    assert "the document differs from the one provenance recorded" in edited.stdout
    dataset.write_text(original, encoding="utf-8")

    provenance = out / "provenance.jsonl"
    text = provenance.read_text(encoding="utf-8")
    provenance.write_text(text.replace('"status":200', '"status":201', 1), encoding="utf-8")
    bad = run_ccrawl("provenance", "verify", str(out))
    assert bad.returncode == 1
    assert "BROKEN: provenance.jsonl:" in bad.stdout
