"""The SPDX ids we recognise for web content, how restrictive each is, and SPDX expressions.

An id outside these tables is never invented: callers report such a licence with spdx None.
"""

from __future__ import annotations

import re

ALL_RIGHTS_RESERVED = "LicenseRef-All-Rights-Reserved"
# A public-domain statement naming no instrument; CC0, the PD Mark and CC-PDDC are specific.
PUBLIC_DOMAIN = "LicenseRef-Public-Domain"
UNKNOWN = "unknown"

CC_CODES = ("BY", "BY-SA", "BY-ND", "BY-NC", "BY-NC-SA", "BY-NC-ND")
CC_VERSIONS = ("1.0", "2.0", "2.5", "3.0", "4.0")
# Jurisdiction ports that have an SPDX id of their own (SPDX licence list 3.26); other ports
# are reported under the generic id of the same version.
CC_PORTED = frozenset(
    {
        "CC-BY-2.5-AU",
        "CC-BY-3.0-AT",
        "CC-BY-3.0-AU",
        "CC-BY-3.0-DE",
        "CC-BY-3.0-IGO",
        "CC-BY-3.0-NL",
        "CC-BY-3.0-US",
        "CC-BY-NC-3.0-DE",
        "CC-BY-NC-ND-3.0-DE",
        "CC-BY-NC-ND-3.0-IGO",
        "CC-BY-NC-SA-2.0-DE",
        "CC-BY-NC-SA-2.0-FR",
        "CC-BY-NC-SA-2.0-UK",
        "CC-BY-NC-SA-3.0-DE",
        "CC-BY-NC-SA-3.0-IGO",
        "CC-BY-ND-3.0-DE",
        "CC-BY-SA-2.0-UK",
        "CC-BY-SA-2.1-JP",
        "CC-BY-SA-3.0-AT",
        "CC-BY-SA-3.0-DE",
        "CC-BY-SA-3.0-IGO",
    }
)
PUBLIC_DOMAIN_IDS = frozenset({"CC0-1.0", "CC-PDDC", "CC-PDM-1.0", PUBLIC_DOMAIN})
_NO_CONDITIONS = PUBLIC_DOMAIN_IDS | {"0BSD", "MIT-0", "Unlicense", "WTFPL", "PDDL-1.0"}
_NO_CONDITIONS |= {"DL-DE-ZERO-2.0"}
_COPYLEFT = re.compile(r"^(?:A?GPL|LGPL|GFDL|MPL|EPL|EUPL|ODbL|CDLA-Sharing|OFL|CC-BY-SA)-")
_PERMISSIVE = (
    "MIT",
    "Apache-1.1",
    "Apache-2.0",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "Zlib",
    "ODC-By-1.0",
    "OGL-UK-1.0",
    "OGL-UK-2.0",
    "OGL-UK-3.0",
    "OGL-Canada-2.0",
    "DL-DE-BY-2.0",
    "etalab-2.0",
    "NLOD-1.0",
    "NLOD-2.0",
    "CDLA-Permissive-2.0",
)
_COPYLEFT_IDS = (
    "MPL-2.0",
    "EPL-2.0",
    "EUPL-1.2",
    "ODbL-1.0",
    "CDLA-Sharing-1.0",
    "OFL-1.1",
    *(f"{n}-{v}-{s}" for n, v in (("GPL", "2.0"), ("GPL", "3.0")) for s in ("only", "or-later")),
    *(f"LGPL-{v}-{s}" for v in ("2.1", "3.0") for s in ("only", "or-later")),
    *(f"AGPL-3.0-{s}" for s in ("only", "or-later")),
    *(f"GFDL-{v}-{s}" for v in ("1.1", "1.2", "1.3") for s in ("only", "or-later")),
)
KNOWN: frozenset[str] = frozenset(
    {f"CC-{code}-{version}" for code in CC_CODES for version in CC_VERSIONS}
    | CC_PORTED
    | _NO_CONDITIONS
    | set(_PERMISSIVE)
    | set(_COPYLEFT_IDS)
    | {ALL_RIGHTS_RESERVED}
)
# Deprecated ids still written in SPDX-License-Identifier lines, as SPDX itself maps them.
_DEPRECATED = {
    **{f"{n}-{v}": f"{n}-{v}-only" for n in ("GPL", "LGPL", "AGPL") for v in ("2.0", "2.1", "3.0")},
    **{f"{n}-{v}+": f"{n}-{v}-or-later" for n in ("GPL", "LGPL", "AGPL") for v in ("2.0", "2.1")},
    **{f"GFDL-{v}": f"GFDL-{v}-only" for v in ("1.1", "1.2", "1.3")},
    "GPL-3.0+": "GPL-3.0-or-later",
    "LGPL-3.0+": "LGPL-3.0-or-later",
}
_BY_LOWER = {k.lower(): k for k in KNOWN} | {
    k.lower(): v for k, v in _DEPRECATED.items() if v in KNOWN
}


