"""Distributional character clusters for the running-text name CRF
(``models/pii-names-crf/char_clusters.tsv``).

Each character of a large text is described by the counts of the characters right before
it and right after it (two count vectors over the most frequent characters); the counts
get a positive PMI transform, a truncated SVD (randomized, seeded) reduces them to
``--dims`` dimensions, the rows are scaled to unit length and k-means (k-means++ start,
seeded) groups them into ``--clusters`` clusters.  Characters seen fewer than
``--min-count`` times get no cluster (the CRF feature then says so: ``names_crf.CLUSTER_UNKNOWN``).

Text: the government text of ../shared/data/gov-text (markdown files and the ``title``
and ``content`` of its jsonl records) and the *fit* part of the three NER train splits
(``corpora.pii.ner_data``: the held-out 10% and the dev and test splits are not read; no
labels are used), all through ``scanner.text.normalize`` as the CRF sees text.

    python -m corpora.pii.build_char_clusters [--clusters 100] [--dims 50] [--seed 13]

numpy only; about a minute on one core.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from corpora.pii import ner_data
from scanner.checks.pii.names_crf import CLUSTERS_NAME
from scanner.resources import models_dir, shared_data_dir
from scanner.text.normalize import normalize

BOUNDARY = "\n"  # texts are joined with it; it is a context like any character


def texts(data: Path):
    """The government text, then the fit part of the NER train sentences."""
    gov = data / "gov-text"
    for path in sorted(gov.rglob("*")):
        if path.suffix == ".md":
            yield path.read_text(encoding="utf-8", errors="replace")
        elif path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.strip():
                    obj = json.loads(line)
                    yield "\n".join(str(obj.get(k) or "") for k in ("title", "content"))
    for name in ner_data.SETS:
        for text, _ in ner_data.sentences(data / "ner", name, "fit"):
            yield text


def neighbour_counts(corpus: str, min_count: int, contexts: int):
    """Characters (seen ``min_count`` times or more, newline excluded) and their
    left/right neighbour count matrix over the ``contexts`` most frequent characters."""
    codes = np.frombuffer(corpus.encode("utf-32-le"), dtype=np.uint32)
    uniq, inv, freq = np.unique(codes, return_inverse=True, return_counts=True)
    order = np.argsort(-freq, kind="stable")
    keep = [k for k in order if freq[k] >= min_count and uniq[k] != ord(BOUNDARY)]
    ctx = order[:contexts]
    row_of = np.full(len(uniq), -1, dtype=np.int64)
    row_of[keep] = np.arange(len(keep))
    col_of = np.full(len(uniq), -1, dtype=np.int64)
    col_of[ctx] = np.arange(len(ctx))
    left, right = inv[:-1], inv[1:]
    width = 2 * len(ctx)
    counts = np.zeros(len(keep) * width, dtype=np.float64)
    # left neighbours of `right`, right neighbours of `left`
    for target, context, offset in ((right, left, 0), (left, right, len(ctx))):
        r, c = row_of[target], col_of[context]
        ok = (r >= 0) & (c >= 0)
        counts += np.bincount(r[ok] * width + c[ok] + offset, minlength=len(counts))
    counts = counts.reshape(len(keep), width)
    chars = [chr(int(uniq[k])) for k in keep]
    return chars, counts, freq[keep]


def ppmi(counts: np.ndarray) -> np.ndarray:
    total = counts.sum()
    row = counts.sum(axis=1, keepdims=True)
    col = counts.sum(axis=0, keepdims=True) ** 0.75  # context smoothing (Levy et al. 2015)
    col = col / col.sum() * total
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(counts * total / (row * col))
    pmi[~np.isfinite(pmi)] = 0.0
    return np.maximum(pmi, 0.0)


def truncated_svd(m: np.ndarray, dims: int, rng: np.random.Generator, oversample: int = 20, power: int = 4) -> np.ndarray:
    """Randomized SVD (Halko et al. 2011): the rows of ``m`` in ``dims`` dimensions (U S)."""
    q = m @ rng.standard_normal((m.shape[1], dims + oversample))
    for _ in range(power):
        q, _ = np.linalg.qr(q)
        q, _ = np.linalg.qr(m @ (m.T @ q))
    q, _ = np.linalg.qr(q)
    u, s, _ = np.linalg.svd(q.T @ m, full_matrices=False)
    return (q @ u[:, :dims]) * s[:dims]


def kmeans(x: np.ndarray, k: int, rng: np.random.Generator, iterations: int = 100) -> np.ndarray:
    """Lloyd's k-means from a k-means++ start; the cluster of each row."""
    n = len(x)
    centres = [x[rng.integers(n)]]
    d2 = ((x - centres[0]) ** 2).sum(axis=1)
    for _ in range(1, k):
        nxt = x[rng.choice(n, p=d2 / d2.sum())]
        centres.append(nxt)
        d2 = np.minimum(d2, ((x - nxt) ** 2).sum(axis=1))
    c = np.array(centres)
    assign = np.full(n, -1)
    for _ in range(iterations):
        dist = (x ** 2).sum(1)[:, None] - 2 * x @ c.T + (c ** 2).sum(1)[None, :]
        new = dist.argmin(axis=1)
        if np.array_equal(new, assign):
            break
        assign = new
        for j in range(k):
            members = x[assign == j]
            c[j] = members.mean(axis=0) if len(members) else x[rng.integers(n)]
    return assign


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="build the character cluster table of the name CRF")
    ap.add_argument("--clusters", type=int, default=100)
    ap.add_argument("--dims", type=int, default=50)
    ap.add_argument("--contexts", type=int, default=3000, help="context characters (the most frequent)")
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", type=Path, default=None, help="default: models/pii-names-crf/char_clusters.tsv")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    corpus = BOUNDARY.join(normalize(t).text for t in texts(shared_data_dir()))
    chars, counts, freq = neighbour_counts(corpus, args.min_count, args.contexts)
    rng = np.random.default_rng(args.seed)
    x = truncated_svd(ppmi(counts), args.dims, rng)
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-12
    assign = kmeans(x, args.clusters, rng)
    out = args.out or models_dir() / CLUSTERS_NAME
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "# char_clusters.tsv: character<TAB>cluster id, for the running-text name CRF",
        "# (scanner/checks/pii/names_crf.py); built by `python -m corpora.pii.build_char_clusters "
        f"--clusters {args.clusters} --dims {args.dims} --contexts {args.contexts} --min-count {args.min_count} --seed {args.seed}`",
        f"# from {len(corpus):,} characters: ../shared/data/gov-text and the fit part of the CLUENER, Weibo and Resume",
        "# train splits (text only, no labels); left/right neighbour counts, PPMI, SVD, k-means.",
        "# Characters not listed (seen fewer times) have no cluster.",
    ]
    for ch, cl in sorted(zip(chars, assign), key=lambda p: (int(p[1]), p[0])):
        if ch in "\t\r" or not ch.isprintable():
            continue
        lines.append(f"{ch}\t{int(cl)}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(corpus):,} characters, {len(chars)} clustered into {args.clusters} in "
          f"{time.perf_counter() - t0:.0f} s -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
