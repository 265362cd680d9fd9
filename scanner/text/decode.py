"""Decode text files: UTF-8 when the bytes decode cleanly, a BOM when there is one,
detection (GB18030 family, Big5, UTF-16 without BOM) otherwise.

Raises InputError with a one-line reason for empty, binary or undecodable input.
"""
from __future__ import annotations

import codecs

from ..errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Encodings seen on Chinese government sites and office machines, most likely first.
_CANDIDATES = ("gb18030", "big5")


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: NUL bytes on one parity for ASCII-heavy text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nul > 0.3 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.3 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None


def encode_like(text: str, data: bytes, encoding: str | None, errors: str = "strict") -> bytes:
    """``text`` encoded as the file ``data`` was: in ``encoding`` (what ``decode_bytes``
    found) and with the byte-order mark it began with, if any (a GBK file stays GBK, a
    UTF-8 CSV keeps the BOM Excel needs to read it as UTF-8)."""
    bom = next((mark for mark, _enc in _BOMS if data.startswith(mark)), b"")
    return bom + text.encode(encoding or "utf-8", errors)


def looks_binary(text: str) -> bool:
    """True when decoded text is mostly control characters or U+FFFD (binary data read as
    text): what ``decode_bytes`` refuses as "binary file, not text"; the web API asks it of
    pasted text, which is never decoded here."""
    return _is_binary(text)


def _is_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v\x1b") or ch == "\ufffd")
    return bad / len(sample) > 0.05


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Return (text, encoding). ``name`` is used only in error messages."""
    if not data:
        raise InputError(name, "empty file")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(enc)
            except UnicodeDecodeError as exc:
                raise InputError(name, f"invalid {enc} after its byte-order mark at byte {exc.start}") from None
            return _checked(text, name), enc
    if b"\x00" in data[:4096]:
        enc = _looks_utf16(data)
        if enc is None:
            raise InputError(name, "binary file, not text")
        try:
            return _checked(data.decode(enc), name), enc
        except UnicodeDecodeError:
            raise InputError(name, "binary file, not text") from None
    try:
        return _checked(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    decodable = []
    for enc in _CANDIDATES:
        try:
            decodable.append((enc, data.decode(enc)))
        except UnicodeDecodeError:
            continue
    if len(decodable) == 1:
        return _checked(decodable[0][1], name), decodable[0][0]
    try:
        from charset_normalizer import from_bytes

        isolation = [enc for enc, _ in decodable] or None
        best = from_bytes(data[:200_000], cp_isolation=isolation).best()
    except Exception:  # pragma: no cover - detector failure is reported below
        best = None
    if best is not None and best.encoding:
        for enc, text in decodable:
            if enc == best.encoding:
                return _checked(text, name), enc
        try:
            return _checked(data.decode(best.encoding), name), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    if decodable:
        return _checked(decodable[0][1], name), decodable[0][0]
    raise InputError(name, "unknown text encoding (not UTF-8, UTF-16, GB18030 or Big5)" + _damage(data))


def _damage(data: bytes) -> str:
    """Where a file that is UTF-8 but for a few bytes breaks (a copy cut short, a stray byte of
    another encoding): the editor was told only that the encoding was unknown.  Two linear passes."""
    try:
        data.decode("utf-8")
        return ""
    except UnicodeDecodeError as exc:
        first = exc.start
    bad = sum(1 for ch in data.decode("utf-8", "surrogateescape") if "\udc80" <= ch <= "\udcff")
    if bad > max(8, len(data) // 1000):
        return ""
    return f"; UTF-8 but for {bad} invalid byte{'s' if bad > 1 else ''}, the first at byte {first}: a damaged file? save it again as UTF-8"


def _checked(text: str, name: str) -> str:
    if not text.strip():
        raise InputError(name, "empty file (no text)")
    if _is_binary(text):
        raise InputError(name, "binary file, not text")
    return text
