"""PERSON in Chinese text without a model: a surname and a one- or two-character given name,
accepted only next to a role (记者, 联系人), a title (先生, 教授) or a reporting verb (表示).

Chinese has no capitals or spaces to mark names, so a surname character alone is never enough.
"""

from __future__ import annotations

from functools import cache

import regex

from pipelines.pii.names import rank, ranked_list, split, word_list
from pipelines.pii.person_en import Found

# Characters that end or cannot be part of a given name: function words, numerals, verbs of saying.
NOT_GIVEN = (
    "的了在是和与及或也都就对从向为被把将到于以这那其之上下里来去年日时个们人说称等着过很又还再"
    "已而但并且所因此果虽二三四五六七八九十百千万亿零两几多每各某该本今昨前后问答写曾仍请"
    "让给跟表示指认道"
)
ROLES = split(
    """
    责任编辑 通讯员 实习生 编辑 主编 作者 撰文 摄影 报道 主持人 联系人 负责人
    发言人 讲师 教授 博士 医生 律师 老师 校长 院长 局长 主任 经理 董事长 总经理
    总裁 主席 书记 市长 县长 镇长 村长 省长 部长 厅长 处长 科长 所长 队长 船长
    店主 老板 厨师 渔民 村民 居民 市民 游客 网友 患者 学生 选手 演员 歌手 导演
    作家 画家 工程师 研究员 志愿者 姓名 名字 名叫 叫做 得主 嫌疑人 被告人 被告
    原告 当事人 家属 儿子 女儿 妻子 丈夫 母亲 父亲 同学 朋友 邻居 员工 工人
    农民 司机 警官 民警 法官 检察官 委员 代表 专家 学者 创始人 记者 收件人 签名
    客户 联络人 获奖者 获得者 请联系 联系 咨询 致电 寄给 感谢 采访
    """
)
TITLES = split(
    """
    先生 女士 小姐 教授 博士 老师 医生 律师 同志 师傅 大夫 院士 主任 经理 书记
    局长 院长 校长 董事长 总经理 部长 市长 记者 阿姨 夫人
    """
)
SPEECH = split(
    """
    说 表示 指出 认为 介绍 称 告诉 透露 回忆 坦言 强调 解释 补充 说道 提到
    建议 呼吁 笑着说 感叹 承认 证实 回应 答道 问道 写道 谈到 坦承 报道 摄影 摄
    """
)
# "X的父亲": a relative or colleague of a person makes X a person.
KIN = split("父亲 母亲 妻子 丈夫 儿子 女儿 家人 同事 朋友 爷爷 奶奶 哥哥 姐姐 弟弟 妹妹 孩子")
# What may directly follow a name: punctuation, a title, a reporting verb, a particle.
END = "|".join(sorted(TITLES + SPEECH, key=len, reverse=True))
NAME_END = regex.compile(rf"(?:{END}|[\s\p{{P}}、]|[在是和与及的也都就已曾将从向对把被等今]|$)")
# The 150 most frequent surnames cover most people; rarer ones are often common words (和, 时).
COMMON_SURNAMES = 150
_GIVEN = rf"(?:(?![{NOT_GIVEN}])\p{{Han}})"
_SEPARATOR = r"[：:\s·]{0,2}"


