"""WARC snapshots (warcio): one index pass, then random access per host.

``WarcSnapshot(path)`` reads a ``.warc``/``.warc.gz`` file (or a legacy ``.arc``/``.arc.gz``
one), or every such file in a directory, once, recording for each ``response`` (and ``resource``) record its URL and
offset.  A site worker then opens only its own records by offset.  A URL captured more than
once (two crawls in one file, or a folder of crawls) is read from its latest capture (by
WARC-Date, then by position) that did not fail for the moment (a 5xx answer or a truncated
record is read only when the URL has no other capture); a ``revisit`` record (a deduplicated capture: the payload did
not change) is such a capture too, read with the payload of the response it refers to
(WARC-Refers-To, else the same WARC-Payload-Digest, else WARC-Refers-To-Target-URI's latest
response, in any file of the snapshot); a revisit whose original is not in the snapshot is a page with an ``error``
unless an earlier response of the URL is there.  The index keeps offsets only.  A truncated or
corrupt record is not fatal: indexing stops at the damage and the loss is reported in
``problems``; a record marked ``WARC-Truncated`` or whose body cannot be read becomes a
page with an ``error`` (a recorded skip); a file that yields no page at all (empty, or not
a WARC) is a recorded problem too.  WARC-Date and HTTP Date headers are never used to date
anything.
"""
from __future__ import annotations

import contextlib
import dataclasses
import io
from pathlib import Path

from ..errors import InputError
from .snapshot import MAX_PAGE_BYTES, Page, SnapshotSpec, host_of_url, url_key

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


@dataclasses.dataclass(frozen=True)
class RecordRef:
    file: str
    offset: int
    payload: "RecordRef | None" = None  # a revisit: the response holding its payload
    unresolved: str | None = None  # a revisit whose original is not in the snapshot: why


def _status(record) -> int:
    """The record's HTTP status (200 for a resource record without HTTP headers, 0 when unreadable)."""
    if record.http_headers is None:
        return 200
    try:
        return int(record.http_headers.get_statuscode() or 0)
    except ValueError:
        return 0


def _capture_time(record) -> str:
    """WARC-Date as a sortable UTC string ('' when absent): it orders captures, never dates an item."""
    import datetime as dt

    raw = (record.rec_headers.get_header("WARC-Date") or "").strip()
    try:
        when = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")


