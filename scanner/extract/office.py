"""Extraction for the privacy audit: CSV, XLSX, PDF, and HTML with its tables as cells.

Every extractor returns ``Extracted`` whose text renders table rows as lines with
tab-separated cells (every row line holds at least one tab) and records each cell
(``Cell``: table/row/col, and sheet/ref for XLSX), or raises ``InputError`` with a
one-line reason.  Memory stays bounded: file sizes, decompressed ZIP sizes, rows and
pages are capped before anything large is built; XLSX is streamed (read-only mode).
What a file publishes beyond what it shows is read too: hidden sheets, cells' notes and
tel:/mailto: links, headers and footers, pivot and external-link caches (XLSX); inline
scripts holding data, the head's title and meta contents (HTML); annotations and form
field values (PDF).  Broken parts are read as far as they go.
"""
from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Sequence
from contextvars import ContextVar

from ..errors import InputError
from ..text.decode import _looks_utf16, decode_bytes
from ..types import Cell, CellTable, Extracted, Source, column_letter

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_ZIP_RATIO = 200  # a member that inflates more than 200x is a ZIP bomb
MAX_ROWS = 200_000
# cells of a table file (XLSX, XLS, CSV): each costs about 400 bytes in memory as read (its
# record and text), and the row and character limits let 10 million through (200,000 rows of
# 50 one-character cells): gigabytes; a sheet of 65,536 rows x 20 columns (1.3 M) is read
MAX_CELLS = 2_000_000
# the cells left to a file's attached or embedded files (``privacy.audit._with_embedded`` sets it
# around each one it reads): MAX_CELLS is the budget of the file and everything inside it, so 50
# attached sheets of 1.9 M cells each are not 95 M cells (3 of them took 247 s and 2.8 GB)
CELL_ALLOWANCE: ContextVar[int | None] = ContextVar("CELL_ALLOWANCE", default=None)


class OverBudget(InputError):
    """A file inside a file cut short by what is left of the whole file's cells or characters."""

    def __init__(self, name: str, what: str, limit: int):
        super().__init__(name, f"a file and the files inside it over {limit:,} {what} in all (limit)")
        self.what = what
MAX_CHARS = 20_000_000
MAX_PAGES = 2_000

_ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")


