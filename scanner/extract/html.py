"""Article pages of a website snapshot -> Extracted, fast.

The site scan reads many pages, so it calls trafilatura in its fast mode (no justext or
readability fallback comparison) on the tree already parsed by the site model, with
tables kept (公示名单 are tables) and no metadata pass (the list entry gives the title and
the date).  ``govscan review`` keeps the thorough settings of ``extract.documents``.
Pages are decoded by ``scanner.text.decode`` (UTF-8, else GB18030, whatever the page
declares), so GBK, GB2312 and GB18030 pages and wrong declarations read correctly.
"""
from __future__ import annotations

import copy
import re

from ..errors import InputError
from ..types import Extracted, Source


_CHROME = {"nav", "navbar", "navigation", "menu", "menus", "daohang", "header", "footer", "crumb", "crumbs",
           "breadcrumb", "position", "location", "weizhi", "pagination", "pager", "paging", "fenye", "copyright", "logo"}
_SPLIT = re.compile(r"[\s_\-]+")


_HEADINGS = ("h1", "h2", "h3")


def _holds_headline(el, title: str | None) -> bool:
    """An article's own header (``<article><header><h1>标题``, ``<div class="article-header">``):
    a heading in it carries the article's title."""
    if el.tag not in ("header",) and "header" not in (el.get("class") or "") + (el.get("id") or ""):
        return False
    key = "".join((title or "").split())[:10]
    if len(key) < 4:
        return False
    return any(key in "".join(h.text_content().split()) for h in el.iter(*_HEADINGS))


def drop_chrome(tree, title: str | None = None) -> None:
    """Remove navigation, header, footer, breadcrumb and pagination containers before
    trafilatura's fast mode (which otherwise keeps short menus as text).  An element holding
    most of the page's text is never removed, whatever its class says, nor the article's own
    header holding its headline (the title's 错别字 went unchecked)."""
    body = tree.find("body")
    total = len(body.text_content()) if body is not None else 0
    doomed = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        tokens = {t for t in _SPLIT.split(" ".join(filter(None, (el.get("class"), el.get("id")))).lower()) if t}
        if el.tag in ("nav", "header", "footer") or tokens & _CHROME:
            doomed.append(el)
    for el in doomed:
        parent = el.getparent()
        if parent is None or el.tag == "body" or len(el.text_content()) > 0.5 * total or _holds_headline(el, title):
            continue
        el.drop_tree()


def extract_article(source: Source, tree=None, title: str | None = None) -> Extracted:
    """Main text of an HTML article; raises InputError when there is none."""
    import trafilatura

    from ..site.html import parse_html

    encoding = None
    if tree is None:
        tree, encoding = parse_html(source.data, source.name)
    else:
        tree = copy.deepcopy(tree)  # trafilatura prunes the tree it is given
    if title is None:
        node = tree.find(".//title")
        title = " ".join(node.text_content().split()) if node is not None else None
    drop_chrome(tree, title)
    from lxml import etree

    from .documents import INLINE_TAGS

    etree.strip_tags(tree, *INLINE_TAGS)  # as the review reads a page: <b>习</b>进平 was split over three lines
    text = trafilatura.extract(
        tree,
        fast=True,
        output_format="txt",
        include_tables=True,
        include_comments=False,
        deduplicate=False,
    )
    if not text or not text.strip():
        raise InputError(source.name, "HTML page without readable main text")
    return Extracted(source, text, "html", encoding=encoding, title=title)
