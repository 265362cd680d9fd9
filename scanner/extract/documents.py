"""Extract text from the files editors review: .txt, .md, .html/.htm, .docx, .doc/.wps.

HTML goes through trafilatura (main content, tables kept, comments dropped; a fragment too
short for it is read whole), its ``<meta name="PubDate">`` date kept as the publication date; DOCX
through python-docx (paragraphs and tables in document order, each cell recorded).
Each returns ``Extracted`` or raises InputError with a one-line reason.
"""
from __future__ import annotations

import dataclasses
import io
import re
import zipfile

from ..errors import InputError
from ..text.dates import meta_publication_date
from ..text.decode import decode_bytes
from ..types import Cell, Extracted, Source

MAX_DOCX_UNCOMPRESSED = 200 * 1024 * 1024  # a DOCX that inflates beyond this is refused
# XML of one part (word/document.xml …): python-docx's lxml tree takes about 15 times its size
# (105 MB of paragraphs, inside the 200 MB: 2 GB and 42 s); a 500-page report is under 20 MB
MAX_DOCX_PART = 32 * 1024 * 1024

TEXT_SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}


def sniff_format(source: Source) -> str:
    """The format by content first, by extension second."""
    name = source.name.lower()
    head = source.data[:2048]
    if head.startswith(b"PK\x03\x04"):
        if name.endswith(".docx") or _zip_has(source.data, "word/document.xml"):
            return "docx"
        if _zip_has(source.data, "xl/workbook.xml"):
            return "xlsx"
        if name.endswith(".ofd") or _zip_has(source.data, "OFD.xml"):
            return "ofd"  # OFD (版式文档, GB/T 33190): read by the privacy audit
        return "zip"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        from .legacy import ole_kind

        kind = ole_kind(source.data)  # Word/Excel 97-2003 and WPS by their streams; ole: another kind, encrypted, corrupt
        return kind if kind in ("xls", "doc") else "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    from .office import is_mht

    if is_mht(head):
        return "mht"
    lowered = head.lower()
    if source.media_type and "html" in source.media_type:
        return "html"
    for suffix in HTML_SUFFIXES:
        if name.endswith(suffix):
            return "html"
    if b"<html" in lowered or b"<!doctype html" in lowered or b"<body" in lowered:
        return "html"
    for suffix, fmt in TEXT_SUFFIXES.items():
        if name.endswith(suffix):
            return fmt
    if name.endswith(".csv"):
        return "csv"
    if name == "-" and _HTML_FRAGMENT.match(head.lstrip(b"\xef\xbb\xbf \t\r\n")) and b"</" in source.data:
        # (its closing tag anywhere: a first paragraph of 700 characters ends past the head)
        # standard input holding a CMS's rich-text body (<p style=…>…</p>, no <html>): its markup
        # was reviewed as text (李克<span>墙</span> unseen, excerpts full of tags); a named .txt keeps its extension's say
        return "html"
    return "txt"


# the tags a CMS's rich-text body starts with
_HTML_FRAGMENT = re.compile(rb"<(?:p|div|span|table|section|article|h[1-6]|ul|ol|font|strong|b|center|blockquote|br|!--)[\s>/]",
                            re.IGNORECASE)


