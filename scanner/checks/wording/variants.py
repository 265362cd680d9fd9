"""Variant generation for the wording lexicons: the misspellings a typist or an input method makes.

For a canonical string (a leader's name, a short formulation) this yields every string one
edit away that such an error produces, each with the kind of edit:

* ``sub``:   one character replaced by a same/similar-sound or similar-shape character
             (``lexicons/confusion_chars.tsv``: pycorrector, ECSpell, pypinyin);
* ``del``:   one interior character missing (edge deletions are left out: 习近 is a prefix of
             学习近期, and a dropped first or last character cannot be told from the next word);
* ``ins``:   one extra character inside the string: a repeated neighbour or a confusable of a
             neighbour (习近近平, 习进近平); never at the edges (李强强调, 学习习近平 are correct);
* ``swap``:  two adjacent characters exchanged (strings of 3+ characters);
* ``count``: the numeral of a counted formulation changed by one (三个意识 for 四个意识).

Long formulations are not expanded (their variants would bloat the automaton); they are
matched by anchors and verified with :func:`one_edit` instead.  The module is pure: data in,
strings out, no I/O besides the lazily read confusion table.
"""
from __future__ import annotations

import functools
from collections.abc import Iterator

from ...resources import lexicon_cache, read_tsv

NUMERALS = "一二三四五六七八九十"


@lexicon_cache(maxsize=1)
def confusion_table() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """char -> (same/similar sound, similar shape), from ``lexicons/confusion_chars.tsv``."""
    table: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for row in read_tsv("confusion_chars.tsv"):
        table[row["char"]] = (frozenset(row["sound"]), frozenset(row["shape"]))
    return table


def confusables(ch: str) -> frozenset[str]:
    """Characters confusable with ``ch`` (sound or shape); empty when ``ch`` is not listed."""
    sound, shape = confusion_table().get(ch, (frozenset(), frozenset()))
    return sound | shape


def edit_variants(canonical: str, *, count_word: bool = False) -> Iterator[tuple[str, str]]:
    """(variant, edit kind) pairs one edit away from ``canonical`` (see the module docstring)."""
    n = len(canonical)
    seen = {canonical}

    def emit(v: str, kind: str):
        # a string holding the canonical one is not a misspelling of it: 李强强调, 学习习近平
        if v not in seen and canonical not in v:
            seen.add(v)
            return (v, kind)
        return None

    for i, ch in enumerate(canonical):
        for c in sorted(confusables(ch)):
            r = emit(canonical[:i] + c + canonical[i + 1:], "sub")
            if r:
                yield r
    if n >= 3:
        for i in range(1, n - 1):
            r = emit(canonical[:i] + canonical[i + 1:], "del")
            if r:
                yield r
        for i in range(n - 1):
            r = emit(canonical[:i] + canonical[i + 1] + canonical[i] + canonical[i + 2:], "swap")
            if r:
                yield r
    for i in range(1, n):  # insert between canonical[i-1] and canonical[i]
        left, right = canonical[i - 1], canonical[i]
        for c in sorted({left, right} | confusables(left) | confusables(right)):
            r = emit(canonical[:i] + c + canonical[i:], "ins")
            if r:
                yield r
    if count_word and canonical[0] in NUMERALS + "两" and len(canonical) >= 3:
        value = 2 if canonical[0] == "两" else NUMERALS.index(canonical[0]) + 1
        for v in (value - 1, value + 1):
            if 2 <= v <= 10:
                for numeral in {NUMERALS[v - 1], "两" if v == 2 else NUMERALS[v - 1]}:
                    r = emit(numeral + canonical[1:], "count")
                    if r:
                        yield r


# Fuzzy pinyin (模糊音): the readings a pinyin input method, or a speaker of a southern dialect,
# does not keep apart.  The confusion sources list same readings and only some near ones (民/名
# but not 民/明), so near-sound substitutions were missed (全过程人民明主).  Initials zh/z, ch/c,
# sh/s, n/l, h/f; finals ang/an, eng/en, ing/in (iang/ian, uang/uan follow).
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"), ("h", "f"))
_FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))


def _fuzzy_key(syllable: str) -> str:
    for a, b in _FUZZY_INITIALS:
        if syllable.startswith(a):
            syllable = b + syllable[len(a):]
            break
    for a, b in _FUZZY_FINALS:
        if syllable.endswith(a):
            return syllable[:-len(a)] + b
    return syllable


@functools.lru_cache(maxsize=8192)
def _fuzzy_readings(ch: str) -> frozenset[str]:
    from pypinyin import Style, pinyin

    if not "\u4e00" <= ch <= "\u9fff":
        return frozenset()
    return frozenset(_fuzzy_key(r) for r in pinyin(ch, style=Style.NORMAL, heteronym=True)[0] if r.isalpha())


def near_sound(a: str, b: str) -> bool:
    """Whether two different Chinese characters share a reading up to fuzzy pinyin (民/明, 主/祖)."""
    return a != b and bool(_fuzzy_readings(a) & _fuzzy_readings(b))


def one_edit(canonical: str, text: str, start: int, *, known: int, fuzzy: bool = False) -> tuple[int, str] | None:
    """Does ``text[start:]`` begin with ``canonical`` up to one edit made after its first ``known``
    characters (which are known to match)?  Returns (end, edit) for a near-match, ``None`` for an
    exact match or no match.  Substitutions and insertions must use confusable characters (or a
    repeated neighbour); any character may go missing; adjacent characters may be swapped.
    ``fuzzy``: a substitution may also be any character of a near reading (:func:`near_sound`),
    for long formulations whose other characters are exact."""
    n = len(canonical)
    i = known
    while i < n and start + i < len(text) and text[start + i] == canonical[i]:
        i += 1
    if i == n:
        return None  # exact
    if start + i >= len(text):
        return None
    got = text[start + i]
    rest = canonical[i + 1:]
    # substitution
    if (got in confusables(canonical[i]) or (fuzzy and near_sound(got, canonical[i]))) \
            and text.startswith(rest, start + i + 1):
        return start + n, "sub"
    # swap
    if i + 1 < n and got == canonical[i + 1] and text.startswith(canonical[i] + canonical[i + 2:], start + i + 1):
        return start + n, "swap"
    # insertion of a repeated or confusable neighbour
    if i > 0 and text.startswith(canonical[i:], start + i + 1):
        left, right = canonical[i - 1], canonical[i]
        if got in (left, right) or got in confusables(left) or got in confusables(right):
            return start + n + 1, "ins"
    # deletion (not of the last character: that would be a prefix followed by any word)
    if i < n - 1 and text.startswith(rest, start + i):
        return start + n - 1, "del"
    return None
