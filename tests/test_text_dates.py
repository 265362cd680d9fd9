"""Chinese date forms: every form of issue 6, near-misses that must not parse."""
import datetime as dt

import pytest

from scanner.text.dates import (
    arabic_years,
    date_from_url,
    meta_publication_date,
    months_before,
    parse_date,
    parse_compact_date,
    parse_timestamp,
    parse_timestamp_beijing,
    parse_month_day,
    quarter_start,
    year_heading,
)

D = dt.date(2022, 6, 20)


@pytest.mark.parametrize("text, expected", [
    # separators
    ("2022-06-20", D),
    ("发布时间：2022/06/20 10:31", D),
    ("2022.06.20", D),
    ("2022-6-20", D),
    # CJK year-month-day, the form htmldate gets wrong (2022-01-01)
    ("2022年06月20日", D),
    ("2022年6月20日", D),
    ("日期： 2022 年 6 月 20 日", D),
    # Chinese numerals
    ("二〇二二年六月二十日", D),
    ("二○二二年六月二十日", D),
    ("二零二二年十二月三十一日", dt.date(2022, 12, 31)),
    ("二〇二二年六月九日", dt.date(2022, 6, 9)),
    # first of several
    ("更新于2022-06-20，原文2021-01-01", D),
    # near-misses: impossible dates, mixed separators, numbers that are not dates
    ("2022-02-30", None),
    ("2022-06/20", None),
    ("文号粤府〔2022〕20号", None),
    ("电话 020-12345678", None),
    ("1234-56-78", None),
    ("二〇二二年十三月一日", None),
    ("", None),
    # full-width digits and separators, as the IME in full-width mode types them (they were no date)
    ("２０２２－０６－２０", D),
    ("２０２２年６月２０日", D),
    ("２０２２／６／２０", D),
    ("２０２２．０６．２０", D),
    ("2022－06－20", D),
    ("发布时间：２０２２年０６月２０日 星期一", D),
    ("二０二二年六月二十日", D),
    # full-width near-misses stay none
    ("２０２２－０２－３０", None),
    ("电话０２０－１２３４５６７８", None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text, year, expected", [
    ("[06-20]", 2022, D),
    ("06-20", 2022, D),
    ("6月20日", 2022, D),
    ("【06/20】", 2022, D),
    # a full date wins over the heading
    ("[2021-06-20]", 2022, dt.date(2021, 6, 20)),
    # no year known: cannot date it
    ("[06-20]", None, None),
    ("[02-30]", 2022, None),
    ("第06期", 2022, None),
    # full-width
    ("［０６－２０］", 2022, D),
    ("６月２０日", 2022, D),
    ("［０６－２０］", None, None),
])
def test_parse_month_day(text, year, expected):
    assert parse_month_day(text, year) == expected


@pytest.mark.parametrize("text, expected", [
    ("2022年", 2022), ("【2022】", 2022), (" 2021 ", 2021),
    ("2022年工作要点", None), ("1850年", None),
    ("２０２２年", 2022), ("【２０２２】", 2022), ("２０２２年工作要点", None),
])
def test_year_heading(text, expected):
    assert year_heading(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("二〇一九年三月五日", "2019年三月五日"),
    ("一九三九年五月", "1939年五月"),
    ("二○二一年", "2021年"),
    ("二O一九年", "2019年"),
    # not a year: more than four numerals, a count of years, an ordinal
    ("一二三四五年", "一二三四五年"),
    ("十二〇一九年", "十二〇一九年"),
    ("三年", "三年"),
    ("二〇一九", "二〇一九"),
])
def test_arabic_years(text, expected):
    assert arabic_years(text) == expected
    assert len(arabic_years(text)) == len(text)


@pytest.mark.parametrize("html, expected", [
    ('<html><head><META NAME="PubDate" CONTENT="2019-03-05 10:00"></head>', dt.date(2019, 3, 5)),
    ("<meta property='article:published_time' content='2019-03-05T10:00:00+08:00'>", dt.date(2019, 3, 5)),
    ('<meta name="keywords" content="2018-01-01"><meta name=pubdate content=20190305>', dt.date(2019, 3, 5)),
    ('<meta name="pubdate" content="2019-02-30">', None),
    # the offset counts: 16:30 UTC is the next day in Beijing (it was read as the bare date)
    ("<meta property='article:published_time' content='2019-03-04T16:30:00+00:00'>", dt.date(2019, 3, 5)),
    ("<meta property='article:published_time' content='2019-03-04T16:30:00Z'>", dt.date(2019, 3, 5)),
    ('<meta name="keywords" content="2019-03-05">', None),
    ("<p>2019年3月5日</p>", None),
])
def test_meta_publication_date(html, expected):
    assert meta_publication_date(html) == expected