def _zip_has(data: bytes, member: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return member in zf.namelist()
    except zipfile.BadZipFile:
        return False


def extract(source: Source, _depth: int = 0) -> Extracted:
    fmt = sniff_format(source)
    if fmt in ("txt", "md"):
        text, enc = decode_bytes(source.data, source.name)
        return Extracted(source, text, fmt, encoding=enc)
    if fmt == "html":
        return extract_html(source)
    if fmt == "mht":  # a web archive (Word's "single file web page", often named .doc): its page
        from .office import html_of_mht

        page = extract_html(Source(source.name, html_of_mht(source.data), media_type="text/html"))
        return dataclasses.replace(page, source=source, format="mht")
    if fmt == "docx":
        return extract_docx(source, chunks=True, _depth=_depth)
    if fmt == "csv":  # its rows as tab-separated cells, as the audit reads them (as text, its name column was unseen)
        from .office import extract_csv

        return extract_csv(source)
    if fmt in ("pdf", "xlsx", "ofd"):
        raise InputError(source.name, f"{fmt.upper()} is not supported by review; use `govscan privacy audit`")
    if fmt in ("doc", "rtf"):  # Word 97-2003 / WPS, or RTF: paragraphs, and tables as cells, as in a DOCX
        from .legacy import extract_doc, extract_rtf

        return extract_doc(source, published=False) if fmt == "doc" else extract_rtf(source)
    if fmt == "xls":
        raise InputError(source.name, "XLS is not supported by review; use `govscan privacy audit`")
    if fmt == "ole":
        from .legacy import ole_reason

        raise InputError(source.name, ole_reason(source.data))
    raise InputError(source.name, "unsupported file type (a ZIP archive that is not a DOCX)")


# A page has these; a CMS's rich-text body (<p>…</p><p>…</p>, pasted, piped or sent to the API) does not
_PAGE_TAGS = re.compile(r"<(?:html|head|body|frameset)[\s>/]", re.IGNORECASE)


def is_html_fragment(html: str) -> bool:
    """Whether HTML is a fragment (a CMS's rich-text body), not a page: no <html>, <head>,
    <body> or <frameset> tag."""
    return _PAGE_TAGS.search(html) is None


# Word's (and WPS's) "save as web page", often a CMS's "export to Word" named .doc: a document
_WORD_HTML = re.compile(r"urn:schemas-microsoft-com:office:word|<meta[^>]+content=[\"']?Word\.Document", re.IGNORECASE)


def is_word_html(html: str) -> bool:
    """Whether HTML is a document saved by Word or WPS as a web page (its office:word namespace
    or ProgId Word.Document in the first 8 KB): all of it is the document, no site template."""
    return _WORD_HTML.search(html[:8192]) is not None


def extract_html(source: Source) -> Extracted:
    import trafilatura

    html, enc = decode_bytes(source.data, source.name)
    if is_html_fragment(html) or is_word_html(html):
        # a CMS body, or a Word document saved as a web page, is all draft, with no menus or footer
        # to leave out: read whole.  trafilatura took a CMS body's first line for a title
        # (<p>深入学习李克墙总理…<br>各镇：…</p>), and left out a Word page's part classed footer,
        # which then stood below the page-template header where only personal data is checked
        from .office import extract_html_structured

        return dataclasses.replace(extract_html_structured(source), published=meta_publication_date(html))
    text = trafilatura.extract(
        _inline_unwrapped(html),
        output_format="txt",
        include_tables=True,
        include_comments=False,
        favor_recall=True,
        deduplicate=False,
    )
    title = None
    try:
        meta = trafilatura.extract_metadata(html)
        title = meta.title if meta else None
    except Exception:  # metadata is optional; the text is what matters
        title = None
    if not text or not text.strip():
        # trafilatura keeps no text of a short fragment (a CMS body of one or two paragraphs,
        # <p>身份证号：…</p>): a draft is all published, so read all of its text instead
        from .office import extract_html_structured

        return dataclasses.replace(extract_html_structured(source), published=meta_publication_date(html))
    # the page's own publication date (<meta name="PubDate">): date rules are judged at it
    return Extracted(source, text, "html", encoding=enc, title=title, published=meta_publication_date(html))


# Inline formatting a browser runs together (a red <span> on one character, <b>, <font>, Word's
# <o:p>): trafilatura's fallback for a short page put each on a line of its own, so 为深入学习贯彻
# <b>习</b>进平… became "贯彻\n习\n进平…" and the misspelt name, like a phone number in a <span>
# after its label, went unseen.  Links stay (trafilatura weighs link density to tell menus from text).
INLINE_TAGS = ("span", "font", "b", "strong", "i", "em", "u", "s", "strike", "small", "big", "sub", "sup",
                "ins", "mark", "o:p")


def _inline_unwrapped(html: str):
    """The page's tree without its inline formatting elements (their text kept in place), or the
    HTML itself when it cannot be parsed here (trafilatura then reads it as before)."""
    from lxml import etree
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
    except Exception:  # noqa: BLE001 - trafilatura decides what to make of it
        return html
    if tree is None:
        return html
    etree.strip_tags(tree, *INLINE_TAGS)
    unwrap_running_links(tree)
    return tree


# What an article's container may hold that its editor did not write: menus, breadcrumbs, pagers,
# side bars, share and print bars (class or id tokens), and lists of links (related articles).
_ARTICLE_CHROME = {"nav", "navbar", "navigation", "menu", "menus", "daohang", "crumb", "crumbs", "breadcrumb",
                   "position", "location", "weizhi", "dqwz", "pagination", "pager", "paging", "fenye", "sidebar",
                   "side", "share", "bdshare", "fenxiang", "print", "dayin", "prev", "next", "related", "xgxx",
                   "xglj", "comment", "comments"}
_CHROME_TAGS = {"nav", "aside", "script", "style", "noscript", "template", "select", "button", "form"}
_TOKEN_SPLIT = re.compile(r"[\s_\-]+")
_NOT_COMPARED = re.compile(r"[\s|\u00ad\u200b-\u200f\u2060-\u2064\ufeff]+")  # (as pipeline compares lines)
_KEY = 10  # characters of a main-text line looked for in the page


def _is_chrome(el) -> bool:
    if not isinstance(el.tag, str) or el.tag.lower() in _CHROME_TAGS:
        return True
    attrs = " ".join(filter(None, (el.get("class"), el.get("id")))).lower()
    if attrs and {t for t in _TOKEN_SPLIT.split(attrs) if t} & _ARTICLE_CHROME:
        return True
    if el.tag in ("ul", "ol", "dl"):  # a list of links (相关文章, 上一篇/下一篇)
        links = el.findall(".//a")
        if len(links) >= 2:
            linked = sum(len(_NOT_COMPARED.sub("", a.text_content())) for a in links)
            return linked >= 0.8 * len(_NOT_COMPARED.sub("", el.text_content()))
    return False


def _article_words(root) -> str:
    """The text of ``root`` in document order without its chrome (a walk with a stack: a page
    nested thousands of levels deep is no recursion error)."""
    out: list[str] = []
    stack: list[tuple[object, bool]] = [(root, True)]
    while stack:
        item, is_element = stack.pop()
        if not is_element:
            out.append(item)
            continue
        if _is_chrome(item):
            continue
        out.append(item.text or "")
        for child in reversed(item):
            if child.tail:
                stack.append((child.tail, False))
            if isinstance(child.tag, str):
                stack.append((child, True))
    return "".join(out)


def article_text(source: Source, main: str) -> str:
    """The text of the element holding a page's main text (the innermost one holding its first
    and last lines: the article's container), without its menus, breadcrumbs, pagers, share bars
    and lists of links, compacted (no spaces) for lines to be looked up in it; "" when the main
    text spans the whole page or cannot be found in it.

    trafilatura leaves out of the main text what an article holds in an element classed or named
    footer, meta, author, attachment … (落款, 发布机关, 联系电话 in ``<div class="footer">``
    inside the article): those lines are the editor's all the same, and the review checks them as
    the main text's (they stood below the page-template line, where only personal data is checked)."""
    try:
        html, _enc = decode_bytes(source.data, source.name)
    except InputError:
        return ""
    tree = _inline_unwrapped(html)
    body = tree.find("body") if not isinstance(tree, str) else None
    if body is None:
        return ""
    # (its sentences, not a menu's items that trafilatura may have kept at its top)
    lines = [k for k in (_NOT_COMPARED.sub("", line) for line in main.split("\n")) if len(k) >= _KEY]
    if not lines:
        return ""
    first, last = lines[0][:_KEY], lines[-1][-_KEY:]
    nodes: list[tuple[object, str]] = []  # (the element a text belongs to, the text compacted), in order
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        if el.text:
            nodes.append((el, _NOT_COMPARED.sub("", el.text)))
        if el.tail and el is not body and el.getparent() is not None:
            nodes.append((el.getparent(), _NOT_COMPARED.sub("", el.tail)))
    start = next((el for el, text in nodes if first in text), None)
    end = next((el for el, text in reversed(nodes) if last in text), None)
    if start is None or end is None:
        return ""
    ancestors = {id(a) for a in start.iterancestors()} | {id(start)}
    holder = end
    while holder is not None and id(holder) not in ancestors:
        holder = holder.getparent()
    if holder is None or holder is body or holder.tag in ("html", "body"):
        return ""
    return _NOT_COMPARED.sub("", _article_words(holder))


_RUNNING_TEXT = ("p", "td", "th", "dd")


def unwrap_running_links(tree) -> None:
    """A link inside running text (a paragraph or a table cell that holds other text too:
    联系人：<a href="mailto:…">王芳</a>，电话：…) is unwrapped as inline formatting is: it was put on
    a line of its own, so the name lost its phone (no 姓名 finding) and the line came back as a
    duplicate below the page-template header.  Menus (a list item or a cell that is only a link,
    a <div> of links) keep their links, which trafilatura weighs to tell menus from text."""
    for link in list(tree.iter("a")):
        parent = link.getparent()
        if parent is None or parent.tag not in _RUNNING_TEXT or not hasattr(link, "drop_tag"):
            continue
        outside = (parent.text or "") + "".join((child.tail or "") for child in parent)
        outside += "".join(child.text_content() for child in parent if child is not link and child.tag != "a"
                           and isinstance(child.tag, str))
        if outside.strip():
            link.drop_tag()


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCX_NODES = (_W + "t", _W + "tab", _W + "br", _W + "cr")
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# a drawing's properties (a picture's, a shape's): its alternative text (descr) and title
_ALT_HOLDERS = ("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr",
                "{http://schemas.openxmlformats.org/drawingml/2006/picture}cNvPr")


class DocxAltText:
    """A drawing's alternative text or title (``descr``/``title`` of ``wp:docPr`` and of the
    picture's ``pic:cNvPr``, Word's 可选文字), as ``docx_text_nodes`` reads it: published with
    the file and read aloud by screen readers, a picture of a 名单 described as its rows
    (``王芳 身份证号…``) was never read, the DOCX compliant."""

    __slots__ = ("element", "name")
    tag = "alt"

    def __init__(self, element, name: str):
        self.element = element
        self.name = name

    @property
    def value(self) -> str:
        return self.element.get(self.name) or ""

    def __eq__(self, other) -> bool:
        return isinstance(other, DocxAltText) and other.element is self.element and other.name == self.name

    def __hash__(self) -> int:
        return hash((id(self.element), self.name))


def docx_text_nodes(p, links: dict | None = None, published: bool = False) -> list[tuple[object, str]]:
    """A paragraph's (w:p) text as (node, text) pairs in reading order: w:t its text,
    w:tab a tab, w:br (line break) and w:cr a newline.

    Runs inside tracked insertions (w:ins), content controls (w:sdt), hyperlinks, smart
    tags and simple fields count (python-docx's ``Paragraph.text`` reads direct runs and
    hyperlinks only, so an ID typed as a tracked change was never seen); deleted text
    (w:delText), text moved away (w:moveFrom: its copy in w:moveTo counts), field codes and
    text boxes (paragraphs of their own) do not.  With
    ``links`` (rId -> relationship, ``docx_link_targets``) a hyperlink to one of them adds
    its target, between spaces, before its text: (relationship, " mailto:… ").  With
    ``published`` (the privacy audit and mask: what the file holds, not what it shows) also
    the instructions of fields that dial or mail (w:instrText ``HYPERLINK "mailto:…"``),
    where they stand, and the text of tracked deletions and moves (w:delText, w:moveFrom: an ID column deleted with
    Track Changes on is still in the file, one click from view) and of hidden runs (w:vanish),
    after the shown text and a space (``UNSEEN_GAP``), and the alternative text and title of
    its pictures and shapes where they stand, between spaces (``DocxAltText``; both copies
    Word writes, the drawing's and the picture's, as a text box's two copies).
    """
    nodes = []
    unseen = []  # (published) tracked deletions and hidden runs: after the shown text, apart
    shown_since = False
    # text moved elsewhere with Track Changes on (w:moveFrom: struck through where it was, its
    # copy in w:moveTo where it went) is a deletion: it was read twice, each finding reported twice
    # (the runs themselves are kept: lxml gives the same proxy back while one is alive, an id() alone
    # may be a freed proxy's)
    moved = {r for m in p.iter(_W + "moveFrom") for r in m.iter(_W + "r")}
    tags = _DOCX_NODES + ((_W + "hyperlink",) if links else ()) + ((_W + "delText", _W + "instrText") + _ALT_HOLDERS if published else ())
    for node in p.iter(*tags):
        owner = next(a for a in node.iterancestors(_W + "p"))
        if owner is not p:  # a text box's paragraph inside this one
            continue
        if node.tag in _ALT_HOLDERS:
            for name in ("title", "descr"):
                value = node.get(name)
                if value and value.strip():  # (its line breaks as spaces: same length)
                    nodes.append((DocxAltText(node, name), " " + re.sub(r"[\r\n\t]", " ", value) + " "))
            continue
        tag = node.tag[len(_W):]
        if tag == "hyperlink":
            rel = links.get(node.get(_R_ID))
            if rel is not None:
                nodes.append((rel, f" {rel.target_ref} "))
            continue
        parent = node.getparent()
        if parent is None or parent.tag != _W + "r":  # tab stops of w:pPr, ruby text ...
            continue
        if tag == "t" and parent in moved and not published:
            continue
        if tag == "delText" or (tag == "t" and (parent in moved or published and _hidden(parent))):
            if unseen and shown_since:  # a deletion of its own (an ID's, then a mobile's): apart
                unseen.append((UNSEEN_GAP, " "))
            unseen.append((node, node.text or ""))
            shown_since = False
            continue
        shown_since = True
        if tag == "t":
            nodes.append((node, node.text or ""))
        elif tag == "instrText":
            if any(d in (node.text or "").lower() for d in _DIALLED):
                nodes.append((node, node.text or ""))
        elif tag == "tab":
            nodes.append((node, "\t"))
        elif tag == "cr" or node.get(_W + "type") in (None, "textWrapping"):
            nodes.append((node, "\n"))
    if unseen:
        # read where they stood, an ID replaced by its masked form with Track Changes on (or
        # hidden before it) ran into it, 440105199003071234440105********1234, and neither was
        # found: the audit said compliant, the masked copy kept every value.  So the paragraph
        # reads as shown (a digit corrected inside a number stays one number), then a space,
        # then what it holds unseen
        nodes.append((UNSEEN_GAP, " "))
        nodes.extend(unseen)
    return nodes


class _UnseenGap:
    """The space docx_text_nodes puts between a paragraph's shown text and its unseen text (no
    node of the file: mask writes nothing back there)."""
    tag = "gap"


UNSEEN_GAP = _UnseenGap()


def _hidden(run) -> bool:
    """Whether a w:r is hidden text (w:vanish): in the file, not shown or printed."""
    props = run.find(_W + "rPr")
    vanish = props.find(_W + "vanish") if props is not None else None
    return vanish is not None and vanish.get(_W + "val") not in ("0", "false", "off")


def docx_paragraph_text(p, links: dict | None = None, published: bool = False) -> str:
    return "".join(text for _node, text in docx_text_nodes(p, links, published))


def docx_blocks(document):
    """The body's paragraphs and tables in reading order, ("p", w:p) and ("tbl", Table),
    also those inside block-level content controls (w:sdt)."""
    yield from _docx_walk(document.element.body, document)


def _docx_walk(parent, container):
    """("p", w:p) and ("tbl", Table) children of ``parent`` in order, into block-level
    content controls (w:sdt); ``container`` is the python-docx owner of the tables."""
    from docx.table import Table

    for child in parent.iterchildren():
        if child.tag == _W + "p":
            yield "p", child
        elif child.tag == _W + "tbl":
            yield "tbl", Table(child, container)
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _docx_walk(content, container)


def docx_header_footer_blocks(document):
    """The paragraphs and tables of the headers and footers (default, first-page, even-page)
    of every section, each part once, in section order: a contact line or a name in a
    footer is published with the file.  A header or footer a section only inherits is not
    created (python-docx would add an empty part when asked for its content).  Yields
    (kind, block, the header's or footer's part)."""
    seen = set()
    for section in document.sections:
        for hf in (section.header, section.first_page_header, section.even_page_header,
                   section.footer, section.first_page_footer, section.even_page_footer):
            if hf.is_linked_to_previous:
                continue
            element = hf._element
            if id(element) in seen:
                continue
            seen.add(id(element))
            for kind, block in _docx_walk(element, hf):
                yield kind, block, hf.part
            for kind, block in docx_text_box_blocks(element, hf):  # a header's text box (a logo's contact line)
                yield kind, block, hf.part


def docx_text_box_blocks(element, parent):
    """The paragraphs and tables of the text boxes (w:txbxContent) under ``element``, in
    document order: a form's boxes hold names and numbers.  Word writes each box twice (a
    DrawingML choice and a VML fallback for older readers): both are read, so a value in a
    box is reported twice and masked in both copies (the file holds it twice; masking only
    the shown copy left it in the file).  Boxes inside boxes are read by their box's walk."""
    from docx.table import Table

    for box in element.iter(_W + "txbxContent"):
        if next(box.iterancestors(_W + "txbxContent"), None) is not None:
            continue
        for child in box.iterchildren():
            if child.tag == _W + "p":
                yield "p", child
            elif child.tag == _W + "tbl":
                yield "tbl", Table(child, parent)


_NOTE_PARTS = ("comments", "footnotes", "endnotes")


def docx_note_parts(document) -> list[tuple[object, object]]:
    """(part, root element) of the document's comments, footnotes and endnotes: published
    with the file (a reviewer's comment 申请人手机138…, a footnote citing an ID).  python-docx
    parses the comments part; footnotes and endnotes are read from their bytes here, and a
    caller that changes them writes the element back into the part (``docx_save_note_parts``)."""
    out = []
    for rel in document.part.rels.values():
        if rel.is_external or rel.reltype.rsplit("/", 1)[-1] not in _NOTE_PARTS:
            continue
        part = rel.target_part
        element = getattr(part, "element", None)
        if element is None:
            from .office import _xml

            element = _xml(part.blob)  # leniently: a part cut short is read as far as it goes
        out.append((part, element))
    return out


def docx_save_note_parts(notes) -> None:
    """Write changed footnotes and endnotes (parts python-docx keeps as bytes) back."""
    from lxml import etree

    for part, element in notes:
        if getattr(part, "element", None) is None:
            part._blob = etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


def docx_all_blocks(document, links: dict | None, notes=None):
    """(kind, block, links) of the body (``docx_blocks``), its text boxes, then the headers
    and footers and their text boxes, then the comments, footnotes and endnotes (``notes``,
    from ``docx_note_parts``): the one walk of ``extract_docx`` and of the masking that
    writes back into the same nodes.  With ``links`` (the audit, the mask) each block comes
    with the dialling links of its own part (a footer's mailto: link is in the footer's
    relationships: its address stayed in a masked copy)."""
    for kind, block in docx_blocks(document):
        yield kind, block, links
    for kind, block in docx_text_box_blocks(document.element.body, document):
        yield kind, block, links
    for kind, block, part in docx_header_footer_blocks(document):
        yield kind, block, _dialled(part) if links is not None else None
    for part, element in (docx_note_parts(document) if notes is None else notes):
        part_links = _dialled(part) if links is not None else None
        for note in element.iterchildren():  # w:comment, w:footnote, w:endnote
            yield from ((kind, block, part_links) for kind, block in _docx_walk(note, document))
            yield from ((kind, block, part_links) for kind, block in docx_text_box_blocks(note, document))


def docx_row_cells(row) -> list[tuple[int, list]]:
    """A table row's cells as (grid column, paragraphs): merged cells once, each cell's
    paragraphs (w:p) in reading order, those of tables nested in it and of its content
    controls included, text boxes not."""
    cells = []
    seen = set()
    for c, cell in enumerate(row.cells):
        if id(cell._tc) in seen:  # merged cells repeat
            continue
        seen.add(id(cell._tc))
        paragraphs = [p for p in cell._tc.iter(_W + "p") if next(p.iterancestors(_W + "txbxContent"), None) is None]
        cells.append((c, paragraphs))
    return cells


_DIALLED = ("tel:", "mailto:", "sms:")


def docx_link_targets(document) -> dict:
    """rId -> the external hyperlink relationships that dial or mail (tel:, mailto:, sms:):
    Word makes every e-mail address typed a mailto: link, and the link keeps the address
    when its text is masked by hand."""
    return _dialled(document.part)


def _dialled(part) -> dict:
    """rId -> the external tel:/mailto:/sms: relationships of one part."""
    return {rel.rId: rel for rel in part.rels.values()
            if rel.is_external and rel.target_ref.strip().lower().startswith(_DIALLED)}


_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
IMAGES_ONLY_REASON = "no text layer: the DOCX holds pictures only (a scanned document pasted in?): needs OCR"
STRICT_REASON = "DOCX saved as Strict Open XML: not supported, save it as a Word Document (.docx)"


def _is_strict(zf: zipfile.ZipFile) -> bool:
    """Whether a DOCX is in Word's "Strict Open XML Document" form (ISO/IEC 29500 strict
    namespaces, http://purl.oclc.org/ooxml/…), by its package relationships."""
    try:
        with zf.open("_rels/.rels") as fh:
            return b"purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" in fh.read(64 * 1024)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
        return False


def _alt_chunks(document, source: Source, depth: int) -> dict:
    """The text of the body's alternative-format chunks (w:altChunk: an HTML page, MHT, RTF,
    text or another DOCX that Word shows in place; a CMS's "export to Word" is often one chunk
    and document.xml holds none of its text), by the body block each follows (None: the start).
    A chunk that cannot be read is an InputError: the review must not pass over it."""
    out: dict = {}
    body = document.element.body
    for chunk in body.iter(_W + "altChunk"):
        rel = document.part.rels.get(chunk.get(f"{{{_R_NS}}}id"))
        if rel is None or rel.is_external:
            continue
        name = str(rel.target_part.partname).rsplit("/", 1)[-1]
        prev = chunk.getprevious()
        while prev is not None and prev.tag not in (_W + "p", _W + "tbl"):
            prev = prev.getprevious()
        if depth > 2:
            raise InputError(source.name, f"an imported part ({name}) cannot be read: nested too deep")
        try:
            text = _chunk_text(Source(name, rel.target_part.blob), depth)
        except InputError as exc:
            if exc.reason.startswith("empty"):
                continue
            raise InputError(source.name, f"an imported part ({name}) cannot be read: {exc.reason}") from None
        out.setdefault(prev, []).append(text)  # (one in a table cell, whose paragraphs are no blocks: at the end)
    return out


def _chunk_text(chunk: Source, depth: int) -> str:
    """An imported chunk's text: a page (HTML, MHT) read whole, as Word shows all of it (trafilatura
    would keep its "main text" and drop the rest, a heading line among it); RTF, text or a DOCX as
    the review reads them."""
    from .office import extract_html_structured, html_of_mht

    fmt = sniff_format(chunk)
    if fmt == "html":
        return extract_html_structured(chunk).text
    if fmt == "mht":
        return extract_html_structured(Source(chunk.name, html_of_mht(chunk.data), media_type="text/html")).text
    return extract(chunk, _depth=depth + 1).text


def extract_docx(source: Source, links: bool = False, allow_empty: bool = False, chunks: bool = False,
                 _depth: int = 0) -> Extracted:
    """Paragraphs and tables of the body, then of the headers and footers; with ``links`` (the privacy audit) the targets of tel:/mailto:
    links too, in their paragraph (they are published with the file).  With ``chunks`` (the review) the
    body's imported chunks (w:altChunk: a CMS's export to Word) are read where they stand; the privacy
    audit reads them after the file's own text, with the embedded files."""
    try:
        with zipfile.ZipFile(io.BytesIO(source.data)) as zf:
            total = sum(info.file_size for info in zf.infolist())
            biggest = max((info for info in zf.infolist() if info.filename.lower().endswith((".xml", ".rels"))),
                          key=lambda info: info.file_size, default=None)
            strict = _is_strict(zf)
    except zipfile.BadZipFile:
        raise InputError(source.name, "corrupt DOCX (not a valid ZIP archive)") from None
    if strict:  # (python-docx knows the transitional namespaces only: it was "corrupt or protected DOCX (KeyError)")
        raise InputError(source.name, STRICT_REASON)
    if total > MAX_DOCX_UNCOMPRESSED:
        raise InputError(source.name, f"DOCX decompresses to {total // 2**20} MB, over the {MAX_DOCX_UNCOMPRESSED // 2**20} MB limit")
    if biggest is not None and biggest.file_size > MAX_DOCX_PART:
        raise InputError(source.name, f"DOCX part {biggest.filename} is {biggest.file_size // 2**20} MB of XML, "
                                      f"over the {MAX_DOCX_PART // 2**20} MB limit of one part")
    try:
        import docx

        document = docx.Document(io.BytesIO(source.data))
    except Exception as exc:
        raise InputError(source.name, f"corrupt or protected DOCX ({type(exc).__name__})") from None
    from . import office

    targets = docx_link_targets(document) if links else None
    parts: list[str] = []
    cells: list[Cell] = []
    pos = 0
    table_no = -1
    imported = _alt_chunks(document, source, _depth) if chunks else {}

    def chunk_text(after) -> int:
        """Add the chunks that follow ``after`` (a body block; None: the start); their length."""
        text = "".join(t if t.endswith("\n") else t + "\n" for t in imported.pop(after, ()))
        parts.append(text)
        return len(text)

    pos += chunk_text(None)
    regions: list[list] = []  # [start, end, label] of the text outside the body's own flow
    try:
        for kind, block, block_links in docx_all_blocks(document, targets):
            label = docx_region(block if kind == "p" else block._tbl)
            if label and not (regions and regions[-1][2] == label and regions[-1][1] == pos):
                regions.append([pos, pos, label])  # (a run of blocks of one region is one span)
            if pos > office.MAX_CHARS:  # (XLSX, XLS, PDF, OFD had this limit; a DOCX of 25 M characters was read)
                raise InputError(source.name, f"DOCX holds more than {office.MAX_CHARS:,} characters (limit)")
            if kind == "p":
                line = docx_paragraph_text(block, block_links, published=links)
                parts.append(line + "\n")
                pos += len(line) + 1
                if label:
                    regions[-1][1] = pos
                if imported:
                    pos += chunk_text(block)
                continue
            table_no += 1
            for r, row in enumerate(block.rows):
                for i, (c, paragraphs) in enumerate(docx_row_cells(row)):
                    # a cell's paragraphs (and line breaks) joined by spaces: one line per row
                    value = " ".join(docx_paragraph_text(p, block_links, published=links) for p in paragraphs).replace("\n", " ")
                    if i:
                        parts.append("\t")
                        pos += 1
                    cells.append(Cell(table_no, r, c, pos, pos + len(value)))
                    parts.append(value)
                    pos += len(value)
                parts.append("\n")
                pos += 1
            if label:
                regions[-1][1] = pos
            if imported:
                pos += chunk_text(block._tbl)
        for after in list(imported):  # chunks after no block of the walk (in a table cell): at the end
            pos += chunk_text(after)
    except InputError:
        raise
    except Exception as exc:  # a broken part (a footnotes part cut short) was a traceback that stopped the audit
        raise InputError(source.name, f"corrupt DOCX ({type(exc).__name__} in a part)") from None
    text = "".join(parts)
    if not text.strip() and not allow_empty:
        if any(part.partname.startswith("/word/media/") for part in document.part.package.iter_parts()):
            # a scanned notice pasted into Word as pictures: "empty" sent the editor looking for nothing
            raise InputError(source.name, IMAGES_ONLY_REASON)
        raise InputError(source.name, "empty DOCX (no text)")
    meta = {"regions": tuple((a, b, label) for a, b, label in regions)} if regions else {}
    return Extracted(source, text, "docx", cells=tuple(cells), meta=meta)


_REGION_ROOTS = {"hdr": "页眉", "ftr": "页脚", "comments": "批注", "footnotes": "脚注", "endnotes": "尾注"}


def docx_region(element) -> str:
    """Where a block stands outside the body's flow, as the audit names it in a location:
    页眉, 页脚, 批注, 脚注, 尾注, or 文本框 (a text box of the body, or 页眉文本框 …); "" in the body."""
    root = element.getroottree().getroot().tag
    label = _REGION_ROOTS.get(root[len(_W):] if root.startswith(_W) else "", "")
    if next(element.iterancestors(_W + "txbxContent"), None) is not None:
        label += "文本框"
    return label
