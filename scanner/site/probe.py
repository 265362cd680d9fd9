"""Availability probes (站点无法访问): the probe log and the prober of ``govscan monitor probe``.

国办秘函〔2019〕19号, 单项否决·站点无法访问: "监测1周，每天间隔性访问20次以上，超过（含）15秒
网站仍打不开的次数累计占比超过（含）5%，即单项否决。"  A snapshot cannot show this; it takes
repeated probes over a week.  One *round* fetches every registered website's home page once
(HTTP GET, the crawler's user agent, redirects followed within the registered host only,
``timeout_s`` = 15 s for the whole answer, head and body) and appends one row per site to a
SQLite probe log.  Run a round 20+ times a day (cron, or ``--every 60``); the check
``site.unreachable`` (``scanner/checks/site/unreachable.py``) judges the week before the time
point from that log.

Probe log (SQLite, one file; schema version in ``probe_meta``), table ``probes``:
``code`` (网站标识码), ``host``, ``url`` (the registered home page), ``at`` (UTC,
``YYYY-MM-DDTHH:MM:SS.mmmZ``, sortable as text), ``ok`` (1/0, :func:`is_failure` with the
prober's settings), ``status`` (the last HTTP status, NULL without an answer), ``elapsed_ms``,
``error`` (the failure or notice class below, NULL for a plain answer).  No page content.

What counts as a failure (:func:`is_failure`, used by the prober and by the check):

* no complete answer within the timeout (``timeout``; an answer that took >= 15 s counts
  too, whatever the prober's own timeout was), connection errors (``dns``, ``connect``,
  ``tls``, ``network``, ``protocol``), redirect loops (``redirect_loop``), HTTP 5xx;
* HTTP 4xx counts as a failure (``fail_on_4xx = true``): the registered home page answered
  with an error page (404 gone, 403 blocked by the site's own protection), so a visitor cannot
  open the site; the indicator's action names 防护设置 for this reason.  Set it false to judge
  server outages only;
* a redirect to another host (``off_host_redirect``) is *not* a failure: the registered
  server answered in time, and the other host is not fetched (the crawler's rule: registered
  hosts only).  A site that moved is a registry matter (网站地址), not an outage; the count of
  such probes is shown in the check's evidence.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import socket
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import InputError
from ..extract.crawl import USER_AGENT
from ..extract.snapshot import MAX_PAGE_BYTES, absolute, host_of_url
from ..settings import BEIJING

SCHEMA_VERSION = 1

# error classes that are not failures by themselves (judged by the status)
_STATUS_CLASSES = {None, "", "http_4xx", "http_5xx", "off_host_redirect"}


def is_failure(status: int | None, error: str | None, elapsed_ms: int, *, timeout_ms: int = 15000,
               fail_on_4xx: bool = True) -> bool:
    """True when a probe means the site did not open (rules in the module docstring)."""
    if error not in _STATUS_CLASSES:
        return True  # timeout, dns, connect, tls, network, protocol, redirect_loop, other
    if elapsed_ms >= timeout_ms:
        return True  # "超过（含）15秒网站仍打不开"
    if status is None:
        return True
    if status >= 500:
        return True
    if 400 <= status < 500:
        return fail_on_4xx
    return False


def error_class(exc: BaseException) -> str:
    """The failure class of an exception raised while fetching (httpx or socket)."""
    import httpx

    text = str(exc).lower()
    if isinstance(exc, (httpx.TimeoutException, TimeoutError, socket.timeout)):
        return "timeout"
    if isinstance(exc, socket.gaierror) or "name or service not known" in text or "getaddrinfo" in text \
            or "nodename nor servname" in text or "temporary failure in name resolution" in text:
        return "dns"
    if "ssl" in text or "certificate" in text or "tls" in text:
        return "tls"
    if isinstance(exc, (httpx.ConnectError, ConnectionError)):
        return "connect"
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.LocalProtocolError)):
        return "protocol"
    if isinstance(exc, httpx.NetworkError):
        return "network"
    if isinstance(exc, httpx.TooManyRedirects):
        return "redirect_loop"
    return "other:" + type(exc).__name__


@dataclasses.dataclass(frozen=True, slots=True)
class Probe:
    code: str
    host: str
    url: str
    at: dt.datetime  # UTC
    ok: bool
    status: int | None
    elapsed_ms: int
    error: str | None

    def row(self) -> tuple:
        return (self.code, self.host, self.url, utc_text(self.at), int(self.ok), self.status, self.elapsed_ms, self.error)


def utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_utc(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc)


# ------------------------------------------------------------------ the probe log
_DDL = (
    "CREATE TABLE IF NOT EXISTS probe_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS probes (id INTEGER PRIMARY KEY, code TEXT NOT NULL, host TEXT NOT NULL, "
    "url TEXT NOT NULL, at TEXT NOT NULL, ok INTEGER NOT NULL, status INTEGER, elapsed_ms INTEGER NOT NULL, error TEXT)",
    "CREATE INDEX IF NOT EXISTS probes_code_at ON probes (code, at)",
    "CREATE INDEX IF NOT EXISTS probes_at ON probes (at)",
)


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


class ProbeLog:
    """The SQLite probe log.  ``ProbeLog(path)`` opens or creates it for appending;
    ``ProbeLog(path, readonly=True)`` opens an existing one for the scan.  Errors are
    InputError naming the file and the reason (one line)."""

    def __init__(self, path: str | Path, *, readonly: bool = False, busy_timeout: float = 10.0):
        self.path = str(path)
        if readonly and not Path(self.path).is_file():
            raise InputError(self.path, "probe log not found (write one with `govscan monitor probe`)")
        try:
            if readonly:
                uri = Path(self.path).resolve().as_uri() + "?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout)
            else:
                self.conn = sqlite3.connect(self.path, timeout=busy_timeout)
            self._check(readonly)
        except sqlite3.Error as exc:
            raise InputError(self.path, f"cannot open the probe log ({_reason(exc)})") from None

    def _check(self, readonly: bool) -> None:
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "probe_meta" not in tables:
            if tables or readonly:
                self.conn.close()
                raise InputError(self.path, "not a govscan probe log")
            with self.conn:
                for ddl in _DDL:
                    self.conn.execute(ddl)
                self.conn.execute("INSERT INTO probe_meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            return
        row = self.conn.execute("SELECT value FROM probe_meta WHERE key = 'schema'").fetchone()
        if row is None or not str(row[0]).isdigit() or int(row[0]) > SCHEMA_VERSION:
            self.conn.close()
            raise InputError(self.path, f"probe log schema {row[0] if row else '?'} is newer than this govscan's ({SCHEMA_VERSION})")

    def append(self, probes: Iterable[Probe]) -> int:
        """Append in one transaction; sqlite3.Error propagates (the caller says so on one line)."""
        rows = [p.row() for p in probes]
        with self.conn:
            self.conn.executemany("INSERT INTO probes (code, host, url, at, ok, status, elapsed_ms, error) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        return len(rows)

    def between(self, start: dt.datetime, end: dt.datetime, codes: Iterable[str] | None = None) -> dict[str, list[Probe]]:
        """Probes with start <= at < end (UTC), by site code, in time order."""
        out: dict[str, list[Probe]] = {}
        wanted = set(codes) if codes is not None else None
        try:
            rows = self.conn.execute("SELECT code, host, url, at, ok, status, elapsed_ms, error FROM probes "
                                     "WHERE at >= ? AND at < ? ORDER BY code, at", (utc_text(start), utc_text(end)))
            for code, host, url, at, ok, status, elapsed, error in rows:
                if wanted is not None and code not in wanted:
                    continue
                out.setdefault(code, []).append(Probe(code, host, url, parse_utc(at), bool(ok), status, int(elapsed), error))
        except (sqlite3.Error, ValueError) as exc:
            raise InputError(self.path, f"cannot read the probe log ({_reason(exc)})") from None
        return out

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM probes").fetchone()[0]

    def close(self) -> None:
        self.conn.close()


def week_bounds(as_of: dt.date, days: int = 7) -> tuple[dt.datetime, dt.datetime]:
    """UTC bounds of the ``days`` Beijing calendar days before ``as_of`` (as_of itself excluded)."""
    start = dt.datetime.combine(as_of - dt.timedelta(days=days), dt.time(), BEIJING)
    end = dt.datetime.combine(as_of, dt.time(), BEIJING)
    return start.astimezone(dt.timezone.utc), end.astimezone(dt.timezone.utc)


def load_week(path: str, as_of: dt.date, codes: Iterable[str], days: int = 7) -> dict[str, tuple[Probe, ...]]:
    """The probes of the ``days`` days before ``as_of`` for the scan, by site code."""
    log = ProbeLog(path, readonly=True)
    try:
        start, end = week_bounds(as_of, days)
        codes = list(codes)
        found = log.between(start, end, codes)
        return {code: tuple(found.get(code, ())) for code in codes}
    finally:
        log.close()


# ------------------------------------------------------------------ the prober
@dataclasses.dataclass(frozen=True)
class ProbeOptions:
    timeout: float = 15.0  # seconds for the whole answer (indicator: 15 s)
    concurrency: int = 8
    max_redirects: int = 5
    allow_private: bool = False
    user_agent: str = USER_AGENT
    fail_on_4xx: bool = True


def _resolve_problem(host: str, allow_private: bool) -> str | None:
    """'dns' when the name does not resolve, a refusal text for private addresses, else None."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return "dns"
    if allow_private:
        return None
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified:
            return f"地址 {ip} 为内网或本机地址（测试时可用 --allow-private）"
    return None


