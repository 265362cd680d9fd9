"""De-identification: ``govscan privacy mask IN -o OUT``.

Each detected, unmasked personal value is replaced through presidio-anonymizer (a
``custom`` operator per entity) by its masked form: hidden characters become ``*``,
separators stay, the length never changes (so a masked span maps back onto runs, cells
and HTML text nodes position by position).  Default style (``[mask]`` in
``scanner/conf/privacy.toml``): ID keeps the first 6 and last 4, mobile the first 3 and
last 4, bank card the first and last 4, names the surname, addresses hide every digit
and letter (体育西路***号*栋*单元***室).

The copy keeps its format (txt, md, html, csv, xlsx, docx) and is re-audited: the
command fails unless the copy comes out compliant.  A legacy binary workbook or document
(.xls/.et, .doc/.wps) is copied as XLSX/DOCX (``check_copy_name``): its binary format
cannot be written.
"""
from __future__ import annotations

import csv
import functools
import io
import warnings
from pathlib import Path

from ..checks.pii.common import COMPOUND_SURNAMES
from ..errors import InputError
from ..text.decode import decode_bytes, encode_like
from ..types import Source
from .policy import Policy


def mask_value(entity: str, value: str, policy: Policy | None = None, char: str | None = None) -> str:
    """The masked form of ``value``: same length, hidden characters written as ``char``
    (default: the policy's ``[mask] char``, ``*`` unless configured; reports pass ``*``)."""
    policy = policy or Policy.load()
    style = policy.mask.get(entity, {"head": 3, "tail": 4})
    char = char or policy.mask.get("char", "*")
    head, tail = int(style.get("head", 0)), int(style.get("tail", 0))
    if entity == "PERSON":
        bare = "".join(value.split())
        head = 2 if len(bare) >= 3 and bare[:2] in COMPOUND_SURNAMES else head
        positions = [i for i, ch in enumerate(value) if not ch.isspace()]
    elif entity == "EMAIL":
        at = value.find("@")
        local = value[:at] if at > 0 else value
        keep = min(head, max(len(local) - 1, 0))
        return local[:keep] + char * (len(local) - keep) + value[len(local):]
    elif entity == "CN_ADDRESS":
        return "".join(char if ch.isascii() and ch.isalnum() or "０" <= ch <= "９" else ch for ch in value)
    else:
        # digits and letters, and the '*' of a form masked too little (13812345***: its head and
        # tail are counted over all 11); not a 一 typed as a dash between digit groups (138一1234一5678)
        positions = [i for i, ch in enumerate(value) if (ch.isalnum() or ch in "*＊") and not "\u4e00" <= ch <= "\u9fff"]
        if entity == "CN_MOBILE" and len(positions) > 11:
            head += len(positions) - 11  # a +86 / 0086 prefix stays visible
    if len(positions) <= head + tail:
        head, tail = min(head, len(positions) // 3), min(tail, len(positions) // 3)
    hide = set(positions[head: len(positions) - tail])
    if not hide and positions:
        hide = set(positions[1:]) or set(positions)
    return "".join(char if i in hide else ch for i, ch in enumerate(value))


@functools.lru_cache(maxsize=1)
def _anonymizer():
    from presidio_anonymizer import AnonymizerEngine

    return AnonymizerEngine()


def mask_spans(text: str, spans: list[tuple[str, int, int]], policy: Policy) -> str:
    """``text`` with each (entity, start, end) span replaced by its masked form, via
    presidio-anonymizer's ``custom`` operator."""
    if not spans:
        return text
    from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

    results = [RecognizerResult(entity, s, e, 1.0) for entity, s, e in spans]
    operators = {
        entity: OperatorConfig("custom", {"lambda": functools.partial(_mask_as_stars, entity, policy=policy)})
        for entity in {e for e, _, _ in spans}
    }
    # each value on its own: presidio merges same-type values with only spaces between
    # (13812345678 13912345678), and a merged span masked as one value left the first visible
    out = _anonymizer().anonymize(text=text, analyzer_results=results, operators=operators,
                                  merge_entities_with_spaces=False).text
    if len(out) != len(text):  # masking is length-preserving by construction
        raise RuntimeError("masking changed the text length")
    return out


def _mask_as_stars(entity: str, value: str, policy: Policy) -> str:
    """``mask_value`` of a value whose other mask characters (44010519900307××××) are read as *:
    masked as it was, its ×××× kept the last four places and the birth date's 0307 stayed."""
    from .audit import as_stars

    return mask_value(entity, as_stars(value), policy=policy)


def _merge_stars(original: str, masked: str) -> str:
    """Copy the mask characters of ``masked`` onto ``original`` (same length, same
    positions): every character masking changed, whatever the policy's ``[mask] char``
    (only ``*`` was copied: with ``char = "#"`` a CSV, XLSX, DOCX or HTML copy kept every
    value); not the spaces that extraction wrote for line breaks and tabs, nor the tabs it
    wrote for column gaps."""
    if original == masked or len(original) != len(masked):
        return original if len(original) != len(masked) else masked
    return "".join(m if m != o and not m.isspace() and not o.isspace() else o for o, m in zip(original, masked))


# ---------------------------------------------------------------- per format

def mask_file(in_path: str, out_path: str, policy: Policy | None = None):
    """Write a de-identified copy of ``in_path`` to ``out_path`` (same format) and return
    the audit of the copy."""
    from .audit import audit_source, extract_for_audit, read_file

    policy = policy or Policy.load()
    source = read_file(in_path)
    extracted = extract_for_audit(source)
    check_copy_name(extracted.format, in_path, out_path)
    spans = _spans_to_mask(extracted, policy)
    masked_text = mask_spans(extracted.text, spans, policy)
    fmt = extracted.format
    extra = 0
    if fmt in ("txt", "md"):  # the file's own text (its column gaps were read as tabs) with the stars
        original, _enc = decode_bytes(source.data, source.name)
        data = encode_like(_merge_stars(original, masked_text), source.data, extracted.encoding)
    elif fmt == "csv":
        data = _mask_csv(source, extracted, masked_text)
    elif fmt == "xlsx":
        data = _mask_xlsx(source, extracted, masked_text, policy)
    elif fmt == "docx":
        data, extra = _mask_docx(source, masked_text, policy)
    elif fmt == "html":
        data = _mask_html(source, masked_text)
    elif fmt == "xls":
        data = _xlsx_of_xls(source, extracted, masked_text)
    elif fmt in ("doc", "rtf", "mht"):
        data = _docx_of_doc(extracted, masked_text)
    elif fmt == "ofd":
        # what a reader draws comes from embedded font subsets (no * in them) and, where a
        # TextObject has a CGTransform, from its glyph list, not from the TextCode's text: a
        # copy with the text changed could still show every value; a signature would break
        raise InputError(in_path, "masking OFD is not supported (its glyphs come from embedded font subsets and "
                                  "CGTransform lists, so changed text could still show the values, and signatures "
                                  "would break): mask the source document (.docx/.wps) and export the OFD again")
    else:
        raise InputError(in_path, f"masking {fmt.upper()} is not supported (txt, md, html, csv, xlsx, docx)")
    try:
        Path(out_path).write_bytes(data)
    except OSError as exc:
        raise InputError(out_path, f"cannot write the copy ({exc.strerror or type(exc).__name__})") from None
    return audit_source(Source(out_path, data), policy), len(spans) + extra


_WRITTEN = ("txt", "md", "csv", "html", "xlsx", "docx")  # the formats a copy is written in as read


class CopyNameError(InputError):
    """The copy's name asks for a format mask cannot write (a usage error: nothing is written)."""


def check_copy_name(fmt: str, in_path: str, out_path: str) -> None:
    """A legacy binary workbook or document (.xls/.et, .doc/.wps) is copied as XLSX/DOCX:
    govscan cannot write the binary formats, and a copy named .xls holding XLSX would be
    refused by the next reader that checks content against name."""
    from ..extract.legacy import MODERN
    from .audit import _BINARY, _EXT_FORMAT

    modern = MODERN.get(fmt)
    if modern and Path(out_path).suffix.lower() != f".{modern}":
        raise CopyNameError(out_path, f"the de-identified copy of {Path(in_path).name} ({fmt.upper()}) is written as "
                                      f"{modern.upper()} (the legacy binary format cannot be written): "
                                      f"name it {Path(out_path).stem}.{modern}")
    # a file whose name says another format (a DOCX named .xls) is copied as what it holds: a
    # copy named as another binary format (名单.xls -> 脱敏.xlsx holding DOCX) was written, and
    # its re-audit refused it ("extension says XLSX but the content is DOCX")
    named = _EXT_FORMAT.get(Path(out_path).suffix.lower())
    # (a DOCX named 脱敏.xls or a workbook named 脱敏.doc too: Excel or Word cannot open it)
    if fmt in _WRITTEN and (named in _BINARY and named != fmt or fmt in ("xlsx", "docx") and MODERN.get(named, fmt) != fmt):
        raise CopyNameError(out_path, f"{Path(in_path).name} holds {fmt.upper()} whatever its name says, and its "
                                      f"de-identified copy is {fmt.upper()} too: name it {Path(out_path).stem}.{fmt}")


def _xlsx_of_xls(source, extracted, masked_text: str) -> bytes:
    """The XLS workbook as an XLSX with the masked cells: every sheet (hidden ones stay
    hidden), values with their types and number formats, merged ranges, column widths,
    notes, links, headers and footers; the masked cells, notes, link targets, headers and
    footers as masked text."""
    import openpyxl
    import xlrd
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter

    from ..extract.legacy import _xls_cell_text, open_xls
    from ..extract.office import XLSX_COMMENT, XLSX_LINK

    masked = {}
    for cell in extracted.cells:
        new = masked_text[cell.start:cell.end]
        if cell.sheet and cell.ref and new != extracted.text[cell.start:cell.end]:
            masked[(cell.sheet, cell.ref)] = _merge_stars(extracted.text[cell.start:cell.end], new)
    _data, book = open_xls(source)  # (as the audit read it: olefile's stream, ragged rows)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in book.sheets():
        ws = wb.create_sheet(sheet.name)
        ws.sheet_state = {1: "hidden", 2: "veryHidden"}.get(sheet.visibility, "visible")
        for r in range(sheet.nrows):
            for c, cell in enumerate(sheet.row(r)):
                ref = f"{get_column_letter(c + 1)}{r + 1}"
                if (sheet.name, ref) in masked:
                    ws[ref] = masked[(sheet.name, ref)]  # (as text: an ID stored as a number included)
                    continue
                if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                target = ws[ref]
                if cell.ctype == xlrd.XL_CELL_NUMBER:
                    target.value = int(cell.value) if cell.value.is_integer() and abs(cell.value) < 1e15 else cell.value
                elif cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        target.value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
                    except Exception:  # noqa: BLE001 - out of range: the number
                        target.value = cell.value
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    target.value = bool(cell.value)
                else:
                    target.value = _xls_cell_text(cell, book.datemode)
                number_format = _xls_number_format(book, cell)
                if number_format and cell.ctype in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE):
                    target.number_format = number_format
        for (r, c), note in getattr(sheet, "cell_note_map", {}).items():
            ref = f"{get_column_letter(c + 1)}{r + 1}"
            text = masked.get((sheet.name, ref + XLSX_COMMENT), getattr(note, "text", "") or "")
            if text.strip():
                ws[ref].comment = Comment(text, getattr(note, "author", "") or "")
        for (r, c), link in getattr(sheet, "hyperlink_map", {}).items():
            ref = f"{get_column_letter(c + 1)}{r + 1}"
            url = masked.get((sheet.name, ref + XLSX_LINK), getattr(link, "url_or_path", "") or "")
            if url:
                ws[ref].hyperlink = url
        for rlo, rhi, clo, chi in getattr(sheet, "merged_cells", ()):
            if rhi - rlo > 1 or chi - clo > 1:
                ws.merge_cells(start_row=rlo + 1, end_row=rhi, start_column=clo + 1, end_column=chi)
        for c, info in getattr(sheet, "colinfo_map", {}).items():
            ws.column_dimensions[get_column_letter(c + 1)].width = round(info.width / 256, 1)
    book.release_resources()
    # headers and footers as read (页眉(中) …), masked where they were
    from ..extract.office import XLSX_HEADER_FOOTER, XLSX_HF_PARTS

    parts = {f"{label}({side})": (tag, part) for tag, label in XLSX_HEADER_FOOTER.items() for part, side in XLSX_HF_PARTS.items()}
    for cell in extracted.cells:
        if cell.ref in parts and cell.sheet in wb.sheetnames:
            tag, part = parts[cell.ref]
            getattr(getattr(wb[cell.sheet], tag), part).text = masked.get((cell.sheet, cell.ref), extracted.text[cell.start:cell.end])
    if not wb.worksheets:
        wb.create_sheet("Sheet1")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xls_number_format(book, cell) -> str | None:
    try:
        return book.format_map[book.xf_list[cell.xf_index].format_key].format_str or None
    except (AttributeError, IndexError, KeyError, TypeError):
        return None


