"""Review benchmark (issue 2): start-up time of `govscan review` on one short file, and
throughput on long inputs (must stay linear up to 10 MB).

    .venv/bin/python benchmarks/bench_review.py [--runs 5] [--sizes 1,5,10]

Prints a Markdown table for the README.  Run on an otherwise idle machine.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpora" / "samples" / "draft-with-problems.txt"


def startup(runs: int) -> list[float]:
    exe = Path(sys.executable).with_name("govscan")
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([str(exe), "review", str(SAMPLE), "--format", "json"], capture_output=True, check=False)
        times.append(time.perf_counter() - t0)
    return times


def throughput(sizes_mb: list[float], model: bool = True) -> list[tuple[int, float, int]]:
    sys.path.insert(0, str(ROOT))
    from scanner.pipeline import Reviewer
    from scanner.settings import Settings

    overrides = None if model else {"checks": {"wording.classifier": {"enabled": False}}}
    reviewer = Reviewer(Settings.load(overrides=overrides))
    paragraph = SAMPLE.read_text(encoding="utf-8")
    reviewer.review_text(paragraph)  # warm up: load everything once
    out = []
    for mb in sizes_mb:
        n = max(1, int(mb * 1_000_000) // len(paragraph.encode("utf-8")))
        text = (paragraph + "\n") * n
        t0 = time.perf_counter()
        review = reviewer.review_text(text)
        dt = time.perf_counter() - t0
        out.append((len(text.encode("utf-8")), dt, len(review.findings)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="1,5,10", help="MB, without the model")
    ap.add_argument("--model-sizes", default="0.2,1", help="MB, with the wording model")
    args = ap.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    startup(1)  # first run fills the on-disk lexicon cache
    times = startup(args.runs)
    print(f"\n`govscan review` of one short file, model on ({args.runs} runs, cold process each, warm cache): "
          f"median {statistics.median(times):.2f} s, min {min(times):.2f} s, max {max(times):.2f} s\n")
    print("| input | checks | time | MB/s | findings |")
    print("|---|---|---|---|---|")
    for label, sizes, model in (("all but the model", args.sizes, False), ("all, model on", args.model_sizes, True)):
        for size, dt, n in throughput([float(x) for x in sizes.split(",")], model=model):
            print(f"| {size / 1e6:.1f} MB | {label} | {dt:.1f} s | {size / 1e6 / dt:.2f} | {n} |", flush=True)


if __name__ == "__main__":
    main()