def probe_url(client, code: str, host: str, url: str, options: ProbeOptions,
              clock: Callable[[], dt.datetime] | None = None) -> Probe:
    """One probe of one home page (never raises for a network problem)."""
    at = (clock or (lambda: dt.datetime.now(dt.timezone.utc)))()
    started = time.monotonic()
    deadline = started + options.timeout
    status: int | None = None
    error: str | None = None
    target = url
    try:
        for hop in range(options.max_redirects + 1):
            with client.stream("GET", target) as resp:
                status = resp.status_code
                if 300 <= status < 400 and resp.headers.get("location"):
                    nxt = absolute(target, resp.headers.get("location"))
                    if not nxt or host_of_url(nxt) != host:
                        error = "off_host_redirect"
                        break
                    target = nxt
                    if hop == options.max_redirects:
                        error = "redirect_loop"
                    continue
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if time.monotonic() >= deadline:
                        raise TimeoutError("no complete answer within the timeout")
                    if size > MAX_PAGE_BYTES:
                        break  # a page this large has opened; the rest is not needed
                break
    except Exception as exc:  # noqa: BLE001 - every network problem is a recorded failure
        error, status = error_class(exc), None  # no complete answer
    elapsed_ms = int((time.monotonic() - started) * 1000)
    if error is None and status is not None and status >= 400:
        error = "http_5xx" if status >= 500 else "http_4xx"
    timeout_ms = int(options.timeout * 1000)
    if error is None and elapsed_ms >= timeout_ms:
        error = "timeout"
    ok = not is_failure(status, error, elapsed_ms, timeout_ms=timeout_ms, fail_on_4xx=options.fail_on_4xx)
    return Probe(code, host, url, at, ok, status, elapsed_ms, error)


