"""The 通报 as the provincial office reads it before publishing: no English or internal
strings in the human formats (md, docx, xlsx), numbers written as the notice writes them, and
an empty list that says 无.

The report reads only the store; these tests fill a SQLite store with the records of
``test_report`` (a small province: 深圳, 广州, 省直).
"""
from __future__ import annotations

import re

import pytest

from test_report import ACCOUNTS, AS_OF, SITES, _docx_dump, _xlsx_dump, account_registry, records, site_registry

from scanner.report import build_report, overview_text, render
from scanner.report.aggregate import skip_reason_zh, skip_reasons_zh
from scanner.store import open_store

LATIN = re.compile(r"[A-Za-z]")


def _report(tmp_path, sites=SITES, accounts=ACCOUNTS, site_summary=None, account_summary=None):
    with open_store(tmp_path / "r.db") as st:
        st.save_unit_results("2022Q2", "sites", records(sites), registry=site_registry(sites), as_of=AS_OF,
                             summary=site_summary)
        st.save_unit_results("2022Q2", "accounts", records(accounts), registry=account_registry(accounts),
                             as_of=AS_OF, summary=account_summary)
        return build_report(st, "2022Q2")


# --- skip reasons in 总体情况 ------------------------------------------------------------------

@pytest.mark.parametrize("reason, expected", [
    # the site scan's reason kinds (scanner/site/model.py, scan.py), as the store keeps them
    ("home page not in the snapshot", "首页不在快照中或无法读取"),
    ("home page redirects to another host", "首页跳转至其他域名"),
    ("column page not in the snapshot", "栏目页不在快照中"),
    ("article not in the snapshot", "文章页不在快照中"),
    ("linked page not in the snapshot", "附件或链接页面不在快照中"),
    ("article limit reached", "超出单个网站的文章数上限"),
    ("redirect loop", "页面跳转循环或跳转至站外"),
    ("too many redirects", "页面跳转循环或跳转至站外"),
    ("redirect loop or off-site redirect", "页面跳转循环或跳转至站外"),
    ("HTTP 404", "页面返回错误代码404"),
    ("HTTP 503", "页面返回错误代码503"),
    ("HTTP 0", "页面无应答"),
    ("huge page", "页面或附件过大"),
    ("truncated WARC record", "快照记录不完整或损坏"),
    ("truncated or corrupt WARC record", "快照记录不完整或损坏"),
    ("unreadable file", "快照文件无法读取"),
    ("part of the document not read", "文档部分内容无法读取"),
    ("scan error", "检查出错"),
    # extractors' reasons (attachments read in the window)
    ("corrupt PDF", "附件损坏或无法读取"),
    ("corrupt or protected XLSX", "附件损坏或设有密码"),
    ("password-protected PDF", "附件损坏或设有密码"),
    ("unreadable", "附件损坏或无法读取"),
    ("not an OFD package", "附件损坏或无法读取"),
    ("empty DOCX", "空文件"),
    ("no text layer", "附件为无文字层的扫描件"),
    ("XLSX has more than 200000 rows", "页面或附件过大"),
    ("DOCX decompresses to 300 MB, over the 200 MB limit", "页面或附件过大"),
    ("unknown text encoding", "文字编码无法识别"),
    ("HTML page without readable main text", "网页无正文"),
    ("unsupported file type", "不支持的文件格式"),
    # the posts export's reasons (raw, details and all)
    ("not JSON (Expecting value)", "发布记录无法解析"),
    ("no account_id", "发布记录缺少新媒体标识码"),
    ("no published_at", "发布记录缺少发布时间"),
    ("published_at is a relative time (昨天, 3小时前 … are never guessed: export the full date and time)",
     "发布时间为“昨天”等相对时间"),
    ("published_at without a year (a month and day alone are never guessed)", "发布时间缺少年份"),
    ("invalid published_at", "发布时间无法识别"),
    ("unknown kind 'live'", "发布类型无法识别"),
    ("duplicate of line 12", "重复的发布记录"),
    ("neither UTF-8 nor GB18030", "文字编码无法识别"),
    # already in Chinese: as it is; any other English: never shown raw
    ("页面为空", "页面为空"),
    ("something new and unforeseen", "其他原因"),
])
def test_skip_reason_in_chinese(reason, expected):
    assert skip_reason_zh(reason) == expected
    # shown inside （…） in 总体情况: no Latin words, no brackets of its own
    assert not re.search(r"[A-Za-z（）()]", expected)


@pytest.mark.parametrize("reasons, expected", [
    # merged once told in Chinese (each duplicate line was its own reason), most frequent first
    ({"duplicate of line 3": 1, "duplicate of line 9": 1, "no account_id": 1},
     [("重复的发布记录", 2), ("发布记录缺少新媒体标识码", 1)]),
    # beyond five, the rest as 其他原因, so the figures add up to the skip count (they were dropped)
    ({"HTTP 404": 7, "HTTP 500": 6, "HTTP 503": 5, "huge page": 4, "empty PDF": 3, "no text layer": 2,
      "corrupt DOC": 1, "what is this": 1},
     [("页面返回错误代码404", 7), ("页面返回错误代码500", 6), ("页面返回错误代码503", 5), ("页面或附件过大", 4),
      ("空文件", 3), ("其他原因", 4)]),
    ({}, []),
])
def test_skip_reasons_merged_and_complete(reasons, expected):
    assert skip_reasons_zh(reasons) == expected


