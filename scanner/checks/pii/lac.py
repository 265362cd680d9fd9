"""Baidu LAC's lexical analysis in numpy: per-character word and entity tags.

LAC (https://github.com/baidu/lac, Apache-2.0, © Baidu; model of the PyPI package
LAC 2.1.2, imported by ``corpora.pii.import_lac`` into ``models/pii-names-crf/lac/``) is a
BiGRU-CRF trained by Baidu on a large news and web corpus.  It segments a sentence and
tags each word with a part of speech or an entity type: ``PER`` (a person), ``LOC``,
``ORG``, ``TIME``.  The name CRF (``names_crf``) reads its entity tags as features.

The network, as LAC's ``nets.lex_net`` defines it: a dictionary segmentation
(``small_seg.dic``) decides which words are single tokens (those in ``word.dic``; the
others are split into characters, after the full-width to half-width map ``q2b.dic``),
a 128-dimensional embedding, two bidirectional GRU layers of 128 units (PaddlePaddle's
``dynamic_gru``: update, reset and candidate gates in that order, the reset applied
before the recurrent product, h = (1 - u) h' + u c), a linear layer to 49 tags and a
linear-chain CRF decoded by Viterbi; a token's tag then covers each of its characters
(B on the first, I on the others).  Sentences of one call run as one padded batch
(sorted by length), so a document's lines cost one pass per layer.  The model loads
lazily, once per process (0.3 s); a missing file raises ResourceMissingError.
"""
from __future__ import annotations

import functools
import math
import re

import numpy as np

from ...errors import ResourceMissingError
from ...resources import models_dir

LAC_DIR = "pii-names-crf/lac"
WEIGHTS = "lac.npz"
DICTS = ("word.dic", "tag.dic", "q2b.dic", "small_seg.dic")
_HIDDEN = 128
# a text is tagged in pieces of at most this many characters, cut after the last
# sentence or clause mark before the limit (LAC was trained on sentences; a paragraph of a
# million characters would otherwise be one sequence of a million steps in memory at once)
MAX_PIECE = 256
_CUT_AFTER = "。！？；!?;，,、\n"
_ASCII_ALNUM = re.compile(r"[a-zA-Z0-9]")


def _read_kv(path) -> list[tuple[str, str]]:
    out = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        parts = line.split("\t")
        if len(parts) == 2:
            out.append((parts[0], parts[1]))
    return out


