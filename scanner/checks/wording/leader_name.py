"""wording.leader_name: a Party or state leader's name written wrongly (严重表述错误).

The 2015 rules' canonical example of a serious error: "将党和国家领导人姓名写错".  The names
are those of ``lexicons/leaders.tsv`` (national leaders 1992-, with earlier leaders whose names
recur) and the province add-on (``leaders_<province>.tsv``).  Variants one edit away (a
same/similar-sound or similar-shape character, a missing, extra or swapped character: see
:mod:`.variants`) are in the shared automaton of :mod:`.lexicon`, matched over normalized,
compacted text: traditional characters, look-alike ideographs, zero-width characters and
spaces or dots inside a name do not hide it.

A variant is reported on its own when it has 3+ characters and is not listed in
``lexicons/variant_stoplist.tsv`` (strings found in clean text, dictionary words, other
people's names).  Otherwise it needs leader context: a national office title right before or
after it (国务院总理李墙, 李墙总理), or a place in a list of leaders (习近平、李墙、赵乐际).
Names that merely contain a leader's name are not variants: 李强强调, 学习习近平, 能力强.
"""
from __future__ import annotations

from collections.abc import Iterable

from ...findings import Finding, Severity
from ...types import Document
from ..base import Check
from ..registry import register
from .lexicon import (INDICATOR_WORDING, NAME, NAMEVAR, PROVINCE_TITLES, TITLES_AFTER, TITLES_BEFORE,
                      scan_document, title_after, title_before)

EDIT_LABEL = {"sub": "同音或形近字", "del": "漏字", "ins": "多字", "swap": "字序颠倒"}
LIST_SEPARATORS = "、，,"


def leader_context(text: str, start: int, end: int, name_spans: list[tuple[int, int]], province: str) -> str | None:
    """Why the span at [start, end) reads as a leader's name, or None."""
    titles = dict(TITLES_BEFORE)
    titles.update(PROVINCE_TITLES.get(province, {}))
    t = title_before(text, start, titles)
    if t:
        return f"title '{t[0]}' before it"
    t = title_after(text, end, TITLES_AFTER)
    if t:
        return f"title '{t}' after it"
    for s, e in name_spans:
        # a listed leader right before or after, separated by one list separator (同志 allowed)
        gap_after = text[e:start]
        gap_before = text[end:s]
        for gap in (gap_after, gap_before):
            g = gap.replace("同志", "")
            if len(g) == 1 and g in LIST_SEPARATORS and len(gap) <= 3:
                return "in a list of leaders"
    return None


@register
class LeaderNameCheck(Check):
    """A leader's name with a wrong, missing, extra or swapped character."""

    CODE = "wording.leader_name"
    CATEGORY = "wording"
    SEVERITY = Severity.VETO
    INDICATOR = INDICATOR_WORDING
    ACTION = "更正为领导人规范姓名，并按三审三校复核全文。"
    PROVINCE = "guangdong"

    def run(self, doc: Document) -> Iterable[Finding]:
        scan = scan_document(doc, self.PROVINCE or None)
        text = scan.text
        names = [(s, e) for s, e, p in scan.hits if p[0] == NAME]
        stop = scan.lexicon.stoplist
        reported: set[tuple[int, int]] = set()
        for s, e, p in scan.hits:
            if p[0] != NAMEVAR:
                continue
            _, canonical, edit = p
            variant = text[s:e]
            if any(s < ne and ns < e for ns, ne in names):
                continue  # overlaps a correctly written leader name
            needs_context = len(canonical) <= 2 or len(variant) <= 2 or variant in stop
            why = "standalone variant of 3+ characters"
            if needs_context:
                why = leader_context(text, s, e, names, self.PROVINCE)
                if why is None:
                    continue
            if (s, e) in reported:
                continue
            reported.add((s, e))
            ns, ne = scan.view.span_to_norm(s, e)
            yield self.finding(
                doc, ns, ne,
                message=f"领导人姓名疑似写错（{EDIT_LABEL[edit]}）：“{variant}”应为“{canonical}”",
                explanation=f"'{variant}' is one edit ({edit}) from the leader name '{canonical}' "
                            f"(lexicons/leaders.tsv); reported because: {why}",
                suggestion=canonical,
                score=0.95 if not needs_context else 0.9,
            )
