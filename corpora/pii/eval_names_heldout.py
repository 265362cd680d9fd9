"""Model choices for the running-text name tagger, on held-out *training* sentences.

The dev splits are kept for the final measurement (``benchmarks/bench_pii_accuracy.py
--ner``); choices (the CRF weight of the combination, the decoding threshold, training
runs) are made here, on the fixed 10% hash split of the train splits
(``corpora.pii.ner_data.held_out``), with a CRF and a tagger trained without it:

    python -m corpora.pii.train_names_crf --part fit --out /tmp/crf-fit.crfsuite
    python -m corpora.pii.train_names_tagger --part fit --out /tmp/tagger-fit
    python -m corpora.pii.eval_names_heldout --crf /tmp/crf-fit.crfsuite /tmp/tagger-fit

Prints span precision / recall / F1 (names of 2+ characters, as the PERSON recognizer
keeps them) per set for the CRF alone (Viterbi, as ``names_crf.tag_names``), the tagger
alone and their combination over a grid of CRF weights and thresholds, and the F1 of
the three sets pooled (the choice: the best pooled F1).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from corpora.pii import ner_data
from corpora.pii.train_names_tagger import _normalized
from scanner.checks.pii import names_crf
from corpora.pii.names_tagger import NameTagger, combine, decode
from scanner.resources import shared_data_dir


def spans_of(tags: list[str]) -> set[tuple[int, int]]:
    out, start = set(), None
    for i, t in enumerate(tags + ["O"]):
        if t != "I" and start is not None:
            out.add((start, i))
            start = None
        if t == "B" or (t == "I" and start is None):
            start = i
    return out


def prf(preds, golds) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for p, g in zip(preds, golds):
        p = {(s, e) for s, e, *_ in p if e - s >= 2}
        tp += len(p & g)
        fp += len(p - g)
        fn += len(g - p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def main(argv=None) -> int:
    import pycrfsuite

    ap = argparse.ArgumentParser(description="held-out-train choices for the name tagger")
    ap.add_argument("taggers", nargs="+", type=Path, help="tagger folders (trained with --part fit)")
    ap.add_argument("--crf", type=Path, required=True, help="a CRF trained with --part fit")
    ap.add_argument("--weights", default="0,0.5,0.6,0.7,0.8,1")
    ap.add_argument("--thresholds", default="0.3,0.35,0.4,0.5")
    args = ap.parse_args(argv)
    for path in [args.crf, *args.taggers]:
        if not path.exists():
            print(f"error: {path} not found", file=sys.stderr)
            return 2
    data = shared_data_dir() / "ner"
    crf = pycrfsuite.Tagger()
    crf.open(str(args.crf))
    sets = {}
    for name in ner_data.SETS:
        rows = []
        for text, tags in ner_data.sentences(data, name, "held_out"):
            text = _normalized(text)
            words = names_crf.word_features(text)
            marg = names_crf.marginals(text, crf, words=words)
            viterbi = np.eye(3, dtype=np.float32)[["OBI".index(t) for t in crf.tag()]]
            rows.append((text, spans_of(tags), words, marg, viterbi))
        sets[name] = rows
    print("names in the held-out sentences: " + ", ".join(f"{n} {sum(len(r[1]) for r in rows)}" for n, rows in sets.items()))

    def line(label, fn):
        cells = []
        pooled_pred, pooled_gold = [], []
        for n, rows in sets.items():
            pred, gold = [fn(row) for row in rows], [row[1] for row in rows]
            pooled_pred += pred
            pooled_gold += gold
            p, r, f = prf(pred, gold)
            cells.append(f"{n} {p:.3f}/{r:.3f}/{f:.4f}")
        cells.append(f"pooled F1 {prf(pooled_pred, pooled_gold)[2]:.4f}")
        print(f"{label:<22}" + "  ".join(cells))

    line("crf viterbi", lambda row: decode(row[4]))
    for folder in args.taggers:
        tagger = NameTagger(folder)
        print(f"== {folder}")
        for rows in sets.values():
            for k, probs in enumerate(tagger.probs([r[0] for r in rows], [r[2] for r in rows])):
                rows[k] = rows[k][:5] + (probs,)
        for w in map(float, args.weights.split(",")):
            for t in map(float, args.thresholds.split(",")):
                line(f"w={w} t={t}", lambda row: decode(combine(row[5], row[3], w), t))
    return 0


if __name__ == "__main__":
    sys.exit(main())
