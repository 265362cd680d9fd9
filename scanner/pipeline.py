"""The pipeline, top to bottom: source -> extract -> normalize -> tokenize -> checks -> findings.

    Source       bytes of a file, stdin, an HTTP body, a WARC record or a post
      | extract  -> Extracted (text as read + structure) or Skipped(reason)
      | document -> Document (normalized text with an offset map; jieba tokens, lazily)
      | checks   -> Finding, at offsets of the text as read
      v
    Review       one source's findings, sorted and de-duplicated

Every later capability (privacy audit, site and account scans, the web API) calls
these same functions.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from .checks.base import Check
from .checks.registry import build_checks
from .errors import InputError
from .extract.documents import extract as extract_document
from .findings import Finding, Severity, merge_findings
from .settings import Settings
from .types import Document, Extracted, Skipped, Source

REVIEW_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".shtml", ".docx", ".doc", ".wps", ".rtf", ".mht", ".mhtml")
MAX_INPUT_BYTES = 64 * 1024 * 1024
# One draft's length limit (``[review] max_chars``): the checks take about 30 ms per 1,000
# characters with the wording model on one core, so 300,000 characters (15 government work
# reports) is ten seconds; a 10 MB paste (3.5 million characters) took two minutes of silence.
DEFAULT_MAX_CHARS = 300_000


@dataclasses.dataclass(frozen=True, slots=True)
class TooLong(Skipped):
    """A draft over the review's length limit: skipped with the reason (the CLI prints it and
    exits 2; the web API answers 413 ``too_long``)."""

    length: int = 0
    limit: int = 0


def too_long_reason(length: int, limit: int) -> str:
    return (f"稿件 {length:,} 字，超过单篇审查上限 {limit:,} 字：请分篇审查（上限可在 --config 文件的 "
            "[review] max_chars 中调整；text too long for one review）")


@dataclasses.dataclass(frozen=True, slots=True)
class Review:
    """The result of reviewing one source."""

    source: str
    text: str
    format: str
    findings: tuple[Finding, ...]
    date: dt.date | None = None  # the day the date rules were judged at: the text's publication date, else --as-of
    published: bool = False  # True when ``date`` is the text's own (an HTML page's <meta name="PubDate">)
    # the parts of a draft file that have a place (``places``): not in to_dict; the web API gives
    # them with the text (?show_text), for the page to keep the 位置 of findings after an edit
    places: tuple[dict, ...] = ()
    # the parts of a draft file that could not be read (an embedded workbook that is damaged):
    # {"part": "<中文>", "reason_code"}, as /api/privacy/audit lists them; in to_dict when any
    unread: tuple[dict, ...] = ()

    @property
    def length(self) -> int:
        return len(self.text)

    @property
    def has_veto(self) -> bool:
        return any(f.severity is Severity.VETO for f in self.findings)

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "length": self.length,
            "format": self.format,
            **({"date": self.date.isoformat(), "date_basis": "published" if self.published else "as-of"}
               if self.date else {}),
            "findings": [f.to_dict() for f in self.findings],
            **({"unread": list(self.unread)} if self.unread else {}),
        }


# ---------------------------------------------------------------- 1. source
def read_source(path: str, max_bytes: int = MAX_INPUT_BYTES) -> Source:
    """A file path, or "-" for standard input; InputError for anything unreadable."""
    if path == "-":  # bounded as a file is (cat 1GB.txt | govscan review - read it all into memory)
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(path, f"standard input too large (over the limit of {max_bytes // 2**20} MB)")
        return Source("-", data)
    p = Path(path)
    if not p.exists():
        raise InputError(path, "no such file")
    if p.is_dir():
        raise InputError(path, "is a directory")
    size = p.stat().st_size
    if size > max_bytes:
        raise InputError(path, f"file too large ({size // 2**20} MB, limit {max_bytes // 2**20} MB)")
    try:
        return Source(path, p.read_bytes())
    except OSError as exc:
        raise InputError(path, f"unreadable ({exc.strerror or exc})") from None


def expand_paths(paths: Iterable[str], passed_over: list[tuple[str, str]] | None = None) -> Iterator[str | Skipped]:
    """Files as given; directories expanded to the reviewable files inside, sorted; a
    directory with none is Skipped with that reason (it reviewed nothing, silently, exit 0).
    What a folder holds beside its drafts is passed over (``extract.folders.walk``, hidden
    ones left out): Word's and WPS's owner files of an open document (~$通知.docx),
    LibreOffice's locks, macOS's ._ resource forks, anything hidden (.git/) and tools' folders
    (node_modules, __pycache__ …, which were reviewed: a package's README with a phone was a
    veto); each was reviewed, the lock files as "binary file" errors, so a folder with one
    draft open in Word exited 2.  They are added to ``passed_over`` as (path, kind), for the
    caller to say so; hidden folders and tools' folders are not entered."""
    from .extract.folders import passed_over as passed, walk

    for path in paths:
        if not path.strip():  # Path("") is ".": `govscan review "$f"` with $f unset reviewed the whole directory tree
            yield Skipped(Source("''", b""), "empty path (an unset variable?): name a file, a directory or - for standard input")
            continue
        p = Path(path)
        if path != "-" and p.is_dir():
            found = walk(p, True, REVIEW_SUFFIXES, hidden=False)
            if passed_over is not None:
                passed_over.extend(passed(found))
            files = [str(c) for c in found.files]
            if not files:
                yield Skipped(Source(path, b""), f"no reviewable files ({' '.join(REVIEW_SUFFIXES)}) in this directory")
            yield from files
        else:
            yield path


