"""Legacy binary Office files (.xls/.et through xlrd, .doc/.wps through the Word binary
format): read by the audit, mask (copied as XLSX/DOCX), review, site scans and the web
uploads; each bad file unreadable with its reason.  Fixtures: .xls written by xlwt, .doc
by corpora/pii/docwriter.py.  Synthetic people and checksum-valid synthetic IDs only."""
from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from typer.testing import CliRunner

from corpora.pii.docwriter import write_doc, write_ole
from scanner.cli import app
from scanner.errors import InputError
from scanner.extract.office import _cell_text
from scanner.privacy.audit import audit_paths, audit_source, extract_for_audit
from scanner.privacy.mask import mask_file
from scanner.types import Source


def cn_id(body: str) -> str:
    """A GB 11643 number with its check character (synthetic: body chosen by the test)."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


ID = "11010519491231002X"  # GB 11643's example
ID2 = cn_id("44010519900307123")
ID_NUM = cn_id("44010619850101321")  # typed into Excel as a number (its check character is a digit)
MOBILE = "13812345678"
MASKED_ID = "110105********002X"


# ---------------------------------------------------------------- fixtures

def roster_xls(*, name_rows=None) -> bytes:
    """A 公示名单 workbook: a merged title, an unmasked ID as text and one as a number, a
    masked row, a date, a hidden sheet with a mobile."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("公示名单")
    ws.write_merge(0, 0, 0, 3, "2022年高龄津贴发放对象公示名单")
    rows = name_rows or [["序号", "姓名", "身份证号", "发放日期"], [1, "王建国", ID, dt.date(2022, 6, 1)],
                         [2, "李秀英", float(ID_NUM), None],
                         [3, "张*", MASKED_ID, None]]
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                ws.write(r, c, value, date_style)
            else:
                ws.write(r, c, value)
    # (xlwt's header setter fails on Python 3: its private field is set)
    ws._Worksheet__header_str = "&L第&P页&C经办人：赵强 13912345678"
    ws._Worksheet__footer_str = "制表：民政局"
    hidden = wb.add_sheet("备用")
    hidden.write(0, 0, "联系人")
    hidden.write(0, 1, "赵强")
    hidden.write(0, 2, "手机" + MOBILE)
    hidden.visibility = 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def masked_xls() -> bytes:
    return roster_xls(name_rows=[["序号", "姓名", "身份证号"], [1, "王*", MASKED_ID], [2, "李**", "440105********1234"]])


def _streams(data: bytes) -> dict[str, bytes]:
    import olefile

    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        return {"/".join(e): ole.openstream(e).read() for e in ole.listdir()}


def encrypted_xls() -> bytes:
    """The roster with a FILEPASS record in place of the workbook globals' INTERFACEHDR
    (same length, so every offset stays): what Excel writes for a password to open."""
    streams = _streams(roster_xls())
    book = bytearray(streams["Workbook"])
    pos = 0
    while pos + 4 <= len(book):
        kind, size = int.from_bytes(book[pos:pos + 2], "little"), int.from_bytes(book[pos + 2:pos + 4], "little")
        if kind == 0x00E1:  # INTERFACEHDR
            book[pos:pos + 2] = (0x002F).to_bytes(2, "little")
            book[pos + 4:pos + 4 + size] = b"\x00" * size  # wEncryptionType 0: XOR obfuscation
            break
        pos += 4 + size
    streams["Workbook"] = bytes(book)
    return write_ole(streams)


ROSTER_BLOCKS = [
    "关于2022年度困难群众救助对象的公示",
    "经审核，现将名单公示如下：",
    [["序号", "姓名", "身份证号", "联系电话"],
     ["1", "王建国", ID, MOBILE],
     ["2", "李秀英", ID2, "139\r****0000"],  # (a cell of two paragraphs)
     ["3", "张*", MASKED_ID, "138****5678"]],
    "监督电话：020-12345678。",
    '联系人：刘敏 \x13 HYPERLINK "mailto:liumin1988@qq.com" \x14点击发送邮件\x15，\x13 PAGE \x14\x31\x15',
]


def roster_doc(**kw) -> bytes:
    return write_doc(ROSTER_BLOCKS, **kw)


def other_ole() -> bytes:
    return write_ole({"PowerPoint Document": b"\x00" * 64, "Current User": b"\x00" * 16})


@pytest.fixture(scope="module")
def policy():
    from scanner.privacy.policy import Policy

    return Policy.load()


def audit(name: str, data: bytes, policy):
    return audit_source(Source(name, data), policy)


def items_by(record):
    return {(i["entity"], json.dumps(i["location"], ensure_ascii=False)): i for i in record.items}


# ---------------------------------------------------------------- the writer's own output

def test_docwriter_output_opens_with_olefile():
    import olefile

    data = roster_doc()
    assert olefile.isOleFile(io.BytesIO(data))
    streams = _streams(data)
    assert set(streams) == {"WordDocument", "1Table"}
    assert int.from_bytes(streams["WordDocument"][:2], "little") == 0xA5EC
    assert all(len(s) >= 4096 for s in streams.values())  # no mini stream


# ---------------------------------------------------------------- XLS

@pytest.mark.parametrize("entity, location, masked, violation", [
    # an unmasked ID typed as text, with the name in its row
    ("CN_RESIDENT_ID", {"sheet": "公示名单", "cell": "C3"}, False, True),
    ("PERSON", {"sheet": "公示名单", "cell": "B3"}, False, True),
    # an ID typed as a number: its lost digits read as * (here only the check character: not masked)
    ("CN_RESIDENT_ID", {"sheet": "公示名单", "cell": "C4"}, False, True),
    # masked forms are no leaks
    ("CN_RESIDENT_ID", {"sheet": "公示名单", "cell": "C5"}, True, False),
    ("PERSON", {"sheet": "公示名单", "cell": "B5"}, True, False),
    # a hidden sheet is read like the others
    ("CN_MOBILE", {"sheet": "备用", "cell": "C1"}, False, True),
    # the header printed on every page (HEADER record: xlrd does not read it), as an XLSX's is named
    ("CN_MOBILE", {"sheet": "公示名单", "cell": "页眉(中)"}, False, True),
])
def test_xls_audit_items(policy, entity, location, masked, violation):
    record = audit("名单.xls", roster_xls(), policy)
    assert (record.format, record.verdict) == ("xls", "violation")
    item = items_by(record).get((entity, json.dumps(location, ensure_ascii=False)))
    assert item is not None, [(i["entity"], i["location"]) for i in record.items]
    assert (item["masked"], item["violation"]) == (masked, violation)
    assert ID not in json.dumps(record.to_dict(), ensure_ascii=False)


