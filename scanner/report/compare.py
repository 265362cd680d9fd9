"""Quarter over quarter, and rectification status, from the store.

``compare_quarters(store, "2022Q3", "2022Q2")`` lists, for sites and accounts, the problems
that are new (in 2022Q3, not in 2022Q2), persisting (in both) and fixed (in 2022Q2, and the
unit was inspected again in 2022Q3 without it); problems of units gone from 2022Q3's registry
while it lists their region (a site closed or merged, an account deregistered) are
``delisted``; those of units otherwise not inspected in 2022Q3 are ``unchecked``.  A problem is
one (unit code, label) pair.

``rectification_status`` counts the items by status: ``open`` (未整改, ``overdue`` among them),
``rectified`` and ``delisted`` (不在名录, never counted as unrectified).
"""
from __future__ import annotations

from typing import Sequence

from ..store import Store, renumbered
from .aggregate import DEPARTMENT_REGIONS, PROBLEM_ORDER, ReportError, finding_brief


def _problems(res, renamed: dict[str, str] | None = None, now: dict | None = None) -> dict:
    """The quarter's problems by (unit code, label); with ``renamed`` ({code: the later quarter's
    code}, ``now`` the later quarter's units by code), a re-coded unit's under its later code and
    name, its code here kept as ``previous_code``."""
    out = {}
    for ur in res.units if res is not None else ():
        if ur.failed:
            for p in ur.problems:
                entry = {"region": ur.unit.region, "name": ur.unit.name, "code": ur.unit.code, "problem": p}
                code = (renamed or {}).get(ur.unit.code)
                if code is not None:
                    entry.update(name=now[code].name, code=code, previous_code=ur.unit.code)
                out[(entry["code"], p)] = entry
    return out


def compare_quarters(store: Store, quarter: str, previous: str, region_order: Sequence[str] = ()) -> dict:
    """Each kind's problems by bucket, each bucket in the order of its quarter's 附件2/4: the
    regions as ``region_order`` (``--regions``) lists them, else the registry's, 省直 after the
    cities, then the registry's rows and the problems' order (``--regions`` was accepted and
    ignored here: the items kept the store's order, 省直 first where the registry had it so)."""
    if previous == quarter:  # every problem read 仍存在, as if checked again
        raise ReportError(f"--compare {previous} 与 --quarter {quarter} 是同一季度：--compare 应为更早的季度")
    if previous > quarter:  # 2022Q2 < 2022Q3 < 2023Q1 as text: the year leads, the quarter is one digit
        # the two swapped: the earlier quarter's problems were listed as 新发现 and the later's as 已整改
        raise ReportError(f"--compare {previous} 晚于 --quarter {quarter}：--compare 应为更早的季度"
                          f"（例如 --quarter {previous} --compare {quarter}）")
    for q in (quarter, previous):
        if store.load(q, "sites") is None and store.load(q, "accounts") is None:
            raise ReportError(f"存储 {store.display} 中没有 {q} 的检查结果，无法比较")
    out: dict = {"quarter": quarter, "compare": previous}
    for kind in ("sites", "accounts"):
        res_now, res_before = store.load(quarter, kind), store.load(previous, kind)
        units_now = {ur.unit.code: ur.unit for ur in res_now.units} if res_now is not None else {}
        # a unit re-coded between the quarters (a site at the same address under a new 网站标识码) is
        # the same unit: its problems were 不在名录 and 新发现 at once, and never 仍存在
        renamed = (renumbered(kind, [ur.unit for ur in res_before.units], units_now.values())
                   if res_now is not None and res_before is not None else {})
        now = _problems(res_now)
        before = _problems(res_before, renamed, units_now)
        inspected_now = {ur.unit.code for ur in res_now.units if ur.inspected} if res_now is not None else set()
        regions_now = {u.region for u in units_now.values()}
        for key, v in now.items():  # a persisting problem of a re-coded unit names its earlier code
            if key in before and "previous_code" in before[key]:
                now[key] = {**v, "previous_code": before[key]["previous_code"]}

        def delisted(v: dict) -> bool:  # gone from the registry that still lists its region
            return v["code"] not in units_now and v["region"] in regions_now

        places_now = _quarter_places(store, quarter, kind, region_order)[0]
        places_before = _quarter_places(store, previous, kind, region_order)[0]
        rank = {p: i for i, p in enumerate(PROBLEM_ORDER)}
        unknown = (True, 1 << 30, 1 << 30, 1 << 30)

        def ordered(items: list[dict], places: dict, code: str = "code") -> list[dict]:
            return sorted(items, key=lambda v: (places.get(v.get(code) or v["code"], unknown),
                                                rank.get(v["problem"], len(rank))))

        out[kind] = {
            "new": ordered([v for k, v in now.items() if k not in before], places_now),
            "persisting": ordered([v for k, v in now.items() if k in before], places_now),
            # (the earlier quarter's problems: in its 附件2/4's order, a re-coded unit by its code then)
            "fixed": ordered([v for k, v in before.items() if k not in now and k[0] in inspected_now],
                             places_before, "previous_code"),
            "delisted": ordered([v for k, v in before.items() if k[0] not in inspected_now and delisted(v)],
                                places_before, "previous_code"),
            "unchecked": ordered([v for k, v in before.items() if k[0] not in inspected_now and not delisted(v)],
                                 places_before, "previous_code"),
        }
    return out


