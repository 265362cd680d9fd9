"""SpanIndex: the spans near a position, without scanning them all; sentence_bounds.

Checks ask "does any span overlap (or contain) this one?" for every hit of a document; a
linear ``any()`` over all spans makes that quadratic in the document's length.  Spans are
short (lexicon terms), so sorting by start and looking only at those that start within the
longest span's length before the query keeps each question logarithmic plus a few.
"""
from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator


class SpanIndex:
    def __init__(self, spans: Iterable[tuple[int, int]]):
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        self.longest = max((e - s for s, e in self.spans), default=0)

    def near(self, a: int, b: int) -> Iterator[tuple[int, int]]:
        """Every span that may overlap or contain [a, b): those starting in [a - longest, b]."""
        lo = bisect.bisect_left(self.starts, a - self.longest)
        hi = bisect.bisect_right(self.starts, b)
        return iter(self.spans[lo:hi])

    def __bool__(self) -> bool:
        return bool(self.spans)


def sentence_bounds(text: str, start: int, end: int, stops: str, width: int) -> tuple[int, int]:
    """The stretch around [start, end) up to the nearest character of ``stops`` on each
    side (not included), at most ``width`` characters beyond each edge."""
    a = start
    while a > 0 and text[a - 1] not in stops and start - a < width:
        a -= 1
    b = end
    while b < len(text) and text[b] not in stops and b - end < width:
        b += 1
    return a, b
