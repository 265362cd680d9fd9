"""Person names in running text: a character CRF (CRFsuite via python-crfsuite).

Lists and tables are handled by structure (``cn_person``); running text (新闻稿, 通报)
needs a statistical tagger.  The model (``models/pii-names-crf/``, see its README for
what it was trained on) tags each character B/I/O for a personal name, from cheap
features: the character and its neighbours, character bigrams, whether a character
is a known surname, its jieba word position and POS tag (``nr`` …), the jieba word
itself, a gazetteer of 13,440 names (pycorrector's person_name list, Apache-2.0,
shipped beside the model as ``person_names.txt``) matched longest-first, how often a
character is a given-name character in that list, and cue words (说, 表示, 先生,
记者, 书记 …) just after or just before it.  Optional, off in the shipped model
(``EXTRA_FEATURES``): the distributional cluster of the character and of its neighbours
(±2; ``char_clusters.tsv``, built by ``corpora.pii.build_char_clusters``; tried
2026-11-27 and not adopted, see the model card).  On in the shipped model (``"lac"``):
the entity tag that Baidu's LAC tagger (``lac``) gives the character and its neighbours
(person B/I, place, organisation, other).  The model and the list load lazily,
once per process; a missing file raises ResourceMissingError with the command that
makes it.
"""
from __future__ import annotations

import functools
import re

from ...errors import ResourceMissingError
from ...resources import models_dir
from .common import COMPOUND_SURNAMES, SINGLE_SURNAMES

MODEL_NAME = "pii-names-crf/model.crfsuite"
GAZETTEER_NAME = "pii-names-crf/person_names.txt"
CLUSTERS_NAME = "pii-names-crf/char_clusters.tsv"
CLUSTER_UNKNOWN = "?"  # the cluster feature of a character the table does not list

# optional feature groups: "lac", the entity tags of Baidu's LAC (``lac.py``; the shipped
# model was trained with it), and "clusters", the distributional character clusters of
# char_clusters.tsv (tried, not adopted; the table does not ship); a model trained with
# a group needs it set here for tagging as well
EXTRA_FEATURES: frozenset[str] = frozenset({"lac"})

# a line longer than this is tagged in pieces, each cut after its last sentence or clause mark
# (``lac.split_pieces``): a line's features are about 4 KB a character, all held at once
MAX_LINE = 2000

# cue words: a name often comes right before these (王建国说, 李明先生) …
CUES_AFTER = (
    "说", "表示", "指出", "强调", "介绍", "认为", "告诉", "坦言", "透露", "称", "先生", "女士", "同志", "书记",
    "市长", "主任", "局长", "教授", "老师", "院士", "县长", "主席", "总统", "总理", "部长", "经理", "董事长",
    "导演", "教练", "队长", "回忆", "笑", "等人", "本人", "夫妇", "一家", "也", "则", "曾", "在", "的", "和", "与",
)
# … or right after these (记者王建国, 导演李明)
CUES_BEFORE = (
    "记者", "通讯员", "书记", "市长", "主任", "局长", "县长", "主席", "总统", "总理", "部长", "经理", "董事长",
    "导演", "教练", "队长", "演员", "歌手", "作者", "网友", "市民", "村民", "居民", "先生", "女士", "球员", "选手",
    "姓名", "叫", "是", "和", "与", "、", "：", "“", "《",
)
_CUE_AFTER_RX = re.compile("(?=(" + "|".join(sorted(map(re.escape, CUES_AFTER), key=len, reverse=True)) + "))")
_CUE_BEFORE_RX = re.compile("(" + "|".join(sorted(map(re.escape, CUES_BEFORE), key=len, reverse=True)) + ")")


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


@functools.lru_cache(maxsize=1)
def gazetteer() -> tuple[frozenset[str], dict[str, int]]:
    """The names of ``person_names.txt`` and, per character, how many of its names
    with a single-character surname have it in the given name."""
    path = models_dir() / GAZETTEER_NAME
    if not path.is_file():
        raise ResourceMissingError(
            f"name list {path} not found: it ships with the project (models/pii-names-crf/); set GOVSCAN_MODELS"
        )
    names = frozenset(
        line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")
    )
    given: dict[str, int] = {}
    for name in names:
        if name[0] in SINGLE_SURNAMES and len(name) <= 3:
            for ch in name[1:]:
                given[ch] = given.get(ch, 0) + 1
    return names, given


