"""The on-disk build cache: served when the lexicons are unchanged, rebuilt when they change."""
import pickle

import pytest

from scanner import resources


@pytest.fixture
def lex(tmp_path, monkeypatch):
    """A lexicon folder with a.tsv (one term, 甲) and an empty cache folder beside it."""
    lex = tmp_path / "lex"
    lex.mkdir()
    (lex / "a.tsv").write_text("# test\nterm\n甲\n", encoding="utf-8")
    monkeypatch.setenv("GOVSCAN_LEXICONS", str(lex))
    monkeypatch.setenv("GOVSCAN_CACHE", str(tmp_path / "cache"))
    return lex


def test_cached_build_rebuilds_when_a_lexicon_changes(lex, tmp_path):
    calls = []

    def build():
        calls.append(1)
        return {"terms": (lex / "a.tsv").read_text(encoding="utf-8").split()[-1]}

    assert resources.cached_build("t", build, lexicons=("a.tsv",)) == {"terms": "甲"}
    assert resources.cached_build("t", build, lexicons=("a.tsv",)) == {"terms": "甲"}
    assert len(calls) == 1  # second call served from the cache
    (lex / "a.tsv").write_text("# test\nterm\n乙\n", encoding="utf-8")
    assert resources.cached_build("t", build, lexicons=("a.tsv",)) == {"terms": "乙"}
    assert len(calls) == 2
    assert len(list((tmp_path / "cache").glob("t-*.pickle"))) == 1  # the stale entry was removed


def test_corrupt_cache_is_rebuilt_and_off_switch(lex, tmp_path, monkeypatch):
    resources.cached_build("t", lambda: 1, lexicons=("a.tsv",))
    (entry,) = (tmp_path / "cache").glob("t-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert resources.cached_build("t", lambda: 2, lexicons=("a.tsv",)) == 2
    assert pickle.loads(next((tmp_path / "cache").glob("t-*.pickle")).read_bytes()) == 2
    monkeypatch.setenv("GOVSCAN_CACHE", "off")
    assert resources.cached_build("t", lambda: 3, lexicons=("a.tsv",)) == 3


def test_a_build_after_an_edit_reads_the_edited_lexicon(lex, tmp_path):
    """A long-running process (the web server) read a.tsv, then a.tsv was edited: the build must
    see the new rows, and the pickle stored under the new content's key must hold them (it held
    the rows read before the edit, served to every later process)."""
    resources.read_tsv.cache_clear()

    @resources.lexicon_cache(maxsize=1)
    def derived():  # a table derived from the lexicon, as confusion_table or _events
        return "+".join(r["term"] for r in resources.read_tsv("a.tsv"))

    def build():
        return {"rows": [r["term"] for r in resources.read_tsv("a.tsv")], "derived": derived()}

    assert build() == {"rows": ["甲"], "derived": "甲"}  # read (and cached) before the edit
    (lex / "a.tsv").write_text("# test\nterm\n乙\n", encoding="utf-8")
    assert resources.cached_build("t", build, lexicons=("a.tsv",)) == {"rows": ["乙"], "derived": "乙"}
    (entry,) = (tmp_path / "cache").glob("t-*.pickle")
    assert pickle.loads(entry.read_bytes()) == {"rows": ["乙"], "derived": "乙"}
    resources.read_tsv.cache_clear()


def test_a_lexicon_from_another_folder_is_not_served_from_the_first_folders_rows(lex, tmp_path, monkeypatch):
    resources.read_tsv.cache_clear()
    assert resources.read_tsv("a.tsv")[0]["term"] == "甲"
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.tsv").write_text("# test\nterm\n丙\n", encoding="utf-8")
    monkeypatch.setenv("GOVSCAN_LEXICONS", str(other))
    build = lambda: [r["term"] for r in resources.read_tsv("a.tsv")]  # noqa: E731
    assert resources.cached_build("t", build, lexicons=("a.tsv",)) == ["丙"]
    resources.read_tsv.cache_clear()


def test_a_lexicon_edited_during_the_build_is_not_stored(lex, tmp_path):
    def build():
        value = (lex / "a.tsv").read_text(encoding="utf-8").split()[-1]
        (lex / "a.tsv").write_text("# test\nterm\n丁\n", encoding="utf-8")  # edited while building
        return value

    assert resources.cached_build("t", build, lexicons=("a.tsv",)) == "甲"
    assert list((tmp_path / "cache").glob("t-*.pickle")) == []  # 甲 is not stored under 丁's key
    assert resources.cached_build("t", lambda: "丁", lexicons=("a.tsv",)) == "丁"


def test_read_tsv_keeps_its_format(lex):
    """Read from bytes now (to record what was read): CRLF, short rows, comments, as before."""
    resources.read_tsv.cache_clear()
    (lex / "b.tsv").write_bytes("# c\r\nterm\tnote\r\n甲\t注\r\n\r\n乙\r\n".encode("utf-8"))
    assert resources.read_tsv("b.tsv") == ({"term": "甲", "note": "注"}, {"term": "乙", "note": ""})
    resources.read_tsv.cache_clear()
