"""Confidentiality markers ("CONFIDENTIAL", "internal use only", "内部资料", "商业秘密", ...)
and how much each weighs by where it stands and whether it is a notice or a word in a sentence.
It only scores, never decides; a page with no notice-like marker must never reach 1.0.

Weights (where x form); "label" = a notice line, a "Confidential:" prefix, [Confidential], an
uppercase CONFIDENTIAL in mixed-case text, 机密★1年; "mention" = the word inside running prose:

    where     label  mention   where it comes from
    banner    1.0    0.2       a notice element (role/class banner, notice, alert, classification,
                               <header>) or the first ~500 characters of the body
    title     1.0    0.2       <title>, or the extracted title
    heading   1.0    0.2       <h1>
    heading   0.8    0.2       <h2>-<h6> lines of the main text
    body      0.8    0.15      a line of the main text
    footer    0.1    0.1       <footer>, role=contentinfo, class footer/disclaimer/legal, or an
                               e-mail disclaimer sentence ("This email is confidential...")

Mentions add up to MENTION_CAP at most and footers to FOOTER_CAP, so prose about a trade-secret
lawsuit (any number of mentions, in the headline too) scores at most 0.5 + 0.2 = 0.7 < 1.0.
"Trade secret", "top secret", "商业秘密" and a bare "秘密" are topics rather than labels: they
count as a label only in uppercase (TRADE SECRET) or as a classification (秘密★, 密级：秘密).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LABEL_WEIGHT = {"banner": 1.0, "title": 1.0, "h1": 1.0, "heading": 0.8, "body": 0.8, "footer": 0.1}
MENTION_WEIGHT = {
    "banner": 0.2,
    "title": 0.2,
    "h1": 0.2,
    "heading": 0.2,
    "body": 0.15,
    "footer": 0.1,
}
MENTION_CAP = 0.5
FOOTER_CAP = 0.2
MAX_LISTED = 50
MAX_LINE = 5_000
MAX_TERMS = 20
CONTEXT_CHARS = 300

# (phrase, language, strong). Latin phrases match case-insensitively on word boundaries, with any
# run of spaces or hyphens between words; CJK phrases match as they are.
LEXICON: tuple[tuple[str, str, bool], ...] = (
    ("strictly confidential", "en", True),
    ("highly confidential", "en", True),
    ("company confidential", "en", True),
    ("proprietary and confidential", "en", True),
    ("confidential and proprietary", "en", True),
    ("private and confidential", "en", True),
    ("private & confidential", "en", True),
    ("privileged and confidential", "en", True),
    ("privileged & confidential", "en", True),
    ("confidential", "en", True),
    ("for internal use only", "en", True),
    ("internal use only", "en", True),
    ("for internal use", "en", True),
    ("internal only", "en", True),
    ("do not distribute", "en", True),
    ("not for distribution", "en", True),
    ("do not disclose", "en", True),
    ("not for public release", "en", True),
    ("attorney client privileged", "en", True),
    ("attorney client privilege", "en", True),
    ("trade secrets", "en", False),
    ("trade secret", "en", False),
    ("top secret", "en", False),
    ("strictement confidentiel", "fr", True),
    ("confidentielle", "fr", True),
    ("confidentiel", "fr", True),
    ("usage interne", "fr", True),
    ("diffusion restreinte", "fr", True),
    ("secret des affaires", "fr", False),
    ("streng vertraulich", "de", True),
    ("vertraulich", "de", True),
    ("nur für den internen gebrauch", "de", True),
    ("geschäftsgeheimnisse", "de", False),
    ("geschäftsgeheimnis", "de", False),
    ("estrictamente confidencial", "es", True),
    ("confidencial", "es", True),
    ("solo para uso interno", "es", True),
    ("secretos comerciales", "es", False),
    ("secreto comercial", "es", False),
    ("仅供内部使用", "zh", True),
    ("僅供內部使用", "zh", True),
    ("仅限内部使用", "zh", True),
    ("内部资料", "zh", True),
    ("內部資料", "zh", True),
    ("内部文件", "zh", True),
    ("內部文件", "zh", True),
    ("内部材料", "zh", True),
    ("严禁外传", "zh", True),
    ("嚴禁外傳", "zh", True),
    ("请勿外传", "zh", True),
    ("請勿外傳", "zh", True),
    ("不得外传", "zh", True),
    ("注意保密", "zh", True),
    ("商业秘密", "zh", False),
    ("商業秘密", "zh", False),
    ("商业机密", "zh", False),
    ("商業機密", "zh", False),
    ("绝密", "zh", True),
    ("絕密", "zh", True),
    ("机密", "zh", True),
    ("機密", "zh", True),
    ("秘密", "zh", False),
    ("関係者外秘", "ja", True),
    ("社外秘", "ja", True),
    ("部外秘", "ja", True),
    ("極秘", "ja", True),
    ("営業秘密", "ja", False),
)
# Every phrase of the lexicon contains one of these (lowercase); tests/test_secrets.py checks it.
HINTS = (
    *("confiden", "intern", "distribut", "disclos", "public release", "privilege", "secret"),
    *("vertraulich", "geheimnis", "restreinte", "密", "秘", "内部", "內部", "外传", "外傳"),
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def _fragment(phrase: str) -> str:
    if _CJK.search(phrase):
        return re.escape(phrase)
    words = [re.escape(word) for word in phrase.split()]
    # "non-confidential" says the opposite.
    return r"(?<!non-)(?<!non )\b" + r"[\s\-–]+".join(words) + r"\b"


_ORDERED = sorted(LEXICON, key=lambda entry: -len(entry[0]))
_TERMS = re.compile("|".join(f"({_fragment(p)})" for p, _, _ in _ORDERED), re.IGNORECASE)

# Words that may stand beside a marker in a notice line without making it a sentence.
_LATIN_FILLER = frozenset(
    re.findall(
        r"\w+",
        "notice warning document documents memo memorandum report draft information material"
        " materials data copy only please note strictly highly company internal classification"
        " classified level page version marked sensitive private proprietary restricted label"
        " dokument interne interno",
    )
)
_CJK_FILLER = re.compile(
    r"文件|资料|資料|材料|注意|保密|密级|密級|期限|长期|長期|内容|內容|信息|本|此|件|页|頁|第|共|年|级|級"
)
# A hyphen separates only with a space beside it: "non-confidential" is one word.
_SEPARATOR_AFTER = r"[:：–—|/·•]|-\s"
_SEPARATOR_BEFORE = r"[:：–—|/·•]|\s-"
_OPEN, _CLOSE = "([【〔", ")]】〕"
_DISCLAIMER = re.compile(
    r"(?i)\b(?:this|the)\s+(?:e-?mail|message|communication|transmission)\b.{0,160}"
    r"\b(?:confidential|privileged)|\bintended\s+(?:solely|only)\s+for\s+the\s+(?:use\s+of\s+the\s+)?"
    r"(?:individual|addressee|recipient|person)|本(?:邮件|郵件|电子邮件|電子郵件|信息|訊息).{0,40}"
    r"(?:保密|机密|機密|秘密)"
)


@dataclass(frozen=True)
class Found:
    """A marker occurrence in one line: the matched words, never a page's credential."""

    start: int
    end: int
    surface: str
    language: str
    strong: bool