def _alternation(words: frozenset[str] | list[str] | tuple[str, ...]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


def _common_surnames() -> tuple[str, ...]:
    ranked = ranked_list("zh_surnames")
    return ranked[:COMMON_SURNAMES] + tuple(s for s in ranked if len(s) > 1)


@cache
def _patterns() -> tuple[regex.Pattern[str], ...]:
    surnames = _alternation(word_list("zh_surnames"))
    common = _alternation(_common_surnames())
    roles = _alternation(ROLES)
    after_role = regex.compile(rf"(?:{roles}){_SEPARATOR}(?P<name>(?:{surnames}){_GIVEN}{{1,2}})")
    titles = _alternation(TITLES)
    before_title = regex.compile(
        rf"(?P<name>(?:{common}){_GIVEN}{{1,2}})(?:{titles}|的(?:{_alternation(KIN)}))"
    )
    # A reporting verb after a name at the start of a clause ("，王芳表示").
    before_verb = regex.compile(
        rf"(?:^|(?<=[\s\p{{P}}]))(?P<name>(?:{common}){_GIVEN}{{1,2}})(?:{_alternation(SPEECH)})"
    )
    # "据王芳介绍": 据 alone is too common a character, so the verb after the name is required.
    according_to = regex.compile(
        rf"据(?P<name>(?:{surnames}){_GIVEN}{{1,2}})(?:介绍|说|表示|称|透露|回忆|估计)"
    )
    return after_role, before_title, before_verb, according_to


def _best_length(text: str, start: int, end: int, surname_len: int) -> int:
    """The end of the name among the one- and two-character given names the match allows:
    the one followed by a title, a verb or punctuation, else two characters if the second is a
    frequent given-name character."""
    shortest = start + surname_len + 1
    for candidate in (end, end - 1):
        if candidate >= shortest and NAME_END.match(text, candidate):
            return candidate
    return end if end == shortest or text[end - 1] in word_list("zh_given_chars") else end - 1


def _surname_length(name: str) -> int:
    return 2 if name[:2] in word_list("zh_surnames") else 1


def chinese_names(text: str) -> list[Found]:
    after_role, before_title, before_verb, according_to = _patterns()
    given_chars = word_list("zh_given_chars")
    found: dict[tuple[int, int], float] = {}
    common = frozenset(_common_surnames())
    for match in after_role.finditer(text, overlapped=True):
        start, end = match.span("name")
        surname_len = _surname_length(match.group("name"))
        end = _best_length(text, start, end, surname_len)
        # Without a clear end ("学生和社区"), only a frequent surname makes it a name.
        if not NAME_END.match(text, end) and text[start : start + surname_len] not in common:
            continue
        found[(start, end)] = max(found.get((start, end), 0), 0.8)
    for pattern, score in ((before_title, 0.8), (according_to, 0.8), (before_verb, 0.65)):
        for match in pattern.finditer(text, overlapped=True):
            start, end = match.span("name")
            given = match.group("name")[_surname_length(match.group("name")) :]
            # A two-character given name is rarely a common word; a one-character one often is.
            if score < 0.8 and len(given) < 2 and given not in given_chars:
                continue
            found[(start, end)] = max(found.get((start, end), 0), score)
    names = _drop_nested(text, found)
    return names + _listed_after(text, names)


def _drop_nested(text: str, found: dict[tuple[int, int], float]) -> list[Found]:
    """Among overlapping candidates keep the best scored, then the more frequent surname:
    "和王伟先生" is 王伟 (和 is a rare surname), "张明华先生" is 张明华 (not 明华)."""
    ranks = rank("zh_surnames")

    def key(item: tuple[tuple[int, int], float]) -> tuple[float, int, int]:
        (start, end), score = item
        surname = text[start : start + _surname_length(text[start:end])]
        return -score, ranks.get(surname, len(ranks)), start - end

    kept: list[Found] = []
    for (start, end), score in sorted(found.items(), key=key):
        if all(end <= k.start or start >= k.end for k in kept):
            kept.append(Found(start, end, score, ()))
    return sorted(kept, key=lambda f: f.start)


def _listed_after(text: str, names: list[Found]) -> list[Found]:
    """Names listed after an accepted one: 张伟、李娜和王芳."""
    surnames = _alternation(_common_surnames())
    listed = regex.compile(rf"[、和与及](?P<name>(?:{surnames}){_GIVEN}{{1,2}})")
    more: list[Found] = []
    for name in names:
        end = name.end
        while match := listed.match(text, end):
            start, stop = match.span("name")
            stop = _best_length(text, start, stop, _surname_length(match.group("name")))
            if not NAME_END.match(text, stop):
                break
            more.append(Found(start, stop, name.score - 0.05, ()))
            end = stop
    return more
