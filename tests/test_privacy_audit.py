"""govscan privacy audit: every format, locations, verdicts, bad input, the CLI contract."""
import json
import os
import re
from pathlib import Path

import pytest

from pii_files import encrypted_ooxml, encrypted_pdf, generated, image_only_pdf, unmasked_values, write_all, xlsx_bytes, zip_bomb
from scanner.cli import app
from scanner.privacy.audit import audit_paths
from scanner.privacy.policy import Policy

FORMATS = ("txt", "html", "csv", "xlsx", "docx", "pdf", "xls", "doc", "ofd")


@pytest.fixture(scope="module")
def notice_files(tmp_path_factory):
    doc = generated("subsidy", seed=5)
    tmp = tmp_path_factory.mktemp("notice")
    return doc, write_all(tmp, doc, FORMATS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_is_a_violation_with_locations(notice_files, fmt):
    doc, paths = notice_files
    [record] = audit_paths([str(paths[fmt])], Policy.load())
    assert record.verdict == "violation", record.reason
    assert record.format == fmt
    items = [i for i in record.items if i["violation"]]
    assert items
    loc = items[0]["location"]
    expected_keys = {
        "xlsx": {"sheet", "cell"}, "docx": {"table", "row", "col"}, "html": {"table", "row", "col"},
        "csv": {"sheet", "cell"} if False else {"table", "row", "col"}, "pdf": {"page", "start", "end"}, "txt": {"start", "end"},
        "xls": {"sheet", "cell"}, "doc": {"table", "row", "col"}, "ofd": {"page", "start", "end"},
    }[fmt]
    if fmt == "csv":
        assert set(loc) <= {"table", "row", "col", "sheet", "cell"}
    else:
        assert set(loc) == expected_keys
    # no unmasked value anywhere in the record
    dumped = json.dumps(record.to_dict(), ensure_ascii=False)
    for value in unmasked_values(doc, fmt):
        assert value not in dumped


def test_xlsx_cell_reference_and_hidden_sheet(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["说明"])
    hidden = wb.create_sheet("隐藏")
    hidden.sheet_state = "hidden"
    hidden.append(["姓名", "身份证号"])
    hidden.append(["王芳", "11010519491231002X"])
    path = tmp_path / "h.xlsx"
    wb.save(path)
    [record] = audit_paths([str(path)])
    assert record.verdict == "violation"
    locs = [i["location"] for i in record.items if i["entity"] == "CN_RESIDENT_ID"]
    assert locs == [{"sheet": "隐藏", "cell": "B2"}]
    assert [i["value_masked"] for i in record.items if i["entity"] == "CN_RESIDENT_ID"] == ["110105********002X"]


@pytest.mark.parametrize("value, expected", [
    # an ID typed as a number: Excel keeps 15 significant digits (4.40105199003071E+17); the
    # lost ones are read as * and the number shows region and birth date: masked too little
    # (the float was read as 440105199003070976, made-up digits, no ID: compliant)
    (440105199003071000.0, [("CN_RESIDENT_ID", True, True, "440105********1***")]),
    # a 19-digit card number the same way
    (6222021234567890123.0, [("CN_BANK_CARD", True, True, "6222***************")]),
    # a mobile stored as a number is read whole
    (13812345678, [("CN_MOBILE", False, True, "138****5678")]),
    (13812345678.0, [("CN_MOBILE", False, True, "138****5678")]),
])
def test_xlsx_numbers_are_read_as_excel_keeps_them(tmp_path, value, expected):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["证件号或卡号"])
    wb.active.append([value])
    path = tmp_path / "n.xlsx"
    wb.save(path)
    [record] = audit_paths([str(path)])
    got = [(i["entity"], i["masked"], i["violation"], i["value_masked"]) for i in record.items]
    assert got == expected
    assert record.verdict == "violation"
    from scanner.privacy.mask import mask_file

    masked, _n = mask_file(str(path), str(tmp_path / "n-masked.xlsx"))
    assert masked.verdict == "compliant", masked.reason


def test_pdf_table_cells_drawn_at_their_columns_are_cells(tmp_path):
    """Word and WPS draw a table's cells at their columns' positions: the text layer read
    one space between them, the row was running text, its names were never found and a
    list of names with home phones came out compliant."""
    from pii_files import positioned_pdf

    header = [(50, "序号"), (100, "姓名"), (200, "性别"), (260, "家庭电话"), (420, "备注")]
    rows = [[(50, str(n)), (100, name), (200, "女"), (260, phone), (420, "无")]
            for n, name, phone in [(1, "王芳", "020-83331234"), (2, "欧阳娜娜", "020-83335678")]]
    path = tmp_path / "list.pdf"
    path.write_bytes(positioned_pdf([[[(50, "公示名单")], header, *rows, [(280, "第 1 页")]]]))
    [record] = audit_paths([str(path)])
    assert record.verdict == "violation", record.reason
    got = [(i["entity"], i["value_masked"], i["violation"], i["location"]["page"]) for i in record.items]
    assert got == [("PERSON", "王*", True, 1), ("CN_LANDLINE", "020-8*****34", True, 1),
                   ("PERSON", "欧阳**", True, 1), ("CN_LANDLINE", "020-8*****78", True, 1)]


@pytest.mark.parametrize("step", [12, 14, 18])
def test_pdf_characters_drawn_apart(tmp_path, step):
    """An OCR text layer or 分散对齐 draws each character apart: the text read
    申 请 人 王 芳 ， 身 份 证 号 4 4 0 1 …, the ID was no ID and the list came out compliant."""
    from pii_files import positioned_pdf

    def spread(x, text):
        return [(x + i * step, ch) for i, ch in enumerate(text)]

    lines = [spread(50, "公示名单如下，请监督"), spread(50, "申请人王芳，身份证号11010519491231002X，手机13812345678。")]
    path = tmp_path / "ocr.pdf"
    path.write_bytes(positioned_pdf([lines]))
    [record] = audit_paths([str(path)])
    got = {(i["entity"], i["value_masked"]) for i in record.items if i["violation"]}
    assert got >= {("CN_RESIDENT_ID", "110105********002X"), ("CN_MOBILE", "138****5678")}, record.items


