import datetime as dt

import pytest

from scanner.checks.wording.formulation import FormulationCheck
from tests.wording_cases import findings, flagged

CHECK = FormulationCheck()


@pytest.mark.parametrize("text, expected", [
    # confusable substitution in long formulations (anchor + verification)
    ("实现中华民族伟大复新", ["中华民族伟大复新"]),
    ("习近平新时代中国特色社会主意思想", ["习近平新时代中国特色社会主意思想"]),
    ("构建人类命运共同提", ["人类命运共同提"]),
    ("发展全过程人民民煮", ["全过程人民民煮"]),
    # missing, extra, swapped characters
    ("实现中华民族伟复兴", ["中华民族伟复兴"]),
    ("构建人类命命运共同体", ["人类命命运共同体"]),
    ("推动构建人类运命共同体", ["人类运命共同体"]),
    # short formulations (explicit variants)
    ("坚定四个自新", ["四个自新"]),
    ("增强三个意识", ["三个意识"]),
    # exact, and near-misses that must not fire
    ("以习近平新时代中国特色社会主义思想为指导", []),
    ("实现中华民族的伟大复兴", []),
    ("中国特色社会主义进入新时代", []),
    ("中非命运共同体", []),
    ("四个意识、四个自信", []),
    ("推进中国现代化建设", []),  # stop-listed: a phrase of its own
    # a short term's variant that ends inside a word of the text (大型): not the term
    ("计划建成南湾、薄山、佛子岭、梅山等四个大型水库", []),
    ("牢记四个大，推进伟大斗争", ["四个大"]),
    ("“一带一路”", []),
    # a count one off that defines its own list (no canonical member in it): the text's own list
    ("树立“三个意识”：安全意识、服务意识、责任意识", []),
    ("增强三个意识，即服务意识、质量意识、效率意识", []),
    # ... a list sharing canonical members is the formulation miscounted
    ("坚定“三个自信”：道路自信、理论自信、制度自信", ["三个自信"]),
    ("增强“五个意识”", ["五个意识"]),
    # N位一体 is coined freely (六位一体工作格局), not 五位一体 miscounted
    ("构建“六位一体”的城市形态", []),
    # 习近平…社会主义思想 with two or more characters of 新时代中国特色 missing (beyond one edit: unseen)
    ("全面贯彻习近平中国特色社会主义思想", ["习近平中国特色社会主义思想"]),
    ("坚持以习近平新时代特色社会主义思想为指导", ["习近平新时代特色社会主义思想"]),
    ("深入学习习近平社会主义思想", ["习近平社会主义思想"]),
    ("学习习近平新时代社会主义思想", ["习近平新时代社会主义思想"]),
    # one character missing: the near-match, reported once
    ("学习习近平新时代中国特社会主义思想", ["习近平新时代中国特社会主义思想"]),
    # his other thoughts, and the exact name, must not fire
    ("深入学习贯彻习近平经济思想、习近平法治思想、习近平生态文明思想", []),
    ("习近平新时代中国特色社会主义思想学习纲要", []),
    ("新时代中国特色社会主义思想", []),
    # 以习近平同志为核心的党中央: a confusable for 志, and 总书记 or nothing in place of 同志
    ("以习近平同治为核心的党中央", ["以习近平同治为核心的党中央"]),
    ("在以习近平总书记为核心的党中央坚强领导下", ["以习近平总书记为核心的党中央"]),
    ("紧密团结在以习近平为核心的党中央周围", ["以习近平为核心的党中央"]),
    ("在以习近平同志为核心的党中央坚强领导下", []),
    ("习近平总书记为核心的党中央", []),  # no 以: not the formulation's frame
])
def test_formulation(text, expected):
    assert flagged(CHECK, text) == expected


def test_not_before_the_formulation_existed():
    assert flagged(CHECK, "全过程人民民煮", dt.date(2015, 1, 1)) == []
    assert flagged(CHECK, "习近平中国特色社会主义思想", dt.date(2016, 1, 1)) == []


def test_a_thought_missing_its_qualifier_gets_the_full_name():
    (f,) = findings(CHECK, "全面贯彻习近平中国特色社会主义思想")
    assert f.suggestion == "习近平新时代中国特色社会主义思想"
    assert "漏字" in f.message and f.action


