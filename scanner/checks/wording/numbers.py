"""Chinese and Arabic numerals as written in anniversaries and congress labels."""
from __future__ import annotations

DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
NUMERAL_CHARS = "〇零一二三四五六七八九十百两0123456789"


def parse_number(s: str) -> int | None:
    """'101', '一百零一', '七十三', '十九', '二十' -> int; None if not a number."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    total, current = 0, 0
    for ch in s:
        if ch in DIGITS:
            current = DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def to_chinese(n: int) -> str:
    """1..199 as written in congress labels and anniversaries (十九, 二十, 一百零一)."""
    units = "零一二三四五六七八九"
    if n < 10:
        return units[n]
    if n < 20:
        return "十" + (units[n - 10] if n % 10 else "")
    if n < 100:
        return units[n // 10] + "十" + (units[n % 10] if n % 10 else "")
    rest = n - 100 * (n // 100)
    head = units[n // 100] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + units[rest]
    return head + units[rest // 10] + "十" + (units[rest % 10] if rest % 10 else "")
