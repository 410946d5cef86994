"""Dataset bundles, end to end: real crawls of fixture servers exported, verified and read back.

Two crawls (two "workers" with different policies) feed every test in this module: one exported
as JSONL, as sharded Parquet, signed, and both together as a multi-source bundle.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import stat
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crawler.bundle.export import export
from crawler.bundle.formats import read_parquet
from crawler.bundle.report import tally
from crawler.bundle.text import token_count
from crawler.bundle.verify import verify_bundle
from crawler.review import Review
from tests.helpers import article, crawl, read_jsonl, run_ccrawl, write_policy
from tests.mockserver import FixtureServer

ARTICLES = {
    "/news/lighthouse.html": (
        "Lighthouse keepers remembered",
        "The old lighthouse on Gull Point was staffed by three families between 1871 and 1958. "
        "Their logbooks, recently found in a chapel loft, record every ship that passed, the "
        "weather at each watch and the price of paraffin delivered by the supply boat. Historians "
        "from the county archive spent the winter transcribing the entries, which describe a "
        "storm in 1903 that kept the keepers awake for four nights while the lamp was turned by "
        "hand after the clockwork failed. The archive will publish the transcriptions online "
        "next spring, together with photographs lent by descendants of the last keeper.",
    ),
    "/news/allotments.html": (
        "Allotment waiting list grows",
        "Two hundred and twelve households are now waiting for an allotment plot in the borough, "
        "according to figures released by the parks department on Monday. Some applicants have "
        "waited six years. The department proposes splitting the largest plots in half and "
        "opening a new site on the former railway sidings behind the bus depot, where soil tests "
        "found no contamination. Gardeners at the Mill Lane site objected that half plots are too "
        "small to grow potatoes in rotation, and asked instead for a rule that unused plots be "
        "reclaimed after one neglected season.",
    ),
    "/news/ferry.html": (
        "Ferry timetable changes",
        "From the first of March the morning ferry to the island will leave twenty minutes "
        "earlier, at ten past seven, so that commuters can connect with the fast train to the "
        "city. The operator says the change follows a survey of six hundred passengers in which "
        "most asked for an earlier crossing. The evening return is unchanged, but the late "
        "Saturday sailing will be withdrawn during the winter months because fewer than a dozen "
        "passengers used it on average last year. Season tickets bought before February remain "
        "valid on every crossing.",
    ),
}
CHINESE = (
    "港口茶馆",
    "港口边的老茶馆已经开了六十年。每天早上，渔民们在这里喝茶、看报纸，讨论天气和鱼价。"
    "老板说，茶馆的桌椅都是他父亲亲手做的，墙上挂着的照片记录了小镇几十年的变化。"
    "最近，年轻人也开始来这里写作业、听老人讲故事。周末的时候，镇上的合唱团会在二楼排练，"
    "歌声从窗户飘到码头上。游客们常常停下脚步，买一壶本地的绿茶，坐在门口看渔船回港。"
    "茶馆的菜单很简单：绿茶、红茶、菊花茶，还有老板娘每天早上做的芝麻饼。她说，"
    "只要镇上还有人愿意坐下来聊天，这家茶馆就会一直开下去。",
)
ROBOTS = "User-agent: *\nDisallow: /private/\nContent-Usage: /news/recipe.html train-ai=n\n"
REFUSALS = {
    "/private/staff.html": "robots-disallow",
    "/news/recipe.html": "ai-optout-content-usage",
    "/noai.html": "ai-optout-noai",
    "/tdm.html": "ai-optout-tdmrep",
    "/members.html": "login-wall",
}


def page_html(title: str, text: str, lang: str = "en", extra_head: str = "") -> str:
    return article(title, paragraphs=1, body_text=text, lang=lang, extra_head=extra_head)


def build_site(server: FixtureServer) -> None:
    server.add("/robots.txt", ROBOTS, content_type="text/plain")
    links = [*ARTICLES, "/zh/tea.html", *REFUSALS]
    server.add("/", article("Harbour news", paragraphs=2, links=links))
    for path, (title, text) in ARTICLES.items():
        server.add(path, page_html(title, text))
    server.add("/zh/tea.html", page_html(*CHINESE, lang="zh"))
    filler = ARTICLES["/news/ferry.html"][1]
    server.add("/private/staff.html", page_html("Staff", filler))
    server.add("/news/recipe.html", page_html("Fish stew", filler))
    server.add("/noai.html", page_html("No AI", filler), headers={"X-Robots-Tag": "noai"})
    tdm = '<meta name="tdm-reservation" content="1">'
    server.add("/tdm.html", page_html("TDM", filler, extra_head=tdm))
    server.add(
        "/members.html", "Sign in", status=401, headers={"WWW-Authenticate": 'Basic realm="m"'}
    )


def build_second_site(server: FixtureServer) -> None:
    server.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    links = [f"/story{i}.html" for i in range(3)]
    server.add("/", article("Second site", links=links, body_text="Index of the second site. "))
    for i, link in enumerate(links):
        server.add(link, article(f"Story {i}", body_text=f"Story number {i} from the quay. " * 12))


@dataclass
class Crawls:
    server: FixtureServer
    first: Path
    second: Path
    jsonl: Path
    parquet: Path
    both: Path
    work: Path
    approved: str  # the one quarantined page of the second crawl a reviewer approved


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawls]:
    first_server, second_server = FixtureServer(), FixtureServer()
    try:
        build_site(first_server)
        build_second_site(second_server)
        work = tmp_path_factory.mktemp("bundle")
        (work / "a").mkdir()
        (work / "b").mkdir()
        crawl(write_policy(work / "a", [first_server.url("/")]))
        policy = write_policy(
            work / "b",
            [second_server.url("/")],
            name="worker-b",
            licences={"unknown": "quarantine"},
        )
        crawl(policy)
        first, second = work / "a" / "out", work / "b" / "out"
        second = second.rename(work / "b" / "worker-b")
        review = Review(second)
        held = review.store.items()
        review.approve(held[0].id, "alice", "licence confirmed")
        review.reject(held[1].id, "alice", "not ours")
        review.close()
        jsonl = export([first], work / "bundle-jsonl").root
        parquet = export([first], work / "bundle-parquet", fmt="parquet", shard_docs=2).root
        both = export([first, second], work / "bundle-both").root
        yield Crawls(first_server, first, second, jsonl, parquet, both, work, held[0].url)
    finally:
        first_server.close()
        second_server.close()


def data_records(bundle: Path) -> list[dict[str, Any]]:
    manifest = json.loads((bundle / "MANIFEST.json").read_text())
    records: list[dict[str, Any]] = []
    for rel in manifest["data"]["files"]:
        path = bundle / rel
        records += list(read_parquet(path)) if path.suffix == ".parquet" else read_jsonl(path)
    return records


def current_finals(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    superseded = {r["supersedes"] for r in records if r.get("supersedes")}
    return [r for r in records if r.get("final") and r["hash"] not in superseded]


def copy_bundle(bundle: Path, tmp_path: Path) -> Path:
    target = tmp_path / bundle.name
    shutil.copytree(bundle, target)
    return target


def flip_byte(path: Path, needle: bytes) -> int:
    """Change one byte inside the first occurrence of needle; return the 1-based line number."""
    data = bytearray(path.read_bytes())
    at = data.index(needle)
    data[at] = ord("X") if data[at] != ord("X") else ord("Y")
    path.write_bytes(bytes(data))
    return data[:at].count(b"\n") + 1


# --- layout, formats, verification ---------------------------------------------------------


def test_export_writes_the_layout_and_verifies_in_both_formats(crawls: Crawls) -> None:
    originals = read_jsonl(crawls.first / "dataset.jsonl")
    assert len(originals) == 5  # the home page, three articles, the Chinese page
    for bundle, fmt in ((crawls.jsonl, "jsonl"), (crawls.parquet, "parquet")):
        names = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
        assert {
            "provenance.jsonl",
            "policy.yaml",
            "MANIFEST.json",
            "SUMMARY.md",
            "summary.json",
            "README.md",
            "metadata.json",
            "charts/licences.png",
            "charts/languages.png",
        } <= names
        assert not any("quarantine" in n for n in names)
        assert data_records(bundle) == originals
        result = run_ccrawl("provenance", "verify", str(bundle))
        assert result.returncode == 0, result.stdout
        assert "OK: bundle intact" in result.stdout and "5 dataset records match" in result.stdout
        manifest = json.loads((bundle / "MANIFEST.json").read_text())
        assert manifest["data"]["format"] == fmt
        listed = {f["path"]: f for f in manifest["files"]}
        assert set(listed) == names - {"MANIFEST.json"}
        for rel, entry in listed.items():
            assert entry["sha256"] == hashlib.sha256((bundle / rel).read_bytes()).hexdigest()
    shards = json.loads((crawls.parquet / "MANIFEST.json").read_text())["data"]["files"]
    assert shards == [f"data/train-0000{i}-of-00003.parquet" for i in range(3)]
    policy = (crawls.jsonl / "policy.yaml").read_bytes()
    copy = crawls.first / "policies" / f"{hashlib.sha256(policy).hexdigest()}.yaml"
    assert copy.read_bytes() == policy
    assert (crawls.jsonl / "provenance.jsonl").read_bytes() == (
        crawls.first / "provenance.jsonl"
    ).read_bytes()


def test_manifest_figures(crawls: Crawls) -> None:
    manifest = json.loads((crawls.jsonl / "MANIFEST.json").read_text())
    records = read_jsonl(crawls.first / "provenance.jsonl")
    assert manifest["crawler"]["name"] == "ccrawl" and manifest["crawler"]["version"]
    assert manifest["chain_heads"] == {"provenance.jsonl": records[-1]["hash"]}
    outcomes = Counter(r["outcome"] for r in current_finals(records))
    assert manifest["counts"]["outcomes"] == dict(outcomes)
    assert manifest["counts"]["records"] == len(records)
    times = sorted(r["time"] for r in records)
    assert manifest["time_span"]["time"] == {"from": times[0], "to": times[-1]}
    fetched = sorted(d["fetched_at"] for d in read_jsonl(crawls.first / "dataset.jsonl"))
    assert manifest["time_span"]["fetched_at"] == {"from": fetched[0], "to": fetched[-1]}


def test_a_changed_byte_is_found_with_its_file_and_line(crawls: Crawls, tmp_path: Path) -> None:
    bundle = copy_bundle(crawls.jsonl, tmp_path / "data")
    shard = "data/train-00000-of-00001.jsonl"
    line = flip_byte(bundle / shard, b"paraffin")
    result = run_ccrawl("provenance", "verify", str(bundle))
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"BROKEN: {shard}:{line}: "), result.stdout
    assert f"BROKEN: {shard}: sha256 or size differs from MANIFEST.json" in result.stdout

    bundle = copy_bundle(crawls.jsonl, tmp_path / "log")
    line = flip_byte(bundle / "provenance.jsonl", b'"outcome":"refused"')
    result = run_ccrawl("provenance", "verify", str(bundle))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith(f"BROKEN: provenance.jsonl:{line}: ")

    bundle = copy_bundle(crawls.parquet, tmp_path / "parquet")
    shard = "data/train-00001-of-00003.parquet"
    data = bytearray((bundle / shard).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (bundle / shard).write_bytes(bytes(data))
    report = verify_bundle(bundle)
    assert not report.ok and any(p.startswith(shard) for p in report.problems), report.problems


def test_extra_and_missing_files_are_named(crawls: Crawls, tmp_path: Path) -> None:
    bundle = copy_bundle(crawls.jsonl, tmp_path)
    (bundle / "charts" / "languages.png").unlink()
    (bundle / "data" / "extra.jsonl").write_text("{}\n")
    problems = verify_bundle(bundle).problems
    assert "charts/languages.png: missing (listed in MANIFEST.json)" in problems
    assert "data/extra.jsonl: not listed in MANIFEST.json" in problems


def test_signed_bundle_verifies_and_a_tampered_manifest_is_rejected(
    crawls: Crawls, tmp_path: Path
) -> None:
    prefix = tmp_path / "publisher"
    result = run_ccrawl("keygen", "--out", str(prefix))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(Path(f"{prefix}.key").stat().st_mode) == 0o600
    assert b"BEGIN PRIVATE KEY" in Path(f"{prefix}.key").read_bytes()
    assert run_ccrawl("keygen", "--out", str(prefix)).returncode == 2  # never overwrites
    bundle = tmp_path / "signed"
    result = run_ccrawl("export", str(crawls.first), "--to", str(bundle), "--sign", f"{prefix}.key")
    assert result.returncode == 0, result.stderr
    assert len((bundle / "MANIFEST.json.sig").read_bytes()) == 64
    ok = run_ccrawl("provenance", "verify", str(bundle), "--key", f"{prefix}.pub")
    assert ok.returncode == 0 and "Signature: valid" in ok.stdout, ok.stdout
    unchecked = run_ccrawl("provenance", "verify", str(bundle))
    assert unchecked.returncode == 0 and "not checked" in unchecked.stdout

    run_ccrawl("keygen", "--out", str(tmp_path / "other"))
    wrong = run_ccrawl("provenance", "verify", str(bundle), "--key", str(tmp_path / "other.pub"))
    assert wrong.returncode == 1 and "MANIFEST.json.sig" in wrong.stdout

    manifest = bundle / "MANIFEST.json"
    manifest.write_text(manifest.read_text().replace('"bundle_version": 1', '"bundle_version": 2'))
    tampered = run_ccrawl("provenance", "verify", str(bundle), "--key", f"{prefix}.pub")
    assert tampered.returncode == 1
    assert tampered.stdout.splitlines()[0] == (
        "BROKEN: MANIFEST.json.sig: the signature does not match MANIFEST.json under this key"
    )


def test_plain_output_dirs_still_verify(crawls: Crawls) -> None:
    result = run_ccrawl("provenance", "verify", str(crawls.first))
    assert result.returncode == 0 and result.stdout.startswith("OK: "), result.stdout
    assert run_ccrawl("provenance", "verify", str(crawls.first), "--key", "x.pub").returncode == 2


def test_several_sources_keep_their_own_chains(crawls: Crawls) -> None:
    bundle = crawls.both
    assert (bundle / "provenance" / "out.jsonl").read_bytes() == (
        crawls.first / "provenance.jsonl"
    ).read_bytes()
    assert (bundle / "provenance" / "worker-b.jsonl").is_file()
    assert not (bundle / "provenance.jsonl").exists()
    policies = sorted(p.name for p in (bundle / "policies").glob("*.yaml"))
    assert len(policies) == 2 and not (bundle / "policy.yaml").exists()
    report = verify_bundle(bundle)
    assert report.ok, report.problems
    assert set(report.heads) == {"provenance/out.jsonl", "provenance/worker-b.jsonl"}
    docs = data_records(bundle)
    approved = read_jsonl(crawls.second / "dataset.jsonl")
    assert len(approved) == 1 and docs == read_jsonl(crawls.first / "dataset.jsonl") + approved
    assert approved[0]["url"] == crawls.approved
    held_back = [i for i in range(3) if not crawls.approved.endswith(f"/story{i}.html")]
    everything = b"".join(p.read_bytes() for p in bundle.rglob("*") if p.is_file())
    for i in held_back:  # rejected or still pending: their text never leaves the crawl output
        assert f"Story number {i} from".encode() not in everything

    summary = json.loads((bundle / "summary.json").read_text())
    quarantine = summary["removal"]["quarantine"]
    assert quarantine["approved"] == 1 and quarantine["rejected"] == 1
    held = read_jsonl(crawls.second / "provenance.jsonl")
    pending = [r for r in current_finals(held) if r["outcome"] == "quarantined"]
    assert quarantine["held"] == {"licence-unknown": len(pending)}

    # A log cut short is still a valid chain: the head MANIFEST.json recorded catches it.
    broken = crawls.work / "both-broken"
    shutil.copytree(bundle, broken)
    log = broken / "provenance" / "worker-b.jsonl"
    log.write_text("".join(log.read_text().splitlines(keepends=True)[:-3]))
    problems = verify_bundle(broken).problems
    assert problems and problems[0].startswith("provenance/worker-b.jsonl: chain head")


def test_export_refuses_broken_sources_and_existing_targets(crawls: Crawls, tmp_path: Path) -> None:
    source = tmp_path / "broken"
    shutil.copytree(crawls.first, source)
    flip_byte(source / "dataset.jsonl", b"paraffin")
    result = run_ccrawl("export", str(source), "--to", str(tmp_path / "x"))
    assert result.returncode == 2 and "does not verify" in result.stderr
    assert not (tmp_path / "x").exists()
    result = run_ccrawl("export", str(crawls.first), "--to", str(crawls.jsonl))
    assert result.returncode == 2 and "not an empty directory" in result.stderr
    source = tmp_path / "nopolicy"
    shutil.copytree(crawls.first, source)
    shutil.rmtree(source / "policies")
    result = run_ccrawl("export", str(source), "--to", str(tmp_path / "y"))
    assert result.returncode == 2 and "policies/" in result.stderr


# --- data-team tools -------------------------------------------------------------------------


def test_hf_datasets_loads_both_formats_offline(
    crawls: Crawls, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf" / "datasets"))
    datasets = pytest.importorskip("datasets")
    originals = read_jsonl(crawls.first / "dataset.jsonl")
    urls = [d["url"] for d in originals]
    for bundle, kind in ((crawls.jsonl, "json"), (crawls.parquet, "parquet")):
        whole = datasets.load_dataset(str(bundle), split="train")
        assert list(whole["url"]) == urls
        assert list(whole["text"]) == [d["text"] for d in originals]
        suffix = "jsonl" if kind == "json" else "parquet"
        files = datasets.load_dataset(kind, data_files=f"{bundle}/data/*.{suffix}", split="train")
        assert list(files["provenance"]) == [d["provenance"] for d in originals]
    card = (crawls.jsonl / "README.md").read_text()
    assert card.startswith("---\nlicense:")
    assert "path: data/train-*.jsonl" in card and 'load_dataset("json"' in card


def test_croissant_metadata_loads_with_mlcroissant(crawls: Crawls) -> None:
    mlc = pytest.importorskip("mlcroissant")
    originals = read_jsonl(crawls.first / "dataset.jsonl")
    for bundle in (crawls.jsonl, crawls.parquet):
        metadata = json.loads((bundle / "metadata.json").read_text())
        for item in metadata["distribution"]:
            if item["@type"] == "cr:FileObject":
                data = (bundle / item["contentUrl"]).read_bytes()
                assert item["sha256"] == hashlib.sha256(data).hexdigest()
        dataset = mlc.Dataset(jsonld=bundle / "metadata.json")
        assert not dataset.metadata.ctx.issues.errors
        assert len(dataset.metadata.data_collection_timeframe) == 2
        assert dataset.metadata.sd_licence
        records = list(dataset.records("documents"))
        assert [r["documents/url"].decode() for r in records] == [d["url"] for d in originals]
        assert records[0]["documents/provenance"].decode() == originals[0]["provenance"]
        log = list(dataset.records("provenance"))
        assert len(log) == len(read_jsonl(crawls.first / "provenance.jsonl"))


# --- summary ---------------------------------------------------------------------------------


def test_summary_figures_match_the_provenance_log(crawls: Crawls) -> None:
    records = read_jsonl(crawls.jsonl / "provenance.jsonl")
    reasons = Counter(code for r in current_finals(records) for code in r["reasons"])
    for path, code in REFUSALS.items():
        final = [r for r in records if r["url"] == crawls.server.url(path) and r["final"]]
        assert final and final[-1]["reasons"] == [code], (path, final)
    summary = json.loads((crawls.jsonl / "summary.json").read_text())
    rights = summary["rights_reservations"]
    assert rights["ai_optouts"] == {k: v for k, v in reasons.items() if k.startswith("ai-optout-")}
    assert rights["ai_optouts"] == {
        "ai-optout-content-usage": 1,
        "ai-optout-noai": 1,
        "ai-optout-tdmrep": 1,
    }
    assert (
        rights["robots"]
        == {"robots-disallow": reasons["robots-disallow"]}
        == {"robots-disallow": 1}
    )
    assert rights["access"] == {"login-wall": 1}
    assert summary["provenance"]["reasons"] == dict(sorted(reasons.items()))

    docs = read_jsonl(crawls.first / "dataset.jsonl")
    assert summary["dataset"]["documents"] == len(docs)
    assert summary["dataset"]["bytes"] == sum(len(d["text"].encode()) for d in docs)
    assert summary["dataset"]["tokens"] == sum(token_count(d["text"]) for d in docs)
    languages = {r["language"]: r["documents"] for r in summary["languages"]}
    assert languages == dict(Counter(d["language"] for d in docs))
    categories = {r["category"]: r["documents"] for r in summary["categories"]}
    assert categories == {"news/magazine": 3, "other web": 2}
    assert [r["domain"] for r in summary["domains"]["top"]] == ["127.0.0.1"]

    text = (crawls.jsonl / "SUMMARY.md").read_text()
    for heading in (
        "## 1. General information",
        "### 1.3 Modalities, overall training data size and other characteristics",
        "### 2.3 Data crawled and scraped from online sources",
        "### 3.1 Respect of reservation of rights from the text and data mining exception",
        "### 3.2 Removal of illegal content",
    ):
        assert heading in text
    assert "| `ai-optout-noai` | 1 |" in text and "| `login-wall` | 1 |" in text
    assert "**Purpose:** training AI models" in text and "TestBot/" in text
    for chart in ("charts/licences.png", "charts/languages.png"):
        assert f"]({chart})" in text
        assert (crawls.jsonl / chart).read_bytes().startswith(b"\x89PNG")


# --- rights-holders --------------------------------------------------------------------------


def test_lookup_by_url_accepted_and_refused(crawls: Crawls) -> None:
    url = crawls.server.url("/news/ferry.html")
    result = run_ccrawl("lookup", str(crawls.parquet), "--url", url + "?utm_source=x#top", "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["in_dataset"] and found["query"]["canonical"] == url
    assert [d["url"] for d in found["documents"]] == [url]
    assert found["documents"][0]["where"].startswith("data/train-")
    assert [r["outcome"] for r in found["records"]] == ["accepted"]
    assert found["records"][0]["policy"]["sha256"]

    refused = crawls.server.url("/private/staff.html")
    result = run_ccrawl("lookup", str(crawls.jsonl), "--url", refused)
    assert result.returncode == 0
    assert "In the dataset: no" in result.stdout
    assert "refused     robots-disallow" in result.stdout
    assert "robots.txt rule: Disallow: /private/" in result.stdout

    missing = run_ccrawl("lookup", str(crawls.first), "--url", crawls.server.url("/nope.html"))
    assert missing.returncode == 1 and "Provenance records: 0" in missing.stdout


def test_lookup_by_text_finds_an_edited_copy(crawls: Crawls, tmp_path: Path) -> None:
    title, original = ARTICLES["/news/lighthouse.html"]
    edited = original.replace("three families", "two families").replace("winter", "spring")
    edited = f"{title}\n\n{edited} Reporting by our local history correspondent."
    (tmp_path / "mine.txt").write_text(edited)
    result = run_ccrawl("lookup", str(crawls.jsonl), "--text", str(tmp_path / "mine.txt"), "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    best = found["matches"][0]
    assert found["found"] and best["match"] and best["score"] >= 0.7, best
    assert best["document"]["url"] == crawls.server.url("/news/lighthouse.html")
    assert [r["outcome"] for r in best["records"]] == ["accepted"]
    assert all(
        m["document"]["url"] != crawls.server.url("/news/ferry.html") for m in found["matches"]
    )

    (tmp_path / "other.txt").write_text(
        "Quarterly earnings at the semiconductor maker beat analyst expectations as demand for "
        "data-centre chips rose, while the company warned that smartphone sales remain weak."
    )
    result = run_ccrawl("lookup", str(crawls.jsonl), "--text", str(tmp_path / "other.txt"))
    assert result.returncode == 1 and "In the dataset: no" in result.stdout


def test_report_rightsholders(crawls: Crawls) -> None:
    result = run_ccrawl("report", "rightsholders", str(crawls.both), "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    docs = data_records(crawls.both)
    expected: dict[str, Counter[str]] = {}
    for doc in docs:
        key = doc["rightsholder"] or "127.0.0.1"
        counter = expected.setdefault(key, Counter())
        counter.update(
            documents=1, bytes=len(doc["text"].encode()), tokens=token_count(doc["text"])
        )
    assert {r["name"]: {k: r[k] for k in ("documents", "bytes", "tokens")} for r in rows} == {
        k: dict(v) for k, v in expected.items()
    }
    human = run_ccrawl("report", "rightsholders", str(crawls.both))
    assert human.returncode == 0
    for row in rows:
        label = row["name"] if row["kind"] == "rightsholder" else f"(no holder named) {row['name']}"
        assert label in human.stdout
    assert f"{len(rows)} accounts, {len(docs)} documents" in human.stdout


def test_tally_groups_by_rightsholder_then_domain() -> None:
    docs = [
        {"url": "https://www.example.org/a", "rightsholder": "Jane Doe", "licence": "CC-BY-4.0",
         "text": "one two three"},
        {"url": "https://news.example.net/b", "rightsholder": "Jane Doe", "licence": "CC0-1.0",
         "text": "四五六 seven"},
        {"url": "https://www.example.org/c", "rightsholder": None, "licence": "unknown",
         "text": "eight"},
    ]  # fmt: skip
    rows = tally(docs)
    assert rows[0] == {
        "kind": "rightsholder",
        "name": "Jane Doe",
        "documents": 2,
        "bytes": len(b"one two three") + len("四五六 seven".encode()),
        "tokens": 3 + 4,
        "licences": {"CC-BY-4.0": 1, "CC0-1.0": 1},
        "domains": ["example.org", "news.example.net"],
    }
    assert rows[1]["kind"] == "domain" and rows[1]["name"] == "example.org"


def test_token_count_counts_cjk_characters() -> None:
    assert token_count("Hello world") == 2
    assert token_count("港口茶馆 opened in 1960。") == 4 + 3
    assert token_count("") == 0
