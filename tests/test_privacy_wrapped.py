"""A PDF's values broken over two lines (a wrapped 名单 cell, a paragraph's line break inside a
name), put back together for the audit and the site scan's PDF attachments."""
import pytest

from pii_files import positioned_pdf
from scanner.privacy.audit import audit_paths
from scanner.privacy.wrapped import rejoin_wrapped
from scanner.types import Extracted, Source

HEADER = [(50, "序号"), (100, "姓名"), (200, "性别"), (260, "家庭电话"), (420, "备注")]


def row(n, name, phone, note="无"):
    return [(50, str(n)), (100, name), (200, "男"), (260, phone), (420, note)]


@pytest.mark.parametrize("lines, expected", [
    # a name cell too narrow wraps under itself: 王 / 建国 were no name, the row's home phone
    # "not in a person's record", and the list came out compliant
    ([row(1, "王", "020-83331234"), [(100, "建国")]],
     [("PERSON", "王**", True), ("CN_LANDLINE", "020-8*****34", True)]),
    ([row(1, "王建", "020-83331234"), [(100, "国")]],
     [("PERSON", "王**", True), ("CN_LANDLINE", "020-8*****34", True)]),
    # two wrapped rows one after the other: each its own record
    ([row(1, "王", "020-83331234"), [(100, "建国")], row(2, "欧阳", "020-83335678"), [(100, "娜娜")]],
     [("PERSON", "王**", True), ("CN_LANDLINE", "020-8*****34", True),
      ("PERSON", "欧阳**", True), ("CN_LANDLINE", "020-8*****78", True)]),
    # two cells wrapping in the same row (the name and the 备注)
    ([row(1, "王", "020-83331234", "低保"), [(100, "建国"), (420, "对象")]],
     [("PERSON", "王**", True), ("CN_LANDLINE", "020-8*****34", True)]),
    # two numbers one under the other in a cell (a mobile under a mobile or a landline): appended
    # they were one run of 22 digits, neither found, and the list came out compliant; they are
    # kept apart by a space
    ([row(1, "王建国", "13800138000"), [(260, "13900139000")]],
     [("PERSON", "王**", True), ("CN_MOBILE", "138****8000", True), ("CN_MOBILE", "139****9000", True)]),
    ([row(1, "李娜", "020-83331234"), [(260, "13700137000")]],
     [("PERSON", "李*", True), ("CN_LANDLINE", "020-8*****34", True), ("CN_MOBILE", "137****7000", True)]),
    # ... a number wrapped in its cell is still one number
    ([row(1, "王建国", "020-8333"), [(260, "1234")]], [("PERSON", "王**", True), ("CN_LANDLINE", "020-8*****34", True)]),
    # near miss: a line of prose after the table, at the left margin, stays its own line
    ([row(1, "王建国", "020-83331234"), [(50, "以上名单公示五个工作日，如有异议请反映。")]],
     [("PERSON", "王**", True), ("CN_LANDLINE", "020-8*****34", True)]),
])
def test_wrapped_cells_in_a_pdf_list(tmp_path, lines, expected):
    path = tmp_path / "list.pdf"
    path.write_bytes(positioned_pdf([[[(50, "公示名单")], HEADER, *lines, [(280, "第 1 页")]]]))
    [record] = audit_paths([str(path)])
    assert [(i["entity"], i["value_masked"], i["violation"]) for i in record.items] == expected
    assert record.verdict == "violation"


@pytest.mark.parametrize("page, joined", [
    # the break falls inside a name, in a line reaching the margin: joined (the line break
    # moves to the end of the next line)
    ("根据有关规定现将本街道最低生活保障对象经审核申请人欧阳\n娜娜，身份证号码11010519491231002X，符合条件\n",
     "根据有关规定现将本街道最低生活保障对象经审核申请人欧阳娜娜，身份证号码11010519491231002X，符合条件 \n"),
    # ... or inside a number
    ("根据有关规定现将本街道最低生活保障对象审核结果公示身份证号码1101051949\n1231002X，符合条件。\n",
     "根据有关规定现将本街道最低生活保障对象审核结果公示身份证号码11010519491231002X，符合条件。 \n"),
    # ... not between two whole numbers (a list of mobiles broken at a space): joined, they were
    # one run of 22 digits, neither found
    ("根据有关规定现将本街道最低生活保障对象审核结果公示联系电话13800138000\n13900139000，符合条件。\n", None),
    # near misses, unchanged: a list of names one a line (short lines), a line ending a
    # sentence, a new entry, a labelled line, no name or number across the break
    ("王建国\n李明\n张华\n", None),
    ("根据有关规定现将本街道最低生活保障对象审核结果公示如下。\n欧阳娜娜，符合条件。\n", None),
    ("根据有关规定现将本街道最低生活保障对象审核结果公示如下王\n2. 建国，符合条件。\n", None),
    ("根据有关规定现将本街道最低生活保障对象审核结果公示如下王\n身份证号：11010519491231002X\n", None),
    ("根据有关规定现将本街道最低生活保障对象审核结果公示如下的\n对象，符合条件。\n", None),
])
def test_paragraph_break_inside_a_name_or_number(page, joined):
    """The line break moves to the end of the next line: the text keeps its length and pages."""
    extracted = Extracted(Source("a.pdf", b""), page, "pdf", pages=((0, len(page)),))
    got = rejoin_wrapped(extracted)
    assert len(got.text) == len(page) and got.pages == extracted.pages
    assert got.text == (joined or page)


