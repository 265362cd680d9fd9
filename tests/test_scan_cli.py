"""govscan scan sites / accounts on the committed fixtures: verdicts, labels, exit codes,
output formats, the store, and the process pool."""
import json
from pathlib import Path

import pytest

from scanner.cli import app

FIX = Path(__file__).parent / "fixtures"
SITES = ["scan", "sites", "-r", str(FIX / "sites" / "registry.csv"), "-s", str(FIX / "sites" / "mirror"),
         "--as-of", "2022-06-20", "-f", "jsonl"]
ACCOUNTS = ["scan", "accounts", "-r", str(FIX / "accounts" / "registry.csv"), "-p", str(FIX / "accounts" / "posts.jsonl"),
            "--as-of", "2022-06-20", "-f", "jsonl"]

EXPECTED_SITES = {
    "ok.fixture.gov.cn": ("pass", [], []),
    "gbk.fixture.gov.cn": ("pass", [], []),
    "gb2312.fixture.gov.cn": ("pass", [], []),
    "gb18030.fixture.gov.cn": ("pass", [], []),
    "wrongenc.fixture.gov.cn": ("pass", [], []),
    "stale.fixture.gov.cn": ("fail", ["多个栏目长期未更新"], []),
    "stale4.fixture.gov.cn": ("pass", [], []),
    "blank.fixture.gov.cn": ("fail", ["多个栏目为空白"], []),
    "blank4.fixture.gov.cn": ("pass", [], []),
    "nochannel.fixture.gov.cn": ("fail", ["互动回应差"], []),
    "letters.fixture.gov.cn": ("fail", ["互动回应差"], []),
    "cut.fixture.gov.cn": ("pass", [], ["信件列表内容显示不全"]),
    "deduct.fixture.gov.cn": ("pass", [], ["网站标识加挂不规范", "存在测试信息"]),
    "home.fixture.gov.cn": ("fail", ["首页长期未更新"], []),
    "home14.fixture.gov.cn": ("pass", [], []),
    "content.fixture.gov.cn": ("fail", ["出现严重表述错误", "泄露个人隐私"], []),
    "broken.fixture.gov.cn": ("pass", [], []),
    "attach.fixture.gov.cn": ("fail", ["泄露个人隐私"], []),  # from its DOCX attachment
}


def _records(output: str) -> dict:
    return {r.get("host") or r["code"]: r for r in map(json.loads, output.splitlines())}


@pytest.fixture(scope="module")
def site_run():
    from typer.testing import CliRunner

    return CliRunner().invoke(app, SITES)


def test_scan_sites_verdicts(site_run):
    # registry rows 20 and 21 are bad: reported, the others processed, exit 2
    assert site_run.exit_code == 2, site_run.output
    records = _records(site_run.stdout)
    got = {h: (r["verdict"], sorted(r["problems"]), sorted(r["deductions"])) for h, r in records.items()}
    assert got == {h: (v, sorted(p), sorted(d)) for h, (v, p, d) in EXPECTED_SITES.items()}
    assert "registry.csv:20" in site_run.stderr and "registry.csv:21" in site_run.stderr


def test_site_record_contract(site_run):
    rec = _records(site_run.stdout)["content.fixture.gov.cn"]
    assert {"code", "name", "region", "host", "verdict", "problems", "findings"} <= set(rec)
    assert rec["code"] == "4401000014" and rec["region"] == "测试"
    for f in rec["findings"]:
        assert f["indicator"] and f["explanation"] and f["action"] and f["location"]["url"].startswith("http://content.")
    # the unmasked ID never reaches the output: excerpts and messages are masked
    assert "11010519491231002X" not in site_run.stdout
    # the same errors before the window (2022-03-15) are not findings
    assert not any("t20220315" in f["location"]["url"] for f in rec["findings"])
    # navigation and footer text is not article text: nothing is flagged in it
    assert not any(f["excerpt"] in ("首页", "网站标识码") for f in rec["findings"])
    attach = _records(site_run.stdout)["attach.fixture.gov.cn"]
    assert {f["location"]["url"] for f in attach["findings"] if f["severity"] == "veto"} == {
        "http://attach.fixture.gov.cn/tzgg/fj/mingdan.docx"}


@pytest.mark.parametrize("host, problems", [
    ("content.fixture.gov.cn", {"出现严重表述错误", "泄露个人隐私"}),  # wording and pii findings
    ("attach.fixture.gov.cn", {"泄露个人隐私"}),                   # from its DOCX attachment
    ("stale.fixture.gov.cn", {"多个栏目长期未更新"}),                # a unit check's, as before
])
def test_every_finding_names_its_problem(site_run, host, problems):
    """A content finding's location had only url and title (the unit checks' had their problem):
    a reader grouping the record's findings by location.problem found no 泄露个人隐私 finding."""
    rec = _records(site_run.stdout)[host]
    vetoes = [f for f in rec["findings"] if f["severity"] == "veto"]
    assert vetoes and {f["location"]["problem"] for f in vetoes} == problems == set(rec["problems"])


