"""The cell storage the table readers share (``types.CellTable``, built by ``office._Rows``):
the cells read back exactly as the ``Cell`` objects they replace, a few dozen bytes a cell
(a 65,536-row .xls held some 370 bytes a cell), the audit's location of an item found by
bisection (the list of every cell's start was built again for each item: hours for a
65,536-row 名单), and ``--format json`` written in pieces."""
from __future__ import annotations

import hashlib
import json
import tracemalloc

import pytest

from scanner.extract.office import _Rows, extract_csv, extract_xlsx
from scanner.privacy import audit as audit_mod
from scanner.types import Cell, CellTable, Extracted, Source

CELLS = [
    # a sheet row with A1 refs
    Cell(0, 0, 0, 0, 3, sheet="名单", ref="A1"),
    Cell(0, 0, 1, 4, 22, sheet="名单", ref="B1"),
    # a note's ref after them, kept as written
    Cell(0, 0, 2, 23, 30, sheet="名单", ref="B1 批注"),
    # the next row, a gap (col 1 -> a new run), then a column past Z
    Cell(0, 1, 0, 31, 33, sheet="名单", ref="A2"),
    Cell(0, 1, 5, 34, 34, sheet="名单", ref="AB2"),
    # DOCX / HTML cells: no sheet, no ref
    Cell(1, 0, 0, 40, 45),
    Cell(1, 0, 1, 46, 50),
    # an embedded document's cell: a sheet and a written-out ref
    Cell(2, 3, 1, 60, 70, sheet="嵌入对象 a.docx", ref="表1 行4 列2"),
    # a header printed on every page
    Cell(0, 9, 0, 71, 80, sheet="名单", ref="页脚(中)"),
]


def test_cell_table_reads_back_its_cells():
    table = CellTable(CELLS)
    assert len(table) == len(CELLS)
    assert list(table) == CELLS
    assert table == tuple(CELLS) and table == CellTable(CELLS) and table != tuple(CELLS[:-1])
    assert [table[i] for i in range(len(CELLS))] == CELLS
    assert table[-1] == CELLS[-1] and table[2:4] == tuple(CELLS[2:4])
    assert list(table.starts) == [c.start for c in CELLS]
    assert table.copy() == table and CellTable.of(table) is table
    with pytest.raises(IndexError):
        table[len(CELLS)]


@pytest.mark.parametrize("outer, inner", [
    ([], CELLS),
    (CELLS[:3], CELLS),
    # a CSV's or a document's cells only (no sheet): 表/行/列 refs
    (CELLS, CELLS[5:7]),
    # a sheet built row by row (A1 refs kept as row and columns)
    (CELLS[:2], None),
])
def test_cells_of_a_file_inside_another(outer, inner):
    """``extend_inside`` gives the cells the audit built one by one for an attached or embedded
    file (a Cell per cell: 60 s for an attached CSV of 1.9 M cells)."""
    if inner is None:
        rows = _Rows()
        rows.row(["王芳", "13812345678"], 0, 0, sheet="名单", grid=(1, [0, 1]))
        rows.row(["李娜", "备注"], 0, 1, sheet=None)
        inner_table = rows.cells
    else:
        inner_table = CellTable(inner)
    expected = list(outer) + [
        Cell(c.table, c.row, c.col, c.start + 100, c.end + 100,
             sheet=f"嵌入对象 x.pdf/{c.sheet}" if c.sheet is not None else "嵌入对象 x.pdf",
             ref=c.ref if c.sheet is not None else f"表{c.table + 1} 行{c.row + 1} 列{c.col + 1}")
        for c in inner_table]
    table = CellTable(outer)
    table.extend_inside(inner_table, 100, "嵌入对象 x.pdf")
    assert list(table) == expected
    assert [table[i] for i in range(len(expected))] == expected
    assert list(table.starts) == [c.start for c in expected]


@pytest.mark.parametrize("start, end, expected", [
    (0, 3, CELLS[0]),       # a whole cell
    (5, 20, CELLS[1]),      # inside one
    (3, 4, None),           # the tab between two cells
    (4, 25, None),          # across two cells
    (34, 34, CELLS[4]),     # an empty cell
    (61, 65, CELLS[7]),
    (81, 82, None),         # after the last
    (-5, 0, None),          # before the first
])
def test_cell_at(start, end, expected):
    assert CellTable(CELLS).cell_at(start, end) == expected