def find_terms(line: str) -> list[Found]:
    """The markers in a line: in its first MAX_LINE characters (a notice line is short), at most
    MAX_TERMS of them (past that the mention budget is spent anyway)."""
    line = line[:MAX_LINE]
    lowered = line.lower()
    # The alternation of every phrase is slow; most lines hold no hint of any of them.
    if not any(hint in lowered for hint in HINTS):
        return []
    found: list[Found] = []
    for match in _TERMS.finditer(line):
        if len(found) >= MAX_TERMS:
            break
        _, language, strong = _ORDERED[(match.lastindex or 1) - 1]
        found.append(Found(match.start(), match.end(), match.group(), language, strong))
    return found


def is_disclaimer(line: str) -> bool:
    return bool(_DISCLAIMER.search(line[:2000]))


def _rest_is_filler(line: str, found: list[Found]) -> bool:
    rest = line
    for item in reversed(found):
        rest = rest[: item.start] + " " + rest[item.end :]
    rest = _CJK_FILLER.sub(" ", rest)
    if _CJK.search(rest):
        return False
    words = re.findall(r"[^\W\d_]+", rest.lower())
    return all(word in _LATIN_FILLER for word in words)


def _separated(line: str, item: Found) -> bool:
    before, after = line[: item.start], line[item.end :]
    cjk = r"|[\s，,。]" if _CJK.search(item.surface) else ""
    starts = not before.strip(" \t*#>•·-–—_\"'“”‘’") and re.match(
        rf"\s*(?:{_SEPARATOR_AFTER}{cjk})", after
    )
    ends = not re.sub(r"[\W_]", "", after) and re.search(
        rf"(?:{_SEPARATOR_BEFORE}{cjk})\s*$", before
    )
    opened = before.rstrip()[-1:] in _OPEN and after.lstrip()[:1] in _CLOSE
    return bool(starts or ends or opened)


def _classification(line: str, item: Found) -> bool:
    after, before = line[item.end :].lstrip(), line[: item.start].rstrip()
    return after.startswith(("★", "☆")) or bool(re.search(r"密[级級]\s*[:：]?$", before))


def is_label(line: str, item: Found, found: list[Found]) -> bool:
    """Whether this occurrence reads as a notice rather than a word of a sentence."""
    if _classification(line, item):
        return True
    letters = re.sub(r"[^A-Za-z]", "", item.surface)
    shouting = len(letters) >= 6 and letters.isupper()
    # Uppercase at an end of a short mixed-case line ("Acme Corp CONFIDENTIAL") is a stamp; in
    # a sentence ("the memo, stamped CONFIDENTIAL, said") it is reported speech.
    before, after = (
        re.search(r"[^\W\d_]", part) for part in (line[: item.start], line[item.end :])
    )
    stamp = (
        shouting
        and any(c.islower() for c in line)
        and len(line.split()) <= 6
        and not line.rstrip().endswith((".", "!", "?"))
        and not (before and after)
    )
    if not item.strong:
        return (stamp and not after) or (shouting and _rest_is_filler(line, found))
    return stamp or _rest_is_filler(line, found) or _separated(line, item)


def context(text: str, start: int, end: int) -> str:
    """About CONTEXT_CHARS of `text` around [start, end), cut at no credential fragment."""
    half = (CONTEXT_CHARS - (end - start)) // 2
    low, high = max(0, start - max(half, 0)), min(len(text), end + max(half, 0))
    window = text[low:high]
    # `text` has been redacted already; a window edge could still cut a token of it in two.
    if low > 0:
        window = re.sub(r"^(?:\S{0,40}\s|[A-Za-z0-9_+/=%.<>:-]+)", "", window)
    if high < len(text):
        window = re.sub(r"(?:\s\S{0,40}|[A-Za-z0-9_+/=%.<>:-]+)$", "", window)
    return " ".join(window.split())
