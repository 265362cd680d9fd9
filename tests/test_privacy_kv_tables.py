"""Key-value tables (登记表, 审批表, 信息公开 forms): label cells followed by value cells, over
rows and columns; one person's record is the rows from the name label down to the next one,
not a row.  Synthetic people; the ID is GB 11643's example number."""
import io
import json

import pytest

from pii_files import positioned_pdf, xlsx_bytes
from pii_helpers import values
from scanner.checks.pii.analyzer import PiiAnalyzer
from scanner.privacy.policy import Policy, judge
from scanner.types import Source

ID_A = "11010519491231002X"


def judged(text):
    return [(j.detection.entity, text[j.detection.start:j.detection.end], j.violation)
            for j in judge(text, PiiAnalyzer().analyze(text), Policy.load())]


@pytest.mark.parametrize("text, expected", [
    # the form of the issue: the name's row holds no identifier, the landline's row no name
    # (both were "name alone" / "not in a person's record", and 联系电话, 家庭住址 were names)
    ("姓名\t王建国\t性别\t男\n联系电话\t020-8123 4567\t身份证号\t440105********1234\n家庭住址\t广州市越秀区某某路\n",
     [("PERSON", "王建国", True), ("CN_LANDLINE", "020-8123 4567", True), ("CN_RESIDENT_ID", "440105********1234", False)]),
    # an unmasked ID two rows below the name takes the name with it
    (f"姓名\t王建国\t性别\t男\n民族\t汉\t学历\t本科\n身份证号\t{ID_A}\t\t\n",
     [("PERSON", "王建国", True), ("CN_RESIDENT_ID", ID_A, True)]),
    # vertical: a label column and a value column, one pair a row (labels were names under 姓名)
    ("姓名\t王建国\n性别\t男\n出生年月\t1980年5月\n联系电话\t020-81234567\n",
     [("PERSON", "王建国", True), ("CN_LANDLINE", "020-81234567", True)]),
    ("姓名：\t王建国\n性别：\t男\n联系电话：\t020-81234567\n", [("PERSON", "王建国", True), ("CN_LANDLINE", "020-81234567", True)]),
    # labels padded with spaces (姓　名), labels and values in one cell (姓名：王建国 | 性别：男)
    ("姓　名\t王建国\t性　别\t男\n联系电话\t020-81234567\t\t\n", [("PERSON", "王建国", True), ("CN_LANDLINE", "020-81234567", True)]),
    ("姓 名\t  王建国\t  性别\t  男\n联系电话\t  020-81234567\n", [("PERSON", "王建国", True), ("CN_LANDLINE", "020-81234567", True)]),
    ("姓名：王建国\t性别：男\n联系电话：020-81234567\t民族：汉\n", [("PERSON", "王建国", True), ("CN_LANDLINE", "020-81234567", True)]),
    # a Markdown table (review reads an HTML page's tables so)
    ("| 姓名 | 王建国 | 性别 | 男 |\n| --- | --- | --- | --- |\n| 联系电话 | 020-81234567 | 民族 | 汉 |\n",
     [("PERSON", "王建国", True), ("CN_LANDLINE", "020-81234567", True)]),
    # two people stacked in one table: a second 姓名 label starts a new record
    (f"姓名\t王建国\t性别\t男\n身份证号\t440105********1234\t学历\t本科\n姓名\t李*\t性别\t女\n身份证号\t{ID_A}\t学历\t本科\n",
     [("PERSON", "王建国", False), ("CN_RESIDENT_ID", "440105********1234", False),
      ("PERSON", "李*", False), ("CN_RESIDENT_ID", ID_A, True)]),
    ("姓名\t王*\t性别\t男\n联系电话\t020-81234567\t学历\t本科\n姓名\t李建华\t性别\t女\n学历\t本科\t民族\t汉\n",
     [("PERSON", "王*", False), ("CN_LANDLINE", "020-81234567", True), ("PERSON", "李建华", False)]),
    ("姓名\t王建国\n联系电话\t020-81234567\n姓名\t李建华\n性别\t女\n",
     [("PERSON", "王建国", True), ("CN_LANDLINE", "020-81234567", True), ("PERSON", "李建华", False)]),
    # a role after the name (张华（户主）, 李娜(联系人)): the name is the cell's name
    ("户主姓名\t张华（户主）\t性别\t男\n家庭电话\t020-81234567\t人口\t3\n",
     [("PERSON", "张华", True), ("CN_LANDLINE", "020-81234567", True)]),
    # an emergency contact's form on its own is that person's record
    ("紧急联系人\t李娜(女儿)\t关系\t女儿\n手机\t13812345678\t\t\n", [("PERSON", "李娜", True), ("CN_MOBILE", "13812345678", True)]),
    ("紧急联系人\t李娜\n联系电话\t020-83331234\n", [("PERSON", "李娜", True), ("CN_LANDLINE", "020-83331234", True)]),
    # an emergency contact inside a person's form stays in the person's record
    ("姓名\t王建国\n性别\t男\n紧急联系人\t李娜\n联系电话\t020-83331234\n",
     [("PERSON", "王建国", True), ("PERSON", "李娜", True), ("CN_LANDLINE", "020-83331234", True)]),
    # a list below the form (家庭成员 | 姓名 | 关系) ends it: its rows are the list's, each a record
    ("姓名\t王建国\t性别\t男\n身份证号\t440105********1234\t民族\t汉\n家庭成员\t姓名\t关系\t工作单位\n"
     "\t李娜\t妻子\t某某公司\n\t张伟\t儿子\t020-81234567\n",
     [("PERSON", "王建国", False), ("CN_RESIDENT_ID", "440105********1234", False), ("PERSON", "李娜", False),
      ("PERSON", "张伟", True), ("CN_LANDLINE", "020-81234567", True)]),
    # ... also one whose header does not read as a list's (所在村组 is no label): its rows hold none
    ("经办人\t王芳\t审核人\t李娜\n序号\t姓名\t所在村组\t补贴金额\n1\t王建国\t一组\t300\n2\t李建华\t二组\t020-81234567\n3\t张伟\t三组\t300\n",
     [("PERSON", "王芳", False), ("PERSON", "王建国", False), ("PERSON", "李建华", True), ("CN_LANDLINE", "020-81234567", True),
      ("PERSON", "张伟", False)]),
    # a 信息公开申请表: 证件名称 is the person's field, no organisation's (…名称 ended the record)
    ("姓名\t王建国\t工作单位\t某某局\n证件名称\t身份证\t证件号码\t440105********1234\n联系电话\t020-81234567\t邮政编码\t510000\n",
     [("PERSON", "王建国", True), ("CN_RESIDENT_ID", "440105********1234", False), ("CN_LANDLINE", "020-81234567", True)]),
    ("申请人：王建国\n证件名称：居民身份证\n联系电话：020-81234567\n", [("PERSON", "王建国", True), ("CN_LANDLINE", "020-81234567", True)]),
    # a field over several rows (简历) stays in the form
    ("姓名\t王建国\t性别\t男\n简历\t2000.09-2004.07\t某某大学\t学习\n\t2004.07-至今\t某某公司\t职员\n联系电话\t020-81234567\t\t\n",
     [("PERSON", "王建国", True), ("CN_LANDLINE", "020-81234567", True)]),
    # agency lines stay the agency's in a form: labelled, after a contact label, or a company's
    ("单位名称\t广州市某某局\t负责人\t王建国\n办公电话\t020-81234567\t传真\t020-81234568\n",
     [("PERSON", "王建国", False), ("CN_LANDLINE", "020-81234567", False), ("CN_LANDLINE", "020-81234568", False)]),
    ("联系人\t王芳\t联系电话\t020-83331234\n", [("PERSON", "王芳", False), ("CN_LANDLINE", "020-83331234", False)]),
    ("联系人\t王芳\n联系电话\t020-83331234\n", [("PERSON", "王芳", False), ("CN_LANDLINE", "020-83331234", False)]),
    ("单位名称\t广州市恒达贸易有限公司\t法定代表人\t王芳\n联系电话\t020-83331234\t\t\n",
     [("PERSON", "王芳", False), ("CN_LANDLINE", "020-83331234", False)]),
    ("姓名\t王*\t性别\t男\n统一社会信用代码\t91440101MA59ABCD1X\t\t\n联系电话\t020-83331234\t\t\n",
     [("PERSON", "王*", False), ("CN_LANDLINE", "020-83331234", False)]),
    # the agency's fields below a person's form end the person's record
    ("当事人\t王建国\t性别\t男\n住址\t广州市越秀区\t\t\n办案机关\t广州市某某局\t联系电话\t020-83335678\n",
     [("PERSON", "王建国", False), ("CN_LANDLINE", "020-83335678", False)]),
    # a form's labels in a PDF's gaps: 办公电话 twenty characters before the number
    ("姓名\t          王建国\n办公电话\t          020-81234567\n",
     [("PERSON", "王建国", False), ("CN_LANDLINE", "020-81234567", False)]),
    # near misses, judged by rows as before: a list's header, a list and a contact row under it
    ("序号\t姓名\t所在村组\t补贴金额\n1\t王建国\t一组\t300\n2\t李建华\t二组\t020-81234567\n3\t张伟\t三组\t300\n",
     [("PERSON", "王建国", False), ("PERSON", "李建华", True), ("CN_LANDLINE", "020-81234567", True), ("PERSON", "张伟", False)]),
    ("序号\t姓名\t身份证号\n1\t王*\t440105********1234\n2\t李*\t440105********0012\n联系人\t王芳\t联系电话\t020-83331234\n",
     [("PERSON", "王*", False), ("CN_RESIDENT_ID", "440105********1234", False), ("PERSON", "李*", False),
      ("CN_RESIDENT_ID", "440105********0012", False), ("PERSON", "王芳", False), ("CN_LANDLINE", "020-83331234", False)]),
    ("序号\t姓名\t与户主关系\t联系电话\n1\t张华（户主）\t户主\t020-81234567\n2\t李娜\t妻子\t\n",
     [("PERSON", "张华", True), ("CN_LANDLINE", "020-81234567", True), ("PERSON", "李娜", False)]),
])
def test_key_value_table_records(text, expected):
    assert judged(text) == expected


