"""govscan privacy mask: a de-identified copy in the same format, re-audited compliant."""
import json

import pytest

from pii_files import generated, unmasked_values, write_all
from scanner.cli import app
from scanner.privacy.audit import audit_paths, extract_for_audit, read_file
from scanner.privacy.mask import mask_file, mask_value


@pytest.mark.parametrize("entity, value, masked", [
    ("CN_RESIDENT_ID", "11010519491231002X", "110105********002X"),
    ("CN_RESIDENT_ID", "110105 19491231 002X", "110105 ******** 002X"),
    ("CN_MOBILE", "13812345678", "138****5678"),
    ("CN_MOBILE", "138-1234-5678", "138-****-5678"),
    ("CN_MOBILE", "+86 13812345678", "+86 138****5678"),
    ("CN_MOBILE", "138一1234一5678", "138一****一5678"),
    ("CN_BANK_CARD", "6222 0212 3456 7894", "6222 **** **** 7894"),
    ("PERSON", "张三", "张*"),
    ("PERSON", "王　芳", "王　*"),
    ("PERSON", "欧阳娜娜", "欧阳**"),
    ("EMAIL", "wangfang@qq.com", "w*******@qq.com"),
    ("CN_ADDRESS", "体育西路123号1栋2单元501室", "体育西路***号*栋*单元***室"),
])
def test_mask_value(entity, value, masked):
    assert mask_value(entity, value) == masked


@pytest.mark.parametrize("kind, seed", [("subsidy", 21), ("hire", 22), ("contact", 23), ("renqian", 24)])
@pytest.mark.parametrize("fmt", ["txt", "html", "csv", "xlsx", "docx", "xls", "doc"])
def test_mask_then_audit_round_trip(tmp_path, kind, seed, fmt):
    doc = generated(kind, seed=seed)
    path = write_all(tmp_path, doc, (fmt,))[fmt]
    fmt = {"xls": "xlsx", "doc": "docx"}.get(fmt, fmt)  # (a legacy file's copy is XLSX/DOCX)
    out = tmp_path / f"masked.{fmt}"
    record, n = mask_file(str(path), str(out))
    assert record.verdict == "compliant", record.reason
    text = extract_for_audit(read_file(str(out))).text
    for value in unmasked_values(doc, fmt):
        assert "".join(value.split()) not in "".join(text.split())
    # the copy is the same format and still readable
    assert extract_for_audit(read_file(str(out))).format == fmt


