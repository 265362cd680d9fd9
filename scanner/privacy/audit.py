"""The auditor's file audit: ``govscan privacy audit PATH...``.

One record per file::

    {"path", "format", "verdict": "violation"|"compliant"|"unreadable", "reason",
     "items": [{"entity", "masked", "value_masked", "location", "score", "violation", "rule"}]}

``location`` is ``{"sheet","cell"}`` in XLSX, ``{"table","row","col"}`` in DOCX, HTML
and CSV tables, ``{"page","start","end"}`` in PDF (offsets inside the page's text) and
``{"start","end"}`` (offsets of the extracted text) elsewhere.  ``value_masked`` writes
each hidden character as ``*``: no record ever holds an unmasked value.  A file that
cannot be read (corrupt, password-protected, a ZIP bomb, over the size limits, an
image-only PDF, an extension that lies about the content, empty) is ``unreadable`` with
its reason, and the audit goes on with the next file.
"""
from __future__ import annotations

import dataclasses
import functools
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..checks.excerpt import mask_text
from ..checks.pii.analyzer import get_pii_analyzer
from ..errors import InputError
from ..extract.ofd import MAX_ATTACHMENTS
from ..extract import office as _office
from ..extract.office import (
    CELL_ALLOWANCE,
    MAX_FILE_BYTES,
    OverBudget,
    check_zip,
    column_gaps_as_tabs,
    extract_csv,
    extract_html_structured,
    extract_pdf,
    extract_xlsx,
    html_of_mht,
    sniff,
)
from ..types import CellTable, Document, Extracted, Source
from .policy import LABELS, Judged, Policy, judge, suspected_label
from .wrapped import rejoin_wrapped

AUDIT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".shtml", ".csv", ".xlsx", ".docx", ".pdf", ".xls", ".et", ".doc", ".wps", ".rtf", ".mht", ".mhtml", ".ofd")
# documents a directory's audit lists too: macro-enabled workbooks and documents (read as
# XLSX/DOCX), and formats it cannot read, each an `unreadable` record with its reason (a
# 名单.xls or .ofd beside readable files was skipped without a word, the folder compliant)
LISTED_SUFFIXES = AUDIT_SUFFIXES + (".xlsm", ".docm", ".dps", ".ppt", ".pptx", ".pptm", ".pps", ".ppsx", ".xlsb",
                                    ".odt", ".ods", ".odp", ".zip", ".rar", ".7z")
# ZIP packages the audit does not read, named by what they hold (an .odt or .ods saved by
# LibreOffice or WPS in a folder of attachments was passed over without a word; given by name
# it was "a ZIP archive that is not XLSX or DOCX")
_ODF_KINDS = {"text": ("OpenDocument text (.odt)", ".docx or PDF"),
              "spreadsheet": ("OpenDocument spreadsheet (.ods)", ".xlsx"),
              "presentation": ("OpenDocument presentation (.odp)", "PDF")}
_ZIP_MEMBERS = (("ppt/presentation.xml", "PowerPoint presentation (.pptx)", "PDF"),
                ("xl/workbook.bin", "Excel binary workbook (.xlsb)", ".xlsx"))
_LEGACY = {"xls", "doc"}  # binary Excel/Word 97-2003 (scanner.extract.legacy)
_EXT_FORMAT = {".xls": "xls", ".et": "xls", ".doc": "doc", ".wps": "doc", ".xlsx": "xlsx", ".docx": "docx", ".pdf": "pdf", ".ofd": "ofd", ".csv": "csv", ".html": "html", ".htm": "html", ".txt": "txt"}
_BINARY = {"xlsx", "docx", "pdf", "ofd"}


@dataclasses.dataclass(frozen=True, slots=True)
class AuditRecord:
    path: str
    format: str
    verdict: str
    reason: str
    items: tuple[dict, ...] = ()
    # (not in the JSON: the reader's own English, for the web API to tell in Chinese with codes)
    unread: tuple[str, ...] = ()  # the parts not read (meta["unread"]), as listed after 未能读取
    read_error: str = ""  # why the file itself could not be read (InputError.reason)

    def to_dict(self) -> dict:
        return {"path": self.path, "format": self.format, "verdict": self.verdict, "reason": self.reason, "items": list(self.items)}


