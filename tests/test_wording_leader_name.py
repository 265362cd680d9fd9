import datetime as dt

import pytest

from scanner.checks.wording.leader_name import LeaderNameCheck
from scanner.findings import Severity
from tests.wording_cases import findings, flagged

CHECK = LeaderNameCheck()


@pytest.mark.parametrize("text, expected", [
    # same-sound / similar-shape character
    ("深入学习贯彻习进平新时代中国特色社会主义思想", ["习进平"]),
    ("习近萍总书记强调", ["习近萍"]),
    ("赵乐记委员长出席", ["赵乐记"]),
    ("王沪生同志讲话", []),  # 生 is not confusable with 宁: not a variant
    ("王护宁同志讲话", ["王护宁"]),
    # missing, extra, swapped character (3-character names)
    ("习近近平总书记", ["习近近平"]),
    ("习平近总书记指出", ["习平近"]),
    ("国务院总理李克墙", ["李克墙"]),
    # 2-character names need leader context
    ("国务院总理李墙出席", ["李墙"]),
    ("李墙总理强调", ["李墙"]),
    ("习近平、李墙、赵乐际等出席", ["李墙"]),
    # a central title whose holders are not all listed still makes a 2-character name a leader's
    ("中央纪委书记李西出席会议", ["李西"]),
    ("中共中央政治局常委、中央纪委书记李西出席", ["李西"]),
    ("中央书记处书记菜奇出席会议", ["菜奇"]),
    ("中央纪委书记李希出席会议", []),
    ("市纪委书记李西主持会议", []),  # a local office: no leader context
    ("县委书记处书记菜奇", []),
    # similar shapes the confusion sources lack (平/乎, 乐/东), added by hand
    ("习近乎总书记强调", ["习近乎"]),
    ("全国人大常委会委员长赵东际出席开幕式", ["赵东际"]),
    ("学生的学习近乎停滞", []),  # 学习 + 近乎: stop-listed, reported only with leader context

    # evasions: traditional characters, zero-width, spaces and dots inside the name
    ("習進平同志", ["習進平"]),
    ("习\u200b进平同志", ["习\u200b进平"]),
    ("习 近 萍", ["习 近 萍"]),
    ("习·近萍", ["习·近萍"]),
    ("ＸＸ习近萍", ["习近萍"]),
    # near-misses that must not fire
    ("习近平总书记强调", []),
    ("李强强调，要坚持稳中求进", []),
    ("村党支部书记李强带领群众", []),
    ("他的学习能力强", []),
    ("学习平台上线", []),
    ("沪宁高速公路", []),
    ("学习习近平新时代中国特色社会主义思想", []),
    ("《习近平谈治国理政》第四卷", []),
    ("汪洋大海", []),
    ("李　强", []),
    ("刘鹤、王毅", []),
    ("大力推进", []),  # 大力 is a stop-listed variant of 尹力
    # a character ending one word plus a leader's given name as the next word (People's Daily)
    ("联合国强调各方应保持克制", []),  # 合国强 ~ 贺国强
    ("该市堪称全国文明城市的典范", []),  # 称全国 ~ 陈全国
    ("改称全国学生（青年）运动会后的首届体育盛会", []),
    ("举办一场全国性的技能大赛", []),
    ("市民可前往沪宁两地", []),  # 往沪宁 ~ 王沪宁
    ("杭州西湖锦涛园开放", []),  # 湖锦涛 ~ 胡锦涛
    # ... while the misspelled name standing as its own words is still reported, with context too
    ("会议由合国强主持", ["合国强"]),
    ("称全国出席会议并讲话", ["称全国"]),
    ("湖锦涛总书记视察", ["湖锦涛"]),
])
def test_leader_name(text, expected):
    assert flagged(CHECK, text) == expected


def test_suggestion_severity_indicator():
    (f,) = findings(CHECK, "学习习进平讲话")
    assert f.suggestion == "习近平"
    assert f.severity is Severity.VETO
    assert f.indicator == "单项否决·严重表述错误"
    assert "习近平" in f.message and f.explanation


