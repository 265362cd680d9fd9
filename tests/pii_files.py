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
    from corpora.pii import pdfwriter as pw

    chars = {ch for page in pages for line in page for _x, text in line for ch in text} | {" "}
    kids = " ".join(f"{6 + 2 * i} 0 R" for i in range(len(pages)))
    objs = [
        pw._obj(1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        pw._obj(2, f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode()),
        pw._obj(3, b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>"),
        pw._obj(4, b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>"),
        pw._stream(5, pw._tounicode(chars)),
    ]
    for i, page in enumerate(pages):
        objs.append(pw._obj(6 + 2 * i, f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {7 + 2 * i} 0 R >>".encode()))
        ops = [f"BT /F1 10.5 Tf 1 0 0 1 {x} {800 - 16 * y} Tm <{''.join(f'{ord(c):04X}' for c in text)}> Tj ET"
               for y, line in enumerate(page) for x, text in line]
        objs.append(pw._stream(7 + 2 * i, "\n".join(ops).encode()))
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for o in objs:
        offsets.append(len(out))
        out += o
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode() + b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