@pytest.mark.parametrize("needle, present", [
    ("【工作表：公示名单】", True),
    ("【工作表：备用】", True),
    ("2022年高龄津贴发放对象公示名单\t", True),  # the merged title once, in its first cell
    ("2022-06-01T00:00:00", True),  # a date as a date (as the XLSX reader writes it)
    (_cell_text(float(ID_NUM)) + "\n", True),  # an 18-digit number: the digits the float keeps, the lost one as *
    ("e+17", False), ("4.4", False),
    ("1\t王建国", True),  # 1.0 as 1
    ("第&P页\t\n", True), ("制表：民政局\t\n", True),  # header (left) and footer (no section code: whole)
])
def test_xls_text_as_the_xlsx_reader_writes_it(needle, present):
    from scanner.extract.legacy import extract_xls

    extracted = extract_xls(Source("名单.xls", roster_xls()))
    assert (needle in extracted.text) is present, extracted.text
    assert extracted.meta["hidden_sheets"] == ["备用"]


def test_xls_and_the_same_xlsx_read_alike():
    from scanner.extract.legacy import extract_xls
    from scanner.extract.office import extract_xlsx
    from tests.pii_files import xls_bytes, xlsx_bytes

    rows = [["序号", "姓名", "身份证号", "电话"], [1, "王建国", ID, 13812345678], [2, "李秀英", ID2, 2.5]]
    a = extract_xlsx(Source("a.xlsx", xlsx_bytes(rows, title="名单")))
    b = extract_xls(Source("a.xls", xls_bytes(rows, title="名单")))
    assert a.text == b.text
    assert [(c.sheet, c.ref, c.start, c.end) for c in a.cells] == [(c.sheet, c.ref, c.start, c.end) for c in b.cells]


def test_xls_masked_list_leaks_only_outside_the_list(policy):
    record = audit("名单.xls", masked_xls(), policy)
    assert record.verdict == "violation"  # (the hidden sheet's mobile, the header's)
    # (and the hidden sheet's 联系人 | 赵强 | 手机…: a form's row, the name with the mobile in it)
    assert {(i["location"]["sheet"], i["location"]["cell"]) for i in record.items if i["violation"]} == {
        ("备用", "B1"), ("备用", "C1"), ("公示名单", "页眉(中)")}


# ---------------------------------------------------------------- DOC

@pytest.mark.parametrize("entity, location, masked, violation", [
    ("CN_RESIDENT_ID", {"table": 0, "row": 1, "col": 2}, False, True),
    ("PERSON", {"table": 0, "row": 1, "col": 1}, False, True),
    ("CN_MOBILE", {"table": 0, "row": 1, "col": 3}, False, True),
    ("CN_RESIDENT_ID", {"table": 0, "row": 2, "col": 2}, False, True),
    # masked forms are no leaks
    ("CN_RESIDENT_ID", {"table": 0, "row": 3, "col": 2}, True, False),
    ("PERSON", {"table": 0, "row": 3, "col": 1}, True, False),
    ("CN_MOBILE", {"table": 0, "row": 3, "col": 3}, True, False),
])
@pytest.mark.parametrize("variant", [
    {},  # UTF-16 pieces for Chinese, compressed (cp1252) pieces for the digits: an ID spans pieces
    {"compress": False, "table_stream": "0Table"},  # one UTF-16 piece, the table stream 0Table
    {"papx": False},  # no paragraph properties: rows found from the cell marks alone
])
def test_doc_audit_items(policy, variant, entity, location, masked, violation):
    record = audit("名单.doc", roster_doc(**variant), policy)
    assert (record.format, record.verdict) == ("doc", "violation")
    item = items_by(record).get((entity, json.dumps(location, ensure_ascii=False)))
    assert item is not None, [(i["entity"], i["location"]) for i in record.items]
    assert (item["masked"], item["violation"]) == (masked, violation)
    assert ID not in json.dumps(record.to_dict(), ensure_ascii=False)


@pytest.mark.parametrize("needle, present", [
    ("序号\t姓名\t身份证号\t联系电话\n", True),  # a table row as tab-separated cells
    (f"2\t李秀英\t{ID2}\t139 ****0000\n", True),  # a cell's two paragraphs joined by a space
    ("经审核，现将名单公示如下：\n", True),
    ("点击发送邮件", True),  # a field's result is kept
    ("HYPERLINK", False), ("PAGE", False),  # its code is not
    ("mailto:liumin1988@qq.com", True),  # but a HYPERLINK's dialled address is (the file publishes it)
    ("\x07", False), ("\x13", False), ("\x14", False), ("\x15", False), ("\r", False),
])
def test_doc_text(needle, present):
    from scanner.extract.legacy import extract_doc

    text = extract_doc(Source("名单.doc", roster_doc())).text
    assert (needle in text) is present, text


@pytest.mark.parametrize("kw, part", [
    ({"footnotes": ["注：咨询请联系赵强，手机" + MOBILE]}, "脚注"),
    ({"footer": "经办人：赵强 " + MOBILE}, "页脚"),
])
def test_doc_notes_and_footers_are_read_and_named(policy, kw, part):
    record = audit("通知.doc", write_doc(["关于补贴发放的通知", "详见附件。"], **kw), policy)
    mobiles = [i for i in record.items if i["entity"] == "CN_MOBILE"]
    assert mobiles and mobiles[0]["violation"] and mobiles[0]["location"]["part"] == part


def test_doc_empty_cells_and_rows_without_papx():
    """Without paragraph properties an empty last cell and a row end look alike: the
    first row's width decides."""
    from scanner.extract.legacy import extract_doc

    data = write_doc([[["姓名", "电话", "备注"], ["王芳", "", ""], ["李娜", "139****0000", ""]]], papx=False)
    cells = extract_doc(Source("a.doc", data)).cells
    assert [(c.row, c.col) for c in cells] == [(r, c) for r in range(3) for c in range(3)]


# ---------------------------------------------------------------- bad input and other formats

