"""Parse the attachments of a quarterly inspection notice (通报) into the report's JSON shape.

The notice is plain text with four tab-separated tables (附件1-4), as in
``guangdong-2022q2-notice.txt`` beside this file (广东省人民政府办公厅, 2022年7月7日).
The parsed form is the same shape as ``govscan report --format json`` so a test can
compare the two key for key; the demo generator uses it to know which regions, counts
and named units to build.
"""
from __future__ import annotations

import re
from pathlib import Path

NOTICE_2022Q2 = Path(__file__).with_name("guangdong-2022q2-notice.txt")

_SITE_SUMMARY_HEADER = "序号\t地区、部门\t运行网站总数"
_SITE_LIST_HEADER = "序号\t地区\t网站名称"
_ACCOUNT_SUMMARY_HEADER = "序号\t地区、部门\t政务新媒体总数"
_ACCOUNT_LIST_HEADER = "序号\t地区\t新媒体名称"


def _table(lines: list[str], header: str) -> list[list[str]]:
    """Rows (split on tabs) after the header line, up to the first line that is not a row."""
    start = next((i for i, line in enumerate(lines) if line.startswith(header)), None)
    if start is None:
        raise ValueError(f"notice has no table with the header {header.split(chr(9))[2]!r}")
    rows = []
    for line in lines[start + 1 :]:
        if not line.strip():
            continue
        cells = line.split("\t")
        if cells[0].strip().isdigit() or cells[0].replace(" ", "") == "合计":
            rows.append([c.strip() for c in cells])
        else:
            break
    return rows


def _summary(rows: list[list[str]]) -> dict:
    by_region = []
    totals = None
    for cells in rows:
        if cells[0].replace(" ", "") == "合计":
            nums = [int(c) for c in cells[1:] if c]
            totals = nums
            continue
        by_region.append(
            {"region": cells[1], "total": int(cells[2]), "inspected": int(cells[3]), "problem": int(cells[4])}
        )
    out = {
        "by_region": by_region,
        "total": totals[0],
        "inspected": totals[1],
        "problem": totals[2],
    }
    out["pass_rate"] = float(_pct(out["inspected"] - out["problem"], out["inspected"]))
    return out


def _pct(num: int, den: int) -> str:
    from decimal import ROUND_HALF_UP, Decimal

    if den == 0:
        return "0.0"
    return str((Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _problem_list(rows: list[list[str]], accounts: bool) -> list[dict]:
    out = []
    region = ""
    for cells in rows:
        if cells[1]:
            region = cells[1]
        if accounts:
            _, _, name, platform, sponsor, problem, code = cells[:7]
            out.append({"region": region, "name": name, "platform": platform, "sponsor": sponsor,
                        "problem": problem, "code": code})
        else:
            _, _, name, sponsor, problem, code = cells[:6]
            out.append({"region": region, "name": name, "sponsor": sponsor, "problem": problem, "code": code})
    return out


def parse_notice(text: str) -> dict:
    """The notice's four attachments and its 总体情况 figures, in the report's JSON shape.

    Sites and accounts each get ``by_region``, ``total``, ``inspected``, ``problem``,
    ``pass_rate`` (percent, one decimal) and ``problems`` (without ``host``, which the
    notice does not print). ``period`` is the sampling period of the attachments' note.
    """
    lines = text.splitlines()
    sites = _summary(_table(lines, _SITE_SUMMARY_HEADER))
    sites["problems"] = _problem_list(_table(lines, _SITE_LIST_HEADER), accounts=False)
    accounts = _summary(_table(lines, _ACCOUNT_SUMMARY_HEADER))
    accounts["problems"] = _problem_list(_table(lines, _ACCOUNT_LIST_HEADER), accounts=True)
    m = re.search(r"(\d{4}) ?年第([一二三四])季度", text)
    quarter = f"{m.group(1)}Q{'一二三四'.index(m.group(2)) + 1}" if m else None
    overview = {}
    m = re.search(r"全覆盖检查，总体合格率为([\d.]+)%，(.+?)等(\d+)个地级以上市合格率均达100%", text)
    if m:
        overview["site_pass_rate"] = float(m.group(1))
        overview["full_pass_examples"] = m.group(2).split("、")
        overview["full_pass_cities"] = int(m.group(3))
    m = re.search(r"正常运行的(\d+)个政务新媒体", text)
    if m:
        overview["accounts_inspected"] = int(m.group(1))
    m = re.search(r"总体合格率达([\d.]+)%", text)
    if m:
        overview["account_pass_rate"] = float(m.group(1))
    m = re.search(r"共 ?(\d+) ?个新媒体在监测时间点前 ?2 ?周内无更新", text)
    if m:
        overview["accounts_silent"] = int(m.group(1))
    m = re.search(r"注：检查采样时间为(\d{4})年(\d+)月(\d+)日至(\d+)月(\d+)日", text)
    period = None
    if m:
        y = int(m.group(1))
        period = {"since": f"{y}-{int(m.group(2)):02d}-{int(m.group(3)):02d}",
                  "as_of": f"{y}-{int(m.group(4)):02d}-{int(m.group(5)):02d}"}
    return {"quarter": quarter, "period": period, "overview": overview, "sites": sites, "accounts": accounts}


def load_notice(path: Path | str = NOTICE_2022Q2) -> dict:
    return parse_notice(Path(path).read_text(encoding="utf-8"))


if __name__ == "__main__":  # pragma: no cover
    import json

    print(json.dumps(load_notice(), ensure_ascii=False, indent=1))