def canonical(identifier: str) -> str | None:
    """The canonical spelling of a recognised SPDX id (ids are case-insensitive), else None."""
    return _BY_LOWER.get(identifier.strip().lower())


def cc_id(code: str, version: str, port: str | None = None) -> str | None:
    """`CC-<code>-<version>[-<port>]` when SPDX lists it; an unlisted port gives the generic id."""
    code = code.upper()
    if port:
        ported = f"CC-{code}-{version}-{port.upper()}"
        if ported in CC_PORTED:
            return ported
    generic = f"CC-{code}-{version}"
    return generic if generic in KNOWN else None


def restrictiveness(spdx: str) -> int:
    """0 (no conditions) .. 6 (all rights reserved); ids we do not know count as reserved."""
    if " " in spdx:
        return _expression_restrictiveness(spdx)
    if spdx in _NO_CONDITIONS:
        return 0
    if spdx.startswith("CC-BY-"):
        parts = set(spdx.split("-"))
        nc, nd, sa = "NC" in parts, "ND" in parts, "SA" in parts
        return 1 + 2 * nc + 2 * nd + sa
    if spdx in KNOWN and spdx != ALL_RIGHTS_RESERVED:
        return 2 if _COPYLEFT.match(spdx) else 1
    return 6


_TOKEN = re.compile(r"\(|\)|[A-Za-z0-9.+:-]+")
_OPERATORS = {"and": "AND", "or": "OR", "with": "WITH"}


def expression(text: str) -> str | None:
    """The SPDX expression at the start of `text` (a comment's trailing words are dropped),
    canonical when every id in it is recognised, else None."""
    out: list[str] = []
    depth = 0
    expect_id = True
    for token in _TOKEN.findall(text)[:40]:
        lower = token.lower()
        if expect_id and token == "(":
            out.append(token)
            depth += 1
        elif expect_id:
            if lower in _OPERATORS:
                return None
            known = canonical(token)
            if known is None:
                return None
            out.append(known)
            expect_id = False
        elif token == ")" and depth:
            out.append(token)
            depth -= 1
        elif lower in _OPERATORS:
            if lower == "with":
                return None  # exceptions are not in our tables
            out.append(_OPERATORS[lower])
            expect_id = True
        else:
            break  # the expression ended; what follows is prose
    if not out or expect_id or depth:
        return None
    return " ".join(out).replace("( ", "(").replace(" )", ")")


def _expression_restrictiveness(spdx: str) -> int:
    ids = [t for t in _TOKEN.findall(spdx) if t not in ("(", ")", "AND", "OR")]
    scores = [restrictiveness(i) for i in ids] or [6]
    # A choice (OR) is as restrictive as its freest branch only when nothing is also required.
    return min(scores) if " OR " in spdx and " AND " not in spdx else max(scores)
