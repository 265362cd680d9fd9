"""The quarterly report: aggregation rules, every output format (golden files), compare,
rectification and the ``govscan report`` command.

The report reads only the store; these tests fill a store with records they construct.
Regenerate the golden files after an intended change with::

    GOVSCAN_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/test_report.py -q
"""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from store_backends import BACKENDS, store_target

from scanner.report import (attachment_rows, build_report, compare_quarters, join_problems, pass_rate,
                            rectification_status, render)
from scanner.store import open_store

GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("GOVSCAN_REGEN_GOLDEN") == "1"
AS_OF = dt.date(2022, 6, 20)

# A small province: registry order is 深圳, 广州, 省直 (not alphabetical, not by code).
SITES = [
    # region, name, sponsor, url, code, problems (None: not inspected)
    ("深圳", "深圳市人民政府门户网站", "深圳市人民政府办公厅", "http://www.sz.gov.cn/", "4403000001", []),
    ("深圳", "罗湖区政府门户网站", "罗湖区人民政府办公室", "http://www.szlh.gov.cn/", "4403030001",
     ["互动回应差", "多个栏目长期未更新"]),
    ("广州", "广州市人民政府门户网站", "广州市人民政府办公厅", "http://www.gz.gov.cn/", "4401000001", []),
    ("广州", "越秀区政府门户网站", "越秀区人民政府办公室", "http://www.yuexiu.gov.cn/", "4401040001", None),
    ("深圳", "深圳市教育局网站", "深圳市教育局", "http://szeb.sz.gov.cn/", "4403000002", ["多个栏目为空白"]),
    ("省直", "广东省人民政府门户网站", "广东省人民政府办公厅", "http://www.gd.gov.cn/", "4400000001", []),
    ("省直", "广东省教育厅网站", "广东省教育厅", "http://edu.gd.gov.cn/", "4400000002", ["出现严重表述错误"]),
]
ACCOUNTS = [
    ("深圳", "深圳发布", "微信订阅号", "深圳市人民政府新闻办公室", "440300M001WX0001", []),
    ("广州", "广州统计", "新浪微博", "广州市统计局", "440100M020XL0001", ["监测时间点前2周内无更新"]),
    ("广州", "广州应急", "抖音短视频", "广州市应急管理局", "440100M021DY0001", []),
    ("省直", "粤健通", "微信服务号", "广东省卫生健康委员会", "440000M059WX0004", ["泄露个人隐私"]),
]


def site_registry(rows=SITES):
    return [{"地区": r, "网站名称": n, "主办单位": s, "网站地址": u, "网站标识码": c, "line": i + 2}
            for i, (r, n, s, u, c, _) in enumerate(rows)]


def account_registry(rows=ACCOUNTS):
    return [{"地区": r, "新媒体名称": n, "账号类型": t, "主办单位": s, "新媒体标识码": c, "line": i + 2}
            for i, (r, n, t, s, c, _) in enumerate(rows)]


def records(rows, accounts=False):
    out = []
    for row in rows:
        problems = row[-1]
        if problems is None:
            continue
        out.append({"code": row[4], "name": row[1], "region": row[0], "host": "",
                    "verdict": "fail" if problems else "pass", "problems": problems,
                    "findings": [{"code": "x", "severity": "veto", "indicator": f"单项否决·{p}",
                                  "message": f"{p}：测试", "action": "按指标整改",
                                  "location": {"problem": p, "url": row[3] if row[3].startswith("http") else ""}}
                                 for p in problems]})
    return out


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    s = open_store(store_target(request.param, tmp_path))
    s.save_unit_results("2022Q2", "sites", records(SITES), registry=site_registry(), as_of=AS_OF)
    s.save_unit_results("2022Q2", "accounts", records(ACCOUNTS), registry=account_registry(), as_of=AS_OF)
    yield s
    s.close()


@pytest.fixture
def report(store):
    return build_report(store, "2022Q2")


# --- rules -------------------------------------------------------------------------------

@pytest.mark.parametrize("inspected, problem, expected", [
    (562, 7, 98.8),     # the notice: 555/562 = 98.75...
    (3354, 16, 99.5),   # the notice: 3338/3354 = 99.52...
    (8, 1, 87.5),
    (16, 1, 93.8),      # 93.75 rounds half up
    (2000, 1, 99.9),    # 99.95 would round to 100.0: never 100% with a failure
    (10, 0, 100.0),
    (0, 0, 0.0),
])
def test_pass_rate(inspected, problem, expected):
    assert pass_rate(inspected, problem) == expected


@pytest.mark.parametrize("problems, expected", [
    (["互动回应差", "多个栏目长期未更新"], "多个栏目长期未更新、互动回应差"),
    (["泄露个人隐私", "出现严重表述错误", "泄露个人隐私"], "出现严重表述错误、泄露个人隐私"),
    (["某个新问题", "首页长期未更新"], "首页长期未更新、某个新问题"),
])
def test_problems_joined_in_fixed_order(problems, expected):
    assert join_problems(problems) == expected


