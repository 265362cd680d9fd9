"""Legacy binary Office files: Excel 97-2003 workbooks (.xls, WPS .et) and Word 97-2003
documents (.doc, WPS .wps), both OLE compound files (olefile).

Government sites still attach most 公示名单 as .xls and .doc; they were refused.

- ``ole_kind`` tells the OLE files apart by their streams: ``Workbook``/``Book`` is a
  workbook (BIFF8, BIFF5), ``WordDocument`` a Word document, ``EncryptedPackage`` a
  password-protected XLSX/DOCX; anything else (PowerPoint, Visio, Outlook) is named.
- ``extract_xls`` reads every sheet, hidden ones too, with xlrd, as ``office._Rows`` rows
  with ``{"sheet","cell"}`` cell references, numbers and dates written as the XLSX
  reader writes them (``office._cell_text``: an ID stored as a number keeps its lost
  digits as ``*``), each cell's note and tel:/mailto: link in the row of its cell.
- ``extract_doc`` reads the Word binary format ([MS-DOC]) itself: the FIB of the
  ``WordDocument`` stream (``fWhichTblStm`` picks ``0Table``/``1Table``, ``fEncrypted``
  means password-protected), the piece table of the CLX (pieces of cp1252 bytes or of
  UTF-16LE), the main text up to ``ccpText``, then the footnotes, headers and footers,
  comments, endnotes and text boxes (each located with ``"part"``, as in DOCX).
  Paragraphs end at ``\\r``; a table cell ends with ``\\x07`` and a row with a row-end
  paragraph (``sprmPFTtp`` in its PAPX; another ``\\x07`` where the PAPX cannot be read):
  table rows are read as rows of cells (``{"table","row","col"}``).  Field codes are
  dropped and their results kept (``\\x13 code \\x14 result \\x15``), except the address of a
  ``HYPERLINK "mailto:…"`` field, which the file publishes.

- ``extract_rtf`` reads RTF (what WPS and many CMSes save under a .doc name): paragraphs,
  ``\\intbl``/``\\cell``/``\\row`` tables as cells, ``\\'hh`` in the file's code page.

An Excel sheet pasted into a .doc as an object keeps its workbook in the ``ObjectPool``
storage: it is read too (sheet ``嵌入对象 STORAGE/SHEET``, as the audit names an embedded
workbook's cells).  Every reader returns ``Extracted`` or raises ``InputError`` with a
one-line reason; pieces, characters, rows and objects are capped.
"""
from __future__ import annotations

import bisect
import io
import re
import struct

from ..errors import InputError
from ..types import Cell, Extracted, Source
from .office import _ENCRYPTED_OOXML, MAX_CHARS, MAX_ROWS, _cell_text, _col_letter, _MAY_IDENTIFY, _Rows

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
LEGACY_SUFFIXES = {".xls": "xls", ".et": "xls", ".ett": "xls", ".xlt": "xls", ".doc": "doc", ".wps": "doc", ".dot": "doc", ".wpt": "doc"}
# the OOXML format of a legacy one: what a de-identified copy is written as
MODERN = {"xls": "xlsx", "doc": "docx", "rtf": "docx", "mht": "docx"}
MAX_PIECES = 100_000
MAX_OBJECTS = 50  # embedded workbooks read from a .doc's ObjectPool

# streams that name what an OLE file is, for the reason it is not read
ENCRYPTED_OOXML_REASON = "password-protected (encrypted Office file): remove the password and save it again"
_OTHER_OLE = (("PowerPoint Document", "PowerPoint 97-2003 presentation (.ppt/.dps): not supported, save it as PDF"),
              ("VisioDocument", "Visio drawing: not supported"),
              ("__properties_version1.0", "Outlook message (.msg): not supported"))


