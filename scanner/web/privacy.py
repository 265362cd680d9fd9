"""The web API's bridge to the privacy library (issue 3: ``govscan privacy audit|mask``).

The endpoints call the same library functions as the CLI.  Where that library is not
part of this build, ``unavailable_reason()`` says so and the endpoints answer 501 with
the reason: they never pretend to audit or mask.
"""
from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path

from ..types import Source

LIBRARY = "scanner.privacy"

MEDIA_TYPES = {
    ".txt": "text/plain; charset=utf-8", ".md": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclasses.dataclass(frozen=True)
class Masked:
    data: bytes
    filename: str
    media_type: str
    headers: dict[str, str]


def _library():
    return importlib.import_module(LIBRARY)


def unavailable_reason() -> str | None:
    """None when the privacy library is installed, else why these endpoints cannot work."""
    try:
        lib = _library()
    except ImportError:
        return (f"个人信息审计与脱敏功能尚未包含在本版本中（缺少 {LIBRARY} 模块，issue 3）；"
                "该接口暂不可用。页面的“一键脱敏”改用审查结果中个人信息的脱敏建议。")
    missing = [name for name in ("audit_source", "mask_source") if not hasattr(lib, name)]
    if missing:
        return f"个人信息库 {LIBRARY} 缺少 {', '.join(missing)}；该接口暂不可用"
    return None


def available() -> bool:
    return unavailable_reason() is None


def audit(source: Source, workdir: Path, settings) -> dict:
    return _library().audit_source(source, settings=settings)


def mask(source: Source, workdir: Path, settings) -> Masked:
    result = _library().mask_source(source, workdir, settings=settings)
    suffix = Path(source.name).suffix.lower()
    return Masked(result, source.name, MEDIA_TYPES.get(suffix, "application/octet-stream"), {})
