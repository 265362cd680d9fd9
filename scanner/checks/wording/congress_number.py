"""wording.congress_number: a Party congress or plenum that has not yet met, written as held.

``lexicons/events.tsv`` dates each congress (党的十四大 … 党的二十大) and each plenum of the
18th-20th Central Committees.  A label whose event opens after the publication date is an
error unless the clause looks forward to it (迎接, 即将召开, 喜迎, 筹备, 代表选举, 召开前 …):
党的二十大 in a text of June 2022 that says 学习贯彻党的二十大精神.  The suggestion is the
latest congress (or plenum) held by that date.  A plenum the table does not list yet (二十届五中全会,
二十一届一中全会) meets after the one before it (or the congress that elected its Central
Committee): written as held before that one's day, it is reported; later the product cannot say.
A meeting not yet held is listed with its earliest plausible day (``date_basis`` earliest: 党的二十一大,
2027-09-01): before that day it cannot have met; from it on it is not judged, nor is a date written
with it, until its real day is entered (``date_basis`` day).

A label written with the date it met (2021年10月召开的党的二十大, 党的二十大于2022年11月在北京开幕,
2024年7月召开的党的二十届二中全会) must agree with that date: the year and month of its opening
(a day, when given, within the week it met).  When another congress or plenum met in the month
written, the label is reported and that one suggested (二十届二中全会 -> 二十届三中全会); otherwise
the date is, with the right one suggested.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable

from ...findings import Finding, Severity
from ...resources import lexicon_cache, read_tsv
from ...types import Document
from ..base import Check
from ..registry import register
from .lexicon import INDICATOR_WORDING, scan_document
from .numbers import parse_number

FORWARD = ("迎接", "即将", "召开前", "喜迎", "筹备", "前夕", "将于", "将要", "将在", "代表", "选举", "召开之际",
           "胜利召开", "召开", "准备", "展望", "期待", "迎来")
_CONGRESS = re.compile(r"(?:党的|中共|中国共产党)(?:第)?([一二三四五六七八九十]{1,3})(?:次全国代表大会|大)"
                       r"(?!学|厦|道|街|楼|桥|会堂)")
# 二十大 written without 党的/中共 (学习贯彻二十大精神): only before the words that make it the congress,
# and only the 14th congress on (十四大 … 二十一大), so 二十大类 / 第二十大项 are not read as one
_CONGRESS_BARE = re.compile(r"(?<![一二三四五六七八九十第的共党])(十[四五六七八九]|二十一?)大"
                            r"(?=精神(?!文明)|报告|以来|代表(?!团)|主题|胜利召开|召开|作出|提出|部署|重要论述|党章)")
# plenums of one Central Committee written as a list (二十届二中、三中全会; 十八届三中、四中、五中、六中全会;
# 二十届二中全会和三中全会): each member is a plenum of that term and is checked as one
_PLENUM_RUN = re.compile(r"(?<![0-9一二三四五六七八九十])([一二三四五六七八九十]{2,3})届"
                         r"(?:[一二三四五六七八九十]中(?:全会)?(?:、|和|及|与|以及))*[一二三四五六七八九十]中全会")
_PLENUM_MEMBER = re.compile(r"([一二三四五六七八九十])中(?:全会)?")
# the full name: (中国共产党)第二十届中央委员会第三次全体会议
_PLENUM_FULL = re.compile(r"(?<![0-9一二三四五六七八九十])第?([一二三四五六七八九十]{2,3})届中央委员会"
                          r"第([一二三四五六七八九十]{1,2})次全体会议")
_CLAUSE_END = "。！？；!?;\n"
# a date right before the label (2022年10月16日，党的二十大…; 2021年10月召开的党的二十大) or right after
# it (党的二十大于2022年10月16日在北京开幕), with a verb of meeting in the clause
_DATE = r"((?:19|20)\d{2})年(\d{1,2})月(?:(\d{1,2})[日号])?"
_DATE_BEFORE = re.compile(_DATE + r"(?:(?P<comma>[，,])|(?:在北京|在京)?(?:胜利)?(?:召开|举行|开幕|闭幕)的)(?:党的|中共)?$")
_DATE_AFTER = re.compile(r"(?:[（(]|于|在)" + _DATE + r"(?:至\d{1,2}[日号])?")  # used with .match(text, pos)
# the label as the meeting itself, not its spirit or report (2019年3月，党的十九大精神宣讲会召开)
# and the date its own, not one counted from it (2022年10月27日，党的二十大闭幕不到一周)
_MET = re.compile(r"(?:[）)])?(?:在北京|在京)?(?:胜利)?(?:召开|举行|开幕|闭幕)"
                  r"(?!不到|不久|后|之后|以后|以来|前|之前|一周|几天|数日|之际|已|满|当天|次日|那天)")
MEETING_DAYS = 7  # the 14th-20th congresses met for at most 7 days, plenums for 2 to 4


@dataclasses.dataclass(frozen=True)
class _Events:
    congress: dict[int, dt.date]
    plenum: dict[tuple[int, int], dt.date]
    # meetings not yet held whose date is only the earliest plausible day (date_basis earliest)
    estimated: frozenset = frozenset()

    def plenum_not_before(self, key: tuple[int, int]) -> tuple[dt.date, str] | None:
        """For a plenum the table does not list (二十届五中全会, 二十一届一中全会): the day of the
        latest meeting it must follow (an earlier plenum of the same Central Committee, or the
        congress that elected it) and that meeting's label; None when none is listed.  A plenum
        cannot have met before that day; after it the product cannot say."""
        term, k = key
        earlier = [(d, f"{_cn(term)}届{_cn(j)}中全会") for (t, j), d in self.plenum.items() if t == term and j < k]
        if term in self.congress:
            earlier.append((self.congress[term], f"党的{_cn(term)}大"))
        return max(earlier) if earlier else None

    def plenum_never_held(self, key: tuple[int, int], on: dt.date) -> str | None:
        """For a plenum the table does not list, of a Central Committee whose plenums it lists
        (十八届 on) and whose term had ended by ``on`` (the next congress had met): that committee
        held only the plenums listed, so this one never met (十八届八中全会, 十九届九中全会).  The
        reason, in Chinese; None when the committee's term was still running."""
        term, k = key
        held = [j for (t, j) in self.plenum if t == term]
        nxt = self.congress.get(term + 1)
        if not held or nxt is None or nxt > on or ("congress", term + 1) in self.estimated:
            return None
        return f"{_cn(term)}届中央委员会共召开{_cn(max(held))}次全会"


