"""互动回应差 (扣分): letter lists that cut messages off with no way to read them whole.

The Guangdong 2022 Q2 notice: "韶关市多个部门网站互动交流栏目嵌套的信件列表内容显示不全，无法查看
完整的留言信息".  A letter row whose title or text ends in an ellipsis and links nowhere.
"""
from __future__ import annotations

from ...findings import Severity
from ..excerpt import mask_text
from ..registry import register
from ..unit import UnitCheck


@register
class LettersCutOff(UnitCheck):
    CODE = "site.letters_cut_off"
    CATEGORY = "site"
    SEVERITY = Severity.DEDUCTION
    INDICATOR = "扣分·互动交流（信件列表内容显示不全）"
    PROBLEM = "信件列表内容显示不全"
    ACTION = "信件列表应链接到完整的留言和答复内容。"

    def check(self, unit):
        cut = [{"title": l.title, "submitted": l.submitted.isoformat() if l.submitted else None, "page": l.page}
               for l in unit.model.letters if l.cut]
        if not cut:
            return
        yield self.unit_finding(
            unit.source,
            message=f"信件列表中{len(cut)}条留言显示不全且无法查看完整内容，如“{mask_text(cut[0]['title'] or '')}”",
            explanation="信件标题或内容以省略号截断，且没有指向完整留言的链接",
            evidence=cut,
            url=cut[0]["page"],
        )
