"""A minimal PDF writer for generated Chinese documents (no dependency, no font files).

Text is drawn with a Type0 font in Identity-H encoding whose CIDs are the Unicode code
points, and a ToUnicode CMap maps every CID used back to its character, so the text
layer extracts exactly (pypdf, pdftotext); glyphs are left to the viewer's fallback for
the Adobe-GB1 ``STSong-Light`` font.  ``image_only`` writes a page without any text
(a scanned document), which the audit must report as unreadable.
"""
from __future__ import annotations

import zlib


def _obj(n: int, body: bytes) -> bytes:
    return f"{n} 0 obj\n".encode() + body + b"\nendobj\n"


def _stream(n: int, data: bytes, extra: str = "") -> bytes:
    comp = zlib.compress(data)
    head = f"<< /Length {len(comp)} /Filter /FlateDecode {extra}>>\nstream\n".encode()
    return _obj(n, head + comp + b"\nendstream")


def _tounicode(chars: set[str]) -> bytes:
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
        "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange",
    ]
    cps = sorted(ord(c) for c in chars if ord(c) <= 0xFFFF)
    for i in range(0, len(cps), 100):
        chunk = cps[i:i + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines.extend(f"<{cp:04X}> <{cp:04X}>" for cp in chunk)
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode()


def _assemble(contents: list[bytes], chars: set[str]) -> bytes:
    """A4 pages with the given content streams, drawing with font F1 (the Identity-H font
    whose ToUnicode CMap covers ``chars``)."""
    n_pages = len(contents)
    # 1 catalog, 2 pages, 3 font, 4 descendant, 5 tounicode, then (page, content) pairs
    kids = " ".join(f"{6 + 2 * i} 0 R" for i in range(n_pages))
    objs = [
        _obj(1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        _obj(2, f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode()),
        _obj(3, b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>"),
        _obj(4, b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>"),
        _stream(5, _tounicode(chars)),
    ]
    for i, content in enumerate(contents):
        pn, cn = 6 + 2 * i, 7 + 2 * i
        objs.append(_obj(pn, f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {cn} 0 R >>".encode()))
        objs.append(_stream(cn, content))
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for o in objs:
        offsets.append(len(out))
        out += o
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _hex(text: str) -> str:
    return "".join(f"{ord(c):04X}" for c in text if ord(c) <= 0xFFFF)


def write_pdf(pages: list[list[str]], *, image_only: bool = False) -> bytes:
    """A PDF whose pages hold the given lines of text (A4, 10.5 pt, 16 pt leading)."""
    chars = {ch for page in pages for line in page for ch in line} | {" "}
    contents = []
    for page in pages:
        if image_only:
            contents.append(b"q 0.9 g 50 50 495 742 re f Q")
        else:
            ops = ["BT", "/F1 10.5 Tf", "16 TL", "50 800 Td"] + [f"<{_hex(line)}> Tj T*" for line in page] + ["ET"]
            contents.append("\n".join(ops).encode())
    return _assemble(contents, chars)


def write_positioned_pdf(pages: list[list[list[tuple[float, str]]]]) -> bytes:
    """A PDF as Word or WPS exports one: each line a list of (x, text) drawn where it
    stands (a table's cells at their columns' positions, no spaces between them); line y
    of a page at 800 - 16 y."""
    chars = {ch for page in pages for line in page for _x, text in line for ch in text} | {" "}
    contents = [
        "\n".join(f"BT /F1 10.5 Tf 1 0 0 1 {x} {800 - 16 * y} Tm <{_hex(text)}> Tj ET"
                  for y, line in enumerate(page) for x, text in line).encode()
        for page in pages
    ]
    return _assemble(contents, chars)
