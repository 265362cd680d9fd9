"""De-identification: ``govscan privacy mask IN -o OUT``.

Each detected, unmasked personal value is replaced through presidio-anonymizer (a
``custom`` operator per entity) by its masked form: hidden characters become ``*``,
separators stay, the length never changes (so a masked span maps back onto runs, cells
and HTML text nodes position by position).  Default style (``[mask]`` in
``scanner/conf/privacy.toml``): ID keeps the first 6 and last 4, mobile the first 3 and
last 4, bank card the first and last 4, names the surname, addresses hide every digit
and letter (体育西路***号*栋*单元***室).

The copy keeps its format (txt, md, html, csv, xlsx, docx) and is re-audited: the
command fails unless the copy comes out compliant.
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
        entity: OperatorConfig("custom", {"lambda": functools.partial(mask_value, entity, policy=policy)})
        for entity in {e for e, _, _ in spans}
    }
    # each value on its own: presidio merges same-type values with only spaces between
    # (13812345678 13912345678), and a merged span masked as one value left the first visible
    out = _anonymizer().anonymize(text=text, analyzer_results=results, operators=operators,
                                  merge_entities_with_spaces=False).text
    if len(out) != len(text):  # masking is length-preserving by construction
        raise RuntimeError("masking changed the text length")
    return out


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
        data = _mask_xlsx(source, extracted, masked_text)
    elif fmt == "docx":
        data, extra = _mask_docx(source, masked_text, policy)
    elif fmt == "html":
        data = _mask_html(source, masked_text)
    elif fmt == "ofd":
        # its fonts are mostly subsets holding only the glyphs used (no *), and a signed
        # file's signature would no longer verify: a rewritten copy would not show as masked
        raise InputError(in_path, "masking OFD is not supported (its embedded fonts are subsets and its signature "
                                  "would break): mask the source document (.docx/.wps) and export the OFD again")
    else:
        raise InputError(in_path, f"masking {fmt.upper()} is not supported (txt, md, html, csv, xlsx, docx)")
    try:
        Path(out_path).write_bytes(data)
    except OSError as exc:
        raise InputError(out_path, f"cannot write the copy ({exc.strerror or type(exc).__name__})") from None
    return audit_source(Source(out_path, data), policy), len(spans) + extra


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


def _mask_xlsx(source, extracted, masked_text: str) -> bytes:
    import openpyxl

    from ..extract.office import (
        OPENPYXL_HEADER_WARNING,
        XLSX_COMMENT,
        XLSX_HEADER_FOOTER,
        XLSX_HF_PARTS,
        XLSX_LINK,
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
    buf = io.BytesIO()
    wb.save(buf)
    if getattr(wb, "vba_archive", None) is not None:  # keep_vba holds the input open
        wb.vba_archive.close()
    return buf.getvalue()


def _apply_to_paragraph(p, masked: str, links: dict) -> None:
    """Write ``masked`` (the paragraph's text, masked) into its w:t nodes, so each run
    keeps its formatting, and into the targets of its tel:/mailto: links."""
    from ..extract.documents import docx_text_nodes

    pos = 0
    for node, text in docx_text_nodes(p, links, published=True):
        new = masked[pos:pos + len(text)]
        if node in links.values():  # " mailto:… ": the link's target, between spaces
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
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue(), chunks


def _mask_html(source, masked_text: str) -> bytes:
    import lxml.html

    from ..extract.office import HtmlText, parse_html

    root, enc = parse_html(source.data, source.name)
    body = root.find("body")
    walked = HtmlText(body if body is not None else root, root.find("head"))
    text = walked.text
    for start, end, el, attr in walked.segments:
        new = masked_text[start:end]
        if new == text[start:end]:
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
