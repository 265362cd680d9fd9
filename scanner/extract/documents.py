"""Extract text from the files editors review: .txt, .md, .html/.htm, .docx.

HTML goes through trafilatura (main content, tables kept, comments dropped); DOCX
through python-docx (paragraphs and tables in document order, each cell recorded).
Each returns ``Extracted`` or raises InputError with a one-line reason.
"""
from __future__ import annotations

import io
import zipfile

from ..errors import InputError
from ..text.decode import decode_bytes
from ..types import Cell, Extracted, Source

MAX_DOCX_UNCOMPRESSED = 200 * 1024 * 1024  # a DOCX that inflates beyond this is refused

TEXT_SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}


def sniff_format(source: Source) -> str:
    """The format by content first, by extension second."""
    name = source.name.lower()
    head = source.data[:2048]
    if head.startswith(b"PK\x03\x04"):
        if name.endswith(".docx") or _zip_has(source.data, "word/document.xml"):
            return "docx"
        return "zip"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    lowered = head.lower()
    if source.media_type and "html" in source.media_type:
        return "html"
    for suffix in HTML_SUFFIXES:
        if name.endswith(suffix):
            return "html"
    if b"<html" in lowered or b"<!doctype html" in lowered or b"<body" in lowered:
        return "html"
    for suffix, fmt in TEXT_SUFFIXES.items():
        if name.endswith(suffix):
            return fmt
    return "txt"


def _zip_has(data: bytes, member: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return member in zf.namelist()
    except zipfile.BadZipFile:
        return False


def extract(source: Source) -> Extracted:
    fmt = sniff_format(source)
    if fmt in ("txt", "md"):
        text, enc = decode_bytes(source.data, source.name)
        return Extracted(source, text, fmt, encoding=enc)
    if fmt == "html":
        return extract_html(source)
    if fmt == "docx":
        return extract_docx(source)
    if fmt == "pdf":
        raise InputError(source.name, "PDF is not supported by review; use `govscan privacy audit`")
    if fmt == "ole":
        raise InputError(source.name, "legacy Office (.doc/.xls) format is not supported; save it as .docx/.xlsx")
    raise InputError(source.name, "unsupported file type (a ZIP archive that is not a DOCX)")


def extract_html(source: Source) -> Extracted:
    import trafilatura

    html, enc = decode_bytes(source.data, source.name)
    text = trafilatura.extract(
        html,
        output_format="txt",
        include_tables=True,
        include_comments=False,
        favor_recall=True,
        deduplicate=False,
    )
    title = None
    try:
        meta = trafilatura.extract_metadata(html)
        title = meta.title if meta else None
    except Exception:  # metadata is optional; the text is what matters
        title = None
    if not text or not text.strip():
        raise InputError(source.name, "HTML page without readable main text")
    return Extracted(source, text, "html", encoding=enc, title=title)


def extract_docx(source: Source) -> Extracted:
    try:
        with zipfile.ZipFile(io.BytesIO(source.data)) as zf:
            total = sum(info.file_size for info in zf.infolist())
    except zipfile.BadZipFile:
        raise InputError(source.name, "corrupt DOCX (not a valid ZIP archive)") from None
    if total > MAX_DOCX_UNCOMPRESSED:
        raise InputError(source.name, f"DOCX decompresses to {total // 2**20} MB, over the {MAX_DOCX_UNCOMPRESSED // 2**20} MB limit")
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(source.data))
    except Exception as exc:
        raise InputError(source.name, f"corrupt or protected DOCX ({type(exc).__name__})") from None
    parts: list[str] = []
    cells: list[Cell] = []
    pos = 0
    table_no = -1
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            line = Paragraph(block, document).text
            parts.append(line + "\n")
            pos += len(line) + 1
        elif tag == "tbl":
            table_no += 1
            table = Table(block, document)
            for r, row in enumerate(table.rows):
                seen = set()
                row_parts = []
                for c, cell in enumerate(row.cells):
                    if id(cell._tc) in seen:  # merged cells repeat
                        continue
                    seen.add(id(cell._tc))
                    value = cell.text.replace("\n", " ")
                    if row_parts:
                        parts.append("\t")
                        pos += 1
                    cells.append(Cell(table_no, r, c, pos, pos + len(value)))
                    parts.append(value)
                    row_parts.append(value)
                    pos += len(value)
                parts.append("\n")
                pos += 1
    text = "".join(parts)
    if not text.strip():
        raise InputError(source.name, "empty DOCX (no text)")
    return Extracted(source, text, "docx", cells=tuple(cells))