def read_file(path: str) -> Source:
    """The file's bytes (the pipeline's reader, with the audit's size limit)."""
    from ..pipeline import read_source

    return read_source(path, MAX_FILE_BYTES)


def extract_for_audit(source: Source) -> Extracted:
    """Extract any audited format, or raise InputError with the reason."""
    from ..extract.documents import extract_docx
    from ..text.decode import decode_bytes

    fmt = sniff(source)
    claimed = _EXT_FORMAT.get(Path(source.name).suffix.lower())
    if fmt == "empty":
        raise InputError(source.name, "empty file")
    if fmt == "ole-encrypted":
        raise InputError(source.name, "password-protected (encrypted Office file)")
    if fmt == "ole":  # neither a workbook nor a Word document (a .ppt), or corrupt
        from ..extract.legacy import ole_reason

        raise InputError(source.name, ole_reason(source.data))
    if fmt == "zip-corrupt" and claimed in ("xlsx", "docx"):
        raise InputError(source.name, f"corrupt {claimed.upper()} (not a valid ZIP archive)")
    if fmt == "ofd" and claimed in (None, "ofd") or claimed == "ofd" and fmt in ("zip", "zip-corrupt"):
        from ..extract.ofd import extract_ofd  # (a .ofd that is no OFD package: says why)

        return _with_embedded(extract_ofd(source))  # (and its attached files)
    if fmt == "zip" and (kind := _zip_kind(source.data)):
        raise InputError(source.name, f"{kind[0]}: not supported, save it as {kind[1]}")
    if fmt in ("zip", "zip-corrupt", "binary"):
        what = {"zip": "a ZIP archive that is not XLSX or DOCX", "zip-corrupt": "a corrupt ZIP archive", "binary": "binary data"}[fmt]
        raise InputError(source.name, f"not a readable document ({what})")
    if claimed in _BINARY and fmt != claimed and fmt not in _LEGACY:
        raise InputError(source.name, f"extension says {claimed.upper()} but the content is {fmt.upper()}")
    if claimed in ("csv", "txt", "html") and (fmt in _BINARY or fmt in _LEGACY):
        raise InputError(source.name, f"extension says {claimed.upper()} but the content is {fmt.upper()}")
    if fmt in _LEGACY:  # Excel/Word 97-2003 and WPS .et/.wps, read as what they are whatever the name says
        from ..extract.legacy import extract_doc, extract_xls

        return extract_xls(source) if fmt == "xls" else extract_doc(source)
    if fmt == "mht":  # a web archive (Word's "single file web page", often named .doc): its page
        return dataclasses.replace(extract_html_structured(Source(source.name, html_of_mht(source.data))),
                                   source=source, format="mht")
    if fmt == "rtf":  # (a .doc that is RTF, as WPS and many a CMS save it)
        from ..extract.legacy import extract_rtf

        return extract_rtf(source)
    if fmt == "xlsx":
        return _with_properties(_with_embedded(extract_xlsx(source)))
    if fmt == "docx":
        check_zip(source, "DOCX")
        # (its own text may be empty: a CMS export holds the page as an HTML chunk)
        extracted = _with_embedded(extract_docx(source, links=True, allow_empty=True))
        if not extracted.text.strip():
            raise InputError(source.name, "empty DOCX (no text)")
        return _with_properties(extracted)
    if fmt == "pdf":
        return _with_properties(_with_embedded(extract_pdf(source)))  # (and its attached files)
    if fmt == "csv":
        return extract_csv(source)
    if fmt == "html":
        return extract_html_structured(source)
    text, enc = decode_bytes(source.data, source.name)
    if source.name == "-" and _csv_like(text):  # standard input has no name to say it is a CSV
        return extract_csv(source)
    # columns aligned with spaces (a table saved as text) read as cells, as in a PDF: the first
    # space of each run of 2+ inside a line becomes a tab (same length; mask writes the spaces)
    text = column_gaps_as_tabs(text)
    return Extracted(source, text, "md" if source.name.lower().endswith((".md", ".markdown")) else "txt", encoding=enc)


PROPERTIES_PART = "文档属性"
_PROPERTIES = (("title", "标题"), ("subject", "主题"), ("keywords", "关键词"), ("description", "备注"))


