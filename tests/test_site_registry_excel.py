"""Registries as the filing system exports them: .xlsx (written here by openpyxl) and .xls
(xlwt, a test extra), read with the CSV path's columns, validation and one-line errors; bad rows
named by sheet and row number.  Before, an XLSX registry was refused ("save it as UTF-8 CSV")."""
import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from scanner.cli import app
from scanner.errors import InputError
from scanner.site.registry import load_accounts, load_sites

FIX = Path(__file__).parent / "fixtures"
SITE_HEADER = ["地区", "网站名称", "主办单位", "网站地址", "网站标识码"]
ACCOUNT_HEADER = ["地区", "新媒体名称", "账号类型", "主办单位", "新媒体标识码", "账号地址"]
TITLE = "广东省政府网站名录"

SITE_ROWS = [
    ["广州", "广州市人民政府门户网站", "广州市人民政府办公厅", "http://www.gz.gov.cn/", 4401000001],  # a number
    ["珠海", "斗门区政府门户网站", "斗门区人民政府办公室", "http://www.doumen.gov.cn/", 4404030001.0],  # a float
    ["省直", "某部门网站", "某部门", "http://x.gov.cn/", "bm55000001"],  # text
    ["珠海", "坏网站", "某单位", "http://bad.gov.cn/", 4499990001],  # not a GB/T 2260 prefix
    ["珠海", "重复网站", "某单位", "http://dup.gov.cn/", "4404030001"],  # duplicate of the float one
    [None, None, None, None, None],  # an empty row
    ["珠海", None, "某单位", "http://empty.gov.cn/", "4404030002"],  # a missing name
]
CODES = ["4401000001", "4404030001", "bm55000001"]


