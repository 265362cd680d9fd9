"""Whole scans as the CLI runs them: registry -> records -> output and store.

``run_site_scan`` and ``run_account_scan`` read the registry (bad rows reported with line
numbers, the rest processed), scan every unit, hand each record to ``emit`` as it comes,
save to the store when one is given (resuming an interrupted scan of the same quarter),
and return a :class:`ScanSummary` with the counts of pages, skips and their reasons.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import GovscanError, InputError
from ..settings import Settings
from .registry import RowError, load_accounts, load_sites
from .skips import reason_zh, skip_counts_zh

STORE_BATCH = 25


@dataclasses.dataclass
class ScanSummary:
    kind: str  # sites | accounts
    quarter: str
    as_of: dt.date
    since: dt.date
    units: int = 0
    failed: int = 0
    resumed: int = 0  # units already in the store from an interrupted run
    restarted: int = 0  # interrupted runs not resumed (another registry, time point or input): discarded
    pages: int = 0  # pages (sites) or posts (accounts) read
    reviewed: int = 0  # articles / posts through the content checks
    privacy_checked: int = 0  # pages given the privacy checks only (undated pages, spreadsheet, PDF and OFD attachments, letters)
    skipped: Counter = dataclasses.field(default_factory=Counter)
    problems: Counter = dataclasses.field(default_factory=Counter)
    deductions: Counter = dataclasses.field(default_factory=Counter)
    registry_errors: list[RowError] = dataclasses.field(default_factory=list)
    snapshot_problems: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    unknown_accounts: int = 0
    errors: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (code, reason): not judged
    availability: Counter = dataclasses.field(default_factory=Counter)  # site.unreachable verdicts (--probes)
    probes: str | None = None  # the probe log, when given
    elapsed: float = 0.0
    store: str | None = None
    not_stored: str | None = None  # the store left as it was: no unit was judged
    deadline: dt.date | None = None  # the rectification items' deadline (saved to a store)
    dropped: list[str] = dataclasses.field(default_factory=list)  # units of the replaced results not in this registry
    unjudged: list[str] = dataclasses.field(default_factory=list)  # judged in the replaced results, not this time
    not_checked: Counter = dataclasses.field(default_factory=Counter)  # indicator -> units not checked on it

    def add(self, record: dict[str, Any]) -> None:
        if record.get("error"):
            self.errors.append((record["code"], record["error"]))
        self.units += 1
        self.failed += record["verdict"] == "fail"
        stats = record.get("stats", {})
        self.pages += stats.get("pages", stats.get("posts", 0))
        self.reviewed += stats.get("articles", stats.get("reviewed", 0))
        self.privacy_checked += stats.get("privacy_checked", 0)
        self.skipped.update(stats.get("skip_reasons", {}))
        self.problems.update(record["problems"])
        self.deductions.update(record.get("deductions", []))
        self.not_checked.update(record.get("not_checked", ()))
        if record.get("availability"):
            self.availability[record["availability"]["verdict"]] += 1

    @property
    def inspected(self) -> int:
        """Units judged (``units`` less those not judged: a scan error, no home page)."""
        return self.units - len(self.errors)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "quarter": self.quarter, "as_of": self.as_of.isoformat(), "since": self.since.isoformat(),
            "units": self.units, "inspected": self.inspected, "not_judged": len(self.errors), "failed": self.failed,
            "passed": self.inspected - self.failed, "resumed": self.resumed,
            "pages": self.pages, "reviewed": self.reviewed,
            **({"privacy_checked": self.privacy_checked} if self.kind == "sites" else {}),
            "skipped": sum(self.skipped.values()),
            "skip_reasons": dict(self.skipped.most_common()), "problems": dict(self.problems.most_common()),
            "deductions": dict(self.deductions.most_common()),
            **({"not_checked": dict(self.not_checked)} if self.not_checked else {}),
            "registry_errors": [str(e) for e in self.registry_errors],
            "snapshot_problems": [f"{w}: {r}" for w, r in self.snapshot_problems],
            "unknown_accounts": self.unknown_accounts, "errors": [f"{c}: {r}" for c, r in self.errors],
            "elapsed_s": round(self.elapsed, 2), "store": self.store,
            **({"deadline": self.deadline.isoformat()} if self.deadline else {}),
            **({"availability": dict(self.availability), "probes": self.probes} if self.probes else {}),
        }

    def lines(self) -> list[str]:
        """The human summary (Chinese), printed at the end of every scan."""
        label = "网站" if self.kind == "sites" else "政务新媒体"
        read = f"读取页面{self.pages}个" if self.kind == "sites" else f"读取发布{self.pages}条"
        unjudged = f"（另有{len(self.errors)}个未作判定）" if self.errors else ""
        out = [f"{self.quarter}（{self.since}至{self.as_of}）：检查{label}{self.inspected}个{unjudged}，"
               f"存在突出问题{self.failed}个；{read}，内容审查{self.reviewed}篇，用时{self.elapsed:.1f}秒。"]
        if self.privacy_checked:
            out.append(f"另对{self.privacy_checked}个无日期页面、表格（XLSX/XLS）和版式（PDF/OFD）附件及留言页面做了个人信息检查。")
        if self.problems:
            out.append("突出问题：" + "，".join(f"{k} {v}" for k, v in self.problems.most_common()))
        if self.deductions:
            out.append("扣分项：" + "，".join(f"{k} {v}" for k, v in self.deductions.most_common()))
        if self.not_checked:
            from .accounts import NOT_CHECKED as ACCOUNTS_NOT_CHECKED
            from .scan import NOT_CHECKED as SITES_NOT_CHECKED

            why = SITES_NOT_CHECKED if self.kind == "sites" else ACCOUNTS_NOT_CHECKED
            out.append("未检查：" + "；".join(f"{k}（{why.get(k, '无数据来源')}，{n}个{label}未就此项判定，"
                                            "不计为合格或不合格）" for k, n in self.not_checked.items()) + "。")
        if self.probes:
            a = self.availability
            out.append(f"站点无法访问（探测记录 {self.probes}）：判定{a['pass'] + a['fail']}个，否决{a['fail']}个；"
                       f"探测不足未判定{a['not_judged']}个" + ("（每天至少20次，满1周）。" if a["not_judged"] else "。"))
        # reasons in the inspector's words (the JSON keeps the scan's own, which programs count)
        total = sum(self.skipped.values())
        out.append(f"跳过{total}{'个页面' if self.kind == 'sites' else '条发布'}" + (
            "：" + "，".join(f"{k} {v}" for k, v in skip_counts_zh(self.skipped)) if total else "。"))
        for where, reason in self.snapshot_problems:
            out.append(f"{'快照问题' if self.kind == 'sites' else '输入问题'}：{where}：{reason_zh(reason)}")
        if self.errors:
            out.append(f"{len(self.errors)}个单位未作判定（不计入存储）：")
            out += [f"  {c}：{reason_zh(r)}" for c, r in self.errors[:20]]
        if self.registry_errors:
            out.append(f"名单中{len(self.registry_errors)}行有误，未检查：")
            out += [f"  {e}" for e in self.registry_errors]
        if self.unknown_accounts:
            out.append(f"{self.unknown_accounts}条发布的账号不在名单中，已忽略。")
        if self.resumed:
            out.append(f"续扫：{self.resumed}个单位的结果已在存储中，未重复检查。")
        if self.restarted:
            out.append(f"未续扫：{self.quarter}中断的检查所用的名单、时间点、输入文件或配置与本次不同，"
                       "其已保存的结果已丢弃，本次从头检查。")
        if self.store:
            out.append(f"结果已保存：{_display_store(self.store)}")
            if self.deadline and self.failed:
                from ..store.store import deadline_note_zh

                out.append(deadline_note_zh(self.quarter, self.as_of) + "。")
        if self.dropped:
            shown = "、".join(self.dropped[:5]) + ("等" if len(self.dropped) > 5 else "")
            out.append(f"注意：本次结果替换了{self.quarter}原有的{'网站' if self.kind == 'sites' else '政务新媒体'}结果，"
                       f"其中{len(self.dropped)}个单位不在本次名单中（{shown}），已不再计入报告；"
                       "同一季度请用包含全部单位的名单检查。")
        if self.unjudged:
            shown = "、".join(self.unjudged[:5]) + ("等" if len(self.unjudged) > 5 else "")
            out.append(f"注意：本次结果替换了{self.quarter}原有的{'网站' if self.kind == 'sites' else '政务新媒体'}结果，"
                       f"其中{len(self.unjudged)}个单位原已判定、本次未作判定（{shown}），其原有结果已不再计入报告；"
                       "补齐其快照或发布记录后重新检查。")
        if self.not_stored:
            out.append(f"没有任何单位完成判定，未保存：{self.not_stored} 中{self.quarter}原有的结果保持不变。")
        return out


def quarter_for(as_of: dt.date, quarter: str | None) -> str:
    """The quarter the results are filed under: ``--quarter``, else the one holding as-of.  A
    time point before the quarter's first day is refused (``--quarter 2022Q3 --as-of 2022-06-20``
    filed a Q2 inspection as Q3); one after it is fine (a Q2 inspection done in July)."""
    if quarter is None:
        return f"{as_of.year}Q{(as_of.month - 1) // 3 + 1}"
    q = quarter.strip().upper()
    if len(q) != 6 or q[4] != "Q" or not q[:4].isdigit() or q[5] not in "1234":
        raise InputError(quarter, "not a quarter such as 2022Q2")
    if as_of < first_day(q):
        raise InputError(quarter, f"--as-of {as_of} is before the quarter's first day ({first_day(q)})")
    return q


def first_day(quarter: str) -> dt.date:
    return dt.date(int(quarter[:4]), 3 * (int(quarter[5]) - 1) + 1, 1)


def _inputs(paths: list[str | None], settings: Settings) -> str:
    """What the units are judged from, for resuming an interrupted scan only with the same: each
    input file or folder as it is now (path, size, modification time) and the configuration.  A
    scan interrupted on a truncated posts export and run again on the full one (same path) kept
    the accounts judged on the truncated one (监测时间点前2周内无更新)."""
    parts: list[Any] = []
    for p in paths:
        if p is None:
            continue
        try:
            st = Path(p).stat()
            parts.append([str(Path(p).resolve()), st.st_size, st.st_mtime_ns])
        except OSError:
            parts.append([str(p)])
    parts.append(settings.config)
    return json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)


def _open_store(target: str | None, quarter: str, kind: str, entries, as_of: dt.date, since: dt.date,
                regions: list[str] | None = None, inputs: str = ""):
    if target is None:
        return None, None
    from ..store.store import open_store

    store = open_store(target)
    run = store.begin_scan(quarter, kind, entries, as_of=as_of, since=since, regions=regions, inputs=inputs)
    return store, run


class _Saver:
    def __init__(self, run):
        self.run = run
        self.buffer: list[dict] = []

    def add(self, record: dict) -> None:
        if self.run is None or record.get("error"):
            return
        self.buffer.append(record)
        if len(self.buffer) >= STORE_BATCH:
            self.flush()

    def flush(self) -> None:
        if self.run is not None and self.buffer:
            self.run.save(self.buffer)
            self.buffer = []


def run_site_scan(registry: str, snapshot: str, settings: Settings, *, since: dt.date | None = None,
                  workers: int = 1, store: str | None = None, quarter: str | None = None,
                  emit: Callable[[dict], None] | None = None, nice: int = 0,
                  regions: list[str] | None = None, probes: str | None = None) -> ScanSummary:
    from ..extract.snapshot import open_snapshot
    from .scan import SiteJob, scan_sites

    started = time.perf_counter()
    entries, errors = load_sites(registry, regions)
    snap = open_snapshot(snapshot)
    q = quarter_for(settings.as_of, quarter)
    since = since or first_day(q)  # the window of the quarter filed under (a Q2 inspection in July: from April 1)
    summary = ScanSummary("sites", q, settings.as_of, since, registry_errors=errors,
                          snapshot_problems=list(getattr(snap, "problems", [])), probes=probes)
    if since > settings.as_of:
        raise InputError(str(since), f"--since is after --as-of ({settings.as_of})")
    held = snap.hosts()
    if entries and not {e.host for e in entries} & set(held):
        # a mirror given one level too deep or too high, another province's WARC: say so once
        shown = ", ".join(held[:5]) + (" …" if len(held) > 5 else "") if held else "nothing"
        summary.snapshot_problems.append((snapshot, f"none of the registry's hosts is in the snapshot (it holds: {shown})"))
    # x.gov.cn registered, www.x.gov.cn crawled (or the other way): such sites read "home page not in the snapshot"
    held_set = set(held)
    twins = [(e.host, t) for e in entries if e.host not in held_set
             for t in [e.host[4:] if e.host.startswith("www.") else "www." + e.host] if t in held_set]
    if twins:
        shown = ", ".join(f"{h} -> {t}" for h, t in twins[:5]) + (" …" if len(twins) > 5 else "")
        summary.snapshot_problems.append((snapshot, f"{len(twins)} registered host(s) not in the snapshot, which holds "
                                                    f"the same name with or without www. ({shown}): the registry's "
                                                    "网站地址 and the crawled hosts differ"))
    week = _load_probes(probes, settings, entries)
    handle, run = _open_store(store, q, "sites", entries, settings.as_of, since, regions,
                              _inputs([snapshot, probes], settings))
    summary.restarted = getattr(run, "abandoned", 0)
    saver = _Saver(run)
    done = run.done if run is not None else set()
    summary.resumed = len(done & {e.code for e in entries})
    spec = snap.spec()
    is_warc = spec.kind == "warc"
    jobs = [SiteJob(e, spec, snap.site(e.host) if is_warc else None, week.get(e.code) if week is not None else None)
            for e in entries if e.code not in done]
    records = scan_sites(jobs, settings, since, workers=workers, nice=nice)
    return _consume(records, summary, saver, run, store, handle, started, emit)


def _load_probes(path: str | None, settings: Settings, entries) -> dict | None:
    """The probe log's week before as-of, by site code (None without --probes).  Only when the
    check site.unreachable is on: a log given to a scan that does not judge it is an error."""
    if path is None:
        return None
    if "site.unreachable" not in settings.enabled_checks():
        raise InputError(path, "--probes given but the check site.unreachable is switched off in the configuration")
    from .probe import load_week

    days = int(settings.check_options("site.unreachable").get("days", 7))
    return load_week(path, settings.as_of, [e.code for e in entries], days)


def run_account_scan(registry: str, posts_path: str, settings: Settings, *, since: dt.date | None = None,
                     store: str | None = None, quarter: str | None = None,
                     emit: Callable[[dict], None] | None = None, regions: list[str] | None = None) -> ScanSummary:
    from .accounts import load_posts, scan_accounts

    started = time.perf_counter()
    platform_codes = settings.section("scan").get("platform_codes") or None
    entries, errors = load_accounts(registry, platform_codes, regions)
    posts = load_posts(posts_path, {e.code for e in entries})
    q = quarter_for(settings.as_of, quarter)
    since = since or first_day(q)  # the window of the quarter filed under (a Q2 inspection in July: from April 1)
    if since > settings.as_of:
        raise InputError(str(since), f"--since is after --as-of ({settings.as_of})")
    summary = ScanSummary("accounts", q, settings.as_of, since, registry_errors=errors,
                          unknown_accounts=sum(posts.unknown_accounts.values()))
    summary.skipped.update(reason for _, reason in posts.skips)
    summary.snapshot_problems = [(w, r) for w, r in posts.skips][:20]
    handle, run = _open_store(store, q, "accounts", entries, settings.as_of, since, regions,
                              _inputs([posts_path], settings))
    summary.restarted = getattr(run, "abandoned", 0)
    saver = _Saver(run)
    done = run.done if run is not None else set()
    summary.resumed = len(done & {e.code for e in entries})
    todo = [e for e in entries if e.code not in done]
    records = scan_accounts(todo, posts, settings, since)
    return _consume(records, summary, saver, run, store, handle, started, emit)


@contextlib.contextmanager
def _stop_signals_interrupt():
    """SIGTERM and SIGHUP (a service or container stopped, ``timeout``, the terminal of an ssh session
    closed) end a scan as Ctrl-C does: the units scanned and not yet saved (up to STORE_BATCH) are
    saved, so the next run resumes after them.  They killed the process on the spot: a scan stopped
    so had saved nothing of its last batch (the demo's first 21 sites, all of them)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is not None:
            with contextlib.suppress(ValueError, OSError):
                previous[sig] = signal.signal(sig, stop)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _consume(records, summary: "ScanSummary", saver, run, store, handle, started: float,
             emit: Callable[[dict], None] | None) -> "ScanSummary":
    """Count, save and emit each record as it comes; finish the quarter's run in the store.
    An interrupted scan keeps what it saved, so the next run with the same --store resumes;
    the units saved before count in its summary (stored with the results, read by the report)."""
    try:
        if run is not None and run.resumed:
            for record in run.saved_records():
                summary.add(record)
        with _stop_signals_interrupt():
            for record in records:
                summary.add(record)
                saver.add(record)
                if emit:
                    emit(record)
        saver.flush()
        summary.elapsed = time.perf_counter() - started
        if run is not None and summary.inspected == 0:
            # a scan that judged no unit (a wrong or unreadable snapshot, no valid registry row)
            # must not replace the quarter's stored results with an empty quarter
            run.abandon()
            summary.not_stored = _display_store(store)
        elif run is not None:
            from ..store.store import rectification_deadline

            summary.deadline = rectification_deadline(summary.quarter, summary.as_of)
            summary.dropped = run.finish(deadline=summary.deadline, summary=summary.to_dict())
            summary.unjudged = run.unjudged
            summary.store = str(store)
    except KeyboardInterrupt:
        saver.flush()  # keep what was scanned: the next run with the same --store resumes after it
        raise
    finally:
        if handle is not None:
            handle.close()
    return summary


__all__ = ["ScanSummary", "run_site_scan", "run_account_scan", "GovscanError"]


def _display_store(store) -> str:
    """The store's location without a password (a PostgreSQL URL may carry one)."""
    text = str(store)
    if "://" not in text:
        return text
    try:
        from sqlalchemy.engine import make_url

        return make_url(text).render_as_string(hide_password=True)
    except Exception:
        return text.split("://", 1)[0] + "://…"
