"""OFD (版式文档, GB/T 33190-2016), China's fixed-layout format: the text of every page,
in reading order, for the privacy audit.

An OFD file is a ZIP package.  ``OFD.xml`` names each document (``DocBody/DocRoot`` ->
``Doc_0/Document.xml``); a ``Document.xml`` lists its pages (``Pages/Page/@BaseLoc`` ->
``Pages/Page_0/Content.xml``), its page templates (``CommonData/TemplatePage``: headers,
footers, drawn on the pages that name them) and its annotations (``Annotations`` ->
``Annots/Annotations.xml`` -> one file per page).  A page is positioned text: each
``TextObject`` (``@Boundary`` "x y w h" in mm, optional ``@CTM``, ``@Size``) holds
``TextCode`` elements whose ``@X``/``@Y`` place the first glyph's baseline inside the
boundary and whose ``@DeltaX``/``@DeltaY`` give the steps to the next glyphs (``g N v``:
v, N times).  The namespace is ``http://www.ofdspec.org/2016`` (files without it are
read too); paths are absolute (``/Doc_0/...``) or relative to the file naming them (or,
as many producers write them, to the document's folder).

Reading order is rebuilt from positions, as the PDF text layer is read in layout mode
(``office._page_text``): glyphs grouped into lines by baseline, sorted by X, a gap between
glyphs written as spaces in proportion to its width, columns at the character column of
their X, so a 名单 laid out as a table (its cells drawn at their columns' positions) reads
as rows of tab-separated cells (``column_gaps_as_tabs``; a cell wrapped onto the next line
is put back by ``privacy.wrapped``), and a page whose characters are drawn apart (分散对齐,
an OCR layer) is read without the narrow gaps.  Vertical or turned text is read a
TextCode at a time.  Template text is drawn where it stands on the page; the text of
annotations (their ``Remark`` and the text they draw) follows its page's text, a line
each.  Attached files (``Attachs``) are handed to the audit (``meta["attachments"]``),
which reads them as embedded objects.  Signatures (``Signs``) are not read.

Bad input: a corrupt package, no OFD.xml, a ZIP bomb (``check_zip``), a document or
every page missing or broken, XML declaring a DTD (entities), over the limits (2,000
pages, 100,000 characters a page, 20 M in all): ``InputError`` with the reason.  A part
that cannot be read (a page's broken reference, XML with a DTD or cut short, a scanned
page among text pages, a template, annotations, an attachment) does not lose the rest: its
reason is listed in ``meta["unread"]`` and the audit is never compliant.
"""
from __future__ import annotations

import io
import math
import posixpath
import re
import unicodedata
import zipfile

from ..errors import InputError
from ..types import Extracted, Source
from .office import _NARROW_GAP, MAX_CHARS, MAX_PAGES, _letter_spaced, _parser, check_zip, paged_extracted

DEFAULT_SIZE = 3.5  # mm: 五号 (10.5 pt), when a TextObject names none
_SPACE_UNIT = 0.5  # a gap is written as spaces of half a character's size each
_MIN_GAP = 0.35  # ... once it is wider than this share of the character's size
_MIN_GAP_IN_RUN = 1.0  # ... or of a whole character between the glyphs of one TextCode
_MAX_SPACES = 60  # a glyph placed far off the page adds no more than this
_LINE_TOLERANCE = 0.4  # baselines closer than this share of the size are one line
MAX_PAGE_GLYPHS = 100_000  # characters on one page (a dense A4 page holds about 3,000)
# XML of one part (a page's Content.xml): lxml's tree takes about 15 times its size (a page of
# 3 million TextCodes, 160 MB of XML inside the ZIP limits, peaked at 2.4 GB before the glyph
# limit could refuse it); a dense text page is well under 1 MB
MAX_PART_BYTES = 16 * 2**20
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


class _PartError(Exception):
    """A part of the package that cannot be read: the reason, one line (a location taken
    from the file may hold line breaks or be long: shown on one line, shortened)."""

    def __init__(self, reason: str):
        super().__init__(_one_line(reason))


