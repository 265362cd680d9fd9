"""CSV as the people who open it expect: every CSV govscan writes (the report's attachments,
compare and rectification lists, ``govscan privacy audit --format csv``) goes through here.

* **UTF-8 with a byte-order mark** in files, and on standard output when it is redirected to
  a file: Excel and WPS read a CSV without one in the system's ANSI code page (GBK on a
  Chinese Windows), so a double-clicked ``审计.csv`` written by ``… --format csv > 审计.csv``
  showed mojibake.  Standard output on a pipe or a terminal gets no BOM (another program
  reads it there).  Programs reading the files use ``encoding="utf-8-sig"`` (pandas strips it).
* **No formulas** (CSV injection, OWASP): a cell starting with ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return is run as a formula by Excel, WPS and LibreOffice (a crawled title
  ``=HYPERLINK("http://…","点击")``, ``@SUM(…)``, ``-2+3``); such a cell gets a leading ``'``,
  which the spreadsheet shows as text.  A plain number (``-12345``, ``-1,234.5``, ``+86``, ``-0.5``, ``-3%``)
  is left as it is: it is data, and Excel reads it as that number, not as a formula; so is a
  lone ``-`` (standard input's name, an empty cell's placeholder), which is text to Excel.
"""
from __future__ import annotations

import csv
import io
import os
import re
import stat
import sys
from collections.abc import Iterable
from typing import Any, TextIO

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


def excel_cell(value: Any) -> Any:
    """``value`` safe to open in a spreadsheet: a text a spreadsheet would run as a formula is
    prefixed with ``'``; numbers and every other value are returned unchanged."""
    if (isinstance(value, str) and value.startswith(_FORMULA_START) and value != "-"
            and not _NUMBER.fullmatch(value)):
        return "'" + value
    return value


class ExcelCsvWriter:
    """``csv.writer`` whose rows are passed through :func:`excel_cell` (``\\n`` line ends)."""

    def __init__(self, stream: TextIO, **kwargs: Any):
        kwargs.setdefault("lineterminator", "\n")
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([excel_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """The rows as CSV text (no BOM: :func:`write_csv_file` and :func:`write_stdout` add it)."""
    buf = io.StringIO()
    ExcelCsvWriter(buf).writerows(rows)
    return buf.getvalue()


def write_csv_file(path, text: str) -> None:
    """``text`` (CSV) into ``path`` as UTF-8 with a BOM."""
    from pathlib import Path

    Path(path).write_text(text, encoding="utf-8-sig")


def _stdout_wants_bom(stream: TextIO) -> bool:
    """A BOM when the output lands in a file (``> 审计.csv``, the case a spreadsheet opens),
    none on a pipe, socket or terminal, where another program or a person reads it (a script
    reading ``| python -c …`` or ``| csvcut`` would see ``\ufeffpath`` as the first header).
    A stream without a file descriptor (a library caller's buffer) gets the BOM."""
    try:
        fd = stream.fileno()
        mode = os.fstat(fd).st_mode
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return True
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or os.isatty(fd):
        return False
    return True


def start_stdout(stream: TextIO | None = None) -> TextIO:
    """Write the BOM that starts a CSV on standard output when it goes to a file; returns the
    stream."""
    stream = stream or sys.stdout
    if _stdout_wants_bom(stream):
        stream.write(BOM)
    return stream


def write_stdout(text: str, stream: TextIO | None = None) -> None:
    """A whole CSV text on standard output, after the BOM."""
    start_stdout(stream).write(text)