@pytest.mark.parametrize("name, make, verdict, reason", [
    ("locked.xls", encrypted_xls, "unreadable", "password-protected XLS"),
    ("locked.doc", lambda: roster_doc(encrypted=True), "unreadable", "password-protected DOC"),
    ("cut.xls", lambda: roster_xls()[:3000], "unreadable", "corrupt or truncated legacy Office file"),
    ("cut.doc", lambda: roster_doc()[:5000], "unreadable", "corrupt"),
    ("garbage.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "unreadable", "corrupt or truncated legacy Office file"),
    ("slides.doc", other_ole, "unreadable", "PowerPoint 97-2003"),
    ("empty.doc", lambda: write_doc(["", ""]), "unreadable", "empty DOC"),
    ("empty.xls", lambda: roster_xls(name_rows=[["", ""]]), "violation", "手机号码"),  # (the hidden sheet still leaks)
    # a wrong extension: read as what the content is
    ("名单.doc", roster_xls, "violation", "居民身份证号码"),
    ("名单.xls", roster_doc, "violation", "居民身份证号码"),
    ("名单.et", roster_xls, "violation", "居民身份证号码"),
    # the workbook stream under its Excel 5/95 name (Book), as older writers name it
    ("旧名单.xls", lambda: write_ole({"Book": _streams(roster_xls())["Workbook"]}), "violation", "居民身份证号码"),
    ("名单.wps", roster_doc, "violation", "居民身份证号码"),
    ("名单.txt", roster_doc, "unreadable", "extension says TXT but the content is DOC"),
    # a .doc that a CMS saved as HTML, or that is a DOCX, is read as such
    ("page.doc", lambda: f"<html><body><p>身份证号：{ID}</p></body></html>".encode(), "violation", "居民身份证号码"),
])
def test_bad_and_odd_files(policy, name, make, verdict, reason):
    record = audit(name, make(), policy)
    assert record.verdict == verdict and reason in record.reason, record.reason


def test_docx_named_doc_is_read_as_docx(policy):
    import docx

    document = docx.Document()
    document.add_paragraph(f"身份证号：{ID}")
    buf = io.BytesIO()
    document.save(buf)
    record = audit("名单.doc", buf.getvalue(), policy)
    assert (record.format, record.verdict) == ("docx", "violation")


def test_word_95_and_unknown_layouts_are_named():
    from scanner.extract.legacy import extract_doc

    streams = _streams(roster_doc())
    wd = bytearray(streams["WordDocument"])
    wd[2:4] = (0x0065).to_bytes(2, "little")  # nFib of Word 6.0
    with pytest.raises(InputError, match="Word 6.0/95"):
        extract_doc(Source("old.doc", write_ole({**streams, "WordDocument": bytes(wd)})))


def test_directory_audit_reads_legacy_files(tmp_path, policy):
    (tmp_path / "名单.xls").write_bytes(masked_xls())
    (tmp_path / "通知.doc").write_bytes(roster_doc())
    (tmp_path / "演示.ppt").write_bytes(other_ole())
    records = {r.path.rsplit("/", 1)[-1]: r for r in audit_paths([str(tmp_path)], policy)}
    assert (records["名单.xls"].format, records["通知.doc"].format) == ("xls", "doc")
    assert records["通知.doc"].verdict == "violation"
    assert "演示.ppt" in records and records["演示.ppt"].verdict == "unreadable"


# ---------------------------------------------------------------- mask

@pytest.mark.parametrize("name, make, out_name, fmt", [
    ("名单.xls", roster_xls, "脱敏.xlsx", "xlsx"),
    ("名单.et", roster_xls, "脱敏.xlsx", "xlsx"),
    ("名单.doc", roster_doc, "脱敏.docx", "docx"),
    ("名单.wps", lambda: roster_doc(footnotes=["注：手机" + MOBILE], footer="经办人 赵强 13912345678"), "脱敏.docx", "docx"),
])
def test_mask_round_trip(tmp_path, policy, name, make, out_name, fmt):
    src, out = tmp_path / name, tmp_path / out_name
    src.write_bytes(make())
    record, n = mask_file(str(src), str(out), policy)
    assert n > 0 and (record.format, record.verdict) == (fmt, "compliant"), record.reason
    text = extract_for_audit(Source(str(out), out.read_bytes())).text
    for value in (ID, ID2, MOBILE, "王建国", "李秀英"):
        assert value not in text
    if fmt == "xlsx":  # hidden sheets stay hidden, the title stays merged
        import openpyxl

        wb = openpyxl.load_workbook(out)
        assert wb["备用"].sheet_state == "hidden" and "A1:D1" in {str(r) for r in wb["公示名单"].merged_cells.ranges}
        assert isinstance(wb["公示名单"]["D3"].value, dt.datetime)
        ws = wb["公示名单"]
        assert (ws.oddHeader.center.text, ws.oddFooter.center.text) == ("经办人：赵* 139****5678", "制表：民政局")
    else:  # the list stays a table
        import docx

        table = docx.Document(str(out)).tables[0]
        assert [c.text for c in table.rows[1].cells][:2] == ["1", "王**"]


@pytest.mark.parametrize("name, make, out_name, hint", [
    ("名单.xls", roster_xls, "脱敏.xls", "name it 脱敏.xlsx"),
    ("名单.doc", roster_doc, "脱敏.doc", "name it 脱敏.docx"),
    ("名单.doc", roster_doc, "脱敏.xlsx", "name it 脱敏.docx"),
])
def test_mask_copy_named_as_a_legacy_format_is_a_usage_error(tmp_path, name, make, out_name, hint):
    src, out = tmp_path / name, tmp_path / out_name
    src.write_bytes(make())
    res = CliRunner().invoke(app, ["privacy", "mask", str(src), "-o", str(out)], terminal_width=200)
    assert res.exit_code == 2 and hint in res.output and not out.exists()


def test_mask_cli_says_the_copy_changed_format(tmp_path):
    src, out = tmp_path / "名单.xls", tmp_path / "脱敏.xlsx"
    src.write_bytes(roster_xls())
    res = CliRunner().invoke(app, ["privacy", "mask", str(src), "-o", str(out)], terminal_width=200)
    assert res.exit_code == 0 and "另存为 XLSX" in res.output and "compliant" in res.output


# ---------------------------------------------------------------- review, uploads, site scans

@pytest.mark.parametrize("name, make, expected", [
    ("通知.doc", roster_doc, "doc"),
    ("通知.wps", roster_doc, "doc"),
    ("名单.xls", roster_xls, "XLS is not supported by review; use `govscan privacy audit`"),
    ("slides.doc", other_ole, "PowerPoint 97-2003"),
])
def test_review_extract(name, make, expected):
    from scanner.extract.documents import extract

    try:
        result = extract(Source(name, make())).format
    except InputError as exc:
        result = exc.reason
    assert expected in result


def test_review_cli_finds_the_leak_in_a_doc(tmp_path):
    path = tmp_path / "通知.doc"
    path.write_bytes(roster_doc())
    res = CliRunner().invoke(app, ["review", str(path), "--format", "json"], terminal_width=200)
    assert res.exit_code == 1, res.output
    codes = {f["code"] for f in json.loads(res.stdout)["findings"]}
    assert "pii.cn_resident_id" in codes and ID not in res.stdout


def test_review_reads_a_doc_as_shown():
    """The audit reads a HYPERLINK field's mailto: address (the file publishes it); the review
    reads the text as shown, as it reads a DOCX."""
    from scanner.extract.documents import extract
    from scanner.extract.legacy import extract_doc

    assert "mailto:liumin1988@qq.com" in extract_doc(Source("a.doc", roster_doc())).text
    assert "mailto:" not in extract(Source("a.doc", roster_doc())).text


@pytest.mark.parametrize("kinds, name, make, expected", [
    ("REVIEW_KINDS", "通知.doc", roster_doc, "doc"),
    ("REVIEW_KINDS", "通知.wps", roster_doc, "doc"),
    ("REVIEW_KINDS", "页面.doc", lambda: "<html><body>正文</body></html>".encode(), "html"),
    ("PRIVACY_KINDS", "名单.xls", roster_xls, "xls"),
    ("PRIVACY_KINDS", "名单.et", roster_xls, "xls"),
    ("MASK_KINDS", "名单.doc", roster_doc, "doc"),
    # content decides: a workbook named .doc, a Word file named .txt, a .ppt named .doc
    ("PRIVACY_KINDS", "名单.txt", roster_doc, 415),
    ("REVIEW_KINDS", "名单.doc", other_ole, 415),
    # .rtf and .mht under their own names, as the CLI reads them (the upload refused the extension)
    ("REVIEW_KINDS", "名单.rtf", lambda: roster_rtf(), "rtf"),
    ("PRIVACY_KINDS", "名单.rtf", lambda: roster_rtf(), "rtf"),
    ("MASK_KINDS", "名单.mht", lambda: roster_mht(), "mht"),
    ("REVIEW_KINDS", "名单.rtf", roster_doc, "doc"),  # (content decides, as for .doc)
])
def test_upload_kinds(kinds, name, make, expected):
    from scanner.web import uploads

    try:
        result = uploads.check_upload(name, make(), getattr(uploads, kinds))
    except uploads.UploadRejected as exc:
        result = exc.status
    assert result == expected


def test_web_mask_returns_an_xlsx_named_so(tmp_path, policy):
    from scanner.web import privacy

    masked = privacy.mask(Source("名单.xls", roster_xls()), tmp_path, policy)
    assert masked.filename == "名单.xlsx" and masked.media_type.endswith("spreadsheetml.sheet")
    assert masked.data.startswith(b"PK") and masked.verdict == "compliant"


def test_site_scan_reads_xls_and_doc_attachments(tmp_path):
    """.xls and .doc 公示名单 attachments were skipped ('legacy Office'): their sites passed."""
    import csv

    from tests.fixtures.sites import make_fixtures as M
    from tests.test_site_privacy import _notice_site

    M.MIRROR = tmp_path / "mirror"
    cases = {"xls.qa.gov.cn": ("/tzgg/fj/mingdan.xls", roster_xls(), "fail"),
             "doc.qa.gov.cn": ("/tzgg/fj/mingdan.doc", roster_doc(), "fail"),
             "xlsmasked.qa.gov.cn": ("/tzgg/fj/mingdan.xls", _masked_visible_xls(), "pass")}
    rows = []
    for n, (host, (href, data, _verdict)) in enumerate(cases.items()):
        code = f"44010000{n + 70}"
        M.write(host, _notice_site(code, href))
        path = M.MIRROR / host / href.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        rows.append(["测试", host, "测试单位", f"http://{host}/", code])
    with (tmp_path / "registry.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["地区", "网站名称", "主办单位", "网站地址", "网站标识码"], *rows])
    res = CliRunner().invoke(app, ["scan", "sites", "-r", str(tmp_path / "registry.csv"), "-s", str(M.MIRROR),
                                   "--as-of", "2022-06-20", "-f", "jsonl"])
    assert res.exit_code in (0, 1), res.output
    records = {r["host"]: r for r in map(json.loads, res.stdout.splitlines())}
    for host, (href, _data, verdict) in cases.items():
        rec = records[host]
        assert rec["verdict"] == verdict, (host, rec.get("problems"), rec["stats"].get("skip_reasons"))
        pii = [f for f in rec["findings"] if f["category"] == "pii"]
        assert bool(pii) is (verdict == "fail")
        assert all(href in f["location"]["url"] for f in pii)
        assert ID not in json.dumps(rec, ensure_ascii=False)


def _masked_visible_xls() -> bytes:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("公示名单")
    for r, row in enumerate([["序号", "姓名", "身份证号"], ["1", "王*", MASKED_ID], ["2", "李**", "440105********1234"]]):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("limit, value, make, reason", [
    ("MAX_ROWS", 3, roster_xls, "XLS has more than 3 rows (limit)"),
    ("MAX_PIECES", 4, roster_doc, "DOC has"),  # (the roster's Chinese and digits alternate: many pieces)
    ("MAX_CHARS", 50, roster_doc, "characters, over the 50 limit"),
])
def test_caps(monkeypatch, policy, limit, value, make, reason):
    from scanner.extract import legacy

    monkeypatch.setattr(legacy, limit, value)
    record = audit("big" + (".xls" if make is roster_xls else ".doc"), make(), policy)
    assert record.verdict == "unreadable" and reason in record.reason, record.reason


# ---------------------------------------------------------------- RTF saved as .doc

def _gbk(text: str) -> str:
    return "".join(f"\\'{b:02x}" for b in text.encode("gbk"))


def roster_rtf() -> bytes:
    """An RTF 公示名单 as WPS writes it: GBK bytes as \\'hh, a table, a field, a \\u character."""
    rows = [["序号", "姓名", "身份证号"], ["1", "王建国", ID], ["2", "张*", MASKED_ID]]
    body = "".join("\\trowd\\cellx1000\\cellx3000\\cellx6000\\pard\\intbl "
                   + "".join(_gbk(c) + "\\cell " for c in row) + "\\row\n" for row in rows)
    return ("{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 " + _gbk("宋体") + ";}}"
            "{\\*\\generator WPS Office;}{\\info{\\author " + _gbk("李秀英") + "}}\n"
            "\\pard " + _gbk("关于救助对象的公示") + "\\par\n" + body +
            "\\pard " + _gbk("联系人：刘敏，手机") + " " + MOBILE + "\\par\n"
            "\\pard {\\field{\\*\\fldinst HYPERLINK \"http://x.gov.cn\"}{\\fldrslt \\u32852?\\u31995?}}\\par}").encode("latin-1")


@pytest.mark.parametrize("needle, present", [
    ("关于救助对象的公示\n", True),
    (f"1\t王建国\t{ID}\n", True),  # a table row as cells
    ("联系\n", True),  # \uN characters, the field's result
    ("宋体", False), ("李秀英", False), ("WPS Office", False), ("HYPERLINK", False),  # hidden destinations
    ("\\", False), ("{", False),
])
def test_rtf_text(needle, present):
    from scanner.extract.legacy import extract_rtf

    assert (needle in extract_rtf(Source("名单.doc", roster_rtf())).text) is present


def _gbk_bytes_in_groups(text: str) -> str:
    """Each byte of a GBK character in a group of its own ({\\'cd}{\\'f5}), as some writers split them."""
    return "".join("{\\'%02x}" % b for b in text.encode("gbk"))


@pytest.mark.parametrize("body, expected", [
    # the two bytes of a GBK character in two groups: each byte was decoded alone (U+FFFD), the
    # name lost and the ID "alone"
    (_gbk_bytes_in_groups("王建国"), "王建国"),
    ("\\'cd{\\b\\'f5}" + _gbk("建国"), "王建国"),  # the second byte in a group of its own
    ("{\\'cd}\\'f5" + _gbk("建国"), "王建国"),
    # a skipped destination between characters keeps nothing of its own
    (_gbk("王") + "{\\*\\bkmkstart a}" + _gbk("建国"), "王建国"),
])
def test_rtf_gbk_bytes_split_across_groups(body, expected):
    from scanner.extract.legacy import extract_rtf

    data = ("{\\rtf1\\ansi\\ansicpg936\\pard " + _gbk("申请人：") + body + _gbk("，身份证号：") + ID + "\\par}").encode("latin-1")
    text = extract_rtf(Source("a.rtf", data)).text
    assert text.startswith(f"申请人：{expected}，身份证号：{ID}") and "\ufffd" not in text


@pytest.mark.parametrize("body, expected", [
    # an ID replaced by its masked form with Track Changes on (\\deleted, as LibreOffice and Word
    # write it), or hidden (\\v) before it: read where it stood it ran into the masked form, neither
    # was found and the file was compliant; it is read after the paragraph's shown text
    ("{\\deleted " + ID + "}{\\revised 110105********002X}", "110105********002X " + ID),
    ("{\\v " + ID + "}110105********002X", "110105********002X " + ID),
    ("\\v " + ID + "\\v0 110105********002X", "110105********002X " + ID),
    ("\\deleted " + ID + "\\plain 110105********002X", "110105********002X " + ID),
    # two deletions apart; a digit corrected inside a number reads as one number
    ("{\\deleted " + ID + "}110105********002X" + _gbk("，手机") + "{\\deleted " + MOBILE + "}138****5678",
     "110105********002X" + "，手机" + "138****5678 " + ID + " " + MOBILE),
    ("1381234567{\\deleted 7}8", "13812345678 7"),
])
def test_rtf_deleted_and_hidden_text_after_the_shown_text(body, expected):
    from scanner.extract.legacy import extract_rtf

    data = ("{\\rtf1\\ansi\\ansicpg936\\pard " + _gbk("身份证号：") + body + "\\par}").encode("latin-1")
    assert extract_rtf(Source("a.rtf", data)).text.rstrip("\n") == "身份证号：" + expected


def test_rtf_named_doc_is_audited_and_masked(tmp_path, policy):
    record = audit("名单.doc", roster_rtf(), policy)
    assert (record.format, record.verdict) == ("rtf", "violation")
    locations = {(i["entity"], json.dumps(i["location"])) for i in record.items if i["violation"]}
    assert ("CN_RESIDENT_ID", json.dumps({"table": 0, "row": 1, "col": 2})) in locations
    src, out = tmp_path / "名单.doc", tmp_path / "脱敏.docx"
    src.write_bytes(roster_rtf())
    copy, _n = mask_file(str(src), str(out), policy)
    assert (copy.format, copy.verdict) == ("docx", "compliant"), copy.reason


# ---------------------------------------------------------------- MHT saved as .doc

def roster_mht() -> bytes:
    """Word's "single file web page" (MHT) of a 公示名单, quoted-printable UTF-8, as CMSes attach it as .doc."""
    import quopri

    page = ("<html><head><meta http-equiv=Content-Type content=\"text/html; charset=utf-8\"></head><body>"
            "<p>关于救助对象的公示</p><table><tr><td>姓名</td><td>身份证号</td></tr>"
            f"<tr><td>王建国</td><td>{ID}</td></tr><tr><td>张*</td><td>{MASKED_ID}</td></tr></table></body></html>")
    body = quopri.encodestring(page.encode("utf-8")).decode("ascii")
    return ("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"----=_NextPart_01D8\"\r\n\r\n"
            "This document is a Single File Web Page, also known as a Web Archive file.\r\n\r\n"
            "------=_NextPart_01D8\r\nContent-Location: file:///C:/mingdan.htm\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset=\"utf-8\"\r\n\r\n"
            + body.replace("\n", "\r\n") + "\r\n------=_NextPart_01D8--\r\n").encode("ascii")


def test_mht_named_doc_is_audited_reviewed_and_masked(tmp_path, policy):
    from scanner.extract.documents import extract

    record = audit("名单.doc", roster_mht(), policy)
    assert (record.format, record.verdict) == ("mht", "violation")
    located = {(i["entity"], json.dumps(i["location"])) for i in record.items if i["violation"]}
    assert ("CN_RESIDENT_ID", json.dumps({"table": 0, "row": 1, "col": 1})) in located
    assert "王建国" in extract(Source("名单.doc", roster_mht())).text  # (the review read quoted-printable text)
    src, out = tmp_path / "名单.doc", tmp_path / "脱敏.docx"
    src.write_bytes(roster_mht())
    copy, _n = mask_file(str(src), str(out), policy)
    assert (copy.format, copy.verdict) == ("docx", "compliant"), copy.reason


# ---------------------------------------------------------------- embedded in a DOCX or XLSX

def _with_members(base: bytes, members: dict[str, bytes]) -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item))
        for name, data in members.items():
            zout.writestr(name, data)
    return buf.getvalue()


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("member, data, location", [
    # an Excel 97-2003 sheet pasted into Word: the OLE object holds the whole workbook
    ("word/embeddings/oleObject1.bin", roster_xls, {"sheet": "嵌入对象 oleObject1.bin/公示名单", "cell": "C3"}),
    ("word/embeddings/Microsoft_Excel_97-2003_Worksheet.xls", roster_xls,
     {"sheet": "嵌入对象 Microsoft_Excel_97-2003_Worksheet.xls/公示名单", "cell": "C3"}),
    ("word/embeddings/Microsoft_Word_97_-_2003_Document.doc", roster_doc,
     {"sheet": "嵌入对象 Microsoft_Word_97_-_2003_Document.doc", "cell": "表1 行2 列3"}),
])
def test_legacy_objects_embedded_in_a_docx(policy, member, data, location):
    record = audit("通知.docx", _with_members(_docx("详见下表。"), {member: data()}), policy)
    ids = [i for i in record.items if i["entity"] == "CN_RESIDENT_ID" and i["violation"]]
    assert record.verdict == "violation" and location in [i["location"] for i in ids], [i["location"] for i in ids]