def _xlsx(path, sheets, hidden=()):
    """sheets: {title: rows}; a row starting with TITLE is merged across the header's width."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(r, c, value)
            if row and row[0] == TITLE:
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=5)
        if title in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def _xls(path, sheets, hidden=()):
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    for title, rows in sheets.items():
        ws = wb.add_sheet(title)
        for r, row in enumerate(rows):
            if row and row[0] == TITLE:
                ws.write_merge(r, r, 0, 4, TITLE)
                continue
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)  # (xlwt stores every number as a float)
        if title in hidden:
            ws.visibility = 1
    wb.save(str(path))
    return path


WRITERS = {"xlsx": _xlsx, "xls": _xls}


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_sites_workbook_reads_like_the_csv(tmp_path, fmt):
    """A merged title row above the header; codes typed as numbers (4401000001.0) are the code's
    text; bad rows by sheet and Excel row number (the title row is row 1, the header row 2)."""
    path = WRITERS[fmt](tmp_path / f"sites.{fmt}", {"网站名录": [[TITLE], SITE_HEADER, *SITE_ROWS]})
    entries, errors = load_sites(path)
    assert [e.code for e in entries] == CODES
    assert [(e.line, e.region, e.host) for e in entries] == [
        (3, "广州", "www.gz.gov.cn"), (4, "珠海", "www.doumen.gov.cn"), (5, "省直", "x.gov.cn")]
    assert [(e.line, e.sheet) for e in errors] == [(6, "网站名录"), (7, "网站名录"), (9, "网站名录")]
    assert "GB/T 2260" in errors[0].reason and "与第4行重复" in errors[1].reason and "网站名称" in errors[2].reason
    assert str(errors[0]).startswith(f"{path}: 工作表“网站名录”第6行: 网站标识码“4499990001”")


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_accounts_workbook(tmp_path, fmt):
    rows = [ACCOUNT_HEADER,
            ["佛山", "佛山统计", "新浪微博", "佛山市统计局", "440600m020xl0001", None],
            ["广州", "广州发布", "微信订阅号", "广州市政府新闻办", "440100M001WX0001", "https://mp.weixin.qq.com/x"],
            ["广州", "坏账号", "微信订阅号", "某单位", "440100M001QQ0001", None]]
    path = WRITERS[fmt](tmp_path / f"accounts.{fmt}", {"政务新媒体": rows})
    entries, errors = load_accounts(path)
    assert [(e.line, e.code, e.platform, e.url) for e in entries] == [
        (2, "440600M020XL0001", "新浪微博", ""), (3, "440100M001WX0001", "微信订阅号", "https://mp.weixin.qq.com/x")]
    assert [(e.line, e.sheet) for e in errors] == [(4, "政务新媒体")] and "QQ" in errors[0].reason


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
@pytest.mark.parametrize("sheets, hidden, expected", [
    # a notes sheet first, then the list: the sheet with the header row
    ({"填报说明": [["本表由全国政府网站基本信息数据库导出"], ["导出时间", "2022-06-20"]],
      "网站名录": [SITE_HEADER, SITE_ROWS[0]]}, (), "4401000001"),
    # a hidden sheet with the header row ahead of the visible one: the visible one
    ({"旧名录": [SITE_HEADER, SITE_ROWS[2]], "网站名录": [[TITLE], SITE_HEADER, SITE_ROWS[0]]}, ("旧名录",), "4401000001"),
    # the header row only on a hidden sheet: that sheet
    ({"说明": [["说明"]], "数据": [SITE_HEADER, SITE_ROWS[2]]}, ("数据",), "bm55000001"),
    # two visible sheets with the header row: the first
    ({"一": [SITE_HEADER, SITE_ROWS[2]], "二": [SITE_HEADER, SITE_ROWS[0]]}, (), "bm55000001"),
    # notes and blank rows above the header row
    ({"名录": [[TITLE], [], ["填报单位：广东省政务服务数据管理局", "填报日期：2022年6月"], [], SITE_HEADER, SITE_ROWS[0]]},
     (), "4401000001"),
])
def test_the_sheet_with_the_header_row(tmp_path, fmt, sheets, hidden, expected):
    path = WRITERS[fmt](tmp_path / f"sites.{fmt}", sheets, hidden)
    entries, errors = load_sites(path)
    assert [e.code for e in entries] == [expected] and errors == []


def test_xlsx_with_a_wrong_stated_size_is_read_whole(tmp_path):
    """Some exports write <dimension ref="A1"/>: openpyxl read-only took it at its word and read A1 alone."""
    path = _xlsx(tmp_path / "sites.xlsx", {"名录": [SITE_HEADER, *SITE_ROWS[:3]]})
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert b"<dimension " in parts[sheet]
    parts[sheet] = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1"/>', parts[sheet])
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    assert [e.code for e in load_sites(path)[0]] == CODES


def _docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize("make, reason", [
    # the header row missing a column: named, with the sheet and the header it has
    (lambda p: _xlsx(p, {"名录": [[TITLE], ["地区", "网站名称", "网站地址"], ["广州", "x", "http://x.gov.cn/"]]}),
     "registry lacks the column(s) 主办单位, 网站标识码 (sheet “名录”, header: 地区, 网站名称, 网站地址)"),
    (lambda p: _xls(p, {"名录": [["地区", "网站名称", "网站地址"], ["广州", "x", "http://x.gov.cn/"]]}),
     "registry lacks the column(s) 主办单位, 网站标识码 (sheet “名录”"),
    # the header row alone (an export of an empty selection), as in a CSV
    (lambda p: _xlsx(p, {"名录": [[TITLE], SITE_HEADER, [None] * 5]}), "registry has no rows (only the header row)"),
    (lambda p: _xls(p, {"名录": [SITE_HEADER]}), "registry has no rows (only the header row)"),
    # nothing at all
    (lambda p: _xlsx(p, {"Sheet1": []}), "empty registry (no sheet with a header row)"),
    # damaged or protected workbooks, other Office files
    (lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 40), "corrupt XLSX (not a valid ZIP archive)"),
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600), "corrupt or truncated legacy Office file"),
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le")),
     "registry is a password-protected spreadsheet"),
    (lambda p: p.write_bytes(_docx_bytes()), "registry is a DOCX file, not a CSV, XLSX or XLS registry"),
])
def test_unreadable_workbook_is_one_line(tmp_path, make, reason):
    path = tmp_path / "sites.xlsx"
    make(path)
    with pytest.raises(InputError) as exc:
        load_sites(path)
    assert reason in str(exc.value) and "\n" not in str(exc.value) and str(exc.value).startswith(str(path))


def test_workbook_caps(tmp_path, monkeypatch):
    """Rows past the audit's row cap, a file past its size cap (a CSV too), are refused on one
    line, never read without end."""
    import scanner.extract.office as office

    path = _xlsx(tmp_path / "sites.xlsx", {"名录": [SITE_HEADER, *SITE_ROWS[:3]]})
    monkeypatch.setattr(office, "MAX_ROWS", 2)
    with pytest.raises(InputError, match="registry sheet “名录” is over the limit of 2 rows"):
        load_sites(path)
    monkeypatch.setattr(office, "MAX_ROWS", 200_000)
    monkeypatch.setattr(office, "MAX_FILE_BYTES", 100)
    with pytest.raises(InputError, match="registry is over 0 MB"):
        load_sites(path)
    csv_path = tmp_path / "sites.csv"
    csv_path.write_text(",".join(SITE_HEADER) + "\n" + "广州,网站,单位,http://a.gov.cn/,4401000001\n" * 10, encoding="utf-8")
    with pytest.raises(InputError, match="registry is over 0 MB"):
        load_sites(csv_path)


def test_scan_accounts_from_an_xlsx_registry(cli_runner, tmp_path):
    """The fixtures' account registry as the filing system's XLSX (a title row above the header):
    the same verdicts as from the CSV; its bad row named by sheet and row (CSV line 11 is row 12)."""
    import csv

    with open(FIX / "accounts" / "registry.csv", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    path = _xlsx(tmp_path / "accounts.xlsx", {"政务新媒体名录": [[TITLE], *rows]})
    config = tmp_path / "fast.toml"  # the wording model off: the registry is under test, and the test stays fast
    config.write_text('[checks."wording.classifier"]\nenabled = false\n', encoding="utf-8")
    common = ["-p", str(FIX / "accounts" / "posts.jsonl"), "--as-of", "2022-06-20", "-f", "jsonl", "--config", str(config)]
    by_csv = cli_runner.invoke(app, ["scan", "accounts", "-r", str(FIX / "accounts" / "registry.csv"), *common])
    by_xlsx = cli_runner.invoke(app, ["scan", "accounts", "-r", str(path), *common])
    assert by_xlsx.exit_code == by_csv.exit_code == 2  # one bad registry row

    def verdicts(out):
        return {r["code"]: (r["verdict"], r["problems"], r["deductions"]) for r in map(json.loads, out.splitlines())}

    assert verdicts(by_xlsx.stdout) == verdicts(by_csv.stdout) and len(verdicts(by_xlsx.stdout)) == 9
    assert f"{path}: 工作表“政务新媒体名录”第12行:" in by_xlsx.stderr
    assert "Traceback" not in by_xlsx.stderr


def _merged_xlsx(path, rows, merges):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名录"
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    wb.save(path)
    return path


MERGED_ROWS = [
    [TITLE],
    SITE_HEADER,
    ["广州", "广州市人民政府门户网站", "广州市人民政府办公厅", "http://www.gz.gov.cn/", "4401000001"],
    [None, "广州市教育局网站", "广州市教育局", "http://jyj.gz.gov.cn/", "4401000002"],
    [None, "广州市教育局英文网站", None, "http://en.jyj.gz.gov.cn/", "4401000003"],
    [None, "某网站", "某单位", "http://x.gz.gov.cn/", "4401000004"],
]


MERGED_CASES = [
    # 地区 merged down a region's rows (a hand-made 名录): every row's, not only the first's
    # (the others were bad rows, 缺少地区), 主办单位 over one organiser's two sites
    (["A1:E1", "A3:A6", "C4:C5"], [("4401000001", "广州"), ("4401000002", "广州"), ("4401000003", "广州"), ("4401000004", "广州")], []),
    # 地区 over three rows: the fourth has none
    (["A3:A5", "C4:C5"], [("4401000001", "广州"), ("4401000002", "广州"), ("4401000003", "广州")], [(6, "缺少地区")]),
    # near misses: a range across columns in a row fills nothing; no merges, as before
    (["A1:E1", "C5:D5"], [("4401000001", "广州")], [(4, "缺少地区"), (5, "缺少地区、主办单位、网站地址"), (6, "缺少地区")]),
    ([], [("4401000001", "广州")], [(4, "缺少地区"), (5, "缺少地区、主办单位"), (6, "缺少地区")]),
]


@pytest.mark.parametrize("merges, expected, bad", MERGED_CASES)
@pytest.mark.parametrize("read", [1 << 20, 7])  # (7 bytes at a time: elements across the pieces)
def test_cells_merged_down_a_column(tmp_path, monkeypatch, read, merges, expected, bad):
    import scanner.site.registry as registry

    monkeypatch.setattr(registry, "_MERGE_READ", read)
    entries, errors = load_sites(_merged_xlsx(tmp_path / "sites.xlsx", MERGED_ROWS, merges))
    assert [(e.code, e.region) for e in entries] == expected
    assert [(e.line, e.reason) for e in errors] == bad


def _merged_xls(path, rows, merges):
    """The rows with the ranges (A3:A6) merged by xlwt's write_merge (the top-left cell's value)."""
    import xlwt

    def cell(ref):
        m = re.fullmatch(r"([A-Z])(\d+)", ref)
        return int(m[2]) - 1, ord(m[1]) - 65

    ranges = [(*cell(a), *cell(b)) for a, b in (ref.split(":") for ref in merges)]
    inside = {(r, c) for r0, c0, r1, c1 in ranges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("名录")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None and (r, c) not in inside:
                ws.write(r, c, value)
    for r0, c0, r1, c1 in ranges:
        top = rows[r0][c0] if c0 < len(rows[r0]) else None
        ws.write_merge(r0, r1, c0, c1, top if top is not None else "")
    wb.save(str(path))
    return path


@pytest.mark.parametrize("merges, expected, bad", MERGED_CASES)
def test_xls_cells_merged_down_a_column(tmp_path, merges, expected, bad):
    # as the XLSX: xlrd gives the merged ranges with the formatting records (open_xls reads them)
    entries, errors = load_sites(_merged_xls(tmp_path / "sites.xls", MERGED_ROWS, merges))
    assert [(e.code, e.region) for e in entries] == expected
    assert [(e.line, e.reason) for e in errors] == bad


def test_xls_merges_unreadable_rows_as_they_are(tmp_path, monkeypatch):
    # an XLS whose formatting records cannot be read (open_xls opens it without): no merged
    # ranges, the rows as before (bad rows named), no traceback
    import xlrd

    real = xlrd.open_workbook

    def no_formatting(*args, formatting_info=False, **kwargs):
        if formatting_info:
            raise xlrd.XLRDError("broken XF record")
        return real(*args, formatting_info=False, **kwargs)

    monkeypatch.setattr(xlrd, "open_workbook", no_formatting)
    entries, errors = load_sites(_merged_xls(tmp_path / "sites.xls", MERGED_ROWS, ["A3:A6"]))
    assert [(e.code, e.region) for e in entries] == [("4401000001", "广州")]
    assert [(e.line, e.reason) for e in errors] == [(4, "缺少地区"), (5, "缺少地区、主办单位"), (6, "缺少地区")]


def test_stray_cells_far_right_are_not_read(tmp_path):
    # openpyxl pads a row to its last cell: a stray mark in column XFD on every row made each
    # row 16,384 values (3,000 rows: 2.9 s; the 200,000 of the cap, minutes); rows below the
    # header are read to the header's last column
    import time

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([TITLE])
    ws.append(SITE_HEADER)
    ws.append(["广州", "广州市人民政府门户网站", "广州市人民政府办公厅", "http://www.gz.gov.cn/", "4401000001"])
    for r in range(3, 3003):
        ws.cell(r, 16384, "x")
    ws.cell(3004, 1, "广州")  # a bad row below the marks keeps its row number
    path = tmp_path / "sites.xlsx"
    wb.save(path)
    t = time.perf_counter()
    entries, errors = load_sites(path)
    assert time.perf_counter() - t < 1.0
    assert [(e.line, e.code) for e in entries] == [(3, "4401000001")]
    assert [(e.line, e.reason) for e in errors] == [(3004, "缺少网站名称、主办单位、网站地址、网站标识码")]


_ID = "11010519491231002X"  # GB 11643's example number


@pytest.mark.parametrize("name, write", [
    # a posts export given as the registry: its first line was quoted whole as the "header"
    ("posts.csv", lambda p: p.write_text(json.dumps({"account_id": "440100M001WX0001", "title": f"公示{_ID}"},
                                                    ensure_ascii=False) + "\n", encoding="utf-8")),
    # a 公示名单 with no header row
    ("mingdan.csv", lambda p: p.write_text(f"1,张三,{_ID},13812345678\n", encoding="utf-8")),
    # a 名单 workbook: its best row in the first 30 was a person's
    ("mingdan.xlsx", lambda p: _xlsx(p, {"名单": [[1, "张三", _ID, "13812345678"], [2, "李四", _ID, "13812345678"]]})),
])
def test_registry_error_never_quotes_an_identifier(cli_runner, tmp_path, name, write):
    """The one-line error for a file without the registry's columns quoted its header (or best
    row) whole: an ID or mobile number of a 名单 given by mistake was printed."""
    path = tmp_path / name
    write(path)
    with pytest.raises(InputError) as exc:
        load_sites(path)
    message = str(exc.value)
    assert "registry lacks the column(s)" in message
    assert _ID not in message and "13812345678" not in message
    res = cli_runner.invoke(app, ["scan", "sites", "-r", str(path), "-s", str(tmp_path), "--as-of", "2022-06-20"])
    assert res.exit_code == 2 and _ID not in res.output and "13812345678" not in res.output
    assert len(res.output.strip().splitlines()) == 1


def test_registry_error_header_is_cut_short(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"列{i}" for i in range(200)) + "\n1\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_sites(path)
    assert len(str(exc.value)) < 300 and str(exc.value).endswith("…)")
