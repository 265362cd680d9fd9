"""Excerpts: the sentence around a finding, with personal data masked.

Reports show excerpts; an unmasked personal identifier must never reach them.  Masking
here is deliberately conservative and needs no model: any run of 7 or more digits (with
the separators and check letters of IDs, phones and cards) keeps its first 3 and last 4
characters at most (one led by one or two letters, a passport's, its first and last 3),
and e-mail local parts keep one character.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

_SENTENCE_END = "。！？!?；;\n"
_D = "0-9０-９"
_L = "A-Za-zＡ-Ｚａ-ｚ"
# a run may start with one or two letters: passports (E12345678, EE2397560), permits (H12345678)
_DIGIT_RUN = re.compile(rf"(?<![{_D}{_L}])(?:[{_L}]{{1,2}}(?=[{_D}])|(?:[+＋]?86[ -]?))?[{_D}][{_D} \-－*＊]{{5,}}[{_D}XxＸｘ*＊](?![{_D}{_L}])")
_ALNUM = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ*＊]")
_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")
MAX_EXCERPT = 120


def mask_digits(value: str, keep_head: int = 3, keep_tail: int = 4) -> str:
    """Replace the digits of ``value`` between the first ``keep_head`` and last ``keep_tail``
    digits with ``*``; separators stay where they are.  The ``*`` of a form masked too little
    count as positions (13812345*** -> 138****5***, as the audit masks it)."""
    positions = [i for i, ch in enumerate(value) if ch.isalnum() or ch in "*＊"]
    if len(positions) <= keep_head + keep_tail:
        keep_head, keep_tail = min(keep_head, max(len(positions) // 3, 0)), min(keep_tail, max(len(positions) // 3, 0))
    hide = set(positions[keep_head: len(positions) - keep_tail])
    return "".join("*" if i in hide else ch for i, ch in enumerate(value))


# a date written with separators, and an hour after it (2022-06-20, 2019-10-01 08): no identifier, and
# masking it with 3 and 4 kept showed a wrong date (202*-06-20, 201*-**-01 08:30) in editors' excerpts
_DATE_RUN = re.compile(r"(?:19|20)\d\d([-－])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])(?: [0-2]?\d)?")


def _mask_run(run: str) -> str:
    if _DATE_RUN.fullmatch(run):
        return run
    digits = sum(c.isdigit() for c in run)
    if digits < 7 or (digits <= 7 and any(c in "*＊" for c in run)):
        return run  # short, or already masked (138****5678): masking twice would hide the kept digits
    if not run[0].isdigit() and run[0] not in "+＋":  # a passport's letters: E*****560, as the audit shows it
        return mask_digits(run, 1, 3)
    return mask_digits(run)


def mask_text(text: str) -> str:
    """Mask every long digit run and e-mail address in ``text`` (length preserved); text
    masked already is left as it is."""
    text = _DIGIT_RUN.sub(lambda m: _mask_run(m.group(0)), text)
    return _EMAIL.sub(lambda m: m.group(1) + "*" * (len(m.group(0)) - len(m.group(1)) - len(m.group(2))) + m.group(2), text)


_LETTER_LED = re.compile(rf"[{_L}]{{1,2}}[{_D}]")


def mask_all(value: str) -> str:
    """Mask a whole personal value of unknown kind (names keep their first character; a value
    led by one or two letters, a passport's, its first and last 3, as ``mask_text`` and the audit
    show it: with 3 and 4 kept, E12345678 was E12**5678, 7 of its 9 characters shown)."""
    if any(ch.isdigit() for ch in value):
        if _LETTER_LED.match(value):
            return mask_digits(value, 1, 3)
        return mask_digits(value)
    return value[:1] + "*" * (len(value) - 1)


def excerpt_around(text: str, start: int, end: int, *, mask_span: bool = False, width: int = 40,
                   hide: Iterable[tuple[int, int]] = ()) -> str:
    """The sentence holding [start, end), cut to ``width`` characters on each side.

    ``hide`` lists other spans of personal data (names, addresses …, in ``text`` offsets)
    that must be masked wherever they fall inside the excerpt."""
    left = start
    while left > 0 and start - left < width and text[left - 1] not in _SENTENCE_END:
        left -= 1
    right = end
    while right < len(text) and right - end < width and text[right] not in _SENTENCE_END:
        right += 1
    if right < len(text) and text[right] in _SENTENCE_END and text[right] != "\n":
        right += 1
    # never cut through a number: a cut fragment would escape masking
    while left > 0 and _ALNUM.match(text[left - 1]) and start - left < width + 40:
        left -= 1
    while right < len(text) and _ALNUM.match(text[right]) and right - end < width + 40:
        right += 1
    region = text[left:right]
    nearby = hide.near(left, right) if hasattr(hide, "near") else hide  # a SpanIndex: no full scan
    for hs, he in nearby:
        a, b = max(hs, left), min(he, right)
        if a >= b:
            continue
        region = region[: a - left] + mask_all(region[a - left : b - left]) + region[b - left :]
    span = region[start - left : end - left]
    if mask_span:
        span = mask_all(span)
    before = mask_text(region[: start - left])
    after = mask_text(region[end - left :])
    return (before + span + after).replace("\n", " ").strip()[: MAX_EXCERPT + len(span)]
