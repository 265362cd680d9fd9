"""wording.misspelling: misspellings of government vocabulary from lexicons/misspellings.tsv,
advisory unless on a leader name or formulation; near-misses where two words meet."""
import datetime as dt

import pytest

from scanner.checks.wording.misspelling import MisspellingCheck, get_misspellings
from scanner.findings import Finding, Severity, merge_findings
from scanner.resources import read_tsv
from tests.wording_cases import findings, flagged

CHECK = MisspellingCheck()


@pytest.mark.parametrize("text, expected", [
    # the misspellings the wording model missed (same reading)
    ("各地要切实做好防讯工作", ["防讯"]),
    ("进一步改进工作做风", ["做风"]),
    ("坚决反对形式主义和官僚主意", ["官僚主意"]),
    ("坚绝打赢脱贫攻坚战", ["坚绝"]),
    # traditional characters are read as simplified
    ("做好防訊工作", ["防訊"]),
    # near-misses: the right words, two words meeting at the span, a dictionary word holding it
    ("各地要切实做好防汛工作，改进工作作风，坚决反对官僚主义", []),
    ("开展风险评估时要做风险提示", []),  # 做|风险
    ("这被称做风景", []),  # 称做|风景
    ("他出了个好主意", []),
    ("看一下内容", []),
])
def test_misspelling(text, expected):
    assert flagged(CHECK, text) == expected


def test_finding_names_the_word_and_is_advisory():
    (f,) = findings(CHECK, "各地要切实做好防讯工作")
    assert f.suggestion == "防汛" and f.severity is Severity.ADVISORY
    assert f.indicator == "提示·疑似错别字" and "防汛" in f.message and f.action
    assert "lexicons/misspellings.tsv" in f.explanation


@pytest.mark.parametrize("text, wrong", [
    # 一国两制 is a formulation whose near-matches wording.formulation leaves alone (short, ambiguous):
    # a listed misspelling that the correction turns into it falls on it
    ("坚持一国两利方针", "一国两利"),
])
def test_veto_when_the_correction_writes_a_formulation(text, wrong):
    assert wrong in get_misspellings().rows
    (f,) = findings(CHECK, text)
    assert text[f.start:f.end] == wrong and f.severity is Severity.VETO
    assert f.indicator == "单项否决·严重表述错误" and "一国两制" in f.message


def test_rows_are_sourced_and_never_a_right_word():
    rows = read_tsv("misspellings.tsv")
    assert len(rows) > 1000
    rights = {r["right"] for r in rows}
    assert all(r["source"] in ("error-pair", "same-reading", "ecspell-list") for r in rows)
    assert all(int(r["right_count"]) >= 100 for r in rows if r["source"] != "ecspell-list")
    assert not any(r["wrong"] in rights for r in rows)
    assert all(len(r["wrong"]) == len(r["right"]) and sum(a != b for a, b in zip(r["wrong"], r["right"])) == 1
               for r in rows if r["source"] != "ecspell-list")


def test_model_flag_inside_a_misspelling_is_merged():
    def make(code, start, end, severity):
        return Finding(id=code, code=code, category="wording", severity=severity, indicator="", start=start, end=end,
                       excerpt="", message="", suggestion=None, score=1.0, explanation="")

    merged = merge_findings([make("wording.misspelling", 6, 8, Severity.ADVISORY),
                             make("wording.classifier", 7, 8, Severity.ADVISORY),
                             make("wording.classifier", 12, 13, Severity.ADVISORY)])
    assert [(f.code, f.start) for f in merged] == [("wording.misspelling", 6), ("wording.classifier", 12)]


def test_misspelling_inside_a_lexicon_veto_is_merged():
    def make(code, start, end, severity):
        return Finding(id=code, code=code, category="wording", severity=severity, indicator="", start=start, end=end,
                       excerpt="", message="", suggestion=None, score=1.0, explanation="")

    # 全过程人民明主: wording.formulation's veto covers the list's 明主 -> 民主
    merged = merge_findings([make("wording.formulation", 2, 9, Severity.VETO),
                             make("wording.misspelling", 7, 9, Severity.VETO)])
    assert [f.code for f in merged] == ["wording.formulation"]


@pytest.mark.parametrize("text, expected", [
    # what the words around a listed wrong form make it (false alarms on 学习强国 and People's Daily):
    # a country's party in a clause of diplomacy
    ("中方愿同德方一道努力，继续做大做实中德合作", []),
    ("希望德方保持开放，为两国企业扩大合作", []),
    ("中方愿同印方探讨简化各类手续", []),
    # ... but not without one: 德方政府 is 地方政府 misspelt
    ("德方政府要落实属地责任", ["德方", "德方政府"]),
    # a repeated pattern of two-character units
    ("如果试点工作不敢真闯真试，搞形式主义", []),
    ("切实做到知责知重、敢管真管", []),
    ("做到见人见事见思想", []),
    # ... but not a word's neighbour (农村), a name's end (以色列) or a numeral
    ("及时报告所在地县级人民政府农亚农村主管部门", ["农亚"]),
    ("同以色列建列正常关系", ["建列"]),
    ("全套设备，二市二万伏的高压变压器", ["二市"]),
    ("工业总产值达到了一百三势三亿七千万元", ["势三"]),
    # a count: digits before a measure word
    ("各类培训班1700余期，培训学员10万余人", []),
    ("乌海市现有2家城镇污水处理厂", []),
    # ... Chinese numerals are no count (一部分, 少数民族 misspelt)
    ("国防工业的一部兮生产能力", ["一部兮"]),
    ("对于少数名族地区的支出", ["少数名族"]),
    # a person's name after a title or before a speech verb
    ("最高人民检察院检察长应勇，全国政协副主席", []),
    ("沂河新区党工委书记苟宏水说。", []),
    ("“无法作业。”范卫华说。", []),
    # ... not a title that is no title (增长, 代表 as a verb), nor a name running into a word
    ("劳动报酬增长和芬动生产率提高同步", ["芬动"]),
    ("我代表国物院，向全国各族人民致以问候", ["国物院"]),
    ("落实“米袋子”省长符责制和“菜篮子”市长负责制", ["符责", "符责制"]),
    # a longer word of jieba's dictionary holding the span
    ("摇摆不定、进退失据的问题", []),
    ("经过拉网式搜救", []),
])
def test_other_readings(text, expected):
    assert flagged(CHECK, text) == expected
