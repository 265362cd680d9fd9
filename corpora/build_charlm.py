"""Build the character n-gram table of the wording model's language-model rescue
(``scanner/model/charlm.py``, ``models/wording-detector/charlm.npz``).

Text: the government sentences the wording model trains on (``data.gov_sentences``: without
any sentence holding an evaluation sentence, acc_xxqg included), less the 1% held out as
gov-dev (``data.is_dev``); and the correct side of the ECSpell law and medicine *train* pairs
that are not development pairs (``distill._dev_pair``), less those sharing a 12-character
stretch with a development pair's correct side (ECSpell repeats sentences with different
errors: 147 of the 200 law development sentences occur among the other train pairs, and an
n-gram table holding them would make the development sets measure memory).

Counts of every n-gram of order 1 to ``--order`` (sentences padded with BOS/EOS), hashed to
32 bits; n-grams rarer than ``--min-count`` (per order) are dropped.  Deterministic: the same
data give the same file.

    python corpora/build_charlm.py --out models/wording-detector/charlm.npz --order 4 --min-count 1,1,2,3
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# a fit pair sharing a 12-character stretch with a development pair is left out (the -dev-unseen rule)
from scanner.model.evaluate import UNSEEN_OVERLAP as OVERLAP, drop_overlapping  # noqa: E402,F401


def texts(fit_weight: int = 1, word_lists: tuple[str, ...] = ()) -> tuple[list[str], dict]:
    from scanner.model import data
    from scanner.model.distill import _dev_pair

    gov = [s for s in data.gov_sentences() if not data.is_dev(s)]
    pairs = data.finetune_pairs()
    dev = [p.target for k in ("ecspell-law", "ecspell-med") for p in pairs[k] if _dev_pair(p.source)]
    fit_all = [p.target for k in ("ecspell-law", "ecspell-med") for p in pairs[k] if not _dev_pair(p.source)]
    fit = drop_overlapping(fit_all, dev)
    dropped = len(fit_all) - len(fit)
    words = []
    for name in word_lists:  # the model's domain word lists, one word a "sentence"
        from scanner.model.runtime import model_path

        words += (model_path() / name).read_text(encoding="utf-8").split()
    return gov + fit * fit_weight + words, {"gov_sentences": len(gov), "ecspell_fit_sentences": len(fit),
                                           "ecspell_fit_dropped_overlapping_dev": dropped, "fit_weight": fit_weight,
                                           "word_lists": list(word_lists), "words": len(words)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--order", type=int, default=4)
    ap.add_argument("--min-count", default="1,1,2,3", help="per order 1..N, comma-separated")
    ap.add_argument("--fit-weight", type=int, default=1, help="times the ECSpell fit sentences are counted")
    ap.add_argument("--words", action="append", default=[], help="a word list of the model folder to count too")
    args = ap.parse_args(argv)
    from scanner.model import charlm

    t0 = time.time()
    sents, info = texts(args.fit_weight, tuple(args.words))
    mins = [int(x) for x in args.min_count.split(",")]
    mins += [mins[-1]] * (args.order - len(mins))
    codes = charlm.encode(sents)
    counts = charlm.count_ngrams(codes, args.order)
    total = int(counts[1][1].sum())
    kept = charlm.prune(counts, {n + 1: m for n, m in enumerate(mins)})
    info.update(order=args.order, min_count=mins[:args.order], total=total, characters=int(len(codes)),
                ngrams={str(n): int(len(k)) for n, (k, _c) in kept.items()})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    charlm.save(args.out, kept, info)
    print(f"{args.out}: {args.out.stat().st_size / 2**20:.2f} MiB, {info} ({time.time() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
