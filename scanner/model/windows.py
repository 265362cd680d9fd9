"""Sentence splitting and overlapping windows.

The model sees at most ``max_len`` characters.  A document is cut into sentences at
sentence-final punctuation and line breaks; a sentence longer than ``max_len`` is cut into
windows of ``max_len`` characters that overlap by ``overlap`` characters.  Each character's
probability is taken from the window in which it sits farthest from an edge, so every
character is judged with context on both sides where the sentence has it.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

SENTENCE_END_RE = re.compile(r"[^。！？!?；;\n]*[。！？!?；;\n]*")


def split_sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, trailing punctuation included, blank ones dropped."""
    for m in SENTENCE_END_RE.finditer(text):
        start, end = m.span()
        if end > start and text[start:end].strip():
            yield start, end


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


def merge_window_scores(length: int, spans: Sequence[tuple[int, int]], scores: Sequence[Sequence[float]],
                        offset: int = 0) -> list[float]:
    """Per-character scores of a text of ``length`` characters (starting at ``offset``) from the
    scores of overlapping windows: each character takes the score of the window where it is
    farthest from an edge."""
    out = [0.0] * length
    best_margin = [-1] * length
    for (ws, we), sc in zip(spans, scores):
        for i in range(ws, we):
            margin = min(i - ws, we - 1 - i)
            j = i - offset
            if margin > best_margin[j]:
                best_margin[j] = margin
                out[j] = float(sc[i - ws])
    return out
