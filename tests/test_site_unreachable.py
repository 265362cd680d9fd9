"""站点无法访问: the ratio rule at its edges, failure classification, the prober against a real
local http.server (ok, slow, 500, redirects, refused port), the probe log, the CLI's one-line
errors, and the check in a site scan end to end (record, store, quarterly report)."""
from __future__ import annotations

import datetime as dt
import http.server
import json
import socket
import sqlite3
import threading
import time
from pathlib import Path

import httpx
import pytest

from scanner.checks.site.unreachable import SiteUnreachable, judge
from scanner.cli import app
from scanner.findings import Severity
from scanner.settings import BEIJING
from scanner.site.probe import (Probe, ProbeLog, ProbeOptions, error_class, is_failure, probe_round, probe_url,
                                utc_text, week_bounds)
from scanner.site.registry import SiteEntry

from site_helpers import site

AS_OF = dt.date(2022, 6, 20)
WEEK = [AS_OF - dt.timedelta(days=n) for n in range(7, 0, -1)]  # 06-13 .. 06-19
FIX = Path(__file__).parent / "fixtures" / "sites"


def probes_for(counts, failures=None, code="4401000001", days=WEEK, error="timeout"):
    """``counts[i]`` probes on day i (Beijing), the first ``failures[i]`` of them failing."""
    failures = failures or [0] * len(counts)
    out = []
    for day, n, bad in zip(days, counts, failures):
        for k in range(n):
            at = dt.datetime.combine(day, dt.time(), BEIJING) + dt.timedelta(seconds=k * 86400 // max(n, 1))
            fail = k < bad
            out.append(Probe(code, "t.gov.cn", "http://t.gov.cn/", at.astimezone(dt.timezone.utc), not fail,
                             None if fail else 200, 15000 if fail else 300, error if fail else None))
    return out


# ------------------------------------------------------------------ the rule at its edges
@pytest.mark.parametrize("counts, failures, verdict", [
    # 20 a day, 140 in the week: 7 failures is 5.00% (含) -> veto; 6 is 4.29% -> pass
    ([20] * 7, [7, 0, 0, 0, 0, 0, 0], "fail"),
    ([20] * 7, [6, 0, 0, 0, 0, 0, 0], "pass"),
    # 10,000 probes: 500 is 5.00% -> veto, 499 is 4.99% -> pass (exact fractions, no float edge)
    ([1429] * 6 + [1426], [500, 0, 0, 0, 0, 0, 0], "fail"),
    ([1429] * 6 + [1426], [499, 0, 0, 0, 0, 0, 0], "pass"),
    # failures spread over the week count cumulatively (累计)
    ([24] * 7, [2, 2, 2, 1, 1, 0, 1], "fail"),  # 9 of 168 = 5.36%
    ([24] * 7, [2, 2, 1, 1, 1, 0, 1], "pass"),  # 8 of 168 = 4.76%
    # 19 probes on one day: not judged, even with every probe failing
    ([20, 20, 20, 20, 20, 20, 19], [20, 20, 20, 20, 20, 20, 19], "not_judged"),
    ([20, 20, 20, 20, 20, 20, 19], [0] * 7, "not_judged"),
    # exactly 20 on every day is enough (以上 includes the number)
    ([20] * 7, [0] * 7, "pass"),
    # a missing day: not judged
    ([24, 24, 24, 0, 24, 24, 24], [0] * 7, "not_judged"),
    # no probes at all: not judged, never compliant by default
    ([0] * 7, [0] * 7, "not_judged"),
])
def test_ratio_rule(counts, failures, verdict):
    week = judge(probes_for(counts, failures), AS_OF)
    assert week["verdict"] == verdict
    assert week["judged"] == (verdict != "not_judged")
    assert week["probes"] == sum(counts) and week["failures"] == sum(failures)


def test_short_days_and_worst_day():
    week = judge(probes_for([20, 20, 20, 0, 20, 20, 19], [0, 3, 0, 0, 5, 0, 0]), AS_OF)
    assert week["short_days"] == ["2022-06-16", "2022-06-19"]
    assert week["worst_day"] == "2022-06-17"  # 5 of 20
    week = judge(probes_for([20, 40] + [20] * 5, [2, 3, 0, 0, 0, 0, 0]), AS_OF)
    assert week["worst_day"] == "2022-06-13"  # 2/20 = 10% is worse than 3/40 = 7.5%


def test_window_is_the_seven_beijing_days_before_as_of():
    base = probes_for([20] * 7)
    # the as-of day itself (00:30 Beijing = 16:30 UTC the day before) and the 8th day before are ignored
    outside = [Probe("4401000001", "t.gov.cn", "http://t.gov.cn/", dt.datetime(2022, 6, 19, 16, 30, tzinfo=dt.timezone.utc),
                     False, None, 15000, "timeout"),
               Probe("4401000001", "t.gov.cn", "http://t.gov.cn/", dt.datetime(2022, 6, 12, 12, 0, tzinfo=BEIJING),
                     False, None, 15000, "timeout")]
    week = judge(base + outside * 20, AS_OF)
    assert week["verdict"] == "pass" and week["probes"] == 140 and week["window"] == ["2022-06-13", "2022-06-19"]
    # 23:59 Beijing on 06-19 is 15:59 UTC: inside
    late = Probe("4401000001", "t.gov.cn", "http://t.gov.cn/", dt.datetime(2022, 6, 19, 15, 59, tzinfo=dt.timezone.utc),
                 False, None, 15000, "timeout")
    assert judge(base + [late] * 8, AS_OF)["failures"] == 8
    start, end = week_bounds(AS_OF)
    assert (utc_text(start), utc_text(end)) == ("2022-06-12T16:00:00.000Z", "2022-06-19T16:00:00.000Z")


# ------------------------------------------------------------------ what a failure is
@pytest.mark.parametrize("status, error, elapsed_ms, fail_on_4xx, failed", [
    (200, None, 300, True, False),
    (200, None, 14999, True, False),
    (200, None, 15000, True, True),  # 超过（含）15秒
    (None, "timeout", 15000, True, True),
    (None, "timeout", 500, True, True),  # the prober's own shorter timeout
    (None, "connect", 3, True, True),
    (None, "dns", 0, True, True),
    (None, "tls", 40, True, True),
    (None, "protocol", 40, True, True),
    (302, "redirect_loop", 80, True, True),
    (500, "http_5xx", 80, True, True),
    (503, "http_5xx", 80, False, True),
    (404, "http_4xx", 80, True, True),
    (403, "http_4xx", 80, False, False),  # fail_on_4xx off: server outages only
    (302, "off_host_redirect", 80, True, False),  # answered in time; the other host is not judged
    (304, None, 80, True, False),
    (None, None, 80, True, True),  # no status, no error: nothing opened
])
def test_is_failure(status, error, elapsed_ms, fail_on_4xx, failed):
    assert is_failure(status, error, elapsed_ms, fail_on_4xx=fail_on_4xx) is failed


@pytest.mark.parametrize("exc, cls", [
    (httpx.ConnectTimeout("timed out"), "timeout"),
    (httpx.ReadTimeout("timed out"), "timeout"),
    (TimeoutError("no complete answer"), "timeout"),
    (httpx.ConnectError("[Errno 111] Connection refused"), "connect"),
    (httpx.ConnectError("[Errno -2] Name or service not known"), "dns"),
    (httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"), "tls"),
    (httpx.RemoteProtocolError("Server disconnected without sending a response."), "protocol"),
    (httpx.ReadError("connection reset"), "network"),
    (ValueError("odd"), "other:ValueError"),
])
def test_error_class(exc, cls):
    assert error_class(exc) == cls


# ------------------------------------------------------------------ the prober, real local server
class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, status, body=b"<html><body>ok</body></html>", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path
        self.server.seen.append((path, self.headers.get("User-Agent")))
        if path == "/":
            self._send(200)
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200)
        elif path == "/trickle":  # headers at once, then the body too slowly
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(10):
                time.sleep(0.15)
                self.wfile.write(b"x" * 10)
                self.wfile.flush()
        elif path == "/err":
            self._send(500, b"error")
        elif path == "/gone":
            self._send(404, b"not found")
        elif path == "/moved":
            self._send(302, b"", [("Location", "/")])
        elif path == "/away":
            self._send(302, b"", [("Location", "http://www.other.gov.cn/")])
        elif path == "/loop":
            self._send(302, b"", [("Location", "/loop")])


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that gave up (the timeout cases) breaks the pipe: expected, not printed


@pytest.fixture(scope="module")
def server():
    srv = _Server(("127.0.0.1", 0), _Handler)
    srv.daemon_threads = True
    srv.seen = []
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def refused_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


OPTS = ProbeOptions(timeout=0.6, allow_private=True)


@pytest.mark.parametrize("path, ok, status, error", [
    ("/", True, 200, None),
    ("/moved", True, 200, None),  # followed within the registered host
    ("/slow", False, None, "timeout"),  # no answer within the (test's short) timeout
    ("/trickle", False, None, "timeout"),  # the whole answer counts, not each read
    ("/err", False, 500, "http_5xx"),
    ("/gone", False, 404, "http_4xx"),
    ("/away", True, 302, "off_host_redirect"),
    ("/loop", False, 302, "redirect_loop"),
])
def test_probe_url(server, path, ok, status, error):
    port = server.server_address[1]
    with httpx.Client(timeout=OPTS.timeout, headers={"User-Agent": OPTS.user_agent}) as client:
        p = probe_url(client, "4401000001", "127.0.0.1", f"http://127.0.0.1:{port}{path}", OPTS)
    assert (p.ok, p.status, p.error) == (ok, status, error)
    if error == "timeout":
        assert p.elapsed_ms >= 500 and p.elapsed_ms < 1400
    assert p.at.tzinfo is not None


def test_probe_url_refused_port():
    with httpx.Client(timeout=OPTS.timeout) as client:
        p = probe_url(client, "4401000001", "127.0.0.1", f"http://127.0.0.1:{refused_port()}/", OPTS)
    assert (p.ok, p.status, p.error) == (False, None, "connect")


def _entry(code, url, host="127.0.0.1", line=2):
    return SiteEntry(line, "测试", f"站点{code}", "测试单位", url, host, code)


def test_probe_round_records_every_site(server, tmp_path):
    port = server.server_address[1]
    entries = [_entry("4401000001", f"http://127.0.0.1:{port}/"), _entry("4401000002", f"http://127.0.0.1:{port}/err"),
               _entry("4401000003", f"http://127.0.0.1:{refused_port()}/"),
               _entry("4401000004", f"http://127.0.0.1:{port}/slow")]
    log = ProbeLog(tmp_path / "p.db")
    server.seen.clear()
    summary = probe_round(entries, log, ProbeOptions(timeout=0.6, allow_private=True, concurrency=4))
    assert (summary.probed, summary.failed, summary.recorded, summary.record_error) == (4, 3, 4, None)
    assert dict(summary.errors) == {"http_5xx": 1, "connect": 1, "timeout": 1}
    assert all(ua.startswith("govscan/") for _, ua in server.seen)  # the crawler's user agent
    rows = sqlite3.connect(tmp_path / "p.db").execute(
        "SELECT code, ok, status, error, at FROM probes ORDER BY code").fetchall()
    assert [r[:4] for r in rows] == [("4401000001", 1, 200, None), ("4401000002", 0, 500, "http_5xx"),
                                     ("4401000003", 0, None, "connect"), ("4401000004", 0, None, "timeout")]
    assert all(r[4].endswith("Z") and len(r[4]) == 24 for r in rows)
    # nothing of the page is kept
    assert [c[1] for c in sqlite3.connect(tmp_path / "p.db").execute("PRAGMA table_info(probes)")] == [
        "id", "code", "host", "url", "at", "ok", "status", "elapsed_ms", "error"]
    # loopback refused without allow_private: reported, not recorded
    summary = probe_round(entries[:1], log, ProbeOptions(timeout=0.6))
    assert summary.probed == 0 and summary.refused and "本机" in summary.refused[0][1]
    assert log.count() == 4
    log.close()


@pytest.mark.parametrize("paths, recorded", [
    # every site at once without any HTTP answer: the prober's own network was down; recorded, a
    # night of such rounds (9 of 168) vetoed every site of the province
    (["refused", "refused", "refused"], 0),
    # below 3 sites the two cannot be told apart: recorded as before
    (["refused", "refused"], 2),
    # one site answered (even with an error page): the network was up, every probe recorded
    (["refused", "refused", "/err"], 3),
])
def test_a_round_with_the_prober_offline_is_not_recorded(server, tmp_path, paths, recorded):
    port = server.server_address[1]
    entries = [_entry(f"440100000{i}", f"http://127.0.0.1:{refused_port()}/" if path == "refused"
                      else f"http://127.0.0.1:{port}{path}") for i, path in enumerate(paths, 1)]
    log = ProbeLog(tmp_path / "p.db")
    summary = probe_round(entries, log, ProbeOptions(timeout=0.6, allow_private=True, concurrency=4))
    assert (summary.probed, summary.recorded, log.count()) == (len(paths), recorded, recorded)
    assert ("判为本机网络故障" in (summary.record_error or "")) is (recorded == 0)
    log.close()


def test_a_round_that_cannot_be_recorded_says_so(server, tmp_path):
    port = server.server_address[1]
    db = tmp_path / "p.db"
    ProbeLog(db).close()
    locker = sqlite3.connect(db)
    locker.execute("BEGIN IMMEDIATE")  # another writer holds the log
    log = ProbeLog(db, busy_timeout=0.1)
    summary = probe_round([_entry("4401000001", f"http://127.0.0.1:{port}/")], log, OPTS)
    assert summary.recorded == 0 and "locked" in summary.record_error
    locker.rollback()
    log.append([Probe("4401000001", "127.0.0.1", "u", dt.datetime.now(dt.timezone.utc), True, 200, 1, None)])
    assert log.count() == 1  # the log itself is intact
    log.close()


# ------------------------------------------------------------------ the CLI's one-line errors
def _registry(tmp_path, url):
    reg = tmp_path / "sites.csv"
    reg.write_text("地区,网站名称,主办单位,网站地址,网站标识码\n"
                   f"测试,本地网站,测试单位,{url},4401000002\n", encoding="utf-8")
    return reg


def _one_line(res):
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in res.output, res.output
    return lines[0]


def test_cli_probe(server, tmp_path, cli_runner):
    port = server.server_address[1]
    reg = _registry(tmp_path, f"http://127.0.0.1:{port}/")
    db = tmp_path / "p.db"
    res = cli_runner.invoke(app, ["monitor", "probe", "-r", str(reg), "--db", str(db), "--allow-private",
                                  "--every", "0.001", "--rounds", "2", "--timeout", "2"])
    assert res.exit_code == 0, res.output
    assert res.stdout.count("探测网站1个，可访问1个") == 2 and "已记录1条" in res.stdout
    assert ProbeLog(db, readonly=True).count() == 2


@pytest.mark.parametrize("case, message", [
    ("missing registry", "nope.csv: registry file not found"),
    ("unwritable db", "cannot open the probe log"),
    ("not a probe log", "not a govscan probe log"),
    ("not sqlite", "cannot open the probe log (file is not a database)"),
    ("rounds without every", "--rounds other than 1 needs --every MINUTES"),
])
def test_cli_probe_errors_are_one_line(server, tmp_path, cli_runner, case, message):
    port = server.server_address[1]
    reg = _registry(tmp_path, f"http://127.0.0.1:{port}/")
    db = tmp_path / "p.db"
    args = ["monitor", "probe", "-r", str(reg), "--db", str(db), "--allow-private"]
    if case == "missing registry":
        args[3] = str(tmp_path / "nope.csv")
    elif case == "unwritable db":
        args[5] = str(tmp_path / "no" / "such" / "dir" / "p.db")
    elif case == "not a probe log":
        sqlite3.connect(db).execute("CREATE TABLE other (x)")
    elif case == "not sqlite":
        db.write_text("hello, this is not a database " * 10)
    elif case == "rounds without every":
        args += ["--rounds", "3"]
    res = cli_runner.invoke(app, args)
    assert res.exit_code == 2
    assert message in _one_line(res)


def test_cli_record_failure_is_one_line(server, tmp_path, cli_runner):
    port = server.server_address[1]
    reg = _registry(tmp_path, f"http://127.0.0.1:{port}/")
    db = tmp_path / "p.db"
    ProbeLog(db).close()
    cfg = tmp_path / "fast.toml"
    cfg.write_text("[monitor]\nbusy_timeout_s = 0.1\n", encoding="utf-8")
    locker = sqlite3.connect(db)
    locker.execute("BEGIN IMMEDIATE")
    res = cli_runner.invoke(app, ["monitor", "probe", "-r", str(reg), "--db", str(db), "--allow-private",
                                  "--config", str(cfg)])
    locker.rollback()
    assert res.exit_code == 2
    assert "本轮1条探测结果未能记录（database is locked）" in _one_line(res)


# ------------------------------------------------------------------ the check on a unit
def test_check_finding_says_clause_why_and_what_to_do():
    unit = site()
    unit.probes = tuple(probes_for([20] * 7, [0, 0, 5, 0, 2, 0, 0], code=unit.entry.code, error="connect"))
    (f,) = SiteUnreachable().check(unit)
    assert f.severity is Severity.VETO and f.indicator == "单项否决·站点无法访问"
    assert f.location["problem"] == "站点无法访问"
    assert "探测140次" in f.message and "打不开7次" in f.message and "5.00%" in f.message
    assert "最差一天2022-06-15：20次中5次打不开" in f.explanation and "connect 7次" in f.explanation
    assert f.action.startswith("排查服务器、带宽与防护设置")
    assert unit.availability["verdict"] == "fail"


def test_check_not_judged_is_advisory_and_without_probe_log_silent():
    unit = site()
    unit.probes = tuple(probes_for([20] * 6 + [19], code=unit.entry.code))
    (f,) = SiteUnreachable().check(unit)
    assert f.severity is Severity.ADVISORY and "not judged: 1 days with fewer than 20 probes" in f.explanation
    assert "补足监测" in f.action
    unit = site()
    assert list(SiteUnreachable().check(unit)) == [] and unit.availability is None


# ------------------------------------------------------------------ end to end: scan, store, report
def _probe_db(path, plan):
    """plan: code -> (counts per day, failures per day)."""
    log = ProbeLog(path)
    for code, (counts, failures) in plan.items():
        log.append(probes_for(counts, failures, code=code, error="timeout"))
    log.close()


@pytest.mark.parametrize("workers", ["1", "2"])  # 2: the probes travel to the pool's workers with the jobs
def test_scan_sites_with_probes_end_to_end(tmp_path, cli_runner, workers):
    from scanner.report import build_report
    from scanner.store.store import open_store

    db = tmp_path / "probes.db"
    _probe_db(db, {
        "4401000001": ([24] * 7, [9, 0, 0, 0, 0, 0, 0]),   # ok.fixture: 9/168 = 5.36% -> veto
        "4401000002": ([24] * 7, [8, 0, 0, 0, 0, 0, 0]),   # gbk.fixture: 8/168 = 4.76% -> pass
        "4401000003": ([24] * 6 + [19], [0] * 7),          # gb2312.fixture: a short day -> not judged
    })
    store = tmp_path / "govscan.db"
    res = cli_runner.invoke(app, ["scan", "sites", "-r", str(FIX / "registry.csv"), "-s", str(FIX / "mirror"),
                                  "--as-of", "2022-06-20", "-f", "jsonl", "--probes", str(db), "--store", str(store),
                                  "--workers", workers])
    assert res.exit_code == 2, res.output  # the registry's two bad rows, as without probes
    recs = {r["host"]: r for r in map(json.loads, res.stdout.splitlines())}
    ok = recs["ok.fixture.gov.cn"]
    assert ok["verdict"] == "fail" and ok["problems"] == ["站点无法访问"]
    (f,) = [f for f in ok["findings"] if f["code"] == "site.unreachable"]
    assert f["indicator"] == "单项否决·站点无法访问" and f["explanation"] and f["action"]
    assert ok["availability"]["verdict"] == "fail" and ok["availability"]["failures"] == 9
    assert recs["gbk.fixture.gov.cn"]["verdict"] == "pass" and recs["gbk.fixture.gov.cn"]["availability"]["verdict"] == "pass"
    gb = recs["gb2312.fixture.gov.cn"]
    assert gb["availability"]["verdict"] == "not_judged" and gb["availability"]["short_days"] == ["2022-06-19"]
    assert [f["severity"] for f in gb["findings"] if f["code"] == "site.unreachable"] == ["advisory"]
    # sites without any probe: not judged, never compliant by default; other problems unchanged
    assert recs["stale.fixture.gov.cn"]["availability"]["verdict"] == "not_judged"
    assert recs["stale.fixture.gov.cn"]["problems"] == ["多个栏目长期未更新"]
    assert "站点无法访问（探测记录" in res.stderr and "判定2个，否决1个；探测不足未判定16个" in res.stderr
    # the quarterly report's 附件2 carries it like the other site vetoes
    with open_store(store) as s:
        report = build_report(s, "2022Q2")
    problems = {p["code"]: p["problem"] for p in report["sites"]["problems"]}
    assert problems["4401000001"] == "站点无法访问"
    assert "4401000002" not in problems and "4401000003" not in problems


def test_home_page_missing_from_the_snapshot_with_failing_probes_is_a_veto(tmp_path, cli_runner):
    """A site the crawl could not fetch is not inspected (an error record, left out of the
    store); when the probe log proves it unreachable, 站点无法访问 stands on the probes alone and
    reaches the report; passing probes leave it not inspected, as before."""
    from scanner.report import build_report
    from scanner.store.store import open_store

    registry = tmp_path / "registry.csv"
    registry.write_text((FIX / "registry.csv").read_text(encoding="utf-8")
                        + "测试,gone.fixture.gov.cn,测试单位,http://gone.fixture.gov.cn/,4401000020,no home page\n"
                        + "测试,away.fixture.gov.cn,测试单位,http://away.fixture.gov.cn/,4401000021,no home page\n",
                        encoding="utf-8")
    db = tmp_path / "probes.db"
    _probe_db(db, {"4401000020": ([24] * 7, [24, 24, 3, 0, 0, 0, 0]),   # 51/168: down two days
                   "4401000021": ([24] * 7, [1, 0, 0, 0, 0, 0, 0])})   # 1/168: up, only not crawled
    store = tmp_path / "govscan.db"
    res = cli_runner.invoke(app, ["scan", "sites", "-r", str(registry), "-s", str(FIX / "mirror"), "--as-of", "2022-06-20",
                                  "-f", "jsonl", "--probes", str(db), "--store", str(store)])
    recs = {r["host"]: r for r in map(json.loads, res.stdout.splitlines())}
    gone = recs["gone.fixture.gov.cn"]
    assert gone["verdict"] == "fail" and gone["problems"] == ["站点无法访问"] and "error" not in gone
    assert [f["code"] for f in gone["findings"]] == ["site.unreachable"]
    assert gone["availability"]["failures"] == 51 and "only 站点无法访问 was judged" in gone["not_judged"]
    away = recs["away.fixture.gov.cn"]
    assert away["error"] and away["problems"] == [] and "availability" not in away
    with open_store(store) as s:
        report = build_report(s, "2022Q2")
    problems = {p["code"]: p["problem"] for p in report["sites"]["problems"]}
    assert problems["4401000020"] == "站点无法访问" and "4401000021" not in problems


def test_scan_sites_without_probes_is_unchanged(cli_runner):
    res = cli_runner.invoke(app, ["scan", "sites", "-r", str(FIX / "registry.csv"), "-s", str(FIX / "mirror"),
                                  "--as-of", "2022-06-20", "-f", "jsonl"])
    recs = [json.loads(line) for line in res.stdout.splitlines()]
    assert recs and not any("availability" in r for r in recs)
    assert not any(f["code"] == "site.unreachable" for r in recs for f in r["findings"])
    # no verdict on it; the summary says it was not checked (it said nothing: the sites passed it silently)
    assert "站点无法访问（探测记录" not in res.stderr
    assert "未检查：站点无法访问（未给出探测记录 --probes" in res.stderr


@pytest.mark.parametrize("make, message", [
    (lambda p: None, "probe log not found"),
    (lambda p: p.write_text("not a database at all " * 20), "cannot open the probe log"),
    (lambda p: sqlite3.connect(p).execute("CREATE TABLE other (x)"), "not a govscan probe log"),
])
def test_scan_sites_bad_probe_log_is_one_line(tmp_path, cli_runner, make, message):
    db = tmp_path / "probes.db"
    make(db)
    res = cli_runner.invoke(app, ["scan", "sites", "-r", str(FIX / "registry.csv"), "-s", str(FIX / "mirror"),
                                  "--as-of", "2022-06-20", "-f", "jsonl", "--probes", str(db)])
    assert res.exit_code == 2 and res.stdout == ""
    assert message in _one_line(res)


def test_monitor_summary(tmp_path, cli_runner):
    db = tmp_path / "probes.db"
    _probe_db(db, {"4401000001": ([24] * 7, [9, 0, 0, 0, 0, 0, 0]), "4401000002": ([24] * 7, [8, 0, 0, 0, 0, 0, 0])})
    reg = tmp_path / "sites.csv"
    reg.write_text("地区,网站名称,主办单位,网站地址,网站标识码\n测试,甲,单位,http://a.gov.cn/,4401000001\n"
                   "测试,乙,单位,http://b.gov.cn/,4401000002\n", encoding="utf-8")
    args = ["monitor", "summary", "-r", str(reg), "--db", str(db), "--as-of", "2022-06-20"]
    res = cli_runner.invoke(app, args + ["-f", "json"])
    assert res.exit_code == 1, res.output  # one site fails
    rows = {r["code"]: r for r in json.loads(res.stdout)["results"]}
    assert (rows["4401000001"]["verdict"], rows["4401000001"]["ratio"]) == ("fail", 0.0536)
    assert rows["4401000002"]["verdict"] == "pass"
    assert "2022-06-13至2022-06-19：网站2个，合格1个，单项否决1个，探测不足未判定0个。" in res.stderr
    # a day later the week has a day without probes: not judged, exit 2
    res = cli_runner.invoke(app, ["monitor", "summary", "-r", str(reg), "--db", str(db), "--as-of", "2022-06-21"])
    assert res.exit_code == 2 and "探测不足未判定2个" in res.stdout and "1天：06-20" in res.stdout
