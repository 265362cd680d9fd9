"""wording.classifier: characters the wording model scores as not belonging (疑似错别字).

The lexicon checks catch what the lexicons list; this check catches typos in any word
(下情上传 written 下请上传).  The model (``scanner.model``, ``models/wording-detector``) scores
every character of every sentence with onnxruntime, batched per document; characters at or
above the threshold (the model's own, chosen to keep false alarms on clean government text
low, or the ``threshold`` option) become findings, with a correction from the confusion set
when the model prefers one.

Not judged: characters inside a personal value the PII analyzer finds (a name in a 公示
list, an address, masked or not: a name's characters are no one's typo) unless the span falls
on a leader name or formulation as below, and a province's abbreviation opening a
registration or document number (粤ICP备…, 粤公网安备…, 粤府办〔2022〕12号): the model, trained on
sentences, finds these odd in every site footer and 公示 table.  Nor, in new-media posts, an
emoticon code ([嘻嘻], [泪]: the app draws a picture there) or an @mention of an account
(//@广州公安:): of 332 model flags on 1,350 Weibo posts (Weibo NER train), 11 and 25 fell there.

Severity: advisory (提示) by default.  Raised to veto (单项否决·严重表述错误) when the span falls
on a leader name or a canonical formulation (the lexicon engine's ``lexicons/leaders.tsv`` and
``lexicons/formulations.tsv``): the span lies in a near-variant of one (a confusable
character in 李墙, 中国特色社会主意), or the model's correction turns the text there into one.
A span inside an exactly written leader name or formulation is not reported: the lexicon
vouches for it.  A finding inside a veto that a lexicon check reports (李克墙) is merged away by
``findings.merge_findings``: one error, one finding.  Switch the check off with
``govscan review --no-model``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from ...findings import Finding, Severity
from ...types import Document
from ..base import Check
from ..registry import register
from .lexicon import INDICATOR_WORDING, NAME, NAMEVAR, TERM, TERMVAR, get_lexicon, scan_document

INDICATOR_TYPO = "提示·疑似错别字"
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼港澳台"
# a province's abbreviation opening a registration number, a plate or a document number:
# 粤ICP备05070829号, 粤公网安备 44010402000001号, 粤B12345, 粤府办〔2022〕12号
CODE_PREFIX_RE = re.compile(
    rf"[{PROVINCES}](?=\s*(?:ICP|公网安备|[A-Z0-9]|[\u4e00-\u9fff]{{1,6}}[〔\[［（(]\d{{4}}[〕\]］）)]))")
# a Weibo/WeChat emoticon code ([嘻嘻], [泪], [good]: the app draws a picture) and an @mention of an
# account (//@广州公安:, 回复@小胖蚊_nancy:) ending at a space or punctuation: not running text
EMOTICON_RE = re.compile(r"\[[\u4e00-\u9fffA-Za-z]{1,5}\]")
MENTION_RE = re.compile(r"@[\w\-·]{1,20}(?=[\s:：,，。!！?？/、)）\]】]|$)")
# personal values whose characters the model does not judge
PERSONAL_SPANS = frozenset({"PERSON", "CN_ADDRESS", "EMAIL", "CN_PASSPORT"})
CONTEXT = 12  # characters each side looked at when a correction is tested against the lexicon


def lexicon_spans(doc: Document, province: str | None) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """(exact, near) spans of leader names / canonical formulations in ``doc.norm.text``:
    exact ones as written in the lexicon, near ones one confusable edit away (the stoplist of
    ordinary words that look like variants is honoured)."""
    scan = scan_document(doc, province)
    exact, near = [], []
    for s, e, payload in scan.hits:
        kind = payload[0]
        if kind not in (NAME, NAMEVAR, TERM, TERMVAR):
            continue
        ns, ne = scan.view.span_to_norm(s, e)
        if kind in (NAME, TERM):
            exact.append((ns, ne, payload[1]))
        elif scan.text[s:e] not in scan.lexicon.stoplist:
            near.append((ns, ne, payload[1]))
    try:  # long formulations are matched by anchors and verified by the formulation check's helper
        from .formulation import near_matches

        for s, e, term, _edit in near_matches(scan, doc.date):
            ns, ne = scan.view.span_to_norm(s, e)
            near.append((ns, ne, term))
    except ImportError:  # pragma: no cover - the formulation check ships with the engine
        pass
    return exact, near


def correction_hits(text: str, start: int, end: int, suggestion: str, province: str | None) -> str | None:
    """The leader name or formulation that the correction writes at [start, end), if any."""
    lo, hi = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    fixed = text[lo:start] + suggestion + text[end:hi]
    a, b = start - lo, start - lo + len(suggestion)
    for s, e, payload in get_lexicon(province).scan(fixed):
        if payload[0] in (NAME, TERM) and s <= a and b <= e:
            return payload[1]
    return None


def _overlaps(a: int, b: int, spans: list[tuple[int, int, str]]) -> str | None:
    for s, e, what in spans:
        if a < e and s < b:
            return what
    return None


def _inside(a: int, b: int, spans: list[tuple[int, int, str]]) -> bool:
    return any(s <= a and b <= e for s, e, _ in spans)


def not_judged(doc: Document) -> list[tuple[int, int, str]]:
    """Spans of ``doc.norm.text`` whose characters the check does not report (module doc):
    personal values the PII analyzer finds (its cached, policy-judged detections) and
    province abbreviations opening a code."""
    from ..pii.checks import judged

    text = doc.norm.text
    spans = [(j.detection.start, j.detection.end, j.detection.entity) for j in judged(doc)
             if j.detection.entity in PERSONAL_SPANS]
    spans.extend((m.start(), m.end(), "code prefix") for m in CODE_PREFIX_RE.finditer(text))
    spans.extend((m.start(), m.end(), "emoticon code") for m in EMOTICON_RE.finditer(text))
    spans.extend((m.start(), m.end(), "account mention") for m in MENTION_RE.finditer(text))
    return spans


@register
class ClassifierCheck(Check):
    """Suspicious characters according to the trained wording model."""

    CODE = "wording.classifier"
    CATEGORY = "wording"
    SEVERITY = Severity.ADVISORY
    INDICATOR = INDICATOR_TYPO
    ACTION = "核对该处用字：属错别字的予以更正；确认无误的可忽略。"
    THRESHOLD: float | None = None  # None or 0: the model's own threshold (models/wording-detector/meta.json)
    MODEL: str | None = None  # a model folder other than the shipped one
    PROVINCE: str | None = "guangdong"  # the leader add-on used by the lexicon engine
    DOMAINS: tuple[str, ...] = ()  # domain word lists of the model ("law", "medicine"): flags below the threshold
    LM: bool | None = None  # the model's n-gram language-model rescue below the threshold (None: as meta.json says, off)

    def run(self, doc: Document) -> Iterable[Finding]:
        from ...model.runtime import load_detector

        text = doc.norm.text
        if not text.strip():
            return
        detector = load_detector(self.MODEL)
        threshold = self.THRESHOLD or detector.threshold
        flags = detector.flag_document(text, threshold=threshold, domains=tuple(self.DOMAINS or ()), lm=self.LM)
        if flags:
            yield from self.findings_for(doc, flags, threshold)

    def findings_for(self, doc: Document, flags: Iterable, threshold: float) -> Iterable[Finding]:
        """Findings for the model's flags (offsets into ``doc.norm.text``), with the severity rule."""
        text = doc.norm.text
        exact, near = lexicon_spans(doc, self.PROVINCE)
        skip = not_judged(doc)
        for f in flags:
            if _inside(f.start, f.end, exact):
                continue
            on = _overlaps(f.start, f.end, near)
            if on is None and f.suggestion:
                on = correction_hits(text, f.start, f.end, f.suggestion, self.PROVINCE)
            if on is None and _inside(f.start, f.end, skip):
                continue  # a name, an address, a code's province: not the model's to judge
            wrong = text[f.start : f.end]
            why = f"the model scores '{wrong}' {f.score:.2f} (threshold {threshold:.2f})"
            if f.suggestion:
                why += f"; of its confusable characters the model prefers '{f.suggestion}' ({f.suggestion_score:.2f})"
            if getattr(f, "word", None):
                why += f", which makes the domain word '{f.word}' where '{wrong}' stands in no word (below the threshold)"
            elif getattr(f, "gain", None) is not None:
                why += (f", which makes a word where '{wrong}' stands in none, and with which the character n-gram model "
                        f"finds the sentence e^{f.gain:.0f} times likelier (below the threshold)")
            severity, indicator = self.SEVERITY, self.INDICATOR
            if on is not None:
                severity, indicator = Severity.VETO, INDICATOR_WORDING
                why += f"; the span falls on the leader name or canonical formulation '{on}'"
            message = f"疑似错别字：“{wrong}”" + (f"，应为“{f.suggestion}”？" if f.suggestion else "")
            if on is not None:
                message += f"（涉及“{on}”）"
            yield self.finding(doc, f.start, f.end, message=message, explanation=why, suggestion=f.suggestion,
                               score=f.score, severity=severity, indicator=indicator)