def test_scan_summary_counts_skips(site_run):
    rec = _records(site_run.stdout)["broken.fixture.gov.cn"]
    assert rec["stats"]["skip_reasons"] == {"binary file, not text": 1, "HTML page without readable main text": 2}
    # the summary tells them in Chinese (they were English: binary file, not text 1); JSON keeps the scan's words
    assert "不支持的文件格式 1" in site_run.stderr and "网页无正文 2" in site_run.stderr
    assert "binary file" not in site_run.stderr and "HTML page without" not in site_run.stderr


def test_scan_accounts(cli_runner):
    res = cli_runner.invoke(app, ACCOUNTS)
    assert res.exit_code == 2  # one bad registry row
    got = {r["name"]: (r["verdict"], r["problems"], r["deductions"]) for r in _records(res.stdout).values()}
    assert got == {
        "按时更新": ("pass", [], []),
        "两周边界": ("pass", [], []),  # 2022-06-05T16:30Z is 06-06 in Beijing: exactly 14 days
        "超过两周": ("fail", ["监测时间点前2周内无更新"], []),  # 06-05 23:59 Beijing: 15 days
        "没有发布": ("fail", ["监测时间点前2周内无更新"], []),
        "泄露隐私": ("fail", ["泄露个人隐私"], []),
        "对话框新闻": ("pass", [], ["通过对话框发布新闻稿件"]),
        "超链接正文": ("pass", [], ["正文直接发布超链接"]),
        "改名账号": ("pass", [], ["账号信息未及时变更"]),
        "表述错误": ("fail", ["出现严重表述错误"], []),
    }
    assert "registry.csv:11" in res.stderr and "posts.jsonl:11" in res.stderr and "1条发布的账号不在名单中" in res.stderr
    assert "11010519491231002X" not in res.stdout


def test_scan_sites_json_and_text(cli_runner, tmp_path):
    reg = tmp_path / "r.csv"
    lines = (FIX / "sites" / "registry.csv").read_text(encoding="utf-8").splitlines()
    reg.write_text("\n".join([lines[0]] + [l for l in lines if "stale.fixture" in l or "ok.fixture" in l]) + "\n",
                   encoding="utf-8")
    base = ["scan", "sites", "-r", str(reg), "-s", str(FIX / "sites" / "mirror"), "--as-of", "2022-06-20"]
    res = cli_runner.invoke(app, base + ["-f", "json"])
    assert res.exit_code == 1  # a site failed
    payload = json.loads(res.stdout)
    assert payload["summary"]["units"] == 2 and payload["summary"]["failed"] == 1
    res = cli_runner.invoke(app, base)
    assert res.exit_code == 1 and "多个栏目长期未更新" in res.stdout and "不合格" in res.stdout


@pytest.mark.parametrize("args, message", [
    (["scan", "sites", "-r", "/nonexistent.csv", "-s", str(FIX / "sites" / "mirror"), "--as-of", "2022-06-20"],
     "registry file not found"),
    (["scan", "sites", "-r", str(FIX / "sites" / "registry.csv"), "-s", "/nonexistent", "--as-of", "2022-06-20"],
     "snapshot not found"),
    (["scan", "accounts", "-r", str(FIX / "accounts" / "registry.csv"), "-p", "/nonexistent.jsonl"], "posts file not found"),
    (["scan", "accounts", "-r", str(FIX / "accounts" / "registry.csv"), "-p", str(FIX / "accounts")], "posts file is a directory"),
    (["scan", "sites", "-r", str(FIX / "sites" / "registry.csv"), "-s", str(FIX / "sites" / "mirror"),
      "--as-of", "2022-06-20", "--since", "2022-07-01"], "--since is after --as-of"),
    # a store whose folder cannot be made (a file in the way) was a FileNotFoundError traceback
    (ACCOUNTS[:-2] + ["--store", str(FIX / "accounts" / "registry.csv" / "g.db")], "无法创建"),
    # a time point before the quarter it is filed under (a Q2 inspection filed as Q3 by a slip)
    (ACCOUNTS[:-2] + ["--quarter", "2022Q3"], "--as-of 2022-06-20 is before the quarter's first day (2022-07-01)"),
])
def test_bad_input_is_one_line(cli_runner, args, message):
    res = cli_runner.invoke(app, args)
    assert res.exit_code == 2
    assert message in res.stderr and "Traceback" not in res.output


