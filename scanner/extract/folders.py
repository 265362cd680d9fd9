"""Walking a folder of published files (``govscan privacy audit DIR``, ``govscan review DIR``).

A folder of attachments copied off a server, or kept under version control, also holds what no
one published: a version-control store (``.git``, ``.svn``), a tool's cache or packages
(``node_modules``, ``__pycache__``), an OS's bookkeeping (``__MACOSX``, ``$RECYCLE.BIN``), and
beside each open document Office's owner file (``~$名单.xlsx``, 162 or 165 bytes: who has it
open) and macOS's resource forks (``._名单.xlsx``).  An audit of such a folder walked them all:
the README of a package in ``node_modules`` holding a phone number was a violation, an owner
file "unreadable", so the folder never came out clean, and a ``node_modules`` of 100,000 files
was read file by file.  They are passed over (``TOOL_DIRS`` by name, at any depth, never
entered; owner files and resource forks by name *and* content), and the caller says how many.

Any other folder whose name starts with a dot is walked: a site mirror's ``.well-known`` is
published (its ``security.txt`` names a contact), and a hidden folder of a copied attachment
tree may hold the very list being audited; an audit that skipped it would call the folder
compliant without reading it.  A path named on the command line is read as given, whatever
its name (``govscan privacy audit repo/.git`` audits it).
"""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path

# folders no one publishes: version control, tools' caches and packages, OS bookkeeping
TOOL_DIRS = frozenset({
    ".git", ".svn", ".hg", ".bzr", "CVS", "_darcs",
    "node_modules", "__pycache__", ".venv", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache",
    ".idea", ".vscode",
    "__MACOSX", ".Trash", ".Trashes", ".Spotlight-V100", ".fseventsd", ".TemporaryItems",
    "$RECYCLE.BIN", "System Volume Information",
})
_TOOL_DIRS_FOLDED = frozenset(name.casefold() for name in TOOL_DIRS)  # (Windows and macOS ignore case)
OWNER_FILE_MAX = 1024  # an Office/WPS owner file is 162 or 165 bytes; a real document is larger
_APPLE_DOUBLE = b"\x00\x05\x16\x07"  # the magic number of a macOS ._ resource fork


@dataclasses.dataclass
class Walk:
    """The files of a folder walk, sorted, and what it passed over."""

    files: list[Path] = dataclasses.field(default_factory=list)
    tool_dirs: list[Path] = dataclasses.field(default_factory=list)  # (recursive) not entered
    side_files: list[Path] = dataclasses.field(default_factory=list)  # owner files, resource forks
    hidden: list[Path] = dataclasses.field(default_factory=list)  # (hidden=False) hidden folders and files
    subdirs: int = 0  # (not recursive) sub-folders not entered, tool folders left out


def is_tool_dir(name: str) -> bool:
    return name.casefold() in _TOOL_DIRS_FOLDED


def is_side_file(path: Path) -> bool:
    """Office's or WPS's owner file of an open document (``~$名单.xlsx``, under 1 KB and no
    document) or a macOS resource fork (``._名单.xlsx`` starting with the AppleDouble magic
    number).  Checked by content: a real document whose name merely starts so is read."""
    name = path.name
    if not name.startswith(("~$", "._")):
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(OWNER_FILE_MAX + 1)
    except OSError:
        return False
    if name.startswith("._"):
        return head.startswith(_APPLE_DOUBLE)
    return len(head) <= OWNER_FILE_MAX and not head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"{\\rtf"))


def walk(root: Path, recursive: bool, suffixes: tuple[str, ...], hidden: bool = True) -> Walk:
    """The files under ``root`` whose suffix is in ``suffixes`` (all levels when
    ``recursive``), sorted as ``sorted(root.rglob("*"))`` sorts them; tool folders are not
    entered and side files are left out, each listed.  ``hidden=False`` (a folder of drafts
    to review) also leaves out every folder and file whose name starts with a dot or ``~$``,
    listed in ``Walk.hidden``.  Symbolic links to folders are not followed (as ``rglob``)."""
    out = Walk()

    def add(child: Path) -> None:
        if child.suffix.lower() not in suffixes or not child.is_file():
            return
        if not hidden and child.name.startswith((".", "~$")):
            (out.side_files if is_side_file(child) else out.hidden).append(child)
        else:
            (out.side_files if is_side_file(child) else out.files).append(child)

    if not recursive:
        for child in sorted(root.iterdir()):
            if child.is_dir():
                out.subdirs += not is_tool_dir(child.name) and (hidden or not child.name.startswith("."))
            else:
                add(child)
        return out
    for folder, dirs, names in os.walk(root, followlinks=False):
        base = Path(folder)
        kept = []
        for d in dirs:
            if is_tool_dir(d):
                out.tool_dirs.append(base / d)
            elif not hidden and d.startswith("."):
                out.hidden.append(base / d)
            else:
                kept.append(d)
        dirs[:] = kept  # (pruned: never entered)
        for name in names:
            add(base / name)
    out.files.sort()
    out.tool_dirs.sort()
    out.side_files.sort()
    out.hidden.sort()
    return out


_KINDS = (("tool_dir", "版本库或工具目录"), ("side_file", "Office 所有者文件或 macOS 资源文件"), ("hidden", "隐藏的目录或文件"))


def passed_over(found: Walk) -> list[tuple[str, str]]:
    """(path, kind) of what a walk passed over: kind "tool_dir", "side_file" or "hidden"."""
    return ([(str(p), "tool_dir") for p in found.tool_dirs] + [(str(p), "side_file") for p in found.side_files]
            + [(str(p), "hidden") for p in found.hidden])


def passed_over_line(items: list[tuple[str, str]]) -> str:
    """What folder walks passed over, in a line: 已跳过（未检查）：版本库或工具目录 2 个（a/.git、
    a/node_modules）；Office 所有者文件或 macOS 资源文件 1 个（a/~$名单.xlsx）, at most 5 names a
    kind.  Names are masked as reasons are (a file's name may hold an ID)."""
    from ..checks.excerpt import mask_text

    parts = []
    for kind, label in _KINDS:
        names = [path for path, k in items if k == kind]
        if names:
            shown = "、".join(names[:5]) + (f" 等 {len(names)} 个" if len(names) > 5 else "")
            parts.append(f"{label} {len(names)} 个（{mask_text(shown)}）")
    return "已跳过（未检查）：" + "；".join(parts)
