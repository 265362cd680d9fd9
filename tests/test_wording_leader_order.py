import datetime as dt

import pytest

from scanner.checks.wording.leader_order import LeaderOrderCheck
from tests.wording_cases import findings, flagged

CHECK = LeaderOrderCheck()
D2024 = dt.date(2024, 6, 20)


@pytest.mark.parametrize("text, on, expected", [
    ("习近平、赵乐际、李强、王沪宁出席", D2024, ["习近平、赵乐际、李强、王沪宁"]),
    ("习近平、李强、赵乐际、王沪宁、蔡奇、丁薛祥、李希出席", D2024, []),
    ("李强同志、习近平同志", D2024, ["李强同志、习近平"]),
    # a roll in another order the text names (delegates by surname strokes): not the leadership's order
    ("十四届全国人大代表名单（按姓氏笔画排序）\n丁薛祥、王沪宁、李希、李强、赵乐际、蔡奇", D2024, []),
    ("出席会议的有（排名不分先后）：李希、蔡奇", D2024, []),
    ("李希、蔡奇陪同考察", D2024, ["李希、蔡奇"]),
    # the 19th standing committee in 2019
    ("习近平、李克强、栗战书、汪洋、王沪宁、赵乐际、韩正", dt.date(2019, 6, 1), []),
    ("习近平、李克强、汪洋、栗战书", dt.date(2019, 6, 1), ["习近平、李克强、汪洋、栗战书"]),
    # vice premiers in government order, not stroke order
    ("国务院副总理丁薛祥、何立峰、张国清、刘国中", D2024, []),
    ("国务院副总理丁薛祥、张国清、何立峰", D2024, ["丁薛祥、张国清、何立峰"]),
    # historical lists and people not in the leadership at that date
    ("毛泽东、邓小平、江泽民", D2024, []),
    ("江泽民、胡锦涛、习近平", D2024, []),
    # not a list
    ("习近平在会见李强时", D2024, []),
])
def test_leader_order(text, on, expected):
    assert flagged(CHECK, text, on) == expected


def test_suggestion_is_the_reordered_span():
    (f,) = findings(CHECK, "习近平、赵乐际、李强出席", D2024)
    assert f.suggestion == "习近平、李强、赵乐际"
