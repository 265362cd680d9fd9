"""Reading the structure of government CMS pages with lxml: navigation, dated lists,
pagination, letter lists, footers.

The rules are generic (no template per CMS): navigation is the first container whose
class or id names it (``nav``, ``menu``, ``daohang``); list items are ``li``/``tr``
elements with a link outside navigation, header, footer, breadcrumb and pagination
containers, dated by their own text (``2022-06-20``, ``2022年6月20日``, ``[06-20]`` under
a ``2022年`` heading) or by the ``t20220620`` in their link.  Pages are decoded by
``scanner.text.decode`` (UTF-8, else the GB18030 family whatever the page declares).
"""
from __future__ import annotations

import dataclasses
import functools
import datetime as dt
import re
from collections.abc import Iterator

import lxml.html
from lxml import etree

from ..errors import InputError
from ..extract.snapshot import absolute, host_of_url
from ..text.dates import (META_DATE_NAMES, date_from_url, find_dates, meta_date, parse_compact_date, parse_date,
                          parse_month_day, year_heading)
from ..text.decode import decode_bytes

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_TOKEN_SPLIT = re.compile(r"[\s_\-]+")
_CHROME_TOKENS = {
    "nav", "navbar", "navigation", "menu", "menus", "daohang", "dh", "header", "head", "top", "topbar",
    "footer", "foot", "bottom", "copyright", "crumb", "crumbs", "breadcrumb", "position", "location", "weizhi",
    "page", "pages", "pager", "pagination", "paging", "fenye", "logo", "subnav", "sidebar", "side", "leftnav",
}
_NAV_TOKENS = {"nav", "navbar", "navigation", "menu", "menus", "daohang", "dh"}
_FOOTER_TOKENS = {"footer", "foot", "bottom", "copyright", "banquan"}
_CHROME_TAGS = {"nav", "header", "footer", "script", "style", "noscript", "select", "option", "form", "head"}
_NEXT_TEXT = ("下一页", "下页", "后一页", "后页", ">", "›", "»", ">>")
_PAGE_SCRIPT = re.compile(r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([^'\"]+)['\"]\s*,\s*['\"]([^'\"]+)['\"]")
_BLANK_TEXT = re.compile(r"暂无(?:信息|数据|内容|相关信息|记录)|无相关信息|栏目建设中|正在建设|建设中|没有(?:找到)?(?:相关)?(?:信息|数据|记录)")
_INFO_LABEL = re.compile(r"(?:发布(?:时间|日期)|发文日期|成文日期|日期|时间)\s*[:：]?\s*")


@dataclasses.dataclass(frozen=True)
class Link:
    text: str
    url: str
    element: object = dataclasses.field(compare=False, repr=False, default=None)


@dataclasses.dataclass(frozen=True)
class ListItem:
    title: str
    url: str | None
    date: dt.date | None
    date_source: str | None  # "list", "url", "page", None
    truncated: bool = False


_DATASTORE = re.compile(r"<script\b[^>]*>\s*<datastore>(.*?)</datastore>\s*</script>", re.S | re.I)
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)


def _expand_datastore(m: re.Match) -> str:
    """The records of a 大汉 JCMS list (``<script type="text/xml"><datastore><recordset><record>
    <![CDATA[<li>…</li>]]>``, drawn by its jpage script in a browser) as markup in their place:
    inside the script they were invisible, and every list of such a site was a blank column."""
    records = [r.strip() for r in _RECORD.findall(m.group(1)) if r.strip()]
    if not records:
        return m.group(0)
    if records[0][:3].lower() == "<tr":
        return '<table class="datastore">' + "".join(records) + "</table>"
    return '<ul class="datastore">' + "".join(
        r if r[:3].lower() == "<li" else f"<li>{r}</li>" for r in records) + "</ul>"


def parse_html(data: bytes, name: str):
    """(tree, encoding); raises InputError for undecodable or empty pages.

    A UTF-8 page with a few stray bytes of another encoding (a GBK footer included by a UTF-8
    template, a classic of CMS includes) is read as UTF-8, the stray bytes replaced: the
    page was a skip, and a home page so mixed left its site not judged."""
    try:
        text, enc = decode_bytes(data, name)
    except InputError as exc:
        # only a page that no single encoding reads (binary and empty pages stay skips)
        if not exc.reason.startswith("unknown text encoding"):
            raise
        text = data.decode("utf-8", "replace")
        if "\x00" in text or text.count("\ufffd") > len(text) // 4:
            raise
        enc = "utf-8"
    text = _XML_DECL.sub("", text, count=1)
    if "<datastore" in text:
        text = _DATASTORE.sub(_expand_datastore, text)
    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(name, f"unparseable HTML ({exc})") from None
    return tree, enc


def _tokens(el) -> set[str]:
    attrs = " ".join(filter(None, (el.get("class"), el.get("id"))))
    if not attrs:
        return set()
    return {t for t in _TOKEN_SPLIT.split(attrs.lower()) if t}


def is_chrome(el) -> bool:
    """True when ``el`` or an ancestor is navigation, header, footer, breadcrumb or pagination."""
    node = el
    while node is not None and isinstance(node.tag, str):
        if node.tag in _CHROME_TAGS or _tokens(node) & _CHROME_TOKENS:
            return True
        node = node.getparent()
    return False


def text_of(el) -> str:
    return " ".join("".join(el.itertext()).split())


def links(tree, base: str) -> Iterator[Link]:
    for a in tree.iter("a"):
        url = absolute(base, a.get("href"))
        if url is None:
            continue
        label = text_of(a) or (a.get("title") or "").strip()
        if not label:
            img = a.find(".//img")
            if img is not None:
                label = (img.get("alt") or img.get("title") or "").strip()
        yield Link(label, url, a)


def nav_links(tree, base: str) -> list[Link]:
    """Links of the main navigation, in order; a group heading whose URL is one of its own
    sub-items' (a drop-down title) is left out.  Off-host links and the home link are dropped."""
    host = host_of_url(base)
    containers = [el for el in tree.iter() if isinstance(el.tag, str) and el.tag == "nav" or
                  (isinstance(el.tag, str) and _tokens(el) & _NAV_TOKENS)]
    # outermost containers only
    outer = [c for c in containers if not any(a is not c and _is_ancestor(a, c) for a in containers)]
    out: list[Link] = []
    seen: set[str] = set()
    for container in outer:
        for link in links(container, base):
            if host_of_url(link.url) != host or not link.text or link.text in ("首页", "网站首页", "返回首页"):
                continue
            if _is_home(link.url):
                continue
            li = _closest(link.element, "li")
            if li is not None and li.find(".//ul") is not None and link.element.getparent() is not None:
                sub_urls = {absolute(base, a.get("href")) for a in li.find(".//ul").iter("a")}
                if link.url in sub_urls:
                    continue  # a drop-down heading pointing at its first sub-column
            if link.url in seen:
                continue
            seen.add(link.url)
            out.append(link)
    return out


_LISTING_PATH = re.compile(r"(?:/|/index(?:_\d+)?\.s?html?|/col/col\d+/?.*|/list\.s?html?)$", re.I)


def fallback_nav_links(tree, base: str) -> list[Link]:
    """Column links of a home page without a navigation container: short on-host link texts
    pointing at a listing (a folder, ``index.html``, ``/col/colNNN/``), not at an article."""
    host = host_of_url(base)
    out: list[Link] = []
    seen: set[str] = set()
    for link in links(tree, base):
        text = link.text.strip()
        if host_of_url(link.url) != host or _is_home(link.url) or link.url in seen:
            continue
        if not (2 <= len(text) <= 10) or text in ("首页", "更多", "更多>>", "网站首页") or date_from_url(link.url):
            continue
        path = link.url.split("://", 1)[-1].split("?", 1)[0]
        if "/" not in path or not _LISTING_PATH.search("/" + path.split("/", 1)[1]):
            continue
        seen.add(link.url)
        out.append(link)
    return out


def _is_home(url: str) -> bool:
    path = url.split("://", 1)[-1].split("/", 1)[1] if "/" in url.split("://", 1)[-1] else ""
    return path in ("", "index.html", "index.htm", "index.shtml", "default.html", "default.htm")


def _is_ancestor(a, b) -> bool:
    node = b.getparent()
    while node is not None:
        if node is a:
            return True
        node = node.getparent()
    return False


def _closest(el, tag: str):
    node = el
    while node is not None:
        if node.tag == tag:
            return node
        node = node.getparent()
    return None


def list_items(tree, base: str) -> list[ListItem]:
    """Dated entries of a list page (or of a home page's blocks), in document order."""
    items: list[ListItem] = []
    year: int | None = None
    seen: set[tuple[str, str | None]] = set()
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "dt", "strong", "b", "p", "div", "span"):
            if len(el) == 0 or el.tag.startswith("h"):
                y = year_heading(text_of(el))
                if y is not None:
                    year = y
                    continue
        if el.tag not in ("li", "tr", "dd") and not (el.tag in _BLOCK_ITEMS and _block_item(el)):
            continue
        if el.find(".//li") is not None or el.find(".//tr") is not None:
            continue  # a container of items, not an item
        anchors = [a for a in el.iter("a") if absolute(base, a.get("href"))]
        if not anchors or is_chrome(el):
            continue
        main = max(anchors, key=lambda a: len(text_of(a) or a.get("title") or ""))
        title = (main.get("title") or "").strip() or text_of(main)
        if not title:
            continue
        url = absolute(base, main.get("href"))
        rest = text_of(el).replace(text_of(main), " ", 1)
        if el.tag == "dt":
            # <dl><dt><a>标题</a></dt><dd>2022-06-17</dd>: the date is the next dd's
            dd = el.getnext()
            if dd is not None and dd.tag == "dd" and not list(dd.iter("a")):
                rest += " " + text_of(dd)
        date = parse_month_day(rest, year) or parse_compact_date(rest)
        if date is None:
            date, block = _split_date(el)
            if block is not None and _is_ancestor(main, block) and not (main.get("title") or "").strip():
                title = " ".join(text_of(main).replace(text_of(block), " ", 1).split()) or title
        if date is None:
            # the whole row is the link (<a><span>标题</span><span>2022-06-17</span></a>, or 标题 [2022-06-17]):
            # the date was inside the anchor's text, the entry undated (its column "not updated") and
            # the date part of its title
            date, cell = _date_in_link(main, year)
            if date is not None and not (main.get("title") or "").strip():
                title = " ".join(text_of(main).replace(cell, " ", 1).split()) or title
        source = "list" if date else None
        if date is None:
            date = date_from_url(url)
            source = "url" if date else None
        key = (title, url)
        if key in seen:
            continue
        seen.add(key)
        items.append(ListItem(title, url, date, source, truncated=_looks_cut(title)))
    return items


