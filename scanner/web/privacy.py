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
from ..extract.reasons import explain, explain_unread
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

    return in_chinese(audit_source(source, policy or default_policy()))


UNREAD_LISTED = 5  # the parts not read named in the reason (as the CLI's); all of them in "unread"
UNREAD_MAX = 200  # the parts not read listed in "unread" at most (a PDF may name 1,000 attachments)
VERDICTS = {"violation": "违规", "compliant": "合规", "unreadable": "无法读取"}


def in_chinese(audit_record) -> dict:
    """One record of ``govscan privacy audit --format json`` with what the readers said in
    English (the CLI's words) told in Chinese, as the rest of the record is: a file that could
    not be read gets its reason in Chinese and ``reason_code``; the parts of a file that were
    not read (an attachment, a page, an embedded workbook: the reason's 未能读取 list) are
    listed in Chinese in the reason and, one object each, in ``unread``
    (``{"part": "<中文原因>", "reason_code": ...}``), and such a record's ``reason_code`` is
    ``partial`` where nothing else made it unreadable.  Names are masked as excerpts are."""
    record = audit_record.to_dict()
    error = getattr(audit_record, "read_error", "")
    if error:  # the file itself could not be read (its name may still be a violation)
        why = explain(error)
        message = mask_text(why.message)
        if record["verdict"] == "unreadable":
            record["reason"] = message
        else:
            record["reason"] = record["reason"].replace(f"无法读取：{mask_text(error)}", f"无法读取：{message}")
        record["reason_code"] = why.code
    elif record["verdict"] == "unreadable" and not _CHINESE.search(record["reason"]):
        # (a record made from a reason alone: told in Chinese, its code added)
        why = explain(record["reason"])
        record["reason"], record["reason_code"] = mask_text(why.message), why.code
    unread = getattr(audit_record, "unread", ())
    if unread:
        told = [explain_unread(u) for u in unread]
        listed = "；".join(mask_text(t.message) for t in told[:UNREAD_LISTED])
        more = f" …（共 {len(told)} 处）" if len(told) > UNREAD_LISTED else ""
        base = record["reason"].split("；未能读取：", 1)[0]
        record["reason"] = f"{base}；未能读取：{listed}{more}"
        record["unread"] = [{"part": mask_text(t.message), "reason_code": t.code} for t in told[:UNREAD_MAX]]
        if record["verdict"] == "unreadable":
            record.setdefault("reason_code", "partial")
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
        told = in_chinese(record)
        raise PrivacyFailed(f"{source.name} 脱敏后复查未通过（{VERDICTS.get(record.verdict, record.verdict)}）：{told['reason']}",
                            told.get("reason_code"))
    data = out_path.read_bytes()
    media_type = MEDIA_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")
    if "charset=" in media_type:  # the copy keeps the upload's encoding (a GBK CSV stays GBK)
        from ..text.decode import decode_bytes

        media_type = media_type.replace("charset=utf-8", f"charset={decode_bytes(data, source.name)[1]}")
    return Masked(data, name, media_type, count, record.verdict)
