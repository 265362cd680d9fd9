"""wording.anniversary: an anniversary number that does not fit the publication date.

For the events of ``lexicons/events.tsv`` (kind anniversary: 建党 1921-07-01, 新中国成立
1949-10-01, 改革开放 1978-12-18, 香港回归 1997-07-01 …), "event N周年" must have
N = (reference year - event year), where the reference year is a year written in the same
clause (2021年是建党100周年) or else the year of the publication date.  The wording decides
the tolerance:

* present (今年是, 今天, 值此, 正值, 之际 …): N must equal the year difference;
* forward-looking (即将迎来, 明年, 喜迎, 迎接, 将迎来, 前夕): N may be one more;
* backward-looking (去年, 刚刚, 回顾, 此前, 曾) or no marker at all (隆重庆祝…N周年 in a report
  that reviews the past year): N may be one less;
* a past year without saying which (当年正值…, 那年是…) or a celebration told as done (庆祝了…),
  with no marker of the text's own year (今年, 去年, 明年 …): any N up to the year difference.

A year in Chinese numerals (一九三九年, 二〇二一年) is a year in the clause like 1939年.

Not judged: another country's, party's or place's anniversary written with a generic alias
(朝鲜建国75周年, 越南共产党建党95周年, 海南经济特区建立35周年); a sentence whose anniversaries fall in different years (a review of the past five
years, a plan), a target (到建党一百周年时), and the name of a meeting held for an anniversary
(在庆祝改革开放40周年大会上的讲话, 纪念毛泽东同志诞辰130周年座谈会) when the clause gives neither a
year nor a present or forward marker: current documents cite such speeches years later.
前年 is two years back; the suggestion follows the clause's 去年/前年/明年.  The finding covers the "event N周年" phrase; the suggestion has the right number, written
the way the text writes numbers (101 or 一百零一).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable

from ...findings import Finding, Severity
from ...resources import lexicon_cache, read_tsv
from ...text.dates import arabic_years
from ...types import Document
from ..base import Check
from ..registry import register
from .lexicon import INDICATOR_WORDING, scan_document
from .numbers import NUMERAL_CHARS, parse_number, to_chinese

FORWARD = ("即将", "明年", "喜迎", "迎接", "将迎来", "前夕", "将于", "将在", "到来之际", "筹备", "倒计时")
PRESENT = ("今年", "今天", "值此", "正值", "当前", "之际", "此时", "本年")
BACKWARD = ("去年", "刚刚", "回顾", "此前", "曾", "过去", "上一年", "前年", "那年", "当年")
# a past year the clause speaks of (当年正值…, 那年是…) or a celebration told as done (庆祝了…): the
# anniversary fell in some earlier year, so any number up to this year's fits, unless the clause
# also ties it to the text's own year (今年, 去年, 明年 …)
PAST = ("当年", "那年", "那一年", "彼时", "其时", "庆祝了", "纪念了", "迎来了", "举行了", "举办了", "召开了")
ANCHORED = ("今年", "今天", "本年", "当前", "此时", "明年", "去年", "前年", "上一年", "即将", "将迎来", "将于",
            "将在", "倒计时", "筹备", "前夕")
_YEAR = re.compile(r"(?<![0-9])(1[89][0-9]{2}|20[0-9]{2})年")
_CLAUSE_END = "。！？；!?;\n"
# a meeting or event named after the anniversary: 40周年大会, 130周年座谈会, 100周年纪念大会
_EVENT_NAME = re.compile(r"(?:纪念|庆祝)?(?:大会|座谈会|招待会|纪念会|报告会|阅兵|文艺晚会|晚会|纪念活动|系列活动|主题活动)")


# Aliases that do not name China (建国, 建党, 建军 …): written after another country's, party's or
# place's name they are that one's anniversary (朝鲜建国75周年, 越南共产党建党95周年, 海南经济特区建立).
GENERIC_ALIASES = frozenset({"建国", "建党", "党的成立", "共和国成立", "建军", "建团", "经济特区建立"})
CHINA_WORDS = frozenset({"中国", "新中国", "我国", "祖国", "中华人民共和国", "共和国", "中国共产党", "我党", "党",
                         "人民军队", "中国人民解放军", "解放军", "我军", "深圳", "共青团", "中国共产主义青年团"})
_PROPER = ("ns", "nr", "nrt", "nrfg", "nt", "nz")


@functools.lru_cache(maxsize=1)
def _pos_tagger():
    """jieba's tagger over the project's tokenizer (``get_jieba``: loaded quietly from its cache);
    ``jieba.posseg.lcut`` built jieba's default dictionary, 3 s and four log lines on the
    editor's terminal, the first time a review met an anniversary alias."""
    import jieba.posseg

    from ...text.tokenize import get_jieba

    return jieba.posseg.POSTokenizer(get_jieba())