@pytest.mark.parametrize("rows, text, cells", [
    # A1 refs from the sheet's row and the cells' columns, a note's ref after them
    ([(["王芳", "13812345678"], 0, 4, "表", ["B5 批注"], (4, [1, 2]))],
     "王芳\t13812345678\n",
     [Cell(0, 4, 0, 0, 2, "表", "B5"), Cell(0, 4, 1, 3, 14, "表", "C5")]),
    ([(["王芳", "备注", "注"], 0, 4, "表", ["B5 批注"], (4, [1, 2]))],
     "王芳\t备注\t注\n",
     [Cell(0, 4, 0, 0, 2, "表", "B5"), Cell(0, 4, 1, 3, 5, "表", "C5"), Cell(0, 4, 2, 6, 7, "表", "B5 批注")]),
    # refs as written, one a cell (pivot caches, external links)
    ([(["a", "b"], 2, 0, "缓存", ["D7", "E7"], None)], "a\tb\n",
     [Cell(2, 0, 0, 0, 1, "缓存", "D7"), Cell(2, 0, 1, 2, 3, "缓存", "E7")]),
    # one cell: a tab after it; tabs and line breaks inside values become spaces (same length)
    ([(["x"], 0, 0, None, None, (0, [0])), (["a\tb", "c\nd\r"], 0, 1, None, None, (1, [0, 1]))],
     "x\t\na b\tc d \n",
     [Cell(0, 0, 0, 0, 1, None, "A1"), Cell(0, 1, 0, 3, 6, None, "A2"), Cell(0, 1, 1, 7, 11, None, "B2")]),
    # an empty CSV line: a row without cells
    ([([], 0, 0, None, None, (0, [])), (["1"], 0, 1, None, None, (1, [0]))], "\t\n1\t\n",
     [Cell(0, 1, 0, 2, 3, None, "A2")]),
])
def test_rows(rows, text, cells):
    out = _Rows()
    for values, table, row, sheet, refs, grid in rows:
        out.row(values, table, row, sheet=sheet, refs=refs, grid=grid)
    assert (out.text, list(out.cells)) == (text, cells)
    assert out.text == text and out.pos == len(text)  # (asked for twice)


def test_rows_memory_per_cell():
    """20,000 rows of 10 cells held as read: text and cells under 60 bytes a cell (the
    Cell objects with their refs and the parts list took about 370)."""
    out = _Rows()
    tracemalloc.start()
    try:
        for r in range(20_000):
            out.row([f"{r}-{c}" for c in range(10)], 0, r, sheet="名单", grid=(r, range(10)))
        size, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(out.cells) == 200_000
    assert size / 200_000 < 60, size / 200_000
    assert out.cells[123_456] == Cell(0, 12_345, 6, out.cells.starts[123_456], out.cells.starts[123_456] + len("12345-6"), "名单", "G12346")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "xls"])
def test_readers_give_a_cell_table(fmt):
    from tests.pii_files import xls_bytes, xlsx_bytes

    rows = [["姓名", "手机"], ["王芳", "13812345678"], ["", "", "李娜"]]
    if fmt == "csv":
        extracted = extract_csv(Source("a.csv", "\n".join(",".join(r) for r in rows).encode()))
    elif fmt == "xlsx":
        extracted = extract_xlsx(Source("a.xlsx", xlsx_bytes(rows)))
    else:
        from scanner.extract.legacy import extract_xls

        extracted = extract_xls(Source("a.xls", xls_bytes(rows, title="Sheet")))
    assert isinstance(extracted.cells, CellTable)
    assert [(c.row, c.col, c.ref, extracted.text[c.start:c.end]) for c in extracted.cells if c.end > c.start][-3:] == [
        (1, 0, "A2", "王芳"), (1, 1, "B2", "13812345678"), (2, 2, "C3", "李娜")]


@pytest.fixture(scope="module")
def policy():
    from scanner.privacy.policy import Policy

    return Policy.load()


