"""正文直接发布超链接 (扣分): a post whose body is only a bare hyperlink.

The notice: "潮州市“潮州信访”微信服务号正文直接发布超链接".  The body, with URLs removed,
has no text left (only spaces and punctuation).
"""
from __future__ import annotations

import re

from ...findings import Severity
from ..excerpt import mask_text
from ..registry import register
from ..unit import UnitCheck

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'，。；）)]+", re.I)
_LEFTOVER = re.compile(r"[\s\W_]+", re.U)


def is_bare_link(text: str) -> bool:
    if not _URL.search(text or ""):
        return False
    return not _LEFTOVER.sub("", _URL.sub("", text))


@register
class BareLink(UnitCheck):
    CODE = "account.bare_link"
    CATEGORY = "account"
    SCOPE = "account"
    SEVERITY = Severity.DEDUCTION
    INDICATOR = "扣分·政务新媒体信息发布不规范（正文直接发布超链接）"
    PROBLEM = "正文直接发布超链接"
    ACTION = "正文应发布完整内容，外部链接以“阅读原文”等规范方式提供并说明来源。"

    def check(self, unit):
        hits = [{"title": p.title, "url": p.url, "date": p.date.isoformat()}
                for p in unit.posts_in_window() if is_bare_link(p.text)]
        if not hits:
            return
        yield self.unit_finding(
            unit.source,
            message=f"{len(hits)}条发布的正文只有一个超链接，如“{mask_text(hits[0]['title'] or '')}”（{hits[0]['date']}）",
            explanation="去掉网址后正文没有任何文字",
            evidence=hits, url=hits[0]["url"],
        )
