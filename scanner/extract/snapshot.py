"""What a website snapshot gives the site model: pages by URL, whatever stored them.

A snapshot is a WARC file (``scanner.extract.warc``) or a mirror directory in wget's
layout (``scanner.extract.mirror``).  Both hand out one :class:`SitePages` per host, a
read-only lookup ``get(url) -> Page | None`` that a worker process can open on its own
(the unit of work is one site: its snapshot handle is small and picklable).

Only a page's own text or markup may date an item; the HTTP/WARC dates and file times
that a snapshot knows are deliberately not part of :class:`Page`.
"""
from __future__ import annotations

import dataclasses
import functools
import posixpath
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from ..errors import InputError

MAX_PAGE_BYTES = 8 * 1024 * 1024  # a page beyond this is skipped as "huge page"


@dataclasses.dataclass(frozen=True, slots=True)
class Page:
    url: str
    status: int  # HTTP status (200 for a mirror file)
    data: bytes
    media_type: str | None = None
    location: str | None = None  # redirect target of a 3xx
    error: str | None = None  # why the body cannot be used (truncated record, huge page)


class SitePages(Protocol):
    host: str

    def get(self, url: str) -> Page | None: ...

    def urls(self) -> list[str]: ...


def url_key(url: str) -> str:
    """Lookup key: host + path + query, no scheme, no fragment, ``/`` for an empty path,
    dot segments resolved, percent-escapes decoded."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = unquote(parts.path or "/")
    if path != "/":
        trailing = path.endswith("/")
        path = posixpath.normpath(path)
        if trailing and not path.endswith("/"):
            path += "/"
    if not path.startswith("/"):
        path = "/" + path
    return host + path + (("?" + parts.query) if parts.query else "")


def host_of_url(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def absolute(base: str, href: str | None) -> str | None:
    """Resolve ``href`` against ``base``; None for javascript:, mailto:, anchors and junk."""
    if not href:
        return None
    return _absolute(base, href)


@functools.lru_cache(maxsize=65536)
def _absolute(base: str, href: str) -> str | None:
    href = href.strip()
    low = href.lower()
    if not href or low.startswith(("javascript:", "mailto:", "tel:", "#", "data:")):
        return None
    try:
        url = urljoin(base, href)
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


@dataclasses.dataclass(frozen=True)
class SnapshotSpec:
    """A picklable description of a snapshot: enough for a worker to open one host."""

    kind: str  # "mirror" | "warc"
    path: str

    def open(self):
        if self.kind == "mirror":
            from .mirror import MirrorSnapshot

            return MirrorSnapshot(self.path)
        from .warc import WarcSnapshot

        return WarcSnapshot(self.path)


def open_snapshot(path: str | Path):
    """A mirror directory (``<host>/<path>``), a ``.warc``/``.warc.gz`` file, or a directory of them."""
    p = Path(path)
    if not p.exists():
        raise InputError(str(path), "snapshot not found")
    from .warc import WARC_SUFFIXES

    if p.is_file():
        if p.name.endswith(WARC_SUFFIXES):
            return SnapshotSpec("warc", str(p)).open()
        raise InputError(str(path), "not a snapshot (expected a .warc/.warc.gz file or a mirror directory)")
    warcs = sorted(x for x in p.iterdir() if x.is_file() and x.name.endswith(WARC_SUFFIXES))
    if warcs:
        return SnapshotSpec("warc", str(p)).open()
    return SnapshotSpec("mirror", str(p)).open()
