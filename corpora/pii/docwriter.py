"""Minimal writers of legacy binary Office files for tests and fixtures (no library writes .doc).

``write_ole(streams)``: an OLE compound file (version 3, 512-byte sectors) holding the
given streams; each is padded to 4096 bytes or more, so no mini stream is needed.

``write_doc(blocks, ...)``: a Word 97-2003 document ([MS-DOC]) that ``olefile`` opens and
``scanner.extract.legacy.extract_doc`` reads: a ``WordDocument`` stream (a FIB with
``ccpText``, ``fcClx``/``lcbClx``, ``fWhichTblStm``, ``fEncrypted``), a ``1Table`` (or
``0Table``) stream holding the CLX (the piece table), the PAPX pages that mark table
paragraphs (``sprmPFInTable``) and row ends (``sprmPFTtp``, after a ``sprmTDefTable``) and,
with ``footer``, the PlcfHdd of one section's odd-page footer.  ``blocks`` are paragraphs
(``str``; field codes may be written inline: ``"\\x13 HYPERLINK \\"mailto:…\\" \\x14链接\\x15"``)
and tables (a list of rows, each a list of cell strings; ``\\r`` inside a cell separates its
paragraphs).  With ``compress`` the runs of plain ASCII are written as compressed (cp1252)
pieces and the rest as UTF-16LE pieces, so a number beside Chinese text spans two pieces.
Synthetic data only.
"""
from __future__ import annotations

import struct

_ENDOFCHAIN, _FATSECT, _FREESECT, _NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF, 0xFFFFFFFF
_SECTOR = 512