def _docx_of_doc(extracted, masked_text: str) -> bytes:
    """The Word document as a DOCX with the masked text: its paragraphs, its tables (rows of
    cells), its headers and footers in the section's header and footer, and its footnotes,
    comments, endnotes and text boxes as paragraphs after the body, each group under a line
    naming it.  Formatting is not kept: only the text the audit read."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    rows: dict[int, list] = {}  # the start of a table row's line -> its cells
    for cell in extracted.cells:
        if cell.col == 0 or not rows:
            rows[cell.start] = []
        rows[max(rows)].append(cell)
    regions = {a: (b, label) for a, b, label in extracted.meta.get("regions", ())}
    parts = {"页眉": section.header, "页脚": section.footer}
    text = masked_text
    pos, table, table_no, region_end, region = 0, None, None, -1, None
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        if pos in regions:
            region_end, region = regions[pos]
            if region not in parts:
                document.add_paragraph(f"【{region}】")
        elif pos >= region_end:
            region = None
        target = parts.get(region, document)
        cells = rows.get(pos)
        if cells:
            columns = max(c.col for c in cells) + 1
            if table is None or table_no != (cells[0].table, region):
                table = (document.add_table(rows=0, cols=columns) if target is document
                         else target.add_table(rows=0, cols=columns, width=section.page_width - section.left_margin - section.right_margin))
                table_no = (cells[0].table, region)
            while len(table.columns) < columns:
                table.add_column(table.columns[0].width or 914400)
            row = table.add_row()
            for c in cells:
                row.cells[c.col].text = text[c.start:c.end]
        else:
            table = table_no = None
            if target is not document and len(target.paragraphs) == 1 and not target.paragraphs[0].text:
                target.paragraphs[0].text = text[pos:end]  # (a new header or footer holds one empty paragraph)
            else:
                target.add_paragraph(text[pos:end])
        pos = end + 1
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _spans_to_mask(extracted, policy: Policy) -> list[tuple[str, int, int]]:
    """(entity, start, end) in ``extracted.text`` of what mask masks."""
    from .audit import detect

    items, doc = detect(extracted, policy)
    spans = []
    for judged in items:
        d = judged.detection
        # violations (a form masked too little included), and every full name; agency contacts
        # (office lines, footers) and properly masked forms stay
        if (d.masked and not judged.violation) or not (judged.violation or d.entity == "PERSON"):
            continue
        s, e = doc.norm.span_to_original(d.start, d.end)
        if s >= extracted.meta.get("embedded_from", len(extracted.text) + 1):
            continue  # an embedded workbook's (its preview picture cannot be masked): the re-audit reports it
        spans.append((d.entity, s, e))
    return spans


def _mask_csv(source, extracted, masked_text: str) -> bytes:
    """The rows read again from the file, each cell with the stars of its masked text;
    written in the file's encoding (and BOM), dialect and line ends."""
    from ..extract.office import csv_rows

    text, enc = decode_bytes(source.data, source.name)
    masked = {(cell.row, cell.col): masked_text[cell.start:cell.end] for cell in extracted.cells}
    dialect, rows = csv_rows(text)
    buf = io.StringIO()
    # the sniffed delimiter and quote; quotes doubled as Excel writes them (a sniffed dialect
    # may have no escape for a value holding a quote: ="13812345678" raised csv.Error)
    writer = csv.writer(buf, delimiter=dialect.delimiter, quotechar=dialect.quotechar or '"', doublequote=True,
                        lineterminator="\r\n" if "\r\n" in text else "\n")
    for r, values in enumerate(rows):
        # the extracted cell has line breaks as spaces: same length, the stars line up
        writer.writerow([_merge_stars(v, masked.get((r, c), v)) for c, v in enumerate(values)])
    return encode_like(buf.getvalue(), source.data, enc)


