"""Helpers for the PII tests: run the shared analyzer on normalized text and return
(entity, slice of the original text, masked) triples."""
from __future__ import annotations

import functools

from scanner.text.normalize import normalize


@functools.lru_cache(maxsize=2)
def _analyzer(text_names: bool = False):
    from scanner.checks.pii.analyzer import PiiAnalyzer

    return PiiAnalyzer(text_names=text_names)


def detect(text: str, entity: str | None = None, *, text_names: bool = False, with_masked: bool = True):
    norm = normalize(text)
    out = []
    for d in _analyzer(text_names).analyze(norm.text):
        if entity and d.entity != entity:
            continue
        if d.masked and not with_masked:
            continue
        s, e = norm.span_to_original(d.start, d.end)
        out.append((d.entity, text[s:e], d.masked))
    return out


def values(text: str, entity: str, **kw) -> list[str]:
    """Unmasked values of ``entity`` found in ``text``."""
    return [v for ent, v, masked in detect(text, entity, **kw) if not masked]
