"""Train the running-text name tagger (``models/pii-names-crf/model.crfsuite``).

Training data, read in place from ../shared/data/ner (research-only sets, never copied
into the project): CLUENER 2020 train (label ``name``), Weibo NER v2 train
(``PER.NAM``), Resume NER train (``NAME``); ``--cluener-weight 2`` passes over the
CLUENER sentences twice (news and fiction prose, the running text that matters most).
Dev splits are for measurement and for choosing among training runs only
(``benchmarks/bench_pii_accuracy.py --ner``); test splits are not used.

    python -m corpora.pii.train_names_crf [--iterations 250] [--cluener-weight 2] [--part fit]

``--part fit`` leaves out the held-out 10% of the train splits (``corpora.pii.ner_data``)
for model choices made on it (``corpora.pii.eval_names_heldout``); ``--leave-out-slice K``
also leaves out a tenth of the fit part, which that CRF then tags as a second held-out set
(``eval_names_heldout --cross-fit``).

``--self-train CRF`` adds pseudo-labelled People's Daily sentences (``corpora.pii.self_train``):
the sentences that CRF tags with confidence ``--self-train-threshold`` or more, those
without a name up to ``--self-train-empty-share`` of them, once each, after the labelled
sentences.  The CRF given must not have trained on the sentences the result is measured on
(the ``--part fit`` CRF for the held-out 10%, the ``--leave-out-slice K`` CRF for slice K,
the shipped model for ``--part all``).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from corpora.pii import ner_data
from scanner.checks.pii.names_crf import MODEL_NAME, char_features, lac_for
from scanner.resources import models_dir, shared_data_dir
from scanner.text.normalize import normalize


def training_sentences(data: Path, cluener_weight: int = 1):
    """CLUENER, Weibo and Resume train, then CLUENER again ``cluener_weight - 1`` times."""
    yield from ner_data.cluener(data)
    yield from ner_data.weibo(data)
    yield from ner_data.resume(data)
    for _ in range(cluener_weight - 1):
        yield from ner_data.cluener(data)


def main(argv=None) -> int:
    import pycrfsuite

    ap = argparse.ArgumentParser(description="train the PII name CRF")
    ap.add_argument("--iterations", type=int, default=250)
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--cluener-weight", type=int, default=2, help="passes over the CLUENER train sentences")
    ap.add_argument("--out", type=Path, default=None, help="model file (default: models/pii-names-crf/model.crfsuite)")
    ap.add_argument("--part", choices=("all", "fit"), default="all",
                    help="fit: leave out the held-out 10%% of the train splits (corpora.pii.ner_data.held_out), for model choices")
    ap.add_argument("--leave-out-slice", type=int, default=None, metavar="K",
                    help="with --part fit: also leave out fit slice K (corpora.pii.ner_data.fit_slice), for a cross-fitted held-out set")
    ap.add_argument("--self-train", type=Path, default=None, metavar="CRF",
                    help="add People's Daily sentences pseudo-labelled by this CRF (corpora.pii.self_train)")
    ap.add_argument("--self-train-threshold", type=float, default=0.9,
                    help="keep a sentence when the tag sequence and every name in it have this probability or more")
    ap.add_argument("--self-train-empty-share", type=float, default=0.2,
                    help="confident sentences without a name, at most this share of the pseudo-labelled ones")
    ap.add_argument("--self-train-dump", type=Path, default=None, help="write the pseudo-labelled sentences here (jsonl)")
    args = ap.parse_args(argv)
    pseudo = []
    if args.self_train is not None:
        import json

        from corpora.pii import self_train

        if not args.self_train.is_file():
            print(f"error: {args.self_train} not found", file=sys.stderr)
            return 2
        tagger = pycrfsuite.Tagger()
        tagger.open(str(args.self_train))
        stats: dict = {}
        pseudo = self_train.pseudo_label(tagger, self_train.unlabeled_sentences(shared_data_dir()),
                                         args.self_train_threshold, args.self_train_empty_share, stats)
        tagger.close()
        print("self-training: " + ", ".join(f"{k} {v}" for k, v in stats.items()))
        if args.self_train_dump:
            args.self_train_dump.write_text("".join(json.dumps({"text": t, "tags": "".join(g)}, ensure_ascii=False) + "\n"
                                                    for t, g in pseudo), encoding="utf-8")
    trainer = pycrfsuite.Trainer(verbose=False)
    n = 0
    t0 = time.perf_counter()
    labelled = []
    for text, tags in training_sentences(shared_data_dir() / "ner", args.cluener_weight):
        if args.part == "fit" and ner_data.held_out(text):
            continue
        if args.leave_out_slice is not None and ner_data.fit_slice(text) == args.leave_out_slice:
            continue
        labelled.append((normalize(text).text, tags))
    labelled += pseudo
    # LAC's tags (when the features use them) for every distinct sentence, in batches
    distinct = sorted({text for text, _ in labelled})
    lac = dict(zip(distinct, lac_for(distinct)))
    for text, tags in labelled:
        trainer.append(char_features(text, lac=lac[text]), tags)
        n += 1
    trainer.set_params({"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations, "feature.possible_transitions": True})
    out = args.out or models_dir() / MODEL_NAME
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    print(f"trained on {n} sentences in {time.perf_counter() - t0:.0f} s -> {out} ({out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
