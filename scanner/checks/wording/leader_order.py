"""wording.leader_order: leaders listed out of their standard order (排序错误).

A run of listed leaders' names separated by 、 or ，(同志 allowed after each) is checked against
the order of the leadership at the text's date (``lexicons/leaders.tsv`` rank):

* the members of the Politburo Standing Committee in the run must follow the standing
  committee's order (习近平、李强、赵乐际、王沪宁、蔡奇、丁薛祥、李希);
* after the title 副总理 / 国务委员 / 政治局委员 the whole run must follow that office's order.

A run with a name that is not in the leadership at that date is a historical list (毛泽东、
邓小平、江泽民) and is left alone; so is a run near a change of leadership (grace period), and a
run the text says is in another order (按姓氏笔画排序, 排名不分先后: a roll of delegates).

The top leader's three titles before his name keep their fixed order, Party, state, army:
中共中央总书记、国家主席、中央军委主席习近平 (so written for 江泽民 and 胡锦涛 as well; 国家主席、中共中央
总书记、中央军委主席习近平 is an error).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from ...findings import Finding, Severity
from ...types import Document
from ..base import Check
from ..registry import register
from .lexicon import INDICATOR_WORDING, NAME, scan_document

SEPARATORS = ("、", "，", ",")
# a list the text says is in another order: a roll of names by surname strokes (名单（按姓氏笔画排序）)
_OTHER_ORDER = re.compile(r"姓氏笔画|笔画为序|笔画排序|笔划为序|笔划排序|姓氏拼音|拼音为序|拼音排序|排名不分先后|不分先后")
# the fixed order of the top leader's titles (Party, state, army), each with its written forms
TOP_TITLES = (("中共中央总书记",), ("国家主席", "中华人民共和国主席"), ("中央军委主席", "中华人民共和国中央军事委员会主席"))
_TITLE_RANK = {form: i for i, forms in enumerate(TOP_TITLES) for form in forms}
_ONE_TITLE = "|".join(sorted(_TITLE_RANK, key=len, reverse=True))
_TITLE_RUN = re.compile(rf"(?:{_ONE_TITLE})(?:、(?:{_ONE_TITLE})){{1,2}}")
RUN_TITLES = {"副总理": "国务院副总理", "国务委员": "国务委员", "政治局委员": "中央政治局委员"}


def name_runs(text: str, names: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    runs: list[list[tuple[int, int, str]]] = []
    for s, e, name in sorted(names):
        if runs:
            ps, pe, _ = runs[-1][-1]
            gap = text[pe:s].replace("同志", "")
            if gap in SEPARATORS and s - pe <= 3:
                runs[-1].append((s, e, name))
                continue
        runs.append([(s, e, name)])
    return [r for r in runs if len(r) >= 2]


@register
class LeaderOrderCheck(Check):
    """Leaders listed out of the standard order of the leadership at the text's date."""

    CODE = "wording.leader_order"
    CATEGORY = "wording"
    SEVERITY = Severity.VETO
    INDICATOR = INDICATOR_WORDING
    ACTION = "按领导班子的规范排序调整姓名顺序。"
    PROVINCE = "guangdong"

    def run(self, doc: Document) -> Iterable[Finding]:
        scan = scan_document(doc, self.PROVINCE or None)
        text, leaders, on = scan.text, scan.lexicon.leaders, doc.date
        names = [(s, e, p[1]) for s, e, p in scan.hits if p[0] == NAME]
        yield from self._title_order(doc, scan, {s for s, _, _ in names})
        for run in name_runs(text, names):
            people = [n for _, _, n in run]
            if len(set(people)) != len(people):
                continue
            if _OTHER_ORDER.search(text, max(0, run[0][0] - 200), min(len(text), run[-1][1] + 30)):
                continue  # 按姓氏笔画排序: the text names the order it uses
            head = text[max(0, run[0][0] - 6):run[0][0]]
            office = next((o for t, o in RUN_TITLES.items() if head.endswith(t)), None)
            if office:
                ranks = [leaders.rank(n, office, on) for n in people]
                if any(r is None for r in ranks):
                    continue
                subject = [(r, n) for r, n in zip(ranks, people)]
            else:
                in_politburo = [leaders.holds(n, ("中央政治局常委", "中央政治局委员"), on) for n in people]
                if not all(x is True for x in in_politburo):
                    continue
                subject = [(leaders.rank(n, "中央政治局常委", on), n) for n in people]
                subject = [(r, n) for r, n in subject if r is not None]
                if len(subject) < 2:
                    continue
                office = "中央政治局常委"
            ranks = [r for r, _ in subject]
            if ranks == sorted(ranks):
                continue
            ordered = iter(n for _, n in sorted(subject))
            listed = {n for _, n in subject}
            fixed = [next(ordered) if n in listed else n for n in people]
            a, b = run[0][0], run[-1][1]
            pieces, pos = [], a
            for (s, e, _), new in zip(run, fixed):
                pieces.append(text[pos:s])
                pieces.append(new)
                pos = e
            suggestion = "".join(pieces) + text[pos:b]
            ns, ne = scan.view.span_to_norm(a, b)
            yield self.finding(
                doc, ns, ne,
                message=f"领导人排序错误：应为“{suggestion}”（{office}排序，{on.isoformat()}）",
                explanation=f"ranks {ranks} in office {office} on {on} (lexicons/leaders.tsv) are not ascending",
                suggestion=suggestion,
                score=0.9,
            )

    def _title_order(self, doc: Document, scan, name_starts: set[int]) -> Iterable[Finding]:
        """中共中央总书记、国家主席、中央军委主席 before a leader's name, out of that order."""
        text = scan.text
        for m in _TITLE_RUN.finditer(text):
            if m.end() not in name_starts:
                continue  # only right before a leader's name (不是 a list of offices in prose)
            titles = m.group(0).split("、")
            ranks = [_TITLE_RANK[t] for t in titles]
            if ranks == sorted(ranks) or len(set(ranks)) != len(ranks):
                continue
            suggestion = "、".join(t for _, t in sorted(zip(ranks, titles)))
            ns, ne = scan.view.span_to_norm(m.start(), m.end())
            yield self.finding(
                doc, ns, ne,
                message=f"领导人职务排序错误：“{m.group(0)}”应为“{suggestion}”（党、国家、军队职务依次排列）",
                explanation=f"titles {titles} before a leader's name are not in the fixed order "
                            "中共中央总书记、国家主席、中央军委主席",
                suggestion=suggestion,
                score=0.9,
                action="按党、国家、军队的顺序排列职务。",
            )