def test_an_ole_object_that_is_no_table_is_passed_over(policy):
    record = audit("通知.docx", _with_members(_docx(f"身份证号：{MASKED_ID}"), {"word/embeddings/oleObject1.bin": other_ole()}), policy)
    assert record.verdict == "compliant" and "嵌入对象" not in record.reason


def test_excel_object_in_a_doc_is_audited_and_masked(tmp_path, policy):
    """An Excel sheet pasted into a .doc keeps its whole workbook in the ObjectPool."""
    data = write_doc(["名单见下表："], extra_streams={"ObjectPool/_1234567/Workbook": _streams(roster_xls())["Workbook"],
                                                 "ObjectPool/_1234567/\x01Ole": b"\x01\x00\x00\x02"})
    record = audit("通知.doc", data, policy)
    where = [i["location"] for i in record.items if i["entity"] == "CN_RESIDENT_ID" and i["violation"]]
    assert {"sheet": "嵌入对象 _1234567/公示名单", "cell": "C3"} in where
    assert {"sheet": "嵌入对象 _1234567/公示名单", "cell": "页眉(中)"} in [i["location"] for i in record.items]
    src, out = tmp_path / "通知.doc", tmp_path / "脱敏.docx"
    src.write_bytes(data)
    copy, _n = mask_file(str(src), str(out), policy)
    assert (copy.format, copy.verdict) == ("docx", "compliant"), copy.reason


