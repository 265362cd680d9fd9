"""Renderers of the quarterly report: Markdown, CSV, JSON, XLSX (one sheet per attachment) and
DOCX (python-docx, with real tables, as offices circulate them).

Every renderer takes the report dict of ``aggregate.build_report`` and writes the same cells
(``aggregate.attachment_rows``), so the formats cannot disagree.  Binary formats are made
reproducible: document timestamps are the report's time point, not the clock.
"""
from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from ..store import deadline_rule_zh, quarter_label
from .aggregate import ATTACHMENT_TITLES, EMPTY_LIST, attachment_rows, cn_date, empty_list, overview_text
from .csvout import ExcelCsvWriter, csv_text, write_csv_file

FORMATS = ("md", "xlsx", "docx", "json", "csv")
OVERVIEW_HEADING = "一、总体情况"  # the notice's heading, in every format (the Markdown said 总体情况)


def _stamp(report: dict) -> dt.datetime:
    as_of = (report["period"].get("sites") or report["period"].get("accounts") or {}).get("as_of", "2000-01-01")
    return dt.datetime.fromisoformat(as_of + "T00:00:00")


def to_json(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def _md_cell(value: str) -> str:
    return " ".join(value.replace("|", "\\|").splitlines()) or " "  # a line break would end the row


def md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def attachment_md(report: dict, number: int) -> str:
    header, rows, note = attachment_rows(report, number)
    if empty_list(report, number, rows):
        rows = [[EMPTY_LIST] + [""] * (len(header) - 1)]
    out = [f"## 附件{number} {ATTACHMENT_TITLES[number]}", "", f"（{report['label']}）", "", md_table(header, rows)]
    if note:
        out += ["", note]
    return "\n".join(out) + "\n"


def to_markdown(report: dict) -> str:
    parts = [f"# {report['label']}政府网站与政务新媒体检查情况", "", f"## {OVERVIEW_HEADING}", ""]
    for para in overview_text(report):
        parts += [para, ""]
    return "\n".join(parts) + "\n" + "\n".join(attachment_md(report, n) for n in (1, 2, 3, 4))


def attachment_csv(report: dict, number: int) -> str:
    """One attachment as CSV, a table and nothing else: the notice's header, then one row a unit
    (附件1/3: a region, and the 合 计 row); 地区 on every row (a program or a spreadsheet filter
    read the blank 地区 of a group's later rows as no region).  The attachment's 注 (the sampling
    period, 本表为空, registry rows left out) is no row of it: it was the last row, one cell, which
    a spreadsheet sorted among the units and a program read as a unit named 注：….  It stays in
    the Markdown, XLSX and DOCX under the table, and in ``to_csv``'s stream as a ``# 注`` line."""
    header, rows, _ = attachment_rows(report, number, group_regions=False)
    return csv_text([header, *rows])


def to_csv(report: dict) -> str:
    """All four attachments in one stream, each after a ``# 附件N 标题`` line and its ``# 注：…``
    line, when it has one (the lines a reader of this stream already skips)."""
    def part(n: int) -> str:
        note = attachment_rows(report, n)[2]
        return f"# 附件{n} {ATTACHMENT_TITLES[n]}\n" + (f"# {note}\n" if note else "") + attachment_csv(report, n)

    return "\n".join(part(n) for n in (1, 2, 3, 4))


XLSX_MAX_WIDTH = 40


def _display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: wide (CJK, full-width) characters count two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def to_xlsx(report: dict, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for n in (1, 2, 3, 4):
        ws = wb.create_sheet(f"附件{n}")
        header, rows, note = attachment_rows(report, n)
        width = len(header)
        ws.append([f"附件{n}"])
        ws.append([ATTACHMENT_TITLES[n]])
        ws.append([f"（{report['label']}）"])
        for r in (2, 3):
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
            ws.cell(r, 1).alignment = Alignment(horizontal="center")
        ws.cell(2, 1).font = Font(bold=True, size=14)
        ws.append(header)
        for c in range(1, width + 1):
            ws.cell(4, c).font = Font(bold=True)
        for row in rows:  # counts and 序号 as numbers (staff sum them); an empty cell stays empty
            ws.append([int(v) if v.isdigit() and (n in (1, 3) or i == 0) else (v or None) for i, v in enumerate(row)])
            for cell in ws[ws.max_row]:
                if cell.data_type == "f":  # openpyxl takes a text starting with = as a formula: a name is text
                    cell.data_type = "s"
        if n in (2, 4):  # 地区 once per group, its cells merged as the DOCX's (a printed sheet showed
            # the group's later rows boxed with an empty 地区, as if it were missing)
            starts = [i for i, row in enumerate(rows) if row[1]] + [len(rows)]
            for first, end in zip(starts, starts[1:]):
                if end - first > 1:
                    ws.merge_cells(start_row=5 + first, start_column=2, end_row=4 + end, end_column=2)
        if empty_list(report, n, rows):  # 无, across the table
            ws.append([EMPTY_LIST])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
        last = ws.max_row
        for r in range(4, last + 1):
            for c in range(1, width + 1):
                ws.cell(r, c).border = border
                # as the DOCX: names and sponsors left, the rest (and the header) centred
                across = "left" if r > 4 and c - 1 in DOCX_WRAPPABLE[n] else "center"
                ws.cell(r, c).alignment = Alignment(horizontal=across, vertical="center", wrap_text=True)
        if empty_list(report, n, rows):
            ws.cell(last, 1).alignment = Alignment(horizontal="center", vertical="center")
        if note:  # after an empty row: a sort or filter of the table's range took the note for a unit
            ws.append([])
            ws.append([note])
        # widths from the longest cell (a CJK character is two), so names and codes fit unwrapped
        for c in range(1, width + 1):
            longest = max(_display_width(str(r[c - 1])) for r in [header, *rows])
            ws.column_dimensions[get_column_letter(c)].width = min(max(longest + 2, 6), XLSX_MAX_WIDTH)
        ws.freeze_panes = "A5"  # the header row stays in view while scrolling
        ws.print_title_rows = "4:4"  # and is printed on every page
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if n in DOCX_LANDSCAPE else "portrait"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.oddFooter.center.text = "— &P —"  # printed page numbers, as the DOCX (there were none)
    stamp = _stamp(report)
    wb.properties.creator = "govscan"
    wb.properties.title = f"{report['label']}检查情况"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.save(path)


# DOCX page and table layout.  The notice's attachments are A4 pages (GB/T 9704 margins); the two
# lists (附件2: 6 columns, 附件4: 7, with 主办单位 up to 18 characters) go on landscape pages,
# where equal columns on a portrait Letter page wrapped every name and code over three lines.
DOCX_LANDSCAPE = (2, 4)
_A4_MM = (210, 297)
_MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
# columns that may wrap when a table is wider than the page (names and sponsors, which break
# between words); the others (序号, 地区, 账号类型, the problem's wording, the 标识码) get the width
# of their longest cell first: fixed proportions broke 440600M020XL/0001 and 监测时间点前2周内/无更新
DOCX_WRAPPABLE = {1: (), 2: (2, 3), 3: (), 4: (2, 4)}
_DOCX_FONT_PT = 12
_DOCX_CELL_PADDING_PT = 20  # Word's cell margins (2 x 0.19 cm) and the space set between CJK and digits


def _docx_text_pt(text: str) -> float:
    """Width of a text in the 12 pt table font: a CJK character one em; digits and Latin letters
    two thirds of one (仿宋's, and the fonts LibreOffice and WPS substitute for it, are wider than
    half an em: 10-digit codes broke over two lines at half)."""
    return _DOCX_FONT_PT * sum(1 if _display_width(ch) == 2 else 2 / 3 for ch in text)
_DOCX_MAX_COLUMN_PT = 200  # a joined list of problems wraps rather than crowd out the names


def docx_column_widths(header: list[str], rows: list[list[str]], text_width: int,
                       wrappable: tuple[int, ...] = ()) -> list[int]:
    """Column widths (EMU) summing to ``text_width``: each column's longest cell if they all fit, spread in proportion; otherwise the columns not in ``wrappable`` get
    their need and the wrappable ones share the rest equally, at most their own need each."""
    from docx.shared import Pt

    need = [min(Pt(max(_docx_text_pt(str(r[c])) for r in [header, *rows]) + _DOCX_CELL_PADDING_PT),
                Pt(_DOCX_MAX_COLUMN_PT)) for c in range(len(header))]
    if sum(need) <= text_width:
        return [int(n * text_width / sum(need)) for n in need]
    widths = list(need)
    fixed = [c for c in range(len(need)) if c not in wrappable]
    rest = text_width - sum(need[c] for c in fixed)
    if not wrappable or rest <= 0:  # nothing may wrap, or even the fixed ones do not fit: scale all
        return [int(n * text_width / sum(need)) for n in need]
    left = sorted(wrappable, key=lambda c: need[c])
    for i, c in enumerate(left):  # max-min fair share of what the fixed columns leave
        widths[c] = min(need[c], rest / (len(left) - i))
        rest -= widths[c]
    spare = rest / len(need) if rest > 0 else 0
    return [int(w + spare) for w in widths]


def _docx_page(section, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    short, long_ = Mm(_A4_MM[0]), Mm(_A4_MM[1])
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long_, short) if landscape else (short, long_)
    for side, mm in _MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(mm))


def _docx_table_layout(table, widths: list[int]) -> None:
    """Fixed column widths, centred, header row repeated on every page."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    widths = [w - w % 635 for w in widths]  # whole twips (Word's unit), never past the margin
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for col, width in zip(table.columns, widths):
        col.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")  # Word repeats this row at the top of each page
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _docx_align_cells(table, wrappable: tuple[int, ...]) -> None:
    """As the office's tables: every cell centred vertically; 序号, 地区, counts, 账号类型, the
    problem and the 标识码 centred across, names and sponsors (the wrapping columns) left."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if r == 0 or c not in wrappable:
                for para in cell.paragraphs:
                    para.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _docx_merge_down(column: list, texts: list[str]) -> None:
    """Merge each group of a column's cells down (a cell with text starts a group, the empty ones
    below it continue it), as Word marks a vertical merge: ``w:vMerge restart`` on the group's
    first cell, ``continue`` on the others.  python-docx's ``Table.cell`` rebuilds the whole
    table's cells and ``_Cell.merge`` finds each next row by its index among all rows, so merging
    a 10,000-account 附件4 took minutes (quadratic); this marks each cell once."""
    from docx.oxml.simpletypes import ST_Merge

    starts = [i for i, text in enumerate(texts) if text] + [len(texts)]
    for first, end in zip(starts, starts[1:]):
        if end - first < 2:
            continue
        column[first]._tc.vMerge = ST_Merge.RESTART
        for i in range(first + 1, end):
            column[i]._tc.vMerge = ST_Merge.CONTINUE


def _docx_page_numbers(section) -> None:
    """A page number at the foot of every page, — 1 — as GB/T 9704 prints it (there was none:
    a printed 通报 of several pages could not be checked for a missing page)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    para._p.append(field)
    para._p.append(para.add_run(" —")._r)  # after the field


def to_docx(report: dict, path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    _docx_page(doc.sections[0], landscape=False)
    style = doc.styles["Normal"]
    style.font.name = "仿宋"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"{report['label']}政府网站与政务新媒体检查情况")
    run.bold = True
    run.font.size = Pt(16)
    doc.add_paragraph(OVERVIEW_HEADING)
    for para in overview_text(report):
        doc.add_paragraph(para)
    for n in (1, 2, 3, 4):
        header, rows, note = attachment_rows(report, n)
        section = doc.add_section(WD_SECTION.NEW_PAGE)  # each attachment on its own page(s)
        _docx_page(section, landscape=n in DOCX_LANDSCAPE)
        doc.add_paragraph(f"附件{n}")
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run(ATTACHMENT_TITLES[n])
        r.bold = True
        r.font.size = Pt(14)
        p = doc.add_paragraph(f"（{report['label']}）")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # every row made at once: Table.add_row looks up the table's grid past all the rows before it
        table = doc.add_table(rows=1 + len(rows), cols=len(header))
        table.style = "Table Grid"
        table_rows = iter(table.rows)
        for cell, text in zip(next(table_rows).cells, header):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        region_cells = []  # the 地区 column's cells, kept: table.cell() rebuilds every cell of the table
        for row, table_row in zip(rows, table_rows):
            cells = table_row.cells
            for cell, text in zip(cells, row):
                cell.text = text
            region_cells.append(cells[1])
        _docx_align_cells(table, DOCX_WRAPPABLE[n])
        text_width = section.page_width - section.left_margin - section.right_margin
        _docx_table_layout(table, docx_column_widths(header, rows, text_width, DOCX_WRAPPABLE[n]))
        # 地区 written once per group, as in the notice: merge the group's cells
        if n in (2, 4):
            _docx_merge_down(region_cells, [row[1] for row in rows])
        if empty_list(report, n, rows):  # 无, one cell across the table
            cells = table.add_row().cells
            merged = cells[0].merge(cells[-1])
            merged.text = EMPTY_LIST
            merged.width = sum(col.width for col in table.columns)
            merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        if note:
            doc.add_paragraph(note)
    _docx_page_numbers(doc.sections[0])  # the later sections' footers are linked to it
    stamp = _stamp(report)
    doc.core_properties.author = "govscan"
    doc.core_properties.title = f"{report['label']}检查情况"
    doc.core_properties.created = stamp
    doc.core_properties.modified = stamp
    doc.core_properties.last_modified_by = "govscan"
    doc.save(path)


def write_report(report: dict, out_dir: Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write the report in each format under ``out_dir``; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"report-{report['quarter']}"
    written = []
    for fmt in formats:
        if fmt == "md":
            path = out_dir / f"{stem}.md"
            path.write_text(to_markdown(report), encoding="utf-8")
        elif fmt == "json":
            path = out_dir / f"{stem}.json"
            path.write_text(to_json(report), encoding="utf-8")
        elif fmt == "csv":
            for n in (1, 2, 3, 4):
                p = out_dir / f"{stem}-附件{n}.csv"
                write_csv_file(p, attachment_csv(report, n))  # BOM: Excel reads it as UTF-8
                written.append(p)
            continue
        elif fmt == "xlsx":
            path = out_dir / f"{stem}.xlsx"
            to_xlsx(report, path)
        elif fmt == "docx":
            path = out_dir / f"{stem}.docx"
            to_docx(report, path)
        else:
            raise ValueError(fmt)
        written.append(path)
    return written


# --- compare and rectification -------------------------------------------------------------

_KIND_LABEL = {"sites": "政府网站", "accounts": "政务新媒体"}
_BUCKETS = {"new": "新发现", "persisting": "仍存在", "fixed": "已整改", "unchecked": "未复查",
            "delisted": "不在名录"}
# delisted: the unit is gone from the later scan's registry (closed, merged, deregistered): it stayed 未整改
_STATUS = {"open": "未整改", "rectified": "已整改", "delisted": "不在名录"}


def compare_md(cmp: dict) -> str:
    out = [f"# {quarter_label(cmp['quarter'])}与{quarter_label(cmp['compare'])}问题对比", ""]
    for kind in ("sites", "accounts"):
        sec = cmp[kind]
        out.append(f"## {_KIND_LABEL[kind]}：新发现 {len(sec['new'])}，仍存在 {len(sec['persisting'])}，"
                   f"已整改 {len(sec['fixed'])}，未复查 {len(sec['unchecked'])}，不在名录 {len(sec.get('delisted', []))}")
        out.append("")
        rows = [[_BUCKETS[b], p["region"], p["name"], p["problem"], _code_text(p)]
                for b in _BUCKETS for p in sec.get(b, [])]
        out.append(md_table(["类别", "地区", "名称", "问题", "标识码"], rows) if rows else "（无）")
        out.append("")
    return "\n".join(out)


def _code_text(p: dict) -> str:
    """A unit's code; a unit re-coded between the quarters with its earlier one: 4403000009（原4403000001）."""
    return f"{p['code']}（原{p['previous_code']}）" if p.get("previous_code") else p["code"]


def compare_csv(cmp: dict) -> str:
    buf = io.StringIO()
    w = ExcelCsvWriter(buf)
    w.writerow(["类型", "类别", "地区", "名称", "问题", "标识码", "原标识码"])
    for kind in ("sites", "accounts"):
        for b in _BUCKETS:
            for p in cmp[kind].get(b, []):
                w.writerow([_KIND_LABEL[kind], _BUCKETS[b], p["region"], p["name"], p["problem"], p["code"],
                            p.get("previous_code", "")])
    return buf.getvalue()


def _status_text(item: dict, overdue: bool = True, label=str) -> str:
    """未整改（逾期）, 已整改, 不在2022Q3名录 (the quarter whose registry no longer lists the unit;
    ``label``: how the quarter is written, 2022年第三季度 in Markdown)."""
    if item["status"] == "delisted":
        return f"不在{label(item['checked_quarter'])}名录" if item.get("checked_quarter") else _STATUS["delisted"]
    return _STATUS[item["status"]] + ("（逾期）" if overdue and item["overdue"] else "")


def rectification_md(status: dict) -> str:
    title = quarter_label(status["quarter"]) if status["quarter"] else ""
    delisted = status.get("delisted", 0)
    out = [f"# {title}整改情况", "",
           f"未整改 {status['open']}（其中逾期 {status['overdue']}），已整改 {status['rectified']}，不在名录 {delisted}"
           + ("（单位已不在复查季度的名录中：网站关停或合并、账号注销，不计为未整改）" if delisted else ""), ""]
    if status["items"]:
        out += [deadline_rule_zh() + "。", ""]
    # read by people: quarters and dates as the notice writes them (2022年第二季度, 2022年7月20日)
    rows = [[quarter_label(r["quarter"]), _KIND_LABEL[r["kind"]], r["region"], r["name"], r["problem"], r["code"],
             cn_date(r["deadline"]), _status_text(r, label=quarter_label), cn_date(r["checked_as_of"])]
            for r in status["items"]]
    out.append(md_table(["季度", "类型", "地区", "名称", "问题", "标识码", "整改期限", "状态", "复查时间点"], rows)
               if rows else "（无）")
    # each problem's indicator clause and what to do, once per problem (the list said neither)
    todo = list(dict.fromkeys((r["problem"], r.get("indicator", ""), r.get("action", ""))
                              for r in status["items"] if r.get("action")))
    if todo:
        out += ["", "整改要求：", ""]
        out += [f"- {problem}" + (f"（{indicator}）" if indicator else "") + f"：{action}"
                for problem, indicator, action in todo]
    return "\n".join(out) + "\n"


def rectification_csv(status: dict) -> str:
    buf = io.StringIO()
    w = ExcelCsvWriter(buf)
    w.writerow(["季度", "类型", "地区", "名称", "问题", "标识码", "整改期限", "状态", "逾期", "复查时间点", "整改确认日期",
                "指标条款", "问题说明", "整改要求"])
    for r in status["items"]:
        w.writerow([r["quarter"], _KIND_LABEL[r["kind"]], r["region"], r["name"], r["problem"], r["code"],
                    r["deadline"], _status_text(r, overdue=False), "是" if r["overdue"] else "否", r["checked_as_of"] or "",
                    r["rectified_on"] or "", r.get("indicator", ""), r.get("reason", ""), r.get("action", "")])
    return buf.getvalue()
