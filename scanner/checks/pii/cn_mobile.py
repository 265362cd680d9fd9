"""CN_MOBILE: mainland mobile numbers (11 digits; 13x-19x segments of the MIIT numbering
plan), with +86 / 0086 / (86) prefixes and 3-4-4 groups separated by spaces, hyphens,
dots or a dash typed as a Chinese character (一, —, –).  Digit lookarounds exclude longer
digit runs (ID, card, order numbers); a number followed by 元 (万元, 美元 …) or after 金额,
价款, 预算 … is an amount.  A
masked form (``138****5678``) is recognised as masked.
"""
from __future__ import annotations

import re

from .recognizer import TYPED_DASHES, Pattern, ZhPatternRecognizer, lead

_NB = "[0-9A-Za-z*+]"
_R = r"(?![0-9A-Za-z*])"
_SEP = rf"[ .\-{TYPED_DASHES}]"
# MIIT mobile segments: 13x, 145-149, 15x (not 154), 162/165-167, 170-178, 18x, 19x (not 194)
_SEGMENT = re.compile(r"1(?:3\d|4[5-9]|5[0-35-9]|6[25-7]|7[0-8]|8\d|9[0-35-9])")
# Latin labels written against the number (wx13812345678, 微信/WX-…, Tel_…, sj…): the number is a
# contact all the same (it was passed over as a code's tail); any other letters joined to it by a
# hyphen or an underscore make a code (合同 HT-13812345678, ZB_…): no mobile
_LATIN_LABELS = ("wx", "vx", "weixin", "tel", "mob", "mobile", "phone", "sj", "dh", "lxdh", "shouji")
_AFTER_LABEL = "|".join(f"(?<=(?<![A-Za-z]){label}{sep})" for label in _LATIN_LABELS for sep in ("", "-", "_"))
_NOT_A_CODE = r"(?<![A-Za-z][-_][\s\S])"  # (after the first digit, as lead() puts its lookbehind)
# a quantity: 数量 13812345678 件 (a measure word after the number, ending its word: not 13812345678个人;
# not 张, 包, 米, 户: surnames, 13812345678张三 is a list written without spaces)
_QUANTITY = "件|个|台|套|箱|份|吨|只|本|册|次|条|株|头|辆|袋|盒|瓶|桶|批|组|千克|公斤|克|平方米|立方米|亩|公顷|人次|股"


class CnMobileRecognizer(ZhPatternRecognizer):
    ENTITY = "CN_MOBILE"
    PATTERNS = [
        Pattern("cn_mobile", rf"{lead('1', _NB)}{_NOT_A_CODE}[3-9]\d(?:{_SEP}?\d{{4}}){{2}}{_R}", 0.6),
        Pattern("cn_mobile_latin_label", rf"(?:{_AFTER_LABEL})1[3-9]\d(?:{_SEP}?\d{{4}}){{2}}{_R}", 0.6),
        # with a country code: +86, 0086, 86-, (+86)
        Pattern("cn_mobile_intl", rf"(?<![0-9A-Za-z*+])(?:(?:\+|00)86[ -]?|86[ -]|[(（]\+?86[)）][ -]?)1[3-9]\d(?:{_SEP}?\d{{4}}){{2}}{_R}", 0.6),
        # 1[3-9]x and 8 more characters, 5+ digits shown, some hidden anywhere (13812345***, 1381234*678): masked,
        # maybe too little (the policy's max_shown)
        Pattern("cn_mobile_partly_masked", rf"{lead('1', _NB)}[3-9][0-9*](?=[0-9]*\*)(?=(?:\**\d){{3}})[0-9*]{{8}}{_R}", 0.6),
        Pattern("cn_mobile_masked", rf"{lead('1', _NB)}[3-9]\d[ -]?(?=[\d*]{{4}}[ -]?\d{{4}}{_R})\d{{0,3}}\*{{1,4}}\d{{0,3}}[ -]?\d{{4}}{_R}", 0.8),
    ]
    PATTERN_REQUIRES = {"cn_mobile_intl": "86"}
    # 13812345678元 is an amount, 13812345678 件 a quantity
    NOT_BEFORE = re.compile(rf"\s*(?:(?:万|亿|美|港|欧)?元|(?:{_QUANTITY})(?![\u4e00-\u9fff]))")
    CONTEXT = ["手机", "手机号", "手机号码", "联系电话", "电话", "联系方式", "移动电话", "电话号码", "联系手机", "tel", "mobile",
               "微信", "微信号"]
    NEGATIVE_CONTEXT = ("订单号", "订单编号", "流水号", "交易号", "单号", "项目编号", "编号", "条码", "批次号",
                        "金额", "价款", "预算", "报价", "合同价", "合同号", "数量", "件数")

    def validate_value(self, pattern_text: str) -> bool | None:
        digits = "".join(ch for ch in pattern_text if ch.isdigit())
        if len(digits) > 11:
            digits = digits[-11:]
        return len(digits) == 11 and bool(_SEGMENT.match(digits))
