"""Time to write ``govscan report`` for a large province (issue 7), each format on its own.

    python benchmarks/bench_report.py [--accounts 10000] [--sites 1000] [--fail 0.2] [--formats md docx ...]

A synthetic province (the 21 prefecture cities of the 2022Q2 notice and 省直, units spread
evenly, ``--fail`` of them with a problem, so 附件2 and 附件4 list that share, grouped by
region) is saved to a temporary SQLite store; the report is built from it once and each
format rendered once.  Prints one JSON object: the seconds to build, per format the seconds
and CPU seconds (the machine may be shared), and the rows of 附件2 and 附件4.  The DOCX's 地区 merge was quadratic in the rows (python-docx's
``Table.cell`` and ``_Cell.merge`` walk the whole table): a 10,000-account DOCX took ~40 s.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REGIONS = ("广州", "深圳", "珠海", "汕头", "佛山", "韶关", "河源", "梅州", "惠州", "汕尾", "东莞", "中山", "江门",
           "阳江", "湛江", "茂名", "肇庆", "清远", "潮州", "揭阳", "云浮", "省直")
AS_OF = dt.date(2022, 6, 20)


def _units(n: int, fail: float, kind: str) -> tuple[list[dict], list[dict]]:
    """(registry rows, records): region blocks in the notice's order, every 1/fail-th unit failing."""
    registry, records = [], []
    every = max(1, round(1 / fail)) if fail > 0 else 0
    for i in range(n):
        region = REGIONS[i * len(REGIONS) // n]
        problems = (["监测时间点前2周内无更新"] if kind == "accounts" else ["多个栏目长期未更新"]) \
            if every and i % every == 0 else []
        if kind == "accounts":
            code = f"44{i % 100:02d}00M{i % 1000:03d}WX{i:04d}"[:16]
            registry.append({"地区": region, "新媒体名称": f"账号{i}", "账号类型": "微信订阅号", "主办单位": f"单位{i}",
                             "新媒体标识码": code, "line": i + 2})
        else:
            code = f"44{i:08d}"
            registry.append({"地区": region, "网站名称": f"网站{i}", "主办单位": f"单位{i}",
                             "网站地址": f"http://s{i}.gd.gov.cn/", "网站标识码": code, "line": i + 2})
        records.append({"code": code, "name": f"单位{i}", "region": region, "host": "",
                        "verdict": "fail" if problems else "pass", "problems": problems,
                        "findings": [{"code": "x", "severity": "veto", "indicator": f"单项否决·{p}",
                                      "message": f"{p}：基准", "action": "按指标整改",
                                      "location": {"problem": p, "url": ""}} for p in problems]})
    return registry, records


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--accounts", type=int, default=10000)
    ap.add_argument("--sites", type=int, default=1000)
    ap.add_argument("--fail", type=float, default=0.2, help="share of units with a problem (default 0.2)")
    ap.add_argument("--formats", nargs="+", default=["md", "csv", "json", "xlsx", "docx"])
    args = ap.parse_args()

    from scanner.report import build_report
    from scanner.report.render import write_report
    from scanner.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with open_store(tmp / "bench.db") as store:
            for kind, n in (("sites", args.sites), ("accounts", args.accounts)):
                registry, records = _units(n, args.fail, kind)
                store.save_unit_results("2022Q2", kind, records, registry=registry, as_of=AS_OF)
            t = time.perf_counter()
            report = build_report(store, "2022Q2")
            out = {"accounts": args.accounts, "sites": args.sites, "fail": args.fail,
                   "build_s": round(time.perf_counter() - t, 2)}
        from scanner.report.aggregate import attachment_rows

        out["rows_attachment2"] = len(attachment_rows(report, 2)[1])
        out["rows_attachment4"] = len(attachment_rows(report, 4)[1])
        for fmt in args.formats:
            t, cpu = time.perf_counter(), time.process_time()
            write_report(report, tmp / "out", (fmt,))
            out[f"{fmt}_s"] = round(time.perf_counter() - t, 2)
            out[f"{fmt}_cpu_s"] = round(time.process_time() - cpu, 2)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