# a list written without li/tr (<div class="item"><a>标题</a><span>2022-06-17</span></div>, <dl><dt><a>…</a></dt>
# <dd>date</dd></dl>): a block of one link and one date, beside blocks of its own kind
_BLOCK_ITEMS = ("div", "p", "dt", "article", "section")


def _spaced_text(el, skip=None) -> str:
    """The text of ``el``, a space between its elements' texts (``<b>17</b><span>2022-06</span>`` is
    ``17 2022-06``, not 172022-06), ``skip``'s subtree left out."""
    parts: list[str] = []

    def walk(node):
        if node is skip:
            if node.tail and node is not el:
                parts.append(node.tail)
            return
        if isinstance(node.tag, str) and node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if node is not el and node.tail:
            parts.append(node.tail)

    walk(el)
    return " ".join(" ".join(parts).split())


def _dated(text: str) -> int:
    return len(list(find_dates(text))) + len(_SPLIT_DATES.findall(text))


def _block_item(el) -> bool:
    """A div/p/dt/article/section that is one entry of a list: one to three links, one date (in its text,
    after it in a dd, or split over its own elements), no list inside, and a sibling of its own tag and
    class (a list's next entry)."""
    parent = el.getparent()
    if parent is None or not any(s is not el and s.tag == el.tag and s.get("class") == el.get("class") for s in parent):
        return False  # (cheap tests first: most blocks are a page's layout)
    anchors = 0
    for a in el.iter("a"):
        anchors += bool(a.get("href"))
        if anchors > 3:
            return False
    if not anchors or el.find(".//li") is not None or el.find(".//tr") is not None:
        return False
    text = _spaced_text(el)
    if any(_dated(_spaced_text(child)) for child in el.iterdescendants(*_BLOCK_ITEMS) if child.find(".//a") is not None):
        return False  # a container of entries (each a block with its link and date)
    if el.tag == "dt" and el.getnext() is not None and el.getnext().tag == "dd":
        text += " " + _spaced_text(el.getnext())
    if len(text) > 300 or _dated(text) != 1:
        return False
    return any(s is not el and s.tag == el.tag and s.get("class") == el.get("class") and s.find(".//a") is not None
               for s in parent)


