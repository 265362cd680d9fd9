"""Helpers for the table-driven wording tests: run one check on a text dated ``on``."""
from __future__ import annotations

import datetime as dt

from scanner.types import Document, Extracted, Source


def document(text: str, on: dt.date) -> Document:
    return Document(Extracted(Source("test.txt", text.encode("utf-8")), text, "txt"), as_of=on)


def flagged(check, text: str, on: dt.date = dt.date(2024, 6, 20)) -> list[str]:
    """The flagged spans, sliced from the original text (offsets must slice it)."""
    return [text[f.start:f.end] for f in check.run(document(text, on))]


def findings(check, text: str, on: dt.date = dt.date(2024, 6, 20)):
    return list(check.run(document(text, on)))
