"""The site model: what a website shows, built from its snapshot alone.

``build_site_model(entry, pages, options)`` reads the home page, its navigation (the
first-level columns), each column's list pages (following pagination), the consultation
channels and their letter lists, and the footer.  Items are dated by their own list
entry, their link (``t20220620``) or, failing both, by their article page (meta PubDate,
发布时间).  Crawl metadata never dates anything.  Every page that cannot be used becomes a
``(url, reason)`` skip; nothing here raises for a bad page.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from typing import Any

from ..errors import InputError
from ..extract.snapshot import Page, SitePages, host_of_url
from . import html as H
from .columns import ColumnClassifier

# (网上问政, 我要建议, 意见建议 are such channels too: a site whose only one was named so "had none", a veto;
# 建议提案 and 代表建议 are the 公开 of deputies' motions, no channel)
_CHANNEL = re.compile(r"留言|咨询|建言|信箱|写信|来信|我要写信|诉求|民意征集箱|问政|我要建议|意见建议|投诉建议|意见和建议")
_NOT_CHANNEL = re.compile(r"在线访谈|访谈|网上信访|信访|纪检|举报|找错|调查征集|征集调查|意见征集|网上调查|提案|代表建议|委员建议")
_DISABLED = re.compile(r"暂停使用|暂停服务|停止使用|维护中|升级维护|系统维护|无法使用|已关闭|暂不开放|功能关闭|暂未开通")
MAX_REDIRECTS = 5
MAX_LETTER_PAGES = 300  # letter pages read per site for a reply date the list does not show
MAX_SCRIPT_BYTES = 512 * 1024  # of a script file read for where a guestbook form sends
_UNANSWERED = re.compile(r"未回复|未答复|未办结|办理中|处理中|待回复|待处理|待答复|受理中")


@dataclasses.dataclass
class Item:
    title: str
    url: str | None
    date: dt.date | None
    date_source: str | None
    column: str

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "url": self.url, "date": self.date.isoformat() if self.date else None,
                "date_source": self.date_source, "column": self.column}


@dataclasses.dataclass
class Column:
    name: str
    url: str
    level: int  # 1: in the home page's navigation; 2: found on a column page
    kind: str  # news | notice | interaction | other
    status: str = "ok"  # ok | missing (not in the snapshot, its capture failed for now, its list drawn by a script) | error (HTTP 404, unreadable)
    reason: str = ""
    items: list[Item] = dataclasses.field(default_factory=list)
    pages: int = 0
    blank_marker: bool = False
    text_chars: int = 0
    subcolumns: int = 0  # sub-column links on a first-level column's page (a gateway, not a blank column)

    @property
    def latest(self) -> dt.date | None:
        dates = [i.date for i in self.items if i.date]
        return max(dates) if dates else None

    def latest_until(self, as_of: dt.date) -> dt.date | None:
        """Newest item date on or before the time point (later dates are ignored)."""
        dates = [i.date for i in self.items if i.date and i.date <= as_of]
        return max(dates) if dates else None

    @property
    def blank(self) -> bool:
        """No items, and the page says so (暂无信息) or shows next to no text of its own; a
        first-level column whose page leads to its sub-columns is their gateway, not blank."""
        return (self.status == "ok" and not self.items and not self.subcolumns
                and (self.blank_marker or self.text_chars < 30))

    @property
    def dated(self) -> bool:
        return any(i.date for i in self.items)


@dataclasses.dataclass
class Channel:
    name: str
    url: str
    works: bool
    reason: str  # why it works or does not


@dataclasses.dataclass
class Letter:
    title: str
    url: str | None
    submitted: dt.date | None
    replied: dt.date | None
    status: str
    cut: bool
    page: str


@dataclasses.dataclass
class SiteModel:
    host: str
    home_url: str
    home_ok: bool = False
    home_reason: str = ""
    home_items: list[Item] = dataclasses.field(default_factory=list)
    columns: list[Column] = dataclasses.field(default_factory=list)
    channels: list[Channel] = dataclasses.field(default_factory=list)
    letters: list[Letter] = dataclasses.field(default_factory=list)
    footer: str = ""
    zhaocuo: bool = False
    pages_read: int = 0
    skips: list[tuple[str, str]] = dataclasses.field(default_factory=list)

    def skip_counts(self) -> Counter:
        return Counter(reason_kind(r) for _, r in self.skips)

    def all_items(self) -> list[Item]:
        out, seen = [], set()
        for item in self.home_items + [i for c in self.columns for i in c.items]:
            key = item.url or item.title
            if key in seen:
                continue
            seen.add(key)
            out.append(item)
        return out


# page errors that are the snapshot's (a record cut short), never the site's (scanner.extract.warc)
_CRAWL_ARTEFACTS = ("truncated WARC record", "truncated or corrupt WARC record")
# a capture that failed for the moment: the server overloaded or a gateway timing out (502-504), the
# crawler rate-limited or challenged by the site's firewall (429, 瑞数's 412), no answer; the page may well
# be there for a visitor (站点无法访问 is the probes' to judge).  A 404 or 410 is a page that is gone, a 500
# the page's own error: they count.
_FAILED_FOR_NOW = re.compile(r"HTTP (?:50[234]|429|412|0)$")


def reason_kind(reason: str) -> str:
    """The reason without its details, for counting (``huge page (12 MB)`` -> ``huge page``)."""
    return re.split(r"[(:（]", reason, maxsplit=1)[0].strip()


@dataclasses.dataclass(frozen=True)
class ModelOptions:
    max_list_pages: int = 30
    max_columns: int = 200
    date_from_article: bool = True
    trust_external_channels: bool = True
    classifier: ColumnClassifier = dataclasses.field(default_factory=ColumnClassifier)


class _Reader:
    """Page access for one site, with parse caching, redirects and skip recording."""

    def __init__(self, pages: SitePages, model: SiteModel):
        self.pages = pages
        self.model = model
        self.cache: dict[str, Any] = {}
        self.off_host: dict[str, str] = {}  # url -> the other host's URL it redirects to

    def fetch(self, url: str) -> Page | None:
        seen = [url]
        page = self.pages.get(url)
        while page is not None and 300 <= page.status < 400 and page.location:
            nxt = H.absolute(page.url, page.location)
            if nxt is None or nxt in seen or len(seen) > MAX_REDIRECTS:
                self.model.skips.append((url, "redirect loop" if nxt in seen else "too many redirects"))
                return None
            if host_of_url(nxt) != self.model.host:
                self.off_host[url] = nxt
            seen.append(nxt)
            page = self.pages.get(nxt)
        return page

    def script(self, url: str) -> str | None:
        """The text of a script file of the site the snapshot holds (a guestbook's sending code), or None."""
        if host_of_url(url) != self.model.host:
            return None
        key = ("script", url)
        if key not in self.cache:
            page = self.fetch(url)
            text = None
            if page is not None and not page.error and page.status == 200 and page.data:
                text = page.data[:MAX_SCRIPT_BYTES].decode("utf-8", "replace")
            self.cache[key] = text
        return self.cache[key]

    def tree(self, url: str):
        """(tree, error): the parsed page, or None and why."""
        if url in self.cache:
            return self.cache[url]
        page = self.fetch(url)
        if page is None:
            result = (None, "missing")
        elif page.error:
            self.model.skips.append((url, page.error))
            result = (None, page.error)
        elif page.status >= 400 or page.status == 0:
            self.model.skips.append((url, f"HTTP {page.status}"))
            result = (None, f"HTTP {page.status}")
        elif page.media_type and "html" not in page.media_type.lower() and "xml" not in page.media_type.lower():
            result = (None, f"not HTML ({page.media_type})")
        else:
            self.model.pages_read += 1
            try:
                tree, _ = H.parse_html(page.data, url)
                result = (tree, None)
            except InputError as exc:
                self.model.skips.append((url, exc.reason))
                result = (None, exc.reason)
        self.cache[url] = result
        return result


def build_site_model(host: str, home_url: str, pages: SitePages, options: ModelOptions | None = None) -> SiteModel:
    options = options or ModelOptions()
    model = SiteModel(host=host, home_url=home_url)
    reader = _Reader(pages, model)
    home, why = reader.tree(home_url)
    if home is None:
        model.home_reason = "home page not in the snapshot" if why == "missing" else f"home page unusable: {why}"
        if why == "missing" and home_url in reader.off_host:
            # the site moved (x.gov.cn -> www.x.gov.cn, a new domain): a registry matter; it read
            # "home page not in the snapshot", which it is, as a redirect
            model.home_reason = (f"home page redirects to another host ({reader.off_host[home_url]}); "
                                 "update the registry's 网站地址 to the site's new address")
            model.skips.append((home_url, "home page redirects to another host"))
        elif why == "missing":
            model.skips.append((home_url, "home page not in the snapshot"))
        return model
    for _ in range(MAX_REDIRECTS):  # index.html forwarding to the real home page (meta refresh, script)
        target = H.forward_target(home, home_url)
        if target is None or host_of_url(target) != host or target == home_url:
            break
        forwarded, _ = reader.tree(target)
        if forwarded is None:
            break
        home, home_url = forwarded, target
        model.home_url = home_url
    if H.script_only_page(home):
        # a firewall's challenge (瑞数's $_ts) or a page drawn in the browser: the snapshot holds no content
        model.home_reason = ("home page is empty without its scripts (a web firewall's challenge, or a page drawn "
                             "in the browser); crawl it again with a browser")
        model.skips.append((home_url, "home page is empty without its scripts"))
        return model
    model.home_ok = True
    model.footer = H.footer_text(home)
    model.zhaocuo = H.has_zhaocuo_entry(home, home_url)
    model.home_items = [_item(reader, li, "首页", options) for li in H.list_items(home, home_url)
                        if li.url is None or host_of_url(li.url) == host or li.date is not None]

    # first-level columns: the navigation; second-level: sub-navigation of column pages
    nav = H.nav_links(home, home_url) or H.fallback_nav_links(home, home_url)
    queue = [(link.text, link.url, 1) for link in nav]
    known = {url for _, url, _ in queue} | {home_url}
    first_level = set(known)
    interaction_pages: list[tuple[str, str]] = []
    i = 0
    while i < len(queue) and len(model.columns) < options.max_columns:
        name, url, level = queue[i]
        i += 1
        kind = options.classifier.classify(name)
        column = Column(name, url, level, kind)
        model.columns.append(column)
        tree, why = reader.tree(url)
        if tree is None:
            # a capture the crawl cut short is the snapshot's fault, not the site's: not judged, like a
            # page the crawl did not fetch (it was an unreadable column, "not updated": five such
            # columns at the end of an interrupted WARC vetoed the site 多个栏目长期未更新)
            lost = why == "missing" or (why or "").startswith(_CRAWL_ARTEFACTS) or bool(_FAILED_FOR_NOW.match(why or ""))
            column.status = "missing" if lost else "error"
            column.reason = why or ""
            if why == "missing" and url in reader.off_host:
                # a column kept on another platform (政务公开 on the county's 信息公开 site): not judged here, said so
                column.reason = f"column page redirects to another host ({reader.off_host[url]})"
                model.skips.append((url, column.reason))
            elif why == "missing":
                model.skips.append((url, "column page not in the snapshot"))
            continue
        if kind == "interaction":
            interaction_pages.append((name, url))
        _read_column(reader, column, tree, options)
        if not column.items:
            unjudged = _unjudged_column(tree, url, kind)
            if unjudged is not None:
                column.status, column.reason = unjudged
                model.skips.append((url, column.reason))
        for link in H.links(tree, url):
            if host_of_url(link.url) != host or not link.text:
                continue
            if level == 1 and _in_subnav(link.element) and link.url not in first_level:
                column.subcolumns += 1  # a gateway to its sub-columns, which are judged themselves
            if link.url in known:
                continue
            if _in_subnav(link.element) and level == 1:
                known.add(link.url)
                queue.append((link.text, link.url, 2))

    for _name, url, _level in queue[i:]:
        # columns beyond [scan] max_columns are not judged: each is a skip (they were left out without a word)
        model.skips.append((url, f"column limit reached ({options.max_columns} columns a site)"))
    _find_channels(reader, model, home, interaction_pages, options)
    return model


def _unjudged_column(tree, url: str, kind: str) -> tuple[str, str] | None:
    """(status, reason) of a column page without entries that is no blank column: an error page answered
    with 200 (gone, as a 404: "error"), a list drawn by a script from an address the snapshot does not
    hold, or a page empty without its scripts (a firewall's challenge): not judged ("missing"), like a page
    the crawl did not fetch.  Each was a blank column (and not updated)."""
    if kind != "interaction" and H.not_found_page(tree):
        return "error", "page not found (an error page answered with HTTP 200)"
    drawn = H.script_drawn_list(tree, url) if kind != "interaction" else None
    if drawn is not None:
        return "missing", f"column list drawn by a script ({drawn})"
    if H.script_only_page(tree):
        return "missing", "page empty without its scripts"
    return None


def _in_subnav(el) -> bool:
    for node in H._ancestors(el):
        toks = H._tokens(node)
        if toks & {"subnav", "sidebar", "side", "leftnav", "sub", "submenu", "lanmu"}:
            return True
    return False


def _item(reader: _Reader, li: H.ListItem, column: str, options: ModelOptions) -> Item:
    date, source = li.date, li.date_source
    if date is None and options.date_from_article and li.url:
        tree, _ = reader.tree(li.url)
        if tree is not None:
            date, source = H.page_date(tree, li.url)
    return Item(li.title, li.url, date, source, column)


def _read_column(reader: _Reader, column: Column, tree, options: ModelOptions) -> None:
    host = reader.model.host
    pages = [column.url]
    visited = {column.url}
    current = tree
    column.pages = 0
    while current is not None:
        column.pages += 1
        found = H.list_items(current, pages[-1])
        framed = ""
        if column.pages == 1 and not found:
            # the list (or the text) in an <iframe> of the site (older CMSs): read it, and its pagination
            for src in H.iframe_sources(current, column.url):
                if src in visited or host_of_url(src) != host:
                    continue
                visited.add(src)
                inner, _ = reader.tree(src)
                if inner is None:
                    continue
                inner_items = H.list_items(inner, src)
                if inner_items:
                    found, current = inner_items, inner
                    pages.append(src)
                    break
                framed += " " + H.main_text(inner)
        for li in found:
            if li.url is not None and host_of_url(li.url) != host and li.date is None:
                continue  # an undated link elsewhere (友情链接); a dated one is the column's item (国务院信息 reprints)
            column.items.append(_item(reader, li, column.name, options) if column.kind != "interaction"
                                 else Item(li.title, li.url, li.date, li.date_source, column.name))
        if column.pages == 1:
            text = H.main_text(current) + framed
            column.blank_marker = H.has_blank_marker(text)
            column.text_chars = len(text.replace(column.name, "", 1))
        if column.kind == "interaction" or column.pages >= options.max_list_pages:
            break
        nxt = None
        for url in H.pagination_links(current, pages[-1]):
            if url not in visited:
                nxt = url
                break
        if nxt is None:
            break
        visited.add(nxt)
        pages.append(nxt)
        current, _ = reader.tree(nxt)
    # de-duplicate items repeated across pages
    seen, items = set(), []
    for it in column.items:
        key = (it.title, it.url)
        if key not in seen:
            seen.add(key)
            items.append(it)
    column.items = items


def _find_channels(reader: _Reader, model: SiteModel, home, interaction_pages, options: ModelOptions) -> None:
    """Consultation channels (留言, 咨询, 建言, 信箱) linked from the home page or its interaction
    columns; each is checked for a working form or letter list, and its letters are read."""
    candidates: list[tuple[str, str]] = []
    seen: set[str] = set()

    def consider(tree, base):
        for link in H.links(tree, base):
            if _CHANNEL.search(link.text) and not _NOT_CHANNEL.search(link.text) and link.url not in seen:
                seen.add(link.url)
                candidates.append((link.text, link.url))

    consider(home, model.home_url)
    for name, url in interaction_pages:
        tree, _ = reader.tree(url)
        # an interaction column named for a channel, or one whose own page is the channel (互动交流 holding
        # the 留言 form or the letters, with no link named 信箱 anywhere: it "had no channel", a veto)
        own = tree is not None and (H.form_channel(tree, url, reader.script) is not None or bool(H.letter_rows(tree, url)))
        if (_CHANNEL.search(name) or own) and not _NOT_CHANNEL.search(name) and url not in seen:
            seen.add(url)
            candidates.append((name, url))
        if tree is not None:
            consider(tree, url)
    letter_keys: set[tuple] = set()
    detail_reads = 0
    for name, url in candidates:
        if host_of_url(url) != model.host:
            model.channels.append(Channel(name, url, options.trust_external_channels,
                                          "外部平台（未在快照中核验）"))
            continue
        tree, why = reader.tree(url)
        if tree is None:
            model.channels.append(Channel(name, url, False, "页面无法访问" if why != "missing" else "页面未采集到"))
            continue
        text = H.main_text(tree)
        form = H.form_channel(tree, url, reader.script)
        # (a form whose sending script the snapshot lacks counts as a channel on another platform does)
        has_form = form is not None and form.works and (form.verified or options.trust_external_channels)
        disabled = H.has_blank_marker(text) and not has_form
        m = _DISABLED.search(text)
        rows = _letters_with_pages(reader, tree, url, options)
        for row in rows:
            key = (row.title, row.submitted, row.url)
            if key not in letter_keys:
                letter_keys.add(key)
                replied = row.replied
                if replied is None and row.url and host_of_url(row.url) == model.host and \
                        not _UNANSWERED.search(row.status or "") and detail_reads < MAX_LETTER_PAGES:
                    # a list without a 回复时间 column (标题 | 来信时间 | 状态): the letter's own page dates the reply
                    detail_reads += 1
                    detail, _ = reader.tree(row.url)
                    replied = H.reply_date(detail) if detail is not None else None
                model.letters.append(Letter(row.title, row.url, row.submitted, replied, row.status, row.cut, url))
        framed = None if (m or has_form or rows) else _framed_channel(reader, tree, url, model.host, options)
        if framed is not None:
            model.channels.append(Channel(name, url, *framed))
        elif m and not has_form:
            model.channels.append(Channel(name, url, False, f"页面显示“{m.group(0)}”"))
        elif has_form or rows:
            model.channels.append(Channel(name, url, True, form.reason if has_form else "有信件列表"))
        elif form is not None:  # a form that sends nothing (action="javascript:void(0)", no submit button), or unverified
            model.channels.append(Channel(name, url, False, form.reason))
        elif disabled:
            model.channels.append(Channel(name, url, False, "页面无内容"))
        else:
            model.channels.append(Channel(name, url, False, "页面没有留言表单或信件列表"))


def _framed_channel(reader: _Reader, tree, url: str, host: str, options: ModelOptions) -> tuple[bool, str] | None:
    """(works, why) of a channel page whose form or letter list is framed in (``<iframe
    src="/guestbook/">``, or the provincial platform's form embedded); None without such a frame."""
    for src in H.iframe_sources(tree, url):
        if host_of_url(src) != host:
            return options.trust_external_channels, "嵌入外部平台的留言页面（未在快照中核验）"
        inner, _ = reader.tree(src)
        if inner is None:
            continue
        m = _DISABLED.search(H.main_text(inner))
        form = H.form_channel(inner, src, reader.script)
        if form is not None and form.works and (form.verified or options.trust_external_channels):
            return True, f"{form.reason}（页面内嵌）"
        if m:
            return False, f"内嵌页面显示“{m.group(0)}”"
        if H.letter_rows(inner, src):
            return True, "有信件列表（页面内嵌）"
        if form is not None:
            return False, f"内嵌页面的{form.reason}"
    return None


def _letters_with_pages(reader: _Reader, tree, url: str, options: ModelOptions) -> list[H.LetterRow]:
    rows = list(H.letter_rows(tree, url))
    visited = {url}
    current, base = tree, url
    for _ in range(options.max_list_pages):
        nxt = next((u for u in H.pagination_links(current, base) if u not in visited), None)
        if nxt is None:
            break
        visited.add(nxt)
        current, _ = reader.tree(nxt)
        if current is None:
            break
        base = nxt
        rows.extend(H.letter_rows(current, nxt))
    return rows
