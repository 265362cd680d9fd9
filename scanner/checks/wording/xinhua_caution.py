"""wording.xinhua_caution: 新华社禁用词慎用词 that need an editor's look (advisory, off by default).

The ``caution`` rows of ``lexicons/xinhua_banned.tsv`` (Xinhua's list as shipped by ECSpell,
MIT): insulting labels (残废人, 弱智), absolute advertising claims (最佳, 根治), vulgar slang,
and wording that is wrong in some contexts only (台独 is fine inside 反对“台独”).  Many are
ordinary words in government text, hence advisory and switched off in the packaged defaults;
the rows whose every use is a sovereignty error are reported by wording.sovereignty instead.
"""
from __future__ import annotations

from collections.abc import Iterable

from ...findings import Finding, Severity
from ...types import Document
from ..base import Check
from ..registry import register
from .lexicon import XINHUA, scan_document


@register
class XinhuaCautionCheck(Check):
    """A word of Xinhua's use-with-care list."""

    CODE = "wording.xinhua_caution"
    CATEGORY = "wording"
    SEVERITY = Severity.ADVISORY
    INDICATOR = "提示·新华社禁用词慎用词"
    ACTION = "按新华社禁用词慎用词规范斟酌用语。"
    PROVINCE = "guangdong"

    def run(self, doc: Document) -> Iterable[Finding]:
        scan = scan_document(doc, self.PROVINCE or None)
        rows = {r["term"]: r for r in scan.lexicon.xinhua if r["level"] == "caution"}
        for s, e, p in scan.hits:
            if p[0] != XINHUA or p[1] not in rows:
                continue
            row = rows[p[1]]
            ns, ne = scan.view.span_to_norm(s, e)
            yield self.finding(
                doc, ns, ne,
                message=f"新华社慎用词（{row['category']}）：“{p[1]}”",
                explanation=f"'{p[1]}' is on Xinhua's banned/use-with-care list ({row['source']})",
                suggestion=None,
                score=0.5,
            )