def _mask_xlsx(source, extracted, masked_text: str, policy: Policy | None = None) -> bytes:
    import openpyxl

    from ..extract.office import (
        OPENPYXL_HEADER_WARNING,
        XLSX_COMMENT,
        XLSX_HEADER_FOOTER,
        XLSX_HF_PARTS,
        XLSX_ALT_TEXT,
        XLSX_LINK,
        XLSX_TEXT_BOX,
        _cell_text,
    )

    with warnings.catch_warnings():  # a header openpyxl cannot split: the audit read it, written below
        warnings.filterwarnings("ignore", message=OPENPYXL_HEADER_WARNING)
        # a macro-enabled workbook keeps its macros and its content type (saved as .xlsx it
        # would not open under its .xlsm name)
        try:
            wb = openpyxl.load_workbook(io.BytesIO(source.data), keep_vba=source.name.lower().endswith(".xlsm"))
        except Exception as exc:  # read leniently by the audit, refused by openpyxl's full load: was a traceback
            raise InputError(source.name, f"cannot rewrite this XLSX ({type(exc).__name__}: a broken part); "
                                          "open and save it in Excel or WPS, then mask again") from None
    header_footer = {f"{label}({side})": (tag, part) for tag, label in XLSX_HEADER_FOOTER.items()
                     for part, side in XLSX_HF_PARTS.items()}
    for cell in extracted.cells:
        new = masked_text[cell.start:cell.end]
        if new == extracted.text[cell.start:cell.end] or not cell.sheet or not cell.ref or cell.sheet not in wb.sheetnames:
            continue  # (an embedded workbook's cells are not the file's: the re-audit reports them)
        ws = wb[cell.sheet]
        if cell.ref.endswith((XLSX_TEXT_BOX, XLSX_ALT_TEXT)):
            continue  # a drawing's text: openpyxl writes no shape or text box (nor, without Pillow, a picture); the re-audit reads what is left
        if cell.ref in header_footer:  # a header or footer part
            tag, part = header_footer[cell.ref]
            hf = getattr(getattr(ws, tag), part)
            hf.text = _merge_stars(hf.text or "", new) if len(hf.text or "") == len(new) else new
            continue
        if cell.ref.endswith(XLSX_COMMENT):  # a cell's note
            from openpyxl.comments import Comment

            target = ws[cell.ref[: -len(XLSX_COMMENT)]]
            if target.comment is not None:
                old = target.comment.text or ""
                text = _merge_stars(old, new) if len(old) == len(new) else new
                target.comment = Comment(text, target.comment.author or "", target.comment.height, target.comment.width)
            continue
        if cell.ref.endswith(XLSX_LINK):  # a cell's tel:/mailto: link, and the same link of the
            # other cells of its range (A2:B2 is read as one link of A2, written as one per cell)
            link = ws[cell.ref[: -len(XLSX_LINK)]].hyperlink
            if link is not None and link.target:
                old = extracted.text[cell.start:cell.end]  # the target as read
                masked = _merge_stars(old, new)
                link.target = masked
                for other in ws._cells.values():
                    if other.hyperlink is not None and other.hyperlink.target == old:
                        other.hyperlink.target = masked
            continue
        target = ws[cell.ref]
        old = _cell_text(target.value)  # as the audit read it (a number's lost digits as *)
        target.value = _merge_stars(old, new) if len(old) == len(new) else new
        link = target.hyperlink  # Excel makes a typed e-mail address a mailto: link
        if link is not None and (link.target or "").strip().lower().startswith(("mailto:", "tel:", "sms:")):
            from ..checks.excerpt import mask_text

            link.target = mask_text(link.target)
    for attr in ("title", "subject", "keywords", "description"):  # (the audit's 文档属性)
        setattr(wb.properties, attr, masked_property(getattr(wb.properties, attr), policy))
    buf = io.BytesIO()
    wb.save(buf)
    if getattr(wb, "vba_archive", None) is not None:  # keep_vba holds the input open
        wb.vba_archive.close()
    return buf.getvalue()