def test_mask_cli(tmp_path, cli_runner):
    src = tmp_path / "list.csv"
    src.write_text("姓名,身份证号,手机\n王芳,11010519491231002X,13812345678\n", encoding="utf-8")
    out = tmp_path / "list-masked.csv"
    result = cli_runner.invoke(app, ["privacy", "mask", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == "姓名,身份证号,手机\n王*,110105********002X,138****5678\n"
    [record] = audit_paths([str(out)])
    assert record.verdict == "compliant"


def test_mask_cli_refuses_pdf_and_overwrite(tmp_path, cli_runner):
    from corpora.pii.pdfwriter import write_pdf

    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(write_pdf([["身份证号11010519491231002X"]]))
    result = cli_runner.invoke(app, ["privacy", "mask", str(pdf), "-o", str(tmp_path / "b.pdf")])
    assert result.exit_code == 1
    assert "not supported" in result.output
    txt = tmp_path / "a.txt"
    txt.write_text("x", encoding="utf-8")
    result = cli_runner.invoke(app, ["privacy", "mask", str(txt), "-o", str(txt)])
    assert result.exit_code == 2


def _docx_bytes(rows):
    import io

    import docx

    d = docx.Document()
    table = d.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        for cell, value in zip(table.add_row().cells, row):
            cell.text = value
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


ROSTER = [["序号", "姓名", "身份证号", "手机"], ["1", "王芳", "11010519491231002X", "13812345678"]]


@pytest.mark.parametrize("in_name, build, out_name, code, said", [
    # a file named as another format is copied as what it holds: a DOCX named .xls was written
    # as DOCX under the .xlsx name asked for, its re-audit "extension says XLSX but the content
    # is DOCX" (exit 1), and the command said "旧版 .xls 无法写回，另存为 XLSX"
    ("名单.xls", lambda: _docx_bytes(ROSTER), "脱敏.xlsx", 2, "name it 脱敏.docx"),
    ("名单.doc", lambda: __import__("pii_files").xlsx_bytes(ROSTER), "脱敏.docx", 2, "name it 脱敏.xlsx"),
    ("名单.xls", lambda: "<html><body><table><tr><td>姓名</td><td>手机</td></tr><tr><td>王芳</td><td>13812345678</td>"
                        "</tr></table></body></html>".encode(), "脱敏.xlsx", 2, "name it 脱敏.html"),
    # ... or as the other legacy binary format (Excel cannot open a DOCX named .xls)
    ("名单.xls", lambda: _docx_bytes(ROSTER), "脱敏.xls", 2, "name it 脱敏.docx"),
    ("名单.xls", lambda: _docx_bytes(ROSTER), "脱敏.et", 2, "name it 脱敏.docx"),
    ("名单.doc", lambda: __import__("pii_files").xlsx_bytes(ROSTER), "脱敏.doc", 2, "name it 脱敏.xlsx"),
    # ... named so, it is written, and no format change is announced
    ("名单.xls", lambda: _docx_bytes(ROSTER), "脱敏.doc", 0, "复查：compliant"),
    ("名单.xls", lambda: _docx_bytes(ROSTER), "脱敏.docx", 0, "复查：compliant"),
    ("名单.doc", lambda: __import__("pii_files").xlsx_bytes(ROSTER), "脱敏.xlsx", 0, "复查：compliant"),
])
def test_mask_copy_of_a_misnamed_file_is_named_as_what_it_holds(tmp_path, cli_runner, in_name, build, out_name, code, said):
    src, out = tmp_path / in_name, tmp_path / out_name
    src.write_bytes(build())
    result = cli_runner.invoke(app, ["privacy", "mask", str(src), "-o", str(out)], terminal_width=200)
    assert result.exit_code == code and said in result.output, result.output
    assert "无法写回" not in result.output and out.exists() == (code == 0)


@pytest.mark.parametrize("value, masked", [
    # a form masked too little with × (its birth date shown): masked as it was, its ×××× kept
    # the last four places and 0307 stayed
    ("44010519900307××××", "440105************"),
    ("13812●●5678", "138****5678"),
])
def test_mask_reads_other_mask_characters_as_stars(tmp_path, value, masked):
    src, out = tmp_path / "list.csv", tmp_path / "list-masked.csv"
    src.write_text(f"姓名,证件号码\n王芳,{value}\n", encoding="utf-8")
    record, _n = mask_file(str(src), str(out))
    assert out.read_text(encoding="utf-8") == f"姓名,证件号码\n王*,{masked}\n"
    assert record.verdict == "compliant", record.reason


def test_mask_cli_output_errors_are_one_line(tmp_path, cli_runner):
    src = tmp_path / "list.csv"
    src.write_text("姓名,手机\n王芳,13812345678\n", encoding="utf-8")
    # a folder that does not exist: was a FileNotFoundError traceback
    result = cli_runner.invoke(app, ["privacy", "mask", str(src), "-o", str(tmp_path / "no" / "x.csv")])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # an exit, not an OSError
    assert "cannot write the copy" in result.output
    # an output named as another format: was written (CSV bytes in a .xlsx), then re-audited unreadable
    out = tmp_path / "list-masked.xlsx"
    result = cli_runner.invoke(app, ["privacy", "mask", str(src), "-o", str(out)])
    assert result.exit_code == 2
    assert "give it a .csv name" in result.output
    assert not out.exists()
    # .md and .txt are both text
    md = tmp_path / "notice.md"
    md.write_text("联系人王芳，手机13812345678\n", encoding="utf-8")
    result = cli_runner.invoke(app, ["privacy", "mask", str(md), "-o", str(tmp_path / "notice.txt")])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("text, expected", [
    # values of one type with only a space between were merged by presidio into one span
    # and masked as one value: the first mobile stayed visible, the copy failed its re-audit
    ("联系人：王芳，手机：13812345678 13912345678\n", "联系人：王*，手机：138****5678 139****5678\n"),
    # a list of names keeps each surname (was 王* ** **: masked as one name)
    ("拟录用人员名单：王芳 张伟 欧阳娜娜\n", "拟录用人员名单：王* 张* 欧阳**\n"),
])
def test_mask_values_separated_by_spaces_one_by_one(tmp_path, text, expected):
    src, out = tmp_path / "list.txt", tmp_path / "list-masked.txt"
    src.write_text(text, encoding="utf-8")
    record, _n = mask_file(str(src), str(out))
    assert out.read_text(encoding="utf-8") == expected
    assert record.verdict == "compliant", record.reason


def test_html_attributes_and_comments_are_audited_and_masked(tmp_path):
    """A tel:/mailto: link, a tooltip, alt text and a list commented out are published with
    the page: the audit never read them, and the "de-identified" copy kept them, compliant."""
    page = ('<html><body><p>联系人：王芳，手机：<a href="tel:13812345678" title="13812345678">138****5678</a>，'
            '邮箱：<a href="mailto:wangfang@qq.com">w*******@qq.com</a></p>'
            '<table><tr><td>张伟</td><td><img src="id.png" alt="11010519491231002X"></td></tr></table>'
            '<!-- 原名单：李强 身份证11010519491231002X --><p><a href="/art/2022/13812345678.html">通知</a></p></body></html>')
    src, out = tmp_path / "page.html", tmp_path / "page-masked.html"
    src.write_text(page, encoding="utf-8")
    [before] = audit_paths([str(src)])
    assert before.verdict == "violation", before.reason
    assert {i["entity"] for i in before.items if i["violation"]} >= {"CN_MOBILE", "EMAIL", "CN_RESIDENT_ID"}
    record, _n = mask_file(str(src), str(out))
    assert record.verdict == "compliant", record.reason
    html = out.read_text(encoding="utf-8")
    assert "13812345678\"" not in html and "wangfang@" not in html and "11010519491231002X" not in html
    assert 'href="tel:138****5678"' in html and 'title="138****5678"' in html and 'alt="110105********002X"' in html
    assert "/art/2022/13812345678.html" in html  # an ordinary link is not a phone number


_MASKED_LIST = ('<html><body><p>根据有关规定，现将名单公示如下。</p><table><tr><th>姓名</th><th>身份证号</th></tr>'
                '<tr><td>王*</td><td{attr}>110105********002X</td></tr></table>{form}</body></html>')


@pytest.mark.parametrize("attr, form, masked", [
    # published in the page's source, not shown: a masked list whose rows carry the ID for a
    # script, a form's hidden or pre-filled field; never read, the page compliant, the copy kept them
    (' data-sfzh="11010519491231002X"', "", 'data-sfzh="110105********002X"'),
    ("", '<form><input type="hidden" name="sfzh" value="11010519491231002X"></form>', 'value="110105********002X"'),
    ("", '<form><input type="text" name="lxdh" value="138 1234 5678"></form>', 'value="138 **** 5678"'),
    (' data-email="wangfang@qq.com"', "", 'data-email="w*******@qq.com"'),
])
def test_html_data_attributes_and_input_values_are_audited_and_masked(tmp_path, attr, form, masked):
    src, out = tmp_path / "page.html", tmp_path / "page-masked.html"
    src.write_text(_MASKED_LIST.format(attr=attr, form=form), encoding="utf-8")
    [before] = audit_paths([str(src)])
    assert before.verdict == "violation", before.reason
    record, _n = mask_file(str(src), str(out))
    assert record.verdict == "compliant", record.reason
    assert masked in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("attr, form", [
    # near misses: short numbers, dates, a select's options are no identifiers
    (' data-id="12" data-date="2022-05-10"', '<form><input type="text" name="page" value="3"></form>'),
    # (a select's choice holding a mobile or an ID is published: test_privacy_audit_html)
    (' data-row="7"', '<form><select name="y"><option value="2022">2022年</option><option value="440100">广州市</option></select></form>'),
    # addresses and file names: a lazy image's data-src, a row's data-url (their digits are no one's)
    (' data-src="/uploads/2022/0617/16512345678.jpg"', '<img data-original="http://x.gov.cn/u/13812345678.png?v=1">'),
    (' data-url="https://x.gov.cn/art/2022/6/17/art_13812345678.html"', '<input type="hidden" value="./files/13812345678.pdf">'),
])
def test_html_data_attributes_without_identifiers_stay_compliant(tmp_path, attr, form):
    src = tmp_path / "page.html"
    src.write_text(_MASKED_LIST.format(attr=attr, form=form), encoding="utf-8")
    [record] = audit_paths([str(src)])
    assert record.verdict == "compliant", record.reason


_HEADED = '<tr><th>姓名</th><th>身份证号</th></tr>'
_ROW = '<td>王*</td><td>110105********002X</td>'


@pytest.mark.parametrize("table, unmasked, masked, where", [
    # a row's data-* attribute: read on a <td>, never on a <tr> (the masked list was compliant);
    # it belongs to the row's first cell
    (f'<table><tbody>{_HEADED}<tr data-sfzh="11010519491231002X">{_ROW}</tr></tbody></table>',
     "11010519491231002X", 'data-sfzh="110105********002X"', {"table": 0, "row": 1, "col": 0}),
    (f'<table>{_HEADED}<tr class="odd" data-lxdh="138-1234-5678">{_ROW}</tr></table>',
     "138-1234-5678", 'data-lxdh="138-****-5678"', {"table": 0, "row": 1, "col": 0}),
    # the table's and its row group's, a line before the rows
    (f'<table data-sfzh="11010519491231002X">{_HEADED}<tr>{_ROW}</tr></table>',
     "11010519491231002X", '<table data-sfzh="110105********002X">', {}),
    (f'<table><thead>{_HEADED}</thead><tbody data-sfzh="11010519491231002X"><tr>{_ROW}</tr></tbody></table>',
     "11010519491231002X", '<tbody data-sfzh="110105********002X">', {}),
    # between a row's cells: a hidden input, a comment (they went with the row, unread)
    (f'<table>{_HEADED}<tr><input type="hidden" name="sfzh" value="11010519491231002X">{_ROW}</tr></table>',
     "11010519491231002X", 'value="110105********002X"', {"table": 0, "row": 1, "col": 0}),
    (f'<table>{_HEADED}<tr><td>王*</td><!-- 原号码13812345678 --><td>110105********002X</td></tr></table>',
     "13812345678", "<!-- 原号码138****5678 -->", {"table": 0, "row": 1, "col": 0}),
    # between the rows, and the caption (shown above the table)
    (f'<table>{_HEADED}<!-- 王芳 13812345678 --><tr>{_ROW}</tr></table>',
     "13812345678", "<!-- 王* 138****5678 -->", {}),
    (f'<table><caption>联系人：王芳，电话13812345678</caption>{_HEADED}<tr>{_ROW}</tr></table>',
     "13812345678", "<caption>联系人：王*，电话138****5678</caption>", {}),
    # cells a browser shows that were lost, text and all: without a <tr>, in a <form> inside a <tr>
    ('<table><td>王*</td><td>联系电话</td><td>13812345678</td></table>',
     "13812345678", "<td>138****5678</td>", {"table": 0, "row": 0, "col": 2}),
    (f'<table>{_HEADED}<tr><form action="/x"><td>王*</td><td>11010519491231002X</td></form></tr></table>',
     "11010519491231002X", "<td>110105********002X</td>", {"table": 0, "row": 1, "col": 1}),
])
def test_html_table_outside_its_cells_is_audited_and_masked(tmp_path, table, unmasked, masked, where):
    src, out = tmp_path / "page.html", tmp_path / "page-masked.html"
    src.write_text(f"<html><body><p>根据有关规定，现将名单公示如下。</p>{table}</body></html>", encoding="utf-8")
    [before] = audit_paths([str(src)])
    assert before.verdict == "violation", before.reason
    for item in (i for i in before.items if i["violation"] and where):
        assert {k: item["location"].get(k) for k in where} == where
    record, _n = mask_file(str(src), str(out))
    assert record.verdict == "compliant", record.reason
    html = out.read_text(encoding="utf-8")
    assert masked in html and unmasked not in html


@pytest.mark.parametrize("table", [
    # near misses on the table, its rows and between them: ids, dates, addresses, file names
    f'<table data-id="12"><tbody data-page="3">{_HEADED}<tr data-row="7" data-date="2022-05-10">{_ROW}</tr></tbody></table>',
    f'<table>{_HEADED}<tr data-url="https://x.gov.cn/art/2022/6/17/art_13812345678.html">{_ROW}</tr></table>',
    f'<table data-src="/uploads/2022/0617/16512345678.jpg">{_HEADED}<!-- 2022-06-17 --><tr>{_ROW}</tr></table>',
    f'<table><caption>2022年第二季度名单</caption>{_HEADED}<tr><input type="hidden" name="page" value="3">{_ROW}</tr></table>',
])
def test_html_table_outside_its_cells_without_identifiers_stays_compliant(tmp_path, table):
    src = tmp_path / "page.html"
    src.write_text(f"<html><body><p>根据有关规定，现将名单公示如下。</p>{table}</body></html>", encoding="utf-8")
    [record] = audit_paths([str(src)])
    assert record.verdict == "compliant", record.reason


@pytest.mark.parametrize("body, unmasked, masked", [
    # a control's, a frame's, a drawing's published attributes: their text is not the page's,
    # and nothing of them was read (a list row's 查看 button carrying the ID for its script)
    ('<table><tr><th>姓名</th><th>操作</th></tr><tr><td>王*</td><td><button data-sfzh="11010519491231002X">查看</button></td></tr></table>',
     "11010519491231002X", '<button data-sfzh="110105********002X">查看</button>'),
    ('<p>名单<button type="button" data-lxdh="13812345678">联系</button></p>', "13812345678", 'data-lxdh="138****5678"'),
    ('<select name="ry"><option data-sfzh="11010519491231002X">王*</option></select>', "11010519491231002X",
     '<option data-sfzh="110105********002X">'),
    ('<iframe src="/list.html" data-sfzh="11010519491231002X"></iframe>', "11010519491231002X",
     'data-sfzh="110105********002X"'),
    # a script in an attribute: a list's link that opens the person's record
    ('<ul><li><a href="javascript:void(0)" onclick="view(\'11010519491231002X\')">王*</a></li></ul>', "11010519491231002X",
     'onclick="view(\'110105********002X\')"'),
    ('<ul><li><a href="javascript:show(\'wf\',\'13812345678\')">王*</a></li></ul>', "13812345678",
     'href="javascript:show(\'wf\',\'138****5678\')"'),
    # noscript and template: in the source, as a comment is (noscript shown without scripts)
    ('<noscript><p>联系人：王*，电话13812345678</p></noscript><div id="app"></div>', "13812345678",
     "<p>联系人：王*，电话138****5678</p>"),
    ('<template id="row"><tr><td>王*</td><td>11010519491231002X</td></tr></template>', "11010519491231002X",
     "<td>110105********002X</td>"),
])
def test_html_source_only_elements_are_audited_and_masked(tmp_path, body, unmasked, masked):
    src, out = tmp_path / "page.html", tmp_path / "page-masked.html"
    src.write_text(f"<html><body><p>根据有关规定，现将名单公示如下。</p>{body}</body></html>", encoding="utf-8")
    [before] = audit_paths([str(src)])
    assert before.verdict == "violation", before.reason
    record, _n = mask_file(str(src), str(out))
    assert record.verdict == "compliant", record.reason
    html = out.read_text(encoding="utf-8")
    assert masked in html and unmasked not in html


@pytest.mark.parametrize("body", [
    # near misses: a link that opens an address, short arguments, a select's options (choices),
    # a button's own label, noscript's usual words
    ('<a href="javascript:void(0)" onclick="openWin(\'/art/2022/6/17/art_13812345678.html\')">通知</a>'
     '<a href="javascript:goPage(3)" onclick="return check(this, 12)">下一页</a>'),
    '<select name="y"><option value="20220617">2022年6月17日</option></select><button data-id="12">查询</button>',
    '<button type="submit" title="提交">提交</button><iframe data-src="/uploads/2022/0617/16512345678.html"></iframe>',
    '<noscript>您的浏览器不支持JavaScript，请启用后浏览。</noscript><template><p>{{ item.sfzh }}</p></template>',
])
def test_html_source_only_elements_without_identifiers_stay_compliant(tmp_path, body):
    src = tmp_path / "page.html"
    src.write_text(f"<html><body><p>根据有关规定，现将名单公示如下。</p><p>王*</p>{body}</body></html>", encoding="utf-8")
    [record] = audit_paths([str(src)])
    assert record.verdict == "compliant", record.reason
    assert not [i for i in record.items if i["violation"]]


@pytest.mark.parametrize("body, read, not_read", [
    # a template's text is read, not an icon's drawing in it (its licence comment, in every template)
    ('<template id="fa-eye"><span><svg viewBox="0 0 576 512"><!--! Font Awesome Free 6.2.0 by @fontawesome '
     '- Copyright 2022 Fonticons, Inc. --><path d="M288 32c-80"/></svg></span></template>'
     '<template id="row"><p>电话13812345678</p></template>', ["电话13812345678"], ["fontawesome", "M288"]),
    # a noscript inside a button: its text is read, the button's label after it is not
    ('<button type="button"><noscript>办理人电话13812345678</noscript>电话2022年咨询</button>',
     ["办理人电话13812345678"], ["咨询"]),
])
def test_html_source_only_text_read_where_it_is_published(body, read, not_read):
    from scanner.extract.office import extract_html_structured
    from scanner.types import Source

    text = extract_html_structured(Source("page.html", f"<html><body><p>名单</p>{body}</body></html>".encode())).text
    assert all(r in text for r in read) and not any(n in text for n in not_read), text


@pytest.mark.parametrize("where", ["body", "head"])
@pytest.mark.parametrize("script, verdict", [
    # a page that draws its list from data in the page publishes every value in its source
    ('var list = [\n {"xm": "王芳", "sfzh": "11010519491231002X", "sjhm": "13812345678"}\n];', "violation"),
    # code with no long digit run, and an external script, are not read
    ("var t = Date.now(); render(list, 10);", "compliant"),
])
def test_html_inline_script_data_is_audited_and_masked(tmp_path, script, verdict, where):
    page = f'<html><body><h1>补贴发放名单</h1><div id="app"></div><script src="/js/app.js"></script><script>{script}</script></body></html>'
    if where == "head":
        page = page.replace("<html><body>", f"<html><head><script>{script}</script></head><body>").replace(f"<script>{script}</script></body>", "</body>")
    src, out = tmp_path / "page.html", tmp_path / "page-masked.html"
    src.write_text(page, encoding="utf-8")
    [before] = audit_paths([str(src)])
    assert before.verdict == verdict, before.reason
    record, _n = mask_file(str(src), str(out))
    assert record.verdict == "compliant", record.reason
    html = out.read_text(encoding="utf-8")
    assert "11010519491231002X" not in html and "13812345678" not in html
    if verdict == "violation":
        assert '"sfzh": "110105********002X", "sjhm": "138****5678"' in html


def test_html_head_title_and_meta_description_are_audited_and_masked(tmp_path):
    """A CMS writes the article's first sentences into <meta name="description">: the
    masked copy's body was clean, its description still held the ID (and search engines
    show it); the title named the person."""
    page = ('<html><head><title>关于王芳同志的任前公示</title><meta name="SiteIdcode" content="4400000001">'
            '<meta name="description" content="申请人王芳，身份证号11010519491231002X，经审核"></head>'
            '<body><p>申请人王芳，身份证号11010519491231002X，经审核</p></body></html>')
    src, out = tmp_path / "page.html", tmp_path / "page-masked.html"
    src.write_text(page, encoding="utf-8")
    [before] = audit_paths([str(src)])
    assert [i["entity"] for i in before.items if i["violation"]].count("CN_RESIDENT_ID") == 2
    record, _n = mask_file(str(src), str(out))
    assert record.verdict == "compliant", record.reason
    html = out.read_text(encoding="utf-8")
    assert "11010519491231002X" not in html and "王芳" not in html
    assert 'content="申请人王*，身份证号110105********002X，经审核"' in html and "<title>关于王*同志的任前公示</title>" in html
    assert 'content="4400000001"' in html


def test_mask_style_from_policy(tmp_path):
    from scanner.privacy.policy import Policy

    path = tmp_path / "policy.toml"
    path.write_text('[mask]\nCN_RESIDENT_ID = { head = 3, tail = 1 }\nCN_MOBILE = { head = 0, tail = 4 }\n', encoding="utf-8")
    pol = Policy.load(path)
    assert mask_value("CN_RESIDENT_ID", "11010519491231002X", pol) == "110**************X"
    assert mask_value("CN_MOBILE", "13812345678", pol) == "*******5678"


@pytest.mark.parametrize("text, expected_masked, expected_verdict_before", [
    # an organ's contact with a mobile: a violation, masked, then compliant
    ("联系人及电话：\n科技司 虞正夫 13812345678\n", "联系人及电话：\n科技司 虞** 138****5678\n", "violation"),
    # an organ's contact with its landline: not a violation; the name is masked (every
    # full name is), the organ's line stays, and the copy is still the organ's contact
    ("联系人及电话：\n科技司 虞正夫 010-68591234\n", "联系人及电话：\n科技司 虞** 010-68591234\n", "compliant"),
])
def test_mask_contact_rows(tmp_path, text, expected_masked, expected_verdict_before):
    src = tmp_path / "contacts.txt"
    src.write_text(text, encoding="utf-8")
    [before] = audit_paths([str(src)])
    assert before.verdict == expected_verdict_before
    out = tmp_path / "contacts-masked.txt"
    record, _n = mask_file(str(src), str(out))
    assert record.verdict == "compliant", record.reason
    assert out.read_text(encoding="utf-8") == expected_masked


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_tab(d):
    p = d.add_paragraph()
    p.add_run("姓名：王芳").add_tab()
    p.add_run("身份证号：11010519491231002X")


def _docx_break(d):
    p = d.add_paragraph()
    p.add_run("联系人：王芳").add_break()
    p.add_run("手机：13812345678")


def _docx_tracked_insertion(d):
    from docx.oxml import parse_xml

    p = d.add_paragraph("申请人王芳，手机")
    p._p.append(parse_xml(f'<w:ins {_W} w:id="1" w:author="x" w:date="2024-01-01T00:00:00Z"><w:r><w:t>13812345678</w:t></w:r></w:ins>'))


def _docx_content_control(d):
    from docx.oxml import parse_xml

    d.element.body.insert(1, parse_xml(f'<w:sdt {_W}><w:sdtContent><w:p><w:r><w:t>申请人王芳，身份证号11010519491231002X</w:t></w:r></w:p></w:sdtContent></w:sdt>'))


def _docx_tracked_deletion(d):
    from docx.oxml import parse_xml

    p = d.add_paragraph("申请人王芳，身份证号")
    p._p.append(parse_xml(f'<w:del {_W} w:id="2" w:author="x" w:date="2024-01-01T00:00:00Z"><w:r><w:delText>11010519491231002X</w:delText></w:r></w:del>'))


def _tracked(kind: str, text: str, n: int = 3) -> str:
    tag, t = ("w:del", "w:delText") if kind == "del" else ("w:ins", "w:t")
    return f'<{tag} {_W} w:id="{n}" w:author="x" w:date="2024-01-01T00:00:00Z"><w:r><{t}>{text}</{t}></w:r></{tag}>'


def _docx_tracked_replacement(d):
    """An ID and a mobile replaced by their masked forms with Track Changes on: read where they
    stood, 11010519491231002X110105********002X was one run of digits, neither found: the audit
    said compliant and the masked copy kept both values."""
    from docx.oxml import parse_xml

    p = d.add_paragraph("申请人王*，身份证号")
    p._p.append(parse_xml(_tracked("del", "11010519491231002X")))
    p._p.append(parse_xml(_tracked("ins", "110105********002X", 4)))
    p.add_run("，手机")
    p._p.append(parse_xml(_tracked("del", "13812345678", 5)))
    p._p.append(parse_xml(_tracked("ins", "138****5678", 6)))


def _docx_tracked_replacement_mobile(d):
    from docx.oxml import parse_xml

    p = d.add_paragraph("申请人王*，身份证号110105********002X，手机")
    p._p.append(parse_xml(_tracked("del", "13812345678")))
    p._p.append(parse_xml(_tracked("ins", "138****5678", 4)))


def _docx_hidden_run(d):
    """The ID hidden (Word's 隐藏文字) and its masked form typed after it: in the file, one click
    (显示隐藏文字) from view."""
    p = d.add_paragraph("申请人王*，身份证号")
    p.add_run("11010519491231002X").font.hidden = True
    p.add_run("110105********002X")


def _docx_field_link(d):
    from docx.oxml import parse_xml

    p = d.add_paragraph("申请人王芳，手机")
    for xml in ('<w:fldChar w:fldCharType="begin"/>', '<w:instrText xml:space="preserve"> HYPERLINK "tel:13812345678" </w:instrText>',
                '<w:fldChar w:fldCharType="separate"/>', '<w:t>点此拨打</w:t>', '<w:fldChar w:fldCharType="end"/>'):
        p._p.append(parse_xml(f'<w:r {_W}>{xml}</w:r>'))


def _docx_nested_table(d):
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "备注"
    inner = t.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "王芳"
    inner.cell(0, 1).text = "13812345678"


@pytest.mark.parametrize("build, hidden", [
    # a tab or a line break inside the paragraph: the copy was written unmasked (not compliant)
    (_docx_tab, "11010519491231002X"),
    (_docx_break, "13812345678"),
    # text python-docx's Paragraph.text / cell.text leave out: never audited, never masked
    (_docx_tracked_insertion, "13812345678"),
    (_docx_content_control, "11010519491231002X"),
    (_docx_nested_table, "13812345678"),
    # what the file holds but does not show: a tracked deletion (an ID column deleted with
    # Track Changes on, one click from view) and a field link's instruction
    (_docx_tracked_deletion, "11010519491231002X"),
    (_docx_field_link, "13812345678"),
    # ... and read after the shown text, apart: a value replaced by its masked form with Track
    # Changes on, or hidden before it, ran into the masked form and was never found
    (_docx_tracked_replacement, "11010519491231002X"),
    (_docx_tracked_replacement_mobile, "13812345678"),
    (_docx_hidden_run, "11010519491231002X"),
])
def test_docx_text_outside_plain_runs_is_audited_and_masked(tmp_path, build, hidden):
    import docx
    import zipfile

    d = docx.Document()
    d.add_paragraph("公示名单")
    build(d)
    src, out = tmp_path / "list.docx", tmp_path / "list-masked.docx"
    d.save(src)
    [before] = audit_paths([str(src)])
    assert before.verdict == "violation", before.reason
    record, n = mask_file(str(src), str(out))
    assert record.verdict == "compliant", record.reason
    assert n >= 1
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert hidden not in xml
    assert hidden[:3] in xml and hidden[-4:] in xml  # masked in place, the rest kept


@pytest.mark.parametrize("parts, published, shown", [
    # the paragraph as shown, then a space and what it holds unseen, each deletion apart
    ([("t", "身份证号"), ("del", "11010519491231002X"), ("ins", "110105********002X")], True,
     "身份证号110105********002X 11010519491231002X"),
    ([("t", "身份证号"), ("del", "11010519491231002X"), ("ins", "110105********002X"), ("t", "，手机"),
      ("del", "13812345678"), ("ins", "138****5678")], True,
     "身份证号110105********002X，手机138****5678 11010519491231002X 13812345678"),
    # a digit corrected inside a number: the number reads as shown, one number
    ([("t", "手机1381234567"), ("del", "7"), ("ins", "8")], True, "手机13812345678 7"),
    # a deletion over two runs stays one value
    ([("t", "身份证号"), ("del", "110105194912"), ("del", "31002X")], True, "身份证号 11010519491231002X"),
    # what `govscan review` reads: the text as shown
    ([("t", "身份证号"), ("del", "11010519491231002X"), ("ins", "110105********002X")], False, "身份证号110105********002X"),
])
def test_docx_unseen_text_after_the_shown_text(parts, published, shown):
    import docx
    from docx.oxml import parse_xml

    from scanner.extract.documents import docx_paragraph_text

    p = docx.Document().add_paragraph()
    for n, (kind, text) in enumerate(parts):
        p._p.append(parse_xml(f'<w:r {_W}><w:t>{text}</w:t></w:r>' if kind == "t" else _tracked(kind, text, n)))
    assert docx_paragraph_text(p._p, published=published) == shown


def test_docx_headers_and_footers_are_audited_and_masked(tmp_path):
    import docx
    import zipfile

    d = docx.Document()
    d.add_paragraph("关于开展专项检查的通知")
    d.sections[0].footer.paragraphs[0].text = "联系人：王芳，手机13812345678"
    t = d.sections[0].header.add_table(rows=1, cols=2, width=docx.shared.Inches(6))
    t.cell(0, 0).text = "经办人 李明"
    t.cell(0, 1).text = "身份证号11010519491231002X"
    src, out = tmp_path / "notice.docx", tmp_path / "notice-masked.docx"
    d.save(src)
    [before] = audit_paths([str(src)])
    assert before.verdict == "violation", before.reason
    assert {i["entity"] for i in before.items if i["violation"]} >= {"CN_MOBILE", "CN_RESIDENT_ID"}
    record, _n = mask_file(str(src), str(out))
    assert record.verdict == "compliant", record.reason
    with zipfile.ZipFile(out) as zf:
        parts = {name: zf.read(name).decode("utf-8") for name in zf.namelist() if name.startswith("word/")}
    text = "".join(parts.values())
    assert "13812345678" not in text and "138****5678" in text
    assert "11010519491231002X" not in text and "110105********002X" in text


def test_docx_text_box_is_audited_and_masked(tmp_path):
    """A text box: Word writes it twice (DrawingML and a VML fallback), and both copies are
    audited and masked (the file holds the value twice)."""
    import docx
    import zipfile
    from docx.oxml import parse_xml

    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    wps = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    box = '<w:txbxContent><w:p><w:r><w:t>申请人王芳，手机13812345678</w:t></w:r></w:p></w:txbxContent>'
    d = docx.Document()
    d.add_paragraph("报名表")
    p = d.add_paragraph()
    p._p.append(parse_xml(f'<w:r {_W} {mc} {wps}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
                          f'<wps:txbx>{box}</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict>'
                          f'<w:textbox {_W}>{box}</w:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>'))
    src, out = tmp_path / "form.docx", tmp_path / "form-masked.docx"
    d.save(src)
    [before] = audit_paths([str(src)])
    assert [i["entity"] for i in before.items if i["violation"]].count("CN_MOBILE") == 2, before.items
    record, _n = mask_file(str(src), str(out))
    assert record.verdict == "compliant", record.reason
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert xml.count("138****5678") == 2 and "13812345678" not in xml


def test_docx_mask_adds_no_header_or_footer_part(tmp_path):
    import docx
    import zipfile

    d = docx.Document()
    d.add_paragraph("申请人王芳，手机13812345678")
    src, out = tmp_path / "a.docx", tmp_path / "b.docx"
    d.save(src)
    mask_file(str(src), str(out))
    # the same parts, but the first page's preview picture, which showed the unmasked values
    assert "docProps/thumbnail.jpeg" in zipfile.ZipFile(src).namelist()
    assert sorted(zipfile.ZipFile(out).namelist()) == sorted(n for n in zipfile.ZipFile(src).namelist() if n != "docProps/thumbnail.jpeg")


def test_docx_mailto_and_tel_links_are_audited_and_masked(tmp_path):
    """Word makes a typed e-mail address a mailto: link; the link target (in the package's
    relationships) kept the address when its text was masked, by hand or by mask, and the
    copy was re-audited compliant."""
    import zipfile

    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
    d = docx.Document()
    p = d.add_paragraph("联系人：王芳，邮箱：")
    rid = d.part.relate_to("mailto:wangfang@qq.com", RT.HYPERLINK, is_external=True)
    # the visible text masked by hand, the link not
    p._p.append(parse_xml(f'<w:hyperlink {ns} r:id="{rid}"><w:r><w:t>w*******@qq.com</w:t></w:r></w:hyperlink>'))
    p.add_run("，手机：")
    rid = d.part.relate_to("tel:13812345678", RT.HYPERLINK, is_external=True)
    p._p.append(parse_xml(f'<w:hyperlink {ns} r:id="{rid}"><w:r><w:t>13812345678</w:t></w:r></w:hyperlink>'))
    src, out = tmp_path / "contact.docx", tmp_path / "contact-masked.docx"
    d.save(src)
    [before] = audit_paths([str(src)])
    assert {i["entity"] for i in before.items if i["violation"]} >= {"EMAIL", "CN_MOBILE"}, before.items
    record, _n = mask_file(str(src), str(out))
    assert record.verdict == "compliant", record.reason
    with zipfile.ZipFile(out) as zf:
        rels = zf.read("word/_rels/document.xml.rels").decode()
        body = zf.read("word/document.xml").decode()
    assert "wangfang" not in rels and "13812345678" not in rels and "13812345678" not in body
    assert "mailto:w*******@qq.com" in rels and "tel:138****5678" in rels
    # the review reads the paragraph as written: no link target in its text
    from scanner.extract.documents import extract_docx
    from scanner.types import Source

    assert extract_docx(Source("contact.docx", src.read_bytes())).text == "联系人：王芳，邮箱：w*******@qq.com，手机：13812345678\n"


def test_xlsx_mailto_and_tel_links_of_masked_cells_are_masked(tmp_path):
    """Excel makes a typed e-mail address a mailto: link: the masked copy showed
    w*******@qq.com and linked to mailto:wangfang@qq.com."""
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "邮箱", "手机"])
    wb.active.append(["王芳", "wangfang@qq.com", "13812345678"])
    wb.active["B2"].hyperlink = "mailto:wangfang@qq.com"
    wb.active["C2"].hyperlink = "tel:13812345678"
    src, out = tmp_path / "list.xlsx", tmp_path / "list-masked.xlsx"
    wb.save(src)
    record, _n = mask_file(str(src), str(out))
    assert record.verdict == "compliant", record.reason
    with zipfile.ZipFile(out) as zf:
        rels = zf.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
    assert "wangfang" not in rels and "13812345678" not in rels
    assert "mailto:w*******@qq.com" in rels and "tel:138****5678" in rels