@pytest.mark.parametrize("text, expected", [
    # the value after a name label is a name; the labels below 姓名 are not (联系电话, 性别)
    ("姓名\t王建国\t性别\t男\n联系电话\t020-81234567\t学历\t本科\n", ["王建国"]),
    ("姓名\t李娜\n性别\t女\n学历\t本科\n", ["李娜"]),  # a frequent word, a name after 姓名
    ("申请人\t欧阳娜娜\t性别\t女\n", ["欧阳娜娜"]),
    ("申请人信息\t王 芳\n备注\t无\n", ["王 芳"]),
    ("申请人信息\t见附件\n备注\t无\n", []),  # (备注 was a name under the 申请人信息 column)
    # one person a column: the names after the label
    ("姓名\t王建国\t李娜\t张伟\n联系电话\t020-81234567\t020-81234568\t\n", ["王建国", "李娜", "张伟"]),
    # a role in brackets after a name, in a form and in a 姓名 column
    ("户主\t张华（户主）\t人口\t3\n", ["张华"]),
    ("序号\t姓名\t金额\n1\t张华（户主）\t300\n2\t李娜(联系人)\t200\n", ["张华", "李娜"]),
    # a blank form: no name
    ("姓名\t\t性别\t\n联系电话\t\t民族\t\n", []),
    # a list's header is no form: 姓名 over names, the column below it; a header-less list
    # keeps its column of names with a contact's form row below it
    ("1\t王芳\t女\n2\t李建国\t男\n3\t陈晓明\t男\n联系人\t张伟\t联系电话\t020-83331234\n", ["王芳", "李建国", "陈晓明", "张伟"]),
    ("姓名\t项目名称\t金额\n王建国\t危房改造\t300\n李建华\t危房改造\t300\n", ["王建国", "李建华"]),
])
def test_names_in_key_value_tables(text, expected):
    assert values(text, "PERSON") == expected


