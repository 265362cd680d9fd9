"""``govscan report``: a thin command over ``scanner.report`` (registered in ``scanner/cli.py``)."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .csvout import write_csv_file, write_stdout

DEFAULT_STORE = "govscan.db"


class ReportFormat(str, Enum):
    md = "md"
    xlsx = "xlsx"
    docx = "docx"
    json = "json"
    csv = "csv"
    all = "all"


StoreOpt = Annotated[
    str,
    typer.Option("--store", envvar="GOVSCAN_STORE",
                 help="SQLite file or postgresql:// URL holding the scan results."),
]


def report(
    quarter: Annotated[Optional[str], typer.Option("--quarter", "-q", help="Quarter, e.g. 2022Q2.")] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="md, xlsx, docx, json, csv, or all (needs -o).")] = ReportFormat.md,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Directory to write report files into (default: print md/json/csv).")] = None,
    store: StoreOpt = DEFAULT_STORE,
    compare: Annotated[Optional[str], typer.Option("--compare", help="Previous quarter: list new, persisting and fixed problems.")] = None,
    rectification: Annotated[bool, typer.Option("--rectification", help="Rectification status of the problems (all quarters, or --quarter's).")] = False,
    attachment: Annotated[Optional[list[int]], typer.Option("--attachment", "-a", help="Print only these attachments (1-4) as tables.")] = None,
    regions: Annotated[Optional[Path], typer.Option("--regions", help="The province's regions, one a line (the scan's --regions file): 附件1-4, --compare and --rectification list them in this order (default: registry order); 省直 last.")] = None,
) -> None:
    """Quarterly report (通报 附件1-4 and 总体情况) from stored scan results; no rescanning.

    Example: govscan report --store out/demo/govscan.db --quarter 2022Q2 --format json
    """
    from ..errors import GovscanError
    from . import ATTACHMENT_TITLES, build_report, compare_quarters, rectification_status, render

    def fail(message: str) -> None:
        typer.echo(f"govscan: {message}", err=True)
        raise typer.Exit(2)

    if not rectification and not quarter:
        fail("需要 --quarter（例如 2022Q2），或 --rectification")
    # (each of them was accepted and silently ignored: the other report came out, exit 0)
    if rectification and compare:
        fail("--rectification 与 --compare 不能同时使用：整改情况与问题对比是两份报告，请分两次运行")
    if attachment and (rectification or compare):
        fail(f"-a 只打印季度报告的附件1-4，不能与 {'--rectification' if rectification else '--compare'} 同时使用")
    if "://" not in store and not Path(store).exists():
        fail(f"存储 {store} 不存在：请先运行 govscan scan ... --store {store}")
    fmt = format.value
    if fmt in ("xlsx", "docx", "all") and output is None:
        fail(f"--format {fmt} 需要用 -o 指定输出目录")
    try:
        from ..site.registry import read_regions
        from ..store import open_store, parse_quarter

        for q in (quarter, compare):
            if q:
                parse_quarter(q)
        # as `scan --quarter` files them: 2022q2 is 2022Q2
        quarter, compare = (q.strip().upper() if q else q for q in (quarter, compare))
        with open_store(store) as st:
            if rectification:
                data = rectification_status(st, quarter, region_order=read_regions(regions) if regions else ())
                _emit(data, fmt, output, f"rectification-{quarter or 'all'}", render.rectification_md,
                      render.rectification_csv)
                return
            if compare:
                data = compare_quarters(st, quarter, compare, region_order=read_regions(regions) if regions else ())
                _emit(data, fmt, output, f"compare-{quarter}-{compare}", render.compare_md, render.compare_csv)
                return
            order = read_regions(regions) if regions else ()
            rep = build_report(st, quarter, region_order=order)
            unfinished = [r for r in st.running() if r["quarter"] == quarter]
    except GovscanError as exc:
        fail(str(exc))
    if order:
        _unlisted_regions(rep, order, regions)
    for r in unfinished:  # an interrupted scan: the report shows the last complete one, or none
        what = "网站" if r["kind"] == "sites" else "政务新媒体"
        shown = "上一次完成的检查结果" if rep["period"].get(r["kind"]) else "无结果"
        typer.echo(f"注意：{quarter}的{what}检查未完成（已保存{r['saved']}/{r['total']}个单位，监测时间点{r['as_of']}），"
                   f"本报告中为{shown}；用同一命令再次运行 govscan scan 即可续扫", err=True)
    for kind, what in (("sites", "网站"), ("accounts", "政务新媒体")):
        if not rep["period"].get(kind) and not any(r["kind"] == kind for r in unfinished):
            typer.echo(f"注意：存储中没有{quarter}的{what}检查结果，报告中的{what}部分为空"
                       f"（请先运行 govscan scan {kind} --store {store}）", err=True)
    if attachment:
        bad = [n for n in attachment if n not in ATTACHMENT_TITLES]
        if bad:
            fail(f"附件编号只能是 1-4（收到 {bad}）")
        if fmt not in ("md", "csv") or output is not None:
            fail(f"-a 只把附件以 md 或 csv 表格打印到屏幕（收到 --format {fmt}"
                 + ("、-o" if output is not None else "") + "）；写文件请去掉 -a")
        write = render.attachment_csv if fmt == "csv" else render.attachment_md
        _print(fmt, "\n".join(write(rep, n) for n in attachment))
        if fmt == "csv":
            _csv_notes(rep, attachment)
        return
    if output is not None:
        formats = render.FORMATS if fmt == "all" else (fmt,)
        try:
            written = render.write_report(rep, output, formats)
        except OSError as exc:
            fail(_write_error(output, exc))
        for path in written:
            typer.echo(str(path), err=True)
        if fmt == "csv":
            _csv_notes(rep, ATTACHMENT_TITLES)
        return
    text = {"md": render.to_markdown, "json": render.to_json, "csv": render.to_csv}[fmt](rep)
    _print(fmt, text)


def _csv_notes(rep: dict, numbers) -> None:
    """The attachments' 注 on stderr: a CSV attachment is the table alone (its note was a last
    row, sorted among the units); the Markdown, XLSX and DOCX keep it under the table."""
    from .aggregate import attachment_rows

    for n in numbers:
        note = attachment_rows(rep, n)[2]
        if note:
            typer.echo(f"附件{n} {note}", err=True)


def _unlisted_regions(rep: dict, order: list[str], path: Path) -> None:
    """A note for the regions of the store the list does not name (they come after its regions):
    a list spelling 广州市 where the registry has 广州 gave 附件1 a row 广州市 0 0 0 and a row
    广州 further down, without a word."""
    from .aggregate import DEPARTMENT_REGIONS

    rows = [r for kind in ("sites", "accounts") for r in rep.get(kind, {}).get("by_region", ())]
    listed = set(order)
    unlisted = list(dict.fromkeys(r["region"] for r in rows if r["total"] and r["region"] not in listed
                                  and r["region"] not in DEPARTMENT_REGIONS))
    if not unlisted:
        return
    empty = [g for g in order if g not in DEPARTMENT_REGIONS and not any(r["region"] == g and r["total"] for r in rows)]
    quoted = "、".join(f"“{g}”" for g in unlisted[:8]) + (f"等{len(unlisted)}个" if len(unlisted) > 8 else "")
    typer.echo(f"注意：存储中的地区{quoted}不在地区列表 {path} 中，附件中排在列表所列地区之后"
               + (f"；列表中的{'、'.join(f'“{g}”' for g in empty[:5])}{'等' if len(empty) > 5 else ''}没有任何单位"
                  "（写法与名录不同？）" if empty else ""), err=True)


def _emit(data: dict, fmt: str, output: Optional[Path], stem: str, to_md, to_csv) -> None:
    import json

    texts = {"md": to_md, "json": lambda d: json.dumps(d, ensure_ascii=False, indent=2) + "\n", "csv": to_csv}
    if fmt not in texts and fmt != "all":
        typer.echo("govscan: 此报告只支持 md、json、csv 格式", err=True)
        raise typer.Exit(2)
    if output is None:
        _print(fmt, texts[fmt](data))
        return
    try:
        output.mkdir(parents=True, exist_ok=True)
        for f in (texts if fmt == "all" else [fmt]):
            path = output / f"{stem}.{f}"
            if f == "csv":
                write_csv_file(path, texts[f](data))
            else:
                path.write_text(texts[f](data), encoding="utf-8")
            typer.echo(str(path), err=True)
    except OSError as exc:
        typer.echo(f"govscan: {_write_error(output, exc)}", err=True)
        raise typer.Exit(2)


def _print(fmt: str, text: str) -> None:
    """A report on standard output; CSV after a BOM, as in the files (``> 附件.csv`` opens in Excel)."""
    if fmt == "csv":
        write_stdout(text)
    else:
        sys.stdout.write(text)


def _write_error(output: Path, exc: OSError) -> str:
    """One line naming the output and the reason (a missing parent, no permission, a full disk)."""
    where = exc.filename or output
    return f"无法写入报告 {where}：{exc.strerror or exc}"