_ROW = "姓名,身份证号,手机\n王芳,11010519491231002X,13812345678\n"
_ROW_MASKED = "姓名,身份证号,手机\n王*,110105********002X,138****5678\n"
_LINE = "申请人王芳，身份证号11010519491231002X。\n"
_LINE_MASKED = "申请人王*，身份证号110105********002X。\n"


@pytest.mark.parametrize("name, data, expected", [
    # the copy keeps the file's encoding and BOM (it was always written as UTF-8 without BOM)
    ("list.csv", _ROW.encode("gbk"), _ROW_MASKED.encode("gbk")),
    ("list.csv", b"\xef\xbb\xbf" + _ROW.encode(), b"\xef\xbb\xbf" + _ROW_MASKED.encode()),
    ("notice.txt", _LINE.encode("gb18030"), _LINE_MASKED.encode("gb18030")),
    ("notice.txt", _LINE.encode("utf-16"), _LINE_MASKED.encode("utf-16")),
    # Windows line ends stay; a line break inside a quoted cell stays (was a space); a blank row stays
    ("list.csv", _ROW.replace("\n", "\r\n").encode(), _ROW_MASKED.replace("\n", "\r\n").encode()),
    ("list.csv", '姓名,地址,手机\n\n王芳,"广州市\n天河区",13812345678\n'.encode(),
     '姓名,地址,手机\n\n王*,"广州市\n天河区",138****5678\n'.encode()),
    # an HTML page in GBK keeps its bytes in GBK, as its <meta charset> says
    ("page.html", '<html><head><meta charset="gbk"></head><body><p>联系人：王芳，手机13812345678</p></body></html>'.encode("gbk"),
     '<!DOCTYPE html>\n<html><head><meta charset="gbk"></head><body><p>联系人：王*，手机138****5678</p></body></html>'.encode("gbk")),
    # a value holding quotes (Excel's ="…" to keep digits as text): the sniffed dialect had
    # no escape for it and the writer raised csv.Error; written with doubled quotes
    ("list.csv", '姓名,手机\n王芳,="13812345678"\n'.encode(), '姓名,手机\n王*,"=""138****5678"""\n'.encode()),
    # Excel's "sep=;" first line names the delimiter (the sniffer took the comma of 300,00: each
    # row was one cell, the name was never found and stayed in the copy)
    ("list.csv", "sep=;\n姓名;身份证号;金额\n王芳;11010519491231002X;300,00\n".encode("gbk"),
     "sep=;\n姓名;身份证号;金额\n王*;110105********002X;300,00\n".encode("gbk")),
], ids=["gbk-csv", "utf8-bom-csv", "gb18030-txt", "utf16-txt", "crlf-csv", "multiline-cell-csv", "gbk-html", "quoted-csv", "sep-line-csv"])
def test_mask_keeps_encoding_and_line_ends(tmp_path, name, data, expected):
    src = tmp_path / name
    src.write_bytes(data)
    out = tmp_path / f"masked-{name}"
    record, _n = mask_file(str(src), str(out))
    assert record.verdict == "compliant", record.reason
    assert out.read_bytes() == expected


