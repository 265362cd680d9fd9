"""A minimal OFD (GB/T 33190-2016) writer for test fixtures and generated documents.

An OFD is a ZIP package: ``OFD.xml`` -> ``Doc_0/Document.xml`` -> one ``Content.xml`` per
page, holding TextObjects placed in mm.  No fonts are embedded (a reader falls back to
its own); the text is exactly what the TextCodes hold.

A text object is ``(x, y, text)`` or ``(x, y, text, attrs)``: ``x``/``y`` place the first
glyph's baseline on the page (mm); ``attrs`` may give ``DeltaX``/``DeltaY`` (written on
the TextCode as given, ``g N v`` included), ``CTM``, ``Size`` (mm, default 3.5),
``ReadDirection``/``CharDirection``, ``X``/``Y`` (the TextCode's own, inside the boundary).  Example::

    write_ofd([[(20, 30, "公示名单"), (20, 40, "王芳"), (60, 40, "13812345678")]])
"""
from __future__ import annotations

import io
import unicodedata
import zipfile
from xml.sax.saxutils import escape, quoteattr

NS = "http://www.ofdspec.org/2016"


def _width(text: str, size: float) -> float:
    return sum(size if unicodedata.east_asian_width(ch) in ("W", "F") else size / 2 for ch in text)


def _tag(name: str, ns: bool) -> str:
    return f"ofd:{name}" if ns else name


def _root(name: str, ns: bool, body: str, attrs: str = "") -> str:
    xmlns = f' xmlns:ofd="{NS}"' if ns else ""
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{_tag(name, ns)}{xmlns}{attrs}>{body}</{_tag(name, ns)}>'


def text_objects(objects, ns: bool = True, first_id: int = 100) -> str:
    """The TextObject elements of ``objects`` (see the module's doc)."""
    t = lambda n: _tag(n, ns)  # noqa: E731
    out = []
    for i, obj in enumerate(objects):
        x, y, text = obj[:3]
        attrs = dict(obj[3]) if len(obj) > 3 else {}
        size = float(attrs.pop("Size", 3.5))
        ctm = attrs.pop("CTM", None)
        code_x = attrs.pop("X", 0)
        code_y = attrs.pop("Y", size)
        # the boundary's top-left is the object's origin: the baseline lies `size` below it
        boundary = f"{x:g} {y - size:g} {max(_width(text, size), 1):g} {size * 1.4:g}"
        obj_attrs = f' ID="{first_id + i}" Boundary="{boundary}" Font="1" Size="{size:g}"'
        if ctm:
            obj_attrs += f' CTM="{ctm}"'
        for name in ("ReadDirection", "CharDirection"):  # (the object's; the rest are the TextCode's)
            if name in attrs:
                obj_attrs += f' {name}="{attrs.pop(name)}"'
        code_attrs = f' X="{code_x}" Y="{code_y}"' + "".join(f" {k}={quoteattr(str(v))}" for k, v in attrs.items())
        out.append(f"<{t('TextObject')}{obj_attrs}><{t('TextCode')}{code_attrs}>{escape(text)}</{t('TextCode')}></{t('TextObject')}>")
    return "".join(out)


def page_xml(objects, ns: bool = True, template_id: str | None = None, image: bool = False) -> str:
    t = lambda n: _tag(n, ns)  # noqa: E731
    tpl = f'<{t("Template")} TemplateID="{template_id}" ZOrder="Background"/>' if template_id else ""
    img = f'<{t("ImageObject")} ID="90" Boundary="0 0 210 297" CTM="210 0 0 297 0 0" ResourceID="5"/>' if image else ""
    return _root("Page", ns, f'{tpl}<{t("Area")}><{t("PhysicalBox")}>0 0 210 297</{t("PhysicalBox")}></{t("Area")}>'
                 f'<{t("Content")}><{t("Layer")} ID="2" Type="Body">{img}{text_objects(objects, ns)}</{t("Layer")}></{t("Content")}>')


