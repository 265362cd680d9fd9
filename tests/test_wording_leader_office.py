import datetime as dt

import pytest

from scanner.checks.wording.leader_office import LeaderOfficeCheck
from tests.wording_cases import findings, flagged

CHECK = LeaderOfficeCheck()
D2024 = dt.date(2024, 6, 20)
D2016 = dt.date(2016, 6, 20)


@pytest.mark.parametrize("text, on, expected", [
    # former office presented as current
    ("国务院总理李克强出席会议", D2024, ["国务院总理李克强"]),
    ("李克强总理指出", D2024, ["李克强总理"]),
    ("国家副主席王岐山会见", D2024, ["国家副主席王岐山"]),
    # an office never held
    ("国务院总理习近平", D2024, ["国务院总理习近平"]),
    ("全国人大常委会委员长李强", D2024, ["全国人大常委会委员长李强"]),
    # right at that date
    ("国务院总理李克强出席会议", D2016, []),
    ("国务院总理李强主持会议", D2024, []),
    ("习近平总书记强调", D2024, []),
    ("中共中央政治局常委、国务院总理李强", D2024, []),
    ("国务院副总理丁薛祥", D2024, []),
    # written as former, or placed in its year
    ("时任国务院总理李克强", D2024, []),
    ("原国务院总理李克强同志", D2024, []),
    ("时任中共中央政治局常委、国务院总理李克强", D2024, []),
    ("2015年，国务院总理李克强考察广东", D2024, []),
    # a full date, or a year in which the office was held on some day (李克强 until 2023-03-11)
    ("2023年3月5日，国务院总理李克强作政府工作报告", D2024, []),
    ("2023年，国务院总理李克强作政府工作报告", D2024, []),
    ("2024年，国务院总理李克强考察广东", dt.date(2024, 12, 1), ["国务院总理李克强"]),
    # the year in Chinese numerals, as formal documents write it
    ("二〇一五年，国务院总理李克强考察广东", D2024, []),
    ("二O一九年五月，李克强总理来我省视察", D2024, []),
    ("二〇二四年，国务院总理李克强考察广东", dt.date(2024, 12, 1), ["国务院总理李克强"]),
    # an annual NPC/CPPCC session of his term (十四届一次: March 2023; 十三届五次: 2022)
    ("第十四届全国人民代表大会第一次会议听取和审议了国务院总理李克强所作的政府工作报告", D2024, []),
    ("十三届全国人大五次会议上，国务院总理李克强作政府工作报告", D2024, []),
    ("全国政协十三届五次会议开幕，国务院总理李克强出席", D2024, []),
    # a session after his term, or a standing committee session (many a year): judged
    ("十四届全国人大二次会议上，国务院总理李克强作政府工作报告", D2024, ["国务院总理李克强"]),
    # near a change of office: not judged
    ("国务院总理李克强", dt.date(2023, 3, 12), []),
    # a deputy's title is not the office it ends with (李鸿忠 is an NPC vice chairman)
    ("全国人大常委会副委员长李鸿忠出席", D2024, []),
    ("副委员长李鸿忠出席", D2024, []),
    ("全国人大常委会委员长李鸿忠出席", D2024, ["全国人大常委会委员长李鸿忠"]),
    # local officials and honorifics
    ("县政协李强主席主持会议", D2024, []),
    ("市总工会李强主席出席", D2024, []),
    ("全国政协李强主席出席", D2024, ["李强主席"]),
    ("李强主席出席", D2024, ["李强主席"]),
    ("村党支部书记李强", D2024, []),
    ("毛泽东主席说过", D2024, []),
    ("周恩来总理", dt.date(1978, 3, 1), []),
    # provincial add-on (Guangdong)
    ("广东省委书记李希", D2024, ["广东省委书记李希"]),
    ("广东省委书记黄坤明", D2024, []),
])
def test_leader_office(text, on, expected):
    assert flagged(CHECK, text, on) == expected


@pytest.mark.parametrize("text, suggestion", [
    ("国务院总理李克强出席会议", "时任国务院总理李克强"),
    ("李克强总理指出", "时任国务院总理李克强"),
    ("国务院总理习近平", "中共中央总书记习近平"),
    # no listed office to offer: no suggestion (it was the flagged text itself)
    ("国务院总理李干杰", None),
])
def test_suggestion(text, suggestion):
    (f,) = findings(CHECK, text, D2024)
    assert f.suggestion == suggestion


@pytest.mark.parametrize("sentence, years", [
    ("第十四届全国人民代表大会第一次会议", [2023]),
    ("十三届全国人大五次会议", [2022]),
    ("全国政协十四届二次会议", [2024]),
    ("中国人民政治协商会议第十二届全国委员会第一次会议", [2013]),
    ("第六届全国人民代表大会第一次会议", [1983]),
    ("十四届全国人大常委会第十次会议", []),  # the standing committee meets many times a year
])
def test_session_dates(sentence, years):
    from scanner.checks.wording.leader_office import session_dates

    assert sorted({d.year for d in session_dates(sentence)}) == years


# The leader files record changes up to their "# data_until:" line (2025-10-31); a text dated more
# than STALE_AFTER_DAYS (120) later may name an appointment the data does not know.
@pytest.mark.parametrize("text, on, severity, stale_note", [
    # an office the data never gave the person: veto while the data covers the date ...
    ("国家主席李强出席会议", dt.date(2025, 12, 1), "veto", False),
    ("国家主席李强出席会议", dt.date(2026, 2, 28), "veto", False),  # 120 days after 2025-10-31
    # ... an advisory that says why past it (today, 2026-11-27, judged with 2025-10 facts)
    ("国家主席李强出席会议", dt.date(2026, 3, 1), "advisory", True),
    ("国家主席李强出席会议", dt.date(2026, 11, 27), "advisory", True),
    ("全国人大常委会委员长李强", dt.date(2026, 11, 27), "advisory", True),
    # an office held and left within the data stays a veto: no later appointment undoes 2023
    ("国务院总理李克强出席会议", dt.date(2026, 11, 27), "veto", False),
    ("李克强总理指出", dt.date(2026, 11, 27), "veto", False),
])
def test_judged_past_the_data_says_so(text, on, severity, stale_note):
    (f,) = findings(CHECK, text, on)
    assert f.severity.value == severity
    assert ("数据截至 2025-10" in f.message) is stale_note


def test_data_until_is_read_from_the_leader_files(tmp_path, monkeypatch):
    from scanner.checks.wording.lexicon import data_until, load_leaders
    from scanner.errors import ResourceMissingError
    from scanner.resources import read_tsv

    assert data_until("leaders.tsv") == dt.date(2025, 10, 31)
    assert load_leaders("guangdong").data_until == dt.date(2025, 10, 31)
    # a leader file without the line fails loudly, naming it
    (tmp_path / "leaders.tsv").write_text("# no date\nname\toffice\trank\tstart\tend\tdate_basis\tsource\n", encoding="utf-8")
    monkeypatch.setenv("GOVSCAN_LEXICONS", str(tmp_path))
    read_tsv.cache_clear()
    try:
        with pytest.raises(ResourceMissingError, match="leaders.tsv.*data_until"):
            load_leaders(None)
    finally:
        monkeypatch.delenv("GOVSCAN_LEXICONS")
        read_tsv.cache_clear()
