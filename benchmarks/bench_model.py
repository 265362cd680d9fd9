"""Wording-model benchmark (issue 5): onnxruntime CPU throughput at 64 characters.

    .venv/bin/python benchmarks/bench_model.py [--seconds 5] [--batch 64] [--threads 1] [--check]

Measures sentences/s of the shipped model (models/wording-detector) on sentences of exactly
64 characters, one intra-op thread (one core), batches of --batch (the per-document batching
of the check), plus batch 1 for reference; the model's lazy load time; and with --check, the
cost of the wording.classifier check on the sample draft.  Compares with the floors in
benchmarks/baseline.json (key "model") and exits 1 when below.  Prints a Markdown table.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEXT = ("现在，我代表国务院，向大会报告政府工作，请予审议，并请全国政协委员提出意见。过去一年，我国发展历程很不平凡。"
        "面对外部压力加大、内部困难增多的复杂严峻形势，在以习近平同志为核心的党中央坚强领导下，全国各族人民迎难而上，"
        "全面深化改革开放，加大宏观调控力度，经济运行总体平稳、稳中有进，高质量发展扎实推进，经济社会发展主要目标任务顺利完成。"
        "县妇联召开专题会议，要求各级组织畅通联系渠道，做到下情上传、上情下达，2024年3月5日前报送材料。")


def sentences(n: int, length: int = 64) -> list[str]:
    text = TEXT * (1 + (n + length) // len(TEXT))
    return [text[i % len(TEXT) : i % len(TEXT) + length] for i in range(n)]


def throughput(det, batch: int, seconds: float, length: int = 64) -> float:
    det.batch_size = batch
    sents = sentences(max(batch, 256), length)
    det.score_texts(sents[:batch])  # warm up
    n = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        det.score_texts(sents)
        n += len(sents)
    return n / (time.perf_counter() - t0)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--check", action="store_true", help="also time the wording.classifier check on the sample draft")
    args = parser.parse_args()

    from scanner.model.runtime import Detector

    t0 = time.perf_counter()
    det = Detector(threads=args.threads)
    load_s = time.perf_counter() - t0
    rows = [("model load (lazy, once per process)", f"{load_s * 1000:.0f} ms")]
    batched = throughput(det, args.batch, args.seconds)
    rows.append((f"64-char sentences/s, batch {args.batch}, {args.threads} thread", f"{batched:.0f}"))
    single = throughput(det, 1, args.seconds / 2)
    rows.append((f"64-char sentences/s, batch 1, {args.threads} thread", f"{single:.0f}"))
    if args.check:
        from scanner.checks.wording.classifier import ClassifierCheck
        from scanner.pipeline import to_document
        from scanner.settings import Settings
        from scanner.types import Extracted, Source

        sample = (ROOT / "corpora" / "samples" / "draft-with-problems.txt").read_text(encoding="utf-8")
        doc = to_document(Extracted(Source("sample", sample.encode()), sample, "txt"), Settings.load())
        check = ClassifierCheck()
        list(check.run(doc))
        t0 = time.perf_counter()
        doc = to_document(Extracted(Source("sample", sample.encode()), sample, "txt"), Settings.load())
        found = list(check.run(doc))
        rows.append((f"wording.classifier on the sample draft ({len(sample)} chars, {len(found)} findings)",
                     f"{(time.perf_counter() - t0) * 1000:.0f} ms"))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"onnxruntime {__import__('onnxruntime').__version__}, model {det.path.name} "
          f"({(det.path / 'model.onnx').stat().st_size / 2**20:.1f} MiB)")
    print("| measure | value |\n|---|---:|")
    for k, v in rows:
        print(f"| {k} | {v} |")
    floors = json.loads((ROOT / "benchmarks" / "baseline.json").read_text(encoding="utf-8")).get("model", {}) \
        if (ROOT / "benchmarks" / "baseline.json").is_file() else {}
    floor = floors.get("sentences_per_s_64_one_core")
    if floor and batched < floor:
        print(f"below the floor: {batched:.0f} < {floor} sentences/s (benchmarks/baseline.json model)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
