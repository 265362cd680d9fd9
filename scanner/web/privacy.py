"""The web API's bridge to the privacy library (issue 3: ``govscan privacy audit|mask``).

The endpoints call the same library functions as the CLI: ``audit.audit_source`` for one
uploaded file, and ``mask.mask_file`` (which works on paths) on a copy of the upload in the
request's temporary directory.  Where that library is not part of the build,
``unavailable_reason()`` says so and the endpoints answer 501 with the reason: they never
pretend to audit or mask.
"""
from __future__ import annotations

import dataclasses
import functools
import importlib.util
import re
from pathlib import Path

from ..checks.excerpt import mask_text
from ..errors import GovscanError
from ..extract.reasons import explain
from ..types import Source

LIBRARY = "scanner.privacy"

_CHINESE = re.compile(r"[\u4e00-\u9fff]")
MEDIA_TYPES = {
    ".txt": "text/plain; charset=utf-8", ".text": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8", ".markdown": "text/markdown; charset=utf-8",
    ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8", ".shtml": "text/html; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class PrivacyFailed(Exception):
    """The library refused the file or its masked copy is not compliant: the reason, in one line."""

    def __init__(self, reason: str, code: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.code = code  # why a file could not be read or written (scanner.extract.reasons), else None


@dataclasses.dataclass(frozen=True)
class Masked:
    data: bytes
    filename: str
    media_type: str
    masked_count: int
    verdict: str  # the re-audit of the copy: always "compliant" when returned


@functools.lru_cache(maxsize=1)
def unavailable_reason() -> str | None:
    """None when the privacy library is installed, else why these endpoints cannot work."""
    if importlib.util.find_spec(LIBRARY) is None:
        return (f"个人信息审计与脱敏功能未包含在本版本中（缺少 {LIBRARY} 模块）；该接口暂不可用。"
                "页面的“一键脱敏”改用审查结果中个人信息的脱敏建议。")
    return None


def available() -> bool:
    return unavailable_reason() is None


@functools.lru_cache(maxsize=1)
def default_policy():
    """The packaged disclosure policy (scanner/conf/privacy.toml), loaded once per process."""
    from ..privacy.policy import Policy

    return Policy.load()


def audit(source: Source, policy=None) -> dict:
    """One record of ``govscan privacy audit --format json`` for the uploaded file."""
    from ..privacy.audit import audit_source

    record = audit_source(source, policy or default_policy()).to_dict()
    if record["verdict"] == "unreadable" and not _CHINESE.search(record["reason"]):
        # a file that could not be read: the reader's English reason (the CLI's words) told in
        # Chinese, as the other verdicts' reasons are, and its code added (reason_code)
        why = explain(record["reason"])
        record["reason"], record["reason_code"] = mask_text(why.message), why.code
    return record


def mask(source: Source, workdir: Path, policy=None) -> Masked:
    """The de-identified copy (same format; XLSX/DOCX for a legacy .xls/.doc, named so) of the
    uploaded file, re-audited compliant.

    The upload is written to ``workdir/in/`` and the copy to ``workdir/out/``; the caller
    removes ``workdir``."""
    from ..privacy.mask import mask_file

    from ..extract.legacy import MODERN
    from ..extract.office import sniff

    (workdir / "in").mkdir()
    (workdir / "out").mkdir()
    modern = MODERN.get(sniff(source))  # a .xls/.doc is copied as XLSX/DOCX (its binary format cannot be written)
    name = f"{Path(source.name).stem}.{modern}" if modern else source.name
    in_path = workdir / "in" / source.name
    out_path = workdir / "out" / name
    in_path.write_bytes(source.data)
    try:
        record, count = mask_file(str(in_path), str(out_path), policy or default_policy())
    except GovscanError as exc:
        reason = getattr(exc, "reason", None) or str(exc).replace(str(in_path), source.name)
        why = explain(reason)
        raise PrivacyFailed(f"无法脱敏 {source.name}：{why.message}", why.code) from None
    if record.verdict != "compliant":
        raise PrivacyFailed(f"{source.name} 脱敏后复查未通过（{record.verdict}）：{record.reason}")
    data = out_path.read_bytes()
    media_type = MEDIA_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")
    if "charset=" in media_type:  # the copy keeps the upload's encoding (a GBK CSV stays GBK)
        from ..text.decode import decode_bytes

        media_type = media_type.replace("charset=utf-8", f"charset={decode_bytes(data, source.name)[1]}")
    return Masked(data, name, media_type, count, record.verdict)
