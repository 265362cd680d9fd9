"""通过对话框发布新闻稿件 (扣分): news sent as chat messages.

The notice: "湛江市“湛江市人民政府驻北京联络处”微信订阅号通过对话框发布新闻稿件".  A post of kind
``message`` that carries an article: a body of ``MIN_CHARS`` characters or more, or of
``MIN_PARAGRAPHS`` paragraphs or more.  Short replies and greetings do not count.
"""
from __future__ import annotations

from ...findings import Severity
from ..excerpt import mask_text
from ..registry import register
from ..unit import UnitCheck


@register
class NewsAsMessage(UnitCheck):
    CODE = "account.news_as_message"
    CATEGORY = "account"
    SCOPE = "account"
    SEVERITY = Severity.DEDUCTION
    INDICATOR = "扣分·政务新媒体信息发布不规范（通过对话框发布新闻稿件）"
    PROBLEM = "通过对话框发布新闻稿件"
    ACTION = "新闻稿件应以图文消息（文章）形式发布，对话框仅用于互动回复。"
    MIN_CHARS: int = 150
    MIN_PARAGRAPHS: int = 3

    def check(self, unit):
        hits = []
        for post in unit.posts_in_window():
            if post.kind != "message":
                continue
            paragraphs = [p for p in post.text.split("\n") if p.strip()]
            chars = len("".join(post.text.split()))
            if chars >= self.MIN_CHARS or len(paragraphs) >= self.MIN_PARAGRAPHS:
                hits.append({"title": post.title, "url": post.url, "date": post.date.isoformat(),
                             "chars": chars, "paragraphs": len(paragraphs)})
        if not hits:
            return
        yield self.unit_finding(
            unit.source,
            message=f"{len(hits)}条新闻稿件通过对话框（消息）发布，如“{mask_text(hits[0]['title'] or '')}”（{hits[0]['date']}）",
            explanation=f"类型为 message 的发布正文达{hits[0]['chars']}字、{hits[0]['paragraphs']}段，"
                        f"属于新闻稿件（标准：≥{self.MIN_CHARS}字或≥{self.MIN_PARAGRAPHS}段）",
            evidence=hits, url=hits[0]["url"],
        )
