"""The one-call analysis path gives exactly the outputs of the stage-by-stage path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers import read_jsonl, run_ccrawl, write_policy
from tests.mockserver import FixtureServer
from tests.test_content_rules import build_site

VOLATILE = {
    "time",
    "fetched_at",
    "requested_at",
    "prev",
    "hash",
    "provenance",
    "id",
    "document_sha256",
}


def outputs(out: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    def strip(record: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in record.items() if k not in VOLATILE}

    documents = {d["url"]: strip(d) for d in read_jsonl(out / "dataset.jsonl")}
    finals = {r["url"]: strip(r) for r in read_jsonl(out / "provenance.jsonl") if r["final"]}
    return documents, finals


def test_one_call_and_stage_by_stage_paths_agree(site: FixtureServer, tmp_path: Path) -> None:
    build_site(site)
    policy = write_policy(
        tmp_path,
        [site.url("/")],
        licences={"accept": ["CC-BY-*"], "reject": ["CC-BY-ND-*"], "unknown": "quarantine"},
        # one request at a time: which of two identical pages is kept first must not differ
        politeness={"max_concurrency": 1},
    )
    results = []
    for one_call in ("False", "True"):
        out = tmp_path / one_call
        result = run_ccrawl(
            "crawl",
            str(policy),
            "--quiet",
            "--output",
            str(out),
            "-s",
            f"CCRAWL_ONE_CALL_ANALYSIS={one_call}",
        )
        assert result.returncode == 0, result.stderr[-3000:]
        results.append(outputs(out))
    (stage_docs, stage_finals), (chain_docs, chain_finals) = results
    assert stage_docs and stage_docs == chain_docs
    differences = {
        (url, key): (record.get(key), chain_finals.get(url, {}).get(key))
        for url, record in stage_finals.items()
        for key in set(record) | set(chain_finals.get(url, {}))
        if record.get(key) != chain_finals.get(url, {}).get(key)
    }
    assert not differences, differences
    assert set(stage_finals) == set(chain_finals)
