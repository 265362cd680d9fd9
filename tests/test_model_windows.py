"""Sentence splitting and overlapping windows for long sentences."""
from __future__ import annotations

import pytest

from scanner.model.windows import merge_window_scores, split_sentences, windows


@pytest.mark.parametrize("start, end, max_len, overlap, expected", [
    # short: one window
    (0, 10, 64, 16, [(0, 10)]),
    (0, 64, 64, 16, [(0, 64)]),
    # one over: two windows, the last one flush with the end
    (0, 65, 64, 16, [(0, 64), (1, 65)]),
    # long: stride 48, every window 64 long, consecutive ones overlap by >= 16
    (0, 150, 64, 16, [(0, 64), (48, 112), (86, 150)]),
    # offsets are kept
    (100, 180, 64, 16, [(100, 164), (116, 180)]),
    (5, 5, 64, 16, [(5, 5)]),
])
def test_windows(start, end, max_len, overlap, expected):
    spans = windows(start, end, max_len, overlap)
    assert spans == expected
    for (a, b), (c, d) in zip(spans, spans[1:]):
        assert b - c >= overlap
    assert all(b - a <= max_len for a, b in spans)


def test_windows_rejects_overlap_as_large_as_window():
    with pytest.raises(ValueError):
        windows(0, 100, 16, 16)


def test_merge_takes_the_most_central_window():
    # character 60 sits 4 from the end of window 1 and 12 from the start of window 2
    spans = [(0, 64), (48, 112)]
    scores = [[0.1] * 64, [0.9] * 64]
    merged = merge_window_scores(112, spans, scores)
    assert merged[10] == pytest.approx(0.1)
    assert merged[60] == pytest.approx(0.9)
    assert merged[50] == pytest.approx(0.1)  # 13 from the end of window 1, 2 from the start of window 2
    assert len(merged) == 112


@pytest.mark.parametrize("text, sentences", [
    ("第一句。第二句！第三句？", ["第一句。", "第二句！", "第三句？"]),
    ("标题\n正文第一段；第二段。", ["标题\n", "正文第一段；", "第二段。"]),
    ("没有标点的一句", ["没有标点的一句"]),
    ("省略号……后面。", ["省略号……后面。"]),
    ("\n\n空行。\n", ["空行。\n"]),
    ("", []),
])
def test_split_sentences(text, sentences):
    spans = list(split_sentences(text))
    assert [text[s:e] for s, e in spans] == sentences