def _open_ole(data: bytes):
    """The olefile of ``data`` (always read from memory: olefile takes short bytes for a
    file name), or None when it is no valid compound file."""
    import olefile

    try:
        return olefile.OleFileIO(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - any defect: not a readable compound file
        return None


def ole_kind(data: bytes) -> str:
    """What an OLE compound file holds: ``xls``, ``doc``, ``ole-encrypted`` (a
    password-protected XLSX/DOCX), or ``ole`` (another kind, or corrupt: ``ole_reason``)."""
    ole = _open_ole(data)
    if ole is None:
        return "ole-encrypted" if _ENCRYPTED_OOXML in data[: 1 << 20] else "ole"
    with ole:
        if ole.exists("EncryptedPackage"):
            return "ole-encrypted"
        if ole.exists("WordDocument"):
            return "doc"
        if ole.exists("Workbook") or ole.exists("Book"):
            return "xls"
    return "ole"


def ole_reason(data: bytes) -> str:
    """Why an OLE file that is neither a workbook nor a Word document is not read.  A
    password-protected DOCX/XLSX is such a file (its package encrypted in a stream): it was
    "holding neither a workbook nor a Word document (streams: EncryptionInfo …)"."""
    from .office import _ENCRYPTED_OOXML

    ole = _open_ole(data)
    if ole is None:
        if _ENCRYPTED_OOXML in data[: 1 << 20]:
            return ENCRYPTED_OOXML_REASON
        return "corrupt or truncated legacy Office file (not a valid OLE compound file)"
    with ole:
        if ole.exists("EncryptedPackage"):
            return ENCRYPTED_OOXML_REASON
        for stream, reason in _OTHER_OLE:
            if ole.exists(stream):
                return reason
        names = ["/".join(entry) for entry in ole.listdir()][:4]
    shown = ", ".join(n.encode("ascii", "replace").decode()[:32] for n in names) or "none"
    return f"legacy Office file holding neither a workbook nor a Word document (streams: {shown}): not supported"


# ---------------------------------------------------------------- XLS / ET

def open_xls(source: Source):
    """(the BIFF stream, the xlrd Book) of a BIFF8/BIFF5 workbook, for the reader and for
    ``privacy.mask``'s XLSX copy alike: the Workbook stream read by olefile (see
    ``_workbook_stream``), sheets on demand, ragged rows, with the formatting records (notes,
    links, merges, number formats) where they can be read; InputError otherwise."""
    import xlrd

    data = _workbook_stream(source) if source.data.startswith(OLE_MAGIC) else source.data
    for formatting in (True, False):  # notes and links need the formatting records; read without where they break
        try:
            # ragged rows: a row is as long as its own cells (one damaged cell record at row 60,000,
            # column 255 padded every row to 256 cells: 15 M cells, minutes and 300 MB)
            return data, xlrd.open_workbook(file_contents=data, formatting_info=formatting, on_demand=True,
                                            ragged_rows=True, logfile=io.StringIO())
        except xlrd.XLRDError as exc:
            if "encrypted" in str(exc).lower():
                raise InputError(source.name, "password-protected XLS (encrypted workbook)") from None
            if not formatting:
                raise InputError(source.name, f"corrupt XLS ({_short(exc)})") from None
        except Exception as exc:  # noqa: BLE001 - xlrd raises anything on a broken stream
            if not formatting:
                raise InputError(source.name, f"corrupt XLS ({type(exc).__name__})") from None


def extract_xls(source: Source) -> Extracted:
    """Every sheet of a BIFF8/BIFF5 workbook (hidden ones too), as the XLSX reader writes them."""
    data, book = open_xls(source)
    out = _Rows()
    hidden: list[str] = []
    unread: list[str] = []
    try:
        headers_footers = _xls_headers_footers(data, book.biff_version, book.encoding or "cp1252")
    except Exception:  # noqa: BLE001 - a broken header record: the cells are read all the same
        headers_footers = {}
    try:
        for t in range(book.nsheets):
            try:
                sheet = book.sheet_by_index(t)
            except Exception as exc:  # noqa: BLE001 - a broken sheet: named, the others are read
                out.line(f"【工作表 {t + 1}：无法读取（{type(exc).__name__}）】")
                unread.append(f"工作表 {t + 1}（{type(exc).__name__}）")  # (the audit is then never compliant)
                continue
            if sheet.visibility:
                hidden.append(sheet.name)
            out.line(f"【工作表：{sheet.name}】")
            if out.rows + sheet.nrows > MAX_ROWS:
                raise InputError(source.name, f"XLS has more than {MAX_ROWS} rows (limit)")
            notes = _xls_annotations(sheet)
            header_footer = headers_footers.get(t, [])
            r = -1
            for r in range(sheet.nrows):
                # a text cell is its value; others as _xls_cell_text writes them (xlrd's Cell objects,
                # one a cell, were built for this only)
                values = [value if kind == _XL_TEXT else _xls_value_text(kind, value, book.datemode)
                          for kind, value in zip(sheet.row_types(r), sheet.row_values(r))]
                while values and not values[-1].strip():
                    values.pop()
                extra = notes.pop(r, [])
                if not values and not extra:
                    continue
                out.row(values + [text for _ref, text in extra], t, r, sheet=sheet.name,
                        refs=[ref for ref, _text in extra], grid=(r, range(len(values))))
                if out.pos > MAX_CHARS:
                    raise InputError(source.name, f"XLS holds more than {MAX_CHARS // 1_000_000} million characters (limit)")
            for row in sorted(notes):  # notes of cells below the last row with a value
                r += 1
                out.row([text for _ref, text in notes[row]], t, r, sheet=sheet.name, refs=[ref for ref, _text in notes[row]])
            for ref, text in header_footer:  # printed on every page (页眉(中), 页脚(左) …)
                r += 1
                out.row([text], t, r, sheet=sheet.name, refs=[ref])
            book.unload_sheet(t)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise InputError(source.name, f"corrupt XLS ({type(exc).__name__})") from None
    finally:
        book.release_resources()
    if not out.cells.has_text():
        raise InputError(source.name, "empty XLS (no cells)")
    meta = {"hidden_sheets": hidden, "biff": book.biff_version, **({"unread": unread} if unread else {})}
    return Extracted(source, out.text, "xls", cells=out.cells, meta=meta)


def _workbook_stream(source: Source) -> bytes:
    """The Workbook (or Book) stream of an XLS compound file, read by olefile, for xlrd to
    read as a bare BIFF stream: xlrd's own compound-file reader follows a sector chain that
    loops for ever (a damaged allocation table: the audit hung, its memory growing), olefile
    reads no more sectors than the stream's size."""
    ole = _open_ole(source.data)
    if ole is None:
        raise InputError(source.name, "corrupt or truncated legacy Office file (not a valid OLE compound file)")
    with ole:
        name = "Workbook" if ole.exists("Workbook") else "Book"
        try:
            return ole.openstream(name).read()
        except Exception as exc:  # noqa: BLE001 - a missing or damaged stream
            raise InputError(source.name, f"corrupt XLS ({type(exc).__name__})") from None


def _short(exc: Exception) -> str:
    return " ".join(str(exc).split())[:80] or type(exc).__name__


_XL_TEXT = 1  # xlrd.XL_CELL_TEXT


def _xls_cell_text(cell, datemode: int) -> str:
    """A cell as ``office._cell_text`` writes an XLSX cell: numbers as numbers are written
    (an ID stored as a float keeps its lost digits as ``*``), dates as dates."""
    return _xls_value_text(cell.ctype, cell.value, datemode)


def _xls_value_text(kind: int, value, datemode: int) -> str:
    """``_xls_cell_text`` of a cell's type and value (``Sheet.row_types``, ``row_values``)."""
    import xlrd

    if kind == xlrd.XL_CELL_DATE:
        try:
            if 0 <= value < 1:  # a time of day
                return _cell_text(xlrd.xldate.xldate_as_datetime(value, datemode).time())
            return _cell_text(xlrd.xldate.xldate_as_datetime(value, datemode))
        except Exception:  # noqa: BLE001 - a date out of range: the number
            return _cell_text(value)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return _cell_text(bool(value))
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERR")
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    return _cell_text(value)


def _xls_annotations(sheet) -> dict[int, list[tuple[str, str]]]:
    """{row: [(ref, text)]}: the notes (comments) of a sheet's cells and the tel:/mailto:/sms:
    targets of their links, referenced as in XLSX (``B2 批注``, ``C3 链接``)."""
    from .office import XLSX_COMMENT, XLSX_LINK

    out: dict[int, list[tuple[str, str]]] = {}
    for (r, c), note in sorted(getattr(sheet, "cell_note_map", {}).items()):
        text = getattr(note, "text", "") or ""
        if text.strip():
            out.setdefault(r, []).append((f"{_col_letter(c)}{r + 1}{XLSX_COMMENT}", text))
    for (r, c), link in sorted(getattr(sheet, "hyperlink_map", {}).items()):
        target = (getattr(link, "url_or_path", "") or "").strip()
        if target.lower().startswith(("tel:", "mailto:", "sms:")) and _MAY_IDENTIFY.search(target):
            out.setdefault(r, []).append((f"{_col_letter(c)}{r + 1}{XLSX_LINK}", target))
    return out


_BOFS = (0x0809, 0x0409, 0x0209, 0x0009)
_HF_CODES = re.compile(r"&[PNDTFAZGpndtfazg&]")  # page number, pages, date, time, file, sheet …
_EOF, _BOUNDSHEET, _HEADER, _FOOTER = 0x000A, 0x0085, 0x0014, 0x0015
_OBJ, _TXO, _CONTINUE, _NOTE_OBJECT = 0x005D, 0x01B6, 0x003C, 0x0019
MAX_TXO_CHARS = 100_000  # a text box's characters read at most


def _txo_text(stream: bytes, pos: int, body: bytes) -> tuple[str, int]:
    """The text of the TXO record at ``pos`` (``body`` its data: cchText at offset 10) from the
    CONTINUE records after it (each a flag byte, 1 for UTF-16LE, 0 for one byte a character,
    then the characters), and the position after the last of them; its formatting runs follow
    in more CONTINUE records, passed over by the caller's walk."""
    if len(body) < 14:
        return "", pos + 4 + len(body)
    want = min(struct.unpack_from("<H", body, 10)[0], MAX_TXO_CHARS)
    pos += 4 + len(body)
    parts, got = [], 0
    while got < want and pos + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, pos)
        if kind != _CONTINUE or size < 1:
            break
        chunk = stream[pos + 5: pos + 4 + size]
        if stream[pos + 4] & 0x01:
            parts.append(chunk.decode("utf-16-le", errors="replace"))
            got += len(chunk) // 2
        else:
            parts.append(chunk.decode("latin-1"))
            got += len(chunk)
        pos += 4 + size
    return "".join(parts), pos