def _xlsx_note(ws):
    from openpyxl.comments import Comment

    ws["B2"].comment = Comment("审核：本人手机13812345678", "审核人")


def _xlsx_tel_link(ws):
    ws["C2"].hyperlink = "tel:13812345678"


def _xlsx_footer(ws):
    ws.oddFooter.center.text = "经办人 张三 手机13812345678"


@pytest.mark.parametrize("build, where", [
    # a cell's note (comment): shown over its cell, in the file; it was never read
    (_xlsx_note, "B2 批注"),
    # a tel: link on a cell whose text is no number: the link was never read
    (_xlsx_tel_link, "C2 链接"),
    # a sheet's footer, printed on every page
    (_xlsx_footer, "页脚(中)"),
], ids=["note", "tel-link", "footer"])
def test_xlsx_notes_links_and_footers_are_audited_and_masked(tmp_path, build, where):
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "公示名单"
    ws.append(["序号", "姓名", "单位"])
    ws.append([1, "王芳", "某社区"])
    build(ws)
    src, out = tmp_path / "list.xlsx", tmp_path / "list-masked.xlsx"
    wb.save(src)
    [before] = audit_paths([str(src)])
    assert before.verdict == "violation", before.reason
    [mobile] = [i for i in before.items if i["entity"] == "CN_MOBILE"]
    assert mobile["location"] == {"sheet": "公示名单", "cell": where} and mobile["value_masked"] == "138****5678"
    record, _n = mask_file(str(src), str(out))
    assert record.verdict == "compliant", record.reason
    with zipfile.ZipFile(out) as zf:
        assert not [n for n in zf.namelist() if b"13812345678" in zf.read(n)]
        assert any(b"138****5678" in zf.read(n) for n in zf.namelist())


