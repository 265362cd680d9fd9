"""Throughput of ``govscan scan sites`` / ``scan accounts`` on the demo province (issue 6).

    python benchmarks/bench_scan.py [--data out/demo/data] [--generate] [--reduced]
                                    [--workers 1 2] [--sites N] [--no-accounts]

End to end: snapshot reading, the site model, every enabled check (the content checks of
the pipeline on every article in the window, model included when it is enabled) and the
records.  Each run happens in a fresh child process so that its peak memory is its own:
``peak_rss_worker_mb`` is the largest worker's peak resident set (the scanning process
itself with ``--workers 1``).  Targets (issue 6): >= 50 site pages/s per core, <= 1.5 GB
per worker.  Prints one JSON object per run and a summary table.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2022-06-20"


class _Descendants:
    """CPU seconds and peak resident set of this process's descendants, sampled from /proc.

    The scan's pool starts its workers through a forkserver, so they are not this process's
    children and ``RUSAGE_CHILDREN`` never sees them; a sampler thread reads every
    descendant's /proc/PID/stat (utime, stime) and /proc/PID/status (VmHWM) instead.  A
    worker's CPU after the last sample (at most ``period`` seconds of it) is not counted."""

    def __init__(self, period: float = 0.2):
        import threading

        self.period, self.cpu, self.hwm_mb = period, {}, {}
        self.tick = os.sysconf("SC_CLK_TCK")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _children_of(self) -> dict[int, int]:
        parents = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                        fields = fh.read().rsplit(")", 1)[1].split()
                    parents[int(entry)] = int(fields[1])
                except (OSError, IndexError, ValueError):
                    continue
        return parents

    def sample(self) -> None:
        parents = self._children_of()
        mine, frontier = set(), {os.getpid()}
        while frontier:
            frontier = {pid for pid, ppid in parents.items() if ppid in frontier and pid not in mine}
            mine |= frontier
        for pid in mine:
            try:
                with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                self.cpu[pid] = (int(fields[11]) + int(fields[12])) / self.tick
                with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
                    for line in fh:
                        if line.startswith("VmHWM:"):
                            self.hwm_mb[pid] = max(self.hwm_mb.get(pid, 0.0), int(line.split()[1]) / 1024)
            except (OSError, IndexError, ValueError):
                continue

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            self.sample()

    def start(self) -> "_Descendants":
        if os.path.isdir("/proc"):
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def _child(args: argparse.Namespace) -> None:
    import datetime as dt

    sys.path.insert(0, str(ROOT))
    from scanner.settings import Settings
    from scanner.site.run import run_account_scan, run_site_scan

    overrides = {"checks": {"wording.classifier": {"enabled": False}}} if args.no_model else None
    settings = Settings.load(as_of=dt.date.fromisoformat(AS_OF), overrides=overrides)
    args.workers = args.workers[0]
    data = Path(args.data)
    out: dict = {"kind": args.child, "workers": args.workers, "model": not args.no_model}
    start = time.perf_counter()
    watch = _Descendants().start()
    if args.child == "sites":
        registry = data / "registry" / "sites.csv"
        if args.sites:
            sub = Path(args.tmp) / "sites-subset.csv"
            lines = registry.read_text(encoding="utf-8").splitlines()
            sub.write_text("\n".join(lines[: args.sites + 1]) + "\n", encoding="utf-8")
            registry = sub
        summary = run_site_scan(str(registry), str(data / "mirror"), settings, workers=args.workers)
        out.update(units=summary.units, pages=summary.pages, articles=summary.reviewed, failed=summary.failed)
        if summary.errors:
            sys.exit(f"{len(summary.errors)} sites failed to scan, e.g. {summary.errors[0]}")
    else:
        summary = run_account_scan(str(data / "registry" / "accounts.csv"), str(data / "posts.jsonl"), settings)
        out.update(units=summary.units, posts=summary.pages, reviewed=summary.reviewed, failed=summary.failed)
    elapsed = time.perf_counter() - start
    watch.stop()
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    self_rss = me.ru_maxrss / 1024
    # the workers (forkserver grandchildren, sampled from /proc) or, without /proc, the
    # children this process has waited for
    child_cpu = sum(watch.cpu.values()) if watch.cpu else kids.ru_utime + kids.ru_stime
    child_rss = max(watch.hwm_mb.values(), default=kids.ru_maxrss / 1024)
    out["elapsed_s"] = round(elapsed, 2)
    # CPU seconds of this process and its workers: the rate per CPU-second does not depend on
    # what else the machine is running (wall-clock rates do)
    out["cpu_s"] = round(me.ru_utime + me.ru_stime + child_cpu, 2)
    out["peak_rss_worker_mb"] = round(child_rss if args.workers > 1 else self_rss, 1)
    out["peak_rss_parent_mb"] = round(self_rss, 1)
    print(json.dumps(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(ROOT / "out" / "demo" / "data"), help="demo data folder (generator output)")
    parser.add_argument("--generate", action="store_true", help="generate the demo data first if it is missing")
    parser.add_argument("--reduced", action="store_true", help="generate the reduced demo (with --generate)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--sites", type=int, default=0, help="only the first N sites of the registry")
    parser.add_argument("--no-accounts", action="store_true")
    parser.add_argument("--no-model", action="store_true", help="switch the wording model off (to see its share)")
    parser.add_argument("--child", choices=["sites", "accounts"], help=argparse.SUPPRESS)
    parser.add_argument("--tmp", default="/tmp", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args)
        return 0
    data = Path(args.data)
    if not (data / "registry" / "sites.csv").is_file():
        if not args.generate:
            print(f"no demo data in {data}; run with --generate (or python -m corpora.demo.generate --out {data})",
                  file=sys.stderr)
            return 2
        sys.path.insert(0, str(ROOT))
        from corpora.demo.generate import generate

        generate(data, reduced=args.reduced)
    import tempfile

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        runs = [("sites", w) for w in args.workers] + ([] if args.no_accounts else [("accounts", 1)])
        for kind, workers in runs:
            cmd = [sys.executable, __file__, "--child", kind, "--data", str(data), "--workers", str(workers),
                   "--sites", str(args.sites), "--tmp", tmp] + (["--no-model"] if args.no_model else [])
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                return 1
            rec = json.loads(proc.stdout.strip().splitlines()[-1])
            cores = min(workers, os.cpu_count() or 1)
            if kind == "sites":
                rec["pages_per_s"] = round(rec["pages"] / rec["elapsed_s"], 1)
                rec["pages_per_s_per_core"] = round(rec["pages"] / rec["elapsed_s"] / cores, 1)
                rec["pages_per_cpu_s"] = round(rec["pages"] / rec["cpu_s"], 1)
            else:
                rec["posts_per_s"] = round(rec["posts"] / rec["elapsed_s"], 1)
                rec["posts_per_cpu_s"] = round(rec["posts"] / rec["cpu_s"], 1)
            print(json.dumps(rec, ensure_ascii=False))
            results.append(rec)
    print(f"\nmachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{'run':<14}{'units':>7}{'pages/posts':>13}{'wall s':>9}{'CPU s':>9}{'per s':>9}{'per s/core':>12}"
          f"{'per CPU s':>11}{'RSS/worker MB':>15}")
    for r in results:
        n = r.get("pages", r.get("posts"))
        rate = r.get("pages_per_s", r.get("posts_per_s"))
        per_cpu = r.get("pages_per_cpu_s", r.get("posts_per_cpu_s"))
        print(f"{r['kind'] + ' w=' + str(r['workers']):<14}{r['units']:>7}{n:>13}{r['elapsed_s']:>9}{r['cpu_s']:>9}"
              f"{rate:>9}{r.get('pages_per_s_per_core', ''):>12}{per_cpu:>11}{r['peak_rss_worker_mb']:>15}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
