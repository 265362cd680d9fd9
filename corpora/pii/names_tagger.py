"""An experiment (2026-11-27, not used by the scanner): a neural character tagger for
person names in running text, to combine with the CRF of ``scanner.checks.pii.names_crf``.

The tagger is the project's pretrained character encoder (the wording model's 4 x 128
BERT, ``models/wording-detector/torch``) fine-tuned to tag each character O/B/I of a
personal name (``corpora.pii.train_names_tagger``), with a per-character token type
(``type_ids``: jieba word position, person POS tag, a match of the CRF's name list, a
surname flag), exported to int8 ONNX and run here with onnxruntime (no torch).  A text is
cut into sentences, a long sentence into overlapping windows, and the pieces are scored in
batches of similar length.  ``combine`` averages its probabilities with the CRF's
marginals and ``decode`` reads name spans off them.

On held-out training sentences the combination gained about one point of F1 over the CRF
alone, and on the dev splits it did not (CLUENER dev 0.7983 against 0.7973, Weibo dev 0.690
against 0.724), so the scanner keeps the CRF alone; see models/pii-names-crf/README.md.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from scanner.errors import ResourceMissingError


N_TYPES = 48


def type_ids(text: str, words: Sequence[tuple[str, str, str, str]] | None = None) -> np.ndarray:
    """One small categorical feature per character, fed to the encoder as its token type
    (48 values): the jieba word position (B/M/E/S), a match of the name list
    (``names_crf.gazetteer``: none/B/I, longest first), whether jieba tags the word as a
    person (``nr``, ``nrt``, ``nrfg``) and whether the character is a common surname.
    ``words``: the ``names_crf.word_features`` of ``text`` (computed when not given)."""
    from scanner.checks.pii.common import COMPOUND_SURNAMES, SINGLE_SURNAMES
    from scanner.checks.pii.names_crf import _gazetteer_tags, gazetteer, word_features

    n = len(text)
    if words is None:
        words = word_features(text)
    if len(words) != n:
        words = [("S", "x", "", "")] * n
    gz = _gazetteer_tags(text, gazetteer()[0])
    out = np.zeros(n, dtype=np.int64)
    for i, (wp, flag, _prev, _next) in enumerate(words):
        sur = text[i] in SINGLE_SURNAMES or text[i:i + 2] in COMPOUND_SURNAMES
        out[i] = ((("BMES".find(wp) % 4) * 3 + " BI".index(gz[i] or " ")) * 2 + flag.startswith("nr")) * 2 + sur
    return out


class NameTagger:
    """The ONNX name tagger: ``probs(texts)`` gives each text's n x 3 (O, B, I) array."""

    def __init__(self, path: Path | str, threads: int = 1):
        path = Path(path)
        onnx_file = path / "model.onnx"
        for f in (onnx_file, path / "vocab.txt", path / "meta.json"):
            if not f.is_file():
                raise ResourceMissingError(
                    f"name tagger file {f} not found: train one with "
                    "`python -m corpora.pii.train_names_tagger --out DIR` (needs ../shared/data/ner)"
                )
        from scanner.model.runtime import _CharIds, open_session
        from scanner.model.vocab import CharVocab

        self.meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        self.max_len = int(self.meta.get("max_len", 128))
        self.overlap = int(self.meta.get("overlap", 32))
        self.batch_size = int(self.meta.get("batch_size", 32))
        self.crf_weight = float(self.meta.get("crf_weight", 0.5))
        self.threshold = float(self.meta.get("threshold", 0.5))
        self.type_features = bool(self.meta.get("type_features", False))
        self._ids = _CharIds(CharVocab.load(path / "vocab.txt"))
        # the wording model's session settings (one thread, SkipLayerNormFusion left out)
        self.session = open_session(onnx_file, threads)

    def _run(self, pieces: Sequence[str], types: Sequence[np.ndarray] | None = None) -> list[np.ndarray]:
        from scanner.model.runtime import plan_batches

        unique: dict = {}
        keys = [(p, types[k].tobytes()) if types is not None else (p, b"") for k, p in enumerate(pieces)]
        slot = [unique.setdefault(key, len(unique)) for key in keys]
        firsts = {}
        for k, key in enumerate(keys):
            firsts.setdefault(key, k)
        texts = [key[0] for key in unique]
        type_of = [types[firsts[key]] for key in unique] if types is not None else None
        ids = self._ids
        encoded = [np.fromiter(map(ids.__getitem__, t), dtype=np.int64, count=len(t)) for t in texts]
        out: list[np.ndarray] = [np.zeros((0, 3), dtype=np.float32)] * len(texts)
        for batch in plan_batches([len(t) for t in texts], self.batch_size):
            n = len(texts[batch[-1]])
            if n == 0:
                continue
            input_ids = np.zeros((len(batch), n), dtype=np.int64)
            mask = np.zeros((len(batch), n), dtype=np.int64)
            token_types = np.zeros((len(batch), n), dtype=np.int64)
            for row, i in enumerate(batch):
                k = len(encoded[i])
                input_ids[row, :k] = encoded[i]
                mask[row, :k] = 1
                if type_of is not None:
                    token_types[row, :k] = type_of[i]
            feed = {"input_ids": input_ids, "attention_mask": mask}
            if self.type_features:
                feed["token_type_ids"] = token_types
            probs = self.session.run(["probs"], feed)[0]
            for row, i in enumerate(batch):
                out[i] = probs[row, : len(encoded[i])]
        return [out[k] for k in slot]

    def probs(self, texts: Sequence[str], words: Sequence | None = None) -> list[np.ndarray]:
        """O/B/I probabilities of each character of each text (characters outside every
        sentence piece, such as spaces between sentences, get O).  ``words``: the
        ``names_crf.word_features`` of each text, when already computed."""
        from scanner.model.windows import even_windows, merge_window_scores, split_sentences

        pieces: list[str] = []
        piece_types: list[np.ndarray] | None = [] if self.type_features else None
        plan: list[list[tuple[int, int, list[tuple[int, int]]]]] = []
        for k, text in enumerate(texts):
            parts = []
            types = None
            if piece_types is not None and text:
                types = type_ids(text, words[k] if words is not None else None)
            for s, e in split_sentences(text):
                spans = even_windows(s, e, self.max_len, self.overlap)
                parts.append((s, e, spans))
                pieces.extend(text[a:b] for a, b in spans)
                if piece_types is not None:
                    piece_types.extend(types[a:b] for a, b in spans)
            plan.append(parts)
        scores = self._run(pieces, piece_types)
        out, k = [], 0
        for text, parts in zip(texts, plan):
            arr = np.zeros((len(text), 3), dtype=np.float32)
            arr[:, 0] = 1.0
            for s, e, spans in parts:
                got = scores[k:k + len(spans)]
                k += len(spans)
                for c in range(3):
                    arr[s:e, c] = merge_window_scores(e - s, spans, [g[:, c] for g in got], offset=s)
            out.append(arr)
        return out


def decode(probs: np.ndarray, threshold: float = 0.5) -> list[tuple[int, int, float]]:
    """Name spans (start, end, name probability of the first character) of per-character
    O/B/I probabilities: a character is in a name when P(B) + P(I) >= ``threshold``, then
    B or I, whichever is likelier; a name starts at a B, or at an I after an O."""
    name = probs[:, 1] + probs[:, 2]
    labels = np.where(name >= threshold, np.where(probs[:, 1] >= probs[:, 2], 1, 2), 0)
    spans = []
    start = None
    for i, t in enumerate(labels.tolist() + [0]):
        if t != 2 and start is not None:  # O or B closes a name
            spans.append((start, i, float(name[start])))
            start = None
        if t == 1 or (t == 2 and start is None):
            start = i
    return spans


def combine(nn: np.ndarray, crf: np.ndarray, crf_weight: float) -> np.ndarray:
    return crf_weight * crf + (1.0 - crf_weight) * nn