@pytest.mark.parametrize("workbook, verdict, unread", [
    # a pasted workbook that could not be read was a line in the text, the .doc compliant (its
    # storage's run of 7 digits is shown masked, as in every reason)
    (lambda: b"\x09\x08 cut short", "unreadable", "embedded file _12***67: cannot be read (corrupt XLS"),
    (lambda: _streams(roster_xls())["Workbook"], "violation", None),
])
def test_a_doc_whose_workbook_cannot_be_read_is_never_compliant(policy, workbook, verdict, unread):
    data = write_doc(["名单见下表："], extra_streams={"ObjectPool/_1234567/Workbook": workbook(),
                                                 "ObjectPool/_1234567/\x01Ole": b"\x01\x00\x00\x02"})
    record = audit("通知.doc", data, policy)
    assert record.verdict == verdict, record.reason
    assert (unread in record.reason) if unread else "未能读取" not in record.reason, record.reason


def broken_second_sheet_xls() -> bytes:
    """The roster with its hidden sheet's first text cell pointing past the shared strings."""
    streams = _streams(roster_xls())
    book = bytearray(streams["Workbook"])
    pos, bofs = 0, 0
    while pos + 4 <= len(book):
        kind, size = int.from_bytes(book[pos:pos + 2], "little"), int.from_bytes(book[pos + 2:pos + 4], "little")
        bofs += kind == 0x0809
        if kind == 0x00FD and bofs == 3:  # LABELSST of the third substream (the second sheet)
            book[pos + 10:pos + 14] = (0xFFFFFF).to_bytes(4, "little")
            break
        pos += 4 + size
    return write_ole({**streams, "Workbook": bytes(book)})


