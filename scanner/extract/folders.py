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


def walk(root: Path, recursive: bool, suffixes: tuple[str, ...]) -> Walk:
    """The files under ``root`` whose suffix is in ``suffixes`` (all levels when
    ``recursive``), sorted as ``sorted(root.rglob("*"))`` sorts them; tool folders are not
    entered and side files are left out, each listed.  Symbolic links to folders are not
    followed (as ``rglob``)."""
    out = Walk()
    if not recursive:
        for child in sorted(root.iterdir()):
            if child.is_dir():
                out.subdirs += not is_tool_dir(child.name)
            elif child.is_file() and child.suffix.lower() in suffixes:
                (out.side_files if is_side_file(child) else out.files).append(child)
        return out
    for folder, dirs, names in os.walk(root, onerror=None, followlinks=False):
        base = Path(folder)
        kept = []
        for d in dirs:
            (out.tool_dirs.append(base / d) if is_tool_dir(d) else kept.append(d))
        dirs[:] = kept  # (pruned: never entered)
        for name in names:
            child = base / name
            if child.suffix.lower() in suffixes and child.is_file():
                (out.side_files if is_side_file(child) else out.files).append(child)
    out.files.sort()
    out.tool_dirs.sort()
    out.side_files.sort()
    return out
