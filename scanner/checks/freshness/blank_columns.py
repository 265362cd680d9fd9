"""栏目不更新 rule 3 (单项否决): >= 5 blank columns.

国办秘函〔2019〕19号: "空白栏目数量超过(含)5 个。"  A blank column is a column page in the
snapshot that lists no items and shows no content of its own (or says 暂无信息).
Interaction columns are judged by the interaction rules instead.
"""
from __future__ import annotations

from ...findings import Severity
from ..registry import register
from ..unit import UnitCheck


@register
class BlankColumns(UnitCheck):
    CODE = "freshness.blank_columns"
    CATEGORY = "freshness"
    SEVERITY = Severity.VETO
    INDICATOR = "单项否决·栏目不更新（空白栏目）"
    PROBLEM = "多个栏目为空白"
    ACTION = "为空白栏目补充内容，或将其归并、关闭并从导航中删除。"
    THRESHOLD: int = 5

    def check(self, unit):
        blank = [{"name": c.name, "url": c.url, "level": c.level} for c in unit.model.columns
                 if c.blank and c.kind != "interaction"]
        if len(blank) < self.THRESHOLD:
            return
        yield self.unit_finding(
            unit.source,
            message=f"{len(blank)}个空白栏目（达到{self.THRESHOLD}个即单项否决）：" + "、".join(c["name"] for c in blank),
            explanation="栏目页没有任何信息条目，页面显示“暂无信息”或几乎没有正文",
            evidence=blank,
            url=unit.model.home_url,
        )
