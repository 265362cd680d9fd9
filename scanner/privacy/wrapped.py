"""Values that a PDF's text layer breaks over two lines, put back together for the checks.

A PDF has no cells or paragraphs, only lines: a 名单 cell too narrow for 王建国 wraps
(``1  王  男  020-…`` / ``   建国``), and a paragraph breaks at the right margin wherever it
reaches it (``…申请人王`` / ``建国，身份证号…``).  Read line by line, neither name was a
name, and the landline of the row was "not in a person's record".

``rejoin_wrapped(extracted)`` rewrites a PDF's text, page by page and without changing its
length (every offset after the change stays where it was, and ``pages`` stays true):

* a line holding a few fragments (at most half the row's cells, none in its first column: a
  numbered list's new row has its 序号 there) standing exactly under the starts of cells of the table row
  above it, each no wider than its column, is those cells' continuation: each fragment is
  appended to its cell (taking the spaces of the cell's column gap, or else moved up from
  its own line).  A list without a 序号 column is left as read;
* the blank lines (at most ``MAX_ROW_GAP``) between a table row and a numbered row below it
  (cell padding, as Word and LibreOffice export a table) go, so that the table is one table
  under its header;
* a paragraph line that reaches the page's right margin (the page's widest line, within
  ``MARGIN`` characters) and whose break falls inside a name (a name of the joined text starts
  before the break and ends after it) or inside a number (a digit on both sides) is joined to
  the line below it (the line break moves to the end of that line).

Lines of a list (short lines), a line ending a sentence, a new paragraph (indented further), a
new entry (``2.``, ``（二）``) or a labelled line (``身份证号：``) are never joined.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata

from ..types import Extracted

MARGIN = 4  # a line within this width (two Han characters) of the page's widest line reaches its margin
MIN_FULL_LINE = 24  # narrower lines (12 Han characters) are never a wrapped paragraph's
_ENDS = "。；;！!？?：:，,、）)】」』\""
_NEW_ENTRY = re.compile(r"(?:\d{1,3}[.．、)）]|[（(][\d一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|[□■●○◆·•-])")
_LABEL = re.compile(r"[\u4e00-\u9fff]{1,8}[：:]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_GAP = re.compile(r"\t *| {2,}")
_WINDOW = 6  # characters each side of a paragraph break given to the name detector
_TAIL = re.compile(r"[0-9A-Za-z\-]+$")  # the number a line ends with
_HEAD = re.compile(r"[0-9A-Za-z\-]+")  # the number a line starts with


def rejoin_wrapped(extracted: Extracted) -> Extracted:
    """The PDF ``extracted`` with wrapped cells and names split by a line break rejoined
    (same length); any other extraction unchanged."""
    if extracted.format not in ("pdf", "ofd") or "\n" not in extracted.text:
        return extracted
    text = extracted.text
    ranges = extracted.pages or ((0, len(text)),)
    pages = [_close_row_gaps(_rejoin_cells(text[s:e])) for s, e in ranges]
    pages = _rejoin_paragraphs(pages)
    parts, pos = [], 0
    for (s, e), page in zip(ranges, pages):
        parts.append(text[pos:s])
        parts.append(page)
        pos = e
    parts.append(text[pos:])
    new = "".join(parts)
    if new == text or len(new) != len(text):  # (a length change would move every offset: never)
        return extracted
    return dataclasses.replace(extracted, text=new)


# ------------------------------------------------------------------ wrapped table cells
def _cells(line: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of a table row: runs of text between column gaps."""
    out, pos = [], 0
    for m in _GAP.finditer(line):
        if m.start() > pos and line[pos:m.start()].strip():
            out.append((pos + len(line[pos:m.start()]) - len(line[pos:m.start()].lstrip()), m.start()))
        pos = m.end()
    if line[pos:].strip():
        out.append((pos + len(line[pos:]) - len(line[pos:].lstrip()), len(line.rstrip())))
    return out


