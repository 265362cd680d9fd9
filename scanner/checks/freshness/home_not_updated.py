"""首页不更新 (单项否决): no new item reachable from the home page within 2 weeks.

国办秘函〔2019〕19号: "监测 2 周,首页无信息更新的,即单项否决。如首页仅为网站栏目导航入口,
所有二级页面无信息更新的,即单项否决。"  Updated means an item dated on or after the time
point minus ``DAYS`` (14) days; items dated after the time point are ignored.  The items are
those the home page lists; a home page that lists none (a navigation page) is judged by the
items of its columns.  Items without a date count as not updated.
"""
from __future__ import annotations

import datetime as dt

from ...findings import Severity
from ..registry import register
from ..unit import UnitCheck


@register
class HomeNotUpdated(UnitCheck):
    CODE = "freshness.home_not_updated"
    CATEGORY = "freshness"
    SEVERITY = Severity.VETO
    INDICATOR = "单项否决·首页不更新"
    PROBLEM = "首页长期未更新"
    ACTION = "在首页及时发布本地区、本部门的最新信息；无力保障更新的栏目应归并或关闭。"
    DAYS: int = 14

    def check(self, unit):
        model = unit.model
        if not model.home_ok:
            return
        items = model.home_items
        basis = "首页"
        if not items:
            items = [i for c in model.columns if c.level == 1 and c.kind != "interaction" for i in c.items]
            basis = "首页仅为导航入口，按各栏目页"
        cutoff = unit.as_of - dt.timedelta(days=self.DAYS)
        dates = [i.date for i in items if i.date and i.date <= unit.as_of]
        newest = max(dates) if dates else None
        if newest is not None and newest >= cutoff:
            return
        seen = "无带日期的信息" if newest is None else f"最新信息日期为{newest.isoformat()}"
        yield self.unit_finding(
            unit.source,
            message=f"首页监测时间点前{self.DAYS}天内（{cutoff.isoformat()}至{unit.as_of.isoformat()}）无信息更新，{seen}",
            explanation=f"{basis}共{len(items)}条信息，{len(dates)}条有日期；更新标准：日期不早于{cutoff.isoformat()}",
            evidence={"newest": newest.isoformat() if newest else None, "cutoff": cutoff.isoformat(),
                      "items": len(items), "basis": basis},
            url=model.home_url,
        )