def test_overview_skip_sentences_have_no_english(tmp_path):
    """The inspector's find: 总体情况 read 跳过3个（column page not in the snapshot：2；HTTP 404：1）."""
    rep = _report(tmp_path,
                  site_summary={"pages": 120, "skipped": 3,
                                "skip_reasons": {"column page not in the snapshot": 2, "HTTP 404": 1}},
                  account_summary={"pages": 40, "skipped": 3,
                                   "skip_reasons": {"duplicate of line 7": 1, "duplicate of line 8": 1,
                                                    "unknown kind 'live'": 1}})
    text = overview_text(rep)
    sites = [t for t in text if t.startswith("本次检查读取网站页面")]
    posts = [t for t in text if t.startswith("本次检查读取政务新媒体发布")]
    assert sites == ["本次检查读取网站页面120个，跳过3个（栏目页不在快照中：2个；页面返回错误代码404：1个）。"]
    assert posts == ["本次检查读取政务新媒体发布40条，跳过3条（重复的发布记录：2条；发布类型无法识别：1条）。"]
    for fmt_text in (render.to_markdown(rep),):
        overview = fmt_text.split("## 附件1")[0]
        assert not LATIN.search(overview), overview


# --- numbers as the notice writes them -------------------------------------------------------

@pytest.mark.parametrize("sites, accounts, site_rate, account_rate", [
    # every unit passes: the notice writes 达100%, never 100.0%
    ([s[:5] + ([],) for s in SITES], [a[:5] + ([],) for a in ACCOUNTS], "总体合格率为100%", "总体合格率达100%"),
    # one decimal otherwise, 50.0% kept (the rule is one decimal)
    (SITES, ACCOUNTS, "总体合格率为50.0%", "总体合格率达50.0%"),
])
def test_pass_rate_written_as_the_notice(tmp_path, sites, accounts, site_rate, account_rate):
    text = "".join(overview_text(_report(tmp_path, sites, accounts)))
    assert site_rate in text and account_rate in text
    assert "100.0%" not in text


# --- an empty list says 无 ---------------------------------------------------------------------

def _no_problems(rows):
    return [r[:5] + ([] if r[5] is not None else None,) for r in rows]


@pytest.mark.parametrize("fmt, expected", [
    # 附件2 and 附件4 of a quarter with no failing unit: a header alone read as a table cut off
    ("md", "| 无 |   |   |   |   |   |"),
    ("md", "| 无 |   |   |   |   |   |   |"),
    ("xlsx", "str:无" + "\t" * 5),
    ("xlsx", "str:无" + "\t" * 6),
    ("docx", "| 无 | 无 | 无 | 无 | 无 | 无 |"),  # one cell across the table (python-docx repeats it)
    ("docx", "| 无 | 无 | 无 | 无 | 无 | 无 | 无 |"),
])
def test_empty_list_says_none(tmp_path, fmt, expected):
    rep = _report(tmp_path, _no_problems(SITES), _no_problems(ACCOUNTS))
    if fmt == "md":
        text = render.to_markdown(rep)
    elif fmt == "xlsx":
        render.to_xlsx(rep, tmp_path / "r.xlsx")
        text = _xlsx_dump(tmp_path / "r.xlsx")
    else:
        render.to_docx(rep, tmp_path / "r.docx")
        text = _docx_dump(tmp_path / "r.docx")
    assert expected in text.splitlines()
    if fmt == "xlsx":
        assert text.count("str:无") == 2  # 附件2 and 附件4 only, merged across the table
        assert "== sheet 附件2 (merged: A2:F2, A3:F3, A5:F5)" in text
        assert "== sheet 附件4 (merged: A2:G2, A3:G3, A5:G5)" in text
    if fmt == "md":
        assert text.count("| 无 |") == 2


def test_empty_list_of_a_kind_not_scanned_keeps_its_note(tmp_path):
    with open_store(tmp_path / "r.db") as st:
        st.save_unit_results("2022Q2", "sites", records(SITES), registry=site_registry(), as_of=AS_OF)
        rep = build_report(st, "2022Q2")
    md = render.to_markdown(rep).split("## 附件4")[1]
    assert "| 无 |" not in md and "本表为空" in md  # no results is not "no problems"


# --- regions in the notice's order ------------------------------------------------------------

# the registry as the filing system exports it sorted by 标识码: 省直 (4400…) first, 广州 (4401…), 深圳 (4403…)
BY_CODE = sorted(SITES, key=lambda r: r[4])
ACCOUNTS_BY_CODE = sorted(ACCOUNTS, key=lambda r: r[4])


@pytest.mark.parametrize("region_order, expected", [
    # no region list: the registry's order of the cities, 省直 after them (it came first)
    ((), ["广州", "深圳", "省直"]),
    # the province's list (the scan's --regions file): its order, wherever the registry differs
    (("深圳", "广州", "省直"), ["深圳", "广州", "省直"]),
    # 省直 first in the list too: still after the cities, as 各地、各部门 reads
    (("省直", "深圳", "广州"), ["深圳", "广州", "省直"]),
    # a region the list lacks: after those it names, before 省直
    (("深圳",), ["深圳", "广州", "省直"]),
])
def test_regions_in_the_notice_order(tmp_path, region_order, expected):
    with open_store(tmp_path / "r.db") as st:
        st.save_unit_results("2022Q2", "sites", records(BY_CODE), registry=site_registry(BY_CODE), as_of=AS_OF)
        st.save_unit_results("2022Q2", "accounts", records(ACCOUNTS_BY_CODE),
                             registry=account_registry(ACCOUNTS_BY_CODE), as_of=AS_OF)
        rep = build_report(st, "2022Q2", region_order=region_order)
    for kind in ("sites", "accounts"):
        regions = [r["region"] for r in rep[kind]["by_region"]]
        assert regions == [r for r in expected if r in regions]
        # 附件2/4 list the failing units in 附件1/3's order of regions, each region once
        listed = list(dict.fromkeys(p["region"] for p in rep[kind]["problems"]))
        assert listed == [r for r in regions if r in listed]
    assert rep["overview"]["full_pass_examples"] == ["广州"]