def _rejoin_cells(page: str) -> str:
    lines = page.split("\n")
    i = 0
    while i < len(lines) - 1:
        row = lines[i]
        if "\t" not in row:
            i += 1
            continue
        j = i + 1
        cells = _cells(row)  # where the columns are: the row as drawn
        if not cells or not row[cells[0][0]:cells[0][1]].isdigit():
            i += 1  # only a numbered list's rows: there, each new row starts with its 序号
            continue
        starts = {s: (k, s, e) for k, (s, e) in enumerate(cells)}
        while j < len(lines) and lines[j].strip():
            cont = lines[j]
            frags = _cells(cont)
            # a few fragments (at most half the row's cells: more is a row of its own), none in
            # the first column (a new row's 序号, a line of prose after the table), each under a
            # cell's start and no wider than its column
            if (not frags or 2 * len(frags) > len(cells) or frags[0][0] <= cells[0][0]
                    or not all(s in starts and (starts[s][0] + 1 == len(cells) or e < cells[starts[s][0] + 1][0])
                               for s, e in frags)):
                break
            # right to left, so that the earlier cells' positions stay valid
            now = _cells(row)  # the row as rejoined so far: the same cells, longer
            if len(now) != len(cells):
                break
            for fs, fe in reversed(frags):
                cs, ce = now[starts[fs][0]]
                frag = cont[fs:fe]
                if _two_values(row[cs:ce], frag) and cont[fs - 1:fs].isspace():
                    # a number of its own under another (手机 over 座机): kept apart by a space
                    # taken from its line (appended, the two were one run of digits, neither found)
                    frag, fs = " " + frag, fs - 1
                gap = row[ce:]
                tabs = len(gap) - len(gap.lstrip("\t"))
                spaces = len(gap[tabs:]) - len(gap[tabs:].lstrip(" "))
                keep = 0 if tabs else 2  # a gap of spaces only keeps two: still a gap
                if ce < len(row.rstrip()) and spaces - keep >= len(frag):
                    # the fragment takes spaces of the column gap: the row keeps its length
                    row = row[:ce] + frag + gap[:tabs] + gap[tabs + len(frag):]
                    cont = cont[:fs] + " " * len(frag) + cont[fe:]
                else:
                    # moved up from its own line: the row grows, its line shrinks as much
                    row = row[:ce] + frag + row[ce:]
                    cont = cont[:fs] + cont[fe:]
            if cont.strip():
                lines[i], lines[j] = row, cont
                j += 1
            else:
                # nothing left on its line: the line goes (a blank line would end the table),
                # its length as spaces at the end of the row
                row += " " * (len(cont) + 1)
                lines[i] = row
                del lines[j]
        i = j
    return "\n".join(lines)


MAX_ROW_GAP = 3  # blank lines between two rows of one table (its padding, or a taller row)


def _close_row_gaps(page: str) -> str:
    """A table whose rows stand apart (Word's and LibreOffice's cell padding: pypdf writes a
    blank line or more between rows) as one table: a blank line ended the table, so each row was
    a table of its own, under no header (序号 | 姓名 | 家庭电话): its name was no name and its home
    phone "not in a person's record", and the list came out compliant (as DOCX: a violation).
    The blank lines between a table row and a numbered row below it (its 序号 in its first cell)
    go, as spaces at the end of the row above (same length).  A list without a 序号 column is
    left as read, as for wrapped cells."""
    lines = page.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        out.append(lines[i])
        j = i + 1
        while j < len(lines) and j - i - 1 <= MAX_ROW_GAP and not lines[j].strip():
            j += 1
        cells = _cells(lines[j]) if j < len(lines) and "\t" in out[-1] and "\t" in lines[j] else []
        if 1 <= j - i - 1 <= MAX_ROW_GAP and cells and lines[j][cells[0][0]:cells[0][1]].isdigit():
            out[-1] += " " * sum(len(line) + 1 for line in lines[i + 1:j])
            i = j
        else:
            i += 1
    return "\n".join(out)


_DIGIT_ENTITIES = ("CN_RESIDENT_ID", "CN_MOBILE", "CN_LANDLINE", "CN_BANK_CARD", "CN_PASSPORT")