@functools.lru_cache(maxsize=1)
def char_clusters() -> dict[str, str]:
    """Character -> distributional cluster id (``char_clusters.tsv``, built by
    ``python -m corpora.pii.build_char_clusters``)."""
    path = models_dir() / CLUSTERS_NAME
    if not path.is_file():
        raise ResourceMissingError(
            f"character cluster table {path} not found: build it with `python -m corpora.pii.build_char_clusters` "
            "(needs ../shared/data) or set GOVSCAN_MODELS"
        )
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line and not line.startswith("#"):
            ch, _, cl = line.partition("\t")
            out[ch] = cl
    return out


def _gazetteer_tags(text: str, names: frozenset[str]) -> list[str]:
    """B/I for the characters of list names matched longest-first, left to right."""
    n = len(text)
    out = [""] * n
    i = 0
    while i < n:
        for size in (4, 3, 2):
            if i + size <= n and text[i:i + size] in names:
                out[i] = "B"
                for k in range(i + 1, i + size):
                    out[k] = "I"
                i += size
                break
        else:
            i += 1
    return out


def _bucket(count: int) -> str:
    return "0" if count == 0 else "1" if count < 5 else "2" if count < 30 else "3"


def _lac_entity(tag: str) -> str:
    """The LAC feature value of a character: PB/PI in a person's name, L in a place, G in
    an organisation, o otherwise (other word tags are left out: with them the CRF leaned
    on LAC's segmentation and lost names in social-media text, model card)."""
    kind = tag[:-2]
    if kind == "PER":
        return "P" + tag[-1]
    return "L" if kind == "LOC" else "G" if kind == "ORG" else "o"


def char_features(text: str, words: list[tuple[str, str, str, str]] | None = None,
                  lac: list[str] | None = None) -> list[list[str]]:
    """CRFsuite feature strings for each character of ``text`` (``words``: the
    ``word_features`` of ``text``, computed when not given; ``lac``: LAC's tags of
    ``text``, ``lac.lac_tags``, computed when not given and the model uses them)."""
    n = len(text)
    if words is None:
        words = word_features(text)
    if len(words) != n:  # jieba keeps every character; guard anyway
        words = [("S", "x", "", "")] * n
    names, given = gazetteer()
    gz = _gazetteer_tags(text, names)
    # the jieba word holding each character
    word_of: list[str] = []
    start = 0
    for i in range(n):
        if words[i][0] in "BS":
            start = i
        if words[i][0] in "ES" or i == n - 1:
            word_of.extend([text[start:i + 1]] * (i + 1 - start))
    del word_of[n:]
    word_of.extend([""] * (n - len(word_of)))
    # cue words starting 1-4 characters after a character / ending right before it
    cues_after: list[list[str]] = [[] for _ in range(n)]
    for m in _CUE_AFTER_RX.finditer(text):
        p, w = m.start(), m.group(1)
        for i in range(max(0, p + len(w) - 5), p):
            cues_after[i].append(w)
    cues_before: dict[int, str] = {}
    for m in _CUE_BEFORE_RX.finditer(text):
        if m.end() < n:
            cues_before[m.end()] = m.group(1)
    padded = "\x02\x02\x02" + text + "\x03\x03\x03"
    kl = None
    if "clusters" in EXTRA_FEATURES:
        clusters = char_clusters()
        kl = ["<", "<"] + [clusters.get(ch, CLUSTER_UNKNOWN) for ch in text] + [">", ">"]
    ent = None
    if "lac" in EXTRA_FEATURES and n:
        if lac is None:
            from .lac import lac_tags

            lac = lac_tags([text])[0]
        ent = [_lac_entity(t) for t in lac] if len(lac) == n else ["o"] * n
        ent = ["<"] + ent + [">"]
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
        if gz[i]:
            f.append("gz=" + gz[i])
        if i + 1 < n and gz[i + 1]:
            f.append("gz+1=" + gz[i + 1])
        if i > 0 and gz[i - 1]:
            f.append("gz-1=" + gz[i - 1])
        f.append("gc=" + _bucket(given.get(c0, 0)))
        f.append("gc+1=" + _bucket(given.get(cp1, 0)))
        for w in cues_after[i]:
            f.append("tR=" + w)
        if i in cues_before:
            f.append("tL=" + cues_before[i])
        WORD_FEATURES(f, word_of[i], names)
        if kl is not None:
            j = i + 2
            f += ["k0=" + kl[j], "k-1=" + kl[j - 1], "k+1=" + kl[j + 1], "k-2=" + kl[j - 2], "k+2=" + kl[j + 2],
                  "kb-1=" + kl[j - 1] + "|" + kl[j], "kb+1=" + kl[j] + "|" + kl[j + 1]]
        if ent is not None:
            f += ["lp=" + ent[i + 1], "lp-1=" + ent[i], "lp+1=" + ent[i + 2]]
        feats.append(f)
    return feats


