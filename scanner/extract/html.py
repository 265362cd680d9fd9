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

from ..errors import InputError
from ..types import Extracted, Source


def extract_article(source: Source, tree=None, title: str | None = None) -> Extracted:
    """Main text of an HTML article; raises InputError when there is none."""
    import trafilatura

    from ..site.html import parse_html

    encoding = None
    if tree is None:
        tree, encoding = parse_html(source.data, source.name)
    else:
        tree = copy.deepcopy(tree)  # trafilatura prunes the tree it is given
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
    if title is None:
        node = tree.find(".//title")
        title = " ".join(node.text_content().split()) if node is not None else None
    return Extracted(source, text, "html", encoding=encoding, title=title)
