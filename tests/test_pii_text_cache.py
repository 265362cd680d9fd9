"""The caches of one text's table layout (``layout_of``) and key-value records (``kv_records``)
are bounded by size: an lru_cache of 8 held the last 8 texts' layouts (8 spreadsheets of 65,536
rows, some 130 MB each, in an audit of a folder).  The latest text is always kept: the analyzer,
the name recognizer and the judge ask for it one after the other.  Synthetic people."""
import gc
import weakref

import pytest

from scanner.checks.pii import common
from scanner.checks.pii.analyzer import PiiAnalyzer
from scanner.checks.pii.common import TextCache
from scanner.privacy import policy
from scanner.privacy.policy import Policy, judge

FORM = "姓名\t王建国\t性别\t男\n联系电话\t020-81234567\t民族\t汉\n"


@pytest.mark.parametrize("entries, max_chars, asked, held, made", [
    # small texts: the last `entries` of them, as before; one asked again is not worked on again
    (8, 100, ["a10", "b10", "c10"], ["a10", "b10", "c10"], ["a10", "b10", "c10"]),
    (8, 100, ["a10", "a10", "a10"], ["a10"], ["a10"]),
    (2, 100, ["a10", "b11", "c12"], ["b11", "c12"], ["a10", "b11", "c12"]),
    # a text over the budget: held alone (the others let go before it is worked on) ...
    (8, 100, ["a10", "b20", "c500"], ["c500"], ["a10", "b20", "c500"]),
    (8, 100, ["a500", "a500"], ["a500"], ["a500"]),
    # ... and let go when the next one comes
    (8, 100, ["a500", "b10"], ["b10"], ["a500", "b10"]),
    (8, 100, ["a500", "b600"], ["b600"], ["a500", "b600"]),
    # within the budget in all, the oldest let go first
    (8, 100, ["a40", "b30", "c20", "d50"], ["b30", "c20", "d50"], ["a40", "b30", "c20", "d50"]),
    # a text asked for again is the latest: the older ones go before it
    (8, 100, ["a40", "b30", "a40", "d50"], ["a40", "d50"], ["a40", "b30", "d50"]),
])
def test_held_texts(entries, max_chars, asked, held, made):
    worked = []
    cache = TextCache(lambda text: worked.append(text) or len(text), entries, max_chars)
    texts = {name: name[0] * int(name[1:]) for name in asked}
    assert [cache(texts[name]) for name in asked] == [int(name[1:]) for name in asked]
    assert cache.held() == [int(name[1:]) for name in held]
    assert worked == [texts[name] for name in made]


def _big(tag: str, rows: int = 60) -> str:
    return "".join(f"{tag}{r}\t王建国\t020-8123{r:04d}\n" for r in range(rows))


@pytest.mark.parametrize("budget", [100, 10_000])
def test_a_big_layout_is_let_go_when_the_next_text_comes(monkeypatch, budget):
    monkeypatch.setattr(common.layout_of, "max_chars", budget, raising=False)
    common.layout_of.cache_clear()
    first, second = _big("甲"), _big("乙")
    ref = weakref.ref(common.layout_of(first))
    common.layout_of(second)
    gc.collect()
    # under a budget smaller than the texts, the first is let go; under a big one both are held
    assert (ref() is None) == (len(first) + len(second) > budget)
    assert common.layout_of(second) is common.layout_of(second)  # the latest is always held
    common.layout_of.cache_clear()


@pytest.mark.parametrize("budget", [100, 1_000_000])
def test_one_layout_and_one_kv_records_a_text(monkeypatch, budget):
    """The analyzer, the name recognizer and the judge share one layout of the text, and the
    judge works out the text's records once, not once a detection, whatever the budget."""
    built, records = [], []

    class Counted(common.TextLayout):
        def __init__(self, text):
            built.append(len(text))
            super().__init__(text)

    monkeypatch.setattr(common, "TextLayout", Counted)
    monkeypatch.setattr(common.layout_of, "max_chars", budget, raising=False)
    common.layout_of.cache_clear()
    policy.kv_records.cache_clear()
    real = policy.kv_records

    def counted_kv(text):
        records.append(len(text))
        return real(text)

    monkeypatch.setattr(policy, "kv_records", counted_kv)
    text = FORM * 3 + "身份证号\t11010519491231002X\n"
    judged = judge(text, PiiAnalyzer().analyze(text), Policy.load())
    assert len(judged) >= 4
    assert (built, records) == ([len(text)], [len(text)])
    common.layout_of.cache_clear()