# a date split over a block's elements, the day apart (<b>17</b><span>2022-06</span>, <p>2022.06</p><p>17</p>)
_SPLIT_DATES = re.compile(
    r"(?<![\d.\-/])(?:([0-3]?\d)\s+((?:19|20)\d\d)\s*[-./年]\s*([01]?\d)\s*月?"
    r"|((?:19|20)\d\d)\s*[-./年]\s*([01]?\d)\s*月?\s+([0-3]?\d)\s*日?"
    r"|([01]?\d)\s*[-./]\s*([0-3]?\d)\s+((?:19|20)\d\d))(?![\d.\-/])")


def _split_date(el) -> tuple[dt.date | None, object]:
    """The date of an entry whose day is written apart from its year and month (calendar-style date
    blocks: ``<div class="date"><b>17</b><span>2022-06</span></div>``): read from a block of the entry
    holding only such a date, outside or inside its link.  They were undated entries."""
    anchor = next((a for a in el.iter("a") if a.get("href")), None)
    for node in el.iter():
        if not isinstance(node.tag, str) or not len(node):
            continue
        # the entry itself, its link left out (<li><span>17</span><span>2022/06</span><a>…</a></li>), or a block of it
        text = _spaced_text(node, skip=anchor) if node is el else _spaced_text(node)
        if not text or len(text) > 24 or _DATE_CELL_REST.sub("", text):
            continue
        m = _SPLIT_DATES.fullmatch(text.strip())
        if m is None:
            continue
        g = m.groups()
        y, mo, d = (g[1], g[2], g[0]) if g[0] else (g[3], g[4], g[5]) if g[3] else (g[8], g[6], g[7])
        try:
            return dt.date(int(y), int(mo), int(d)), node
        except ValueError:
            return None, None
    return None, None


_DATE_CELL_REST = re.compile(r"[\s\d０-９年月日号\-/.．－／:：\[\]【】()（）]|发布|时间|日期|更新")
_TRAILING_DATE = re.compile(r"[\s\[【(（]+([^\s\[【(（]+?)[\]】)）]?\s*$")


def _date_in_link(anchor, year: int | None) -> tuple[dt.date | None, str]:
    """(date, its text) of a list entry whose date is written inside its link: an element of the
    anchor holding only a date (``<span class="time">2022-06-17</span>``, ``发布时间：06-17`` under a
    year heading), or a date closing the link's text after a space or bracket (``标题 [2022-06-17]``);
    (None, "") otherwise.  A date inside the title's own words (关于2021年12月1日起施行的通知) is
    none of these."""
    for node in anchor.iter():
        if node is anchor or not isinstance(node.tag, str):
            continue
        text = text_of(node)
        if not text or len(text) > 24 or _DATE_CELL_REST.sub("", text):
            continue
        day = parse_month_day(text, year) or parse_compact_date(text)
        if day is not None:
            return day, text
    m = _TRAILING_DATE.search(text_of(anchor))
    if m and m.start() > 0:
        day = parse_date(m.group(1)) or parse_compact_date(m.group(1))
        if day is not None:
            return day, m.group(0).strip()
    return None, ""


def _looks_cut(text: str) -> bool:
    return text.rstrip().endswith(("…", "...", "……", "。。。"))


ATTACHMENT_SUFFIXES = (".doc", ".docx", ".xls", ".xlsx", ".pdf", ".ofd", ".txt", ".wps", ".csv", ".et")
_ATTACHMENT_NAME = re.compile(r"\.(?:" + "|".join(s.lstrip(".") for s in ATTACHMENT_SUFFIXES) + r")(?![a-z0-9])", re.I)


def is_attachment_link(url: str, text: str | None) -> bool:
    """A link to a file: its path ends with an attachment suffix, or a query value does (a CMS
    download script, ``downfile.jsp?filename=2206101234.xlsx``), or its text names the file
    (``补贴发放对象名单.xlsx``, linked to ``/attach/get?id=991``)."""
    path, _, query = url.partition("?")
    if path.lower().endswith(ATTACHMENT_SUFFIXES):
        return True
    if query and any(v.lower().endswith(ATTACHMENT_SUFFIXES) for v in re.split(r"[&=]", query.split("#", 1)[0])):
        return True
    return bool(text and _ATTACHMENT_NAME.search(text))


