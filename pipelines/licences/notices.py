"""Copyright notices ("© 2024 Example Ltd. All rights reserved.", "版权所有 © 2024 某某公司"),
reservations of all rights, public-domain statements, and the rights holder a notice names.
A notice that names nobody gives no holder; the word "copyright" in prose is not a notice.
"""

from __future__ import annotations

import re
from itertools import islice
from typing import NamedTuple

_YEAR = r"(?:19|20)\d{2}"
_YEARS = re.compile(
    rf"^(?:{_YEAR}(?:\s*年)?(?:\s*[-–—/~]\s*(?:{_YEAR}|present|now|today)(?:\s*年)?)?"
    rf"\s*[,.]?\s*)+",
    re.I,
)
_SYMBOL = r"(?:©|&copy;|\(c\)|\(C\))"
# "Copyright" starts a notice only when a symbol or a year follows, or at the start of a line
# before a capitalised name: "copyright law" in prose is not a notice.
_MARK = re.compile(
    rf"(?:(?<![A-Za-z])(?i:copyright)\s*{_SYMBOL}?\s*(?={_SYMBOL}|{_YEAR})"
    rf"|^\s*Copyright\s+(?=[A-Z])"
    rf"|©|&copy;|\([cC]\)(?=\s*{_YEAR})|版权所有|版權所有|著作权所有|著作權所有)",
    re.M,
)
_RESERVED = re.compile(
    r"all\s+rights\s+reserved|alle\s+rechte\s+vorbehalten|tous\s+droits\s+r[ée]serv[ée]s"
    r"|todos\s+los\s+derechos\s+reservados|tutti\s+i\s+diritti\s+riservati"
    r"|todos\s+os\s+direitos\s+reservados|alle\s+rechten\s+voorbehouden"
    r"|все\s+права\s+защищены|保留所有权利|保留一切权利|保留所有權利|翻印必究|侵权必究|侵權必究"
    r"|無断転載を?禁(?:止|じます)",
    re.I,
)
# What ends a holder's name after the years.
_STOP = re.compile(
    r"[|·•;，。;；(\n\"“”]|,(?!\s*(?:inc|ltd|llc|gmbh|co|corp|plc|limited|s\.a|b\.v)\b)"
    r"|\s[-–—]\s|\s{2,}|https?://|www\.|@"
    r"|\bsome\s+rights\s+reserved|\bno\s+rights\s+reserved|\blicen[cs]ed\b|\bpublished\b"
    r"|\bpowered\s+by\b|\bdesign(?:ed)?\s+by\b|\bregistered\b|\bprivacy\b|\bterms\b"
    r"|\bcontact\b|\ball\s+(?:content|text|material)\b|\bunless\b|\bexcept\b"
    r"|版权所有|版權所有|保留|京ICP|ICP备|ICP證",
    re.I,
)
_CORPORATE = frozenset(
    {"ltd", "limited", "inc", "co", "corp", "llc", "l.l.c", "plc", "pty", "bros", "gmbh", "mbh"}
    | {"ag", "kg", "e.v", "s.a", "s.l", "s.r.l", "s.p.a", "s.a.s", "sarl", "sas", "cie", "ltda"}
    | {"b.v", "n.v", "k.k", "oy", "ab", "a/s"}
)
_ABBREVIATIONS = frozenset(
    {"st", "jr", "sr", "dr", "mr", "mrs", "ms", "prof", "no", "dept", "univ"}
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_LETTER = re.compile(r"[^\W\d_]")


class Notice(NamedTuple):
    start: int
    end: int
    holder: str | None


def _latin_name(text: str) -> str:
    words: list[str] = []
    tokens = text.split()
    for i, word in enumerate(tokens[:16]):
        if _CJK.match(word) and words:
            break  # "Example Ltd. 某某公司": the name in the other script is a translation
        stem = word.rstrip(".")
        if not word.endswith(".") or word.endswith(".."):
            words.append(word)
            continue
        lowered = stem.lower()
        if lowered in _CORPORATE:
            words.append(word)
            following = tokens[i + 1].rstrip(".,").lower() if i + 1 < len(tokens) else ""
            if following not in _CORPORATE:
                break
        elif _keeps_dot(word):
            words.append(word)
        else:
            words.append(stem)
            break
    return " ".join(words)


def clean_holder(text: str) -> str | None:
    """The rights holder's name in `text`: without ©, "Copyright", years or reservations."""
    rest = text.strip()
    for _ in range(4):
        before = rest
        rest = re.sub(r"^(?:copyright|©|&copy;|\(c\)|by\b|[:：])\s*", "", rest, flags=re.I)
        rest = _YEARS.sub("", rest)
        if rest == before:
            break
    stop = _STOP.search(rest)
    reserved = _RESERVED.search(rest)
    cut = min(m.start() for m in (stop, reserved) if m) if (stop or reserved) else len(rest)
    rest = rest[:cut].strip()
    if not rest:
        return None
    name = rest.split()[0] if _CJK.match(rest) else _latin_name(rest)
    name = re.sub(rf"[\s,]*{_YEAR}(?:\s*[-–—]\s*{_YEAR})?$", "", name)
    name = re.sub(r"\s+copyright$", "", name, flags=re.I)  # "© Crown copyright"
    name = name.strip(" \t-–—:/,")
    if len(name) < 2 or len(name) > 120 or not _LETTER.search(name):
        return None
    return name


def _keeps_dot(word: str) -> bool:
    stem = word.rstrip(".").lower()
    return stem in _CORPORATE or stem in _ABBREVIATIONS or (len(stem) == 1 and stem.isalpha())


def _before(text: str, start: int) -> str:
    """The name written before a mark ("Example Co. Ltd. ©2024", "某某公司版权所有")."""
    head = re.split(r"[|·•;。；\n]", text[max(0, start - 80) : start])[-1].strip()
    if _CJK.search(head[-1:] or "x"):
        run = re.search(r"[\u3400-\u9fff\w（）()·]+$", head)
        return run.group(0) if run else ""
    words: list[str] = []
    for word in reversed(head.split()[-8:]):
        if word.endswith(".") and words and not _keeps_dot(word):
            break  # the end of the previous sentence
        words.insert(0, word)
    return " ".join(words)


def notices(text: str, limit: int = 10) -> list[Notice]:
    """The first `limit` copyright notices in `text`, each with the holder it names, if any."""
    out: list[Notice] = []
    for m in _MARK.finditer(text):
        if len(out) >= limit:
            break
        if out and m.start() < out[-1].end:
            continue  # "Copyright ©" is one mark
        after = text[m.end() : m.end() + 200]
        holder = clean_holder(after)
        if holder is None:
            holder = clean_holder(_before(text, m.start()))
        stop = _STOP.search(after)
        end = m.end() + (stop.start() if stop else len(after))
        out.append(Notice(m.start(), end, holder))
    return out


def reservation(text: str) -> re.Match[str] | None:
    """The first "All rights reserved" (or its translation) in `text`."""
    return _RESERVED.search(text)


_PUBLIC_DOMAIN = re.compile(
    r"(?:dedicated|released|placed|put|contributed|committed)\s+(?:\w+\s+){0,3}?"
    r"(?:in|into|to)\s+the\s+public\s+domain"
    r"|(?:this|the)\s+(?:work|article|page|text|content|image|photo(?:graph)?|picture|file"
    r"|material|document|post|site|website|recording|video|story|essay)s?\s+(?:is|are)\s+"
    r"(?:hereby\s+)?(?:in|part\s+of)\s+the\s+public\s+domain"
    r"|licen[cs]e[ds]?\s*(?:under)?\s*:?\s*(?:the\s+)?public\s+domain"
    r"|^\s*public\s+domain\s*\.?\s*$"
    r"|(?:本|此)(?:作品|文章|图片|圖片|内容|內容)\S{0,6}(?:公有领域|公共领域|公有領域|公共領域)",
    re.I,
)
_NEGATION = re.compile(r"(?:\bnot|n't|\bnever|\bno longer|不|未|非)\s*\S*\s*$", re.I)
_NEGATED = re.compile(r"\bnot\b|n't\b|\bnever\b", re.I)


def public_domain_statements(text: str) -> list[tuple[int, int]]:
    """Spans saying this work is in the public domain (not that something else is, not "not")."""
    out = []
    for m in islice(_PUBLIC_DOMAIN.finditer(text), 20):
        if _NEGATION.search(text[max(0, m.start() - 20) : m.start()]) or _NEGATED.search(
            m.group(0)
        ):
            continue
        out.append((m.start(), m.end()))
    return out