def test_regions_follow_the_registry_and_totals_count_the_registry(report):
    s = report["sites"]
    assert [r["region"] for r in s["by_region"]] == ["深圳", "广州", "省直"]
    assert s["by_region"][1] == {"region": "广州", "total": 2, "inspected": 1, "problem": 0}
    assert (s["total"], s["inspected"], s["problem"], s["pass_rate"]) == (7, 6, 3, 50.0)
    assert [p["code"] for p in s["problems"]] == ["4403030001", "4403000002", "4400000002"]
    assert s["problems"][0] == {"region": "深圳", "name": "罗湖区政府门户网站", "host": "www.szlh.gov.cn",
                                "sponsor": "罗湖区人民政府办公室", "problem": "多个栏目长期未更新、互动回应差",
                                "code": "4403030001", "findings": [
                                    {"problem": p, "indicator": f"单项否决·{p}", "message": f"{p}：测试",
                                     "action": "按指标整改", "url": "http://www.szlh.gov.cn/"}
                                    for p in ("互动回应差", "多个栏目长期未更新")]}
    a = report["accounts"]
    assert a["problems"][0]["platform"] == "新浪微博"
    assert (a["total"], a["inspected"], a["problem"], a["pass_rate"]) == (4, 4, 2, 50.0)


def test_overview_counts_cities_not_departments(report):
    # 广州 is all pass; 省直 is a department group, never counted among the cities
    assert report["overview"] == {"site_pass_rate": 50.0, "full_pass_examples": ["广州"], "full_pass_cities": 1,
                                  "accounts_inspected": 4, "account_pass_rate": 50.0, "accounts_silent": 1}


def test_region_written_once_per_group(report):
    header, rows, note = attachment_rows(report, 2)
    assert [r[1] for r in rows] == ["深圳", "", "省直"]
    assert note == "注：检查采样时间为2022年4月1日至6月20日。"
    header, rows, _ = attachment_rows(report, 1)
    assert rows[-1] == ["合 计", "", "7", "6", "3"]


def test_no_pass_rate_without_an_inspected_unit(tmp_path):
    """A quarter whose units were all left uninspected has no pass rate (it said 合格率为0.0%)."""
    from scanner.report import overview_text

    with open_store(tmp_path / "g.db") as st:
        st.save_unit_results("2022Q2", "sites", [], registry=site_registry(), as_of=AS_OF)
        text = "".join(overview_text(build_report(st, "2022Q2")))
    assert "检查了其中0家" in text and "未计算合格率" in text and "0.0%" not in text


@pytest.mark.parametrize("saved, number, note", [
    # only the websites scanned so far: 附件3/4 said 合 计 0 0 0 with nothing to tell them from a
    # province without accounts
    ("sites", 3, "注：尚无2022年第二季度的政务新媒体检查结果，本表为空。"),
    ("sites", 4, "注：尚无2022年第二季度的政务新媒体检查结果，本表为空。"),
    ("sites", 1, ""),
    ("sites", 2, "注：检查采样时间为2022年4月1日至6月20日。"),
    ("accounts", 1, "注：尚无2022年第二季度的政府网站检查结果，本表为空。"),
    ("accounts", 2, "注：尚无2022年第二季度的政府网站检查结果，本表为空。"),
])
def test_attachment_of_a_kind_not_scanned_says_so(tmp_path, cli_runner, saved, number, note):
    with open_store(tmp_path / "g.db") as st:
        if saved == "sites":
            st.save_unit_results("2022Q2", "sites", records(SITES), registry=site_registry(), as_of=AS_OF)
        else:
            st.save_unit_results("2022Q2", "accounts", records(ACCOUNTS), registry=account_registry(), as_of=AS_OF)
        _, _, got = attachment_rows(build_report(st, "2022Q2"), number)
    assert got.startswith(note) if note else got == ""
    res = _run(cli_runner, "--store", str(tmp_path / "g.db"), "-q", "2022Q2", "-a", str(number))
    assert res.exit_code == 0
    other = "政务新媒体" if saved == "sites" else "网站"
    assert f"注意：存储中没有2022Q2的{other}检查结果" in res.stderr
    assert f"请先运行 govscan scan {'accounts' if saved == 'sites' else 'sites'} --store" in res.stderr
    assert "govscan" not in res.stdout  # the document names no command (it said 请先运行 govscan scan …)


@pytest.mark.parametrize("kind, number, errors, note", [
    # rows the scan left out of its registry (a malformed code, a duplicate) are not in the
    # totals: 附件1/3 said nothing, the province seemed to run fewer sites or accounts
    ("sites", 1, ["sites.csv:20: 网站标识码格式不正确", "sites.csv:21: 缺少网站地址"],
     "注：检查名单中另有2行有误（标识码、必填项或地区不符），未作检查，不计入本表。"),
    ("accounts", 3, ["accounts.csv:11: 平台代码 QQ 未登记"], "注：检查名单中另有1行有误"),
    # none left out: no note
    ("sites", 1, [], ""),
])
def test_registry_rows_left_out_are_noted(tmp_path, kind, number, errors, note):
    with open_store(tmp_path / "g.db") as st:
        rows, registry = (SITES, site_registry()) if kind == "sites" else (ACCOUNTS, account_registry())
        st.save_unit_results("2022Q2", kind, records(rows, accounts=kind == "accounts"), registry=registry, as_of=AS_OF,
                             summary={"pages": 1, "skipped": 0, "skip_reasons": {}, "registry_errors": errors})
        _, _, got = attachment_rows(build_report(st, "2022Q2"), number)
    assert got.startswith(note) if note else got == ""


