"""Sentence splitting and overlapping windows.

The model sees at most ``max_len`` characters.  A document is cut into sentences at
sentence-final punctuation and line breaks; a sentence longer than ``max_len`` is cut into
windows that overlap by ``overlap`` characters.  Each character's probability is taken from
the window in which it sits farthest from an edge, so every character is judged with
context on both sides where the sentence has it.

Training cuts long sentences with ``windows`` (windows of exactly ``max_len``, the last one
flush with the end).  Inference uses ``even_windows``: the same number of windows, all of
equal width and spread evenly, so a 70-character sentence costs 86 characters of model work
(two windows of 43) instead of 128 (two of 64).
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence

import numpy as np

SENTENCE_END_RE = re.compile(r"[^。！？!?；;\n]*[。！？!?；;\n]*")
# table cells: at tabs (text, CSV, XLSX and DOCX rows) and at the " | " of HTML table rows
CELL_RE = re.compile(r"[^\t|]+")
MIN_PIECE = 2  # a one-character cell (男, 女, 是) gives the model no context to judge it by
# CJK unified ideographs (basic, extension A, compatibility, extensions B and beyond).
CJK_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def split_sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, trailing punctuation included, blank ones dropped."""
    for m in SENTENCE_END_RE.finditer(text):
        start, end = m.span()
        if end > start and text[start:end].strip():
            yield start, end


def model_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each piece of a document that the model scores: its sentences
    (``split_sentences``), a table row cut into its cells (at tabs, and at the pipes of an
    HTML table row as the extractor writes it: ``| 1 | 张三 | 女 |``), surrounding whitespace
    trimmed (training sentences are stripped too), and only pieces of at least ``MIN_PIECE``
    characters holding a CJK character: the model judges Chinese characters in context, and
    a serial number, a date or a site code in a cell of its own has no typo for it to find."""
    search = CJK_RE.search
    for start, end in split_sentences(text):
        for m in CELL_RE.finditer(text, start, end):
            s, e = m.span()
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e - s >= MIN_PIECE and search(text, s, e):
                yield s, e


def windows(start: int, end: int, max_len: int, overlap: int) -> list[tuple[int, int]]:
    """Cut [start, end) into windows of at most ``max_len`` that overlap by ``overlap``."""
    if overlap >= max_len:
        raise ValueError("overlap must be smaller than the window")
    if end - start <= max_len:
        return [(start, end)]
    stride = max_len - overlap
    spans = []
    pos = start
    while True:
        if pos + max_len >= end:
            spans.append((max(start, end - max_len), end))
            break
        spans.append((pos, pos + max_len))
        pos += stride
    return spans


def even_windows(start: int, end: int, max_len: int, overlap: int) -> list[tuple[int, int]]:
    """Cut [start, end) into the fewest windows of at most ``max_len`` that overlap by at least
    ``overlap`` (as many as ``windows`` gives), all of one width (the smallest that covers the
    span), spread evenly from ``start`` to ``end``."""
    if overlap >= max_len:
        raise ValueError("overlap must be smaller than the window")
    n = end - start
    if n <= max_len:
        return [(start, end)]
    k = math.ceil((n - overlap) / (max_len - overlap))
    width = math.ceil((n + (k - 1) * overlap) / k)  # k windows of this width, overlapping by `overlap`, cover n
    step = (n - width) / (k - 1)  # <= width - overlap, an integer: rounding keeps the overlap
    return [(start + round(i * step), start + round(i * step) + width) for i in range(k)]


def merge_window_scores(length: int, spans: Sequence[tuple[int, int]], scores: Sequence[Sequence[float]],
                        offset: int = 0) -> np.ndarray:
    """Per-character scores (a float array) of a text of ``length`` characters (starting at
    ``offset``) from the scores of overlapping windows: each character takes the score of the
    window where it is farthest from an edge (the first such window on a tie)."""
    out = np.zeros(length, dtype=np.float32)
    if len(spans) == 1 and spans[0] == (offset, offset + length):
        out[:] = scores[0][:length]
        return out
    best_margin = np.full(length, -1, dtype=np.int64)
    for (ws, we), sc in zip(spans, scores):
        pos = np.arange(we - ws)
        margin = np.minimum(pos, we - ws - 1 - pos)
        a, b = ws - offset, we - offset
        better = margin > best_margin[a:b]
        best_margin[a:b][better] = margin[better]
        out[a:b][better] = np.asarray(sc[: we - ws], dtype=np.float32)[better]
    return out
