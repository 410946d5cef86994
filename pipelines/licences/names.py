"""Licences named in text: "CC BY-SA 3.0", "Creative Commons Attribution 4.0 International",
"知识共享署名 4.0 国际许可协议", "GNU GPL v3", `SPDX-License-Identifier: MIT`. A name without the
version it needs is reported with spdx None, never completed by guessing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from typing import NamedTuple

from pipelines.licences import spdx


class Mention(NamedTuple):
    start: int
    end: int
    spdx: str | None


# Letters and digits only: CJK characters are word characters, so \b fails in "协议CC BY".
_L = r"(?<![A-Za-z0-9])"
_R = r"(?![A-Za-z0-9])"
_SEP = r"[ \t_-]?"
_CC_SHORT = re.compile(
    _L + r"CC" + _SEP + r"(BY(?:" + _SEP + r"(?:NC|ND|SA)){0,2})"
    r"(?:" + _SEP + r"v?(\d[.,]\d))?(?:[ _-](IGO|DE|AT|AU|NL|US|UK|FR|JP)" + _R + r")?" + _R,
    re.I,
)
_CC_ZERO = re.compile(
    _L + r"(?:CC[ -]?0|CC[ -]Zero|Creative Commons Zero)(?:[ v]*1\.0)?" + _R, re.I
)
_PD_MARK = re.compile(r"Public\s+Domain\s+Mark(?:\s+1\.0)?", re.I)
_CC_ANCHOR = re.compile(
    r"creative\s*commons|知识共享|知識共享|創用\s*CC|クリエイティブ・コモンズ", re.I
)
# Licence elements in the deed names of several languages; BY is in every licence we map.
_ELEMENTS = (
    (
        "NC",
        r"non[\s-]?commercial|nicht[\s-]?kommerziell|pas\s+d.utilisation\s+commerciale"
        r"|no\s*comercial|non\s+commerciale|niet[\s-]commercieel|n[ãa]o\s*comercial"
        r"|非商业性使用|非商業性|非営利",
    ),
    (
        "ND",
        r"no[\s-]?deriv(?:ative)?s?(?:\s+works)?|keine\s+bearbeitung(?:en)?"
        r"|pas\s+de\s+modification|sin\s*obra\s*derivada|sin\s*derivadas|non\s+opere\s+derivate"
        r"|geen\s+afgeleide\s+werken|sem\s*deriva[çc][õo]es|禁止演绎|禁止改作|改変禁止",
    ),
    (
        "SA",
        r"share[\s-]?alike|weitergabe\s+unter\s+gleichen\s+bedingungen"
        r"|partage\s+dans\s+les\s+m[êe]mes\s+conditions|compartir\s*igual"
        r"|condividi\s+allo\s+stesso\s+modo|gelijk\s+delen|compartilha\s*igual"
        r"|相同方式共享|相同方式分享|継承",
    ),
    (
        "BY",
        r"attribution|namensnennung|paternit[ée]|reconocimiento|atribuci[óo]n|attribuzione"
        r"|naamsvermelding|atribui[çc][ãa]o|署名|姓名標示|表示",
    ),
)
_ELEMENT = {code: re.compile(pattern, re.I) for code, pattern in _ELEMENTS}
_VERSION = re.compile(r"(?<![\d.])([1-4])[.,]([015])(?![\d])")
_PORT_WORDS = re.compile(
    r"(germany|deutschland|austria|österreich|netherlands|nederland|united\s+states|australia"
    r"|france|japan|日本|england\s+and\s+wales|igo)",
    re.I,
)
_PORTS = {"germany": "DE", "deutschland": "DE", "austria": "AT", "österreich": "AT"}
_PORTS |= {"netherlands": "NL", "nederland": "NL", "united states": "US", "australia": "AU"}
_PORTS |= {"france": "FR", "japan": "JP", "日本": "JP", "england and wales": "UK", "igo": "IGO"}
_SENTENCE_END = re.compile(r"[。；;!?！？]|\.(?!\d)(?:\s|$)")

_GNU = re.compile(
    _L + r"(?:GNU\s+)?(?:(Affero\s+|Lesser\s+|Library\s+)?General\s+Public\s+Licen[cs]e"
    r"|(A|L)?GPL)[\s,-]*(?:version\s*|v)?(2\.1|[23])(?:\.0)?"
    r"(\s*\+|-or-later|\s*,?\s*or\s+(?:\(at\s+your\s+option\)\s+)?(?:any\s+)?later(?:\s+version)?)?"
    + _R,
    re.I,
)
_GFDL = re.compile(
    _L + r"(?:GNU\s+Free\s+Documentation\s+Licen[cs]e|GNU\s+FDL|GFDL)[\s,-]*(?:version\s*|v)?"
    r"(1\.[123])?(\s*\+|-or-later|\s*,?\s*or\s+(?:any\s+)?later(?:\s+version)?)?" + _R,
    re.I,
)
_DASH = r"\s*[-–—]\s*"
_SIMPLE = tuple(
    (re.compile(pattern, re.I), identifier)
    for pattern, identifier in (
        (_L + r"MIT[\s-]+Licen[cs]e" + _R, "MIT"),
        (r"licen[cs]ed\s+under\s+(?:the\s+)?MIT" + _R, "MIT"),
        (_L + r"Apache(?:[\s-]+Licen[cs]e)?[\s,-]*(?:version\s*|v)?2\.0" + _R, "Apache-2.0"),
        (_L + r"(?:Mozilla\s+Public\s+Licen[cs]e[\s,-]*(?:version\s*|v)?|MPL-)2\.0", "MPL-2.0"),
        (_L + r"(?:BSD[\s-]+3[\s-]+Clause|3[\s-]+Clause\s+BSD)" + _R, "BSD-3-Clause"),
        (_L + r"(?:BSD[\s-]+2[\s-]+Clause|2[\s-]+Clause\s+BSD)" + _R, "BSD-2-Clause"),
        (_L + r"(?:ODbL|Open\s+Database\s+Licen[cs]e)(?:[\s-]*v?1\.0)?" + _R, "ODbL-1.0"),
        (r"Open\s+Government\s+Licen[cs]e" + _DASH + "Canada", "OGL-Canada-2.0"),
        (_L + r"The\s+Unlicense" + _R, "Unlicense"),
        (
            r"Datenlizenz\s+Deutschland" + _DASH + "Namensnennung" + _DASH + r"Version\s*2\.0",
            "DL-DE-BY-2.0",
        ),
        (
            r"Datenlizenz\s+Deutschland" + _DASH + "Zero" + _DASH + r"Version\s*2\.0",
            "DL-DE-ZERO-2.0",
        ),
        (r"Licence\s+Ouverte\s*(?:/\s*Open\s+Licen[cs]e\s*)?(?:version\s*|v)?2\.0", "etalab-2.0"),
    )
)
_OGL_UK = re.compile(
    r"Open\s+Government\s+Licen[cs]e(?!\s*[-–—]\s*Canada)(?:\s+for\s+public\s+sector"
    r"\s+information)?[\s,]*(?:version\s*|v)?([123])(?:\.0)?" + _R,
    re.I,
)
_SPDX_LINE = re.compile(r"SPDX-License-Identifier:\s*([A-Za-z0-9.+:() -]{1,200})", re.I)


# Per pattern and text: a block naming more licences than this is not a licence statement, and
# the cap keeps hostile pages linear.
MAX_MATCHES = 50


def _matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    return islice(pattern.finditer(text), MAX_MATCHES)


def _cc_short(text: str) -> list[Mention]:
    out = []
    for m in _matches(_CC_SHORT, text):
        elements = set(re.findall(r"NC|ND|SA", m.group(1)[2:].upper()))
        version = (m.group(2) or "").replace(",", ".")
        identifier = None
        if version and not ({"ND", "SA"} <= elements):
            code = "-".join(["BY", *[e for e in ("NC", "ND", "SA") if e in elements]])
            identifier = spdx.cc_id(code, version, m.group(3))
        out.append(Mention(m.start(), m.end(), identifier))
    return out


def _cc_long(text: str) -> list[Mention]:
    out = []
    anchors = list(_matches(_CC_ANCHOR, text))
    for i, anchor in enumerate(anchors):
        limit = anchors[i + 1].start() if i + 1 < len(anchors) else len(text)
        window = text[anchor.end() : min(limit, anchor.end() + 160)]
        end = _SENTENCE_END.search(window)
        window = window[: end.start()] if end else window
        elements = {code for code, pattern in _ELEMENT.items() if pattern.search(window)}
        if "BY" not in elements:
            continue
        if {"ND", "SA"} <= elements:
            out.append(Mention(anchor.start(), anchor.end() + len(window), None))
            continue
        version = _VERSION.search(window)
        identifier = None
        if version:
            port_word = _PORT_WORDS.search(window[version.end() :])
            port = (
                _PORTS.get(re.sub(r"\s+", " ", port_word.group(1).lower())) if port_word else None
            )
            code = "-".join(["BY", *[e for e in ("NC", "ND", "SA") if e in elements]])
            identifier = spdx.cc_id(code, f"{version.group(1)}.{version.group(2)}", port)
        out.append(Mention(anchor.start(), anchor.end() + len(window), identifier))
    return out


def _gnu(text: str) -> list[Mention]:
    out = []
    for m in _matches(_GNU, text):
        family = (m.group(1) or m.group(2) or "").strip().lower()
        name = {"affero": "AGPL", "a": "AGPL", "lesser": "LGPL", "library": "LGPL", "l": "LGPL"}
        version = m.group(3) if "." in m.group(3) else m.group(3) + ".0"
        suffix = "or-later" if m.group(4) else "only"
        out.append(
            Mention(
                m.start(), m.end(), spdx.canonical(f"{name.get(family, 'GPL')}-{version}-{suffix}")
            )
        )
    for m in _matches(_GFDL, text):
        identifier = None
        if m.group(1):
            identifier = f"GFDL-{m.group(1)}-{'or-later' if m.group(2) else 'only'}"
        out.append(Mention(m.start(), m.end(), identifier))
    return out


def mentions(text: str) -> list[Mention]:
    """Every licence named in `text`, in order of appearance."""
    found = _cc_short(text) + _cc_long(text) + _gnu(text)
    found += [Mention(m.start(), m.end(), "CC0-1.0") for m in _matches(_CC_ZERO, text)]
    found += [Mention(m.start(), m.end(), "CC-PDM-1.0") for m in _matches(_PD_MARK, text)]
    for pattern, identifier in _SIMPLE:
        found += [Mention(m.start(), m.end(), identifier) for m in _matches(pattern, text)]
    for m in _matches(_OGL_UK, text):
        found.append(Mention(m.start(), m.end(), f"OGL-UK-{m.group(1)}.0"))
    lines = [
        Mention(m.start(), m.end(), spdx.expression(m.group(1))) for m in _matches(_SPDX_LINE, text)
    ]
    # An identifier line speaks for itself: the ids inside it are not further mentions.
    found = [f for f in found if not any(s.start <= f.start and f.end <= s.end for s in lines)]
    return sorted(found + lines)
