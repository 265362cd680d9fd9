"""Registry files: the websites and new-media accounts under inspection.

Websites (header row, extra columns kept): 地区, 网站名称, 主办单位, 网站地址, 网站标识码.
Accounts: 地区, 新媒体名称, 账号类型, 主办单位, 新媒体标识码, optional 账号地址.

A registry is a CSV (UTF-8, a BOM allowed, or GBK/GB18030) or the filing system's Excel export
(全国政府网站基本信息数据库 / 政务新媒体 filing), .xlsx or .xls (WPS .et): the first visible sheet
whose first rows hold the header row (a merged title row above it, 广东省政府网站名录, is skipped),
else a hidden sheet holding it; a bad row is named by its sheet and row number.  A code cell
typed as a number (4401000001, stored by some exports as 4401000001.0) is the code's text.

Identifier rules (docs of issue 6; ../shared/data/reference/INDICATORS.md §4):

* 网站标识码: ``bm`` + 8 digits (State Council departments), or 10 digits whose first 6 are
  a GB/T 2260 code at any level (province, city or county; ``scanner/data/gb2260.csv``)
  followed by a 4-digit serial.
* 新媒体标识码, e.g. ``440600M020XL0001``: 6-digit GB/T 2260 region, ``M``, 3-digit unit
  number, a 2-letter platform code (WX 微信, XL 新浪微博, NF 南方号, DY 抖音, TT 今日头条,
  KS 快手; configurable in ``[scan] platform_codes``) and a 4-digit serial.

A bad row (missing value, malformed or unknown code, duplicate code, bad address) is
reported with its line number and left out; the other rows are processed.  A file that
cannot be read at all (missing, neither UTF-8 nor GB18030, a corrupt or password-protected
workbook, over the size caps, missing columns) raises InputError.
"""
from __future__ import annotations

import csv
import dataclasses
import functools
import io
import re
import unicodedata
from collections import Counter
from importlib import resources
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import InputError
from ..types import Source

SITE_COLUMNS = ("地区", "网站名称", "主办单位", "网站地址", "网站标识码")
ACCOUNT_COLUMNS = ("地区", "新媒体名称", "账号类型", "主办单位", "新媒体标识码")
ACCOUNT_OPTIONAL = ("账号地址",)

DEFAULT_PLATFORM_CODES = {"WX": "微信", "XL": "新浪微博", "NF": "南方号", "DY": "抖音", "TT": "今日头条", "KS": "快手"}

_SITE_CODE = re.compile(r"^(?:bm\d{8}|(\d{6})\d{4})$")
_ACCOUNT_CODE = re.compile(r"^(\d{6})M(\d{3})([A-Z]{2})(\d{4})$")
_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$")


