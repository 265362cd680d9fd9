"""The stage types: Source -> Extracted | Skipped(reason) -> Document -> Finding.

Each stage of ``scanner.pipeline`` consumes the previous stage's type.
"""
from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from array import array
from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import Any

from .text.normalize import NormalizedText, normalize


@dataclasses.dataclass(frozen=True, slots=True)
class Source:
    """Raw input: a file, stdin, an HTTP body, a WARC record or a post."""

    name: str  # path, "-", URL or post id: how the user knows this input
    data: bytes
    media_type: str | None = None  # "text/html", ... when known (HTTP, WARC)
    url: str | None = None
    meta: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: its span in the extracted text and where it sits."""

    table: int
    row: int
    col: int
    start: int
    end: int
    sheet: str | None = None  # XLSX sheet name
    ref: str | None = None  # XLSX cell reference such as "B3"


def column_letter(c: int) -> str:
    """A spreadsheet column's letters: 0 -> A, 25 -> Z, 26 -> AA."""
    s = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


_NO_REF, _OWN_REF = -1, -2  # a cell's ref column: none, or written out in CellTable._refs
_TRC_REF = -3  # ... or 表T 行R 列C, written when asked for (a document's cell inside another file)


class CellTable(Sequence):
    """The cells of a table file, stored by column: ``Extracted.cells`` of XLS, XLSX and CSV
    (any sequence of ``Cell`` will do elsewhere).  A sheet of 65,536 rows x 10 columns held
    655,360 ``Cell`` objects and their reference strings (some 200 bytes a cell, with the
    readers' lists about 370); here a cell is its start, end and reference column (20 bytes)
    and each run of cells of one row (table, row, sheet, first column, reference row) is
    stored once.  A ``Cell`` is built when one is asked for (indexing, iteration);
    ``starts`` is the sorted array of the cells' starts, for ``bisect`` (``cell_at``).  An
    A1 reference is kept as its row and column and written when asked for; any other
    (``B4 批注``, ``页脚(中)``, ``表1 行2 列3``) is kept as written."""

    __slots__ = ("_starts", "_ends", "_ref_cols", "_refs", "_run_first", "_run_table", "_run_row",
                 "_run_col", "_run_sheet", "_run_ref_row", "_sheets", "_sheet_ids")

    def __init__(self, cells: Iterator[Cell] | Sequence[Cell] = ()):
        self._starts = array("q")
        self._ends = array("q")
        self._ref_cols = array("i")  # the A1 column of the cell's ref, or _NO_REF / _OWN_REF
        self._refs: dict[int, str] = {}  # refs kept as written, by cell index
        self._run_first = array("q")  # runs: consecutive cells of one row, columns c, c+1 …
        self._run_table = array("i")
        self._run_row = array("i")
        self._run_col = array("i")
        self._run_sheet = array("i")
        self._run_ref_row = array("i")  # the A1 row (0-based) of the run's refs
        self._sheets: list[str | None] = []
        self._sheet_ids: dict[str | None, int] = {}
        for cell in cells:
            self.append(cell)

    # ------------------------------------------------------------ building
    def _sheet_id(self, sheet: str | None) -> int:
        i = self._sheet_ids.get(sheet)
        if i is None:
            i = self._sheet_ids[sheet] = len(self._sheets)
            self._sheets.append(sheet)
        return i

    def _new_run(self, table: int, row: int, col: int, sheet: str | None, ref_row: int) -> None:
        self._run_first.append(len(self._starts))
        self._run_table.append(table)
        self._run_row.append(row)
        self._run_col.append(col)
        self._run_sheet.append(self._sheet_id(sheet))
        self._run_ref_row.append(ref_row)

    def add_row(self, table: int, row: int, sheet: str | None, starts: list[int], ends: list[int],
                ref_row: int = -1, ref_cols: Sequence[int] = (), refs: Sequence[str | None] = ()) -> None:
        """The cells of one row, columns 0, 1 …: the first ``len(ref_cols)`` referenced
        ``column_letter(ref_cols[k]) + str(ref_row + 1)``, the next ones ``refs`` as written
        (none when ``refs`` runs out)."""
        if not starts:
            return
        base = len(self._starts)
        self._new_run(table, row, 0, sheet, ref_row)
        self._starts.extend(starts)
        self._ends.extend(ends)
        self._ref_cols.extend(ref_cols)
        for k in range(len(ref_cols), len(starts)):
            ref = refs[k - len(ref_cols)] if k - len(ref_cols) < len(refs) else None
            if ref is None:
                self._ref_cols.append(_NO_REF)
            else:
                self._ref_cols.append(_OWN_REF)
                self._refs[base + k] = ref

    def append(self, cell: Cell) -> None:
        """One cell, any ``Cell`` (its ref kept as written)."""
        n = len(self._starts)
        last = len(self._run_first) - 1
        if (last < 0 or self._run_table[last] != cell.table or self._run_row[last] != cell.row
                or self._run_col[last] + n - self._run_first[last] != cell.col
                or self._sheets[self._run_sheet[last]] != cell.sheet or self._run_ref_row[last] != -1):
            self._new_run(cell.table, cell.row, cell.col, cell.sheet, -1)
        self._starts.append(cell.start)
        self._ends.append(cell.end)
        if cell.ref is None:
            self._ref_cols.append(_NO_REF)
        else:
            self._ref_cols.append(_OWN_REF)
            self._refs[n] = cell.ref

    def extend_inside(self, other: CellTable, shift: int, sheet: str) -> None:
        """Append the cells of a file inside this one (an attachment, an embedded workbook),
        their spans moved by ``shift``: sheet S becomes ``sheet/S`` (its refs kept), a cell of
        no sheet (a document's, a CSV's) is ``sheet``'s with the ref ``表T 行R 列C``.  Array to
        array: a Cell built and appended for each of an attached CSV's 1.9 M cells took 60 s."""
        base = len(self._starts)
        sheet_ids = [self._sheet_id(f"{sheet}/{s}" if s is not None else sheet) for s in other._sheets]
        self._starts.extend(x + shift for x in other._starts)
        self._ends.extend(x + shift for x in other._ends)
        ref_cols = other._ref_cols[:]
        runs = len(other._run_first)
        for run in range(runs):
            if other._sheets[other._run_sheet[run]] is None:
                a = other._run_first[run]
                b = other._run_first[run + 1] if run + 1 < runs else len(other._starts)
                ref_cols[a:b] = array("i", [_TRC_REF]) * (b - a)
        self._ref_cols.extend(ref_cols)
        self._refs.update((base + i, ref) for i, ref in other._refs.items() if ref_cols[i] == _OWN_REF)
        self._run_first.extend(first + base for first in other._run_first)
        self._run_table.extend(other._run_table)
        self._run_row.extend(other._run_row)
        self._run_col.extend(other._run_col)
        self._run_sheet.extend(sheet_ids[i] for i in other._run_sheet)
        self._run_ref_row.extend(other._run_ref_row)

    def copy(self) -> CellTable:
        new = CellTable()
        for name in self.__slots__:
            value = getattr(self, name)
            setattr(new, name, value[:] if isinstance(value, array) else value.copy())
        return new

    @classmethod
    def of(cls, cells: Sequence[Cell]) -> CellTable:
        """``cells`` as a CellTable (itself when it is one)."""
        return cells if isinstance(cells, CellTable) else cls(cells)

    # ------------------------------------------------------------ reading
    @property
    def starts(self) -> array:
        """The cells' starts, in reading order (ascending): for ``bisect``."""
        return self._starts

    def __len__(self) -> int:
        return len(self._starts)

    def _cell(self, i: int, run: int) -> Cell:
        ref_col = self._ref_cols[i]
        col = self._run_col[run] + i - self._run_first[run]
        if ref_col >= 0:
            ref = column_letter(ref_col) + str(self._run_ref_row[run] + 1)
        elif ref_col == _TRC_REF:
            ref = f"表{self._run_table[run] + 1} 行{self._run_row[run] + 1} 列{col + 1}"
        else:
            ref = self._refs.get(i) if ref_col == _OWN_REF else None
        return Cell(self._run_table[run], self._run_row[run], col,
                    self._starts[i], self._ends[i], sheet=self._sheets[self._run_sheet[run]], ref=ref)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return tuple(self[k] for k in range(*i.indices(len(self))))
        n = len(self._starts)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("cell index out of range")
        return self._cell(i, bisect.bisect_right(self._run_first, i) - 1)

    def __iter__(self) -> Iterator[Cell]:
        runs = len(self._run_first)
        for run in range(runs):
            stop = self._run_first[run + 1] if run + 1 < runs else len(self._starts)
            for i in range(self._run_first[run], stop):
                yield self._cell(i, run)

    def cell_at(self, start: int, end: int) -> Cell | None:
        """The cell whose span holds ``start:end``, or None."""
        i = bisect.bisect_right(self._starts, start) - 1
        if i >= 0 and self._starts[i] <= start and end <= self._ends[i]:
            return self[i]
        return None

    def has_text(self) -> bool:
        """Whether any cell holds a character."""
        return any(e > s for s, e in zip(self._starts, self._ends))

    def __eq__(self, other) -> bool:
        if not isinstance(other, (CellTable, tuple, list)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None

    def __repr__(self) -> str:
        return f"CellTable({len(self)} cells)"


@dataclasses.dataclass(frozen=True, slots=True)
class Extracted:
    """Text extracted from a source, and the structure the checks may need."""

    source: Source
    text: str  # the text as read: every finding offset refers to it
    format: str  # "txt", "md", "html", "docx", "xlsx", "csv", "pdf", "post"
    encoding: str | None = None
    title: str | None = None
    published: dt.date | None = None
    cells: Sequence[Cell] = ()  # table cells, in reading order (a CellTable for XLS, XLSX, CSV)
    pages: tuple[tuple[int, int], ...] = ()  # (start, end) of each PDF page
    meta: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True, slots=True)
class Skipped:
    """A source that could not be read: the reason is shown and counted, never hidden."""

    source: Source
    reason: str


@dataclasses.dataclass(eq=False)
class Document:
    """Extracted text plus its normalized form, tokens and dates, ready for the checks."""

    extracted: Extracted
    as_of: dt.date  # the monitoring time point (--as-of): the clock of every rule
    published: dt.date | None = None  # publication date when known, else as_of is used
    cache: dict[str, Any] = dataclasses.field(default_factory=dict)  # per-document results shared by checks

    @property
    def source(self) -> str:
        return self.extracted.source.name

    @property
    def text(self) -> str:
        return self.extracted.text

    @cached_property
    def norm(self) -> NormalizedText:
        return normalize(self.extracted.text)

    @cached_property
    def tokens(self):
        """jieba tokens of the normalized text (offsets into ``norm.text``)."""
        from .text.tokenize import tokenize

        return tokenize(self.norm.text)

    @property
    def date(self) -> dt.date:
        """The date the text speaks from: its publication date, else the time point."""
        return self.published or self.as_of