def write_ofd(pages, *, ns: bool = True, template=None, annotations=None, images=(), absolute: bool = False,
              attachments=(), members: dict | None = None) -> bytes:
    """An OFD package of ``pages`` (each a list of text objects).  ``template``: text
    objects drawn on every page through a page template (a header or footer);
    ``annotations``: {page index: [(remark, [text objects])]}; ``images``: indexes of pages
    that also draw an image (a scan); ``absolute``: locations written from the package
    root (``/Doc_0/...``); ``attachments``: files attached to the document, as (Name,
    Format, file name, bytes); ``members``: parts to replace (bytes or str) or, with None, drop."""
    t = lambda n: _tag(n, ns)  # noqa: E731
    files: dict[str, bytes | str] = {}
    doc_root = "/Doc_0/Document.xml" if absolute else "Doc_0/Document.xml"
    files["OFD.xml"] = _root("OFD", ns, f'<{t("DocBody")}><{t("DocInfo")}><{t("DocID")}>0c1f</{t("DocID")}></{t("DocInfo")}>'
                                        f'<{t("DocRoot")}>{doc_root}</{t("DocRoot")}></{t("DocBody")}>',
                             ' Version="1.0" DocType="OFD"')
    prefix = "/Doc_0/" if absolute else ""
    page_refs = "".join(f'<{t("Page")} ID="{10 + i}" BaseLoc="{prefix}Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
    common = (f'<{t("CommonData")}><{t("MaxUnitID")}>999</{t("MaxUnitID")}><{t("PageArea")}><{t("PhysicalBox")}>0 0 210 297'
              f'</{t("PhysicalBox")}></{t("PageArea")}>')
    if template is not None:
        common += f'<{t("TemplatePage")} ID="3" BaseLoc="{prefix}Tpls/Tpl_0/Content.xml"/>'
        files["Doc_0/Tpls/Tpl_0/Content.xml"] = page_xml(template, ns)
    common += f'</{t("CommonData")}>'
    annots = ""
    if annotations:
        annots = f'<{t("Annotations")}>Annots/Annotations.xml</{t("Annotations")}>'
        listing = ""
        for i, notes in annotations.items():
            listing += f'<{t("Page")} PageID="{10 + i}"><{t("FileLoc")}>Page_{i}/Annotation.xml</{t("FileLoc")}></{t("Page")}>'
            body = ""
            for k, (remark, objects) in enumerate(notes):
                rem = f'<{t("Remark")}>{escape(remark)}</{t("Remark")}>' if remark else ""
                app = f'<{t("Appearance")} Boundary="0 0 210 297">{text_objects(objects, ns, 500)}</{t("Appearance")}>' if objects else ""
                body += f'<{t("Annot")} ID="{400 + k}" Type="Stamp">{rem}{app}</{t("Annot")}>'
            files[f"Doc_0/Annots/Page_{i}/Annotation.xml"] = _root("PageAnnot", ns, body)
        files["Doc_0/Annots/Annotations.xml"] = _root("Annotations", ns, listing)
    if attachments:
        annots += f'<{t("Attachments")}>Attachs/Attachments.xml</{t("Attachments")}>'
        listing = ""
        for k, (name, fmt, filename, data) in enumerate(attachments):
            listing += (f'<{t("Attachment")} ID="{600 + k}" Name={quoteattr(name)} Format="{fmt}" Visible="true">'
                        f'<{t("FileLoc")}>{escape(filename)}</{t("FileLoc")}></{t("Attachment")}>')
            files[f"Doc_0/Attachs/{filename}"] = data
        files["Doc_0/Attachs/Attachments.xml"] = _root("Attachments", ns, listing)
    files["Doc_0/Document.xml"] = _root("Document", ns, f'{common}<{t("Pages")}>{page_refs}</{t("Pages")}>{annots}')
    for i, objects in enumerate(pages):
        files[f"Doc_0/Pages/Page_{i}/Content.xml"] = page_xml(objects, ns, "3" if template is not None else None, i in images)
    files["Doc_0/Signs/Signatures.xml"] = _root("Signatures", ns, "")
    for name, data in (members or {}).items():
        if data is None:
            files.pop(name, None)
        else:
            files[name] = data
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return buf.getvalue()


def table_objects(rows, x0: float = 20, y0: float = 40, size: float = 3.5, gap: float = 6, leading: float = 8):
    """Text objects of a table drawn as Word or WPS export one: each cell at its column's
    position (columns as wide as their widest cell plus ``gap`` mm), one row every
    ``leading`` mm; no spaces between cells."""
    ncols = max(len(r) for r in rows)
    widths = [max(_width(r[c], size) for r in rows if c < len(r)) + gap for c in range(ncols)]
    objects = []
    for r, row in enumerate(rows):
        x = x0
        for c, cell in enumerate(row):
            if cell:
                objects.append((x, y0 + r * leading, cell, {"Size": size}))
            x += widths[c]
    return objects


def render_ofd(doc) -> bytes:
    """A generated 公示 document (``corpora.pii.generate.GenDoc``) as an OFD: paragraphs a
    line each, tables as positioned cells (spaces inside cells dropped, as the PDF renderer
    does: use ``gold_for(doc, "pdf")``), 30 lines a page."""
    lines: list = []  # a str, or a table row (list of cells) with its table's column positions
    for p in doc.parts:
        if p.kind == "table":
            rows = [[c.replace(" ", "") if i else c for i, c in enumerate(row)] for row in p.lines]
            objs = table_objects(rows, y0=0)
            by_row: dict[float, list] = {}
            for x, y, text, attrs in objs:
                by_row.setdefault(y, []).append((x, text))
            lines.extend(by_row[y] for y in sorted(by_row))
        else:
            lines.extend(p.lines)
    pages = []
    for start in range(0, len(lines), 30):
        objects = []
        for k, line in enumerate(lines[start:start + 30]):
            y = 25 + 8 * k
            if isinstance(line, str):
                objects.append((20, y, line))
            else:
                objects.extend((x, y, text) for x, text in line)
        pages.append(objects)
    return write_ofd(pages)