def _word_identity(f: list[str], word: str, names: frozenset[str]) -> None:
    f.append("wl=" + str(min(len(word), 4)))
    if len(word) >= 2:
        f.append("wd=" + word)
    if word in names:
        f.append("wgz")


def _no_word_identity(f: list[str], word: str, names: frozenset[str]) -> None:
    pass


WORD_FEATURES = _word_identity


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


def lac_for(lines: list[str]) -> list[list[str] | None]:
    """LAC's tags of many lines in one batch (what ``tag_names`` needs of each line), or
    Nones when the model does not use them."""
    if "lac" not in EXTRA_FEATURES:
        return [None] * len(lines)
    from .lac import lac_tags

    return lac_tags(lines)


def tag_names(text: str, lac: list[str] | None = None) -> list[tuple[int, int, float]]:
    """Name spans (start, end, marginal probability of the span's first tag): the
    Viterbi path, then ``refine_spans`` (``lac``: the line's LAC tags when the caller
    computed them for many lines at once, ``lac_for``)."""
    if not text:
        return []
    # a lone surrogate (a JSON "\ud800" escape) cannot be encoded for CRFsuite: it raised
    # SystemError out of the analyzer; one character for another keeps the offsets
    text = _LONE_SURROGATE.sub("\ufffd", text)
    tagger = get_tagger()
    tags = tagger.tag(char_features(text, lac=lac))
    spans = []
    start = None
    for i, t in enumerate(tags + ["O"]):
        if t == "B" or t == "O":
            if start is not None:
                spans.append((start, i))
                start = None
            if t == "B":
                start = i
        elif t == "I" and start is None:
            start = i
    return [(s, e, tagger.marginal("B", s) if tags[s] == "B" else tagger.marginal("I", s))
            for s, e in refine_spans(text, spans)]


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# brackets and quotes: one left open (or closed) at a span's edge is not part of the name
_OPENING = "（(“《【「"
_CLOSING = "）)”》】」"
_PAIR = dict(zip(_OPENING, _CLOSING))
_GENDER_FOLLOWS = re.compile(r"[男女](?=$|[\d\s，,、；;。（(])")
# a form of address or a title the tagger took into the name (解杨同志, 王红主任)
_TITLE_END = re.compile(r"(?:同志|先生|女士|老师|书记|主任|局长|市长|县长|教授|院士|总统|总理|部长|经理|董事长)$")


def refine_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Span edges the tagger gets wrong in ways a rule sees: a bracket or quote at an edge
    whose partner is not inside (``(Lyn``, ``Morhaime)``) is dropped; a bracket opened
    inside and not closed ends the name (``史蒂夫奈尔斯(SteveNiles``); a title at the end
    (``解杨同志``) and a name separator at the end (``凯特·``, ``马丁-``: a sentence cut
    there) are not part of it; a gender right after a three-character name in résumé
    style (``方培琦男1961年``, ``王建国女，``) is not part of the name.  Chosen on the
    held-out training sentences (model card)."""
    out = []
    for s, e in spans:
        while e - s >= 2:
            w = text[s:e]
            if w[0] in _PAIR and _PAIR[w[0]] not in w[1:]:
                s += 1
            elif w[-1] in _CLOSING and _OPENING[_CLOSING.index(w[-1])] not in w[:-1]:
                e -= 1
            else:
                break
        for i in range(s + 2, e):
            if text[i] in _PAIR and _PAIR[text[i]] not in text[i + 1:e]:
                e = i
                break
        m = _TITLE_END.search(text, s, e)
        if m and m.start() - s >= 2:
            e = m.start()
        while e - s > 2 and text[e - 1] in "·-－—":
            e -= 1
        if e - s == 4 and text[s:s + 2] not in COMPOUND_SURNAMES and text[s] in SINGLE_SURNAMES and _GENDER_FOLLOWS.match(text, e - 1):
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def marginals(text: str, tagger=None, words: list[tuple[str, str, str, str]] | None = None) -> "np.ndarray":
    """Per-character marginal probabilities of O, B and I (an n x 3 float array; ``tagger``:
    a pycrfsuite Tagger, the shipped model when not given; ``words``: the
    ``word_features`` of ``text`` when already computed).  Used by the held-out
    evaluation of ``corpora.pii.eval_names_heldout``."""
    import numpy as np

    out = np.zeros((len(text), 3), dtype=np.float32)
    if not text:
        return out
    tagger = tagger or get_tagger()
    tagger.set(char_features(text, words))
    labels = tagger.labels()
    for k, label in enumerate(("O", "B", "I")):
        if label in labels:
            out[:, k] = [tagger.marginal(label, i) for i in range(len(text))]
    return out
