"""CN_USCC: 统一社会信用代码 (GB 32100-2015), the 18-character code of an organisation.

Not personal information and never reported: the analyzer uses it to suppress the
digits-only entities it overlaps (an all-digit code with a valid GB 32100 check
character is not a resident ID nor a card number).  Layout: registration authority
(1 char), organisation type (1), region (6 digits), organisation code (9 chars), check
character; alphabet ``0-9 A-H J-N P-R T-U W-Y`` (no I O Z S V), MOD 31 check.
"""
from __future__ import annotations

import re

from .recognizer import Pattern, ZhPatternRecognizer, lead

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_C = "[0-9A-HJ-NP-RTUW-Y]"


_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_SHAPE = re.compile(r"[0-9A-HJ-NP-RTUW-Y]{18}")


def uscc_check_char(first17: str) -> str:
    value = _VALUE
    total = sum(value[ch] * w for ch, w in zip(first17, _WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(value: str) -> bool:
    value = value.upper()
    if not _SHAPE.fullmatch(value):
        return False
    return uscc_check_char(value[:17]) == value[17]


class CnUsccRecognizer(ZhPatternRecognizer):
    ENTITY = "CN_USCC"
    PATTERNS = [Pattern("cn_uscc", rf"{lead(_C, '[0-9A-Za-z*]')}{_C}\d{{6}}{_C}{{10}}(?![0-9A-Za-z*])", 0.5)]
    CONTEXT = ["统一社会信用代码", "信用代码", "社会信用代码"]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        import re

        self.global_regex_flags = re.DOTALL | re.MULTILINE

    def validate_value(self, pattern_text: str) -> bool | None:
        return is_valid_uscc(pattern_text)
