"""Mirror directories in wget's layout: ``<root>/<host>/<path>``.

``wget --mirror`` (and ``-E``/``--adjust-extension``) writes ``http://h/a/`` as
``h/a/index.html``, ``http://h/a?page=2`` as ``h/a?page=2`` (or ``...?page=2.html``; on Windows
``h/a@page=2``) and keeps every other path as it is.  A file that is there is served as status 200; a URL
with no file is "not captured" (``None``).  File times are never used as dates.
"""
from __future__ import annotations

import mimetypes
from pathlib import Path

from ..errors import InputError
from .snapshot import MAX_PAGE_BYTES, Page, url_key

_HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml", ".jsp", ".php", ".asp", ".aspx")


class MirrorSnapshot:
    def __init__(self, root: str | Path):
        self.root = Path(root)
        if not self.root.is_dir():
            raise InputError(str(root), "mirror directory not found")

    def hosts(self) -> list[str]:
        return sorted(p.name.lower() for p in self.root.iterdir() if p.is_dir() and not p.name.startswith("."))

    def site(self, host: str) -> "MirrorSite":
        return MirrorSite(self.root / host, host)

    def spec(self):
        from .snapshot import SnapshotSpec

        return SnapshotSpec("mirror", str(self.root))

    def describe(self) -> str:
        return f"mirror {self.root}"


class MirrorSite:
    def __init__(self, directory: Path, host: str):
        self.dir = directory
        self.host = host

    def _candidates(self, key: str) -> list[Path]:
        rel = key[len(self.host):] if key.startswith(self.host) else key.split("/", 1)[-1]
        path, _, query = rel.partition("?")
        path = path.lstrip("/")
        if ".." in Path(path).parts:
            return []
        base = self.dir / path if path else self.dir
        out: list[Path] = []
        if query:
            name = (path.rstrip("/") or "index.html") if not path.endswith("/") else path + "index.html"
            for sep in ("?", "@"):  # wget on Windows (--restrict-file-names=windows, its default) writes ? as @
                q = self.dir / f"{name}{sep}{query}"
                out += [q, Path(f"{q}.html")]
        if not path or path.endswith("/"):
            out += [base / "index.html", base / "index.htm", base / "index.shtml"]
        else:
            out += [base, Path(f"{base}.html"), base / "index.html"]
        return out

    def get(self, url: str) -> Page | None:
        key = url_key(url)
        for cand in self._candidates(key):
            try:
                if not cand.is_file():
                    continue
                size = cand.stat().st_size
                if size > MAX_PAGE_BYTES:
                    return Page(url, 200, b"", self._media_type(cand), error=f"huge page ({size // 2**20} MB)")
                return Page(url, 200, cand.read_bytes(), self._media_type(cand))
            except OSError as exc:
                return Page(url, 0, b"", None, error=f"unreadable file ({exc.strerror or exc})")
        return None

    @staticmethod
    def _media_type(path: Path) -> str | None:
        name = path.name.lower().split("?", 1)[0] if "?" in path.name else path.name.lower()
        if name.endswith(_HTML_SUFFIXES) or "?" in path.name or name.split("@", 1)[0].endswith(_HTML_SUFFIXES):
            return "text/html"
        return mimetypes.guess_type(name)[0]

    def urls(self) -> list[str]:
        if not self.dir.is_dir():
            return []
        out = []
        for p in sorted(self.dir.rglob("*")):
            if p.is_file():
                rel = p.relative_to(self.dir).as_posix()
                out.append(f"http://{self.host}/{rel}")
        return out
