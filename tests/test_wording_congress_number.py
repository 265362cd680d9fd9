import datetime as dt

import pytest

from scanner.checks.wording.congress_number import CongressNumberCheck
from tests.wording_cases import findings, flagged

CHECK = CongressNumberCheck()


@pytest.mark.parametrize("text, on, expected", [
    ("深入学习贯彻党的二十大精神", dt.date(2022, 6, 1), ["党的二十大"]),
    ("深入学习贯彻党的二十大精神", dt.date(2022, 11, 1), []),
    ("以优异成绩迎接党的二十大胜利召开", dt.date(2022, 6, 1), []),
    ("即将召开的党的二十大", dt.date(2022, 6, 1), []),
    ("贯彻党的二十届三中全会精神", dt.date(2024, 3, 1), ["二十届三中全会"]),
    ("贯彻党的二十届三中全会精神", dt.date(2024, 8, 1), []),
    ("学习贯彻党的二十一大精神", dt.date(2024, 6, 1), ["党的二十一大"]),
    # its real date is not known: from the earliest plausible day on it is not judged
    ("学习贯彻党的二十一大精神", dt.date(2027, 12, 1), []),
    ("学习贯彻党的二十一大精神", dt.date(2027, 6, 1), ["党的二十一大"]),
    ("党的十八大以来", dt.date(2024, 6, 1), []),
    ("北京大学", dt.date(2024, 6, 1), []),
    # the full name and the bare number (学习贯彻二十大精神) were not read
    ("深入学习贯彻中国共产党第二十次全国代表大会精神", dt.date(2022, 6, 1), ["中国共产党第二十次全国代表大会"]),
    ("深入学习贯彻中国共产党第二十次全国代表大会精神", dt.date(2022, 11, 1), []),
    ("党的第二十次全国代表大会报告指出", dt.date(2022, 6, 1), ["党的第二十次全国代表大会"]),
    ("认真学习宣传贯彻二十大精神", dt.date(2022, 6, 1), ["二十大"]),
    ("二十大报告提出", dt.date(2022, 6, 1), ["二十大"]),
    ("认真学习宣传贯彻二十大精神", dt.date(2023, 1, 1), []),
    ("十九大以来", dt.date(2017, 6, 1), ["十九大"]),
    ("喜迎二十大召开", dt.date(2022, 6, 1), []),
    # near-misses: a count of twenty, the twentieth of a series, a number after 第
    ("全省二十大重点项目", dt.date(2022, 6, 1), []),
    ("评选出二十大精神文明示范村", dt.date(2022, 6, 1), []),
    ("第二十大代表团", dt.date(2022, 6, 1), []),
])
def test_congress_number(text, on, expected):
    assert flagged(CHECK, text, on) == expected


def test_suggestion_is_the_latest_held():
    (f,) = findings(CHECK, "深入学习贯彻党的二十大精神", dt.date(2022, 6, 1))
    assert f.suggestion == "党的十九大"


@pytest.mark.parametrize("text, suggestion", [
    # the suggestion keeps the form of the flagged span (it was 党的十九大 for every form, which
    # left 党的十九大会 after 采纳 in 党的第二十次全国代表大会)
    ("党的第二十次全国代表大会报告", "党的第十九次全国代表大会"),
    ("学习中国共产党第二十次全国代表大会精神", "中国共产党第十九次全国代表大会"),
    ("学习中共二十大精神", "中共十九大"),
    ("学习二十大精神", "十九大"),
])
def test_suggestion_keeps_the_form(text, suggestion):
    (f,) = findings(CHECK, text, dt.date(2022, 6, 1))
    assert f.suggestion == suggestion
    assert text[:f.start] + f.suggestion + text[f.end:] == text.replace(text[f.start:f.end], suggestion)


D2024 = dt.date(2024, 9, 1)


@pytest.mark.parametrize("text, expected, suggestion", [
    # a label written with the date it met: the date must agree (the month, a day within the week)
    ("2022年11月16日，党的二十大在北京开幕。", "2022年11月16日", "2022年10月16日"),
    ("2021年10月召开的党的二十大", "2021年10月", "2022年10月"),
    ("党的二十大于2022年11月在北京召开", "2022年11月", "2022年10月"),
    ("党的二十大（2022年11月）召开", "2022年11月", "2022年10月"),
    # ... and when another meeting of the kind met in the month written, the number is the slip
    ("2024年7月召开的党的二十届二中全会审议通过了决定", "二十届二中全会", "二十届三中全会"),
    ("2017年10月召开的党的十八大", "党的十八大", "党的十九大"),
])
def test_date_written_with_the_label(text, expected, suggestion):
    (f,) = findings(CHECK, text, D2024)
    assert text[f.start:f.end] == expected
    assert f.suggestion == suggestion
    assert f.severity.value == "veto" and f.action and "召开" in f.message