def test_audit_locates_items_without_walking_the_cells(monkeypatch, policy):
    """Each item's cell is found by bisection in the cells' starts: walking every cell for each
    item (a list of all starts, built again) made a 65,536-row 名单 of IDs and mobiles take hours."""
    rows = ["姓名,手机"] + [f"王{'芳娜军'[r % 3]},1381234{r:04d}" for r in range(300)]
    extracted = extract_csv(Source("a.csv", "\n".join(rows).encode()))

    def walked(self):
        raise AssertionError("every cell walked")

    monkeypatch.setattr(CellTable, "__iter__", walked)
    record = audit_mod.audit_extracted(extracted, policy)
    assert record.verdict == "violation"
    mobiles = [i["location"] for i in record.items if i["entity"] == "CN_MOBILE"]
    assert len(mobiles) == 300 and mobiles[0] == {"table": 0, "row": 1, "col": 1} and mobiles[-1] == {"table": 0, "row": 300, "col": 1}


def test_audit_converts_other_cells_once(policy):
    """A DOCX's or HTML page's cells (a tuple of Cell) are located the same way."""
    text = "王芳\t13812345678\n"
    extracted = Extracted(Source("a.html", b""), text, "html", cells=(Cell(0, 0, 0, 0, 2), Cell(0, 0, 1, 3, 14)))
    record = audit_mod.audit_extracted(extracted, policy)
    assert {"entity": "CN_MOBILE", "location": {"table": 0, "row": 0, "col": 1}}.items() <= \
        [i for i in record.items if i["entity"] == "CN_MOBILE"][0].items()


class _Sink:
    """stdout that keeps only a hash and the length of what is written."""

    def __init__(self):
        self.hash, self.chars = hashlib.sha256(), 0

    def write(self, text: str) -> int:
        self.hash.update(text.encode())
        self.chars += len(text)
        return len(text)


def test_json_written_in_pieces(monkeypatch):
    """``--format json`` prints what ``json.dumps(records, ensure_ascii=False, indent=2)``
    gives, in pieces: with ``indent`` json's Python encoder runs, and ``dumps`` held every
    piece of the encoding in one list (some 900 MB for a 65,536-row 名单's 450,000 items)."""
    from scanner.privacy import cli as privacy_cli

    item = {"entity": "CN_MOBILE", "masked": False, "value_masked": "138****5678", "location": {"sheet": "名单", "cell": "B2"},
            "score": 1.0, "violation": True, "rule": "unmasked"}
    records = [{"path": "a.xls", "format": "xls", "verdict": "violation", "reason": "…", "items": [dict(item) for _ in range(10_000)]}]
    expected = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    sink = _Sink()
    monkeypatch.setattr(privacy_cli.sys, "stdout", sink)
    tracemalloc.start()
    try:
        privacy_cli._write_json(records)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (sink.hash.hexdigest(), sink.chars) == (hashlib.sha256(expected.encode()).hexdigest(), len(expected))
    assert peak < len(expected) // 4, (peak, len(expected))


# ------------------------------------------------------------------ the analyzer on a big table
USCC = "91440101MA59XXXX1X"  # (shape only: a blocker by the 统一社会信用代码 label)


@pytest.mark.parametrize("line, entities", [
    # a mobile after an organisation's identifier: kept
    (f"统一社会信用代码：{USCC}\t13812345678", ["CN_MOBILE"]),
    # the same identifier written over the mobile's digits: blocked
    ("统一社会信用代码：13812345678", []),
    # two lines: the first's blocker does not reach the second's mobile
    (f"信用代码：{USCC}\n联系手机13812345678", ["CN_MOBILE"]),
])
def test_blockers_and_overlaps(line, entities):
    from scanner.checks.pii.analyzer import get_pii_analyzer

    found = [d.entity for d in get_pii_analyzer().analyze(line)]
    assert found == entities


def test_analyzer_time_grows_with_the_table_not_its_square():
    """12,000 rows, each an organisation's identifier (a blocker) and a mobile: every candidate
    was compared with every blocker and kept spans were list inserts (quadratic: 65,536 rows
    of a 名单, four minutes); now bisection and a map of kept characters."""
    import time

    from scanner.checks.pii.analyzer import get_pii_analyzer

    analyzer = get_pii_analyzer()
    text = "".join(f"{r}\t统一社会信用代码：{USCC}\t1381234{r % 10000:04d}\n" for r in range(12_000))
    started = time.process_time()
    found = analyzer.analyze(text)
    spent = time.process_time() - started
    assert [d.entity for d in found] == ["CN_MOBILE"] * 12_000
    assert spent < 4, spent  # (9.5 CPU-s before, 0.65 after)
