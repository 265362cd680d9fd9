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


@pytest.mark.parametrize("text, expected", [
    # the top leader's titles out of their fixed order (Party, state, army)
    ("国家主席、中共中央总书记、中央军委主席习近平签署命令", ["国家主席、中共中央总书记、中央军委主席"]),
    ("中共中央总书记、中央军委主席、国家主席习近平出席", ["中共中央总书记、中央军委主席、国家主席"]),
    ("中央军委主席、中共中央总书记习近平", ["中央军委主席、中共中央总书记"]),
    ("中华人民共和国主席、中共中央总书记习近平", ["中华人民共和国主席、中共中央总书记"]),
    # in order, or not before a leader's name
    ("中共中央总书记、国家主席、中央军委主席习近平签署命令", []),
    ("国家主席、中央军委主席习近平", []),
    ("他先后担任国家主席、中共中央总书记等职务", []),
    ("中央军委主席、国家主席等职务由全国人大选举产生", []),
])
def test_top_leader_titles_order(text, expected):
    assert flagged(CHECK, text, D2024) == expected


def test_top_leader_titles_suggestion():
    (f,) = findings(CHECK, "国家主席、中共中央总书记、中央军委主席习近平签署命令", D2024)
    assert f.suggestion == "中共中央总书记、国家主席、中央军委主席"
    assert f.severity.value == "veto" and "职务排序" in f.message and f.action