def _docx_comment(d):
    d.add_comment(d.paragraphs[0].runs, text="核实：联系人王芳，手机13812345678", author="审核")


def _docx_note_part(tag):
    def build(d):
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part
        from docx.oxml import parse_xml

        xml = (f'<w:{tag}s {_W}><w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
               f'<w:{tag} w:id="1"><w:p><w:r><w:t>联系人王芳，手机13812345678</w:t></w:r></w:p></w:{tag}></w:{tag}s>')
        ct = f"application/vnd.openxmlformats-officedocument.wordprocessingml.{tag}s+xml"
        d.part.relate_to(Part(PackURI(f"/word/{tag}s.xml"), ct, xml.encode(), d.part.package),
                         RT.FOOTNOTES if tag == "footnote" else RT.ENDNOTES)
        d.paragraphs[0]._p.append(parse_xml(f'<w:r {_W}><w:{tag}Reference w:id="1"/></w:r>'))
    return build


def _docx_header_text_box(d):
    from docx.oxml import parse_xml

    box = '<w:txbxContent><w:p><w:r><w:t>联系人王芳，手机13812345678</w:t></w:r></w:p></w:txbxContent>'
    d.sections[0].header.paragraphs[0]._p.append(parse_xml(f'<w:r {_W}><w:pict><w:textbox {_W}>{box}</w:textbox></w:pict></w:r>'))