@pytest.mark.parametrize("finding, expected", [
    # a 单项否决 finding: the clause, why (the stored, masked message), what to do, where
    ({"code": "pii.cn_mobile", "severity": "veto", "indicator": "单项否决·泄露个人隐私",
      "message": "未去标识化的手机号码：139****1053", "action": "发布前做去标识化处理。",
      "excerpt": "1\t谢**\t139****1053", "explanation": "CN_MOBILE: matched",
      "location": {"problem": "泄露个人隐私", "url": "https://mp.weixin.qq.com/s/x", "title": "公示"}},
     {"problem": "泄露个人隐私", "indicator": "单项否决·泄露个人隐私", "message": "未去标识化的手机号码：139****1053",
      "action": "发布前做去标识化处理。", "url": "https://mp.weixin.qq.com/s/x", "title": "公示"}),
    # a site-wide finding without a page: no url or title
    ({"severity": "veto", "indicator": "单项否决·互动回应差", "message": "未提供有效的网上咨询建言渠道",
      "action": "开设并畅通留言咨询渠道。", "location": {"problem": "互动回应差"}},
     {"problem": "互动回应差", "indicator": "单项否决·互动回应差", "message": "未提供有效的网上咨询建言渠道",
      "action": "开设并畅通留言咨询渠道。"}),
    # a content finding with no location: its problem from its category, as the scan labels the unit
    # (it read "", and the rectification item found no clause for 泄露个人隐私)
    ({"severity": "veto", "category": "pii", "indicator": "单项否决·泄露个人隐私", "message": "未去标识化的手机号码：139****1053",
      "action": "去标识化", "location": None},
     {"problem": "泄露个人隐私", "indicator": "单项否决·泄露个人隐私", "message": "未去标识化的手机号码：139****1053",
      "action": "去标识化"}),
    ({"severity": "veto", "category": "wording", "indicator": "单项否决·严重表述错误", "message": "“习进平”应为“习近平”",
      "action": "更正"},
     {"problem": "出现严重表述错误", "indicator": "单项否决·严重表述错误", "message": "“习进平”应为“习近平”", "action": "更正"}),
])
def test_finding_brief(finding, expected):
    from scanner.report.aggregate import finding_brief

    assert finding_brief(finding) == expected


def test_json_problems_carry_their_findings(tmp_path):
    """附件2/4's JSON gave a problem's label and nothing else: no clause, no reason, nothing to do;
    each listed unit carries its 单项否决 findings, a deduction-level one left out."""
    rows = [("深圳", "罗湖区政府门户网站", "罗湖区人民政府办公室", "http://www.szlh.gov.cn/", "4403030001", ["互动回应差"])]
    rec = records(rows)[0]
    rec["findings"].append({"severity": "deduction", "indicator": "扣分·存在测试信息", "message": "测试信息",
                            "action": "删除", "location": {"problem": "存在测试信息"}})
    with open_store(tmp_path / "r.db") as st:
        st.save_unit_results("2022Q2", "sites", [rec], registry=site_registry(rows), as_of=AS_OF)
        rep = build_report(st, "2022Q2")
    (p,) = rep["sites"]["problems"]
    assert [(f["problem"], f["indicator"], f["action"]) for f in p["findings"]] == [
        ("互动回应差", "单项否决·互动回应差", "按指标整改")]
    # the attachments as the notice prints them: no column added
    assert render.attachment_csv(rep, 2).splitlines()[1] == \
        "1,深圳,罗湖区政府门户网站,罗湖区人民政府办公室,互动回应差,4403030001"


@pytest.mark.parametrize("region_order, sites_rows, accounts_rows", [
    # the province's list names 珠海, which has no unit of either kind, and 深圳 has no account: a row
    # of 0s in each (they were left out, so 附件3's 2 was 省直 while 附件1's 2 was 珠海)
    (("广州", "珠海", "深圳", "省直"),
     [["1", "广州", "2", "1", "0"], ["2", "珠海", "0", "0", "0"], ["3", "深圳", "3", "3", "2"],
      ["4", "省直", "2", "2", "1"], ["合 计", "", "7", "6", "3"]],
     [["1", "广州", "2", "2", "1"], ["2", "珠海", "0", "0", "0"], ["3", "深圳", "0", "0", "0"],
      ["4", "省直", "1", "1", "1"], ["合 计", "", "3", "3", "2"]]),
    # no list: only the regions the registry names
    ((), [["1", "深圳", "3", "3", "2"], ["2", "广州", "2", "1", "0"], ["3", "省直", "2", "2", "1"],
          ["合 计", "", "7", "6", "3"]],
     [["1", "广州", "2", "2", "1"], ["2", "省直", "1", "1", "1"], ["合 计", "", "3", "3", "2"]]),
])
def test_region_of_the_list_without_units_is_a_row_of_zeros(tmp_path, region_order, sites_rows, accounts_rows):
    from scanner.report import attachment_rows

    accounts = [a for a in ACCOUNTS if a[0] != "深圳"]
    with open_store(tmp_path / "r.db") as st:
        st.save_unit_results("2022Q2", "sites", records(SITES), registry=site_registry(SITES), as_of=AS_OF)
        st.save_unit_results("2022Q2", "accounts", records(accounts), registry=account_registry(accounts), as_of=AS_OF)
        rep = build_report(st, "2022Q2", region_order=region_order)
    assert attachment_rows(rep, 1)[1] == sites_rows
    assert attachment_rows(rep, 3)[1] == accounts_rows
    # a region with no unit is not a 地级以上市 at 100% (广州 is: its one inspected site passed)
    assert rep["overview"]["full_pass_examples"] == ["广州"] and "广州合格率达100%" in "".join(overview_text(rep))