def test_only_pdf_text_is_rejoined():
    text = "根据有关规定现将本街道最低生活保障对象经审核申请人欧阳\n娜娜，身份证号码11010519491231002X，符合条件\n"
    for fmt in ("txt", "docx", "html"):
        extracted = Extracted(Source("a", b""), text, fmt)
        assert rejoin_wrapped(extracted) is extracted


def test_paragraph_name_split_by_a_pdf_line_break_is_found(tmp_path):
    """申请人欧阳 / 娜娜，身份证号…: the name was 欧阳 alone, "name alone" beside the ID."""
    path = tmp_path / "p.pdf"
    path.write_bytes(positioned_pdf([[[(50, "根据有关规定现将本街道最低生活保障对象经审核申请人欧阳")],
                                      [(50, "娜娜，身份证号码11010519491231002X，符合条件")]]]))
    [record] = audit_paths([str(path)])
    got = [(i["entity"], i["value_masked"], i["violation"], i["rule"]) for i in record.items]
    assert got == [("PERSON", "欧阳**", True, "name with CN_RESIDENT_ID in the same record"),
                   ("CN_RESIDENT_ID", "110105********002X", True, "unmasked identifier")]


@pytest.mark.parametrize("page", [
    # a list without a 序号 column: a short line under the name column may be a row of its own
    "姓名\t   性别\t   家庭电话\n王建国\t   男\t   020-83331234\n李明\n",
    # a 序号 line of its own below a row is a new row; so is a line holding more than half the cells
    "序号\t姓名\t  电话\n1\t王\t  020-83331234\n2\n",
    "序号\t姓名\t  性别\t 电话\n1\t王\t  男\t 020-83331234\n \t李明\t  女\t 020-83335678\n",
])
def test_lines_that_are_no_continuation_stay(page):
    extracted = Extracted(Source("a.pdf", b""), page, "pdf", pages=((0, len(page)),))
    assert rejoin_wrapped(extracted).text == page


@pytest.mark.parametrize("lines, expected", [
    # a table exported with cell padding (Word, LibreOffice): pypdf writes a blank line or two
    # between its rows, and each row was a table of its own under no header: the names were no
    # names, the home phones "not in a person's record", and the list came out compliant
    ([HEADER, [], row(1, "王建国", "020-83331234"), [], row(2, "李秀英", "020-83335678")],
     [("PERSON", "王**", True), ("CN_LANDLINE", "020-8*****34", True),
      ("PERSON", "李**", True), ("CN_LANDLINE", "020-8*****78", True)]),
    # ... further apart (a taller row: three blank lines)
    ([HEADER, [], [], row(1, "杨帆", "020-83331234"), [], [], row(2, "胡静", "020-83335678")],
     [("PERSON", "杨*", True), ("CN_LANDLINE", "020-8*****34", True),
      ("PERSON", "胡*", True), ("CN_LANDLINE", "020-8*****78", True)]),
    # ... with a cell wrapped under its row
    ([HEADER, [], row(1, "王", "020-83331234"), [(100, "建国")], [], row(2, "李秀英", "020-83335678")],
     [("PERSON", "王**", True), ("CN_LANDLINE", "020-8*****34", True),
      ("PERSON", "李**", True), ("CN_LANDLINE", "020-8*****78", True)]),
])
def test_pdf_table_rows_apart_are_one_table(tmp_path, lines, expected):
    path = tmp_path / "list.pdf"
    path.write_bytes(positioned_pdf([[[(50, "公示名单")], [], *lines]]))
    [record] = audit_paths([str(path)])
    assert [(i["entity"], i["value_masked"], i["violation"]) for i in record.items] == expected
    assert record.verdict == "violation"


@pytest.mark.parametrize("page, joined", [
    # the blank lines between a row and a numbered row go, as spaces at the end of the row
    ("序号\t姓名\t电话\n\n1\t王建国\t020-83331234\n\n\n2\t李明\t020-83335678\n",
     "序号\t姓名\t电话 \n1\t王建国\t020-83331234  \n2\t李明\t020-83335678\n"),
    # near misses, unchanged: more than three blank lines (another table, a new block), a row
    # without a 序号 below (a list without a 序号 column, a signature line), prose below
    ("序号\t姓名\t电话\n\n\n\n\n1\t王建国\t020-83331234\n", None),
    ("姓名\t电话\n\n王建国\t020-83331234\n", None),
    ("序号\t姓名\t电话\n1\t王建国\t020-83331234\n\n海珠区民政局\t2022年5月10日\n", None),
    ("序号\t姓名\t电话\n1\t王建国\t020-83331234\n\n2. 如有异议请反映。\n", None),
])
def test_row_gaps_closed_at_the_same_length(page, joined):
    extracted = Extracted(Source("a.pdf", b""), page, "pdf", pages=((0, len(page)),))
    got = rejoin_wrapped(extracted)
    assert len(got.text) == len(page)
    assert got.text == (joined or page)