def _apply_to_paragraph(p, masked: str, links: dict) -> None:
    """Write ``masked`` (the paragraph's text, masked) into its w:t nodes, so each run
    keeps its formatting, and into the targets of its tel:/mailto: links."""
    from ..extract.documents import DocxAltText, docx_text_nodes

    pos = 0
    for node, text in docx_text_nodes(p, links, published=True):
        new = masked[pos:pos + len(text)]
        if isinstance(node, DocxAltText):  # " 王芳 身份证号… ": a picture's alternative text, between spaces
            node.element.set(node.name, _merge_stars(node.value, new[1:-1]))
        elif node in links.values():  # " mailto:… ": the link's target, between spaces
            node._target = _merge_stars(node.target_ref, new[1:-1])
        elif node.tag.endswith(("}t", "}delText", "}instrText")):
            node.text = _merge_stars(text, new)
        pos += len(text)


def _mask_html_chunks(document, policy: Policy) -> int:
    """Mask the HTML alternative chunks of a DOCX (a CMS's export to Word) in place, as an
    HTML page is masked; the number of values masked.  (MHT chunks stay: the re-audit
    reports them.)"""
    from ..extract.office import extract_html_structured

    n = 0
    for part in document.part.package.iter_parts():
        name = str(part.partname)
        if not (name.startswith("/word/") and name.lower().endswith((".htm", ".html"))):
            continue
        chunk = Source(name, part.blob)
        try:
            extracted = extract_html_structured(chunk)
        except InputError:
            continue
        spans = _spans_to_mask(extracted, policy)
        if spans:
            part._blob = _mask_html(chunk, mask_spans(extracted.text, spans, policy))
            n += len(spans)
    return n