_REFRESH = re.compile(r"^\s*\d*(?:\.\d+)?\s*[;,]?\s*url\s*=\s*['\"]?([^'\"\s]+)", re.I)
_SCRIPT_GO = re.compile(r"(?:window\.|self\.|top\.|document\.)?location(?:\.href)?\s*=\s*['\"]([^'\"]+)['\"]"
                        r"|location\.(?:replace|assign)\(\s*['\"]([^'\"]+)['\"]", re.I)


def forward_target(tree, base: str) -> str | None:
    """Where a forwarding page sends the visitor (``<meta http-equiv="refresh" content="0;url=
    /index.shtml">``, ``window.location.href="…"``, ``<body onload="location.href=…">``, a frameset's
    only or ``main`` frame, a page-wide ``<iframe>``): a page of next to no links of its own that
    only forwards; None for any other page (a home page that reloads itself every few minutes)."""
    if sum(1 for _ in links(tree, base)) > 5:
        return None
    for meta in tree.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "refresh":
            m = _REFRESH.match(meta.get("content") or "")
            if m:
                return absolute(base, m.group(1))
    for script in tree.iter("script"):
        m = _SCRIPT_GO.search(script.text or "")
        if m:
            return absolute(base, m.group(1) or m.group(2))
    body = tree.find("body")
    m = _SCRIPT_GO.search(body.get("onload") or "") if body is not None else None
    if m:  # <body onload="location.href='/index.shtml'">
        return absolute(base, m.group(1) or m.group(2))
    # a frameset or a page-wide iframe wrapping the real home page (older county sites): the wrapper
    # was judged as the home page (no dated item, no channel: 首页长期未更新 and 互动回应差)
    frames = [f for f in tree.iter("frame", "iframe") if (f.get("src") or "").strip()
              and not (f.get("src") or "").strip().lower().startswith(("about:", "javascript:"))]
    if len(frames) > 1:
        frames = [f for f in frames if tree.find(".//frameset") is not None
                  and any(k in f"{f.get('name', '')} {f.get('id', '')}".lower() for k in ("main", "content"))]
    if len(frames) == 1 and (frames[0].tag == "frame" or _wraps_the_page(frames[0], body)):
        return absolute(base, frames[0].get("src").strip())
    return None


_FULL_SIZE = re.compile(r"100\s*(?:%|v[wh])")


def _wraps_the_page(iframe, body) -> bool:
    """Whether an iframe is the page (100% wide or high, or next to no text beside it): a home page
    of few links (its menu drawn by a script) with a weather or video iframe was judged as that widget."""
    size = " ".join(iframe.get(k) or "" for k in ("width", "height", "style"))
    if _FULL_SIZE.search(size):
        return True
    return body is None or len("".join(body.text_content().split())) <= 40


def iframe_sources(tree, base: str) -> list[str]:
    """Absolute URLs of the page's iframes (a column whose list is framed in)."""
    out = []
    for frame in tree.iter("iframe", "frame"):
        url = absolute(base, frame.get("src"))
        if url and url not in out:
            out.append(url)
    return out


def main_text(tree) -> str:
    """Text outside navigation, header, footer, breadcrumb and pagination."""
    body = tree.find("body")
    root = body if body is not None else tree
    parts: list[str] = []

    def walk(el):
        if not isinstance(el.tag, str):
            return
        if el.tag in _CHROME_TAGS or _tokens(el) & _CHROME_TOKENS:
            return
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(root)
    return " ".join("".join(parts).split())


def has_blank_marker(text: str) -> bool:
    return bool(_BLANK_TEXT.search(text))


_NOT_FOUND = re.compile(r"(?:页面|网页|文件|信息|内容)(?:不存在|未找到|找不到|已被?删除|已被?移除|已过期)|找不到(?:该|您要访问的|您所访问的)?(?:页面|网页)"
                        r"|(?:访问|请求)的(?:页面|网页|资源)(?:不存在|已删除)|\b404\s*(?:not found|error|错误)|\bpage not found\b|错误\s*404|404\s*错误",
                        re.I)


def not_found_page(tree) -> bool:
    """A "page not found" page answered with HTTP 200 (a CMS's error template: 抱歉，您访问的页面不存在！): a
    short page whose title or text says so.  It was a blank column (a real 404 is a page that is gone)."""
    title = tree.find(".//title")
    heading = " ".join(text_of(h) for h in tree.iter("h1", "h2", "h3"))
    text = main_text(tree)
    return len(text) < 300 and bool(_NOT_FOUND.search(f"{text_of(title) if title is not None else ''} {heading} {text}"))


def script_only_page(tree) -> bool:
    """A page that shows nothing without its scripts: no text to speak of, at most one link, and a
    script (a web firewall's challenge such as 瑞数's ``$_ts``, or an application drawn in the browser,
    ``<div id="app"></div>``).  Judged as it is, such a home page had no dated item and no channel:
    首页长期未更新 and 互动回应差 for a site a visitor sees whole."""
    if tree.find(".//script") is None or tree.find(".//frame") is not None or tree.find(".//iframe") is not None:
        return False
    if sum(1 for a in tree.iter("a") if (a.get("href") or "").strip()) > 1:
        return False
    body = tree.find("body")
    if body is None:
        return True
    text = "".join(t for el in body.iter() if isinstance(el.tag, str) and el.tag not in ("script", "style", "noscript")
                   for t in (el.text or "",))
    text += "".join(el.tail or "" for el in body.iter() if el is not body)
    text = "".join(text.split())
    return len(text) < 20 and not has_blank_marker(text)


