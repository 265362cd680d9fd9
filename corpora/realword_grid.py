"""Replay of the word filter's 2026-11-28 rules (models/README.md, "QA pass"): what the long-word
rule (``lexfilter.breaks_long_word``) and the whole-word-run rule (``lexfilter.in_one_word``) drop
among the model's flags, on the development sets and on a synthetic development set.

    .venv/bin/python corpora/realword_grid.py [--no-synthetic]

The flags are computed with both rules switched off, then each flag the rules would drop is
counted as true (on a wrong character) or false.  Sets: ecspell-law-dev, ecspell-med-dev, gov-dev,
news-dev (``govscan model eval --dev``), and a synthetic set: gov-dev and the CLUENER 2020 train
sentences that are not news-dev, corrupted by ``data.Corruptor`` (seed 7).  Never the test sets.
About 8 minutes on one core (reading the government text for the corruptor's frequencies).
"""
from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scanner.model import data, lexfilter  # noqa: E402
from scanner.model.evaluate import _news_sentences, cluener_sentences, dev_pairs  # noqa: E402
from scanner.model.runtime import Detector  # noqa: E402


def synthetic_pairs(det: Detector) -> dict[str, list[data.Pair]]:
    gov = data.gov_sentences()
    freq = data.char_frequencies(gov)
    govdev = [s for s in gov if data.is_dev(s)]
    del gov
    news_dev = set(_news_sentences())
    other = cluener_sentences() - news_dev
    cor = data.Corruptor(set(det.vocab.index), freq, seed=7)
    out = {}
    for name, sents in (("gov-dev-synthetic", govdev), ("news-other-synthetic", sorted(other))):
        pairs = []
        for s in sents:
            t, labels = cor.corrupt(s)
            pairs.append(data.Pair(t, s) if any(labels) else data.Pair(s, s))
        out[name] = pairs
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-synthetic", action="store_true")
    args = parser.parse_args()
    det = Detector()
    sets = {name: dev_pairs(name) for name in ("ecspell-law-dev", "ecspell-med-dev", "gov-dev", "news-dev")}
    if not args.no_synthetic:
        sets.update(synthetic_pairs(det))
    long_word, one_word = lexfilter.LONG_WORD, lexfilter.in_one_word
    print("| set | rule | true flags dropped | false flags dropped | flags (rules off) |")
    print("|---|---|---:|---:|---:|")
    for name, pairs in sets.items():
        lexfilter.LONG_WORD, lexfilter.in_one_word = 10**9, (lambda *a: False)
        try:
            flags = det.flag_texts([p.source for p in pairs])
        finally:
            lexfilter.LONG_WORD, lexfilter.in_one_word = long_word, one_word
        counts: collections.Counter = collections.Counter()
        total = 0
        for pair, fl in zip(pairs, flags):
            wrong = set(pair.wrong)
            for f in fl:
                total += 1
                text, s, e = pair.source, f.start, f.end
                if e - s == 1:
                    hit = bool(f.suggestion) and lexfilter.breaks_long_word(text, s, f.suggestion) and \
                        lexfilter.in_word(text, s) and lexfilter.in_word(text[:s] + f.suggestion + text[e:], s)
                    rule = "long word"
                else:
                    hit = lexfilter.implausible(text, s, e, f.suggestion) and not lexfilter.in_place_name(text, s, e)
                    rule = "whole-word run"
                if hit:
                    counts[(rule, set(range(s, e)) <= wrong)] += 1
        for rule in ("long word", "whole-word run"):
            print(f"| {name} | {rule} | {counts[(rule, True)]} | {counts[(rule, False)]} | {total} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
