"""Per-site scan: snapshot + config -> one record.  Sites are independent units of work.

``scan_site(job, worker)`` is a pure function of the site's registry row, its snapshot
pages and the settings (the ``Worker`` only caches what is expensive to build: the
pipeline's Reviewer with the content checks, and the unit checks).  ``scan_sites`` runs
the jobs inline or in a local process pool (``--workers N``), one Reviewer per worker
process, and yields records in registry order.

Content checks are the pipeline's: every article (and attachment) dated in the inspection
window goes through ``Reviewer.review_extracted``; their veto findings become 出现严重表述错误
(wording) and 泄露个人隐私 (pii).  The unit checks (``scanner.checks.freshness``,
``scanner.checks.site``) judge the site model.

Record (the contract with the store and the report, issue 6):
``{"code", "name", "region", "host", "verdict": "pass"|"fail"|"not_judged", "problems": [labels],
"findings": [...]}`` plus ``kind``, ``sponsor``, ``url``, ``line``, ``deductions``
(labels of deduction findings), ``as_of``, ``since`` and ``stats`` (pages read, articles
reviewed, skips by reason).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from types import SimpleNamespace
from typing import Any

from ..checks.excerpt import mask_text
from ..checks.unit import UnitCheck
from ..extract.snapshot import SnapshotSpec, host_of_url
from ..findings import Finding, Severity
from ..settings import Settings
from ..types import Extracted, Skipped, Source
from .html import ATTACHMENT_SUFFIXES, is_attachment_link  # noqa: F401 - the scan's (and the crawler's) link rule
from .model import Item, ModelOptions, SiteModel, build_site_model, reason_kind
from .registry import SiteEntry

CONTENT_PROBLEMS = {"wording": "出现严重表述错误", "pii": "泄露个人隐私"}
AUDIT_ONLY_FORMATS = ("xlsx", "pdf", "ofd", "xls")  # read by the privacy auditor, not by the review


@dataclasses.dataclass
class Article:
    url: str
    title: str | None
    text: str
    date: dt.date | None
    column: str


@dataclasses.dataclass
class SiteUnit:
    """What the site checks see."""

    entry: SiteEntry
    model: SiteModel
    as_of: dt.date
    since: dt.date
    articles: list[Article] = dataclasses.field(default_factory=list)
    probes: tuple | None = None  # the week's availability probes (--probes), None: no probe log given
    availability: dict | None = None  # site.unreachable's judgement of them, for the record
    privacy_checked: int = 0  # pages and attachments given the privacy checks only (undated, XLSX, PDF, OFD)

    @property
    def source(self) -> str:
        return self.entry.host

    def items_in_window(self, include_undated: bool = False) -> list[Item]:
        out = []
        for item in self.model.all_items():
            if item.date is None:
                if include_undated:
                    out.append(item)
            elif self.since <= item.date <= self.as_of:
                out.append(item)
        return out


def window(settings: Settings, since: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """(since, as_of): the inspection window; ``since`` defaults to the quarter's first day."""
    from ..text.dates import quarter_start

    return since or quarter_start(settings.as_of), settings.as_of


def model_options(settings: Settings) -> ModelOptions:
    from .columns import ColumnClassifier

    scan = settings.section("scan")
    return ModelOptions(
        max_list_pages=int(scan.get("max_list_pages", 30)),
        max_columns=int(scan.get("max_columns", 200)),
        date_from_article=bool(scan.get("date_from_article", True)),
        trust_external_channels=bool(scan.get("trust_external_channels", True)),
        classifier=ColumnClassifier.from_config(scan),
    )


