"""Shared data and helpers for the Chinese PII recognizers.

* the GB/T 2260 region table (``scanner/data/gb2260.csv``, 国家统计局 2023, WTFPL), loaded
  lazily once per process, and the province-level prefixes it implies;
* Chinese surnames (单姓 and 复姓, after 《百家姓》 and the 2020 census ranking: public
  knowledge, written out here) and the shape test for a personal name;
* the table layout of an extracted text: extractors render table rows as lines whose
  cells are separated by tabs, so a column header (姓名, 身份证号 …) can be found from
  any offset without the original file.
"""
from __future__ import annotations

import bisect
import csv
import dataclasses
import functools
import re
import threading
import typing
from importlib import resources

# ---------------------------------------------------------------- digits


def digits_of(value: str) -> str:
    """The digits and check letters of ``value`` (separators dropped, x upper-cased)."""
    return "".join(ch for ch in value if ch.isdigit() or ch in "Xx").upper()


# ---------------------------------------------------------------- regions (GB/T 2260)

# Province-level codes valid in resident ID numbers (GB/T 2260; 71 台湾, 81 香港, 82 澳门,
# 83 for residence permits of Hong Kong, Macao and Taiwan residents).
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83".split()
)


@functools.lru_cache(maxsize=1)
def region_codes() -> frozenset[str]:
    """The 6-digit codes of the current GB/T 2260 table (provinces, cities, counties)."""
    text = resources.files("scanner.data").joinpath("gb2260.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return frozenset(row["code"] for row in csv.DictReader(lines) if row.get("code"))


def region_status(code6: str) -> str:
    """"known" (in the current table), "province" (a valid province prefix only: a
    retired or re-districted code) or "invalid"."""
    if code6 in region_codes():
        return "known"
    if code6[:2] in PROVINCE_CODES:
        return "province"
    return "invalid"


# ---------------------------------------------------------------- names

SINGLE_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫"
    "寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻"
    "位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦"
    "戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但"
    "尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 闻人 南宫 西门 "
    "端木 独孤 呼延 澹台 公冶 太史 申屠 赫连 万俟 拓跋 百里 东郭 濮阳 左丘 第五".split()
)
# Characters that end a name candidate's plausibility when they are its second or third
# character (function words, measure words, verbs that open clauses).
NOT_IN_GIVEN_NAME = frozenset("的了和与及或在是为对把被从向于等就也都而且但并将已未不没这那其之个们某些种项次年月日号时分")

_HAN = "\u4e00-\u9fff"
NAME_PAD = "\u3000 "
# a personal name as written in lists: 2-4 Han characters, maybe padded with spaces
NAME_SHAPE = re.compile(rf"[{_HAN}](?:[{NAME_PAD}]{{0,2}}[{_HAN}]){{1,3}}")
# masked names: 张*, 张**, 张某, 张某某, 张*明, 张××, 张XX, 欧阳*
MASKED_NAME_SHAPE = re.compile(rf"(?:[{_HAN}]{{1,2}})(?:[*＊×xX]{{1,2}}|某{{1,2}}|[*＊×][{_HAN}])")


def surname_of(name: str) -> str | None:
    """The surname that ``name`` (spaces removed) starts with, or None."""
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    if name[:1] in SINGLE_SURNAMES:
        return name[:1]
    return None


def is_name_shape(value: str) -> bool:
    """2-4 Han characters (padding spaces allowed), no function word inside."""
    if not NAME_SHAPE.fullmatch(value):
        return False
    bare = "".join(value.split()).replace("\u3000", "")
    return 2 <= len(bare) <= 4 and not any(ch in NOT_IN_GIVEN_NAME for ch in bare[1:])


def is_masked_name(value: str) -> bool:
    bare = "".join(value.split()).replace("\u3000", "")
    return bool(MASKED_NAME_SHAPE.fullmatch(bare)) and surname_of(bare + "　") is not None