@pytest.mark.parametrize("cell, expected", [
    ("斗门区政府门户网站", "斗门区政府门户网站"),
    ("A|B", "A\\|B"),
    # a line break (a name stored before registry cells lost them) would end the table row
    ("斗门区政府\n门户网站", "斗门区政府 门户网站"),
    ("", " "),
])
def test_markdown_cells(cell, expected):
    assert render.md_table(["名称"], [[cell]]).splitlines()[2] == f"| {expected} |"


@pytest.mark.parametrize("examples, count, expected", [
    (["广州", "深圳", "佛山"], 15, "广州、深圳、佛山等15个地级以上市合格率均达100%"),  # the notice's form
    # every such city named: "等" read as if there were more (广州等1个地级以上市)
    (["广州", "深圳"], 2, "广州、深圳2个地级以上市合格率均达100%"),
    (["广州"], 1, "广州合格率达100%"),
    ([], 0, None),
])
def test_full_pass_cities_sentence(report, examples, count, expected):
    from scanner.report import overview_text

    report["overview"].update(full_pass_examples=examples, full_pass_cities=count)
    first = overview_text(report)[0]
    if expected:
        assert first.endswith(f"，{expected}。")
    else:
        assert "100%" not in first


def test_missing_quarter_is_a_clear_error(store):
    from scanner.report import ReportError

    with pytest.raises(ReportError, match="没有 2021Q4 的检查结果（已有：2022Q2）"):
        build_report(store, "2021Q4")


# --- golden files ------------------------------------------------------------------------

def _golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if REGEN or not path.exists():
        assert REGEN or not os.environ.get("CI"), f"golden file {name} missing (set GOVSCAN_REGEN_GOLDEN=1)"
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs (GOVSCAN_REGEN_GOLDEN=1 to accept)"


