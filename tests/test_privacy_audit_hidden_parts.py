"""What a workbook or a PDF holds outside its cells and text layer: XLSX defined names'
constants, drop-down lists (数据验证) and chart caches; a tagged PDF's alternative text.
Synthetic data only: the standard's example ID, 138/139 phones."""
from __future__ import annotations

import io
import zipfile

import pytest

from scanner.privacy.audit import audit_paths

ID = "11010519491231002X"
_CHART = ('<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart><c:plotArea><c:barChart>'
          '<c:ser><c:tx><c:strRef><c:strCache><c:pt idx="0"><c:v>{name}</c:v></c:pt></c:strCache></c:strRef></c:tx>'
          '<c:cat><c:strRef><c:f>名单!$A$2:$A$3</c:f><c:strCache><c:ptCount val="2"/>'
          '<c:pt idx="0"><c:v>{a}</c:v></c:pt><c:pt idx="1"><c:v>{b}</c:v></c:pt></c:strCache></c:strRef></c:cat>'
          '<c:val><c:numRef><c:f>名单!$B$2:$B$3</c:f><c:numCache><c:ptCount val="2"/>'
          '<c:pt idx="0"><c:v>{x}</c:v></c:pt><c:pt idx="1"><c:v>{y}</c:v></c:pt></c:numCache></c:numRef></c:val>'
          '</c:ser></c:barChart></c:plotArea></c:chart></c:chartSpace>')


def _book(defined=None, validation=None, chart=None) -> bytes:
    """A masked 公示 sheet; ``defined``: (name, value) of a defined name; ``validation``: the
    formula of a list rule on B2; ``chart``: a chart part's XML (a chart whose list was deleted)."""
    import openpyxl
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "公示"
    ws.append(["序号", "姓名", "身份证号"])
    ws.append([1, "王*", "110105********002X"])
    if defined:
        wb.defined_names[defined[0]] = DefinedName(defined[0], attr_text=defined[1])
    if validation:
        rule = DataValidation(type="list", formula1=validation)
        ws.add_data_validation(rule)
        rule.add("B2")
    buf = io.BytesIO()
    wb.save(buf)
    if chart is None:
        return buf.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.writestr("xl/charts/chart1.xml", chart)
    return out.getvalue()


@pytest.mark.parametrize("make, verdict, where", [
    # a defined name's constant (名称管理器), a drop-down list of applicants, a chart's cache of a
    # deleted 名单: never read, the masked sheet compliant
    (lambda: _book(defined=("联系人", '"王芳 13812345678"')), "violation", {"sheet": "定义的名称", "cell": "联系人"}),
    (lambda: _book(defined=("证件", '={"王芳","%s"}' % ID)), "violation", {"sheet": "定义的名称", "cell": "证件"}),
    (lambda: _book(validation='"王芳 13812345678,李娜 13912345678"'), "violation", {"sheet": "数据验证 公示", "cell": "B2 选项1"}),
    (lambda: _book(chart=_CHART.format(name="手机", a="王芳", b="李娜", x="13812345678", y="13912345678")), "violation",
     {"sheet": "图表缓存 1", "cell": "系列1 点1"}),
    # near-misses: a name that is a range, a drop-down of choices, a chart of counts
    (lambda: _book(defined=("名单", "公示!$A$1:$C$2")), "compliant", None),
    (lambda: _book(defined=("年度", '"2022年"')), "compliant", None),
    (lambda: _book(validation='"男,女"'), "compliant", None),
    (lambda: _book(validation='"2021年,2022年"'), "compliant", None),
    (lambda: _book(chart=_CHART.format(name="人数", a="一季度", b="二季度", x="12", y="15")), "compliant", None),
])
def test_xlsx_values_outside_cells_are_audited(tmp_path, make, verdict, where):
    path = tmp_path / "公示.xlsx"
    path.write_bytes(make())
    [record] = audit_paths([str(path)])
    assert record.verdict == verdict, record.reason
    if where:
        assert any(where.items() <= i["location"].items() for i in record.items if i["violation"]), record.items
    assert ID not in repr(record.to_dict()) and "13812345678" not in repr(record.to_dict())


def test_mask_cannot_rewrite_them_and_says_so(tmp_path):
    from scanner.privacy.mask import mask_file

    src, out = tmp_path / "公示.xlsx", tmp_path / "公示-脱敏.xlsx"
    src.write_bytes(_book(validation='"王芳 13812345678,李娜 13912345678"'))
    record, _n = mask_file(str(src), str(out))
    assert record.verdict == "violation"  # the copy's re-audit: the list is still in it