def _mask_docx(source, masked_text: str, policy: Policy) -> tuple[bytes, int]:
    """Walk the DOCX exactly as ``extract_docx(links=True)`` does and write the masked text back."""
    import docx

    from ..extract.documents import (
        docx_all_blocks,
        docx_link_targets,
        docx_note_parts,
        docx_paragraph_text,
        docx_row_cells,
        docx_save_note_parts,
    )

    document = docx.Document(io.BytesIO(source.data))
    links = docx_link_targets(document)
    notes = docx_note_parts(document)
    pos = 0
    for kind, block, block_links in docx_all_blocks(document, links, notes):
        block_links = block_links or {}
        if kind == "p":
            n = len(docx_paragraph_text(block, block_links, published=True))
            _apply_to_paragraph(block, masked_text[pos:pos + n], block_links)
            pos += n + 1
            continue
        for row in block.rows:
            for i, (_c, paragraphs) in enumerate(docx_row_cells(row)):
                if i:
                    pos += 1
                for j, p in enumerate(paragraphs):
                    if j:
                        pos += 1
                    n = len(docx_paragraph_text(p, block_links, published=True))
                    _apply_to_paragraph(p, masked_text[pos:pos + n], block_links)
                    pos += n
            pos += 1
    docx_save_note_parts(notes)
    # the preview picture of the first page (docProps/thumbnail, saved by Word and WPS) still
    # showed the unmasked values: the copy has none
    rels = document.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype.endswith("/metadata/thumbnail")]:
        rels.pop(rid)
    chunks = _mask_html_chunks(document, policy)
    props = document.core_properties
    for attr in ("title", "subject", "keywords", "comments"):  # (the audit's 文档属性: comments is description)
        setattr(props, attr, masked_property(getattr(props, attr), policy))
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue(), chunks


