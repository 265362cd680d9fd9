"""The PII analyzer used by review, audit and mask: presidio recognizers, run cheaply.

Presidio's ``AnalyzerEngine`` runs its NLP engine (here spaCy ``zh`` with jieba) over
the whole text before any recognizer, which costs more than all our regexes together.
This analyzer calls the same presidio recognizers (``engine.RECOGNIZERS``) directly and
does what the engine's context enhancer does only where there is a candidate:

1. every recognizer's ``analyze`` (regexes, checksums, structure);
2. context, on jieba tokens of the few characters before a candidate on its line, plus
   the column header of its table cell: a supportive word (身份证号, 联系电话 …) adds
   0.35 (presidio's default factor, floor 0.4); a negative word (订单号, 信用代码 …)
   without a supportive one drops a digits-only candidate.  Text is tokenized only when
   a plain substring test says a context word may be there;
3. organisation identifiers (统一社会信用代码 with a valid GB 32100 check, ICP and 公安
   备案号, 网站标识码) suppress what they overlap; they are never personal;
4. one entity per span: the most specific validated entity wins (ID over bank card
   over phone …);
5. the reporting threshold (default 0.5); masked forms are kept and flagged.
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import re

from .common import layout_of

LABEL_ONLY_KEY = "label_only"  # (recognizer.LABEL_ONLY_KEY: that module imports presidio)

# specificity: lower wins an overlap (after validated-first)
RANK = {
    "CN_USCC": 0,
    "CN_RESIDENT_ID": 1,
    "CN_BANK_CARD": 2,
    "CN_PASSPORT": 3,
    "CN_MOBILE": 4,
    "CN_LANDLINE": 5,
    "EMAIL": 6,
    "CN_ADDRESS": 7,
    "PERSON": 8,
}
NOT_PERSONAL = {"CN_USCC"}
DIGIT_ENTITIES = {"CN_RESIDENT_ID", "CN_BANK_CARD", "CN_MOBILE", "CN_LANDLINE", "CN_PASSPORT"}
# organisation identifiers: what they cover is never personal
_ORG_IDS = re.compile(
    r"(?:ICP[备证]|公网安备|网站标识码|新媒体标识码|标识码|统一社会信用代码|信用代码)[：:\s]*[0-9A-Za-z\-]{6,24}号?(?:-\d+)?"
)
CONTEXT_WINDOW = 16
CONTEXT_BOOST = 0.35
CONTEXT_FLOOR = 0.4


@dataclasses.dataclass(frozen=True, slots=True)
class Detection:
    """One detected personal value at offsets of the analyzed text."""

    entity: str
    start: int
    end: int
    score: float
    masked: bool
    pattern: str = ""
    validated: bool = False
    context_word: str = ""
    header: str = ""

    @property
    def explanation(self) -> str:
        parts = [f"{self.entity}: matched {self.pattern or 'pattern'}", f"score {self.score:.2f}"]
        if self.masked:
            parts.append("masked form")
        if self.validated:
            parts.append("validated (checksum/format)")
        if self.context_word:
            parts.append(f"context word '{self.context_word}'")
        return ", ".join(parts)


@functools.lru_cache(maxsize=4096)
def _tokens(window: str) -> tuple[str, ...]:
    from ...text.tokenize import get_jieba

    words = [w for w in get_jieba().lcut(window) if w.strip()]
    # consecutive 2- and 3-token joins, so 订单+号 also reads as 订单号
    grams = list(words)
    for n in (2, 3):
        grams.extend("".join(words[i:i + n]) for i in range(len(words) - n + 1))
    return tuple(grams)


def _alternation(words) -> re.Pattern | None:
    words = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)), re.I) if words else None


def _find_word(words: tuple[str, ...], candidates) -> str:
    for w in words:
        for c in candidates:
            if w == c or (len(c) >= 2 and w.endswith(c)):
                return c
    return ""


# what may stand between a label and its value (身份证号码：, 身份证号为, 证件号码（身份证）)
_LABEL_FILLER = re.compile(r"[\s:：()（）\[\]【】号码为是]*")


def _labels(word: str, header: str, window: str, pos_rx, neg_rx) -> bool:
    """Whether the context word labels the value itself: in its column's header or right before
    it (only separators between), and no negative word in the header or the window (a weak
    match, ``LABEL_ONLY_KEY``: 凭身份证办理，受理编号4401…000 or a 身份证 cell beside an 订单号
    column is no ID)."""
    if neg_rx is not None and (neg_rx.search(header) or neg_rx.search(window)):
        return False
    if header and pos_rx.search(header):
        return True
    last = None
    for last in pos_rx.finditer(window):
        pass
    return last is not None and _LABEL_FILLER.fullmatch(window, last.end()) is not None


class PiiAnalyzer:
    """Runs the presidio recognizers of ``engine.RECOGNIZERS`` with cheap context."""

    def __init__(self, recognizers=None, *, min_score: float = 0.5, text_names: bool = False, entities=None):
        from .engine import build_recognizers

        self.recognizers = recognizers if recognizers is not None else build_recognizers(text_names=text_names)
        if entities:
            wanted = set(entities) | NOT_PERSONAL
            self.recognizers = [r for r in self.recognizers if r.supported_entities[0] in wanted]
        self.min_score = min_score
        self._context = {r.supported_entities[0]: tuple(r.context) for r in self.recognizers}
        self._negative = {r.supported_entities[0]: tuple(getattr(r, "NEGATIVE_CONTEXT", ())) for r in self.recognizers}
        # context words too general to label a weak match alone (证号: 执业证号, 许可证号)
        self._weak = {r.supported_entities[0]: frozenset(getattr(r, "WEAK_LABELS", ())) for r in self.recognizers}
        # one alternation per word list: a substring pre-test before jieba is asked
        self._context_rx = {e: _alternation(w) for e, w in self._context.items()}
        self._negative_rx = {e: _alternation(w) for e, w in self._negative.items()}

    def analyze(self, text: str) -> list[Detection]:
        layout = layout_of(text) if "\t" in text or "|" in text else None
        blockers = [(m.start(), m.end()) for m in _ORG_IDS.finditer(text)]
        candidates: list[Detection] = []
        # one recognizer's results at a time, each made a Detection and let go (all of them were
        # held first, with presidio's explanation objects: some 400 MB for 400,000 of a 名单)
        for rec in self.recognizers:
            for res in rec.analyze(text, rec.supported_entities):
                det = self._with_context(text, res, layout)
                if det is None:
                    continue
                if det.entity in NOT_PERSONAL:
                    if det.score >= self.min_score:
                        blockers.append((det.start, det.end))
                    continue
                candidates.append(det)
        # a candidate overlapping a blocker: found by bisection in the blockers sorted by start,
        # with the greatest end so far (each candidate was compared with every blocker: 65,536
        # rows of a 名单, four minutes)
        blockers.sort()
        blocker_starts = [b[0] for b in blockers]
        reach = list(itertools.accumulate((b[1] for b in blockers), max))  # the greatest end of blockers[:i + 1]

        def blocked(d: Detection) -> bool:
            i = bisect.bisect_left(blocker_starts, d.end)  # blockers starting before d ends
            return i > 0 and reach[i - 1] > d.start

        candidates = [
            d for d in candidates
            if not blocked(d)
            or (d.entity == "CN_RESIDENT_ID" and d.validated and d.context_word)
            or d.entity in ("PERSON", "CN_ADDRESS")
        ]
        kept: list[Detection] = []
        taken = bytearray(len(text) + 1)  # the characters of the kept spans (disjoint): 1
        empty: list[int] = []  # kept spans without characters (none in practice), sorted
        for det in sorted(candidates, key=lambda d: (not d.validated, RANK.get(d.entity, 9), -d.score, -(d.end - d.start), d.start)):
            if det.score < self.min_score and not det.masked:
                continue
            # (sorted lists of the kept starts and ends, one insert each: 400,000 items, 40 s)
            if det.end > det.start:
                if taken.find(1, det.start, det.end) >= 0:
                    continue
                i = bisect.bisect_right(empty, det.start)
                if i < len(empty) and empty[i] < det.end:
                    continue
                taken[det.start:det.end] = b"\x01" * (det.end - det.start)
            else:
                if any(k.start < det.start < k.end for k in kept):
                    continue
                bisect.insort(empty, det.start)
            kept.append(det)
        kept.sort(key=lambda d: (d.start, d.end))
        return kept

    def _with_context(self, text: str, res, layout) -> Detection | None:
        entity = res.entity_type
        why = res.analysis_explanation
        masked = bool(res.recognition_metadata.get("masked"))
        pattern = getattr(why, "pattern_name", "") or ""
        validated = bool(why is not None and why.validation_result)
        score = float(res.score)
        header = layout.header_of(res.start) if layout is not None else ""
        line_start = text.rfind("\n", 0, res.start) + 1
        cell_start = text.rfind("\t", line_start, res.start) + 1 if layout is not None else line_start
        cell = layout.cell_at(res.start) if layout is not None else None
        if cell is not None:  # a Markdown row's cell (a tab-separated one starts where found)
            cell_start = max(cell_start, cell[0].start)
        window = text[max(cell_start, res.start - CONTEXT_WINDOW):res.start]
        if cell_start > line_start and not window.strip(" \t\u3000:："):
            # the value starts its cell: a label in the cell before it is its context, as in a
            # form (护照号码 | E12345678) or a text whose gap was read as a column gap
            # (护照号码：  E12345678); the passport there was missed, a card unconfirmed
            tab = text.rfind("\t", line_start, cell_start - 1)
            label = text[tab + 1 if tab >= 0 else line_start:cell_start - 1]
            if len(label.strip()) <= 12 and not any(ch.isdigit() for ch in label):
                window = label + window
        positive = self._context.get(entity, ())
        negative = self._negative.get(entity, ())
        pos_rx = self._context_rx.get(entity)
        neg_rx = self._negative_rx.get(entity)
        context_word = ""
        if header and pos_rx is not None:
            m = pos_rx.search(header)
            context_word = m.group(0) if m else ""
        if not context_word and window and pos_rx is not None and pos_rx.search(window):
            context_word = _find_word(_tokens(window), positive)
        if not context_word and neg_rx is not None and entity in DIGIT_ENTITIES:
            neg = ""
            if header:
                m = neg_rx.search(header)
                neg = m.group(0) if m else ""
            if not neg and window and neg_rx.search(window):
                neg = _find_word(_tokens(window), negative)
            # a form masked too little may be one (the policy's max_shown): a negative word drops
            # it as it drops an unmasked number (订单号：2022051012345678** was a card, a veto)
            if neg and (not masked or pattern.endswith("partly_masked")):
                return None
        if context_word and res.recognition_metadata.get(LABEL_ONLY_KEY) and (
                context_word in self._weak.get(entity, ()) or not _labels(context_word, header, window, pos_rx, neg_rx)):
            context_word = ""  # a weak match whose context word labels something else, or may (执业证号)
        if context_word and not masked and score < 1.0:
            # a validated match that its recognizer scored down (an ID with a retired
            # region code) stays below a fully validated one
            score = min(0.9 if validated else 1.0, max(score + CONTEXT_BOOST, CONTEXT_FLOOR))
        return Detection(entity, res.start, res.end, round(score, 4), masked, pattern, validated, context_word, header)


@functools.lru_cache(maxsize=4)
def get_pii_analyzer(text_names: bool = False, min_score: float = 0.5) -> PiiAnalyzer:
    """The shared analyzer, built once per process (recognizers are cheap to build)."""
    return PiiAnalyzer(text_names=text_names, min_score=min_score)
