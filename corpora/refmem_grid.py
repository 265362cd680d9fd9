"""Measure the reference-memory rescue (``corpora/refmem.py``, not adopted) on the wording
model's development sets, the way ``corpora/charlm_grid.py`` replays the n-gram rescue's choice.

For each memory order ``K`` and each ``need`` the rescue runs once with no cut-offs and every
flag it adds is kept with the model's probability of the character and of the candidate; the
cut-offs (``--low``: the least probability a character must have, ``--max-variant``: the most
the candidate may have) are then applied to those records.  Sentence-level detection F1 on the
ECSpell development sets and the count of flagged clean sentences (gov-dev, news-dev), against
the shipped model alone on the first line.  The memory is built from the training text less
gov-dev (``data.is_dev``), so gov-dev sentences are new to it.

    python corpora/refmem_grid.py --orders 6,8      # ~10 min on one core
"""
from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SETS = ("ecspell-law-dev", "ecspell-med-dev", "ecspell-law-dev-unseen", "ecspell-med-dev-unseen", "gov-dev", "news-dev")
NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟0123456789")


def rescue(det, mem, texts, all_scores, flagged, need: int) -> list[tuple[int, int, str, float, float]]:
    """(text, char, candidate, model probability of the char, of the candidate) for every
    character below the threshold that the memory would flag (numerals never judged)."""
    from scanner.model.lexfilter import in_place_name
    from scanner.model.runtime import VARIANT_WINDOW

    def cands(ch: str) -> str:
        return "".join(c for c in det._candidates(ch) if c not in NUMERALS)

    by_text: dict[int, list[int]] = {}
    for t, i, _c in det._band(texts, all_scores, flagged, 0.0, det.threshold):
        if texts[t][i] not in NUMERALS:
            by_text.setdefault(t, []).append(i)
    chosen = []
    for t, positions in by_text.items():
        found = mem.suggest(texts[t], positions, cands, need)
        chosen.extend((t, i, c) for i, c in found.items() if not in_place_name(texts[t], i, i + 1))
    if not chosen:
        return []
    scored = det._candidate_scores(texts, chosen, VARIANT_WINDOW)
    return [(t, i, c, float(all_scores[t][i]), scored[(t, i)][c]) for t, i, c in chosen]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--orders", default="6,8")
    ap.add_argument("--fp-rate", type=float, default=0.01)
    ap.add_argument("--low", default="0,0.01,0.05,0.1,0.2")
    ap.add_argument("--max-variant", default="0.05,0.2,0.5,1.0")
    args = ap.parse_args(argv)
    from corpora.refmem import build
    from scanner.model import data, evaluate
    from scanner.model.runtime import Detector

    gov = [s for s in data.gov_sentences() if not data.is_dev(s)]
    pairs = {n: evaluate.dev_pairs(n) for n in SETS}
    det = Detector()
    base = {}
    for n in SETS:
        flags = det.flag_texts([p.source for p in pairs[n]], correct=True)
        base[n] = [{i for f in fs for i in range(f.start, f.end)} for fs in flags]

    def score(n: str, extra: dict[int, set[int]]) -> str:
        tp = pred = gold = 0
        for k, p in enumerate(pairs[n]):
            predicted = base[n][k] | extra.get(k, set())
            wrong = set(p.wrong)
            gold += bool(wrong)
            pred += bool(predicted)
            tp += bool(predicted) and predicted == wrong
        if not gold:
            return f"{n} flagged {pred}"
        prec, rec = (tp / pred if pred else 0.0), tp / gold
        return f"{n} {2 * prec * rec / (prec + rec) if prec + rec else 0.0:.3f}"

    print("model alone: " + " | ".join(score(n, {}) for n in SETS), flush=True)
    lows = [float(x) for x in args.low.split(",")]
    maxes = [float(x) for x in args.max_variant.split(",")]
    for k in (int(x) for x in args.orders.split(",")):
        mem = build(gov, k, args.fp_rate)
        for need in range(3, k + 1):
            rec = {}
            for n in SETS:
                texts = [p.source for p in pairs[n]]
                rec[n] = rescue(det, mem, texts, det._score_arrays(texts), [sorted(b) for b in base[n]], need)
            for low, mv in itertools.product(lows, maxes):
                row = []
                for n in SETS:
                    extra: dict[int, set[int]] = {}
                    for t, i, _c, p_char, p_cand in rec[n]:
                        if p_char >= low and p_cand <= mv:
                            extra.setdefault(t, set()).add(i)
                    row.append(score(n, extra))
                print(f"K={k} need={need} low={low} max_variant={mv}: " + " | ".join(row), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