def test_xls_broken_sheet_is_named_and_the_audit_never_compliant(policy):
    record = audit("名单.xls", broken_second_sheet_xls(), policy)
    assert "未能读取：工作表 2" in record.reason and record.verdict == "violation"  # (the first sheet's leaks)
    assert any(i["location"]["sheet"] == "公示名单" for i in record.items)


def test_doc_rows_without_row_end_properties_fall_back_to_the_marks(monkeypatch):
    """Paragraph properties that mark no row end (a writer that leaves sprmPFTtp out) put the
    whole table in one row: the rows are then found from the cell marks."""
    from scanner.extract import legacy

    real = legacy._paragraph_table_marks
    monkeypatch.setattr(legacy, "_paragraph_table_marks",
                        lambda *a: [(s, e, t, False) for s, e, t, _ttp in real(*a)])
    cells = legacy.extract_doc(Source("a.doc", roster_doc())).cells
    assert max(c.row for c in cells) == 3 and max(c.col for c in cells) == 3


# ---------------------------------------------------------------- the HTTP API

@pytest.fixture(scope="module")
def web(settings, tmp_path_factory):
    from fastapi.testclient import TestClient

    from scanner.pipeline import Reviewer
    from scanner.settings import Settings
    from scanner.web import WebConfig, create_app

    reviewer = Reviewer(Settings.load(as_of=settings.as_of, overrides={"checks": {"wording.classifier": {"enabled": False}}}))
    config = WebConfig(settings=settings, fixed_as_of=True, workdir=tmp_path_factory.mktemp("work"))
    with TestClient(create_app(config, reviewer)) as client:
        yield client


@pytest.mark.parametrize("endpoint, name, make, status, expected", [
    ("/api/review", "通知.doc", roster_doc, 200, '"code": "pii.cn_resident_id"'),
    ("/api/review", "名单.xls", roster_xls, 415, "unsupported_type"),  # review refuses workbooks, as .xlsx
    ("/api/privacy/audit", "名单.xls", roster_xls, 200, '"format": "xls"'),
    ("/api/privacy/audit", "名单.et", roster_xls, 200, '"verdict": "violation"'),
    ("/api/privacy/audit", "演示.doc", other_ole, 415, "其他 OLE 文件"),
    ("/api/privacy/mask", "名单.xls", roster_xls, 200, "%E5%90%8D%E5%8D%95.xlsx"),  # 名单.xlsx, its copy's name
    ("/api/privacy/mask", "名单.doc", roster_doc, 200, "%E5%90%8D%E5%8D%95.docx"),
])
def test_http_api(web, endpoint, name, make, status, expected):
    r = web.post(endpoint, files={"file": (name, make(), "application/octet-stream")})
    assert r.status_code == status, r.text
    shown = json.dumps(r.json(), ensure_ascii=False) if "json" in r.headers["content-type"] else r.headers["content-disposition"]
    assert expected in shown
    assert ID not in shown
    if endpoint == "/api/privacy/mask":
        assert r.headers["x-govscan-verdict"] == "compliant" and r.content.startswith(b"PK")


# ---------------------------------------------------------------- files of an independent writer (LibreOffice)

FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures" / "legacy"


@pytest.mark.parametrize("name, needle", [
    ("roster-libreoffice.doc", f"1\t王建国\t{ID}\t{MOBILE}\n"),
    ("roster-libreoffice.doc", f"2\t李秀英\t{ID2}\t139 ****0000\n"),  # a cell of two paragraphs
    ("roster-libreoffice.doc", "监督电话：020-12345678。Plain ASCII line here.\n"),
    ("roster-libreoffice.rtf", f"1\t王建国\t{ID}\t{MOBILE}\n"),
    ("roster-libreoffice.rtf", "经办人：赵强 13912345678\n"),
    ("page-libreoffice.doc", "2022年补贴发放对象名单\t\n"),  # a merged title row: one cell
    ("page-libreoffice.doc", f"王建国\t{ID}\t\n"),
    ("page-libreoffice.doc", "mailto:liumin1988@qq.com 发邮件，电话13912345678\n"),  # runs joined, the link's address
])
def test_files_written_by_libreoffice(name, needle):
    text = extract_for_audit(Source(name, (FIXTURES / name).read_bytes())).text
    assert needle in text, text


@pytest.mark.parametrize("name, entity, location", [
    ("roster-libreoffice.doc", "CN_RESIDENT_ID", {"table": 0, "row": 1, "col": 2}),
    ("roster-libreoffice.doc", "PERSON", {"table": 0, "row": 2, "col": 1}),
    ("roster-libreoffice.doc", "CN_MOBILE", {"part": "页脚"}),  # the footer's mobile, named as in DOCX
    ("roster-libreoffice.rtf", "CN_RESIDENT_ID", {"table": 0, "row": 2, "col": 2}),
    ("page-libreoffice.doc", "CN_RESIDENT_ID", {"table": 0, "row": 2, "col": 1}),
    # the stories after the main text, each named as in DOCX
    ("notes-libreoffice.doc", "CN_MOBILE", {"part": "脚注"}),
    ("notes-libreoffice.doc", "CN_RESIDENT_ID", {"part": "批注"}),
    ("notes-libreoffice.doc", "CN_MOBILE", {"part": "尾注"}),
    ("textbox-libreoffice.doc", "CN_MOBILE", {"part": "文本框"}),
])
def test_libreoffice_files_audited(policy, name, entity, location):
    record = audit(name, (FIXTURES / name).read_bytes(), policy)
    assert record.verdict == "violation"
    assert any(location.items() <= i["location"].items() for i in record.items if i["entity"] == entity and i["violation"]), \
        [(i["entity"], i["location"]) for i in record.items]


