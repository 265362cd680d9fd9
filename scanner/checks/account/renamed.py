"""账号信息未及时变更 (扣分): the registry's name differs from the name the platform shows.

The notice: "部分政务新媒体在账号迁移或名称变更后，未及时在全国政务新媒体信息报送系统修改账号名称".
The observed name is the ``account_name`` of the account's latest post; names are compared
after NFKC and removing spaces and invisible format characters (zero-width space, BOM).

The names are quoted as the platform and the registry show them, the way the scan and the report
print every account's name: a full name alone is not personal data the product hides (a personal
account registered by mistake, 张三, reads so in 附件4 too).  A number or an address in a name
(a nickname carrying a mobile, 张三装修13812345678) is masked as excerpts are, in the message and
the evidence alike: it was printed, stored and reported whole.
"""
from __future__ import annotations

import unicodedata

from ...findings import Severity
from ..excerpt import mask_text
from ..registry import register
from ..unit import UnitCheck


def _norm(name: str) -> str:
    # spaces, and invisible format characters (a zero-width space or BOM that a scraped platform
    # name carries: the registry's cells lose them, so such a name read as a rename)
    text = unicodedata.normalize("NFKC", name or "")
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


@register
class AccountRenamed(UnitCheck):
    CODE = "account.renamed"
    CATEGORY = "account"
    SCOPE = "account"
    SEVERITY = Severity.DEDUCTION
    INDICATOR = "扣分·政务新媒体账号信息未及时变更"
    PROBLEM = "账号信息未及时变更"
    ACTION = "在全国政务新媒体信息报送系统中更新账号名称、链接等基本信息。"

    def check(self, unit):
        observed = unit.observed_name
        if not observed or _norm(observed) == _norm(unit.entry.name):
            return
        shown, registered = mask_text(observed), mask_text(unit.entry.name)
        yield self.unit_finding(
            unit.source,
            message=f"平台显示的账号名称“{shown}”与报送系统登记的“{registered}”不一致",
            explanation="以采集到的最新一条发布的账号名称为准",
            evidence={"registered": registered, "observed": shown},
        )
