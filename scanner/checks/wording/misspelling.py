"""wording.misspelling: a misspelt word of government writing (疑似错别字: 防讯 for 防汛, 做风 for
作风, 官僚主意 for 官僚主义, 坚绝 for 坚决).

The wrong forms are those of ``lexicons/misspellings.tsv`` (built by
``corpora/build_misspellings.py``): a word of government writing (ECSpell's 公文写作 lists),
frequent in ../shared/data/gov-text, with one character replaced by one attested as written in
its place (ECSpell's training sentences, macro-correct's confusion dictionary) or of the same
reading among the commonest characters, where the result never occurs in the 22.5 million
characters of gov-text and is no common word, no name and no two words meeting.  The wording model
(``wording.classifier``) scores characters in context and misses many of these in short
sentences; the list names them and their correction.

Not reported: a wrong form that two words of the text may spell where they meet: a word of
jieba's dictionary crossing either edge of the span or holding it (做风 in 叫做风景 or 做风险评估, the
span ends inside 风险), and a span in or beside a personal value the PII analyzer finds (陈伟带着
holds 伟带, one character from 伟大).

Severity: advisory (提示·疑似错别字), as the model's.  Veto (单项否决·严重表述错误) when the span
falls on a leader name or canonical formulation: it lies in a near-variant of one, or the
correction writes one there (the rule of ``wording.classifier``).
"""
from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable

from ...findings import Finding, Severity
from ...resources import cached_build, read_tsv
from ...types import Document
from ..base import Check
from ..registry import register
from .classifier import INDICATOR_TYPO, correction_hits, lexicon_spans, not_judged
from .lexicon import INDICATOR_WORDING, _ByteToChar

JIEBA_WORD = 20  # a jieba dictionary entry this frequent is a word (the builder's threshold)


@dataclasses.dataclass
class Misspellings:
    rows: dict[str, tuple[str, int, str]]  # wrong -> (right, right_count, source)
    automaton: object

    def scan(self, text: str) -> Iterable[tuple[int, int, str]]:
        """(start, end, wrong) of every listed wrong form in ``text`` (over UTF-8 bytes, as the
        lexicon engine: a root with thousands of Chinese characters is slow in pyahocorasick)."""
        raw = text.encode("utf-8")
        to_char = _ByteToChar(text, raw)
        for end_idx, (length, nbytes, wrong) in self.automaton.iter(raw.decode("latin-1")):
            start = to_char(end_idx - nbytes + 1)
            yield start, start + length, wrong


def _build() -> Misspellings:
    import ahocorasick

    # read_tsv unwrapped: its cache would keep 100,000 row dicts for the life of the process
    rows = {r["wrong"]: (r["right"], int(r["right_count"]), r["source"]) for r in read_tsv.__wrapped__("misspellings.tsv")}
    automaton = ahocorasick.Automaton()
    for wrong in rows:
        raw = wrong.encode("utf-8")
        automaton.add_word(raw.decode("latin-1"), (len(wrong), len(raw), wrong))
    automaton.make_automaton()
    return Misspellings(rows, automaton)


@functools.lru_cache(maxsize=1)
def get_misspellings() -> Misspellings:
    """The list and its automaton, built once per process and cached on disk like the lexicon."""
    from pathlib import Path

    return cached_build("wording-misspellings", _build, lexicons=("misspellings.tsv",), code=(str(Path(__file__)),))


def two_words_meet(text: str, s: int, e: int, words: dict) -> bool:
    """Whether a common word of jieba's dictionary crosses an edge of [s, e) or holds the span
    with a neighbour: the characters may belong to two words (叫做|风景, 做|风险)."""
    n = len(text)
    for a in range(max(0, s - 3), e):
        for b in range(max(a + 2, s + 1), min(n, a + 4) + 1):
            if (a < s or b > e) and b > s and a < e and words.get(text[a:b], 0) >= JIEBA_WORD:
                return True
    return False


@register
class MisspellingCheck(Check):
    """A listed misspelling of a word of government writing."""

    CODE = "wording.misspelling"
    CATEGORY = "wording"
    SEVERITY = Severity.ADVISORY
    INDICATOR = INDICATOR_TYPO
    ACTION = "核对该词用字：属错别字的予以更正；确认无误的可忽略。"
    PROVINCE: str | None = "guangdong"

    def run(self, doc: Document) -> Iterable[Finding]:
        text = doc.norm.text
        if not text.strip():
            return
        table = get_misspellings()
        found = list(table.scan(text))
        if not found:
            return
        from ...text.tokenize import get_jieba

        words = get_jieba().FREQ
        exact, near = lexicon_spans(doc, self.PROVINCE)
        skip = None
        for s, e, wrong in found:
            if two_words_meet(text, s, e, words):
                continue
            if any(a < e and s < b for a, b, _ in exact):
                continue  # inside a correctly written leader name or formulation
            right, right_count, source = table.rows[wrong]
            on = next((what for a, b, what in near if a < e and s < b), None) \
                or correction_hits(text, s, e, right, self.PROVINCE)
            if on is None:
                if skip is None:
                    skip = not_judged(doc)
                if any(a < e and s < b for a, b, _ in skip):
                    continue  # in or beside a name (陈伟带着 holds 伟带 ~ 伟大): not a word of anyone's writing
            severity, indicator = self.SEVERITY, self.INDICATOR
            why = (f"'{wrong}' is '{right}' with one character replaced ({source}); '{right}' is written {right_count} "
                   f"times in gov-text and '{wrong}' never (lexicons/misspellings.tsv)")
            message = f"疑似错别字：“{wrong}”应为“{right}”"
            if on is not None:
                severity, indicator = Severity.VETO, INDICATOR_WORDING
                why += f"; the span falls on the leader name or canonical formulation '{on}'"
                message += f"（涉及“{on}”）"
            yield self.finding(doc, s, e, message=message, explanation=why,
                               suggestion=right, score=0.8, severity=severity, indicator=indicator)
