"""Where the project's data lives, and the TSV lexicon reader.

Lexicons are TSV files in ``lexicons/``: a header comment (lines starting with ``#``:
what the file holds, its source and licence), then a header row naming the columns,
then one row per entry.  A missing lexicon raises ResourceMissingError: a compliance
tool that silently checks nothing is worse than none.
"""
from __future__ import annotations

import functools
import io
import os
import re
from pathlib import Path

from .errors import ResourceMissingError

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Columns whose values are terms that jieba must never split.
TERM_COLUMNS = ("name", "term", "canonical", "formulation")


def lexicon_dir() -> Path:
    return Path(os.environ.get("GOVSCAN_LEXICONS", PROJECT_ROOT / "lexicons"))


def models_dir() -> Path:
    return Path(os.environ.get("GOVSCAN_MODELS", PROJECT_ROOT / "models"))


def shared_data_dir() -> Path:
    """../shared/data beside the project (development and evaluation data, not shipped)."""
    return Path(os.environ.get("GOVSCAN_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data"))


def lexicon_path(name: str) -> Path:
    path = lexicon_dir() / name
    if not path.is_file():
        raise ResourceMissingError(
            f"lexicon {name} not found in {lexicon_dir()}: run govscan from a checkout of the "
            "project (lexicons/ is part of it) or set GOVSCAN_LEXICONS to its folder"
        )
    return path


# ---------------------------------------------------------------- lexicon caches
# What this process holds in memory from the lexicons (rows, and tables derived from them) must
# agree with the files a build is keyed by: cached_build hashes the files on disk, and a build that
# read a lexicon through a cache filled before the file was edited would store the old content
# under the new content's key, served to every later process.  Caches of lexicon content are made
# with @lexicon_cache; read_tsv records what it read, and cached_build clears them all when a file
# differs from what was read.
_LEXICON_CACHES: list = []
_READ: dict[str, tuple[str, str]] = {}  # lexicon name -> (path, sha1 of the bytes) as last read


def lexicon_cache(maxsize: int | None = 128):
    """functools.lru_cache for a function whose result derives from lexicon content: cleared by
    :func:`clear_lexicon_caches` (cached_build calls it when a lexicon changed on disk)."""
    def wrap(fn):
        cached = functools.lru_cache(maxsize=maxsize)(fn)
        _LEXICON_CACHES.append(cached)
        return cached

    return wrap


def clear_lexicon_caches() -> None:
    for cached in _LEXICON_CACHES:
        cached.cache_clear()
    _READ.clear()


def _sha1(data: bytes) -> str:
    import hashlib

    return hashlib.sha1(data).hexdigest()


@lexicon_cache(maxsize=64)
def read_tsv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of ``lexicons/<name>`` as dicts keyed by the header row."""
    path = lexicon_path(name)
    data = path.read_bytes()
    _READ[name] = (str(path), _sha1(data))
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for line in io.StringIO(data.decode("utf-8"), newline=None):  # universal newlines, as open()
        line = line.rstrip("\n").rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = [c.strip() for c in cells]
            continue
        if len(cells) < len(header):
            cells += [""] * (len(header) - len(cells))
        rows.append({k: v.strip() for k, v in zip(header, cells)})
    if header is None:
        raise ResourceMissingError(f"lexicon {path} has no header row")
    return tuple(rows)


@lexicon_cache(maxsize=1)
def lexicon_terms() -> tuple[str, ...]:
    """Every term listed in a TERM_COLUMNS column of any lexicon: jieba's user dictionary."""
    terms: set[str] = set()
    directory = lexicon_dir()
    if not directory.is_dir():
        return ()
    for path in sorted(directory.glob("*.tsv")):
        for row in read_tsv(path.name):
            for col in TERM_COLUMNS:
                value = row.get(col, "")
                if value and 2 <= len(value) <= 30 and " " not in value:
                    terms.add(value)
                    # jieba cuts at punctuation: add the runs of a term like 不忘初心、牢记使命 too
                    for run in re.findall(r"[\u4e00-\u9fff]{2,}", value):
                        if run != value:
                            terms.add(run)
    return tuple(sorted(terms))


# ---------------------------------------------------------------- build cache
def cache_dir() -> Path | None:
    """Where compiled lexicons are cached: $GOVSCAN_CACHE, else ~/.cache/govscan.
    Set GOVSCAN_CACHE=off to build everything in memory every time."""
    value = os.environ.get("GOVSCAN_CACHE")
    if value and value.lower() in ("off", "0", "no"):
        return None
    if value:
        return Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "govscan"


def cached_build(name: str, build, *, lexicons: tuple[str, ...], code: tuple[str, ...] = ()):
    """``build()``, cached on disk as a pickle keyed by the content of the lexicon files and
    of the code that builds from them, so a changed lexicon or builder is rebuilt, never
    served stale.  Like jieba's own dictionary cache: start-up matters for a CLI tool.
    A cache that cannot be read or written is ignored (the build runs in memory)."""
    import hashlib
    import pickle
    import tempfile

    from . import __version__

    def key() -> str:
        digest = hashlib.sha1(__version__.encode())
        for lex in lexicons:
            data = lexicon_path(lex).read_bytes()
            digest.update(lex.encode())
            digest.update(data)
            read = _READ.get(lex)
            if read is not None and read != (str(lexicon_path(lex)), _sha1(data)):
                # edited (or another lexicon folder) since this process read it: the build must
                # not see the old rows, nor tables derived from them
                clear_lexicon_caches()
        for path in code:
            digest.update(Path(path).read_bytes())
        return digest.hexdigest()[:20]

    directory = cache_dir()
    if directory is None:
        return build()
    before = key()
    path = directory / f"{name}-{before}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        pass
    value = build()
    if key() != before:
        return value  # a lexicon changed while it was built: which content it holds is not known
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for old in directory.glob(f"{name}-*.pickle"):
            old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
    return value
