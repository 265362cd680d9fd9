"""Acceptance: scan the demo province through the real pipeline, store it, and the report's
JSON equals the notice's four attachments (the Guangdong 2022 Q2 通报) and its 总体情况.

The expected values are parsed from the notice text itself (corpora/demo/
guangdong-2022q2-notice.txt, identical to shared/seed); the report is built from the store
only.  The reduced demo (every named unit, the deduction-level cases, the near misses and a
few healthy units per region) runs in every test run; the full demo (562 sites, 3,354
accounts) is marked ``slow``.
"""
from __future__ import annotations

import collections
import csv
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from corpora.demo.generate import generate
from corpora.demo.notice import load_notice

AS_OF = dt.date(2022, 6, 20)
ROOT = Path(__file__).resolve().parent.parent


def _govscan(*args: str) -> None:
    """Run the installed ``govscan`` command in a fresh process, as ``make run`` does (exit 1
    means a 单项否决 problem was found, which the demo expects)."""
    exe = Path(sys.executable).with_name("govscan")
    cmd = [str(exe)] if exe.exists() else [sys.executable, str(ROOT / "cli.py")]
    res = subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=1800)
    assert res.returncode in (0, 1), res.stderr[-2000:]


def _scan(data: Path, db: Path, as_of: dt.date) -> None:
    _govscan("scan", "sites", "--registry", str(data / "registry" / "sites.csv"), "--snapshot",
             str(data / "mirror"), "--as-of", as_of.isoformat(), "--probes", str(data / "probes.db"),  # as make run
             "--workers", "2", "--store", str(db), "-f", "jsonl")
    _govscan("scan", "accounts", "--registry", str(data / "registry" / "accounts.csv"), "--posts",
             str(data / "posts.jsonl"), "--as-of", as_of.isoformat(), "--store", str(db), "-f", "jsonl")


def _scan_demo(root: Path, reduced: bool) -> Path:
    data = root / "data"
    generate(data, reduced=reduced)
    db = root / "govscan.db"
    _scan(data, db, AS_OF)
    return db


@pytest.fixture(scope="module")
def notice():
    return load_notice()


@pytest.fixture(scope="module")
def reduced_demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo-reduced")
    return root, _scan_demo(root, reduced=True)


def _report(db: Path) -> dict:
    from scanner.report import build_report
    from scanner.store import open_store

    with open_store(db) as store:
        return build_report(store, "2022Q2")


def _project(problems: list[dict], keys) -> list[dict]:
    return [{k: p[k] for k in keys} for p in problems]


def _registry_counts(root: Path, name: str) -> collections.Counter:
    with (root / "data" / "registry" / name).open(encoding="utf-8") as fh:
        return collections.Counter(row["地区"] for row in csv.DictReader(fh))


def _assert_problem_lists(report: dict, notice: dict) -> None:
    for key in ("sites", "accounts"):
        expected = notice[key]["problems"]
        assert _project(report[key]["problems"], expected[0].keys()) == expected, key
        assert [r["problem"] for r in report[key]["by_region"]] == [r["problem"] for r in notice[key]["by_region"]]
        assert [r["region"] for r in report[key]["by_region"]] == [r["region"] for r in notice[key]["by_region"]]
        assert report[key]["problem"] == notice[key]["problem"]


def test_reduced_demo_findings_say_clause_reason_and_action_and_hold_no_personal_data(reduced_demo, tmp_path):
    """Every unit of 附件2/4 carries, in the JSON, each problem's findings with the indicator clause,
    why it fired and what to do; the report (every format) passes the privacy audit: the 公示名单's
    identifiers appear masked only."""
    from scanner.privacy.audit import audit_paths
    from scanner.report import render

    _root, db = reduced_demo
    report = _report(db)
    for key in ("sites", "accounts"):
        for p in report[key]["problems"]:
            assert {f["problem"] for f in p["findings"]} == set(p["problem"].split("、")), p["name"]
            assert all(f["indicator"] and f["message"] and f["action"] for f in p["findings"]), p["name"]
    written = render.write_report(report, tmp_path)
    records = list(audit_paths([str(p) for p in written]))
    assert len(records) == len(written)
    assert all(r.verdict == "compliant" for r in records), [(r.path, r.reason) for r in records]
    assert any(i["masked"] for r in records for i in r.items)  # the identifiers are there, masked


def test_reduced_demo_reproduces_the_notice_lists(reduced_demo, notice):
    root, db = reduced_demo
    report = _report(db)
    _assert_problem_lists(report, notice)
    # totals are the reduced registry's, and every unit was inspected
    for key, name in (("sites", "sites.csv"), ("accounts", "accounts.csv")):
        counts = _registry_counts(root, name)
        assert [(r["total"], r["inspected"]) for r in report[key]["by_region"]] == \
            [(counts[r["region"]], counts[r["region"]]) for r in report[key]["by_region"]]
    o = report["overview"]
    assert (o["full_pass_cities"], o["full_pass_examples"], o["accounts_silent"]) == \
        (notice["overview"]["full_pass_cities"], notice["overview"]["full_pass_examples"],
         notice["overview"]["accounts_silent"])
    assert report["period"]["sites"] == notice["period"]


