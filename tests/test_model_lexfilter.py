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
    # a flag of two or more characters inside one word whose correction makes none there: dropped
    ("进一步优化营商环境。", 7, 9, "环镜", True),
    ("《轩辕剑外传》是一款单机游戏。", 1, 3, "喧猿", True),
    ("天津宝坻石桥工业园", 2, 4, None, True),
    # ... kept when it lies in no one word, or when its correction makes a word there
    ("当事人可以向人民法院提起诉松。", 12, 14, "诉讼", False),      # 诉松: no word
    ("进一步优化营商坏境。", 6, 8, "商环", False),                  # 商坏 spans two words
    ("依法保障公民的基本权力。", 9, 11, "权利", False),              # 权力 -> 权利: both words
    # both the character and its candidate stand in words: a real-word pair, kept ...
    ("承包方必需在取得土地承包经营权后依法登记。", 4, 5, "须", False),     # 必需 -> 必须
    ("或者规模较小的有线责任公司可以不设董事会。", 8, 9, "限", False),     # 有线 -> 有限责任: a longer word
    ("我们与港澳各界人氏一道。", 8, 9, "之", False),                      # 人氏 (人士): two characters, kept
    # ... unless the candidate makes its word by breaking a word of three or more characters
    ("本届电竞比赛共设置了魔兽争霸3等项目。", 11, 12, "战", True),        # 魔兽争霸 -> 魔/战争/霸
    ("由于游客众多，无法确定参观莫高窟的时间。", 15, 16, "空", True),    # 莫高窟 -> 莫/高空
    ("这批假币能躲过验钞机识别。", 8, 9, "抽", True),                     # 验钞机 -> 验/抽机
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


@pytest.mark.parametrize("text, i, suggestion, breaks", [
    ("本届电竞比赛共设置了魔兽争霸3等项目。", 11, "战", True),   # 4 characters in words -> 2 (战争)
    ("这种装甲车有什么特点？", 3, "驾", True),                    # 装甲车 -> 装/驾车
    ("该剧改编自二战时期的真实故事。", 3, "变", True),            # 改编自 -> 改变/自
    # the corrected stretch stands in words as fully as before: not broken
    ("打击行动虽然成绩斐然，", 8, "非", False),                   # 成绩斐然 -> 成绩/非然
    ("或者规模较小的有线责任公司可以不设董事会。", 8, "限", False),
    # a two-character word is not protected (人氏 for 人士 is a typo that makes a word by chance)
    ("我们与港澳各界人氏一道。", 8, "之", False),
    ("执法大堆大队长", 3, "最", False),
])
def test_breaks_long_word(text, i, suggestion, breaks):
    from scanner.model.lexfilter import breaks_long_word

    assert breaks_long_word(text, i, suggestion) is breaks


@pytest.mark.model
@pytest.mark.parametrize("text, flagged", [
    # the model flags 兽 and prefers 战 (战争): the long word written whole wins
    ("比赛项目：魔兽争霸3、星际争霸2。", []),
    ("本届电竞比赛共设置了魔兽争霸3等项目。", []),
    # real-word pairs that do not break a long word are still flagged and corrected (near-misses)
    ("承包方必需在取得土地承包经营权后依法登记。", [("需", "须")]),
    ("国务院是我国重要的国家几关。", [("几", "机")]),
])
def test_model_flags_that_break_a_long_word_are_dropped(text, flagged):
    from scanner.model.runtime import load_detector

    (flags,) = load_detector().flag_texts([text])
    assert [(text[f.start:f.end], f.suggestion) for f in flags] == flagged