def _xlsx_dump(path: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    out = []
    for ws in wb.worksheets:
        out.append(f"== sheet {ws.title} (merged: {', '.join(sorted(str(m) for m in ws.merged_cells.ranges))})")
        for row in ws.iter_rows(values_only=True):
            out.append("\t".join("" if v is None else f"{type(v).__name__}:{v}" for v in row))
    return "\n".join(out) + "\n"


def _docx_dump(path: Path) -> str:
    from docx import Document

    doc = Document(path)
    out = [f"core: {doc.core_properties.title} / {doc.core_properties.created.isoformat()}"]
    body = doc.element.body
    tables = iter(doc.tables)
    paras = iter(doc.paragraphs)
    for child in body.iterchildren():
        tag = child.tag.split("}")[1]
        if tag == "p":
            p = next(paras)
            if p.text.strip():
                out.append(f"P: {p.text}")
        elif tag == "tbl":
            t = next(tables)
            out.append(f"TABLE {t.style.name} {len(t.rows)}x{len(t.columns)}")
            for row in t.rows:
                out.append("| " + " | ".join(c.text for c in row.cells) + " |")
    return "\n".join(out) + "\n"


def test_golden_markdown(report):
    _golden("report-2022Q2.md", render.to_markdown(report))


def test_golden_json(report):
    _golden("report-2022Q2.json", render.to_json(report))
    assert json.loads(render.to_json(report)) == report


def test_golden_csv(report):
    _golden("report-2022Q2.csv", render.to_csv(report))


def test_golden_xlsx(report, tmp_path):
    path = tmp_path / "r.xlsx"
    render.to_xlsx(report, path)
    dump = _xlsx_dump(path)
    assert dump.count("== sheet") == 4  # one sheet per attachment
    _golden("report-2022Q2.xlsx.txt", dump)


def test_golden_docx(report, tmp_path):
    path = tmp_path / "r.docx"
    render.to_docx(report, path)
    dump = _docx_dump(path)
    assert dump.count("TABLE Table Grid") == 4  # real tables, one per attachment
    _golden("report-2022Q2.docx.txt", dump)


def test_write_report_all_formats(report, tmp_path):
    paths = render.write_report(report, tmp_path / "out")
    names = sorted(p.name for p in paths)
    assert names == sorted(["report-2022Q2.md", "report-2022Q2.xlsx", "report-2022Q2.docx", "report-2022Q2.json"]
                           + [f"report-2022Q2-附件{n}.csv" for n in (1, 2, 3, 4)])
    # CSV with a BOM so that Excel reads UTF-8
    assert (tmp_path / "out" / "report-2022Q2-附件1.csv").read_bytes().startswith(b"\xef\xbb\xbf")


# --- compare and rectification -----------------------------------------------------------

def test_compare_quarters(store):
    q3 = [list(r) for r in SITES]
    q3[1][5] = ["互动回应差"]            # one of two problems fixed
    q3[4][5] = []                       # fixed
    q3[6][5] = None                     # not re-inspected
    q3[0][5] = ["首页长期未更新"]         # new
    store.save_unit_results("2022Q3", "sites", records(q3), registry=site_registry(), as_of=dt.date(2022, 9, 20))
    cmp = compare_quarters(store, "2022Q3", "2022Q2")
    s = cmp["sites"]
    assert [(p["code"], p["problem"]) for p in s["new"]] == [("4403000001", "首页长期未更新")]
    assert [(p["code"], p["problem"]) for p in s["persisting"]] == [("4403030001", "互动回应差")]
    assert sorted((p["code"], p["problem"]) for p in s["fixed"]) == [("4403000002", "多个栏目为空白"),
                                                                     ("4403030001", "多个栏目长期未更新")]
    assert [(p["code"], p["problem"]) for p in s["unchecked"]] == [("4400000002", "出现严重表述错误")]
    assert cmp["accounts"]["new"] == [] and len(cmp["accounts"]["unchecked"]) == 2  # no 2022Q3 account scan
    md = render.compare_md(cmp)
    assert "新发现 1，仍存在 1，已整改 2，未复查 1" in md


def test_compare_with_a_later_quarter_is_refused(store):
    """--quarter 2022Q2 --compare 2022Q3 (the two swapped) listed 2022Q2's problems as 新发现
    and 2022Q3's fixes backwards; it is one line naming the order."""
    from scanner.report import ReportError

    store.save_unit_results("2022Q3", "sites", records(SITES), registry=site_registry(), as_of=dt.date(2022, 9, 20))
    with pytest.raises(ReportError, match="--compare 2022Q3 晚于 --quarter 2022Q2.*--quarter 2022Q3 --compare 2022Q2"):
        compare_quarters(store, "2022Q2", "2022Q3")
    with pytest.raises(ReportError, match="晚于"):
        compare_quarters(store, "2022Q4", "2023Q1")
    assert compare_quarters(store, "2022Q3", "2022Q2")["quarter"] == "2022Q3"


def test_rectification_status_after_recheck(store):
    q3 = [list(r) for r in SITES]
    q3[4][5] = []
    store.save_unit_results("2022Q3", "sites", records(q3), registry=site_registry(), as_of=dt.date(2022, 7, 25))
    st = rectification_status(store, "2022Q2")
    got = {(r["code"], r["problem"]): (r["status"], r["overdue"]) for r in st["items"]}
    assert got[("4403000002", "多个栏目为空白")] == ("rectified", False)
    assert got[("4403030001", "互动回应差")] == ("open", True)
    assert got[("440100M020XL0001", "监测时间点前2周内无更新")] == ("open", False)  # accounts not re-checked yet
    assert (st["open"], st["rectified"], st["overdue"]) == (5, 1, 3)
    assert st["items"][0]["kind"] == "sites"
    assert "未整改 5（其中逾期 3），已整改 1" in render.rectification_md(st)


def test_units_gone_from_the_later_registry_are_not_unrectified(store):
    """深圳市教育局网站 (多个栏目为空白) closed, 粤健通 (泄露个人隐私) deregistered: gone from 2022Q3's
    registries, they stayed 未整改 (overdue) and 未复查 for ever; they are 不在名录 and not counted
    as unrectified.  A unit of a region the later registry does not list at all is still 未复查."""
    q3_sites = [r for r in SITES if r[4] != "4403000002"]
    store.save_unit_results("2022Q3", "sites", records(q3_sites), registry=site_registry(q3_sites),
                            as_of=dt.date(2022, 9, 20))
    q3_accounts = [r for r in ACCOUNTS if r[4] != "440000M059WX0004"]
    q3_accounts = [r for r in q3_accounts if r[0] != "广州"] + [("省直", "粤省事", "微信服务号", "广东省政务服务数据管理局",
                                                               "440000M060WX0001", [])]
    store.save_unit_results("2022Q3", "accounts", records(q3_accounts), registry=account_registry(q3_accounts),
                            as_of=dt.date(2022, 9, 20))
    st = rectification_status(store, "2022Q2")
    got = {(r["code"], r["problem"]): (r["status"], r["overdue"], r["checked_quarter"]) for r in st["items"]}
    assert got[("4403000002", "多个栏目为空白")] == ("delisted", False, "2022Q3")
    assert got[("440000M059WX0004", "泄露个人隐私")] == ("delisted", False, "2022Q3")
    # 广州's accounts are not in 2022Q3's account registry at all (another region's scan): not judged
    assert got[("440100M020XL0001", "监测时间点前2周内无更新")] == ("open", False, None)
    assert (st["open"], st["rectified"], st["delisted"], st["overdue"]) == (4, 0, 2, 3)
    md = render.rectification_md(st)
    assert "未整改 4（其中逾期 3），已整改 0，不在名录 2（" in md and md.count("不在2022年第三季度名录") == 2
    csv_rows = [line.split(",") for line in render.rectification_csv(st).splitlines()]
    assert sum(row[7] == "不在2022Q3名录" and row[8] == "否" for row in csv_rows) == 2
    cmp = compare_quarters(store, "2022Q3", "2022Q2")
    assert [(p["code"], p["problem"]) for p in cmp["sites"]["delisted"]] == [("4403000002", "多个栏目为空白")]
    assert [p["code"] for p in cmp["sites"]["unchecked"]] == []
    assert [p["code"] for p in cmp["accounts"]["delisted"]] == ["440000M059WX0004"]
    assert [p["code"] for p in cmp["accounts"]["unchecked"]] == ["440100M020XL0001"]
    md = render.compare_md(cmp)
    assert "已整改 0，未复查 0，不在名录 1" in md and "| 不在名录 | 深圳 | 深圳市教育局网站 |" in md
    assert "政务新媒体,不在名录,省直,粤健通,泄露个人隐私,440000M059WX0004" in render.compare_csv(cmp)


@pytest.mark.parametrize("q3_site, bucket", [
    # 罗湖区政府门户网站 re-coded at the same address (集约化), the problems still there: 仍存在 under
    # its new code; they were 不在名录 (not counted) and 新发现 at once
    (("深圳", "罗湖区人民政府门户网站", "罗湖区人民政府办公室", "https://www.szlh.gov.cn/index.html", "4403030009",
      ["互动回应差", "多个栏目长期未更新"]), "persisting"),
    # re-coded and rectified: 已整改
    (("深圳", "罗湖区政府门户网站", "罗湖区人民政府办公室", "http://www.szlh.gov.cn/", "4403030009", []), "fixed"),
    # near miss: a new code at another address is another site; the old one closed (不在名录)
    (("深圳", "罗湖区政府门户网站", "罗湖区人民政府办公室", "http://www.szlh2.gov.cn/", "4403030009",
      ["互动回应差", "多个栏目长期未更新"]), "delisted"),
])
def test_compare_follows_a_unit_recoded_between_the_quarters(store, q3_site, bucket):
    q3 = [q3_site if r[4] == "4403030001" else r for r in SITES]
    store.save_unit_results("2022Q3", "sites", records(q3), registry=site_registry(q3), as_of=dt.date(2022, 9, 20))
    sec = compare_quarters(store, "2022Q3", "2022Q2")["sites"]
    got = {b: [(p["code"], p.get("previous_code"), p["problem"]) for p in sec[b]] for b in sec}
    matched = bucket != "delisted"
    code, previous = ("4403030009", "4403030001") if matched else ("4403030001", None)
    # (a unit's problems in the notice's order, as 附件2 and --rectification list them)
    assert [g for g in got[bucket] if g[0] == code] == [(code, previous, "多个栏目长期未更新"), (code, previous, "互动回应差")]
    assert not [g for g in got["new"] if g[0] == "4403030009"] or not matched
    assert [g for b in ("delisted", "unchecked") for g in got[b]] == ([] if matched else got["delisted"])
    md = render.compare_md(compare_quarters(store, "2022Q3", "2022Q2"))
    if matched:
        assert f"| 4403030009（原4403030001） |" in md
        assert f"政府网站,{'仍存在' if bucket == 'persisting' else '已整改'},深圳," in render.compare_csv(
            compare_quarters(store, "2022Q3", "2022Q2"))
        assert ",4403030009,4403030001" in render.compare_csv(compare_quarters(store, "2022Q3", "2022Q2"))
    (item,) = [r for r in rectification_status(store, "2022Q2")["items"] if r["code"] == "4403030001"
               and r["problem"] == "互动回应差"]
    assert item["status"] == {"persisting": "open", "fixed": "rectified", "delisted": "delisted"}[bucket]
    assert item["overdue"] is (bucket == "persisting")


# --- the command -------------------------------------------------------------------------

def _run(cli_runner, *args):
    from scanner.cli import app

    return cli_runner.invoke(app, ["report", *args], terminal_width=120)


def test_cli_json_and_attachments(cli_runner, store):
    db = store.target
    res = _run(cli_runner, "--store", db, "--quarter", "2022Q2", "--format", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["sites"]["problem"] == 3
    res = _run(cli_runner, "--store", db, "-q", "2022Q2", "-a", "1")
    assert res.exit_code == 0
    assert res.stdout.startswith("## 附件1 各地、各部门政府网站检查情况")
    assert "| 合 计 |   | 7 | 6 | 3 |" in res.stdout


def test_cli_writes_all_formats(cli_runner, store, tmp_path):
    res = _run(cli_runner, "--store", store.target, "-q", "2022Q2", "-f", "all", "-o", str(tmp_path / "o"))
    assert res.exit_code == 0, res.output
    assert (tmp_path / "o" / "report-2022Q2.docx").stat().st_size > 0
    assert (tmp_path / "o" / "report-2022Q2.xlsx").stat().st_size > 0


@pytest.mark.parametrize("args, message", [
    (["-q", "2022Q2", "-f", "xlsx"], "需要用 -o 指定输出目录"),
    (["-q", "2021Q4"], "没有 2021Q4 的检查结果"),
    (["-q", "2022-2"], "季度“2022-2”格式不正确"),
    ([], "需要 --quarter"),
    (["-q", "2022Q2", "-a", "5"], "附件编号只能是 1-4"),
    # -a prints md or csv tables; another format or -o was silently ignored
    (["-q", "2022Q2", "-a", "2", "-f", "json"], "-a 只把附件以 md 或 csv 表格打印到屏幕"),
    # a quarter compared with itself: every problem read 仍存在
    (["-q", "2022Q2", "--compare", "2022q2"], "--compare 2022Q2 与 --quarter 2022Q2 是同一季度"),
    # the rectification of a quarter the store does not hold read 未整改 0 … （无）, exit 0
    (["--rectification", "-q", "2022Q4"], "没有 2022Q4 的检查结果（已有：2022Q2）"),
])
def test_cli_errors(cli_runner, store, args, message):
    res = _run(cli_runner, "--store", store.target, *args)
    assert res.exit_code == 2
    assert message in res.output


@pytest.mark.parametrize("args", [
    ["-q", "2022Q2", "-f", "all"],
    ["-q", "2022Q2", "-f", "md"],
    ["--rectification", "-f", "md"],
])
def test_cli_unwritable_output_is_one_line(cli_runner, store, tmp_path, args):
    """An output folder that cannot be made (a file in the way) is one line naming it, exit 2."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    res = _run(cli_runner, "--store", store.target, *args, "-o", str(blocker / "out"))
    assert res.exit_code == 2, res.output
    assert "无法写入报告" in res.output and "a-file" in res.output and "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)


def test_cli_unreachable_postgres_is_one_line(cli_runner):
    pytest.importorskip("psycopg")
    res = _run(cli_runner, "--store", "postgresql://govscan@127.0.0.1:1/none", "-q", "2022Q2")
    assert res.exit_code == 2 and "无法使用" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1  # libpq's hint was a second, tab-indented line


def test_cli_quarter_in_lower_case(cli_runner, store):
    """`scan --quarter 2022q2` files results under 2022Q2; report -q 2022q2 found none."""
    store.save_unit_results("2022Q3", "sites", records(SITES), registry=site_registry(), as_of=dt.date(2022, 9, 20))
    res = _run(cli_runner, "--store", store.target, "-q", " 2022q3", "--compare", "2022q2", "-f", "json")
    assert res.exit_code == 0, res.output
    assert (json.loads(res.stdout)["quarter"], json.loads(res.stdout)["compare"]) == ("2022Q3", "2022Q2")
    res = _run(cli_runner, "--store", store.target, "-q", "2022q2", "-a", "1")
    assert res.exit_code == 0 and "| 合 计 |" in res.stdout


def test_cli_warns_of_an_unfinished_scan(cli_runner, store):
    """An interrupted accounts scan of the quarter: the report (showing the last complete
    one) says so, instead of passing off the old results silently."""
    run = store.begin_scan("2022Q2", "accounts", account_registry()[:3], as_of=dt.date(2022, 6, 25))
    run.save([r for r in records(ACCOUNTS) if r["code"] == account_registry()[0]["新媒体标识码"]])
    res = _run(cli_runner, "--store", store.target, "-q", "2022Q2", "-a", "3")
    assert res.exit_code == 0, res.output
    assert "2022Q2的政务新媒体检查未完成（已保存1/3个单位，监测时间点2022-06-25）" in res.stderr
    assert "上一次完成的检查结果" in res.stderr and "网站检查未完成" not in res.stderr


def test_cli_missing_store(cli_runner, tmp_path):  # a SQLite path that does not exist is not created
    res = _run(cli_runner, "--store", str(tmp_path / "none.db"), "-q", "2022Q2")
    assert res.exit_code == 2 and "不存在" in res.output
    assert not (tmp_path / "none.db").exists()


def test_cli_compare_and_rectification(cli_runner, store):
    store.save_unit_results("2022Q3", "sites", records(SITES), registry=site_registry(), as_of=dt.date(2022, 9, 20))
    res = _run(cli_runner, "--store", store.target, "-q", "2022Q3", "--compare", "2022Q2", "-f", "json")
    assert res.exit_code == 0 and len(json.loads(res.stdout)["sites"]["persisting"]) == 4
    res = _run(cli_runner, "--store", store.target, "--rectification", "-q", "2022Q2", "-f", "csv")
    assert res.exit_code == 0 and res.stdout.count("\n") == 1 + 6


def test_cli_refuses_a_newer_store_and_leaves_it_alone(cli_runner, tmp_path):
    from sqlalchemy import update

    from scanner.store import SCHEMA_VERSION
    from scanner.store import schema as S

    db = tmp_path / "newer.db"
    s = open_store(db)
    s.save_unit_results("2022Q2", "sites", records(SITES), registry=site_registry(), as_of=AS_OF)
    with s._write() as conn:
        conn.execute(update(S.meta).where(S.meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION + 1)))
    s.close()
    before = db.read_bytes()
    res = _run(cli_runner, "--store", str(db), "-q", "2022Q2")
    assert res.exit_code == 2 and f"结构版本为 {SCHEMA_VERSION + 1}" in res.output
    assert db.read_bytes() == before


# --- exports opened in Excel / WPS: UTF-8 with a BOM, no formulas ---------------------------

from scanner.report.csvout import excel_cell  # noqa: E402

HOSTILE = '=HYPERLINK("http://evil.example/","点击")'


@pytest.mark.parametrize("value, expected", [
    # would run as a formula: prefixed with '
    (HOSTILE, "'" + HOSTILE),
    ("+86 138 0013 8000 转 2", "'+86 138 0013 8000 转 2"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
    # numbers a user needs stay numbers
    ("-12345", "-12345"),
    ("+86", "+86"),
    ("-0.5", "-0.5"),
    ("-3%", "-3%"),
    ("-1,234.5", "-1,234.5"),
    ("-1,2+3", "'-1,2+3"),
    ("-", "-"),  # standard input's name, a placeholder: text to Excel
    # ordinary text and other types untouched
    ("深圳市人民政府门户网站", "深圳市人民政府门户网站"),
    ("a=b", "a=b"),
    ("", ""),
    (12, 12),
    (None, None),
])
def test_excel_cell(value, expected):
    assert excel_cell(value) == expected


@pytest.fixture
def hostile_store(tmp_path):
    rows = [list(r) for r in SITES]
    rows[1][1] = HOSTILE
    rows[4][1] = "-罗湖区教育局网站"
    s = open_store(str(tmp_path / "hostile.db"))
    s.save_unit_results("2022Q2", "sites", records(rows), registry=site_registry(rows), as_of=AS_OF)
    s.save_unit_results("2022Q2", "accounts", records(ACCOUNTS), registry=account_registry(), as_of=AS_OF)
    s.save_unit_results("2022Q3", "sites", records(rows), registry=site_registry(rows), as_of=dt.date(2022, 9, 20))
    yield s
    s.close()


def test_exports_never_carry_a_formula(hostile_store, tmp_path):
    import csv as csv_module

    from openpyxl import load_workbook

    rep = build_report(hostile_store, "2022Q2")
    cells = [c for row in csv_module.reader(render.attachment_csv(rep, 2).splitlines()) for c in row]
    assert "'" + HOSTILE in cells and "'-罗湖区教育局网站" in cells and HOSTILE not in cells
    render.to_xlsx(rep, tmp_path / "r.xlsx")
    ws = load_workbook(tmp_path / "r.xlsx")["附件2"]
    hostile = [c for row in ws.iter_rows() for c in row if c.value == HOSTILE]
    assert hostile and all(c.data_type == "s" for c in hostile)  # text, not a formula


@pytest.mark.parametrize("args", [
    ["-q", "2022Q2", "-f", "csv"],
    ["-q", "2022Q2", "-f", "csv", "-a", "2"],
    ["--rectification", "-f", "csv"],
    ["-q", "2022Q3", "--compare", "2022Q2", "-f", "csv"],
])
def test_cli_csv_on_stdout_opens_in_excel(cli_runner, hostile_store, args):
    res = _run(cli_runner, "--store", hostile_store.target, *args)
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("\ufeff") and res.stdout.count("\ufeff") == 1  # BOM: Excel reads UTF-8
    assert "\n" + HOSTILE not in res.stdout and "," + HOSTILE not in res.stdout


# BOM on standard output only where a spreadsheet will open it: a file, not a pipe
def _opened(kind, tmp_path):
    if kind == "file":
        return open(tmp_path / "out.csv", "w", encoding="utf-8")
    if kind == "pipe":
        r, w = os.pipe()
        os.close(r)  # nothing is read: the BOM decision is made before writing
        return os.fdopen(w, "w", encoding="utf-8")
    import io
    return io.StringIO()


@pytest.mark.parametrize("kind, bom", [
    ("file", True),     # `… -f csv > 附件.csv`, then double-clicked in Excel/WPS
    ("pipe", False),    # `… -f csv | csvcut -c 1`: '\ufeff单位' was the first header's name
    ("buffer", True),   # a library caller's in-memory stream, as before
])
def test_stdout_bom_only_where_a_spreadsheet_opens_it(tmp_path, kind, bom):
    from scanner.report.csvout import BOM, start_stdout
    stream = _opened(kind, tmp_path)
    written = []
    real_write = stream.write
    stream.write = lambda s: written.append(s) or len(s)  # record what start_stdout writes
    try:
        start_stdout(stream)
    finally:
        stream.write = real_write
        if kind != "buffer":
            try:
                stream.close()
            except OSError:
                pass
    assert (written == [BOM]) is bom and (written == []) is (not bom)


def test_csv_piped_to_another_program_has_no_bom(tmp_path):
    import subprocess
    import sys
    path = tmp_path / "名单.csv"
    path.write_text("姓名,手机\n王芳,13812345678\n", encoding="utf-8")
    cmd = [sys.executable, str(Path(__file__).parents[1] / "cli.py"), "privacy", "audit", str(path), "--format", "csv"]
    piped = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=Path(__file__).parents[1])
    assert piped.returncode == 1 and piped.stdout.startswith(b"path,")
    with open(tmp_path / "audit.csv", "wb") as out:
        subprocess.run(cmd, stdout=out, stderr=subprocess.DEVNULL, cwd=Path(__file__).parents[1])
    assert (tmp_path / "audit.csv").read_bytes().startswith(b"\xef\xbb\xbfpath,")


@pytest.mark.parametrize("total, inspected, expected", [
    (3354, 3354, "对全省正常运行的3354个政务新媒体进行了检查，"),  # the notice's form
    # accounts left unjudged (a short export): the sentence named 3300 as the province's total
    (3354, 3300, "对全省正常运行的3354个政务新媒体中的3300个进行了检查，"),
    (4, 0, "对全省正常运行的4个政务新媒体中的0个进行了检查，"),
])
def test_accounts_sentence_names_the_registry_total(report, total, inspected, expected):
    from scanner.report import overview_text

    report["accounts"].update(total=total, inspected=inspected)
    text = [t for t in overview_text(report) if "政务新媒体进行" in t or "政务新媒体中的" in t]
    assert len(text) == 1 and text[0].startswith(expected)


@pytest.mark.parametrize("number, landscape, columns", [
    # the tables: 5 columns on a portrait page; the two lists (6 and 7 columns) on landscape pages
    (1, False, 5),
    (2, True, 6),
    (3, False, 5),
    (4, True, 7),
])
def test_docx_attachment_pages_and_tables(report, tmp_path, number, landscape, columns):
    """Before: one portrait US-Letter section, equal columns (序号 as wide as 主办单位), the header
    row printed on the first page only: staff re-laid every table by hand."""
    from docx import Document
    from docx.oxml.ns import qn

    path = tmp_path / "r.docx"
    render.to_docx(report, path)
    doc = Document(path)
    assert len(doc.sections) == 5  # the body, then one section per attachment
    section, table = doc.sections[number], doc.tables[number - 1]
    assert len(table.columns) == columns
    short, long_ = sorted((round(section.page_width.mm), round(section.page_height.mm)))
    assert (short, long_) == (210, 297)  # A4
    assert (section.page_width > section.page_height) is landscape
    widths = [c.width for c in table.rows[0].cells]
    text_width = section.page_width - section.left_margin - section.right_margin
    assert text_width * 0.97 <= sum(widths) <= text_width
    assert widths[0] < min(widths[2:])  # 序号 narrow
    header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None and header.get(qn("w:val")) == "true"  # repeats on each page
    assert doc.sections[0].page_height > doc.sections[0].page_width  # the body stays portrait


@pytest.mark.parametrize("sheet, landscape, widest", [
    ("附件1", False, "检查存在突出问题的网站数"),
    ("附件2", True, "深圳市人民政府办公厅"),
    ("附件3", False, "检查存在突出问题的新媒体数"),
    ("附件4", True, "广东省卫生健康委员会"),
])
def test_xlsx_sheets_open_ready_to_use(report, tmp_path, sheet, landscape, widest):
    """Before: no frozen header row, no print titles, every column 22 wide (long names wrapped
    over two lines, 序号 8), the lists printed portrait, and 地区 left blank written as an empty
    text cell (COUNTA counted it)."""
    import zipfile

    from openpyxl import load_workbook

    path = tmp_path / "r.xlsx"
    render.to_xlsx(report, path)
    ws = load_workbook(path)[sheet]
    assert len(ws.title) <= 31
    assert ws.freeze_panes == "A5" and ws.cell(4, 1).value == "序号"
    assert ws.print_title_rows == "$4:$4"
    assert (ws.page_setup.orientation == "landscape") is landscape
    widths = {ws.cell(4, c).value: ws.column_dimensions[chr(64 + c)].width for c in range(1, ws.max_column + 1)}
    assert widths["序号"] <= 8
    assert max(widths.values()) >= 2 * len(widest)  # the longest cell fits on one line
    number = int(sheet[-1])
    numbered = len(attachment_rows(report, number)[1]) - (number in (1, 3))  # all but 合 计
    assert all(isinstance(ws.cell(r, 1).value, int) for r in range(5, 5 + numbered))
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
    assert 't="inlineStr"></c>' not in xml and "<f>" not in xml  # no empty text cell, no formula


@pytest.mark.parametrize("fmt, heading", [
    ("md", "## 一、总体情况"),  # it read "## 总体情况", unlike the notice and the DOCX
    ("docx", "P: 一、总体情况"),
])
def test_overview_heading_as_the_notice_words_it(report, tmp_path, fmt, heading):
    if fmt == "md":
        lines = render.to_markdown(report).splitlines()
    else:
        render.to_docx(report, tmp_path / "r.docx")
        lines = _docx_dump(tmp_path / "r.docx").splitlines()
    assert lines[2] == heading


@pytest.mark.parametrize("number, column, cjk, latin", [
    # the longest cell of the fixture's column: CJK characters and digits/letters
    (2, "网站标识码", 0, 10),              # 4403030001: it broke as 44030300/01 in fixed proportions
    (4, "新媒体标识码", 0, 16),            # 440100M020XL0001
    (4, "存在的突出问题", 11, 1),           # 监测时间点前2周内无更新
    (4, "账号类型", 5, 0),                 # 微信服务号
])
def test_docx_codes_and_problems_on_one_line(report, tmp_path, number, column, cjk, latin):
    from docx import Document
    from docx.shared import Cm, Pt

    render.to_docx(report, tmp_path / "r.docx")
    table = Document(tmp_path / "r.docx").tables[number - 1]
    widths = {c.text: c.width for c in table.rows[0].cells}
    # 12 pt: a CJK character 12 pt, a digit or letter at least 0.64 em; Word's cell margins 0.38 cm
    assert widths[column] >= Pt(12 * cjk + 12 * 0.64 * latin) + Cm(0.38)
