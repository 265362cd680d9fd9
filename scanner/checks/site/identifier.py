"""网站标识 (扣分): the footer shows the registered 网站标识码 and the 我为政府网站找错 entry.

《政府网站发展指引》 and the notice ("全面检查网站标识码、“我为政府网站找错”等政府网站标识加挂
情况").  Missing or mismatched code, or no 找错 entry: one deduction finding each.
"""
from __future__ import annotations

import re
import unicodedata

from ...findings import Severity
from ..registry import register
from ..unit import UnitCheck

# 网站标识码：4401000001, also 网站标识码为4401000001 and 【网站标识码】4401000001 as templates write it, and
# 网站识别码 / 网站标示码 / 标识码 as many footers word it (the code shown: it was "页脚未展示网站标识码")
_CODE = re.compile(r"(?:网站)?(?:标识|识别|标示)码\s*[】\]]?\s*(?:为|是)?\s*[:：]?\s*((?:bm|BM)\d{8}|\d{10})(?!\d)")


@register
class SiteIdentifier(UnitCheck):
    CODE = "site.identifier"
    CATEGORY = "site"
    SEVERITY = Severity.DEDUCTION
    INDICATOR = "扣分·网站标识（网站标识码、我为政府网站找错）"
    PROBLEM = "网站标识加挂不规范"
    ACTION = "在页脚展示登记的网站标识码，并加挂“我为政府网站找错”入口。"

    def check(self, unit):
        model = unit.model
        if not model.home_ok:
            return
        registered = unit.entry.code
        # full-width digits and letters (网站标识码：４４０１…, typed so in many GBK templates) are the same code
        footer = unicodedata.normalize("NFKC", model.footer)
        shown = [m.group(1).lower() if m.group(1).lower().startswith("bm") else m.group(1)
                 for m in _CODE.finditer(footer)]
        if not shown:
            yield self.unit_finding(unit.source, message=f"页脚未展示网站标识码（登记为{registered}）",
                                    explanation="首页页脚中没有“网站标识码”字样及编码", url=model.home_url,
                                    evidence={"registered": registered, "shown": None})
        elif registered not in shown:
            yield self.unit_finding(unit.source, message=f"页脚网站标识码{shown[0]}与登记的{registered}不一致",
                                    explanation="页脚展示的网站标识码与登记信息不符", url=model.home_url,
                                    evidence={"registered": registered, "shown": shown})
        if not model.zhaocuo:
            yield self.unit_finding(unit.source, message="首页未加挂“我为政府网站找错”入口",
                                    explanation="首页没有名为“我为政府网站找错”的链接或图片，也没有 zfwzzc.www.gov.cn 链接",
                                    url=model.home_url, evidence={"zhaocuo": False})
