"""The PII component: every recognizer (with the near misses it must refuse), model-free PERSON
in English and Chinese, redact/mask/hash, the per-crawl salt, the stage, the offline guarantee
and the NER-model path with a model built here."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import spacy

from crawler.items import Page
from pipelines.analysis import Analyzer
from pipelines.findings import Marker, SecretsFindings
from pipelines.pii import generic
from pipelines.pii import step as stage
from pipelines.pii.anonymize import Span, mask, resolve, token
from pipelines.pii.checksums import USCC_ALPHABET, cn_id_check_char, cn_resident_id_ok, luhn_ok
from pipelines.pii.engine import analysis_language, build_analyzer, check_ner_model
from pipelines.pii.salt import SALT_FILE, crawl_salt, pii_salt
from pipelines.pii.step import PiiScanError, PiiStep, scan_many, scan_text
from pipelines.pii.words import count_words

SALT = b"s" * 32


# --- values built here, valid by construction ----------------------------------------------
def luhn_complete(body: str) -> str:
    for digit in "0123456789":
        if luhn_ok(body + digit):
            return body + digit
    raise AssertionError("unreachable")


def luhn_broken(number: str) -> str:
    last = number[-1]
    return number[:-1] + ("0" if last != "0" else "1")


def cn_id(first17: str) -> str:
    return first17 + cn_id_check_char(first17)


def uscc(body17: str) -> str:
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body17, weights, strict=True))
    return body17 + USCC_ALPHABET[(31 - total % 31) % 31]


def btc_address(payload: bytes) -> str:
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    n, out = int.from_bytes(raw, "big"), ""
    while n:
        n, r = divmod(n, 58)
        out = alphabet[r] + out
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out


VALID_ID = cn_id("11010519491231002")
BAD_CHECKSUM_ID = VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1")
FEB_30_ID = cn_id("11010519990230002")
FUTURE_ID = cn_id("11010521990101002")
BAD_PROVINCE_ID = cn_id("99010519491231002")
UNIONPAY_16 = luhn_complete("622202123456789")
UNIONPAY_19 = luhn_complete("621700123456789012")
MASTERCARD_2 = luhn_complete("222100000000000")
VALID_USCC = uscc("91350100M000100Y4")
BTC = btc_address(b"\x00" + bytes(range(20)))


# --- one analyzer for the whole file -------------------------------------------------------
@pytest.fixture(scope="module")
def engine() -> Any:
    return stage.analyzer()


def found(engine: Any, text: str, language: str = "en") -> set[tuple[str, str]]:
    results = engine.analyze(
        text, language=analysis_language(engine, language, text), score_threshold=0.5
    )
    return {(s.entity, text[s.start : s.end]) for s in resolve(results)}


POSITIVE = [
    ("EMAIL_ADDRESS", "Write to jane.doe@example.com today.", "jane.doe@example.com", "en"),
    ("EMAIL_ADDRESS", "邮箱wangfang@example.cn。", "wangfang@example.cn", "zh"),
    ("PHONE_NUMBER", "Call +44 20 7946 0958 after six.", "+44 20 7946 0958", "en"),
    ("PHONE_NUMBER", "Phone: (201) 555-0123", "(201) 555-0123", "en"),
    ("PHONE_NUMBER", "Telefon +49 30 123456 ab 9 Uhr.", "+49 30 123456", "de"),
    ("PHONE_NUMBER", "Tél. : 01 23 45 67 89", "01 23 45 67 89", "fr"),
    ("PHONE_NUMBER", "電話 +81 3-1234-5678 まで", "+81 3-1234-5678", "ja"),
    ("PHONE_NUMBER", "call +91 81234 56789", "+91 81234 56789", "en"),
    ("PHONE_NUMBER", "联系电话：010-12345678。", "010-12345678", "zh"),
    ("CREDIT_CARD", "Card 4111 1111 1111 1111, exp 09/27", "4111 1111 1111 1111", "en"),
    ("CREDIT_CARD", f"card {MASTERCARD_2}", MASTERCARD_2, "en"),
    ("CREDIT_CARD", "卡号4111111111111111。", "4111111111111111", "zh"),
    ("IBAN_CODE", "IBAN DE89 3704 0044 0532 0130 00.", "DE89 3704 0044 0532 0130 00", "en"),
    ("IP_ADDRESS", "server 203.0.113.7 answered", "203.0.113.7", "en"),
    ("US_SSN", "SSN: 536-90-4399", "536-90-4399", "en"),
    ("CRYPTO", f"bitcoin wallet {BTC} thanks", BTC, "en"),
    (
        "URL_CREDENTIALS",
        "mirror https://admin:hunter2@files.example.org/pub",
        "https://admin:hunter2@files.example.org",
        "en",
    ),
    ("CN_RESIDENT_ID", f"身份证号{VALID_ID}。", VALID_ID, "zh"),
    ("CN_RESIDENT_ID", f"ID {VALID_ID[:-1]}x", f"{VALID_ID[:-1]}x", "en")
    if VALID_ID.endswith("X")
    else ("CN_RESIDENT_ID", f"ID {VALID_ID}", VALID_ID, "en"),
    ("CN_MOBILE", "手机13800138000，", "13800138000", "zh"),
    ("CN_MOBILE", "电话 +86 138 0013 8000", "+86 138 0013 8000", "zh"),
    ("CN_MOBILE", "mobile 138-0013-8000", "138-0013-8000", "en"),
    ("CN_BANK_CARD", f"银行卡号：{UNIONPAY_16}", UNIONPAY_16, "zh"),
    ("CN_BANK_CARD", f"卡号{UNIONPAY_19}", UNIONPAY_19, "zh"),
    ("CN_PASSPORT", "护照号码：E12345678。", "E12345678", "zh"),
    ("CN_PASSPORT", "passport no. EA1234567", "EA1234567", "en"),
    ("CN_SOCIAL_CREDIT_CODE", f"统一社会信用代码：{VALID_USCC}", VALID_USCC, "zh"),
]


@pytest.mark.parametrize(("entity", "text", "value", "language"), POSITIVE)
def test_each_recognizer_finds_its_values(
    engine: Any, entity: str, text: str, value: str, language: str
) -> None:
    assert (entity, value) in found(engine, text, language)


NEGATIVE = [
    ("CN_RESIDENT_ID", f"身份证号{BAD_CHECKSUM_ID}。", "zh"),
    ("CN_RESIDENT_ID", f"身份证号{FEB_30_ID}。", "zh"),
    ("CN_RESIDENT_ID", f"身份证号{FUTURE_ID}。", "zh"),
    ("CN_RESIDENT_ID", f"身份证号{BAD_PROVINCE_ID}。", "zh"),
    ("CREDIT_CARD", "Card 4111 1111 1111 1112, exp 09/27", "en"),
    ("CN_BANK_CARD", f"银行卡号：{luhn_broken(UNIONPAY_16)}", "zh"),
    ("CN_BANK_CARD", f"银行卡号：{luhn_broken(UNIONPAY_19)}", "zh"),
    ("IBAN_CODE", "IBAN DE89 3704 0044 0532 0130 01.", "en"),
    ("CRYPTO", f"bitcoin wallet {BTC[:-1]}{'a' if BTC[-1] != 'a' else 'b'} thanks", "en"),
    (
        "CN_SOCIAL_CREDIT_CODE",
        f"信用代码：{VALID_USCC[:-1]}{'0' if VALID_USCC[-1] != '0' else '1'}",
        "zh",
    ),
    ("CN_MOBILE", "号码12345678901，", "zh"),
    ("CN_MOBILE", "订单138001380001，", "zh"),
    ("CN_PASSPORT", "型号E12345678已售罄。", "zh"),
    ("URL_CREDENTIALS", "see https://example.org/a@b.html", "en"),
    ("EMAIL_ADDRESS", "write to root@localhost or a@b.notatld", "en"),
    ("PHONE_NUMBER", "Order number 3867653585 was dispatched.", "en"),
    ("PHONE_NUMBER", "Die Bestellnummer 8331442578 wurde verschickt.", "de"),
    ("US_SSN", "SSN: 000-12-3456", "en"),
]


@pytest.mark.parametrize(("entity", "text", "language"), NEGATIVE)
def test_near_misses_are_not_reported(engine: Any, entity: str, text: str, language: str) -> None:
    assert not {e for e, _ in found(engine, text, language)} & {entity}


def test_checksums_and_dates_of_resident_ids() -> None:
    assert cn_resident_id_ok(VALID_ID)
    assert not cn_resident_id_ok(BAD_CHECKSUM_ID)
    assert not cn_resident_id_ok(FEB_30_ID)
    assert not cn_resident_id_ok(FUTURE_ID)
    assert not cn_resident_id_ok(BAD_PROVINCE_ID)
    assert cn_resident_id_ok(cn_id("44030419850101001"))
    assert not cn_resident_id_ok(cn_id("44030418850101001"))  # born before 1900


# --- PERSON without a model ------------------------------------------------------------------
ENGLISH_NAMES = [
    ("Mr Okonkwo declined to comment.", "Okonkwo"),
    ("Dr. Alice Wong said the results were encouraging.", "Alice Wong"),
    ("The report will be published in May, according to Priya Patel.", "Priya Patel"),
    ('"We were never consulted," said Amara Okafor, 34, a fisherman.', "Amara Okafor"),
    ("Contact: Eleanor Pike\nTel: 07700 900123", "Eleanor Pike"),
    ("Eleanor Pike | News editor | 201", "Eleanor Pike"),
    ("Jennifer Thompson opened the bakery in 1998.", "Jennifer Thompson"),
    ("J. K. Rowling wrote the first book on a train.", "J. K. Rowling"),
]
CHINESE_NAMES = [
    ("本报记者张伟报道：灯笼节开幕。", "张伟"),
    ("王芳女士今年六十岁。", "王芳"),
    ("联系人：李娜，电话010-12345678。", "李娜"),
    ("据刘德华介绍，这家店已经营业三十年。", "刘德华"),
    ("会上，陈美玲表示，明年还会继续举办。", "陈美玲"),
    ("校长王志强、副校长李小明出席。", "李小明"),
    ("欧阳娜娜老师带着学生参观了博物馆。", "欧阳娜娜"),
]
NOT_NAMES = [
    ("The harbour wall on North Street was repaired in May.", "en"),
    ("Visitors to Harbour Town can take the ferry from Victoria Station.", "en"),
    ("Morgan Stanley and Goldman Sachs advised the port authority.", "en"),
    ("Marks & Spencer and Johnson & Johnson both reported higher sales.", "en"),
    ("The Albert Hall concert sold out. Estuary Ferries said the timetable would change.", "en"),
    ("La rue Victor Hugo sera fermée.", "fr"),
    ("Grace Church and Hope Street are on the route of the parade.", "en"),
    ("公司表示，将在五月公布结果。高层表示支持这一计划。", "zh"),
    ("大多由本地学校的学生和社区志愿者制作完成。", "zh"),
    ("黄金周期间，游客人数比去年增加了三成。", "zh"),
    ("据兰州市文化局介绍，今年共有三十多个摊位。", "zh"),
]


@pytest.mark.parametrize(("text", "name"), ENGLISH_NAMES + CHINESE_NAMES)
def test_person_without_a_model(engine: Any, text: str, name: str) -> None:
    language = "zh" if name[0] > "\u2e80" else "en"
    assert ("PERSON", name) in found(engine, text, language)


@pytest.mark.parametrize(("text", "language"), NOT_NAMES)
def test_places_organisations_and_months_are_not_people(
    engine: Any, text: str, language: str
) -> None:
    assert {v for e, v in found(engine, text, language) if e == "PERSON"} == set()


def test_a_person_found_once_is_found_again_by_surname_and_full_name(engine: Any) -> None:
    text = "Amara Okafor, 34, runs the stall. Later, Okafor said prices had doubled."
    assert {("PERSON", "Amara Okafor"), ("PERSON", "Okafor")} <= found(engine, text)
    zh = "记者张伟报道。张伟在码头采访了渔民。"
    people = [v for e, v in found(engine, zh, "zh") if e == "PERSON"]
    assert people == ["张伟"]  # both occurrences share one (entity, value) pair
    result = scan_text(zh, "zh", "redact", SALT)
    assert result["counts"] == {"PERSON": 2}


# --- actions ----------------------------------------------------------------------------------
TEXT = "Contact Jane Doe at jane.doe@example.com or +44 20 7946 0958. 手机13800138000。"


def test_redact_replaces_each_value_with_its_type(engine: Any) -> None:
    result = scan_text(TEXT, "en", "redact", SALT)
    assert result["text"] == (
        "Contact <PERSON> at <EMAIL_ADDRESS> or <PHONE_NUMBER>. 手机<CN_MOBILE>。"
    )
    assert result["counts"] == {"CN_MOBILE": 1, "EMAIL_ADDRESS": 1, "PERSON": 1, "PHONE_NUMBER": 1}


def test_mask_keeps_length_and_shape(engine: Any) -> None:
    result = scan_text(TEXT, "en", "mask", SALT)
    assert len(result["text"]) == len(TEXT)
    assert "j*******@e******.com" in result["text"]
    assert "**** ***" in result["text"] and "+** ** **** ****" in result["text"]
    assert mask("王芳", "PERSON") == "**"


def test_hash_is_stable_within_a_crawl_and_unlinkable_across_crawls(engine: Any) -> None:
    first = scan_text(TEXT, "en", "hash", SALT)["text"]
    again = scan_text(TEXT, "en", "hash", SALT)["text"]
    other = scan_text(TEXT, "en", "hash", b"o" * 32)["text"]
    assert first == again != other
    assert "<EMAIL_ADDRESS:" in first and "jane" not in first
    # Separators do not change a number's token; case does not change an e-mail's.
    assert token("138 0013 8000", "CN_MOBILE", SALT) == token("138-0013-8000", "CN_MOBILE", SALT)
    assert token("Jane@Example.com", "EMAIL_ADDRESS", SALT) == token(
        "jane@example.com", "EMAIL_ADDRESS", SALT
    )
    assert len(token("x", "PERSON", SALT)) == len("<PERSON:>") + 10


@dataclass
class Hit:
    entity_type: str
    start: int
    end: int
    score: float


def test_overlaps_become_one_span_typed_by_the_longest() -> None:
    spans = resolve(
        [
            Hit("EMAIL_ADDRESS", 22, 41, 1.0),
            Hit("URL_CREDENTIALS", 0, 41, 0.9),
            Hit("PHONE_NUMBER", 50, 61, 0.75),
            Hit("CN_MOBILE", 50, 61, 0.75),
            Hit("PERSON", 70, 75, 0.6),
            Hit("LOCATION", 73, 80, 0.85),
        ]
    )
    assert spans == [
        Span(0, 41, "URL_CREDENTIALS", 0.9),
        Span(50, 61, "CN_MOBILE", 0.75),
        Span(70, 80, "LOCATION", 0.85),
    ]


def test_url_credentials_swallow_the_email_inside_them(engine: Any) -> None:
    result = scan_text("Mirror: https://admin:hunter2@example.org/pub", "en", "redact", SALT)
    assert result["text"] == "Mirror: <URL_CREDENTIALS>/pub"
    assert result["counts"] == {"URL_CREDENTIALS": 1}


def test_share_counts_cjk_characters_as_words(engine: Any) -> None:
    assert count_words("我爱北京") == 4
    assert count_words("hello world, 2026") == 3
    result = scan_text("联系人：王芳。", "zh", "redact", SALT)
    assert (result["pii_words"], result["total_words"]) == (2, 5)
    assert result["share"] == pytest.approx(0.4)
    assert scan_text("", None, "redact", SALT)["share"] == 0.0


def test_scan_many_combines_counts_and_keeps_empty_strings(engine: Any) -> None:
    result = scan_many(["Mr Okonkwo said so.", "", "email a.b@example.com"], None, "redact", SALT)
    assert result["texts"] == ["Mr <PERSON> said so.", "", "email <EMAIL_ADDRESS>"]
    assert result["counts"] == {"EMAIL_ADDRESS": 1, "PERSON": 1}


def test_long_texts_are_analysed_in_pieces_cut_between_words(
    engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stage, "CHUNK_CHARS", 60)
    line = "Mail jane.doe@example.com or call +44 20 7946 0958 today.\n"
    result = scan_text(line * 20 + "x" * 200, "en", "redact", SALT)
    assert result["text"] == "Mail <EMAIL_ADDRESS> or call <PHONE_NUMBER> today.\n" * 20 + "x" * 200
    assert result["counts"] == {"EMAIL_ADDRESS": 20, "PHONE_NUMBER": 20}


def test_entities_limit_what_is_detected_and_unknown_ones_are_refused(engine: Any) -> None:
    result = scan_text(TEXT, "en", "redact", SALT, entities=("EMAIL_ADDRESS",))
    assert result["counts"] == {"EMAIL_ADDRESS": 1}
    with pytest.raises(ValueError, match="unknown PII entity types"):
        build_analyzer(entities=("SHOE_SIZE",))
    with pytest.raises(ValueError, match="unknown PII action"):
        scan_text(TEXT, "en", "shred", SALT)


# --- values never leave --------------------------------------------------------------------
VALUES = ["Jane Doe", "jane.doe@example.com", "+44 20 7946 0958", "13800138000"]


def test_values_are_absent_from_results_and_errors(
    engine: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = scan_text(TEXT, "en", "hash", SALT)
    dumped = json.dumps(result, ensure_ascii=False)
    assert not [v for v in VALUES if v in dumped]

    def leaky(text: str, **_: Any) -> None:
        raise ValueError(f"Did not find word '{text}' in the list of tokens")

    monkeypatch.setattr(engine, "analyze", leaky)
    with pytest.raises(PiiScanError) as error:
        scan_text(TEXT, "en", "redact", SALT)
    assert not [v for v in VALUES if v in str(error.value)]
    assert error.value.__context__ is None or error.value.__suppress_context__


def test_the_stage_anonymises_text_title_and_marker_snippets(engine: Any, tmp_path: Path) -> None:
    step = PiiStep("redact", crawl_salt(tmp_path))
    page = Page("https://example.org/a", 200, b"", "utf-8", "text/html", "", "")
    page.text = TEXT
    page.title = "Interview with Jane Doe"
    marker = Marker("internal", "banner", "label", 1.0, "en", "ask Jane Doe")
    page.findings.secrets = SecretsFindings(markers=(marker,), marker_count=1)
    Analyzer([step]).analyse(page)
    assert not page.errors
    assert page.title == "Interview with <PERSON>"
    assert page.findings.secrets.markers[0].context == "ask <PERSON>"
    pii = page.findings.pii
    assert pii is not None and pii.counts["PERSON"] == 3
    assert pii.summary() == {"counts": dict(pii.counts), "share": round(pii.share, 4)}
    dumped = repr(page.findings) + page.text + (page.title or "")
    assert not [v for v in VALUES if v in dumped]


# --- the per-crawl salt ----------------------------------------------------------------------
def test_the_salt_is_made_once_private_and_kept_for_a_resumed_crawl(tmp_path: Path) -> None:
    salt = crawl_salt(tmp_path / "out")
    assert len(salt) == 32
    assert stat.S_IMODE(os.stat(tmp_path / "out" / SALT_FILE).st_mode) == 0o600
    assert crawl_salt(tmp_path / "out") == salt
    assert crawl_salt(tmp_path / "other") != salt
    assert pii_salt("from-settings", tmp_path / "out") == b"from-settings"
    (tmp_path / "out" / SALT_FILE).write_bytes(b"short")
    with pytest.raises(ValueError, match="32-byte salt") as error:
        crawl_salt(tmp_path / "out")
    assert "short" not in str(error.value)


# --- offline ---------------------------------------------------------------------------------
@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    attempts: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(repr(args[:2]))
        raise OSError("network access attempted in an offline test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield attempts


def test_engine_builds_and_analyses_with_the_network_blocked(
    no_network: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fresh suffix list, so its first use (when a fetch would happen) is inside this test.
    monkeypatch.setattr(generic, "_SUFFIXES", generic.offline_suffixes())
    analyzer = build_analyzer()
    text = "Mail jane.doe@example.co.uk or call +44 20 7946 0958. 联系人：王芳，身份证号" + VALID_ID
    results = analyzer.analyze(text, language="en", score_threshold=0.5)
    assert {"EMAIL_ADDRESS", "PHONE_NUMBER", "PERSON", "CN_RESIDENT_ID"} <= {
        r.entity_type for r in results
    }
    assert no_network == []


# --- the NER path --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A real spaCy pipeline on disk whose only NER is an entity ruler: enough to prove that a
    model directory is loaded and its entities reach the analyzer."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(  # type: ignore[attr-defined]
        [
            {"label": "PERSON", "pattern": [{"LOWER": "zorblax"}, {"LOWER": "quint"}]},
            {"label": "GPE", "pattern": "Freedonia"},
            {"label": "ORG", "pattern": "Acme"},
        ]
    )
    path = tmp_path_factory.mktemp("models") / "tiny_ner"
    nlp.to_disk(path)
    return str(path)


def test_a_model_directory_adds_person_and_location(tiny_model: str) -> None:
    assert check_ner_model(tiny_model) is None
    analyzer = build_analyzer(tiny_model)
    text = "zorblax quint moved from Freedonia to work for Acme; mail z@example.com"
    entities = {(r.entity_type, text[r.start : r.end]) for r in analyzer.analyze(text, "en")}
    assert ("PERSON", "zorblax quint") in entities
    assert ("LOCATION", "Freedonia") in entities
    assert ("EMAIL_ADDRESS", "z@example.com") in entities
    assert not any(e == "ORGANIZATION" or v == "Acme" for e, v in entities)
    # Chinese pages still go through the blank Chinese pipeline and the model-free rules.
    zh = analyzer.analyze("记者张伟报道", language="zh", score_threshold=0.5)
    assert [r.entity_type for r in zh] == ["PERSON"]
    # A page in a language the model was not trained on never reaches it.
    german = "Umzug von Freedonia nach Berlin."
    assert analysis_language(analyzer, "de", german) == "xx"
    assert "LOCATION" not in {r.entity_type for r in analyzer.analyze(german, language="xx")}
    assert analysis_language(analyzer, None, german) == "en"


def test_unusable_ner_models_are_explained(tmp_path: Path) -> None:
    message = check_ner_model("no_such_model_pkg")
    assert message is not None
    assert "no_such_model_pkg" in message and "never downloaded" in message
    spacy.blank("en").to_disk(tmp_path / "no_ner")
    message = check_ner_model(str(tmp_path / "no_ner"))
    assert message is not None and "PERSON" in message
    (tmp_path / "broken").mkdir()
    message = check_ner_model(str(tmp_path / "broken"))
    assert message is not None and "could not be loaded" in message
    assert check_ner_model("") is None
