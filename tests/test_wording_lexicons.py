"""The wording lexicons: well-formed, no duplicates, terms that survive tokenization, loud failure
when one is missing; the variant generator and the compact view."""
import collections
import datetime as dt
import re

import pytest

from scanner.errors import ResourceMissingError
from scanner.resources import TERM_COLUMNS, lexicon_dir, read_tsv

LEXICONS = {
    # file: the columns that make a row unique
    "leaders.tsv": ("name", "office", "start"),
    "leaders_guangdong.tsv": ("name", "office", "start"),
    "formulations.tsv": ("term", "kind", "start"),
    "sovereignty.tsv": ("term",),
    "xinhua_banned.tsv": ("term",),
    "events.tsv": ("term",),
    "confusion_chars.tsv": ("char",),
    "variant_stoplist.tsv": ("variant",),
    "misspellings.tsv": ("wrong",),
}
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


@pytest.mark.parametrize("name", sorted(LEXICONS))
def test_header_comment_and_source(name):
    text = (lexicon_dir() / name).read_text(encoding="utf-8")
    assert text.startswith("# "), "a header comment describes the file"
    header = text.lower()
    assert "source" in header or "sources" in header
    assert "licen" in header or "apache" in header or "mit" in header or "public domain" in header


@pytest.mark.parametrize("name, key", sorted(LEXICONS.items()))
def test_no_duplicates(name, key):
    rows = read_tsv(name)
    assert rows, f"{name} is empty"
    counts = collections.Counter(tuple(r[k] for k in key) for r in rows)
    dupes = {k for k, n in counts.items() if n > 1}
    assert not dupes


TERM_FILES = ("leaders.tsv", "leaders_guangdong.tsv", "formulations.tsv", "sovereignty.tsv", "xinhua_banned.tsv",
              "events.tsv")


@pytest.mark.parametrize("name", TERM_FILES)
def test_terms_survive_tokenization(name):
    """Every term of a term column comes out of jieba unsplit: no token boundary falls inside a
    run of Chinese characters of the term (punctuation such as 、 “ · always separates tokens)."""
    from scanner.text.tokenize import tokenize

    rows = read_tsv(name)
    columns = [c for c in TERM_COLUMNS if c in rows[0]]
    assert columns, f"{name} has no term column"
    broken = []
    for row in rows:
        for col in columns:
            term = row[col]
            if not term or len(term) > 30 or " " in term:
                continue
            cuts = {t.end for t in tokenize(term)}
            for m in HAN_RUN.finditer(term):
                if any(m.start() < c < m.end() for c in cuts):
                    broken.append(term)
    assert not broken, broken[:10]


def test_dates_are_iso_and_ordered():
    for name in ("leaders.tsv", "leaders_guangdong.tsv"):
        for r in read_tsv(name):
            start = dt.date.fromisoformat(r["start"])
            if r["end"]:
                assert dt.date.fromisoformat(r["end"]) > start, r
            assert r["date_basis"] in ("day", "session", "month"), r
            assert r["source"], r


def test_each_leadership_has_a_full_standing_committee():
    from scanner.checks.wording.lexicon import load_leaders

    leaders = load_leaders(None)
    for on, size in ((dt.date(1995, 1, 1), 7), (dt.date(2005, 1, 1), 9), (dt.date(2010, 1, 1), 9),
                     (dt.date(2015, 1, 1), 7), (dt.date(2020, 1, 1), 7), (dt.date(2024, 1, 1), 7)):
        psc = sorted(leaders.rank(n, "中央政治局常委", on) or 0 for n in leaders.offices
                     if leaders.holds(n, ("中央政治局常委",), on))
        assert psc == list(range(1, size + 1)), (on, psc)


def test_missing_lexicon_fails_loudly(tmp_path, monkeypatch):
    from scanner.checks.wording import lexicon

    monkeypatch.setenv("GOVSCAN_LEXICONS", str(tmp_path))
    read_tsv.cache_clear()
    lexicon.get_lexicon.cache_clear()
    try:
        with pytest.raises(ResourceMissingError, match="leaders.tsv"):
            lexicon.get_lexicon("guangdong")
    finally:
        monkeypatch.undo()
        read_tsv.cache_clear()
        lexicon.get_lexicon.cache_clear()


@pytest.mark.parametrize("canonical, variant, kind", [
    ("习近平", "习进平", "sub"),
    ("习近平", "习平", "del"),
    ("习近平", "习近近平", "ins"),
    ("习近平", "近习平", "swap"),
    ("四个意识", "三个意识", "count"),
])
def test_variant_generator(canonical, variant, kind):
    from scanner.checks.wording.variants import edit_variants

    assert (variant, kind) in set(edit_variants(canonical, count_word=True))


def test_variant_generator_leaves_edges_alone():
    from scanner.checks.wording.variants import edit_variants

    variants = {v for v, _ in edit_variants("习近平")}
    assert "习近" not in variants and "近平" not in variants  # edge deletions
    assert "习近平平" not in variants and "习习近平" not in variants  # edge insertions


@pytest.mark.parametrize("text, ch", [
    ("总理 李　强", "强"),
    ("习\u200b·近平", "近"),
    ("全角：ＡＢＣ習.近.平", "平"),
])
def test_compact_view_maps_back(text, ch):
    from scanner.checks.wording.lexicon import CompactView
    from scanner.text.normalize import normalize

    norm = normalize(text)
    view = CompactView.of(norm.text)
    i = view.text.find(ch)
    assert i >= 0 and " " not in view.text[i - 2:i + 1] and "·" not in view.text
    ns, ne = view.span_to_norm(i, i + 1)
    os_, oe = norm.span_to_original(ns, ne)
    assert text[os_:oe] == ch


def test_an_unknown_province_fails_loudly():
    from scanner.checks.wording.leader_name import LeaderNameCheck
    from tests.wording_cases import document

    check = LeaderNameCheck(province="atlantis")
    with pytest.raises(ResourceMissingError, match="leaders_atlantis.tsv"):
        list(check.run(document("国务院总理李墙", dt.date(2024, 1, 1))))


@pytest.mark.parametrize("kind", ["sub", "del", "ins", "swap"])
def test_injected_corruptions_are_one_edit_and_never_hold_the_original(kind):
    import random

    from corpora.wording_injection import corrupt

    conf = {"近": ["进", "斤"], "平": ["评"], "习": ["席"]}
    rng = random.Random(3)
    for _ in range(50):
        wrong = corrupt("习近平", kind, rng, conf)
        assert wrong and wrong != "习近平" and len(wrong) in (2, 3, 4)
        if kind == "sub":
            assert len(wrong) == 3 and sum(a != b for a, b in zip(wrong, "习近平")) == 1
        if kind == "swap":
            assert sorted(wrong) == sorted("习近平")
        if kind == "del":
            assert wrong == "习平"  # interior only
        if kind == "ins":
            assert wrong[0] == "习" and wrong[-1] == "平"  # never at the edges