# ---------------------------------------------------------------- 2. extract
def extract(source: Source) -> Extracted | Skipped:
    try:
        return extract_document(source)
    except InputError as exc:
        return Skipped(source, exc.reason)


# A saved web page is published with its template: the headline, navigation, side bars and
# footer, which the main-text extraction leaves out (a mobile number in the footer was found by
# `govscan privacy audit` and not by the review; a misspelled leader name in the headline by
# neither).  The review text is the page's headline, its main text, then what else the page
# shows after this line; there only personal data is reported (menus and topic links are not the
# draft's wording).
PAGE_REST_HEADER = "——以下为页面正文以外的内容（导航、侧栏、页脚等），只检查个人信息——"
# spaces, table bars and the invisible format characters a CMS leaves in (zero-width space and
# joiners, soft hyphen, word joiner, BOM), which trafilatura drops and the structured text keeps:
# a line holding one was "not in the main text" and came back whole below the header, its mobile
# and name reported twice, once as 页面正文以外
_NOT_COMPARED = re.compile(r"[\s|\u00ad\u200b-\u200f\u2060-\u2064\ufeff]+")
_LINK_TARGET = re.compile(r" (?:mailto|tel|sms):\S+ ", re.IGNORECASE)  # a link's target, as extract_html_structured inserts it


def _compact(text: str) -> str:
    return _NOT_COMPARED.sub("", text)


def with_page_template(extracted: Extracted) -> Extracted:
    """An HTML page's main text with its headline before it (when the main text lacks it) and
    the page's other lines after ``PAGE_REST_HEADER`` (``meta["template_start"]`` is where that
    part starts; the footer's spans are carried over for the privacy policy).  Other sources,
    and HTML read whole (a fragment), are returned as they are."""
    if extracted.format != "html" or "footer_spans" in extracted.meta:
        return extracted
    from .extract.office import extract_html_structured

    main = extracted.text
    seen = _compact(main)
    title = (extracted.title or "").strip()
    head = ""
    if title and _compact(title) not in seen:
        head = title + "\n"
        seen += _compact(title)
    try:
        page = extract_html_structured(extracted.source)
    except InputError:
        page = None
    text = head + main
    footer_spans: list[tuple[int, int]] = []
    rest: list[tuple[int, int]] = []  # (start, end) in page.text of the lines the review lacks
    inside: list[tuple[int, int]] = []  # ... those of them the article's container holds (the editor's)
    if page is not None:
        from .extract.documents import article_text

        article = None  # (the article's text, looked for once a line is missing)
        pos = 0
        for line in page.text.split("\n"):
            a, pos = pos, pos + len(line) + 1
            key = _compact(line)
            if key and key not in seen:
                targets = list(_LINK_TARGET.finditer(line))
                if targets and _compact(_LINK_TARGET.sub("", line)) in seen:
                    # a main-text line whose link dials or mails: only the targets are new (the whole
                    # line came back, its mobile reported twice, once as 页面正文以外)
                    rest += [(a + m.start() + 1, a + m.end() - 1) for m in targets]
                    seen += "".join(_compact(m.group()) for m in targets)
                    continue
                if article is None:
                    article = article_text(extracted.source, main)
                # a line of the article that trafilatura left out (its 落款 or 联系电话 in a
                # <div class="footer"> inside the article): the editor's, checked as the main text
                (inside if article and key in article else rest).append((a, a + len(line)))
                seen += key
    if not rest and not inside:
        return dataclasses.replace(extracted, text=text) if head else extracted
    page_footer = page.meta.get("footer_spans", ())

    def add(lines: list[tuple[int, int]]) -> None:
        nonlocal text
        for i, (a, b) in enumerate(lines):
            at = len(text)
            text += page.text[a:b] + ("\n" if i < len(lines) - 1 else "")
            footer_spans.extend((at + max(fs, a) - a, at + min(fe, b) - a) for fs, fe in page_footer if fs < b and a < fe)

    if inside:
        text = text.rstrip("\n") + "\n"
        add(inside)
    if not rest:
        return dataclasses.replace(extracted, text=text, meta={**extracted.meta, "footer_spans": tuple(footer_spans)})
    text += "\n\n" + PAGE_REST_HEADER + "\n"
    template_start = len(text)
    add(rest)
    meta = {**extracted.meta, "footer_spans": tuple(footer_spans), "template_start": template_start}
    return dataclasses.replace(extracted, text=text, meta=meta)


