"""CN_MOBILE: mainland mobile numbers (11 digits, 1[3-9]x), with +86 / 0086 prefixes
and 3-4-4 groups separated by spaces or hyphens.  Digit lookarounds exclude longer
digit runs (ID numbers, card numbers, order numbers) and masked forms (138****5678).
"""
from __future__ import annotations

from .engine import import_presidio

import_presidio()
from presidio_analyzer import Pattern, PatternRecognizer  # noqa: E402


class CnMobileRecognizer(PatternRecognizer):
    ENTITY = "CN_MOBILE"
    PATTERNS = [
        Pattern(
            "cn_mobile",
            r"(?<![0-9A-Za-z*+])(?:(?:\+|00)86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![0-9A-Za-z*])",
            0.6,
        )
    ]
    CONTEXT = ["手机", "手机号", "手机号码", "联系电话", "电话", "联系方式", "移动电话", "tel", "mobile"]

    def __init__(self, **kwargs):
        kwargs.setdefault("supported_entity", self.ENTITY)
        kwargs.setdefault("patterns", self.PATTERNS)
        kwargs.setdefault("context", self.CONTEXT)
        kwargs.setdefault("supported_language", "zh")
        super().__init__(**kwargs)

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = "".join(ch for ch in pattern_text if ch.isdigit())
        if digits.startswith("0086"):
            digits = digits[4:]
        elif digits.startswith("86") and len(digits) == 13:
            digits = digits[2:]
        return len(digits) == 11 and digits[0] == "1" or False
