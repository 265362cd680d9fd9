"""Lexical plausibility of a flag: the model's single-character flags checked against words.

The detector judges characters; a dictionary knows words.  A false alarm on clean text is
typically a character the model finds unusual that sits inside a real word (a rare place
name, a term of another domain), while a typo usually breaks a word (诉松, 坏境) or makes
another word (下请 for 下情) where the correction restores one.  So a one-character flag is
dropped when the character stands inside a word of two or more characters of the
segmenter's dictionary (jieba with the project's lexicons, no HMM guesses) and its best
correction candidate, put in its place, does not stand inside such a word; a flag of several
characters likewise when it lies inside one such word and its correction makes none there (轩辕,
吝啬, 瑜伽, 好莱坞's 莱坞 flagged whole).  Flags whose correction makes a word are kept, unless the correction makes its
word by breaking a dictionary word of three or more characters (``breaks_long_word``:
魔兽争霸 -> 魔/战争/霸, 莫高窟 -> 莫/高空): a confusable character that still forms a long
word exactly is far less likely than one that forms a two-character word by chance (人氏 for
人士, 大堆 for 大队, both real typos that this rule keeps).

A flag that lies inside an official place name (GB/T 2260 province, city and county names,
as the table writes them, and short forms of three or more characters without the suffix) is
dropped too: a name written as the table writes
it is right by definition, and a misspelt one no longer matches the table, so it stays flagged.

Chosen on development data only (held-out ECSpell law/med train pairs and held-out clean
government sentences): there it halved the clean sentences flagged (0.18% -> 0.09%) at equal
detection F1; the measured sets were scored once, after the choice (models/README.md).
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _segmenter():
    from ..text.tokenize import get_jieba

    return get_jieba()


# A word of this many characters, written whole, outweighs a correction that would break it.
LONG_WORD = 3

_SUFFIXES = ("特别行政区", "自治县", "自治州", "自治区", "自治旗", "林区", "地区", "新区", "县", "区", "市", "省", "旗", "州", "盟")


@lru_cache(maxsize=1)
def _place_names():
    """An automaton over the GB/T 2260 names (packaged table) and their short forms."""
    import ahocorasick

    from ..site.registry import division_codes

    names = set()
    for name, _level in division_codes().values():
        names.add(name)
        for suffix in _SUFFIXES:
            # two-character short forms are left out: many are common words (资源县, 合作市,
            # 和平区, 比如县, 解放区 ...), and the full name covers 斗门区 all the same
            if name.endswith(suffix) and len(name) - len(suffix) >= 3:
                names.add(name[: -len(suffix)])
                break
    automaton = ahocorasick.Automaton()
    for name in names:
        if len(name) >= 2:
            automaton.add_word(name, len(name))
    automaton.make_automaton()
    return automaton


def in_place_name(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] lies inside an official place name written in ``text``."""
    lo, hi = max(0, start - 12), min(len(text), end + 12)
    for last, n in _place_names().iter(text[lo:hi]):
        s = lo + last - n + 1
        if s <= start and end <= lo + last + 1:
            return True
    return False


def in_word(text: str, i: int) -> bool:
    """Whether character ``i`` of ``text`` lies inside a dictionary word of >= 2 characters."""
    return len(word_at(_segmenter(), text, i, context=None)) >= 2


def _word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each word of ``text`` as the segmenter cuts it (no HMM guesses)."""
    spans, pos = [], 0
    for word in _segmenter().cut(text, HMM=False):
        spans.append((pos, pos + len(word)))
        pos += len(word)
    return spans


def in_one_word(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] lies inside one dictionary word of >= 2 characters."""
    return any(s <= start and end <= e and e - s >= 2 for s, e in _word_spans(text))


def breaks_long_word(text: str, i: int, suggestion: str) -> bool:
    """Whether putting ``suggestion`` in place of character ``i`` breaks a dictionary word of
    ``LONG_WORD`` or more characters: the character stands in such a word as written, and with
    the suggestion fewer of the characters of the two words over ``i`` (as written, as corrected)
    stand in words of two or more characters (魔兽争霸 -> 魔/战争/霸, 莫高窟 -> 莫/高空,
    验钞机 -> 验/抽机)."""
    fixed = text[:i] + suggestion + text[i + 1:]
    before, after = _word_spans(text), _word_spans(fixed)
    ws, we = next(span for span in before if span[0] <= i < span[1])
    if we - ws < LONG_WORD:
        return False
    vs, ve = next(span for span in after if span[0] <= i < span[1])
    lo, hi = min(ws, vs), max(we, ve)

    def covered(spans: list[tuple[int, int]]) -> int:
        return sum(min(e, hi) - max(s, lo) for s, e in spans if e - s >= 2 and s < hi and lo < e)

    return covered(after) < covered(before)


def implausible(text: str, start: int, end: int, suggestion: str | None) -> bool:
    """True when the flag text[start:end] should be dropped (see the module docstring)."""
    if in_place_name(text, start, end):
        return True
    if end - start > 1:
        return in_one_word(text, start, end) and (
            suggestion is None or not in_one_word(text[:start] + suggestion + text[end:], start, end))
    if not in_word(text, start):
        return False
    if suggestion is None:
        return True
    return not in_word(text[:start] + suggestion + text[end:], start) or breaks_long_word(text, start, suggestion)


# ---------------------------------------------------------------- domain-word rescue
@lru_cache(maxsize=4)
def domain_lexicon(paths: tuple[str, ...]) -> tuple[frozenset, object]:
    """The words of a model's domain word lists (``domain_*.txt``) and a segmenter that knows
    them: jieba's own dictionary plus these words (a tokenizer of its own, so the project's
    tokenization elsewhere does not change).  Loaded at the first rescue site, once per process."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    words = frozenset(w for path in paths for w in (line.strip() for line in open(path, encoding="utf-8"))
                      if w and not w.startswith("#"))
    seg = jieba.Tokenizer()
    seg.initialize()
    for w in sorted(words):
        seg.add_word(w, 100)
    return words, seg


def word_at(seg, text: str, i: int, context: int | None = 8) -> str:
    """The word holding character ``i`` when ``seg`` cuts text (no HMM guesses), cut in a
    window of ``context`` characters either side of it (None: the whole text)."""
    lo = 0 if context is None else max(0, i - context)
    hi = len(text) if context is None else i + context + 1
    pos = lo
    for word in seg.cut(text[lo:hi], HMM=False):
        if pos <= i < pos + len(word):
            return word
        pos += len(word)
    return ""
