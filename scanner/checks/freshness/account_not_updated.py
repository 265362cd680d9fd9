"""政务新媒体 内容不更新 (单项否决): no post within 2 weeks before the time point.

Guangdong 2022 Q2 notice: "共 15 个新媒体在监测时间点前 2 周内无更新".  Updated means a post
dated (Beijing calendar day) on or after the time point minus ``DAYS`` (14) days; posts
after the time point are ignored; an account with no posts at all is not updated.
"""
from __future__ import annotations

import datetime as dt

from ...findings import Severity
from ..registry import register
from ..unit import UnitCheck


@register
class AccountNotUpdated(UnitCheck):
    CODE = "freshness.account_not_updated"
    CATEGORY = "freshness"
    SCOPE = "account"
    SEVERITY = Severity.VETO
    INDICATOR = "单项否决·政务新媒体内容不更新（监测时间点前2周内无更新）"
    PROBLEM = "监测时间点前2周内无更新"
    ACTION = "保持账号持续更新；无力维护的账号应按程序关停注销。"
    DAYS: int = 14

    def check(self, unit):
        cutoff = unit.as_of - dt.timedelta(days=self.DAYS)
        dates = [p.date for p in unit.posts if p.date <= unit.as_of]
        newest = max(dates) if dates else None
        if newest is not None and newest >= cutoff:
            return
        seen = "未采集到任何发布内容" if not unit.posts else (
            f"最新发布日期为{newest.isoformat()}" if newest else "所有发布均晚于监测时间点")
        yield self.unit_finding(
            unit.source,
            message=f"监测时间点前{self.DAYS}天内（{cutoff.isoformat()}至{unit.as_of.isoformat()}）无更新，{seen}",
            explanation=f"共{len(unit.posts)}条发布，更新标准：北京时间日期不早于{cutoff.isoformat()}",
            evidence={"newest": newest.isoformat() if newest else None, "cutoff": cutoff.isoformat(),
                      "posts": len(unit.posts)},
        )
