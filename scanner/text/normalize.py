"""Normalization with an offset map.

Checks match on a normalized copy of the text; every finding is reported at code-point
offsets of the original.  The normalization is *safe*: it never changes what a reader
sees, only how the same content is spelled.

* full-width digits and Latin letters (and ＊ ＋ － ． ＠ ＿) become half-width;
* compatibility and look-alike ideographs (CJK compatibility ideographs, Kangxi radicals,
  CJK radical supplement characters with an NFKC decomposition) become the unified
  ideograph NFKC gives, one character for one character;
* traditional characters become simplified (OpenCC's TSCharacters table, first reading);
* every Unicode space (NBSP, ideographic space U+3000, …) becomes an ASCII space;
* zero-width and invisible format characters (U+200B–U+200F, U+2060–U+2064, U+FEFF,
  U+00AD, U+180E, U+034F) are removed: the only operation that changes lengths.

Chinese punctuation stays as it is (NFKC would turn ，into , and 〔〕 stay untouched).
The map is a list of kept segments, so mapping an offset is a binary search and a text
without invisible characters costs no map at all.
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import re
import unicodedata
from pathlib import Path

INVISIBLE_RE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e\u034f]+")

_FULLWIDTH_KEEP = set("＊＋－．＠＿")


@functools.lru_cache(maxsize=1)
def _translation_table() -> dict[int, str]:
    table: dict[int, str] = {}
    # Full-width ASCII letters and digits, and a few symbols used inside identifiers.
    for cp in range(0xFF01, 0xFF5F):
        ch = chr(cp)
        if ch.isalnum() or ch in _FULLWIDTH_KEEP:
            table[cp] = chr(cp - 0xFEE0)
    # Unicode spaces (but not newlines/tabs, which carry structure).
    for cp in (0x00A0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000):
        table[cp] = " "
    # Look-alike ideographs: Kangxi radicals, radical supplement, compatibility ideographs.
    for lo, hi in ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)):
        for cp in range(lo, hi + 1):
            nf = unicodedata.normalize("NFKC", chr(cp))
            if len(nf) == 1 and nf != chr(cp):
                table[cp] = nf
    # Traditional to simplified, character by character (OpenCC data, Apache-2.0).
    for trad, simp in _opencc_ts_characters().items():
        table.setdefault(ord(trad), simp)
    return table


def _opencc_ts_characters() -> dict[str, str]:
    import opencc  # opencc-python-reimplemented ships the OpenCC dictionaries

    path = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    pairs: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2 or len(parts[0]) != 1:
                continue
            simp = parts[1].split(" ")[0]
            if len(simp) == 1 and simp != parts[0]:
                pairs[parts[0]] = simp
    return pairs


@dataclasses.dataclass(frozen=True, slots=True)
class NormalizedText:
    """The normalized text and the map back to the original.

    ``segments`` holds (normalized_start, original_start) for each run of kept
    characters; within a run offsets move together.
    """

    original: str
    text: str
    segments: tuple[tuple[int, int], ...]
    _norm_starts: tuple[int, ...] = dataclasses.field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.segments and not self._norm_starts:
            object.__setattr__(self, "_norm_starts", tuple(s[0] for s in self.segments))

    @property
    def changed_length(self) -> bool:
        return bool(self.segments)

    def to_original(self, pos: int) -> int:
        """Original offset of the character at normalized offset ``pos``."""
        if not self.segments:
            return pos
        i = bisect.bisect_right(self._norm_starts, pos) - 1
        if i < 0:
            return pos
        ns, os_ = self.segments[i]
        return os_ + (pos - ns)

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized span [start, end) to the original text.

        Invisible characters *inside* the span stay inside it (so the slice shows the
        evasion); those before the first or after the last character are left out.
        """
        if end <= start:
            p = self.to_original(start)
            return p, p
        return self.to_original(start), self.to_original(end - 1) + 1


def normalize(text: str) -> NormalizedText:
    """Normalize ``text`` (see the module docstring); linear in its length."""
    translated = text.translate(_translation_table())
    if not INVISIBLE_RE.search(translated):
        return NormalizedText(text, translated, ())
    parts: list[str] = []
    segments: list[tuple[int, int]] = []
    norm_pos = 0
    orig_pos = 0
    for m in INVISIBLE_RE.finditer(translated):
        if m.start() > orig_pos:
            segments.append((norm_pos, orig_pos))
            chunk = translated[orig_pos : m.start()]
            parts.append(chunk)
            norm_pos += len(chunk)
        orig_pos = m.end()
    if orig_pos < len(translated):
        segments.append((norm_pos, orig_pos))
        parts.append(translated[orig_pos:])
    if not segments:
        segments.append((0, len(translated)))
    return NormalizedText(text, "".join(parts), tuple(segments))