class WarcSnapshot:
    def __init__(self, path: str | Path):
        p = Path(path)
        if not p.exists():
            raise InputError(str(path), "WARC snapshot not found")
        self.path = p
        self.files = [p] if p.is_file() else sorted(x for x in p.iterdir() if x.name.endswith(WARC_SUFFIXES))
        if not self.files:
            raise InputError(str(path), "no .warc or .warc.gz files")
        self.index: dict[str, dict[str, RecordRef]] = {}
        self.problems: list[tuple[str, str]] = []  # (where, reason)
        # while indexing: (not failed, capture time, sequence) of each indexed URL's capture, and
        # the responses' record ids and payload digests, to resolve revisits; dropped afterwards
        self._when: dict[tuple[str, str], tuple[bool, str, int]] = {}
        self._by_id: dict[str, RecordRef] = {}
        self._by_digest: dict[str, RecordRef] = {}
        self._revisits: list[tuple[str, str, tuple[bool, str, int], RecordRef, str, str, str]] = []
        self._seq = 0
        for f in self.files:
            self._index_file(f)
        self._resolve_revisits()
        del self._when, self._by_id, self._by_digest, self._revisits

    def _add(self, host: str, key: str, when: tuple[bool, str, int], ref: RecordRef) -> None:
        old = self._when.get((host, key))
        if old is None or when >= old:
            self._when[(host, key)] = when
            self.index.setdefault(host, {})[key] = ref

    def _resolve_revisits(self) -> None:
        for host, key, when, ref, refers_to, target, digest in self._revisits:
            original = self._by_id.get(refers_to) if refers_to else None
            if original is None and digest:
                original = self._by_digest.get(digest)
            if original is None and target:  # a server-not-modified revisit names no digest
                got = self.index.get(host_of_url(target), {}).get(url_key(target))
                original = got if got is not None and got.payload is None and got.unresolved is None else None
            if original is not None:
                self._add(host, key, when, dataclasses.replace(ref, payload=original))
            elif key not in self.index.get(host, {}):
                # an earlier response of the URL is better than none; otherwise a visible skip
                self._add(host, key, when, dataclasses.replace(
                    ref, unresolved=f"WARC revisit record whose original capture is not in the snapshot "
                                    f"({target or refers_to or digest or 'no WARC-Refers-To'})"))

    def _index_file(self, path: Path) -> None:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed

        try:
            fh = path.open("rb")
        except OSError as exc:
            self.problems.append((str(path), f"unreadable WARC ({exc.strerror or exc})"))
            return
        pages = 0
        # warcio writes a warning with the record's remaining bytes (page text) to stderr for
        # each record not followed by a blank line: counted below as one problem instead
        with fh, contextlib.redirect_stderr(io.StringIO()):
            it = ArchiveIterator(fh)
            last = None
            try:
                for record in it:
                    last = record
                    if record.rec_type not in ("response", "resource", "revisit"):
                        continue
                    # an ARC record names its URL in the "uri" field of its header line
                    url = record.rec_headers.get_header("WARC-Target-URI") or record.rec_headers.get_header("uri")
                    if not url:
                        continue
                    url = url.strip("<>")
                    host = host_of_url(url)
                    if not host:
                        continue
                    pages += 1
                    self._seq += 1
                    ref = RecordRef(str(path), it.get_record_offset())
                    head = record.rec_headers.get_header
                    # a capture that failed for the moment (a 5xx answer, a truncated record) is
                    # read only when the URL has no other: a site down during a later crawl
                    # keeps its earlier pages (availability is the probes' to judge)
                    status = _status(record)
                    failed = bool(head("WARC-Truncated")) or status >= 500 or status == 0
                    when = (not failed, _capture_time(record), self._seq)
                    if record.rec_type == "revisit":
                        target = (head("WARC-Refers-To-Target-URI") or "").strip("<>")
                        self._revisits.append((host, url_key(url), when, ref, (head("WARC-Refers-To") or "").strip(),
                                               target, (head("WARC-Payload-Digest") or "").strip()))
                        continue
                    self._add(host, url_key(url), when, ref)
                    if head("WARC-Record-ID"):
                        self._by_id.setdefault(head("WARC-Record-ID").strip(), ref)
                    if head("WARC-Payload-Digest") and status == 200:
                        # (not a redirect's: its empty payload is every redirect's, its Location not)
                        self._by_digest.setdefault(head("WARC-Payload-Digest").strip(), ref)
            except (ArchiveLoadFailed, EOFError, OSError, ValueError, Exception) as exc:  # noqa: BLE001
                self.problems.append((str(path), f"truncated or corrupt WARC record after offset {it.offset}: {type(exc).__name__}"))
                return
            finally:
                if it.err_count:
                    self.problems.append((str(path), f"{it.err_count} record(s) not followed by a blank line (a wrong Content-Length?)"))
            if not pages:
                self.problems.append((str(path), "no response or resource record with a URL (an empty file, or not a WARC)"))
                return
            if last is not None and getattr(last.raw_stream, "limit", 0) > 0:
                # a file cut inside its last record (a crawl or a download interrupted): warcio ends
                # the iteration without a word, and the file was "complete" until that page was read
                uri = last.rec_headers.get_header("WARC-Target-URI") or last.rec_headers.get_header("uri") or "?"
                self.problems.append((str(path), f"truncated WARC: its last record ({uri.strip('<>')}) is cut short "
                                                 f"({last.raw_stream.limit} bytes of its body missing)"))
            size = path.stat().st_size
            if it.offset < size:
                self.problems.append((str(path), f"truncated WARC: {size - it.offset} bytes after offset {it.offset} hold no complete record"))

    def hosts(self) -> list[str]:
        return sorted(self.index)

    def site(self, host: str) -> "WarcSite":
        return WarcSite(host, self.index.get(host, {}))

    def spec(self) -> SnapshotSpec:
        return SnapshotSpec("warc", str(self.path))

    def describe(self) -> str:
        return f"WARC {self.path} ({len(self.files)} file(s))"


class WarcSite:
    """One host's records of a WARC snapshot; picklable (an index of offsets)."""

    def __init__(self, host: str, refs: dict[str, RecordRef]):
        self.host = host
        self.refs = refs

    def urls(self) -> list[str]:
        return [f"http://{k}" for k in self.refs]

    def get(self, url: str) -> Page | None:
        ref = self.refs.get(url_key(url))
        if ref is None:
            return None
        return read_record(ref, url)


def read_record(ref: RecordRef, url: str) -> Page:
    if ref.unresolved:
        return Page(url, 0, b"", None, error=ref.unresolved)
    if ref.payload is not None:
        # a revisit: the capture is the revisit's, the payload (and its headers) the original's
        return read_record(ref.payload, url)
    from warcio.archiveiterator import ArchiveIterator

    try:
        with open(ref.file, "rb") as fh:
            fh.seek(ref.offset)
            record = next(iter(ArchiveIterator(fh)))
            status = 200
            media_type = None
            location = None
            if record.http_headers is not None:
                try:
                    status = int(record.http_headers.get_statuscode() or 0)
                except ValueError:
                    status = 0
                media_type = record.http_headers.get_header("Content-Type")
                location = record.http_headers.get_header("Location")
            else:
                media_type = record.rec_headers.get_header("Content-Type")
            stream = record.content_stream()
            data = stream.read(MAX_PAGE_BYTES + 1)
            if len(data) > MAX_PAGE_BYTES:
                return Page(url, status, b"", media_type, location, error=f"huge page (over {MAX_PAGE_BYTES // 2**20} MB)")
            if record.rec_headers.get_header("WARC-Truncated"):
                reason = record.rec_headers.get_header("WARC-Truncated")
                return Page(url, status, data, media_type, location, error=f"truncated WARC record ({reason})")
            if getattr(record.raw_stream, "limit", 0) > 0:
                return Page(url, status, data, media_type, location, error="truncated WARC record (body shorter than Content-Length)")
            return Page(url, status, data, media_type, location)
    except StopIteration:
        return Page(url, 0, b"", None, error="truncated WARC record (no record at its offset)")
    except Exception as exc:  # noqa: BLE001 - any damage to one record is one skip
        return Page(url, 0, b"", None, error=f"truncated or corrupt WARC record ({type(exc).__name__})")
