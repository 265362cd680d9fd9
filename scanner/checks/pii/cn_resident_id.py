"""CN_RESIDENT_ID: 18-digit resident identity numbers (GB 11643-1999).

Structure: 6-digit region code (GB/T 2260), 8-digit birth date YYYYMMDD, 3-digit
sequence, 1 check character computed by ISO 7064 MOD 11-2 (``X`` for 10).  A number
with a wrong checksum or an impossible birth date is not an ID (order numbers, tender
numbers), so ``validate_result`` drops it.  Digit lookarounds, never ``\\b``: Chinese
characters are word characters.
"""
from __future__ import annotations

import datetime as dt

from .engine import import_presidio

import_presidio()
from presidio_analyzer import Pattern, PatternRecognizer  # noqa: E402

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    """GB 11643 check character of the first 17 digits (ISO 7064 MOD 11-2)."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS))
    return _CHECK[total % 11]


def is_valid_resident_id(value: str) -> bool:
    digits = "".join(ch for ch in value if ch.isalnum()).upper()
    if len(digits) != 18 or not digits[:17].isdigit():
        return False
    try:
        birth = dt.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return False
    if birth.year < 1880:
        return False
    return id_check_char(digits[:17]) == digits[17]


class CnResidentIdRecognizer(PatternRecognizer):
    """18-digit resident ID with checksum and birth-date validation."""

    ENTITY = "CN_RESIDENT_ID"
    PATTERNS = [
        Pattern(
            "cn_resident_id_18",
            r"(?<![0-9A-Za-z*])[1-9]\d{5}[ -]?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[ -]?\d{3}[0-9Xx](?![0-9A-Za-z*])",
            0.5,
        )
    ]
    CONTEXT = ["身份证", "身份证号", "身份证号码", "公民身份号码", "证件号", "证件号码", "身份号码", "证号"]

    def __init__(self, **kwargs):
        kwargs.setdefault("supported_entity", self.ENTITY)
        kwargs.setdefault("patterns", self.PATTERNS)
        kwargs.setdefault("context", self.CONTEXT)
        kwargs.setdefault("supported_language", "zh")
        super().__init__(**kwargs)

    def validate_result(self, pattern_text: str) -> bool | None:
        return is_valid_resident_id(pattern_text)
