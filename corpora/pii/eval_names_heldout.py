"""Model choices for the running-text name tagger, on held-out *training* sentences.

The dev splits are kept for the final measurement (``benchmarks/bench_pii_accuracy.py
--ner``); choices (the CRF weight of the combination, the decoding threshold, training
runs) are made here, on the fixed 10% hash split of the train splits
(``corpora.pii.ner_data.held_out``), with a CRF and a tagger trained without it:

    python -m corpora.pii.train_names_crf --part fit --out /tmp/crf-fit.crfsuite
    python -m corpora.pii.train_names_tagger --part fit --out /tmp/tagger-fit
    python -m corpora.pii.eval_names_heldout --crf /tmp/crf-fit.crfsuite /tmp/tagger-fit
    python -m corpora.pii.eval_names_heldout --crf /tmp/crf-fit.crfsuite --analyzer [--show 20]
    python -m corpora.pii.train_names_crf --part fit --leave-out-slice K --out /tmp/crf-sK.crfsuite  # K = 0, 1, 2
    python -m corpora.pii.eval_names_heldout --analyzer --cross-fit --crf /tmp/crf-s0.crfsuite /tmp/crf-s1.crfsuite /tmp/crf-s2.crfsuite

Prints span precision / recall / F1 (names of 2+ characters, as the PERSON recognizer
keeps them) per set for the CRF alone (Viterbi, as ``names_crf.tag_names``), the tagger
alone and their combination over a grid of CRF weights and thresholds, and the F1 of
the three sets pooled (the choice: the best pooled F1).

``--analyzer`` measures what ``bench_pii_accuracy.py --ner`` measures on dev: the whole
PERSON analyzer (``PiiAnalyzer(text_names=True)``: structure heuristics, masked forms,
overlap resolution and the CRF, here the ``--crf`` model), unmasked PERSON spans against
every gold name (single characters included), and where each error comes from: a false
positive by the pattern that reported it (``person_crf``, ``person_contact``,
``person_list`` …) and whether it overlaps a gold name (a boundary error) or not; a false
negative by what became of it: the CRF never had it (no overlapping CRF span / a CRF span
with other boundaries), the CRF had it but the overlap resolution kept another detection
(named), or a single-character name (never reported).  ``--cross-fit`` with CRFs trained
with ``--leave-out-slice`` 0, 1, 2 gives a second held-out set, about three times as
large: the K-th CRF tags the fit sentences of slice K (``ner_data.fit_slice``), which it
was trained without.
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
from scanner.text.normalize import normalize


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
    ap.add_argument("taggers", nargs="*", type=Path, help="tagger folders (trained with --part fit)")
    ap.add_argument("--crf", type=Path, nargs="+", required=True,
                    help="a CRF trained with --part fit (with --cross-fit: one per slice, trained with --leave-out-slice 0, 1 …)")
    ap.add_argument("--weights", default="0,0.5,0.6,0.7,0.8,1")
    ap.add_argument("--thresholds", default="0.3,0.35,0.4,0.5")
    ap.add_argument("--analyzer", action="store_true",
                    help="the whole PERSON analyzer with this CRF (as bench_pii_accuracy.py --ner), errors by source")
    ap.add_argument("--show", type=int, default=0, help="with --analyzer: print up to N errors of each source")
    ap.add_argument("--cross-fit", action="store_true",
                    help="with --analyzer: the K-th --crf tags fit slice K instead of the held-out sentences")
    args = ap.parse_args(argv)
    for path in [*args.crf, *args.taggers]:
        if not path.exists():
            print(f"error: {path} not found", file=sys.stderr)
            return 2
    data = shared_data_dir() / "ner"
    crfs = []
    for path in args.crf:
        crfs.append(pycrfsuite.Tagger())
        crfs[-1].open(str(path))
    if args.analyzer:
        parts = [(c, f"slice-{k}") for k, c in enumerate(crfs)] if args.cross_fit else [(crfs[0], "held_out")]
        return analyzer_errors(data, parts, args.show)
    crf = crfs[0]
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


def analyzer_errors(data: Path, parts, show: int = 0) -> int:
    """The whole analyzer, for each (crf, part) of ``parts`` on the sentences of that part
    (``ner_data.sentences``) with that CRF as its name CRF: span precision / recall / F1
    per set and pooled, then the errors by source."""
    from collections import Counter, defaultdict

    from scanner.checks.pii import names_crf as nc
    from scanner.checks.pii.analyzer import PiiAnalyzer

    crf_spans: list[tuple[int, int]] = []
    real_tag_names = nc.tag_names
    current = [parts[0][0]]

    def recording(line: str, lac=None):
        found = real_tag_names(line, lac=lac)
        crf_spans.extend((s, e) for s, e, _p in found if e - s >= 2)
        return found

    saved = nc.get_tagger, nc.tag_names
    nc.get_tagger, nc.tag_names = (lambda: current[0]), recording
    try:
        analyzer = PiiAnalyzer(text_names=True, entities=["PERSON"])
        totals = Counter()
        fp_by, fn_by = Counter(), Counter()
        examples = defaultdict(list)
        print(f"{'set':<10}{'names':>6}{'precision':>10}{'recall':>8}{'F1':>8}   (whole analyzer; parts: {', '.join(p for _c, p in parts)})")
        for name in ner_data.SETS:
            tp = fp = fn = 0
            rows = [(c, row) for c, part in parts for row in ner_data.sentences(data, name, part)]
            for crf, (text, tags) in rows:
                current[0] = crf
                t = normalize(text).text
                text = t if len(t) == len(text) else text
                gold = spans_of(tags)
                crf_spans.clear()
                # _text_names tags each line apart: offsets of lines after the first shift
                found = [d for d in analyzer.analyze(text) if d.entity == "PERSON"]
                crf_set = set(crf_spans) if "\n" not in text else set()
                pred = {(d.start, d.end): d for d in found if not d.masked}
                tp += len(set(pred) & gold)
                for span, d in pred.items():
                    if span in gold:
                        continue
                    fp += 1
                    overlaps = any(s < span[1] and span[0] < e for s, e in gold)
                    key = (name, "FP", d.pattern, "boundary" if overlaps else "no name")
                    fp_by[key] += 1
                    examples[key].append((text, span, gold))
                for span in gold - set(pred):
                    fn += 1
                    s0, e0 = span
                    if e0 - s0 == 1:
                        why = "single character"
                    elif span in crf_set:
                        other = [d for d in found if d.start < e0 and s0 < d.end]
                        why = "CRF had it, lost to " + (",".join(sorted({d.pattern for d in other})) or "?")
                    elif any(s < e0 and s0 < e for s, e in crf_set):
                        why = "CRF boundary"
                    else:
                        other = [d for d in found if d.start < e0 and s0 < d.end]
                        why = "CRF miss" + (" (other: " + ",".join(sorted({d.pattern for d in other})) + ")" if other else "")
                    key = (name, "FN", why, "")
                    fn_by[key] += 1
                    examples[key].append((text, span, gold))
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn) if tp + fn else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            totals.update({"tp": tp, "fp": fp, "fn": fn})
            print(f"{name:<10}{tp + fn:>6}{p:>10.3f}{r:>8.3f}{f:>8.4f}")
        tp, fp, fn = totals["tp"], totals["fp"], totals["fn"]
        p, r = tp / (tp + fp), tp / (tp + fn)
        print(f"{'pooled':<10}{tp + fn:>6}{p:>10.3f}{r:>8.3f}{2 * p * r / (p + r):>8.4f}")
        for label, table in (("false positives", fp_by), ("false negatives", fn_by)):
            print(f"== {label} by source (set, source, kind: count)")
            for key, count in sorted(table.items(), key=lambda kv: (kv[0][0], -kv[1])):
                print(f"   {key[0]:<8}{key[2]:<45}{key[3]:<10}{count:>5}")
                for text, (s, e), gold in examples[key][:show]:
                    g = ",".join(text[a:b] for a, b in sorted(gold))
                    print(f"        {text[max(0, s - 15):s]}[{text[s:e]}]{text[e:e + 15]}   gold: {g}".replace("\n", "/"))
    finally:
        nc.get_tagger, nc.tag_names = saved
    return 0


if __name__ == "__main__":
    sys.exit(main())
