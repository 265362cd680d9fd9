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
from ..extract.crawl import USER_AGENT

scan_app = typer.Typer(
    help="检查网站与政务新媒体（国办秘函〔2019〕19号单项否决指标）：每个单位一条记录。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

RegistryOpt = Annotated[Path, typer.Option("--registry", "-r", help="Registry: CSV (UTF-8 or GBK) or the filing system's XLSX/XLS export, with a header row.")]
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
        # never cut a code or a label with … (output redirected to a file is 80 columns wide)
        table.add_column(col, overflow="fold", **({"no_wrap": True, "min_width": 16} if col == "标识码" else {}))
    for r in records:
        verdict = "未判定" if r.get("error") else ("不合格" if r["verdict"] == "fail" else "合格")
        table.add_row(r["region"], r["name"], r["code"], verdict,
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
    probes: Annotated[Optional[Path], typer.Option("--probes", help="Probe log of `govscan monitor probe` (SQLite): judges 站点无法访问 from the 7 days before --as-of.")] = None,
    config: ConfigOpt = None,
) -> None:
    """Scan websites: home page, columns, interaction, identifiers, and the content of the window.

    With --probes, also 站点无法访问 from the availability probes of the week before the time point.

    Example: govscan scan sites --registry sites.csv --snapshot mirror/ --as-of 2022-06-20 --workers 2 --format jsonl
    """
    from .registry import read_regions
    from .run import run_site_scan

    settings = load_settings(config, as_of)
    records: list = []
    try:
        allowed = read_regions(regions) if regions else None
        summary = run_site_scan(str(registry), str(snapshot), settings, since=_parse_date(since), workers=workers,
                                store=store, quarter=quarter, emit=_emitter(format, records), regions=allowed,
                                probes=str(probes) if probes else None)
    except GovscanError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        _interrupted(store)
    _finish(format, records, summary)


@scan_app.command("accounts")
def scan_accounts(
    registry: RegistryOpt,
    posts: Annotated[Path, typer.Option("--posts", "-p", help="Posts JSONL, one post a line (UTF-8 or GBK, .gz read through; published_at ISO 8601, Weibo created_at or Unix seconds/milliseconds).")],
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
    except KeyboardInterrupt:
        _interrupted(store)
    _finish(format, records, summary)


def _interrupted(store: Optional[str]) -> None:
    """Ctrl-C: say what was kept (the units saved so far) and how to go on; exit 130."""
    if store:
        from .run import _display_store

        fail(f"已中断：已检查的单位结果已保存到 {_display_store(store)}，用同一命令再次运行即从中断处续扫", 130)
    fail("已中断：未指定 --store，本次结果未保存", 130)


def crawl(
    registry: RegistryOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="WARC file to write (.warc.gz compresses).")],
    max_pages: Annotated[int, typer.Option("--max-pages", min=1, help="Pages per site at most.")] = 500,
    max_depth: Annotated[int, typer.Option("--max-depth", min=0, help="Link depth from the home page.")] = 3,
    delay: Annotated[float, typer.Option("--delay", min=0.0, help="Seconds between requests to one host.")] = 1.0,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds per request.")] = 15.0,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow private and loopback addresses (testing only).")] = False,
    ignore_robots: Annotated[bool, typer.Option("--ignore-robots", help="Do not read robots.txt (only with the site owner's consent).")] = False,
    user_agent: Annotated[str, typer.Option("--user-agent", help="User-Agent header.")] = USER_AGENT,
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


