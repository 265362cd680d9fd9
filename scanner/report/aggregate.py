"""Quarterly aggregation: the notice's 总体情况 and its four attachments, from the store only.

The report is a plain dict (the JSON contract of ``govscan report --format json``)::

    {"quarter": "2022Q2", "label": "2022年第二季度",
     "period": {"sites": {"since", "as_of"}, "accounts": {"since", "as_of"}},
     "overview": {"site_pass_rate", "full_pass_examples", "full_pass_cities", "accounts_inspected",
                  "account_pass_rate", "accounts_silent"},
     "sites": {"by_region": [{"region", "total", "inspected", "problem"}], "total", "inspected",
               "problem", "pass_rate",
               "problems": [{"region", "name", "host", "sponsor", "problem", "code",
                             "findings": [{"problem", "indicator", "message", "action", "url", "title"}]}],
               "scan": {"pages", "reviewed", "skipped", "skip_reasons", "not_checked", "registry_errors"}},
     "accounts": {... the same, each problem with "platform" (the registry's 账号类型)}}

``total`` is the registry count (运行网站总数 / 政务新媒体总数), ``inspected`` the units with a
result, ``problem`` the failing ones (any 单项否决 finding).  ``pass_rate`` is percent with one
decimal, rounded half up: (562 - 7) / 562 = 98.754... -> 98.8.  Regions are listed in the
province's order when given (``region_order``, each of its regions, one without a unit as a row
of 0s), else in registry order, the departments (省直) last; a unit with several problems has them
joined with 、 in a fixed order, and ``findings`` gives each 单项否决 finding's indicator clause,
why it fired and what to do.  ``period`` dates are ISO (2022-06-20); ``scan`` is the scan's own summary when the store has it (absent otherwise):
``skip_reasons`` in the scan's words (English reason kinds such as ``article not in the
snapshot``, counted; the human formats tell them in Chinese, ``skip_reason_zh``),
``not_checked`` the indicators never judged with the units concerned, ``registry_errors`` the
registry rows left out.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Sequence

from ..errors import GovscanError
from ..store import QuarterResults, Store, quarter_label

# the notice's words, in the order a unit's problems are joined
PROBLEM_ORDER = [
    "站点无法访问", "首页长期未更新", "多个栏目长期未更新", "多个栏目为空白", "互动回应差", "服务不实用",
    "出现严重表述错误", "泄露个人隐私", "泄露国家秘密", "监测时间点前2周内无更新", "无互动功能",
]
SILENT = "监测时间点前2周内无更新"
DEPARTMENT_REGIONS = ("省直",)  # not a 地级以上市: left out of the "N个地级以上市合格率均达100%" count


class ReportError(GovscanError):
    """No results for the requested quarter, or other report input problems."""


def pass_rate(inspected: int, problem: int) -> float:
    """Percent of inspected units without a problem, one decimal, rounded half up (never 100.0
    while a unit failed)."""
    if inspected == 0:
        return 0.0
    value = Decimal(inspected - problem) * 100 / Decimal(inspected)
    rounded = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if problem and rounded == 100:
        return 99.9  # 1 failure in 2,000 is not "100%"
    return float(rounded)


def percent_text(rate: float) -> str:
    """A pass rate as the notice writes it: 98.8%, and 100% (never 100.0%)."""
    return "100" if rate == 100 else f"{rate:.1f}"


def join_problems(problems: Iterable[str]) -> str:
    unique = list(dict.fromkeys(problems))
    rank = {p: i for i, p in enumerate(PROBLEM_ORDER)}
    pos = {p: i for i, p in enumerate(unique)}
    return "、".join(sorted(unique, key=lambda p: (rank.get(p, len(PROBLEM_ORDER)), pos[p])))


def _host(unit) -> str:
    if unit.host:
        return unit.host
    url = unit.url
    if "://" in url:
        return url.split("://", 1)[1].split("/", 1)[0]
    return ""


def finding_brief(finding: dict) -> dict:
    """A 单项否决 finding as the report's JSON gives it: the problem, the indicator clause, why it
    fired (the message, with masked values only, as the scan stored it), what to do, and where (the
    page or post).  附件2/4 name the problem alone, as the notice; the unit needs the rest to
    rectify it (the JSON listed the problem's label and nothing else)."""
    from ..site.scan import CONTENT_PROBLEMS

    loc = finding.get("location") if isinstance(finding.get("location"), dict) else {}
    # the label the unit fails with, as the scan derives it (scanner.site.scan.problems_of): a content
    # finding without a page location (text of a post) has it from its category
    problem = loc.get("problem") or CONTENT_PROBLEMS.get(finding.get("category", "")) or finding.get("indicator", "")
    out = {"problem": problem, "indicator": finding.get("indicator", ""),
           "message": finding.get("message", ""), "action": finding.get("action", "")}
    out.update({k: loc[k] for k in ("url", "title") if loc.get(k)})
    return out


def _section(results: QuarterResults, accounts: bool, departments: frozenset[str] = frozenset(DEPARTMENT_REGIONS),
             region_order: Sequence[str] = ()) -> dict:
    regions: dict[str, dict] = {}
    problems = []
    for ur in results.units:  # registry order
        row = regions.setdefault(ur.unit.region, {"region": ur.unit.region, "total": 0, "inspected": 0, "problem": 0})
        row["total"] += 1
        row["inspected"] += ur.inspected
        if ur.failed:
            row["problem"] += 1
            entry = {"region": ur.unit.region, "name": ur.unit.name, "host": _host(ur.unit)}
            if accounts:
                entry["platform"] = ur.unit.platform
            entry.update(sponsor=ur.unit.sponsor, problem=join_problems(ur.problems), code=ur.unit.code,
                         findings=[finding_brief(f) for f in ur.findings if f.get("severity", "veto") == "veto"])
            problems.append(entry)
    # a region of the province's list with no unit of this kind (no account registered yet, every
    # site merged into the city's platform) is a row of 0s, as 各地、各部门 lists them all: it was
    # left out, so 附件1's and 附件3's 序号 named different regions
    for region in region_order:
        regions.setdefault(region, {"region": region, "total": 0, "inspected": 0, "problem": 0})
    # 各地 then 各部门, as the notice: the cities in the province's order (``region_order``, the
    # region list the scan takes) or else the registry's, the departments (省直) last wherever the
    # registry lists them (an export sorted by 标识码 puts 省直's 4400… first)
    given = {r: i for i, r in enumerate(region_order)}
    by_region = sorted(regions.values(), key=lambda r: (r["region"] in departments, given.get(r["region"], len(given))))
    # the problem list groups units by region, in the order of 附件1/附件3
    order = {r["region"]: i for i, r in enumerate(by_region)}
    problems.sort(key=lambda p: order[p["region"]])
    total = sum(r["total"] for r in by_region)
    inspected = sum(r["inspected"] for r in by_region)
    problem = sum(r["problem"] for r in by_region)
    return {"by_region": by_region, "total": total, "inspected": inspected, "problem": problem,
            "pass_rate": pass_rate(inspected, problem), "problems": problems}


def _empty_section() -> dict:
    return {"by_region": [], "total": 0, "inspected": 0, "problem": 0, "pass_rate": 0.0, "problems": []}


def build_report(store: Store, quarter: str, department_regions: Iterable[str] = DEPARTMENT_REGIONS,
                 region_order: Sequence[str] = ()) -> dict:
    """The quarter's report from the complete scans in the store.  Regions: in ``region_order``
    (the province's list, ``--regions``) where given, else in registry order; the departments
    (``department_regions``) after the cities."""
    department_regions = frozenset(department_regions)
    sites = store.load(quarter, "sites")
    accounts = store.load(quarter, "accounts")
    if sites is None and accounts is None:
        have = store.quarters()
        raise ReportError(f"存储 {store.display} 中没有 {quarter} 的检查结果"
                          + (f"（已有：{'、'.join(have)}）" if have else "（尚无任何检查结果，请先运行 govscan scan）"))
    report: dict = {"quarter": quarter, "label": quarter_label(quarter), "period": {}}
    for key, res in (("sites", sites), ("accounts", accounts)):
        if res is None:
            report[key] = _empty_section()
            continue
        report[key] = _section(res, accounts=key == "accounts", departments=department_regions,
                               region_order=region_order)
        report["period"][key] = {"since": res.since.isoformat(), "as_of": res.as_of.isoformat()}
        if res.summary:  # the scan's own counts: what was read and what was skipped, and why
            report[key]["scan"] = {k: res.summary[k] for k in ("pages", "reviewed", "skipped", "skip_reasons",
                                                               "not_checked") if k in res.summary}
            if res.summary.get("registry_errors"):  # rows of the registry left out: not in the totals
                report[key]["scan"]["registry_errors"] = len(res.summary["registry_errors"])
    full = [r["region"] for r in report["sites"]["by_region"]
            if r["region"] not in department_regions and r["inspected"] > 0 and r["problem"] == 0]
    report["overview"] = {
        "site_pass_rate": report["sites"]["pass_rate"],
        "full_pass_examples": full[:3],
        "full_pass_cities": len(full),
        "accounts_inspected": report["accounts"]["inspected"],
        "account_pass_rate": report["accounts"]["pass_rate"],
        "accounts_silent": sum(1 for p in report["accounts"]["problems"] if SILENT in p["problem"].split("、")),
    }
    return report


def cn_date(iso: str | None) -> str:
    """2022-07-20 as the notice writes a date: 2022年7月20日 ("" for none)."""
    return _cn_day(iso)[0] if iso else ""


def _cn_day(iso: str) -> tuple[str, str]:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日", f"{m}月{d}日"


def period_note(report: dict, key: str) -> str:
    """注：检查采样时间为2022年4月1日至6月20日。"""
    period = report["period"].get(key)
    if not period:
        return ""
    since_full, _ = _cn_day(period["since"])
    as_of_full, as_of_short = _cn_day(period["as_of"])
    same_year = period["since"][:4] == period["as_of"][:4]
    return f"注：检查采样时间为{since_full}至{as_of_short if same_year else as_of_full}。"


def overview_text(report: dict) -> list[str]:
    """The 总体情况 paragraphs, with the report's figures."""
    s, a, o = report["sites"], report["accounts"], report["overview"]
    out = []
    if s["total"]:
        scope = "进行了全覆盖检查" if s["inspected"] == s["total"] else f"检查了其中{s['inspected']}家"
        # the 单项否决 indicators the scan did not judge (its summary's not_checked), as the
        # accounts' sentence says 互动回应未检查: 服务不实用 always, 站点无法访问 without a probe log
        not_checked = list((s.get("scan") or {}).get("not_checked") or ())
        if not_checked:
            from ..site.scan import NOT_CHECKED as SITES_NOT_CHECKED

            why = {**SITES_NOT_CHECKED, "站点无法访问": "没有一周的站点探测记录",  # not the scan's CLI words
                   "服务不实用": "办事服务与办事指南要素不在本次检查范围内"}
            scope += "（" + "；".join(f"{k}未检查：{why.get(k, '无数据来源')}" for k in not_checked) + "）"
        text = (f"{report['label']}，对照国务院办公厅《检查考核指标》，对全省在运行的{s['total']}家政府网站{scope}，"
                + (f"总体合格率为{percent_text(s['pass_rate'])}%" if s["inspected"] else "未计算合格率"))
        n, examples = o["full_pass_cities"], "、".join(o["full_pass_examples"])
        if n > len(o["full_pass_examples"]):  # the notice: 广州、深圳、佛山等15个地级以上市合格率均达100%
            text += f"，{examples}等{n}个地级以上市合格率均达100%"
        elif n > 1:  # all of them named: no 等 (广州、深圳等2个 read as if there were more)
            text += f"，{examples}{n}个地级以上市合格率均达100%"
        elif n == 1:
            text += f"，{examples}合格率达100%"
        out.append(text + "。")
    if a["total"]:
        # 互动回应 has no data source for accounts (scanner.site.accounts.NOT_CHECKED): the
        # notice's 安全问题、内容更新、互动回应三项 would claim a check that was not made
        from ..site.accounts import NOT_CHECKED

        checked = [k for k in ("安全问题", "内容更新", "互动回应") if k not in NOT_CHECKED]
        scope = "、".join(checked) + f"{('一', '两', '三')[len(checked) - 1]}项“单项否决”指标"
        if NOT_CHECKED:
            scope += "（" + "；".join(f"{k}未检查：{why}" for k, why in NOT_CHECKED.items()) + "）"
        # the notice's 正常运行的3354个 is the registry count (附件3's 政务新媒体总数), as for the
        # websites: with units left unjudged it named the inspected count as the province's total
        checked_what = ("进行了检查" if a["inspected"] == a["total"] else f"中的{a['inspected']}个进行了检查")
        text = (f"对全省正常运行的{a['total']}个政务新媒体{checked_what}，检查范围包括{scope}，"
                + (f"总体合格率达{percent_text(a['pass_rate'])}%" if a["inspected"] else "未计算合格率"))
        if o["accounts_silent"]:
            text += f"；共{o['accounts_silent']}个新媒体在监测时间点前2周内无更新"
        out.append(text + "。")
    for key, what, unit in (("sites", "网站页面", "个"), ("accounts", "政务新媒体发布", "条")):
        scan = report[key].get("scan")
        if scan:
            text = f"本次检查读取{what}{scan.get('pages', 0)}{unit}，跳过{scan.get('skipped', 0)}{unit}"
            reasons = skip_reasons_zh(scan.get("skip_reasons") or {})
            if reasons:
                text += "（" + "；".join(f"{r}：{n}{unit}" for r, n in reasons) + "）"
            out.append(text + "。")
    return out


# The scan's skip reasons in the 通报's words (总体情况): the table lives beside the scan, whose
# summary tells them the same way (scanner.site.skips)
from ..site.skips import (SKIP_OTHER, SKIP_REASONS_SHOWN, SKIP_REASONS_ZH,  # noqa: E402,F401
                          skip_reason_zh, skip_reasons_zh)


# --- the attachments as rows (shared by every renderer) ----------------------------------

ATTACHMENT_TITLES = {
    1: "各地、各部门政府网站检查情况",
    2: "检查发现存在突出问题的政府网站名单",
    3: "各地、各部门政务新媒体检查情况",
    4: "检查发现存在突出问题的政务新媒体名单",
}


def not_scanned_note(report: dict, key: str) -> str:
    """The note of an attachment whose kind has no results in the quarter (its table would read
    as a province with no websites or accounts: 合 计 0 0 0)."""
    if report["period"].get(key):
        return ""
    what = "政府网站" if key == "sites" else "政务新媒体"
    # the document is read by the office: no command line in it (the command says so on stderr)
    return f"注：尚无{report['label']}的{what}检查结果，本表为空。"


def bad_rows_note(sec: dict) -> str:
    """The note of 附件1/3 when the scan left rows of its registry out (a malformed code, a
    duplicate, a missing field): the totals do not count them, and the table said nothing."""
    n = (sec.get("scan") or {}).get("registry_errors")
    return f"注：检查名单中另有{n}行有误（标识码、必填项或地区不符），未作检查，不计入本表。" if n else ""


EMPTY_LIST = "无"  # the one row of a 名单 with no unit in it, as offices print it


def empty_list(report: dict, number: int, rows: list) -> bool:
    """附件2/4 of a kind that was scanned and had no unit with a problem: the table says 无 (it
    was a header alone, which reads as a table cut off).  A kind not scanned has its note instead."""
    return number in (2, 4) and not rows and bool(report["period"].get("sites" if number == 2 else "accounts"))


def attachment_rows(report: dict, number: int, group_regions: bool = True) -> tuple[list[str], list[list[str]], str]:
    """(header, rows, note) of 附件1-4, cells as the notice prints them; with ``group_regions``
    False (the CSV, read by programs and sorted or filtered in a spreadsheet) every row of
    附件2/4 has its 地区, not only a group's first."""
    if number in (1, 3):
        sec = report["sites" if number == 1 else "accounts"]
        header = ["序号", "地区、部门", "运行网站总数" if number == 1 else "政务新媒体总数",
                  "检查网站数" if number == 1 else "检查新媒体数",
                  "检查存在突出问题的网站数" if number == 1 else "检查存在突出问题的新媒体数"]
        rows = [[str(i), r["region"], str(r["total"]), str(r["inspected"]), str(r["problem"])]
                for i, r in enumerate(sec["by_region"], start=1)]
        rows.append(["合 计", "", str(sec["total"]), str(sec["inspected"]), str(sec["problem"])])
        return header, rows, not_scanned_note(report, "sites" if number == 1 else "accounts") or bad_rows_note(sec)
    key = "sites" if number == 2 else "accounts"
    sec = report[key]
    if number == 2:
        header = ["序号", "地区", "网站名称", "主办单位", "存在的突出问题", "网站标识码"]
    else:
        header = ["序号", "地区", "新媒体名称", "账号类型", "主办单位", "存在的突出问题", "新媒体标识码"]
    rows, last_region = [], None
    for i, p in enumerate(sec["problems"], start=1):
        region = p["region"] if p["region"] != last_region or not group_regions else ""
        last_region = p["region"]
        if number == 2:
            rows.append([str(i), region, p["name"], p["sponsor"], p["problem"], p["code"]])
        else:
            rows.append([str(i), region, p["name"], p["platform"], p["sponsor"], p["problem"], p["code"]])
    return header, rows, not_scanned_note(report, key) or period_note(report, key)
