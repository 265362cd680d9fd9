"""Self-training for the running-text name CRF: pseudo-labelled news sentences.

Unlabeled text: the correct side (``target``) of People's Daily 2023-24 sentences in
``../shared/data/csc/csc-hard/people_daily_{jieba,ltp}.jsonl`` (a spelling-correction
set; only the corrected sentences are read, deduplicated, in file order; no test or dev
split of any set is read).  A CRF that did not train on the sentences it will be
measured on (``train_names_crf --part fit``, or ``--leave-out-slice K`` for the
cross-fitted set) tags each sentence; a sentence is kept when its Viterbi path is
confident as a whole (the CRF's probability of the whole tag sequence >= ``threshold``)
and every predicted name is too (the lowest marginal of the span's tags and of the O
after it >= ``threshold``).  Sentences with a name are all kept; confident sentences
without one are added up to ``empty_share`` of the pseudo-labelled set (the first ones
in md5 order of their text).  The kept spans pass ``names_crf.refine_spans`` (the edge
rules the analyzer applies).  Everything is deterministic: same CRF, same sentences.

    python -m corpora.pii.train_names_crf --part fit --self-train /tmp/crf-fit.crfsuite \
        --self-train-threshold 0.9 --self-train-empty-share 0.2 --out /tmp/crf-fit-st.crfsuite
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from corpora.pii.ner_data import _bio
from scanner.checks.pii import names_crf
from scanner.text.normalize import normalize

UNLABELED_FILES = ("csc/csc-hard/people_daily_jieba.jsonl", "csc/csc-hard/people_daily_ltp.jsonl")


def unlabeled_sentences(shared: Path, files: Iterable[str] = UNLABELED_FILES) -> list[str]:
    """The ``target`` sentences of ``files`` (under ``shared``), normalized (when that
    keeps the length), deduplicated, in file order."""
    out: list[str] = []
    seen: set[str] = set()
    for name in files:
        for line in (shared / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            text = json.loads(line)["target"].strip()
            t = normalize(text).text
            text = t if len(t) == len(text) else text
            if text and text not in seen:
                seen.add(text)
                out.append(text)
    return out


def _spans(tags: list[str]) -> list[tuple[int, int]]:
    out, start = [], None
    for i, t in enumerate(tags + ["O"]):
        if t != "I" and start is not None:
            out.append((start, i))
            start = None
        if t == "B" or (t == "I" and start is None):
            start = i
    return out


def score(tagger, text: str) -> tuple[list[tuple[int, int]], float, float]:
    """The Viterbi name spans of ``text`` (before the edge rules), the probability of the
    whole Viterbi tag sequence, and the lowest span confidence (1.0 with no span): for a
    span, the lowest marginal of its B/I tags and of the O right after it."""
    tagger.set(names_crf.char_features(text))
    tags = tagger.tag()
    seq = tagger.probability(tags)
    spans = _spans(tags)
    low = 1.0
    for s, e in spans:
        for i in range(s, e):
            low = min(low, tagger.marginal(tags[i], i))
        if e < len(text):
            low = min(low, tagger.marginal("O", e))
    return spans, seq, low


def pseudo_label(tagger, sentences: list[str], threshold: float, empty_share: float,
                 stats: dict | None = None) -> list[tuple[str, list[str]]]:
    """(text, B/I/O tags) for the confident sentences of ``sentences`` (module doc)."""
    named: list[tuple[str, list[str]]] = []
    empty: list[tuple[bytes, str, list[str]]] = []
    for text in sentences:
        spans, seq, low = score(tagger, text)
        if seq < threshold or low < threshold:
            continue
        spans = names_crf.refine_spans(text, spans)
        if spans:
            named.append((text, _bio(len(text), spans)))
        else:
            empty.append((hashlib.md5(text.encode("utf-8")).digest(), text, _bio(len(text), [])))
    n_empty = 0
    if 0 < empty_share < 1:
        n_empty = min(len(empty), round(len(named) * empty_share / (1 - empty_share)))
    keep_empty = {text for _h, text, _t in sorted(empty)[:n_empty]}
    out = [(t, tags) for t, tags in named] + [(t, tags) for _h, t, tags in empty if t in keep_empty]
    if stats is not None:
        stats.update(sentences=len(sentences), named=len(named), confident_empty=len(empty), empty=n_empty,
                     names=sum(tags.count("B") for _t, tags in named))
    return out