def masked_property(value: str | None, policy: Policy | None) -> str | None:
    """A document property (title, subject, keywords, description) with the identifiers the
    detectors find in it masked (names are left: a title names its person, 关于王芳同志的任前公示):
    the audit reads them (``audit._with_properties``) and the copy kept them."""
    from ..checks.pii.analyzer import get_pii_analyzer

    if not value or not any(ch.isdigit() or ch in "@＠" for ch in value):
        return value
    out = value
    for d in get_pii_analyzer().analyze(value):
        if d.entity != "PERSON" and not d.masked:
            out = out[:d.start] + _merge_stars(value[d.start:d.end], mask_value(d.entity, value[d.start:d.end], policy)) + out[d.end:]
    return out


def _mask_html(source, masked_text: str) -> bytes:
    import lxml.html

    from ..extract.office import LINKED_NAME, HtmlText, parse_html

    root, enc = parse_html(source.data, source.name)
    body = root.find("body")
    walked = HtmlText(body if body is not None else root, root.find("head"))
    text = walked.text
    for start, end, el, attr in walked.segments:
        new = masked_text[start:end]
        if new == text[start:end]:
            continue
        if attr.endswith(LINKED_NAME):  # a linked file's name: the file keeps it (rename the file)
            continue
        if attr.startswith("@"):  # an attribute value (title, alt, a tel:/mailto: link)
            old = el.get(attr[1:]) or ""
            el.set(attr[1:], _merge_stars(old, new) if len(old) == len(new) else old)
            continue
        old = getattr(el, attr) or ""
        setattr(el, attr, _merge_stars(old, new) if len(old) == len(new) else old)
    html = lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>", method="html")
    # in the page's own encoding, as its <meta charset> and its server say
    return encode_like(html, source.data, enc, errors="xmlcharrefreplace")
