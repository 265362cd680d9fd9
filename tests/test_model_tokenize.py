"""The model's character vocabulary: one id per character, digits and Latin letters never [UNK]."""
from __future__ import annotations

import pytest

from scanner.model.vocab import PAD_ID, SPECIALS, UNK_ID, CharVocab
from scanner.model.runtime import model_path


@pytest.fixture(scope="module")
def small_vocab():
    return CharVocab.build("依法治国的通知")


@pytest.fixture(scope="module")
def shipped_vocab():
    return CharVocab.load(model_path() / "vocab.txt")


@pytest.mark.parametrize("text", [
    # an ID-number-shaped digit run (the GB 11643 example) and a date: split into single digits
    "11010519491231002X",
    "2024年3月5日",
    # Latin letters, upper and lower case, inside Chinese text
    "A股和ETF基金",
    "粤ICP备12345678号-1",
    # ASCII punctuation
    "(2022)第3号; 50%",
])
def test_digits_and_latin_never_unk(text, small_vocab, shipped_vocab):
    for vocab in (small_vocab, shipped_vocab):
        ids = vocab.encode(text)
        assert len(ids) == len(text)  # one token per character: offsets need no map
        for ch, i in zip(text, ids):
            if ch.isascii():
                assert i != UNK_ID, ch
                assert vocab.tokens[i] == ch


def test_digit_run_is_split(small_vocab):
    ids = small_vocab.encode("2022")
    assert [small_vocab.tokens[i] for i in ids] == ["2", "0", "2", "2"]
    assert ids[1] != ids[0] and ids[0] == ids[2]


@pytest.mark.parametrize("text, unknown", [
    ("依法治国", []),
    ("依法治国鱻", ["鱻"]),  # a character outside the vocabulary: [UNK], still one token
    ("通知\u3000依法", []),  # any space maps to the space token
])
def test_unknown_characters(text, unknown, small_vocab):
    ids = small_vocab.encode(text)
    assert [ch for ch, i in zip(text, ids) if i == UNK_ID] == unknown
    assert PAD_ID not in ids


def test_vocab_roundtrip(tmp_path, small_vocab):
    small_vocab.save(tmp_path / "vocab.txt")
    again = CharVocab.load(tmp_path / "vocab.txt")
    assert again.tokens == small_vocab.tokens
    assert again.tokens[: len(SPECIALS)] == list(SPECIALS)
    assert again.encode("依法 治国2") == small_vocab.encode("依法 治国2")


def test_shipped_vocab_covers_government_text(shipped_vocab):
    text = "国务院办公厅关于进一步加强政府网站信息内容建设的意见，国办发〔2014〕57号。"
    assert UNK_ID not in shipped_vocab.encode(text)


def test_missing_vocab_says_how_to_get_it(tmp_path):
    from scanner.errors import ResourceMissingError

    with pytest.raises(ResourceMissingError, match="models/"):
        CharVocab.load(tmp_path / "vocab.txt")