@dataclasses.dataclass
class RoundSummary:
    at: dt.datetime
    probed: int = 0
    failed: int = 0
    errors: Counter = dataclasses.field(default_factory=Counter)
    refused: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (host, why): not probed
    recorded: int = 0
    record_error: str | None = None  # why the round could not be written to the log
    probes: list[Probe] = dataclasses.field(default_factory=list)

    def line(self, db: str) -> str:
        text = (f"{utc_text(self.at)} 探测网站{self.probed}个，可访问{self.probed - self.failed}个，"
                f"打不开{self.failed}个")
        if self.errors:
            text += "（" + "，".join(f"{k} {v}" for k, v in self.errors.most_common()) + "）"
        if self.refused:
            text += f"；拒绝探测{len(self.refused)}个"
        if self.record_error is None:
            text += f"；已记录{self.recorded}条 → {db}"
        return text


def home_url(entry) -> str:
    return entry.url if "://" in entry.url else f"http://{entry.url}"


def probe_round(entries, log: ProbeLog, options: ProbeOptions, *, client=None,
                clock: Callable[[], dt.datetime] | None = None) -> RoundSummary:
    """One round: every entry's home page once (bounded concurrency), appended to ``log``.
    A failure to write is kept in ``record_error`` (the caller reports it), never raised."""
    import httpx

    now_utc = clock or (lambda: dt.datetime.now(dt.timezone.utc))
    summary = RoundSummary(now_utc())
    own = client is None
    if own:
        limits = httpx.Limits(max_connections=max(1, options.concurrency), max_keepalive_connections=0)
        client = httpx.Client(follow_redirects=False, timeout=options.timeout, limits=limits,
                              headers={"User-Agent": options.user_agent})

    def one(entry) -> Probe | tuple[str, str]:
        url = home_url(entry)
        at = now_utc()
        started = time.monotonic()
        why = _resolve_problem(entry.host, options.allow_private)
        if why == "dns":
            return Probe(entry.code, entry.host, url, at, False, None, int((time.monotonic() - started) * 1000), "dns")
        if why:
            return (entry.host, why)  # not probed, not recorded: a private address is a configuration matter
        return probe_url(client, entry.code, entry.host, url, options, clock)

    try:
        with ThreadPoolExecutor(max_workers=max(1, options.concurrency)) as pool:
            for result in pool.map(one, entries):
                if isinstance(result, Probe):
                    summary.probes.append(result)
                else:
                    summary.refused.append(result)
    finally:
        if own:
            client.close()
    for p in summary.probes:
        summary.probed += 1
        if not p.ok:
            summary.failed += 1
        if p.error:
            summary.errors[p.error] += 1
    if prober_offline(summary.probes):
        # the prober's own network, not the sites: recorded, such a round counted against every
        # site (a night's outage at the office, 9 rounds of 168, vetoed the whole province)
        summary.record_error = (f"本轮{summary.probed}个网站全部因网络错误打不开（没有任何HTTP应答），"
                                "判为本机网络故障，未记录；请检查探测机的网络和DNS")
        return summary
    try:
        summary.recorded = log.append(summary.probes)
    except sqlite3.Error as exc:
        summary.record_error = _reason(exc)
    return summary