@pytest.mark.parametrize("published, lines", [
    # tracked deletions and hidden text after their paragraph's shown text, each deletion apart:
    # read where they stood, the ID ran into its masked form (11010519491231002X110105…), neither
    # was found and the file was compliant; a digit corrected inside a number stays one number
    (True, [f"申请人：王*，身份证号：110105********002X，手机：138****5678。 {ID} {MOBILE}",
            "申请人：李*，手机：139****5678。 13912345678",
            "经办人：赵*，手机：13712345678。 7"]),
])
def test_doc_deleted_and_hidden_text_after_the_shown_text(tmp_path, policy, published, lines):
    from scanner.extract.legacy import extract_doc

    data = (FIXTURES / "tracked-libreoffice.doc").read_bytes()
    assert extract_doc(Source("a.doc", data), published=published).text.splitlines() == lines
    record = audit("a.doc", data, policy)
    assert sorted(i["value_masked"] for i in record.items if i["violation"]) == \
        ["110105********002X", "137****5678", "138****5678", "139****5678"]
    src, out = tmp_path / "a.doc", tmp_path / "a.docx"
    src.write_bytes(data)
    copy, _n = mask_file(str(src), str(out), policy)
    assert copy.verdict == "compliant"
    text = extract_for_audit(Source(str(out), out.read_bytes())).text
    assert not any(v in text for v in (ID, MOBILE, "13912345678"))


def test_libreoffice_xls_reads_as_its_xlsx_source():
    """Notes, mailto: links, a footer, a merged title, a date, an ID stored as a number, a
    hidden sheet: the XLS Calc wrote reads exactly as the XLSX it was converted from."""
    from scanner.extract.legacy import extract_xls
    from scanner.extract.office import extract_xlsx

    xls = extract_xls(Source("a.xls", (FIXTURES / "roster-libreoffice.xls").read_bytes()))
    xlsx = extract_xlsx(Source("a.xlsx", (FIXTURES / "roster-source.xlsx").read_bytes()))
    assert xls.text == xlsx.text
    assert [(c.sheet, c.ref) for c in xls.cells] == [(c.sheet, c.ref) for c in xlsx.cells]
    assert {"B4 批注", "B5 链接", "页脚(中)"} <= {c.ref for c in xls.cells}


def test_libreoffice_xls_masked_copy(tmp_path, policy):
    import openpyxl

    src, out = tmp_path / "名单.xls", tmp_path / "脱敏.xlsx"
    src.write_bytes((FIXTURES / "roster-libreoffice.xls").read_bytes())
    record, _n = mask_file(str(src), str(out), policy)
    assert record.verdict == "compliant", record.reason
    ws = openpyxl.load_workbook(out)["公示名单"]
    assert (ws["B4"].comment.text, ws["B5"].hyperlink.target, ws.oddFooter.center.text) == (
        "联系电话139****5678", "mailto:z***********@qq.com", "经办人：赵* 138****5678")


def test_review_of_a_directory_reads_rtf_and_mht(tmp_path):
    """A folder of drafts saved by WPS as .rtf or by Word as a single-file web page (.mht) was
    passed over by `govscan review DIR` ('no reviewable files'), though each file is read."""
    (tmp_path / "名单.rtf").write_bytes(roster_rtf())
    (tmp_path / "页面.mht").write_bytes(roster_mht())
    res = CliRunner().invoke(app, ["review", str(tmp_path), "--format", "jsonl", "--no-model"])
    records = [json.loads(line) for line in res.stdout.splitlines()]
    assert sorted(r["source"].rsplit("/", 1)[-1] for r in records) == ["名单.rtf", "页面.mht"], res.output
    assert all("pii.cn_resident_id" in {f["code"] for f in r["findings"]} for r in records)


