"""``govscan privacy``: the auditor's commands (thin: parse, call the library, print).

Exit codes: 0 every file compliant (audit) or the masked copy compliant (mask);
1 a violation or an unreadable file; 2 usage errors (bad option, bad policy file).
"""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

privacy_app = typer.Typer(
    name="privacy",
    help="个人信息（隐私）检查与去标识化：audit 审查已发布文件，mask 生成去标识化副本。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class AuditFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


PolicyOpt = Annotated[
    Optional[Path],
    typer.Option("--policy", help="TOML file overriding any subset of the packaged privacy policy (scanner/conf/privacy.toml)."),
]


def _load_policy(path: Optional[Path]):
    from ..errors import GovscanError
    from .policy import Policy

    try:
        return Policy.load(path)
    except GovscanError as exc:
        typer.echo(f"govscan: {exc}", err=True)
        raise typer.Exit(2)


# what a file name says the format is (.md is text, .htm is HTML)
_KIND = {".txt": "txt", ".md": "txt", ".text": "txt", ".markdown": "txt", ".html": "html", ".htm": "html",
         ".shtml": "html", ".csv": "csv", ".xlsx": "xlsx", ".docx": "docx", ".pdf": "pdf", ".ofd": "ofd"}


def _location_text(loc: dict) -> str:
    if "part" in loc:  # a DOCX's 页脚, 批注 …
        return f"{loc['part']} " + _location_text({k: v for k, v in loc.items() if k != "part"})
    if "sheet" in loc:
        return f"{loc['sheet']}!{loc['cell']}"
    if "table" in loc:
        return f"表{loc['table'] + 1} 行{loc['row'] + 1} 列{loc['col'] + 1}"
    if "page" in loc:
        return f"第{loc['page']}页 {loc['start']}-{loc['end']}"
    return f"{loc['start']}-{loc['end']}"


@privacy_app.command("audit")
def audit(
    paths: Annotated[list[str], typer.Argument(help="Files (.txt .md .html .csv .xlsx .docx .pdf .ofd) and directories, mixed; - for standard input.")],
    recursive: Annotated[bool, typer.Option("--recursive", "-r", help="Descend into sub-directories.")] = False,
    format: Annotated[AuditFormat, typer.Option("--format", "-f", help="text, json (one array), jsonl (one record per line) or csv (one row per item).")] = AuditFormat.text,
    policy: PolicyOpt = None,
) -> None:
    """Audit published files for personal information that was not de-identified (单项否决·泄露个人隐私).

    One record per file: verdict violation / compliant / unreadable, the reason, and every
    detected item with its masked value and location.  No unmasked value is ever printed.

    Example: govscan privacy audit attachments/ notice.html -r --format jsonl
    """
    from .audit import audit_paths

    pol = _load_policy(policy)
    bad = False
    records = []
    writer = None
    if format is AuditFormat.csv:  # UTF-8 with a BOM and no formulas, as every CSV govscan writes
        from ..report.csvout import ExcelCsvWriter, start_stdout

        writer = ExcelCsvWriter(start_stdout())
        writer.writerow(["path", "format", "verdict", "reason", "entity", "masked", "value_masked", "location", "score", "violation", "rule"])
    counts: dict[str, int] = {}
    passed_over: list[tuple[str, str]] = []
    for record in audit_paths(paths, pol, recursive=recursive, passed_over=passed_over):
        bad = bad or record.verdict != "compliant"
        counts[record.verdict] = counts.get(record.verdict, 0) + 1
        data = record.to_dict()
        if format is AuditFormat.jsonl:
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        elif format is AuditFormat.json:
            records.append(data)
        elif writer is not None:
            base = [record.path, record.format, record.verdict, record.reason]
            if not record.items:
                writer.writerow(base + [""] * 7)
            for item in record.items:  # the rule too: why an item is (not) a violation (it was left out)
                writer.writerow(base + [item["entity"], item["masked"], item["value_masked"], json.dumps(item["location"], ensure_ascii=False),
                                        item["score"], item["violation"], item["rule"]])
        else:
            mark = {"violation": "违规", "compliant": "合规", "unreadable": "无法读取"}[record.verdict]
            typer.echo(f"{record.path}\t[{record.format}]\t{mark} ({record.verdict})\t{record.reason}")
            for item in record.items:
                state = ("去标识化不足" if item["violation"] else "已去标识化") if item["masked"] else ("违规" if item["violation"] else "未违规")
                typer.echo(f"    {item['entity']:<15} {item['value_masked']}\t{_location_text(item['location'])}\t{state}\t{item['rule']}")
    if format is AuditFormat.json:
        _write_json(records)
    elif format is AuditFormat.text and sum(counts.values()) > 1:
        # the count of each verdict (a folder of 200 attachments printed 7,500 lines, its one
        # violation and seven unreadable files somewhere among them)
        typer.echo(f"共 {sum(counts.values())} 个文件：" + "，".join(
            f"{label} {counts.get(verdict, 0)}" for verdict, label in (("violation", "违规"), ("unreadable", "无法读取"), ("compliant", "合规"))))
    if passed_over:  # (after the records: on stdout in the text format, else on stderr, the data left clean)
        from ..extract.folders import passed_over_line

        typer.echo(passed_over_line(passed_over), err=format is not AuditFormat.text)
    raise typer.Exit(1 if bad else 0)


def _converted(path: str) -> bool:
    """Whether ``path`` holds a format mask copies as another (XLS, DOC, RTF, MHT), whatever its
    name: a DOCX named .xls is copied as DOCX, formatting and all (it was told "旧版 .xls 无法写回")."""
    from ..extract.legacy import MODERN
    from ..extract.office import sniff
    from .audit import read_file

    return sniff(read_file(path)) in MODERN


def _write_json(records: list[dict]) -> None:
    """``json.dumps(records, ensure_ascii=False, indent=2)`` and a newline, written in pieces:
    with ``indent`` the encoder is json's Python one, and ``dumps`` kept its every piece (some
    30 an item) in one list: 450,000 items of a 65,536-row 名单 took about 900 MB."""
    pieces: list[str] = []
    for piece in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(records):
        pieces.append(piece)
        if len(pieces) >= 8192:
            sys.stdout.write("".join(pieces))
            pieces.clear()
    sys.stdout.write("".join(pieces) + "\n")


@privacy_app.command("mask")
def mask(
    in_path: Annotated[str, typer.Argument(metavar="IN", help="File to de-identify (.txt .md .html .csv .xlsx .docx; .xls/.et and .doc/.wps are copied as .xlsx/.docx).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the de-identified copy (same format; XLSX/DOCX for a legacy .xls/.doc).")],
    policy: PolicyOpt = None,
) -> None:
    """Write a de-identified copy of a file (same format), then re-audit the copy.

    Default style: ID keeps the first 6 and last 4, mobile the first 3 and last 4, names
    the surname; configurable in the policy's \\[mask] table.

    Example: govscan privacy mask 公示名单.xlsx -o 公示名单-脱敏.xlsx
    """
    from ..errors import GovscanError
    from .mask import CopyNameError, mask_file

    pol = _load_policy(policy)
    if Path(in_path).resolve() == out.resolve():
        typer.echo(f"govscan: {out}: the output must not overwrite the input", err=True)
        raise typer.Exit(2)
    kind_in, kind_out = (_KIND.get(Path(p).suffix.lower()) for p in (in_path, out))
    if kind_in and kind_out and kind_in != kind_out:  # the copy keeps the format: so must its name
        typer.echo(f"govscan: {out}: the copy of {Path(in_path).name} is {kind_in.upper()} too: give it a {Path(in_path).suffix} name", err=True)
        raise typer.Exit(2)
    try:
        record, masked = mask_file(in_path, str(out), pol)
    except CopyNameError as exc:  # a .xls copied as XLSX must be named so (nothing written)
        typer.echo(f"govscan: {exc}", err=True)
        raise typer.Exit(2)
    except GovscanError as exc:
        typer.echo(f"govscan: {exc}", err=True)
        raise typer.Exit(1)
    suffix = Path(in_path).suffix.lower()
    if record.format in ("xlsx", "docx") and suffix in (".xls", ".et", ".doc", ".wps", ".rtf", ".mht", ".mhtml") and _converted(in_path):
        typer.echo(f"{out}: {'旧版 ' if suffix in ('.xls', '.et', '.doc', '.wps') else ''}{suffix} 无法写回，去标识化副本另存为 {record.format.upper()}"
                   + ("（仅文字与表格，原格式未保留）" if record.format == "docx" else ""))
    typer.echo(f"{out}: 已去标识化 {masked} 处；复查：{record.verdict} ({record.reason})")
    raise typer.Exit(0 if record.verdict == "compliant" else 1)
