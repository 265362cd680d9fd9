"""Tokenization: jieba with a user dictionary built from ``lexicons/``, and a spaCy
``zh`` pipeline (``spacy.blank("zh")`` with the jieba segmenter) that presidio uses as
its NLP engine.  Nothing is downloaded: ``zh-core-web-sm`` on PyPI is a placeholder.

Terms listed in the lexicons (leader names, formulations, …) are added to jieba with a
high frequency, so they are never split.  Everything loads once per process, lazily.
"""
from __future__ import annotations

import dataclasses
import functools
import logging
import threading
from collections.abc import Iterator

from ..resources import cached_build, lexicon_dir, lexicon_terms

_LOCK = threading.Lock()


@dataclasses.dataclass(frozen=True, slots=True)
class Token:
    word: str
    start: int
    end: int


@functools.lru_cache(maxsize=1)
def get_jieba():
    """A jieba Tokenizer with the lexicon terms added (listed terms never split).

    The dictionary with the terms added is cached on disk as a pickle keyed by the lexicons
    (``resources.cached_build``): loading it takes a fraction of jieba's own marshal cache."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    with _LOCK:
        freq, total, tags = cached_build(
            "jieba-dict", _build_jieba_dictionary,
            lexicons=_lexicon_files(), code=(__file__, jieba.__file__),
        )
        tk = jieba.Tokenizer()
        tk.FREQ, tk.total, tk.user_word_tag_tab = freq, total, tags
        tk.initialized = True
    return tk


def _lexicon_files() -> tuple[str, ...]:
    directory = lexicon_dir()
    return tuple(sorted(p.name for p in directory.glob("*.tsv"))) if directory.is_dir() else ()


def _build_jieba_dictionary():
    import jieba

    tk = jieba.Tokenizer()
    tk.initialize()
    for term in lexicon_terms():
        tk.add_word(term, freq=max(tk.suggest_freq(term), 100_000))
    return tk.FREQ, tk.total, tk.user_word_tag_tab


def tokenize(text: str) -> list[Token]:
    """jieba tokens with code-point offsets into ``text`` (precise mode, HMM on)."""
    return [Token(w, s, e) for w, s, e in get_jieba().tokenize(text)]


def iter_tokens(text: str) -> Iterator[Token]:
    for w, s, e in get_jieba().tokenize(text):
        yield Token(w, s, e)


@functools.lru_cache(maxsize=1)
def get_spacy_nlp():
    """``spacy.blank("zh")`` whose tokenizer is our jieba (with the lexicon terms)."""
    import spacy
    from spacy.tokens import Doc

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    vocab = nlp.vocab
    tk = get_jieba()

    class JiebaTokenizer:
        """spaCy tokenizer producing jieba tokens; whitespace runs become spaces."""

        def __call__(self, text: str) -> Doc:
            words: list[str] = []
            spaces: list[bool] = []
            for w, _s, _e in tk.tokenize(text):
                if w.isspace() and words:
                    # spaCy keeps single trailing spaces on the previous token
                    if w == " " and not spaces[-1]:
                        spaces[-1] = True
                        continue
                words.append(w)
                spaces.append(False)
            return Doc(vocab, words=words, spaces=spaces, lemmas=list(words))

        def to_bytes(self, **kwargs):  # spaCy serialization hooks
            return b""

        def from_bytes(self, _b, **kwargs):
            return self

        def to_disk(self, _p, **kwargs):
            return None

        def from_disk(self, _p, **kwargs):
            return self

    nlp.tokenizer = JiebaTokenizer()
    return nlp
