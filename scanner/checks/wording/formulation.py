"""wording.formulation: a canonical formulation (规范表述) written with one character wrong.

The canonical formulations are those of ``lexicons/formulations.tsv`` marked ``near_match``.
A near-match is one edit away: a confusable character (same/similar sound or shape), a missing,
an extra (repeated or confusable) or two swapped characters (习近平新时代中国特色社会主意思想,
中华民族伟大复新, 四个意思, 四个白信), or for counted formulations a numeral one off
(三个意识).  Short terms (< 6 characters) are expanded into variants in the shared automaton;
longer ones are found by an exact half and verified by :func:`.variants.one_edit`.

Not reported: a short term less one character where the span cuts a word of the text (四个大 in
四个大型水库: jieba reads 大型, so the span ends inside a word), a span that overlaps an exactly written canonical term at least as long (类命运共同体
inside 人类命运共同体), a text dated before the formulation existed, and
strings listed in ``lexicons/variant_stoplist.tsv`` (found in clean legal and policy text), and a
misspelled leader's name inside the formulation (习进平新时代…: wording.leader_name reports it,
on the name alone).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

from ...findings import Finding, Severity
from ...types import Document
from ..base import Check
from ..registry import register
from .lexicon import ANCHOR, INDICATOR_WORDING, NAMEVAR, TERM, TERMVAR, Scan, scan_document
from ...text.spans import SpanIndex
from .variants import one_edit

EDIT_LABEL = {"sub": "同音或形近字", "del": "漏字", "ins": "多字", "swap": "字序颠倒", "count": "数字错误",
              "title": "称谓不规范", "word": "用词错误"}


def _cuts_a_word(text: str, a: int, b: int) -> bool:
    """Whether [a, b) starts or ends inside a dictionary word of the text around it (jieba
    without its HMM, which would join the stray characters of a misspelling: 念为)."""
    from ...text.tokenize import get_jieba

    lo = max(0, a - 8)
    bounds, pos = {lo}, lo
    for w in get_jieba().lcut(text[lo:b + 8], HMM=False):
        pos += len(w)
        bounds.add(pos)
    return a not in bounds or b not in bounds


_QUOTE_CLOSE = "”\"’'」』"
_DEFINES = ("：", ":", "，即", ",即", "即", "（", "(")


def _defines_own_list(text: str, b: int, members: set[str]) -> bool:
    """Whether a counted phrase ending at ``b`` is followed by its own list that shares no
    member with the canonical one: 三个意识：安全意识、服务意识、责任意识 is a list of the text's
    own, not 四个意识 miscounted (三个自信：道路自信、理论自信、制度自信 is)."""
    p = b
    while p < len(text) and text[p] in _QUOTE_CLOSE:
        p += 1
    head = next((d for d in _DEFINES if text.startswith(d, p)), None)
    if head is None:
        return False
    tail = text[p + len(head):p + len(head) + 60]
    for end in "。；;\n":
        tail = tail.split(end, 1)[0]
    return bool(tail.strip()) and not any(m and m in tail for m in members)


def near_matches(scan: Scan, on: dt.date | None, *, use_stoplist: bool = True) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, canonical, edit) of every near-match in the scan's compact text."""
    text = scan.text
    forms: dict[str, object] = {}
    members: dict[str, set[str]] = {}
    for f in sorted(scan.lexicon.formulations, key=lambda f: f.start, reverse=True):
        forms[f.term] = f  # the earliest row of a term decides when it came into use
        members.setdefault(f.term, set()).update(f.members)
    exact = SpanIndex((s, e) for s, e, p in scan.hits if p[0] == TERM)
    # misspelled leader names inside a formulation (习进平新时代…) are wording.leader_name's
    name_variants = SpanIndex((s, s + p[3] if len(p) > 3 else e) for s, e, p in scan.hits if p[0] == NAMEVAR)
    stop = scan.lexicon.stoplist if use_stoplist else frozenset()
    seen: set[tuple[int, int]] = set()
    found: list[tuple[int, int, str, str]] = []
    for s, e, p in scan.hits:
        kind = p[0]
        if kind == TERMVAR:
            term, edit = p[1], p[2]
            span = (s, e)
        elif kind == ANCHOR:
            term, side = p[1], p[2]
            n = len(term)
            if side == 0:
                r = one_edit(term, text, s, known=e - s, fuzzy=True)
                if r is None:
                    continue
                span, edit = (s, r[0]), r[1]
            else:
                # verify backwards: reverse the term and the text before the anchor's end
                lo = max(0, e - n - 1)
                rev = text[lo:e][::-1]
                r = one_edit(term[::-1], rev, 0, known=e - s, fuzzy=True)
                if r is None:
                    continue
                span, edit = (e - r[0], e), r[1]
        else:
            continue
        if span in seen:
            continue
        f = forms.get(term)
        if f is None or (on is not None and on < f.start):
            continue
        a, b = span
        # a correctly written term as long as this one overlaps it: a piece of it, not an error
        if any(a < xe and xs < b and xe - xs >= len(term) for xs, xe in exact.near(a, b)):
            continue
        if text[a:b] in stop or any(a <= vs and ve <= b for vs, ve in name_variants.near(a, b)):
            continue
        if kind == TERMVAR and edit == "del" and _cuts_a_word(text, a, b):
            continue  # a short term less a character is often the head of other words (四个大型)
        if edit == "count" and _defines_own_list(text, b, members.get(term, set())):
            continue  # 三个意识：安全意识、服务意识…: the text's own list
        seen.add(span)
        found.append((a, b, term, edit))
    # one error can sit inside several nested terms: keep the longest span
    spans = SpanIndex((a, b) for a, b, _, _ in found)
    for a, b, term, edit in found:
        if not any((x <= a and b <= y and (y - x) > (b - a)) for x, y in spans.near(a, b)):
            yield a, b, term, edit