# A DOCX holds the files embedded in it (an Excel 名单 pasted as an object shows a picture of its
# cells, the file holds the whole list; 插入 > 对象 > 由文件创建): the review read the body alone
# and said 未发现问题 of a draft whose embedded workbook listed IDs, which `privacy audit` found.
# They follow the text after this line, as the audit reads them; there only personal data is
# reported (a workbook's cells are not the draft's wording), each finding located in its file.
EMBEDDED_HEADER = "——以下为文档中嵌入的文件（表格、文档等对象），只检查个人信息——"
_EMBEDDED_LINE = re.compile(r"^【嵌入对象 (?P<name>[^】]*?)(?:：[^】]*)?】$", re.M)
# the marked parts of a review text where only personal data is reported, and what their findings say
PARTS_NOT_CHECKED_FOR_WORDING = ((PAGE_REST_HEADER, "（页面正文以外：导航、侧栏或页脚）"),
                                 (EMBEDDED_HEADER, "（文档中嵌入的文件）"))


def with_embedded_files(extracted: Extracted, room: int | None = None) -> Extracted:
    """A DOCX's text with the files embedded in it after ``EMBEDDED_HEADER``, read as ``govscan
    privacy audit`` reads them (``privacy.audit.embedded_files``: workbooks, documents, files
    inserted as objects, 3 levels deep), each part a region ``嵌入对象 NAME`` and its cells
    located ``嵌入对象 NAME/SHEET`` and ``B2``; ``meta["template_start"]`` is where that part
    starts.  ``room``: the characters the review may still take; embedded files that would not
    fit are left out (the draft itself is never refused for them).  Other sources as they are."""
    if extracted.format != "docx":
        return extracted
    from .privacy.audit import embedded_files

    try:
        whole = embedded_files(extracted)
    except InputError:
        return extracted
    start = whole.meta.get("embedded_from", len(whole.text))
    part = whole.text[start:]
    unread = tuple(whole.meta.get("unread", ()))  # (the document's own, and its embedded files')
    if not part.strip():
        return dataclasses.replace(extracted, meta={**extracted.meta, "unread": unread}) if unread else extracted
    text = extracted.text.rstrip("\n") + "\n\n" + EMBEDDED_HEADER + "\n"
    if room is not None and len(text) + len(part) - len(extracted.text) > room:  # (never checked: said so)
        unread = tuple(extracted.meta.get("unread", ())) + (f"embedded files: not read ({len(part):,} characters, over the review's limit)",)
        return dataclasses.replace(extracted, meta={**extracted.meta, "unread": unread})
    shift = len(text) - start
    from .types import Cell

    cells = list(extracted.cells) + [Cell(c.table, c.row, c.col, c.start + shift, c.end + shift, c.sheet, c.ref)
                                     for c in whole.cells if c.start >= start]
    heads = [(m.start() + len(text), m.group("name")) for m in _EMBEDDED_LINE.finditer(part)]
    regions = [(a, heads[i + 1][0] if i + 1 < len(heads) else len(text) + len(part), f"嵌入对象 {name}")
               for i, (a, name) in enumerate(heads)]
    meta = {**extracted.meta, "template_start": len(text), "template_note": PARTS_NOT_CHECKED_FOR_WORDING[1][1],
            "regions": tuple(extracted.meta.get("regions", ())) + tuple(regions), **({"unread": unread} if unread else {})}
    return dataclasses.replace(extracted, text=text + part, cells=tuple(cells), meta=meta)


