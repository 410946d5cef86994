"""German, French and Chinese vocabularies for the real-page profile's prose (bench/polyglot.py).

Nouns carry their grammatical gender (m/f/n) so articles and adjectives agree; French nouns carry
their article ("le ", "la ", "l'"). Small fixed lists: the text only has to read as the language
to a language detector and to trafilatura, and be unique per page by combination.
"""

from __future__ import annotations

from bench.prose import words

# German: (gender, noun)
DE_NOUNS = [
    ("m", "Stadtrat"), ("f", "Schule"), ("n", "Krankenhaus"), ("f", "Brücke"), ("m", "Bahnhof"),
    ("m", "Haushalt"), ("f", "Bibliothek"), ("n", "Museum"), ("m", "Verein"), ("f", "Umfrage"),
    ("m", "Bürgermeister"), ("f", "Gemeinde"), ("n", "Projekt"), ("m", "Plan"), ("f", "Straße"),
    ("m", "Park"), ("f", "Firma"), ("n", "Gericht"), ("m", "Bericht"), ("f", "Wahl"),
    ("m", "Hafen"), ("f", "Polizei"), ("n", "Theater"), ("m", "Markt"), ("f", "Regierung"),
    ("m", "Flughafen"), ("f", "Universität"), ("n", "Stadion"), ("m", "Wald"), ("f", "Klinik"),
    ("m", "Vertrag"), ("f", "Studie"), ("n", "Programm"), ("m", "Antrag"), ("f", "Reform"),
]  # fmt: skip
DE_ADJECTIVES = words(
    """
neu alt groß klein öffentlich regional städtisch jährlich umstritten ehrgeizig bescheiden
historisch bekannt ruhig zentral nördlich südlich lokal aktuell
"""
)
DE_PARTICIPLES = words(
    """
beschlossen vorgestellt kritisiert abgelehnt genehmigt überprüft angekündigt verschoben
gefordert unterstützt eröffnet geschlossen erweitert finanziert diskutiert
"""
)
DE_PLACES = words(
    """
Rosenheim Freiburg Lüneburg Bamberg Koblenz Göttingen Würzburg Tübingen Stralsund Heidelberg
Konstanz Erfurt Passau Kassel
"""
)
DE_DAYS = words("Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag")
DE_GIVEN = words("Anna Lukas Sabine Jonas Katrin Felix Miriam Tobias Ursula Matthias Lea Stefan")
DE_FAMILY = words("Weber Schneider Hoffmann Krüger Becker Wagner Neumann Schulz Vogel Brandt")
# {s}: subject (nominative), {o}: object (accusative), {d}: after a dative preposition
DE_TEMPLATES = [
    "Am {day} hat {s} in {place} {o} {part}, wie die Verwaltung mitteilte.",
    "Nach Angaben der Stadt wurde {s} bereits im Frühjahr {part}.",
    "In {place} hat {s} {o} {part}, obwohl viele Anwohner Bedenken hatten.",
    "Kritiker sagen, {s} habe {o} zu spät {part}.",
    "Seit {d} ist die Lage in {place} deutlich angespannter als im Vorjahr.",
    "{S} will {o} bis zum Herbst prüfen lassen, hieß es am {day}.",
    "Die Pläne für {o} sollen nach dem Willen der Mehrheit noch in diesem Jahr umgesetzt werden.",
    "Viele Menschen in {place} sprechen sich gegen {o} aus und fordern mehr Mitsprache.",
    "Ein Sprecher erklärte, man habe mit {d} bereits Gespräche geführt.",
    "Wie es mit {d} weitergeht, soll bei einer Sitzung am {day} entschieden werden.",
]