def _xls_headers_footers(data: bytes, biff: int, encoding: str) -> dict[int, list[tuple[str, str]]]:
    """{sheet index: [(ref, text)]}: each sheet's header and footer (HEADER/FOOTER records,
    which xlrd does not read), split into their left, centre and right parts as the XLSX
    reader splits them (``页眉(中)``, ``页脚(左)`` …).  Read from the Workbook stream; a stream
    that cannot be walked has none."""
    import warnings

    from .office import XLSX_HEADER_FOOTER, XLSX_HF_PARTS, XLSX_TEXT_BOX

    if not data.startswith(OLE_MAGIC):  # a bare BIFF stream (an object embedded in a .doc)
        stream = data
    else:
        ole = _open_ole(data)
        if ole is None:
            return {}
        with ole:
            name = "Workbook" if ole.exists("Workbook") else "Book"
            try:
                stream = ole.openstream(name).read()
            except Exception:  # noqa: BLE001
                return {}
    positions: list[int] = []  # BOUNDSHEET: where each sheet's substream starts, in sheet order
    out: dict[int, list[tuple[str, str]]] = {}
    pos, depth, sheet = 0, 0, None
    obj_type = None  # the type of the last OBJ record (a TXO's text belongs to it)
    while pos + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4: pos + 4 + size]
        if kind in _BOFS:
            depth += 1
            if depth == 1:
                sheet = [p for p in positions if p >= 0].index(pos) if pos in positions else None
        elif kind == _EOF:
            depth = max(depth - 1, 0)
        elif kind == _BOUNDSHEET and depth == 1 and sheet is None and len(body) >= 6:
            # worksheets only (dt 0), as xlrd counts them: a chart or macro sheet has no cells
            positions.append(struct.unpack_from("<I", body)[0] if body[5] == 0 else -1)
        elif kind == _OBJ and depth == 1 and len(body) >= 6 and body[:2] == b"\x15\x00":
            obj_type = struct.unpack_from("<H", body, 4)[0]  # (ftCmo: the object's type; 0x19 a note)
        elif kind == _TXO and depth == 1 and sheet is not None and biff >= 80 and obj_type != _NOTE_OBJECT:
            # a text box's (or a shape's) text, in the CONTINUE records after its TXO (xlrd keeps
            # a note's only: a 联系人 line in a text box over the list was never read)
            text, pos = _txo_text(stream, pos, body)
            obj_type = None
            if text.strip():
                boxes = sum(1 for ref, _t in out.get(sheet, ()) if ref.endswith(XLSX_TEXT_BOX))
                out.setdefault(sheet, []).append((f"对象{boxes + 1}{XLSX_TEXT_BOX}", " ".join(text.split())))
            continue
        elif kind in (_HEADER, _FOOTER) and depth == 1 and sheet is not None and body:
            text = _xls_string(body, biff, encoding)
            if text and text.strip():
                from openpyxl.worksheet.header_footer import _HeaderFooterPart, _split_string  # (only when needed: 0.9 s)

                label = XLSX_HEADER_FOOTER["oddHeader" if kind == _HEADER else "oddFooter"]
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    parts = _split_string(text)
                texts = {part: _HeaderFooterPart.from_str(v).text if v else None for part, v in parts.items()}
                if not any(texts.values()):  # no section code at its start: read whole as the centre's
                    texts["center"] = _HeaderFooterPart.from_str(text).text
                for part, side in XLSX_HF_PARTS.items():
                    if texts.get(part) and _HF_CODES.sub("", texts[part]).strip():  # (not a page number alone: &P)
                        out.setdefault(sheet, []).append((f"{label}({side})", texts[part]))
        pos += 4 + size
    return out


