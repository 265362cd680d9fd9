"""wording.leader_office: a leader named with an office he or she does not hold at the text's date.

A name from ``lexicons/leaders.tsv`` (or the province add-on) written with a national office
title right before it (国务院总理李克强) or after it (李克强总理) presents that office as held
*now*, i.e. at the publication date of the text (``doc.date``: published, else the --as-of
time point).  It is an error when the lexicon says the person does not hold that office then:
a former office written without 时任 / 原 / 前, or an office never held.

Not reported: 时任 / 原 / 前 / 已故 … before the title; a sentence with a date or a year in which
the person did hold the office (2012年，国务院总理温家宝…; 2023年3月5日，国务院总理李克强…: a year
counts when the office was held on any day of it), or with an annual session of the NPC or the
CPPCC held while the person held it (十四届全国人大一次会议: March 2023; from the 6th, 1983, each
term is five sessions, one a year); dates within the grace period of a
change of office (the day of the vote, or the session, see lexicons/leaders.tsv date_basis);
local officials who share a leader's name (村党支部书记李强: 村党支部书记 is not a listed title;
县政协李强主席, 市总工会李强主席: a local or non-state body's chair);
book titles and quotations are read like any text (《习近平谈治国理政》 carries no title).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from ...findings import Finding, Severity
from ...text.dates import arabic_years
from ...text.spans import sentence_bounds
from ...types import Document
from ..base import Check
from ..registry import register
from .lexicon import (FORMER_MARKERS, INDICATOR_WORDING, NAME, PROVINCE_TITLES, STALE_AFTER_DAYS, TITLES_AFTER,
                      TITLES_BEFORE, Leaders, scan_document, title_after, title_before)

_YEAR = re.compile(r"(?<![0-9])(19[4-9][0-9]|20[0-9][0-9])(?:年|—|-|－|至)")
_DATE = re.compile(r"(?<![0-9])(19[4-9][0-9]|20[0-9][0-9])年([0-9]{1,2})月([0-9]{1,2})日")
_N = "[一二三四五六七八九十]{1,3}"
# an annual (plenary) session of the NPC or the CPPCC, not of the NPC standing committee
_SESSION = re.compile(
    rf"第?({_N})届全国(?:人民代表大会|人大)(?!常)第?({_N})次(?:全体)?会议"
    rf"|全国政协第?({_N})届第?({_N})次会议|(?:政协|政治协商会议)第?({_N})届全国委员会第?({_N})次会议")
_SENTENCE_END = "。！？；!?;\n"
# an organ written right before 李强主席: a local or non-state body's chair who shares a leader's
# name (县政协李强主席, 市总工会李强主席), unless the organ is national (全国政协王沪宁主席)
_LOCAL_ORGAN = re.compile(r"(?:政协|工会|妇联|团委|侨联|科协|文联|作协|残联|工商联|协会|学会|商会|联合会|基金会|理事会|"
                          r"董事会|学生会|公司|集团)$")
_NATIONAL_ORGAN = re.compile(r"(?:全国|中国|中华全国|中央)[\u4e00-\u9fff]{0,4}$")
_PAST_WORDS = ("曾", "当年", "生前", "逝世", "追悼", "纪念", "诞辰", "期间", "任内", "任上", "回忆", "那时", "当时")


def session_dates(sentence: str) -> list[dt.date]:
    """The opening and closing days (about 5 and 15 March) of the NPC and CPPCC annual sessions
    named in ``sentence``: term N (from the 6th, 1983) session M is in 1983 + 5(N-6) + M-1."""
    from .numbers import parse_number

    out = []
    for m in _SESSION.finditer(sentence):
        term, session = (parse_number(g) for g in [g for g in m.groups() if g][:2])
        if term and session and term >= 6 and 1 <= session <= 5:
            year = 1983 + 5 * (term - 6) + session - 1
            out += [dt.date(year, 3, 5), dt.date(year, 3, 15)]
    return out


def sentence_dates(sentence: str) -> list[dt.date]:
    """Days the sentence places itself on: its full dates, each day of the year of a bare year
    (1 January, 1 July, 31 December; 二〇一九年 as 2019年), and the days of NPC/CPPCC sessions it names."""
    days = []
    sentence = arabic_years(sentence)  # 二〇一九年 counts as 2019年
    for y, mo, d in _DATE.findall(sentence):
        try:
            days.append(dt.date(int(y), int(mo), int(d)))
        except ValueError:
            pass
    for y in map(int, _YEAR.findall(sentence)):
        days += [dt.date(y, 1, 1), dt.date(y, 7, 1), dt.date(y, 12, 31)]
    return days + session_dates(sentence)


def _sentence(text: str, start: int, end: int) -> str:
    a, b = sentence_bounds(text, start, end, _SENTENCE_END, 150)
    return text[a:b]


def _suggest(leaders: Leaders, name: str, offices: tuple[str, ...], on: dt.date, span_text: str) -> str | None:
    if leaders.held_ever(name, offices, on):
        if span_text.startswith(name):  # 李克强总理 -> 时任国务院总理李克强
            held = [o.office for o in leaders.offices.get(name, ()) if o.office in offices and o.start <= on]
            return "时任" + held[-1] + name
        return "时任" + span_text
    current = [o for o in leaders.current(name, on) if o.office not in ("中央政治局委员", "中央政治局候补委员")]
    if current:
        best = min(current, key=lambda o: ("常委" in o.office, o.rank or 99))
        return best.office + name
    return None  # no listed office to offer (the span itself was offered as its own correction)


# From when lexicons/leaders.tsv lists every holder of an office: earlier dates are not judged.
COVERAGE = {
    "国家主席": dt.date(1954, 9, 27), "国务院总理": dt.date(1954, 9, 27), "全国人大常委会委员长": dt.date(1954, 9, 27),
    "国家副主席": dt.date(1983, 6, 18), "全国政协主席": dt.date(1978, 3, 8), "中共中央主席": dt.date(1945, 6, 19),
    "中共中央总书记": dt.date(1982, 9, 12), "中央军委主席": dt.date(1981, 6, 28), "中央军委副主席": dt.date(1992, 10, 19),
    "国务院副总理": dt.date(1988, 4, 12), "国务委员": dt.date(1988, 4, 12), "中央政治局常委": dt.date(1989, 6, 24),
    "中央政治局委员": dt.date(1992, 10, 19),
    "广东省委书记": dt.date(1991, 1, 1), "广东省省长": dt.date(1991, 5, 1),
}
# Leaders of the founding generation are named with their office as an honorific in any year
# (毛泽东主席, 周恩来总理, 朱德委员长): the suffix form is not judged for offices that ended before 1980.
HONORIFIC_BEFORE = dt.date(1980, 1, 1)


@register
class LeaderOfficeCheck(Check):
    """A leader presented with an office not held at the publication date."""

    CODE = "wording.leader_office"
    CATEGORY = "wording"
    SEVERITY = Severity.VETO
    INDICATOR = INDICATOR_WORDING
    ACTION = "核对领导人现任职务；已卸任的职务写作“时任”或“原”。"
    PROVINCE = "guangdong"

    def run(self, doc: Document) -> Iterable[Finding]:
        scan = scan_document(doc, self.PROVINCE or None)
        text = scan.text
        leaders = scan.lexicon.leaders
        on = doc.date
        before_titles = dict(TITLES_BEFORE)
        before_titles.update(PROVINCE_TITLES.get(self.PROVINCE, {}))
        for s, e, p in scan.hits:
            if p[0] != NAME:
                continue
            name = p[1]
            found = title_before(text, s, before_titles)
            if found:
                title, ts = found
                offices = before_titles[title]
                span = (ts, e)
                # the chain of titles may start with a former-office marker: 时任中央政治局常委、国务院总理
                lead = text[max(0, ts - 30):ts]
                clause = re.split(r"[，。；：！？,;:\n]", lead)[-1]
                if any(clause.startswith(m) or m in clause for m in FORMER_MARKERS[:2]) or \
                        any(text.startswith(m, ts - len(m)) for m in FORMER_MARKERS):
                    continue
                if any(m in clause for m in ("时任", "原任", "曾任", "历任", "首任")):
                    continue
            else:
                title = title_after(text, e, TITLES_AFTER)
                if not title:
                    continue
                offices = TITLES_AFTER[title]
                span = (s, e + len(title))
                if text.startswith(("时任", "原", "前"), s - 2) or text.startswith(("原", "前"), s - 1):
                    continue
                organ = _LOCAL_ORGAN.search(text, max(0, s - 12), s)
                if organ and not _NATIONAL_ORGAN.search(text, max(0, organ.start() - 8), organ.start()):
                    continue  # 县政协李强主席: a local body's chair of the same name
            if all(on < COVERAGE.get(o, dt.date.max) for o in offices):
                continue
            if span[0] == s and any(o.office in offices and o.end and o.end < HONORIFIC_BEFORE
                                    for o in leaders.offices.get(name, ())):
                continue
            held = leaders.holds(name, offices, on)
            if held is not False:
                continue
            sentence = _sentence(text, span[0], span[1])
            if any(w in sentence for w in _PAST_WORDS):
                continue
            if any(leaders.holds(name, offices, day) is not False for day in sentence_dates(sentence) if day <= on):
                continue
            a, b = span
            span_text = text[a:b]
            ns, ne = scan.view.span_to_norm(a, b)
            # past the data's end an office it never gave the person may have come since: say so;
            # one the person held and left within the data stays a veto (李克强总理 in 2026)
            stale = None if leaders.ended_by(name, offices, leaders.data_until) else leaders.stale_note(on)
            yield self.finding(
                doc, ns, ne,
                message=f"领导人职务与发布日期不符：{on.isoformat()}时“{name}”不任“{title}”"
                        + (f"（{stale}）" if stale else ""),
                explanation=f"'{name}' with title '{title}' ({'/'.join(offices)}): not held on {on} "
                            "per lexicons/leaders.tsv; no 时任/原/前 marker or matching date, year or session in the sentence"
                            + (f"; advisory, not veto: the data ends {leaders.data_until} ({STALE_AFTER_DAYS}+ days before)"
                               if stale else ""),
                suggestion=_suggest(leaders, name, offices, on, span_text),
                score=0.9,
                severity=Severity.ADVISORY if stale else None,
            )