# a script that fetches a list and writes it into the page (a list drawn in the browser: the snapshot
# holds the empty container only)
# (list markup built in a string or a template: a visit counter or a weather widget writing one value is none)
_RENDERS = re.compile(r"['\"]\s*<(?:li|tr|td|a|dd|dt|div|p|span)\b|v-for|\btemplate\b|laypage|\brender\w*\s*\(|"
                      r"innerHTML\s*\+=|\.tmpl\s*\(", re.I)
_FETCHES = re.compile(r"\$\.(?:ajax|get|getJSON|post)\s*\(|\bjQuery\.(?:ajax|get|getJSON)\s*\(|\bfetch\s*\(|XMLHttpRequest|\baxios\b|"
                      r"\.load\s*\(\s*['\"]", re.I)


def script_drawn_list(tree, base: str) -> str | None:
    """Where the page's list comes from when a script fetches and draws it (``$.getJSON('/api/list?cid=12',
    …render…)``): the address, or the page's own when the script names none; None otherwise.  Such a
    column showed nothing in the snapshot: a blank column, not updated."""
    templated = any(el.get("v-for") is not None or el.get("ng-repeat") is not None for el in tree.iter())
    for script in tree.iter("script"):
        code = script.text or ""
        if script.get("src") or not _FETCHES.search(code) or not (templated or _RENDERS.search(code)):
            continue
        m = _ENDPOINT.search(code) or re.search(r"\$\.(?:get|getJSON|post)\s*\(\s*" + _QUOTED + r"|\.load\s*\(\s*" + _QUOTED, code)
        if m is None:
            return base
        groups = [g for g in m.groups() if g and g not in ("'", '"')]
        where = absolute(base, groups[-1]) if groups else None
        if where is None or host_of_url(where) == host_of_url(base):
            return where or base
    return None


def pagination_links(tree, base: str) -> list[str]:
    """Further pages of a list: 下一页 and numbered links in pagination, and the TRS
    ``createPageHTML(total, current, "index", "html")`` script."""
    out: list[str] = []
    host = host_of_url(base)
    for link in links(tree, base):
        label = link.text.strip()
        if host_of_url(link.url) != host:
            continue
        in_pager = any(_tokens(a) & {"page", "pages", "pager", "pagination", "paging", "fenye"}
                       for a in _ancestors(link.element))
        if label in _NEXT_TEXT or (in_pager and (label.isdigit() or label in ("尾页", "末页"))):
            out.append(link.url)
    for script in tree.iter("script"):
        m = _PAGE_SCRIPT.search(script.text or "")
        if m:
            total, stem, ext = int(m.group(1)), m.group(3), m.group(4)
            for n in range(1, min(total, 200)):
                out.append(absolute(base, f"{stem}_{n}.{ext}"))
    seen: set[str] = set()
    return [u for u in out if u and not (u in seen or seen.add(u))]


def _ancestors(el):
    node = el
    while node is not None and isinstance(node.tag, str):
        yield node
        node = node.getparent()


def page_date(tree, url: str) -> tuple[dt.date | None, str | None]:
    """A page's own publication date: meta PubDate (and cousins), then a labelled date in
    the text (发布时间：...), then the first date of the main text, then the URL."""
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").strip().lower()
        if key in META_DATE_NAMES:
            d = meta_date(meta.get("content"))
            if d:
                return d, "meta"
    text = main_text(tree)
    for m in _INFO_LABEL.finditer(text):
        d = parse_date(text[m.end(): m.end() + 24]) or parse_compact_date(text[m.end(): m.end() + 10])
        if d:
            return d, "page"
    for d, _, _ in find_dates(text):
        return d, "page"
    d = date_from_url(url)
    return (d, "url") if d else (None, None)


def footer_text(tree) -> str:
    """Text of the footer containers (or of the page's last 1,500 characters)."""
    chunks = [text_of(el) for el in tree.iter() if isinstance(el.tag, str) and
              (el.tag == "footer" or _tokens(el) & _FOOTER_TOKENS)]
    if chunks:
        return " ".join(chunks)
    body = tree.find("body")
    return text_of(body if body is not None else tree)[-1500:]


def has_zhaocuo_entry(tree, base: str) -> bool:
    """The 我为政府网站找错 entry: a link or image naming it, the zfwzzc.www.gov.cn link, or the
    ``_jiucuo_`` script."""
    for link in links(tree, base):
        if "找错" in link.text or "zfwzzc" in link.url or "jiucuo" in link.url.lower():
            return True
    for img in tree.iter("img"):
        if "找错" in (img.get("alt") or "") + (img.get("title") or ""):
            return True
    for script in tree.iter("script"):
        if (script.get("id") or "") == "_jiucuo_" or "jiucuo" in (script.get("src") or "").lower():
            return True
    return False


_SEARCH_ATTR = re.compile(r"search|sousuo|query|chaxun|jiansuo|(?<![a-z])so(?![a-z])", re.I)
_SEARCH_TEXT = re.compile(r"搜\s*索|检\s*索|查\s*询")


def _is_search_form(form) -> bool:
    """A site search or a lookup (信件查询): its action, name, id or class, or its button, says so."""
    attrs = " ".join(filter(None, (form.get(a) for a in ("action", "name", "id", "class", "role"))))
    if _SEARCH_ATTR.search(attrs):
        return True
    labels = [i.get("value") or "" for i in form.iter("input") if i.get("type", "").lower() in ("submit", "button", "image")]
    labels += [b.text_content() for b in form.iter("button")]
    return any(_SEARCH_TEXT.search(t) for t in labels)


