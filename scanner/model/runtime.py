"""onnxruntime inference: per-character error probabilities, flags and corrections.

No torch here.  The ONNX graph takes ``input_ids`` and ``attention_mask`` (int64, batch x
length) and returns ``error_prob`` (batch x length): the probability that each character
does not belong.  A document is cut into sentences (a table row into its cells), long
ones into overlapping windows (``model_spans``, ``even_windows``).  The model's time is
proportional to the characters it is given, padding included, so the runtime gives it as
few as it can: a piece without a CJK character is not scored (the model judges Chinese
characters; a line or cell of digits, codes or Latin text has no typo for it to find),
identical pieces of a document are scored once, and pieces are batched by length so that
batches carry little padding (``plan_batches``).

A flagged character gets a correction candidate: its confusable characters (the confusion
set shipped with the model) are put in its place and the model scores each variant (in a
window of ``VARIANT_WINDOW`` characters around it); the candidate with the lowest error
probability wins when it brings the probability below the threshold.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import os
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from ..errors import ResourceMissingError
from ..resources import models_dir
from . import MODEL_NAME
from .lexfilter import domain_lexicon, implausible, in_place_name, in_word, word_at
from .vocab import PAD_ID, UNK_ID, CharVocab
from .windows import CJK_RE, even_windows, merge_window_scores, model_spans

MAX_CANDIDATES = 40
# A correction candidate is scored in a window of this many characters centred on it, not
# the model's full 64: a character's judgement rests on the words around it.  Measured on
# the four evaluation sets at threshold 0.5 (743 suggestions): 54 right with 32, 56 with 64,
# at half the model time (40 candidates per flagged character).
VARIANT_WINDOW = 32
# Two stages: every candidate is first scored in a window of SHORTLIST_WINDOW characters, and
# only the SHORTLIST best of them in the VARIANT_WINDOW one (0: one stage): 800 characters of
# model work per flagged character instead of 1,280.  `govscan model eval` (distilled model,
# shipped threshold) gives the same detection F1 and false alarms (20 of 5,000) as one stage,
# correction F1 equal (ecspell-law 0.292 vs 0.287); at threshold 0.5, 935 of the 984 flags
# keep the same suggestion.
SHORTLIST = 5
SHORTLIST_WINDOW = 16
# With the model's word filter, a one-character flag inside a word none of whose candidates
# makes a word is dropped before its candidates are scored (the filter would drop it after).
PREFILTER = True
# Domain-word rescue, for the domains a caller names (``domains``: "law", "medicine", the
# word lists in the model's ``domain_words``, meta.json; none by default): a character scored
# at or above RESCUE_LOW but below the threshold, standing in no word of the domain segmenter,
# is flagged when a confusable character in its place makes a domain word (ECSpell's legal
# and medical word lists) and the model scores that candidate at most RESCUE_MAX_VARIANT.  The
# model alone must be very sure to keep false alarms on clean text rare; a broken domain word
# repaired by one confusable character is evidence it cannot see.  Chosen on the development
# sets only (held-out ECSpell law/med train pairs, held-out clean government sentences), in a
# broad region of equal results (models/README.md).
RESCUE_LOW = 0.2
RESCUE_MAX_VARIANT = 0.2
# Language-model rescue (``"charlm"`` in meta.json: the n-gram table, used by default only when
# its ``default`` is true, which it is not; ``flag_texts(lm=True)``, check option ``lm``): a character scored at or above
# LM_LOW but below the threshold, standing in no dictionary word (``lexfilter.in_word``), is
# flagged when its confusable character that the n-gram model likes best raises the
# sentence's log-probability by at least LM_GAIN (natural log, over the characters the change
# touches), makes a dictionary word in its place, and is scored at most LM_MAX_VARIANT by the
# model.  Chosen on the development sets only (models/README.md, "Language-model rescue").
LM_LOW = 0.1
LM_GAIN = 15.0
LM_MAX_VARIANT = 0.05
# onnxruntime graph rewrites left out.  SkipLayerNormFusion fuses each residual Add with the
# LayerNormalization after it into one com.microsoft SkipLayerNormalization kernel, which on
# this model's shapes (hidden 128) runs 5x slower than the two ops it replaces: 2.0 ms against
# 0.34 + 0.08 ms for 64 x 32 x 128 floats (ORT 1.32, one core), a quarter of the model's time
# (profiled: 25% of a batch in SkipLayerNormalization).  Without it a 64 x 32 batch takes 21 ms
# instead of 28-33 ms; probabilities move by at most 0.01, no closer to or further from torch.
DISABLED_OPTIMIZERS = ("SkipLayerNormFusion",)
# One more onnxruntime call costs about as much as this many padding characters (measured
# with the shipped model on one core: ~0.3 ms a call, ~18 us a character; 8 to 16 measured best).
CALL_COST_CHARS = 8


def plan_batches(lengths: Sequence[int], max_batch: int, call_cost: int = CALL_COST_CHARS) -> list[list[int]]:
    """Indices of ``lengths`` grouped into batches: sorted by length, a batch is closed when it
    is full or when the padding that the next (longer) piece would add to it costs more than a
    call of its own.  Every batch is padded to its longest piece."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for i in order:
        n = lengths[i]
        if current and (len(current) >= max_batch or (n - longest) * len(current) > call_cost):
            batches.append(current)
            current = []
        current.append(i)
        longest = n
    if current:
        batches.append(current)
    return batches