monitor_app = typer.Typer(
    help="监测网站可访问性（站点无法访问：监测1周，每天间隔性访问20次以上）：探测首页并记录。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@monitor_app.command("probe")
def monitor_probe(
    registry: RegistryOpt,
    db: Annotated[Path, typer.Option("--db", help="Probe log to append to (SQLite; created when missing).")],
    every: Annotated[float, typer.Option("--every", min=0.0, help="Minutes between round starts (with --rounds; 60 gives 24 rounds a day).")] = 0.0,
    rounds: Annotated[int, typer.Option("--rounds", min=0, help="Rounds to run (0: until interrupted; default 1, for cron).")] = 1,
    timeout: Annotated[Optional[float], typer.Option("--timeout", min=0.1, help="Seconds for the whole answer (default 15, from the indicator; [monitor] timeout_s).")] = None,
    concurrency: Annotated[Optional[int], typer.Option("--concurrency", min=1, max=256, help="Sites probed at once (default 8; [monitor] concurrency).")] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow private and loopback addresses (testing only).")] = False,
    user_agent: Annotated[str, typer.Option("--user-agent", help="User-Agent header (the crawler's).")] = USER_AGENT,
    config: ConfigOpt = None,
) -> None:
    """Probe every registered website's home page once per round and append the results to the probe log.

    One GET per site (redirects followed within the registered host), no page content kept.
    `govscan scan sites --probes DB` judges 站点无法访问 from the log.

    Example: govscan monitor probe --registry sites.csv --db probes.db --every 60 --rounds 0
    """
    from .probe import ProbeOptions, probe_rounds
    from .registry import load_sites

    settings = load_settings(config, None)
    section = settings.section("monitor")
    check = settings.check_options("site.unreachable")
    if rounds != 1 and every <= 0:
        fail("--rounds other than 1 needs --every MINUTES")
    options = ProbeOptions(timeout=float(timeout or section.get("timeout_s", 15.0)),
                           concurrency=int(concurrency or section.get("concurrency", 8)),
                           max_redirects=int(section.get("max_redirects", 5)), allow_private=allow_private,
                           user_agent=user_agent, fail_on_4xx=bool(check.get("fail_on_4xx", True)))
    record_errors = 0

    def report(summary) -> None:
        nonlocal record_errors
        if summary.record_error is not None:
            record_errors += 1
            typer.echo(f"govscan: {db}: " + (summary.record_error if summary.record_error.startswith("本轮")
                       else f"本轮{summary.probed}条探测结果未能记录（{summary.record_error}）"), err=True)
        typer.echo(summary.line(str(db)))
        for host, why in summary.refused:
            typer.echo(f"拒绝探测 {host}：{why}", err=True)

    try:
        entries, errors = load_sites(str(registry))
        for e in errors:
            typer.echo(f"名单有误，未探测：{e}", err=True)
        if not entries:
            fail(f"{registry}: no website to probe")
        probe_rounds(entries, str(db), options, rounds=rounds, every_minutes=every, report=report,
                     busy_timeout=float(section.get("busy_timeout_s", 10.0)))
    except GovscanError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        typer.echo("已停止：已完成的各轮均已记录。", err=True)
    raise typer.Exit(2 if record_errors or errors else 0)


@monitor_app.command("summary")
def monitor_summary(
    registry: RegistryOpt,
    db: Annotated[Path, typer.Option("--db", help="Probe log written by `govscan monitor probe`.")],
    as_of: AsOfOpt = None,
    format: FormatOpt = OutputFormat.text,
    config: ConfigOpt = None,
) -> None:
    """The week before --as-of per site, from the probe log alone: probes, failures, ratio, days short of probes.

    The same judgement as `govscan scan sites --probes` (check site.unreachable), without a snapshot:
    to see before the scan whether every site has enough probes. Exit 1 when a site fails, 2 when
    a site cannot be judged yet (or on input errors).

    Example: govscan monitor summary --registry sites.csv --db probes.db --as-of 2022-06-20
    """
    import datetime as dt

    from ..checks.site.unreachable import judge
    from .probe import load_week
    from .registry import load_sites

    settings = load_settings(config, as_of)
    opts = settings.check_options("site.unreachable")
    opts.pop("enabled", None)
    days = int(opts.get("days", 7))
    try:
        entries, errors = load_sites(str(registry))
        week = load_week(str(db), settings.as_of, [e.code for e in entries], days)
    except GovscanError as exc:
        fail(str(exc))
    rows = []
    for e in entries:
        j = judge(week[e.code], settings.as_of, **opts)
        rows.append({"code": e.code, "name": e.name, "region": e.region, "host": e.host, **j})
    if format is OutputFormat.text:
        from rich.console import Console
        from rich.table import Table

        table = Table()
        for col in ("地区", "网站名称", "标识码", "探测", "打不开", "占比", "结论", "探测不足的日期"):
            table.add_column(col, overflow="fold", **({"no_wrap": True, "min_width": 10} if col == "标识码" else {}))
        label = {"pass": "合格", "fail": "单项否决", "not_judged": "未判定"}
        for r in rows:
            table.add_row(r["region"], r["name"], r["code"], str(r["probes"]), str(r["failures"]),
                          f"{r['ratio']:.2%}" if r["ratio"] is not None else "-", label[r["verdict"]],
                          f"{len(r['short_days'])}天：" + "、".join(d[5:] for d in r["short_days"]) if r["short_days"] else "")
        Console(soft_wrap=False, highlight=False).print(table)
    else:
        for r in rows:
            if format is OutputFormat.jsonl:
                sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        if format is OutputFormat.json:
            sys.stdout.write(json.dumps({"results": rows}, ensure_ascii=False, indent=1) + "\n")
    counts = {v: sum(r["verdict"] == v for r in rows) for v in ("pass", "fail", "not_judged")}
    first, last = (settings.as_of - dt.timedelta(days=n) for n in (days, 1))
    typer.echo(f"{first}至{last}：网站{len(rows)}个，合格{counts['pass']}个，单项否决{counts['fail']}个，"
               f"探测不足未判定{counts['not_judged']}个。", err=format is not OutputFormat.text)
    for e in errors:
        typer.echo(f"名单有误，未统计：{e}", err=True)
    raise typer.Exit(2 if errors or counts["not_judged"] else (1 if counts["fail"] else 0))