# ------------------------------------------------------------ the formats

FORM = [["姓名", "王建国", "性别", "男"], ["联系电话", "020-8123 4567", "身份证号", "440105********1234"],
        ["家庭住址", "广州市越秀区某某路", "", ""]]


def _html(rows):
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<html><body><p>个人信息登记表</p><table>{body}</table></body></html>".encode()


def _docx(rows):
    import docx

    d = docx.Document()
    d.add_paragraph("个人信息登记表")
    t = d.add_table(rows=len(rows), cols=max(map(len, rows)))
    for i, r in enumerate(rows):
        for j, c in enumerate(r):
            t.cell(i, j).text = c
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _pdf(rows):  # as Word exports a form: each cell drawn at its column's position
    return positioned_pdf([[[(40 + 130 * j, c) for j, c in enumerate(r) if c] for r in rows]])


FORMATS = {"html": _html, "docx": _docx, "xlsx": xlsx_bytes, "pdf": _pdf}


def _items(record):
    return [(i["entity"], i["value_masked"], i["violation"]) for i in record.items]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_form_audited_as_one_record_in_every_format(fmt):
    from scanner.privacy.audit import audit_source

    record = audit_source(Source(f"form.{fmt}", FORMATS[fmt](FORM)), Policy.load())
    assert record.verdict == "violation"
    assert _items(record) == [("PERSON", "王**", True), ("CN_LANDLINE", "020-8*** **67", True),
                              ("CN_RESIDENT_ID", "440105********1234", False)]
    assert record.items[0]["rule"] == "name with CN_LANDLINE in the same record"