def _xls_string(body: bytes, biff: int, encoding: str) -> str:
    """A HEADER/FOOTER record's string: BIFF8 XLUnicodeString, BIFF5 a byte count and bytes."""
    try:
        if biff >= 80:
            cch, flags = struct.unpack_from("<HB", body, 0)
            at = 3 + (2 if flags & 0x08 else 0) + (4 if flags & 0x04 else 0)
            if flags & 0x01:
                return body[at: at + 2 * cch].decode("utf-16-le", errors="replace")
            return body[at: at + cch].decode("latin-1")
        return body[1: 1 + body[0]].decode(encoding, errors="replace")
    except (struct.error, IndexError, LookupError):
        return ""


# ---------------------------------------------------------------- DOC / WPS ([MS-DOC])

_CP1252_HIGH = bytes(range(0x80, 0xA0)).decode("cp1252", errors="replace")
# a compressed piece: cp1252, the five bytes cp1252 leaves undefined read as Latin-1
_COMPRESSED = {0x80 + i: ch for i, ch in enumerate(_CP1252_HIGH) if ch != "\ufffd"}
# characters of the text stream that are not text: 01 picture, 02 note reference, 05 comment
# reference, 08 drawn object, 1F optional hyphen …; 0B line break, 0C page or section break,
# 0E column break, 1E non-breaking hyphen are written as what they show
_DOC_CONTROL = {i: None for i in range(0x20) if i not in (0x09, 0x0A, 0x0D, 0x07, 0x13, 0x14, 0x15)}
_DOC_CONTROL.update({0x0B: "\n", 0x0C: "\n", 0x0E: "\n", 0x1E: "-", 0xA0: " "})
_DIALLED = ("tel:", "mailto:", "sms:")
# the stories after the main text, in CP order ([MS-DOC] 2.3), and how a location names them
_STORIES = (("ccpFtn", "脚注"), ("ccpHdd", "页眉"), ("ccpMcr", ""), ("ccpAtn", "批注"), ("ccpEdn", "尾注"),
            ("ccpTxbx", "文本框"), ("ccpHdrTxbx", "页眉文本框"))
# FibRgLw97: the index of each count; FibRgFcLcb97: the index of each (fc, lcb) pair
_RGLW = {"ccpText": 3, "ccpFtn": 4, "ccpHdd": 5, "ccpMcr": 6, "ccpAtn": 7, "ccpEdn": 8, "ccpTxbx": 9, "ccpHdrTxbx": 10}
_FC_PLCF_HDD, _FC_PLCF_BTE_CHPX, _FC_PLCF_BTE_PAPX, _FC_CLX = 11, 12, 13, 33


class _Fib:
    """The fields of a Word 97+ FIB that reading the text needs."""

    def __init__(self, wd: bytes, name: str):
        if len(wd) < 0x22 or struct.unpack_from("<H", wd, 0)[0] != 0xA5EC:
            raise InputError(name, "corrupt DOC (the WordDocument stream has no Word file header)")
        n_fib, flags = struct.unpack_from("<H", wd, 2)[0], struct.unpack_from("<H", wd, 0x0A)[0]
        self.encrypted = bool(flags & 0x0100)
        self.table = "1Table" if flags & 0x0200 else "0Table"
        if n_fib < 0x00C1 and not self.encrypted:
            raise InputError(name, "Word 6.0/95 document: not supported, save it as .docx")
        try:
            csw = struct.unpack_from("<H", wd, 0x20)[0]
            lw = 0x22 + 2 * csw + 2
            cslw = struct.unpack_from("<H", wd, lw - 2)[0]
            self.counts = {k: struct.unpack_from("<i", wd, lw + 4 * i)[0] if i < cslw else 0 for k, i in _RGLW.items()}
            fc = lw + 4 * cslw + 2
            n_pairs = struct.unpack_from("<H", wd, fc - 2)[0]
            self.pairs = [struct.unpack_from("<II", wd, fc + 8 * i) for i in range(min(n_pairs, _FC_CLX + 1))]
        except struct.error:
            raise InputError(name, "corrupt DOC (the file header is cut short)") from None
        if len(self.pairs) <= _FC_CLX:
            raise InputError(name, "corrupt DOC (the file header has no piece table)")

    def pair(self, index: int) -> tuple[int, int]:
        return self.pairs[index]


def _pieces(clx: bytes, name: str) -> list[tuple[int, int, int, bool]]:
    """The piece table of a CLX: (cp start, cp end, byte offset in WordDocument, compressed)."""
    pos = 0
    while pos < len(clx) and clx[pos] == 0x01:  # Prc: property modifiers, skipped
        if pos + 3 > len(clx):
            break
        pos += 3 + struct.unpack_from("<H", clx, pos + 1)[0]
    if pos + 5 > len(clx) or clx[pos] != 0x02:
        raise InputError(name, "corrupt DOC (no piece table in the CLX)")
    lcb = struct.unpack_from("<I", clx, pos + 1)[0]
    plc = clx[pos + 5: pos + 5 + lcb]
    n = (len(plc) - 4) // 12
    if n <= 0 or len(plc) < 4 + 12 * n:
        raise InputError(name, "corrupt DOC (empty piece table)")
    if n > MAX_PIECES:
        raise InputError(name, f"DOC has {n} text pieces, over the {MAX_PIECES} limit")
    cps = struct.unpack_from(f"<{n + 1}i", plc, 0)
    pieces = []
    for i in range(n):
        fc = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * i + 2)[0]
        compressed = bool(fc & 0x40000000)
        offset = (fc & 0x3FFFFFFF) // 2 if compressed else fc & 0x3FFFFFFF
        if cps[i + 1] > cps[i]:
            pieces.append((cps[i], cps[i + 1], offset, compressed))
    return pieces


def _piece_text(wd: bytes, piece, start: int, end: int) -> str:
    """CPs [start, end) of one piece."""
    cp0, _cp1, offset, compressed = piece
    if compressed:
        raw = wd[offset + start - cp0: offset + end - cp0]
        return raw.decode("latin-1").translate(_COMPRESSED)
    raw = wd[offset + 2 * (start - cp0): offset + 2 * (end - cp0)]
    return raw[: len(raw) & ~1].decode("utf-16-le", errors="replace")


