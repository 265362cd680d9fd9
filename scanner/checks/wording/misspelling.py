"""wording.misspelling: a misspelt word of government writing (疑似错别字: 防讯 for 防汛, 做风 for
作风, 官僚主意 for 官僚主义, 坚绝 for 坚决).

The wrong forms are those of ``lexicons/misspellings.tsv`` (built by
``corpora/build_misspellings.py``): a word of government writing (ECSpell's 公文写作 lists),
frequent in ../shared/data/gov-text, with one character replaced by one attested as written in
its place (ECSpell's training sentences, macro-correct's confusion dictionary) or of the same
reading among the commonest characters, where the result never occurs in the 22.5 million
characters of gov-text and is no common word, no name and no two words meeting.  The wording model
(``wording.classifier``) scores characters in context and misses many of these in short
sentences; the list names them and their correction.

Not reported: a wrong form that two words of the text may spell where they meet: a word of
jieba's dictionary crossing either edge of the span or holding it (做风 in 叫做风景 or 做风险评估, the
span ends inside 风险), and a span in or beside a personal value the PII analyzer finds (陈伟带着
holds 伟带, one character from 伟大); nor where the words around it make it something else
(``other_reading``): a country's party in a clause of diplomacy (中方愿同德方一道), a repeated pattern
(真闯真试, 知责知重), a longer word of jieba's dictionary holding it (进退失据, 拉网式), a count (1700余期,
2家城镇), a name after a title or before a speech verb (检察长应勇, 范卫华说).

Severity: advisory (提示·疑似错别字), as the model's.  Veto (单项否决·严重表述错误) when the span
falls on a leader name or canonical formulation: it lies in a near-variant of one, or the
correction writes one there (the rule of ``wording.classifier``).
"""
from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable

from ...findings import Finding, Severity
from ...resources import cached_build, read_tsv
from ...types import Document
from ..base import Check
from ..registry import register
from .classifier import INDICATOR_TYPO, correction_hits, lexicon_spans, not_judged
from .lexicon import INDICATOR_WORDING, _ByteToChar

JIEBA_WORD = 20  # a jieba dictionary entry this frequent is a word (the builder's threshold)


@dataclasses.dataclass
class Misspellings:
    rows: dict[str, tuple[str, int, str]]  # wrong -> (right, right_count, source)
    automaton: object

    def scan(self, text: str) -> Iterable[tuple[int, int, str]]:
        """(start, end, wrong) of every listed wrong form in ``text`` (over UTF-8 bytes, as the
        lexicon engine: a root with thousands of Chinese characters is slow in pyahocorasick)."""
        raw = text.encode("utf-8")
        to_char = _ByteToChar(text, raw)
        for end_idx, (length, nbytes, wrong) in self.automaton.iter(raw.decode("latin-1")):
            start = to_char(end_idx - nbytes + 1)
            yield start, start + length, wrong


def _build() -> Misspellings:
    import ahocorasick

    # read_tsv unwrapped: its cache would keep 100,000 row dicts for the life of the process
    rows = {r["wrong"]: (r["right"], int(r["right_count"]), r["source"]) for r in read_tsv.__wrapped__("misspellings.tsv")}
    automaton = ahocorasick.Automaton()
    for wrong in rows:
        raw = wrong.encode("utf-8")
        automaton.add_word(raw.decode("latin-1"), (len(wrong), len(raw), wrong))
    automaton.make_automaton()
    return Misspellings(rows, automaton)


@functools.lru_cache(maxsize=1)
def get_misspellings() -> Misspellings:
    """The list and its automaton, built once per process and cached on disk like the lexicon."""
    from pathlib import Path

    return cached_build("wording-misspellings", _build, lexicons=("misspellings.tsv",), code=(str(Path(__file__)),))


def two_words_meet(text: str, s: int, e: int, words: dict) -> bool:
    """Whether a common word of jieba's dictionary crosses an edge of [s, e) or holds the span
    with a neighbour: the characters may belong to two words (叫做|风景, 做|风险)."""
    n = len(text)
    for a in range(max(0, s - 3), e):
        for b in range(max(a + 2, s + 1), min(n, a + 4) + 1):
            if (a < s or b > e) and b > s and a < e and words.get(text[a:b], 0) >= JIEBA_WORD:
                return True
    return False


# What else a listed wrong form may be, read from the words around it (false alarms of 学习强国 and
# People's Daily text, 2024): a country's party (德方 ~ 地方, 中方愿同印方: 同印 ~ 同一), a repeated
# pattern (见人见事见思想, 真闯真试, 知责知重: 事见 ~ 事件), a count (1700余期 ~ 逾期, 2家城镇, 9位民辅警)
# and a person's name with its title or speech verb (检察长应勇 ~ 应用, 范卫华说 ~ 范围).
COUNTRY_CHARS = frozenset("美俄英法德日意印巴伊朝韩越老柬泰缅新马菲澳加墨古蒙哈吉塔乌土叙以沙埃南阿智秘委捷匈波瑞荷比葡希"
                          "奥芬挪丹冰爱斯罗保塞克黑白立拉也约黎卡科密苏肯坦赞津莫安纳尼喀贝多")
FOREIGN_CONTEXT = ("中方", "两国", "双方", "两党", "总统", "首相", "外长", "大使", "会谈", "会见", "国王", "元首")
NOT_PARTY = frozenset("面向式法案针便略位圆言志寸剂阵")  # 德方面 is no party: X + 方面, 方向 …
DIGITS = frozenset("0123456789０１２３４５６７８９")  # 一部兮 / 少数名族 are no counts: Chinese numerals left out
COUNTED = frozenset("个位名家台期次件项条种批所座辆只张本部套份户支处栋间场届余多")
SPEECH_AFTER = ("说", "表示", "介绍", "指出", "认为", "坦言", "告诉", "回忆", "感慨", "解释", "透露", "来说", "谈到", "笑着")
# a title before a name (增长和芬动, 代表国物院: 长 and 代表 alone are no titles)
TITLE_BEFORE = re.compile(r"(?:[书秘]记|主任|主席|经理|总裁|[董理]事长|[检察院局市县区镇乡村厅部处科所站队校省社会行州]长"
                          r"|委员|教授|医生|记者|专家|老师|律师|总监|[^人党官成动]员)$")