@lexicon_cache(maxsize=1)
def _events() -> _Events:
    congress, plenum, estimated = {}, {}, set()
    for row in read_tsv("events.tsv"):
        d = dt.date.fromisoformat(row["date"])
        if row["kind"] == "congress":
            m = re.match(r"党的([一二三四五六七八九十]+)大", row["term"])
            key = parse_number(m.group(1))
            congress[key] = d
        elif row["kind"] == "plenum":
            m = re.match(r"([一二三四五六七八九十]+)届([一二三四五六七八九十])中全会", row["term"])
            key = (parse_number(m.group(1)), parse_number(m.group(2)))
            plenum[key] = d
        else:
            continue
        if row.get("date_basis", "day") != "day":
            estimated.add((row["kind"], key))
    return _Events(congress, plenum, frozenset(estimated))


@dataclasses.dataclass(frozen=True)
class _Label:
    """A congress or plenum label found in the text: its span, the span of the number to swap for a
    suggestion, its key in events.tsv, and (plenums of a list) the span of the whole list."""

    start: int
    end: int
    key: object
    text: str
    num: tuple[int, int]
    run: tuple[int, int]
    in_list: bool = False
    full: bool = False  # written in full: 第二十届中央委员会第三次全体会议

    def written(self, key) -> str:
        """The label of another meeting in this label's form (for a suggestion)."""
        if self.full:
            return f"{'第' if self.text.startswith('第') else ''}{_cn(key[0])}届中央委员会第{_cn(key[1])}次全体会议"
        return f"{_cn(key[0])}届{_cn(key[1])}中全会"