@functools.lru_cache(maxsize=1)
def division_codes() -> dict[str, tuple[str, str]]:
    """GB/T 2260 code -> (name, level), from the packaged table."""
    text = resources.files("scanner.data").joinpath("gb2260.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {row["code"]: (row["name"], row["level"]) for row in rows}


@dataclasses.dataclass(frozen=True, slots=True)
class RowError:
    path: str
    line: int  # the CSV's line, or the sheet's row number (as Excel numbers it)
    reason: str
    sheet: str | None = None  # the sheet of an XLSX/XLS registry

    def __str__(self) -> str:
        if self.sheet is not None:
            return f"{self.path}: 工作表“{self.sheet}”第{self.line}行: {self.reason}"
        return f"{self.path}:{self.line}: {self.reason}"


@dataclasses.dataclass(frozen=True)
class SiteEntry:
    line: int
    region: str
    name: str
    sponsor: str
    url: str
    host: str
    code: str
    extra: dict[str, str] = dataclasses.field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class AccountEntry:
    line: int
    region: str
    name: str
    platform: str  # 账号类型 as the registry writes it (微信订阅号, 新浪微博 ...)
    sponsor: str
    code: str
    url: str = ""
    extra: dict[str, str] = dataclasses.field(default_factory=dict)

    @property
    def platform_code(self) -> str:
        return self.code[10:12]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def validate_site_code(code: str) -> str | None:
    """None when ``code`` is a valid 网站标识码, else the reason (in Chinese)."""
    m = _SITE_CODE.match(code)
    if not m:
        return f"网站标识码“{shown_value(code)}”格式不正确（应为 bm+8位数字，或10位数字）"
    if m.group(1) and m.group(1) not in division_codes():
        return f"网站标识码“{code}”的前6位 {m.group(1)} 不是 GB/T 2260 行政区划代码"
    return None


def validate_account_code(code: str, platform_codes: dict[str, str] | None = None) -> str | None:
    """None when ``code`` is a valid 新媒体标识码, else the reason (in Chinese)."""
    platforms = platform_codes or DEFAULT_PLATFORM_CODES
    m = _ACCOUNT_CODE.match(code)
    if not m:
        return f"新媒体标识码“{shown_value(code)}”格式不正确（应为6位区划代码+M+3位单位号+2位平台代码+4位序号）"
    if m.group(1) not in division_codes():
        return f"新媒体标识码“{code}”的前6位 {m.group(1)} 不是 GB/T 2260 行政区划代码"
    if m.group(3) not in platforms:
        return f"新媒体标识码“{code}”的平台代码 {m.group(3)} 未登记（已知：{', '.join(sorted(platforms))}）"
    return None


def platform_mismatch(code: str, platform: str, platform_codes: dict[str, str] | None = None) -> str | None:
    """None unless the 账号类型 names another platform than the code's platform letters: an
    account registered on two platforms whose second row was copied from the first with only the
    code changed (440100M099XL0001 still 微信订阅号) put the wrong platform in 附件4.  A type that
    names no known platform (微博, 公众号) cannot be told and passes."""
    platforms = platform_codes or DEFAULT_PLATFORM_CODES
    own = platforms.get(code[10:12], "")
    if not own or _names_platform(platform, own):
        return None
    other = next((name for c, name in platforms.items() if name and _names_platform(platform, name)), None)
    if other is None:
        return None
    return f"账号类型“{platform}”与新媒体标识码“{code}”的平台代码 {code[10:12]}（{own}）不符"


def _names_platform(platform: str, name: str) -> bool:
    """微信订阅号 names 微信, 新浪微博 names 新浪微博, 抖音短视频 names 抖音."""
    return name in platform or platform in name


def host_of(url: str) -> str | None:
    """The lower-case host of a registry address (``www.gd.gov.cn`` or ``http://www.gd.gov.cn/``)."""
    url = url.strip()
    if not url:
        return None
    if "://" not in url:
        url = "http://" + url
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    if not _HOST.match(host):
        return None
    return host


_INDEX_PAGE = re.compile(r"/(?:index|default)\.(?:s?html?|jsp|php|aspx?)$", re.I)


def site_address(url: str, host: str) -> str:
    """A registry address as the site it names: host and path, the scheme, a trailing slash and a
    default page (``index.html``, ``default.aspx`` …) left aside (``https://x.gov.cn/index.html`` is
    ``http://x.gov.cn/``); the path is kept (department sites of one platform differ by it)."""
    text = url.strip()
    parts = urlsplit(text if "://" in text else "http://" + text)
    path = _INDEX_PAGE.sub("/", parts.path or "/").rstrip("/")
    return host + path + (f"?{parts.query}" if parts.query else "")


def _read_bytes(path: Path, what: str, missing: str, limit: int | None = None) -> bytes:
    try:
        if limit is not None and path.stat().st_size > limit:  # (refused before it is read)
            raise InputError(str(path), f"{what} is over {limit // 2**20} MB (limit)")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), missing) from None
    except OSError as exc:
        raise InputError(str(path), f"{what} unreadable ({exc.strerror or exc})") from None