def sniff(source: Source) -> str:
    """The format by content: xlsx, docx, ofd, pdf, xls, doc, rtf, mht, ole-encrypted, ole, zip, html, csv, txt, empty."""
    data = source.data
    name = source.name.lower()
    if not data.strip():
        return "empty"
    head = data[:2048]
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, NotImplementedError):  # (a damaged directory can claim "zip file version 14.5")
            return "zip-corrupt"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        if any(n.lower() == "ofd.xml" for n in names):  # OFD (版式文档, GB/T 33190)
            return "ofd"
        return "zip"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if _ENCRYPTED_OOXML in data[:1 << 20] or _ENCRYPTED_OOXML in data:
            return "ole-encrypted"
        from .legacy import ole_kind

        return ole_kind(data)  # by its streams: xls (Workbook/Book), doc (WordDocument), or ole
    if head.startswith(b"{\\rtf"):  # (a CMS or WPS saves RTF under a .doc name)
        return "rtf"
    if is_mht(head):
        return "mht"
    if b"\x00" in head and not (head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff")) and _looks_utf16(data) is None:
        return "binary"  # (UTF-16 without a BOM is text, as `govscan review` reads it)
    lowered = head.lower()
    if name.endswith((".html", ".htm", ".shtml", ".xhtml")) or b"<html" in lowered or b"<!doctype html" in lowered:
        return "html"
    if name.endswith(".csv"):
        return "csv"
    return "txt"


def is_mht(head: bytes) -> bool:
    """A web archive (MHT: Word's "single file web page", often saved under a .doc name): a
    MIME multipart/related message at the start of the file."""
    lowered = head[:2048].lower()
    return lowered.lstrip().startswith((b"mime-version:", b"from:", b"content-type: multipart/related")) \
        and b"mime-version:" in lowered and b"multipart/related" in lowered


def html_of_mht(data: bytes) -> bytes:
    """The HTML of an MHT (its text/html part), or ``data`` itself when it is no MHT (an
    alternative chunk of a DOCX may be either)."""
    head = data[:4096].lower()
    if b"mime-version" not in head and b"content-type: multipart" not in head:
        return data
    import email
    from email import policy as email_policy

    # The parts are found by their boundary and only an HTML part is parsed: the email
    # package parsed the whole file as text, with every picture's base64 (a 60 MB MHT took
    # 690 MB).  A file whose boundary is not found this way is parsed whole, as before.
    end = min((i for i in (data.find(b"\r\n\r\n", 0, 65536), data.find(b"\n\n", 0, 65536)) if i >= 0), default=-1)
    boundary = email.message_from_bytes(data[:end], policy=email_policy.default).get_param("boundary") if end > 0 else None
    delimiter = b"\n--" + boundary.encode("ascii", "replace") if boundary else b""
    if delimiter and data.find(delimiter, end) >= 0:
        pos = data.find(delimiter, end)
        while pos >= 0:
            start = pos + len(delimiter)
            if data[start:start + 2] == b"--":
                break
            nxt = data.find(delimiter, start)
            part_head = data[start:start + 4096].lower()
            if re.search(rb"content-type:\s*(text/html|multipart/)", part_head):
                found = _html_of_part(data, start, nxt if nxt >= 0 else len(data))
                if found is not None:
                    return found
            pos = nxt
        return data
    found = _html_of_message(email.message_from_bytes(data, policy=email_policy.default))
    return data if found is None else found


def _html_of_part(data: bytes, start: int, end: int) -> bytes | None:
    """The HTML of the MIME part ``data[start:end]``: its headers parsed by the email package,
    its body decoded here (base64, quoted-printable or as is; the email package split a
    64 MB base64 page into lines of text, 700 MB); a multipart part is parsed whole."""
    import binascii
    import email
    from email import policy as email_policy

    while data[start:start + 1] in (b"\r", b"\n", b" ", b"\t"):  # the delimiter line's end (and padding)
        start += 1
    cut = [i for i in (data.find(b"\r\n\r\n", start, end), data.find(b"\n\n", start, end)) if i >= 0]
    if not cut:
        return None
    split = min(cut)
    headers = email.message_from_bytes(data[start:split], policy=email_policy.default)
    if headers.get_content_maintype() == "multipart":
        return _html_of_message(email.message_from_bytes(data[start:end], policy=email_policy.default))
    if headers.get_content_type() != "text/html":
        return None
    body = data[split:end].lstrip(b"\r\n")
    if body.endswith(b"\r"):  # (the delimiter's line end belongs to the delimiter)
        body = body[:-1]
    encoding = str(headers.get("content-transfer-encoding", "")).strip().lower()
    try:
        if encoding == "base64":
            body = binascii.a2b_base64(body)
        elif encoding == "quoted-printable":
            body = binascii.a2b_qp(body)
    except (binascii.Error, ValueError):
        return _html_of_message(email.message_from_bytes(data[start:end], policy=email_policy.default))
    charset = headers.get_content_charset()
    if charset and b"charset" not in body[:2048].lower():  # the MIME header's charset, for the page to say
        try:
            body = body.decode(charset, errors="replace").encode("utf-8")
        except LookupError:
            pass
    return body


def _html_of_message(message) -> bytes | None:
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset and b"charset" not in payload[:2048].lower():  # the MIME header's charset, for the page to say
                payload = payload.decode(charset, errors="replace").encode("utf-8")
            return payload
    return None


def check_zip(source: Source, kind: str) -> None:
    """Refuse ZIP bombs before inflating anything: total and per-member ratio caps."""
    try:
        with zipfile.ZipFile(io.BytesIO(source.data)) as zf:
            total = 0
            for info in zf.infolist():
                total += info.file_size
                if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO and info.file_size > 10 * 1024 * 1024:
                    raise InputError(source.name, f"{kind} member {info.filename} inflates {info.file_size // info.compress_size:,}x (ZIP bomb?)")
    except (zipfile.BadZipFile, NotImplementedError):
        raise InputError(source.name, f"corrupt {kind} (not a valid ZIP archive)") from None
    if total > MAX_UNZIPPED:
        raise InputError(source.name, f"{kind} decompresses to {total // 2**20} MB, over the {MAX_UNZIPPED // 2**20} MB limit")


class _Rows:
    """Builds the text of table rows (tab-separated cells) and their cells (a ``CellTable``).

    A row's text is joined once (``"\t".join``), not cell by cell: the parts list held every
    value and tab of a sheet (2.6 M strings for 1.3 M cells) until the end."""

    def __init__(self):
        self.parts: list[str] = []
        self.cells = CellTable()
        self.pos = 0
        self.rows = 0

    def line(self, text: str) -> None:
        text = text.replace("\n", " ").replace("\t", " ")
        self.parts.append(text + "\n")
        self.pos += len(text) + 1

    def row(self, values: list[str], table: int, row: int, sheet: str | None = None, refs: list[str] | None = None,
            grid: tuple[int, Sequence[int]] | None = None) -> None:
        """One row of cells.  Their refs: ``refs``, one a cell; or, with ``grid`` (the sheet's
        row, 0-based, and the cells' columns), A1 refs of the first ``len(columns)`` cells
        (B3 is ``(2, [1])``) and ``refs`` for the cells after them (notes, links)."""
        if len(self.cells) + len(values) > MAX_CELLS:  # (a module global: read at each row, tests lower it)
            raise InputError("", f"more than {MAX_CELLS:,} cells (limit)")
        allowance = CELL_ALLOWANCE.get()
        if allowance is not None and len(self.cells) + len(values) > allowance:
            raise OverBudget("", "cells", MAX_CELLS)
        self.rows += 1
        n = len(values)
        line = "\t".join(values)
        if line.count("\t") != n - 1 or "\n" in line or "\r" in line:  # (rare: a value holding one)
            values = [value.replace("\n", " ").replace("\t", " ").replace("\r", " ") for value in values]
            line = "\t".join(values)
        starts, ends = [], []
        pos = self.pos
        for length in map(len, values):
            starts.append(pos)
            pos += length
            ends.append(pos)
            pos += 1
        ref_row, ref_cols = grid if grid is not None else (-1, ())
        self.cells.add_row(table, row, sheet, starts, ends, ref_row, ref_cols, refs or ())
        self.parts.append(line)
        end = "\t\n" if n < 2 else "\n"
        self.parts.append(end)
        self.pos += len(line) + len(end)

    @property
    def text(self) -> str:
        text = "".join(self.parts)
        self.parts = [text]  # (joined once: asked for again, it is not joined again)
        return text


def _cell_text(value) -> str:
    """A cell's value as the audit reads it.  A whole number stored as a float of 16 digits
    or more (an ID or card typed as a number: Excel keeps 15 significant digits,
    4.40105199003071E+17) is written with its lost digits as ``*`` (440105199003071***): it
    still shows region and birth date, a form masked too little; str(int(…)) made up the
    lost digits (440105199003070976) and the number passed as no ID at all."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        if abs(value) >= 1e15:
            from decimal import Decimal

            sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
            total = len(digits) + exponent
            known = max(len(digits), min(15, total))
            return ("-" if sign else "") + "".join(map(str, digits)).ljust(known, "0") + "*" * (total - known)
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------- CSV

_SEP_LINE = re.compile(r'\ufeff?"?sep=([^\r\n"])"?\r?\n', re.I)


def csv_rows(text: str):
    """The dialect (sniffed from the first 8 KB, or named by Excel's first line ``sep=;``)
    and the rows of a decoded CSV.  With ``sep=;`` and amounts written 300,00 the sniffer
    took the comma: every row was one cell, the names were never found and stayed in the copy."""
    m = _SEP_LINE.match(text)
    if m:
        dialect = type("ExcelSep", (csv.excel,), {"delimiter": m.group(1)})
    else:
        try:
            dialect = csv.Sniffer().sniff(text[:8192], delimiters=",\t;|")
        except csv.Error:
            dialect = csv.excel
    return dialect, csv.reader(_lines(text), dialect)


def _lines(text: str):
    """The lines of ``text`` one at a time, as ``io.StringIO(text)`` gives them (split at
    ``\n`` only), without its copy of the whole text (a 63 MB CSV peaked at 650 MB)."""
    start, end = 0, len(text)
    while start < end:
        i = text.find("\n", start)
        stop = end if i < 0 else i + 1
        yield text[start:stop]
        start = stop


def extract_csv(source: Source) -> Extracted:
    text, enc = decode_bytes(source.data, source.name)
    dialect, rows = csv_rows(text)
    out = _Rows()
    for r, values in enumerate(rows):
        if r >= MAX_ROWS:
            raise InputError(source.name, f"CSV has more than {MAX_ROWS} rows (limit)")
        out.row(values, 0, r, grid=(r, range(len(values))))
    text = out.text
    if not text.strip():
        raise InputError(source.name, "empty CSV (no cells)")
    return Extracted(source, text, "csv", encoding=enc, cells=out.cells, meta={"dialect": dialect.delimiter})


_col_letter = column_letter


# ---------------------------------------------------------------- XLSX

# openpyxl warns on stderr of each header or footer it cannot split into sections (and drops
# it); the audit reads such a text itself (xlsx_annotations)
OPENPYXL_HEADER_WARNING = "Cannot parse header or footer"
_SS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
# the reference of a cell's note (comment) and of its tel:/mailto: link: "B2 批注", "C3 链接"
XLSX_COMMENT, XLSX_LINK = " 批注", " 链接"
# the reference of a text box or shape's text and of a drawing's alternative text (a picture's,
# a shape's), at the cell its anchor starts from: "B2 文本框", "D5 可选文字"
XLSX_TEXT_BOX, XLSX_ALT_TEXT = " 文本框", " 可选文字"
_XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
# the reference of a sheet's header and footer parts: "页脚(中)" is oddFooter.center
XLSX_HEADER_FOOTER = {"oddHeader": "页眉", "oddFooter": "页脚", "evenHeader": "偶数页页眉", "evenFooter": "偶数页页脚",
                      "firstHeader": "首页页眉", "firstFooter": "首页页脚"}
XLSX_HF_PARTS = {"left": "左", "center": "中", "right": "右"}
_SHEET_DATA_END = re.compile(rb"</(?:\w+:)?sheetData>|<(?:\w+:)?sheetData\s*/>")
_ROOT_START = re.compile(rb"<(?:\w+:)?worksheet\b[^>]*>")
_REF_ROW = re.compile(r"[A-Z]+(\d+)")


def _part_path(base: str, target: str) -> str:
    import posixpath

    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _parser():
    from lxml import etree

    # recover: a part cut short or broken is read as far as it goes (the whole file was
    # unreadable, its cells unaudited, for a broken note)
    return etree.XMLParser(resolve_entities=False, huge_tree=False, recover=True)


def _xml(data: bytes):
    """A package part parsed leniently (``_parser``); an empty element when nothing is left."""
    from lxml import etree

    root = etree.fromstring(data, _parser()) if data.strip() else None
    return root if root is not None else etree.Element("empty")


def _sheet_tail(zf: zipfile.ZipFile, path: str):
    """The sheet's XML after its cell data (hyperlinks, header and footer), parsed, read in
    chunks without building the cell data; None when absent.  Kept on ``zf`` for the next
    caller (the notes and links, then the drop-down lists: one pass over a big sheet)."""
    tails = zf.__dict__.setdefault("_govscan_tails", {})
    if path not in tails:
        tails[path] = _read_sheet_tail(zf, path)
    return tails[path]


def _read_sheet_tail(zf: zipfile.ZipFile, path: str):
    from lxml import etree

    root_tag, buf = None, b""
    with zf.open(path) as fh:
        while True:
            chunk = fh.read(1 << 20)
            if not chunk:
                return None
            buf += chunk
            if root_tag is None:
                m = _ROOT_START.search(buf)
                if m:
                    root_tag = m.group(0)
            m = _SHEET_DATA_END.search(buf)
            if m:
                tail = buf[m.end():] + fh.read()
                break
            buf = buf[-64:]
    if root_tag is None:
        return None
    try:
        return etree.fromstring(root_tag + tail, _parser())
    except etree.XMLSyntaxError:
        return None


def xlsx_annotations(zf: zipfile.ZipFile, sheet_path: str):
    """What a sheet publishes outside its cell values: the notes (comments) of its cells and
    the tel:/mailto:/sms: targets of their hyperlinks, as {row: [(ref, text)]}, and the
    texts of its headers and footers, as [(ref, text)] (``XLSX_HEADER_FOOTER``).  Excel
    prints headers and footers on every page and shows a note over its cell."""
    from openpyxl.worksheet.header_footer import HeaderFooterItem, _HeaderFooterPart

    rels_path = _part_path(sheet_path, "_rels/" + sheet_path.rsplit("/", 1)[-1] + ".rels")
    rels: dict[str, tuple[str, str]] = {}
    names = set(zf.namelist())
    if rels_path in names:
        for rel in _xml(zf.read(rels_path)).iter(_PKG_REL):
            rels[rel.get("Id")] = (rel.get("Type", "").rsplit("/", 1)[-1], rel.get("Target", ""))
    by_row: dict[int, list[tuple[str, str]]] = {}

    def add(ref: str, text: str) -> None:
        m = _REF_ROW.match(ref)
        if m and text.strip():
            by_row.setdefault(int(m.group(1)), []).append((ref, text))

    for kind, target in rels.values():
        path = _part_path(sheet_path, target)
        if kind != "comments" or path not in names:
            continue
        for comment in _xml(zf.read(path)).iter(_SS + "comment"):
            body = comment.find(_SS + "text")
            if body is not None:
                text = "".join(t.text or "" for t in body if t.tag == _SS + "t")
                text += "".join(t.text or "" for r in body.iter(_SS + "r") for t in r.iter(_SS + "t"))
                add((comment.get("ref") or "").split(":")[0] + XLSX_COMMENT, text)
    header_footer: list[tuple[str, str]] = []
    for kind, target in rels.values():
        path = _part_path(sheet_path, target)
        if kind == "drawing" and path in names:
            header_footer.extend(_drawing_texts(zf, path))
    tail = _sheet_tail(zf, sheet_path)
    if tail is None:
        return by_row, header_footer
    for link in tail.iter(_SS + "hyperlink"):
        _kind, target = rels.get(link.get(_REL_ID), ("", ""))
        if target.strip().lower().startswith(("tel:", "mailto:", "sms:")) and _MAY_IDENTIFY.search(target):
            add((link.get("ref") or "").split(":")[0] + XLSX_LINK, target)
    for hf in tail.iter(_SS + "headerFooter"):
        for tag, label in XLSX_HEADER_FOOTER.items():
            node = hf.find(_SS + tag)
            item = HeaderFooterItem.from_tree(node) if node is not None else None
            texts = {part: getattr(getattr(item, part, None), "text", None) if item else None for part in XLSX_HF_PARTS}
            if node is not None and node.text and node.text.strip() and not any(texts.values()):
                # a text openpyxl cannot split into sections (none at its start: 经办人 …&P) it
                # drops: read whole as the centre's (mask writes it there)
                texts["center"] = _HeaderFooterPart.from_str(node.text).text
            for part, side in XLSX_HF_PARTS.items():
                text = texts[part]
                if text and text.strip():
                    header_footer.append((f"{label}({side})", text))
    return by_row, header_footer


def _drawing_texts(zf: zipfile.ZipFile, path: str) -> list[tuple[str, str]]:
    """The texts a sheet's drawing part publishes over the cells: each text box's or shape's
    text (its paragraphs joined by a space), ref ``B2 文本框``, and the alternative text and
    title of each picture, shape or chart (``descr``/``title``), ref ``B2 可选文字``, B2 the cell
    its anchor starts from.  A 名单 sheet with 联系人：王芳 138… in a text box above the table,
    or a picture of the list described as its rows, was compliant: drawings were not read."""
    with zf.open(path) as fh:  # (read through the member, whatever size its header states)
        data = fh.read(MAX_DRAWING_BYTES + 1)
    if len(data) > MAX_DRAWING_BYTES:
        raise InputError("", f"a drawing part ({path}) over {MAX_DRAWING_BYTES >> 20} MB of XML (limit)")
    out: list[tuple[str, str]] = []
    root = _xml(data)
    for anchor in root:
        start = anchor.find(_XDR + "from")
        col = row = 0
        if start is not None:
            try:
                col, row = int(start.findtext(_XDR + "col") or 0), int(start.findtext(_XDR + "row") or 0)
            except ValueError:
                pass
        ref = f"{column_letter(max(col, 0))}{max(row, 0) + 1}"
        for body in anchor.iter(_XDR + "txBody"):
            text = " ".join("".join(t.text or "" for t in p.iter(_A + "t")) for p in body.iter(_A + "p"))
            if text.strip():
                out.append((ref + XLSX_TEXT_BOX, text))
        for props in anchor.iter(_XDR + "cNvPr"):
            for name in ("title", "descr"):
                value = props.get(name)
                if value and value.strip():
                    out.append((ref + XLSX_ALT_TEXT, value))
    return out


MAX_DRAWING_BYTES = 16 * 1024 * 1024  # a sheet's drawing part (shapes, text boxes) read at most


def extract_xlsx(source: Source) -> Extracted:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=OPENPYXL_HEADER_WARNING)
        return _extract_xlsx(source)


def _extract_xlsx(source: Source) -> Extracted:
    check_zip(source, "XLSX")
    try:
        import openpyxl
        from openpyxl.cell.read_only import EmptyCell

        wb = openpyxl.load_workbook(io.BytesIO(source.data), read_only=True, data_only=True)
    except Exception as exc:
        raise InputError(source.name, f"corrupt or protected XLSX ({type(exc).__name__})") from None
    out = _Rows()
    hidden = []
    try:
        zf = zipfile.ZipFile(io.BytesIO(source.data))
        for t, ws in enumerate(wb.worksheets):
            if getattr(ws, "sheet_state", "visible") != "visible":
                hidden.append(ws.title)
            out.line(f"【工作表：{ws.title}】")
            path = getattr(ws, "_worksheet_path", None)
            # notes and links in the row of their cell (the same record), headers and footers after
            notes, header_footer = xlsx_annotations(zf, path.lstrip("/")) if path else ({}, [])
            r = -1
            for r, row in enumerate(ws.iter_rows()):
                if out.rows >= MAX_ROWS:
                    raise InputError(source.name, f"XLSX has more than {MAX_ROWS} rows (limit)")
                cells = [c for c in row if c.__class__ is not EmptyCell]  # (a gap in the row: no coordinate)
                values = [_cell_text(c.value) for c in cells]
                while values and not values[-1].strip():
                    values.pop()
                extra = notes.pop(cells[0].row, []) if cells and notes else []
                if not values and not extra:
                    continue
                grid = (cells[0].row - 1 if cells else -1, [c.column - 1 for c in cells[: len(values)]])
                out.row(values + [text for _ref, text in extra], t, r, sheet=ws.title, refs=[ref for ref, _text in extra], grid=grid)
                if out.pos > MAX_CHARS:
                    raise InputError(source.name, f"XLSX holds more than {MAX_CHARS // 1_000_000} million characters (limit)")
            for extra in list(notes.values()) + [[item] for item in header_footer]:
                r += 1
                out.row([text for _ref, text in extra], t, r, sheet=ws.title, refs=[ref for ref, _text in extra])
        own = out.pos
        _pivot_caches(zf, out, len(wb.worksheets), source.name)
        _external_link_caches(zf, out, len(wb.worksheets))
        _workbook_lists(zf, out, len(wb.worksheets), [(ws.title, getattr(ws, "_worksheet_path", None)) for ws in wb.worksheets])
    except InputError:
        raise
    except Exception as exc:
        raise InputError(source.name, f"corrupt XLSX ({type(exc).__name__})") from None
    finally:
        wb.close()
    if not out.cells.has_text():
        raise InputError(source.name, "empty XLSX (no cells)")
    meta = {"hidden_sheets": hidden}
    if out.pos > own:  # a pivot cache's copy of the data: read, but no cell mask can write
        meta["embedded_from"] = own
    return Extracted(source, out.text, "xlsx", cells=out.cells, meta=meta)


EXTERNAL_LINK = "外部链接缓存 "  # the sheet name prefix of an external link's cached cells


def _external_link_caches(zf: zipfile.ZipFile, out: _Rows, table: int) -> None:
    """The cells an external link caches (a formula looking a person's ID up in another
    workbook, =VLOOKUP(B2,[名单.xlsx]Sheet1!A:C,3,0), keeps the values it found in this file),
    row by row, located as sheet ``外部链接缓存 N/SHEET``; they were never read."""
    for part in sorted(n for n in zf.namelist() if re.fullmatch(r"xl/externalLinks/externalLink\d+\.xml", n)):
        number = re.search(r"(\d+)\.xml$", part).group(1)
        root = _xml(zf.read(part))
        sheets = [n.get("val", "") for n in root.iter(f"{_SS}sheetName")]
        for data in root.iter(f"{_SS}sheetData"):
            sid = data.get("sheetId", "")
            title = sheets[int(sid)] if sid.isdigit() and int(sid) < len(sheets) else sid
            sheet = f"{EXTERNAL_LINK}{number}/{title}"
            out.line(f"【{sheet}】")
            for row in data.iter(f"{_SS}row"):
                cells = [(c.get("r", ""), c.findtext(f"{_SS}v") or "") for c in row.iter(f"{_SS}cell")]
                cells = [(ref, _cell_text(float(v)) if _written_as_float(v) else v) for ref, v in cells]
                if any(v.strip() for _ref, v in cells):
                    out.row([v for _ref, v in cells], table, int(row.get("r", "0") or 0), sheet=sheet, refs=[ref for ref, _v in cells])
            table += 1


DEFINED_NAMES = "定义的名称"  # the sheet name of the workbook's defined names' constants
VALIDATION_LIST = "数据验证 "  # the sheet name prefix of a sheet's drop-down lists (数据验证 SHEET)
CHART_CACHE = "图表缓存 "  # the sheet name prefix of a chart's cached series (图表缓存 N)
_QUOTED_LIST = re.compile(r'^\s*"(.*)"\s*$', re.S)


def _workbook_lists(zf: zipfile.ZipFile, out: _Rows, table: int, sheets: list[tuple[str, str | None]]) -> None:
    """What a workbook holds as values outside its cells, after its sheets (a masked copy, written
    by openpyxl, cannot rewrite them: its re-audit reports them):

    * defined names whose value is a constant, not a range (名称管理器: 联系人 = "王芳 138…"),
      sheet ``定义的名称``, cell the name;
    * a cell's drop-down list written in the rule (数据验证 > 序列: "王芳,李娜,138…"), each
      choice a cell, sheet ``数据验证 SHEET``, cell the rule's first cell;
    * a chart's cached series (its categories and values, copied from the cells it draws: the
      copy stays when the list's sheet is deleted), a row per point, sheet ``图表缓存 N``, cell
      ``系列S 点P``.
    Each read only when it holds a digit or an @ (every identifier the audit looks for holds one).
    They were never read: a drop-down of applicants' mobiles, or a chart of a deleted 名单."""
    names = set(zf.namelist())
    if "xl/workbook.xml" in names:
        rows = []
        for el in _xml(zf.read("xl/workbook.xml")).iter(_SS + "definedName"):
            value = el.text or ""
            m = _QUOTED_LIST.match(value) or (re.match(r"^\s*=?\s*\{(.*)\}\s*$", value, re.S) if "!" not in value else None)
            if m and _MAY_IDENTIFY.search(m.group(1)):
                rows.append((el.get("name") or "", m.group(1).replace('""', '"')))
        if rows:
            out.line(f"【{DEFINED_NAMES}】")
            for r, (name, value) in enumerate(rows):
                out.row([value], table, r, sheet=DEFINED_NAMES, refs=[name])
            table += 1
    for title, path in sheets:
        tail = _sheet_tail(zf, path.lstrip("/")) if path and path.lstrip("/") in names else None
        if tail is None:
            continue
        sheet, r = f"{VALIDATION_LIST}{title}", 0
        for rule in tail.iter(_SS + "dataValidation"):
            m = _QUOTED_LIST.match(rule.findtext(_SS + "formula1") or "")
            if rule.get("type") != "list" or not m or not _MAY_IDENTIFY.search(m.group(1)):
                continue
            if r == 0:
                out.line(f"【{sheet}】")
            choices = m.group(1).split(",")
            first = (rule.get("sqref") or "").split()[0].split(":")[0] if rule.get("sqref") else ""
            out.row(choices, table, r, sheet=sheet, refs=[f"{first} 选项{c + 1}" for c in range(len(choices))])
            r += 1
        table += 1 if r else 0
    for part in sorted((n for n in names if re.fullmatch(r"xl/charts/chart\d+\.xml", n)), key=lambda n: int(re.search(r"(\d+)\.xml$", n).group(1))):
        with zf.open(part) as fh:  # (read through the member, whatever size its header states)
            data = fh.read(MAX_DRAWING_BYTES + 1)
        if len(data) > MAX_DRAWING_BYTES:
            raise InputError("", f"a chart part ({part}) over {MAX_DRAWING_BYTES >> 20} MB of XML (limit)")
        if not _MAY_IDENTIFY.search(data.decode("utf-8", "replace")):
            continue
        number = re.search(r"(\d+)\.xml$", part).group(1)
        sheet, r = f"{CHART_CACHE}{number}", 0
        for s_no, series in enumerate(_xml(data).iter(_C + "ser"), 1):
            columns = []  # (the series' name, categories, values), each {index: text}
            for tag in ("tx", "cat", "val", "xVal", "yVal"):
                node = series.find(_C + tag)
                points = {}
                if node is not None:
                    for pt in node.iter(_C + "pt"):
                        idx = pt.get("idx", "")
                        points[int(idx) if idx.isdigit() else len(points)] = pt.findtext(_C + "v") or ""
                columns.append(points)
            if not any(_MAY_IDENTIFY.search(v) for points in columns for v in points.values()):
                continue
            if r == 0:
                out.line(f"【{sheet}】")
            label = columns[0].get(0, "")
            for idx in sorted(set().union(*columns[1:])):
                values = [label] + [points.get(idx, "") for points in columns[1:] if points]
                out.row(values, table, r, sheet=sheet, refs=[f"系列{s_no} 点{idx + 1}"] * len(values))
                r += 1
        table += 1 if r else 0


def _written_as_float(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return bool(value) and not value.isdigit()  # digits as written stay as written


PIVOT_CACHE = "数据透视表缓存 "  # the sheet name prefix of a pivot cache's records


def _pivot_caches(zf: zipfile.ZipFile, out: _Rows, table: int, name: str) -> None:
    """The records of the workbook's pivot caches, as rows under their fields' names: a
    pivot table keeps a copy of its source data in the file (every name and ID of the list
    it sums, also when the list's sheet was deleted), refreshed or not; it was never read.
    Cells are located as sheet ``数据透视表缓存 N``, cell ``记录R 列C``."""
    from lxml import etree

    names = set(zf.namelist())
    for definition in sorted(n for n in names if re.fullmatch(r"xl/pivotCache/pivotCacheDefinition\d+\.xml", n)):
        number = re.search(r"(\d+)\.xml$", definition).group(1)
        root = _xml(zf.read(definition))
        fields = root.findall(f"{_SS}cacheFields/{_SS}cacheField")
        shared = [[item.get("v", "") for item in f.iterfind(f"{_SS}sharedItems/*")] for f in fields]
        rels_path = _part_path(definition, "_rels/" + definition.rsplit("/", 1)[-1] + ".rels")
        records = None
        if rels_path in names:
            for rel in _xml(zf.read(rels_path)).iter(_PKG_REL):
                if rel.get("Type", "").endswith("/pivotCacheRecords"):
                    records = _part_path(definition, rel.get("Target", ""))
        sheet = f"{PIVOT_CACHE}{number}"
        out.line(f"【{sheet}】")
        out.row([f.get("name") or "" for f in fields], table, 0, sheet=sheet,
                refs=[f"字段 列{c + 1}" for c in range(len(fields))])
        if records is None or records not in names:
            continue
        with zf.open(records) as fh:
            for i, (_event, record) in enumerate(etree.iterparse(fh, tag=f"{_SS}r"), 1):
                if out.rows >= MAX_ROWS:
                    raise InputError(name, f"XLSX has more than {MAX_ROWS} rows (limit)")
                values = []
                for c, item in enumerate(record):
                    v = item.get("v", "")
                    if item.tag == f"{_SS}x":  # an index into the field's shared items
                        v = shared[c][int(v)] if c < len(shared) and v.isdigit() and int(v) < len(shared[c]) else ""
                    elif item.tag == f"{_SS}n":  # a number, as a cell's (an ID's lost digits as *)
                        try:
                            v = _cell_text(float(v))
                        except ValueError:
                            pass
                    values.append(v)
                record.clear()
                out.row(values, table, i, sheet=sheet, refs=[f"记录{i} 列{c + 1}" for c in range(len(values))])
        table += 1



# ---------------------------------------------------------------- PDF

_COLUMN_GAP = re.compile(r"(?<=\S) {2,}(?=\S)")


def column_gaps_as_tabs(text: str) -> str:
    """Runs of 2+ spaces inside a line (a table's columns) start with a tab, so its rows
    read as cells; same length, offsets unchanged."""
    return _COLUMN_GAP.sub(lambda m: "\t" + m.group(0)[1:], text)


_SINGLE_SPACE = re.compile(r"(?<=\S) (?=\S)")
_NARROW_GAP = re.compile(r"(?<=\S) {1,2}(?=\S)")
_WORD = re.compile(r"[A-Za-z]{2,}")


def _letter_spaced(text: str) -> bool:
    """A page whose characters are each drawn apart (an OCR text layer, 分散对齐): one
    space between most pairs of characters (申 请 人 王 芳 ， 身 份 证 号 4 4 0 1 …)."""
    chars = sum(1 for ch in text if not ch.isspace())
    return chars >= 10 and not _WORD.search(text) and len(_SINGLE_SPACE.findall(text)) >= 0.6 * chars


def _page_text(page) -> str:
    """A page's text in layout mode: a table's cells, drawn at their columns' positions,
    stand apart by runs of spaces (the default mode put one space between them, so the
    row read as running text and its names were never found); the default mode where the
    layout mode fails.  A page whose characters are drawn apart is read without the runs of
    one or two spaces between them (the spaced digits of an ID were no ID: an OCR'd list
    came out compliant); longer runs stay column gaps."""
    try:
        layout = page.extract_text(extraction_mode="layout")
    except Exception:
        layout = None
    if layout is not None and len(_SINGLE_SPACE.findall(layout)) < 0.2 * sum(1 for ch in layout if not ch.isspace()):
        return layout  # (the default mode, read only when needed, doubled the time per page)
    try:
        plain = page.extract_text() or ""
    except Exception:
        plain = ""
    if layout is None:
        return plain
    # drawn apart: the layout's runs of one or two spaces inside words go, wider runs (a
    # table's column gaps) stay
    return _NARROW_GAP.sub("", layout) if _letter_spaced(plain) else layout


def _annotation_texts(page) -> list[str]:
    """The page's annotations that hold text, each a line after its text: comments and
    sticky notes (/Contents) and the values of filled form fields (/V: a 报名表 filled in
    as a PDF form); the text layer holds neither and they were never read.  Line breaks
    inside become spaces."""
    from pypdf.generic import NameObject

    out = []
    try:
        annots = page.get("/Annots") or []
        annots = annots.get_object() if hasattr(annots, "get_object") else annots
        for ref in annots:
            annot = ref.get_object()
            for key in ("/Contents", "/V"):
                value = annot.get(key)
                value = value.get_object() if hasattr(value, "get_object") else value
                if isinstance(value, str) and not isinstance(value, NameObject) and value.strip():
                    out.append(" ".join(value.split()))  # (a check box's /V is a name: /Yes)
    except Exception:  # a broken annotation: the page's text is read all the same
        return out
    return out


MAX_STRUCTURE_ELEMENTS = 200_000  # a tagged PDF's structure elements visited at most
MAX_XFA_BYTES = 16 * 1024 * 1024  # an XFA form's data packet read at most


def _xfa_values(reader) -> tuple[list[str], list[str]]:
    """The values of an XFA form's data (the ``datasets`` packet of /AcroForm /XFA: a 报名表
    filled in Adobe's XML forms keeps what was typed there, which neither the text layer nor
    the fields' /V holds), each field holding a digit or an @ a line ``NAME：VALUE``, for the
    first page; and what could not be read (a packet over 16 MB, broken XML), to be named."""
    try:
        packets = reader.xfa or {}
    except Exception as exc:  # noqa: BLE001 - a broken form: named, the pages are read all the same
        return [], [f"XFA form data: cannot be read ({type(exc).__name__})"]
    data = packets.get("datasets")
    if not data:
        return [], []
    if len(data) > MAX_XFA_BYTES:
        return [], [f"XFA form data: not read (over {MAX_XFA_BYTES >> 20} MB, limit)"]
    from lxml import etree

    unread = []
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    except etree.XMLSyntaxError:  # read as far as it goes, and named: what followed the break was not read
        unread.append("XFA form data: broken XML, read as far as it goes")
        try:
            root = _xml(data)
        except Exception:  # noqa: BLE001
            return [], unread
    out = []
    for el in root.iter():
        if not isinstance(el.tag, str) or not el.text or not _MAY_IDENTIFY.search(el.text):
            continue
        name = el.tag.rsplit("}", 1)[-1]
        out.append(f"{name}：{' '.join(el.text.split())}")
    return out, unread


def _structure_alt_texts(reader) -> dict[int, list[str]]:
    """A tagged PDF's alternative texts: the /Alt, /ActualText and /E of its structure elements
    (a picture of the 名单 described as its rows, a figure's description, a word's expansion)
    holding a digit or an @, by page (the element's /Pg, or its parent's), each a line after the
    page's text; screen readers read them and the text layer holds none.  Up to
    ``MAX_STRUCTURE_ELEMENTS`` elements; a broken tree gives what was read before it."""
    from pypdf.generic import ArrayObject, DictionaryObject

    out: dict[int, list[str]] = {}
    try:
        root = reader.trailer["/Root"].get_object().get("/StructTreeRoot")
        if root is None:
            return out
        pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages) if page.indirect_reference is not None}
        stack, seen = [(root.get_object(), 0)], 0
        while stack and seen < MAX_STRUCTURE_ELEMENTS:
            node, page = stack.pop()
            seen += 1
            if isinstance(node, ArrayObject):
                stack.extend((kid.get_object(), page) for kid in reversed(node))
                continue
            if not isinstance(node, DictionaryObject):
                continue
            pg = node.get("/Pg")
            if pg is not None and getattr(pg, "idnum", None) in pages:
                page = pages[pg.idnum]
            for key in ("/Alt", "/ActualText", "/E"):
                value = node.get(key)
                value = value.get_object() if hasattr(value, "get_object") else value
                if isinstance(value, str) and _MAY_IDENTIFY.search(value):
                    out.setdefault(page, []).append(" ".join(value.split()))
            kids = node.get("/K")
            if kids is not None:
                kids = kids.get_object() if hasattr(kids, "get_object") else kids
                stack.append((kids, page))
    except Exception:  # noqa: BLE001 - a broken structure tree: the pages' text is read all the same
        return out
    return out


def extract_pdf(source: Source) -> Extracted:
    """The text layer, page by page; runs of 2+ spaces inside a line (table columns)
    start with a tab so rows read as cells (same length, offsets unchanged)."""
    try:
        import logging

        from pypdf import PdfReader

        logging.getLogger("pypdf").setLevel(logging.ERROR)
        reader = PdfReader(io.BytesIO(source.data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise InputError(source.name, "password-protected PDF")
        pages = reader.pages
        if len(pages) > MAX_PAGES:
            raise InputError(source.name, f"PDF has {len(pages)} pages, over the {MAX_PAGES} page limit")
        texts = []
        total = 0
        alt = _structure_alt_texts(reader)
        form, form_unread = _xfa_values(reader)
        for n, page in enumerate(pages):
            t = _page_text(page)
            notes = _annotation_texts(page) + alt.get(n, []) + (form if n == 0 else [])
            if notes:
                t = t.rstrip("\n") + "\n" + "\n".join(notes) + "\n"
            total += len(t)
            if total > MAX_CHARS:
                raise InputError(source.name, "PDF text over the size limit")
            texts.append(t)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(source.name, f"corrupt PDF ({type(exc).__name__})") from None
    if not any(t.strip() for t in texts):
        raise InputError(source.name, "no text layer (scanned image PDF: needs OCR)")
    extracted = paged_extracted(source, texts, "pdf")
    attached, unread = _pdf_attachments(reader)
    unread = form_unread + unread
    if unread:
        extracted.meta["unread"] = tuple(unread)
    if attached:
        extracted.meta["attachments"] = tuple(attached)
    return extracted


MAX_ATTACHED_BYTES = MAX_FILE_BYTES  # the attached files read from one PDF, in all (one file's limit)
MAX_ATTACHMENT_ENTRIES = 1_000  # entries of its EmbeddedFiles listed; the rest are counted, not parsed


def _pdf_attachments(reader) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The files embedded in a PDF (its EmbeddedFiles: a 名单.xlsx attached to the notice
    exported as PDF), as (name, bytes) for the audit to read as an OFD's attachments are
    (``privacy.audit._with_embedded``), and a line for each it does not read (an image, an
    archive, over the limits).  A PDF whose attached workbook held every ID was compliant.

    Each entry is read once, under its file name (``/UF``, ``/F``, else its key in the name
    tree), one at a time: at most ``MAX_ATTACHMENTS`` files, 16 MB each and
    ``MAX_ATTACHED_BYTES`` in all, of the first ``MAX_ATTACHMENT_ENTRIES``; the rest are named,
    not read.  (pypdf's ``attachments``
    inflated every entry sharing a key at once, so thousands of small streams named alike,
    each inflating to 16 MB, were held together; an entry whose key differed from its file
    name was read under both, and listed as an attachment "not read" under its key.)"""
    from .ofd import ATTACHMENT_SUFFIXES, MAX_ATTACHMENTS, MAX_PART_BYTES

    attached: list[tuple[str, bytes]] = []
    unread: list[str] = []
    total = 0
    entries = 0

    def take(name: str, read) -> None:
        """Read one attached file (``read()`` gives its bytes) within the budget, or say why not."""
        nonlocal total
        over_total = f"attachment {name}: not read (attached files over {MAX_ATTACHED_BYTES >> 20} MB in all: limit)"
        if not name.lower().endswith(ATTACHMENT_SUFFIXES):
            unread.append(f"attachment {name}: not read (the audit reads {' '.join(ATTACHMENT_SUFFIXES)})")
        elif len(attached) >= MAX_ATTACHMENTS:
            unread.append(f"attachment {name}: not read (over {MAX_ATTACHMENTS} attachments)")
        elif total >= MAX_ATTACHED_BYTES:
            unread.append(over_total)
        else:
            try:
                data = read()
            except Exception as exc:  # noqa: BLE001 - a stream that does not inflate (or over pypdf's 75 MB)
                unread.append(f"attachment {name}: cannot be read ({type(exc).__name__})")
                return
            if len(data) > MAX_PART_BYTES:
                unread.append(f"attachment {name}: over {MAX_PART_BYTES >> 20} MB")
            elif total + len(data) > MAX_ATTACHED_BYTES:
                unread.append(over_total)
                total = MAX_ATTACHED_BYTES
            else:
                total += len(data)
                attached.append((name, data))

    try:
        for entry in reader.attachment_list:
            entries += 1
            if entries > MAX_ATTACHMENT_ENTRIES:
                break
            names = [n for n in (_pdf_name(entry, "alternative_name"), _pdf_name(entry, "name")) if n]
            name = next((n for n in names if n.lower().endswith(ATTACHMENT_SUFFIXES)), names[0] if names else f"附件{entries}")
            take(name, lambda entry=entry: entry.content)
    except Exception as exc:  # noqa: BLE001 - a damaged name tree: the pages (and the files before) were read
        unread.append(f"attachments: cannot be read ({type(exc).__name__})")
    # files attached to a page (a FileAttachment annotation, the paperclip Acrobat and WPS draw:
    # 附件：名单.xlsx pinned to the page) are in no name tree: they were never read
    for name, content in _page_attachments(reader):
        entries += 1
        if entries > MAX_ATTACHMENT_ENTRIES:
            break
        take(name, content)
    if entries > MAX_ATTACHMENT_ENTRIES:
        unread.append(f"attachments: those after the first {MAX_ATTACHMENT_ENTRIES:,} not read (over {MAX_ATTACHMENT_ENTRIES:,} attached files)")
    return attached, unread


def _page_attachments(reader):
    """(name, read) of each file attached to a page by a FileAttachment annotation (its /FS
    file specification: /UF or /F, the stream under /EF), in page order; ``read()`` inflates it.
    A damaged annotation is passed over (the pages were read)."""
    seen: set[int] = set()
    try:
        pages = list(reader.pages)
    except Exception:  # noqa: BLE001
        return
    for number, page in enumerate(pages, 1):
        try:
            annots = page.get("/Annots") or []
            annots = annots.get_object() if hasattr(annots, "get_object") else annots
            for ref in annots:
                annot = ref.get_object()
                if annot.get("/Subtype") != "/FileAttachment":
                    continue
                spec = annot.get("/FS")
                spec = spec.get_object() if hasattr(spec, "get_object") else spec
                files = spec.get("/EF") if hasattr(spec, "get") else None
                files = files.get_object() if hasattr(files, "get_object") else files
                stream = (files.get("/UF") or files.get("/F")) if hasattr(files, "get") else None
                if stream is None:
                    continue
                key = getattr(stream, "idnum", None)
                if key is not None and key in seen:  # (one file pinned twice)
                    continue
                seen.add(key)
                names = [" ".join(str(spec.get(k)).split()).replace("/", "_").replace("\\", "_")[-80:]
                         for k in ("/UF", "/F") if isinstance(spec.get(k), str) and spec.get(k).strip()]
                yield (names[0] if names else f"附件 第{number}页"), (lambda s=stream: s.get_object().get_data())
        except Exception:  # noqa: BLE001 - a broken annotation: the next page's are read
            continue


def _pdf_name(entry, attr: str) -> str | None:
    """An attachment's name on one line, at most 80 characters, no ``/`` (it names a sheet)."""
    try:
        value = getattr(entry, attr)
    except Exception:  # noqa: BLE001 - a damaged file specification
        return None
    if not isinstance(value, str):
        return None
    value = " ".join(value.split()).replace("/", "_").replace("\\", "_")
    return value[-80:] if value else None


def paged_extracted(source: Source, texts: list[str], fmt: str) -> Extracted:
    """Pages' texts as one text with each page's span (PDF, OFD): runs of 2+ spaces inside
    a line (table columns) start with a tab so rows read as cells (same length)."""
    parts, spans, pos = [], [], 0
    for t in texts:
        t = column_gaps_as_tabs(t.replace("\t", " ")).rstrip("\n") + "\n"
        parts.append(t)
        spans.append((pos, pos + len(t)))
        pos += len(t)
    return Extracted(source, "".join(parts), fmt, pages=tuple(spans))


# ---------------------------------------------------------------- HTML (structure kept)

_SKIP = {"script", "style", "noscript", "template", "head", "iframe", "svg", "button", "select", "option"}
_BLOCK = {
    "p", "div", "section", "article", "header", "footer", "nav", "aside", "main", "h1", "h2", "h3", "h4",
    "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "br", "hr", "form", "caption", "address",
    "figure", "figcaption", "body", "html",
}
_SHOWN_ATTRIBUTES = ("href", "title", "alt")
# attributes a page publishes in its source without showing them: a form field's value (a hidden
# <input name="sfzh" value="…">, a pre-filled one) and data-* attributes (a list's row carrying
# data-sfzh="…" for its script); read when they hold 7 digits (spaces or hyphens between) or an @
_DATA_ATTRIBUTE_VALUE = re.compile(r"@|\d(?:[\s\-]?\d){6}")
# ... but not an address or a file's name (a lazy image's data-src="/uploads/2022/0617/16512345678.jpg",
# data-url="http://…"): its digits are no one's, and a review of the page reported them as a mobile
_DATA_ATTRIBUTE_ADDRESS = re.compile(r"^\s*(?:(?:https?|ftp):|//|/|\.\.?/)|\.(?:jpe?g|png|gif|webp|bmp|svg|ico|pdf|docx?|xlsx?"
                                     r"|zip|rar|s?html?|jsp|php|aspx?|js|css|mp[34]|flv|swf)(?:[?#]|\s*$)", re.I)
# a script in an attribute (a list's <a onclick="view('11010519491231002X')">, href="javascript:…"):
# read when one of its quoted strings holds 7 digits or an @ and is no address or file name
_SCRIPT_STRING = re.compile(r"""'([^'\\]*)'|"([^"\\]*)"|`([^`\\]*)`""")
# elements whose text is not the page's, or not shown: only their published attributes are read
# (a list row's 查看 <button data-sfzh="…">), and the text of noscript and template as a comment's
_SOURCE_ONLY = {"noscript", "template"}
_MAY_IDENTIFY = re.compile(r"[0-9０-９@＠]")  # every identifier the audit looks for holds one
# a linked file's name: an attachment is published under it (the download's name, the address
# bar), so <a href="/files/%E7%8E%8B%E8%8A%B311010519491231002X.xlsx">下载</a> published the ID
# whatever the link's text; the pieces of an address (path segments, query values) holding a
# Chinese character and 7 digits, percent-decoded (UTF-8, else GB18030), are read as the file
# name audit reads a name (a CMS's generated 16512345678.jpg or 2022年名单.pdf is no one's)
_LINKED_ATTRIBUTES = ("href", "src", "download", "data", "action")
_ADDRESS_PIECES = re.compile(r"[/\\?&=#;]")
_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")
LINKED_NAME = "|文件名"  # the segment's attribute suffix: the page names the file, `mask` cannot rename it
# metas naming the software that wrote the page, never a person (Word's Generator "Microsoft Word 15",
# ProgId Word.Document): a line "Microsoft Word 15" stood in the review text of a Word page
_SOFTWARE_METAS = frozenset({"generator", "progid", "originator"})
_DATA_RUN = re.compile(r"\d{11}")  # the digits of a mobile, an ID or a card
_COMMENT = __import__("lxml.etree", fromlist=["Comment"]).Comment
_FOOTER_HINT = re.compile(r"foot|copyright|bottom|bq|banquan", re.I)


class HtmlText:
    """HTML text with each text node's place: (start, end, element, "text"|"tail").

    Table rows become lines of tab-separated cells; every other block element ends a
    line.  Text nodes keep their length (newlines and tabs inside become spaces), so a
    span of the text maps back to positions inside the nodes, which is how masking
    rewrites the page.
    """

    def __init__(self, root, head=None):
        self.parts: list[str] = []
        self.segments: list[tuple[int, int, object, str]] = []
        self.cells: list[Cell] = []
        self.footer_spans: list[tuple[int, int]] = []
        self.pos = 0
        self.table_no = -1
        self._table_row: list[int] | None = None  # [table, next row] of the table being read
        if head is not None:
            self._head(head)
        self._walk(root, in_footer=False)

    def _head(self, head) -> None:
        """The head's title, and its meta contents holding a digit or an @, each a line: a
        CMS writes the article's first sentences into <meta name="description"> (and og:…),
        so a masked body still published the ID there, and search engines show it; the title
        names the person of a 任前公示 (关于王芳同志的任前公示), kept in a masked copy."""
        for el in head.iter("title", "meta", "script"):
            if el.tag == "script":  # a list's data in the head, as in the body
                self._script_data(el)
            elif el.tag == "title":
                if el.text and el.text.strip():
                    self._newline()
                    self._emit(el.text, el, "text")
            elif (el.get("name") or "").strip().lower() not in _SOFTWARE_METAS:
                content = el.get("content")
                if content and _MAY_IDENTIFY.search(content) and not el.get("http-equiv"):
                    self._newline()
                    self._emit(content, el, "@content")
        self._newline()

    def _emit(self, text: str | None, el, attr: str, keep_lines: bool = False) -> None:
        if not text:
            return
        text = text.replace("\r", " ").replace("\t", " ")
        if not keep_lines:
            text = text.replace("\n", " ")
        self.segments.append((self.pos, self.pos + len(text), el, attr))
        self.parts.append(text)
        self.pos += len(text)

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")
            self.pos += 1

    def _hidden_text(self, el) -> bool:
        """A comment holding a digit or an @ becomes a line of its own; True for any comment.
        What a page's source holds is published: a list commented out (<!-- 原名单 … -->)
        still discloses it."""
        if el.tag is not _COMMENT:
            return False
        if el.text and _MAY_IDENTIFY.search(el.text):
            self._newline()
            self._emit(el.text, el, "text")
            self._newline()
        return True

    def _attributes(self, el) -> None:
        """Attribute values shown as tooltips or alt text, or dialled by a link (title, alt,
        tel:/mailto:/sms: hrefs) that hold a digit or an @, and an input's value and data-*
        attributes that hold 7 digits or an @ (published in the source: a masked list's rows
        kept data-sfzh="…" and the page was compliant), each between spaces where the element
        stands (in its line or cell: the same record as the text around it)."""
        for name in _SHOWN_ATTRIBUTES:
            value = el.get(name)
            if not value or not _MAY_IDENTIFY.search(value):
                continue
            if name == "href" and not value.lstrip().lower().startswith(("tel:", "mailto:", "sms:")):
                continue
            self._attribute(el, name, value)
        self._linked_names(el)
        for name, value in el.attrib.items():
            if not isinstance(name, str) or not value:
                continue
            if name.startswith("data-") or name == "value" and el.tag in ("input", "option"):
                if _DATA_ATTRIBUTE_VALUE.search(value) and not _DATA_ATTRIBUTE_ADDRESS.search(value):
                    self._attribute(el, name, value)
            elif (name.startswith("on") or name == "href" and value.lstrip().lower().startswith("javascript:")) \
                    and _identifying_string(value):
                self._attribute(el, name, value)

    def _linked_names(self, el) -> None:
        """The names of the files a link, a picture or a frame points to (``linked_file_names``),
        and those of a data-* attribute holding an address (a lazy image's data-src), each
        between spaces where the element stands; ``mask`` leaves them: the file keeps its name."""
        for name, value in el.attrib.items():
            if not isinstance(name, str) or not (name in _LINKED_ATTRIBUTES or name.startswith("data-")
                                                 and _DATA_ATTRIBUTE_ADDRESS.search(value or "")):
                continue
            if value and _MAY_IDENTIFY.search(value) and not value.lstrip().lower().startswith(("tel:", "mailto:", "sms:", "javascript:")):
                for piece in linked_file_names(value):
                    self._attribute(el, name + LINKED_NAME, piece)

    def _source_only(self, el, inline: bool) -> None:
        """An element whose text is not the page's (a button, a select, an iframe, an svg) or is
        not shown (noscript, template): the attributes published on it and on what it holds are
        read where it stands (a list row's 查看 ``<button data-sfzh="…">`` was never read), and
        the text inside a noscript or template that holds a digit or an @, as a comment's."""
        if el.tag in ("style", "head"):
            return
        for d in el.iter():
            shown = _source_only_inside(d, el)  # (in a noscript or a template: its text is read)
            if not isinstance(d.tag, str):  # a comment (not an icon's licence in an svg or a button)
                if d.tag is _COMMENT and shown and d.text and _MAY_IDENTIFY.search(d.text):
                    self._source_text(d, "text", inline)
            elif d.tag == "script":
                self._attributes(d)
                if d.get("src") is None and d.text and _DATA_RUN.search(d.text):
                    self._source_text(d, "text", inline)
            elif d.tag == "option" and not shown:
                self._option(d, inline)
            else:
                self._attributes(d)
                if shown and d.text and _MAY_IDENTIFY.search(d.text):
                    self._source_text(d, "text", inline)
            if d is not el and d.tail and _MAY_IDENTIFY.search(d.tail) and _source_only_inside(d.getparent(), el):
                self._source_text(d, "tail", inline)

    def _option(self, el, inline: bool) -> None:
        """A select's (or a datalist's) choice whose value or text holds 7 digits or an @
        (``<option value="11010519491231002X">王芳</option>``, ``<option>李娜 13912345678</option>``):
        the page publishes it, and shows the text when the list opens; its text, then its value,
        a line of their own (a record: the name with its number).  Other choices stay out (a
        select's options are choices: 2022年, 广州市)."""
        value, text = el.get("value") or "", el.text or ""
        if not (_DATA_ATTRIBUTE_VALUE.search(value) and not _DATA_ATTRIBUTE_ADDRESS.search(value)
                or _DATA_ATTRIBUTE_VALUE.search(text)):
            self._attributes(el)  # (its data-* attributes, as any element's)
            return
        if not inline:
            self._newline()
        if text.strip():
            self.parts.append(" ")
            self.pos += 1
            self._emit(text, el, "text")
        self._attributes(el)
        if not inline:
            self._newline()

    def _source_text(self, el, attr: str, inline: bool) -> None:
        if inline:
            self.parts.append(" ")
            self.pos += 1
            self._emit(getattr(el, attr), el, attr)
        else:
            self._newline()
            self._emit(getattr(el, attr), el, attr, keep_lines=el.tag == "script")
            self._newline()

    def _attribute(self, el, name: str, value: str) -> None:
        self.parts.append(" ")
        self.pos += 1
        self._emit(value, el, "@" + name)
        self.parts.append(" ")
        self.pos += 1

    def _script_data(self, el) -> None:
        """An inline script holding a run of 11+ digits (a mobile, an ID) is read line by line:
        pages that draw their list from data in the page (var list = [{"xm": …, "sfzh": …}])
        publish every value in their source, and the audit skipped scripts."""
        if el.get("src") is None and el.text and _DATA_RUN.search(el.text):
            self._newline()
            self._emit(el.text, el, "text", keep_lines=True)
            self._newline()

    def _walk(self, el, in_footer: bool) -> None:
        if self._hidden_text(el):
            return
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if tag == "script":
            self._script_data(el)
            return
        if tag in _SKIP or not tag:
            if tag:
                self._source_only(el, inline=False)
            return
        footer = in_footer or tag == "footer" or bool(_FOOTER_HINT.search((el.get("class") or "") + " " + (el.get("id") or "")))
        start = self.pos
        if tag == "table":
            self._table(el, footer)
        else:
            if tag in _BLOCK:
                self._newline()
            self._attributes(el)
            self._emit(el.text, el, "text")
            for child in el:
                self._walk(child, footer)
                self._emit(child.tail, child, "tail")
            if tag in _BLOCK:
                self._newline()
        if footer and not in_footer:
            self.footer_spans.append((start, self.pos))

    def _table(self, table, footer: bool) -> None:
        """A table's rows, each a line of tab-separated cells, in the order of the source; the
        table's, its row groups' and its rows' attributes, its caption and what stands between
        its rows or cells (a comment, a hidden input, a script's data, text) are read too: a
        ``<tr data-sfzh="…">`` in a masked list was never read (a ``<td>``'s was) and the page
        was compliant; a caption, cells written without a ``<tr>`` (``<table><td>…``, which
        browsers show) and cells inside a ``<form>`` inside a ``<tr>`` were lost, text and all."""
        self._newline()
        self.table_no += 1
        outer, self._table_row = self._table_row, [self.table_no, 0]  # (a table inside it numbers its own)
        self._table_part(table, table, footer)
        self._table_row = outer
        self._newline()

    def _table_part(self, el, table, footer: bool) -> None:
        """The table, or a part of it holding its rows (a row group, a form around rows)."""
        self._attributes(el)  # (a line of its own, before the rows)
        self._newline()
        self._stray(el, "text")
        orphans: list = []  # cells written without a <tr>: a row of their own, as browsers show them
        for child in el:
            tag = child.tag.lower() if isinstance(child.tag, str) else ""
            if tag in ("td", "th"):
                orphans.append(child)
                continue
            if orphans:
                self._row(None, orphans)
                orphans = []
            if tag == "tr":
                self._row(child, list(child))
            elif tag in ("", "script", "table") or not _holds_rows(child, table):
                self._newline()  # (a caption, a comment, an input, a script's data: a line of its own)
                self._walk(child, footer)
                self._newline()
            else:
                self._table_part(child, table, footer)
            self._stray(child, "tail")
        if orphans:
            self._row(None, orphans)

    def _stray(self, el, attr: str) -> None:
        """Text in a table outside its cells (only spaces, as a rule), as a line of its own."""
        text = getattr(el, attr)
        if text and text.strip():
            self._newline()
            self._emit(text, el, attr)
            self._newline()

    def _row(self, tr, parts: list) -> None:
        """One line: the row's cells, tab-separated.  What the row holds outside its cells (its
        attributes, a hidden input, a comment, text) is read where it stands and belongs to the
        cell before it, or to the first cell for what comes before that one."""
        t, r = self._table_row
        self._table_row[1] += 1
        spans: list[int] = []  # the start of each cell
        row_start = self.pos
        if tr is not None:
            self._attributes(tr)
            self._stray_inline(tr, "text")
        for part in parts:
            self._row_part(part, spans, row_start)
        for c, start in enumerate(spans):
            self.cells.append(Cell(t, r, c, start, spans[c + 1] - 1 if c + 1 < len(spans) else self.pos))
        if len(spans) < 2:
            self.parts.append("\t")
            self.pos += 1
        self.parts.append("\n")
        self.pos += 1

    def _row_part(self, el, spans: list[int], row_start: int) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in ("td", "th"):
            if spans:
                self.parts.append("\t")
                self.pos += 1
            spans.append(self.pos if spans else row_start)
            self._attributes(el)
            self._emit(el.text, el, "text")
            for child in el:
                self._walk_inline(child)
                self._emit(child.tail, child, "tail")
        elif tag and tag not in _SKIP and tag != "table" and _holds_cells(el):
            # a wrapper of cells inside the row (<tr><form><td>…: the cells were lost)
            self._attributes(el)
            self._stray_inline(el, "text")
            for child in el:
                self._row_part(child, spans, row_start)
        elif tag == "script":
            if el.get("src") is None and el.text and _DATA_RUN.search(el.text):
                self.parts.append(" ")
                self.pos += 1
                self._emit(el.text, el, "text")
        else:
            self._walk_inline(el)
        self._stray_inline(el, "tail")

    def _stray_inline(self, el, attr: str) -> None:
        text = getattr(el, attr)
        if text and text.strip():
            self._emit(text, el, attr)

    def _walk_inline(self, el) -> None:
        """Inside a cell: text only, no line breaks (a cell stays on its row's line)."""
        if el.tag is _COMMENT:
            if el.text and _MAY_IDENTIFY.search(el.text):
                self.parts.append(" ")
                self.pos += 1
                self._emit(el.text, el, "text")
            return
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _SKIP or not tag:
            if tag:
                self._source_only(el, inline=True)
            return
        # (a table nested in the cell: its cells apart, as in a DOCX; they ran together,
        # 姓名王建国性别男, and the name was not found)
        if tag in ("br", "p", "div", "li", "table", "tr", "td", "th"):
            self.parts.append(" ")
            self.pos += 1
        self._attributes(el)
        self._emit(el.text, el, "text")
        for child in el:
            self._walk_inline(child)
            self._emit(child.tail, child, "tail")

    @property
    def text(self) -> str:
        return "".join(self.parts)


def linked_file_names(address: str) -> list[str]:
    """The pieces of a link's address that may name a person: path segments and query values
    holding a Chinese character and 7 digits (spaces or hyphens between), percent-decoded
    (``/files/%E7%8E%8B%E8%8A%B311010519491231002X.xlsx`` -> ``王芳11010519491231002X.xlsx``;
    UTF-8, else GB18030 as older Chinese servers encode)."""
    from urllib.parse import unquote_to_bytes

    out = []
    for piece in _ADDRESS_PIECES.split(address):
        if not piece or not _MAY_IDENTIFY.search(piece):
            continue
        if "%" in piece:
            raw = unquote_to_bytes(piece)
            try:
                piece = raw.decode("utf-8")
            except UnicodeDecodeError:
                piece = raw.decode("gb18030", errors="replace")
        piece = " ".join(piece.split())
        if _HAN_CHAR.search(piece) and _DATA_ATTRIBUTE_VALUE.search(piece):
            out.append(piece)
    return out


def _source_only_inside(d, el) -> bool:
    """Whether ``d`` (inside ``el``, or ``el``) stands in a noscript or template, and not in an
    svg there (an icon's drawing and its licence comment, in every template of a page)."""
    while d is not None:
        if d.tag in _SOURCE_ONLY:
            return True
        if d is el or d.tag == "svg":
            return False
        d = d.getparent()
    return False


def _identifying_string(script: str) -> bool:
    """Whether a script (an onclick, a javascript: link) holds a quoted string with 7 digits or
    an @ that is no address or file name (openWin('/art/2022/6/17/art_16512345678.html') is not)."""
    return any(_DATA_ATTRIBUTE_VALUE.search(v) and not _DATA_ATTRIBUTE_ADDRESS.search(v)
               for m in _SCRIPT_STRING.finditer(script) for v in m.groups() if v)


def _holds_rows(el, table) -> bool:
    """Whether ``el`` (inside ``table``) holds rows or cells of that table."""
    return any(_closest_table(d) is table for d in el.iter("tr", "td", "th"))


def _holds_cells(el) -> bool:
    """Whether ``el`` (inside a row) holds cells of that row, not of a table inside it."""
    table = _closest_table(el)
    return any(_closest_table(d) is table for d in el.iter("td", "th"))


def _closest_table(el):
    parent = el.getparent()
    while parent is not None and not (isinstance(parent.tag, str) and parent.tag.lower() == "table"):
        parent = parent.getparent()
    return parent


def parse_html(data: bytes, name: str):
    import lxml.html

    html, enc = decode_bytes(data, name)
    try:
        parser = lxml.html.HTMLParser()  # (one per call: a parser is not shared between the web app's threads)
        root = lxml.html.document_fromstring(html, parser=parser)
    except Exception as exc:
        raise InputError(name, f"unparseable HTML ({type(exc).__name__})") from None
    # libxml2 drops a text node (or attribute, or script) over 10 MB without a word: a page of 6
    # million characters in one paragraph read as "HTML page without text", the rest unaudited.
    # (huge_tree would lift it, and the depth limit with it: 5 million nested <div> then
    # overflowed Python's recursion in the walk.)
    if any(e.type_name == "ERR_RESOURCE_LIMIT" and "Buffer size" in e.message for e in parser.error_log):
        raise InputError(name, "HTML holds a text or attribute over 10 MB in one element (libxml2's limit)")
    return root, enc


def extract_html_structured(source: Source) -> Extracted:
    root, enc = parse_html(source.data, source.name)
    body = root.find("body")
    walked = HtmlText(body if body is not None else root, root.find("head"))
    text = walked.text
    if not text.strip():
        raise InputError(source.name, "HTML page without text")
    title = root.findtext(".//title")
    return Extracted(
        source, text, "html", encoding=enc, title=title.strip() if title else None,
        cells=tuple(walked.cells), meta={"footer_spans": tuple(walked.footer_spans)},
    )
