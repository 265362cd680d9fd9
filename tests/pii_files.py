"""Builders of audited files for the privacy tests: generated 公示 documents in each
format (synthetic people, checksum-valid numbers) and bad inputs."""
from __future__ import annotations

import io
import random
import zipfile

from corpora.pii.generate import RENDER, Faker, gold_for, make_doc


def generated(kind: str = "subsidy", seed: int = 3, masked_ratio: float = 0.0):
    rng = random.Random(seed)
    doc = make_doc(Faker(rng), kind, masked_ratio=masked_ratio)
    return doc


def xlsx_bytes(rows, title: str = "公示名单") -> bytes:
    """A one-sheet workbook holding ``rows`` (openpyxl)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = title
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xls_bytes(rows, title: str = "公示名单") -> bytes:
    """The same one-sheet workbook as Excel 97-2003 (xlwt, a test extra)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(title)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def write_all(tmp_path, doc, formats=("txt", "html", "csv", "xlsx", "docx", "pdf")):
    paths = {}
    for fmt in formats:
        p = tmp_path / f"notice.{fmt}"
        p.write_bytes(RENDER[fmt](doc))
        paths[fmt] = p
    return paths


ALWAYS_PERSONAL = ("CN_RESIDENT_ID", "CN_MOBILE", "CN_BANK_CARD", "CN_ADDRESS", "CN_PASSPORT")


def unmasked_values(doc, fmt):
    """Unmasked gold values that are personal wherever they appear (agency lines are not)."""
    return [v for e, v, m in gold_for(doc, fmt) if not m and e in ALWAYS_PERSONAL]


def encrypted_ooxml() -> bytes:
    """The shape of a password-protected XLSX/DOCX: an OLE compound file holding the
    EncryptionInfo and EncryptedPackage streams (MS-OFFCRYPTO)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    names = "EncryptionInfo".encode("utf-16-le") + b"\x00" * 20 + "EncryptedPackage".encode("utf-16-le")
    return header + names + b"\x00" * 1024


def zip_bomb(member: str = "word/document.xml", size_mb: int = 30) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(member, b"\x00" * (size_mb * 1024 * 1024))
    return buf.getvalue()


def image_only_pdf() -> bytes:
    from corpora.pii.pdfwriter import write_pdf

    return write_pdf([["扫描件"]], image_only=True)


def encrypted_pdf(text_lines) -> bytes:
    from pypdf import PdfReader, PdfWriter

    from corpora.pii.pdfwriter import write_pdf

    reader = PdfReader(io.BytesIO(write_pdf([text_lines])))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def positioned_pdf(pages) -> bytes:
    """A PDF as Word or WPS exports one: each line a list of (x, text) drawn where it
    stands (a table's cells at their columns' positions, no spaces between them)."""
    from corpora.pii.pdfwriter import write_positioned_pdf

    return write_positioned_pdf(pages)
