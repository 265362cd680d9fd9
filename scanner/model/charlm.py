"""A character n-gram language model (stupid backoff over hashed, pruned counts).

It judges a confusable character put in place of a character that the wording model finds
only somewhat odd: the gain is the difference of the sentence's log-probability with the
candidate and with the character as written, summed over the characters whose probability
the change touches (the character itself and the ``order - 1`` after it).  The counts come
from the government text the wording model trains on (without the held-out sentences) and
the correct side of the ECSpell law/medicine training pairs (without the development pairs):
``corpora/build_charlm.py``.

Storage: each n-gram (order 1 to ``order``, a sentence padded with BOS and EOS) is hashed to
32 bits (``ngram_key``); the table is the sorted keys of the n-grams kept and their counts
(``quantize_counts``), in a compressed ``.npz``.  An n-gram that is not kept counts 0; two
n-grams sharing a key are counted together (a few in millions: the keys of ~1M n-grams in a
space of 4 billion).  Pure numpy, loaded lazily.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

BOS, EOS = 1, 2  # code points 0x01 / 0x02 (never in normalized text): sentence start and end
MULT = 0x9E3779B97F4A7C15  # the chain multiplier (64-bit, odd)
MASK64 = (1 << 64) - 1
BACKOFF = 0.4  # stupid backoff's factor per order left out
UNSEEN = 1e-7  # probability of a character the unigram table does not know



def _fmix(h: int) -> int:
    """murmur3's 64-bit finalizer (Python ints)."""
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & MASK64
    h ^= h >> 33
    h = (h * 0xC4CEB93FE1A85EC5) & MASK64
    h ^= h >> 33
    return h


def ngram_key(codes: Sequence[int]) -> int:
    """The 32-bit key of an n-gram given as code points (``ord``; BOS/EOS as 1/2)."""
    h = 0
    for c in codes:
        h = (h * MULT + c + 2) & MASK64
    return _fmix(h) >> 32


def _fmix_np(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB93FE1A85EC5)
    h = h ^ (h >> np.uint64(33))
    return h


def encode(sentences: Iterable[str]) -> np.ndarray:
    """Code points of the sentences, each as BOS + characters + EOS, one array."""
    parts = []
    for s in sentences:
        parts.append(chr(BOS) + s + chr(EOS))
    text = "".join(parts)
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def count_ngrams(codes: np.ndarray, order: int) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """n -> (sorted unique 32-bit keys, counts) for n = 1..order over ``encode``'s array; an
    n-gram does not cross a sentence end (no BOS after its first character)."""
    with np.errstate(over="ignore"):
        is_bos = (codes == np.uint64(BOS)).astype(np.int32)
        cum = np.cumsum(is_bos)
        out = {}
        h = np.zeros(len(codes), dtype=np.uint64)
        for n in range(1, order + 1):
            # h[t] = chain of codes[t-n+1 .. t]
            prev = np.zeros(len(codes), dtype=np.uint64)
            prev[1:] = h[:-1]
            h = prev * np.uint64(MULT) + codes + np.uint64(2)
            t = np.arange(n - 1, len(codes))
            # BOS count over positions t-n+2 .. t must be 0
            bos_inside = cum[t] - cum[t - n + 1]
            valid = t[bos_inside == 0]
            keys = (_fmix_np(h[valid]) >> np.uint64(32)).astype(np.uint32)
            uk, cnt = np.unique(keys, return_counts=True)
            out[n] = (uk, cnt)
    return out


def prune(counts: dict[int, tuple[np.ndarray, np.ndarray]], min_count: dict[int, int]) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    out = {}
    for n, (k, c) in counts.items():
        keep = c >= min_count.get(n, 1)
        out[n] = (k[keep], c[keep])
    return out


def quantize_counts(c: np.ndarray) -> np.ndarray:
    """Counts as uint8: below 128 exact, above on a log scale (16 steps per doubling, 3% apart)."""
    c = np.asarray(c, dtype=np.float64)
    q = np.where(c < 128, c, 128 + np.round(16 * np.log2(np.maximum(c, 128) / 128)))
    return np.minimum(q, 255).astype(np.uint8)


def dequantize_counts(q: np.ndarray) -> np.ndarray:
    table = np.array([float(x) if x < 128 else 128 * 2 ** ((x - 128) / 16) for x in range(256)])
    return table[np.asarray(q, dtype=np.intp)]