# ---------------------------------------------------------------- table layout

NAME_HEADERS = (
    "姓名", "名字", "户主", "申请人", "收款人", "领款人", "负责人", "联系人", "法定代表人", "法人代表",
    "当事人", "获奖人", "人员", "考生", "学员", "被执行人", "经办人", "户名", "持卡人", "补贴对象",
    "救助对象", "受助人", "拟录用", "拟聘用", "作者", "家庭成员",
)
_HEADER_HINTS = NAME_HEADERS + (
    "序号", "编号", "身份证", "证件", "电话", "手机", "联系方式", "地址", "住址", "性别", "金额", "银行",
    "卡号", "账号", "单位", "职务", "准考证", "邮箱", "护照", "备注", "民族", "出生",
)


_HEADER_RX = re.compile("|".join(sorted(_HEADER_HINTS, key=len, reverse=True)))

# Key-value tables (登记表, 审批表, 信息公开 forms): label cells each followed by their value
# cell, over several rows and columns (姓名 | 王建国 | 性别 | 男 / 联系电话 | 020-… | …), or a
# label column beside a value column, one pair a row.  A person's record there is the rows
# from a name label's row (姓名 | 王建国) down to the next one, not a row.
KV_LABEL_WORDS = _HEADER_HINTS + (
    "性别", "民族", "籍贯", "政治面貌", "面貌", "学历", "学位", "职称", "职级", "婚姻", "户籍", "户口", "年龄",
    "文化程度", "程度", "健康", "关系", "工作", "住所", "邮编", "邮政编码", "专业", "院校", "学校", "人口", "身份",
    "类别", "类型", "日期", "时间", "事由", "原因", "意见", "签名", "签字", "照片", "号码", "名称", "情况",
    "状况", "级别", "岗位", "部门", "地点", "事项", "信仰", "居住地", "常住", "曾用名", "邮箱", "传真",
)
_KV_LABEL_RX = re.compile("|".join(sorted(set(KV_LABEL_WORDS), key=len, reverse=True)))
_KV_WORDS = frozenset(KV_LABEL_WORDS)
# the most frequent surnames (SINGLE_SURNAMES' first hundred): 张 + 健康 is a name, not a label
# (such a name after 姓名 was no name: the form was no form, its landline "not in a person's record")
_FREQUENT_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武")
FORM_MAX_UNLABELLED = 3  # a form's rows without a label in a row (简历's further lines), at most
# a role written after a name in its cell: 张华（户主）, 李娜(联系人)
NAME_ROLE = re.compile(r"[ \u3000]*[（(][\u4e00-\u9fff]{1,6}[）)][ \u3000]*$")
# a quick test of a row's line before its cells are looked at (most rows of a list hold no label)
# (spaces inside allowed: 姓　名, 姓 名 as forms pad them)
_NAME_LABEL_RX = re.compile("|".join("[ \u3000]*".join(map(re.escape, n)) for n in sorted(NAME_HEADERS, key=len, reverse=True)))


def label_text(value: str) -> str:
    """A label cell's text: spaces and a trailing colon removed (姓　名：→ 姓名)."""
    return "".join(value.split()).rstrip("：:")


def is_kv_label(value: str) -> bool:
    """A cell reading as a field's label (性别, 联系电话, 家庭住址, 身份证号：), not a value (a
    frequent surname before a two-character label word is a name: 张健康, 王学位, 李时间)."""
    v = label_text(value)
    return (2 <= len(v) <= 10 and not any(ch.isdigit() for ch in v) and bool(_KV_LABEL_RX.search(v))
            and not (len(v) == 3 and v[0] in _FREQUENT_SURNAMES and v[1:] in _KV_WORDS))


def is_name_label(label: str) -> bool:
    """A column title or field label whose values are personal names (姓名, 户主, 申请人 …;
    not 身份证号, 联系电话, 户主身份证号)."""
    return (any(label.endswith(n) or label == n or label.startswith(n) for n in NAME_HEADERS)
            and "证" not in label and "电话" not in label and "号" not in label)


