"""互动回应差 rule 1 (单项否决): no working consultation channel.

国办秘函〔2019〕19号: "未提供网上有效咨询建言渠道(网上信访、纪检举报等专门渠道除外)。"
A channel is a 留言, 咨询, 建言 or 信箱 page linked from the home page or an interaction
column; 在线访谈, 网上信访, 纪检举报 and 我为政府网站找错 do not count.  It works when its page
is in the snapshot, is not marked out of service (暂停使用, 维护中 ...) and has a form to
write in or a list of letters.  A channel on another host (a provincial platform) cannot
be verified from the site's snapshot; it counts unless ``trust_external_channels`` is off.
"""
from __future__ import annotations

from ...findings import Severity
from ..registry import register
from ..unit import UnitCheck


@register
class NoConsultationChannel(UnitCheck):
    CODE = "site.no_consultation_channel"
    CATEGORY = "site"
    SEVERITY = Severity.VETO
    INDICATOR = "单项否决·互动回应差（未提供有效咨询建言渠道）"
    PROBLEM = "互动回应差"
    ACTION = "开设并畅通留言咨询、建言渠道（留言表单或领导信箱），确保功能正常使用。"

    def check(self, unit):
        model = unit.model
        if not model.home_ok:
            return
        if any(ch.works for ch in model.channels):
            return
        tried = [{"name": ch.name, "url": ch.url, "reason": ch.reason} for ch in model.channels]
        detail = "；".join(f"{t['name']}：{t['reason']}" for t in tried) or "首页及互动交流栏目中未找到留言、咨询、建言或信箱入口"
        yield self.unit_finding(
            unit.source,
            message=f"未提供有效的网上咨询建言渠道（{detail}）",
            explanation="在线访谈、网上信访、纪检举报、我为政府网站找错不计入咨询建言渠道",
            evidence=tried,
            url=model.home_url,
        )