def _fc_of(pieces, starts: list[int], cp: int) -> int | None:
    """The byte offset in WordDocument of the character at ``cp`` (``starts``: the pieces' first CPs)."""
    i = bisect.bisect_right(starts, cp) - 1
    if i < 0 or cp >= pieces[i][1]:
        return None
    cp0, _cp1, offset, compressed = pieces[i]
    return offset + (cp - cp0) * (1 if compressed else 2)


def _sprm_size(grpprl: bytes, pos: int, sprm: int) -> int:
    spra = sprm >> 13
    if spra == 6:
        if sprm == 0xD608:  # sprmTDefTable: a 2-byte size, the operand's remainder + 1
            return 1 + struct.unpack_from("<H", grpprl, pos)[0] if pos + 2 <= len(grpprl) else len(grpprl)
        return 1 + grpprl[pos] if pos < len(grpprl) else 1
    return {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}[spra]


_SPRM_IN_TABLE, _SPRM_TTP, _SPRM_ITAP = 0x2416, 0x2417, 0x6649


def _paragraph_table_marks(wd: bytes, table: bytes, fib: _Fib) -> list[tuple[int, int, bool, bool]] | None:
    """(fc start, fc end, in a table, a row end) of every paragraph run of the PAPX FKPs,
    sorted; None where the file has none readable."""
    fc, lcb = fib.pair(_FC_PLCF_BTE_PAPX)
    plc = table[fc: fc + lcb]
    n = (len(plc) - 4) // 8
    if n <= 0 or len(plc) < 4 + 8 * n:
        return None
    runs = []
    for i in range(min(n, MAX_PIECES)):
        pn = struct.unpack_from("<I", plc, 4 * (n + 1) + 4 * i)[0] & 0x3FFFFF
        page = wd[pn * 512: pn * 512 + 512]
        if len(page) < 512:
            continue
        crun = page[511]
        if 4 * (crun + 1) + 13 * crun > 511:
            continue
        rgfc = struct.unpack_from(f"<{crun + 1}I", page, 0)
        for k in range(crun):
            in_table = ttp = False
            offset = 2 * page[4 * (crun + 1) + 13 * k]
            if offset:
                cb = page[offset]
                start, size = (offset + 1, 2 * cb - 1) if cb else (offset + 2, 2 * page[offset + 1])
                grpprl = page[start + 2: start + size]  # (after the style index)
                pos = 0
                while pos + 2 <= len(grpprl):
                    sprm = struct.unpack_from("<H", grpprl, pos)[0]
                    value = grpprl[pos + 2] if pos + 2 < len(grpprl) else 0
                    if sprm == _SPRM_IN_TABLE:
                        in_table = bool(value)
                    elif sprm == _SPRM_TTP:
                        ttp = bool(value)
                    elif sprm == _SPRM_ITAP:
                        in_table = in_table or bool(value)
                    pos += 2 + _sprm_size(grpprl, pos + 2, sprm)
            runs.append((rgfc[k], rgfc[k + 1], in_table, ttp))
    runs.sort()
    return runs or None


_SPRM_CF_RMARK_DEL, _SPRM_CF_VANISH = 0x0800, 0x083C  # a tracked deletion, hidden text (toggles)


def _unseen_runs(wd: bytes, table: bytes, fib: _Fib) -> list[tuple[int, int]]:
    """(fc start, fc end) of the character runs of the CHPX FKPs that are tracked deletions or
    hidden text (sprmCFRMarkDel, sprmCFVanish on), sorted and merged; [] where there are none."""
    fc, lcb = fib.pair(_FC_PLCF_BTE_CHPX)
    plc = table[fc: fc + lcb]
    n = (len(plc) - 4) // 8
    if n <= 0 or len(plc) < 4 + 8 * n:
        return []
    runs: list[tuple[int, int]] = []
    for i in range(min(n, MAX_PIECES)):
        pn = struct.unpack_from("<I", plc, 4 * (n + 1) + 4 * i)[0] & 0x3FFFFF
        page = wd[pn * 512: pn * 512 + 512]
        if len(page) < 512:
            continue
        crun = page[511]
        if 5 * crun + 4 > 511:
            continue
        rgfc = struct.unpack_from(f"<{crun + 1}I", page, 0)
        for k in range(crun):
            offset = 2 * page[4 * (crun + 1) + k]
            if not offset or offset >= 511:
                continue
            grpprl = page[offset + 1: offset + 1 + page[offset]]
            pos, unseen = 0, False
            while pos + 2 <= len(grpprl):
                sprm = struct.unpack_from("<H", grpprl, pos)[0]
                if sprm in (_SPRM_CF_RMARK_DEL, _SPRM_CF_VANISH) and pos + 2 < len(grpprl):
                    unseen = unseen or grpprl[pos + 2] in (1, 0x81)
                pos += 2 + _sprm_size(grpprl, pos + 2, sprm)
            if unseen and rgfc[k + 1] > rgfc[k]:
                runs.append((rgfc[k], rgfc[k + 1]))
    runs.sort()
    merged: list[tuple[int, int]] = []
    for a, b in runs:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _hdd_labels(table: bytes, fib: _Fib, ccp_hdd: int) -> list[tuple[int, int, str]]:
    """(start, end, 页眉|页脚) of the header stories, relative to the header text; the
    first six stories are note separators, then six per section: even, odd header, even,
    odd footer, first-page header, footer ([MS-DOC] 2.9.185 PlcfHdd)."""
    fc, lcb = fib.pair(_FC_PLCF_HDD)
    n = lcb // 4
    if n < 2 or fc + lcb > len(table):
        return []
    cps = struct.unpack_from(f"<{n}i", table, fc)
    return [(cps[i], cps[i + 1], "页眉" if (i - 6) % 6 in (0, 1, 4) else "页脚")
            for i in range(6, n - 1) if cps[i + 1] > cps[i] and cps[i + 1] <= ccp_hdd]