NAME_END = re.compile(r"[，,。、；;：:（(）)\s“”]|等|同志|$")  # what follows a name after a title (省长符责制 is no name)


def other_reading(text: str, s: int, e: int, words: dict) -> str | None:
    """Why the words around [s, e) make the listed wrong form something else (see above), or None."""
    n = len(text)
    # a foreign party: X方 at the span (德方, 印方) or just after it (同伊|方), in a clause of diplomacy
    for i in range(max(1, s), min(n, e + 1)):
        if text[i] == "方" and text[i - 1] in COUNTRY_CHARS and (i - 1 >= s or i < e) \
                and (i + 1 >= n or text[i + 1] not in NOT_PARTY) \
                and any(w in text[max(0, s - 30):e + 30] for w in FOREIGN_CONTEXT):
            return "foreign party"
    # a repeated pattern of two-character units (真闯真试, 知责知重, 见人见事见): the first character
    # of a two-character span repeated two places before or after it, opening a unit that is no
    # common word (农亚农村 stays: 农村 is a word), or its last one three times over (见人见事见;
    # 以色列建列 is no pattern); numerals repeat in any number (二市二万)
    if e - s == 2 and text[s] not in "一二三四五六七八九十百千万亿两零":
        for j in (s - 2, s + 2):
            if 0 <= j < n and text[j] == text[s] and words.get(text[j:j + 2], 0) < JIEBA_WORD:
                return "repeated pattern"
        if s >= 3 and text[e - 1] == text[s - 1] == text[s - 3]:
            return "repeated pattern"
    # inside a longer word of jieba's dictionary written there, however rare (进退失据, 颗粒无收, 拉网式):
    # a dictionary entry of three characters or more holding the span is that word (the span itself
    # as an entry is no proof: the dictionary holds misspellings, 防讯 at 3, 互连网)
    for a in range(max(0, e - 6), s + 1):
        for b in range(max(e, a + 3), min(n, a + 6) + 1):
            if b - a > e - s and words.get(text[a:b]):
                return "longer word"
    # a count: a numeral before a measure word (1700余期, 2家城镇)
    if s > 0 and text[s - 1] in DIGITS and text[s] in COUNTED:
        return "count"
    # a name: surname + 1-2 characters over the span, after a title or before a speech verb
    from ..pii.common import NOT_IN_GIVEN_NAME, SINGLE_SURNAMES

    for p in range(max(0, s - 2), e):
        if text[p] not in SINGLE_SURNAMES or words.get(text[p:p + 2], 0) >= JIEBA_WORD:
            continue  # 干部, 应用: a word, not a name's start
        for q in (p + 3, p + 2):
            if q > n or q <= s or not all("\u4e00" <= c <= "\u9fff" and c not in NOT_IN_GIVEN_NAME
                                          for c in text[p + 1:q]):
                continue
            if text.startswith(SPEECH_AFTER, q) or (TITLE_BEFORE.search(text[max(0, p - 4):p])
                                                    and NAME_END.match(text, q)):
                return "name"
    return None


@register
class MisspellingCheck(Check):
    """A listed misspelling of a word of government writing."""

    CODE = "wording.misspelling"
    CATEGORY = "wording"
    SEVERITY = Severity.ADVISORY
    INDICATOR = INDICATOR_TYPO
    ACTION = "核对该词用字：属错别字的予以更正；确认无误的可忽略。"
    PROVINCE: str | None = "guangdong"

    def run(self, doc: Document) -> Iterable[Finding]:
        text = doc.norm.text
        if not text.strip():
            return
        table = get_misspellings()
        found = list(table.scan(text))
        if not found:
            return
        from ...text.tokenize import get_jieba

        words = get_jieba().FREQ
        exact, near = lexicon_spans(doc, self.PROVINCE)
        skip = None
        for s, e, wrong in found:
            if two_words_meet(text, s, e, words):
                continue
            if any(a < e and s < b for a, b, _ in exact):
                continue  # inside a correctly written leader name or formulation
            right, right_count, source = table.rows[wrong]
            on = next((what for a, b, what in near if a < e and s < b), None) \
                or correction_hits(text, s, e, right, self.PROVINCE)
            if on is None:
                if other_reading(text, s, e, words):
                    continue  # a country's party, a repeated pattern, a count, a name (other_reading)
                if skip is None:
                    skip = not_judged(doc)
                if any(a < e and s < b for a, b, _ in skip):
                    continue  # in or beside a name (陈伟带着 holds 伟带 ~ 伟大): not a word of anyone's writing
            severity, indicator = self.SEVERITY, self.INDICATOR
            why = (f"'{wrong}' is '{right}' with one character replaced ({source}); '{right}' is written {right_count} "
                   f"times in gov-text and '{wrong}' never (lexicons/misspellings.tsv)")
            message = f"疑似错别字：“{wrong}”应为“{right}”"
            if on is not None:
                severity, indicator = Severity.VETO, INDICATOR_WORDING
                why += f"; the span falls on the leader name or canonical formulation '{on}'"
                message += f"（涉及“{on}”）"
            yield self.finding(doc, s, e, message=message, explanation=why,
                               suggestion=right, score=0.8, severity=severity, indicator=indicator)