def names_another(text: str, start: int) -> bool:
    """Whether the word right before ``start`` (where a generic alias begins) is the proper
    name of a country, party or place other than China's (jieba's part-of-speech tags), or
    the 人民 of another 人民共和国."""
    lo = start
    while lo > 0 and text[lo - 1] not in _CLAUSE_END + "，,、：:" and start - lo < 12:
        lo -= 1
    prefix = text[lo:start]
    if not prefix:
        return False
    if text.startswith("共和国", start) and prefix.endswith("人民") and not prefix.endswith("中华人民"):
        return True
    words = _pos_tagger().lcut(prefix + text[start:start + 6])
    pos, last = 0, None
    for w in words:
        last = w
        if pos + len(w.word) >= len(prefix):
            break  # the word ending the prefix, or one running into the alias (海南经济特区)
        pos += len(w.word)
    if last is None:
        return False
    return last.word not in CHINA_WORDS and last.flag in _PROPER and not last.word.startswith(("中国", "我国", "深圳"))


@lexicon_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern, dict[str, tuple[str, dt.date]]]:
    events: dict[str, tuple[str, dt.date]] = {}
    for row in read_tsv("events.tsv"):
        if row["kind"] != "anniversary":
            continue
        for alias in [row["term"], *[a for a in row["aliases"].split("|") if a]]:
            events[alias] = (row["term"], dt.date.fromisoformat(row["date"]))
    names = "|".join(sorted(map(re.escape, events), key=len, reverse=True))
    return re.compile(rf"({names})(?:的)?([{NUMERAL_CHARS}]{{1,6}})(?:个)?周年"), events


def _sentence_start(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1] not in "。！？!?\n":
        pos -= 1
    return pos


@register
class AnniversaryCheck(Check):
    """An anniversary number (建党N周年, 新中国成立N周年 …) inconsistent with the text's date."""

    CODE = "wording.anniversary"
    CATEGORY = "wording"
    SEVERITY = Severity.VETO
    INDICATOR = INDICATOR_WORDING
    ACTION = "按发布日期核对周年数。"
    PROVINCE = "guangdong"

    def run(self, doc: Document) -> Iterable[Finding]:
        if "周年" not in doc.norm.text:
            return
        scan = scan_document(doc, self.PROVINCE or None)
        text = scan.text
        pattern, events = _pattern()
        matches = list(pattern.finditer(text))
        implied: dict[int, set[int]] = {}  # sentence start -> years the anniversaries fall in
        for m in matches:
            n = parse_number(m.group(2))
            if n:
                implied.setdefault(_sentence_start(text, m.start()), set()).add(events[m.group(1)][1].year + n)
        for m in matches:
            if len(implied.get(_sentence_start(text, m.start()), ())) > 1:
                continue  # anniversaries of several years in one sentence: a review or a plan, not "now"
            canonical, date = events[m.group(1)]
            n = parse_number(m.group(2))
            if n is None or n <= 0:
                continue
            if m.group(1) in GENERIC_ALIASES and names_another(text, m.start()):
                continue  # 朝鲜建国75周年, 越南共产党建党95周年: another country's or party's
            a = m.start()
            while a > 0 and text[a - 1] not in _CLAUSE_END and m.start() - a < 60:
                a -= 1
            b = m.end()
            while b < len(text) and text[b] not in _CLAUSE_END and b - m.end() < 30:
                b += 1
            clause = text[a:b]
            years = [int(y) for y in _YEAR.findall(arabic_years(clause)) if int(y) > date.year]
            ref = years[0] if years else doc.date.year
            diff = ref - date.year
            allowed = {diff}
            forward = any(w in clause for w in FORWARD)
            target = text[m.start() - 1:m.start()] == "到" or text.startswith(("时", "的时"), m.end())
            if target:  # 到建党一百周年时: a target year, any later anniversary
                continue
            present = any(w in clause for w in PRESENT)
            if not years and not forward and not present and _EVENT_NAME.match(text, m.end()):
                continue  # the name of a meeting held for it (在…40周年大会上的讲话): its year is not said
            if forward:
                allowed.add(diff + 1)
            if any(w in clause for w in BACKWARD):
                allowed.add(diff - 1)
            if "前年" in clause:
                allowed.add(diff - 2)
            if not forward and not present and "去年" not in clause:
                # 庆祝 / 纪念 without a present marker may report a past celebration (a work
                # report in March reviewing last year): one less is accepted
                allowed.add(diff - 1)
            if not years and any(w in clause for w in PAST) and not any(w in clause for w in ANCHORED):
                allowed.update(range(1, diff + 1))
            if n in allowed:
                continue
            right, when = diff, f"{ref}年"
            if forward:  # the next anniversary: this year's while its day is still ahead, 明年: next year's
                ahead = not years and (doc.date.month, doc.date.day) <= (date.month, date.day)
                right = diff if ahead and "明年" not in clause else diff + 1
            elif "前年" in clause:
                right, when = diff - 2, f"前年（{ref - 2}年）"
            elif "去年" in clause or "上一年" in clause:
                right, when = diff - 1, f"去年（{ref - 1}年）"
            number = str(right) if m.group(2).isdigit() else to_chinese(right)
            suggestion = m.group(0)[: m.start(2) - m.start()] + number + m.group(0)[m.end(2) - m.start():]
            ns, ne = scan.view.span_to_norm(m.start(), m.end())
            yield self.finding(
                doc, ns, ne,
                message=f"周年数与日期不符：{when}应为“{suggestion}”",
                explanation=f"{canonical} was on {date}; reference year {ref} "
                            f"({'year in the clause' if years else 'publication date ' + doc.date.isoformat()}) "
                            f"gives {diff}; allowed {sorted(allowed)} by the wording",
                suggestion=suggestion,
                score=0.9,
            )