class _DocText:
    """The text of a Word document as the audit reads it: paragraphs as lines, table rows
    as tab-separated cells (``Cell``), the stories outside the body as regions."""

    def __init__(self):
        self.parts: list[str] = []
        self.cells: list[Cell] = []
        self.regions: list[tuple[int, int, str]] = []
        self.pos = 0
        self.table_no = -1
        self.row_no = 0
        self.in_table = False
        self.row: list[str] = []
        self.cell: list[str] = []
        self.columns: int | None = None  # cells in the first row of the table
        self.previous = ""  # the last paragraph mark

    def _put(self, text: str) -> None:
        self.parts.append(text)
        self.pos += len(text)

    def paragraph(self, text: str, mark: str, in_table: bool, row_end: bool | None) -> None:
        """One paragraph ended by ``mark`` (``\\r`` or ``\\x07``); ``row_end`` None: unknown (no
        PAPX): an empty mark right after a cell's ends the row, unless the row has fewer cells
        than the table's first (then it is an empty cell)."""
        if row_end is None:
            row_end = (mark == "\x07" and not text and self.previous == "\x07" and not self.cell
                       and (self.columns is None or len(self.row) >= self.columns))
            in_table = in_table or bool(self.row)  # a paragraph inside a cell of the row under way
        self.previous = mark
        if row_end:
            self.end_row()
            return
        if mark == "\x07" or in_table:
            self.cell.append(text)
            if mark == "\x07":
                self.row.append(" ".join(self.cell))
                self.cell = []
            return
        self.flush()
        self._put(text + "\n")

    def end_row(self) -> None:
        if self.cell:
            self.row.append(" ".join(self.cell))
            self.cell = []
        if not self.row:
            return
        if not self.in_table:
            self.in_table, self.table_no, self.row_no, self.columns = True, self.table_no + 1, 0, len(self.row)
        for c, value in enumerate(self.row):
            value = value.replace("\n", " ").replace("\t", " ")
            if c:
                self._put("\t")
            self.cells.append(Cell(self.table_no, self.row_no, c, self.pos, self.pos + len(value)))
            self._put(value)
        self._put("\t\n" if len(self.row) < 2 else "\n")
        self.row, self.row_no = [], self.row_no + 1

    def flush(self) -> None:
        """Cells left without a row end (a cut-short table) as a row; the table ends."""
        if self.row or self.cell:
            self.end_row()
        self.in_table, self.columns = False, None

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _story(raw: str, cp0: int, marks, pieces, out: _DocText, published_fields: bool, unseen_runs=()) -> None:
    """Feed the characters of one story (``raw`` starts at CP ``cp0``) to ``out``: fields
    reduced to their results, control characters dropped, paragraphs split at their marks.
    The characters of ``unseen_runs`` (fc ranges: tracked deletions, hidden text) go after
    their paragraph's shown text and a space, each deletion apart: read where they stood, an
    ID replaced by its masked form with Track Changes on ran into it and neither was found."""
    fcs = [m[0] for m in marks] if marks else None
    starts = [p[0] for p in pieces]
    unseen_starts = [r[0] for r in unseen_runs]
    fields: list[list] = []  # [in result, code characters]
    buf: list[str] = []
    unseen: list[str] = []
    shown_since = False
    for i, ch in enumerate(raw):
        o = ord(ch)
        if o == 0x13:
            fields.append([False, []])
            continue
        if o == 0x14 or o == 0x15:
            if fields:
                field = fields.pop() if o == 0x15 else fields[-1]
                code = "".join(field[1])
                outer = fields[:-1] if o == 0x14 else fields
                if not field[0] and published_fields and all(f[0] for f in outer) and any(d in code.lower() for d in _DIALLED):
                    buf.append(" " + _field_target(code) + " ")  # the address a HYPERLINK field dials
                field[0] = True
            continue
        if fields and not all(f[0] for f in fields):
            if ch not in "\r\x07":
                fields[-1][1].append(ch)
                continue
        if ch == "\r" or ch == "\x07":
            in_table, row_end = False, None
            if fcs is not None:
                row_end = False
                fc = _fc_of(pieces, starts, cp0 + i)
                if fc is not None:
                    k = bisect.bisect_right(fcs, fc) - 1
                    if k >= 0 and fc < marks[k][1]:
                        in_table, row_end = marks[k][2], marks[k][3] and ch == "\x07"
            if unseen:
                buf.append(" " + "".join(unseen))
                unseen, shown_since = [], False
            out.paragraph("".join(buf).translate(_DOC_CONTROL), ch, in_table, row_end)
            buf = []
            continue
        if unseen_runs:
            fc = _fc_of(pieces, starts, cp0 + i)
            k = bisect.bisect_right(unseen_starts, fc) - 1 if fc is not None else -1
            if k >= 0 and fc < unseen_runs[k][1]:
                if unseen and shown_since:
                    unseen.append(" ")
                unseen.append(ch)
                shown_since = False
                continue
            shown_since = True
        buf.append(ch)
    if unseen:
        buf.append(" " + "".join(unseen))
    if buf:
        out.paragraph("".join(buf).translate(_DOC_CONTROL), "\r", False, False)
    out.flush()


def _field_target(code: str) -> str:
    """The dialled address of a field's code (``HYPERLINK "mailto:a@b.cn"`` -> mailto:a@b.cn)."""
    import re

    m = re.search(r'"?((?:tel|mailto|sms):[^"\s]*)', code, re.I)
    return m.group(1) if m else code.strip()


def extract_doc(source: Source, published: bool = True) -> Extracted:
    """The text of a Word 97-2003 (or WPS) document: the body, its tables as cells, then the
    footnotes, headers and footers, comments, endnotes and text boxes (``"part"``).  With
    ``published`` (the audit and mask: what the file holds) also the address of each
    ``HYPERLINK "mailto:…"`` field, where it stands; ``review`` reads the text as shown."""
    try:
        return _extract_doc(source, published)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a structure this reader did not expect: one line, never a traceback
        raise InputError(source.name, f"corrupt DOC ({type(exc).__name__})") from None