@pytest.mark.parametrize("quarter, as_of, since", [
    # a Q2 inspection done in July: the window is the quarter's (it ran from July 1)
    ("2022Q2", "2022-07-05", "2022-04-01"),
    (None, "2022-07-05", "2022-07-01"),
    (None, "2022-06-20", "2022-04-01"),
])
def test_window_starts_with_the_quarter_filed_under(cli_runner, quarter, as_of, since):
    args = ACCOUNTS[:-4] + ["--as-of", as_of, "-f", "json"] + (["--quarter", quarter] if quarter else [])
    res = cli_runner.invoke(app, args)
    assert "Traceback" not in res.output  # the fixture's bad rows make it exit 2
    summary = json.loads(res.stdout)["summary"]
    assert (summary["since"], summary["quarter"]) == (since, quarter or "2022Q" + ("3" if as_of > "2022-07" else "2"))


@pytest.mark.slow
def test_store_and_workers(cli_runner, tmp_path):
    from scanner.store.store import open_store

    db = tmp_path / "g.db"
    res = cli_runner.invoke(app, SITES + ["--workers", "2", "--store", str(db)])
    assert res.exit_code == 2
    pooled = _records(res.stdout)
    assert {h: r["verdict"] for h, r in pooled.items()} == {h: v[0] for h, v in EXPECTED_SITES.items()}
    with open_store(db) as store:
        loaded = store.load("2022Q2", "sites")
        assert loaded is not None
        verdicts = {u.unit.host: u.verdict for u in loaded.units}
    assert verdicts == {h: v[0] for h, v in EXPECTED_SITES.items()}
    res = cli_runner.invoke(app, ACCOUNTS + ["--store", str(db), "--quarter", "2022Q2"])
    with open_store(db) as store:
        assert store.load("2022Q2", "accounts") is not None


@pytest.mark.parametrize("as_of, deadline, line", [
    # the notice's case: the 20th of the month after the quarter
    ("2022-06-20", "2022-07-20", "整改期限：2022年7月20日（季度结束后次月20日）。"),
    # a late Q2 inspection (25 July): it got 7月20日, before the inspection itself
    ("2022-07-25", "2022-08-24", "整改期限：2022年8月24日（检查时间点后30天：季度结束后次月20日即7月20日距检查时间点不足30天）。"),
])
def test_store_summary_says_the_rectification_deadline(cli_runner, tmp_path, as_of, deadline, line):
    import datetime as dt

    from scanner.store.store import open_store

    db = tmp_path / "g.db"
    args = [as_of if a == "2022-06-20" else a for a in ACCOUNTS]
    res = cli_runner.invoke(app, args + ["--store", str(db), "--quarter", "2022Q2"])
    assert line in res.stderr.splitlines()
    with open_store(db) as store:
        items = store.rectifications("2022Q2")
    assert items and {i.deadline for i in items} == {dt.date.fromisoformat(deadline)}
    assert not any(i.overdue for i in items)
    # without a store no item is opened, no deadline said
    res = cli_runner.invoke(app, args)
    assert "整改期限" not in res.stderr


def test_a_failing_check_is_reported_not_hidden(monkeypatch, tmp_path):
    """An unexpected error in one site's scan never passes silently: the site is reported
    as not judged, is left out of the store, and the command exits 2."""
    import datetime as dt

    from scanner.checks.site.identifier import SiteIdentifier
    from scanner.settings import Settings
    from scanner.site.run import run_site_scan
    from scanner.store.store import open_store

    def boom(self, unit):
        if unit.entry.host.startswith("ok."):
            raise RuntimeError("check exploded")
        return iter(())

    monkeypatch.setattr(SiteIdentifier, "check", boom)
    reg = tmp_path / "r.csv"
    lines = (FIX / "sites" / "registry.csv").read_text(encoding="utf-8").splitlines()
    reg.write_text("\n".join([lines[0]] + [l for l in lines if "ok.fixture" in l or "blank.fixture" in l]) + "\n",
                   encoding="utf-8")
    records = []
    db = tmp_path / "g.db"
    summary = run_site_scan(str(reg), str(FIX / "sites" / "mirror"), Settings.load(as_of=dt.date(2022, 6, 20)),
                            store=str(db), emit=records.append)
    assert [c for c, _ in summary.errors] == ["4401000001"]
    assert "check exploded" in records[0]["error"]
    assert any("检查出错" in line for line in summary.lines())
    with open_store(db) as store:
        verdicts = {u.unit.code: u.verdict for u in store.load("2022Q2", "sites").units}
    assert verdicts == {"4401000001": None, "4401000008": "fail"}


