"""The stage types: Source -> Extracted | Skipped(reason) -> Document -> Finding.

Each stage of ``scanner.pipeline`` consumes the previous stage's type.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from functools import cached_property
from typing import Any

from .text.normalize import NormalizedText, normalize


@dataclasses.dataclass(frozen=True, slots=True)
class Source:
    """Raw input: a file, stdin, an HTTP body, a WARC record or a post."""

    name: str  # path, "-", URL or post id: how the user knows this input
    data: bytes
    media_type: str | None = None  # "text/html", ... when known (HTTP, WARC)
    url: str | None = None
    meta: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: its span in the extracted text and where it sits."""

    table: int
    row: int
    col: int
    start: int
    end: int
    sheet: str | None = None  # XLSX sheet name
    ref: str | None = None  # XLSX cell reference such as "B3"


@dataclasses.dataclass(frozen=True, slots=True)
class Extracted:
    """Text extracted from a source, and the structure the checks may need."""

    source: Source
    text: str  # the text as read: every finding offset refers to it
    format: str  # "txt", "md", "html", "docx", "xlsx", "csv", "pdf", "post"
    encoding: str | None = None
    title: str | None = None
    published: dt.date | None = None
    cells: tuple[Cell, ...] = ()  # table cells, in reading order
    pages: tuple[tuple[int, int], ...] = ()  # (start, end) of each PDF page
    meta: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True, slots=True)
class Skipped:
    """A source that could not be read: the reason is shown and counted, never hidden."""

    source: Source
    reason: str


@dataclasses.dataclass(eq=False)
class Document:
    """Extracted text plus its normalized form, tokens and dates, ready for the checks."""

    extracted: Extracted
    as_of: dt.date  # the monitoring time point (--as-of): the clock of every rule
    published: dt.date | None = None  # publication date when known, else as_of is used
    cache: dict[str, Any] = dataclasses.field(default_factory=dict)  # per-document results shared by checks

    @property
    def source(self) -> str:
        return self.extracted.source.name

    @property
    def text(self) -> str:
        return self.extracted.text

    @cached_property
    def norm(self) -> NormalizedText:
        return normalize(self.extracted.text)

    @cached_property
    def tokens(self):
        """jieba tokens of the normalized text (offsets into ``norm.text``)."""
        from .text.tokenize import tokenize

        return tokenize(self.norm.text)

    @property
    def date(self) -> dt.date:
        """The date the text speaks from: its publication date, else the time point."""
        return self.published or self.as_of
