"""互动回应差 rule 2 (单项否决): a valid message of the year before the time point answered
more than 3 months after submission, or still unanswered more than 3 months after it.

国办秘函〔2019〕19号: "监测时间点前 1 年内,对网民留言应及时答复处理的政务咨询类栏目 ... 存在超过
3 个月未回应有效留言的现象。"  Calendar months: a letter of 2022-03-20 answered on 2022-06-20
is in time, on 2022-06-21 it is late; unanswered, it is late once the time point passes
2022-06-20.  Letters marked 无效, 重复 or 不予受理 are not valid messages.  A list without a
回复时间 column is dated by each letter's own page (答复时间：...); a letter marked answered
(已回复, 已办结) whose reply date is shown nowhere cannot be judged late and is left out.
"""
from __future__ import annotations

import re

from ...findings import Severity
from ...site.html import ANSWERED_STATUS
from ...text.dates import months_after, months_before
from ..excerpt import mask_text
from ..registry import register
from ..unit import UnitCheck

_INVALID = re.compile(r"无效|重复|不予受理|不予处理|已删除")


@register
class LettersOverdue(UnitCheck):
    CODE = "site.letters_overdue"
    CATEGORY = "site"
    SEVERITY = Severity.VETO
    INDICATOR = "单项否决·互动回应差（超过3个月未回应有效留言）"
    PROBLEM = "互动回应差"
    ACTION = "立即答复所列留言，建立留言办理时限督办机制。"
    REPLY_MONTHS: int = 3
    WINDOW_MONTHS: int = 12

    def overdue(self, unit) -> list[dict]:
        start = months_before(unit.as_of, self.WINDOW_MONTHS)
        out = []
        for letter in unit.model.letters:
            sub = letter.submitted
            if sub is None or sub < start or sub > unit.as_of or _INVALID.search(letter.status or ""):
                continue
            deadline = months_after(sub, self.REPLY_MONTHS)
            replied = letter.replied if letter.replied and letter.replied <= unit.as_of else None
            if replied is not None:
                late = replied > deadline
            elif letter.replied is None and ANSWERED_STATUS.search(letter.status or ""):
                continue  # marked answered, the reply date shown nowhere (list or letter page): cannot be judged late
            else:
                late = unit.as_of > deadline
            if late:
                out.append({"title": letter.title, "url": letter.url, "submitted": sub.isoformat(),
                            "replied": replied.isoformat() if replied else None, "deadline": deadline.isoformat(),
                            "page": letter.page})
        return out

    def check(self, unit):
        late = self.overdue(unit)
        if not late:
            return
        first = late[0]
        state = f"于{first['replied']}答复" if first["replied"] else "至今未答复"
        yield self.unit_finding(
            unit.source,
            message=f"{len(late)}条有效留言超过{self.REPLY_MONTHS}个月未回应，如“{mask_text(first['title'] or '')}”（{first['submitted']}提交，{state}）",
            explanation=f"监测时间点前{self.WINDOW_MONTHS}个月内提交的留言，答复期限为提交日起{self.REPLY_MONTHS}个自然月",
            evidence=late,
            url=first["page"],
        )
