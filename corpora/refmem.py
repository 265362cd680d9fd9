"""Reference memory (an experiment, **not adopted**, 2026-11-27): every stretch of ``K``
characters of the government text the wording model trains on (laws and regulations, work
reports, party congress reports, policy documents), kept as a Bloom filter, as a third rescue
of the wording model beside the domain words and the n-gram model.

The idea: a draft that quotes a statute or a report with one wrong character differs from its
source in that character alone: no ``K``-character stretch over it is in the memory, while
with a confusable character in its place the stretches over it are (the check editors do by
hand against the 原文).  ``RefMemory.suggest`` finds such characters; ``corpora/refmem_grid.py``
measures the rescue on the development sets.  It was not adopted: the best settings moved
law-dev F1 0.491 -> 0.524-0.543 for 3 to 10 more false alarms on the 5,436 gov-dev sentences
(the n-gram rescue: 0.586 for one more), med-dev and both -dev-unseen sets not at all
(models/README.md, "Reference memory").

The filter holds hashes, not text: ``K``-grams are hashed polynomially on their code points
(mod 2**64), and each hash sets ``k`` bits (double hashing of two splitmix64 mixes).  A lookup
can answer yes for a stretch that was never stored (``fp_rate``); the rule needs ``need``
stretches over a character to answer yes.  Building is deterministic.
"""
from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

BASE = np.uint64(1_000_003)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_SALT = np.uint64(0x9E3779B97F4A7C15)


