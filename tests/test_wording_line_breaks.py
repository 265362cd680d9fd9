"""A single line break inside a leader's name or a formulation (hard-wrapped text: PDF lines, a
<br> in a CMS body) does not hide an error, offsets slice the original text through it, and lines
that are a roll, a heading or another paragraph are not joined into false alarms."""
import datetime as dt

import pytest

from scanner.checks.wording.formulation import FormulationCheck
from scanner.checks.wording.leader_name import LeaderNameCheck
from scanner.checks.wording.leader_office import LeaderOfficeCheck
from scanner.checks.wording.leader_order import LeaderOrderCheck
from scanner.checks.wording.lexicon import scan_document
from tests.wording_cases import document, flagged

NAME, FORM, OFFICE, ORDER = LeaderNameCheck(), FormulationCheck(), LeaderOfficeCheck(), LeaderOrderCheck()


@pytest.mark.parametrize("check, text, expected", [
    # a misspelt name split by one line break (LF, CRLF, CR, spaces and a layout hyphen around it)
    (NAME, "中共中央总书记、国家主席习进\n平主持会议", ["习进\n平"]),
    (NAME, "中共中央总书记、国家主席习\n进平主持会议", ["习\n进平"]),
    (NAME, "深入学习贯彻习进平新时代中国特色社会主\n义思想", ["习进平"]),
    (NAME, "国务院总理李克\r\n墙出席", ["李克\r\n墙"]),
    (NAME, "国务院总理李克\r墙出席", ["李克\r墙"]),
    (NAME, "国务院总理李克 \n 墙出席", ["李克 \n 墙"]),
    (NAME, "国务院总理李克-\n墙出席", ["李克-\n墙"]),
    # a 2-character name (context-only variant) split after its title
    (NAME, "国务院总理李\n墙出席会议", ["李\n墙"]),
    # a formulation split anywhere, the near-match verified across the break
    (FORM, "推动构建人类命运共\n铜体", ["人类命运共\n铜体"]),
    (FORM, "实现中华民族伟大复\n新", ["中华民族伟大复\n新"]),
    (FORM, "实现中华民\n族伟大复新", ["中华民\n族伟大复新"]),
    (FORM, "坚定四个自\n新", ["四个自\n新"]),
    # correct text split by a break: nothing
    (NAME, "中共中央总书记、国家主席习近\n平主持会议", []),
    (NAME, "中共中央总书记、国家主席习\n近平主持会议", []),
    (FORM, "推动构建人类命运共\n同体", []),
    (FORM, "坚持和发展中国特色社会主\n义", []),
    # a paragraph break (blank line) is not a wrap
    (NAME, "国家主席习进\n\n平安建设", []),
    # lines that merely meet: a heading, a roll of ordinary names one per line
    (NAME, "一、加强学习\n近平时期工作", []),
    (NAME, "拟表彰人员：刘国忠、王小\n红、张国青", []),  # a roll wrapped inside a name: still a roll
    (NAME, "二、强化学习\n近乎所有单位", []),
    (FORM, "四个\n大型水库", []),
])
def test_line_break_inside(check, text, expected):
    assert flagged(check, text) == expected


def test_wrapped_name_still_judged_for_office():
    # the office check sees the joined name too (李克强 left office 2023-03)
    assert flagged(OFFICE, "国务院总理李克\n强出席会议", dt.date(2024, 6, 20)) == ["国务院总理李克\n强"]


def test_unrelated_breaks_keep_line_structure():
    # only the break inside a key is joined: the others stay, so clauses still end at them
    text = "国家主席习近\n平出席\n会议由李强主持\n"
    view = scan_document(document(text, dt.date(2024, 6, 20)), "guangdong").view
    assert view.text == "国家主席习近平出席\n会议由李强主持\n"
    assert [view.to_norm(i) for i in (6, 7, 9)] == [7, 8, 10]


def test_order_across_wrapped_list():
    # a list of leaders wrapped inside a name is read as one list
    assert flagged(ORDER, "习近平、赵乐际、李\n强出席会议", dt.date(2024, 6, 20)) != []


@pytest.mark.parametrize("text", ["习\n平", "习 \n\t平", "习-\n平", "习 - \r\n 平", "习\n\n平", "习。\n平", "a\n平", "习\r\r平",
                                  "习\u3000\n\u3000平", "\n平", "习\n", "习‐\n近\n平"])
def test_line_breaks_as_the_pattern(text):
    from scanner.checks.wording.lexicon import _BREAK, _line_breaks

    assert list(_line_breaks(text)) == [m.span() for m in _BREAK.finditer(text)]