def write_ole(streams: dict[str, bytes]) -> bytes:
    """An OLE compound file (v3) with ``streams``; a name with ``/`` puts the stream in
    storages (``ObjectPool/_1234/Workbook``: an object embedded in a Word document)."""
    order = lambda n: (len(n), n.upper())  # noqa: E731 - the directory's order of siblings
    tree: dict = {}
    for path in streams:
        node = tree
        for part in path.split("/")[:-1]:
            node = node.setdefault(part, {})
        node[path.split("/")[-1]] = path
    entries: list[list] = [["Root Entry", 5, None, None, tree]]  # name, type, right, child, node or path

    def add_children(index: int, node: dict) -> None:
        names = sorted(node, key=order)
        first = len(entries)
        for name in names:
            entries.append([name, 1 if isinstance(node[name], dict) else 2, None, None, node[name]])
        for k in range(len(names)):  # a right-leaning chain of siblings (a valid tree for olefile)
            entries[first + k][2] = first + k + 1 if k + 1 < len(names) else None
        entries[index][3] = first if names else None
        for k, name in enumerate(names):
            if isinstance(node[name], dict):
                add_children(first + k, node[name])

    add_children(0, tree)
    paths = [e[4] for e in entries if e[1] == 2]
    datas = {p: streams[p] + b"\x00" * max(0, 4096 - len(streams[p])) for p in paths}
    datas = {p: d + b"\x00" * (-len(d) % _SECTOR) for p, d in datas.items()}
    n_data = sum(len(d) // _SECTOR for d in datas.values())
    n_dir = -(-len(entries) * 128 // _SECTOR)
    n_fat = 1
    while n_fat * 128 < n_data + n_dir + n_fat:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("write_ole: file too large for a header-only DIFAT")
    fat = [_FREESECT] * (n_fat * 128)
    starts, sector = {}, 0
    for p in paths:
        count = len(datas[p]) // _SECTOR
        starts[p] = sector
        for i in range(count):
            fat[sector + i] = sector + i + 1 if i < count - 1 else _ENDOFCHAIN
        sector += count
    dir_start = sector
    for i in range(n_dir):
        fat[dir_start + i] = dir_start + i + 1 if i < n_dir - 1 else _ENDOFCHAIN
    fat_start = dir_start + n_dir
    for i in range(n_fat):
        fat[fat_start + i] = _FATSECT

    def entry(name: str, kind: int, right, child, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        right = _NOSTREAM if right is None else right
        child = _NOSTREAM if child is None else child
        return (raw.ljust(64, b"\x00") + struct.pack("<HBBIII", len(raw), kind, 1, _NOSTREAM, right, child)
                + b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16 + struct.pack("<IQ", start, size))

    directory = b"".join(
        entry(name, kind, right, child, starts[node] if kind == 2 else (_ENDOFCHAIN if kind == 5 else 0),
              len(datas[node]) if kind == 2 else 0)
        for name, kind, right, child, node in entries)
    empty = b"\x00" * 64 + struct.pack("<HBBIII", 0, 0, 0, _NOSTREAM, _NOSTREAM, _NOSTREAM) + b"\x00" * 48
    while len(directory) < n_dir * _SECTOR:
        directory += empty
    difat = [fat_start + i for i in range(n_fat)] + [_FREESECT] * (109 - n_fat)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16
              + struct.pack("<HHHHH", 0x003E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", 0, n_fat, dir_start, 0, 4096, _ENDOFCHAIN, 0, _ENDOFCHAIN, 0)
              + struct.pack("<109I", *difat))
    assert len(header) == _SECTOR
    return header + b"".join(datas[p] for p in paths) + directory + struct.pack(f"<{len(fat)}I", *fat)


# ---------------------------------------------------------------- DOC

_IN_TABLE = struct.pack("<HB", 0x2416, 1)
_TTP = struct.pack("<HB", 0x2417, 1)


def _tdef_table(columns: int) -> bytes:
    """sprmTDefTable with a minimal operand (itcMac and the column edges), so a reader must
    size it by its 2-byte count to find the sprmPFTtp after it."""
    rest = bytes([columns]) + struct.pack(f"<{columns + 1}h", *range(0, 1440 * (columns + 1), 1440))
    return struct.pack("<HH", 0xD608, len(rest) + 1) + rest


def _doc_stream_text(blocks) -> tuple[str, list[tuple[int, bool, bool, int]]]:
    """The main text and, for each paragraph mark, (CP, in table, row end, columns)."""
    text, marks = [], []
    pos = 0

    def put(s: str, in_table: bool = False, ttp: bool = False, columns: int = 0) -> None:
        nonlocal pos
        text.append(s)
        pos += len(s)
        if s[-1] in "\r\x07":
            marks.append((pos - 1, in_table, ttp, columns))

    for block in blocks:
        if isinstance(block, str):
            put(block + "\r")
            continue
        for row in block:
            for cell in row:
                paragraphs = cell.split("\r")
                for p in paragraphs[:-1]:
                    put(p + "\r", in_table=True)
                put(paragraphs[-1] + "\x07", in_table=True)
            put("\x07", in_table=True, ttp=True, columns=len(row))
    return "".join(text), marks


def _runs(text: str, compress: bool) -> list[tuple[int, int, bool]]:
    """(cp start, cp end, compressed) pieces: runs of ASCII compressed when ``compress``."""
    if not compress:
        return [(0, len(text), False)]
    out, start = [], 0
    for i in range(1, len(text) + 1):
        if i == len(text) or (ord(text[i]) < 0x80) != (ord(text[start]) < 0x80):
            out.append((start, i, ord(text[start]) < 0x80))
            start = i
    return out


def write_doc(blocks, *, compress: bool = True, papx: bool = True, footnotes: list[str] | None = None,
              footer: str | None = None, encrypted: bool = False, table_stream: str = "1Table",
              truncate: int | None = None, extra_streams: dict[str, bytes] | None = None) -> bytes:
    """A .doc file holding ``blocks`` (see the module docstring); ``extra_streams`` are added
    as they are (``{"ObjectPool/_1234/Workbook": …}``: an Excel sheet pasted as an object)."""
    body, marks = _doc_stream_text(blocks)
    ftn = "".join(f + "\r" for f in footnotes or [])
    hdd = ""
    hdd_cps: list[int] = []
    if footer is not None:  # 6 note separators, then a section's 6 stories: the odd footer is its 4th
        hdd = footer + "\r"
        hdd_cps = [0] * 9 + [0, len(hdd), len(hdd), len(hdd), len(hdd)]
    stories = body + ftn + hdd
    ftn_start = len(body)
    for i, ch in enumerate(ftn + hdd):
        if ch == "\r":
            marks.append((ftn_start + i, False, False, 0))
    text = stories + ("\r" if ftn or hdd else "")
    pieces, data, fc_end = [], bytearray(), []
    text_fc = 1024
    for a, b, compressed in _runs(text, compress):
        fc = text_fc + len(data)
        chunk = text[a:b].encode("cp1252") if compressed else text[a:b].encode("utf-16-le")
        pieces.append((a, b, (fc * 2) | 0x40000000 if compressed else fc))
        width = 1 if compressed else 2
        fc_end.extend(fc + width * (i + 1) for i in range(b - a))
        data += chunk
    text_end = text_fc + len(data)

    # PAPX pages: one run per paragraph mark, 10 runs a page
    wd = bytearray(1024) + data
    wd += b"\x00" * (-len(wd) % 512)
    bte_fcs, bte_pns = [], []
    runs, start_fc = [], text_fc
    for cp, in_table, ttp, columns in sorted(marks):
        runs.append((start_fc, fc_end[cp], in_table, ttp, columns))
        start_fc = fc_end[cp]
    for k in range(0, len(runs) if papx else 0, 10):
        chunk = runs[k:k + 10]
        page = bytearray(512)
        crun = len(chunk)
        fcs = [r[0] for r in chunk] + [chunk[-1][1]]
        struct.pack_into(f"<{crun + 1}I", page, 0, *fcs)
        free = 511
        for j, (_a, _b, in_table, ttp, columns) in enumerate(chunk):
            offset = 0
            if in_table:
                grpprl = b"\x00\x00" + _IN_TABLE + ((_tdef_table(columns) + _TTP) if ttp else b"")
                papx_bytes = bytes([(len(grpprl) + 1) // 2]) + grpprl if len(grpprl) % 2 else b"\x00" + bytes([len(grpprl) // 2]) + grpprl
                free = (free - len(papx_bytes)) & ~1
                page[free: free + len(papx_bytes)] = papx_bytes
                offset = free // 2
            page[4 * (crun + 1) + 13 * j] = offset
        assert free > 4 * (crun + 1) + 13 * crun, "write_doc: a PAPX page overflowed"
        page[511] = crun
        bte_fcs.append(fcs[0])
        bte_pns.append(len(wd) // 512)
        wd += page
    if bte_fcs:
        bte_fcs.append(runs[-1][1])

    # the table stream: CLX, PlcBtePapx, PlcfHdd
    n = len(pieces)
    plc = struct.pack(f"<{n + 1}i", *([p[0] for p in pieces] + [pieces[-1][1]]))
    plc += b"".join(struct.pack("<HIH", 0, p[2], 0) for p in pieces)
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    tbl = bytearray(clx)
    bte_at = len(tbl)
    if bte_fcs:
        tbl += struct.pack(f"<{len(bte_fcs)}I", *bte_fcs) + struct.pack(f"<{len(bte_pns)}I", *bte_pns)
    hdd_at = len(tbl)
    if hdd_cps:
        tbl += struct.pack(f"<{len(hdd_cps)}i", *hdd_cps)

    fib = bytearray(900)
    flags = (0x0200 if table_stream == "1Table" else 0) | (0x0100 if encrypted else 0)
    struct.pack_into("<HHHHHHH", fib, 0, 0xA5EC, 0x00C1, 0, 0x0804, 0, flags, 0x00BF)
    struct.pack_into("<H", fib, 0x20, 14)
    struct.pack_into("<H", fib, 0x3E, 22)
    counts = [text_end, 0, 0, len(body), len(ftn), len(hdd)]
    struct.pack_into(f"<{len(counts)}i", fib, 0x40, *counts)
    struct.pack_into("<H", fib, 0x98, 93)

    def pair(index: int, fc: int, lcb: int) -> None:
        struct.pack_into("<II", fib, 0x9A + 8 * index, fc, lcb)

    pair(33, 0, len(clx))
    if bte_fcs:
        pair(13, bte_at, hdd_at - bte_at)
    if hdd_cps:
        pair(11, hdd_at, 4 * len(hdd_cps))
    wd[:900] = fib
    ole = write_ole({"WordDocument": bytes(wd), table_stream: bytes(tbl), **(extra_streams or {})})
    return ole[:truncate] if truncate else ole