@pytest.mark.parametrize("lines, code, expected", [
    ("深圳\n广州\n省直\n", 0, "| 1 | 深圳 | 3 | 3 | 2 |"),
    ("# 广东省\n广州\n\n深圳\n", 0, "| 1 | 广州 | 2 | 1 | 0 |"),
    ("", 2, "地区列表为空（每行一个地区）"),
    (None, 2, "regions.txt: 地区列表文件不存在"),
])
def test_cli_regions_option(tmp_path, cli_runner, lines, code, expected):
    from test_report import _run

    _report(tmp_path, BY_CODE, ACCOUNTS_BY_CODE)
    regions = tmp_path / "regions.txt"
    if lines is not None:
        regions.write_text(lines, encoding="utf-8")
    res = _run(cli_runner, "--store", str(tmp_path / "r.db"), "-q", "2022Q2", "-a", "1", "--regions", str(regions))
    assert res.exit_code == code
    if code:
        assert expected in res.stderr and len(res.stderr.strip().splitlines()) == 1
    else:
        assert expected in res.stdout.splitlines()


# --- what was not checked is said for websites too ---------------------------------------------

@pytest.mark.parametrize("not_checked, expected", [
    # the scan's summary (probe log given): only 服务不实用 is never judged; 总体情况 said nothing of
    # it while the accounts' sentence named 互动回应未检查
    ({"服务不实用": 7}, "进行了全覆盖检查（服务不实用未检查：办事服务与办事指南要素不在本次检查范围内），总体合格率"),
    # no probe log: 站点无法访问 too, in the report's words (not the scan's "--probes")
    ({"站点无法访问": 7, "服务不实用": 7},
     "（站点无法访问未检查：没有一周的站点探测记录；服务不实用未检查：办事服务与办事指南要素不在本次检查范围内）"),
    # a store without the scan's summary: nothing claimed either way
    (None, "进行了全覆盖检查，总体合格率"),
])
def test_sites_sentence_names_what_was_not_checked(tmp_path, not_checked, expected):
    summary = {"pages": 10, "skipped": 0, "skip_reasons": {}, "not_checked": not_checked} if not_checked else None
    sites = [s for s in SITES if s[5] is not None]  # all inspected: 全覆盖
    rep = _report(tmp_path, sites, site_summary=summary)
    first = overview_text(rep)[0]
    assert expected in first
    assert "--" not in first and not LATIN.search(first)


# --- CSV for programs: 地区 on every row -------------------------------------------------------

@pytest.mark.parametrize("saved, number, note", [
    # the sampling period under a 名单
    ("both", 2, "注：检查采样时间为2022年4月1日至6月20日。"),
    ("both", 4, "注：检查采样时间为2022年4月1日至6月20日。"),
    # a kind not scanned: 本表为空
    ("sites", 3, "注：尚无2022年第二季度的政务新媒体检查结果，本表为空。"),
    # near-miss: 附件1 of a scanned kind has no note, nothing on stderr
    ("both", 1, ""),
])
def test_csv_attachment_is_the_table_alone(tmp_path, cli_runner, saved, number, note):
    """The 注 was the CSV's last row, one cell: a spreadsheet sorting the units put it among them,
    a program read a unit named 注：….  The CSV is the header and one row a unit (and 合 计); the
    note goes to stderr with -a, on a ``# 注`` line in the four-attachment stream, under the table
    elsewhere (an empty row before it in the XLSX, so a sort of the table's range leaves it)."""
    import csv

    from openpyxl import load_workbook
    from test_report import _run

    if saved == "sites":  # the websites scanned, the accounts not yet
        with open_store(tmp_path / "r.db") as st:
            st.save_unit_results("2022Q2", "sites", records(SITES), registry=site_registry(SITES), as_of=AS_OF)
            rep = build_report(st, "2022Q2")
    else:
        rep = _report(tmp_path)
    rows = list(csv.reader(render.attachment_csv(rep, number).splitlines()))
    assert all(len(r) == len(rows[0]) for r in rows) and not any(r[0].startswith("注") for r in rows)
    assert rows[-1][0] in ("合 计", str(len(rows) - 1))
    stream = render.to_csv(rep).splitlines()
    title = stream.index(f"# 附件{number} {render.ATTACHMENT_TITLES[number]}")
    assert stream[title + 1] == (f"# {note}" if note else ",".join(rows[0]))
    res = _run(cli_runner, "--store", str(tmp_path / "r.db"), "-q", "2022Q2", "-a", str(number), "-f", "csv")
    assert res.exit_code == 0 and "注：" not in res.stdout
    assert (f"附件{number} {note}" in res.stderr.splitlines()) if note else f"附件{number} 注" not in res.stderr
    render.to_xlsx(rep, tmp_path / "r.xlsx")
    ws = load_workbook(tmp_path / "r.xlsx")[f"附件{number}"]
    cells = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    if note:
        assert cells[-2:] == [None, note]
    else:
        assert not any(str(c).startswith("注") for c in cells)