def _records(db: Path, kind: str) -> dict[str, dict]:
    from scanner.store import open_store

    with open_store(db) as store:
        return {u.unit.name: u.record for u in store.load("2022Q2", kind).units}


@pytest.mark.parametrize("kind, name, deduction_code", [
    ("sites", "东莞市人力资源和社会保障局网站", "site.test_content"),
    ("sites", "韶关市教育局网站", "site.letters_cut_off"),
    ("sites", "韶关市民政局网站", "site.letters_cut_off"),
    ("sites", "韶关市住房和城乡建设局网站", "site.letters_cut_off"),
    ("accounts", "品质大塘", "account.renamed"),
    ("accounts", "东莞反诈", "account.renamed"),
    ("accounts", "湛江市人民政府驻北京联络处", "account.news_as_message"),
    ("accounts", "潮州信访", "account.bare_link"),
])
def test_deduction_cases_are_found_without_failing_their_units(reduced_demo, kind, name, deduction_code):
    _, db = reduced_demo
    record = _records(db, kind)[name]
    assert record["verdict"] == "pass"
    codes = {f["code"] for f in record["findings"] if f["severity"] == "deduction"}
    assert deduction_code in codes, codes


@pytest.mark.parametrize("kind, name", [
    ("sites", "阳江市统计局网站"),        # 4 blank columns
    ("sites", "茂名市商务局网站"),        # 4 stale columns, one exactly 15 days old
    ("sites", "中山市民政局网站"),        # a news column last updated exactly 14 days before
    ("sites", "广州市卫生健康局网站"),    # masked 公示 list
    ("accounts", "广州民政"),             # last post exactly 14 days before
    ("accounts", "梅州自然资源"),         # masked 公示 list
    ("accounts", "河源发布"),             # 习近平 written correctly
])
def test_near_misses_pass(reduced_demo, kind, name):
    _, db = reduced_demo
    record = _records(db, kind)[name]
    assert record["verdict"] == "pass", record["problems"]
    assert not [f for f in record["findings"] if f["severity"] == "veto"]


def test_report_command_prints_the_stored_report(reduced_demo, cli_runner):
    from scanner.cli import app

    _, db = reduced_demo
    res = cli_runner.invoke(app, ["report", "--store", str(db), "--quarter", "2022Q2", "--format", "json"],
                            terminal_width=120)
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == json.loads(json.dumps(_report(db)))


@pytest.mark.slow
def test_full_demo_reproduces_the_notice(tmp_path, notice):
    db = _scan_demo(tmp_path, reduced=False)
    report = _report(db)
    _assert_problem_lists(report, notice)
    for key in ("sites", "accounts"):
        for field in ("by_region", "total", "inspected", "problem", "pass_rate"):
            assert report[key][field] == notice[key][field], (key, field)
    assert report["overview"] == notice["overview"]


def test_next_quarter_rescan_closes_rectified_problems(reduced_demo, tmp_path):
    """2022Q3: the same province at 2022-09-20 (past the 2022-07-20 deadline), every planted
    problem fixed except 龙门县's channel and the 佛山统计 account."""
    import shutil

    from scanner.report import compare_quarters, rectification_status
    from scanner.store import open_store

    _, db = reduced_demo
    db2 = tmp_path / "govscan.db"
    shutil.copy(db, db2)
    q3 = tmp_path / "q3"
    keep = frozenset({"4413240044", "440600M020XL0001"})
    generate(q3, reduced=True, as_of=dt.date(2022, 9, 20), rectify=True, keep=keep)
    _scan(q3, db2, dt.date(2022, 9, 20))
    with open_store(db2) as store:
        rect = rectification_status(store, "2022Q2")
        cmp = compare_quarters(store, "2022Q3", "2022Q2")
        assert store.quarters() == ["2022Q2", "2022Q3"]
    still_open = sorted((r["code"], r["problem"], r["overdue"]) for r in rect["items"] if r["status"] == "open")
    assert still_open == [("440600M020XL0001", "监测时间点前2周内无更新", True), ("4413240044", "互动回应差", True)]
    assert rect["rectified"] == 7 + 16 - 2
    assert all(r["rectified_on"] == "2022-09-20" for r in rect["items"] if r["status"] == "rectified")
    assert [(p["code"], p["problem"]) for p in cmp["sites"]["persisting"]] == [("4413240044", "互动回应差")]
    assert [(p["code"], p["problem"]) for p in cmp["accounts"]["persisting"]] == \
        [("440600M020XL0001", "监测时间点前2周内无更新")]
    assert (len(cmp["sites"]["fixed"]), len(cmp["accounts"]["fixed"])) == (6, 15)
    assert cmp["sites"]["new"] == [] and cmp["accounts"]["new"] == []