@pytest.mark.parametrize("fmt", ["html", "docx", "xlsx"])
def test_form_masked_copy_is_compliant(tmp_path, cli_runner, fmt):
    from scanner.cli import app
    from scanner.privacy.audit import audit_source

    src = tmp_path / f"form.{fmt}"
    src.write_bytes(FORMATS[fmt](FORM))
    out = tmp_path / f"form-masked.{fmt}"
    result = cli_runner.invoke(app, ["privacy", "mask", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    record = audit_source(Source(out.name, out.read_bytes()), Policy.load())
    assert record.verdict == "compliant"
    assert [(i["entity"], i["value_masked"], i["masked"]) for i in record.items if i["entity"] == "PERSON"] == [
        ("PERSON", "王**", True)]
    if fmt == "html":
        assert "020-8*** **67" in out.read_text(encoding="utf-8")


# a form as offices draw it: a title row over the table, a photo cell over two rows, values
# merged over the columns to the right
MERGED = [["姓　名", "王建国", "性别", "男", "照片"], ["出生年月", "1980年5月", "民族", "汉", ""],
          ["联系电话", "020-81234567", "", "", ""], ["家庭住址", "广州市越秀区某某路", "", "", ""]]


def _merged_docx():
    import docx

    d = docx.Document()
    t = d.add_table(rows=5, cols=5)
    t.cell(0, 0).merge(t.cell(0, 4)).text = "个人信息登记表"
    for i, r in enumerate(MERGED, 1):
        for j, v in enumerate(r):
            if v:
                t.cell(i, j).text = v
    t.cell(1, 4).merge(t.cell(2, 4))
    t.cell(3, 1).merge(t.cell(3, 4))
    t.cell(4, 1).merge(t.cell(4, 4))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _merged_xlsx():
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "登记表"
    ws.append(["个人信息登记表"])
    ws.merge_cells("A1:E1")
    for r in MERGED:
        ws.append(r)
    ws.merge_cells("E2:E3")
    ws.merge_cells("B4:E4")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("name, data, name_at, phone_at", [
    ("form.docx", _merged_docx(), {"table": 0, "row": 1, "col": 1}, {"table": 0, "row": 3, "col": 1}),
    ("form.xlsx", _merged_xlsx(), {"sheet": "登记表", "cell": "B2"}, {"sheet": "登记表", "cell": "B4"}),
    ("form.csv", "".join(",".join(r) + "\n" for r in MERGED).encode(), {"table": 0, "row": 0, "col": 1},
     {"table": 0, "row": 2, "col": 1}),
    # a text file whose columns are aligned with spaces
    ("form.txt", "".join("   ".join(v for v in r if v) + "\n" for r in MERGED).encode(), {"start": 6, "end": 9},
     {"start": 55, "end": 67}),
])
def test_form_with_merged_cells_and_a_title_row(name, data, name_at, phone_at):
    from scanner.privacy.audit import audit_source

    record = audit_source(Source(name, data), Policy.load())
    assert [(i["entity"], i["value_masked"], i["violation"], i["location"]) for i in record.items] == [
        ("PERSON", "王**", True, name_at), ("CN_LANDLINE", "020-8*****67", True, phone_at)]


def _nested_html():
    inner = ("<table><tr><td>姓名</td><td>王建国</td><td>性别</td><td>男</td></tr>"
             "<tr><td>联系电话</td><td>020-81234567</td><td>民族</td><td>汉</td></tr></table>")
    return f"<html><body><table><tr><td>申请人信息</td><td>{inner}</td></tr><tr><td>备注</td><td>无</td></tr></table></body></html>".encode()


def _nested_docx():
    import docx

    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "申请人信息"
    inner = t.cell(0, 1).add_table(rows=2, cols=4)
    for j, v in enumerate(["姓名", "王建国", "性别", "男"]):
        inner.cell(0, j).text = v
    for j, v in enumerate(["联系电话", "020-81234567", "民族", "汉"]):
        inner.cell(1, j).text = v
    t.cell(1, 0).text = "备注"
    t.cell(1, 1).text = "无"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("name, data", [
    # an HTML table nested in a cell: its cells ran together (姓名王建国性别男), no name found,
    # the landline "not in a person's record"; 备注 was a name under the 申请人信息 column
    ("nested.html", _nested_html()),
    ("nested.docx", _nested_docx()),
])
def test_form_nested_in_a_cell(name, data):
    from scanner.privacy.audit import audit_source

    record = audit_source(Source(name, data), Policy.load())
    assert _items(record) == [("PERSON", "王**", True), ("CN_LANDLINE", "020-8*****67", True)]
    assert record.items[0]["location"] == {"table": 0, "row": 0, "col": 1}


def test_nested_html_form_masked_in_place(tmp_path, cli_runner):
    from scanner.cli import app

    src = tmp_path / "nested.html"
    src.write_bytes(_nested_html())
    out = tmp_path / "nested-masked.html"
    result = cli_runner.invoke(app, ["privacy", "mask", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<td>王**</td>" in page and "020-8*****67" in page and "<td>备注</td>" in page


def test_review_reports_the_form(tmp_path, cli_runner):
    from scanner.cli import app

    draft = tmp_path / "form.txt"
    draft.write_text("个人信息登记表\n" + "\n".join("\t".join(r) for r in FORM) + "\n", encoding="utf-8")
    result = cli_runner.invoke(app, ["review", str(draft), "--no-model", "-f", "json"])
    found = {f["code"]: f["message"] for f in json.loads(result.stdout)["findings"] if f["code"].startswith("pii.")}
    assert sorted(found) == ["pii.cn_landline", "pii.person"]
    assert found["pii.person"].endswith("：王**")  # (the label 联系电话 was the "name" beside the landline)
    assert "8123 4567" not in result.stdout and "王建国" not in result.stdout


def test_layout_of_a_form_with_a_list_below():
    from scanner.checks.pii.common import layout_of

    text = "姓名\t王建国\t性别\t男\n民族\t汉\t学历\t本科\n家庭成员\t姓名\t关系\t身份证号\n\t李娜\t妻子\t440105********1234\n"
    (block,) = layout_of(text).blocks
    assert (block.kv_heads, sorted(block.kv_rows), block.header_row) == (((0, 0),), [0, 1], 2)
    assert layout_of(text).header_of(text.index("4401")) == "身份证号"
    assert layout_of(text).header_of(text.index("汉")) == ""  # a form's value: no column header


@pytest.mark.parametrize("text, expected", [
    # a frequent surname before a label word (健康, 学位) is a name: it read as a label, so the
    # form was no form, the name was lost and the landline "not in a person's record"
    ("姓名\t张健康\t性别\t男\n联系电话\t020-81234567\t\t\n",
     [("PERSON", "张健康", True), ("CN_LANDLINE", "020-81234567", True)]),
    ("姓名\t王学位\n性别\t男\n联系电话\t020-81234567\n",
     [("PERSON", "王学位", True), ("CN_LANDLINE", "020-81234567", True)]),
    # one person a column: the row of names read as a list's header of labels
    ("姓名\t张健康\t王学位\n联系电话\t13812345678\t13912345678\n",
     [("PERSON", "张健康", True), ("PERSON", "王学位", True),
      ("CN_MOBILE", "13812345678", True), ("CN_MOBILE", "13912345678", True)]),
    # near misses: labels stay labels (曾用名: 曾 is a surname, 用名 no label word; 原单位: 原
    # is no frequent surname), so the list's header is still one and its rows are records
    ("姓名\t曾用名\t性别\t原单位\n王建国\t王国\t男\t某局\n", [("PERSON", "王建国", False)]),
])
def test_names_that_end_in_a_label_word(text, expected):
    assert judged(text) == expected
