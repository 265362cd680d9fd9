"""Benchmark of wording.misspelling (advisory 提示·疑似错别字): false alarms and found errors.

  false alarms  advisories on clean text, per 10,000 sentences, at 2024-06-20: acc_xxqg (5,000
                学习强国 sentences), People's Daily 2023-24 (csc-hard targets of both files,
                distinct), ECSpell odw train's corrected side; none of them a source of the list
  right         ECSpell odw train's erroneous sentences (official-document writing, kept out of the
                list's sources) where a finding's suggestion writes the target's characters at
                its span
  injected      work-report sentences holding a listed right word, that word replaced by one of
                its listed wrong forms (seeded): found when a finding with a suggestion overlaps
                it.  The list is built from gov-text, so this is recall of the check's context
                rules (two words meeting, other_reading, names), not of the list

Floors in benchmarks/baseline.json under "misspelling"; exits 1 below one (``--no-check`` to print).

Usage: nice python benchmarks/bench_misspelling.py [--inject 4000] [--seed 11] [--examples]
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scanner.checks.wording.misspelling import MisspellingCheck  # noqa: E402
from scanner.resources import read_tsv, shared_data_dir  # noqa: E402
from scanner.types import Document, Extracted, Source  # noqa: E402

ON = dt.date(2024, 6, 20)
CHECK = MisspellingCheck()


def run(text: str):
    return list(CHECK.run(Document(Extracted(Source("bench", b""), text, "txt"), as_of=ON)))


def clean_sets() -> dict[str, list[str]]:
    base = shared_data_dir() / "csc"
    xx = [x["original_text"] for x in json.load(open(base / "macro-correct/acc_xxqg.tet.json", encoding="utf-8"))]
    pd = set()
    for fn in ("people_daily_jieba.jsonl", "people_daily_ltp.jsonl"):
        for line in open(base / "csc-hard" / fn, encoding="utf-8"):
            pd.add(json.loads(line)["target"])
    return {"acc_xxqg": xx, "people_daily": sorted(pd), "odw_corrected": sorted({t for _, t in odw_pairs()})}


def odw_pairs() -> list[tuple[str, str]]:
    pairs = []
    for line in open(shared_data_dir() / "csc/ecspell/odw.train.tsv", encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if len(parts) == 3:
            pairs.append((parts[1], parts[2]))
    return pairs


def false_alarms(sets: dict[str, list[str]]) -> dict:
    out = {}
    for name, texts in sets.items():
        examples = []
        for t in texts:
            for f in run(t):
                examples.append(f"{t[f.start:f.end]} -> {f.suggestion} | {t[max(0, f.start - 12):f.end + 12]}")
        out[name] = {"sentences": len(texts), "findings": len(examples),
                     "per_10k": len(examples) * 10000 / len(texts), "examples": examples}
    return out


def right_corrections() -> dict:
    n, right = 0, 0
    for src, tgt in odw_pairs():
        if src == tgt or len(src) != len(tgt):
            continue
        n += 1
        if any(f.suggestion and tgt[f.start:f.start + len(f.suggestion)] == f.suggestion
               and len(f.suggestion) == f.end - f.start and src[f.start:f.end] != f.suggestion for f in run(src)):
            right += 1
    return {"erroneous": n, "right": right}


def injected(count: int, seed: int) -> dict:
    import ahocorasick

    by_right = collections.defaultdict(list)
    for r in read_tsv.__wrapped__("misspellings.tsv"):
        by_right[r["right"]].append(r["wrong"])
    rng = random.Random(seed)
    sentences = []
    for line in open(shared_data_dir() / "gov-text/work-reports/government_work_reports.jsonl", encoding="utf-8"):
        sentences += re.findall(r"[^。！？；\n]{8,80}", json.loads(line)["content"])
    rng.shuffle(sentences)
    automaton = ahocorasick.Automaton()
    for word in by_right:
        automaton.add_word(word, word)
    automaton.make_automaton()
    n, found, missed = 0, 0, []
    for s in sentences:
        hits = [(end - len(w) + 1, w) for end, w in automaton.iter(s)]
        if not hits:
            continue
        start, word = rng.choice(hits)
        wrong = rng.choice(by_right[word])
        text, a, b = s[:start] + wrong + s[start + len(word):], start, start + len(wrong)
        n += 1
        if any(f.start < b and a < f.end and f.suggestion for f in run(text)):
            found += 1
        elif len(missed) < 10:
            missed.append(f"{wrong} <- {word}: {text[max(0, a - 10):b + 10]}")
        if n >= count:
            break
    return {"injected": n, "found": found, "recall": found / max(1, n), "missed": missed}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inject", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--examples", action="store_true", help="print every false alarm")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--no-check", action="store_true")
    args = ap.parse_args(argv)
    fa = false_alarms(clean_sets())
    right = right_corrections()
    inj = injected(args.inject, args.seed)
    print("## wording.misspelling: benchmark (benchmarks/bench_misspelling.py)\n")
    print("| clean set | sentences | advisories | per 10,000 |")
    print("|---|---:|---:|---:|")
    for name, v in fa.items():
        print(f"| {name} | {v['sentences']} | {v['findings']} | {v['per_10k']:.1f} |")
    print(f"\nRight corrections: {right['right']} of {right['erroneous']} ECSpell odw erroneous sentences")
    print(f"Injected into work-report sentences: {inj['found']} of {inj['injected']} found ({inj['recall']:.2%})")
    for m in inj["missed"]:
        print(f"  missed {m}")
    if args.examples:
        for name, v in fa.items():
            for e in v["examples"]:
                print(f"  {name}: {e}")
    if args.json:
        args.json.write_text(json.dumps({"false_alarms": fa, "right": right, "injected": inj}, ensure_ascii=False,
                                        indent=1), encoding="utf-8")
    if args.no_check:
        return 0
    floors = json.loads((ROOT / "benchmarks" / "baseline.json").read_text(encoding="utf-8")).get("misspelling", {})
    failed = [f"{name}_per_10k" for name, v in fa.items() if v["per_10k"] > floors.get(f"max_{name}_per_10k", float("inf"))]
    if right["right"] < floors.get("min_odw_right", 0):
        failed.append("odw_right")
    if inj["recall"] < floors.get("min_injected_recall", 0):
        failed.append("injected_recall")
    if failed:
        print(f"BELOW FLOOR (benchmarks/baseline.json misspelling): {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
