"""Odd encodings, huge and binary bodies: the crawl goes on, the output stays consistent."""

from __future__ import annotations

from pathlib import Path

from crawler.provenance import verify_output
from tests.helpers import article, crawl, final_records, read_jsonl, write_policy
from tests.mockserver import FixtureServer

CHINESE = (
    "海港镇议会周二晚间开会讨论北侧防波堤的修缮工程。工程师表示，连续三个冬季的风暴已经削弱了堤坝。"
    "居民们询问工期多长，以及吊车在码头作业期间渡轮是否会继续运行。议会承诺将在下月公布详细时间表。"
)
JAPANESE = (
    "港町議会は火曜日の夜に会合を開き、北側の防波堤の修理について話し合った。技術者によると、"
    "三年続いた冬の嵐で堤防が弱くなっているという。住民は工事期間とフェリーの運行について質問した。"
)


def test_legacy_encodings_are_decoded(site: FixtureServer, tmp_path: Path) -> None:
    links = ["/gbk.html", "/sjis.html", "/cp1252.html", "/broken.html"]
    site.add("/", article("Home", links=links))
    # GBK declared only in a meta tag; the header says nothing about the charset.
    gbk = article("海港新闻", body_text=CHINESE, lang="zh").replace(
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Type" content="text/html; charset=gbk">',
    )
    site.add("/gbk.html", gbk.encode("gbk", errors="xmlcharrefreplace"), content_type="text/html")
    sjis = article("港町ニュース", body_text=JAPANESE, lang="ja").replace("utf-8", "shift_jis")
    site.add(
        "/sjis.html",
        sjis.encode("shift_jis", errors="xmlcharrefreplace"),
        content_type="text/html; charset=Shift_JIS",
    )
    cafe = "The café’s owner said “naïve” visitors pay €5 more. " * 3
    site.add(
        "/cp1252.html",
        article("Café", body_text=cafe).encode("cp1252"),
        content_type="text/html; charset=windows-1252",
    )
    broken = article("Broken bytes").encode("utf-8").replace(b"committee", b"comm\xff\xfeittee")
    site.add("/broken.html", broken)
    crawl(write_policy(tmp_path, [site.url("/")]))
    out = tmp_path / "out"
    assert verify_output(out).ok
    docs = {doc["url"]: doc for doc in read_jsonl(out / "dataset.jsonl")}
    assert "北侧防波堤" in docs[site.url("/gbk.html")]["text"]
    assert docs[site.url("/gbk.html")]["language"] == "zh"
    assert "北側の防波堤" in docs[site.url("/sjis.html")]["text"]
    assert "café’s owner" in docs[site.url("/cp1252.html")]["text"]
    assert "\ufffd" in docs[site.url("/broken.html")]["text"]  # replaced, not crashed


def test_large_and_binary_bodies_never_reach_the_dataset(
    site: FixtureServer, tmp_path: Path
) -> None:
    site.add("/", article("Home", links=["/big.html", "/huge.html", "/binary.html"]))
    big = article("Big page", paragraphs=12000)  # about 3 MB, under the limit
    site.add("/big.html", big)
    site.add("/huge.html", "<html><body>" + "x" * (5 * 1024 * 1024) + "</body></html>")
    site.add("/binary.html", bytes(range(256)) * 4000)
    policy = write_policy(tmp_path, [site.url("/")], network={"max_body_bytes": 4 * 1024 * 1024})
    crawl(policy)
    out = tmp_path / "out"
    finals = final_records(out)
    assert finals[site.url("/big.html")]["outcome"] in ("accepted", "dropped")
    assert finals[site.url("/huge.html")]["outcome"] == "dropped"
    assert finals[site.url("/huge.html")]["reasons"] == ["too-large"]
    assert finals[site.url("/binary.html")]["reasons"] == ["not-html"]
    assert verify_output(out).ok