def _document_properties(extracted: Extracted) -> list[tuple[str, str]]:
    """(label, value) of a PDF's, DOCX's or XLSX's title, subject, keywords and description
    (PDF: the Info dictionary; OOXML: ``docProps/core.xml``); none when they cannot be read."""
    values: dict[str, str] = {}
    try:
        if extracted.format == "pdf":
            from pypdf import PdfReader

            info = PdfReader(io.BytesIO(extracted.source.data)).metadata or {}
            values = {key: str(info.get("/" + key.capitalize()) or "") for key, _label in _PROPERTIES}
        else:
            with zipfile.ZipFile(io.BytesIO(extracted.source.data)) as zf:
                if "docProps/core.xml" not in zf.namelist() or zf.getinfo("docProps/core.xml").file_size > 1 << 20:
                    return []
                from ..extract.office import _xml

                root = _xml(zf.read("docProps/core.xml"))
                for el in root:
                    key = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
                    if key in dict(_PROPERTIES) and el.text:
                        values[key] = el.text
    except Exception:  # noqa: BLE001 - damaged properties: the file's text was read
        return []
    return [(label, " ".join(values.get(key, "").split())[:2000]) for key, label in _PROPERTIES]


def _with_properties(extracted: Extracted) -> Extracted:
    """The file's title, subject, keywords and description holding a digit or an @, each a
    line after its text (``{"part": "文档属性"}``): Explorer, Word, Excel and a browser's PDF
    tab show them, and a PDF exported by WPS is titled with its document's name, so
    ``王芳11010519491231002X申请表`` travelled in the title of a file masked inside (compliant).
    ``mask`` does not rewrite them: the copy's re-audit reports one (exit 1)."""
    lines = [f"{label}：{value}" for label, value in _document_properties(extracted)
             if value and any(ch.isdigit() or ch in "@＠" for ch in value)]
    if not lines:
        return extracted
    own = extracted.text if extracted.text.endswith("\n") or not extracted.text else extracted.text + "\n"
    added = "\n".join(lines) + "\n"
    regions = tuple(extracted.meta.get("regions", ())) + ((len(own), len(own) + len(added), PROPERTIES_PART),)
    meta = {**extracted.meta, "regions": regions, "embedded_from": extracted.meta.get("embedded_from", len(own))}
    return dataclasses.replace(extracted, text=own + added, meta=meta)


def _csv_like(text: str) -> bool:
    """Whether a text without a name (standard input) is a CSV: its first lines (up to 20, at
    least 2) split into the same number of cells, 2 or more, at a comma, semicolon or bar.  A
    名单.csv piped in was read as text: no name column, its home phones "not in a person's
    record", compliant (the same file named was a violation)."""
    import csv

    lines = [line for line in text[:8192].splitlines() if line.strip()][:20]
    if len(lines) < 2:
        return False
    for delimiter in ",;|":
        counts = {len(row) for row in csv.reader(lines, delimiter=delimiter)}
        if len(counts) == 1 and counts.pop() >= 2:
            return True
    return False


