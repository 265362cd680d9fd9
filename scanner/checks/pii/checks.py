"""Personal-information checks: one finding per personal value the disclosure policy
calls a violation (单项否决·泄露个人隐私).

The analysis runs once per document (``analyzer.PiiAnalyzer``, cached in ``doc.cache``)
and is judged by the privacy policy (``scanner.privacy.policy``, defaults in
``scanner/conf/privacy.toml``), the same detectors and policy as ``govscan privacy
audit``.  Masked forms (138****5678, 张*) are never findings.  Each check reports its
own entity type; every finding's excerpt, message and suggestion mask the value.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from ...findings import Finding, Severity
from ...types import Document
from ..base import Check
from ..registry import register

INDICATOR_PRIVACY = "单项否决·泄露个人隐私"


def judged(doc: Document):
    """Policy-judged detections for the normalized text, cached per document.  The policy
    is the packaged one unless the reviewer put another in ``doc.cache["pii.policy"]``."""
    if "pii.judged" not in doc.cache:
        from ...privacy.policy import Policy, judge
        from .analyzer import get_pii_analyzer

        policy = doc.cache.get("pii.policy") or Policy.load()
        detections = get_pii_analyzer(min_score=policy.min_score).analyze(doc.norm.text)
        footer = tuple(doc.extracted.meta.get("footer_spans", ()))
        doc.cache["pii.judged"] = judge(doc.norm.text, detections, policy, footer)
    return doc.cache["pii.judged"]


class PiiCheck(Check):
    CATEGORY = "pii"
    SEVERITY = Severity.VETO
    INDICATOR = INDICATOR_PRIVACY
    ENTITY: ClassVar[str] = ""
    LABEL: ClassVar[str] = ""
    MIN_SCORE: float = 0.5
    ACTION = "发布前对该信息做去标识化处理（部分屏蔽），已发布的应立即撤下或更正。"

    def run(self, doc: Document) -> Iterable[Finding]:
        from ...privacy.mask import mask_value
        from ...privacy.policy import suspected_label

        for j in judged(doc):
            det = j.detection
            if det.entity != self.ENTITY or not j.violation or det.score < self.MIN_SCORE:
                continue
            value = doc.norm.text[det.start:det.end]
            masked = mask_value(self.ENTITY, value)
            label = suspected_label(j.rule) or self.LABEL  # (a mistyped ID: 疑似身份证号（校验位不符）)
            yield self.finding(
                doc,
                det.start,
                det.end,
                # a masked form that shows too much (policy max_shown) is de-identified too little
                message=f"{'去标识化不足' if det.masked else '未去标识化'}的{label}：{masked}",
                explanation=f"{det.explanation}; policy: {j.rule}",
                suggestion=masked,
                score=det.score,
                mask_span=True,
            )


@register
class CnResidentIdCheck(PiiCheck):
    CODE = "pii.cn_resident_id"
    ENTITY = "CN_RESIDENT_ID"
    LABEL = "居民身份证号码"


@register
class CnMobileCheck(PiiCheck):
    CODE = "pii.cn_mobile"
    ENTITY = "CN_MOBILE"
    LABEL = "手机号码"


@register
class CnLandlineCheck(PiiCheck):
    CODE = "pii.cn_landline"
    ENTITY = "CN_LANDLINE"
    LABEL = "个人固定电话"


@register
class CnBankCardCheck(PiiCheck):
    CODE = "pii.cn_bank_card"
    ENTITY = "CN_BANK_CARD"
    LABEL = "银行卡号"


@register
class EmailCheck(PiiCheck):
    CODE = "pii.email"
    ENTITY = "EMAIL"
    LABEL = "个人电子邮箱"


@register
class CnPassportCheck(PiiCheck):
    CODE = "pii.cn_passport"
    ENTITY = "CN_PASSPORT"
    LABEL = "护照号码"


@register
class CnAddressCheck(PiiCheck):
    CODE = "pii.cn_address"
    ENTITY = "CN_ADDRESS"
    LABEL = "详细住址"


@register
class PersonWithIdentifierCheck(PiiCheck):
    CODE = "pii.person"
    ENTITY = "PERSON"
    LABEL = "姓名（与个人标识信息同条公开）"
    ACTION = "姓名与身份证号、手机号等同条公开时，应对标识信息或姓名做去标识化处理。"
