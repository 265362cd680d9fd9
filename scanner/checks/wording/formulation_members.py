"""wording.formulation_members: a fixed enumeration with a wrong, missing or reordered member.

For the formulations of ``lexicons/formulations.tsv`` with members:

* ``enumeration`` rows: the count term followed by its list (四个自信，即道路自信、理论自信、
  制度自信、文化自信) or preceded by it (创新、协调、绿色、开放、共享的新发展理念).  The list is
  read item by item while the items look like members (equal, similar, or sharing the
  members' common prefix or suffix); then a wrong member, a missing member (fewer items than
  the count, unless the list ends with 等), an extra member or a wrong order is reported;
* ``sequence`` rows and enumeration members without the count term: a run of 3 or more listed
  members of one set (4 or more when the members are 2-character words such as 富强、民主)
  must keep the fixed order.

The members in force are those of the row in force at the text's date (四个全面 changed its
first member on 2020-10-29: either version is accepted within 60 days of the change).
"""
from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Iterable, Iterator

from ...findings import Finding, Severity
from ...types import Document
from ..base import Check
from ..registry import register
from .lexicon import INDICATOR_WORDING, MEMBER, TERM, Formulation, scan_document
from .variants import edit_variants

# a list is read after the count term only behind an explicit connector: 四个自信，即… / 四个自信：…
# (“五位一体”总体布局：…, “四个全面”战略布局，即…: the layout's name may stand between them)
_CONNECT_AFTER = re.compile(r"^[”\"’」』]?(?:总体布局|战略布局)?(?:[，,]?(?:即|就是|也就是|包括)[：:，,]?|[：:]|[（(]|——)[“\"]?")
_QUOTES = "“”\"‘’「」『』"
_END = "。！？；;!?\n（(）)"
TRANSITION = dt.timedelta(days=60)