# ---------------------------------------------------------------- 3-4. normalize, tokenize
def to_document(extracted: Extracted, settings: Settings) -> Document:
    """Normalization and tokens are computed lazily on first use by a check."""
    return Document(extracted, as_of=settings.as_of, published=extracted.published)


# ---------------------------------------------------------------- 5. checks
def run_checks(doc: Document, checks: Iterable[Check]) -> tuple[Finding, ...]:
    found: list[Finding] = []
    for check in checks:
        found.extend(check.run(doc))
    return tuple(merge_findings(found))


def place(extracted: Extracted, start: int, end: int, cells=None) -> dict:
    """Where ``start:end`` stands in a document, beyond its offsets: the part of a DOCX/DOC
    outside the body (``{"part": "页眉"}``: 页眉, 页脚, 批注, 脚注, 尾注, 文本框 …) and the
    table cell (``{"table", "row", "col"}``, from 0); {} in the body's running text.  ``cells``:
    the extracted cells as a CellTable, when the caller places many spans (build it once)."""
    out: dict = {}
    for a, b, label in extracted.meta.get("regions", ()):
        if a <= start < b:
            out["part"] = label
            break
    if extracted.cells:
        from .types import CellTable

        cell = (cells if cells is not None else CellTable.of(extracted.cells)).cell_at(start, end)
        if cell is not None and cell.sheet is None:
            out.update(table=cell.table, row=cell.row, col=cell.col)
        elif cell is not None:  # a cell of a file embedded in the document (嵌入对象 名单.xlsx/Sheet1 B2)
            out["part"] = cell.sheet
            out.update(cell=cell.ref) if cell.ref else out.update(table=cell.table, row=cell.row, col=cell.col)
    return out


def place_label(location: dict | None) -> str:
    """A finding's place as an editor reads it: 页眉, 表格1 第2行第3列, 批注 表格1 第1行第1列; "" when none."""
    if not location:
        return ""
    parts = [location["part"]] if location.get("part") else []
    if "table" in location and "row" in location and "col" in location:
        parts.append(f"表格{location['table'] + 1} 第{location['row'] + 1}行第{location['col'] + 1}列")
    if location.get("cell"):
        parts.append(location["cell"])
    return " ".join(parts)


def places(extracted: Extracted) -> tuple[dict, ...]:
    """Every span of a document that has a place (``place``), as ``{"start", "end", "location"}``:
    the parts outside the body (``{"part": "页眉"}``) and the table cells (``{"table", "row",
    "col"}``, with the part they stand in).  A finding at ``start:end`` stands where ``place``
    says: the part whose span holds ``start``, the cell whose span holds ``start:end``."""
    out = [{"start": a, "end": b, "location": {"part": label}} for a, b, label in extracted.meta.get("regions", ())]
    for c in extracted.cells or ():
        if c.end <= c.start:
            continue
        if c.sheet is not None:  # (a file embedded in the document)
            where = {"part": c.sheet, "cell": c.ref} if c.ref else {"part": c.sheet, "table": c.table, "row": c.row, "col": c.col}
            out.append({"start": c.start, "end": c.end, "location": where})
            continue
        part = next((label for a, b, label in extracted.meta.get("regions", ()) if a <= c.start < b), None)
        out.append({"start": c.start, "end": c.end,
                    "location": {**({"part": part} if part else {}), "table": c.table, "row": c.row, "col": c.col}})
    return tuple(out)


def with_places(review: Review, extracted: Extracted) -> Review:
    """The review of a draft file with each finding's place (``location``) in it: a DOCX's
    header, comment or footnote is read after the body, so a mobile number in the header came
    back at the end of the text, and the editor could not tell where in the file it stood.
    The places themselves are kept in ``review.places``."""
    if not (extracted.meta.get("regions") or extracted.cells):
        return review
    from .types import CellTable

    cells = CellTable.of(extracted.cells) if extracted.cells else None  # (once: per finding, a roster took minutes)
    findings = []
    for f in review.findings:
        where = place(extracted, f.start, f.end, cells)
        findings.append(dataclasses.replace(f, location={**where, **(f.location or {})}) if where else f)
    return dataclasses.replace(review, findings=tuple(findings), places=places(extracted))


