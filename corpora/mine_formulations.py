"""Mine candidate canonical formulations (规范表述) from the work reports and congress reports.

Prints candidates for a person to review; nothing here feeds the checks directly. The
reviewed result is ``lexicons/formulations.tsv``.

Two kinds of candidate:
  * numbered formulations: ``[一二三四五六七八九十两]个X`` / ``X大Y`` / quoted “...” terms,
    counted over reports since 2012, with the enumeration that follows when there is one;
  * recurring long n-grams (6-14 characters) found in at least ``--min-docs`` reports.

Usage: python corpora/mine_formulations.py [--since 2012] [--min-docs 4] [--top 80]
Data: ../shared/data/gov-text/work-reports (public domain, see its SOURCE.md).
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scanner.resources import shared_data_dir  # noqa: E402

NUMBERED = re.compile(r"[“\"]?((?:[一二三四五六七八九十两]个|[三四五六七八九十]大)[\u4e00-\u9fff]{2,4})[”\"]?")
QUOTED = re.compile(r"“([\u4e00-\u9fff、，]{3,24})”")
ENUM_AFTER = re.compile(r"^[”\"]?[，,：:（(—]*(?:即|就是|是)?([\u4e00-\u9fff]{2,12}(?:、[\u4e00-\u9fff]{2,12}){1,7})")


def load_reports(since: int) -> list[tuple[str, str]]:
    base = shared_data_dir() / "gov-text" / "work-reports"
    docs = []
    for line in open(base / "government_work_reports.jsonl", encoding="utf-8"):
        r = json.loads(line)
        if r.get("year") and int(r["year"]) >= since:
            docs.append((r["year"], r["content"]))
    for line in open(base / "cpc_congress_reports.jsonl", encoding="utf-8"):
        r = json.loads(line)
        if r.get("congress", 0) >= 14:
            docs.append((f"congress{r['congress']}", r["content"]))
    return docs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--since", type=int, default=2012)
    ap.add_argument("--min-docs", type=int, default=4)
    ap.add_argument("--top", type=int, default=80)
    args = ap.parse_args(argv)
    docs = load_reports(args.since)
    numbered: collections.Counter[str] = collections.Counter()
    enums: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    quoted: collections.Counter[str] = collections.Counter()
    ngram_docs: collections.Counter[str] = collections.Counter()
    for _, text in docs:
        text = re.sub(r"\s+", "", text)
        for m in NUMBERED.finditer(text):
            numbered[m.group(1)] += 1
            e = ENUM_AFTER.match(text[m.end(): m.end() + 80])
            if e:
                enums[m.group(1)][e.group(1)] += 1
        for m in QUOTED.finditer(text):
            quoted[m.group(1)] += 1
        seen: set[str] = set()
        for clause in re.split(r"[，。；：、！？“”（）《》\s]", text):
            for n in range(6, 15):
                for i in range(0, len(clause) - n + 1):
                    seen.add(clause[i: i + n])
        ngram_docs.update(seen)
    print(f"# {len(docs)} reports since {args.since}")
    print("## numbered formulations (count, term, most frequent enumeration after it)")
    for term, c in numbered.most_common(args.top):
        if c < 2:
            break
        enum = enums[term].most_common(1)
        print(f"{c}\t{term}\t{enum[0][0] if enum else ''}")
    print("## quoted terms")
    for term, c in quoted.most_common(args.top):
        if c < 3:
            break
        print(f"{c}\t{term}")
    print("## recurring n-grams (maximal only)")
    frequent = {g: c for g, c in ngram_docs.items() if c >= args.min_docs}
    maximal = [g for g in frequent if not any(g != h and g in h and frequent[h] >= frequent[g] - 1
                                              for h in frequent if len(h) == len(g) + 1)]
    for g in sorted(maximal, key=lambda g: (-frequent[g], -len(g)))[: args.top]:
        print(f"{frequent[g]}\t{g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
