"""``govscan scan sites``, ``govscan scan accounts`` and ``govscan crawl`` (thin: parse, call, print).

Exit codes: 0 every unit passed, 1 some unit failed (a veto finding), 2 usage or input
errors (including registry rows that could not be checked).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..cli import AsOfOpt, ConfigOpt, FormatOpt, OutputFormat, _parse_date, fail, load_settings
from ..errors import GovscanError

scan_app = typer.Typer(
    help="检查网站与政务新媒体（国办秘函〔2019〕19号单项否决指标）：每个单位一条记录。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

RegistryOpt = Annotated[Path, typer.Option("--registry", "-r", help="Registry CSV (UTF-8, header row).")]
SinceOpt = Annotated[
    Optional[str],
    typer.Option("--since", help="Start of the inspection window for published content, YYYY-MM-DD (default: first day of the as-of quarter)."),
]
StoreOpt = Annotated[
    Optional[str],
    typer.Option("--store", help="Save results for the report: a SQLite file path or postgresql://... URL."),
]
RegionsOpt = Annotated[
    Optional[Path],
    typer.Option("--regions", help="The province's regions, one a line (UTF-8): registry rows naming any other region are refused with their line numbers."),
]
QuarterOpt = Annotated[Optional[str], typer.Option("--quarter", help="Quarter the results belong to, e.g. 2022Q2 (default: the one holding --as-of).")]


def _emitter(format: OutputFormat, records: list):
    def emit(record: dict) -> None:
        if format is OutputFormat.jsonl:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            records.append(record)
    return emit


def _finish(format: OutputFormat, records: list, summary) -> None:
    if format is OutputFormat.json:
        payload = {"summary": summary.to_dict(), "results": records}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
    elif format is OutputFormat.text:
        _print_table(records, summary.kind)
    for line in summary.lines():
        typer.echo(line, err=format is not OutputFormat.text)
    if summary.registry_errors or summary.errors:
        raise typer.Exit(2)
    raise typer.Exit(1 if summary.failed else 0)


def _print_table(records: list, kind: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(soft_wrap=False, highlight=False)
    table = Table(show_lines=False)
    for col in ("地区", "网站名称" if kind == "sites" else "新媒体名称", "标识码", "结论", "存在的突出问题", "扣分项"):
        table.add_column(col)
    for r in records:
        table.add_row(r["region"], r["name"], r["code"], "不合格" if r["verdict"] == "fail" else "合格",
                      "、".join(r["problems"]), "、".join(r.get("deductions", [])))
    console.print(table)


@scan_app.command("sites")
def scan_sites(
    registry: RegistryOpt,
    snapshot: Annotated[Path, typer.Option("--snapshot", "-s", help="A .warc/.warc.gz file, a folder of them, or a wget mirror folder (<host>/<path>).")],
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, max=64, help="Worker processes (one site per task).")] = 1,
    format: FormatOpt = OutputFormat.text,
    store: StoreOpt = None,
    quarter: QuarterOpt = None,
    regions: RegionsOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Scan websites: home page, columns, interaction, identifiers, and the content of the window.

    Example: govscan scan sites --registry sites.csv --snapshot mirror/ --as-of 2022-06-20 --workers 2 --format jsonl
    """
    from .registry import read_regions
    from .run import run_site_scan

    settings = load_settings(config, as_of)
    records: list = []
    try:
        allowed = read_regions(regions) if regions else None
        summary = run_site_scan(str(registry), str(snapshot), settings, since=_parse_date(since), workers=workers,
                                store=store, quarter=quarter, emit=_emitter(format, records), regions=allowed)
    except GovscanError as exc:
        fail(str(exc))
    _finish(format, records, summary)


@scan_app.command("accounts")
def scan_accounts(
    registry: RegistryOpt,
    posts: Annotated[Path, typer.Option("--posts", "-p", help="Posts JSONL, one post a line.")],
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    format: FormatOpt = OutputFormat.text,
    store: StoreOpt = None,
    quarter: QuarterOpt = None,
    regions: RegionsOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Scan new-media accounts: updates in the 2 weeks before the time point, content, publishing rules, names.

    Example: govscan scan accounts --registry accounts.csv --posts posts.jsonl --as-of 2022-06-20 --format json
    """
    from .registry import read_regions
    from .run import run_account_scan

    settings = load_settings(config, as_of)
    records: list = []
    try:
        allowed = read_regions(regions) if regions else None
        summary = run_account_scan(str(registry), str(posts), settings, since=_parse_date(since), store=store,
                                   quarter=quarter, emit=_emitter(format, records), regions=allowed)
    except GovscanError as exc:
        fail(str(exc))
    _finish(format, records, summary)


def crawl(
    registry: RegistryOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="WARC file to write (.warc.gz compresses).")],
    max_pages: Annotated[int, typer.Option("--max-pages", min=1, help="Pages per site at most.")] = 500,
    max_depth: Annotated[int, typer.Option("--max-depth", min=0, help="Link depth from the home page.")] = 3,
    delay: Annotated[float, typer.Option("--delay", min=0.0, help="Seconds between requests to one host.")] = 1.0,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds per request.")] = 15.0,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow private and loopback addresses (testing only).")] = False,
    ignore_robots: Annotated[bool, typer.Option("--ignore-robots", help="Do not read robots.txt (only with the site owner's consent).")] = False,
    user_agent: Annotated[str, typer.Option("--user-agent", help="User-Agent header.")] = "govscan/0.1 (+government website inspection)",
) -> None:
    """Crawl the registered websites into a WARC snapshot (robots.txt, rate limit, registered hosts only).

    Example: govscan crawl --registry sites.csv --out snapshot.warc.gz --max-pages 300 --delay 1
    """
    from ..extract.crawl import CrawlOptions, crawl_registry

    options = CrawlOptions(max_pages=max_pages, max_depth=max_depth, delay=delay, timeout=timeout,
                           allow_private=allow_private, respect_robots=not ignore_robots, user_agent=user_agent)
    try:
        summary = crawl_registry(str(registry), str(out), options,
                                 progress=lambda line: typer.echo(line, err=True))
    except GovscanError as exc:
        fail(str(exc))
    for line in summary.lines():
        typer.echo(line)
    raise typer.Exit(2 if summary.registry_errors else 0)