_clock = threading.local()


def inference_time() -> tuple[float, float]:
    """(CPU seconds, wall-clock seconds) this thread has spent in onnxruntime so far: the
    model's share of a review is the difference around it.  With one intra-op thread (the
    default) onnxruntime computes in the calling thread, so its CPU time is counted."""
    return getattr(_clock, "cpu", 0.0), getattr(_clock, "wall", 0.0)


class _CharIds(dict):
    """Character -> vocabulary id, filled on first use (unknown characters and spaces too)."""

    def __init__(self, vocab: CharVocab):
        super().__init__(vocab.index)
        self.vocab = vocab

    def __missing__(self, ch: str) -> int:
        idx = self[ch] = self.vocab.char_id(ch)
        return idx


@dataclasses.dataclass(frozen=True, slots=True)
class Flag:
    """A run of suspicious characters in a text: [start, end) with the highest probability."""

    start: int
    end: int
    score: float
    suggestion: str | None  # replacement for text[start:end], or None when no candidate fits
    suggestion_score: float | None = None  # error probability of the best candidate in place
    word: str | None = None  # rescued below the threshold: the domain word the suggestion makes
    gain: float | None = None  # rescued by the n-gram model: its log-probability gain with the suggestion


def open_session(onnx_file: Path | str, threads: int = 1, optimized_model_filepath: str | None = None):
    """An onnxruntime CPU session for the model: ``threads`` intra-op threads (1: the calling
    thread computes, so its CPU time counts the model's), every graph rewrite but
    ``DISABLED_OPTIMIZERS``; ``optimized_model_filepath`` writes the graph as optimized (tests)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    if optimized_model_filepath:
        opts.optimized_model_filepath = str(optimized_model_filepath)
    return ort.InferenceSession(str(onnx_file), opts, providers=["CPUExecutionProvider"],
                                disabled_optimizers=list(DISABLED_OPTIMIZERS))


def model_path(name: str = MODEL_NAME) -> Path:
    return Path(os.environ.get("GOVSCAN_MODEL", models_dir() / name))


class Detector:
    """The shipped model, loaded once per process (``load_detector()``)."""

    def __init__(self, path: Path | str | None = None, threads: int | None = None):
        path = Path(path) if path else model_path()
        onnx_file = path / "model.onnx"
        if not onnx_file.is_file():
            raise ResourceMissingError(
                f"wording model {onnx_file} not found: it ships in models/{MODEL_NAME}/ of the project "
                "(run govscan from a checkout, retrain with `govscan model train` then `govscan model export`), "
                "or switch the check off with --no-model")
        self.path = path
        self.meta = _read_meta(path / "meta.json")
        try:
            self.vocab = CharVocab.load(path / "vocab.txt")
        except (ValueError, UnicodeDecodeError) as exc:
            raise _damaged(path / "vocab.txt", exc) from None
        try:
            self.max_len = int(self.meta.get("max_len", 64))
            self.overlap = int(self.meta.get("overlap", 16))
            self.threshold = float(self.meta["threshold"])
            self.batch_size = int(self.meta.get("batch_size", 64))
        except (KeyError, TypeError, ValueError) as exc:
            raise _damaged(path / "meta.json", exc) from None
        if not (path / "confusion.tsv").is_file():  # read at the first flag: say so now, not mid-review
            raise ResourceMissingError(f"wording model {path / 'confusion.tsv'} not found: it ships with the model "
                                       f"in models/{MODEL_NAME}/; restore the folder or switch the check off with --no-model")
        try:
            self.session = open_session(onnx_file, threads or int(os.environ.get("GOVSCAN_MODEL_THREADS", "1")))
        except Exception as exc:  # onnxruntime's own errors (InvalidProtobuf, Fail, ...) are not one class
            raise _damaged(onnx_file, exc) from None
        names = ({i.name for i in self.session.get_inputs()}, {o.name for o in self.session.get_outputs()})
        if not ({"input_ids", "attention_mask"} <= names[0] and "error_prob" in names[1]):
            raise _damaged(onnx_file, ValueError(f"inputs {sorted(names[0])}, outputs {sorted(names[1])}; "
                                                 "expected input_ids, attention_mask -> error_prob"))
        try:  # the vocabulary's last id must exist in the graph's embedding (a vocabulary of another model)
            import onnxruntime as ort

            quiet = ort.RunOptions()
            quiet.log_severity_level = 4  # the error comes back as the exception, not also as a log line
            self.session.run(["error_prob"], {"input_ids": np.array([[len(self.vocab) - 1, PAD_ID]], dtype=np.int64),
                                              "attention_mask": np.array([[1, 0]], dtype=np.int64)}, quiet)
        except Exception as exc:
            raise _damaged(path / "vocab.txt", ValueError(f"{len(self.vocab)} tokens: {onnx_file.name} rejects the last "
                                                          f"one's id, {type(exc).__name__}")) from None
        self._confusion: dict[str, str] | None = None
        self._charlm = None
        self._ids = _CharIds(self.vocab)

    # ------------------------------------------------------------ scores
    def _run(self, pieces: Sequence[str]) -> list[np.ndarray]:
        """Error probabilities of each piece (each at most max_len characters): identical
        pieces are scored once, the others in batches of similar length (``plan_batches``)."""
        unique: dict[str, int] = {}
        slot = [unique.setdefault(p, len(unique)) for p in pieces]
        texts = list(unique)
        ids = self._ids
        encoded = [np.fromiter(map(ids.__getitem__, t), dtype=np.int64, count=len(t)) for t in texts]
        probs_of: list[np.ndarray] = [np.zeros(0, dtype=np.float32)] * len(texts)
        for batch in plan_batches([len(t) for t in texts], self.batch_size):
            n = len(texts[batch[-1]])  # sorted by length: the last is the longest
            if n == 0:
                continue
            input_ids = np.full((len(batch), n), PAD_ID, dtype=np.int64)
            mask = np.zeros((len(batch), n), dtype=np.int64)
            for row, i in enumerate(batch):
                k = len(encoded[i])
                input_ids[row, :k] = encoded[i]
                mask[row, :k] = 1
            c0, w0 = time.thread_time(), time.perf_counter()
            probs = self.session.run(["error_prob"], {"input_ids": input_ids, "attention_mask": mask})[0]
            _clock.cpu = getattr(_clock, "cpu", 0.0) + time.thread_time() - c0
            _clock.wall = getattr(_clock, "wall", 0.0) + time.perf_counter() - w0
            for row, i in enumerate(batch):
                probs_of[i] = probs[row, : len(encoded[i])]
        return [probs_of[k] for k in slot]

    def _score_arrays(self, texts: Sequence[str]) -> list[np.ndarray]:
        pieces: list[str] = []
        plan: list[list[tuple[int, int]]] = []
        for text in texts:
            spans = even_windows(0, len(text), self.max_len, self.overlap) if text else []
            plan.append(spans)
            pieces.extend(text[s:e] for s, e in spans)
        scores = self._run(pieces)
        out, k = [], 0
        for text, spans in zip(texts, plan):
            out.append(merge_window_scores(len(text), spans, scores[k : k + len(spans)]))
            k += len(spans)
        return out

    def score_texts(self, texts: Sequence[str]) -> list[list[float]]:
        """Per-character error probability of each text (windowed when longer than max_len)."""
        return [a.tolist() for a in self._score_arrays(texts)]

    def sentence_scores(self, texts: Sequence[str]) -> list[float]:
        return [float(a.max()) if len(a) else 0.0 for a in self._score_arrays(texts)]

    # ------------------------------------------------------------ flags and corrections
    @property
    def confusion(self) -> dict[str, str]:
        if self._confusion is None:
            table: dict[str, str] = {}
            with open(self.path / "confusion.tsv", encoding="utf-8") as fh:
                for line in fh:
                    if line.startswith("#") or "\t" not in line:
                        continue
                    ch, cands = line.rstrip("\n").split("\t", 1)
                    table[ch] = cands
            self._confusion = table
        return self._confusion

    def _candidates(self, ch: str) -> str:
        """A character's correction candidates: its confusable characters, most frequent first."""
        return self.confusion.get(ch, "")[:MAX_CANDIDATES]

    def _candidate_scores(self, texts: Sequence[str], sites: Sequence[tuple[int, int, str]],
                          width: int) -> dict[tuple[int, int], dict[str, float]]:
        """Error probability of each candidate put in place of character i of text t, scored
        in a window of ``width`` characters around it."""
        width = min(width, self.max_len)
        variants: list[str] = []
        keys: list[tuple[int, int, str, int]] = []  # text index, char index, candidate, position in variant
        for t, i, cands in sites:
            text = texts[t]
            ws = max(0, min(i - width // 2, len(text) - width))
            we = min(len(text), ws + width)
            for c in cands:
                variants.append(text[ws:i] + c + text[i + 1 : we])
                keys.append((t, i, c, i - ws))
        out: dict[tuple[int, int], dict[str, float]] = {}
        for (t, i, c, pos), sc in zip(keys, self._run(variants) if variants else []):
            out.setdefault((t, i), {})[c] = float(sc[pos])
        return out

    def _known(self, text: str, positions: list[int]) -> list[int]:
        """``positions`` less the characters outside the vocabulary that are not Chinese characters
        (an emoji, ★, √): the model sees every unknown character as the same ``[UNK]`` token, so
        its score says only that the character is rare, and a sign is no 错别字 (put after a clause
        of a news sentence, an emoji was flagged in 13-14% of 600 sentences).  A Chinese character
        outside the vocabulary is still judged: in the test sets a rare one is often the typo
        (恛家 for 回家, 啧 in a legal text), though a rare character of a name (喆, 珺) can be
        flagged too."""
        ids = self._ids
        return [i for i in positions if ids[text[i]] != UNK_ID or CJK_RE.match(text[i])]

    def _drop_wordless(self, text: str, positions: list[int]) -> list[int]:
        """``positions`` less the one-character flags that the word filter drops whatever the
        model says of their candidates: inside an official place name, or inside a word where
        no candidate makes a word (``lexfilter.implausible``).  Their candidates are then never scored."""
        single = _single(positions)
        keep = []
        for i in positions:
            alone = i in single
            if alone and in_place_name(text, i, i + 1):
                continue  # an official place name as the table writes it
            if alone and in_word(text, i):
                cands = self._candidates(text[i])
                if not any(in_word(text[:i] + c + text[i + 1 :], i) for c in cands):
                    continue
            keep.append(i)
        return keep

    @property
    def domains(self) -> dict[str, Path]:
        """The domain word lists shipped with the model: domain name -> file."""
        return {k: self.path / v for k, v in (self.meta.get("domain_words") or {}).items()}

    def _band(self, texts: Sequence[str], all_scores: Sequence[np.ndarray], flagged: Sequence[list[int]],
              low: float, threshold: float) -> Iterator[tuple[int, int, str]]:
        """(text index, char index, confusable characters) of the characters scored at or above
        ``low`` but below the threshold, not flagged already, that have confusable characters:
        what the two rescues below look at."""
        for t, (text, sc) in enumerate(zip(texts, all_scores)):
            near = np.flatnonzero((sc >= low) & (sc < np.float64(threshold))).tolist()
            if not near:
                continue
            taken = set(flagged[t])
            for i in near:
                cands = self._candidates(text[i])
                if i not in taken and cands:
                    yield t, i, cands

    def _rescue(self, texts: Sequence[str], all_scores: Sequence[np.ndarray], flagged: Sequence[list[int]],
                threshold: float, domains: Sequence[str]) -> dict[tuple[int, int], tuple[str, float, str, None]]:
        """Characters below the threshold flagged by a word of the named domains (``RESCUE_LOW``):
        (text index, char index) -> (candidate, its error probability, the word it makes, None)."""
        if not domains:
            return {}
        known = self.domains
        unknown = [d for d in domains if d not in known or not known[d].is_file()]
        if unknown:
            raise ResourceMissingError(f"wording model {self.path}: no domain word list for "
                                       f"{', '.join(unknown)} (known: {', '.join(known) or 'none'})")
        paths = tuple(sorted(str(known[d]) for d in set(domains)))
        sites: list[tuple[int, int, str]] = []
        makes: dict[tuple[int, int, str], str] = {}
        lexicon = None
        for t, i, cands in self._band(texts, all_scores, flagged, RESCUE_LOW, threshold):
            text = texts[t]
            if in_place_name(text, i, i + 1):
                continue
            if lexicon is None:
                lexicon = domain_lexicon(paths)
            words, seg = lexicon
            if len(word_at(seg, text, i)) >= 2:
                continue  # it stands in a word already
            good = ""
            lo, hi = max(0, i - 7), min(len(text), i + 8)
            for c in cands:
                variant = text[:i] + c + text[i + 1:]
                # a set lookup first: some domain word over i in the variant (cutting is dear)
                if not any(variant[a:b] in words for a in range(lo, i + 1)
                           for b in range(max(a + 2, i + 1), min(hi, a + 8) + 1)):
                    continue
                w = word_at(seg, variant, i)
                if w in words:
                    good += c
                    makes[(t, i, c)] = w
            if good:
                sites.append((t, i, good))
        if not sites:
            return {}
        scored = self._candidate_scores(texts, sites, VARIANT_WINDOW)
        out = {}
        for t, i, cands in sites:
            probs = scored[(t, i)]
            c = min(cands, key=probs.__getitem__)
            if probs[c] <= RESCUE_MAX_VARIANT:
                out[(t, i)] = (c, probs[c], makes[(t, i, c)], None)
        return out

    @property
    def lm_default(self) -> bool:
        """Whether the language-model rescue runs when a caller does not say (meta.json)."""
        return bool((self.meta.get("charlm") or {}).get("default", False))

    @property
    def charlm(self):
        """The character n-gram table of the language-model rescue, loaded on first use."""
        if self._charlm is None:
            from .charlm import CharLM

            cfg = self.meta.get("charlm") or {}
            if not cfg.get("file"):
                raise ResourceMissingError(f"wording model {self.path}: no language-model table "
                                           "(\"charlm\" in meta.json); run without the language-model rescue")
            try:
                self._charlm = CharLM.load(self.path / cfg["file"])
            except ResourceMissingError:
                raise
            except Exception as exc:  # a damaged .npz: zipfile, numpy or JSON errors
                raise _damaged(self.path / cfg["file"], exc) from None
        return self._charlm

    def _lm_rescue(self, texts: Sequence[str], all_scores: Sequence[np.ndarray], flagged: Sequence[list[int]],
                   threshold: float) -> dict[tuple[int, int], tuple[str, float, None, float]]:
        """Characters below the threshold flagged by the n-gram model (``LM_LOW``):
        (text index, char index) -> (candidate, its error probability, None, the n-gram gain)."""
        pending: list[tuple[int, int]] = []
        sites: list[tuple[str, int, str]] = []
        for t, i, cands in self._band(texts, all_scores, flagged, LM_LOW, threshold):
            pending.append((t, i))
            sites.append((texts[t], i, cands))
        if not sites:
            return {}
        chosen: list[tuple[int, int, str]] = []
        gains: dict[tuple[int, int], float] = {}
        # the n-gram gains first (vectorized, cheap), the segmenter only where they are large
        for (t, i), (text, _i, cands), gain in zip(pending, sites, self.charlm.gains_many(sites)):
            k = int(np.argmax(gain))
            if (gain[k] >= LM_GAIN and not in_place_name(text, i, i + 1) and not in_word(text, i)
                    and in_word(text[:i] + cands[k] + text[i + 1:], i)):
                chosen.append((t, i, cands[k]))
                gains[(t, i)] = float(gain[k])
        if not chosen:
            return {}
        scored = self._candidate_scores(texts, chosen, VARIANT_WINDOW)
        out = {}
        for t, i, c in chosen:
            p = scored[(t, i)][c]
            if p <= LM_MAX_VARIANT:
                out[(t, i)] = (c, p, None, gains[(t, i)])
        return out

    def flag_texts(self, texts: Sequence[str], threshold: float | None = None, correct: bool = True,
                   domains: Sequence[str] = (), lm: bool | None = None) -> list[list[Flag]]:
        """Suspicious characters of each text (one sentence or a short text each).  With the
        model's ``word_filter`` (meta.json), one-character flags inside a dictionary word whose
        correction makes no word are dropped (``lexfilter``); that needs the candidates, so they
        are computed and, when ``correct`` is false, not returned."""
        threshold = self.threshold if threshold is None else threshold
        word_filter = bool(self.meta.get("word_filter", False))
        want_suggestions, correct = correct, correct or word_filter
        all_scores = self._score_arrays(texts)
        flagged: list[list[int]] = [self._known(text, np.flatnonzero(sc >= np.float64(threshold)).tolist())
                                    for text, sc in zip(texts, all_scores)]
        if word_filter and PREFILTER:
            flagged = [self._drop_wordless(text, positions) for text, positions in zip(texts, flagged)]
        rescued = self._rescue(texts, all_scores, flagged, threshold, domains)
        for (t, i) in rescued:
            flagged[t] = sorted(flagged[t] + [i])
        if self.lm_default if lm is None else lm:
            by_lm = self._lm_rescue(texts, all_scores, flagged, threshold)
            for (t, i) in by_lm:
                flagged[t] = sorted(flagged[t] + [i])
            rescued = {**rescued, **by_lm}
        best: dict[tuple[int, int], tuple[str, float]] = {}
        if correct:
            sites: list[tuple[int, int, str]] = []  # text index, char index, candidates
            for t, (text, positions) in enumerate(zip(texts, flagged)):
                if not want_suggestions:  # candidates only where the word filter needs them
                    single = _single(positions)
                    positions = [i for i in positions if i in single and in_word(text, i)]
                for i in positions:
                    if (t, i) in rescued:
                        continue  # its candidate is known
                    cands = self._candidates(text[i])
                    if cands:
                        sites.append((t, i, cands))
            if SHORTLIST and SHORTLIST_WINDOW < VARIANT_WINDOW:  # stage 1: every candidate, short window
                scored = self._candidate_scores(texts, [s for s in sites if len(s[2]) > SHORTLIST], SHORTLIST_WINDOW)
                sites = [(t, i, "".join(sorted(cands, key=scored[(t, i)].__getitem__)[:SHORTLIST])
                          if len(cands) > SHORTLIST else cands) for t, i, cands in sites]
            scored = self._candidate_scores(texts, sites, VARIANT_WINDOW)
            for t, i, cands in sites:
                probs = scored[(t, i)]
                c = min(cands, key=probs.__getitem__)  # the first of equals, in the confusion set's order
                best[(t, i)] = (c, probs[c])
        for key, (c, p, _word, _gain) in rescued.items():
            best[key] = (c, p)
        out: list[list[Flag]] = []
        for t, (text, positions) in enumerate(zip(texts, flagged)):
            flags: list[Flag] = []
            run: list[int] = []
            for i in positions + [None]:  # type: ignore[list-item]
                if run and (i is None or i != run[-1] + 1):
                    s, e = run[0], run[-1] + 1
                    sugg = []
                    worst = 0.0
                    for j in run:
                        c, p = best.get((t, j), (None, 1.0))
                        if c is None or p >= threshold:
                            sugg = None
                            break
                        sugg.append(c)
                        worst = max(worst, p)
                    why = [rescued[(t, j)] for j in run if (t, j) in rescued]
                    words = [r[2] for r in why if r[2]]
                    lm_gains = [r[3] for r in why if r[3] is not None]
                    flags.append(Flag(s, e, float(all_scores[t][s:e].max()), "".join(sugg) if sugg else None,
                                      worst if sugg else None, words[0] if words else None,
                                      max(lm_gains) if lm_gains else None))
                    run = []
                if i is not None:
                    run.append(i)
            if word_filter:
                flags = [f for f in flags if f.word or f.gain is not None
                         or not implausible(text, f.start, f.end, f.suggestion)]
            if not want_suggestions:
                flags = [dataclasses.replace(f, suggestion=None, suggestion_score=None) for f in flags]
            out.append(flags)
        return out

    def flag_document(self, text: str, threshold: float | None = None, correct: bool = True,
                      domains: Sequence[str] = (), lm: bool | None = None) -> list[Flag]:
        """Flags over a whole document: its sentences (table cells, pieces with a CJK
        character: ``model_spans``) batched together, offsets into ``text``."""
        spans = list(model_spans(text))
        flags = self.flag_texts([text[s:e] for s, e in spans], threshold, correct, domains, lm)
        return [dataclasses.replace(f, start=f.start + s, end=f.end + s) for (s, _), fs in zip(spans, flags) for f in fs]


def _damaged(file: Path, exc: BaseException) -> ResourceMissingError:
    """The one-line error for a model file that is there but cannot be used."""
    reason = " ".join(str(exc).split()) or type(exc).__name__
    if len(reason) > 160:
        reason = reason[:157] + "..."
    return ResourceMissingError(f"wording model {file} cannot be loaded ({reason}): the file is damaged or not this "
                                f"model's; restore models/{MODEL_NAME}/ from the project, or switch the check off with --no-model")


def _read_meta(file: Path) -> dict:
    if not file.is_file():
        raise ResourceMissingError(f"wording model {file} not found: it ships with the model in models/{MODEL_NAME}/; "
                                   "restore the folder or switch the check off with --no-model")
    try:
        meta = json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _damaged(file, exc) from None
    if not isinstance(meta, dict):
        raise _damaged(file, ValueError("not a JSON object"))
    return meta


def _single(positions: Sequence[int]) -> set[int]:
    """The flagged positions with no flagged neighbour: one-character flags (the word filter's)."""
    flagged = set(positions)
    return {i for i in positions if i - 1 not in flagged and i + 1 not in flagged}


@functools.lru_cache(maxsize=4)
def load_detector(path: str | None = None) -> Detector:
    """The detector, loaded lazily once per process."""
    return Detector(path)