@pytest.mark.parametrize("build, part", [
    # a reviewer's comment left in the published file
    (_docx_comment, "word/comments.xml"),
    # footnotes and endnotes (python-docx keeps them as bytes)
    (_docx_note_part("footnote"), "word/footnotes.xml"),
    (_docx_note_part("endnote"), "word/endnotes.xml"),
    # a text box in a header (body text boxes were read, headers' were not)
    (_docx_header_text_box, "word/header1.xml"),
], ids=["comment", "footnote", "endnote", "header-text-box"])
def test_docx_comments_notes_and_header_boxes_are_audited_and_masked(tmp_path, build, part):
    import zipfile

    import docx

    d = docx.Document()
    d.add_paragraph("关于拟录用人员的公示")
    build(d)
    src, out = tmp_path / "notice.docx", tmp_path / "notice-masked.docx"
    d.save(src)
    [before] = audit_paths([str(src)])
    assert [i["entity"] for i in before.items if i["violation"]].count("CN_MOBILE") == 1, before.items
    # the location names the part (its offsets alone did not say where)
    [mobile] = [i for i in before.items if i["entity"] == "CN_MOBILE"]
    assert mobile["location"]["part"] == {"word/comments.xml": "批注", "word/footnotes.xml": "脚注",
                                          "word/endnotes.xml": "尾注", "word/header1.xml": "页眉文本框"}[part]
    record, _n = mask_file(str(src), str(out))
    assert record.verdict == "compliant", record.reason
    with zipfile.ZipFile(out) as zf:
        assert not [n for n in zf.namelist() if b"13812345678" in zf.read(n)]
        assert "138****5678" in zf.read(part).decode("utf-8")


def test_txt_columns_aligned_with_spaces_are_cells_and_the_copy_keeps_its_spaces(tmp_path):
    """A table saved as text, its columns aligned with spaces: the rows read as running
    text, the names were never found and a list of names with home phones came out compliant."""
    src, out = tmp_path / "list.txt", tmp_path / "list-masked.txt"
    src.write_text("公示名单\n序号  姓名  性别  家庭电话\n1  王芳  女  020-83331234\n2  李建国  男  020-83335678\n", encoding="utf-8")
    [before] = audit_paths([str(src)])
    assert before.verdict == "violation", before.reason
    assert [(i["entity"], i["violation"]) for i in before.items] == [("PERSON", True), ("CN_LANDLINE", True)] * 2
    record, _n = mask_file(str(src), str(out))
    assert record.verdict == "compliant", record.reason
    assert out.read_text(encoding="utf-8") == "公示名单\n序号  姓名  性别  家庭电话\n1  王*  女  020-8*****34\n2  李**  男  020-8*****78\n"


def _page(path):
    path.write_text("<html><body><p>联系人：王芳，手机13812345678</p></body></html>", encoding="utf-8")


def _sheet(path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "手机"])
    wb.active.append(["王芳", "13812345678"])
    wb.save(path)


def _document(path):
    import docx

    d = docx.Document()
    d.add_paragraph("联系人：王芳，手机13812345678")
    d.save(path)


@pytest.mark.parametrize("name, write", [
    ("list.csv", lambda p: p.write_text("姓名,手机\n王芳,13812345678\n", encoding="utf-8")),
    ("page.html", _page),
    ("list.xlsx", _sheet),
    ("notice.docx", _document),
])
def test_mask_char_from_policy_in_every_format(tmp_path, name, write):
    """Only '*' was copied into the file: with `[mask] char = "#"` a CSV, HTML, XLSX or
    DOCX copy kept every value (and said 已去标识化 2 处)."""
    import zipfile

    policy_file = tmp_path / "policy.toml"
    policy_file.write_text('[mask]\nchar = "#"\n', encoding="utf-8")
    src, out = tmp_path / name, tmp_path / f"masked-{name}"
    write(src)
    from scanner.privacy.policy import Policy

    record, _n = mask_file(str(src), str(out), Policy.load(policy_file))
    assert record.verdict == "compliant", record.reason
    data = out.read_bytes()
    if zipfile.is_zipfile(out):
        data = b"".join(zipfile.ZipFile(out).read(n) for n in zipfile.ZipFile(out).namelist())
    assert b"13812345678" not in data and "138####5678".encode() in data


