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

from typing import ClassVar

from .engine import import_presidio

import_presidio()
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult  # noqa: E402

MASKED_KEY = "masked"


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

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        kept = []
        for res in results:
            why = res.analysis_explanation
            masked = bool(why and why.pattern_name and why.pattern_name.endswith("_masked"))
            res.recognition_metadata[MASKED_KEY] = masked
            if not masked:
                new = self.rescore(text[res.start:res.end], res.score)
                if new <= 0:
                    continue
                if new != res.score:
                    res.score = new
                    if why is not None:
                        why.score = new
            kept.append(res)
        return kept
