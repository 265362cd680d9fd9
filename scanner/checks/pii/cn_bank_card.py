"""CN_BANK_CARD: payment card numbers, 16-19 digits (GB/T 19584 / ISO/IEC 7812), Luhn
check digit, often in groups of 4.  A number that passes Luhn and starts with a known
issuer prefix (62 UnionPay, 4 Visa, 51-55 / 22-27 Mastercard, 35 JCB, 37 Amex, 60/9
domestic debit) is validated; Luhn without a known prefix keeps a low score that needs
context (银行卡号, 账号 …); a failed Luhn check drops it.  ``6222 **** **** 1234`` is
recognised as masked.
"""
from __future__ import annotations

import datetime as _dt
import re

from .common import region_status
from .recognizer import Pattern, ZhPatternRecognizer, lead

_L = r"(?<![0-9A-Za-z*])"
_R = r"(?![0-9A-Za-z*])"
_FIRST = lead(r"\d", "[0-9A-Za-z*]")
_IIN = re.compile(r"(?:62|4|5[1-5]|2[2-7]|35|37|60|9[0-9])")


_DOUBLED = {str(d): (2 * d if d < 5 else 2 * d - 9) for d in range(10)}
_NON_DIGIT = re.compile(r"[^0-9]")


def luhn_ok(digits: str) -> bool:
    """The Luhn check (ISO/IEC 7812-1) of a string of ASCII digits."""
    doubled = _DOUBLED
    total = sum(map(int, digits[-1::-2])) + sum(doubled[ch] for ch in digits[-2::-2])
    return total % 10 == 0


def place_and_date(digits: str) -> bool:
    """Whether a number starts as codes built on a place and a date do: a GB/T 2260 region
    of the current table, then a real date YYYYMMDD (采购计划号 440105202206100012, a 流水号 or a
    registration number of a Guangdong office: 4401…, 4403…).  Such a number passes Luhn one
    time in ten, and ``4`` (Visa) made it a validated card without any context: an unmasked
    bank card, a veto.  UnionPay's 62 (every card of the corpora, 6222 02…) is never read so."""
    if digits.startswith("62") or region_status(digits[:6]) != "known":
        return False
    year, month, day = int(digits[6:10]), int(digits[10:12]), int(digits[12:14])
    if not 1900 <= year <= 2100:
        return False
    try:
        _dt.date(year, month, day)
    except ValueError:
        return False
    return True


class CnBankCardRecognizer(ZhPatternRecognizer):
    ENTITY = "CN_BANK_CARD"
    PATTERNS = [
        Pattern("cn_bank_card", rf"{_FIRST}\d{{3}}(?:[ -]?\d{{4}}){{3}}(?:[ -]?\d{{1,3}})?{_R}", 0.3),
        Pattern(
            "cn_bank_card_masked",
            rf"{_FIRST}\d{{3,5}}(?:[ -]?(?:\*{{4}}[ -]?){{1,3}}(?:\*{{1,4}}|[0-9*]{{0,3}})[ -]?|\*{{6,11}})\d{{4}}{_R}",
            0.75,
        ),
        # 16-19 positions in the card's groups, 6+ digits shown, some hidden anywhere (6222 0212 3456 ****):
        # masked, maybe too little (the policy's max_shown); needs a context word
        Pattern(
            "cn_bank_card_partly_masked",
            rf"{_FIRST}(?=[0-9 \-]*\*)(?=(?:[ \-*]*\d){{5}})[0-9*]{{3}}(?:[ -]?[0-9*]{{4}}){{3}}(?:[ -]?[0-9*]{{1,3}})?{_R}",
            0.45,
        ),
    ]
    CONTEXT = ["银行卡", "银行卡号", "卡号", "账号", "银行账号", "账户", "帐号", "开户行", "收款账号", "社保卡", "卡"]
    NEGATIVE_CONTEXT = ("订单号", "订单编号", "流水号", "交易号", "单号", "项目编号", "招标编号", "采购编号", "合同编号", "编号", "信用代码", "条码", "批次号", "发票")

    def validate_value(self, pattern_text: str) -> bool | None:
        digits = _NON_DIGIT.sub("", pattern_text)
        if not 16 <= len(digits) <= 19 or not luhn_ok(digits):
            return False
        if place_and_date(digits):
            return None  # a code built on a region and a date: a card only with context
        return True if _IIN.match(digits) else None

    def rescore(self, value: str, score: float) -> float:
        return score  # validated: 1.0; unknown issuer: the pattern's 0.3, context decides