@pytest.mark.parametrize("text", [
    "2022年10月16日，党的二十大在北京开幕。",
    "党的二十大于2022年10月16日至22日在北京召开",
    "2022年10月22日，党的二十大胜利闭幕",
    "2024年7月召开的党的二十届三中全会",
    "1992年10月召开的党的十四大确立了社会主义市场经济体制改革目标",
    "2019年10月，十九届四中全会在京召开",
    # the date of something else: the label's spirit, report or delegates
    "2019年3月，党的十九大精神宣讲会召开",
    "2019年3月，十九大代表座谈会召开",
    "2023年5月，学习贯彻党的二十大精神专题培训班举行",
    # a date counted from the meeting (People's Daily, 2024)
    "2022年10月27日，党的二十大闭幕不到一周，总书记带领新当选的中央政治局常委来到延安",
    "2022年11月，党的二十大召开后不久，全省开展宣讲活动",
    # its date not known: not judged
    "2027年10月召开的党的二十一大",
])
def test_date_written_with_the_label_right(text):
    assert flagged(CHECK, text, dt.date(2028, 1, 1)) == []


@pytest.mark.parametrize("text, on, expected", [
    # a plenum the table does not list meets after the one before it: before that one's day it
    # cannot have met (二十届四中全会 opened 2025-10-20)
    ("学习贯彻二十届五中全会精神", dt.date(2025, 6, 1), ["二十届五中全会"]),
    ("学习贯彻二十届六中全会精神", dt.date(2025, 6, 1), ["二十届六中全会"]),
    # ... after it, its day is not known: not judged
    ("学习贯彻二十届五中全会精神", dt.date(2026, 3, 1), []),
    # the first plenum of the 21st Central Committee follows the 21st congress (earliest 2027-09-01)
    ("学习贯彻二十一届一中全会精神", dt.date(2027, 6, 1), ["二十一届一中全会"]),
    ("学习贯彻二十一届一中全会精神", dt.date(2027, 12, 1), []),
    # forward-looking wording still accepted
    ("迎接二十届五中全会召开", dt.date(2025, 6, 1), []),
])
def test_unlisted_plenum(text, on, expected):
    assert flagged(CHECK, text, on) == expected


def test_unlisted_plenum_suggests_the_latest_held():
    (f,) = findings(CHECK, "学习贯彻二十届五中全会精神", dt.date(2025, 6, 1))
    assert f.suggestion == "二十届三中全会" and "二十届四中全会" in f.explanation


def _events_with(tmp_path, monkeypatch, extra_rows):
    """events.tsv plus rows, read from a copy of the lexicons (the real file left alone)."""
    import shutil

    from scanner.checks.wording import congress_number
    from scanner.resources import lexicon_dir, read_tsv

    d = tmp_path / "lexicons"
    shutil.copytree(lexicon_dir(), d)
    with open(d / "events.tsv", "a", encoding="utf-8") as fh:
        for row in extra_rows:
            fh.write("\t".join(row) + "\n")
    monkeypatch.setenv("GOVSCAN_LEXICONS", str(d))
    read_tsv.cache_clear()
    congress_number._events.cache_clear()
    return congress_number


@pytest.mark.parametrize("text, expected", [
    # once a meeting of 2027 or later is entered with its real day, a date written with it is checked
    ("2027年11月召开的二十一届一中全会", ["2027年11月"]),
    ("2027年10月召开的二十一届一中全会", []),
])
def test_dated_meetings_from_2027_on_are_checked(tmp_path, monkeypatch, text, expected):
    module = _events_with(tmp_path, monkeypatch, [("二十一届一中全会", "plenum", "2027-10-25", "day", "", "test row")])
    try:
        assert flagged(CHECK, text, dt.date(2028, 1, 1)) == expected
    finally:
        monkeypatch.undo()
        from scanner.resources import read_tsv

        read_tsv.cache_clear()
        module._events.cache_clear()


def test_estimated_day_is_never_checked_against_a_written_date():
    # 党的二十一大 is listed with its earliest plausible day only: no date written with it is judged
    for text in ("2027年10月召开的党的二十一大", "2027年9月召开的党的二十一大", "2028年3月召开的党的二十一大"):
        assert flagged(CHECK, text, dt.date(2028, 6, 1)) == [], text