def test_xlsx_pivot_cache_records_are_audited(tmp_path):
    """A pivot table keeps a copy of its source list in the file (also when the list's
    sheet was deleted): the summary sheet was read, the cache never (compliant)."""
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "汇总"
    wb.active.append(["村", "人数"])
    wb.active.append(["某村", 2])
    path = tmp_path / "pivot.xlsx"
    wb.save(path)
    ns = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/pivotCache/pivotCacheDefinition1.xml",
                    f'<pivotCacheDefinition {ns} r:id="rId1"><cacheFields count="2">'
                    '<cacheField name="姓名"><sharedItems><s v="王芳"/></sharedItems></cacheField>'
                    '<cacheField name="身份证号"><sharedItems/></cacheField></cacheFields></pivotCacheDefinition>')
        zf.writestr("xl/pivotCache/pivotCacheRecords1.xml",
                    f'<pivotCacheRecords {ns}><r><x v="0"/><s v="11010519491231002X"/></r></pivotCacheRecords>')
        zf.writestr("xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels",
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/pivotCacheRecords" '
                    'Target="pivotCacheRecords1.xml"/></Relationships>')
    [record] = audit_paths([str(path)])
    got = [(i["entity"], i["violation"], i["location"]) for i in record.items]
    assert got == [("PERSON", True, {"sheet": "数据透视表缓存 1", "cell": "记录1 列1"}),
                   ("CN_RESIDENT_ID", True, {"sheet": "数据透视表缓存 1", "cell": "记录1 列2"})]


def test_xlsx_external_link_cache_is_audited(tmp_path):
    """A formula looking IDs up in another workbook keeps the values it found in this file
    (xl/externalLinks): never read, the workbook came out compliant."""
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "金额"])
    wb.active.append(["王芳", 300])
    path = tmp_path / "list.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/externalLinks/externalLink1.xml",
                    '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><externalBook>'
                    '<sheetNames><sheetName val="花名册"/></sheetNames><sheetDataSet><sheetData sheetId="0"><row r="2">'
                    '<cell r="C2" t="str"><v>11010519491231002X</v></cell></row></sheetData></sheetDataSet></externalBook></externalLink>')
    [record] = audit_paths([str(path)])
    assert [(i["entity"], i["violation"], i["location"]) for i in record.items if i["entity"] != "PERSON"] == [
        ("CN_RESIDENT_ID", True, {"sheet": "外部链接缓存 1/花名册", "cell": "C2"})]


def test_pdf_notes_and_form_field_values_are_audited(tmp_path):
    """A sticky note (/Contents) and a filled form field's value (/V, a 报名表 filled in as a
    PDF form) are not in the text layer: never read, the form came out compliant."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

    from pii_files import positioned_pdf

    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(positioned_pdf([[[(50, "报名表")]]]))).pages[0])
    rect = ArrayObject([FloatObject(0), FloatObject(0), FloatObject(10), FloatObject(10)])
    note = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Text"),
                             NameObject("/Rect"): rect, NameObject("/Contents"): TextStringObject("核实：手机13812345678")})
    field = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
                              NameObject("/FT"): NameObject("/Tx"), NameObject("/Rect"): rect,
                              NameObject("/V"): TextStringObject("11010519491231002X")})
    check = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
                              NameObject("/FT"): NameObject("/Btn"), NameObject("/Rect"): rect, NameObject("/V"): NameObject("/Yes")})
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(a) for a in (note, field, check)])
    path = tmp_path / "form.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    [record] = audit_paths([str(path)])
    got = [(i["entity"], i["location"]["page"]) for i in record.items if i["violation"]]
    assert got == [("CN_MOBILE", 1), ("CN_RESIDENT_ID", 1)], record.items


def test_masked_file_is_compliant(tmp_path):
    doc = generated("subsidy", seed=8, masked_ratio=1.0)
    paths = write_all(tmp_path, doc, ("txt", "xlsx"))
    for record in audit_paths([str(p) for p in paths.values()]):
        assert record.verdict == "compliant", (record.path, record.reason)
        assert record.items and all(i["masked"] for i in record.items if i["entity"] not in ("CN_LANDLINE", "PERSON"))


@pytest.mark.parametrize("name, make, reason", [
    ("corrupt.xlsx", lambda: b"PK\x03\x04" + os.urandom(200), "corrupt XLSX"),
    ("corrupt.docx", lambda: b"PK\x03\x04garbage", "corrupt DOCX"),
    ("corrupt.pdf", lambda: b"%PDF-1.7\n garbage", "corrupt PDF"),
    ("locked.xlsx", encrypted_ooxml, "password-protected"),
    ("locked.docx", encrypted_ooxml, "password-protected"),
    ("locked.pdf", lambda: encrypted_pdf(["身份证号11010519491231002X"]), "password-protected PDF"),
    ("bomb.docx", lambda: zip_bomb("word/document.xml"), "ZIP bomb"),
    ("bomb.xlsx", lambda: zip_bomb("xl/workbook.xml"), "ZIP bomb"),
    ("scan.pdf", image_only_pdf, "no text layer"),
    ("empty.txt", lambda: b"", "empty file"),
    ("empty.csv", lambda: b"  \n", "empty file"),
    ("text.xlsx", lambda: "身份证号11010519491231002X".encode(), "extension says XLSX"),
    ("pdf.docx", image_only_pdf, "extension says DOCX"),
    ("legacy.xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "legacy Office"),
])
def test_bad_input_is_unreadable_and_audit_goes_on(tmp_path, name, make, reason):
    bad = tmp_path / name
    bad.write_bytes(make())
    good = tmp_path / "z-good.txt"
    good.write_text("身份证号11010519491231002X", encoding="utf-8")
    records = list(audit_paths([str(bad), str(good)]))
    assert records[0].verdict == "unreadable"
    assert reason in records[0].reason
    assert records[1].verdict == "violation"


@pytest.mark.parametrize("name, data", [
    # UTF-16 without a BOM (an export of some office tools): `govscan review` reads it;
    # the audit called it "binary data" and left the leak unaudited
    ("notice.txt", "申请人王芳，身份证号11010519491231002X，手机13812345678。\n".encode("utf-16-le")),
    ("list.csv", "姓名,手机\n王芳,13812345678\n".encode("utf-16-be")),
], ids=["utf16le-txt", "utf16be-csv"])
def test_utf16_without_bom_is_audited(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    [record] = audit_paths([str(path)])
    assert record.verdict == "violation", record.reason
    assert "CN_MOBILE" in {i["entity"] for i in record.items if i["violation"]}


def test_huge_csv_is_refused_without_reading(tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "wb") as fh:
        fh.truncate(1024 ** 3)  # a sparse 1 GB file
    [record] = audit_paths([str(path)])
    assert record.verdict == "unreadable"
    assert "too large" in record.reason


def test_row_cap(tmp_path, monkeypatch):
    import scanner.extract.office as office

    monkeypatch.setattr(office, "MAX_ROWS", 10)
    path = tmp_path / "many.csv"
    path.write_text("\n".join(f"{i},王芳" for i in range(20)), encoding="utf-8")
    [record] = audit_paths([str(path)])
    assert record.verdict == "unreadable" and "rows" in record.reason


# ---------------------------------------------------------------- CLI

def test_cli_exit_codes_and_formats(tmp_path, cli_runner):
    clean = tmp_path / "clean.txt"
    clean.write_text("关于召开会议的通知。咨询电话：020-83331234。", encoding="utf-8")
    leak = tmp_path / "sub" / "leak.csv"
    leak.parent.mkdir()
    leak.write_text("姓名,身份证号\n王芳,11010519491231002X\n", encoding="utf-8")

    result = cli_runner.invoke(app, ["privacy", "audit", str(clean)])
    assert result.exit_code == 0, result.output
    assert "compliant" in result.output

    # a file and a directory mixed, -r descends
    result = cli_runner.invoke(app, ["privacy", "audit", str(clean), str(tmp_path), "-r", "--format", "jsonl"])
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    verdicts = {r["path"]: r["verdict"] for r in records}
    assert verdicts[str(leak)] == "violation" and verdicts[str(clean)] == "compliant"
    assert "11010519491231002X" not in result.stdout
    assert "110105********002X" in result.stdout

    # without -r the sub-directory is not entered
    result = cli_runner.invoke(app, ["privacy", "audit", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0
    assert [r["path"] for r in json.loads(result.stdout)] == [str(clean)]

    result = cli_runner.invoke(app, ["privacy", "audit", str(leak), "--format", "csv"])
    assert result.exit_code == 1
    assert result.stdout.startswith("\ufeff")  # BOM: a double-clicked audit.csv opens in Excel as UTF-8
    assert result.stdout[1:].splitlines()[0].startswith("path,format,verdict")
    assert "11010519491231002X" not in result.stdout
    # one row per item, with the rule as in the other formats (it was left out)
    import csv as csv_module

    rows = list(csv_module.DictReader(result.stdout[1:].splitlines()))
    assert {r["rule"] for r in rows} == {"unmasked identifier", "name with CN_RESIDENT_ID in the same record"}


def test_cli_csv_cells_never_run_as_formulas(cli_runner):
    """A value a spreadsheet would run (the audited text's own =HYPERLINK, kept in no cell
    unmasked anyway) never starts a cell: standard input's name "-" stays "-"."""
    from scanner.cli import app

    text = '=HYPERLINK("http://evil.example/","点击")\n姓名：王芳，手机：13812345678\n'
    result = cli_runner.invoke(app, ["privacy", "audit", "-", "--format", "csv"], input=text.encode("utf-8"))
    assert result.exit_code == 1
    import csv as csv_module

    rows = list(csv_module.reader(result.stdout.lstrip("\ufeff").splitlines()))
    assert rows[1][0] == "-"
    assert not any(c.startswith(("=", "+", "@")) for row in rows for c in row)


