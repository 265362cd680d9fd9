"""The word filter of the model's flags (scanner/model/lexfilter.py)."""
import pytest

from scanner.model.lexfilter import implausible, in_word


@pytest.mark.parametrize("text, i, expected", [
    ("进一步优化营商环境。", 7, True),   # 环 in 环境
    ("当事人可以向人民法院提起诉松。", 13, False),  # 松: 诉松 is no word
    ("当事人可以向人民法院提起诉讼。", 13, True),
    ("，", 0, False),
])
def test_in_word(text, i, expected):
    assert in_word(text, i) is expected


@pytest.mark.parametrize("text, start, end, suggestion, dropped", [
    # a character inside a real word whose candidate makes no word: a false alarm, dropped
    ("进一步优化营商环境。", 7, 8, "镜", True),
    # inside a word and no candidate at all: dropped
    ("进一步优化营商环境。", 7, 8, None, True),
    # the flagged character breaks a word; the candidate restores one: kept
    ("当事人可以向人民法院提起诉松。", 13, 14, "讼", False),
    # a word made of the flag and another made by the candidate (营商坏境 -> 环境): kept when the original is no word
    ("进一步优化营商坏境。", 7, 8, "环", False),
    # flags of two or more characters are never dropped
    ("进一步优化营商环境。", 7, 9, "环镜", False),
])
def test_implausible(text, start, end, suggestion, dropped):
    assert implausible(text, start, end, suggestion) is dropped


@pytest.mark.parametrize("text, start, end, inside", [
    ("珠海\t斗门区政府门户网站", 3, 4, True),     # 斗门区 as GB/T 2260 writes it
    ("广东省南雄市人民政府", 3, 4, True),
    ("新疆乌鲁木齐市", 3, 5, True),              # a short form of three or more characters
    ("珠海\t抖门区政府门户网站", 3, 4, False),    # misspelt: no longer the table's name
    ("合理开发利用资源", 6, 7, False),            # 资源县's two-character short form is a common word: not protected
])
def test_place_names_protect_their_characters(text, start, end, inside):
    from scanner.model.lexfilter import in_place_name

    assert in_place_name(text, start, end) is inside
    if inside:
        assert implausible(text, start, end, "道")