@pytest.mark.parametrize("text, on, expected", [
    # plenums of one Central Committee written as a list were not read at all (二十届二中、三中全会
    # matched no plenum): each member is a plenum of that term and is checked as one
    ("深入学习贯彻党的二十届二中、三中全会精神", dt.date(2024, 3, 1), ["三中全会"]),
    ("党的十九届四中、五中全会精神", dt.date(2020, 1, 1), ["五中全会"]),
    ("党的十八届三中、四中、五中、六中全会", dt.date(2016, 1, 1), ["六中全会"]),
    ("党的二十届二中全会和三中全会精神", dt.date(2024, 3, 1), ["三中全会"]),
    ("党的二十届二中、三中、四中全会精神", dt.date(2025, 6, 1), ["四中全会"]),
    # the first member holds the term: its span is the full label
    ("党的二十届三中、二中全会精神", dt.date(2024, 3, 1), ["二十届三中"]),
    # a plenum that does not exist in a list: not yet held (二十届九中 after 四中, 2025-10-20) ...
    ("深入学习贯彻党的二十届三中、九中全会精神", dt.date(2025, 8, 1), ["九中全会"]),
    # ... or never held: the committee's term ended with its 7th plenum (the next congress met)
    ("党的十八届三中、四中、五中、八中全会", dt.date(2018, 1, 1), ["八中全会"]),
    ("党的十九届二中、八中全会精神", dt.date(2023, 1, 1), ["八中全会"]),
    ("学习党的十八届八中全会精神", dt.date(2018, 1, 1), ["十八届八中全会"]),
    # correct lists are not flagged
    ("深入学习贯彻党的二十届二中、三中全会精神", dt.date(2024, 8, 1), []),
    ("党的十九届四中、五中全会精神", dt.date(2021, 1, 1), []),
    ("党的十八届三中、四中、五中、六中全会", dt.date(2017, 1, 1), []),
    ("党的二十届二中、三中、四中全会精神", dt.date(2025, 11, 1), []),
    ("党的二十届一中、二中全会和三中全会", dt.date(2024, 8, 1), []),
    # forward-looking wording around the list still accepted
    ("迎接党的二十届三中、四中全会召开", dt.date(2024, 3, 1), []),
    # a committee whose plenums the table does not list (十七届): not judged
    ("十七届六中全会", dt.date(2018, 1, 1), []),
    # a date written with a list is not one member's
    ("2024年7月召开的党的二十届二中、三中全会", dt.date(2024, 9, 1), []),
])
def test_plenum_lists(text, on, expected):
    assert flagged(CHECK, text, on) == expected


def test_plenum_list_messages_and_suggestions():
    (f,) = findings(CHECK, "学习党的十八届八中全会精神", dt.date(2018, 1, 1))
    assert "不存在" in f.message and "七次" in f.message and f.suggestion is None
    # a member: the same form with the latest number, unless that one is listed already
    (f,) = findings(CHECK, "党的二十届一中、三中全会精神", dt.date(2024, 3, 1))
    assert f.suggestion == "二中全会" and "二十届三中全会" in f.message
    (f,) = findings(CHECK, "党的二十届二中、三中全会精神", dt.date(2024, 3, 1))
    assert f.suggestion is None


@pytest.mark.parametrize("text, on, expected, suggestion", [
    # a plenum written in full was not read (第二十届中央委员会第三次全体会议 before it met)
    ("学习贯彻党的第二十届中央委员会第三次全体会议精神", dt.date(2024, 3, 1),
     "第二十届中央委员会第三次全体会议", "第二十届中央委员会第二次全体会议"),
    ("中国共产党第二十届中央委员会第九次全体会议", dt.date(2025, 8, 1),
     "第二十届中央委员会第九次全体会议", "第二十届中央委员会第三次全体会议"),
    ("十九届中央委员会第八次全体会议", dt.date(2023, 1, 1), "十九届中央委员会第八次全体会议", None),
    # with the date it met: the number for that month
    ("2024年7月召开的党的第二十届中央委员会第二次全体会议", dt.date(2024, 9, 1),
     "第二十届中央委员会第二次全体会议", "第二十届中央委员会第三次全体会议"),
])
def test_plenum_written_in_full(text, on, expected, suggestion):
    (f,) = findings(CHECK, text, on)
    assert text[f.start:f.end] == expected and f.suggestion == suggestion


@pytest.mark.parametrize("text, on", [
    ("学习贯彻党的第二十届中央委员会第三次全体会议精神", dt.date(2024, 8, 1)),
    ("中国共产党第十九届中央委员会第六次全体会议审议通过", dt.date(2022, 1, 1)),
    ("2024年7月召开的党的第二十届中央委员会第三次全体会议", dt.date(2024, 9, 1)),
    ("迎接党的第二十届中央委员会第三次全体会议召开", dt.date(2024, 3, 1)),
])
def test_plenum_written_in_full_right(text, on):
    assert flagged(CHECK, text, on) == []