@pytest.mark.parametrize("number, regions", [
    (2, ["深圳", "深圳", "省直"]),  # the notice's blank 地区 for 深圳's second site lost its region
    (4, ["广州", "省直"]),
])
def test_csv_rows_carry_their_region(tmp_path, number, regions):
    import csv

    rep = _report(tmp_path)
    rows = list(csv.reader(render.attachment_csv(rep, number).lstrip("\ufeff").splitlines()))
    assert [r[1] for r in rows[1:]] == regions
    # the human formats keep the notice's grouping
    md = [line for line in render.to_markdown(rep).split(f"## 附件{number}")[1].splitlines() if line.startswith("| 2 |")]
    assert md[0].startswith("| 2 |   |") if regions[0] == regions[1] else md[0].startswith(f"| 2 | {regions[1]} |")


# --- compare and rectification, as people read them ---------------------------------------------

@pytest.fixture
def two_quarters(tmp_path):
    import datetime as dt

    st = open_store(tmp_path / "q.db")
    st.save_unit_results("2022Q2", "sites", records(BY_CODE), registry=site_registry(BY_CODE), as_of=AS_OF)
    q3 = [list(r) for r in BY_CODE]
    q3[[r[4] for r in BY_CODE].index("4403000002")][5] = []  # 深圳市教育局网站 fixed
    st.save_unit_results("2022Q3", "sites", records(q3), registry=site_registry(BY_CODE), as_of=dt.date(2022, 9, 20))
    yield st
    st.close()


@pytest.mark.parametrize("line", [
    # quarters and dates as the notice writes them (it read # 2022Q2 整改情况, 2022-07-20, 2022-09-20)
    "# 2022年第二季度整改情况",
    "| 2022年第二季度 | 政府网站 | 深圳 | 深圳市教育局网站 | 多个栏目为空白 | 4403000002 | 2022年7月20日 | 已整改 | 2022年9月20日 |",
    # how the deadline was set (a late inspection's is 30 days after it, not the 20th)
    "整改期限按季度结束后次月20日计；检查时间点距该日不足30天（或已过）的，按检查时间点后30天计（通报：采样至6月20日，7月20日前报送整改情况）。",
])
def test_rectification_markdown_in_the_notice_words(two_quarters, line):
    from scanner.report import rectification_status

    md = render.rectification_md(rectification_status(two_quarters, "2022Q2"))
    assert line in md.splitlines()
    assert not re.search(r"\d{4}-\d\d-\d\d|\d{4}Q\d", md)


def test_rectification_items_in_the_report_order(two_quarters):
    """In 附件2's order (regions as the report lists them, 省直 last; a unit's problems in the
    fixed order); they came as the store had them, 省直 first."""
    from scanner.report import rectification_status

    items = rectification_status(two_quarters, "2022Q2")["items"]
    assert [(i["region"], i["code"], i["problem"]) for i in items] == [
        ("深圳", "4403000002", "多个栏目为空白"),  # registry (BY_CODE) order within 深圳
        ("深圳", "4403030001", "多个栏目长期未更新"), ("深圳", "4403030001", "互动回应差"),
        ("省直", "4400000002", "出现严重表述错误")]
    # the machine formats keep the quarter's code and ISO dates
    csv_text = render.rectification_csv(rectification_status(two_quarters, "2022Q2"))
    assert "2022Q2,政府网站,深圳,深圳市教育局网站,多个栏目为空白,4403000002,2022-07-20,已整改" in csv_text


def test_rectification_items_say_the_clause_and_what_to_do(two_quarters):
    """The list told a unit its problem's label and a deadline only: each item carries the clause,
    why (the first finding's message, and how many) and what to do; the Markdown lists what to do
    once per problem under the table."""
    from scanner.report import rectification_status

    status = rectification_status(two_quarters, "2022Q2")
    got = {(i["code"], i["problem"]): (i["indicator"], i["reason"], i["action"]) for i in status["items"]}
    assert got[("4403000002", "多个栏目为空白")] == ("单项否决·多个栏目为空白", "多个栏目为空白：测试", "按指标整改")
    md = render.rectification_md(status).split("整改要求：")[1]
    assert md.strip().splitlines() == ["- 多个栏目为空白（单项否决·多个栏目为空白）：按指标整改",
                                       "- 多个栏目长期未更新（单项否决·多个栏目长期未更新）：按指标整改",
                                       "- 互动回应差（单项否决·互动回应差）：按指标整改",
                                       "- 出现严重表述错误（单项否决·出现严重表述错误）：按指标整改"]
    rows = render.rectification_csv(status).splitlines()
    assert rows[0].endswith(",整改确认日期,指标条款,问题说明,整改要求")
    assert rows[1].endswith(",2022-09-20,2022-09-20,单项否决·多个栏目为空白,多个栏目为空白：测试,按指标整改")