@pytest.mark.parametrize("url, expected", [
    ("http://www.gd.gov.cn/gdywdt/202206/t20220620_123456.html", D),
    ("http://x.gov.cn/a/t20220620.html", D),
    ("http://x.gov.cn/news/2022/06/20/a.html", None),  # three folders: not the 8-digit form
    ("http://x.gov.cn/news/20220620/a.html", D),
    ("http://x.gov.cn/t20220231_1.html", None),
    ("http://x.gov.cn/list_2.html", None),
    ("http://x.gov.cn/art/t2022062_1.html", None),
])
def test_date_from_url(url, expected):
    assert date_from_url(url) == expected


@pytest.mark.parametrize("value, expected", [
    ("2022-06-20T10:00:00+08:00", D),
    ("2022-06-19T16:30:00+00:00", D),  # 00:30 on the 20th in Beijing
    ("2022-06-19T15:59:59+00:00", dt.date(2022, 6, 19)),
    ("2022-06-20T23:00:00", D),
    ("not a date", None),
    (None, None),
])
def test_iso_timestamps_as_beijing_days(value, expected):
    assert parse_timestamp_beijing(value) == expected


@pytest.mark.parametrize("value, expected", [
    # Unix time as platform APIs give it: seconds or milliseconds, number or digit string
    (1655690000, D),                    # 2022-06-20 09:53 Beijing
    (1655690000000, D),
    ("1655690000", D),
    ("1655690000000", D),
    (1655690000.5, D),
    # as a float column writes them (pandas, spreadsheets): they were 'invalid published_at'
    ("1655690000.5", D),
    ("1655690000000.0", D),
    ("1655654399.999", dt.date(2022, 6, 19)),
    ("165569000.5", None),
    ("1655690000.", None),
    # Beijing midnight: 2022-06-19T16:00:00Z is the first second of the 20th
    (1655654399, dt.date(2022, 6, 19)),
    (1655654400, D),
    (1655654400000, D),
    # ISO strings as before, including the basic form of 8 digits (not Unix time)
    ("2022-06-19T16:30:00Z", D),
    ("20220620", D),
    # a trailing UTC/GMT is the offset (it was dropped: 16:30 UTC read as 16:30 Beijing, a day early)
    ("2022-06-19 16:30:00 UTC", D),
    ("2022-06-19 16:30:00 GMT", D),
    ("2022-06-19 16:30:00 +0000", D),
    ("2022-06-19 15:59:59 UTC", dt.date(2022, 6, 19)),
    # Weibo's created_at and RFC 2822 (they were 'invalid published_at')
    ("Mon Jun 20 09:53:20 +0800 2022", D),
    ("Sun Jun 19 16:30:00 +0000 2022", D),
    ("Sun, 19 Jun 2022 16:30:00 +0000", D),
    # UTC in every spelling is the offset (these fell back to the bare date, a day early)
    ("2022/6/19 16:30 UTC", D),
    ("2022-06-19 16:30:00 GMT+0000", D),
    ("2022-06-19T16:30:00z", D),
    ("2022-06-19T16:30:00Z[UTC]", D),
    ("Sun Jun 19 16:30:00 UTC 2022", D),  # Java's Date.toString, Unix date (it was 'invalid')
    ("Mon Jun 20 00:30:00 GMT+0800 2022", D),
    # naive: Beijing time, as before
    ("2022-06-20 00:10", D),
    # not a time: booleans, out of range, other digit counts, full-width digits
    (True, None),
    (0, None),
    (-5, None),
    (10**20, None),
    ("165569000", None),
    ("１６５５６９００００", None),
    (None, None),
    ({"t": 1}, None),
])
def test_parse_timestamp_beijing(value, expected):
    assert parse_timestamp_beijing(value) == expected


