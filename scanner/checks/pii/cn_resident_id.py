"""CN_RESIDENT_ID: resident identity numbers (GB 11643-1999 公民身份号码).

18 digits: 6-digit region code (GB/T 2260), birth date YYYYMMDD, 3-digit sequence, one
check character by ISO 7064 MOD 11-2 (``X`` for 10).  15-digit numbers issued before
1999: region, YYMMDD, sequence, no check digit.  Spaces or hyphens may separate the
groups; full-width digits are made half-width by normalization; a lower-case ``x`` is
accepted.

Scores: checksum, real birth date and a region in the current table: 1.0; a region
code missing from the 2023 table but under a valid province (retired or re-districted
counties, which old IDs keep): 0.65, still above the reporting threshold.  A wrong
checksum or an impossible date drops the match (order and tender numbers).  15-digit
numbers score 0.45 (0.6 with a known region) and need context (身份证 …) unless the
region is known.  Masked forms (``4401**********123X``, ``440105********1234``) are
recognised as masked; one that hides only the check character (``11010519491231002*``)
is not: that character follows from the other 17, and the number is reported unmasked.  An
ID a spreadsheet wrote with its last three digits lost to 0 (``440105199003071000``) fails the
checksum but still shows region and birth date: with context it is reported (unmasked).
"""
from __future__ import annotations

import datetime as dt
import re

from .common import digits_of, region_status
from .recognizer import Pattern, ZhPatternRecognizer, lead

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SEP = "[ -]?"
_NB = "[0-9A-Za-z*]"
_R = r"(?![0-9A-Za-z*])"


