import datetime as dt

import pytest

from scanner.checks.wording.formulation_members import FormulationMembersCheck
from tests.wording_cases import findings, flagged

CHECK = FormulationMembersCheck()
D2024 = dt.date(2024, 6, 20)


@pytest.mark.parametrize("text, on, expected", [
    # missing member
    ("坚定四个自信，即道路自信、理论自信、制度自信。", D2024, ["道路自信、理论自信、制度自信"]),
    # wrong order
    ("坚定“四个自信”，即道路自信、理论自信、文化自信、制度自信", D2024, ["道路自信、理论自信、文化自信、制度自信"]),
    ("树牢四个意识，即政治意识、大局意识、看齐意识、核心意识。", D2024, ["政治意识、大局意识、看齐意识、核心意识"]),
    ("坚持创新、绿色、协调、开放、共享的新发展理念", D2024, ["创新、绿色、协调、开放、共享"]),
    # wrong member
    ("坚定四个自信：道路自信、理论自信、制度自信、实践自信", D2024, ["道路自信、理论自信、制度自信、实践自信"]),
    # two-member enumerations separated by ，
    ("做到两个维护，即坚决维护党中央权威和集中统一领导，坚决维护习近平总书记党中央的核心、全党的核心地位", D2024,
     ["坚决维护党中央权威和集中统一领导，坚决维护习近平总书记党中央的核心、全党的核心地位"]),
    # a fixed sequence without its count term
    ("统筹推进经济建设、政治建设、社会建设、文化建设、生态文明建设", D2024, ["经济建设、政治建设、社会建设、文化建设、生态文明建设"]),
    # date-dependent members: 四个全面 before and after 2020-10-29
    ("四个全面，即全面建成小康社会、全面深化改革、全面依法治国、全面从严治党", dt.date(2018, 1, 1), []),
    ("四个全面，即全面建成小康社会、全面深化改革、全面依法治国、全面从严治党", D2024,
     ["全面建成小康社会、全面深化改革、全面依法治国、全面从严治党"]),
    # the layout's name between the term and its list (the list was not read)
    ("统筹推进“五位一体”总体布局：经济建设、政治建设、文化建设、生态文明建设。", D2024,
     ["经济建设、政治建设、文化建设、生态文明建设"]),
    ("协调推进“四个全面”战略布局，即全面建成小康社会、全面深化改革、全面依法治国、全面从严治党。", D2024,
     ["全面建成小康社会、全面深化改革、全面依法治国、全面从严治党"]),
    ("五位一体总体布局，即经济建设、政治建设、社会建设、文化建设、生态文明建设", D2024,
     ["经济建设、政治建设、社会建设、文化建设、生态文明建设"]),
    # a list without its count term: a member one confusable character (or a swap) from the one
    # the list lacks, after or before the others (it was not a member, so the run ended there)
    ("牢固树立政治意识、大局意识、核心意识、看起意识，切实增强“四个意识”。", D2024, ["政治意识、大局意识、核心意识、看起意识"]),
    ("坚定道路自信、理论自信、制度自信、文华自信", D2024, ["道路自信、理论自信、制度自信、文华自信"]),
    ("增强看起意识、政治意识、大局意识、核心意识", D2024, ["看起意识、政治意识、大局意识、核心意识"]),
    # ... not another word of the same pattern, nor a list of the text's own
    ("增强政治意识、大局意识、核心意识、看齐意识", D2024, []),
    ("增强政治意识、大局意识、核心意识、责任意识", D2024, []),
    ("树立政治意识、大局意识、服务意识", D2024, []),
    # right, and near-misses that must not fire
    ("统筹推进“五位一体”总体布局：经济建设、政治建设、文化建设、社会建设、生态文明建设。", D2024, []),
    ("协调推进“四个全面”战略布局，即全面建设社会主义现代化国家、全面深化改革、全面依法治国、全面从严治党。", D2024, []),
    ("协调推进“四个全面”战略布局，即全面建成小康社会、全面深化改革、全面依法治国、全面从严治党。", dt.date(2018, 1, 1), []),
    ("统筹推进“五位一体”总体布局、协调推进“四个全面”战略布局，推动高质量发展", D2024, []),
    ("坚定“四个自信”，即道路自信、理论自信、制度自信、文化自信。", D2024, []),
    ("坚定道路自信、理论自信、制度自信、文化自信", D2024, []),
    ("坚持创新、协调、绿色、开放、共享的新发展理念", D2024, []),
    ("中国坚持创新、协调、绿色、开放、共享的新发展理念", D2024, []),
    ("增强“四个意识”、坚定“四个自信”、做到“两个维护”", D2024, []),
    ("纠治“四风”特别是形式主义、官僚主义", D2024, []),
    ("坚持“两个毫不动摇”，鼓励、支持、引导非公有制经济发展。", D2024, []),
    ("道路自信、理论自信等", D2024, []),
    ("加强党的政治建设、思想建设、组织建设", D2024, []),
])
def test_formulation_members(text, on, expected):
    assert flagged(CHECK, text, on) == expected


def test_misspelt_member_suggestion():
    (f,) = findings(CHECK, "牢固树立政治意识、大局意识、核心意识、看起意识，切实增强“四个意识”。", D2024)
    assert f.suggestion == "政治意识、大局意识、核心意识、看齐意识"
    assert "成员错误" in f.message


def test_suggestion_restores_the_fixed_order():
    (f,) = findings(CHECK, "坚定“四个自信”，即道路自信、理论自信、文化自信、制度自信", D2024)
    assert f.suggestion == "道路自信、理论自信、制度自信、文化自信"