# French: (gender, noun with its definite article)
FR_NOUNS = [
    ("m", "le conseil"), ("f", "la mairie"), ("m", "l'hôpital"), ("f", "la gare"),
    ("m", "le budget"), ("f", "la bibliothèque"), ("m", "le musée"), ("f", "l'association"),
    ("m", "le maire"), ("f", "la commune"), ("m", "le projet"), ("f", "la route"),
    ("m", "le parc"), ("f", "l'entreprise"), ("m", "le tribunal"), ("m", "le rapport"),
    ("f", "l'élection"), ("m", "le port"), ("f", "la police"), ("m", "le théâtre"),
    ("m", "le marché"), ("f", "la région"), ("m", "l'aéroport"), ("f", "l'université"),
    ("m", "le stade"), ("f", "la forêt"), ("m", "le contrat"), ("f", "l'étude"),
    ("f", "la réforme"), ("m", "le programme"), ("f", "la piscine"), ("m", "le lycée"),
]  # fmt: skip
FR_ADJECTIVES = [
    ("local", "locale"), ("régional", "régionale"), ("national", "nationale"),
    ("important", "importante"), ("récent", "récente"), ("controversé", "controversée"),
    ("ambitieux", "ambitieuse"), ("public", "publique"), ("municipal", "municipale"),
    ("annuel", "annuelle"), ("historique", "historique"), ("modeste", "modeste"),
    ("rural", "rurale"), ("urbain", "urbaine"), ("nouveau", "nouvelle"), ("officiel", "officielle"),
]  # fmt: skip
FR_PARTICIPLES = words(
    """
adopté présenté critiqué rejeté approuvé annoncé reporté soutenu examiné lancé financé
ouvert fermé prolongé contesté
"""
)
FR_VERBS_NOW = ["fait débat", "divise", "inquiète", "avance", "recule", "séduit", "interroge"]
FR_PLACES = words(
    """
Lyon Rennes Nantes Grenoble Dijon Angers Tours Limoges Besançon Nancy Poitiers Metz Rouen
Brest
"""
)
FR_DAYS = words("lundi mardi mercredi jeudi vendredi samedi dimanche")
FR_GIVEN = words("Camille Julien Élodie Thomas Sandrine Nicolas Manon Antoine Claire Hugo Inès")
FR_FAMILY = words("Martin Bernard Dubois Moreau Laurent Lefèvre Girard Fontaine Chevalier Roux")
# {s}: subject noun phrase, {o}: object noun phrase (with agreeing adjective)
FR_TEMPLATES = [
    "Le {day} dernier, {s} de {place} a {part} {o}, selon un communiqué.",
    "Selon les services de la ville, {o} a été {part_o} au printemps.",
    "À {place}, {s} a {part} {o} malgré les réserves de nombreux habitants.",
    "Pour les opposants, {s} a {part} {o} beaucoup trop tard.",
    "Depuis des mois, {o} suscite de vives discussions à {place}.",
    "{S} souhaite faire examiner {o} avant l'automne, a-t-on appris {day}.",
    "La majorité veut que le dossier concernant {o} aboutisse avant la fin de l'année.",
    "De nombreux habitants de {place} s'opposent à ce projet et réclament une concertation.",
    "Un porte-parole a indiqué que des discussions avec {o} avaient déjà eu lieu.",
    "La suite pour {o} sera décidée lors d'une réunion prévue {day} prochain.",
]

# Chinese
ZH_NOUNS = words(
    """
市政府 学校 医院 大桥 火车站 预算 图书馆 博物馆 协会 调查 委员会 社区 项目 公园 公司
法院 报告 选举 港口 警方 剧院 市场 机场 大学 体育馆 森林 合同 研究 改革 地铁
"""
)
ZH_ADJECTIVES = words(
    "新的 大型 地方 公共 区域 年度 备受争议的 雄心勃勃的 历史悠久的 小型 城市 全国性"
)
ZH_VERBS = words(
    "批准了 宣布了 推迟了 否决了 启动了 审议了 公布了 支持了 扩建了 关闭了 资助了 讨论了"
)
ZH_PLACES = words("杭州 成都 南京 苏州 厦门 青岛 武汉 西安 长沙 昆明 宁波 合肥")
ZH_DAYS = words("周一 周二 周三 周四 周五 周六 周日")
ZH_FAMILY = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭")
ZH_GIVEN = words("伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 志强 晓燕 建华")
ZH_TEMPLATES = [
    "据官方消息，{place}{noun}于{day}{verb}{adj}{noun2}计划。",
    "{place}不少居民表示，{adj}{noun}{verb}有关{noun2}的方案，但仍有疑虑。",
    "{day}，{place}{noun}再次{verb}{noun2}的相关安排，这是今年以来的第三次。",
    "批评人士认为，{noun}的决定将在未来几年影响{adj}{noun2}。",
    "{noun}发言人称，{noun2}相关工作正在有序推进。",
    "数据显示，{place}{adj}{noun}今年的投入比去年明显增加。",
    "{noun2}的支持者{day}晚间聚集在{place}{noun}门前。",
    "这是{adj}{noun}自{noun2}启动以来首次{verb}此类方案。",
    "当地团体呼吁{noun}加大对{noun2}的支持力度。",
    "目前，{noun}正在接受{adj}审查，预计春季将有进一步安排。",
]