@pytest.mark.parametrize("kind, registry, inputs, code", [
    # a site whose home page is not in the snapshot
    ("sites", "地区,网站名称,主办单位,网站地址,网站标识码\n测试,未采集网站,测试单位,http://none.fixture.gov.cn/,4401000001\n",
     ["-s", str(FIX / "sites" / "mirror")], "4401000001"),
    # an account whose only post has a time that cannot be read
    ("accounts", "地区,新媒体名称,账号类型,主办单位,新媒体标识码\n测试,账号,微信订阅号,测试单位,440100M001WX0001\n",
     ["-p", '{"account_id": "440100M001WX0001", "published_at": "昨天 12:30", "kind": "article", "title": "t", '
            '"content_text": "正文"}\n'], "440100M001WX0001"),
])
@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_unit_not_judged_is_not_a_pass_in_json(cli_runner, tmp_path, kind, registry, inputs, code, fmt):
    """A unit not judged had "verdict": "pass" in -f json/jsonl (only its ``error`` said otherwise):
    a reader counting verdicts counted it as passing; the table said 未判定."""
    reg = tmp_path / "r.csv"
    reg.write_text(registry, encoding="utf-8")
    if inputs[0] == "-p":
        posts = tmp_path / "posts.jsonl"
        posts.write_text(inputs[1], encoding="utf-8")
        inputs = ["-p", str(posts)]
    res = cli_runner.invoke(app, ["scan", kind, "-r", str(reg), *inputs, "--as-of", "2022-06-20", "-f", fmt])
    assert res.exit_code == 2, res.output
    out = json.loads(res.stdout)
    recs = out["results"] if fmt == "json" else [out]
    assert [(r["code"], r["verdict"], bool(r["error"])) for r in recs] == [(code, "not_judged", True)]
    if fmt == "json":
        assert (out["summary"]["passed"], out["summary"]["not_judged"]) == (0, 1)


def test_site_missing_from_the_snapshot_is_not_a_pass(cli_runner, tmp_path):
    reg = tmp_path / "r.csv"
    reg.write_text("地区,网站名称,主办单位,网站地址,网站标识码\n测试,未采集网站,测试单位,http://none.fixture.gov.cn/,4401000001\n",
                   encoding="utf-8")
    res = cli_runner.invoke(app, ["scan", "sites", "-r", str(reg), "-s", str(FIX / "sites" / "mirror"),
                                  "--as-of", "2022-06-20", "-f", "jsonl"])
    assert res.exit_code == 2
    rec = json.loads(res.stdout)
    assert rec["error"] == "home page not in the snapshot" and not rec["findings"]
    assert "未作判定" in res.stderr


@pytest.mark.parametrize("url, twin", [
    # the registry writes www., the crawl (or wget) has the bare host, and the other way
    ("http://www.ok.fixture.gov.cn/", "www.ok.fixture.gov.cn -> ok.fixture.gov.cn"),
    ("http://fixture.gov.cn/", None),  # no twin in the snapshot: nothing more to say
])
def test_site_crawled_under_its_www_twin_is_named(cli_runner, tmp_path, url, twin):
    """A registry host and the crawled host differing by www. left the site 'home page not in
    the snapshot' with no hint that the snapshot holds it under the other name."""
    reg = tmp_path / "r.csv"
    reg.write_text(f"地区,网站名称,主办单位,网站地址,网站标识码\n测试,网站,测试单位,{url},4401000001\n", encoding="utf-8")
    res = cli_runner.invoke(app, ["scan", "sites", "-r", str(reg), "-s", str(FIX / "sites" / "mirror"),
                                  "--as-of", "2022-06-20", "-f", "jsonl"])
    assert res.exit_code == 2
    assert json.loads(res.stdout)["error"] == "home page not in the snapshot"
    if twin:
        assert f"1个登记的域名不在快照中，快照中有加或不加 www. 的同名域名（{twin}）" in res.stderr
        assert "4401000001：首页不在快照中（采集未取得首页）" in res.stderr
    else:
        assert "www. 的同名域名" not in res.stderr


def test_scan_accounts_with_a_region_list(cli_runner, tmp_path):
    """--regions: rows of other regions are bad rows (exit 2, line numbers), the rest is scanned."""
    regions = tmp_path / "regions.txt"
    regions.write_text("广州\n佛山\n", encoding="utf-8")
    res = cli_runner.invoke(app, ACCOUNTS + ["--regions", str(regions)])
    assert res.exit_code == 2 and _records(res.stdout) == {}
    assert "地区“测试”不在地区列表中" in res.stderr and "registry.csv:2:" in res.stderr
    regions.write_text("测试\n", encoding="utf-8")
    res = cli_runner.invoke(app, ACCOUNTS + ["--regions", str(regions)])
    assert len(_records(res.stdout)) == 9 and "不在地区列表中" not in res.stderr
    res = cli_runner.invoke(app, ACCOUNTS + ["--regions", str(tmp_path / "none.txt")])
    assert res.exit_code == 2 and "none.txt: 地区列表文件不存在" in res.stderr and "Traceback" not in res.output