def _whole_value(text: str) -> bool:
    """Whether ``text`` is one whole identifier (a mobile, a landline, an ID …), masked or not."""
    from ..checks.pii.analyzer import get_pii_analyzer

    return any(d.entity in _DIGIT_ENTITIES and d.start == 0 and d.end == len(text)
               for d in get_pii_analyzer().analyze(text))


def _two_values(cell: str, fragment: str) -> bool:
    """A cell holding two numbers one under the other (手机 over 座机, two mobiles): each is a
    whole value, and appended to each other they were one run of digits, neither found (a list's
    mobiles came out compliant).  A number wrapped in its cell (4401051990 / 03071235) is not."""
    cell, fragment = cell.strip(), fragment.strip()
    if not (cell and fragment and cell[-1].isalnum() and fragment[0].isalnum()
            and any(c.isdigit() for c in cell[-3:]) and any(c.isdigit() for c in fragment[:3])):
        return False
    return _whole_value(cell) and _whole_value(fragment)


# ------------------------------------------------------------------ names broken by a paragraph's line break
def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \u3000"))


def _width(line: str) -> int:
    """Display width: a wide (Han, full-width) character counts 2, as it is drawn."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line.rstrip())


def _breaks(lines: list[str]) -> list[int]:
    """Indexes i whose line may continue on line i+1 (a full paragraph line, no table)."""
    widths = [_width(x) for x in lines if "\t" not in x]
    if len(widths) < 2:
        return []
    full = max(widths) - MARGIN
    out = []
    for i in range(len(lines) - 1):
        a, b = lines[i].rstrip(), lines[i + 1]
        bs = b.strip(" \u3000")
        if ("\t" in a or "\t" in b or not bs or _width(a) < max(full, MIN_FULL_LINE) or a[-1] in _ENDS
                or _indent(b) > _indent(a) or _NEW_ENTRY.match(bs) or _LABEL.match(bs)):
            continue
        if (_HAN.match(a[-1]) and _HAN.match(bs[0])) or (a[-1].isdigit() and bs[0].isdigit()):
            out.append(i)
    return out


def _rejoin_paragraphs(pages: list[str]) -> list[str]:
    split = [p.split("\n") for p in pages]
    candidates = [(n, i) for n, lines in enumerate(split) for i in _breaks(lines)]
    if not candidates:
        return pages
    # one detector call for every break of the document: the windows, one a line
    windows = []
    for n, i in candidates:
        a, b = split[n][i].rstrip(), split[n][i + 1].strip(" \u3000")
        windows.append((a[-_WINDOW:], b[:_WINDOW]))
    from ..checks.pii.analyzer import get_pii_analyzer

    joined = "\n".join(x + y for x, y in windows)
    found = get_pii_analyzer().analyze(joined)
    crossing, pos = set(), 0
    bounds = []
    for x, y in windows:
        bounds.append(pos + len(x))
        pos += len(x) + len(y) + 1
    for det in found:
        if det.entity != "PERSON":
            continue
        for k, at in enumerate(bounds):
            if det.start < at < det.end:
                crossing.add(candidates[k])
    for k, (n, i) in enumerate(candidates):
        a, b = split[n][i].rstrip(), split[n][i + 1].strip(" \u3000")
        if a[-1].isdigit() and b[0].isdigit() and not _two_values(_TAIL.search(a).group(0), _HEAD.match(b).group(0)):
            crossing.add((n, i))  # (two whole numbers, 13800138000 / 13900139000, stay apart)
    for n, lines in enumerate(split):
        # bottom up, so that a paragraph broken twice joins whole
        for i in sorted((i for m, i in crossing if m == n), reverse=True):
            a, b = lines[i], lines[i + 1]
            body_a, body_b = a.rstrip(), b.strip(" \u3000")
            pad = len(a) - len(body_a) + len(b) - len(body_b) + 1
            lines[i] = body_a + body_b + " " * pad
            del lines[i + 1]
    return ["\n".join(lines) for lines in split]
