"""Sentence splitting and overlapping windows for long sentences."""
from __future__ import annotations

import pytest

from scanner.model.windows import even_windows, merge_window_scores, model_spans, split_sentences, windows


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


@pytest.mark.parametrize("start, end, max_len, overlap, expected", [
    # short: one window, as with windows()
    (0, 10, 64, 16, [(0, 10)]),
    (0, 64, 64, 16, [(0, 64)]),
    (5, 5, 64, 16, [(5, 5)]),
    # one over: two windows of 41 overlapping by 17 (windows() gives two of 64)
    (0, 65, 64, 16, [(0, 41), (24, 65)]),
    # 70: two of 43 overlapping by exactly 16
    (0, 70, 64, 16, [(0, 43), (27, 70)]),
    # 112 = 64 + 48: still two windows, both 64
    (0, 112, 64, 16, [(0, 64), (48, 112)]),
    # 150: three of 61
    (0, 150, 64, 16, [(0, 61), (44, 105), (89, 150)]),
    # offsets are kept
    (100, 180, 64, 16, [(100, 148), (132, 180)]),
])
def test_even_windows(start, end, max_len, overlap, expected):
    assert even_windows(start, end, max_len, overlap) == expected


@pytest.mark.parametrize("max_len, overlap", [(64, 16), (64, 0), (32, 8), (16, 15), (8, 3)])
def test_even_windows_cover_with_overlap_and_no_more_windows(max_len, overlap):
    for n in range(0, 400):
        spans = even_windows(0, n, max_len, overlap)
        assert len(spans) == len(windows(0, n, max_len, overlap))
        assert spans[0][0] == 0 and spans[-1][1] == n
        assert len({b - a for a, b in spans}) == 1  # one width
        assert all(b - a <= max_len for a, b in spans)
        for (a, b), (c, d) in zip(spans, spans[1:]):
            assert a < c and b - c >= overlap


def test_even_windows_rejects_overlap_as_large_as_window():
    with pytest.raises(ValueError):
        even_windows(0, 100, 16, 16)


def test_merge_takes_the_most_central_window():
    # character 60 sits 4 from the end of window 1 and 12 from the start of window 2
    spans = [(0, 64), (48, 112)]
    scores = [[0.1] * 64, [0.9] * 64]
    merged = merge_window_scores(112, spans, scores)
    assert merged[10] == pytest.approx(0.1)
    assert merged[60] == pytest.approx(0.9)
    assert merged[50] == pytest.approx(0.1)  # 13 from the end of window 1, 2 from the start of window 2
    assert len(merged) == 112


def test_merge_matches_the_margin_rule_character_by_character():
    """Each character takes its score from the window where it is farthest from an edge
    (the first such window on a tie), also with an offset and uneven windows."""
    spans = [(10, 50), (30, 75), (60, 110), (70, 110)]
    scores = [[w + i / 1000 for i in range(e - s)] for w, (s, e) in enumerate(spans)]
    merged = merge_window_scores(100, spans, scores, offset=10)
    for j in range(100):
        i = j + 10
        margins = [(min(i - s, e - 1 - i), -w) for w, (s, e) in enumerate(spans) if s <= i < e]
        _, w = max(margins)
        assert merged[j] == pytest.approx(scores[-w][i - spans[-w][0]], abs=1e-6)


def test_merge_of_one_window_is_its_scores():
    merged = merge_window_scores(3, [(0, 3)], [[0.25, 0.5, 0.75]])
    assert list(merged) == [0.25, 0.5, 0.75]


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


@pytest.mark.parametrize("text, pieces", [
    # prose: the sentences, whitespace around them trimmed
    ("　　第一句。\n第二句！  ", ["第一句。", "第二句！"]),
    # a table row: its cells; cells without a CJK character (serials, numbers, codes) dropped
    ("5\t佛山\t38\t38\t0\n", ["佛山"]),
    ("16\t\t粤健通\t微信服务号\t440000M059WX0004\n", ["粤健通", "微信服务号"]),
    # an HTML table row as the extractor writes it: cut at the pipes; a one-character cell
    # (女) gives no context and is not scored
    ("| 5 | 高文静 | 女 | 广州市天河区江南大道186号 |\n", ["高文静", "广州市天河区江南大道186号"]),
    # no CJK at all: nothing to score
    ("2022-06-20\nETF 100%。\n", []),
    # a CJK character anywhere in the piece keeps all of it
    ("编号A2024-0017。", ["编号A2024-0017。"]),
    ("", []),
])
def test_model_spans(text, pieces):
    assert [text[s:e] for s, e in model_spans(text)] == pieces