XI_THOUGHT = "习近平新时代中国特色社会主义思想"
XI_CORE = "以习近平同志为核心的党中央"
_XI_THOUGHT_QUALIFIER = "新时代中国特色"
_XI_THOUGHT_FORMS = re.compile(r"习近平([新时代中国特色]{0,6})社会主义思想")
# 以习近平总书记为核心的党中央 / 以习近平为核心的党中央: the canonical wording has 同志 (two characters
# or more from it, so beyond one edit)
_XI_CORE_FORMS = re.compile(r"以习近平(总书记|主席|)为核心的党中央")


def _subsequence(part: str, whole: str) -> bool:
    rest = iter(whole)
    return all(ch in rest for ch in part)


def beyond_one_edit(text: str, on: dt.date | None) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, canonical, edit) of two miswritings beyond one edit, which :func:`near_matches`
    does not see:

    * 习近平…社会主义思想 missing two or more characters of 新时代中国特色 (习近平中国特色社会主义思想,
      习近平新时代特色社会主义思想, 习近平社会主义思想); no other thought of his is named so
      (习近平经济思想, 习近平法治思想 … have no 社会主义).  Source: the name as written into the Party
      constitution by the 19th congress (2017-10-24);
    * 以习近平总书记为核心的党中央 / 以习近平为核心的党中央 for 以习近平同志为核心的党中央 (十八届六中全会
      公报, 2016-10-27, and every later central document)."""
    if on is None or on >= dt.date(2017, 10, 18):
        for m in _XI_THOUGHT_FORMS.finditer(text):
            q = m.group(1)
            if len(_XI_THOUGHT_QUALIFIER) - len(q) >= 2 and _subsequence(q, _XI_THOUGHT_QUALIFIER):
                yield m.start(), m.end(), XI_THOUGHT, "del"
    if on is None or on >= dt.date(2016, 10, 27):
        for m in _XI_CORE_FORMS.finditer(text):
            yield m.start(), m.end(), XI_CORE, "title" if m.group(1) else "del"


# A counted formulation (两个维护, 四个意识 …) with one of its two key characters replaced by a word
# that is no typing slip (两个拥护 for 两个维护: 拥 is neither a same-sound nor a similar-shape
# character of 维, so no one-edit variant holds it).  Only where it stands as a formulation: in
# quotation marks, in a sentence that names another counted formulation exactly (增强“四个意识”、
# 坚定“四个自信”、做到“两个拥护”), and not followed by a list of its own (“两个拥护”：拥护党的
# 领导、拥护社会主义制度), nor a counted phrase of clean laws and policies one character from a
# formulation (四个方面, 两个独立: lexicons/variant_stoplist.tsv, corpora/build_variant_stoplist.py).
_COUNTED = re.compile(r"[“‘「『\"]([一二两三四五六七八九十]个[\u4e00-\u9fff]{2})[”’」』\"]")
_SERIES_END = "。！？；;!?\n"


def series_slips(scan: Scan, on: dt.date | None) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, canonical, edit "word") of a quoted counted phrase one key character from a
    counted formulation in force, in a sentence naming another one exactly (see above)."""
    text = scan.text
    counted: dict[str, set[str]] = {}
    for f in scan.lexicon.formulations:
        if f.kind == "enumeration" and len(f.term) == 4 and f.term[1] == "个" and (on is None or f.in_force(on)):
            counted.setdefault(f.term, set()).update(f.members)
    if not counted:
        return
    exact = [(s, e) for s, e, p in scan.hits if p[0] == TERM and p[1] in counted]
    if not exact:
        return
    for m in _COUNTED.finditer(text):
        phrase = m.group(1)
        if phrase in counted or phrase in scan.lexicon.stoplist:
            continue
        near = [t for t in counted if t[0] == phrase[0] and (t[2] == phrase[2]) != (t[3] == phrase[3])]
        if len(near) != 1:
            continue
        a, b = m.start(1), m.end(1)
        lo, hi = a, b
        while lo > 0 and text[lo - 1] not in _SERIES_END:
            lo -= 1
        while hi < len(text) and text[hi] not in _SERIES_END:
            hi += 1
        if not any(lo <= s and e <= hi and not (s < b and a < e) for s, e in exact):
            continue
        if _defines_own_list(text, b, counted[near[0]]):
            continue
        yield a, b, near[0], "word"


@register
class FormulationCheck(Check):
    """A canonical formulation with one wrong, missing, extra or swapped character."""

    CODE = "wording.formulation"
    CATEGORY = "wording"
    SEVERITY = Severity.VETO
    INDICATOR = INDICATOR_WORDING
    ACTION = "更正为规范表述，并按三审三校复核全文。"
    PROVINCE = "guangdong"

    def run(self, doc: Document) -> Iterable[Finding]:
        scan = scan_document(doc, self.PROVINCE or None)
        found = list(near_matches(scan, doc.date))
        spans = SpanIndex((a, b) for a, b, _, _ in found)
        for a, b, term, edit in (*beyond_one_edit(scan.text, doc.date), *series_slips(scan, doc.date)):
            if not any(a < y and x < b for x, y in spans.near(a, b)):
                found.append((a, b, term, edit))
        for a, b, term, edit in found:
            wrong = scan.text[a:b]
            ns, ne = scan.view.span_to_norm(a, b)
            yield self.finding(
                doc, ns, ne,
                message=f"规范表述疑似写错（{EDIT_LABEL[edit]}）：“{wrong}”应为“{term}”",
                explanation=f"'{wrong}' is one edit ({edit}) from the canonical formulation '{term}' "
                            "(lexicons/formulations.tsv)",
                suggestion=term,
                score=0.95,
            )