def test_summary_never_counts_an_unjudged_site_as_passed(cli_runner, tmp_path):
    """A site not judged (no home page in the snapshot) is neither inspected nor passed in the
    summary, as in the report's 检查网站数."""
    reg = tmp_path / "r.csv"
    reg.write_text("地区,网站名称,主办单位,网站地址,网站标识码\n"
                   "测试,ok,测试单位,http://ok.fixture.gov.cn/,4401000001\n"
                   "测试,未采集网站,测试单位,http://none.fixture.gov.cn/,4401000002\n", encoding="utf-8")
    base = ["scan", "sites", "-r", str(reg), "-s", str(FIX / "sites" / "mirror"), "--as-of", "2022-06-20"]
    res = cli_runner.invoke(app, base + ["-f", "json"])
    assert res.exit_code == 2
    summary = json.loads(res.stdout)["summary"]
    assert (summary["units"], summary["inspected"], summary["not_judged"], summary["passed"], summary["failed"]) == (
        2, 1, 1, 1, 0)
    assert "检查网站1个（另有1个未作判定）" in res.stderr


def test_accounts_unix_times_and_unread_lines(cli_runner, tmp_path):
    """published_at in Unix seconds or milliseconds is read (it was a skip, and the account was
    failed as silent); an account whose only lines cannot be read is not judged, never failed."""
    post = {"account_name": "测试", "title": "工作动态", "content_text": "我单位召开专题会议。"}
    lines = [{**post, "account_id": "440100M001WX0001", "published_at": 1655690000},        # 2022-06-20
             {**post, "account_id": "440100M002XL0001", "published_at": 1654444800000},     # 2022-06-06 00:00 Beijing
             {**post, "account_id": "440100M003NF0001", "published_at": "上周五"},
             {**post, "account_id": "440100M004DY0001", "published_at": "2022-05-01T10:00:00+08:00"}]
    posts = tmp_path / "posts.jsonl"
    posts.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    reg = tmp_path / "r.csv"
    reg.write_text("\n".join((FIX / "accounts" / "registry.csv").read_text(encoding="utf-8").splitlines()[:5]) + "\n",
                   encoding="utf-8")
    res = cli_runner.invoke(app, ["scan", "accounts", "-r", str(reg), "-p", str(posts), "--as-of", "2022-06-20",
                                  "-f", "jsonl"])
    assert res.exit_code == 2, res.output  # one account not judged
    got = {r["code"]: (r["verdict"], r["problems"], r.get("error")) for r in map(json.loads, res.stdout.splitlines())}
    assert got["440100M001WX0001"] == ("pass", [], None)
    assert got["440100M002XL0001"] == ("pass", [], None)  # exactly 14 days, in milliseconds
    assert got["440100M004DY0001"] == ("fail", ["监测时间点前2周内无更新"], None)  # read, and stale
    verdict, problems, error = got["440100M003NF0001"]
    assert problems == [] and "posts.jsonl:3" in error and "无法判定" in error
    assert "未作判定" in res.stderr

    # an unread line spares the account a silence verdict, not another veto: a 公示名单 with an
    # unmasked ID in a post that was read still fails it (the whole record was dropped as unjudged)
    leak = {**post, "account_id": "440100M003NF0001", "published_at": "2022-05-10T10:00:00+08:00",
            "content_text": "公示名单：张三，身份证号11010519491231002X。"}
    posts.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines + [leak]) + "\n", encoding="utf-8")
    res = cli_runner.invoke(app, ["scan", "accounts", "-r", str(reg), "-p", str(posts), "--as-of", "2022-06-20",
                                  "-f", "jsonl"])
    rec = next(r for r in map(json.loads, res.stdout.splitlines()) if r["code"] == "440100M003NF0001")
    assert (rec["verdict"], rec["problems"], rec.get("error")) == ("fail", ["泄露个人隐私"], None)
    assert "posts.jsonl:3" in rec["not_judged"]


