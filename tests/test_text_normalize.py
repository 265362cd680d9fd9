"""Offsets through normalization: every span of the normalized text maps back to the
original characters, through full-width forms, zero-width characters and traditional
characters."""
import pytest

from scanner.text.normalize import normalize


@pytest.mark.parametrize("original, normalized", [
    # full-width digits and letters become half-width
    ("身份证１１０１０５Ｘ", "身份证110105X"),
    # full-width punctuation stays Chinese
    ("你好，世界：（一）", "你好，世界：（一）"),
    # ideographic space and NBSP become ASCII spaces, newlines kept
    ("王\u3000芳\u00a0先生\n", "王 芳 先生\n"),
    # zero-width characters are removed
    ("习\u200b近\u200d平\ufeff", "习近平"),
    # traditional characters become simplified
    ("習近平總書記", "习近平总书记"),
    # Kangxi radical look-alikes become unified ideographs
    ("\u2f08民", "人民"),
    # masked forms keep their asterisks (full-width too)
    ("138＊＊＊＊5678", "138****5678"),
])
def test_normalize_text(original, normalized):
    assert normalize(original).text == normalized


@pytest.mark.parametrize("original, target", [
    ("证号：１１０１０５１９４９１２３１００２Ｘ。", "11010519491231002X"),
    ("证号：\u200b1101051949\u200b1231002X\u200b。", "11010519491231002X"),
    ("\u200b\u200b前缀習\u200b進平同志", "习进平"),
    ("王\u3000芳", "王 芳"),
    ("abc\u200b", "abc"),
])
def test_spans_map_back_to_original(original, target):
    norm = normalize(original)
    i = norm.text.index(target)
    start, end = norm.span_to_original(i, i + len(target))
    sliced = original[start:end]
    # the slice is exactly the original spelling of the target: normalizing it gives the target
    assert normalize(sliced).text == target
    # and it neither starts nor ends with an invisible character
    assert sliced[0] not in "\u200b\u200d\ufeff" and sliced[-1] not in "\u200b\u200d\ufeff"


def test_every_offset_round_trips():
    original = "Ａ\u200bB\u200c\u200dＣ習\ufeff近平１２"
    norm = normalize(original)
    for i, ch in enumerate(norm.text):
        o = norm.to_original(i)
        assert normalize(original[o]).text == ch


def test_empty_span_and_text():
    assert normalize("").text == ""
    norm = normalize("a\u200bb")
    assert norm.span_to_original(1, 1) == (2, 2)


def test_long_input_is_linear():
    # 10 MB of text with invisible characters normalizes in one pass
    text = ("政府网站\u200b" * 200_000)
    norm = normalize(text)
    assert len(norm.text) == 800_000
    assert norm.span_to_original(len(norm.text) - 4, len(norm.text)) == (len(text) - 5, len(text) - 1)
