"""The base class of our Chinese pattern recognizers (presidio ``PatternRecognizer``).

Conventions every recognizer follows:

* patterns use digit lookarounds ``(?<![0-9A-Za-z*])`` … ``(?![0-9A-Za-z*])``, never
  ``\\b`` (Chinese characters are word characters);
* a pattern whose name ends in ``_masked`` matches a de-identified form
  (``138****5678``); its results carry ``recognition_metadata["masked"] = True`` and are
  reported as masked, never as leaks;
* ``validate_result`` returns True (checksum or format proven), False (drop) or None
  (cannot tell: keep the pattern's score); ``rescore`` may lower a validated score (an
  ID whose region code is missing from the current table);
* ``NEGATIVE_CONTEXT`` lists words that, seen just before a candidate without any
  supportive context word, make it something else (订单号, 统一社会信用代码 …).
"""
from __future__ import annotations

import functools
import re
from typing import ClassVar

from .engine import import_presidio

import_presidio()
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult  # noqa: E402

MASKED_KEY = "masked"
# a weak match (no checksum) that counts only where a context word labels it (身份证号：…, its
# column's header), not where one stands anywhere in the 16 characters before it
LABEL_ONLY_KEY = "label_only"


# Runs of the characters identifiers are made of.  An island ends before a character
# outside the class, so a pattern's right lookaround sees the same character at the
# island's end as in the whole text, and its left lookbehind sees the text before it.
# Dashes typed as Chinese characters (一, —, –) are in it: some contact lists put them
# between digit groups (010一67558129); the phone patterns accept them too (``TYPED_DASHES``).
TYPED_DASHES = "一—–"
_ISLAND = re.compile(rf"[0-9A-Za-z*+(（][0-9A-Za-z*+@._%#()（）\- 转分机{TYPED_DASHES}]*")


@functools.lru_cache(maxsize=4)
def islands(text: str) -> tuple[tuple[int, int, int, bool, bool], ...]:
    """The runs of identifier characters that hold a digit or '@', as (start, end,
    length, holds a '*', holds an '@'): plain tuples, unpacked in the patterns' loop."""
    out = []
    for m in _ISLAND.finditer(text):
        s, e = m.span()
        while e > s and text[e - 1] in " 分机" + TYPED_DASHES:  # never end on a space, a dash or a dangling 分/机
            e -= 1
        if e - s >= 5:
            value = text[s:e]
            at = "@" in value
            if at or _DIGIT.search(value):
                out.append((s, e, e - s, "*" in value, at))
    return tuple(out)


_DIGIT = re.compile(r"\d")


def _min_width(regex: str) -> int:
    """The fewest characters a match of ``regex`` has (islands shorter are skipped)."""
    try:
        import re._parser as sre_parse  # Python >= 3.11
    except ImportError:  # pragma: no cover
        import sre_parse
    return sre_parse.parse(regex).getwidth()[0]


def lead(first: str, not_before: str) -> str:
    """``first`` (a character class) not preceded by ``not_before``: the lookbehind
    comes after the first character so that ``re`` can skip ahead to candidates."""
    return rf"{first}(?<!{not_before}[\s\S])"


class ZhPatternRecognizer(PatternRecognizer):
    ENTITY: ClassVar[str] = ""
    PATTERNS: ClassVar[list[Pattern]] = []
    CONTEXT: ClassVar[list[str]] = []
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = ()

    def __init__(self, **kwargs):
        kwargs.setdefault("supported_entity", self.ENTITY)
        # fresh Pattern objects per instance: presidio caches the compiled regex on them
        kwargs.setdefault("patterns", [Pattern(p.name, p.regex, p.score) for p in self.PATTERNS])
        kwargs.setdefault("context", list(self.CONTEXT))
        kwargs.setdefault("supported_language", "zh")
        super().__init__(**kwargs)

    def validate_result(self, pattern_text: str) -> bool | None:
        if "*" in pattern_text or "＊" in pattern_text:
            return None  # masked forms are checked by their own pattern's shape
        return self.validate_value(pattern_text)

    def validate_value(self, pattern_text: str) -> bool | None:
        return None

    def rescore(self, value: str, score: float) -> float:
        """The final score of a kept, unmasked match (default: unchanged)."""
        return score

    def label_only(self, value: str) -> bool:
        """Whether a kept, unmasked match needs a context word labelling it (``LABEL_ONLY_KEY``)."""
        return False

    def _compiled(self, flags: int):
        """The patterns compiled once with the standard library's ``re`` (presidio
        compiles with ``regex``, several times slower on these simple patterns), each
        with its shortest match and what its matches must hold ('*', '@')."""
        cache = self.__dict__.setdefault("_re_cache", {})
        if flags not in cache:
            cache[flags] = [
                (p, re.compile(p.regex, flags), _min_width(p.regex), p.name.endswith("_masked"), "@" in p.regex)
                for p in self.patterns
            ]
        return cache[flags]

    REQUIRED: ClassVar[str] = ""  # a character every match contains (skip the text without it)
    PATTERN_REQUIRES: ClassVar[dict[str, str]] = {}  # pattern name -> substring its matches contain
    # a match followed by what this matches is not the entity (a mobile followed by 元 is an amount)
    NOT_BEFORE: ClassVar[re.Pattern | None] = None

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None) -> list[RecognizerResult]:
        """presidio's pattern analysis (validate, explanation, metadata), plus the masked
        flag and ``rescore``."""
        flags = regex_flags or self.global_regex_flags
        kept = []
        if self.REQUIRED and self.REQUIRED not in text:
            return kept
        spans = islands(text)
        if not spans:
            return kept
        for pattern, rx, width, masked, needs_at in self._compiled(flags):
            needs = self.PATTERN_REQUIRES.get(pattern.name)
            if needs and needs not in text:
                continue
            # only the islands that can hold a match: long enough, with a '*' for a
            # masked form and an '@' for an e-mail (most islands are dates and numbers)
            matches = [
                m for s, e, length, star, at in spans
                if length >= width and (star or not masked) and (at or not needs_at)
                for m in rx.finditer(text, s, e)
            ]
            for m in matches:
                start, end = m.span()
                if start == end or (self.NOT_BEFORE is not None and self.NOT_BEFORE.match(text, end)):
                    continue
                value = text[start:end]
                validation = self.validate_result(value)
                score = pattern.score
                if validation is not None:
                    score = self.MAX_SCORE if validation else self.MIN_SCORE
                if not masked and score > self.MIN_SCORE:
                    score = self.rescore(value, score)
                if score <= self.MIN_SCORE:
                    continue
                why = self.build_regex_explanation(self.name, pattern.name, pattern.regex, pattern.score, validation, flags)
                why.score = score
                kept.append(RecognizerResult(
                    self.supported_entities[0], start, end, score, why,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        MASKED_KEY: masked,
                        LABEL_ONLY_KEY: not masked and self.label_only(value),
                    },
                ))
        return kept
