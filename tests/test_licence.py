"""The licence stage: where signals are found, SPDX normalisation, priorities and conflicts,
rights holders, garbage input, and the demo site's pages read from disk."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.dataset import dataset_record
from crawler.items import Page
from crawler.signals import aipref
from pipelines.analysis import Analyzer
from pipelines.licences import names, notices, spdx
from pipelines.licences.step import LicenceStep, licence_findings
from pipelines.licences.urls import licence_from_url

DEMO = Path(__file__).resolve().parent.parent / "crawler" / "demo" / "site"
ARR = "LicenseRef-All-Rights-Reserved"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def find(
    html: str,
    headers: dict[str, list[str]] | None = None,
    site_signals: list[dict[str, Any]] | None = None,
    main_text: str | None = None,
) -> dict[str, Any]:
    return licence_findings(
        html, "https://example.org/news/a.html", headers or {}, site_signals or [], main_text
    )


def doc(head: str = "", article: str = "", footer: str = "", aside: str = "") -> str:
    return (
        f"<!doctype html><html><head><title>t</title>{head}</head><body>"
        f"<header><a href='/'>Example News</a></header><main><article><h1>Title</h1>"
        f"<p>Some article text that is long enough to be an article.</p>{article}</article>"
        f"</main><aside>{aside}</aside><footer>{footer}</footer></body></html>"
    )


def ld(data: Any) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def where(result: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [e for e in result["evidence"] if e["where"] == name]


# --- the demo site ---


@pytest.mark.parametrize(
    ("path", "licence"),
    [
        ("articles/harbour-wall-repairs.html", "CC-BY-4.0"),
        ("articles/seagrass-survey.html", "CC-BY-4.0"),
        ("articles/fish-stew-recipe.html", "CC-BY-SA-4.0"),
        ("articles/lighthouse-history.html", "CC0-1.0"),
        ("articles/ferry-timetable.html", ARR),
        # A bare "© 2026 Harbour Town Gazette Ltd." names a holder but states no licence.
        ("articles/allotment-waiting-list.html", "unknown"),
        ("zh/harbour-festival.html", "CC-BY-4.0"),
    ],
)
def test_demo_site_licences(path: str, licence: str) -> None:
    result = find((DEMO / path).read_text(encoding="utf-8"))
    assert result["licence"] == licence
    assert result["conflict"] is False
    assert result["summary"]["licence"] == licence


@pytest.mark.parametrize(
    ("path", "holder"),
    [
        ("articles/harbour-wall-repairs.html", "Harbour Town Gazette Ltd."),
        ("articles/fish-stew-recipe.html", "Harbour Town Gazette Ltd."),
        ("articles/lighthouse-history.html", "Harbour Town Gazette Ltd."),
        ("articles/ferry-timetable.html", "Harbour Town Gazette Ltd."),
        ("articles/allotment-waiting-list.html", "Harbour Town Gazette Ltd."),
        ("zh/harbour-festival.html", "Harbour Town Gazette Ltd."),
        # The article's own notice outranks the footer's.
        ("articles/seagrass-survey.html", "Tomasz Wren / Harbour Town Gazette"),
    ],
)
def test_demo_site_rightsholders(path: str, holder: str) -> None:
    result = find((DEMO / path).read_text(encoding="utf-8"))
    assert result["rightsholder"] == holder
    assert result["rightsholder_evidence"]["where"] == "copyright-notice"
    assert result["summary"]["rightsholder"] is True


def test_demo_recipe_licence_comes_from_json_ld() -> None:
    result = find((DEMO / "articles/fish-stew-recipe.html").read_text(encoding="utf-8"))
    assert result["summary"]["sources"] == ["json-ld"]
    assert where(result, "json-ld")[0] == {
        "where": "json-ld",
        "value": "https://creativecommons.org/licenses/by-sa/4.0/",
        "spdx": "CC-BY-SA-4.0",
        "level": "page",
    }


# --- where signals are found ---


def test_link_rel_license_in_head() -> None:
    result = find(doc(head=f'<link rel="license" href="{CC_BY}">'))
    assert where(result, "link-rel") == [
        {"where": "link-rel", "value": CC_BY, "spdx": "CC-BY-4.0", "level": "page"}
    ]
    assert result["licence"] == "CC-BY-4.0"


def test_a_rel_is_a_token_list() -> None:
    url = "https://creativecommons.org/licenses/by-nc/4.0/"
    result = find(doc(article=f'<p><a rel="nofollow License" href="{url}">licence</a></p>'))
    assert where(result, "a-rel")[0]["spdx"] == "CC-BY-NC-4.0"
    assert result["licence"] == "CC-BY-NC-4.0"


def test_a_rel_to_own_licence_page_is_read_from_its_text() -> None:
    result = find(doc(article='<p><a rel="license" href="/licence">CC BY-SA 4.0</a></p>'))
    assert where(result, "a-rel")[0] == {
        "where": "a-rel",
        "value": "/licence",
        "spdx": "CC-BY-SA-4.0",
        "level": "page",
    }


def test_microdata_license() -> None:
    result = find(doc(article=f'<link itemprop="license" href="{CC_BY}">'))
    assert where(result, "microdata")[0]["spdx"] == "CC-BY-4.0"


@pytest.mark.parametrize(
    "data",
    [
        {"@type": "NewsArticle", "license": CC_BY},
        {"@type": "Article", "schema:license": CC_BY},
        {"@type": "Article", "license": "CC-BY-4.0"},
        {"@type": "Article", "license": {"@type": "CreativeWork", "url": CC_BY, "name": "x"}},
        {"@type": "Article", "license": {"@id": CC_BY}},
        {"@type": "Article", "license": {"@type": "CreativeWork", "name": "CC BY 4.0"}},
        {"@type": "Article", "license": [CC_BY]},
        [{"@type": "WebPage", "license": CC_BY}],
        {"@context": "https://schema.org", "@graph": [{"@type": "Article", "license": CC_BY}]},
        {"@type": "WebPage", "mainEntity": {"@type": "Article", "license": CC_BY}},
        {
            "@type": "WebPage",
            "mainEntity": {
                "@type": "ItemPage",
                "mainEntity": {"@type": "Report", "license": CC_BY},
            },
        },
    ],
)
def test_json_ld_licence_forms(data: Any) -> None:
    result = find(doc(head=ld(data)))
    assert [(e["spdx"], e["level"]) for e in where(result, "json-ld")] == [("CC-BY-4.0", "page")]
    assert result["licence"] == "CC-BY-4.0"


def test_json_ld_malformed_or_wrapped() -> None:
    assert (
        where(find(doc(head='<script type="application/ld+json">{"license": </script>')), "json-ld")
        == []
    )
    wrapped = f'<script type="application/ld+json"><!--{json.dumps({"license": CC_BY})}--></script>'
    assert find(doc(head=wrapped))["licence"] == "CC-BY-4.0"


def test_json_ld_image_licence_is_media_and_never_the_page_licence() -> None:
    image = {"@type": "ImageObject", "license": "https://creativecommons.org/licenses/by-nd/4.0/"}
    alone = find(doc(head=ld({"@type": "Article", "image": image})))
    assert [e["level"] for e in where(alone, "json-ld")] == ["media"]
    assert alone["licence"] == "unknown"
    both = find(doc(head=ld({"@type": "Article", "image": image, "license": CC_BY})))
    assert (both["licence"], both["conflict"]) == ("CC-BY-4.0", False)


def test_json_ld_website_licence_is_site_level() -> None:
    data = {"@graph": [{"@type": "WebSite", "name": "Ex", "license": CC_BY}]}
    result = find(doc(head=ld(data), footer="<p>© 2024 Ex Ltd. All rights reserved.</p>"))
    assert where(result, "json-ld")[0]["level"] == "site"
    assert result["licence"] == "CC-BY-4.0"


def test_meta_dcterms_and_dc_rights() -> None:
    result = find(doc(head=f'<meta name="DCTERMS.license" content="{CC_BY}">'))
    assert where(result, "meta-dcterms")[0]["spdx"] == "CC-BY-4.0"
    result = find(doc(head='<meta name="DC.rights" content="CC BY-SA 3.0">'))
    assert (where(result, "meta-dc")[0]["spdx"], result["licence"]) == (
        "CC-BY-SA-3.0",
        "CC-BY-SA-3.0",
    )
    rights = '<meta name="dcterms.rights" content="© 2020 Foo Press. All rights reserved.">'
    result = find(doc(head=rights))
    assert (result["licence"], result["rightsholder"]) == (ARR, "Foo Press")


def test_http_link_header() -> None:
    header = f'<https://example.org/a.css>; rel="stylesheet", <{CC_BY}>; rel="license"'
    result = find(doc(), headers={"link": [header]})
    assert where(result, "link-header") == [
        {
            "where": "link-header",
            "value": f'<{CC_BY}>; rel="license"',
            "spdx": "CC-BY-4.0",
            "level": "page",
        }
    ]
    assert result["licence"] == "CC-BY-4.0"


def test_rsl_from_robots_and_link_header_is_site_level() -> None:
    robots = aipref.rsl_licences("User-agent: *\nLicense: https://example.org/license.xml\n")
    signals = [
        {"code": s.code, "source": s.source, "evidence": s.evidence, **s.detail} for s in robots
    ]
    header = '<https://example.org/rsl.xml>; rel="license"; type="application/rsl+xml"'
    result = find(doc(), headers={"link": [header]}, site_signals=signals)
    rsl = where(result, "rsl")
    assert [(e["value"], e["spdx"], e["level"]) for e in rsl] == [
        ("License: https://example.org/license.xml", None, "site"),
        (f"Link: {header}", None, "site"),
    ]
    assert where(result, "link-header") == []
    assert result["licence"] == "unknown"


def test_cc_badge_and_link_in_footer() -> None:
    badge = (
        '<a href="http://creativecommons.org/licenses/by-sa/4.0/">'
        '<img src="https://i.creativecommons.org/l/by-sa/4.0/88x31.png" alt="CC"></a>'
    )
    result = find(doc(footer=badge))
    assert [(e["where"], e["spdx"], e["level"]) for e in result["evidence"]] == [
        ("cc-url-text", "CC-BY-SA-4.0", "footer"),
        ("cc-badge", "CC-BY-SA-4.0", "footer"),
    ]
    assert result["licence"] == "CC-BY-SA-4.0"


@pytest.mark.parametrize(
    ("url", "licence"),
    [
        ("https://creativecommons.org/licenses/by-nc/3.0/deed.de", "CC-BY-NC-3.0"),
        ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"),
        ("https://creativecommons.org/publicdomain/mark/1.0/", "CC-PDM-1.0"),
    ],
)
def test_cc_links_in_the_article(url: str, licence: str) -> None:
    result = find(doc(article=f'<p>Reuse it: <a href="{url}">licence terms</a></p>'))
    assert where(result, "cc-url-text")[0] == {
        "where": "cc-url-text",
        "value": url,
        "spdx": licence,
        "level": "page",
    }
    assert result["licence"] == licence


def test_cc_url_written_as_text() -> None:
    result = find(doc(article="<p>Licence: creativecommons.org/licenses/by-nd/4.0/</p>"))
    assert where(result, "cc-url-text")[0]["spdx"] == "CC-BY-ND-4.0"


@pytest.mark.parametrize(
    ("text", "licence"),
    [
        ("This story is licensed under CC BY 4.0.", "CC-BY-4.0"),
        ("Photos and text: CC BY-SA 3.0", "CC-BY-SA-3.0"),
        ("Dedicated under CC0.", "CC0-1.0"),
        ("本文采用知识共享署名 4.0 国际许可协议进行许可。", "CC-BY-4.0"),
        ("SPDX-License-Identifier: MIT", "MIT"),
    ],
)
def test_licence_named_in_text(text: str, licence: str) -> None:
    result = find(doc(article=f"<p>{text}</p>"))
    assert where(result, "spdx-text")[0]["spdx"] == licence
    assert result["licence"] == licence


def test_spdx_identifier_in_pre_block() -> None:
    code = "<pre># SPDX-License-Identifier: Apache-2.0 OR MIT\nimport os\n</pre>"
    assert find(doc(article=code))["licence"] == "Apache-2.0 OR MIT"


@pytest.mark.parametrize(
    "text",
    [
        "This work has been dedicated to the public domain.",
        "The author released this essay into the public domain.",
        "This photo is in the public domain.",
        "License: Public Domain",
    ],
)
def test_public_domain_statements(text: str) -> None:
    result = find(doc(article=f"<p>{text}</p>"))
    assert where(result, "public-domain-text")[0]["spdx"] == spdx.PUBLIC_DOMAIN
    assert result["licence"] == spdx.PUBLIC_DOMAIN


@pytest.mark.parametrize(
    "text",
    [
        "This work is not in the public domain.",
        "Nosferatu entered the public domain decades ago.",
        "Copyright law lets authors keep all rights for 70 years.",
    ],
)
def test_prose_is_not_a_statement(text: str) -> None:
    result = find(doc(article=f"<p>{text}</p>"))
    assert result["licence"] == "unknown"
    assert result["evidence"] == []


@pytest.mark.parametrize(
    "notice",
    [
        "© 2024 Example Ltd. All rights reserved.",
        "Copyright (c) 2019-2024 Jane Doe. All Rights Reserved",
        "版权所有 © 2024 某某公司 保留所有权利",
        "©2024 Example GmbH – Alle Rechte vorbehalten",
        "All rights reserved.",
    ],
)
def test_all_rights_reserved_notices(notice: str) -> None:
    result = find(doc(article=f"<p>{notice}</p>"))
    assert where(result, "copyright-notice")[0]["spdx"] == ARR
    assert result["licence"] == ARR


# --- SPDX normalisation ---


@pytest.mark.parametrize(
    ("url", "licence"),
    [
        ("https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),
        ("http://creativecommons.org/licenses/by-sa/3.0/", "CC-BY-SA-3.0"),
        ("//creativecommons.org/licenses/by-nc-nd/4.0/legalcode", "CC-BY-NC-ND-4.0"),
        ("https://creativecommons.org/licenses/by-nc-sa/4.0/deed.zh-hans", "CC-BY-NC-SA-4.0"),
        ("https://creativecommons.org/licenses/by-nd/2.5/", "CC-BY-ND-2.5"),
        ("https://creativecommons.org/licenses/by/1.0", "CC-BY-1.0"),
        ("https://creativecommons.org/licenses/by-nd-nc/1.0/", "CC-BY-NC-ND-1.0"),
        ("HTTPS://WWW.CreativeCommons.org/Licenses/BY/4.0", "CC-BY-4.0"),
        ("creativecommons.org/licenses/by/4.0/legalcode.de", "CC-BY-4.0"),
        # Ports with an SPDX id of their own keep it; other ports give the generic id.
        ("https://creativecommons.org/licenses/by/3.0/de/", "CC-BY-3.0-DE"),
        ("https://creativecommons.org/licenses/by-sa/2.0/uk/deed.en", "CC-BY-SA-2.0-UK"),
        ("https://creativecommons.org/licenses/by/3.0/igo/", "CC-BY-3.0-IGO"),
        ("https://creativecommons.org/licenses/by-sa/2.1/jp/", "CC-BY-SA-2.1-JP"),
        ("https://creativecommons.org/licenses/by/3.0/es/", "CC-BY-3.0"),
        ("https://creativecommons.org/licenses/by-nc/2.5/scotland/", "CC-BY-NC-2.5"),
        ("https://creativecommons.org/licenses/by/2.1/jp/", None),  # no generic 2.1 exists
        ("https://creativecommons.org/publicdomain/zero/1.0/deed.fr", "CC0-1.0"),
        ("https://creativecommons.org/publicdomain/mark/1.0/", "CC-PDM-1.0"),
        ("http://creativecommons.org/licenses/publicdomain/", "CC-PDDC"),
        ("https://i.creativecommons.org/l/by-sa/4.0/88x31.png", "CC-BY-SA-4.0"),
        ("https://licensebuttons.net/l/by-nc/4.0/80x15.png", "CC-BY-NC-4.0"),
        ("https://i.creativecommons.org/p/zero/1.0/88x31.png", "CC0-1.0"),
        ("https://i.creativecommons.org/p/mark/1.0/88x31.png", "CC-PDM-1.0"),
        ("https://mirrors.creativecommons.org/presskit/buttons/88x31/svg/by.svg", None),
        ("https://creativecommons.org/licenses/by/5.0/", None),
        ("https://creativecommons.org/licenses/sampling/1.0/", None),
        ("https://creativecommons.org/licenses/nc-sa/1.0/", None),
        ("https://creativecommons.org/about/", None),
        ("https://www.gnu.org/licenses/gpl-3.0.html", "GPL-3.0-only"),
        ("https://www.gnu.org/licenses/old-licenses/gpl-2.0.en.html", "GPL-2.0-only"),
        ("https://www.gnu.org/licenses/lgpl-2.1.html", "LGPL-2.1-only"),
        ("https://www.gnu.org/licenses/agpl-3.0.html", "AGPL-3.0-only"),
        ("https://www.gnu.org/licenses/fdl-1.3.html", "GFDL-1.3-only"),
        ("https://opensource.org/licenses/MIT", "MIT"),
        ("https://opensource.org/licenses/Apache-2.0", "Apache-2.0"),
        ("https://www.apache.org/licenses/LICENSE-2.0", "Apache-2.0"),
        ("https://spdx.org/licenses/CC-BY-SA-4.0.html", "CC-BY-SA-4.0"),
        ("https://opendatacommons.org/licenses/odbl/1-0/", "ODbL-1.0"),
        (
            "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            "OGL-UK-3.0",
        ),
        ("https://www.govdata.de/dl-de/by-2-0", "DL-DE-BY-2.0"),
        ("https://example.org/licence", None),
        ("not a url at all", None),
        ("http://[::1", None),
        ("", None),
    ],
)
def test_url_normalisation(url: str, licence: str | None) -> None:
    assert licence_from_url(url) == licence


@pytest.mark.parametrize(
    ("text", "licence"),
    [
        ("licensed under CC BY 4.0", "CC-BY-4.0"),
        ("CC BY-SA 3.0", "CC-BY-SA-3.0"),
        ("CC-BY-NC-ND-4.0", "CC-BY-NC-ND-4.0"),
        ("cc by-nc-sa 2.0", "CC-BY-NC-SA-2.0"),
        ("CC BY 3.0 DE", "CC-BY-3.0-DE"),
        ("CC0", "CC0-1.0"),
        ("CC0 1.0 Universal", "CC0-1.0"),
        ("Creative Commons Attribution 4.0 International License", "CC-BY-4.0"),
        ("Creative Commons Attribution-ShareAlike 4.0 International", "CC-BY-SA-4.0"),
        (
            "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International",
            "CC-BY-NC-ND-4.0",
        ),
        ("Creative Commons Attribution-NoDerivs 3.0 Unported", "CC-BY-ND-3.0"),
        ("Creative Commons Attribution 3.0 Germany", "CC-BY-3.0-DE"),
        (
            "Creative Commons Namensnennung - Weitergabe unter gleichen Bedingungen 3.0 "
            "Deutschland",
            "CC-BY-SA-3.0-DE",
        ),
        (
            "Creative Commons Attribution - Partage dans les Mêmes Conditions 4.0 International",
            "CC-BY-SA-4.0",
        ),
        ("Creative Commons Reconocimiento-NoComercial 4.0 Internacional", "CC-BY-NC-4.0"),
        ("知识共享署名 4.0 国际许可协议", "CC-BY-4.0"),
        ("知识共享署名-非商业性使用-相同方式共享 4.0 国际许可协议", "CC-BY-NC-SA-4.0"),
        ("知识共享署名-禁止演绎 3.0", "CC-BY-ND-3.0"),
        ("創用CC 姓名標示-相同方式分享 3.0 台灣", "CC-BY-SA-3.0"),
        ("Public Domain Mark 1.0", "CC-PDM-1.0"),
        ("SPDX-License-Identifier: MIT", "MIT"),
        ("SPDX-License-Identifier: GPL-2.0+", "GPL-2.0-or-later"),
        ("SPDX-License-Identifier: gpl-3.0-or-later", "GPL-3.0-or-later"),
        ("SPDX-License-Identifier: (MIT OR Apache-2.0) */", "(MIT OR Apache-2.0)"),
        ("MIT License", "MIT"),
        ("Apache License, Version 2.0", "Apache-2.0"),
        ("GNU General Public License v3.0 or later", "GPL-3.0-or-later"),
        ("GPLv2", "GPL-2.0-only"),
        ("GNU Lesser General Public License version 2.1", "LGPL-2.1-only"),
        ("GNU Free Documentation License, Version 1.3 or any later version", "GFDL-1.3-or-later"),
        ("Open Government Licence v3.0", "OGL-UK-3.0"),
        ("Open Database License (ODbL) v1.0", "ODbL-1.0"),
    ],
)
def test_text_normalisation(text: str, licence: str) -> None:
    assert [m.spdx for m in names.mentions(text) if m.spdx][:1] == [licence]


@pytest.mark.parametrize(
    "text",
    [
        "CC BY-SA",  # no version: kept as evidence, never completed
        "GNU Free Documentation License",
        "SPDX-License-Identifier: LicenseRef-Proprietary",
        "SPDX-License-Identifier: GPL-2.0 WITH Classpath-exception-2.0",
        "CC BY-ND-SA 4.0",  # not a licence
    ],
)
def test_unreadable_names_stay_unrecognised(text: str) -> None:
    assert [m.spdx for m in names.mentions(text)] == [None]


def test_generic_creative_commons_mention_is_nothing() -> None:
    assert (
        names.mentions("Some of our journalism is published under Creative Commons licences.") == []
    )


def test_restrictiveness_order() -> None:
    order = ["CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC-BY-NC-SA-4.0"]
    order += ["CC-BY-NC-ND-4.0", ARR]
    scores = [spdx.restrictiveness(i) for i in order]
    assert scores == sorted(scores) and len(set(scores)) == len(scores)
    assert spdx.restrictiveness("CC-BY-ND-4.0") > spdx.restrictiveness("CC-BY-SA-4.0")
    assert spdx.restrictiveness("MIT OR GPL-3.0-only") == spdx.restrictiveness("MIT")
    assert spdx.restrictiveness("LicenseRef-Whatever") == spdx.restrictiveness(ARR)


# --- priorities and conflicts ---


def test_footer_all_rights_reserved_does_not_override_page_cc() -> None:
    result = find(
        doc(
            head=f'<link rel="license" href="{CC_BY}">',
            footer="<p>© 2024 Ex Ltd. All rights reserved.</p>",
        )
    )
    assert (result["licence"], result["conflict"]) == ("CC-BY-4.0", False)
    assert result["summary"]["sources"] == ["link-rel"]


def test_footer_all_rights_reserved_alone_is_the_licence() -> None:
    result = find(doc(footer="<p>© 2024 Ex Ltd. All rights reserved.</p>"))
    assert (result["licence"], result["conflict"]) == (ARR, False)
    assert where(result, "copyright-notice")[0]["level"] == "footer"


def test_bare_copyright_notice_is_unknown() -> None:
    result = find(doc(footer="<p>© 2024 Ex Ltd.</p>"))
    assert result["licence"] == "unknown"
    assert result["rightsholder"] == "Ex Ltd."
    assert where(result, "copyright-notice")[0]["spdx"] is None


def test_page_level_disagreement_takes_the_most_restrictive_and_flags_it() -> None:
    nc = {"@type": "Article", "license": "https://creativecommons.org/licenses/by-nc/4.0/"}
    result = find(doc(head=f'<link rel="license" href="{CC_BY}">' + ld(nc)))
    assert (result["licence"], result["conflict"]) == ("CC-BY-NC-4.0", True)
    assert result["summary"]["conflict"] is True


def test_page_all_rights_reserved_against_page_cc_is_a_conflict() -> None:
    result = find(
        doc(
            head=f'<link rel="license" href="{CC_BY}">',
            article="<p>© 2024 Ex. All rights reserved.</p>",
        )
    )
    assert (result["licence"], result["conflict"]) == (ARR, True)


def test_equally_restrictive_disagreement_names_the_stronger_statement() -> None:
    old = "https://creativecommons.org/licenses/by/3.0/"
    result = find(doc(head=f'<link rel="license" href="{old}">', article="<p>CC BY 4.0</p>"))
    assert (result["licence"], result["conflict"]) == ("CC-BY-3.0", True)


def test_unreadable_page_declaration_blocks_lower_levels() -> None:
    badge = f'<a href="{CC_BY}">CC</a>'
    result = find(doc(head='<link rel="license" href="/terms">', footer=badge))
    assert (result["licence"], result["conflict"]) == ("unknown", False)
    assert where(result, "link-rel")[0]["spdx"] is None


def test_unreadable_beside_readable_declaration_is_a_conflict() -> None:
    head = f'<link rel="license" href="{CC_BY}"><link rel="license" href="/our-terms">'
    result = find(doc(head=head))
    assert (result["licence"], result["conflict"]) == ("CC-BY-4.0", True)


def test_unversioned_text_mention_does_not_block() -> None:
    result = find(doc(article="<p>We like CC BY-SA.</p>", footer=f'<a href="{CC_BY}">CC</a>'))
    assert result["licence"] == "CC-BY-4.0"


def test_media_licences_never_decide() -> None:
    figure = (
        '<figure><img src="/p.jpg"><figcaption>Photo: <a rel="license" '
        'href="https://creativecommons.org/licenses/by-sa/2.0/">CC BY-SA 2.0</a>'
        " © 2023 Getty Images</figcaption></figure>"
    )
    alone = find(doc(article=figure))
    assert {e["level"] for e in alone["evidence"]} == {"media"}
    assert alone["licence"] == "unknown"
    assert alone["rightsholder"] is None  # a photo credit does not own the article
    with_page = find(doc(head=f'<link rel="license" href="{CC_BY}">', article=figure))
    assert (with_page["licence"], with_page["conflict"]) == ("CC-BY-4.0", False)
    same = figure.replace("by-sa/2.0", "by/4.0").replace("BY-SA 2.0", "BY 4.0")
    assert find(doc(head=f'<link rel="license" href="{CC_BY}">', article=same))["summary"][
        "sources"
    ] == ["link-rel"]


def test_rsl_ranks_below_the_page_and_above_the_footer() -> None:
    signal = {"code": "licence-rsl", "evidence": "License: /license.xml", "url": "/license.xml"}
    page_cc = find(doc(head=f'<link rel="license" href="{CC_BY}">'), site_signals=[signal])
    assert page_cc["licence"] == "CC-BY-4.0"
    footer_cc = find(doc(footer=f'<a href="{CC_BY}">CC</a>'), site_signals=[signal])
    assert footer_cc["licence"] == "unknown"  # we could not read the site's RSL terms
    readable = {"code": "licence-rsl", "evidence": f"License: {CC_BY}", "url": CC_BY}
    over_footer = find(doc(footer="<p>All rights reserved.</p>"), site_signals=[readable])
    assert (over_footer["licence"], over_footer["conflict"]) == ("CC-BY-4.0", False)


def test_public_domain_statement_agrees_with_cc0() -> None:
    cc0 = "https://creativecommons.org/publicdomain/zero/1.0/"
    text = (
        f'<p>This work is dedicated to the public domain. <a rel="license" href="{cc0}">CC0</a></p>'
    )
    result = find(doc(article=text))
    assert (result["licence"], result["conflict"]) == ("CC0-1.0", False)


def test_regions_without_landmarks_use_the_extracted_main_text() -> None:
    html = (
        "<html><body><div><p>A long article about the harbour wall.</p>"
        "<p>This text is licensed under CC BY 4.0.</p></div>"
        "<div><p>© 2024 Ex Ltd. All rights reserved.</p></div></body></html>"
    )
    main = "A long article about the harbour wall.\nThis text is licensed under CC BY 4.0."
    assert (find(html, main_text=main)["licence"], find(html, main_text=main)["conflict"]) == (
        "CC-BY-4.0",
        False,
    )
    assert (find(html)["licence"], find(html)["conflict"]) == (ARR, True)


def test_no_signal_is_unknown() -> None:
    result = find(doc())
    assert result == {
        "licence": "unknown",
        "evidence": [],
        "rightsholder": None,
        "rightsholder_evidence": None,
        "conflict": False,
        "summary": {"licence": "unknown", "sources": [], "rightsholder": False, "conflict": False},
    }


# --- rights holders ---


@pytest.mark.parametrize(
    ("text", "holder"),
    [
        ("© 2024 Example Ltd. All rights reserved.", "Example Ltd."),
        ("Copyright (c) 2019-2024 Jane Doe", "Jane Doe"),
        ("Copyright © 2003–2024 The Example Foundation, Inc.", "The Example Foundation, Inc."),
        ("(C) 2021 ACME Corp. Some rights reserved.", "ACME Corp."),
        ("Copyright 2024 by Jane Q. Public | Privacy | Terms", "Jane Q. Public"),
        ("©2024 Example GmbH – Alle Rechte vorbehalten", "Example GmbH"),
        ("© Example Media 2020", "Example Media"),
        ("Example Co. Ltd. © 2024", "Example Co. Ltd."),
        (
            "© 2026 Harbour Town Gazette Ltd. Registered office: 3 Quay.",
            "Harbour Town Gazette Ltd.",
        ),
        ("© 2026 Harbour Town Gazette Ltd. 海港镇公报有限公司", "Harbour Town Gazette Ltd."),
        ("版权所有 © 2024 某某公司", "某某公司"),
        ("Copyright © 2024 某某公司 版权所有 京ICP备12345678号", "某某公司"),
        ("某某公司 版权所有", "某某公司"),
        ("版权所有：海港镇公报有限公司 2024年", "海港镇公报有限公司"),
    ],
)
def test_holder_from_notice(text: str, holder: str) -> None:
    assert [n.holder for n in notices.notices(text)][:1] == [holder]
    assert find(doc(footer=f"<p>{text}</p>"))["rightsholder"] == holder


@pytest.mark.parametrize(
    "text",
    ["All rights reserved.", "© 2024", "The copyright law of 2019 changed.", "© ---"],
)
def test_notice_without_a_name_gives_no_holder(text: str) -> None:
    assert all(n.holder is None for n in notices.notices(text))


def test_holder_fallbacks_in_order() -> None:
    holder = {"@type": "Organization", "name": "Foo Press"}
    authors = [{"@type": "Person", "name": "Ann Lee"}, {"@type": "Person", "name": "Bo Chan"}]
    article = {"@type": "Article", "copyrightHolder": holder, "author": authors}
    meta = '<meta name="author" content="Meta Author"><meta property="og:site_name" content="Ex">'
    assert find(doc(head=ld(article) + meta))["rightsholder"] == "Foo Press"
    del article["copyrightHolder"]
    result = find(doc(head=ld(article) + meta))
    assert result["rightsholder"] == "Ann Lee, Bo Chan"
    assert result["rightsholder_evidence"]["where"] == "json-ld"
    result = find(doc(head=meta))
    assert (result["rightsholder"], result["rightsholder_evidence"]["where"]) == (
        "Meta Author",
        "meta-author",
    )
    result = find(doc(head='<meta property="og:site_name" content="Example News">'))
    assert (result["rightsholder"], result["rightsholder_evidence"]) == (
        "Example News",
        {"where": "og:site_name", "value": "Example News"},
    )


def test_holder_from_json_ld_publisher_reference_in_graph() -> None:
    graph = {
        "@graph": [
            {"@type": "Organization", "@id": "#org", "name": "Gazette Ltd."},
            {"@type": "NewsArticle", "publisher": {"@id": "#org"}},
        ]
    }
    assert find(doc(head=ld(graph)))["rightsholder"] == "Gazette Ltd."


def test_notice_outranks_metadata_names() -> None:
    head = ld({"@type": "Article", "author": {"name": "Ann Lee"}})
    result = find(doc(head=head, footer="<p>Copyright © 2024 Example Ltd.</p>"))
    assert result["rightsholder"] == "Example Ltd."


# --- garbage, size, the stage ---

_FRAGMENTS = st.sampled_from(
    [
        "<a rel=license href='",
        '<link rel="license" href=',
        '<script type="application/ld+json">',
        "</script>",
        '{"license": ',
        '{"@graph": [',
        "<footer>",
        "</footer>",
        "<figure>",
        "<main><article>",
        "<meta name=dc.rights content='",
        "<!--",
        "-->",
        "<![CDATA[",
        "\x00",
        "©",
        "Copyright (c) 2024 ",
        "All rights reserved",
        "版权所有",
        "知识共享署名",
        "creativecommons.org/licenses/by/4.0/",
        "https://creativecommons.org/l/",
        "CC BY-SA 3.0",
        "SPDX-License-Identifier: (",
        "public domain",
        "<img src='https://i.creativecommons.org/l/by/",
        "\ud800",
        "<?xml version='1.0' encoding='latin-1'?>",
    ]
)
_HTML = st.lists(st.one_of(st.text(max_size=20), _FRAGMENTS), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html=_HTML, link=st.text(max_size=80), main=st.none() | st.text(max_size=40))
def test_garbage_never_raises(html: str, link: str, main: str | None) -> None:
    signals: Any = [{"code": "licence-rsl", "url": link, "evidence": link}, "junk", {"code": 1}]
    result = licence_findings(html, link, {"link": [link, html[:50]]}, signals, main)
    assert isinstance(result["licence"], str)
    assert all(len(e["value"]) <= 300 for e in result["evidence"])
    json.dumps(result)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=200))
def test_text_detectors_never_raise(text: str) -> None:
    names.mentions(text)
    notices.notices(text)
    notices.public_domain_statements(text)
    licence_from_url(text)


_LD_KEYS = "@type @graph @id license name url author publisher copyrightHolder mainEntity image"
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=20)
    | st.sampled_from([CC_BY, "CC BY 4.0", "ImageObject", "WebSite", "#org"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from([*_LD_KEYS.split(), "isPartOf", "copyrightNotice"]),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=100, deadline=None)
@given(data=_JSON)
def test_json_ld_structures_never_raise(data: Any) -> None:
    result = find(doc(head=ld(data)))
    assert all(e["spdx"] in (None, "CC-BY-4.0") for e in where(result, "json-ld"))


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "<!-- only a comment -->",
        "<div>" * 5000 + "© 2024 Deep Ltd.",
        "<p>" + "Copyright " * 20000 + "</p>",
        "<p>" + "CC BY-" * 20000 + "</p>",
        "<p>" + "©" * 50000 + "</p>",
        "<p>" + "Creative Commons Attribution " * 5000 + "</p>",
        '<script type="application/ld+json">' + "[" * 5000 + "</script>",
        "<p>" + "dedicated to " * 5000 + "</p>",
        "<p>" + "SPDX-License-Identifier: GPL-2.0 " * 20000 + "</p>",
        "<p>" + "CC BY 4.0 " * 50000 + "</p>",
        "<p>word " * 30000,
    ],
)
def test_hostile_pages_finish_quickly(html: str) -> None:
    start = time.perf_counter()
    result = find(html)
    assert time.perf_counter() - start < 2
    assert len(result["evidence"]) <= 100


def _page(body: str, **kwargs: Any) -> Page:
    return Page(
        url="https://example.org/a",
        status=200,
        body=body.encode("utf-8"),
        encoding="utf-8",
        content_type="text/html",
        fetched_at="2026-01-01T00:00:00Z",
        content_sha256="0" * 64,
        **kwargs,
    )


def test_stage_annotates_the_page_and_the_dataset_reads_it() -> None:
    page = _page(doc(footer="<p>© 2024 Ex Ltd. All rights reserved.</p>"), text="article")
    page.headers = {"link": [f'<{CC_BY}>; rel="license"']}
    Analyzer([LicenceStep()]).analyse(page)
    found = page.findings.licence
    assert found is not None
    assert (found.licence, found.rightsholder) == ("CC-BY-4.0", "Ex Ltd.")
    assert found.summary()["sources"] == ["link-header"]
    record = dataset_record(page, "f" * 64)
    assert record["licence"] == "CC-BY-4.0"
    assert record["rightsholder"] == "Ex Ltd."
    assert record["licence_evidence"] == found.evidence_dicts()
