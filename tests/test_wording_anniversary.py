import datetime as dt

import pytest

from scanner.checks.wording.anniversary import AnniversaryCheck
from tests.wording_cases import findings, flagged

CHECK = AnniversaryCheck()
D2022 = dt.date(2022, 7, 1)


@pytest.mark.parametrize("text, on, expected", [
    ("今年是建党100周年", D2022, ["建党100周年"]),
    ("今年是建党101周年", D2022, []),
    ("庆祝新中国成立73周年", dt.date(2022, 9, 20), []),
    ("今年是新中国成立72周年", dt.date(2022, 9, 20), ["新中国成立72周年"]),
    ("在中国共产党成立一百周年之际", dt.date(2021, 7, 1), []),
    ("在中国共产党成立一百零二周年之际", dt.date(2021, 7, 1), ["中国共产党成立一百零二周年"]),
    # forward-looking: one more is fine
    ("即将迎来新中国成立74周年", dt.date(2022, 12, 1), []),
    ("明年是建党102周年", D2022, []),
    # looking back (a report reviewing last year), or a year in the clause
    ("我们隆重庆祝中华人民共和国成立75周年", dt.date(2025, 3, 5), []),
    ("去年，我们庆祝了建党100周年", D2022, []),
    ("2019年是新中国成立70周年", D2022, []),
    # two off is wrong whatever the wording
    ("隆重庆祝改革开放40周年", D2022, ["改革开放40周年"]),
    # other anniversaries are not judged (建交)
    ("今年是中匈建交70周年", D2022, []),
    # the name of a meeting held for an anniversary, cited years later: not judged without a year
    ("认真学习习近平总书记在庆祝改革开放40周年大会上的重要讲话精神", dt.date(2026, 11, 27), []),
    ("习近平总书记在纪念毛泽东同志诞辰130周年座谈会上的讲话", dt.date(2026, 11, 27), []),
    # ... judged with a year in the clause, or with a present marker
    ("2018年12月18日，习近平总书记在庆祝改革开放45周年大会上发表重要讲话", dt.date(2026, 11, 27), ["改革开放45周年"]),
    ("今年将隆重召开庆祝中国共产党成立100周年大会", dt.date(2026, 11, 27), ["中国共产党成立100周年"]),
    # a year in Chinese numerals is a year in the clause
    ("一九三九年五月，五四运动二十周年之际，党中央首次举行纪念活动", dt.date(2026, 11, 27), []),
    ("二〇二一年七月一日，我们隆重庆祝中国共产党成立100周年", dt.date(2026, 11, 27), []),
    ("二〇二一年是建党98周年", dt.date(2026, 11, 27), ["建党98周年"]),
    # a past year not named (当年, 那年) or a celebration told as done (庆祝了): any earlier anniversary
    ("特别是我们庆祝了改革开放40周年，总结了改革开放的成就", dt.date(2026, 11, 27), []),
    ("当年正值新中国成立60周年，全市举办了系列活动", dt.date(2026, 11, 27), []),
    ("那年是香港回归祖国20周年", dt.date(2026, 11, 27), []),
    # ... but not a later one, nor with the text's own year
    ("我们庆祝了改革开放50周年", dt.date(2026, 11, 27), ["改革开放50周年"]),
    ("今年我们庆祝了新中国成立75周年", dt.date(2026, 11, 27), ["新中国成立75周年"]),
    # another country's, party's or place's anniversary with a generic alias (建国, 建党, 建军 …)
    ("习近平致电祝贺朝鲜建国75周年", dt.date(2023, 9, 9), []),
    ("新加坡建国60周年国庆庆典", dt.date(2025, 8, 9), []),
    ("越南共产党建党95周年", dt.date(2025, 7, 1), []),
    ("蒙古人民共和国成立100周年", dt.date(2024, 10, 1), []),
    ("朝鲜人民军建军92周年", dt.date(2024, 10, 1), []),
    ("海南经济特区建立35周年", dt.date(2023, 4, 13), []),
    # ... China's still judged
    ("庆祝中国建国70周年", dt.date(2024, 10, 1), ["建国70周年"]),
    ("庆祝共和国成立70周年", dt.date(2024, 10, 1), ["共和国成立70周年"]),
    ("今年是建党100周年", dt.date(2022, 7, 1), ["建党100周年"]),
    # 前年 is two years back
    ("前年，我们隆重庆祝了中华人民共和国成立75周年", dt.date(2026, 11, 27), []),
    ("前年，我们隆重庆祝了中华人民共和国成立70周年", dt.date(2026, 11, 27), ["中华人民共和国成立70周年"]),
])
def test_anniversary(text, on, expected):
    assert flagged(CHECK, text, on) == expected


def test_suggestion_keeps_the_numeral_style():
    (f,) = findings(CHECK, "在中国共产党成立一百零二周年之际", dt.date(2021, 7, 1))
    assert f.suggestion == "中国共产党成立一百周年"
    (f,) = findings(CHECK, "今年是建党100周年", D2022)
    assert f.suggestion == "建党101周年"


@pytest.mark.parametrize("text, on, suggestion", [
    # looking forward, the suggestion is the next anniversary: this year's while its day is ahead
    ("以优异成绩迎接中华人民共和国成立70周年", dt.date(2022, 6, 20), "中华人民共和国成立73周年"),
    ("以优异成绩迎接中华人民共和国成立70周年", dt.date(2022, 10, 8), "中华人民共和国成立74周年"),
    ("明年是建党105周年", D2022, "建党102周年"),
    ("即将迎来新中国成立80周年", dt.date(2022, 12, 1), "新中国成立74周年"),
    # present or unmarked: the year's difference
    ("今年是建党99周年", D2022, "建党101周年"),
    ("隆重庆祝改革开放40周年", D2022, "改革开放44周年"),
    # looking back: last year's (去年) or the year before's (前年) anniversary
    ("去年，我们隆重庆祝了中华人民共和国成立75周年", dt.date(2026, 11, 27), "中华人民共和国成立76周年"),
    ("前年，我们隆重庆祝了中华人民共和国成立70周年", dt.date(2026, 11, 27), "中华人民共和国成立75周年"),
])
def test_suggestion_is_the_anniversary_meant(text, on, suggestion):
    (f,) = findings(CHECK, text, on)
    assert f.suggestion == suggestion


def test_message_names_the_year_meant():
    (f,) = findings(CHECK, "去年，我们隆重庆祝了中华人民共和国成立75周年", dt.date(2026, 11, 27))
    assert "去年（2025年）" in f.message


def test_alias_check_is_quiet_and_uses_the_project_tokenizer():
    """The first anniversary alias of a review built jieba's default dictionary: 3 s and four
    log lines ("Building prefix dict …") on the editor's terminal."""
    import subprocess
    import sys

    code = ("import datetime as dt, jieba\n"
            "from scanner.checks.wording.anniversary import names_another\n"
            "assert names_another('今年是朝鲜建国78周年', 5)\n"
            "assert not jieba.dt.initialized\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