def _plenums(text: str) -> Iterable[_Label]:
    """Every plenum label: a single one (二十届三中全会) or each member of a list of one term's
    plenums (二十届二中、三中全会 -> 二十届二中全会, 二十届三中全会; the first member's span holds the
    term, the others' only their number: 三中全会); and one written in full (第二十届中央委员会第三次全体会议)."""
    for run in _PLENUM_RUN.finditer(text):
        term = parse_number(run.group(1))
        members = list(_PLENUM_MEMBER.finditer(text, run.end(1) + 1, run.end()))
        for i, m in enumerate(members):
            start = run.start() if i == 0 else m.start()
            key = (term, parse_number(m.group(1)))
            yield _Label(start, m.end(), key, f"{run.group(1)}届{m.group(1)}中全会", m.span(1), run.span(),
                         in_list=len(members) > 1)
    for m in _PLENUM_FULL.finditer(text):
        yield _Label(m.start(), m.end(), (parse_number(m.group(1)), parse_number(m.group(2))), m.group(0),
                     m.span(2), m.span(), full=True)


def _congresses(text: str) -> Iterable[_Label]:
    for regex in (_CONGRESS, _CONGRESS_BARE):
        for m in regex.finditer(text):
            yield _Label(m.start(), m.end(), parse_number(m.group(1)), m.group(0), m.span(1), m.span())