class Worker:
    """Per-process state: the settings, the Reviewer (content checks) and the unit checks."""

    def __init__(self, settings: Settings, since: dt.date | None = None, scope: str = "site"):
        from ..pipeline import Reviewer

        self.settings = settings
        self.since, self.as_of = window(settings, since)
        self.reviewer = Reviewer(settings)
        self.unit_checks = [c for c in self.reviewer.checks if isinstance(c, UnitCheck) and c.SCOPE == scope]
        self.options = model_options(settings)
        self.max_articles = int(settings.section("scan").get("max_articles_per_site", 400))
        self._privacy = None

    def review(self, extracted: Extracted, url: str, title: str | None = None,
               privacy_only: bool = False) -> list[Finding]:
        reviewer = self.privacy_reviewer if privacy_only else self.reviewer
        review = reviewer.review_extracted(extracted)
        out = []
        for f in review.findings:
            loc = dict(f.location or {})
            loc.setdefault("url", url)
            if title:
                loc.setdefault("title", title)
            if extracted.cells or extracted.pages:  # the sheet and cell, table row, or PDF page of the value
                from ..privacy.audit import _location

                place = _location(extracted, f.start, f.end)
                if "start" not in place or "page" in place:
                    loc.setdefault("place", place)
            out.append(dataclasses.replace(f, location=loc))
        return out

    @property
    def privacy_reviewer(self):
        """The Reviewer with the privacy checks only (built on first use)."""
        if self._privacy is None:
            from ..pipeline import Reviewer

            self._privacy = Reviewer(self.settings, families=("pii",))
        return self._privacy


@dataclasses.dataclass(frozen=True)
class SiteJob:
    entry: SiteEntry
    snapshot: SnapshotSpec
    pages: Any = None  # the host's pages handle when already open (WARC index), else opened from the spec
    probes: tuple | None = None  # availability probes of the week before as-of (probe log), None: not given


def _open_pages(job: SiteJob, hosts_cache: dict) -> Any:
    if job.pages is not None:
        return job.pages
    key = job.snapshot
    snap = hosts_cache.get(key)
    if snap is None:
        snap = hosts_cache[key] = job.snapshot.open()
    return snap.site(job.entry.host)


_SNAPSHOTS: dict = {}


def scan_site(job: SiteJob, worker: Worker) -> dict[str, Any]:
    """One site's record.  Never raises for a bad page; an unexpected error in one site
    becomes that site's skip, not the end of the scan."""
    entry = job.entry
    try:
        pages = _open_pages(job, _SNAPSHOTS)
        home_url = entry.url if "://" in entry.url else f"http://{entry.url}"
        if host_of_url(home_url) != entry.host:
            home_url = f"http://{entry.host}/"
        model = build_site_model(entry.host, home_url, pages, worker.options)
        if not model.home_ok:
            # nothing to judge: the site is reported as not inspected, never as passing;
            # unless the probe log proves it unreachable (the likeliest reason the crawl has no home page)
            return _unreachable_record(entry, model, job, worker) or error_record(entry, worker, model.home_reason)
        unit = SiteUnit(entry, model, worker.as_of, worker.since, probes=job.probes)
        findings: list[Finding] = _review_window(unit, pages, worker)
        for check in worker.unit_checks:
            findings.extend(check.check(unit))
        return site_record(entry, unit, findings)
    except Exception as exc:  # noqa: BLE001 - one site never ends the scan
        return error_record(entry, worker, f"scan error: {type(exc).__name__}: {exc}")


def _unreachable_record(entry: SiteEntry, model, job: SiteJob, worker: Worker) -> dict[str, Any] | None:
    """The record of a site without a home page in the snapshot whose probes of the week fail
    站点无法访问: that veto stands on the probe log alone (the other items are not judged and
    the record says why); None when there is no probe log, no such check or no veto."""
    if job.probes is None:
        return None
    check = next((c for c in worker.unit_checks if c.CODE == "site.unreachable"), None)
    if check is None:
        return None
    unit = SiteUnit(entry, model, worker.as_of, worker.since, probes=job.probes)
    findings = [f for f in check.check(unit) if f.severity is Severity.VETO]
    if not findings:
        return None
    record = site_record(entry, unit, findings)
    record["not_judged"] = f"home page not in the snapshot ({model.home_reason}): only 站点无法访问 was judged, from the probe log"
    return record


