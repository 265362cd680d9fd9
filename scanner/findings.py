"""Finding, Severity, stable ids.

A finding is immutable. Its ``id`` is a hash of the source, the check code and the
normalized excerpt, so a dismissal recorded against it survives a re-scan even when
the text around it moved.  ``start``/``end`` are code-point offsets into the text as
read (decoded file, or the extracted text of an HTML/DOCX file).
"""
from __future__ import annotations

import dataclasses
import enum
import hashlib
import unicodedata
from typing import Any


class Severity(str, enum.Enum):
    """Severity of a finding, after the national indicators (国办秘函〔2019〕19号)."""

    VETO = "veto"  # 单项否决: one occurrence fails the site or account
    DEDUCTION = "deduction"  # 扣分
    ADVISORY = "advisory"  # 提示

    @property
    def label(self) -> str:
        return {"veto": "单项否决", "deduction": "扣分", "advisory": "提示"}[self.value]

    @property
    def rank(self) -> int:
        return {"veto": 0, "deduction": 1, "advisory": 2}[self.value]


def finding_id(source: str, code: str, excerpt: str) -> str:
    """Stable id: sha1 of source, code and the NFKC-normalized, whitespace-free excerpt."""
    norm = "".join(unicodedata.normalize("NFKC", excerpt).split())
    # surrogateescape: a file name that is not UTF-8 (a GBK name from a Windows ZIP) hashes as its bytes
    digest = hashlib.sha1(f"{source}\x1f{code}\x1f{norm}".encode("utf-8", "surrogateescape")).hexdigest()
    return digest[:16]


@dataclasses.dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in one document, at exact offsets of the original text."""

    id: str
    code: str  # e.g. "wording.leader_name", "pii.cn_resident_id"
    category: str  # "wording", "pii", "freshness", "site", ...
    severity: Severity
    indicator: str  # the clause, in Chinese, e.g. "单项否决·严重表述错误"
    start: int
    end: int
    excerpt: str  # context around the span; personal data inside it masked
    message: str  # what is wrong, in Chinese
    suggestion: str | None  # replacement text for [start, end), or None
    score: float
    explanation: str  # why it fired: what matched and which rule
    action: str = ""  # what to do about it, in Chinese
    location: dict[str, Any] | None = None  # extra location (sheet/cell, table/row/col, page, url)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: keep these keys stable, add more freely."""
        data = {
            "id": self.id,
            "code": self.code,
            "category": self.category,
            "severity": self.severity.value,
            "indicator": self.indicator,
            "start": self.start,
            "end": self.end,
            "excerpt": self.excerpt,
            "message": self.message,
            "suggestion": self.suggestion,
            "score": round(float(self.score), 4),
            "explanation": self.explanation,
            "action": self.action,
        }
        if self.location:
            data["location"] = self.location
        return data


# A model's finding inside a lexicon finding of the same family says the same thing with less
# evidence: the lexicon check names the leader or formulation and the right form.
# The list of misspellings, too: 全过程人民明主 is wording.formulation's veto; 明主 -> 民主 is the same error.
SUBSUMED_BY_LEXICON = {"wording.classifier": "wording", "wording.misspelling": "wording"}
# Lexicon advisories that name the word and its correction: a model's flag inside one is the same
# error (防讯: wording.misspelling says 防汛, the model's flag on 讯 adds nothing).
NAMES_THE_WORD = {"wording.classifier": frozenset({"wording.misspelling"})}


def merge_findings(findings: list[Finding]) -> list[Finding]:
    """Drop exact duplicates (same code and span) and model findings that a veto finding of the
    same category, or a listed misspelling, already covers (李克墙: wording.leader_name reports it;
    the model's flag on 墙 would count the one error twice), and sort by position, then severity."""
    seen: set[tuple[str, int, int]] = set()
    out: list[Finding] = []
    vetoes = [f for f in findings if f.severity is Severity.VETO and f.code not in SUBSUMED_BY_LEXICON]
    naming = [f for f in findings if any(f.code in codes for codes in NAMES_THE_WORD.values())]
    for f in sorted(findings, key=lambda f: (f.start, f.end, f.severity.rank, f.code)):
        key = (f.code, f.start, f.end)
        if key in seen:
            continue
        family = SUBSUMED_BY_LEXICON.get(f.code)
        if family and any(v.category == family and v.start <= f.start and f.end <= v.end for v in vetoes):
            continue
        if any(n.code in NAMES_THE_WORD.get(f.code, ()) and n.start <= f.start and f.end <= n.end for n in naming):
            continue
        seen.add(key)
        out.append(f)
    return out