def _zip_kind(data: bytes) -> tuple[str, str] | None:
    """(what, save it as) of an OpenDocument file, a .pptx or an .xlsb, by its members; None
    for another ZIP archive."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:  # OpenDocument: its first member names the kind (read at most 100 bytes)
                with zf.open("mimetype") as fh:
                    mimetype = fh.read(100).decode("ascii", "replace")
                if mimetype.startswith("application/vnd.oasis.opendocument."):
                    kind = mimetype.rsplit(".", 1)[-1].strip()
                    if kind in _ODF_KINDS:
                        return _ODF_KINDS[kind]
            for member, what, save_as in _ZIP_MEMBERS:
                if member in names:
                    return what, save_as
    except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, ValueError):
        return None
    return None


EMBEDDED = "嵌入对象 "  # the sheet name prefix of an embedded workbook's or document's cells
_EMBEDDED_DIRS = ("word/embeddings/", "xl/embeddings/")
EMBED_DEPTH = 3  # files inside files read this deep (a PDF attached to a PDF holding 名单.xlsx: 2)
# what is read of the files inside a file (an HTML or MHT chunk of a DOCX; .bin: an Office object)
_READ_INSIDE = (".xlsx", ".xlsm", ".docx", ".xls", ".doc", ".bin", ".pdf", ".csv", ".txt", ".htm", ".html", ".mht", ".mhtml")


@dataclasses.dataclass
class _EmbedBudget:
    """What is left to read of the files inside one audited file, nested ones included: a
    file and everything inside it hold at most ``office.MAX_CELLS`` cells and
    ``office.MAX_CHARS`` characters, one file's limits, and the files inside it are at most
    ``MAX_ATTACHMENTS`` and ``MAX_FILE_BYTES`` in all (each had one file's limits: a PDF with
    3 attached CSVs of 1.9 M cells took 247 s and 2.8 GB, and 50 such fit in a 64 MB PDF)."""

    cells: int
    chars: int
    files: int = MAX_ATTACHMENTS
    data: int = MAX_FILE_BYTES

    def over(self, size: int) -> str | None:
        """Why a file of ``size`` bytes is not read, or None."""
        if self.files <= 0:
            return f"over {MAX_ATTACHMENTS} files inside the file in all (limit)"
        if size > self.data:
            return f"the files inside the file over {MAX_FILE_BYTES >> 20} MB in all (limit)"
        if self.cells <= 0:
            return OverBudget("", "cells", _office.MAX_CELLS).reason
        if self.chars <= 0:
            return OverBudget("", "characters", _office.MAX_CHARS).reason
        return None


def embedded_files(extracted: Extracted) -> Extracted:
    """A DOCX's embedded workbooks, documents and files (``_with_embedded``) after its text, for
    ``govscan review`` (whose own reader reads the HTML parts a DOCX imports, w:altChunk, in place:
    they are not repeated here)."""
    return _with_embedded(extracted, chunks=False)


def _with_embedded(extracted: Extracted, budget: _EmbedBudget | None = None, depth: int = 1, chunks: bool = True) -> Extracted:
    """The text of the workbooks and documents embedded in a DOCX or XLSX (an Excel table
    pasted as an object: the page shows a picture of it, the file holds the whole workbook,
    columns not shown included), and of the files attached to a PDF or an OFD, after the
    file's own, each under a line naming it; their cells are located as sheet
    ``嵌入对象 NAME/SHEET`` (``嵌入对象 NAME`` and 表/行/列 for a document).  The files inside
    those are read too, ``EMBED_DEPTH`` levels deep (``嵌入对象 附件.pdf/嵌入对象 名单.xlsx/…``),
    all of them within one budget (``_EmbedBudget``).  Whatever is not read — a file that
    cannot be read (damaged, encrypted, an image), one over the budget or deeper than
    ``EMBED_DEPTH``, and what such a file could not read itself — is a line of
    ``meta["unread"]`` naming it, so the audit is never ``compliant`` (a PDF with a damaged
    名单.xlsx attached, or a PDF attached to it holding one, was compliant)."""
    from ..extract.documents import extract_docx

    if budget is None:  # (the file's own cells and characters count)
        budget = _EmbedBudget(_office.MAX_CELLS - len(extracted.cells), _office.MAX_CHARS - len(extracted.text))
    embedded: list[tuple[str, bytes]] = []
    try:
        if extracted.format in ("pdf", "ofd"):  # (their attached files, read by their extractors)
            raise zipfile.BadZipFile
        with zipfile.ZipFile(io.BytesIO(extracted.source.data)) as zf:
            members = [i for i in zf.infolist() if i.filename.startswith(_EMBEDDED_DIRS)
                       and i.filename.lower().endswith((".xlsx", ".xlsm", ".docx", ".xls", ".doc", ".bin"))
                       # a DOCX that a CMS exported as an HTML "alternative chunk" (w:altChunk):
                       # Word shows the page, document.xml holds none of its text
                       or chunks and extracted.format == "docx" and i.filename.startswith("word/")
                       and i.filename.lower().endswith((".htm", ".html", ".mht", ".mhtml"))]
            embedded = [(i.filename.rsplit("/", 1)[-1], zf.read(i)) for i in members]
    except (zipfile.BadZipFile, OSError):
        if extracted.format not in ("pdf", "ofd"):
            return extracted
    # an OFD's or a PDF's attached files (Attachs: an 电子公文's 附件; EmbeddedFiles), as embedded objects are
    embedded += list(extracted.meta.get("attachments", ()))
    if not embedded:
        return extracted
    what = "attachment" if extracted.format in ("pdf", "ofd") else "embedded file"
    unread = list(extracted.meta.get("unread", ()))
    parts = [extracted.text]
    cells = extracted.cells.copy() if isinstance(extracted.cells, CellTable) else CellTable(extracted.cells)
    pos = len(extracted.text)

    def line(text: str) -> None:
        nonlocal pos
        parts.append(text)
        pos += len(text)

    for name, data in embedded:
        sub_source = Source(f"{extracted.source.name}:{name}", data)
        legacy = name.lower().endswith((".xls", ".doc", ".bin"))  # an Excel/Word 97-2003 object (oleObject1.bin …)
        if legacy:
            from ..extract.legacy import OLE_MAGIC, extract_doc, extract_xls, ole_kind

            kind = ole_kind(data) if data.startswith(OLE_MAGIC) else "ole"
            if kind not in ("xls", "doc") and name.lower().endswith(".bin"):
                package = _ole_package(data)
                if package is not None:  # a file inserted as an object (名单.csv shown as an icon)
                    embedded.append(package)
                continue  # an OLE object that is no workbook or document (an equation …)
        if not data.strip():  # an empty file holds nothing to audit
            line(f"【{EMBEDDED}{name}：空文件】\n")
            continue
        if not name.lower().endswith(_READ_INSIDE):  # (a package's picture, archive …)
            unread.append(f"{what} {name}: not read (the audit reads {' '.join(_READ_INSIDE)})")
            continue
        if depth > EMBED_DEPTH:
            unread.append(f"{what} {name}: not read (files inside files are read {EMBED_DEPTH} levels deep)")
            continue
        if (why := budget.over(len(data))) is not None:
            unread.append(f"{what} {name}: not read ({why})")
            continue
        budget.files -= 1
        budget.data -= len(data)
        allowance = CELL_ALLOWANCE.set(budget.cells)
        try:
            if legacy:
                reader = {"xls": extract_xls, "doc": extract_doc}.get(kind)
                sub = (reader or (extract_xls if name.lower().endswith(".xls") else extract_doc))(sub_source)
            elif name.lower().endswith((".xlsx", ".xlsm")):
                sub = extract_xlsx(sub_source)
            elif name.lower().endswith(".docx"):
                sub = extract_docx(sub_source, links=True)
            elif name.lower().endswith((".pdf", ".csv")):  # (an OFD's or a PDF's attachment)
                sub = extract_pdf(sub_source) if name.lower().endswith(".pdf") else extract_csv(sub_source)
            elif name.lower().endswith(".txt"):  # (a package's)
                from ..text.decode import decode_bytes

                text, enc = decode_bytes(data, sub_source.name)
                if not text.strip():
                    raise InputError(sub_source.name, "empty file")
                sub = Extracted(sub_source, column_gaps_as_tabs(text), "txt", encoding=enc)
            else:
                sub = extract_html_structured(Source(sub_source.name, html_of_mht(data)))
            if len(sub.text) > budget.chars:
                raise OverBudget(sub_source.name, "characters", _office.MAX_CHARS)
            budget.cells -= len(sub.cells)
            budget.chars -= len(sub.text)
            if name.lower().endswith((".xlsx", ".xlsm", ".docx", ".pdf")):  # the files inside it, one level deeper
                sub = _with_embedded(sub, budget, depth + 1)
        except OverBudget as exc:  # (cut short: it is not read, nor is any file after it)
            setattr(budget, "cells" if exc.what == "cells" else "chars", 0)
            unread.append(f"{what} {name}: not read ({exc.reason})")
            continue
        except InputError as exc:
            if exc.reason.startswith("empty "):  # (an object with no text or cells: nothing unread)
                line(f"【{EMBEDDED}{name}：空文件】\n")
                continue
            line(f"【{EMBEDDED}{name}：无法读取（{exc.reason}）】\n")
            unread.append(f"{what} {name}: cannot be read ({exc.reason})")
            continue
        finally:
            CELL_ALLOWANCE.reset(allowance)
        unread.extend(f"{name} > {u}" for u in sub.meta.get("unread", ()))  # (what it could not read itself)
        line(f"【{EMBEDDED}{name}】\n")
        cells.extend_inside(CellTable.of(sub.cells), pos, f"{EMBEDDED}{name}")
        line(sub.text if sub.text.endswith("\n") else sub.text + "\n")
    meta = {**extracted.meta, "embedded_from": extracted.meta.get("embedded_from", len(extracted.text))}
    meta.pop("attachments", None)  # (read: their bytes are not kept)
    if unread:
        meta["unread"] = tuple(unread)
    return dataclasses.replace(extracted, text="".join(parts), cells=cells, meta=meta)


def _ole_package(data: bytes) -> tuple[str, bytes] | None:
    """(name, bytes) of the file an OLE Package object holds (Word's and Excel's 插入 > 对象 >
    由文件创建 of a file that is no Office document, a 名单.csv or .pdf shown as an icon: its
    ``\\x01Ole10Native`` stream: size, flags, label, source path, temporary path, the file), or
    None (an equation, a chart, a damaged stream).  Such an object was passed over as an
    equation is, and a 名单.csv inside a DOCX was never read."""
    import struct

    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            if not ole.exists("\x01Ole10Native"):
                return None
            raw = ole.openstream("\x01Ole10Native").read()
        pos = 6  # the stream's size (4 bytes), then 2 bytes of flags
        label_end = raw.index(b"\0", pos)
        label = raw[pos:label_end].decode("gbk", "replace")
        pos = raw.index(b"\0", label_end + 1) + 1 + 4  # the source path, then 4 bytes
        (tmp_len,) = struct.unpack_from("<I", raw, pos)
        pos += 4 + tmp_len
        (size,) = struct.unpack_from("<I", raw, pos)
        content = raw[pos + 4: pos + 4 + size]
        if len(content) != size:
            return None
    except Exception:  # noqa: BLE001 - not a package, or a damaged one
        return None
    name = " ".join(label.replace("\\", "/").rsplit("/", 1)[-1].split())[-80:] or "package.bin"
    return name, content


def detect(extracted: Extracted, policy: Policy) -> tuple[list[Judged], Document]:
    """Detections on the normalized text, judged by the policy."""
    import datetime as dt

    doc = Document(extracted, as_of=dt.date(2000, 1, 1))  # no date rule here: any time point
    analyzer = get_pii_analyzer(min_score=policy.min_score)
    text = as_stars(doc.norm.text)
    detections = analyzer.analyze(doc.norm.text)
    if text != doc.norm.text:
        # read as *, a mark beside an unmasked value (13812345678×2, ●13812345678) hid it: the
        # masked forms found in the text as read are added where nothing was found in it as written
        found = [(d.start, d.end) for d in detections]
        detections = sorted(detections + [d for d in analyzer.analyze(text)
                                          if not any(s < d.end and d.start < e for s, e in found)],
                            key=lambda d: (d.start, d.end))
    footer = tuple(extracted.meta.get("footer_spans", ()))
    return judge(text, detections, policy, footer), doc


# characters that stand for hidden digits as * does (44010519900307××××, 138●●●●5678, a full-width
# ＊ typed with a Chinese input method): such a form was not recognised at all, and one masked too
# little (its birth date shown) came out compliant.  Read as *, beside a digit or a *, for the
# detectors (same length: offsets unchanged)
_STAND_INS = "×●■○◆★＊"
_STAND_IN_RUN = re.compile(f"(?<=[0-9*])[{_STAND_INS}]+|[{_STAND_INS}]+(?=[0-9*])")
_STAND_IN = re.compile(f"[{_STAND_INS}]")


def as_stars(text: str) -> str:
    """``text`` with the runs of mask characters other than * beside a digit written as *."""
    if not _STAND_IN.search(text):
        return text
    return _STAND_IN_RUN.sub(lambda m: "*" * len(m.group()), text)


@functools.lru_cache(maxsize=256)
def _shown_name(sheet: str) -> str:
    """A sheet's or an attached file's name as a location shows it: the identifiers the
    detectors find in it (IDs, cards, phones, e-mail addresses; not names) masked as values
    are (a sheet named 王芳11010519491231002X, or a PDF's attachment so named, put the whole
    ID in the location of every item of that sheet, in every output format; the name is read
    as text, and reported there).  Other digits stay (``嵌入对象 _1234567890/…``, an object's
    storage; ``2022年第二季度``)."""
    from .mask import mask_value

    if not any(ch.isdigit() or ch == "@" for ch in sheet):
        return sheet
    shown = sheet
    for d in get_pii_analyzer().analyze(sheet):
        if d.entity != "PERSON" and not d.masked:
            shown = shown[:d.start] + mask_value(d.entity, sheet[d.start:d.end], char="*") + shown[d.end:]
    return shown


def _location(extracted: Extracted, start: int, end: int) -> dict:
    # a DOCX's header, footer, comment, note or text box: named (its offsets alone did not say where)
    part = next(({"part": label} for s, e, label in extracted.meta.get("regions", ()) if s <= start < e), {})
    cells = extracted.cells
    if cells:
        # (a CellTable is searched in its array of starts; the list of the starts was built
        # again for each item: 65,536 rows of IDs and mobiles took hours)
        c = CellTable.of(cells).cell_at(start, end)
        if c is not None:
            if c.sheet is not None and c.ref:
                return {"sheet": _shown_name(c.sheet), "cell": c.ref}
            return {**part, "table": c.table, "row": c.row, "col": c.col}
    if extracted.pages:
        for p, (ps, pe) in enumerate(extracted.pages, 1):
            if ps <= start < pe:
                return {"page": p, "start": start - ps, "end": end - ps}
    return {**part, "start": start, "end": end}


def audit_extracted(extracted: Extracted, policy: Policy) -> AuditRecord:
    from .mask import mask_value

    extracted = rejoin_wrapped(extracted)  # a PDF's cell or name broken over two lines, put back
    if extracted.cells and not isinstance(extracted.cells, CellTable):  # (DOCX, DOC, HTML: once, for _location)
        extracted = dataclasses.replace(extracted, cells=CellTable(extracted.cells))
    judged, doc = detect(extracted, policy)
    items = name_items(extracted.source.name, policy)
    for j in judged:
        d = j.detection
        s, e = doc.norm.span_to_original(d.start, d.end)
        value = extracted.text[s:e]
        items.append({
            "entity": d.entity,
            "masked": d.masked,
            # a masked form is shown as published, unless it shows too much (insufficiently masked)
            "value_masked": _STAND_IN.sub("*", value) if d.masked and not j.violation else mask_value(d.entity, as_stars(value), policy, char="*"),
            "location": _location(extracted, s, e),
            "score": round(d.score, 2),
            "violation": j.violation,
            "rule": j.rule,
        })
    # (a mistyped ID counted apart: 疑似身份证号（校验位不符）×1)
    violations = Counter((i["entity"], suspected_label(i["rule"])) for i in items if i["violation"])
    if violations:
        detail = "，".join(f"{label or LABELS.get(k, k)}×{n}" for (k, label), n in sorted(violations.items()))
        reason = f"未去标识化的个人信息：{detail}（单项否决·泄露个人隐私）"
        verdict = "violation"
    else:
        masked = sum(1 for i in items if i["masked"])
        reason = "未发现未去标识化的个人信息" + (f"（已去标识化 {masked} 处）" if masked else "")
        verdict = "compliant"
    unread = extracted.meta.get("unread")
    if unread:  # (an OFD's page that could not be read: the others were; never a clean audit)
        # masked: a part's name is the file's text (an OFD attachment named 王建国4401….jpg)
        listed = mask_text("; ".join(unread[:5]))
        reason = f"{reason}；未能读取：{listed}" + (f" …（共 {len(unread)} 处）" if len(unread) > 5 else "")
        verdict = "violation" if verdict == "violation" else "unreadable"
    return AuditRecord(extracted.source.name, extracted.format, verdict, reason, tuple(items), tuple(unread or ()))


_NAME_ENTITIES = ("CN_RESIDENT_ID", "CN_MOBILE", "CN_BANK_CARD", "CN_PASSPORT")
_HAN = re.compile(r"[\u4e00-\u9fff]")
NAME_PART = "文件名"


def name_items(name: str, policy: Policy) -> list[dict]:
    """The identifiers in a file's own name, as audit items (location ``{"part": "文件名"}``): an
    attachment is published under its name (the link's text, the download's name), so
    ``王芳11010519491231002X.pdf`` publishes the ID whatever the file holds (such a file, masked
    inside, was compliant).  Only a name holding a Chinese character is read, and only IDs,
    mobiles, bank cards and passports the policy always counts (a CMS's generated name,
    ``16512345678.jpg`` or ``P020220610549876543210.pdf``, is digits and no one's); the path
    itself is the auditor's own input and is shown as given."""
    from .mask import mask_value

    base = Path(name).name if name not in ("-", "''") else ""
    stem = base.rsplit(".", 1)[0] if "." in base else base
    if not stem or not _HAN.search(stem) or not any(ch.isdigit() for ch in stem):
        return []
    items = []
    for d in get_pii_analyzer().analyze(stem):
        if d.entity in _NAME_ENTITIES and d.entity in policy.always and not d.masked:
            items.append({"entity": d.entity, "masked": False,
                          "value_masked": mask_value(d.entity, stem[d.start:d.end], policy, char="*"),
                          "location": {"part": NAME_PART, "start": d.start, "end": d.end}, "score": round(d.score, 2),
                          "violation": True, "rule": "unmasked identifier in the file's name (published with the file)"})
    return items


def audit_source(source: Source, policy: Policy) -> AuditRecord:
    try:
        extracted = extract_for_audit(source)
    except InputError as exc:
        record = AuditRecord(source.name, _guess_format(source), "unreadable", mask_text(exc.reason), read_error=exc.reason)
        items = name_items(source.name, policy)
        if items:  # (the name is published whatever the file holds)
            detail = "，".join(f"{LABELS.get(k, k)}×{n}" for k, n in sorted(Counter(i["entity"] for i in items).items()))
            record = dataclasses.replace(record, verdict="violation", items=tuple(items),
                                         reason=f"文件名含未去标识化的个人信息：{detail}（单项否决·泄露个人隐私）；无法读取：{record.reason}")
        return record
    return audit_extracted(extracted, policy)


def _guess_format(source: Source) -> str:
    try:
        fmt = sniff(source)
    except Exception:
        fmt = "unknown"
    return _EXT_FORMAT.get(Path(source.name).suffix.lower(), fmt)


def expand(paths: Iterable[str], recursive: bool, passed_over: list[tuple[str, str]] | None = None) -> Iterator[str | AuditRecord]:
    """Files as given; a directory yields its auditable files (all levels with -r), or,
    when it holds none, an ``unreadable`` record saying so: an audit that read nothing
    must not look like a clean one.  Version-control and tool folders (``.git``,
    ``node_modules`` …) are not entered and Office owner files (``~$名单.xlsx``) and macOS
    resource forks (``._名单.xlsx``) not read (``scanner.extract.folders``): each is added to
    ``passed_over`` as (path, "tool_dir" | "side_file"), for the caller to say so."""
    from ..extract.folders import passed_over as passed, walk

    for path in paths:
        if not path.strip():  # Path("") is ".": `govscan privacy audit "$f"` with $f unset audited the working directory
            yield AuditRecord("''", "unknown", "unreadable", "empty path (an unset variable?): name a file or a directory")
            continue
        p = Path(path)
        if p.is_dir():
            found = walk(p, recursive, LISTED_SUFFIXES)
            if passed_over is not None:
                passed_over.extend(passed(found))
            files = [str(c) for c in found.files]
            if not files:
                hint = f"; -r descends into its {found.subdirs} sub-directories" if found.subdirs else ""
                yield AuditRecord(path, "directory", "unreadable",
                                  f"no auditable files ({' '.join(AUDIT_SUFFIXES)}) in this directory{hint}")
            yield from files
        else:
            yield path


def audit_paths(paths: Iterable[str], policy: Policy | None = None, recursive: bool = False,
                passed_over: list[tuple[str, str]] | None = None) -> Iterator[AuditRecord]:
    """One record per file; ``passed_over`` (when given) receives what folder walks passed over (``expand``)."""
    policy = policy or Policy.load()
    for path in expand(paths, recursive, passed_over):
        if isinstance(path, AuditRecord):
            yield path
            continue
        try:
            source = read_file(path)
        except InputError as exc:
            yield AuditRecord(path, _EXT_FORMAT.get(Path(path).suffix.lower(), "unknown"), "unreadable", exc.reason)
            continue
        yield audit_source(source, policy)