def test_xlsx_footer_without_sections_and_link_over_a_range(tmp_path, capfd):
    """A footer with no section code at its start (openpyxl drops it, with a warning on
    stderr): read whole and written masked (the copy lost the footer); a link over a range
    (ref="A2:B2", one link per cell once loaded): every copy of it masked (B2's kept it)."""
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "金额"])
    wb.active.append(["王芳", 300])
    wb.active.oddFooter.center.text = "PLACEHOLDER"
    wb.active["A2"].hyperlink = "mailto:wangfang@qq.com"
    plain, src, out = tmp_path / "plain.xlsx", tmp_path / "list.xlsx", tmp_path / "list-masked.xlsx"
    wb.save(plain)
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(src, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data.replace("&amp;CPLACEHOLDER".encode(), "经办人 张三 13812345678 第&amp;P页".encode())
                data = data.replace(b'ref="A2"', b'ref="A2:B2"')
            zout.writestr(name, data)
    [before] = audit_paths([str(src)])
    got = {(i["entity"], i["location"]["cell"]) for i in before.items if i["violation"]}
    assert got >= {("CN_MOBILE", "页脚(中)"), ("EMAIL", "A2 链接")}, before.items
    record, _n = mask_file(str(src), str(out))
    assert record.verdict == "compliant", record.reason
    with zipfile.ZipFile(out) as zf:
        parts = b"".join(zf.read(n) for n in zf.namelist())
        sheet = zf.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert b"13812345678" not in parts and b"wangfang@" not in parts
    assert "138****5678" in sheet  # the footer kept, masked
    assert "Cannot parse header or footer" not in capfd.readouterr().err


def test_embedded_workbook_is_audited_and_mask_does_not_pass_it(tmp_path):
    """An Excel table pasted into a DOCX as an object: the page shows a picture, the file
    holds the whole workbook; it was never read (compliant).  mask cannot rewrite the
    picture: the copy's re-audit reports the embedded values (exit 1), none counted masked."""
    import io

    import docx
    import openpyxl
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    wb = openpyxl.Workbook()
    wb.active.title = "名单"
    wb.active.append(["姓名", "身份证号"])
    wb.active.append(["王芳", "11010519491231002X"])
    data = io.BytesIO()
    wb.save(data)
    d = docx.Document()
    d.add_paragraph("补贴发放名单公示")
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    d.part.relate_to(Part(PackURI("/word/embeddings/Microsoft_Excel_Worksheet.xlsx"), ct, data.getvalue(), d.part.package), RT.PACKAGE)
    src, out = tmp_path / "notice.docx", tmp_path / "notice-masked.docx"
    d.save(src)
    [before] = audit_paths([str(src)])
    assert before.verdict == "violation", before.reason
    [item] = [i for i in before.items if i["entity"] == "CN_RESIDENT_ID"]
    assert item["location"] == {"sheet": "嵌入对象 Microsoft_Excel_Worksheet.xlsx/名单", "cell": "B2"}
    record, n = mask_file(str(src), str(out))
    assert record.verdict == "violation" and n == 0


def test_xlsm_copy_keeps_its_macros(tmp_path):
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "手机"])
    wb.active.append(["王芳", "13812345678"])
    plain, src, out = tmp_path / "plain.xlsx", tmp_path / "list.xlsm", tmp_path / "list-masked.xlsm"
    wb.save(plain)
    macro = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(src, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", macro.encode())
                data = data.replace(b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
            if name == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
            zout.writestr(name, data)
        zout.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    record, _n = mask_file(str(src), str(out))
    assert record.verdict == "compliant", record.reason
    with zipfile.ZipFile(out) as zf:
        assert "xl/vbaProject.bin" in zf.namelist()  # the macros were dropped
        assert macro in zf.read("[Content_Types].xml").decode()


def test_docx_html_chunk_is_audited_and_masked(tmp_path):
    """A CMS's "export to Word" holds the page as an HTML alternative chunk (w:altChunk):
    Word shows it, document.xml holds none of its text; the DOCX was 'empty' (unreadable)."""
    import docx
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    d = docx.Document()
    html = "<html><body><p>申请人王芳，身份证号11010519491231002X</p></body></html>".encode()
    rid = d.part.relate_to(Part(PackURI("/word/afchunk.htm"), "text/html", html, d.part.package),
                           "http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk")
    d.element.body.insert(0, parse_xml(f'<w:altChunk {_W} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="{rid}"/>'))
    src = tmp_path / "export.docx"
    d.save(src)
    [record] = audit_paths([str(src)])
    assert record.verdict == "violation", record.reason
    assert {i["entity"] for i in record.items if i["violation"]} == {"PERSON", "CN_RESIDENT_ID"}
    # mask masks the chunk as it masks a page
    import zipfile

    out = tmp_path / "export-masked.docx"
    masked, n = mask_file(str(src), str(out))
    assert masked.verdict == "compliant" and n == 2, masked.reason
    chunk = zipfile.ZipFile(out).read("word/afchunk.htm").decode("utf-8")
    assert "申请人王*，身份证号110105********002X" in chunk


def test_docx_footer_mailto_and_tel_links_are_audited_and_masked(tmp_path):
    """A footer's links are in the footer's relationships: the audit never read them and a
    masked copy kept mailto:wangfang@qq.com behind a masked text."""
    import zipfile

    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
    d = docx.Document()
    d.add_paragraph("关于补贴发放的公示")
    footer = d.sections[0].footer
    p = footer.paragraphs[0]
    p.text = "联系人：王芳，邮箱："
    rid = footer.part.relate_to("mailto:wangfang@qq.com", RT.HYPERLINK, is_external=True)
    p._p.append(parse_xml(f'<w:hyperlink {ns} r:id="{rid}"><w:r><w:t>w*******@qq.com</w:t></w:r></w:hyperlink>'))
    src, out = tmp_path / "notice.docx", tmp_path / "notice-masked.docx"
    d.save(src)
    [before] = audit_paths([str(src)])
    assert ("EMAIL", True) in {(i["entity"], i["violation"]) for i in before.items}, before.items
    record, _n = mask_file(str(src), str(out))
    assert record.verdict == "compliant", record.reason
    with zipfile.ZipFile(out) as zf:
        rels = zf.read("word/_rels/footer1.xml.rels").decode()
    assert "wangfang" not in rels and "mailto:w*******@qq.com" in rels


_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                     "1f15c4890000000d49444154789c6364f8ff0f0000020101005d6d8c2e0000000049454e44ae426082")


def _docx_with_picture(descr: str | None, title: str | None = None) -> bytes:
    """A DOCX whose one picture has ``descr`` (Word's alternative text) and ``title`` on its
    wp:docPr and on the picture's pic:cNvPr, as Word writes them."""
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("公示名单见下图：")
    document.add_picture(io.BytesIO(_PNG))
    for el in document.element.body.iter("{*}docPr", "{*}cNvPr"):
        for name, value in (("descr", descr), ("title", title)):
            if value is not None:
                el.set(name, value)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("descr, title, verdict, entities", [
    # a picture of the list, described as its rows: never read, the DOCX compliant (twice:
    # Word writes the text on the drawing and on the picture, as a text box's two copies)
    ("王芳，身份证号11010519491231002X，手机13812345678", None, "violation", ["CN_MOBILE", "CN_RESIDENT_ID"] * 2),
    (None, "联系人手机 13812345678", "violation", ["CN_MOBILE"] * 2),
    # line breaks inside the alternative text
    ("名单：\n王芳 13812345678\n李娜 13912345678", None, "violation", ["CN_MOBILE"] * 4),
    # near misses: a masked description, Word's automatic one, none
    ("王*，身份证号110105********002X", None, "compliant", []),
    ("图片包含 文本 描述已自动生成", None, "compliant", []),
    (None, None, "compliant", []),
])
def test_docx_picture_alternative_text_is_audited_and_masked(tmp_path, descr, title, verdict, entities):
    import zipfile

    src, out = tmp_path / "公示.docx", tmp_path / "公示-脱敏.docx"
    src.write_bytes(_docx_with_picture(descr, title))
    [record] = audit_paths([str(src)])
    assert record.verdict == verdict, record.reason
    assert sorted(i["entity"] for i in record.items if i["violation"] and i["entity"] != "PERSON") == sorted(entities)
    copy, _n = mask_file(str(src), str(out))
    assert copy.verdict == "compliant", copy.reason
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert "13812345678" not in xml and "11010519491231002X" not in xml
    if descr == "王*，身份证号110105********002X":  # a masked form stays as it was
        assert xml.count('descr="王*，身份证号110105********002X"') == 2


_DRAWING = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">
<xdr:twoCellAnchor><xdr:from><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>0</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>
<xdr:to><xdr:col>6</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>3</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>
<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="文本框 1"{descr}/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr>
<xdr:spPr/><xdr:txBody><a:bodyPr/><a:p><a:r><a:t>{line1}</a:t></a:r></a:p><a:p><a:r><a:t>{line2}</a:t></a:r></a:p></xdr:txBody></xdr:sp>
<xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>"""


def _xlsx_with_text_box(line1: str, line2: str = "", descr: str | None = None) -> bytes:
    """A 名单 sheet (masked) with a text box over D1:F3 holding two paragraphs, as Excel writes one."""
    import io
    import zipfile

    from pii_files import xlsx_bytes

    data = xlsx_bytes([["姓名", "身份证号"], ["王*", "110105********002X"]])
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"</Types>", b'<Override PartName="/xl/drawings/drawing1.xml" '
                                    b'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>')
            elif info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</worksheet>", b'<drawing xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                                    b'relationships" r:id="rIdDrawing1"/></worksheet>')
            zf.writestr(info, body)
        zf.writestr("xl/worksheets/_rels/sheet1.xml.rels",
                    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    '<Relationship Id="rIdDrawing1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing" '
                    'Target="../drawings/drawing1.xml"/></Relationships>')
        alt = f' descr="{descr}"' if descr else ""
        zf.writestr("xl/drawings/drawing1.xml", _DRAWING.format(line1=line1, line2=line2, descr=alt))
    return out.getvalue()


@pytest.mark.parametrize("line1, line2, descr, verdict, where", [
    # a text box over the sheet (联系人 and a mobile, the note above a 名单): never read, compliant
    ("联系人：王芳", "联系电话：13812345678", None, "violation", {"sheet": "公示名单", "cell": "D1 文本框"}),
    ("备注：身份证号11010519491231002X", "", None, "violation", {"sheet": "公示名单", "cell": "D1 文本框"}),
    # its alternative text
    ("说明", "", "王芳 13812345678", "violation", {"sheet": "公示名单", "cell": "D1 可选文字"}),
    # near misses: an agency's line, a masked mobile, a title
    ("咨询电话：020-83331234", "", None, "compliant", None),
    ("联系人：王*", "手机：138****5678", None, "compliant", None),
    ("关于2022年补贴发放对象的公示", "", "图片包含 表格 描述已自动生成", "compliant", None),
])
def test_xlsx_text_boxes_and_alternative_text_are_audited(tmp_path, line1, line2, descr, verdict, where):
    src, out = tmp_path / "名单.xlsx", tmp_path / "名单-脱敏.xlsx"
    src.write_bytes(_xlsx_with_text_box(line1, line2, descr))
    [record] = audit_paths([str(src)])
    assert record.verdict == verdict, record.reason
    if where:
        assert where in [i["location"] for i in record.items if i["violation"]], record.items
    # the copy: openpyxl writes no text box, so none of it is left (the re-audit reads the copy)
    copy, _n = mask_file(str(src), str(out))
    assert copy.verdict == "compliant", copy.reason


def _with_properties(fmt: str, **props) -> bytes:
    """A masked 名单 as PDF, DOCX or XLSX whose document properties are ``props``."""
    import io

    if fmt == "pdf":
        from pypdf import PdfReader, PdfWriter

        from corpora.pii.pdfwriter import write_pdf

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(write_pdf([["公示名单", "姓名 王* 手机 138****5678"]]))))
        writer.add_metadata({"/" + k.capitalize(): v for k, v in props.items()})
        buf = io.BytesIO()
        writer.write(buf)
        return buf.getvalue()
    if fmt == "docx":
        import docx

        document = docx.Document()
        document.add_paragraph("公示名单：王*，手机138****5678")
        for key, value in props.items():
            setattr(document.core_properties, "comments" if key == "description" else key, value)
        buf = io.BytesIO()
        document.save(buf)
        return buf.getvalue()
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "手机"])
    wb.active.append(["王*", "138****5678"])
    for key, value in props.items():
        setattr(wb.properties, key, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx"])
@pytest.mark.parametrize("props, verdict, entity", [
    # a PDF exported by WPS is titled with its document's name; Explorer, Word and Excel show them
    ({"title": "王芳11010519491231002X申请表"}, "violation", "CN_RESIDENT_ID"),
    ({"subject": "联系人李娜13812345678"}, "violation", "CN_MOBILE"),
    ({"keywords": "补贴,13912345678"}, "violation", "CN_MOBILE"),
    # near misses: a title with a date, a masked one, a name alone
    ({"title": "2022年第二季度补贴发放名单（20220610）"}, "compliant", None),
    ({"title": "王芳110105********002X申请表"}, "compliant", None),
    ({"title": "关于王芳同志的任前公示"}, "compliant", None),
])
def test_document_properties_are_audited(tmp_path, fmt, props, verdict, entity):
    src = tmp_path / f"名单.{fmt}"
    src.write_bytes(_with_properties(fmt, **props))
    [record] = audit_paths([str(src)])
    assert record.verdict == verdict, record.reason
    found = [i for i in record.items if i["violation"]]
    assert [(i["entity"], i["location"].get("part")) for i in found] == ([(entity, "文档属性")] if entity else [])
    if fmt != "pdf":  # (a PDF is not masked) the copy's properties are masked too
        out = tmp_path / f"脱敏.{fmt}"
        copy, _n = mask_file(str(src), str(out))
        assert copy.verdict == "compliant", copy.reason


@pytest.mark.parametrize("name, id_value, verdict, person", [
    # a name with a separating dot in a 姓名 column was no name: beside an unmasked ID no violation,
    # and the masked copy kept it whole while every other name was masked
    ("买买提·艾力", "11010519491231002X", "violation", (False, True)),
    ("阿依古丽•吐尔逊", "110105********002X", "compliant", (False, False)),
    ("扎西・多吉", "110105********002X", "compliant", (False, False)),
    # masked so
    ("买*·艾*", "110105********002X", "compliant", (True, False)),
    ("阿依古丽·**", "110105********002X", "compliant", (True, False)),
])
def test_dotted_names_in_a_name_column(tmp_path, name, id_value, verdict, person):
    src, out = tmp_path / "名单.csv", tmp_path / "名单-脱敏.csv"
    src.write_text(f"序号,姓名,身份证号\n1,{name},{id_value}\n2,王芳,110105********002X\n", encoding="utf-8")
    [record] = audit_paths([str(src)])
    assert record.verdict == verdict, record.reason
    [item] = [i for i in record.items if i["entity"] == "PERSON" and i["location"]["row"] == 1]
    assert (item["masked"], item["violation"]) == person
    assert name not in json.dumps(record.to_dict(), ensure_ascii=False) or person[0]
    copy, _n = mask_file(str(src), str(out))
    assert copy.verdict == "compliant", copy.reason
    if not person[0]:
        assert name not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("text", [
    # near misses: a dotted phrase in another column, or in running text
    "序号,项目,金额\n1,乡村振兴·产业,1000\n",
    "序号,姓名,身份证号\n1,王*,110105********002X\n备注：详见《广东·发展》一文\n",
])
def test_dotted_phrases_outside_name_columns_are_no_names(tmp_path, text):
    src = tmp_path / "表.csv"
    src.write_text(text, encoding="utf-8")
    [record] = audit_paths([str(src)])
    assert not [i for i in record.items if i["entity"] == "PERSON" and "·" in i["value_masked"]]