# ------------------------------------------------------------------ consultation forms
# A form is a working channel only with a way to send what is written: a submit button posting to
# an address (the form's action, or its own page when it has none), or a script that names where
# it sends (``$.ajax({url: "/hdjl/save"})``, ``form.action = "…"; form.submit()``).  A form whose
# action is ``javascript:void(0)`` or ``#`` with no such script, or with no submit button and no
# handler, sends nothing: it was counted as a working 互动交流 channel.
_NO_ACTION = re.compile(r"^\s*(?:#.*|javascript\s*:\s*(?:void\s*\(\s*0?\s*\)|;|false|undefined)?\s*;?\s*)$", re.I)
_JS_ACTION = re.compile(r"^\s*javascript\s*:(.*)$", re.I | re.S)
_QUOTED = r"""(?:[\w$.\[\]'"]+\s*\+\s*)?(['"])\s*(?!#|javascript:|['"])([^'"\s]+?)\s*\1"""
# a script naming where it sends: an AJAX call, fetch, XMLHttpRequest, a form's action set before submit()
_ENDPOINT = re.compile(
    r"(?:\burl\s*[:=]\s*|\$\.(?:post|get|ajax|getJSON)\s*\(\s*|\bjQuery\.(?:post|ajax)\s*\(\s*|\bfetch\s*\(\s*"
    r"|\baxios(?:\.(?:post|get|put|request))?\s*\(\s*|\.open\s*\(\s*['\"](?:POST|GET|PUT)['\"]\s*,\s*"
    r"|\.action\s*=\s*|\.setAttribute\s*\(\s*['\"]action['\"]\s*,\s*)" + _QUOTED, re.I)
_SUBMIT_CALL = re.compile(r"\.submit\s*\(\s*\)|\.ajaxSubmit\s*\(|\.ajaxForm\s*\(|\.requestSubmit\s*\(")
_CALL = re.compile(r"(?<![\w$.])([A-Za-z_$][\w$]*)\s*\(")
_NOT_A_HANDLER = frozenset(
    "return if for while switch void typeof function alert confirm prompt console eval parseInt String Number "
    "Boolean Array Object Date Math RegExp encodeURIComponent encodeURI escape setTimeout setInterval "
    "$ jQuery this window document".split())
# script files of well-known libraries: they bind no site's form
_LIBRARY = re.compile(r"jquery|bootstrap|layui|layer|vue|react|swiper|echarts|polyfill|html5shiv|respond|"
                      r"modernizr|lodash|underscore|moment|axios|zepto|require|sea|jweixin|superslide", re.I)
_WRITABLE_INPUTS = ("text", "tel", "email", "")
# a handler that only stops the submission (an alert first, maybe): 系统升级中, return false
_BLOCKS = re.compile(r"\s*(?:alert\s*\([^)]*\)\s*;?\s*)?(?:return\s+false|event\.preventDefault\(\))\s*;?\s*", re.I)
_SUBMIT_TYPES = ("submit", "image")


@dataclasses.dataclass(frozen=True)
class FormChannel:
    """What the page's writing form (a 留言/写信 form) shows: ``works`` and why, in Chinese; ``verified``
    False when it works only as far as the snapshot can tell (its sending script is not in it)."""

    works: bool
    reason: str
    verified: bool = True


def _scripts_of(tree) -> tuple[str, list[str]]:
    """(inline script text, the src of the page's script files)."""
    inline, files = [], []
    for script in tree.iter("script"):
        src = (script.get("src") or "").strip()
        if src:
            files.append(src)
        elif script.text and (script.get("type") or "text/javascript").lower().endswith("javascript"):
            inline.append(script.text)
    return "\n".join(inline), files


_DEFINITION = re.compile(r"(?:\bfunction\s+([A-Za-z_$][\w$]*)\s*\([^)]*\)|(?<![\w$.])([A-Za-z_$][\w$]*)\s*[:=]\s*"
                         r"(?:async\s+)?(?:function\s*[\w$]*\s*\([^)]*\)|\([^)]*\)\s*=>|[\w$]+\s*=>))\s*\{")


@functools.lru_cache(maxsize=8)
def _definitions(code: str) -> dict[str, int]:
    """Where each function that ``code`` defines starts its body (``function name(…) {``, ``name =
    function(…) {``, ``name: function``, ``name = (…) => {``): one pass over the page's scripts."""
    out: dict[str, int] = {}
    for m in _DEFINITION.finditer(code):
        out.setdefault(m.group(1) or m.group(2), m.end())
    return out


def _body_of(code: str, name: str) -> str | None:
    """The body of the function ``name`` defined in ``code``, or None."""
    start = _definitions(code).get(name)
    if start is None:
        return None
    depth, i, stop = 1, start, min(len(code), start + 20_000)  # (a body past 20,000 characters is cut there)
    while i < stop and depth:
        depth += {"{": 1, "}": -1}.get(code[i], 0)
        i += 1
    return code[start: i - 1]


MAX_HANDLER_LOOKUPS = 40  # functions looked up for one handler (a minified bundle calls thousands)


def _sends(code: str, scripts: str, action_ok: bool, depth: int = 0, seen: set | None = None) -> tuple[str | None, list[str]]:
    """(where ``code`` sends, the functions it calls that no visible script defines).  Where: the
    address an AJAX call or an action names, or ``action`` when it submits a form with a real action.
    Functions are followed 4 calls deep, ``MAX_HANDLER_LOOKUPS`` in all."""
    m = _ENDPOINT.search(code)
    if m:
        return m.group(2), []
    if action_ok and _SUBMIT_CALL.search(code):
        return "action", []
    seen = set() if seen is None else seen
    unknown: list[str] = []
    for name in dict.fromkeys(_CALL.findall(code)):
        if name in _NOT_A_HANDLER or name in seen or depth >= 4 or len(seen) >= MAX_HANDLER_LOOKUPS:
            continue
        seen.add(name)
        body = _body_of(scripts, name)
        if body is None:
            unknown.append(name)
            continue
        where, more = _sends(body, scripts, action_ok, depth + 1, seen)
        if where:
            return where, []
        unknown += more
    return None, unknown


