"""Chinese dates as government pages write them, parsed without guessing.

Forms (each tested in tests/test_text_dates.py):

* ``2022-06-20``, ``2022/06/20``, ``2022.06.20``, ``2022-6-20`` (optionally followed by a time);
* ``2022年6月20日`` and ``2022年06月20日`` (spaces allowed between the parts);
* ``二〇二二年六月二十日`` (Chinese numerals, 〇/○/零/Ｏ for zero, 十/廿 forms for days);
* ``[06-20]`` or ``06-20`` under a year heading (``2022年``): :func:`parse_month_day` with the year;
* ``t20220620`` in URLs (TRS/WCM article names such as ``/202206/t20220620_123.html``);
* ``20220620`` where a date is expected (a list entry's date, a meta date, after 发布时间):
  :func:`parse_compact_date`;
* ``<meta name="PubDate" content="2022-06-20 10:00">`` and its cousins: :data:`META_DATE_NAMES`.

htmldate is never used for Chinese dates: it turns ``2022年06月20日`` into 2022-01-01.
Every function returns ``None`` (or nothing) for an impossible date such as 2022-02-30:
a wrong date must not make a stale column look fresh.

The calendar helpers (:func:`months_before`, :func:`quarter_start`) count calendar months
the way the indicators do: six months before 2022-06-20 is 2021-12-20; a month end is
clamped (three months before 2022-05-31 is 2022-02-28).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import NamedTuple

BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")

MIN_YEAR = 1990
MAX_YEAR = 2100

_SEP_DATE = re.compile(
    r"(?<![0-9])((?:19|20)\d{2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?![0-9])"
)
_CJK_DATE = re.compile(r"(?<![0-9])((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_CN_DIGITS = "〇○零Ｏ0一二三四五六七八九"
_CN_NUM_DATE = re.compile(
    r"([〇○零Ｏ0一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十廿卅]{1,4})\s*[日号]"
)
_URL_DATE = re.compile(r"(?<![0-9A-Za-z])[tT]((?:19|20)\d{2})(\d{2})(\d{2})(?:_|\.|/|$|[^0-9])")
_URL_DIR_DATE = re.compile(r"/((?:19|20)\d{2})[-_]?(\d{2})[-_]?(\d{2})/")
_COMPACT_DATE = re.compile(r"(?<![0-9])((?:19|20)\d{2})(\d{2})(\d{2})(?![0-9])")
_MONTH_DAY = re.compile(r"(?<![0-9\-/.])(\d{1,2})\s*([-/.月])\s*(\d{1,2})(?:\s*日)?(?![0-9\-/.])")
_YEAR_HEADING = re.compile(r"^\s*[\[【(（]?\s*((?:19|20)\d{2})\s*年?\s*[\]】)）]?\s*$")

# <meta name=...> / <meta property=...> names that carry a page's own publication date.
META_DATE_NAMES = (
    "pubdate",
    "publishdate",
    "articlepublishdate",
    "firstpublishedtime",
    "article:published_time",
    "og:release_date",
    "dc.date",
    "dc.date.issued",
    "dcterms.issued",
    "date",
)

# Full-width digits and separators, as a page typed with the IME in full-width mode writes a date
# (２０２２－０６－２０, ２０２２年６月２０日, ［０６－２０］): one character for one, so every span holds.
# Without it such list dates were undated, and their columns "not updated" (a false veto).
_FULLWIDTH = str.maketrans("０１２３４５６７８９－／．", "0123456789-/.")


def ascii_digits(text: str) -> str:
    """``text`` with full-width digits and date separators (－／．) in ASCII, offsets unchanged."""
    return text.translate(_FULLWIDTH)


_CN_VALUES = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "0": 0, "一": 1, "二": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _make(year: int | str, month: int | str, day: int | str) -> dt.date | None:
    try:
        y, m, d = int(year), int(month), int(day)
    except (TypeError, ValueError):
        return None
    if not (MIN_YEAR <= y <= MAX_YEAR):
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _cn_small_number(text: str) -> int | None:
    """一 .. 三十一 (also 廿一, 卅一, 二一 as some pages write it)."""
    text = text.replace("廿", "二十").replace("卅", "三十")
    if "十" in text:
        head, _, tail = text.partition("十")
        tens = _CN_VALUES.get(head, None) if head else 1
        ones = _CN_VALUES.get(tail, None) if tail else 0
        if tens is None or ones is None or "十" in tail:
            return None
        return tens * 10 + ones
    if len(text) == 1:
        return _CN_VALUES.get(text)
    if len(text) == 2 and all(ch in _CN_VALUES for ch in text):
        return _CN_VALUES[text[0]] * 10 + _CN_VALUES[text[1]]
    return None


def find_dates(text: str) -> Iterator[tuple[dt.date, int, int]]:
    """Every full date in ``text`` with its span, in order of position."""
    found: list[tuple[int, int, dt.date]] = []
    text = ascii_digits(text)
    for m in _SEP_DATE.finditer(text):
        d = _make(m.group(1), m.group(3), m.group(4))
        if d:
            found.append((m.start(), m.end(), d))
    for m in _CJK_DATE.finditer(text):
        d = _make(m.group(1), m.group(2), m.group(3))
        if d:
            found.append((m.start(), m.end(), d))
    for m in _CN_NUM_DATE.finditer(text):
        year = "".join(str(_CN_VALUES[ch]) for ch in m.group(1))
        month, day = _cn_small_number(m.group(2)), _cn_small_number(m.group(3))
        if month is not None and day is not None:
            d = _make(year, month, day)
            if d:
                found.append((m.start(), m.end(), d))
    found.sort(key=lambda x: (x[0], -x[1]))
    last_end = -1
    for start, end, d in found:
        if start < last_end:
            continue
        last_end = end
        yield d, start, end


_CN_YEAR = re.compile(r"(?<![〇○零ＯO一二三四五六七八九十])([一二][〇○零ＯO一二三四五六七八九]{3})(?=\s*年)")


def arabic_years(text: str) -> str:
    """``text`` with each year written in Chinese numerals (二〇一九年, 一九三九年) turned into
    Arabic digits (2019年, 1939年): four characters for four, so every offset holds.  Lets the
    rules that look for a year in a sentence read the way formal documents write years (also
    with a Latin O for zero, 二O一九年, as pages often type it)."""
    if "年" not in text:
        return text
    return _CN_YEAR.sub(lambda m: "".join(str(_CN_VALUES.get(ch, 0)) for ch in m.group(1)), text)


def parse_date(text: str | None) -> dt.date | None:
    """The first full date in ``text``, or None."""
    if not text:
        return None
    for d, _, _ in find_dates(text):
        return d
    return None


_META_TAG = re.compile(r"<meta\b[^>]*>", re.I)
_META_ATTR = re.compile(r"""([a-zA-Z:_-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


def meta_publication_date(html: str) -> dt.date | None:
    """The publication date a page states in its ``<meta>`` tags (``<meta name="PubDate"
    content="2019-03-05 10:00">`` and the other names of :data:`META_DATE_NAMES`), read from
    the first 64 KB; None when there is none or it is not a possible date."""
    for tag in _META_TAG.finditer(html[:65536]):
        attrs = {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3) if m.group(3) is not None
                 else m.group(4) for m in _META_ATTR.finditer(tag.group(0))}
        key = (attrs.get("name") or attrs.get("property") or attrs.get("itemprop") or "").strip().lower()
        if key in META_DATE_NAMES:
            d = meta_date(attrs.get("content"))
            if d:
                return d
    return None


def meta_date(content: str | None) -> dt.date | None:
    """A meta date's content as a Beijing day: a timestamp with its offset
    (``article:published_time`` 2022-03-31T16:30:00+00:00 is April 1 in Beijing: read as a bare
    date it fell out of the quarter), a date with or without a time, or ``20220620``."""
    if not content:
        return None
    return parse_timestamp_beijing(content.strip()) or parse_compact_date(content)


def parse_compact_date(text: str | None) -> dt.date | None:
    """``20220620`` (8 digits, no separator) where a date is expected: a list entry's date
    cell, a meta date, the text after 发布时间.  Never searched for in running text, where
    8 digits are as often a number as a date."""
    if not text:
        return None
    for m in _COMPACT_DATE.finditer(ascii_digits(text)):
        d = _make(m.group(1), m.group(2), m.group(3))
        if d:
            return d
    return None


def parse_month_day(text: str | None, year: int | None) -> dt.date | None:
    """``06-20``, ``[06-20]``, ``6月20日``, ``06/20`` under a known year heading.

    A full date in ``text`` wins over the heading's year."""
    if not text:
        return None
    full = parse_date(text)
    if full:
        return full
    if year is None:
        return None
    m = _MONTH_DAY.search(ascii_digits(text))
    if not m:
        return None
    return _make(year, m.group(1), m.group(3))


def year_heading(text: str | None) -> int | None:
    """``2022年``, ``【2022】``, ``2022`` as a heading line, else None."""
    if not text:
        return None
    m = _YEAR_HEADING.match(ascii_digits(text))
    if not m:
        return None
    y = int(m.group(1))
    return y if MIN_YEAR <= y <= MAX_YEAR else None


def date_from_url(url: str | None) -> dt.date | None:
    """``t20220620`` in a TRS/WCM article URL, or a ``/2022/06/20/`` or ``/20220620/`` folder."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    if m:
        d = _make(m.group(1), m.group(2), m.group(3))
        if d:
            return d
    m = _URL_DIR_DATE.search(url)
    if m:
        return _make(m.group(1), m.group(2), m.group(3))
    return None


class Timestamp(NamedTuple):
    """A post's time: its Beijing calendar ``day`` and, when the value gives a time of day,
    ``at``, the aware instant (Beijing time); ``at`` is None for a day alone (``2022-06-30``)."""

    day: dt.date
    at: dt.datetime | None


def parse_timestamp_beijing(value: object) -> dt.date | None:
    """A post's time as a Beijing calendar day (:func:`parse_timestamp`'s ``day``)."""
    stamp = parse_timestamp(value)
    return stamp.day if stamp else None


def parse_timestamp(value: object) -> Timestamp | None:
    """A post's time, as exports mix them in one file: an ISO 8601 string or its everyday
    cousins (``2022-06-30 09:00``, ``2022/6/30 21:00``, ``2022年6月30日 21:00``; naive means
    Beijing time; ``Z``, a trailing ``UTC``/``GMT`` or ``+0800`` is the offset, never dropped),
    Weibo's ``created_at`` and RFC 2822 forms (``Sun Jun 05 23:30:00 +0800 2022``, also with
    ``UTC`` for the offset, or ``CST``, China Standard Time as Java writes it: ``Sun Jun 05 23:30:00 CST 2022``), or a Unix time as platform APIs give it (WeChat ``create_time``,
    Weibo, Douyin): seconds (``1655690000``) or milliseconds (``1655690000000``), a number or
    a string of 10 or 13 digits.  The magnitude tells them apart (any time after 1973 in
    milliseconds is over 10^11, any in seconds before 5138 is under); out-of-range values are
    None, and so is a day without a year (``6月30日``: never guessed)."""
    if isinstance(value, bool):
        return None
    compact = _COMPACT_STAMP.fullmatch(str(value).strip()) if isinstance(value, (str, int)) else None
    if compact:  # 20220630210000, 202206302100 (yyyyMMddHHmm[ss], as a database column exports it): Beijing time
        y, mo, d, h, mi, sec = (int(g or 0) for g in compact.groups())
        try:
            return _timestamp(dt.datetime(y, mo, d, h, mi, sec))
        except ValueError:
            return None
    digits = value.strip() if isinstance(value, str) else ""
    if digits.isascii() and _UNIX_TEXT.fullmatch(digits):  # 1656604740, 1656604740000, 1656604740.5 (a float column)
        value = float(digits) if "." in digits else int(digits)
    if isinstance(value, (int, float)):
        seconds = value / 1000 if abs(value) >= 10**11 else value
        try:
            at = dt.datetime.fromtimestamp(seconds, BEIJING)
        except (OverflowError, OSError, ValueError):
            return None
        return Timestamp(at.date(), at) if MIN_YEAR <= at.year <= MAX_YEAR else None
    if not isinstance(value, str):
        return None
    text = _UTC_WORD.sub(lambda m: " " if m.group(1) is not None else " +0000", value.strip()).strip()
    text = _CST_WORD.sub(" +0800", text).strip()
    stamp = _stamp_of_form(text)
    if stamp is not None:
        return stamp if stamp is not _BAD else None
    for form in _STAMP_FORMS:  # with an explicit offset: never read as a Beijing time
        try:
            return _timestamp(dt.datetime.strptime(text, form))
        except ValueError:
            continue
    try:  # the rest of ISO 8601 (basic form 20220630T155900Z, week dates ...)
        stamp_at = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        day = parse_date(value)
        return Timestamp(day, None) if day else None
    if ":" not in text and "T" not in text.upper():
        return Timestamp(stamp_at.date(), None) if MIN_YEAR <= stamp_at.year <= MAX_YEAR else None
    return _timestamp(stamp_at)


def _timestamp(at: dt.datetime) -> Timestamp | None:
    at = at.replace(tzinfo=BEIJING) if at.tzinfo is None else at.astimezone(BEIJING)
    return Timestamp(at.date(), at) if MIN_YEAR <= at.year <= MAX_YEAR else None


_UNIX_TEXT = re.compile(r"(?:\d{10}|\d{13})(?:\.\d+)?")
# a date and time written as one number, minutes or seconds last (12 or 14 digits: never a Unix time)
_COMPACT_STAMP = re.compile(r"((?:19|20)\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?")
_BAD = Timestamp(dt.date.min, None)  # the form is known, the value impossible (2022-02-30)

# UTC/GMT as a word: before an offset it is dropped (GMT+0800), alone it is the offset +0000
_UTC_WORD = re.compile(r"\s*\b(?:UTC|GMT)\b(\s*(?=[+-]\d))?", re.IGNORECASE)
# CST as Java's Date.toString() writes China Standard Time on a server in Asia/Shanghai
# (``Sat Jun 18 10:00:00 CST 2022``, ``2022-06-18 10:00:00 CST``), as the platforms' and CMS's Java
# exports give it: +0800 (the first was 'invalid', its account not judged; the second a day alone)
_CST_WORD = re.compile(r"\s*\bCST\b")
# a date, an optional time of day, an optional offset (and a zone name after it, Java's [UTC])
_STAMP = re.compile(
    r"((?:19|20)\d{2})\s*(?:([-/.])|年)\s*(\d{1,2})\s*(?(2)\2|月)\s*(\d{1,2})\s*[日号]?"
    r"(?:\s*[T ]?\s*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})(?:[.,](\d{1,9}))?)?\s*[分秒]?)?"
    r"\s*(?:([Zz])|([+-])(\d{2}):?(\d{2})?)?(?:\[[^\]]*\])?",
)


def _stamp_of_form(text: str) -> Timestamp | None:
    """The everyday forms of :func:`parse_timestamp` (the whole text), else None."""
    m = _STAMP.fullmatch(text)
    if not m:
        return None
    day = _make(m.group(1), m.group(3), m.group(4))
    if day is None:
        return _BAD
    if m.group(5) is None:  # a day alone (an offset without a time of day says nothing more)
        return Timestamp(day, None)
    try:
        micro = int((m.group(8) or "0")[:6].ljust(6, "0"))
        at = dt.datetime.combine(day, dt.time(int(m.group(5)), int(m.group(6)), int(m.group(7) or 0), micro))
    except ValueError:
        return _BAD
    if m.group(9):
        at = at.replace(tzinfo=dt.timezone.utc)
    elif m.group(10):
        offset = dt.timedelta(hours=int(m.group(11)), minutes=int(m.group(12) or 0))
        if offset >= dt.timedelta(hours=24):
            return _BAD
        at = at.replace(tzinfo=dt.timezone(offset if m.group(10) == "+" else -offset))
    return _timestamp(at)


_STAMP_FORMS = (
    "%a %b %d %H:%M:%S %z %Y",  # Weibo's created_at: Sun Jun 05 23:30:00 +0800 2022
    "%a, %d %b %Y %H:%M:%S %z",  # RFC 2822 (feeds, HTTP): Sun, 05 Jun 2022 15:30:00 +0000
)


# ------------------------------------------------------------------ calendar arithmetic
def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (clamped to the month's end)."""
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    last = _month_days(year, month)
    return dt.date(year, month, min(day.day, last))


def months_after(day: dt.date, months: int) -> dt.date:
    return months_before(day, -months)


def _month_days(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (dt.date(year, month + 1, 1) - dt.timedelta(days=1)).day


def quarter_start(day: dt.date) -> dt.date:
    """The first day of the quarter holding ``day``."""
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_label(day: dt.date) -> str:
    """``2022Q2`` for any day of April to June 2022."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"
