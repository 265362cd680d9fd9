"""Column (栏目) classification by name, with overrides from the config.

Classes (国办秘函〔2019〕19号, 栏目不更新):

* ``news``: 动态、要闻类栏目 (must be updated within 2 weeks);
* ``notice``: 通知公告、政策文件类栏目 (first-level ones within 6 months);
* ``interaction``: 互动交流 columns (留言, 信箱, 访谈 ...), judged by the interaction rules;
* ``other``: every other column; one that lists dated items "should be updated" and is
  judged against the long-unupdated limit (default 1 year).

``[scan] column_overrides`` maps a column name to a class and wins over the keywords;
``[scan] news_keywords`` / ``notice_keywords`` / ``interaction_keywords`` replace the
keyword lists.  Keywords are matched as substrings of the column name.
"""
from __future__ import annotations

import dataclasses

NEWS_KEYWORDS = ("动态", "要闻", "新闻", "资讯", "快讯", "简讯", "时政", "头条", "聚焦", "工作信息", "图片新闻", "视频新闻")
NOTICE_KEYWORDS = ("通知公告", "公告", "通知", "公示", "政策文件", "政策法规", "政策", "法规", "规范性文件", "文件", "解读")
INTERACTION_KEYWORDS = ("互动", "留言", "咨询", "建言", "信箱", "写信", "来信", "访谈", "信访", "举报", "投诉",
                        "征集", "调查", "民意", "问答", "找错")
CLASSES = ("news", "notice", "interaction", "other")


@dataclasses.dataclass(frozen=True)
class ColumnClassifier:
    news: tuple[str, ...] = NEWS_KEYWORDS
    notice: tuple[str, ...] = NOTICE_KEYWORDS
    interaction: tuple[str, ...] = INTERACTION_KEYWORDS
    overrides: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_config(cls, scan: dict) -> "ColumnClassifier":
        overrides = scan.get("column_overrides", {}) or {}
        for name, value in overrides.items():
            if value not in CLASSES:
                from ..errors import ConfigError

                raise ConfigError(f"scan.column_overrides.{name}: '{value}' is not one of {', '.join(CLASSES)}")
        return cls(
            news=tuple(scan.get("news_keywords") or NEWS_KEYWORDS),
            notice=tuple(scan.get("notice_keywords") or NOTICE_KEYWORDS),
            interaction=tuple(scan.get("interaction_keywords") or INTERACTION_KEYWORDS),
            overrides=tuple(sorted(overrides.items())),
        )

    def classify(self, name: str) -> str:
        name = "".join(name.split())
        for key, value in self.overrides:
            if key == name:
                return value
        # interaction first: 留言咨询 is not a notice column; news before notice: 政策新闻 is news
        if any(k in name for k in self.interaction):
            return "interaction"
        if any(k in name for k in self.news):
            return "news"
        if any(k in name for k in self.notice):
            return "notice"
        return "other"