def _mix(z: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, elementwise on uint64 (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * _M1
        z = (z ^ (z >> np.uint64(27))) * _M2
        return z ^ (z >> np.uint64(31))


def codes_of(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def gram_hashes(codes: np.ndarray, k: int) -> np.ndarray:
    """Polynomial hashes of every ``k``-gram of ``codes`` (position p: codes[p:p+k])."""
    n = len(codes) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * BASE + codes[j : j + n]
    return h


class RefMemory:
    def __init__(self, bits: np.ndarray, n_bits: int, n_hashes: int, k: int, info: dict | None = None):
        self.bits = bits  # uint8, little bit order
        self.n_bits = int(n_bits)
        self.n_hashes = int(n_hashes)
        self.k = int(k)
        self.info = info or {}
        with np.errstate(over="ignore"):
            self._pow = np.array([BASE ** np.uint64(e) for e in range(self.k)], dtype=np.uint64)

    # ------------------------------------------------------------ filter
    def _positions(self, hashes: np.ndarray) -> np.ndarray:
        """Bit positions (len(hashes) x n_hashes) of ``hashes``."""
        h1 = _mix(hashes)
        h2 = _mix(hashes ^ _SALT) | np.uint64(1)
        j = np.arange(self.n_hashes, dtype=np.uint64)
        with np.errstate(over="ignore"):
            return (h1[:, None] + j[None, :] * h2[:, None]) % np.uint64(self.n_bits)

    def contains(self, hashes: np.ndarray) -> np.ndarray:
        """Whether each hash is (probably) in the memory."""
        if len(hashes) == 0:
            return np.zeros(0, dtype=bool)
        pos = self._positions(hashes)
        byte = (pos >> np.uint64(3)).astype(np.int64)
        bit = (pos & np.uint64(7)).astype(np.uint8)
        return ((self.bits[byte] >> bit) & 1).astype(bool).all(axis=1)

    def covered(self, text: str) -> np.ndarray:
        """Per character of ``text``: how many of the ``K``-grams over it are in the memory."""
        hit = self.contains(gram_hashes(codes_of(text), self.k)).astype(np.int32)
        out = np.zeros(len(text), dtype=np.int32)
        if len(hit):
            # character i is in the grams starting at i-K+1 .. i
            c = np.concatenate([[0], np.cumsum(hit)])
            idx = np.arange(len(text))
            lo = np.clip(idx - self.k + 1, 0, len(hit))
            hi = np.clip(idx + 1, 0, len(hit))
            out = (c[hi] - c[lo]).astype(np.int32)
        return out

    # ------------------------------------------------------------ the rule
    def suggest(self, text: str, positions: Iterable[int], candidates, need: int | None = None) -> dict[int, str]:
        """Characters of ``text`` (among ``positions``) that no memory stretch covers while a
        confusable character (``candidates(ch)``: a string) in their place makes at least
        ``need`` (default: all ``K``) of the stretches over them memory stretches: position ->
        that character (the first such in the candidates' order).  A character with fewer than
        ``need`` stretches over it (near an end of the text) is not judged."""
        k = self.k
        need = k if need is None else need
        n = len(text)
        if n < k:
            return {}
        codes = codes_of(text)
        base = gram_hashes(codes, k)
        hit = self.contains(base)
        out: dict[int, str] = {}
        for i in positions:
            lo, hi = max(0, i - k + 1), min(len(base) - 1, i)  # grams over i: starts lo..hi
            if hi - lo + 1 < need or hit[lo : hi + 1].any():
                continue  # too near an end, or some stretch over it is known as it stands
            cands = candidates(text[i])
            if not cands:
                continue
            cc = codes_of(cands).astype(np.int64)
            delta = (cc - int(codes[i])).astype(np.uint64)  # wraps for negative differences
            starts = np.arange(lo, hi + 1)
            with np.errstate(over="ignore"):
                h = base[starts][None, :] + delta[:, None] * self._pow[(k - 1 - (i - starts))][None, :]
            ok = self.contains(h.ravel()).reshape(h.shape).sum(axis=1) >= need
            if ok.any():
                out[i] = cands[int(np.argmax(ok))]
        return out

    # ------------------------------------------------------------ files
    def save(self, path: Path | str) -> None:
        path = Path(path)
        np.savez_compressed(path, bits=self.bits, meta=np.frombuffer(json.dumps(
            {"n_bits": self.n_bits, "n_hashes": self.n_hashes, "k": self.k, "info": self.info},
            ensure_ascii=False).encode("utf-8"), dtype=np.uint8))

    @classmethod
    def load(cls, path: Path | str) -> "RefMemory":
        with np.load(path) as z:
            meta = json.loads(bytes(z["meta"]).decode("utf-8"))
            bits = z["bits"]
        return cls(bits, meta["n_bits"], meta["n_hashes"], meta["k"], meta.get("info"))


def build(texts: Iterable[str], k: int, fp_rate: float = 0.01, info: dict | None = None) -> RefMemory:
    """A memory of every ``k``-gram of ``texts`` (each text on its own: no gram spans two),
    sized for ``fp_rate`` at the number of distinct grams."""
    parts: list[np.ndarray] = []
    chars = 0
    for t in texts:
        if len(t) >= k:
            parts.append(gram_hashes(codes_of(t), k))
            chars += len(t)
    hashes = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.uint64)
    n = max(1, len(hashes))
    n_bits = int(math.ceil(-n * math.log(fp_rate) / math.log(2) ** 2 / 8)) * 8
    n_hashes = max(1, round(n_bits / n * math.log(2)))
    mem = RefMemory(np.zeros(n_bits // 8, dtype=np.uint8), n_bits, n_hashes, k)
    for s in range(0, len(hashes), 1 << 20):
        pos = mem._positions(hashes[s : s + (1 << 20)]).ravel()
        np.bitwise_or.at(mem.bits, (pos >> np.uint64(3)).astype(np.int64),
                         (np.uint8(1) << (pos & np.uint64(7)).astype(np.uint8)))
    mem.info = {**(info or {}), "characters": chars, "grams": int(len(hashes)), "fp_rate": fp_rate}
    return mem


def candidates_from(table: dict[str, str], limit: int | None = None):
    """A ``candidates(ch)`` function over a confusion table (character -> candidates string)."""
    def candidates(ch: str) -> str:
        return table.get(ch, "")[:limit] if limit else table.get(ch, "")
    return candidates


def positions_all(text: str) -> Sequence[int]:
    return range(len(text))