def _one_line(text: str, width: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def is_ofd(names) -> bool:
    """A ZIP package holding OFD.xml at its root."""
    return any(n.lower() == "ofd.xml" for n in names)


def _finite(token: str) -> float:
    value = float(token)
    return value if math.isfinite(value) and abs(value) < 1e6 else 0.0  # (mm: 1 km is off any page)


def deltas(value: str | None, limit: int = 100_000) -> list[float]:
    """The steps of ``@DeltaX``/``@DeltaY``: numbers separated by spaces, ``g N v`` meaning
    v repeated N times (``g 3 5.2 1.5`` -> 5.2 5.2 5.2 1.5).  Whatever is not a number is
    skipped; no more than ``limit`` steps are read (a glyph needs one; ``g 99999999 1``
    built a list of them all)."""
    out: list[float] = []
    tokens = (value or "").split()
    i = 0
    while i < len(tokens) and len(out) < limit:
        tok = tokens[i]
        if tok == "g" and i + 2 < len(tokens) and _NUMBER.fullmatch(tokens[i + 1]) and _NUMBER.fullmatch(tokens[i + 2]):
            count = float(tokens[i + 1])
            count = int(min(max(count, 0), limit - len(out))) if math.isfinite(count) else 0
            out.extend([_finite(tokens[i + 2])] * count)
            i += 3
            continue
        if _NUMBER.fullmatch(tok):
            out.append(_finite(tok))
        i += 1
    return out


def _numbers(value: str | None, n: int) -> list[float] | None:
    found = [_finite(x) for x in _NUMBER.findall(value or "")[:n]]
    return found if len(found) == n else None


def _width(ch: str) -> float:
    """A glyph's advance in character sizes, as drawn without DeltaX: CJK and full-width
    forms one, the rest half."""
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5


class _Package:
    """The members of the ZIP and how references between them resolve."""

    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf
        self.names = set(zf.namelist())
        self.lower = {n.lower(): n for n in self.names}
        self.broken: list[str] = []  # parts read only as far as their XML goes

    def resolve(self, loc: str | None, base: str, doc_dir: str = "") -> str:
        """The member a reference names: absolute from the package root, else relative to
        the referencing file, else to the document's folder, else to the root."""
        loc = (loc or "").strip().replace("\\", "/")
        if not loc:
            raise _PartError(f"{base} names an empty location")
        if loc.startswith("/"):
            candidates = [loc.lstrip("/")]
        else:
            candidates = [posixpath.join(posixpath.dirname(base), loc), posixpath.join(doc_dir, loc), loc]
        for cand in candidates:
            cand = posixpath.normpath(cand)
            if cand.startswith("../") or cand == "..":
                continue
            if cand in self.names:
                return cand
            if cand.lower() in self.lower:
                return self.lower[cand.lower()]
        raise _PartError(f"{_one_line(loc, 100)} (named in {base}) is missing")

    def xml(self, path: str):
        """A part parsed with the audit's safe parser (``_parser``: no entities, no network,
        broken XML read as far as it goes, and noted in ``broken``: what follows the break
        was not read); a part declaring a DTD is refused."""
        from lxml import etree

        try:
            with self.zf.open(path) as member:  # (no more than the limit is inflated, whatever the header says)
                data = member.read(MAX_PART_BYTES + 1)
        except Exception as exc:  # a damaged member: BadZipFile (CRC), zlib.error, an unsupported method
            raise _PartError(f"{path} cannot be read ({type(exc).__name__})") from None
        if len(data) > MAX_PART_BYTES:
            raise _PartError(f"{path}: over {MAX_PART_BYTES // 2**20} MB of XML in one part (limit)")
        parser = _parser()
        try:
            root = etree.fromstring(data, parser) if data.strip() else None
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            raise _PartError(f"{path} is empty or not XML")
        info = root.getroottree().docinfo
        if info.doctype or info.internalDTD is not None or b"<!ENTITY" in data[:65536]:
            raise _PartError(f"{path} declares a DTD (entities are not allowed in OFD)")
        fatal = next((e for e in parser.error_log if e.level_name == "FATAL"), None)
        if fatal is not None:
            self.broken.append(f"{path} is broken XML, read up to line {fatal.line} ({fatal.message.strip()[:80]})")
        return root


def _text_objects(container, origin: tuple[float, float], out: list) -> None:
    """The glyphs of every TextObject inside ``container`` (a page's Content, an
    annotation's Appearance), placed on the page: (y, x, size, width, ch, run): ``run``
    numbers the glyphs of one TextCode in order (its steps are the producer's spacing)."""
    ox, oy = origin
    for obj in container.iter("{*}TextObject"):
        box = _numbers(obj.get("Boundary"), 2) or [0.0, 0.0]
        size = (_numbers(obj.get("Size"), 1) or [DEFAULT_SIZE])[0]
        size = size if size > 0 else DEFAULT_SIZE
        ctm = _numbers(obj.get("CTM"), 6)
        scale = 1.0
        if ctm:
            scale = abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]) ** 0.5 or 1.0
        shown = size * scale
        # vertical text (ReadDirection 90, 180, 270) or text turned by its CTM: its TextCodes,
        # in reading order already, are laid along a line from their first glyph (glyph by
        # glyph, each character would be a line of its own)
        turned = (obj.get("ReadDirection") or "0").strip() not in ("0", "") or bool(
            ctm and (abs(ctm[1]) > 1e-9 or abs(ctm[2]) > 1e-9 or ctm[0] <= 0))
        x = y = 0.0
        for code in obj.iter("{*}TextCode"):
            run = len(out) + 1  # (a TextCode's number: the index of its first glyph, from 1)
            text = (code.text or "").replace("\r", " ").replace("\n", " ").replace("\t", " ")
            x = (_numbers(code.get("X"), 1) or [x])[0]
            y = (_numbers(code.get("Y"), 1) or [y])[0]
            dx, dy = deltas(code.get("DeltaX"), len(text)), deltas(code.get("DeltaY"), len(text))
            along = None
            for i, ch in enumerate(text):
                if ctm:
                    px = ctm[0] * x + ctm[2] * y + ctm[4]
                    py = ctm[1] * x + ctm[3] * y + ctm[5]
                else:
                    px, py = x, y
                if turned:
                    along = (px, py) if along is None else (along[0] + _width(text[i - 1]) * shown, along[1])
                    px, py = along
                out.append((oy + box[1] + py, ox + box[0] + px, shown, _width(ch) * shown, ch, (run, i)))
                x += dx[i] if i < len(dx) else _width(ch) * size
                y += dy[i] if i < len(dy) else 0.0
                if len(out) > MAX_PAGE_GLYPHS:
                    raise _PartError(f"over {MAX_PAGE_GLYPHS} characters on one page (limit)")


