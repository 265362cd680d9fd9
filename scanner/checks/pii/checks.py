"""Personal-information checks: one finding per detected identifier (泄露个人隐私).

The presidio analysis runs once per document (cached in ``doc.cache``); each check
reports its own entity type.  Every finding's excerpt masks the value.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from ...findings import Finding, Severity
from ...types import Document
from ..base import Check
from ..excerpt import mask_digits
from ..registry import register
from .engine import LANGUAGE, get_analyzer

INDICATOR_PRIVACY = "单项否决·泄露个人隐私"


def analyze(doc: Document):
    """presidio results for the normalized text, cached per document."""
    if "pii.results" not in doc.cache:
        analyzer = get_analyzer()
        doc.cache["pii.results"] = analyzer.analyze(
            text=doc.norm.text, language=LANGUAGE, return_decision_process=True
        )
    return doc.cache["pii.results"]


class PiiCheck(Check):
    CATEGORY = "pii"
    SEVERITY = Severity.VETO
    INDICATOR = INDICATOR_PRIVACY
    ENTITY: ClassVar[str] = ""
    LABEL: ClassVar[str] = ""
    MIN_SCORE: float = 0.5
    ACTION = "发布前对该信息做去标识化处理（部分屏蔽），已发布的应立即撤下或更正。"

    def run(self, doc: Document) -> Iterable[Finding]:
        for res in analyze(doc):
            if res.entity_type != self.ENTITY or res.score < self.MIN_SCORE:
                continue
            value = doc.norm.text[res.start : res.end]
            why = res.analysis_explanation
            pattern = getattr(why, "pattern_name", None) or "pattern"
            explanation = f"{self.ENTITY}: matched {pattern}, score {res.score:.2f}"
            if why is not None and getattr(why, "validation_result", None):
                explanation += ", validated (checksum/format)"
            if why is not None and getattr(why, "supportive_context_word", ""):
                explanation += f", context word '{why.supportive_context_word}'"
            yield self.finding(
                doc,
                res.start,
                res.end,
                message=f"未去标识化的{self.LABEL}：{mask_digits(value)}",
                explanation=explanation,
                suggestion=mask_digits(value, 6 if self.ENTITY == "CN_RESIDENT_ID" else 3, 4),
                score=res.score,
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
