"""CN_PASSPORT: PRC passport numbers (E + 8 digits, E + letter + 7 digits for the
electronic passport; G, D (diplomatic), S/P (service, public affairs) + 8 digits) and
the 往来港澳通行证 number (C + 8 digits).  The shape is short and generic, so the score
without context is low (0.3): a context word (护照, 证件号码 …) or a 护照 column header
lifts it above the threshold.
"""
from __future__ import annotations

from .recognizer import Pattern, ZhPatternRecognizer, lead

_L = r"(?<![0-9A-Za-z*])"
_R = r"(?![0-9A-Za-z*])"


class CnPassportRecognizer(ZhPatternRecognizer):
    ENTITY = "CN_PASSPORT"
    PATTERNS = [
        Pattern("cn_passport", rf"{lead('[EGDSPC]', '[0-9A-Za-z*]')}(?:\d{{8}}|(?<=E)[A-HJ-NP-Z]\d{{7}}){_R}", 0.3),
        Pattern("cn_passport_masked", rf"{lead('[EGDSPC]', '[0-9A-Za-z*]')}[A-Z0-9]?\d{{0,2}}\*{{4,7}}\d{{1,4}}{_R}", 0.5),
    ]
    CONTEXT = ["护照", "护照号", "护照号码", "通行证", "证件号", "证件号码", "passport"]
    NEGATIVE_CONTEXT = ("订单号", "编号", "型号", "车次", "航班")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        import re

        self.global_regex_flags = re.DOTALL | re.MULTILINE  # upper-case letters only