def test_rectification_item_of_several_findings_counts_them(tmp_path):
    from scanner.report import rectification_status

    rows = [("深圳", "深圳发布", "微信订阅号", "深圳市人民政府新闻办公室", "440300M001WX0001", ["泄露个人隐私"])]
    rec = records(rows)[0]
    rec["findings"] = [{"severity": "veto", "indicator": "单项否决·泄露个人隐私", "message": f"未去标识化的手机号码：139****{n}",
                        "action": "去标识化", "location": {"problem": "泄露个人隐私"}} for n in ("1053", "2091", "7781")]
    with open_store(tmp_path / "r.db") as st:
        st.save_unit_results("2022Q2", "accounts", [rec], registry=account_registry(rows), as_of=AS_OF)
        (item,) = rectification_status(st)["items"]
    assert (item["reason"], item["action"]) == ("未去标识化的手机号码：139****1053等3处", "去标识化")


@pytest.mark.parametrize("line", [
    "# 2022年第三季度与2022年第二季度问题对比",
    # the heading counts 仍存在 and the rows said 仍未整改: one word for one thing
    "## 政府网站：新发现 0，仍存在 3，已整改 1，未复查 0，不在名录 0",
    "| 仍存在 | 省直 | 广东省教育厅网站 | 出现严重表述错误 | 4400000002 |",
])
def test_compare_markdown_in_the_notice_words(two_quarters, line):
    from scanner.report import compare_quarters

    md = render.compare_md(compare_quarters(two_quarters, "2022Q3", "2022Q2"))
    assert line in md.splitlines()
    assert "仍未整改" not in md and not re.search(r"\d{4}Q\d", md)


# --- the DOCX as the office prints it ------------------------------------------------------------