def _read_document(url: str, page, title: str | None):
    """(Extracted, tree, privacy_only) or (Skipped, None, False): HTML through the fast article
    extractor, attachments the review reads (DOCX, TXT, CSV) through the pipeline's extractor,
    XLSX, PDF and OFD through the privacy auditor's (``govscan privacy audit``: its size, ZIP-bomb
    and page limits): those get the privacy checks only (a 公示名单 is mostly a spreadsheet or a PDF)."""
    from ..errors import InputError
    from ..extract.documents import sniff_format
    from ..extract.html import extract_article
    from ..pipeline import extract
    from ..privacy.audit import extract_for_audit
    from ..privacy.wrapped import rejoin_wrapped
    from . import html as H

    source = Source(url, page.data, media_type=page.media_type, url=url)
    fmt = sniff_format(source)
    try:
        if fmt in AUDIT_ONLY_FORMATS or url.split("?", 1)[0].lower().endswith((".xlsx", ".pdf", ".ofd", ".xls", ".et")):
            return rejoin_wrapped(extract_for_audit(source)), None, True
        if fmt != "html":
            return extract(source), None, False
        tree, _ = H.parse_html(page.data, url)
        return extract_article(source, tree, title), tree, False
    except InputError as exc:
        return Skipped(source, exc.reason), None, False
    except Exception as exc:  # noqa: BLE001 - one bad page or attachment never ends the site's scan
        return Skipped(source, f"unreadable ({type(exc).__name__})"), None, False


def _beyond_text(url: str, page) -> Extracted | None:
    """A DOCX or DOC attachment as the privacy auditor reads it (``govscan privacy audit``), for
    what the review's text of it lacks: the workbooks and documents embedded in it (after
    ``meta["embedded_from"]``; an Excel 名单 pasted as an object shows a picture, the file holds
    the list) and ``meta["unread"]``, the embedded files it could not read.  The review read the
    body alone: such an attachment passed with an ID list inside it, or with a damaged one, and
    nothing said a part was not read.  None when the auditor cannot read it (the review could)."""
    from ..privacy.audit import extract_for_audit

    try:
        return extract_for_audit(Source(url, page.data, media_type=page.media_type, url=url))
    except Exception:  # noqa: BLE001 - the review's own reading stands
        return None


def _linked_name_findings(link: str, url: str, title: str | None, worker: Worker) -> list[Finding]:
    """The personal data in the name of a file the page at ``url`` links to (``link``: its pieces
    holding a Chinese character and 7 digits, percent-decoded, as the audit reads a page's links):
    an attachment is published under its name, so 王芳11010519491231002X.xlsx leaks the ID whatever
    the file holds, or when the snapshot lacks it.  Privacy checks only, located at the page."""
    from ..extract.office import linked_file_names

    names = linked_file_names(link)
    if not names:
        return []
    text = "\n".join(f"附件文件名：{name}" for name in names)
    return worker.review(Extracted(Source(url, text.encode("utf-8"), url=url), text, "txt"), url, title, privacy_only=True)


