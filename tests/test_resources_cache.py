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