# ---------------------------------------------------------------- the whole flow
class Reviewer:
    """Reviews sources with the checks the settings switch on (built once).  ``policy``
    (a ``scanner.privacy.policy.Policy``) replaces the packaged privacy policy for the pii
    checks and excerpt masking, as ``govscan privacy audit --policy`` does for the audit."""

    def __init__(self, settings: Settings, families: tuple[str, ...] | None = None, policy=None):
        self.settings = settings
        self.checks = build_checks(settings, families)
        self.policy = policy
        self.max_chars = int(settings.section("review").get("max_chars", DEFAULT_MAX_CHARS))  # 0: no limit

    def too_long(self, source: Source, length: int) -> TooLong | None:
        """``TooLong`` when a draft of ``length`` characters is over the limit, else None."""
        if self.max_chars and length > self.max_chars:
            return TooLong(source, too_long_reason(length, self.max_chars), length, self.max_chars)
        return None

    def review_extracted(self, extracted: Extracted) -> Review:
        doc = to_document(extracted, self.settings)
        if self.policy is not None:
            doc.cache["pii.policy"] = self.policy
        findings = run_checks(doc, self.checks)
        template = extracted.meta.get("template_start")
        note = extracted.meta.get("template_note", PARTS_NOT_CHECKED_FOR_WORDING[0][1])
        if template is None:  # a page's or a document's review text sent back (采纳建议, --show-text)
            for header, part_note in PARTS_NOT_CHECKED_FOR_WORDING:
                if header in extracted.text:
                    template, note = extracted.text.index(header) + len(header), part_note
                    break
        if template is not None:  # a page's navigation, side bars, footer, a document's embedded files:
            # personal data only, said so
            findings = tuple(dataclasses.replace(f, message=f"{f.message}{note}") if f.start >= template else f
                             for f in findings if f.start < template or f.category == "pii")
        return Review(extracted.source.name, extracted.text, extracted.format, findings,
                      date=doc.date, published=doc.published is not None)

    def review_source(self, source: Source, published: dt.date | None = None) -> Review | Skipped:
        """A draft (file, upload, stdin); one over ``max_chars`` is ``TooLong`` (site and account
        scans call ``review_extracted``, which has no limit).  ``published``: the draft's
        publication date, given by the caller (the web API's ``published``); it replaces the
        one the source holds (an HTML page's PubDate)."""
        extracted = extract(source)
        if isinstance(extracted, Skipped):
            return extracted
        extracted = with_page_template(extracted)
        room = self.max_chars - len(extracted.text) if self.max_chars else None
        extracted = with_embedded_files(extracted, room)
        if published is not None:
            extracted = dataclasses.replace(extracted, published=published)
        too_long = self.too_long(source, len(extracted.text))
        if too_long:
            return too_long
        review = with_places(self.review_extracted(extracted), extracted)
        if extracted.meta.get("unread"):  # (an embedded workbook that could not be read: never a silent pass)
            from .checks.excerpt import mask_text
            from .extract.reasons import explain_unread

            told = [explain_unread(line) for line in extracted.meta["unread"]]
            review = dataclasses.replace(review, unread=tuple({"part": mask_text(t.message), "reason_code": t.code}
                                                              for t in told))
        return review

    def review_text(self, text: str, name: str = "<text>", published: dt.date | None = None) -> Review:
        """Text as pasted.  ``published``: its publication date, when known (the review of a
        page sent back after an edit: the page's PubDate, which the extracted text no longer
        holds); date rules are judged at it, as at an HTML page's own (``date_basis`` published)."""
        source = Source(name, text.encode("utf-8"))
        return self.review_extracted(Extracted(source, text, "txt", encoding="utf-8", published=published))

    def review_paths(self, paths: Iterable[str], passed_over: list[tuple[str, str]] | None = None) -> Iterator[Review | Skipped]:
        """One review (or Skipped) per file; ``passed_over``: what folder walks passed over (``expand_paths``)."""
        for path in expand_paths(paths, passed_over):
            if isinstance(path, Skipped):
                yield path
                continue
            try:
                source = read_source(path)
            except InputError as exc:
                yield Skipped(Source(path, b""), exc.reason)
                continue
            yield self.review_source(source)