def _scan_interrupted_after_3(monkeypatch, reg, posts, settings, db):
    """An account scan into ``db`` stopped by Ctrl-C after its third account."""
    from scanner.site import accounts as accounts_mod
    from scanner.site.run import run_account_scan

    real = accounts_mod.scan_accounts

    def interrupted(*args, **kwargs):
        for n, record in enumerate(real(*args, **kwargs)):
            if n == 3:
                raise KeyboardInterrupt
            yield record

    monkeypatch.setattr(accounts_mod, "scan_accounts", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_account_scan(reg, posts, settings, store=db)
    monkeypatch.setattr(accounts_mod, "scan_accounts", real)


def test_interrupted_scan_resumes_with_the_whole_summary(monkeypatch, tmp_path):
    """Interrupted (Ctrl-C) after 3 accounts, then run again: nothing saved is lost or
    duplicated, and the stored summary the report reads counts both parts (it counted only
    the second: the report said 读取发布N条 for the accounts scanned after the resume)."""
    import datetime as dt

    from scanner.report import build_report
    from scanner.settings import Settings
    from scanner.site.run import run_account_scan
    from scanner.store.store import open_store

    settings = Settings.load(as_of=dt.date(2022, 6, 20))
    reg, posts, db = str(FIX / "accounts" / "registry.csv"), str(FIX / "accounts" / "posts.jsonl"), str(tmp_path / "g.db")
    whole = run_account_scan(reg, posts, settings)
    _scan_interrupted_after_3(monkeypatch, reg, posts, settings, db)
    again = run_account_scan(reg, posts, settings, store=db)
    assert again.resumed == 3
    assert (again.units, again.failed, again.pages, again.reviewed) == (whole.units, whole.failed, whole.pages, whole.reviewed)
    with open_store(db) as store:
        results = store.load("2022Q2", "accounts")
        assert len([u for u in results.units if u.inspected]) == whole.units == 9
        report = build_report(store, "2022Q2")
    assert report["accounts"]["scan"]["pages"] == whole.pages
    assert report["accounts"]["problem"] == whole.failed


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_scan_stopped_by_a_signal_saves_what_it_scanned(monkeypatch, tmp_path, signame):
    """SIGTERM (a service stopped, ``timeout``) or SIGHUP (an ssh session closed) killed a scan on the
    spot: the units scanned since the last batch was saved were lost (the demo's first 21 sites,
    all of them); it ends as Ctrl-C does, saving them, and the next run resumes after them."""
    import datetime as dt
    import os
    import signal

    from scanner.settings import Settings
    from scanner.site import accounts as accounts_mod
    from scanner.site.run import run_account_scan

    class Killed(Exception):
        pass

    def killed(signum, frame):  # the old behaviour, made catchable: the process died here
        raise Killed

    sig = getattr(signal, signame)
    before = signal.signal(sig, killed)
    settings = Settings.load(as_of=dt.date(2022, 6, 20))
    reg, posts, db = str(FIX / "accounts" / "registry.csv"), str(FIX / "accounts" / "posts.jsonl"), str(tmp_path / "g.db")
    real = accounts_mod.scan_accounts

    def stopped(*args, **kwargs):
        for n, record in enumerate(real(*args, **kwargs)):
            if n == 3:
                os.kill(os.getpid(), sig)
            yield record

    try:
        monkeypatch.setattr(accounts_mod, "scan_accounts", stopped)
        with pytest.raises(KeyboardInterrupt):
            run_account_scan(reg, posts, settings, store=db)
        assert signal.getsignal(sig) is killed  # the handler before the scan is back
    finally:
        signal.signal(sig, before)
    monkeypatch.setattr(accounts_mod, "scan_accounts", real)
    again = run_account_scan(reg, posts, settings, store=db)
    assert again.resumed == 3 and again.units == 9


def test_a_scan_that_judges_nothing_keeps_the_stored_quarter(cli_runner, tmp_path):
    """Re-scanning with an unreadable snapshot judged no site, yet replaced the quarter's
    stored results with an empty quarter (附件1: 检查网站数 0, 合格率 0.0%)."""
    from scanner.store.store import open_store

    reg = tmp_path / "r.csv"
    reg.write_text("地区,网站名称,主办单位,网站地址,网站标识码\n测试,ok,测试单位,http://ok.fixture.gov.cn/,4401000001\n"
                   "测试,stale,测试单位,http://stale.fixture.gov.cn/,4401000006\n", encoding="utf-8")
    db = str(tmp_path / "g.db")
    base = ["scan", "sites", "-r", str(reg), "--as-of", "2022-06-20", "--store", db]
    res = cli_runner.invoke(app, base + ["-s", str(FIX / "sites" / "mirror")])
    assert res.exit_code == 1, res.output
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(b"not a WARC at all\n" * 20)
    res = cli_runner.invoke(app, base + ["-s", str(broken)])
    assert res.exit_code == 2
    assert "没有任何单位完成判定，未保存" in res.stdout and "结果已保存" not in res.stdout
    # the table never shows a site that was not judged as 合格; warcio's warnings (with the
    # record's bytes) do not reach the terminal: the snapshot problem says it once
    assert res.stdout.count("未判定") == 2 and "合格" not in res.stdout.replace("不合格", "")
    assert "WARNING" not in res.output and "快照问题" in res.stdout
    # a mirror given one level too deep: said once, with what the folder holds
    res = cli_runner.invoke(app, base + ["-s", str(FIX / "sites" / "mirror" / "ok.fixture.gov.cn"), "-f", "jsonl"])
    assert res.exit_code == 2
    assert "快照中没有名单上任何网站的域名（快照中有：ghjh, gzdt" in res.stderr
    with open_store(db) as store:
        verdicts = {u.unit.code: u.verdict for u in store.load("2022Q2", "sites").units}
        assert store.running() == []  # nothing half-done left for the report to warn of
    assert verdicts == {"4401000001": "pass", "4401000006": "fail"}


def test_rescan_with_a_smaller_registry_says_what_it_replaced(cli_runner, tmp_path):
    """Two scans of one quarter into one store: the second replaces the first, so units of the
    first registry missing from the second (another region's sites) are gone from the report;
    the summary says so instead of dropping them silently."""
    header = "地区,网站名称,主办单位,网站地址,网站标识码\n"
    whole, part = tmp_path / "whole.csv", tmp_path / "part.csv"
    whole.write_text(header + "测试,ok,测试单位,http://ok.fixture.gov.cn/,4401000001\n"
                     "测试,stale,测试单位,http://stale.fixture.gov.cn/,4401000006\n", encoding="utf-8")
    part.write_text(header + "测试,ok,测试单位,http://ok.fixture.gov.cn/,4401000001\n", encoding="utf-8")
    db = str(tmp_path / "g.db")
    base = ["scan", "sites", "-s", str(FIX / "sites" / "mirror"), "--as-of", "2022-06-20", "--store", db, "-f", "jsonl"]
    assert "替换" not in cli_runner.invoke(app, base + ["-r", str(whole)]).stderr
    res = cli_runner.invoke(app, base + ["-r", str(whole)])  # the same registry again: nothing dropped
    assert res.exit_code == 1 and "替换" not in res.stderr
    res = cli_runner.invoke(app, base + ["-r", str(part)])
    assert res.exit_code == 0
    assert "其中1个单位不在本次名单中（4401000006）" in res.stderr


def test_text_table_never_cuts_a_code(cli_runner, monkeypatch):
    """Redirected to a file the table is 80 columns wide: codes and labels were cut with …
    (440100M001WX0…), so the saved table named no unit."""
    monkeypatch.setenv("COLUMNS", "80")
    res = cli_runner.invoke(app, ACCOUNTS[:-2])
    assert "…" not in res.stdout
    for code in ("440100M001WX0001", "440100M003NF0001", "440100M009TT0001"):
        assert code in res.stdout


@pytest.mark.slow
def test_a_site_that_kills_its_worker_does_not_end_the_scan():
    """With --workers 2, a site whose scan killed its worker process ended the whole scan
    with a BrokenProcessPool traceback; now that site is not judged and the others are scanned."""
    import dataclasses
    import datetime as dt

    from scanner.extract.snapshot import open_snapshot
    from scanner.settings import Settings
    from scanner.site.registry import load_sites
    from scanner.site.scan import SiteJob, scan_sites
    from tests.site_helpers import KillsItsWorker

    entries, _ = load_sites(FIX / "sites" / "registry.csv")
    entries = [e for e in entries if e.host.split(".")[0] in ("ok", "stale", "blank", "gbk")]
    spec = open_snapshot(FIX / "sites" / "mirror").spec()
    jobs = [SiteJob(e, spec) for e in entries]
    jobs[1] = dataclasses.replace(jobs[1], pages=KillsItsWorker())
    records = list(scan_sites(jobs, Settings.load(as_of=dt.date(2022, 6, 20)), workers=2))
    assert [r["code"] for r in records] == [e.code for e in entries]
    assert "worker process died" in records[1]["error"]
    assert [(r["host"], r["verdict"]) for i, r in enumerate(records) if i != 1 and not r.get("error")] == [
        (entries[i].host, "fail" if entries[i].host.split(".")[0] in ("stale", "blank") else "pass")
        for i in range(len(entries)) if i != 1]


@pytest.mark.parametrize("probes, expected", [
    # the notice's site indicators a scan does not judge: 服务不实用 always, 站点无法访问 without a
    # probe log; sites passed them silently
    (False, ["站点无法访问", "服务不实用"]),
    (True, ["服务不实用"]),
])
def test_sites_say_what_was_not_checked(cli_runner, tmp_path, probes, expected):
    from scanner.site.probe import ProbeLog

    args = SITES[:-1] + ["json"]
    if probes:
        db = tmp_path / "probes.db"
        ProbeLog(db).close()  # an empty log: availability judged "not judged" (the summary's own line)
        args += ["--probes", str(db)]
    res = cli_runner.invoke(app, args, terminal_width=200)
    out = json.loads(res.stdout)
    judged = [r for r in out["results"] if not r.get("error")]
    assert judged and all(r["not_checked"] == expected for r in judged)
    assert out["summary"]["not_checked"] == {k: len(judged) for k in expected}


@pytest.mark.parametrize("fmt, expected", [
    # 互动回应, the notice's third veto indicator for accounts, has no data source (the posts
    # file holds what an account published, never the public's messages or its replies): each
    # record and the summary say it was not checked; the accounts passed on it silently
    ("jsonl", "records"),
    ("json", "summary"),
    ("text", "未检查：互动回应（发布记录中没有留言及答复数据，9个政务新媒体未就此项判定，不计为合格或不合格）。"),
])
def test_accounts_say_interaction_was_not_checked(cli_runner, fmt, expected):
    res = cli_runner.invoke(app, ACCOUNTS[:-1] + [fmt], terminal_width=200)
    assert res.exit_code == 2, res.output  # the fixture's one bad registry row
    if expected == "records":
        records = _records(res.stdout).values()
        assert len(records) == 9 and all(r["not_checked"] == ["互动回应"] for r in records)
        # nothing else changes: the verdicts are the indicators that were checked
        assert sum(r["verdict"] == "fail" for r in records) == 4
    elif expected == "summary":
        assert json.loads(res.stdout)["summary"]["not_checked"] == {"互动回应": 9}
    else:
        assert expected in res.output


@pytest.mark.parametrize("change, resumed", [
    (None, 3),  # the same files and configuration: resumed
    # the posts file re-exported at the same path (the first export cut short): the accounts
    # judged on the short file were kept (监测时间点前2周内无更新), now the scan starts over
    ("posts", 0),
    # another threshold in the configuration
    ("config", 0),
])
def test_interrupted_scan_resumes_only_with_the_same_inputs(monkeypatch, tmp_path, change, resumed):
    import datetime as dt

    from scanner.settings import Settings
    from scanner.site.run import run_account_scan
    from scanner.store.store import open_store

    full = (FIX / "accounts" / "posts.jsonl").read_text(encoding="utf-8")
    posts, reg, db = tmp_path / "posts.jsonl", str(FIX / "accounts" / "registry.csv"), str(tmp_path / "g.db")
    posts.write_text(full if change != "posts" else "".join(full.splitlines(True)[:2]), encoding="utf-8")
    settings = Settings.load(as_of=dt.date(2022, 6, 20))
    _scan_interrupted_after_3(monkeypatch, reg, str(posts), settings, db)
    if change == "posts":
        posts.write_text(full, encoding="utf-8")
    if change == "config":
        settings = Settings.load(as_of=dt.date(2022, 6, 20),
                                 overrides={"checks": {"freshness.account_not_updated": {"days": 10}}})
    again = run_account_scan(reg, str(posts), settings, store=db)
    fresh = run_account_scan(reg, str(posts), settings)
    assert (again.resumed, again.restarted) == (resumed, 0 if resumed else 1)
    assert ("未续扫" in "\n".join(again.lines())) == (not resumed)
    with open_store(db) as store:
        stored = {u.unit.code: u.record["problems"] for u in store.load("2022Q2", "accounts").units if u.inspected}
    assert sum(bool(p) for p in stored.values()) == fresh.failed and again.problems == fresh.problems


def test_rescan_says_which_units_lost_their_results(cli_runner, tmp_path):
    """A rescan of the quarter with a partial recrawl: a site judged before and not now lost its
    result (附件1's 检查网站数 fell by one) and nothing said so."""
    import shutil

    reg = tmp_path / "r.csv"
    reg.write_text("\n".join((FIX / "sites" / "registry.csv").read_text(encoding="utf-8").splitlines()[:3]) + "\n",
                   encoding="utf-8")
    partial = tmp_path / "partial"
    shutil.copytree(FIX / "sites" / "mirror" / "ok.fixture.gov.cn", partial / "ok.fixture.gov.cn")
    db = str(tmp_path / "s.db")
    base = ["scan", "sites", "-r", str(reg), "--as-of", "2022-06-20", "--store", db]
    res = cli_runner.invoke(app, base + ["-s", str(FIX / "sites" / "mirror")])
    assert "原已判定、本次未作判定" not in res.stdout
    res = cli_runner.invoke(app, base + ["-s", str(partial)])
    assert res.exit_code == 2
    assert "其中1个单位原已判定、本次未作判定（4401000002），其原有结果已不再计入报告" in res.stdout