def _extract_doc(source: Source, published: bool) -> Extracted:
    name = source.name
    ole = _open_ole(source.data)
    if ole is None:
        raise InputError(name, "corrupt DOC (not a valid OLE compound file)")
    try:
        with ole:
            if not ole.exists("WordDocument"):
                raise InputError(name, "not a Word document (no WordDocument stream)")
            wd = ole.openstream("WordDocument").read()
            fib = _Fib(wd, name)
            if fib.encrypted:
                raise InputError(name, "password-protected DOC (encrypted document)")
            if not ole.exists(fib.table):
                raise InputError(name, f"corrupt DOC (no {fib.table} stream)")
            table = ole.openstream(fib.table).read()
            # Excel sheets pasted as objects: each keeps its whole workbook in the ObjectPool
            pool = [path for path in ole.listdir()
                    if len(path) == 3 and path[0] == "ObjectPool" and path[2] in ("Workbook", "Book")]
            objects = [(path[1], ole.openstream(path).read()) for path in pool[:MAX_OBJECTS]]
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - olefile on a cut-short stream
        raise InputError(name, f"corrupt DOC ({type(exc).__name__} reading its streams)") from None
    fc, lcb = fib.pair(_FC_CLX)
    if not lcb or fc + lcb > len(table):
        raise InputError(name, "corrupt DOC (the piece table lies outside the table stream)")
    pieces = _pieces(table[fc: fc + lcb], name)
    for p in pieces:
        if p[2] + (p[1] - p[0]) * (1 if p[3] else 2) > len(wd):
            raise InputError(name, "corrupt DOC (a text piece lies outside the WordDocument stream; truncated file?)")
    counts = fib.counts
    total = counts["ccpText"] + sum(max(counts[k], 0) for k, _label in _STORIES)
    if counts["ccpText"] < 0 or total > MAX_CHARS:
        raise InputError(name, f"DOC holds {total:,} characters, over the {MAX_CHARS:,} limit" if total > MAX_CHARS
                         else "corrupt DOC (negative text length)")
    try:
        marks = _paragraph_table_marks(wd, table, fib)
    except (struct.error, IndexError):
        marks = None
    try:
        unseen_runs = _unseen_runs(wd, table, fib) if published else []
    except (struct.error, IndexError):
        unseen_runs = []
    raw = _cp_text(wd, pieces, 0, total)
    if marks and not any(m[3] for m in marks) and "\x07" in raw:
        marks = None  # cell marks but no row end found in the PAPX: rows from the marks alone
    out = _DocText()
    _story(raw[: counts["ccpText"]], 0, marks, pieces, out, published, unseen_runs)
    cp = counts["ccpText"]
    for key, label in _STORIES:
        n = max(counts[key], 0)
        if n and label:
            stories = _hdd_labels(table, fib, n) if key == "ccpHdd" else [(0, n, label)]
            for a, b, part in stories or [(0, n, label)]:
                start = out.pos
                _story(raw[cp + a: cp + b], cp + a, marks, pieces, out, published, unseen_runs)
                if out.pos > start and out.text[start:].strip():
                    if out.regions and out.regions[-1][2] == part and out.regions[-1][1] == start:
                        out.regions[-1] = (out.regions[-1][0], out.pos, part)
                    else:
                        out.regions.append((start, out.pos, part))
        cp += n
    text, cells = out.text, list(out.cells)
    unread: list[str] = []
    for storage, data in objects:
        text, cells = _with_object(source, storage, data, text, cells, unread)
    if len(pool) > MAX_OBJECTS:
        unread.append(f"embedded files: {len(pool) - MAX_OBJECTS} not read (over {MAX_OBJECTS} embedded workbooks)")
    if not text.strip():
        raise InputError(name, "empty DOC (no text)")
    meta = {"regions": tuple(out.regions)} if out.regions else {}
    if unread:  # (the audit is then never compliant)
        meta["unread"] = tuple(unread)
    return Extracted(source, text, "doc", cells=tuple(cells), meta=meta)


def _with_object(source: Source, storage: str, data: bytes, text: str, cells: list, unread: list[str]) -> tuple[str, list]:
    """``text`` and ``cells`` with the workbook of an embedded object after them, under a line
    naming it, its cells located as sheet ``嵌入对象 STORAGE/SHEET`` (the audit's name for an
    embedded workbook's cells); one that cannot be read is named with its reason, in the text
    and in ``unread`` (the audit of a .doc whose pasted workbook could not be read was
    compliant).  The document and its workbooks hold at most ``MAX_CELLS`` cells in all.  xlrd
    reads the object's Workbook stream as it is (a BIFF stream outside a compound file)."""
    from . import office

    prefix = f"嵌入对象 {storage}"
    outer = office.CELL_ALLOWANCE.get()  # (what is left of a file this .doc is attached to)
    allowance = office.CELL_ALLOWANCE.set(min(office.MAX_CELLS, office.MAX_CELLS if outer is None else outer) - len(cells))
    try:
        sub = extract_xls(Source(f"{source.name}:{storage}", data))
    except InputError as exc:
        if exc.reason.startswith("empty "):  # (a workbook without cells: nothing unread)
            return text + f"【{prefix}：空文件】\n", cells
        unread.append(f"embedded file {storage}: {'not read' if isinstance(exc, office.OverBudget) else 'cannot be read'} ({exc.reason})")
        return text + f"【{prefix}：无法读取（{exc.reason}）】\n", cells
    finally:
        office.CELL_ALLOWANCE.reset(allowance)
    text += f"【{prefix}】\n"
    pos = len(text)
    cells = cells + [Cell(c.table, c.row, c.col, c.start + pos, c.end + pos, sheet=f"{prefix}/{c.sheet}", ref=c.ref)
                     for c in sub.cells]
    return text + sub.text, cells


def _cp_text(wd: bytes, pieces, start: int, end: int) -> str:
    """CPs [start, end) of the document, across pieces (a CP no piece holds is left out)."""
    parts = []
    for piece in pieces:
        a, b = max(start, piece[0]), min(end, piece[1])
        if a < b:
            parts.append(_piece_text(wd, piece, a, b))
    return "".join(parts)


# ---------------------------------------------------------------- RTF (a .doc that is RTF)

_RTF_TOKEN = re.compile(r"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|[\r\n]+|([^\\{}\r\n]+)", re.S)
# destinations whose text is not shown (tables of fonts, colours, styles, document info, pictures …)
_RTF_SKIP = frozenset(("fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "listtable", "listoverridetable",
                       "rsidtbl", "generator", "xmlnstbl", "themedata", "colorschememapping", "datastore",
                       "latentstyles", "filetbl", "revtbl", "fldinst", "bkmkstart", "bkmkend", "footnote_sep"))