def layout(glyphs: list) -> str:
    """Glyphs (y, x, size, width, ch, run) as lines of text in reading order, as pypdf's
    layout mode writes a PDF's page: a line is the glyphs whose baselines lie within
    ``_LINE_TOLERANCE`` of its first one's size, sorted by X; a gap wider than ``_MIN_GAP``
    of the size is written as one space per half size (at least one), so a table's columns
    stand apart by runs of spaces.  A line starts, and a column gap (two spaces or more)
    ends, at the column of its X (in half sizes of the page's median size from the page's
    leftmost glyph) where the line has not passed it yet: a cell wrapped onto the next line
    (王 / 建国) stands under its cell's start, and indented paragraphs stay indented
    (``privacy.wrapped`` puts both back together).  Between two glyphs of one TextCode only
    a gap of a whole character counts: a producer that steps every glyph by the font size
    (digits drawn as wide as 汉字) wrote no spaces, and its ID read as spaced digits was no ID."""
    if not glyphs:
        return ""
    left = min(g[1] for g in glyphs)
    sizes = sorted(g[2] for g in glyphs)
    unit = _SPACE_UNIT * sizes[len(sizes) // 2]
    lines: list[list] = []
    for g in sorted(glyphs, key=lambda g: (g[0], g[1])):
        if lines and g[0] - lines[-1][0][0] <= _LINE_TOLERANCE * max(lines[-1][0][2], g[2]):
            lines[-1].append(g)
        else:
            lines.append([g])
    out = []
    for line in lines:
        line.sort(key=lambda g: g[1])
        parts, end, last, length = [], None, None, 0
        for _y, x, size, width, ch, run in line:
            spaces = 0
            column = min(_MAX_SPACES * 4, round((x - left) / unit))
            if end is None:
                spaces = column
            else:
                gap = x - end
                if gap > (_MIN_GAP_IN_RUN if run == (last[0], last[1] + 1) else _MIN_GAP) * size:
                    spaces = min(_MAX_SPACES, max(1, round(gap / (_SPACE_UNIT * size))))
                    if spaces >= 2:
                        spaces = max(spaces, column - length)
            parts.append(" " * spaces + ch)
            length += spaces + 1
            end = x + width if end is None else max(end, x + width)
            last = run
        out.append("".join(parts).rstrip())
    return "\n".join(out)


def _page_glyphs(pkg: _Package, path: str) -> tuple[list, list, bool]:
    """(glyphs of the page's own content, template IDs it names, whether it draws an image)."""
    root = pkg.xml(path)
    glyphs: list = []
    for content in root.iter("{*}Content"):
        _text_objects(content, (0.0, 0.0), glyphs)
    templates = [t.get("TemplateID") for t in root.iter("{*}Template") if t.get("TemplateID")]
    has_image = next(root.iter("{*}ImageObject"), None) is not None
    return glyphs, templates, has_image


def _annotation_lines(pkg: _Package, path: str) -> list[str]:
    """The text of a page's annotations, a line each: the Remark, then the text its
    appearance draws."""
    lines: list[str] = []
    for annot in pkg.xml(path).iter("{*}Annot"):
        if len(lines) > 1 and sum(map(len, lines)) > MAX_PAGE_GLYPHS:  # (each annotation is capped too)
            raise _PartError(f"{path}: over {MAX_PAGE_GLYPHS} characters of annotations (limit)")
        for remark in annot.iter("{*}Remark"):
            if remark.text and remark.text.strip():
                lines.append(" ".join(remark.text.split()))
        for appearance in annot.iter("{*}Appearance"):
            box = _numbers(appearance.get("Boundary"), 2) or [0.0, 0.0]
            glyphs: list = []
            _text_objects(appearance, (box[0], box[1]), glyphs)
            drawn = layout(glyphs)
            lines += [ln for ln in drawn.split("\n") if ln.strip()]
    return lines


def _document_pages(pkg: _Package, doc, doc_path: str, first_page: int, unread: list[str], total: list[int]) -> list[tuple[str, bool]]:
    """(text, whether the page's own content holds text) of every page of one document
    (``doc``: its parsed ``Document.xml``); a page that cannot be read is ("", False) and a
    line in ``unread``."""
    doc_dir = posixpath.dirname(doc_path)
    templates = {t.get("ID"): t.get("BaseLoc") or "" for t in doc.iter("{*}TemplatePage") if t.get("ID")}
    template_glyphs: dict[str, list] = {}
    annotations: dict[str, list[str]] = {}  # page ID -> its annotation files
    for annots in doc.iter("{*}Annotations"):
        if not (annots.text or "").strip():
            continue
        try:
            list_path = pkg.resolve(annots.text, doc_path, doc_dir)
            for page in pkg.xml(list_path).iter("{*}Page"):
                for loc in page.iter("{*}FileLoc"):
                    try:
                        annotations.setdefault(page.get("PageID") or "", []).append(pkg.resolve(loc.text, list_path, doc_dir))
                    except _PartError as exc:  # (one page's: the others' are read)
                        unread.append(f"annotations: {exc}")
        except _PartError as exc:
            unread.append(f"annotations: {exc}")
    pages = [p for pages in doc.iter("{*}Pages") for p in pages.iter("{*}Page")]
    if first_page + len(pages) > MAX_PAGES:
        raise _PartError(f"over {MAX_PAGES} pages (limit)")
    out = []
    laid: dict[str, tuple[str, bool, bool] | str] = {}  # a page file's text or error (pages may share one: read once)
    annotation_lines: dict[str, list[str]] = {}
    for n, page in enumerate(pages, first_page + 1):
        path = None
        try:
            # (some producers write the location as a child element, <Page ID="1"><BaseLoc>…)
            loc = page.get("BaseLoc") or next((b.text for b in page.iter("{*}BaseLoc")), None)
            path = pkg.resolve(loc, doc_path, doc_dir)
            if isinstance(laid.get(path), str):
                raise _PartError(laid[path])
            if path not in laid:
                laid[path] = "page not read"  # (until it is)
                glyphs, names, has_image = _page_glyphs(pkg, path)
                own = bool(glyphs)
                for tid in names:
                    if tid not in template_glyphs:
                        template_glyphs[tid] = []
                        if tid in templates:  # (an unknown template ID draws nothing)
                            try:
                                template_glyphs[tid] = _page_glyphs(pkg, pkg.resolve(templates[tid], doc_path, doc_dir))[0]
                            except _PartError as exc:
                                unread.append(f"template {tid}: {exc}")
                    glyphs = glyphs + template_glyphs[tid]
                text = layout(glyphs)
                if _letter_spaced(text):
                    # drawn apart: runs of one or two spaces inside words go, wider ones (columns) stay
                    text = _NARROW_GAP.sub("", text)
                laid[path] = (text, own, has_image)
        except _PartError as exc:
            if path is not None and path in laid and not isinstance(laid[path], tuple):
                laid[path] = str(exc)
            unread.append(f"page {n}: {exc}")
            out.append(("", False))
            continue
        text, own, has_image = laid[path]
        if not own and has_image:
            unread.append(f"page {n}: {NO_TEXT_PAGE}")
        notes = []
        for annot_path in annotations.get(page.get("ID") or "", []):
            try:
                if annot_path not in annotation_lines:
                    annotation_lines[annot_path] = _annotation_lines(pkg, annot_path)
                notes += annotation_lines[annot_path]
            except _PartError as exc:
                unread.append(f"page {n} annotations: {exc}")
        if notes:
            text = text.rstrip("\n") + "\n" + "\n".join(notes)
        total[0] += len(text)
        if total[0] > MAX_CHARS:
            raise InputError("", f"OFD text over the size limit ({MAX_CHARS} characters)")
        out.append((text, own))
    return out


NO_TEXT_PAGE = "no text layer (a scanned image: needs OCR)"
# attached files the audit reads (``privacy.audit._with_embedded``), as embedded objects are
ATTACHMENT_SUFFIXES = (".xlsx", ".xlsm", ".docx", ".xls", ".doc", ".pdf", ".csv")
MAX_ATTACHMENTS = 50


def _attachments(pkg: _Package, doc, doc_path: str, unread: list[str]) -> list[tuple[str, bytes]]:
    """(name, bytes) of the files attached to a document (``Attachments`` ->
    ``Attachs/Attachments.xml``: an 电子公文's 附件, a 名单.xlsx, travel with it) that the
    audit reads; one it cannot read (an image, an archive, another OFD) is a line in
    ``unread``: what it holds was not audited."""
    doc_dir = posixpath.dirname(doc_path)
    out: list[tuple[str, str]] = []
    for listing in doc.iter("{*}Attachments"):
        if not (listing.text or "").strip():
            continue
        try:
            list_path = pkg.resolve(listing.text, doc_path, doc_dir)
            for att in pkg.xml(list_path).iter("{*}Attachment"):
                loc = next((f.text for f in att.iter("{*}FileLoc") if (f.text or "").strip()), None)
                base = posixpath.basename((loc or "").strip())
                fmt = (att.get("Format") or "").strip().lower().lstrip(".")
                # its name, with the suffix its Format (or its file) gives: 公示名单 -> 公示名单.xlsx
                name = _one_line(att.get("Name") or base or "附件", 80).replace("/", "_")
                suffix = "." + fmt if fmt else posixpath.splitext(base)[1].lower()
                if len(suffix) > 1 and not name.lower().endswith(suffix):
                    name += suffix
                try:
                    member = pkg.resolve(loc, list_path, doc_dir)
                except _PartError as exc:
                    unread.append(f"attachment {name}: {exc}")
                    continue
                if not name.lower().endswith(ATTACHMENT_SUFFIXES):
                    unread.append(f"attachment {name}: not read (the audit reads {' '.join(ATTACHMENT_SUFFIXES)})")
                elif len(out) >= MAX_ATTACHMENTS:
                    unread.append(f"attachment {name}: not read (over {MAX_ATTACHMENTS} attachments)")
                else:
                    try:
                        out.append((name, pkg.zf.read(member)))
                    except Exception as exc:  # a damaged member (zlib.error, CRC, an unsupported method)
                        unread.append(f"attachment {name}: cannot be read ({type(exc).__name__})")
        except _PartError as exc:
            unread.append(f"attachments: {exc}")
    return out


def extract_ofd(source: Source) -> Extracted:
    """The text of every page of every document of the package, page by page
    (``Extracted.pages``, locations ``{"page","start","end"}`` as in a PDF); what could not
    be read (a page, a template, annotations, an attachment) is listed in ``meta["unread"]``,
    one line each; the attached files the audit reads, as (name, bytes), in
    ``meta["attachments"]``."""
    check_zip(source, "OFD")
    try:
        zf = zipfile.ZipFile(io.BytesIO(source.data))
    except (zipfile.BadZipFile, NotImplementedError):
        raise InputError(source.name, "corrupt OFD (not a valid ZIP archive)") from None
    with zf:
        pkg = _Package(zf)
        if not is_ofd(pkg.names):
            raise InputError(source.name, "not an OFD package (no OFD.xml at its root)")
        unread: list[str] = []
        pages: list[tuple[str, bool]] = []
        total = [0]  # characters read so far
        attached: list[tuple[str, bytes]] = []
        try:
            root = pkg.xml(pkg.lower["ofd.xml"])
            roots = [r.text for body in root.iter("{*}DocBody") for r in body.iter("{*}DocRoot") if (r.text or "").strip()]
            if not roots:
                raise _PartError("OFD.xml names no document (DocBody/DocRoot)")
            for loc in roots:
                doc_path = pkg.resolve(loc, "OFD.xml")
                doc = pkg.xml(doc_path)  # (parsed once: a broken one is noted once)
                pages += _document_pages(pkg, doc, doc_path, len(pages), unread, total)
                attached += _attachments(pkg, doc, doc_path, unread)
        except _PartError as exc:
            raise InputError(source.name, f"unreadable OFD: {exc}") from None
        except InputError as exc:  # (a limit)
            raise InputError(source.name, exc.reason) from None
        unread += [_one_line(b) for b in pkg.broken]
    if not pages:
        raise InputError(source.name, "OFD without pages")
    if not any(own for _text, own in pages):
        # (a template's header or an annotation is no text layer: the body is a scan)
        broken = [u for u in unread if not u.endswith(NO_TEXT_PAGE)]
        if broken:
            raise InputError(source.name, "no page could be read (" + "; ".join(broken[:3]) + ")")
        raise InputError(source.name, "no text layer (scanned image OFD: needs OCR)")
    extracted = paged_extracted(source, [text for text, _own in pages], "ofd")
    if unread:
        extracted.meta["unread"] = tuple(unread)
    if attached:
        extracted.meta["attachments"] = tuple(attached)
    return extracted