OFFLINE_MIN_SITES = 3
_NETWORK_CLASSES = {"dns", "connect", "network", "timeout", "tls"}


def prober_offline(probes: list[Probe]) -> bool:
    """A round in which every site (at least ``OFFLINE_MIN_SITES``) failed without any HTTP
    answer, on a network error: the prober was offline, not every site at once."""
    return len(probes) >= OFFLINE_MIN_SITES and all(
        not p.ok and p.status is None and p.error in _NETWORK_CLASSES for p in probes)


def probe_rounds(entries, db: str, options: ProbeOptions, *, rounds: int = 1, every_minutes: float = 0.0,
                 report: Callable[[RoundSummary], None] | None = None,
                 sleep: Callable[[float], None] = time.sleep, busy_timeout: float = 10.0) -> list[RoundSummary]:
    """``rounds`` rounds (0: until interrupted), one every ``every_minutes`` (round starts
    are spaced evenly; a round that overruns starts the next at once)."""
    log = ProbeLog(db, busy_timeout=busy_timeout)
    out: list[RoundSummary] = []
    start = time.monotonic()
    try:
        n = 0
        while rounds == 0 or n < rounds:
            if n:
                wait = start + n * every_minutes * 60 - time.monotonic()
                if wait > 0:
                    sleep(wait)
            summary = probe_round(entries, log, options)
            if report:
                report(summary)
            summary.probes = []  # keep memory flat over a week of rounds
            out.append(summary)
            n += 1
    finally:
        log.close()
    return out
