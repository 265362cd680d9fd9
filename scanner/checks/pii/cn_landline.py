"""CN_LANDLINE: fixed-line numbers with an area code (GB/T 13417 numbering): 010 and
02x with 8 local digits, 0[3-9]xx with 7 or 8; the area code maybe in brackets, an
extension after 转 / 分机 / - / ext.  Local numbers never start with 0 or 1, so
hotlines (12345, 12315), 400/800 numbers and postcodes never match.

Whether a landline is *personal* is the policy's question (``scanner.privacy.policy``):
in a person's record or row it is, labelled as an agency's line (办公电话, 咨询电话,
监督电话, 值班电话, 传真) or in a site footer it is not.
"""
from __future__ import annotations

import re

from .recognizer import TYPED_DASHES, Pattern, ZhPatternRecognizer, lead

_L = r"(?<![0-9A-Za-z*])"
_R = r"(?![0-9A-Za-z*])"
_NB = "[0-9A-Za-z*]"
_AREA = lead("[(（0]", _NB) + r"(?:(?<=[(（])0(?:10|2\d|[3-9]\d{2})[)）]|(?<=0)(?:10|2\d|[3-9]\d{2}))"
# Separators between digit groups: a space, a hyphen, or a dash typed as a Chinese character
# (一, —, –: 010一67558129 in a published contact list, where an input method wrote 一 for -).
_SEP = rf"[ \-{TYPED_DASHES}]"
_EXT = r"(?:[ ]?(?:转|分机|ext\.?|-)[ ]?\d{1,5})?"


class CnLandlineRecognizer(ZhPatternRecognizer):
    ENTITY = "CN_LANDLINE"
    PATTERNS = [
        # with a separator or brackets after the area code: clearly a phone number
        Pattern("cn_landline", rf"{_AREA}(?:{_SEP}|(?<=[)）]))[2-9]\d{{2,3}}{_SEP}?\d{{4}}{_EXT}{_R}", 0.6),
        # digits only (02012345678): needs a context word
        Pattern("cn_landline_plain", rf"{lead('0', _NB)}(?:10|2\d|[3-9]\d{{2}})[2-9]\d{{6,7}}{_R}", 0.35),
        Pattern("cn_landline_masked", rf"{_AREA}{_SEP}?(?=[\d*]{{7,8}}{_R})\d{{0,4}}\*{{2,8}}\d{{0,4}}{_R}", 0.7),
    ]
    CONTEXT = ["电话", "联系电话", "座机", "固话", "固定电话", "家庭电话", "宅电", "传真", "办公电话", "联系方式", "tel"]
    NEGATIVE_CONTEXT = ("订单号", "编号", "流水号", "单号", "邮编", "邮政编码")

    def validate_value(self, pattern_text: str) -> bool | None:
        m = _PARTS.match(pattern_text)
        if not m:
            return False
        area, local = m.group(1), re.sub(_SEP, "", m.group(2))
        if (area == "010" or area.startswith("02")) and len(local) != 8:
            return False
        return None


_PARTS = re.compile(rf"[(（]?(010|02\d|0[3-9]\d{{2}})[)）]?{_SEP}?([2-9]\d{{2,3}}{_SEP}?\d{{4}}|[2-9]\d{{6,7}})")
