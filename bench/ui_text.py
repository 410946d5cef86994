"""Interface text of the real-page profile in en/de/fr/zh: menus, buttons, consent, legal lines.

SECTION_NAMES follow bench/prose.py's SECTIONS order. RIGHTS is the reservation a footer carries
("All rights reserved" and its translations, as bench/../crawler/licences/notices.py knows them).
"""

from __future__ import annotations

from bench.prose import SECTIONS

SECTION_NAMES = {
    "en": "News Politics Business Health Education Environment Sport Culture Science Transport "
    "Housing Opinion",
    "de": "Nachrichten Politik Wirtschaft Gesundheit Bildung Umwelt Sport Kultur Wissenschaft "
    "Verkehr Wohnen Meinung",
    "fr": "Actualités Politique Économie Santé Éducation Environnement Sport Culture Sciences "
    "Transports Logement Opinions",
    "zh": "新闻 政治 财经 健康 教育 环境 体育 文化 科学 交通 住房 评论",
}
SUBTOPICS = {
    "en": "Local National World Analysis Explainers Live Video Podcasts Photos Data Investigations "
    "Interviews Reviews Weekend Letters Obituaries",
    "de": "Regional Deutschland Welt Analyse Hintergrund Live Video Podcasts Bilder Daten "
    "Recherche Interviews Kritiken Wochenende Leserbriefe Nachrufe",
    "fr": "Régions France Monde Analyses Décryptages Direct Vidéos Podcasts Photos Données "
    "Enquêtes Entretiens Critiques Week-end Courrier Disparitions",
    "zh": "本地 国内 国际 分析 解读 直播 视频 播客 图片 数据 调查 专访 评论 周末 来信 讣告",
}