def _quarter_places(store: Store, quarter: str, kind: str, region_order: Sequence[str] = ()
                    ) -> tuple[dict[str, tuple[bool, int, int, int]], dict[tuple[str, str], list[dict]]]:
    """Each unit's place in the quarter's report: its region as 附件1/3 list it (``region_order``
    where given, else the registry's; the departments, 省直, after the cities), then its registry
    row; and each failing unit's 单项否决 findings by (code, problem), as the report's JSON gives them."""
    res = store.load(quarter, kind)
    if res is None:
        return {}, {}
    given = {r: i for i, r in enumerate(region_order)}
    first: dict[str, int] = {}
    briefs: dict[tuple[str, str], list[dict]] = {}
    for ur in res.units:
        first.setdefault(ur.unit.region, len(first))
        for f in ur.findings if ur.failed else ():
            if f.get("severity", "veto") == "veto":
                brief = finding_brief(f)
                briefs.setdefault((ur.unit.code, brief["problem"]), []).append(brief)
    places = {ur.unit.code: (ur.unit.region in DEPARTMENT_REGIONS, given.get(ur.unit.region, len(given)),
                             first[ur.unit.region], ur.seq) for ur in res.units}
    return places, briefs


def _what_to_do(briefs: list[dict]) -> dict:
    """An item's indicator clause, why it was found (the first finding's message, and how many there
    are) and what to do: the list told a unit its problem's label and a deadline, nothing more."""
    if not briefs:
        return {"indicator": "", "reason": "", "action": ""}
    more = f"等{len(briefs)}处" if len(briefs) > 1 else ""
    return {"indicator": briefs[0]["indicator"], "reason": briefs[0]["message"] + more, "action": briefs[0]["action"]}


def rectification_status(store: Store, quarter: str | None = None, region_order: Sequence[str] = ()) -> dict:
    """Items per quarter and kind, in the order of that quarter's 附件2/4 (they came in the order
    the store had them, 省直's before 深圳's), each with its indicator clause, reason and action."""
    kinds = {"sites": 0, "accounts": 1}
    if quarter and quarter not in store.quarters():  # it read 未整改 0，已整改 0 (（无）), as if all was well
        have = store.quarters()
        raise ReportError(f"存储 {store.display} 中没有 {quarter} 的检查结果"
                          + (f"（已有：{'、'.join(have)}）" if have else "（尚无任何检查结果，请先运行 govscan scan）"))
    recs = store.rectifications(quarter)
    found = {(q, k): _quarter_places(store, q, k, region_order) for q, k in {(r.quarter, r.kind) for r in recs}}
    rank = {p: i for i, p in enumerate(PROBLEM_ORDER)}
    unknown = (True, 1 << 30, 1 << 30, 1 << 30)
    items = [{**r.to_dict(), **_what_to_do(found[(r.quarter, r.kind)][1].get((r.code, r.problem), []))}
             for r in sorted(recs, key=lambda r: (r.quarter, kinds[r.kind], found[(r.quarter, r.kind)][0].get(r.code, unknown),
                                                  rank.get(r.problem, len(rank))))]
    return {
        "quarter": quarter,
        "items": items,
        "open": sum(1 for r in items if r["status"] == "open"),
        "rectified": sum(1 for r in items if r["status"] == "rectified"),
        "delisted": sum(1 for r in items if r["status"] == "delisted"),
        "overdue": sum(1 for r in items if r["overdue"]),
    }
