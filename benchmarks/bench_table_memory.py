"""Peak memory and time of ``govscan privacy audit`` on the biggest spreadsheets.

    python benchmarks/bench_table_memory.py [--rows 65536] [--kind roster|grid] [--formats xls,xlsx,csv] [--keep DIR]

Generates one sheet of ``--rows`` rows (65,536: the most an .xls holds) and audits it as
.xls (xlwt, the test extra), .xlsx (openpyxl) and .csv, each in a child process
(``python cli.py privacy audit FILE --format json``), pinned to one core where the OS
allows it.  ``roster``: a synthetic 补贴发放名单 of 10 columns (序号, 姓名, 身份证号, 手机号码,
联系电话, 家庭住址, 银行卡号, 金额, 月份, 备注; seeded ``corpora.pii.generate.Faker``
values: checksum-valid IDs and cards, never real people's), about seven items a row;
``grid``: 20 columns of ``row-col`` (1.3 M cells, no items: the readers alone).  Reports
the file size, the child's peak RSS (``wait4``) and CPU seconds, wall seconds, items and
verdict; exits 1 when the formats disagree on the number of items of each entity.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = ["序号", "姓名", "身份证号", "手机号码", "联系电话", "家庭住址", "银行卡号", "发放金额", "发放月份", "备注"]


def rows_of(kind: str, n: int, seed: int = 5) -> list[list[str]]:
    if kind == "grid":
        return [[f"{r}-{c}" for c in range(20)] for r in range(n)]
    from corpora.pii.generate import Faker

    rng = random.Random(seed)
    f = Faker(rng)
    rows = [HEADER]
    for i in range(1, n):
        rows.append([str(i), f.name(), f.resident_id(), f.mobile(), f.landline(), f.address(), f.card(),
                     f"{rng.randint(100, 3000)}.00", f"2022-{rng.randint(1, 6):02d}", "高龄津贴"])
    return rows


def write(rows: list[list[str]], fmt: str, path: Path) -> None:
    if fmt == "xls":
        import xlwt

        book = xlwt.Workbook(encoding="utf-8")
        sheet = book.add_sheet("补贴发放名单")
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
        book.save(str(path))
    elif fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("补贴发放名单")
        for row in rows:
            sheet.append(row)
        book.save(str(path))
    else:
        buf = io.StringIO()
        csv.writer(buf).writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")


def audit(path: Path) -> dict:
    """The audit of ``path`` in a child process: its peak RSS, CPU and wall time, its record."""
    out = path.with_suffix(path.suffix + ".json")
    started = time.perf_counter()
    with open(out, "wb") as fh:
        child = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "privacy", "audit", str(path), "--format", "json"],
                                 stdout=fh, stderr=subprocess.DEVNULL, cwd=ROOT)
        _pid, _status, usage = os.wait4(child.pid, 0)
        child.returncode = 0  # (reaped here: wait4 gave its resources)
    wall = time.perf_counter() - started
    record = json.loads(out.read_text(encoding="utf-8"))[0]
    return {"peak_mb": usage.ru_maxrss / 1024, "cpu_s": usage.ru_utime + usage.ru_stime, "wall_s": wall,
            "items": Counter(i["entity"] for i in record["items"]), "verdict": record["verdict"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=65536)
    ap.add_argument("--kind", choices=("roster", "grid"), default="roster")
    ap.add_argument("--formats", default="xls,xlsx,csv")
    ap.add_argument("--keep", type=Path, help="write the files (and the audits' JSON) here and keep them")
    ap.add_argument("--write-only", type=Path, help=argparse.SUPPRESS)  # (the files, written by a child)
    args = ap.parse_args()
    formats = args.formats.split(",")
    if args.write_only:
        rows = rows_of(args.kind, args.rows)
        for fmt in formats:
            write(rows, fmt, args.write_only / f"{args.kind}-{args.rows}.{fmt}")
        return 0
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[-1]})
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        # the files are written by a child: Linux counts the RSS a process had when it exec'd a
        # child in the child's peak (wait4), and the rows and writers are hundreds of MB
        subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--kind", args.kind, "--formats", args.formats,
                        "--write-only", str(folder)], check=True)
        print(f"{args.kind}: {args.rows:,} rows x {10 if args.kind == 'roster' else 20} columns; one core")
        print(f"{'format':<6} {'file MB':>8} {'peak MB':>8} {'CPU s':>7} {'wall s':>7} {'items':>8}  verdict")
        for fmt in formats:
            path = folder / f"{args.kind}-{args.rows}.{fmt}"
            r = results[fmt] = audit(path)
            print(f"{fmt:<6} {path.stat().st_size / 2**20:8.1f} {r['peak_mb']:8.0f} {r['cpu_s']:7.1f} {r['wall_s']:7.1f} "
                  f"{sum(r['items'].values()):8,}  {r['verdict']}")
    counts = {fmt: r["items"] for fmt, r in results.items()}
    if len({tuple(sorted(c.items())) for c in counts.values()}) > 1:
        print(f"the formats disagree: {counts}")
        return 1
    print(f"items by entity, the same in every format: {dict(sorted(next(iter(counts.values())).items()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