def test_docx_pages_are_numbered(tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    render.to_docx(_report(tmp_path), tmp_path / "r.docx")
    doc = Document(tmp_path / "r.docx")
    footer = doc.sections[0].footer
    fields = footer._element.findall(".//" + qn("w:fldSimple"))
    assert [f.get(qn("w:instr")) for f in fields] == ["PAGE"]
    texts = "".join(t.text for t in footer.paragraphs[0]._p.iter(qn("w:t")))
    assert texts == "— 1 —"  # the field's cached value between the dashes, in that order
    assert all(s.footer.is_linked_to_previous for s in doc.sections[1:])  # every attachment page too


@pytest.mark.parametrize("number, column, centred", [
    (1, 0, True), (1, 1, True), (1, 4, True),      # 序号, 地区、部门, counts
    (2, 0, True), (2, 2, False), (2, 3, False),   # 网站名称 and 主办单位 wrap, left
    (2, 5, True),                                 # 网站标识码
    (4, 3, True), (4, 4, False), (4, 6, True),    # 账号类型, 主办单位, 新媒体标识码
])
def test_docx_cells_aligned(tmp_path, number, column, centred):
    from docx import Document
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    render.to_docx(_report(tmp_path), tmp_path / "r.docx")
    table = Document(tmp_path / "r.docx").tables[number - 1]
    cell = table.rows[1].cells[column]
    assert (cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER) is centred
    assert cell.vertical_alignment == WD_CELL_VERTICAL_ALIGNMENT.CENTER
    assert table.rows[0].cells[column].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER  # header


@pytest.mark.parametrize("problems, merged", [
    # 深圳 2 units, 广州 3, 省直 1: 地区 merged down each group of more than one, as the DOCX
    ({"4403030001": ["互动回应差"], "4403000002": ["多个栏目为空白"], "4401000001": ["互动回应差"],
      "4401040001": ["互动回应差"], "4401000009": ["互动回应差"], "4400000002": ["出现严重表述错误"]},
     ["B5:B6", "B7:B9"]),
    # one unit a region: nothing merged
    ({"4403030001": ["互动回应差"], "4401000001": ["互动回应差"], "4400000002": ["出现严重表述错误"]}, []),
])
def test_xlsx_region_cells_merged_per_group(tmp_path, problems, merged):
    """The sheet wrote a group's 地区 once and left the cells below it empty: printed, each of those
    rows was boxed with no region, as if it were missing (the DOCX merges them, as the notice)."""
    from openpyxl import load_workbook

    sites = [r[:5] + (problems.get(r[4], []),) for r in SITES]
    sites.append(("广州", "广州市教育局网站", "广州市教育局", "http://jyj.gz.gov.cn/", "4401000009",
                  problems.get("4401000009", [])))
    render.to_xlsx(_report(tmp_path, sites), tmp_path / "r.xlsx")
    ws = load_workbook(tmp_path / "r.xlsx")["附件2"]
    assert sorted(str(r) for r in ws.merged_cells.ranges if str(r).startswith("B")) == merged
    # each merged cell shows its region (the top cell's value)
    assert [ws[str(r).split(":")[0]].value for r in sorted(ws.merged_cells.ranges, key=str)
            if str(r).startswith("B")] == (["深圳", "广州"] if merged else [])


def _accounts(n: int) -> list[tuple]:
    """n failing accounts, a third each in 深圳, 广州 and 省直 (附件4: three merged 地区 groups)."""
    regions = ("深圳", "广州", "省直")
    return [(regions[i * 3 // n], f"账号{i}", "微信订阅号", f"单位{i}", f"440300M{i:03d}WX0001",
             ["监测时间点前2周内无更新"]) for i in range(n)]


def test_docx_table_work_does_not_grow_with_the_rows(tmp_path, monkeypatch):
    """The DOCX of a 10,000-account province took minutes: each 地区 group was merged with
    python-docx's ``Table.cell`` (rebuilding every cell of the table) and ``_Cell.merge`` (finding
    each next row by its index among all rows), and each row added with ``Table.add_row`` (finding
    the table's grid past the rows before it): whole-table work for every row.  Counted here, not
    timed: the whole-table operations are as many for 300 rows as for 30."""
    from docx import Document
    from docx.oxml.table import CT_Tbl
    from docx.table import Table

    calls = {"tr_lst": 0, "tblGrid": 0, "_cells": 0}

    def counting(name, prop):
        def fget(self):
            calls[name] += 1
            return prop.fget(self)
        return property(fget)

    monkeypatch.setattr(CT_Tbl, "tr_lst", counting("tr_lst", CT_Tbl.tr_lst))
    monkeypatch.setattr(CT_Tbl, "tblGrid", counting("tblGrid", CT_Tbl.tblGrid))
    monkeypatch.setattr(Table, "_cells", counting("_cells", Table._cells))
    counts = {}
    for n in (30, 300):
        (tmp_path / str(n)).mkdir()
        report = _report(tmp_path / str(n), accounts=_accounts(n))
        calls.update(tr_lst=0, tblGrid=0, _cells=0)
        render.to_docx(report, tmp_path / f"{n}.docx")
        counts[n] = dict(calls)
    assert counts[300] == counts[30], counts
    monkeypatch.undo()
    # still merged as Word marks it: 地区 once per group, read back as the group's region
    table = Document(tmp_path / "300.docx").tables[3]
    assert [row.cells[1].text for row in table.rows[1:]] == [r[0] for r in _accounts(300)]
    marks = [row._tr.tc_lst[1].vMerge for row in table.rows[1:]]
    assert marks == ["restart", *["continue"] * 99] * 3


@pytest.mark.parametrize("sheet, column, horizontal", [
    ("附件1", 1, "center"), ("附件1", 2, "center"), ("附件1", 5, "center"),
    ("附件2", 3, "left"), ("附件2", 4, "left"), ("附件2", 6, "center"),
    ("附件4", 4, "center"), ("附件4", 5, "left"), ("附件4", 7, "center"),
])
def test_xlsx_cells_aligned_as_the_docx(tmp_path, sheet, column, horizontal):
    from openpyxl import load_workbook

    render.to_xlsx(_report(tmp_path), tmp_path / "r.xlsx")
    ws = load_workbook(tmp_path / "r.xlsx")[sheet]
    assert ws.cell(5, column).alignment.horizontal == horizontal  # the first data row (it was unset: general)
    assert ws.cell(4, column).alignment.horizontal == "center"   # header


def test_rectification_follows_the_region_list(two_quarters, tmp_path, cli_runner):
    from test_report import _run

    from scanner.report import rectification_status

    items = rectification_status(two_quarters, "2022Q2", region_order=("深圳", "广州"))["items"]
    assert [i["region"] for i in items] == ["深圳", "深圳", "深圳", "省直"]
    regions = tmp_path / "regions.txt"
    regions.write_text("广州\n深圳\n省直\n", encoding="utf-8")
    res = _run(cli_runner, "--store", two_quarters.target, "--rectification", "-q", "2022Q2", "--regions", str(regions))
    assert res.exit_code == 0 and res.stdout.index("深圳市教育局网站") < res.stdout.index("广东省教育厅网站")


@pytest.fixture
def compared(tmp_path):
    """2022Q2 → 2022Q3 from a registry sorted by 标识码 (省直 first, 广州 before 深圳): new problems
    in 广州, 深圳 and 省直, 罗湖's two persisting, 深圳's and 省直's fixed; every account's fixed."""
    import datetime as dt

    st = open_store(tmp_path / "c.db")
    st.save_unit_results("2022Q2", "sites", records(BY_CODE), registry=site_registry(BY_CODE), as_of=AS_OF)
    st.save_unit_results("2022Q2", "accounts", records(ACCOUNTS_BY_CODE), registry=account_registry(ACCOUNTS_BY_CODE),
                         as_of=AS_OF)
    q3 = {r[4]: list(r) for r in BY_CODE}
    q3["4403000002"][5] = q3["4400000002"][5] = []  # fixed
    q3["4401000001"][5], q3["4403000001"][5], q3["4400000001"][5] = ["多个栏目为空白"], ["互动回应差"], ["出现严重表述错误"]
    q3 = [q3[r[4]] for r in BY_CODE]
    accounts = [list(r[:5]) + [[]] for r in ACCOUNTS_BY_CODE]
    later = dt.date(2022, 9, 20)
    st.save_unit_results("2022Q3", "sites", records(q3), registry=site_registry(BY_CODE), as_of=later)
    st.save_unit_results("2022Q3", "accounts", records(accounts), registry=account_registry(ACCOUNTS_BY_CODE), as_of=later)
    yield st
    st.close()


@pytest.mark.parametrize("region_order, new, fixed, accounts_fixed", [
    # no region list: the registry's order of the cities, 省直 after them (it came first: the store's order)
    ((), ["广州", "深圳", "省直"], ["深圳", "省直"], ["广州", "省直"]),
    # the province's list (--regions): its order, 省直 after the cities wherever it stands
    (("深圳", "广州", "省直"), ["深圳", "广州", "省直"], ["深圳", "省直"], ["广州", "省直"]),
    (("省直", "深圳"), ["深圳", "广州", "省直"], ["深圳", "省直"], ["广州", "省直"]),
])
def test_compare_follows_the_region_list(compared, region_order, new, fixed, accounts_fixed):
    """Each bucket in its quarter's 附件2/4 order: --regions was accepted with --compare and
    ignored, the items in the store's order (省直 first where the registry had it so)."""
    from scanner.report import compare_quarters

    cmp = compare_quarters(compared, "2022Q3", "2022Q2", region_order=region_order)
    assert [p["region"] for p in cmp["sites"]["new"]] == new
    assert [p["region"] for p in cmp["sites"]["fixed"]] == fixed
    assert [p["region"] for p in cmp["accounts"]["fixed"]] == accounts_fixed
    # a unit's problems in the notice's order, as in 附件2
    assert [(p["code"], p["problem"]) for p in cmp["sites"]["persisting"]] == [
        ("4403030001", "多个栏目长期未更新"), ("4403030001", "互动回应差")]


@pytest.mark.parametrize("lines, code, expected", [
    ("深圳\n广州\n省直\n", 0, ["深圳市人民政府门户网站", "广州市人民政府门户网站", "广东省人民政府门户网站"]),
    ("广州\n深圳\n", 0, ["广州市人民政府门户网站", "深圳市人民政府门户网站", "广东省人民政府门户网站"]),
    # a list that cannot be read is an error here too (with --compare it was never read: exit 0)
    (None, 2, "regions.txt: 地区列表文件不存在"),
    ("", 2, "地区列表为空（每行一个地区）"),
])
def test_cli_compare_with_regions(compared, tmp_path, cli_runner, lines, code, expected):
    from test_report import _run

    regions = tmp_path / "regions.txt"
    if lines is not None:
        regions.write_text(lines, encoding="utf-8")
    for fmt in ("md", "csv"):
        res = _run(cli_runner, "--store", compared.target, "-q", "2022Q3", "--compare", "2022Q2", "--regions", str(regions),
                   "-f", fmt)
        assert res.exit_code == code, res.output
        if code:
            assert expected in res.stderr and len(res.stderr.strip().splitlines()) == 1
        else:
            at = [res.stdout.index(name) for name in expected]
            assert at == sorted(at)


@pytest.mark.parametrize("args, expected", [
    # each was accepted and silently ignored (the other report came out, exit 0)
    (["-q", "2022Q3", "--compare", "2022Q2", "-a", "1"], "-a 只打印季度报告的附件1-4，不能与 --compare 同时使用"),
    (["--rectification", "-a", "2"], "-a 只打印季度报告的附件1-4，不能与 --rectification 同时使用"),
    (["-q", "2022Q3", "--rectification", "--compare", "2022Q2"], "--rectification 与 --compare 不能同时使用"),
])
def test_cli_report_options_that_do_not_go_together(compared, cli_runner, args, expected):
    from test_report import _run

    res = _run(cli_runner, "--store", compared.target, *args)
    assert res.exit_code == 2 and res.stdout == ""
    assert expected in res.stderr and len(res.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args", [
    # near misses: each alone, and --compare or --rectification with the options they take
    ["-q", "2022Q3", "-a", "1"], ["-q", "2022Q3", "--compare", "2022Q2", "-f", "csv"],
    ["-q", "2022Q2", "--rectification", "-f", "json"],
])
def test_cli_report_options_that_go_together(compared, cli_runner, args):
    from test_report import _run

    res = _run(cli_runner, "--store", compared.target, *args)
    assert res.exit_code == 0 and res.stdout, res.output


@pytest.mark.parametrize("lines, note", [
    # a list spelling 广州市 where the registry has 广州: a row 广州市 0 0 0 and a row 广州 further down,
    # without a word
    ("深圳\n广州市\n", "注意：存储中的地区“广州”不在地区列表 {path} 中，附件中排在列表所列地区之后；"
                      "列表中的“广州市”没有任何单位（写法与名录不同？）"),
    ("深圳\n", "注意：存储中的地区“广州”不在地区列表 {path} 中，附件中排在列表所列地区之后"),
    # near misses: every region listed (省直 need not be: it comes last anyway), or in another order
    ("深圳\n广州\n", None), ("广州\n深圳\n省直\n", None),
])
def test_cli_regions_the_list_does_not_name_are_noted(tmp_path, cli_runner, lines, note):
    from test_report import _run

    _report(tmp_path, BY_CODE, ACCOUNTS_BY_CODE)
    regions = tmp_path / "regions.txt"
    regions.write_text(lines, encoding="utf-8")
    res = _run(cli_runner, "--store", str(tmp_path / "r.db"), "-q", "2022Q2", "-a", "1", "--regions", str(regions))
    assert res.exit_code == 0
    notes = [line for line in res.stderr.splitlines() if "地区列表" in line]
    assert notes == ([note.format(path=regions)] if note else [])


@pytest.mark.parametrize("sheet", ["附件1", "附件2", "附件3", "附件4"])
def test_xlsx_pages_are_numbered(tmp_path, sheet):
    from openpyxl import load_workbook

    render.to_xlsx(_report(tmp_path), tmp_path / "r.xlsx")
    assert load_workbook(tmp_path / "r.xlsx")[sheet].oddFooter.center.text == "— &P —"