def id_check_char(first17: str) -> str:
    """GB 11643 check character of the first 17 digits (ISO 7064 MOD 11-2)."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS))
    return _CHECK[total % 11]


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return 1880 <= year <= 2100


def is_valid_resident_id(value: str) -> bool:
    """18 characters: valid checksum and a real birth date; 15 digits: a real date."""
    digits = digits_of(value)
    if len(digits) == 18:
        if not digits[:17].isdigit() or not _real_date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14])):
            return False
        return id_check_char(digits[:17]) == digits[17]
    if len(digits) == 15 and digits.isdigit():
        return _real_date(1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12]))
    return False


def _impossible_shown(masked: str) -> bool:
    """A masked form whose shown parts no ID has: all six region digits shown and no valid
    province, or the birth year (or whole date) shown and impossible.  订单号：123456789012345***
    and a bank card masked as 6222021234567890** were "insufficiently masked IDs" (a veto)."""
    chars = [ch for ch in masked if ch.isalnum() or ch in "*＊"]
    region, year, date = "".join(chars[:6]), "".join(chars[6:10]), "".join(chars[6:14])
    if region.isdigit() and region_status(region) == "invalid":
        return True
    if date.isdigit():
        return not _real_date(int(date[:4]), int(date[4:6]), int(date[6:8]))
    return year.isdigit() and not 1880 <= int(year) <= 2100


EXCEL_SCORE = 0.4


def excel_lost_digits(digits: str) -> bool:
    """An ID that a spreadsheet kept as a number (15 significant digits) and wrote out whole:
    its last three digits are 0 (440105199003071234 -> 440105199003071000; a CSV saved by Excel
    with the column formatted "0").  It still shows region and birth date, as
    ``440105199003071***`` does (the XLSX reader's form of the same number): without a valid
    checksum it was no ID, and such a list came out compliant.  A real birth date and a region
    of the current table are required, and context (the score is below the threshold)."""
    return (len(digits) == 18 and digits.isdigit() and digits.endswith("000")
            and _real_date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
            and region_status(digits[:6]) == "known")


def mistyped_id(digits: str) -> bool:
    """17 digits, or 18 whose check character is wrong: a resident ID typed with a digit missing
    or wrong (身份证号：11010519491231002, 110105194912310021).  It still shows region and birth
    date, unmasked; reported only where a label names it (身份证号：…, its column's header), so an
    order number elsewhere is none.  A region under a valid province and a real birth date (a
    number whose 7th to 14th digits are no date shows none: 身份证号：440105199013071000)."""
    if len(digits) not in (17, 18) or not digits[:17].isdigit() or (len(digits) == 18 and is_valid_resident_id(digits)):
        return False
    return region_status(digits[:6]) != "invalid" and _real_date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))


# the groups as written on the card (6-8-4), spaces or hyphens only between them; other spacing
# (1101 0519 4912 3100 2X: a card's grouping) counts only where a label names it
_REGULAR = re.compile(rf"\d{{6}}{_SEP}(?:\d{{8}}{_SEP}\d{{3}}[0-9Xx]|\d{{4}}{_SEP}\d{{4}}{_SEP}\d{{3}}[0-9Xx]|\d{{6}}{_SEP}\d{{3}})")


def id_flaw(value: str) -> str:
    """Why an unmasked value reported as a resident ID is only a suspected one, in the words of
    a finding (疑似身份证号（校验位不符）), or "" for a valid ID (or one an Excel column cut)."""
    digits = digits_of(value)
    if "*" in value or "＊" in value or not mistyped_id(digits) or excel_lost_digits(digits):
        return ""
    return "疑似身份证号（校验位不符）" if len(digits) == 18 else "疑似身份证号（17位，缺一位）"


def _regular(value: str) -> bool:
    return is_valid_resident_id(value) and _REGULAR.fullmatch(value.upper()) is not None


class CnResidentIdRecognizer(ZhPatternRecognizer):
    """18- and 15-digit resident ID numbers, checksum, birth date and region validated."""

    ENTITY = "CN_RESIDENT_ID"
    PATTERNS = [
        Pattern(
            "cn_resident_id_18",
            rf"{lead('[1-9]', _NB)}\d{{5}}{_SEP}(?:18|19|20)\d{{2}}{_SEP}\d{{4}}{_SEP}\d{{3}}[0-9Xx]{_R}",
            0.5,
        ),
        Pattern("cn_resident_id_15", rf"{lead('[1-9]', _NB)}\d{{5}}{_SEP}\d{{6}}{_SEP}\d{{3}}{_R}", 0.45),
        # 18 characters, the first 1-6 and the last 1-4 kept, at least 4 hidden; the match is all 18
        # (440105********1*** was reported as its first 15)
        Pattern(
            "cn_resident_id_masked",
            rf"{lead('[1-9]', _NB)}(?=[0-9*]{{16}}[0-9Xx*]{_R})\d{{0,5}}\*{{4,16}}[0-9*]{{0,12}}[0-9Xx*]{_R}",
            0.8,
        ),
        # any other 18 characters with a region's first digit, 6+ digits shown and 1+ of the
        # first 17 hidden (44010519900101****, 4401051990010112**): masked, maybe too little (the policy's max_shown)
        Pattern(
            "cn_resident_id_partly_masked",
            rf"{lead('[1-9]', _NB)}(?=[0-9*]{{16}}[0-9Xx*]{_R})(?=\d{{0,15}}\*)(?=(?:\**\d){{5}})[0-9*]{{16}}[0-9Xx*]{_R}",
            0.6,
        ),
        # only the check character hidden (11010519491231002*): it follows from the other
        # 17 digits, so the number is published whole; not a masked form
        Pattern(
            "cn_resident_id_check_hidden",
            rf"{lead('[1-9]', _NB)}\d{{5}}{_SEP}(?:18|19|20)\d{{2}}{_SEP}\d{{4}}{_SEP}\d{{3}}[*＊]{_R}",
            0.5,
        ),
        # 17 or 18 digits, spaces or hyphens anywhere between: a mistyped ID (a digit missing, a
        # wrong check character) or one grouped as a card is; counted only where a label names it
        Pattern("cn_resident_id_mistyped", rf"{lead('[1-9]', _NB)}(?:[ -]?\d){{16}}(?:[ -]?[0-9Xx])?{_R}", 0.4),
    ]
    CONTEXT = ["身份证", "身份证号", "身份证号码", "公民身份号码", "身份号码", "证件号", "证件号码", "证号", "居民身份证", "身份证件"]
    # a licence's number is built on region and date too (执业证号, 许可证号): 证号 alone labels no weak match
    WEAK_LABELS = ("证号",)
    NEGATIVE_CONTEXT = ("订单号", "订单编号", "流水号", "交易号", "单号", "项目编号", "招标编号", "采购编号", "合同编号", "信用代码", "标识码", "备案号", "登记号", "批次号", "条码")

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = digits_of(pattern_text)
        if len(digits) == 17 and pattern_text[-1] in "*＊":  # the check character computed
            return self.validate_value(digits + id_check_char(digits))
        if "*" in pattern_text or "＊" in pattern_text:
            return False if _impossible_shown(pattern_text) else None
        return super().validate_result(pattern_text)

    def validate_value(self, pattern_text: str) -> bool | None:
        digits = digits_of(pattern_text)
        if region_status(digits[:6]) == "invalid":
            return False
        if not is_valid_resident_id(pattern_text):
            return None if excel_lost_digits(digits) or mistyped_id(digits) else False
        return True if _REGULAR.fullmatch(pattern_text.upper()) else None

    def label_only(self, value: str) -> bool:
        # the Excel form has no checksum: 凭身份证办理，受理编号440105198001010000 is no ID;
        # nor is 订单号110105194912310021 (a mistyped ID only after its label)
        return "*" not in value and "＊" not in value and not _regular(value)

    def rescore(self, value: str, score: float) -> float:
        digits = digits_of(value)
        status = region_status(digits[:6])
        if self.label_only(value):
            return EXCEL_SCORE  # reported with context only (身份证号 column or label)
        if len(digits) == 18 or (len(digits) == 17 and value[-1] in "*＊"):
            return 1.0 if status == "known" else 0.65
        return 0.6 if status == "known" else 0.45
