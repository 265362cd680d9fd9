"""Builders of site models and account units for the unit-check tests (no HTML needed)."""
from __future__ import annotations

import datetime as dt

from scanner.site.accounts import AccountUnit, Post
from scanner.site.model import Column, Item, Letter, SiteModel
from scanner.site.registry import AccountEntry, SiteEntry
from scanner.site.scan import SiteUnit

AS_OF = dt.date(2022, 6, 20)
SINCE = dt.date(2022, 4, 1)
ENTRY = SiteEntry(2, "测试", "测试网站", "测试单位", "http://t.gov.cn/", "t.gov.cn", "4401000001")
ACCOUNT = AccountEntry(2, "测试", "测试发布", "微信订阅号", "测试单位", "440100M001WX0001")


def d(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def column(name: str, kind: str, *dates: str | None, level: int = 1, status: str = "ok", blank: bool = False) -> Column:
    c = Column(name, f"http://t.gov.cn/{name}/", level, kind, status=status)
    c.items = [Item(f"{name}{i}", f"http://t.gov.cn/{name}/{i}.html", d(x), "list" if x else None, name)
               for i, x in enumerate(dates)]
    c.text_chars = 0 if blank else 200
    c.blank_marker = blank
    return c


def site(columns=(), home=(), letters=(), channels=(), footer="网站标识码：4401000001", zhaocuo=True) -> SiteUnit:
    model = SiteModel("t.gov.cn", "http://t.gov.cn/", home_ok=True, columns=list(columns), channels=list(channels),
                      footer=footer, zhaocuo=zhaocuo)
    model.home_items = [Item(f"首页{i}", f"http://t.gov.cn/h{i}.html", d(x), "list", "首页") for i, x in enumerate(home)]
    model.letters = [Letter(t, None, d(s), d(r), st, cut, "http://t.gov.cn/hdjl/") for t, s, r, st, cut in letters]
    return SiteUnit(ENTRY, model, AS_OF, SINCE)


def post(date: str, kind: str = "article", text: str = "正文", name: str = "测试发布", title: str = "标题", line: int = 1) -> Post:
    return Post(line, ACCOUNT.code, name, "微信订阅号", d(date), f"{date}T10:00:00+08:00", title,
                f"https://mp.weixin.qq.com/s/{line}", kind, text, False)


def account(*posts: Post) -> AccountUnit:
    return AccountUnit(ACCOUNT, list(posts), AS_OF, SINCE)


class KillsItsWorker:
    """A site's pages handle that kills the process unpickling it: a site that crashes its
    worker (out of memory, a segfault in a parser) in a ``--workers N`` scan."""

    def __reduce__(self):
        import os

        return os._exit, (3,)