def _is_writable(el) -> bool:
    return el.get("disabled") is None and el.get("readonly") is None


def _writing_fields(container, in_chrome: bool) -> bool:
    """A place to write: a textarea, or (outside page chrome) a text input beside a button."""
    if any(_is_writable(t) for t in container.iter("textarea")):
        return True
    if in_chrome:
        return False
    inputs = [i for i in container.iter("input") if _is_writable(i)]
    return (any(i.get("type", "text").lower() in _WRITABLE_INPUTS for i in inputs)
            and (any(i.get("type", "").lower() in _SUBMIT_TYPES + ("button",) for i in inputs)
                 or container.find(".//button") is not None or container.find(".//a[@onclick]") is not None))


def _controls(container):
    """(submit buttons, handler code) of a form or a formless block."""
    submits, handlers = [], []
    for el in container.iter("input", "button", "a", "img", "span", "div"):
        if el.get("disabled") is not None:
            continue
        kind = (el.get("type") or "").lower()
        if (el.tag == "input" and kind in _SUBMIT_TYPES) or (el.tag == "button" and kind in ("", "submit")):
            submits.append(el)
        for attr in ("onclick", "onmousedown", "ontouchend"):
            if el.get(attr):
                handlers.append(el.get(attr))
        href = _JS_ACTION.match(el.get("href") or "") if el.tag == "a" else None
        if href and href.group(1).strip():
            handlers.append(href.group(1))
    return submits, handlers


def _ids(container) -> list[str]:
    out = []
    for el in [container, *container.iter("input", "button", "a", "textarea")]:
        for attr in ("id", "name"):
            value = (el.get(attr) or "").strip()
            if value and len(value) >= 2 and value not in out:
                out.append(value)
    return out


def _bound(ids: list[str], scripts: str) -> str | None:
    """The script text after a reference to one of ``ids`` (``#letterForm``, ``getElementById('btn')``,
    ``document.form1``, ``[name=content]``): where a script binds the form's events."""
    chunks = []
    for ident in ids:
        refs = re.finditer(rf"(?:#|getElementById\(\s*['\"]|document\.|forms\[\s*['\"]|name\s*=\s*['\"]?){re.escape(ident)}\b",
                           scripts)
        for m, _ in zip(refs, range(20)):  # the first 20 references of each
            chunks.append(scripts[m.start(): m.start() + 2000])
    return "\n".join(chunks) or None


def form_channel(tree, base: str = "", fetch_script=None) -> FormChannel | None:
    """The page's writing form (a 留言/写信 form: see ``has_form`` for what is one) as a channel:
    working when it has a way to send, else not and why; None when the page has no writing form.

    Evidence, strongest first: a submit button and an action naming an address (or none: the form
    posts to its own page); a handler (``onsubmit``, a button's ``onclick``, ``javascript:send()``)
    or a script bound to the form's or a control's id whose code names where it sends (the page's
    scripts and, with ``fetch_script(url) -> str | None``, the site's script files the snapshot
    holds).  A handler calling a function defined in a script file of the site that the snapshot
    lacks cannot be verified: the form counts, as a channel on another platform does, and says so.
    Not working: an action of ``#`` or ``javascript:void(0)`` with no such script, handlers that send
    nowhere (``alert('系统升级中')``, ``return false``), or no submit button and no handler."""
    inline, files = _scripts_of(tree)
    site_files = [u for u in (absolute(base, f) for f in files) if u and (not base or host_of_url(u) == host_of_url(base))]
    missing = []
    scripts = inline
    for url in site_files:
        text = fetch_script(url) if fetch_script else None
        if text is None:
            missing.append(url)
        else:
            scripts += "\n" + text
    unverified_ok = [u for u in missing if not _LIBRARY.search(u.rsplit("/", 1)[-1])]

    blocks = []
    for form in tree.iter("form"):
        if _is_search_form(form):
            continue
        parent = form.getparent()
        if _writing_fields(form, parent is not None and is_chrome(parent)):
            blocks.append(form)
    body = tree.find("body")
    loose = [t for t in (body.iter("textarea") if body is not None else ()) if _closest(t, "form") is None and _is_writable(t)]
    if loose:
        # a formless guestbook (fields and a button whose script sends them): the block holding them
        block = loose[0].getparent()
        while block is not None and block.getparent() is not None and not _controls(block)[1] and block is not body:
            block = block.getparent()
        blocks.append(block if block is not None else body)
    if not blocks:
        return None
    failures = []
    for block in blocks:
        is_form = block.tag == "form"
        raw_action = (block.get("action") or "") if is_form else ""
        js_action = _JS_ACTION.match(raw_action)
        dead_action = is_form and bool(_NO_ACTION.match(raw_action)) and raw_action.strip() != ""
        action_ok = is_form and not dead_action and not js_action
        submits, handlers = _controls(block)
        if is_form and block.get("onsubmit"):
            handlers.insert(0, block.get("onsubmit"))
        if js_action and not _NO_ACTION.match(raw_action):
            handlers.append(js_action.group(1))
        if action_ok and submits and not handlers:
            return FormChannel(True, "有留言表单")
        unknown: list[str] = []
        bound = _bound(_ids(block), scripts)
        for code in handlers + ([bound] if bound else []):
            where, more = _sends(code, scripts, action_ok)
            if where:
                return FormChannel(True, "有留言表单" if where == "action" else f"有留言表单（由脚本提交至{where}）")
            unknown += more
        blocked = any(_BLOCKS.fullmatch(h) for h in handlers)
        if action_ok and submits and not blocked:
            # handlers that validate and let the submit button post the form (onsubmit="return check()")
            return FormChannel(True, "有留言表单")
        if unknown and unverified_ok:
            return FormChannel(True, "有留言表单（提交脚本不在快照中，未核验）", verified=False)
        if not handlers and submits and dead_action and unverified_ok and _ids(block):
            return FormChannel(True, "有留言表单（提交脚本不在快照中，未核验）", verified=False)
        if blocked:
            failures.append("留言表单无法提交（提交按钮的脚本只是阻止提交或弹出提示）")
        elif handlers:
            failures.append("留言表单无法提交（提交脚本没有指向任何提交地址）")
        elif dead_action:
            failures.append(f"留言表单无法提交（提交地址为“{raw_action.strip()[:40]}”，页面中没有发送表单的脚本）")
        else:
            failures.append("留言表单无法提交（没有提交按钮，也没有提交脚本）")
    return FormChannel(False, failures[0])