def _split_items(segment: str, members: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) of the items of a list in ``segment`` (separators 、，；, or 、 kept inside
    members that contain it)."""
    seps = "，,；;" if any("、" in m for m in members) else "、，,；;"
    items, pos = [], 0
    for i, ch in enumerate(segment):
        if ch in seps:
            items.append((pos, i))
            pos = i + 1
    items.append((pos, len(segment)))
    return items


def _similar(item: str, members: tuple[str, ...]) -> tuple[float, str]:
    best = max(members, key=lambda m: difflib.SequenceMatcher(None, item, m).ratio())
    return difflib.SequenceMatcher(None, item, best).ratio(), best


def _slot_like(item: str, members: tuple[str, ...]) -> bool:
    if not item or len(item) > max(len(m) for m in members) + 4:
        return False
    if item in members:
        return True
    prefix = os.path.commonprefix(members)
    suffix = os.path.commonprefix([m[::-1] for m in members])[::-1]
    if len(suffix) >= 2 and item.endswith(suffix) and len(item) <= len(members[0]) + 2:
        return True
    if len(prefix) >= 2 and item.startswith(prefix) and len(item) <= max(map(len, members)) + 2:
        return True
    ratio, _ = _similar(item, members)
    return ratio >= (0.5 if max(map(len, members)) <= 2 else 0.7)


def _clean(item: str) -> str:
    return item.strip(_QUOTES + " ")


def read_list(text: str, start: int, members: tuple[str, ...], backwards: bool) -> tuple[list[tuple[int, int, str]], bool]:
    """Items of the list starting at ``start`` (or ending there when ``backwards``): [(s, e, item)],
    and whether the list ends with 等."""
    limit = 40 * len(members) + 40
    if backwards:
        a = start
        while a > 0 and text[a - 1] not in _END and start - a < limit:
            a -= 1
        segment = text[a:start]
        spans = _split_items(segment, members)[::-1]
        base = a
    else:
        b = start
        while b < len(text) and text[b] not in _END and b - start < limit:
            b += 1
        segment = text[start:b]
        spans = _split_items(segment, members)
        base = start
    items: list[tuple[int, int, str]] = []
    ends_with_deng = False
    for k, (s, e) in enumerate(spans):
        raw = segment[s:e]
        item = _clean(raw)
        # 和 / 与 / 及 before the last member
        parts = re.split(r"(?<=.)(?:和|与|及|以及)(?=.)", item) if not backwards else [item]
        if len(parts) == 2 and all(_slot_like(_clean(x), members) for x in parts) and item not in members:
            cut = raw.find(parts[1], len(parts[0]))
            items.append((base + s, base + s + len(parts[0]), _clean(parts[0])))
            items.append((base + s + cut, base + s + cut + len(parts[1]), _clean(parts[1])))
            break
        if not backwards and item.endswith("等") and _slot_like(item[:-1], members):
            items.append((base + s, base + e - 1, _clean(item[:-1])))
            ends_with_deng = True
            break
        if item not in members:
            # the first item may carry a verb before it (坚持创新), the last words after it
            for cut in range(1, len(item)):
                if backwards and item[cut:] in members:
                    item = item[cut:]
                    break
                if not backwards and item[:-cut] in members and k == len(spans) - 1:
                    item = item[:-cut]
                    break
        if not _slot_like(item, members):
            break
        at = raw.find(item)
        items.append((base + s + at, base + s + at + len(item), item))
    if backwards:
        items.reverse()
    return items, ends_with_deng


def judge(items: list[str], members: tuple[str, ...], deng: bool) -> tuple[str, list[str]] | None:
    """(problem, suggested items) for a list read after a count term, or None when it is right."""
    if items == list(members):
        return None
    wrong = [x for x in items if x not in members]
    if wrong:
        missing = [m for m in members if m not in items]
        return "wrong_member", [x if x in members else (missing.pop(0) if missing else x) for x in items]
    if len(set(items)) != len(items) or len(items) > len(members):
        return "extra", list(members)
    if len(items) < len(members):
        order_ok = [members.index(x) for x in items] == sorted(members.index(x) for x in items)
        if deng and order_ok:
            return None
        return ("missing" if order_ok else "order"), list(members)
    return "order", list(members)


def _misspelt_neighbour(text: str, run: list[tuple[int, int, int]], members: tuple[str, ...]) -> tuple[int, int, str] | None:
    """A run of listed members (政治意识、大局意识、核心意识) whose next or previous item is one
    confusable character or one swap away from the member the run lacks (看起意识 for 看齐意识):
    (start, end, suggestion) of the whole list with that member written right, or None."""
    have = {x[2] for x in run}
    a, b = run[0][0], run[-1][1]
    for i, m in enumerate(members):
        if i in have:
            continue
        variants = {v for v, kind in edit_variants(m) if kind in ("sub", "swap")}
        n = len(m)
        if text[b:b + 1] in "、，," and b < len(text) and text[b + 1:b + 1 + n] in variants:
            return a, b + 1 + n, text[a:b + 1] + m
        if a > n and text[a - 1] in "、，," and text[a - 1 - n:a - 1] in variants:
            return a - 1 - n, b, m + text[a - 1:b]
    return None


LABEL = {"wrong_member": "成员错误", "missing": "成员缺漏", "extra": "成员重复或多余", "order": "顺序错误"}


@register
class FormulationMembersCheck(Check):
    """A fixed enumeration (四个意识, 四个自信, 五位一体 …) with wrong, missing or reordered members."""

    CODE = "wording.formulation_members"
    CATEGORY = "wording"
    SEVERITY = Severity.VETO
    INDICATOR = INDICATOR_WORDING
    ACTION = "按规范表述补全或调整成员及顺序。"
    PROVINCE = "guangdong"

    def _rows(self, forms: list[Formulation], term: str, on: dt.date) -> list[Formulation]:
        rows = [f for f in forms if f.term == term and f.members]
        return [f for f in rows if f.start - TRANSITION <= on and (f.end is None or on < f.end + TRANSITION)]

    def run(self, doc: Document) -> Iterable[Finding]:
        scan = scan_document(doc, self.PROVINCE or None)
        text, on = scan.text, doc.date
        forms = scan.lexicon.formulations
        done: list[tuple[int, int]] = []
        for s, e, p in scan.hits:
            if p[0] != TERM:
                continue
            rows = [f for f in self._rows(forms, p[1], on) if f.kind == "enumeration"]
            if not rows:
                continue
            members = rows[0].members
            m = _CONNECT_AFTER.match(text[e:e + 12])
            after = e + m.end() if m else -1
            found = None
            for backwards, at in ((False, after), (True, s - 1 if text[s - 1:s] == "的" else -1)):
                if at < 0:
                    continue
                items, deng = read_list(text, at, members, backwards)
                if len(items) >= 2 or (len(items) == 1 and len(members) == 2 and items[0][2] not in members):
                    found = (items, deng)
                    break
            if not found:
                continue
            items, deng = found
            names = [x for _, _, x in items]
            verdicts = [judge(names, f.members, deng) for f in rows]
            if any(v is None for v in verdicts):
                continue
            problem, suggestion = verdicts[0]
            a, b = items[0][0], items[-1][1]
            default = "，" if any("、" in x for x in members) else "、"
            sep = text[items[0][1]] if items[0][1] < len(text) and text[items[0][1]] in "、，,；;" else default
            suggestion = sep.join(suggestion)
            done.append((a, b))
            yield self._finding(doc, scan, a, b, p[1], problem, suggestion, text[a:b])
        yield from self._sequences(doc, scan, done)

    def _sequences(self, doc: Document, scan, done: list[tuple[int, int]]) -> Iterator[Finding]:
        text, on = scan.text, doc.date
        hits = sorted(((s, e, p[1], p[2]) for s, e, p in scan.hits if p[0] == MEMBER), key=lambda h: (h[0], -h[1]))
        kept, reach = [], -1
        for h in hits:  # drop members nested in a longer member (文明 inside 生态文明建设)
            if h[1] <= reach:
                continue
            kept.append(h)
            reach = max(reach, h[1])
        by_set: dict[str, list[tuple[int, int, int]]] = {}
        for s, e, term, idx in kept:
            by_set.setdefault(term, []).append((s, e, idx))
        for term, regex in scan.lexicon.short_member_sets:
            members = next(f.members for f in scan.lexicon.formulations if f.term == term and f.members)
            for m in regex.finditer(text):
                pos = m.start()
                for item in re.split(r"[、，,]", m.group(0)):
                    by_set.setdefault(term, []).append((pos, pos + len(item), members.index(item)))
                    pos += len(item) + 1
        for term, hs in by_set.items():
            hs.sort()
            rows = self._rows(scan.lexicon.formulations, term, on)
            if not rows:
                continue
            members = rows[0].members
            need = min(3, len(members)) if min(map(len, members)) >= 4 else 4
            run: list[tuple[int, int, int]] = []
            for h in hs + [(10**12, 10**12, -1)]:
                if run and h[0] - run[-1][1] == 1 and text[run[-1][1]] in "、，," and h[2] >= 0:
                    run.append(h)
                    continue
                if len(run) >= max(2, len(members) - 1) and min(map(len, members)) >= 3:
                    wrong = _misspelt_neighbour(text, run, members)
                    if wrong is not None and not any(wrong[0] < db and da < wrong[1] for da, db in done):
                        a, b, suggestion = wrong
                        done.append((a, b))
                        yield self._finding(doc, scan, a, b, term, "wrong_member", suggestion, text[a:b])
                        run = [h] if h[2] >= 0 else []
                        continue
                if len(run) >= need:
                    idx = [x[2] for x in run]
                    a, b = run[0][0], run[-1][1]
                    if idx != sorted(idx) and len(set(idx)) == len(idx) and \
                            not any(a < db and da < b for da, db in done):
                        ordered = iter(members[i] for i in sorted(idx))
                        pieces, pos = [], a
                        for s, e, _ in run:
                            pieces.append(text[pos:s] + next(ordered))
                            pos = e
                        yield self._finding(doc, scan, a, b, term, "order", "".join(pieces), text[a:b])
                run = [h] if h[2] >= 0 else []

    def _finding(self, doc, scan, a, b, term, problem, suggestion, wrong) -> Finding:
        ns, ne = scan.view.span_to_norm(a, b)
        return self.finding(
            doc, ns, ne,
            message=f"“{term}”{LABEL[problem]}：“{wrong}”应为“{suggestion}”",
            explanation=f"list after/before '{term}' compared with its fixed members "
                        f"(lexicons/formulations.tsv): {problem}",
            suggestion=suggestion,
            score=0.9,
        )