def save(path: Path | str, counts: dict[int, tuple[np.ndarray, np.ndarray]], info: dict) -> None:
    """Keys as differences of the sorted keys (they compress), counts ``quantize_counts``."""
    import json

    arrays = {}
    for n, (k, c) in counts.items():
        k = np.asarray(k, dtype=np.uint32)
        arrays[f"keydiff{n}"] = np.diff(k, prepend=np.uint32(0)).astype(np.uint32)
        arrays[f"counts{n}"] = quantize_counts(c)
    arrays["info"] = np.frombuffer(json.dumps(info, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    np.savez_compressed(path, **arrays)


class CharLM:
    """Stupid-backoff character n-gram model over ``count_ngrams``' tables."""

    def __init__(self, counts: dict[int, tuple[np.ndarray, np.ndarray]], total: int | None = None):
        self.order = max(counts)
        self.keys = {n: np.asarray(k, dtype=np.uint32) for n, (k, _c) in counts.items()}
        self.counts = {n: np.asarray(c, dtype=np.float64) for n, (_k, c) in counts.items()}
        self.total = float(total if total is not None else self.counts[1].sum())
        self._log_backoff = math.log(BACKOFF)
        self._buckets: dict[int, tuple[np.ndarray, int, int]] = {}

    @classmethod
    def load(cls, path: Path | str) -> CharLM:
        import json

        from ..errors import ResourceMissingError

        path = Path(path)
        if not path.is_file():
            raise ResourceMissingError(
                f"character language model {path} not found: build it with "
                "`python corpora/build_charlm.py --out {path}` (needs ../shared/data), "
                "or switch the language-model rescue off (\"charlm\" in meta.json)")
        z = np.load(path)
        counts = {}
        n = 1
        while f"keydiff{n}" in z:
            counts[n] = (np.cumsum(z[f"keydiff{n}"], dtype=np.uint32), dequantize_counts(z[f"counts{n}"]))
            n += 1
        info = json.loads(bytes(z["info"]).decode("utf-8")) if "info" in z else {}
        lm = cls(counts, info.get("total"))
        lm.info = info
        return lm

    def _index(self, n: int) -> tuple[np.ndarray, int, int]:
        """A bucket index over order n's sorted keys: bucket b = key >> shift (about one key a
        bucket) holds keys[start[b]:start[b + 1]]; (start, shift, longest bucket)."""
        idx = self._buckets.get(n)
        if idx is None:
            table = self.keys[n]
            bits = max(1, min(24, int(len(table)).bit_length()))
            shift = 32 - bits
            start = np.searchsorted(table, (np.arange((1 << bits) + 1, dtype=np.uint64) << np.uint64(shift)))
            idx = self._buckets[n] = (start.astype(np.int64), shift, int(np.diff(start).max(initial=0)))
        return idx

    def _lookup(self, n: int, keys: np.ndarray) -> np.ndarray:
        """Counts of order-n keys (0 where not kept)."""
        table = self.keys[n]
        out = np.zeros(len(keys))
        if not len(table):
            return out
        start, shift, longest = self._index(n)
        b = (keys >> np.uint32(shift)).astype(np.int64)
        pos = start[b]
        end = start[b + 1]
        live = np.flatnonzero(pos < end)
        pos = pos[live]
        end = end[live]
        q = keys[live]
        for _ in range(longest):
            found = table[pos] == q
            if found.any():
                out[live[found]] = self.counts[n][pos[found]]
            pos = pos + 1
            more = (~found) & (pos < end) & (table[np.minimum(pos - 1, len(table) - 1)] < q)
            if not more.any():
                break
            live, pos, end, q = live[more], pos[more], end[more], q[more]
        return out

    def logprobs(self, items: Sequence[tuple[Sequence[int], int]]) -> np.ndarray:
        """Natural log of the stupid-backoff score of each (context codes, code) item: the
        longest context (at most order - 1 codes, the nearest last) whose n-gram was seen."""
        order = self.order
        m = len(items)
        if not m:
            return np.zeros(0)
        # keys of every suffix length k = 0..order-1 of the context, with and without the code
        full = np.zeros((order, m), dtype=np.uint32)  # k: context length
        ctx = np.zeros((order, m), dtype=np.uint32)
        avail = np.zeros((order, m), dtype=bool)
        for j, (context, code) in enumerate(items):
            context = list(context)[-(order - 1):] if order > 1 else []
            for k in range(0, len(context) + 1):
                c = context[len(context) - k:]
                full[k, j] = ngram_key(c + [code])
                if k:
                    ctx[k, j] = ngram_key(c)
                avail[k, j] = True
        score = np.full(m, np.nan)
        penalty = np.zeros(m)
        done = np.zeros(m, dtype=bool)
        for k in range(order - 1, 0, -1):
            num = self._lookup(k + 1, full[k])
            den = self._lookup(k, ctx[k])
            ok = avail[k] & ~done & (num > 0) & (den > 0)
            score[ok] = np.log(num[ok] / np.maximum(den[ok], num[ok])) + penalty[ok]
            done |= ok
            penalty[avail[k] & ~done] += self._log_backoff
        uni = self._lookup(1, full[0])
        rest = ~done
        score[rest] = np.log(np.maximum(uni[rest], UNSEEN * self.total) / self.total) + penalty[rest]
        return score

    def gains(self, text: str, sites: Sequence[tuple[int, str]]) -> list[np.ndarray]:
        """For each (i, candidates): log P(text with candidate c at i) - log P(text), summed
        over the characters the change touches (i .. i + order - 1, and EOS when near the
        end), one value per candidate."""
        codes = [BOS] + [ord(ch) for ch in text] + [EOS]
        order = self.order
        items: list[tuple[list[int], int]] = []
        spans = []
        for i, cands in sites:
            p = i + 1  # position in codes
            hi = min(len(codes), p + order)
            start = len(items)
            for variant in [None, *cands]:
                seq = codes if variant is None else codes[:p] + [ord(variant)] + codes[p + 1:]
                for q in range(p, hi):
                    items.append((seq[max(0, q - order + 1):q], seq[q]))
            spans.append((start, hi - p, len(cands)))
        lp = self.logprobs(items)
        out = []
        for start, width, n in spans:
            block = lp[start:start + width * (n + 1)].reshape(n + 1, width).sum(axis=1)
            out.append(block[1:] - block[0])
        return out

    def gains_many(self, sites: Sequence[tuple[str, int, str]]) -> list[np.ndarray]:
        """``gains`` for many (text, i, candidates) at once, vectorized: each variant is a row
        of the 2 x order - 1 codes around i (padded with 0 past the sentence's BOS and EOS,
        where no n-gram is looked up)."""
        order = self.order
        w = 2 * order - 1
        bases: list[list[int]] = []
        pads: list[tuple[int, int]] = []
        centre: list[int] = []
        shape: list[int] = []
        for text, i, cands in sites:
            codes = [BOS] + [ord(ch) for ch in text] + [EOS]
            p = i + 1
            left = codes[max(0, p - order + 1):p]
            right = codes[p + 1:p + order]
            lpad, rpad = order - 1 - len(left), order - 1 - len(right)
            bases.append([0] * lpad + left + [0] + right + [0] * rpad)
            pads.append((lpad, rpad))
            centre.append(ord(text[i]))
            centre.extend(map(ord, cands))
            shape.append(len(cands))
        if not bases:
            return []
        per = np.array(shape) + 1  # rows of each site: the text as written, then its candidates
        v = np.repeat(np.array(bases, dtype=np.uint64), per, axis=0)
        v[:, order - 1] = np.array(centre, dtype=np.uint64)
        lpad = np.repeat(np.array([a for a, _ in pads]), per)
        rpad = np.repeat(np.array([b for _, b in pads]), per)
        m = len(v)
        with np.errstate(over="ignore"):
            chain: dict[tuple[int, int], np.ndarray] = {}
            for a in range(w):
                h = np.zeros(m, dtype=np.uint64)
                for b in range(a, min(w, a + order)):
                    h = h * np.uint64(MULT) + v[:, b] + np.uint64(2)
                    chain[(a, b)] = (_fmix_np(h) >> np.uint64(32)).astype(np.uint32)
        total = np.zeros(m)
        for q in range(order - 1, w):  # the changed character and the order - 1 after it
            live = q <= w - 1 - rpad  # not past EOS
            score = np.zeros(m)
            penalty = np.zeros(m)
            done = ~live
            for k in range(order - 1, 0, -1):  # context length
                avail = (q - k) >= lpad
                num = self._lookup(k + 1, chain[(q - k, q)])
                den = self._lookup(k, chain[(q - k, q - 1)])
                ok = avail & ~done & (num > 0) & (den > 0)
                score[ok] = np.log(num[ok] / np.maximum(den[ok], num[ok])) + penalty[ok]
                done |= ok
                penalty[avail & ~done] += self._log_backoff
            uni = self._lookup(1, chain[(q, q)])
            rest = ~done
            score[rest] = np.log(np.maximum(uni[rest], UNSEEN * self.total) / self.total) + penalty[rest]
            total += np.where(live, score, 0.0)
        out, k = [], 0
        for n in shape:
            out.append(total[k + 1:k + 1 + n] - total[k])
            k += n + 1
        return out
