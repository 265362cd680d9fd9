"""The check base class.

A check declares its data as class constants (``CODE``, ``CATEGORY``, ``SEVERITY``,
``INDICATOR``, ``MESSAGE``, ``ACTION`` …), overridable in the constructor from the config,
and implements ``run(doc) -> Iterable[Finding]``.  Checks work on ``doc.norm.text`` (the
normalized text); ``finding()`` maps spans back to the original text and masks personal
data in the excerpt.  Constructors do no I/O: heavy data loads lazily, once per process.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from ..findings import Finding, Severity, finding_id
from ..types import Document
from ..text.spans import SpanIndex
from .excerpt import excerpt_around


def personal_spans(doc: Document) -> SpanIndex:
    """Original-text spans of every unmasked personal value in ``doc`` (names, IDs, phones,
    addresses …, whatever the policy says of them), so that no excerpt shows one.  The
    privacy analysis runs once per document and is shared with the pii checks."""
    spans = doc.cache.get("excerpt.hide")
    if spans is None:
        from .pii.checks import judged

        spans = SpanIndex(
            doc.norm.span_to_original(j.detection.start, j.detection.end)
            for j in judged(doc)
            if not j.detection.masked
        )
        doc.cache["excerpt.hide"] = spans
    return spans


class Check:
    CODE: ClassVar[str] = ""
    CATEGORY: ClassVar[str] = ""
    SEVERITY: ClassVar[Severity] = Severity.ADVISORY
    INDICATOR: ClassVar[str] = ""
    ACTION: ClassVar[str] = ""  # what the user should do, in Chinese

    def __init__(self, **options: Any):
        options.pop("enabled", None)
        for key, value in options.items():
            attr = key.upper()
            if not hasattr(type(self), attr):
                raise ValueError(f"check {self.CODE}: unknown option '{key}'")
            if attr == "SEVERITY":
                value = Severity(value)
            setattr(self, attr, value)

    def run(self, doc: Document) -> Iterable[Finding]:  # pragma: no cover - interface
        raise NotImplementedError

    def finding(
        self,
        doc: Document,
        start: int,
        end: int,
        *,
        message: str,
        explanation: str,
        suggestion: str | None = None,
        score: float = 1.0,
        severity: Severity | None = None,
        code: str | None = None,
        indicator: str | None = None,
        action: str | None = None,
        mask_span: bool = False,
        location: dict | None = None,
        original_offsets: bool = False,
    ) -> Finding:
        """Build a finding from a span of the normalized text (or of the original when
        ``original_offsets``).  ``mask_span`` masks the flagged value itself in the excerpt
        (personal data)."""
        if original_offsets:
            ostart, oend = start, end
        else:
            ostart, oend = doc.norm.span_to_original(start, end)
        excerpt = excerpt_around(doc.text, ostart, oend, mask_span=mask_span, hide=personal_spans(doc))
        code = code or self.CODE
        return Finding(
            id=finding_id(doc.source, code, excerpt),
            code=code,
            category=self.CATEGORY,
            severity=severity or self.SEVERITY,
            indicator=indicator or self.INDICATOR,
            start=ostart,
            end=oend,
            excerpt=excerpt,
            message=message,
            suggestion=suggestion,
            score=score,
            explanation=explanation,
            action=action if action is not None else self.ACTION,
            location=location,
        )
