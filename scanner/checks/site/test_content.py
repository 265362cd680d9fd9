"""测试信息 (扣分): published test content.

The notice: "东莞市人力资源和社会保障局网站“就莞用”平台存在测试信息".  An item or article in
the inspection window whose title is a placeholder (测试, 测试数据, test, 请输入标题, lorem
ipsum ...) or whose text is one.  Titles that merely contain 测试 (普通话水平测试, 体质测试)
do not count.
"""
from __future__ import annotations

import re

from ...findings import Severity
from ..excerpt import mask_text
from ..registry import register
from ..unit import UnitCheck

_PUNCT = re.compile(r"[\s\W_]+", re.U)
TITLE_PLACEHOLDERS = re.compile(
    r"^(?:测试|测试\d+|测试数据|测试信息|测试文章|测试标题|测试内容|测试稿件|测试新闻|测试页面|测试测试|"
    r"test|testing|test\d+|demo|loremipsum.*|请输入标题|请输入内容|标题|新建文章|未命名|这是一条测试(?:信息|数据|新闻)?|"
    r"xxx+|111+|aaa+|asdf.*)$",
    re.I,
)
BODY_PLACEHOLDERS = re.compile(r"lorem ipsum|请输入标题|请输入内容|请在此输入|此处输入|测试测试|这是一条测试|这是测试", re.I)


def is_test_title(title: str) -> bool:
    return bool(TITLE_PLACEHOLDERS.match(_PUNCT.sub("", title or "")))


@register
class PublishedTestContent(UnitCheck):
    CODE = "site.test_content"
    CATEGORY = "site"
    SEVERITY = Severity.DEDUCTION
    INDICATOR = "扣分·内容发布（测试信息）"
    PROBLEM = "存在测试信息"
    ACTION = "删除测试信息，测试应在测试环境进行，发布前严格审核。"

    def check(self, unit):
        hits = []
        for item in unit.items_in_window(include_undated=True):
            if is_test_title(item.title):
                hits.append({"title": item.title, "url": item.url, "column": item.column,
                             "date": item.date.isoformat() if item.date else None, "why": "标题为测试占位内容"})
        seen = {h["url"] for h in hits}
        for art in unit.articles:
            if art.url in seen:
                continue
            m = BODY_PLACEHOLDERS.search(art.text)
            if m or is_test_title(art.title or ""):
                hits.append({"title": art.title, "url": art.url, "column": art.column,
                             "date": art.date.isoformat() if art.date else None,
                             "why": f"正文含“{m.group(0)}”" if m else "标题为测试占位内容"})
        if not hits:
            return
        yield self.unit_finding(
            unit.source,
            message=f"发布了{len(hits)}条测试信息，如“{mask_text(hits[0]['title'] or '')}”（{hits[0]['column']}）",
            explanation="标题或正文为测试占位内容（测试、test、请输入标题、lorem ipsum 等）",
            evidence=hits,
            url=hits[0]["url"],
        )
