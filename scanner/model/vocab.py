"""The character vocabulary: one token per character.

Each character is its own token, so token *i* is character *i* of the input and offsets
never need mapping.  Digits and ASCII letters are always in the vocabulary one by one:
a digit run such as an ID number or a date is split into single digits and never becomes
``[UNK]``.  Chinese characters come from the government corpora and the confusion sets
(see ``scanner.model.data.build_vocab``).  The file ``vocab.txt`` holds one token a line;
the line number is the id.
"""
from __future__ import annotations

import string
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import ResourceMissingError

PAD, UNK, CLS, SEP, MASK = "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"
SPECIALS = (PAD, UNK, CLS, SEP, MASK)
PAD_ID, UNK_ID = 0, 1
# Always present, one token each: digits, Latin letters, ASCII punctuation.
BASE_CHARS = tuple(string.digits + string.ascii_letters + string.punctuation)
SPACE_TOKEN = " "


class CharVocab:
    """Character <-> id.  ``encode`` never fails: unknown characters map to ``[UNK]``."""

    def __init__(self, tokens: Sequence[str]):
        if tuple(tokens[: len(SPECIALS)]) != SPECIALS:
            raise ValueError("vocabulary must start with the special tokens " + " ".join(SPECIALS))
        self.tokens = list(tokens)
        self.index = {tok: i for i, tok in enumerate(self.tokens)}
        if len(self.index) != len(self.tokens):
            raise ValueError("vocabulary has duplicate tokens")

    def __len__(self) -> int:
        return len(self.tokens)

    def __contains__(self, ch: str) -> bool:
        return ch in self.index

    def char_id(self, ch: str) -> int:
        idx = self.index.get(ch)
        if idx is not None:
            return idx
        if ch.isspace():
            return self.index.get(SPACE_TOKEN, UNK_ID)
        return UNK_ID

    def encode(self, text: str) -> list[int]:
        """One id per character of ``text`` (len(result) == len(text))."""
        get = self.index.get
        return [get(ch) if ch in self.index else self.char_id(ch) for ch in text]

    def decode(self, ids: Iterable[int]) -> str:
        return "".join(self.tokens[i] if i >= len(SPECIALS) else "\ufffd" for i in ids)

    @classmethod
    def build(cls, chars: Iterable[str]) -> "CharVocab":
        seen = dict.fromkeys(SPECIALS)
        seen[SPACE_TOKEN] = None
        for ch in BASE_CHARS:
            seen[ch] = None
        for ch in chars:
            if len(ch) == 1 and not ch.isspace():
                seen.setdefault(ch)
        return cls(list(seen))

    def save(self, path: Path) -> None:
        # The space token is written as U+2581 so that the file stays one token a line.
        lines = ["\u2581" if tok == SPACE_TOKEN else tok for tok in self.tokens]
        Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "CharVocab":
        p = Path(path)
        if not p.is_file():
            raise ResourceMissingError(f"model vocabulary {p} not found: the model ships in models/ "
                                       "(run govscan from a checkout, or retrain with `govscan model train`)")
        tokens = [SPACE_TOKEN if t == "\u2581" else t for t in p.read_text(encoding="utf-8").split("\n")[:-1]]
        return cls(tokens)