class Lac:
    def __init__(self, folder):
        missing = [n for n in (WEIGHTS, *DICTS) if not (folder / n).is_file()]
        if missing:
            raise ResourceMissingError(
                f"LAC model file(s) {', '.join(missing)} not found in {folder}: import them with "
                "`python -m corpora.pii.import_lac LAC-2.1.2.tar.gz` or set GOVSCAN_MODELS")
        with np.load(folder / WEIGHTS) as z:
            w = {k: z[k] for k in z.files}
        self.emb = w["word_emb"].astype(np.float32)
        h = _HIDDEN
        self.fc = [(w[f"fc_{i}_w_0"], w[f"fc_{i}_b_0"]) for i in range(5)]
        # each layer's forward and backward input projections side by side
        self.fc_pairs = [(np.concatenate([self.fc[2 * k][0], self.fc[2 * k + 1][0]], axis=1),
                          np.concatenate([self.fc[2 * k][1], self.fc[2 * k + 1][1]])) for k in range(2)]
        self.gru = []
        for i in range(4):
            flat = w[f"gru_{i}_w_0"].reshape(-1)
            # PaddlePaddle keeps the gate weights [H, 2H] and the candidate's [H, H] one after the other
            self.gru.append((flat[:h * 2 * h].reshape(h, 2 * h), flat[h * 2 * h:].reshape(h, h),
                             w[f"gru_{i}_b_0"].reshape(-1)))
        crf = w["crfw"]
        self.start, self.end, self.trans = crf[0], crf[1], crf[2:]
        self.word2id = {word: int(i) for i, word in _read_kv(folder / "word.dic")}
        self.oov = self.word2id["OOV"]
        # tag.dic lists nr/ns/nt under the ids of PER/LOC/ORG; the later line names the id
        self.id2tag = {int(i): tag for i, tag in _read_kv(folder / "tag.dic")}
        self.q2b = dict(_read_kv(folder / "q2b.dic"))
        # LAC's segment.TriedTree: a word -> its length, each proper prefix -> None
        tree: dict[str, int | None] = {}
        total = 0
        for line in (folder / "small_seg.dic").read_text(encoding="utf-8").split("\n"):
            parts = line.split(" ")
            if len(parts) != 2:
                continue
            word = parts[0]
            tree[word] = len(word)
            for k in range(1, len(word)):
                tree.setdefault(word[:k], None)
            total += int(parts[1])
        self.tree = tree
        self.logtotal = math.log(total)

    def segment(self, text: str) -> list[str]:
        """LAC's ``Segment.fast_cut``: the most probable path through the dictionary's
        words (scored as LAC scores it, by the log of the word's length), runs of single
        ASCII letters and digits joined."""
        n, tree = len(text), self.tree
        dag = []
        for i in range(n):
            ends = [i]
            j = i + 1
            while j <= n and text[i:j] in tree:
                if tree[text[i:j]]:
                    ends.append(j - 1)
                j += 1
            dag.append(ends)
        route: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
        for i in range(n - 1, -1, -1):
            route[i] = max((math.log(tree.get(text[i:e + 1]) or 1) - self.logtotal + route[e + 1][0], e)
                           for e in dag[i])
        out, buf, i = [], "", 0
        while i < n:
            e = route[i][1] + 1
            word = text[i:e]
            if len(word) == 1 and _ASCII_ALNUM.match(word):
                buf += word
            else:
                if buf:
                    out.append(buf)
                    buf = ""
                out.append(word)
            i = e
        if buf:
            out.append(buf)
        return out

    def _ids(self, text: str) -> tuple[list[int], list[int]]:
        ids, lengths = [], []
        for word in self.segment(text):
            if word in self.word2id:
                ids.append(self.word2id.get(self.q2b.get(word, word), self.oov))
                lengths.append(len(word))
            else:
                for ch in word:
                    ids.append(self.word2id.get(self.q2b.get(ch, ch), self.oov))
                    lengths.append(1)
        return ids, lengths

    def _gru(self, x: np.ndarray, layer: int) -> np.ndarray:
        wg, wc, b = self.gru[layer]
        h = _HIDDEN
        x = x + b
        state = np.zeros((x.shape[0], h), np.float32)
        out = np.empty((x.shape[0], x.shape[1], h), np.float32)
        for t in range(x.shape[1]):
            xt = x[:, t]
            g = state @ wg
            u = 1.0 / (1.0 + np.exp(-(xt[:, :h] + g[:, :h])))
            r = 1.0 / (1.0 + np.exp(-(xt[:, h:2 * h] + g[:, h:])))
            c = np.tanh(xt[:, 2 * h:] + (r * state) @ wc)
            state = (1.0 - u) * state + u * c
            out[:, t] = state
        return out

    @staticmethod
    def _reverse(a: np.ndarray, lengths: list[int]) -> np.ndarray:
        out = np.zeros_like(a)
        for i, n in enumerate(lengths):
            out[i, :n] = a[i, :n][::-1]
        return out

    def _emissions(self, seqs: list[list[int]]) -> np.ndarray:
        """Emission scores, padded: (batch, longest, tags)."""
        lengths = [len(s) for s in seqs]
        idx = np.zeros((len(seqs), max(lengths)), np.int64)
        for i, s in enumerate(seqs):
            idx[i, :len(s)] = s
        x = self.emb[idx]
        h3 = 3 * _HIDDEN
        for layer in range(2):
            w, b = self.fc_pairs[layer]
            both = x @ w + b  # the two directions' input projections in one product
            forward = self._gru(both[:, :, :h3], 2 * layer)
            backward = self._reverse(self._gru(self._reverse(both[:, :, h3:], lengths), 2 * layer + 1), lengths)
            x = np.concatenate([forward, backward], axis=2)
        w, b = self.fc[4]
        return x @ w + b

    def _viterbi(self, em: np.ndarray, lengths: list[int]) -> list[list[int]]:
        """The best tag path of each sequence of the batch (``em``: padded emissions)."""
        batch, steps, _ = em.shape
        lengths_a = np.asarray(lengths)
        score = self.start + em[:, 0]
        back = np.zeros((steps, batch, em.shape[2]), np.int64)
        rows = np.arange(batch)[:, None]
        for t in range(1, steps):
            m = score[:, :, None] + self.trans
            best = m.argmax(1)
            new = m[rows, best, np.arange(em.shape[2])[None, :]] + em[:, t]
            live = (t < lengths_a)[:, None]
            back[t] = best
            score = np.where(live, new, score)  # a finished sequence keeps its last scores
        out = []
        for i, n in enumerate(lengths):
            path = [int((score[i] + self.end).argmax())]
            for t in range(n - 1, 0, -1):
                path.append(int(back[t, i, path[-1]]))
            out.append(path[::-1])
        return out

    def tag(self, texts: list[str], batch: int = 64) -> list[list[str]]:
        """For each text, one tag per character: LAC's word tag with -B on a word's first
        character and -I on the others (``PER-B``, ``PER-I``, ``n-B`` …).  A text longer
        than ``MAX_PIECE`` is tagged in pieces (``pieces``).  Pieces run in batches of
        similar length (sorted; a batch ends at ``batch`` pieces or where the next is half
        again as long as its first), so padding costs little and memory stays bounded."""
        pieces, owner = [], []
        for i, text in enumerate(texts):
            for piece in split_pieces(text):
                pieces.append(piece)
                owner.append(i)
        out: list[list[str]] = [[] for _ in texts]
        for i, tags in zip(owner, self._tag_pieces(pieces, batch)):
            out[i].extend(tags)
        return out

    def _tag_pieces(self, texts: list[str], batch: int) -> list[list[str]]:
        out: list[list[str]] = [[] for _ in texts]
        encoded = {i: self._ids(t) for i, t in enumerate(texts) if t}
        order = sorted(encoded, key=lambda i: len(encoded[i][0]))
        k = 0
        while k < len(order):
            first = len(encoded[order[k]][0])
            j = k + 1
            while j < len(order) and j - k < batch and len(encoded[order[j]][0]) <= max(first * 1.5, first + 8):
                j += 1
            chunk = order[k:j]
            k = j
            seqs = [encoded[i][0] for i in chunk]
            paths = self._viterbi(self._emissions(seqs), [len(s) for s in seqs])
            for i, path in zip(chunk, paths):
                tags = []
                for tag_id, n in zip(path, encoded[i][1]):
                    tag = self.id2tag[tag_id]
                    tags.append(tag)
                    tags.extend([tag[:-2] + "-I"] * (n - 1))
                out[i] = tags
        return out


def split_pieces(text: str, limit: int = MAX_PIECE) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` characters, each ending after the last
    sentence or clause mark it can hold (a hard cut where there is none)."""
    # (cut by position: the rest was copied after each piece, quadratic in the text's length,
    # 2 million characters 2.3 s, the 20 million of the size cap minutes)
    out = []
    pos, n = 0, len(text)
    while n - pos > limit:
        stop = pos + limit
        cut = max(text.rfind(ch, pos, stop) for ch in _CUT_AFTER) + 1
        if cut <= pos:
            cut = stop
        out.append(text[pos:cut])
        pos = cut
    if pos < n:
        out.append(text[pos:])
    return out


@functools.lru_cache(maxsize=1)
def get_lac() -> Lac:
    return Lac(models_dir() / LAC_DIR)


def lac_tags(texts: list[str]) -> list[list[str]]:
    """LAC's per-character tags of each text (see ``Lac.tag``)."""
    return get_lac().tag(texts)
