"""栏目不更新 rule 1 (单项否决): >= 5 news columns not updated within 2 weeks plus
first-level notice/policy columns not updated within 6 months.

国办秘函〔2019〕19号: "监测时间点前 2 周内的动态、要闻类栏目,以及监测时间点前 6 个月内的通知公告、
政策文件类一级栏目,累计超过(含)5 个未更新。"  Updated: newest item dated on or after the
time point minus ``NEWS_DAYS`` days (news) or ``NOTICE_MONTHS`` calendar months (notice);
items after the time point are ignored; undated items, blank columns and column pages that
return an error count as not updated.  Columns missing from the snapshot (or cut short by the crawl,
a truncated WARC record) are not judged.
"""
from __future__ import annotations

import datetime as dt

from ...findings import Severity
from ...text.dates import months_before
from ..registry import register
from ..unit import UnitCheck


def column_evidence(column, as_of: dt.date) -> dict:
    latest = column.latest_until(as_of)
    return {"name": column.name, "url": column.url, "kind": column.kind, "level": column.level,
            "latest": latest.isoformat() if latest else None, "items": len(column.items),
            "status": column.status}


@register
class ColumnsNotUpdated(UnitCheck):
    CODE = "freshness.columns_not_updated"
    CATEGORY = "freshness"
    SEVERITY = Severity.VETO
    INDICATOR = "单项否决·栏目不更新（动态要闻类2周、通知公告政策文件类一级栏目6个月）"
    PROBLEM = "多个栏目长期未更新"
    ACTION = "及时更新所列栏目；内容更新没有保障的栏目要及时归并或关闭。"
    THRESHOLD: int = 5
    NEWS_DAYS: int = 14
    NOTICE_MONTHS: int = 6

    def stale(self, unit) -> list[dict]:
        news_cut = unit.as_of - dt.timedelta(days=self.NEWS_DAYS)
        notice_cut = months_before(unit.as_of, self.NOTICE_MONTHS)
        out = []
        for column in unit.model.columns:
            if column.status == "missing":
                continue
            if column.kind == "news":
                cutoff = news_cut
            elif column.kind == "notice" and column.level == 1:
                cutoff = notice_cut
            else:
                continue
            latest = column.latest_until(unit.as_of)
            if latest is None or latest < cutoff:
                ev = column_evidence(column, unit.as_of)
                ev["cutoff"] = cutoff.isoformat()
                out.append(ev)
        return out

    def check(self, unit):
        stale = self.stale(unit)
        if len(stale) < self.THRESHOLD:
            return
        names = "、".join(c["name"] for c in stale)
        yield self.unit_finding(
            unit.source,
            message=f"{len(stale)}个栏目未按时更新（达到{self.THRESHOLD}个即单项否决）：{names}",
            explanation=(f"动态要闻类栏目最新信息早于{(unit.as_of - dt.timedelta(days=self.NEWS_DAYS)).isoformat()}，"
                         f"或通知公告政策文件类一级栏目最新信息早于{months_before(unit.as_of, self.NOTICE_MONTHS).isoformat()}"),
            evidence=stale,
            url=unit.model.home_url,
        )
