"""栏目不更新 rule 2 (单项否决): >= 10 columns that should be updated but have not been
for a long time (default 1 year, ``MONTHS``).

国办秘函〔2019〕19号: "应更新但长期未更新的栏目数量超过(含)10 个。"  Which columns should be
updated is configurable (``KINDS``); by default every column that lists dated items other
than news, notice/policy and interaction columns.  Labelled 多个栏目长期未更新, like rule 1.
"""
from __future__ import annotations

from ...findings import Severity
from ...text.dates import months_before
from ..registry import register
from ..unit import UnitCheck
from .columns_not_updated import column_evidence


@register
class ColumnsLongUnupdated(UnitCheck):
    CODE = "freshness.columns_long_unupdated"
    CATEGORY = "freshness"
    SEVERITY = Severity.VETO
    INDICATOR = "单项否决·栏目不更新（应更新但长期未更新的栏目）"
    PROBLEM = "多个栏目长期未更新"
    ACTION = "及时更新所列栏目；长期无内容更新的栏目要归并或关闭。"
    THRESHOLD: int = 10
    MONTHS: int = 12
    KINDS: list = ["other"]

    def check(self, unit):
        cutoff = months_before(unit.as_of, self.MONTHS)
        stale = []
        for column in unit.model.columns:
            if column.status != "ok" or column.kind not in self.KINDS or not column.items:
                continue
            if not column.dated and column.kind == "other":
                continue  # a column that lists no dated items is not one that "should be updated"
            latest = column.latest_until(unit.as_of)
            if latest is None or latest < cutoff:
                ev = column_evidence(column, unit.as_of)
                ev["cutoff"] = cutoff.isoformat()
                stale.append(ev)
        if len(stale) < self.THRESHOLD:
            return
        yield self.unit_finding(
            unit.source,
            message=f"{len(stale)}个应更新栏目超过{self.MONTHS}个月未更新（达到{self.THRESHOLD}个即单项否决）："
                    + "、".join(c["name"] for c in stale),
            explanation=f"栏目最新信息早于{cutoff.isoformat()}",
            evidence=stale,
            url=unit.model.home_url,
        )