def _read_utf8(path: Path, what: str, missing: str, hint: str = "", data: bytes | None = None) -> str:
    """The text of a UTF-8 file (BOM allowed), else GB18030 (GBK: what Excel's "CSV" writes on a
    Chinese Windows; it was refused); a one-line InputError naming ``what`` otherwise."""
    if data is None:
        data = _read_bytes(path, what, missing)
    if data.startswith(_WORKBOOK_MAGIC):
        raise InputError(str(path), f"{what} is a spreadsheet (XLSX/XLS), not a CSV{hint}")
    try:
        return _decoded(data)
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"{what} is neither UTF-8 nor GB18030/GBK (byte {exc.start}){hint}") from None


def _decoded(data: bytes) -> str:
    """UTF-8 (BOM allowed), else GB18030; the UTF-8 UnicodeDecodeError when neither."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if b"\x00" not in data:
            try:
                return data.decode("gb18030")
            except UnicodeDecodeError:
                pass
        raise


_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # XLSX (a ZIP), XLS (an OLE compound file)


_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


_LINE_BREAK = re.compile(r"[ \t\u3000]*[\r\n]+[ \t\u3000]*")


def _clean(value: str | None) -> str:
    """A cell without surrounding spaces, without line breaks (Excel's Alt+Enter in a long name:
    they broke the report's Markdown table rows) and without control or zero-width characters
    (pasted from web pages or Word: invisible, they made a valid code look malformed and broke XLSX)."""
    return _INVISIBLE.sub("", _LINE_BREAK.sub("", value or "")).strip()


def code_text(value: str) -> str:
    """A code as typed in a spreadsheet or an export: full-width characters (an IME left in
    full-width mode: ４４０１００Ｍ００１ＷＸ０００１) and inner spaces (4401 0000 01) are the code's;
    they made a valid code "malformed" and a post's account "not in the registry"."""
    return "".join(unicodedata.normalize("NFKC", value or "").split())


_Rows = list[tuple[int, dict[str, str]]]


def _read_rows(path: Path | str, required: tuple[str, ...]) -> tuple[_Rows, str, str | None]:
    """The registry's rows as (line or sheet row number, {column: cell}), its name, and the sheet
    read (None for a CSV)."""
    from ..extract.office import MAX_FILE_BYTES

    path = Path(path)
    data = _read_bytes(path, "registry", "registry file not found", MAX_FILE_BYTES)
    if data.startswith(_WORKBOOK_MAGIC):
        rows, sheet = _read_workbook(path, data, required)
    else:
        rows, sheet = _read_csv(path, data, required), None
    if not any(any(row.values()) for _, row in rows):
        # nothing to inspect: the scan passed with 检查0个 (exit 0), and with --store it failed as
        # a store that "cannot be read"
        raise InputError(str(path), "registry has no rows (only the header row)")
    return rows, str(path), sheet


MAX_SHOWN_HEADER = 120
_HAN_RUN = re.compile(r"[\u4e00-\u9fff](?:[\u3000 ]?[\u4e00-\u9fff])+")
# last characters of the words a registry's cells hold that no personal name ends with (管理员, 主办单位…处)
_NOT_NAME_END = frozenset("员人者长处科室局厅办部组会院所站队馆委司署市区县省州镇乡村街旗盟")


@functools.lru_cache(maxsize=1)
def _division_names() -> frozenset[str]:
    """GB/T 2260 names, with and without their level's suffix (江门市, 江门; 黄埔区, 黄埔)."""
    names = set()
    for name, _level in division_codes().values():
        names.add(name)
        for suffix in ("自治州", "自治县", "特别行政区", "市", "区", "县", "省", "盟", "旗"):
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                names.add(name[: -len(suffix)])
    return frozenset(names)


def _is_personal_name(run: str) -> bool:
    """A run of Han characters in a cell that reads as a personal name (王小明, 赵　六): a surname and
    1-3 characters, no label (联系人, 单位名称), no region (江门, 高明), no organ's or role's word, no
    very frequent word of jieba's dictionary (文明, 金融, 方便); a name of a known person (李娜) is masked
    like any other."""
    from ..checks.pii.common import is_kv_label, is_name_shape, surname_of

    bare = "".join(run.split()).replace("\u3000", "")
    if not (is_name_shape(run) and surname_of(bare)) or is_kv_label(bare) or bare[-1] in _NOT_NAME_END \
            or bare in _division_names() or bare in REGISTRY_WORDS:
        return False
    from ..text.tokenize import get_jieba

    return get_jieba().FREQ.get(bare, 0) < 2000


# the registry's own column names and values that look like names (a surname and a word)
REGISTRY_WORDS = frozenset(("网站名称", "主办单位", "网站地址", "网站标识码", "新媒体名称", "账号类型", "新媒体标识码",
                            "账号地址", "地区", "备注", "序号", "微信", "微博", "抖音", "快手", "头条", "公众号"))


def shown_value(value: str) -> str:
    """A registry cell as an error message quotes it, masked as excerpts are: long digit runs and
    e-mail addresses (``mask_text``), and a personal name keeps its surname (``mask_all``: 王**).
    A contact or 负责人 column shifted into 网站地址, 地区 or a code cell (a row with one cell too
    many) was printed whole: `网站地址“王小明 13812345678”不是有效的网址`."""
    from ..checks.excerpt import mask_all, mask_text

    text = mask_text(value)
    return _HAN_RUN.sub(lambda m: mask_all(m.group(0)) if _is_personal_name(m.group(0)) else m.group(0), text)


def _shown_header(header: list[str]) -> str:
    """A header row as an error message quotes it: identifiers and names masked and cut short (a
    posts file or a 公示名单 given as the registry: its first line or row was quoted whole, ID
    numbers, names and all)."""
    text = ", ".join(shown_value(h) for h in header if h)
    return text if len(text) <= MAX_SHOWN_HEADER else text[:MAX_SHOWN_HEADER] + "…"


def _read_csv(path: Path, data: bytes, required: tuple[str, ...]) -> _Rows:
    """The rows below the header row: the first of the first ``HEADER_SEARCH_ROWS`` rows holding
    every required column, as in a workbook (an XLSX with its merged title row, 广东省政府网站名录,
    saved as CSV by Excel or WPS was refused: "registry lacks the column(s) …")."""
    text = _read_utf8(path, "registry", "registry file not found", "; save it as UTF-8 CSV", data=data)
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    first: list[str] | None = None  # the first row with a value, quoted when no row is the header
    rows = []
    try:
        for _n, values in zip(range(HEADER_SEARCH_ROWS), reader):
            cells = [_clean(v) for v in values]
            if first is None and any(cells):
                first = cells
            if all(c in cells for c in required):
                header = cells
                break
        if header is None:
            if first is None:
                raise InputError(str(path), "empty registry (no header row)")
            missing = [c for c in required if c not in first]
            raise InputError(str(path), f"registry lacks the column(s) {', '.join(missing)} (header: {_shown_header(first)})")
        for values in reader:
            if not values:
                continue
            row = {h: "" for h in header}
            row.update(zip(header, map(_clean, values)))
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise InputError(str(path), f"malformed CSV at line {reader.line_num}: {exc}") from None
    return rows


# --- XLSX / XLS registries -------------------------------------------------------------------

HEADER_SEARCH_ROWS = 30  # rows of a sheet searched for the header row (title rows, notes above it)


def _read_workbook(path: Path, data: bytes, required: tuple[str, ...]) -> tuple[_Rows, str]:
    """The rows below the header row of the registry's sheet, and its name: the first visible
    sheet whose first ``HEADER_SEARCH_ROWS`` rows hold a row with every required column (a merged
    title row above it is skipped), else the first hidden one.  Read within the audit's caps
    (decompressed size, rows, cells, characters)."""
    book = _open_workbook(Source(str(path), data))
    try:
        order = sorted(range(len(book.sheets)), key=lambda i: not book.sheets[i][1])  # visible ones first
        shown: tuple[str, list[str]] | None = None  # the first visible sheet's closest header row, for the error
        for i in order:
            title = book.sheets[i][0]
            rows = book.rows(i)
            candidates = []
            for _n, (r, values) in zip(range(HEADER_SEARCH_ROWS), rows):
                header = [_clean(v) for v in values]
                if all(c in header for c in required):
                    if book.kind == "xlsx":
                        # the rest read to the header's last column only: openpyxl pads a row to its
                        # last cell, and a stray cell in column XFD made each row 16,384 values
                        # (3,000 such rows: 2.9 s)
                        width = max(c for c, h in enumerate(header) if h) + 1
                        rows = book.rows(i, start=r + 1, width=width)
                    return _sheet_records(path, title, header, rows, book.merged_down(i)), title
                if sum(1 for v in header if v) >= 2:  # (a merged title row is one cell)
                    candidates.append(header)
            if shown is None and candidates:
                shown = (title, max(candidates, key=lambda h: sum(c in h for c in required)))
        if shown is None:
            raise InputError(str(path), "empty registry (no sheet with a header row)")
        title, header = shown
        missing = [c for c in required if c not in header]
        raise InputError(str(path), f"registry lacks the column(s) {', '.join(missing)} "
                                    f"(sheet “{title}”, header: {_shown_header(header)})")
    finally:
        book.close()


def _sheet_records(path: Path, title: str, header: list[str], rows,
                   merged: dict[tuple[int, int], int] | None = None) -> _Rows:
    """The rows after the header row as {column: cell} (columns without a header dropped),
    empty rows left out, within the audit's row, cell and character caps.  ``merged``: the
    sheet's merged ranges down a column, {(first row, column): last row} (1-based row, 0-based
    column): their value is every row's (地区 merged over a region's rows, as a hand-made 名录
    has it; only the first row held it, the others were bad rows, 缺少地区)."""
    from ..extract.office import MAX_CELLS, MAX_CHARS, MAX_ROWS

    named = [(c, h) for c, h in enumerate(header) if h]
    out: _Rows = []
    cells = chars = 0
    down: dict[int, tuple[str, int]] = {}  # column -> (the merged range's value, its last row)
    for r, values in rows:
        if merged:
            values = list(values)
            for c in range(len(values)):
                if (r, c) in merged:
                    down[c] = (values[c], merged[(r, c)])
            for c, (value, last) in list(down.items()):
                if r > last:
                    del down[c]
                elif c >= len(values):
                    values += [""] * (c - len(values)) + [value]
                elif not values[c]:
                    values[c] = value
        row = {h: _clean(values[c]) if c < len(values) else "" for c, h in named}
        if not any(row.values()):
            continue
        cells += len(values)
        chars += sum(map(len, values))
        if len(out) >= MAX_ROWS or cells > MAX_CELLS or chars > MAX_CHARS:
            raise InputError(str(path), f"registry sheet “{title}” is over the limit of {MAX_ROWS:,} rows, "
                                        f"{MAX_CELLS:,} cells or {MAX_CHARS // 1_000_000} million characters")
        out.append((r, row))
    return out


class _Workbook:
    """The sheets of an XLSX or XLS workbook as (title, visible), and each one's rows as
    (row number, [cell text]) with cells in their columns; numbers as the audit writes them
    (``office._cell_text``: 4401000001.0 is 4401000001), dates as ISO dates."""

    def __init__(self, name: str, kind: str, book):
        self.name, self.kind, self.book = name, kind, book
        if kind == "xlsx":
            self.sheets = [(ws.title, getattr(ws, "sheet_state", "visible") == "visible") for ws in book.worksheets]
        else:
            self.sheets = [(book.sheet_by_index(t).name, not book.sheet_by_index(t).visibility)
                           for t in range(book.nsheets)]

    def rows(self, i: int, start: int = 1, width: int | None = None):
        """(from row ``start``; an XLSX's cells up to column ``width`` only)"""
        try:
            yield from (self._xlsx_rows(i, start, width) if self.kind == "xlsx" else self._xls_rows(i))
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged sheet part or record: one line
            raise InputError(self.name, f"corrupt {self.kind.upper()} (sheet “{self.sheets[i][0]}”: "
                                        f"{type(exc).__name__})") from None

    def _xlsx_rows(self, i: int, start: int = 1, width: int | None = None):
        from ..extract.office import _cell_text

        ws = self.book.worksheets[i]
        # the sheet's stated size is not trusted: an export writing <dimension ref="A1"/> had
        # openpyxl read its first cell alone
        ws.reset_dimensions()
        for r, values in enumerate(ws.iter_rows(min_row=start, max_col=width, values_only=True), start=start):
            # (an empty row, as openpyxl fills a gap between rows: nothing to convert)
            yield r, [_cell_text(v) for v in values] if values.count(None) != len(values) else []

    def _xls_rows(self, i: int):
        from ..extract.legacy import _xls_cell_text

        sheet = self.book.sheet_by_index(i)
        for r in range(sheet.nrows):
            yield r + 1, [_xls_cell_text(cell, self.book.datemode) for cell in sheet.row(r)]

    def merged_down(self, i: int) -> dict[tuple[int, int], int]:
        """The sheet's merged ranges over more than one row, {(first row, first column): last
        row} (1-based row, 0-based column); read from its part's <mergeCell> elements, which a
        read-only openpyxl sheet does not give; an XLS's from xlrd's ``merged_cells`` (read
        with the formatting records, as ``open_xls`` opens a workbook first; none where those
        could not be read: the rows as they are)."""
        out: dict[tuple[int, int], int] = {}
        if self.kind != "xlsx":
            try:
                ranges = self.book.sheet_by_index(i).merged_cells  # [(first row, row after, first col, col after)]
            except Exception:  # noqa: BLE001 - a sheet xlrd cannot load: its rows say so
                return out
            for r0, r1, c0, _c1 in ranges:
                if r1 - r0 > 1:
                    out[(r0 + 1, c0)] = r1
            return out
        part = getattr(self.book.worksheets[i], "_worksheet_path", None)
        if not part:
            return out
        try:
            with self.book._archive.open(part) as fh:
                tail = b""
                while chunk := fh.read(_MERGE_READ):  # (a sheet part may be large: read in pieces)
                    buf = tail + chunk
                    for m in _MERGE_CELL.finditer(buf):
                        c0, r0, r1 = _column_index(m[1]), int(m[2]), int(m[4])
                        if r1 > r0:
                            out[(r0, c0)] = r1
                    tail = buf[-200:]
        except Exception:  # noqa: BLE001 - a damaged part: its rows are read as they are
            return out
        return out

    def close(self) -> None:
        if self.kind == "xlsx":
            self.book.close()
        else:
            self.book.release_resources()


_MERGE_READ = 1 << 20  # bytes of a sheet part read at a time for its <mergeCell> elements
_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="\$?([A-Z]{1,3})\$?(\d{1,7}):\$?([A-Z]{1,3})\$?(\d{1,7})"')


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _open_workbook(source: Source) -> _Workbook:
    """The workbook of a registry file, by its content (``office.sniff``); one-line InputError for
    a corrupt or password-protected one, or an Office file that is no workbook."""
    import warnings

    from ..extract.office import OPENPYXL_HEADER_WARNING, check_zip, sniff

    kind = sniff(source)
    if kind in ("xlsx", "zip-corrupt"):
        check_zip(source, "XLSX")
        try:
            import openpyxl

            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=OPENPYXL_HEADER_WARNING)
                book = openpyxl.load_workbook(io.BytesIO(source.data), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises anything on a damaged part
            raise InputError(source.name, f"corrupt or protected XLSX ({type(exc).__name__})") from None
        return _Workbook(source.name, "xlsx", book)
    if kind == "xls":
        from ..extract.legacy import open_xls

        _data, book = open_xls(source)
        try:
            return _Workbook(source.name, "xls", book)
        except Exception as exc:  # noqa: BLE001 - a sheet xlrd cannot load
            book.release_resources()
            raise InputError(source.name, f"corrupt XLS ({type(exc).__name__})") from None
    if kind == "ole-encrypted":
        raise InputError(source.name, "registry is a password-protected spreadsheet; remove the password "
                                      "or save it as UTF-8 CSV")
    if kind == "ole":
        from ..extract.legacy import ole_reason

        raise InputError(source.name, ole_reason(source.data))
    raise InputError(source.name, f"registry is a {kind.upper()} file, not a CSV, XLSX or XLS registry")


# a line of a region list that is no region's name: a registry CSV given as --regions (its lines
# became the report's "regions", 附件1 a row per line, each 0 0 0; the scan refused every row)
_NOT_A_REGION = re.compile(r"[,，\t;；|]")


def read_regions(path: Path | str) -> list[str]:
    """The regions a registry may name (the province's 地区 column values, e.g. 省直, 广州市 ...):
    one a line, UTF-8 (or GB18030); blank lines and lines starting with # are ignored.  Its
    errors are in Chinese, as the scan's 地区“…”不在地区列表中 and the report's messages are
    (a missing file was ``region list not found`` among them)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "地区列表文件不存在") from None
    except IsADirectoryError:
        raise InputError(str(path), "地区列表是一个目录，应为每行一个地区的文本文件") from None
    except PermissionError:
        raise InputError(str(path), "地区列表无法读取（没有读取权限）") from None
    except OSError as exc:
        raise InputError(str(path), f"地区列表无法读取（{exc.strerror or exc}）") from None
    if data.startswith(_WORKBOOK_MAGIC):
        raise InputError(str(path), "地区列表是电子表格（XLSX/XLS）：应为每行一个地区的文本文件")
    try:
        text = _decoded(data)
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"地区列表的文字编码无法识别（既不是UTF-8也不是GB18030/GBK，第{exc.start}字节）") from None
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1)
             if line.strip() and not line.lstrip().startswith("#")]
    for n, line in lines:
        if _NOT_A_REGION.search(line):
            shown = shown_value(" ".join(line.split())[:30]) + ("…" if len(line) > 30 else "")
            raise InputError(str(path), f"地区列表第{n}行“{shown}”含逗号或制表符，不是一个地区："
                                        "--regions 应为每行一个地区的文本文件（不是名录CSV）")
    regions = list(dict.fromkeys(line for _n, line in lines))
    if not regions:
        raise InputError(str(path), "地区列表为空（每行一个地区）")
    return regions


def _region_error(region: str, regions: Sequence[str] | None) -> str | None:
    if regions is None or region in regions:
        return None
    shown = "、".join(regions[:8]) + ("等" if len(regions) > 8 else "")
    return f"地区“{shown_value(region)}”不在地区列表中（{shown}）"


def _region_spellings(rows: list[tuple[int, dict[str, str]]], regions: Sequence[str] | None) -> dict[int, str]:
    """Without a region list: rows naming a region as the file's other rows do not (广州市 beside
    广州, 广 州): the report would count them as a region of their own (附件1 had a row 广州
    and a row 广州市).  The spelling of the fewer rows is the bad one (a tie: the longer)."""
    if regions is not None:
        return {}
    counts = Counter(row.get("地区", "") for _line, row in rows if row.get("地区"))
    groups: dict[str, list[str]] = {}
    for value in counts:
        key = "".join(unicodedata.normalize("NFKC", value).split()).removesuffix("市")
        groups.setdefault(key, []).append(value)
    canonical = {}
    for values in groups.values():
        if len(values) > 1:
            best = max(values, key=lambda v: (counts[v], -len(v)))
            canonical.update({v: best for v in values if v != best})
    return {line: f"地区“{row['地区']}”与本名单其他{counts[canonical[row['地区']]]}行的“{canonical[row['地区']]}”写法不同"
                  "（报告会把它们分成两个地区）；请统一写法，或用 --regions 给出地区列表"
            for line, row in rows if row.get("地区") in canonical}


def load_sites(path: Path | str, regions: Sequence[str] | None = None) -> tuple[list[SiteEntry], list[RowError]]:
    """Valid website rows, and the bad rows with their line numbers (with ``regions``, a row
    naming another region is a bad row)."""
    rows, name, sheet = _read_rows(path, SITE_COLUMNS)
    entries: list[SiteEntry] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    addresses: dict[str, SiteEntry] = {}
    spelling = _region_spellings(rows, regions)
    for line, row in rows:
        if not any(row.values()):
            continue
        empty = [c for c in SITE_COLUMNS if not row.get(c)]
        if empty:
            errors.append(RowError(name, line, f"缺少{'、'.join(empty)}", sheet))
            continue
        code = code_text(row["网站标识码"])
        code = "bm" + code[2:] if code[:2].lower() == "bm" else code  # BM55000001 is bm55000001
        reason = _region_error(row["地区"], regions) or spelling.get(line) or validate_site_code(code)
        if reason:
            errors.append(RowError(name, line, reason, sheet))
            continue
        if code in seen:
            errors.append(RowError(name, line, f"网站标识码“{code}”与第{seen[code]}行重复", sheet))
            continue
        host = host_of(row["网站地址"])
        if host is None:
            errors.append(RowError(name, line, f"网站地址“{shown_value(row['网站地址'])}”不是有效的网址", sheet))
            continue
        address = site_address(row["网站地址"], host)
        if address in addresses:
            # one site registered twice under two codes: counted twice in 附件1, listed twice in 附件2,
            # and the second row's code "mismatched" the footer (a false 网站标识加挂不规范)
            first = addresses[address]
            errors.append(RowError(name, line, f"网站地址“{row['网站地址']}”与第{first.line}行（网站标识码“{first.code}”）"
                                               "是同一网站：同一网站登记了两次（报告会把它计为两个网站）", sheet))
            continue
        seen[code] = line
        extra = {k: v for k, v in row.items() if k not in SITE_COLUMNS}
        entries.append(SiteEntry(line, row["地区"], row["网站名称"], row["主办单位"], row["网站地址"], host, code, extra))
        addresses[address] = entries[-1]
    return entries, errors


def load_accounts(path: Path | str, platform_codes: dict[str, str] | None = None,
                  regions: Sequence[str] | None = None) -> tuple[list[AccountEntry], list[RowError]]:
    """Valid account rows, and the bad rows with their line numbers (with ``regions``, a row
    naming another region is a bad row)."""
    rows, name, sheet = _read_rows(path, ACCOUNT_COLUMNS)
    entries: list[AccountEntry] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    spelling = _region_spellings(rows, regions)
    for line, row in rows:
        if not any(row.values()):
            continue
        empty = [c for c in ACCOUNT_COLUMNS if not row.get(c)]
        if empty:
            errors.append(RowError(name, line, f"缺少{'、'.join(empty)}", sheet))
            continue
        code = code_text(row["新媒体标识码"]).upper()  # 440600m020xl0001 is 440600M020XL0001
        reason = (_region_error(row["地区"], regions) or spelling.get(line) or validate_account_code(code, platform_codes)
                  or platform_mismatch(code, row["账号类型"], platform_codes))
        if reason:
            errors.append(RowError(name, line, reason, sheet))
            continue
        if code in seen:
            errors.append(RowError(name, line, f"新媒体标识码“{code}”与第{seen[code]}行重复", sheet))
            continue
        seen[code] = line
        known = ACCOUNT_COLUMNS + ACCOUNT_OPTIONAL
        extra = {k: v for k, v in row.items() if k not in known}
        entries.append(AccountEntry(line, row["地区"], row["新媒体名称"], row["账号类型"], row["主办单位"], code,
                                    row.get("账号地址", ""), extra))
    return entries, errors