def _looping_mini_chain(data: bytes) -> bytes:
    """``data`` (a compound file whose Workbook stream is in the mini stream, as LibreOffice
    writes a small one) with the stream's short-sector chain looping back to its first sector."""
    import struct

    data = bytearray(data)
    size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    directory, ssat = struct.unpack_from("<i", data, 0x30)[0], struct.unpack_from("<i", data, 0x3C)[0]
    at = lambda sector: 512 + sector * size  # noqa: E731
    entries = [bytes(data[at(directory) + 128 * k:at(directory) + 128 * (k + 1)]) for k in range(size // 128)]
    [first] = [struct.unpack_from("<i", e, 0x74)[0] for e in entries if e[:16] == "Workbook".encode("utf-16-le")]
    second = struct.unpack_from("<i", data, at(ssat) + 4 * first)[0]
    struct.pack_into("<i", data, at(ssat) + 4 * second, first)
    return bytes(data)


def test_damaged_xls_never_hangs(policy):
    """Damage found by flipping bytes of fixtures: xlrd's reader of the mini stream followed a
    sector chain that looped for ever (the audit hung, its memory growing), and one cell record
    at row 60,000, column 255 padded every row to 256 cells (minutes, 300 MB).  The Workbook stream
    is read by olefile (no more sectors than its size) and rows are ragged."""
    import time

    import xlwt

    looping = _looping_mini_chain((FIXTURES / "roster-libreoffice.xls").read_bytes())
    t0 = time.monotonic()
    record = audit("名单.xls", looping, policy)
    assert record.verdict == "unreadable" and "corrupt" in record.reason, record.reason
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    sheet.write(0, 0, "姓名")
    sheet.write(0, 1, "身份证号")
    sheet.write(1, 0, "王建国")
    sheet.write(1, 1, ID2)
    sheet.write(60_000, 255, ".")  # a stray mark far below and right of the list
    out = io.BytesIO()
    book.save(out)
    record = audit("名单.xls", out.getvalue(), policy)
    assert record.verdict == "violation" and "居民身份证号码" in record.reason
    assert time.monotonic() - t0 < 20


def _mht_with_picture(picture_first: bool, nested: bool = False) -> bytes:
    """``roster_mht`` with a 2 MB picture part (base64) before or after its page; ``nested``:
    the page inside a multipart/alternative part."""
    import base64

    mht = roster_mht().decode("ascii")
    head, rest = mht.split("------=_NextPart_01D8\r\n", 1)
    page = rest.rsplit("\r\n------=_NextPart_01D8--", 1)[0]
    picture = ("Content-Location: file:///C:/image001.png\r\nContent-Transfer-Encoding: base64\r\n"
               "Content-Type: image/png\r\n\r\n" + base64.encodebytes(bytes(range(256)) * 8192).decode("ascii"))
    if nested:
        page = "Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n--inner\r\n" + page + "\r\n--inner--\r\n"
    parts = [picture, page] if picture_first else [page, picture]
    return (head + "".join(f"------=_NextPart_01D8\r\n{p}\r\n" for p in parts) + "------=_NextPart_01D8--\r\n").encode("ascii")


@pytest.mark.parametrize("picture_first, nested, parsed_at_most", [
    # Word's layout: the page, then its pictures; the pictures' base64 is never parsed
    (False, False, 10_000),
    (True, False, 10_000),
    # the page inside a nested multipart part: that part is parsed, the picture is not
    (True, True, 10_000),
])
def test_mht_parses_only_its_page(policy, monkeypatch, picture_first, nested, parsed_at_most):
    """The email package parsed the whole MHT as text, every picture's base64 with it: a 60 MB
    file took 690 MB.  Only the HTML part (or a multipart part holding one) is parsed now."""
    import email

    parsed = []
    original = email.message_from_bytes
    monkeypatch.setattr(email, "message_from_bytes", lambda data, *a, **kw: parsed.append(len(data)) or original(data, *a, **kw))
    data = _mht_with_picture(picture_first, nested)
    record = audit("名单.mht", data, policy)
    assert (record.format, record.verdict) == ("mht", "violation"), record.reason
    assert parsed and max(parsed) <= parsed_at_most < len(data), parsed


def _mht_page(page: str, encoding: str) -> bytes:
    import base64
    import quopri

    raw = page.encode("utf-8")
    body = {"base64": base64.encodebytes(raw), "quoted-printable": quopri.encodestring(raw), "8bit": raw}[encoding]
    return (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"B\"\r\n\r\n--B\r\n"
            b"Content-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: " + encoding.encode()
            + b"\r\n\r\n" + body.replace(b"\n", b"\r\n") + b"\r\n--B--\r\n")


@pytest.mark.parametrize("encoding, filler, verdict", [
    # the page part decoded here, in each transfer encoding Word and CMSes write
    ("base64", 0, "violation"),
    ("quoted-printable", 0, "violation"),
    ("8bit", 0, "violation"),
    # a paragraph over 10 MB of UTF-8 (libxml2's limit of one text node) before the list: it was
    # dropped without a word and the page was "HTML page without text"; unreadable, naming the limit
    ("base64", 3_600_000, "unreadable"),
])
def test_mht_page_part_decoded(policy, monkeypatch, encoding, filler, verdict):
    """The email package split a base64 page into lines of text (a 64 MB MHT: 715 MB)."""
    import email

    parsed = []
    original = email.message_from_bytes
    monkeypatch.setattr(email, "message_from_bytes", lambda data, *a, **kw: parsed.append(len(data)) or original(data, *a, **kw))
    page = (f"<html><body><p>{'正文' * filler}</p><table><tr><td>姓名</td><td>身份证号</td></tr>"
            f"<tr><td>王建国</td><td>{ID}</td></tr></table></body></html>")
    record = audit("页面.mht", _mht_page(page, encoding), policy)
    assert (record.format, record.verdict) == ("mht", verdict), record.reason
    assert verdict != "unreadable" or "10 MB" in record.reason, record.reason
    assert max(parsed) < 1000, parsed


def _grid_xls(rows: int, cols: int) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    for r in range(rows):
        for c in range(cols):
            sheet.write(r, c, f"{r}-{c}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _grid_xlsx(rows: int, cols: int) -> bytes:
    from tests.pii_files import xlsx_bytes

    return xlsx_bytes([[f"{r}-{c}" for c in range(cols)] for r in range(rows)])


def _grid_csv(rows: int, cols: int) -> bytes:
    return "".join(",".join(f"{r}-{c}" for c in range(cols)) + "\n" for r in range(rows)).encode()


@pytest.mark.parametrize("name, make, verdict", [
    # 12 rows of 10 cells, over a cap of 100 cells: refused naming the cap (the row and character
    # limits let 10 million cells through, gigabytes as read)
    ("表.xls", lambda: _grid_xls(12, 10), "unreadable"),
    ("表.xlsx", lambda: _grid_xlsx(12, 10), "unreadable"),
    ("表.csv", lambda: _grid_csv(12, 10), "unreadable"),
    # 9 rows of 10: read
    ("表.xls", lambda: _grid_xls(9, 10), "compliant"),
    ("表.xlsx", lambda: _grid_xlsx(9, 10), "compliant"),
    ("表.csv", lambda: _grid_csv(9, 10), "compliant"),
])
def test_cell_limit(policy, monkeypatch, name, make, verdict):
    import scanner.extract.office as office

    monkeypatch.setattr(office, "MAX_CELLS", 100)
    record = audit(name, make(), policy)
    assert record.verdict == verdict, record.reason
    assert verdict == "compliant" or "more than 100 cells (limit)" in record.reason, record.reason


def _package(label: str, content: bytes) -> bytes:
    """An OLE Package object (Word's 插入 > 对象 > 由文件创建 of a file that is no Office document,
    shown as an icon): its \\x01Ole10Native stream holds the label, the paths and the file."""
    import struct

    path = f"C:\\Users\\user\\Desktop\\{label}".encode("gbk") + b"\0"
    body = (b"\x02\x00" + label.encode("gbk") + b"\0" + path + b"\x00\x00\x03\x00"
            + struct.pack("<I", len(path)) + path + struct.pack("<I", len(content)) + content)
    return write_ole({"\x01Ole10Native": struct.pack("<I", len(body)) + body, "\x01CompObj": b"\x01\x00\xfe\xff" + b"\x00" * 24})


@pytest.mark.parametrize("label, content, verdict, unread", [
    # a 名单.csv inserted into Word as an icon: an OLE Package, passed over as an equation is
    ("名单.csv", "姓名,手机\n王芳,13812345678\n".encode("gbk"), "violation", None),
    ("名单.txt", "联系人：王芳，手机：13812345678".encode("utf-8"), "violation", None),
    ("名单.csv", "姓名,手机\n王*,138****5678\n".encode("utf-8"), "compliant", None),
    # a package the audit cannot read is named: the DOCX is never compliant
    ("身份证.jpg", b"\xff\xd8\xff\xe0", "unreadable", "embedded file 身份证.jpg: not read"),
])
def test_files_inserted_as_packages_are_audited(policy, label, content, verdict, unread):
    record = audit("通知.docx", _with_members(_docx("详见附件图标。"), {"word/embeddings/oleObject1.bin": _package(label, content)}), policy)
    assert record.verdict == verdict, record.reason
    if verdict == "violation":  # (a CSV's cells located in it; a text's by offsets)
        assert "CN_MOBILE" in {i["entity"] for i in record.items if i["violation"]}
        if label.endswith(".csv"):
            assert f"嵌入对象 {label}" in {i["location"].get("sheet") for i in record.items if i["violation"]}
    assert (unread in record.reason) if unread else "未能读取" not in record.reason