_RTF_SYMBOLS = {"~": " ", "-": "", "_": "-", "{": "{", "}": "}", "\\": "\\", "\t": "\t"}
_RTF_WORDS = {"tab": "\t", "line": "\n", "emdash": "—", "endash": "–", "bullet": "•", "lquote": "‘", "rquote": "’",
              "ldblquote": "“", "rdblquote": "”", "emspace": " ", "enspace": " ", "qmspace": " "}


def extract_rtf(source: Source) -> Extracted:
    """RTF as ``_extract_rtf`` reads it; anything unexpected is one line, never a traceback."""
    try:
        return _extract_rtf(source)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise InputError(source.name, f"corrupt RTF ({type(exc).__name__})") from None


def _extract_rtf(source: Source) -> Extracted:
    """An RTF file (what many a CMS or WPS saves under a .doc name): paragraphs as lines,
    table rows (``\\intbl`` … ``\\cell`` … ``\\row``) as cells; ``\\'hh`` bytes decoded in
    the file's code page (``\\ansicpg936``: GBK), ``\\uN`` characters, hidden destinations
    (fonts, styles, pictures, field instructions) skipped."""
    data = source.data
    m = re.search(rb"\\ansicpg(\d+)", data[:4096])
    codepage = f"cp{m.group(1).decode()}" if m else ("gbk" if b"\\fcharset134" in data[:65536] else "cp1252")
    try:
        "".encode(codepage)
    except LookupError:
        codepage = "cp1252"
    text = data.decode("latin-1")
    out = _DocText()
    buf: list[str] = []
    pending = bytearray()  # \'hh bytes, decoded together (a GBK character is two)
    stack: list[tuple[bool, int, bool]] = []
    skip, uc, to_skip, in_table = False, 1, 0, False
    total = 0
    # tracked deletions (\deleted) and hidden text (\v): in the file, not shown.  Read where they
    # stood, an ID replaced by its masked form ran into it (neither found, the file compliant);
    # they are read after their paragraph's shown text and a space, each deletion apart (as a
    # DOCX's: scanner.extract.documents.docx_text_nodes)
    unseen, deleted, hidden = False, False, False
    unseen_buf: list[str] = []
    shown_since = False

    def flush_bytes() -> None:
        if pending:
            add(pending.decode(codepage, errors="replace"))
            pending.clear()

    def add(piece: str) -> None:
        nonlocal shown_since
        if not unseen:
            buf.append(piece)
            shown_since = True
            return
        if unseen_buf and shown_since:
            unseen_buf.append(" ")
        unseen_buf.append(piece)
        shown_since = False

    def set_unseen(value: bool) -> None:
        nonlocal unseen
        if value != unseen:
            flush_bytes()  # (bytes of the other state are decoded where they belong)
            unseen = value

    def end(mark: str, row_end: bool = False) -> None:
        nonlocal total
        nonlocal shown_since
        flush_bytes()
        if unseen_buf:
            buf.append(" " + "".join(unseen_buf))
            unseen_buf.clear()
        shown_since = False
        line = "".join(buf).translate(_DOC_CONTROL)
        total += len(line)
        if total > MAX_CHARS:
            raise InputError(source.name, f"RTF holds more than {MAX_CHARS:,} characters (limit)")
        out.paragraph(line, mark, in_table or mark == "\x07", row_end)
        buf.clear()

    pos, n = 0, len(text)
    while pos < n:
        m = _RTF_TOKEN.match(text, pos)
        if m is None:  # a lone backslash at the end
            break
        pos = m.end()
        word, arg, hexbyte, symbol, brace, plain = m.groups()
        if brace == "{":
            stack.append((skip, uc, deleted, hidden))
            if len(stack) > 10_000:
                raise InputError(source.name, "corrupt RTF (groups nested too deep)")
            continue
        if brace == "}":
            # pending bytes are not decoded here: a writer may close a group between the two
            # bytes of a GBK character ({\'cd}{\'f5}: each byte read alone was U+FFFD, the name lost)
            skip, uc, deleted, hidden = stack.pop() if stack else (skip, uc, deleted, hidden)
            set_unseen(deleted or hidden)
            continue
        if word == "bin" and arg:  # binary data: skipped unread
            pos += max(int(arg), 0)
            continue
        if skip:
            continue
        if hexbyte is not None:
            if to_skip:
                to_skip -= 1
            else:
                pending.append(int(hexbyte, 16))
            continue
        if plain is not None or m.group(0)[:1] in "\r\n":
            if plain:
                if to_skip:
                    cut = min(to_skip, len(plain))
                    plain, to_skip = plain[cut:], to_skip - cut
                flush_bytes()
                add(plain)
            continue
        to_skip = 0
        if symbol is not None:
            if symbol == "*":
                skip = True  # an ignorable destination
            elif symbol in _RTF_SYMBOLS:
                flush_bytes()
                add(_RTF_SYMBOLS[symbol])
            continue
        if word in _RTF_SKIP:
            skip = True
        elif word == "u" and arg:
            flush_bytes()
            value = int(arg)
            add(chr(value + 65536 if value < 0 else value))
            to_skip = uc
        elif word == "uc" and arg:
            uc = max(int(arg), 0)
        elif word in ("par", "sect", "page"):
            end("\r")
        elif word == "cell" or word == "nestcell":
            end("\x07")
        elif word == "row" or word == "nestrow":
            end("\x07", row_end=True)
        elif word == "intbl":
            in_table = True
        elif word == "pard":
            in_table = False
        elif word in ("deleted", "v", "plain"):
            on = word != "plain" and arg != "0"
            if word == "deleted":
                deleted = on
            elif word == "v":
                hidden = on
            else:
                deleted = hidden = False
            set_unseen(deleted or hidden)
        elif word in _RTF_WORDS:
            flush_bytes()
            add(_RTF_WORDS[word])
    if buf or pending or unseen_buf:
        end("\r")
    out.flush()
    if not out.text.strip():
        raise InputError(source.name, "empty RTF (no text)")
    return Extracted(source, out.text, "rtf", cells=tuple(out.cells))