def test_the_core_formulation_with_a_title_for_tongzhi():
    (f,) = findings(CHECK, "在以习近平总书记为核心的党中央坚强领导下")
    assert f.suggestion == "以习近平同志为核心的党中央"
    assert "称谓不规范" in f.message
    assert flagged(CHECK, "以习近平总书记为核心的党中央", dt.date(2016, 1, 1)) == []


def test_suggestion():
    (f,) = findings(CHECK, "实现中华民族伟大复新")
    assert f.suggestion == "中华民族伟大复兴"
    assert f.severity.value == "veto"


def test_a_misspelled_name_inside_a_formulation_is_left_to_the_name_check():
    from scanner.checks.wording.leader_name import LeaderNameCheck

    text = "深入学习贯彻习进平新时代中国特色社会主义思想"
    assert flagged(CHECK, text) == []
    assert flagged(LeaderNameCheck(), text) == ["习进平"]


@pytest.mark.parametrize("text, expected", [
    # a near reading the confusion sources lack (fuzzy pinyin: in/ing, z/zh, an/ang, s/sh, n/l, h/f)
    # in a long formulation whose other characters are exact
    ("发展全过程人民明主", ["全过程人民明主"]),
    ("发展全过程人民民祖", ["全过程人民民祖"]),
    ("践行社会主义核心价值关", ["社会主义核心价值关"]),
    ("推进国家治理体系和治理能历现代化", ["国家治理体系和治理能历现代化"]),
    ("推动构建人类命运共同题", ["人类命运共同题"]),
    # near-misses: a different reading is no slip; short terms keep the confusion table only
    ("发展全过程人民自主", []),
    ("全过程人民监督", []),
    ("四个意思", []),
])
def test_near_reading_in_long_formulations(text, expected):
    assert flagged(CHECK, text) == expected


@pytest.mark.parametrize("a, b, near", [
    ("民", "明", True), ("主", "祖", True), ("观", "关", True), ("力", "历", True), ("体", "题", True),
    ("民", "自", False), ("民", "民", False), ("主", "a", False),
])
def test_near_sound(a, b, near):
    from scanner.checks.wording.variants import near_sound

    assert near_sound(a, b) is near


@pytest.mark.parametrize("text, expected", [
    # a key word of a counted formulation replaced by another word (no typing slip: 拥/维), where it
    # stands as a formulation: quoted, beside another counted formulation written exactly
    ("增强“四个意识”、坚定“四个自信”、做到“两个拥护”。", ["两个拥护"]),
    ("深刻领悟“两个树立”的决定性意义，增强“四个意识”", ["两个树立"]),
    ("坚定“四个自觉”，坚决做到“两个维护”", ["四个自觉"]),
    # near-misses: alone, unquoted, its own list, a counted phrase of clean text, the right wording
    ("坚决做到“两个拥护”。", []),
    ("增强“四个意识”，做到两个拥护", []),
    ("增强“四个意识”，坚持“两个拥护”：拥护中国共产党的领导、拥护社会主义制度。", []),
    ("增强“四个意识”、坚定“四个自信”，做好“四个方面”工作", []),
    ("增强“四个意识”、坚定“四个自信”、做到“两个维护”。", []),
    ("增强“四个意识”。做到“两个拥护”", []),  # another sentence
])
def test_counted_formulation_with_another_word(text, expected):
    assert flagged(CHECK, text) == expected


def test_counted_formulation_with_another_word_message():
    (f,) = findings(CHECK, "增强“四个意识”、坚定“四个自信”、做到“两个拥护”。")
    assert f.suggestion == "两个维护" and "用词错误" in f.message and f.severity.value == "veto"


@pytest.mark.parametrize("text, on, expected", [
    # 两个一百年 was no formulation of the lexicon: 两格一百年 was only an advisory misspelling
    ("也是实现“两格一百年”奋斗目标的关键一招", dt.date(2024, 6, 20), ["两格一百年"]),
    ("为实现两个百年奋斗目标而努力", dt.date(2024, 6, 20), ["两个百年"]),
    ("为实现两个一百年奋斗目标而努力", dt.date(2024, 6, 20), []),
    ("建党一百年、新中国成立一百年", dt.date(2024, 6, 20), []),
])
def test_two_centenary_goals(text, on, expected):
    assert flagged(CHECK, text, on) == expected