def test_cli_unreadable_exit_1_and_usage_errors_exit_2(tmp_path, cli_runner):
    missing = tmp_path / "missing.docx"
    result = cli_runner.invoke(app, ["privacy", "audit", str(missing)])
    assert result.exit_code == 1
    assert "no such file" in result.output
    result = cli_runner.invoke(app, ["privacy", "audit", str(missing), "--format", "yaml"])
    assert result.exit_code == 2
    bad_policy = tmp_path / "p.toml"
    bad_policy.write_text("[policy\n", encoding="utf-8")
    result = cli_runner.invoke(app, ["privacy", "audit", str(missing), "--policy", str(bad_policy)])
    assert result.exit_code == 2
    assert "not valid TOML" in result.output


def test_directory_without_auditable_files_is_not_a_clean_audit(tmp_path, cli_runner):
    """An audit of a folder whose files sit one level down (no -r), or that holds none, read
    nothing, printed nothing and exited 0, like a clean audit."""
    (tmp_path / "2022" / "q2").mkdir(parents=True)
    (tmp_path / "2022" / "q2" / "list.csv").write_text("姓名,手机\n王芳,13812345678\n", encoding="utf-8")
    (tmp_path / "2022" / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    result = cli_runner.invoke(app, ["privacy", "audit", str(tmp_path), "--format", "jsonl"])
    assert result.exit_code == 1
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["verdict"] == "unreadable" and record["format"] == "directory"
    assert "no auditable files" in record["reason"] and "-r descends into its 1 sub-directories" in record["reason"]
    result = cli_runner.invoke(app, ["privacy", "audit", str(tmp_path / "2022"), "-r", "--format", "jsonl"])
    assert [json.loads(line)["verdict"] for line in result.stdout.splitlines()] == ["violation"]


LEAK = "联系人：王芳 13812345678\n"


@pytest.mark.parametrize("relative, content, named", [
    # version control, tools' packages and caches, OS bookkeeping: never published, never entered
    # (a package's README with a phone in node_modules was a violation of the folder)
    (".git/description.txt", LEAK, ".git"),
    (".svn/pristine/ab/名单.csv", LEAK, ".svn"),
    ("site/node_modules/pkg/README.md", LEAK, "site/node_modules"),
    ("src/__pycache__/notes.txt", LEAK, "src/__pycache__"),
    ("__MACOSX/附件/名单.csv", LEAK, "__MACOSX"),
    ("Node_Modules/pkg/README.md", LEAK, "Node_Modules"),  # (case folded, as Windows and macOS do)
    # Office's owner file of an open list (162 bytes) and a macOS resource fork: "unreadable", so
    # a folder with a list open in Excel never came out clean
    ("~$名单.xlsx", "\x06wangfang" + " " * 48, "~$名单.xlsx"),
    ("._名单.csv", "\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X", "._名单.csv"),
    # near misses, audited: a hidden folder a server publishes (.well-known) or any other one,
    # a folder merely named like a tool, and files named like side files that are documents
    (".well-known/contact.txt", LEAK, None),
    (".备份/名单.csv", "姓名,手机\n王芳,13812345678\n", None),
    ("git/名单.txt", LEAK, None),
    ("node_modules_backup/名单.txt", LEAK, None),
    ("._名单.txt", LEAK, None),
    ("~$名单.txt", LEAK * 60, None),
])
def test_folder_walk_passes_over_tool_folders_and_side_files(tmp_path, cli_runner, relative, content, named):
    root = tmp_path / "附件"
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8"))
    (root / "名单.csv").write_text("姓名,手机\n王*,138****5678\n", encoding="utf-8")
    result = cli_runner.invoke(app, ["privacy", "audit", str(root), "-r", "--format", "jsonl"])
    records = {json.loads(line)["path"]: json.loads(line)["verdict"] for line in result.stdout.splitlines()}
    if named is None:  # audited: the leak found
        assert records[str(path)] == "violation" and result.exit_code == 1 and "已跳过" not in result.stderr, records
    else:  # passed over, and said on stderr (stdout is the records), naming it
        assert records == {str(root / "名单.csv"): "compliant"} and result.exit_code == 0, records
        assert result.stderr.startswith("已跳过（未检查）：") and f"（{root / named}）" in result.stderr, result.stderr


def test_folder_walk_summary_in_the_text_format(tmp_path, cli_runner):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "名单.txt").write_text(LEAK, encoding="utf-8")
    (tmp_path / "~$名单.xlsx").write_bytes(b"\x06wangfang" + b" " * 48)
    (tmp_path / "名单.txt").write_text("联系人：王* 138****5678\n", encoding="utf-8")
    result = cli_runner.invoke(app, ["privacy", "audit", str(tmp_path), "-r"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (f"已跳过（未检查）：版本库或工具目录 1 个（{tmp_path / '.git'}）；"
                                              f"Office 所有者文件或 macOS 资源文件 1 个（{tmp_path / '~$名单.xlsx'}）")
    # without -r no folder is entered: nothing is said of them, and the hint counts only real ones
    (tmp_path / "名单.txt").unlink()
    (tmp_path / "~$名单.xlsx").unlink()
    result = cli_runner.invoke(app, ["privacy", "audit", str(tmp_path), "--format", "jsonl"])
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["format"] == "directory" and "sub-directories" not in record["reason"] and not result.stderr


@pytest.mark.parametrize("arg", ["", "  "])
def test_empty_path_is_not_the_working_directory(tmp_path, cli_runner, monkeypatch, arg):
    """`govscan privacy audit "$f"` with $f unset: Path("") is ".", so the whole working
    directory was audited (a 名单 in it reported as if it had been named)."""
    (tmp_path / "list.csv").write_text("姓名,手机\n王芳,13812345678\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli_runner.invoke(app, ["privacy", "audit", arg, "--format", "jsonl"])
    assert result.exit_code == 1
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["verdict"] == "unreadable" and record["path"] == "''"
    assert record["reason"].startswith("empty path")


@pytest.mark.parametrize("data, fmt, verdict", [
    # a 名单.csv piped in was read as text: no name column, its home phones "not in a person's
    # record", compliant (the same file named .csv was a violation)
    ("序号,姓名,家庭电话\n1,王建国,020-83331234\n2,李秀英,020-83335678\n".encode("utf-8"), "csv", "violation"),
    ("序号,姓名,家庭电话\r\n1,王建国,020-83331234\r\n".encode("gbk"), "csv", "violation"),
    ("姓名;家庭电话\n王建国;020-83331234\n".encode("utf-8"), "csv", "violation"),
    # near misses: text stays text (one line; lines of different shapes)
    ("姓名,家庭电话\n".encode("utf-8"), "txt", "compliant"),
    ("关于补贴的通知\n经审核,以下人员符合条件,予以公示\n联系电话:020-83331234\n".encode("utf-8"), "txt", "compliant"),
])
def test_standard_input_csv_is_read_as_a_csv(cli_runner, data, fmt, verdict):
    result = cli_runner.invoke(app, ["privacy", "audit", "-", "--format", "jsonl"], input=data)
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert (record["format"], record["verdict"]) == (fmt, verdict), record


def _pdf_with_attachments(files) -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter

    from corpora.pii.pdfwriter import write_pdf

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(write_pdf([["关于补贴发放对象的公示", "姓名 王* 身份证号 110105********002X"]]))))
    for name, data in files:
        writer.add_attachment(name, data)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize("files, verdict, where", [
    # a notice exported as PDF with its 名单.xlsx attached (EmbeddedFiles): never read, and the
    # PDF, masked on its pages, was compliant with every ID in the workbook
    ([("名单.xlsx", lambda: xlsx_bytes([["姓名", "身份证号"], ["王芳", "11010519491231002X"]]))], "violation",
     {"sheet": "嵌入对象 名单.xlsx/公示名单", "cell": "B2"}),
    ([("名单.csv", lambda: "姓名,手机\n王芳,13812345678\n".encode("utf-8"))], "violation", {"sheet": "嵌入对象 名单.csv"}),
    # ... masked, it is compliant; one the audit cannot read is named, never a clean audit
    ([("名单.xlsx", lambda: xlsx_bytes([["姓名", "身份证号"], ["王*", "110105********002X"]]))], "compliant", None),
    ([("身份证.jpg", lambda: b"\xff\xd8\xff")], "unreadable", None),
    # a PDF without attachments as before
    ([], "compliant", None),
])
def test_pdf_attached_files_are_audited(tmp_path, files, verdict, where):
    path = tmp_path / "公示.pdf"
    path.write_bytes(_pdf_with_attachments([(name, make()) for name, make in files]))
    [record] = audit_paths([str(path)])
    assert record.verdict == verdict, record.reason
    if where:
        assert any(where.items() <= i["location"].items() for i in record.items if i["violation"]), record.items
    if verdict == "unreadable":
        assert "attachment 身份证.jpg: not read" in record.reason


def _pdf_holding(*files, key=None) -> bytes:
    """A PDF with ``files`` ((name, bytes)) attached; ``key``: the attachments' key in the
    name tree when it differs from their file name (/UF)."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    from corpora.pii.pdfwriter import write_pdf

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(write_pdf([["附件", "详见附件。"]]))))
    for name, data in files:
        writer.add_attachment(key or name, data)
    if key:
        for entry in writer.attachment_list:
            entry.pdf_object[NameObject("/UF")] = TextStringObject(files[0][0])
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _empty_docx() -> bytes:
    import io

    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    return buf.getvalue()


def _nest(names, inner) -> bytes:
    """A PDF holding ``names[0]``, a PDF holding ``names[1]`` … the last holding ``inner``."""
    data = _pdf_holding(inner)
    for name in reversed(names):
        data = _pdf_holding((name, data))
    return data


_LIST = xlsx_bytes([["姓名", "身份证号"], ["王芳", "11010519491231002X"]])
_MASKED_LIST = xlsx_bytes([["姓名", "身份证号"], ["王*", "110105********002X"]])
_NESTED = "嵌入对象 附件.pdf/嵌入对象 名单.xlsx/公示名单"


@pytest.mark.parametrize("make, verdict, where, unread", [
    # a PDF attached to the PDF, holding the 名单: its attachments were never read (compliant)
    (lambda: _nest(["附件.pdf"], ("名单.xlsx", _LIST)), "violation", {"sheet": _NESTED, "cell": "B2"}, None),
    (lambda: _nest(["附件.pdf"], ("名单.xlsx", _MASKED_LIST)), "compliant", None, None),
    # ... and what the inner PDF cannot read is named
    (lambda: _nest(["附件.pdf"], ("照片.jpg", b"\xff\xd8\xff")), "unreadable", None, "附件.pdf > attachment 照片.jpg: not read"),
    # three levels are read; a fourth is named, not read
    (lambda: _nest(["a.pdf", "b.pdf"], ("名单.xlsx", _LIST)), "violation",
     {"sheet": "嵌入对象 a.pdf/嵌入对象 b.pdf/嵌入对象 名单.xlsx/公示名单", "cell": "B2"}, None),
    (lambda: _nest(["a.pdf", "b.pdf", "c.pdf"], ("名单.xlsx", _LIST)), "unreadable", None,
     "a.pdf > b.pdf > c.pdf > attachment 名单.xlsx: not read (files inside files are read 3 levels deep)"),
    # a damaged attachment was passed over with a line in the text: compliant
    (lambda: _pdf_holding(("名单.xlsx", b"PK\x03\x04 cut short")), "unreadable", None, "attachment 名单.xlsx: cannot be read (corrupt XLSX"),
    (lambda: _pdf_holding(("名单.xls", b"\xd0\xcf\x11\xe0 cut short")), "unreadable", None, "attachment 名单.xls: cannot be read"),
    # near misses: an empty attachment, or one without text or cells, holds nothing unread
    (lambda: _pdf_holding(("名单.csv", b"")), "compliant", None, None),
    (lambda: _pdf_holding(("名单.xlsx", xlsx_bytes([]))), "compliant", None, None),
    (lambda: _pdf_holding(("说明.docx", _empty_docx())), "compliant", None, None),
    # ... but a scanned PDF attached is content not read
    (lambda: _pdf_holding(("扫描件.pdf", image_only_pdf())), "unreadable", None, "attachment 扫描件.pdf: cannot be read (no text layer"),
    # an entry whose key in the name tree is not its file name (/UF) was read under its name and
    # also listed "not read" under its key: a masked 名单 made the PDF unreadable
    (lambda: _pdf_holding(("名单.xlsx", _MASKED_LIST), key="file1"), "compliant", None, None),
    (lambda: _pdf_holding(("名单.xlsx", _LIST), key="file1"), "violation", {"sheet": "嵌入对象 名单.xlsx/公示名单", "cell": "B2"}, None),
])
def test_pdf_attachments_nested_and_damaged(tmp_path, make, verdict, where, unread):
    path = tmp_path / "公示.pdf"
    path.write_bytes(make())
    [record] = audit_paths([str(path)])
    assert record.verdict == verdict, record.reason
    if where:
        assert where in [i["location"] for i in record.items if i["violation"]], record.items
    if unread:
        assert "未能读取：" in record.reason and unread in record.reason, record.reason
    else:
        assert "未能读取" not in record.reason


def test_pdf_attachments_have_one_budget(tmp_path, monkeypatch):
    """A PDF's attached files (and theirs) share one file's limits: 50 files, 64 MB, and the
    cells of MAX_CELLS (3 attached CSVs of 1.9 M cells took 247 s and 2.8 GB; 50 fit in a 64 MB
    PDF).  What is over the budget is named, and the audit is never compliant."""
    from scanner.extract import office

    sheet = "序号,姓名,手机\n" + "".join(f"{i},王*,138****{i:04d}\n" for i in range(1, 11))  # 33 cells
    leak = "序号,姓名,手机\n1,王芳,13812345678\n"
    # 60 small attachments: 50 read (the leak in the last of them found), 10 named (the name
    # tree keeps its keys sorted)
    files = [(f"表{i:02}.csv", sheet.encode()) for i in range(1, 50)] + [("表50.csv", leak.encode())]
    files += [(f"表{i}.csv", leak.encode()) for i in range(51, 61)]
    path = tmp_path / "多附件.pdf"
    path.write_bytes(_pdf_holding(*files))
    [record] = audit_paths([str(path)])
    assert record.verdict == "violation", record.reason
    assert "attachment 表51.csv: not read (over 50 attachments)" in record.reason and "（共 10 处）" in record.reason
    assert [i["location"]["sheet"] for i in record.items if i["violation"] and i["entity"] == "CN_MOBILE"] == ["嵌入对象 表50.csv"]
    # cells: the file and everything inside it hold MAX_CELLS in all; the attachment that runs
    # past it is not read, nor any after it, nested ones included
    monkeypatch.setattr(office, "MAX_CELLS", 80)
    path.write_bytes(_pdf_holding(("表1.csv", sheet.encode()), ("表2.csv", sheet.encode()), ("表3.csv", sheet.encode()),
                                  ("附件.pdf", _pdf_holding(("表4.csv", leak.encode())))))
    [record] = audit_paths([str(path)])
    assert record.verdict == "unreadable", record.reason
    for name in ("表3.csv", "附件.pdf"):
        assert f"attachment {name}: not read (a file and the files inside it over 80 cells in all (limit))" in record.reason
    assert "表1.csv" not in record.reason and "表2.csv" not in record.reason
    assert {i["location"]["sheet"] for i in record.items} == {"嵌入对象 表1.csv", "嵌入对象 表2.csv"}


def test_pdf_attachments_over_the_bytes_budget(tmp_path, monkeypatch):
    from scanner.extract import office

    monkeypatch.setattr(office, "MAX_ATTACHED_BYTES", len(_LIST) * 2 + 10)
    path = tmp_path / "公示.pdf"
    path.write_bytes(_pdf_holding(("名单1.xlsx", _MASKED_LIST), ("名单2.xlsx", _MASKED_LIST), ("名单3.xlsx", _LIST)))
    [record] = audit_paths([str(path)])
    assert record.verdict == "unreadable", record.reason
    assert "attachment 名单3.xlsx: not read (attached files over 0 MB in all: limit)" in record.reason


@pytest.mark.parametrize("files, summary", [
    # a folder's text audit ends with the count of each verdict (200 attachments printed 7,500
    # lines, the one violation and the unreadable files somewhere among them)
    ({"a.txt": "关于补贴发放的通知", "b.csv": "姓名,手机\n王芳,13812345678\n", "c.pdf": ""},
     "共 3 个文件：违规 1，无法读取 1，合规 1"),
    ({"a.txt": "关于补贴发放的通知", "b.txt": "关于会议的通知"}, "共 2 个文件：违规 0，无法读取 0，合规 2"),
    # one file: its record alone, as before
    ({"a.txt": "关于补贴发放的通知"}, None),
])
def test_text_audit_of_several_files_ends_with_the_counts(tmp_path, cli_runner, files, summary):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = cli_runner.invoke(app, ["privacy", "audit", str(tmp_path)], terminal_width=200)
    last = result.stdout.splitlines()[-1]
    assert last == summary if summary else last.startswith(str(tmp_path / "a.txt"))
    jsonl = cli_runner.invoke(app, ["privacy", "audit", str(tmp_path), "--format", "jsonl"])
    assert all(line.startswith("{") for line in jsonl.stdout.splitlines())  # (text format only)


@pytest.mark.parametrize("value, shown, violation", [
    # masks typed as × ● ■ or a full-width ＊ (a Chinese input method): not recognised at all, so
    # a form masked too little (its birth date shown) came out compliant, and a masked one was
    # reported with its ＊ where value_masked writes *
    ("44010519900307××××", "440105************", True),
    ("44010519900307●●●●", "440105************", True),
    ("440105＊＊＊＊＊＊＊＊1234", "440105********1234", False),
    ("440105××××××××1234", "440105********1234", False),
    ("138■■■■5678", "138****5678", False),
])
def test_other_mask_characters_read_as_stars(tmp_path, value, shown, violation):
    path = tmp_path / "list.csv"
    path.write_text(f"姓名,身份证号\n王芳,{value}\n", encoding="utf-8")
    [record] = audit_paths([str(path)])
    [item] = [i for i in record.items if i["entity"] != "PERSON"]
    assert (item["masked"], item["value_masked"], item["violation"]) == (True, shown, violation)
    assert record.verdict == ("violation" if violation else "compliant")


@pytest.mark.parametrize("text", [
    # near misses: × between numbers that are no identifiers
    "屏幕分辨率1920×1080，尺寸3×4米。",
    "统计：固定电话×17，手机号码×21。",
])
def test_times_sign_is_no_mask(tmp_path, text):
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    [record] = audit_paths([str(path)])
    assert (record.verdict, record.items) == ("compliant", ())


@pytest.mark.parametrize("text, values", [
    # an unmasked value beside a mark character (a count after it, a bullet before it) was read
    # as a masked form ending or starting in *: no detector took it, and the list was compliant
    ("王芳 联系电话13812345678×2\n", ["138****5678"]),
    ("王芳 身份证11010519491231002X×1份\n", ["110105********002X"]),
    ("王芳 手机：●13812345678\n", ["138****5678"]),
    ("王芳 ★13812345678★\n", ["138****5678"]),
    # the masked form beside it is still read as one
    ("王芳 13812345678×2，李明 44010519900307××××\n", ["138****5678", "440105************"]),
])
def test_unmasked_value_beside_a_mask_character(tmp_path, text, values):
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    [record] = audit_paths([str(path)])
    items = [i for i in record.items if i["entity"] != "PERSON"]
    assert [i["value_masked"] for i in items] == values
    assert record.verdict == "violation" and all(i["violation"] for i in items)


def test_directory_lists_documents_it_cannot_read(tmp_path):
    """A 名单.xls or an .ofd beside readable files was skipped without a word and the folder
    came out compliant; a macro-enabled workbook (.xlsm) was not read at all."""
    import zipfile

    import openpyxl

    (tmp_path / "notice.txt").write_text("关于补贴发放的通知", encoding="utf-8")
    (tmp_path / "名单.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with zipfile.ZipFile(tmp_path / "公告.ofd", "w") as zf:
        zf.writestr("OFD.xml", "<ofd:OFD/>")
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "身份证号"])
    wb.active.append(["王芳", "11010519491231002X"])
    wb.save(tmp_path / "list.xlsm")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    records = {os.path.basename(r.path): r for r in audit_paths([str(tmp_path)])}
    assert sorted(records) == ["list.xlsm", "notice.txt", "公告.ofd", "名单.xls"]
    assert records["名单.xls"].verdict == "unreadable" and "legacy Office" in records["名单.xls"].reason
    assert records["公告.ofd"].verdict == "unreadable" and "OFD" in records["公告.ofd"].reason
    assert records["list.xlsm"].verdict == "violation"


def _package(members: dict[str, str]) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return buf.getvalue()


@pytest.mark.parametrize("name, members, reason", [
    # OpenDocument files saved by LibreOffice or WPS: passed over without a word in a folder,
    # "a ZIP archive that is not XLSX or DOCX" when named
    ("名单.odt", {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"},
     "OpenDocument text (.odt): not supported, save it as .docx or PDF"),
    ("名单.ods", {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"},
     "OpenDocument spreadsheet (.ods): not supported, save it as .xlsx"),
    ("汇报.odp", {"mimetype": "application/vnd.oasis.opendocument.presentation"},
     "OpenDocument presentation (.odp): not supported, save it as PDF"),
    ("汇报.pptx", {"[Content_Types].xml": "<x/>", "ppt/presentation.xml": "<p/>"},
     "PowerPoint presentation (.pptx): not supported, save it as PDF"),
    ("名单.xlsb", {"[Content_Types].xml": "<x/>", "xl/workbook.bin": ""},
     "Excel binary workbook (.xlsb): not supported, save it as .xlsx"),
    # near miss: another archive keeps its reason
    ("附件.zip", {"名单.csv": "姓名,手机"}, "not a readable document (a ZIP archive that is not XLSX or DOCX)"),
])
def test_directory_names_packages_it_cannot_read(tmp_path, name, members, reason):
    (tmp_path / "notice.txt").write_text("关于补贴发放的通知", encoding="utf-8")
    (tmp_path / name).write_bytes(_package(members))
    records = {os.path.basename(r.path): r for r in audit_paths([str(tmp_path)])}
    assert sorted(records) == sorted(["notice.txt", name])
    assert (records[name].verdict, records[name].reason) == ("unreadable", reason)


@pytest.mark.parametrize("member, make", [
    # a footnotes part cut short: a traceback that stopped the whole audit
    ("word/footnotes.xml", "docx"),
    # a note part cut short: the whole workbook was unreadable, its cells unaudited
    ("xl/comments/comment1.xml", "xlsx"),
])
def test_a_broken_part_is_read_as_far_as_it_goes(tmp_path, member, make):
    import zipfile

    src = tmp_path / f"in.{make}"
    if make == "docx":
        import docx
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part

        d = docx.Document()
        d.add_paragraph("申请人王芳，身份证号11010519491231002X")
        w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        xml = f'<w:footnotes {w}><w:footnote w:id="1"><w:p><w:r><w:t>注：手机13812345678</w:t></w:r></w:p></w:footnote></w:footnotes>'
        ct = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
        d.part.relate_to(Part(PackURI("/word/footnotes.xml"), ct, xml.encode(), d.part.package), RT.FOOTNOTES)
        d.save(src)
    else:
        import openpyxl
        from openpyxl.comments import Comment

        wb = openpyxl.Workbook()
        wb.active.append(["姓名", "身份证号"])
        wb.active.append(["王芳", "11010519491231002X"])
        wb.active["A2"].comment = Comment("注：手机13812345678", "审核")
        wb.save(src)
    broken = tmp_path / f"broken.{make}"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(broken, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            zout.writestr(name, data[: data.index(b"13812345678") + 5] if name == member else data)
    [record] = audit_paths([str(broken)])
    assert record.verdict == "violation", record.reason
    assert "CN_RESIDENT_ID" in {i["entity"] for i in record.items}
    # mask: a copy, or one line saying why not (openpyxl's full load refuses the broken note: a traceback)
    from scanner.errors import InputError
    from scanner.privacy.mask import mask_file

    try:
        masked, _n = mask_file(str(broken), str(tmp_path / f"out.{make}"))
    except InputError as exc:
        assert make == "xlsx" and "cannot rewrite this XLSX" in str(exc)
    else:
        assert masked.verdict == "compliant", masked.reason


def _claimed_huge(member: str = "word/document.xml") -> bytes:
    """A DOCX whose central directory claims a 4 GB member (a forged size: ratio in the millions)."""
    import io
    import struct
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(member, b"\x00" * 4096)
    data = bytearray(buf.getvalue())
    pos = data.rfind(b"PK\x01\x02")  # the last member's central directory header
    struct.pack_into("<I", data, pos + 24, 0xFFFFFF00)  # its uncompressed size
    return bytes(data)


def test_bomb_reason_keeps_its_ratio_readable(tmp_path):
    """Reasons are masked like excerpts (7+ digit runs), so a ratio of 4226137x came out as
    422****x; it is written with thousands separators and stays readable."""
    path = tmp_path / "bomb.docx"
    path.write_bytes(_claimed_huge())
    [record] = audit_paths([str(path)], Policy.load())
    assert record.verdict == "unreadable" and "ZIP bomb" in record.reason
    import re
    ratio = re.search(r"inflates (\S+)x", record.reason).group(1)
    assert "*" not in ratio and re.fullmatch(r"\d{1,3}(,\d{3})+", ratio), record.reason


@pytest.mark.parametrize("text", [
    # rows as io.StringIO gave them to the csv reader: \n, \r\n, no final line end
    "姓名,电话\n王芳,138****5678\n",
    "姓名,电话\r\n王芳,138****5678",
    # a line break inside a quoted cell, a lone \r inside a cell, Excel's sep= line
    'sep=;\n姓名;备注\n王芳;"第一行\n第二行"\n张*;"a\rb"\n',
    # blank lines kept as empty rows
    "a,b\n\n\nc,d\n",
])
def test_csv_rows_read_lazily(monkeypatch, text):
    """The CSV reader read an io.StringIO copy of the whole decoded text (a 63 MB CSV peaked at
    650 MB); its lines are now handed over one at a time, the rows unchanged."""
    import csv
    import io

    import scanner.extract.office as office

    dialect, expected = office.csv_rows(text)
    expected = list(csv.reader(io.StringIO(text), dialect))
    monkeypatch.setattr(office.io, "StringIO", None)  # (the copy is not made)
    assert list(office.csv_rows(text)[1]) == expected


def _docx(paragraphs) -> bytes:
    import io

    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("limit, value, paragraphs, reason", [
    # one part's XML over its limit: refused before python-docx builds the tree (about 15 times
    # the XML: 105 MB of paragraphs took 2 GB and 42 s)
    ("MAX_DOCX_PART", 100_000, ["公示"] * 3000, "DOCX part word/.+ is 0 MB of XML, over the 0 MB limit of one part"),
    # more characters than the limit every other reader had (a DOCX of 25 M characters was read)
    ("MAX_CHARS", 1000, ["王芳" * 100] * 20, r"DOCX holds more than 1,000 characters \(limit\)"),
    # under both: read
    ("MAX_CHARS", 10_000, ["王芳" * 100] * 20, None),
])
def test_docx_size_limits(tmp_path, monkeypatch, limit, value, paragraphs, reason):
    import scanner.extract.documents as documents
    import scanner.extract.office as office

    monkeypatch.setattr(documents if limit == "MAX_DOCX_PART" else office, limit, value)
    path = tmp_path / "big.docx"
    path.write_bytes(_docx(paragraphs))
    [record] = audit_paths([str(path)])
    if reason is None:
        assert record.verdict == "compliant", record.reason
    else:
        assert record.verdict == "unreadable" and re.fullmatch(reason, record.reason), record.reason


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "text"])
def test_no_output_shows_an_identifier_held_in_a_sheet_or_attachment_name(tmp_path, cli_runner, fmt):
    """A sheet named after its person (王芳11010519491231002X) or a PDF's attachment so named put
    the whole ID in the location of every item of that sheet; the name is read as text and
    reported, and every location shows it masked.  Other digits in names stay."""
    book = tmp_path / "名单.xlsx"
    book.write_bytes(xlsx_bytes([["姓名", "手机"], ["王芳", "13812345678"]], title="王芳11010519491231002X"))
    pdf = tmp_path / "公示.pdf"
    pdf.write_bytes(_pdf_holding(("李娜13912345678.xlsx", xlsx_bytes([["姓名", "手机"], ["李娜", "13912345678"]], title="2022年第二季度"))))
    result = cli_runner.invoke(app, ["privacy", "audit", str(book), str(pdf), "--format", fmt])
    assert result.exit_code == 1, result.output
    for value in ("11010519491231002X", "13812345678", "13912345678"):
        assert value not in result.stdout
    if fmt == "jsonl":
        records = [json.loads(line) for line in result.stdout.splitlines()]
        sheets = {i["location"]["sheet"] for r in records for i in r["items"] if "sheet" in i["location"]}
        assert sheets == {"王芳110105********002X", "嵌入对象 李娜139****5678.xlsx/2022年第二季度"}
        # the sheet's name is read as text: its ID is an item of its own
        assert any(i["entity"] == "CN_RESIDENT_ID" and i["violation"] for i in records[0]["items"])


_MASKED_CSV = "姓名,手机\n王*,138****5678\n".encode("utf-8")


@pytest.mark.parametrize("name, data, verdict, entities", [
    # an attachment named after its person publishes the ID in its link and download name, whatever
    # the file holds: masked inside, it was compliant
    ("王芳11010519491231002X.csv", _MASKED_CSV, "violation", ["CN_RESIDENT_ID"]),
    ("王芳-110105 19491231 002X-申请表.csv", _MASKED_CSV, "violation", ["CN_RESIDENT_ID"]),
    ("李娜13812345678.csv", _MASKED_CSV, "violation", ["CN_MOBILE"]),
    # ... also when the file cannot be read
    ("李娜13812345678.xlsx", b"PK\x03\x04 cut short", "violation", ["CN_MOBILE"]),
    # near misses: a CMS's generated name (digits only), a masked ID, a date, no digits, a wrong checksum
    ("16512345678.csv", _MASKED_CSV, "compliant", []),
    ("P020220610549876543210.csv", _MASKED_CSV, "compliant", []),
    ("王芳110105********002X.csv", _MASKED_CSV, "compliant", []),
    ("2022年第二季度补贴名单20220610.csv", _MASKED_CSV, "compliant", []),
    ("补贴名单.csv", _MASKED_CSV, "compliant", []),
    ("订单110105194912310021.csv", _MASKED_CSV, "compliant", []),
    ("名单.xlsx", b"PK\x03\x04 cut short", "unreadable", []),
])
def test_identifier_in_the_file_name_is_a_violation(tmp_path, cli_runner, name, data, verdict, entities):
    path = tmp_path / name
    path.write_bytes(data)
    [record] = audit_paths([str(path)])
    assert record.verdict == verdict, record.reason
    found = [i for i in record.items if i["location"].get("part") == "文件名"]
    assert [i["entity"] for i in found] == entities
    assert all(i["violation"] and not i["masked"] for i in found)
    # shown masked in every item, located in the name
    result = cli_runner.invoke(app, ["privacy", "audit", str(path)])
    for i in found:
        assert f"{i['value_masked']}\t文件名 " in result.stdout


def _pdf_with_pinned_files(*files) -> bytes:
    """A PDF whose first page has each of ``files`` ((name, bytes)) attached by a FileAttachment
    annotation (Acrobat's and WPS's paperclip): in no EmbeddedFiles name tree."""
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, StreamObject, TextStringObject

    from corpora.pii.pdfwriter import write_pdf

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(write_pdf([["附件", "名单见附件（回形针图标）。"]]))))
    annots = ArrayObject()
    for name, data in files:
        stream = StreamObject()
        stream.set_data(data)
        stream[NameObject("/Type")] = NameObject("/EmbeddedFile")
        spec = DictionaryObject({NameObject("/Type"): NameObject("/Filespec"), NameObject("/F"): TextStringObject(name),
                                 NameObject("/UF"): TextStringObject(name),
                                 NameObject("/EF"): DictionaryObject({NameObject("/F"): writer._add_object(stream)})})
        annot = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/FileAttachment"),
                                  NameObject("/Rect"): ArrayObject([NumberObject(x) for x in (50, 50, 70, 70)]),
                                  NameObject("/FS"): writer._add_object(spec)})
        annots.append(writer._add_object(annot))
    writer.pages[0][NameObject("/Annots")] = annots
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize("files, verdict, where, unread", [
    # a 名单.xlsx pinned to the page: in no name tree, never read, the PDF compliant
    ([("名单.xlsx", _LIST)], "violation", {"sheet": "嵌入对象 名单.xlsx/公示名单", "cell": "B2"}, None),
    ([("名单.xlsx", _MASKED_LIST)], "compliant", None, None),
    ([("身份证.jpg", b"\xff\xd8\xff")], "unreadable", None, "attachment 身份证.jpg: not read"),
    ([("名单.xlsx", b"PK\x03\x04 cut short")], "unreadable", None, "attachment 名单.xlsx: cannot be read"),
])
def test_pdf_files_pinned_to_a_page_are_audited(tmp_path, files, verdict, where, unread):
    path = tmp_path / "公示.pdf"
    path.write_bytes(_pdf_with_pinned_files(*files))
    [record] = audit_paths([str(path)])
    assert record.verdict == verdict, record.reason
    if where:
        assert where in [i["location"] for i in record.items if i["violation"]]
    assert (unread in record.reason) if unread else "未能读取" not in record.reason, record.reason