def _bj(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.mark.parametrize("value, day, at", [
    # one export, four tools: the instant in Beijing time, whatever the form
    ("2022-06-30 09:00", dt.date(2022, 6, 30), _bj(2022, 6, 30, 9, 0)),
    ("2022/6/30 21:00", dt.date(2022, 6, 30), _bj(2022, 6, 30, 21, 0)),
    ("2022.06.30 21:00:05", dt.date(2022, 6, 30), _bj(2022, 6, 30, 21, 0, 5)),
    ("2022年6月30日 21:00", dt.date(2022, 6, 30), _bj(2022, 6, 30, 21, 0)),
    ("2022年6月30日21时05分", dt.date(2022, 6, 30), _bj(2022, 6, 30, 21, 5)),
    (1656550800, dt.date(2022, 6, 30), _bj(2022, 6, 30, 9, 0)),
    ("1656550800000", dt.date(2022, 6, 30), _bj(2022, 6, 30, 9, 0)),
    # the quarter boundary: 23:59 Beijing written in UTC stays in June; 16:00Z is July 1
    ("2022-06-30T15:59:00Z", dt.date(2022, 6, 30), _bj(2022, 6, 30, 23, 59)),
    ("2022-06-30T15:59:00.000+00:00", dt.date(2022, 6, 30), _bj(2022, 6, 30, 23, 59)),
    # CST as Java's Date.toString() writes China Standard Time (the first was 'invalid', its account
    # not judged; the second a day alone, its time lost for the latest-name order)
    ("Thu Jun 30 23:59:00 CST 2022", dt.date(2022, 6, 30), _bj(2022, 6, 30, 23, 59)),
    ("2022-06-30 23:59:00 CST", dt.date(2022, 6, 30), _bj(2022, 6, 30, 23, 59)),
    ("Fri Jul 01 00:00:00 CST 2022", dt.date(2022, 7, 1), _bj(2022, 7, 1, 0, 0)),
    ("CST", None, None),
    ("2022-06-30T16:00:00Z", dt.date(2022, 7, 1), _bj(2022, 7, 1, 0, 0)),
    ("2022-07-01T00:30:00+09:00", dt.date(2022, 6, 30), _bj(2022, 6, 30, 23, 30)),
    ("2022-06-30 21:00:00 +0800", dt.date(2022, 6, 30), _bj(2022, 6, 30, 21, 0)),
    ("20220630T155900Z", dt.date(2022, 6, 30), _bj(2022, 6, 30, 23, 59)),
    # a date and time as one number (yyyyMMddHHmm[ss], a database column's export): 'invalid published_at',
    # the account not judged; Beijing time, as every naive form
    ("20220630210005", dt.date(2022, 6, 30), _bj(2022, 6, 30, 21, 0, 5)),
    (20220630235900, dt.date(2022, 6, 30), _bj(2022, 6, 30, 23, 59)),
    ("202206302100", dt.date(2022, 6, 30), _bj(2022, 6, 30, 21, 0)),
    ("20220230210000", None, None),
    ("20220630256000", None, None),
    # a day alone: no time of day
    ("2022-06-30", dt.date(2022, 6, 30), None),
    ("2022/6/30", dt.date(2022, 6, 30), None),
    ("20220630", dt.date(2022, 6, 30), None),
    ("2022-06-30Z", dt.date(2022, 6, 30), None),
    # never guessed: no year, an impossible day or hour, mixed separators
    ("6月30日", None, None),
    ("2022-02-30 10:00", None, None),
    ("2022-06-30 25:00", None, None),
    ("2022-06/30", None, None),
])
def test_parse_timestamp(value, day, at):
    stamp = parse_timestamp(value)
    assert (stamp.day, stamp.at) == (day, at) if day else stamp is None


@pytest.mark.parametrize("text, expected", [
    ("20220620", D),
    ("[20220620]", D),
    ("发布 20220620 浏览", D),
    ("20220231", None),      # impossible day
    ("19891231", None),      # before MIN_YEAR
    ("202206201", None),     # 9 digits: a number
    ("120220620", None),
    ("2022-06-20", None),    # the separated form is parse_date's
    ("２０２２０６２０", D),    # full-width
    ("２０２２０６２０１", None),
    ("", None),
])
def test_parse_compact_date(text, expected):
    assert parse_compact_date(text) == expected


@pytest.mark.parametrize("day, months, expected", [
    (D, 6, dt.date(2021, 12, 20)),
    (D, 12, dt.date(2021, 6, 20)),
    (D, 3, dt.date(2022, 3, 20)),
    (dt.date(2022, 5, 31), 3, dt.date(2022, 2, 28)),
    (dt.date(2024, 5, 31), 3, dt.date(2024, 2, 29)),
])
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def test_quarter_start():
    assert quarter_start(D) == dt.date(2022, 4, 1)
    assert quarter_start(dt.date(2022, 12, 31)) == dt.date(2022, 10, 1)