@register
class CongressNumberCheck(Check):
    """党的N大 / N届M中全会 written as held before it met."""

    CODE = "wording.congress_number"
    CATEGORY = "wording"
    SEVERITY = Severity.VETO
    INDICATOR = INDICATOR_WORDING
    ACTION = "按发布日期核对党代会、全会届次。"
    PROVINCE = "guangdong"

    def run(self, doc: Document) -> Iterable[Finding]:
        norm = doc.norm.text
        if "大" not in norm and "全会" not in norm and "全体会议" not in norm:
            return
        scan = scan_document(doc, self.PROVINCE or None)
        text, on, ev = scan.text, doc.date, _events()
        latest_congress = max((n for n, d in ev.congress.items() if d <= on), default=None)
        held_plenums = [k for k, d in ev.plenum.items() if d <= on]
        latest_plenum = max(held_plenums) if held_plenums else None
        labels = [("congress", x) for x in _congresses(text)] + [("plenum", x) for x in _plenums(text)]
        for kind, m in labels:
            after, never = None, None
            if kind == "congress":
                n = m.key
                date = ev.congress.get(n)
                if date is None and n is not None and latest_congress is not None and n > latest_congress + 1:
                    date = dt.date.max  # two or more congresses ahead: never right
                if date is None or date <= on:
                    continue
                # the same form with the latest number: 中国共产党第十九次全国代表大会, 十九大 …
                right = (m.text[:m.num[0] - m.start] + _cn(latest_congress) + m.text[m.num[1] - m.start:]
                         if latest_congress else None)
                label = "党代会届次"
            else:
                key = m.key
                date = ev.plenum.get(key)
                if date is None and None not in key:
                    never = ev.plenum_never_held(key, on)
                    if never is not None:
                        date = dt.date.max
                    else:  # not listed: it meets after the one before it
                        bound = ev.plenum_not_before(key)
                        if bound is not None:
                            date, after = bound
                if date is None or date <= on:
                    continue
                right = None
                if latest_plenum and not never:  # a plenum that never met: no one number to put instead
                    right = m.written(latest_plenum)
                    if m.in_list:  # a member of a list: the same form, unless that one is listed already
                        listed = {x.key for _k, x in labels if x.run == m.run}
                        written = text[m.start:m.end]
                        right = (None if latest_plenum in listed or latest_plenum[0] != key[0]
                                 else written[:m.num[0] - m.start] + _cn(latest_plenum[1]) + written[m.num[1] - m.start:])
                label = "全会届次"
            a = m.run[0]
            while a > 0 and text[a - 1] not in _CLAUSE_END and m.run[0] - a < 60:
                a -= 1
            b = m.run[1]
            while b < len(text) and text[b] not in _CLAUSE_END and b - m.run[1] < 40:
                b += 1
            # the clause around the label, not the label (中国共产党第二十次全国代表大会 holds 代表)
            if any(w in text[a:m.run[0]] + "|" + text[m.run[1]:b] for w in FORWARD):
                continue
            ns, ne = scan.view.span_to_norm(m.start, m.end)
            message = (f"{label}有误：“{m.text}”不存在，{never}" if never else
                       f"{label}与日期不符：“{m.text}”在{on.isoformat()}尚未召开")
            yield self.finding(
                doc, ns, ne,
                message=message,
                explanation=(f"{m.text} was never held: {never}" if never else
                             (f"{m.text} meets after {after}, which opens on {date}" if after else
                              f"{m.text} opens on {date if date != dt.date.max else 'a later date'}")
                             + f", after the text's date {on}")
                            + ("; a member of the list " + text[m.run[0]:m.run[1]] if m.in_list else "")
                            + "; no forward-looking wording in the clause (lexicons/events.tsv)",
                suggestion=right,
                score=0.85,
            )

        yield from self._dated(doc, scan)

    def _dated(self, doc: Document, scan) -> Iterable[Finding]:
        """Labels written with the date they met, checked against it."""
        text, ev = scan.text, _events()
        labels = [("congress", x) for x in _congresses(text)] + [("plenum", x) for x in _plenums(text)]
        for kind, m in labels:
            if m.in_list:
                continue  # a date written with a list (二十届二中、三中全会) is not one member's
            key = m.key
            events = ev.congress if kind == "congress" else ev.plenum
            date = events.get(key)
            if date is None or date > doc.date or (kind, key) in ev.estimated:
                continue  # not yet held (the check above), or only its earliest day known (二十一大)
            a = m.start
            while a > 0 and text[a - 1] not in _CLAUSE_END and m.start - a < 40:
                a -= 1
            b = m.end
            while b < len(text) and text[b] not in _CLAUSE_END and b - m.end < 40:
                b += 1
            d = _DATE_BEFORE.search(text, max(a, m.start - 24), m.start)
            if d is not None and d.group("comma") and not _MET.match(text, m.end):
                d = None  # 2022年10月16日，党的二十大在北京开幕 (the date of the sentence, not the label's)
            if d is None:
                d = _DATE_AFTER.match(text, m.end, min(b, m.end + 20))
                if d is not None and not _MET.match(text, d.end()):
                    d = None
            if d is None:
                continue
            year, month, day = int(d.group(1)), int(d.group(2)), int(d.group(3)) if d.group(3) else None
            if (year, month) == (date.year, date.month) and (day is None or date.day <= day <= date.day + MEETING_DAYS):
                continue
            other = next((k for k, x in events.items() if (x.year, x.month) == (year, month)
                          and (day is None or x.day <= day <= x.day + MEETING_DAYS)), None)
            label = m.text
            held = date.isoformat()
            if other is not None:  # the date names another meeting: the number is the likelier slip
                right = (label[:m.num[0] - m.start] + _cn(other) + label[m.num[1] - m.start:] if kind == "congress"
                         else m.written(other))
                span, suggestion = (m.start, m.end), right
                message = f"届次与所写日期不符：“{label}”于{held}召开，{year}年{month}月召开的是“{right}”"
            else:
                span = (d.start(1), d.end(3) + 1 if d.group(3) else d.end(2) + 1)  # through 日 / 月
                suggestion = f"{date.year}年{date.month}月" + (f"{date.day}{text[d.end(3)]}" if day is not None else "")
                message = f"召开日期不符：“{label}”于{held}召开，文中写作“{text[span[0]:span[1]]}”"
            ns, ne = scan.view.span_to_norm(*span)
            yield self.finding(
                doc, ns, ne, message=message, suggestion=suggestion, score=0.85,
                explanation=f"{label} met on {held} (lexicons/events.tsv); the clause dates it {year}-{month:02d}"
                            + (f"-{day:02d}" if day else ""),
                action="按党代会、全会的召开日期核对届次和日期。",
            )


def _cn(n: int) -> str:
    from .numbers import to_chinese

    return to_chinese(n)