def _review_window(unit: SiteUnit, pages, worker: Worker) -> list[Finding]:
    """Every item in the window (and the attachments its page links) through the content
    checks; undated items, which cannot be placed outside the window, through the privacy
    checks only: personal data on a live page is a leak whatever its date.  The published
    letters (留言) of the window, or undated, through the privacy checks too (a citizen's phone
    number or ID in a published letter); a letter page the snapshot lacks is no skip."""
    from . import html as H

    findings: list[Finding] = []
    done: set[str] = set()
    model = unit.model
    host = unit.entry.host
    queue: list[tuple[str, str | None, Item, bool]] = [(i.url, i.title, i, False) for i in unit.items_in_window() if i.url]
    queue += [(i.url, i.title, i, True) for i in model.all_items() if i.url and i.date is None]
    letters = set()
    for letter in model.letters:
        day = letter.replied or letter.submitted
        if letter.url and (day is None or unit.since <= day <= unit.as_of):
            letters.add(letter.url)
            queue.append((letter.url, letter.title, Item(letter.title, letter.url, day, None, "互动交流"), True))
    while queue:
        url, title, item, privacy_only = queue.pop(0)
        if url in done or host_of_url(url) != host:
            continue
        if len(done) >= worker.max_articles:
            model.skips.append((url, "article limit reached"))
            continue
        done.add(url)
        page = _fetch(pages, url)
        if page is None:
            if url not in letters:
                model.skips.append((url, "article not in the snapshot" if url == item.url else "linked page not in the snapshot"))
            continue
        if page.error or page.status >= 300 or page.status == 0:
            reason = "redirect loop or off-site redirect" if 300 <= page.status < 400 else f"HTTP {page.status}"
            model.skips.append((url, page.error or reason))
            continue
        model.pages_read += 1
        extracted, tree, audit_only = _read_document(url, page, title)
        if isinstance(extracted, Skipped):
            model.skips.append((url, extracted.reason))
            continue
        beyond = None
        if not audit_only and tree is None and extracted.format in ("docx", "doc"):
            beyond = _beyond_text(url, page)  # (its embedded workbooks and what could not be read)
            if beyond is not None:
                extracted = dataclasses.replace(extracted, meta={**extracted.meta, "unread": beyond.meta.get("unread", ())})
        for reason in extracted.meta.get("unread", ()):  # an OFD's page, an attached or embedded file that could not be read
            model.skips.append((url, f"part of the document not read ({mask_text(reason)})"))
        extracted = dataclasses.replace(extracted, published=item.date)
        if privacy_only or audit_only:
            unit.privacy_checked += 1
            findings += worker.review(extracted, url, title, privacy_only=True)
        else:
            unit.articles.append(Article(url, extracted.title or title, extracted.text, item.date, item.column))
            findings += worker.review(extracted, url, title)
        if beyond is not None and beyond.meta.get("embedded_from", len(beyond.text)) < len(beyond.text):
            start = beyond.meta["embedded_from"]
            findings += [f for f in worker.review(dataclasses.replace(beyond, published=item.date), url, title, privacy_only=True)
                         if f.start >= start]
        if tree is not None and url == item.url:
            for link in H.links(tree, url):
                if is_attachment_link(link.url, link.text):
                    findings += _linked_name_findings(link.url, url, title, worker)
                    if link.url not in done:
                        queue.append((link.url, link.text or title, item, privacy_only))
    return findings


def _fetch(pages, url: str, max_redirects: int = 5):
    """The page at ``url``, following the snapshot's redirects within the site (a download link
    answered 302 to the file: the empty 302 was read as an empty file)."""
    from ..extract.snapshot import absolute

    page, seen = pages.get(url), {url}
    while page is not None and 300 <= page.status < 400 and page.location:
        nxt = absolute(page.url, page.location)
        if nxt is None or nxt in seen or len(seen) > max_redirects or host_of_url(nxt) != host_of_url(url):
            return page
        seen.add(nxt)
        page = pages.get(nxt)
    return page


def problems_of(findings: Iterable[Finding], severity: Severity) -> list[str]:
    labels: list[str] = []
    for f in findings:
        if f.severity is not severity:
            continue
        label = (f.location or {}).get("problem") or CONTENT_PROBLEMS.get(f.category) or f.indicator
        if label not in labels:
            labels.append(label)
    return labels


def _finding_dicts(findings: list[Finding]) -> list[dict]:
    """The record's findings, vetoes first.  A content finding's ``location`` gains the label it
    fails or marks its unit with (``problem``: 泄露个人隐私, 出现严重表述错误), as the unit checks'
    have it: it had only ``url`` and ``title``, and a reader grouping findings by problem lost them."""
    order = sorted(findings, key=lambda f: (f.severity.rank, f.category, f.code))
    out = []
    for f in order:
        d = f.to_dict()
        label = CONTENT_PROBLEMS.get(f.category)
        if label and f.severity in (Severity.VETO, Severity.DEDUCTION) and isinstance(d.get("location"), dict):
            d["location"] = {"problem": label, **d["location"]}
        out.append(d)
    return out


def site_record(entry: SiteEntry, unit: SiteUnit, findings: list[Finding]) -> dict[str, Any]:
    model = unit.model
    problems = problems_of(findings, Severity.VETO)
    skips = Counter(reason_kind(r) for _, r in model.skips)
    not_checked = [k for k in NOT_CHECKED if k != "站点无法访问" or unit.availability is None]
    return {
        "kind": "site",
        "code": entry.code,
        "name": entry.name,
        "region": entry.region,
        "sponsor": entry.sponsor,
        "host": entry.host,
        "url": entry.url,
        "line": entry.line,
        "verdict": "fail" if problems else "pass",
        "problems": problems,
        "deductions": problems_of(findings, Severity.DEDUCTION),
        "findings": _finding_dicts(findings),
        "as_of": unit.as_of.isoformat(),
        "since": unit.since.isoformat(),
        "stats": {
            "pages": model.pages_read,
            "articles": len(unit.articles),
            "privacy_checked": unit.privacy_checked,
            "columns": len(model.columns),
            "letters": len(model.letters),
            "skipped": len(model.skips),
            "skip_reasons": dict(skips),
            "home": "ok" if model.home_ok else model.home_reason,
        },
        **({"availability": unit.availability} if unit.availability is not None else {}),
        "not_checked": not_checked,
    }