def _tagged_pdf(alt: str | None, actual: str | None = None) -> bytes:
    """A masked notice whose structure tree holds a figure described by ``alt`` (and a span
    whose /ActualText is ``actual``), on its page."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    from corpora.pii.pdfwriter import write_pdf

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(write_pdf([["关于补贴发放对象的公示", "姓名 王* 身份证号 110105********002X"]]))))
    page = writer.pages[0].indirect_reference
    kids = ArrayObject()
    for key, value in (("/Alt", alt), ("/ActualText", actual)):
        if value is not None:
            kids.append(writer._add_object(DictionaryObject({
                NameObject("/Type"): NameObject("/StructElem"), NameObject("/S"): NameObject("/Figure"),
                NameObject("/Pg"): page, NameObject(key): TextStringObject(value)})))
    document = writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/StructElem"),
                                                    NameObject("/S"): NameObject("/Document"), NameObject("/K"): kids}))
    root = writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot"), NameObject("/K"): document}))
    writer._root_object[NameObject("/StructTreeRoot")] = root
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize("alt, actual, verdict", [
    # a picture of the list described as its rows (alternative text), a span's actual text
    ("名单图片：王芳 13812345678", None, "violation"),
    (None, f"身份证号{ID}", "violation"),
    # near-misses: a description without identifiers, a masked one
    ("图1 2022年补贴发放情况", None, "compliant"),
    ("名单图片：王* 138****5678", None, "compliant"),
])
def test_tagged_pdf_alternative_text_is_audited(tmp_path, alt, actual, verdict):
    path = tmp_path / "公示.pdf"
    path.write_bytes(_tagged_pdf(alt, actual))
    [record] = audit_paths([str(path)])
    assert record.verdict == verdict, record.reason
    if verdict == "violation":
        assert all(i["location"].get("page") == 1 for i in record.items if i["violation"])


def _xls_with_text_box(text: str, note_type: bool = False) -> bytes:
    """A masked 公示 sheet (xlwt) with a text box holding ``text``: OBJ (ftCmo, type 6 text
    box, or 0x19 a note's) + TXO + CONTINUE records put before the sheet's EOF, as Excel
    writes a text box's (xlwt writes none)."""
    import struct

    import xlwt
    from xlwt.CompoundDoc import XlsDoc

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("公示")
    for r, row in enumerate([["序号", "姓名", "身份证号"], ["1", "王*", "110105********002X"]]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    stream = book.get_biff_data()

    def record(kind: int, body: bytes) -> bytes:
        return struct.pack("<HH", kind, len(body)) + body

    cmo = struct.pack("<HHHHH12s", 0x15, 18, 0x19 if note_type else 0x06, 1, 0x6011, b"\0" * 12) + b"\0" * 4
    chars = text.encode("utf-16-le")
    txo = struct.pack("<HH6sHHH", 0x0212, 0, b"\0" * 6, len(text), 0, 0) + b"\0" * 4
    inserted = record(0x005D, cmo) + record(0x01B6, txo) + record(0x003C, b"\x01" + chars)
    eof = stream.rindex(struct.pack("<HH", 0x000A, 0))  # the sheet's EOF (the last record)
    stream = stream[:eof] + inserted + stream[eof:]
    buf = io.BytesIO()
    XlsDoc().save(buf, stream)
    return buf.getvalue()


@pytest.mark.parametrize("text, verdict", [
    # a text box over an old .xls list (联系人 line, a number under it) was never read
    ("联系人：王芳 13812345678", "violation"),
    (f"经办人王芳 身份证号{ID}", "violation"),
    # near-misses: a text box without identifiers, a masked one
    ("注：本名单公示期为2022年6月10日至6月17日", "compliant"),
    ("联系人：王* 138****5678", "compliant"),
])
def test_xls_text_box_is_audited(tmp_path, text, verdict):
    path = tmp_path / "公示.xls"
    path.write_bytes(_xls_with_text_box(text))
    [record] = audit_paths([str(path)])
    assert record.verdict == verdict, record.reason
    if verdict == "violation":
        assert any(i["location"] == {"sheet": "公示", "cell": "对象1 文本框"} for i in record.items if i["violation"]), record.items


def test_xls_text_box_masked_copy(tmp_path):
    from scanner.privacy.mask import mask_file

    src, out = tmp_path / "公示.xls", tmp_path / "公示-脱敏.xlsx"
    src.write_bytes(_xls_with_text_box("联系人：王芳 13812345678"))
    record, _n = mask_file(str(src), str(out))
    assert record.verdict == "compliant", record.reason  # (the XLSX copy holds no text box)


def _xfa_pdf(datasets: bytes | None) -> bytes:
    """A masked notice with an XFA form whose data packet is ``datasets``."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject, TextStringObject

    from corpora.pii.pdfwriter import write_pdf

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(write_pdf([["报名表", "姓名 王* 身份证号 110105********002X"]]))))
    if datasets is not None:
        stream = StreamObject()
        stream.set_data(datasets)
        xfa = ArrayObject([TextStringObject("datasets"), writer._add_object(stream)])
        writer._root_object[NameObject("/AcroForm")] = writer._add_object(DictionaryObject({
            NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): xfa}))
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


_DATASETS = ('<xfa:datasets xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/"><xfa:data><form1>'
             '<xm>王芳</xm><sfzh>{id}</sfzh><sjhm>{mobile}</sjhm><nd>2022</nd></form1></xfa:data></xfa:datasets>')


@pytest.mark.parametrize("datasets, verdict", [
    # a form filled in Adobe's XML forms (XFA): what was typed is in the data packet only
    (_DATASETS.format(id=ID, mobile="13812345678").encode(), "violation"),
    # near-misses: masked values, no form
    (_DATASETS.format(id="110105********002X", mobile="138****5678").encode(), "compliant"),
    (None, "compliant"),
    # a broken packet is named, never a clean audit
    (b"<xfa:datasets><broken", "unreadable"),
])
def test_pdf_xfa_form_data_is_audited(tmp_path, datasets, verdict):
    path = tmp_path / "报名表.pdf"
    path.write_bytes(_xfa_pdf(datasets))
    [record] = audit_paths([str(path)])
    assert record.verdict == verdict, record.reason
    assert ID not in repr(record.to_dict())
