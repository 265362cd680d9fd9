"""Person names in running text: a character CRF (CRFsuite via python-crfsuite).

Lists and tables are handled by structure (``cn_person``); running text (新闻稿, 通报)
needs a statistical tagger.  The model (``models/pii-names-crf/``, see its README for
what it was trained on) tags each character B/I/O for a personal name, from cheap
features: the character and its neighbours, character bigrams, whether a character
is a known surname, and its jieba word position and POS tag (``nr`` …).  The model loads lazily, once per process; a missing
model raises ResourceMissingError with the command that trains it.
"""
from __future__ import annotations

import functools

from ...errors import ResourceMissingError
from ...resources import models_dir
from .common import COMPOUND_SURNAMES, SINGLE_SURNAMES

MODEL_NAME = "pii-names-crf/model.crfsuite"


# characters typical of transliterated foreign names (贝克汉姆, 温格, 普京)
TRANSLIT = frozenset("斯尔克特德姆森罗拉亚伊尼诺娃丝莉娜安卡洛维奇夫基里科布朗汉格奥乌兹瓦萨塔哈蒂西迪梅埃")


def _kind(ch: str) -> str:
    if "\u4e00" <= ch <= "\u9fff":
        return "H"
    if ch.isdigit():
        return "D"
    if ch.isascii() and ch.isalpha():
        return "L"
    return "P"


@functools.lru_cache(maxsize=1)
def _pos_tagger():
    import jieba.posseg

    from ...text.tokenize import get_jieba

    return jieba.posseg.POSTokenizer(get_jieba())


def word_features(text: str) -> list[tuple[str, str, str, str]]:
    """For each character: its place in its jieba word (B/M/E/S), the word's POS tag, and
    the words before and after that word."""
    pairs = [(p.word, p.flag) for p in _pos_tagger().cut(text)]
    out: list[tuple[str, str, str, str]] = []
    for k, (w, flag) in enumerate(pairs):
        prev = pairs[k - 1][0] if k else "\x02"
        nxt = pairs[k + 1][0] if k + 1 < len(pairs) else "\x03"
        if len(w) == 1:
            out.append(("S", flag, prev, nxt))
        else:
            out.append(("B", flag, prev, nxt))
            out.extend(("M", flag, prev, nxt) for _ in range(len(w) - 2))
            out.append(("E", flag, prev, nxt))
    return out


def char_features(text: str) -> list[list[str]]:
    """CRFsuite feature strings for each character of ``text``."""
    n = len(text)
    words = word_features(text)
    if len(words) != n:  # jieba keeps every character; guard anyway
        words = [("S", "x", "", "")] * n
    padded = "\x02\x02\x02" + text + "\x03\x03\x03"
    feats = []
    for i in range(n):
        j = i + 3
        c0 = padded[j]
        cm1, cm2, cp1, cp2 = padded[j - 1], padded[j - 2], padded[j + 1], padded[j + 2]
        f = [
            "c0=" + c0, "c-1=" + cm1, "c+1=" + cp1, "c-2=" + cm2, "c+2=" + cp2,
            "b-1=" + cm1 + c0, "b+1=" + c0 + cp1, "b-2=" + cm2 + cm1, "b+2=" + cp1 + cp2,
            "k=" + _kind(c0) + _kind(cm1) + _kind(cp1),
            "c-3=" + padded[j - 3], "c+3=" + padded[j + 3], "t=" + cm1 + c0 + cp1,
        ]
        wp, tag, prev, nxt = words[i]
        f.append("w=" + wp + tag)
        if wp in "BS":
            f.append("wprev=" + prev)
        if wp in "ES":
            f.append("wnext=" + nxt)
        f.append("p=" + tag)
        if i + 1 < n:
            f.append("p+1=" + words[i + 1][1])
        if i > 0:
            f.append("p-1=" + words[i - 1][1])
        if c0 in TRANSLIT:
            f.append("tr")
        if cp1 in TRANSLIT:
            f.append("tr+1")
        if c0 in SINGLE_SURNAMES:
            f.append("sur")
        if cm1 in SINGLE_SURNAMES:
            f.append("sur-1")
        if cm2 in SINGLE_SURNAMES:
            f.append("sur-2")
        if c0 + cp1 in COMPOUND_SURNAMES:
            f.append("csur")
        feats.append(f)
    return feats


@functools.lru_cache(maxsize=1)
def get_tagger():
    path = models_dir() / MODEL_NAME
    if not path.is_file():
        raise ResourceMissingError(
            f"name model {path} not found: train it with `python -m corpora.pii.train_names_crf` "
            "(needs ../shared/data/ner) or set GOVSCAN_MODELS"
        )
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


def tag_names(text: str) -> list[tuple[int, int, float]]:
    """Name spans (start, end, marginal probability of the span's first tag)."""
    if not text:
        return []
    tagger = get_tagger()
    tags = tagger.tag(char_features(text))
    spans = []
    start = None
    for i, t in enumerate(tags + ["O"]):
        if t == "B" or t == "O":
            if start is not None:
                spans.append((start, i, tagger.marginal("B", start)))
                start = None
            if t == "B":
                start = i
        elif t == "I" and start is None:
            start = i
    return spans