def has_form(tree, base: str = "", fetch_script=None) -> bool:
    """A working form where a visitor can write (``form_channel``): a textarea, or a text input
    next to a submit, with a way to send it; a site search box or a lookup form (in the header of
    every page of most sites: it made a 信箱 page showing 暂停使用 a working channel) is not one."""
    found = form_channel(tree, base, fetch_script)
    return found is not None and found.works


# ------------------------------------------------------------------ letter lists
# (a header written with 日期 as with 时间: 提交日期 | 办结日期 tables were no letter list, and a 信箱 page
# showing only its letters "had no form or letter list": a 互动回应差 veto)
_SUBMITTED = ("来信时间", "留言时间", "提交时间", "写信时间", "来信日期", "留言日期", "提交日期", "写信日期", "提问时间",
              "提问日期", "咨询时间", "咨询日期", "发布时间", "时间")
_REPLIED = ("回复时间", "答复时间", "办结时间", "回复日期", "答复日期", "办结日期", "处理时间", "处理日期", "反馈时间", "反馈日期")
_STATUS = ("状态", "办理状态", "处理状态", "回复状态")
_TITLE = ("标题", "信件标题", "留言标题", "主题", "事项")
_LABELLED = re.compile(r"(来信|留言|提交|写信|提问|咨询|回复|答复|办结|处理|反馈)(?:时间|日期)\s*[:：]\s*")


_REPLY_LABEL = re.compile(r"(?:回复|答复|办结|反馈|处理)(?:时间|日期)\s*[:：]?\s*")
ANSWERED_STATUS = re.compile(r"已(?:回复|答复|办结|处理|反馈|完成|回)|^办结$|^回复$")


def reply_date(tree) -> dt.date | None:
    """The reply date a letter's own page gives (答复时间：2022-01-20, a 回复时间 table cell), or None."""
    text = main_text(tree)
    for m in _REPLY_LABEL.finditer(text):
        d = parse_date(text[m.end(): m.end() + 24])
        if d:
            return d
    return None


@dataclasses.dataclass(frozen=True)
class LetterRow:
    title: str
    url: str | None
    submitted: dt.date | None
    replied: dt.date | None
    status: str
    cut: bool  # the list shows the message cut off and gives no way to read it whole


def _header_index(cells: list[str], names: tuple[str, ...]) -> int | None:
    for name in names:
        for i, c in enumerate(cells):
            if name in c.replace(" ", ""):
                return i
    return None


def letter_rows(tree, base: str) -> list[LetterRow]:
    """Rows of letter tables (a header naming 来信时间/回复时间/状态) and of labelled lists
    (``留言时间：2022-03-01 回复时间：2022-03-15``)."""
    out: list[LetterRow] = []
    for table in tree.iter("table"):
        rows = [r for r in table.iter("tr")]
        if len(rows) < 2:
            continue
        # the header row: the first of the first three naming a submission date (a caption row above it)
        for first in range(min(3, len(rows) - 1)):
            header = [text_of(c) for c in rows[first] if isinstance(c.tag, str)]
            sub = _header_index(header, _SUBMITTED[:-2])  # not the bare 时间, which 回复时间 also contains
            if sub is not None:
                break
        rep = _header_index(header, _REPLIED)
        if sub is None or (rep is None and _header_index(header, _STATUS) is None):
            continue
        rows = rows[first:]
        status_i = _header_index(header, _STATUS)
        title_i = _header_index(header, _TITLE)
        for row in rows[1:]:
            cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
            if len(cells) < len(header):
                continue
            texts = [text_of(c) for c in cells]
            anchors = [a for a in row.iter("a") if absolute(base, a.get("href"))]
            title = texts[title_i] if title_i is not None else (text_of(anchors[0]) if anchors else "")
            url = absolute(base, anchors[0].get("href")) if anchors else None
            cut = url is None and any(_looks_cut(t) for t in texts)
            out.append(LetterRow(title, url, parse_date(texts[sub]),
                                 parse_date(texts[rep]) if rep is not None else None,
                                 texts[status_i] if status_i is not None else "", cut))
    if out:
        return out
    for el in tree.iter("li", "dl", "div"):
        if el.find(".//li") is not None or (el.tag == "div" and el.find(".//div") is not None):
            continue
        text = text_of(el)
        labels = list(_LABELLED.finditer(text))
        if not labels or is_chrome(el):
            continue
        submitted = replied = None
        for m in labels:
            d = parse_date(text[m.end(): m.end() + 24])
            if m.group(1) in ("回复", "答复", "办结", "处理", "反馈"):
                replied = replied or d
            else:
                submitted = submitted or d
        if submitted is None:
            continue
        anchors = [a for a in el.iter("a") if absolute(base, a.get("href"))]
        title = text_of(anchors[0]) if anchors else text[: labels[0].start()].strip()
        url = absolute(base, anchors[0].get("href")) if anchors else None
        status = next((s for s in ("已回复", "已答复", "已办结", "未回复", "办理中", "待回复", "处理中") if s in text), "")
        out.append(LetterRow(title, url, submitted, replied, status, url is None and _looks_cut(title)))
    return out