UI = {
    "en": {
        "skip": "Skip to main content", "search": "Search", "subscribe": "Subscribe",
        "login": "Sign in", "menu": "Menu", "ad": "Advertisement", "related": "Related stories",
        "most_read": "Most read", "more": "More from", "comments": "Comments", "share": "Share",
        "newsletter": "Get the morning briefing", "read_more": "Read more", "by": "By",
        "updated": "Updated", "min_read": "min read", "reply": "Reply", "sponsored": "Sponsored",
        "editions": "Editions", "topics": "Topics", "rights": "All rights reserved.",
        "privacy": "Privacy policy", "terms": "Terms of use", "cookies": "Cookie settings",
        "contact": "Contact us", "about": "About us", "careers": "Careers", "home": "Home",
        "consent_title": "We value your privacy",
        "consent": "We and our 1,482 partners store and access information on your device, such "
        "as cookies, and process personal data, such as unique identifiers and browsing data, to "
        "personalise content and advertising, measure their performance and improve our services. "
        "You can accept, reject or manage your choices at any time via Cookie settings.",
        "accept": "Accept all", "reject": "Reject all", "manage": "Manage preferences",
        "purposes": "Store and access information on a device|Use limited data to select "
        "advertising|Create profiles for personalised advertising|Measure content performance|"
        "Understand audiences through statistics|Develop and improve services",
    },
    "de": {
        "skip": "Zum Inhalt springen", "search": "Suche", "subscribe": "Abonnieren",
        "login": "Anmelden", "menu": "Menü", "ad": "Anzeige", "related": "Das könnte Sie "
        "interessieren", "most_read": "Meistgelesen", "more": "Mehr aus", "comments":
        "Kommentare", "share": "Teilen", "newsletter": "Der Morgen-Newsletter", "read_more":
        "Weiterlesen", "by": "Von", "updated": "Aktualisiert", "min_read": "Min. Lesezeit",
        "reply": "Antworten", "sponsored": "Gesponsert", "editions": "Ausgaben", "topics":
        "Themen", "rights": "Alle Rechte vorbehalten.", "privacy": "Datenschutz", "terms":
        "Nutzungsbedingungen", "cookies": "Cookie-Einstellungen", "contact": "Kontakt", "about":
        "Über uns", "careers": "Karriere", "home": "Startseite",
        "consent_title": "Wir respektieren Ihre Privatsphäre",
        "consent": "Wir und unsere 1.482 Partner speichern und verwenden Informationen auf Ihrem "
        "Gerät, etwa Cookies, und verarbeiten personenbezogene Daten wie eindeutige Kennungen, um "
        "Inhalte und Werbung zu personalisieren, ihre Wirkung zu messen und unsere Dienste zu "
        "verbessern. Sie können Ihre Auswahl jederzeit über die Cookie-Einstellungen ändern.",
        "accept": "Alle akzeptieren", "reject": "Alle ablehnen", "manage": "Einstellungen",
        "purposes": "Informationen auf einem Gerät speichern|Begrenzte Daten zur Auswahl der "
        "Werbung verwenden|Profile für personalisierte Werbung erstellen|Leistung von Inhalten "
        "messen|Zielgruppen durch Statistiken verstehen|Dienste entwickeln und verbessern",
    },
    "fr": {
        "skip": "Aller au contenu", "search": "Rechercher", "subscribe": "S'abonner",
        "login": "Se connecter", "menu": "Menu", "ad": "Publicité", "related": "À lire aussi",
        "most_read": "Les plus lus", "more": "Plus de", "comments": "Commentaires", "share":
        "Partager", "newsletter": "La lettre du matin", "read_more": "Lire la suite", "by": "Par",
        "updated": "Mis à jour", "min_read": "min de lecture", "reply": "Répondre", "sponsored":
        "Sponsorisé", "editions": "Éditions", "topics": "Thèmes", "rights":
        "Tous droits réservés.", "privacy": "Politique de confidentialité", "terms":
        "Conditions d'utilisation", "cookies": "Paramètres des cookies", "contact": "Nous "
        "contacter", "about": "Qui sommes-nous", "careers": "Recrutement", "home": "Accueil",
        "consent_title": "Le respect de votre vie privée est notre priorité",
        "consent": "Nos 1 482 partenaires et nous-mêmes stockons et accédons à des informations "
        "sur votre appareil, comme les cookies, et traitons des données personnelles, comme des "
        "identifiants uniques, pour personnaliser les contenus et la publicité, mesurer leur "
        "performance et améliorer nos services. Vous pouvez modifier vos choix à tout moment.",
        "accept": "Tout accepter", "reject": "Tout refuser", "manage": "Personnaliser",
        "purposes": "Stocker des informations sur un appareil|Utiliser des données limitées pour "
        "sélectionner la publicité|Créer des profils pour la publicité personnalisée|Mesurer la "
        "performance du contenu|Comprendre les publics grâce à des statistiques|Développer et "
        "améliorer les services",
    },
    "zh": {
        "skip": "跳到主要内容", "search": "搜索", "subscribe": "订阅", "login": "登录",
        "menu": "菜单", "ad": "广告", "related": "相关报道", "most_read": "热门文章",
        "more": "更多", "comments": "评论", "share": "分享", "newsletter": "订阅早间简报",
        "read_more": "阅读全文", "by": "作者", "updated": "更新于", "min_read": "分钟阅读",
        "reply": "回复", "sponsored": "赞助内容", "editions": "版本", "topics": "话题",
        "rights": "保留所有权利。", "privacy": "隐私政策", "terms": "使用条款",
        "cookies": "Cookie 设置", "contact": "联系我们", "about": "关于我们", "careers": "招聘",
        "home": "首页", "consent_title": "我们重视您的隐私",
        "consent": "我们和我们的 1482 家合作伙伴会在您的设备上存储和访问信息（例如 Cookie），并处理"
        "唯一标识符和浏览数据等个人数据，用于个性化内容和广告、衡量其效果并改进我们的服务。您可以随时"
        "通过 Cookie 设置更改您的选择。",
        "accept": "全部接受", "reject": "全部拒绝", "manage": "管理偏好",
        "purposes": "在设备上存储和访问信息|使用有限数据选择广告|创建个性化广告档案|衡量内容效果|"
        "通过统计了解受众|开发和改进服务",
    },
}  # fmt: skip

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
}


def sections(lang: str) -> list[str]:
    return SECTION_NAMES[lang].split()


def section_label(lang: str, section: str) -> str:
    """The menu label of one of bench/prose.py's SECTIONS ("sport") in `lang` ("Sport")."""
    return sections(lang)[SECTIONS.index(section)]


def subtopics(lang: str) -> list[str]:
    return SUBTOPICS[lang].split()


def long_date(lang: str, iso: str) -> str:
    """'2026-03-14' as readers see it: 14 March 2026, 14. März 2026, 14 mars 2026, 2026年3月14日."""
    year, month, day = (int(x) for x in iso[:10].split("-"))
    if lang == "zh":
        return f"{year}年{month}月{day}日"
    name = MONTHS[lang].split()[month - 1]
    return f"{day}. {name} {year}" if lang == "de" else f"{day} {name} {year}"