def test_offsets_through_traditional_and_zero_width():
    text = "前文。\u200b學習習\u200b進平講話"
    (f,) = findings(CHECK, text, dt.date(2023, 1, 1))
    assert text[f.start:f.end] == "習\u200b進平"


@pytest.mark.parametrize("text, expected", [
    # a verb plus the rest of a name, closing its clause, is a phrase (向贫困立战书), not the name
    ("各级党委要向贫困立战书，打赢脱贫攻坚战。", []),
    ("我们要向污染立下军令状、立战书。", []),
    ("敢于向顽疾立战书", []),
    # ... while the misspelled name in a sentence about him still fires
    ("全国人大常委会委员长粟战书出席会议。", ["粟战书"]),
    ("粟战书同志在会上讲话。", ["粟战书"]),
    ("委员长立战书出席会议", ["立战书"]),  # after a title: context reports it
    ("立战书同志指出", ["立战书"]),  # 同志 after it
    ("会议由合国强主持", ["合国强"]),  # before its predicate: a name's place
])
def test_verb_object_phrase_is_not_a_name(text, expected):
    assert flagged(CHECK, text, dt.date(2020, 6, 1)) == expected


@pytest.mark.parametrize("text, expected", [
    # a misspelt 3+ character title right after a leader's name
    ("深入学习贯彻习近平总书计重要讲话精神", ["总书计"]),
    ("习近平总数记指出", ["总数记"]),
    ("习近平总书纪强调", ["总书纪"]),
    # near-misses: correct titles, 2-character titles (主持 is a verb), no leader before it
    ("深入学习贯彻习近平总书记重要讲话精神", []),
    ("习近平主持召开会议", []),
    ("李强总理主持国务院常务会议", []),
    ("区委总书计", []),
    ("赵乐际委员长出席", []),
])
def test_misspelt_title_after_a_leader_name(text, expected):
    assert flagged(CHECK, text) == expected


def test_misspelt_title_suggestion():
    (f,) = findings(CHECK, "习近平总书计重要讲话")
    assert f.suggestion == "总书记" and f.severity is Severity.VETO and "总书计" in f.message
    assert "称谓" in f.action  # not "更正为领导人规范姓名": the name is right


@pytest.mark.parametrize("text, expected", [
    # ordinary people whose names are one character from a leader's: not the leader
    ("拟表彰人员：刘国忠、王小红、张国青、李书雷。", []),
    ("经研究，同意刘国忠同志任区教育局局长。", []),
    ("村民王小红家中发生火灾。", []),
    ("申请人：陈文庆，联系电话见附件。", []),
    ("感谢王晓洪女士的捐赠。", []),
    # ... while the misspelt leader's name still fires: beside leaders, titles, phrases, alone
    ("习进平、李强出席会议。", ["习进平"]),
    ("以习进平同志为核心的党中央", ["习进平"]),
    ("中共中央总书记习进平", ["习进平"]),
    ("习进平强调，要坚持稳中求进。", ["习进平"]),
    ("习进平同志任中共中央总书记。", ["习进平"]),
    ("国务委员王小红出席", ["王小红"]),
    ("坚持以马列主义、毛慑东思想、邓小平理论为指导", ["毛慑东"]),  # a leader's phrase after it
    ("要以徐才蚵、谷俊山案件为反面教材", ["徐才蚵"]),  # a list of two, not of names
    ("国家发展和改革委员会主任阖立峰", ["阖立峰"]),  # a ministry's 主任
    # a roll of people: a table cell or numbered item of its own (tab, Markdown |, 1. / （1）)
    ("序号\t姓名\t单位\n1\t刘国忠\t区教育局\n2\t王小红\t区卫健局", []),
    ("| 1 | 张国青 | 某街道 |", []),
    ("1.刘国忠（区教育局）\n（2）王小红", []),
    # ... a name alone on a line, or at a line's start before a note, is not a roll
    ("习进平\n", ["习进平"]),
    ("习进平（中共中央总书记）", ["习进平"]),
])
def test_another_person_of_a_near_name(text, expected):
    assert flagged(CHECK, text, dt.date(2026, 6, 1)) == expected