# The notice's 单项否决 indicators for websites that a scan does not judge, and why: no site
# passes or fails on them silently (its record, the scan summary and the report say so).
NOT_CHECKED = {
    "站点无法访问": "未给出探测记录 --probes",  # judged only from a probe log
    "服务不实用": "办事服务与办事指南要素不在本工具检查范围内",
}


def error_record(entry: SiteEntry, worker: Worker, reason: str) -> dict[str, Any]:
    """A site whose scan failed unexpectedly: not judged (``error`` set, ``verdict`` "not_judged":
    it was "pass", and a reader of ``-f json``/``jsonl`` counted it as passing); it is reported,
    left out of the store (so the report counts it as not inspected) and makes the
    command exit 2."""
    return {
        "kind": "site", "code": entry.code, "name": entry.name, "region": entry.region, "sponsor": entry.sponsor,
        "host": entry.host, "url": entry.url, "line": entry.line, "verdict": "not_judged", "error": reason, "problems": [],
        "deductions": [], "findings": [], "as_of": worker.as_of.isoformat(), "since": worker.since.isoformat(),
        "stats": {"pages": 0, "articles": 0, "columns": 0, "letters": 0, "skipped": 1,
                  "skip_reasons": {reason_kind(reason): 1}, "home": reason, "error": reason},
    }


# ------------------------------------------------------------------ running many sites
_WORKER: Worker | None = None


def _init_worker(config: dict, as_of: dt.date, since: dt.date | None, nice: int) -> None:
    global _WORKER
    if nice:
        try:
            os.nice(nice)
        except OSError:
            pass
    _WORKER = Worker(Settings(as_of=as_of, config=config), since)


def _run_job(job: SiteJob) -> dict[str, Any]:
    assert _WORKER is not None
    return scan_site(job, _WORKER)


def scan_sites(jobs: list[SiteJob], settings: Settings, since: dt.date | None = None,
               workers: int = 1, nice: int = 0) -> Iterator[dict[str, Any]]:
    """Records in the order of ``jobs``; ``workers > 1`` uses a local process pool.

    A site that kills its worker process (out of memory, a crash in a parser) never ends the
    scan: the first site without a record is scanned again alone in a fresh process; if that
    process dies too, the site is reported not judged, and the others go on in a new pool."""
    if workers <= 1 or len(jobs) <= 1:
        worker = Worker(settings, since)
        for job in jobs:
            yield scan_site(job, worker)
        return
    from concurrent.futures.process import BrokenProcessPool

    pending = list(jobs)
    while pending:
        done = 0
        try:
            for record in _pool_map(pending, settings, since, workers, nice):
                done += 1
                yield record
            return
        except BrokenProcessPool:
            pass
        suspect, pending = pending[done], pending[done + 1:]
        try:
            yield from _pool_map([suspect], settings, since, 1, nice)
        except BrokenProcessPool:
            first, as_of = window(settings, since)
            yield error_record(suspect.entry, SimpleNamespace(as_of=as_of, since=first),
                               "scan error: the worker process died scanning this site "
                               "(out of memory, or a crash while parsing a page)")


def _pool_map(jobs: list[SiteJob], settings: Settings, since: dt.date | None, workers: int,
              nice: int) -> Iterator[dict[str, Any]]:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    # forkserver, not fork: a parent that already loaded onnxruntime or BLAS has threads, and a
    # forked child inherits their locks (BrokenProcessPool); workers build their own Worker
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("forkserver" if "forkserver" in methods else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                             initargs=(settings.config, settings.as_of, since, nice)) as pool:
        yield from pool.map(_run_job, jobs, chunksize=max(1, min(8, len(jobs) // (workers * 8) or 1)))