def name_in_cell(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the personal name (maybe masked) that a cell holds, without its padding
    and a role bracket after it (张华（户主） → 张华), or None."""
    m = NAME_ROLE.search(text, start, end)
    if m:
        end = m.start()
    while start < end and text[start] in " \u3000\t":
        start += 1
    while end > start and text[end - 1] in " \u3000\t":
        end -= 1
    value = text[start:end]
    if not value or is_kv_label(value):
        return None
    bare = "".join(value.split())
    if (is_name_shape(value) and surname_of(bare)) or is_masked_name(value):
        return start, end
    return None
_PIPE_ROW = re.compile(r"[ \u3000]*\|.*\|[ \u3000]*$")  # a Markdown table row: | a | b |


class CellSpan(typing.NamedTuple):  # a tuple: built for every cell of every document
    table: int
    row: int  # row index inside the table block (0 = first line of the block)
    col: int
    start: int
    end: int


@dataclasses.dataclass(frozen=True, slots=True)
class TableBlock:
    index: int
    header_row: int  # row index of the header inside the block, -1 when none found
    headers: tuple[str, ...]
    rows: tuple[tuple[CellSpan, ...], ...]
    # key-value tables: (row, col) of each name label followed by a name (姓名 | 王建国), the
    # value in the next column; and the rows from the first such row on that are no list's
    # (neither a list's header nor below one): no column header stands above them
    kv_heads: tuple[tuple[int, int], ...] = ()
    kv_rows: frozenset[int] = frozenset()


class TextLayout:
    """Lines, tab-separated table blocks and their headers of an extracted text.

    A table block is a run of consecutive lines that contain a tab (extractors write
    HTML, DOCX, XLSX and CSV rows that way) or are Markdown rows (``| 王芳 | 女 |``: a
    Markdown draft's tables, and the HTML tables of ``govscan review``, which trafilatura
    writes so); its header is the first row holding a typical column title (姓名,
    身份证号码 …), else its first row.
    """

    def __init__(self, text: str):
        self.text = text
        self.line_starts: list[int] = []
        self.blocks: list[TableBlock] = []
        self._cell_starts: list[int] = []
        self._cells: list[CellSpan] = []
        self._cell_blocks: list[TableBlock] = []  # (a pair per cell was 64 bytes more a cell)
        pos = 0
        block_lines: list[tuple[int, str]] = []
        for line in text.split("\n"):
            self.line_starts.append(pos)
            if "\t" in line or _PIPE_ROW.match(line):
                block_lines.append((pos, line))
            elif block_lines:
                self._add_block(block_lines)
                block_lines = []
            pos += len(line) + 1
        if block_lines:
            self._add_block(block_lines)

    def _add_block(self, lines: list[tuple[int, str]]) -> None:
        rows = []
        for r, (pos, line) in enumerate(lines):
            cells = []
            cpos = pos
            if "\t" in line:
                values = line.split("\t")
            else:  # | a | b |: the cells between the first and the last bar
                first = line.index("|")
                cpos += first + 1
                values = line[first + 1:line.rindex("|")].split("|")
            for c, value in enumerate(values):
                cells.append(CellSpan(len(self.blocks), r, c, cpos, cpos + len(value)))
                cpos += len(value) + 1
            rows.append(tuple(cells))
        kv_heads = self._kv_heads(rows)
        kv_rows: set[int] = set()
        list_header = -1
        head_rows = {h for h, _c in kv_heads}
        for h, _c in kv_heads:
            # a form runs from its name's row down to the next name's row, or to a list's header
            # (家庭成员 | 姓名 | 关系 | 工作单位): the rows below that are the list's, under it;
            # or to a list's rows, holding no label (1 | 王建国 | 一组 | 300), below a row that
            # reads as a list's header (序号 | 姓名 | 所在村组 | 补贴金额) or more than
            # FORM_MAX_UNLABELLED of them (up to that many are a field's further lines: 简历)
            for r in range(h, len(rows)):
                if r > h and r in head_rows:
                    break
                if self.list_header(rows[r]):
                    list_header = r if list_header < 0 else min(list_header, r)
                    break
                if r > h and self._unlabelled(rows[r]):
                    if r - 1 > h and self._header_like(rows[r - 1]):
                        kv_rows.discard(r - 1)
                        list_header = r - 1 if list_header < 0 else min(list_header, r - 1)
                        break
                    stretch = r
                    while stretch < len(rows) and stretch - r <= FORM_MAX_UNLABELLED and self._unlabelled(rows[stretch]):
                        stretch += 1
                    if stretch - r > FORM_MAX_UNLABELLED:
                        break
                kv_rows.add(r)
        # the header: the first row with two or more short column titles; else the
        # first of the first five rows with one (title rows and notes may come first);
        # never a form's row (姓名 | 王建国 | 性别 | 男 is no list's header)
        header_row = -1
        single = -1
        for r, row in enumerate(rows[:40]):
            if r in kv_rows:
                continue
            values = [self.text[c.start:c.end].strip() for c in row]
            hits = sum(1 for v in values if v and len(v) <= 12 and _HEADER_RX.search(v))
            if hits >= 2:
                header_row = r
                break
            if hits == 1 and single < 0 and r < 5 and sum(1 for v in values if v) >= 2:
                single = r
        if header_row < 0:
            header_row = single if single >= 0 else list_header
        headers: tuple[str, ...] = ()
        if header_row >= 0:
            headers = tuple("".join(self.text[c.start:c.end].split()) for c in rows[header_row])
        block = TableBlock(len(self.blocks), header_row, headers, tuple(rows), tuple(kv_heads), frozenset(kv_rows))
        self.blocks.append(block)
        for row in rows:
            for cell in row:
                self._cell_starts.append(cell.start)
                self._cells.append(cell)
                self._cell_blocks.append(block)

    def _kv_heads(self, rows) -> list[tuple[int, int]]:
        """(row, col) of the name labels of a key-value table: a name label (姓名, 户主姓名,
        联系人 …) followed by a cell holding a name, in a row that is a form's: another label
        in the row is followed by its value (姓名 | 王建国 | 性别 | 男), or the cell below the
        label is a label too (姓名 | 王建国 / 性别 | 男), or the table is that one row.  A
        list's header (姓名 | 性别 | 身份证号) has a label after 姓名, and its first rows a name
        below it: neither is a form."""
        text = self.text
        heads: list[tuple[int, int]] = []
        for r, row in enumerate(rows):
            if len(row) < 2 or not _NAME_LABEL_RX.search(text, row[0].start, row[-1].end):
                continue
            for c in range(len(row) - 1):
                label = label_text(text[row[c].start:row[c].end])
                if not (label and len(label) <= 10 and is_name_label(label)):
                    continue
                if name_in_cell(text, row[c + 1].start, row[c + 1].end) is None:
                    continue
                below = rows[r + 1] if r + 1 < len(rows) else ()
                if (len(rows) == 1 or self._other_pair(row, c)
                        or (c < len(below) and is_kv_label(text[below[c].start:below[c].end]))):
                    heads.append((r, c))
                    break
        return heads

    def _other_pair(self, row, c: int) -> bool:
        """Whether a label other than the one at ``c`` is followed by a value in ``row``."""
        text = self.text
        for k in range(len(row) - 1):
            if k == c:
                continue
            value = text[row[k + 1].start:row[k + 1].end]
            if value.strip() and is_kv_label(text[row[k].start:row[k].end]) and not is_kv_label(value):
                return True
        return False

    def _unlabelled(self, row) -> bool:
        """A row with something in it and no label (a list's row, or a field's further line)."""
        values = [self.text[c.start:c.end] for c in row]
        return any(v.strip() for v in values) and not any(is_kv_label(v) for v in values)

    def _header_like(self, row) -> bool:
        """Three or more cells, two of them short column titles (序号, 姓名, 金额 …)."""
        values = [self.text[c.start:c.end].strip() for c in row]
        return (sum(1 for v in values if v) >= 3
                and sum(1 for v in values if v and len(v) <= 12 and _HEADER_RX.search(v)) >= 2)

    def list_header(self, row) -> bool:
        """A list's header row: three or more cells, every one that is not empty a label."""
        values = [self.text[c.start:c.end] for c in row]
        filled = [v for v in values if v.strip()]
        return len(filled) >= 3 and all(is_kv_label(v) for v in filled)

    def cell_at(self, pos: int) -> tuple[CellSpan, TableBlock] | None:
        i = bisect.bisect_right(self._cell_starts, pos) - 1
        if i < 0:
            return None
        cell, block = self._cells[i], self._cell_blocks[i]
        if cell.start <= pos <= cell.end:
            return cell, block
        return None

    def header_of(self, pos: int) -> str:
        """The column header above the cell holding ``pos`` ("" when none)."""
        found = self.cell_at(pos)
        if not found:
            return ""
        cell, block = found
        if block.header_row < 0 or cell.row <= block.header_row or cell.col >= len(block.headers):
            return ""
        if cell.row in block.kv_rows:
            return ""  # a form's value: its label is the cell before it
        return block.headers[cell.col]

    def line_of(self, pos: int) -> int:
        return bisect.bisect_right(self.line_starts, pos) - 1

    def line_span(self, line: int) -> tuple[int, int]:
        start = self.line_starts[line]
        end = self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else len(self.text)
        return start, end


class TextCache:
    """A function of one text, its results kept for the latest texts: at most ``entries`` of
    them and ``max_chars`` characters in all, the latest one always (whatever its size), an
    older one let go first.  The analyzer, the name recognizer and the policy's judge ask for
    one text's layout one after the other (``layout_of``), then the next text's; an lru_cache
    of 8 held the layouts of the last 8 texts: 8 spreadsheets of 65,536 rows, some 130 MB each.
    Before a text over the budget is worked on, the others are let go (one big one at a time)."""

    def __init__(self, fn, entries: int = 8, max_chars: int = 1_000_000):
        self._fn = fn
        self.entries = entries
        self.max_chars = max_chars
        self._held: dict[str, typing.Any] = {}  # (oldest first: a dict keeps its order)
        self._lock = threading.Lock()
        functools.update_wrapper(self, fn)

    def __call__(self, text: str):
        with self._lock:
            if text in self._held:
                value = self._held.pop(text)
                self._held[text] = value  # (now the latest)
                return value
            self._trim(len(text))
        value = self._fn(text)
        with self._lock:
            self._trim(len(text))
            self._held[text] = value
        return value

    def _trim(self, incoming: int) -> None:
        """Let the oldest go until ``incoming`` more characters fit (all of them, if it doesn't)."""
        total = sum(map(len, self._held)) + incoming
        while self._held and (total > self.max_chars or len(self._held) >= self.entries):
            oldest = next(iter(self._held))
            total -= len(oldest)
            del self._held[oldest]

    def held(self) -> list[int]:
        """The lengths of the texts held, oldest first."""
        with self._lock:
            return [len(t) for t in self._held]

    def cache_clear(self) -> None:
        with self._lock:
            self._held.clear()


def text_cache(entries: int = 8, max_chars: int = 1_000_000):
    """``TextCache`` as a decorator."""
    return lambda fn: TextCache(fn, entries, max_chars)


@text_cache()
def layout_of(text: str) -> TextLayout:
    return TextLayout(text)
