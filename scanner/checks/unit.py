"""Checks of a whole unit (a website or a new-media account) rather than of one text.

A unit check is registered like any check (``scanner.checks.registry``) and configured the
same way (``[checks."freshness.columns_not_updated"] threshold = 5``), but it judges a
site model or an account's posts: ``check(unit) -> Iterable[Finding]``.  Given a single
document (``govscan review``) it has nothing to say, so ``run(doc)`` yields nothing.

``PROBLEM`` is the notice's own wording for the problem (多个栏目长期未更新 ...); a unit
fails when it has any veto finding, and its record lists the PROBLEM labels of those.
Unit findings have no text span (``start == end == 0``); the evidence (offending
columns, letters, posts) is in ``location["evidence"]`` and the excerpt summarises it.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from ..findings import Finding, Severity, finding_id
from ..types import Document
from .base import Check
from .excerpt import mask_text


class UnitCheck(Check):
    SCOPE: ClassVar[str] = "site"  # "site" or "account"
    PROBLEM: ClassVar[str] = ""  # the notice's label for the problem

    def run(self, doc: Document) -> Iterable[Finding]:
        return ()

    def check(self, unit: Any) -> Iterable[Finding]:  # pragma: no cover - interface
        raise NotImplementedError

    def unit_finding(
        self,
        source: str,
        *,
        message: str,
        explanation: str,
        evidence: list | dict | None = None,
        url: str | None = None,
        severity: Severity | None = None,
        score: float = 1.0,
        excerpt: str | None = None,
    ) -> Finding:
        excerpt = mask_text((excerpt or message)[:120])
        location: dict[str, Any] = {"problem": self.PROBLEM, "scope": self.SCOPE}
        if url:
            location["url"] = url
        if evidence is not None:
            location["evidence"] = evidence
        return Finding(
            id=finding_id(source, self.CODE, excerpt),
            code=self.CODE,
            category=self.CATEGORY,
            severity=severity or self.SEVERITY,
            indicator=self.INDICATOR,
            start=0,
            end=0,
            excerpt=excerpt,
            message=message,
            suggestion=None,
            score=score,
            explanation=explanation,
            action=self.ACTION,
            location=location,
        )
