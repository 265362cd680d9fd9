"""Website snapshots of the demo province, written as a wget-style mirror (``<host>/<path>``).

Three CMS template families, as government sites in Guangdong use them:

- ``trs``: TRS WCM style. Columns at ``/xwzx/gzdt/`` (directory links), pages ``index_1.html``,
  articles ``./202206/t20220615_123456.html``, list dates ``2022-06-15``, ``PubDate`` meta.
- ``hanweb``: 大汉 style. Columns at ``/col/col1234/index.html``, pages ``index_2.html``, articles
  ``/art/2022/6/15/art_1234_5678.html``, list dates ``2022年6月15日`` and ``2022/06/15`` in tables.
- ``gdzwy``: the provincial intensive platform. Columns at ``/zwgk/tzgg/index.html``, articles
  ``content/post_123456.html``, list dates ``[06-15]`` under a year heading and ``2022.06.15``;
  policy documents end with the 成文日期 in Chinese numerals (二〇二二年六月十五日).

Every site has a home page with navigation, news, notice/policy and other columns, an
互动交流 section (a 留言 form and a paginated letter list with submitted and replied dates),
and a footer with the 网站标识码 and the 我为政府网站找错 entry.  A site's ``profile``
decides what is planted on it (see ``registry.py``).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import html
import random
from pathlib import Path

from corpora.demo import text as T

AS_OF = dt.date(2022, 6, 20)
FAMILIES = ("trs", "hanweb", "gdzwy")

NEWS = ["要闻", "工作动态", "部门动态", "基层动态", "图片新闻"]
NOTICE = ["通知公告", "政策文件", "政策解读"]
OTHER = list(k for k in T.OTHER_TITLES if k != "就莞用")
SLUGS = {
    "要闻": "yw", "工作动态": "gzdt", "部门动态": "bmdt", "基层动态": "jcdt", "图片新闻": "tpxw",
    "通知公告": "tzgg", "政策文件": "zcwj", "政策解读": "zcjd", "人事信息": "rsxx", "规划计划": "ghjh",
    "财政资金": "czzj", "统计数据": "tjsj", "建议提案办理": "jyta", "重点领域信息公开": "zdly",
    "审计信息": "sjxx", "应急管理": "yjgl", "行政执法": "xzzf", "公共服务": "ggfw", "就莞用": "jgy",
}


def _d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


@dataclasses.dataclass
class Item:
    date: dt.date
    title: str
    body: list[str]
    table: list[list[str]] | None = None  # a 公示 list: header + rows
    article_id: int = 0
    url: str = ""


@dataclasses.dataclass
class Column:
    name: str
    cls: str  # news | notice | other
    slug: str
    section: str
    items: list[Item]
    col_id: int = 0

    @property
    def blank(self) -> bool:
        return not self.items


@dataclasses.dataclass
class Letter:
    title: str
    question: str
    submitted: dt.date
    replied: dt.date | None
    answer: str
    letter_id: int = 0


@dataclasses.dataclass
class SitePlan:
    site: object  # registry.Site
    family: str
    columns: list[Column]
    letters: list[Letter]
    channel: bool = True  # a working consultation channel
    letters_cut: bool = False
    as_of: dt.date = AS_OF


# --- planning -------------------------------------------------------------------------------

def _short_unit(site) -> str:
    return site.sponsor.removesuffix("人民政府办公室").removesuffix("办公室") or site.sponsor


def _dates(rng: random.Random, latest: dt.date, n: int, gap: tuple[int, int]) -> list[dt.date]:
    out, d = [], latest
    for _ in range(n):
        out.append(d)
        d = d - dt.timedelta(days=rng.randint(*gap))
    return out


def _fresh_news(rng: random.Random, as_of: dt.date) -> dt.date:
    return as_of - dt.timedelta(days=rng.randint(0, 11))  # 2022-06-09 .. 2022-06-20


def plan_site(site, seed: int, as_of: dt.date = AS_OF) -> SitePlan:
    """What to render for one site; every date is relative to ``as_of`` (the time point)."""
    rng = random.Random(f"{seed}:{site.code}")
    family = FAMILIES[int(site.code[-4:]) % 3] if site.kind != "portal" else FAMILIES[int(site.code[:6]) % 3]
    unit = _short_unit(site)
    profile = site.profile
    n_other = {"blank_columns": 7, "blank_columns_4": 6}.get(profile, 6 if site.kind == "portal" else 4)
    others = rng.sample(OTHER, n_other)
    names = NEWS + NOTICE + others + (["就莞用"] if profile == "test_content" else [])

    # latest date per column
    stale = set()
    if profile == "stale_columns":
        stale = {"工作动态", "部门动态", "基层动态", "图片新闻", "通知公告", "政策文件"}
    elif profile == "stale_columns_4":
        stale = {"工作动态", "部门动态", "基层动态", "图片新闻"}
    blank = set()
    if profile == "blank_columns":
        blank = set(others[:6])
    elif profile == "blank_columns_4":
        blank = set(others[:4])

    columns = []
    next_id = rng.randint(100000, 900000)
    for idx, name in enumerate(names):
        cls = "news" if name in NEWS else "notice" if name in NOTICE else "other"
        section = {"news": "xwzx", "notice": "zwgk", "other": "zwgk"}[cls]
        if name in blank:
            columns.append(Column(name, cls, SLUGS[name], section, [], col_id=1000 + idx))
            continue
        if cls == "news":
            if name in stale:
                latest = as_of - dt.timedelta(days=15) if profile == "stale_columns_4" and name == "工作动态" \
                    else as_of - dt.timedelta(days=92 - rng.randint(0, 70))
            elif profile == "edge_14_days" and name == "工作动态":
                latest = as_of - dt.timedelta(days=14)  # exactly two weeks: still updated
            else:
                latest = _fresh_news(rng, as_of)
            n, gap = (3 if name in ("工作动态",) else 2), (3, 12)
            if name == "工作动态":
                n = 5  # two on page 2
        elif cls == "notice":
            latest = (as_of - dt.timedelta(days=323 - rng.randint(0, 100))) if name in stale \
                else as_of - dt.timedelta(days=rng.randint(2, 60))
            n, gap = (4 if name == "通知公告" else 2), (15, 45)
        else:
            latest = as_of - dt.timedelta(days=rng.randint(3, 150))
            n, gap = 2, (30, 90)
        items = []
        for d in _dates(rng, latest, n, gap):
            topic = rng.choice(T.TOPICS)
            if cls == "news":
                title = rng.choice(T.NEWS_TITLES).format(unit=unit, topic=topic)
            elif name == "通知公告":
                title = rng.choice(T.NOTICE_TITLES).format(unit=unit, topic=topic)
            elif name == "政策文件":
                title = rng.choice(T.POLICY_TITLES).format(unit=site.sponsor, topic=topic)
            elif name == "政策解读":
                title = rng.choice(T.INTERPRET_TITLES).format(unit=unit, topic=topic)
            else:
                title = rng.choice(T.OTHER_TITLES[name]).format(unit=unit, topic=topic)
            leader = "习近平" if cls == "news" and rng.random() < 0.15 else None
            body = T.paragraphs(rng, unit, topic, rng.randint(2, 4), leader=leader)
            next_id += rng.randint(3, 40)
            items.append(Item(d, title, body, article_id=next_id))
        columns.append(Column(name, cls, SLUGS[name], section, items, col_id=1000 + idx))

    col = {c.name: c for c in columns}
    if profile == "wording_error":
        # a leader's name written wrongly, in an article inside the inspection window
        item = col["工作动态"].items[1]
        item.date = as_of - dt.timedelta(days=33)  # 2022-05-18: inside the inspection window
        item.title = f"{unit}召开理论学习中心组学习会议"
        item.body = T.paragraphs(rng, unit, "政务公开", 2)
        item.body.insert(0, "会议强调，要深入学习贯彻习进平新时代中国特色社会主义思想，"
                            "坚定拥护“两个确立”，坚决做到“两个维护”。")
    if profile == "test_content":
        item = col["就莞用"].items[0]
        item.date = as_of - dt.timedelta(days=25)  # 2022-05-26: inside the inspection window
        item.title = "测试"
        item.body = ["测试测试测试", "请输入标题", "test"]
    if profile == "masked_list":
        item = col["通知公告"].items[0]
        item.title = f"关于2022年{rng.choice(['就业补贴', '临时救助', '耕地地力保护补贴'])}拟发放对象的公示"
        rows = [["序号", "姓名", "身份证号码", "联系电话", "金额（元）"]]
        for i in range(1, 6):
            rows.append([str(i), T.mask_name(T.synthetic_name(rng)),
                         T.mask_id(T.synthetic_resident_id(rng, site.division)),
                         T.mask_mobile(T.synthetic_mobile(rng)), str(rng.randint(5, 30) * 100)])
        item.table = rows
        item.body = ["现将拟发放对象名单予以公示，公示期为5个工作日。如有异议，请在公示期内向"
                     f"{site.sponsor}书面反映。"]
    # sort each column's items newest first
    for c in columns:
        c.items.sort(key=lambda i: i.date, reverse=True)

    letters = _letters(rng, unit, as_of)
    return SitePlan(site, family, columns, letters, channel=profile != "no_channel",
                    letters_cut=profile == "letters_cut", as_of=as_of)


_LETTER_TOPICS = ["小区周边道路积水", "子女入学政策", "社保转移接续", "公积金提取", "老旧小区加装电梯",
                  "营业执照办理", "噪音扰民", "公交线路调整", "医保报销", "不动产登记", "路灯维修"]


def _letters(rng: random.Random, unit: str, as_of: dt.date) -> list[Letter]:
    out = []
    day = as_of - dt.timedelta(days=rng.randint(1, 5))
    for i in range(6):
        topic = rng.choice(_LETTER_TOPICS)
        replied = None if i == 0 else day + dt.timedelta(days=rng.randint(1, 15))
        if replied and replied > as_of:
            replied = as_of
        out.append(Letter(
            title=f"关于{topic}问题的咨询",
            question=f"您好，我想咨询一下{topic}的相关问题，具体需要准备哪些材料、到哪里办理？希望尽快答复，谢谢。",
            submitted=day, replied=replied,
            answer=f"您好，来信收悉。关于您反映的{topic}问题，经核实，我单位已安排专人跟进处理，"
                   f"具体可咨询{unit}办事窗口。感谢您的关注与支持。",
            letter_id=rng.randint(10000, 99999)))
        day -= dt.timedelta(days=rng.randint(10, 45))
    return out


# --- rendering ------------------------------------------------------------------------------

_CSS = {"trs": "/css/style.css", "hanweb": "/script/hanweb.css", "gdzwy": "/static/css/main.css"}
_CN_DIGITS = "〇一二三四五六七八九"


def _cn_date(d: dt.date) -> str:
    def num(n: int) -> str:
        if n < 10:
            return _CN_DIGITS[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    return "".join(_CN_DIGITS[int(c)] for c in str(d.year)) + f"年{num(d.month)}月{num(d.day)}日"


def _e(s: str) -> str:
    return html.escape(s, quote=True)


class _Renderer:
    def __init__(self, plan: SitePlan):
        self.plan = plan
        self.site = plan.site
        self.family = plan.family
        self.pages: dict[str, str] = {}

    # URL scheme of each family ----------------------------------------------------------
    def column_url(self, c: Column, page: int = 0) -> str:
        if self.family == "trs":
            return f"/{c.section}/{c.slug}/" + ("" if page == 0 else f"index_{page}.html")
        if self.family == "hanweb":
            return f"/col/col{c.col_id}/index" + ("" if page == 0 else f"_{page + 1}") + ".html"
        return f"/{c.section}/{c.slug}/index" + ("" if page == 0 else f"_{page + 1}") + ".html"

    def article_url(self, c: Column, it: Item) -> str:
        d = it.date
        if self.family == "trs":
            return f"/{c.section}/{c.slug}/{d:%Y%m}/t{d:%Y%m%d}_{it.article_id}.html"
        if self.family == "hanweb":
            return f"/art/{d.year}/{d.month}/{d.day}/art_{c.col_id}_{it.article_id}.html"
        return f"/{c.section}/{c.slug}/content/post_{it.article_id}.html"

    @staticmethod
    def file_of(url: str) -> str:
        path = url.lstrip("/")
        return path + "index.html" if path.endswith("/") or path == "" else path

    # page frame ----------------------------------------------------------------------------
    def frame(self, title: str, body: str, pubdate: dt.date | None = None) -> str:
        s = self.site
        meta = f'\n<meta name="PubDate" content="{pubdate:%Y-%m-%d} 09:30">' if pubdate else ""
        return (
            f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            f'<title>{_e(title)}</title>\n<meta name="SiteName" content="{_e(s.name)}">\n'
            f'<meta name="SiteIDCode" content="{s.code}">{meta}\n'
            f'<link rel="stylesheet" href="{_CSS[self.family]}">\n</head>\n<body>\n'
            f'<div class="header"><div class="logo"><a href="/">{_e(s.name.removesuffix("网站"))}</a></div></div>\n'
            f"{self.nav()}\n<div class=\"main\">\n{body}\n</div>\n{self.footer()}\n</body>\n</html>\n"
        )

    def nav(self) -> str:
        groups: dict[str, list[Column]] = {"新闻中心": [], "政务公开": []}
        for c in self.plan.columns:
            groups["新闻中心" if c.cls == "news" else "政务公开"].append(c)
        parts = ['<li><a href="/">首页</a></li>']
        for gname, cols in groups.items():
            sub = "".join(f'<li><a href="{self.column_url(c)}">{_e(c.name)}</a></li>' for c in cols)
            parts.append(f'<li class="drop"><a href="{self.column_url(cols[0])}">{gname}</a><ul class="sub">{sub}</ul></li>')
        parts.append('<li><a href="https://www.gdzwfw.gov.cn/" target="_blank">办事服务</a></li>')
        parts.append('<li><a href="/hdjl/">互动交流</a></li>')
        cls = {"trs": "nav", "hanweb": "menu", "gdzwy": "gd-nav"}[self.family]
        return f'<div class="{cls}"><ul>{"".join(parts)}</ul></div>'

    def footer(self) -> str:
        s = self.site
        icp = 10000000 + int(s.code[-6:]) * 7 % 9000000
        jiucuo = (f'<script id="_jiucuo_" sitecode="{s.code}" src="/js/jiucuo.js"></script>'
                  if self.family == "trs" else "")
        return (
            '<div class="footer">\n'
            f'<p>主办单位：{_e(s.sponsor)}　承办：{_e(s.sponsor)}信息中心</p>\n'
            f'<p>网站标识码：{s.code}　<a href="https://beian.miit.gov.cn/" target="_blank">粤ICP备{icp}号</a></p>\n'
            f'<p>{jiucuo}<a class="jiucuo" href="https://zfwzzc.www.gov.cn/check_web/errorSubmit_new.jsp?sitecode={s.code}" '
            'target="_blank"><img src="/images/jiucuo.png" alt="我为政府网站找错">我为政府网站找错</a></p>\n'
            '</div>'
        )

    # list pages ----------------------------------------------------------------------------
    def list_html(self, c: Column, items: list[Item], page: int, pages: int) -> str:
        if not items:
            return '<div class="list-empty">暂无信息</div>'
        if self.family == "trs":
            lis = "".join(
                f'<li><a href="./{it.date:%Y%m}/t{it.date:%Y%m%d}_{it.article_id}.html" title="{_e(it.title)}" '
                f'target="_blank">{_e(it.title)}</a><span class="date">{it.date:%Y-%m-%d}</span></li>\n'
                for it in items)
            out = f'<ul class="list">\n{lis}</ul>'
        elif self.family == "hanweb":
            fmt = (lambda d: f"{d.year}年{d.month}月{d.day}日") if c.cls != "other" else (lambda d: f"{d:%Y/%m/%d}")
            trs = "".join(
                f'<tr><td class="bt"><a href="{it.url}" target="_blank">{_e(it.title)}</a></td>'
                f'<td class="bt_time">{fmt(it.date)}</td></tr>\n' for it in items)
            out = f'<table class="list" width="100%">\n{trs}</table>'
        else:
            if c.cls == "news":
                chunks, year = [], None
                for it in items:
                    if it.date.year != year:
                        if year is not None:
                            chunks.append("</ul>")
                        year = it.date.year
                        chunks.append(f'<h3 class="year">{year}年</h3>\n<ul class="news-list">')
                    chunks.append(f'<li><a href="{it.url}">{_e(it.title)}</a><span>[{it.date:%m-%d}]</span></li>')
                chunks.append("</ul>")
                out = "\n".join(chunks)
            else:
                lis = "".join(f'<li><a href="{it.url}">{_e(it.title)}</a><em>{it.date:%Y.%m.%d}</em></li>\n'
                              for it in items)
                out = f'<ul class="doc-list">\n{lis}</ul>'
        if pages > 1:
            links = []
            for p in range(pages):
                if p == page:
                    links.append(f"<span class=\"current\">{p + 1}</span>")
                else:
                    links.append(f'<a href="{self.column_url(c, p)}">{p + 1}</a>')
            if page + 1 < pages:
                links.append(f'<a class="next" href="{self.column_url(c, page + 1)}">下一页</a>')
            out += f'\n<div class="page">共{pages}页 {" ".join(links)}</div>'
        return out

    def article_html(self, c: Column, it: Item) -> str:
        paras = "".join(f"<p>{_e(p)}</p>\n" for p in it.body)
        if it.table:
            rows = "".join("<tr>" + "".join(f"<td>{_e(x)}</td>" for x in r) + "</tr>\n" for r in it.table)
            paras += f'<table class="gs" border="1">\n{rows}</table>\n'
        if c.name == "政策文件":
            paras += f'<p class="sign">{_e(self.site.sponsor)}</p>\n<p class="sign">{_cn_date(it.date)}</p>\n'
        if self.family == "trs":
            info = f'<div class="info">发布时间：{it.date:%Y-%m-%d} 09:30　来源：{_e(self.site.sponsor)}</div>'
        elif self.family == "hanweb":
            info = f'<div class="info">发布日期：{it.date.year}年{it.date.month:02d}月{it.date.day:02d}日　信息来源：{_e(self.site.sponsor)}</div>'
        else:
            info = f'<div class="info"><span>时间：{it.date:%Y-%m-%d} 09:30:00</span><span>来源：{_e(self.site.sponsor)}</span></div>'
        crumbs = f'<div class="crumbs"><a href="/">首页</a> &gt; <a href="{self.column_url(c)}">{_e(c.name)}</a></div>'
        body = f'{crumbs}\n<div class="article">\n<h1>{_e(it.title)}</h1>\n{info}\n<div class="content">\n{paras}</div>\n</div>'
        return self.frame(it.title, body, pubdate=it.date)

    # the whole site ----------------------------------------------------------------------
    def render(self) -> dict[str, str]:
        for c in self.plan.columns:
            for it in c.items:
                it.url = self.article_url(c, it)
        for c in self.plan.columns:
            per_page = 3
            chunks = [c.items[i:i + per_page] for i in range(0, len(c.items), per_page)] or [[]]
            for p, chunk in enumerate(chunks):
                crumbs = f'<div class="crumbs"><a href="/">首页</a> &gt; {_e(c.name)}</div>'
                body = f'{crumbs}\n<div class="column"><h2 class="col-title">{_e(c.name)}</h2>\n{self.list_html(c, chunk, p, len(chunks))}\n</div>'
                self.pages[self.file_of(self.column_url(c, p))] = self.frame(f"{c.name}-{self.site.name}", body)
            for it in c.items:
                self.pages[self.file_of(it.url)] = self.article_html(c, it)
        self.pages["index.html"] = self.home()
        self.interaction()
        return self.pages

    def home(self) -> str:
        news = sorted((it for c in self.plan.columns if c.cls == "news" for it in c.items),
                      key=lambda i: i.date, reverse=True)[:6]
        notices = sorted((it for c in self.plan.columns if c.cls == "notice" for it in c.items),
                         key=lambda i: i.date, reverse=True)[:5]

        def block(title: str, items: list[Item], more: str) -> str:
            lis = "".join(f'<li><a href="{it.url}">{_e(it.title)}</a><span>{it.date:%Y-%m-%d}</span></li>' for it in items)
            return f'<div class="box"><div class="box-title"><h3>{title}</h3><a class="more" href="{more}">更多</a></div><ul>{lis}</ul></div>'

        cols = self.plan.columns
        body = (block("要闻动态", news, self.column_url(cols[0]))
                + block("通知公告", notices, self.column_url(next(c for c in cols if c.name == "通知公告")))
                + '<div class="box quick"><a href="/hdjl/">互动交流</a> <a href="https://www.gdzwfw.gov.cn/">广东政务服务网</a></div>')
        return self.frame(self.site.name.removesuffix("网站"), body)

    def interaction(self) -> None:
        unit = _short_unit(self.site)
        box = "区长信箱" if self.site.kind == "portal" else "局长信箱"
        entries = []
        if self.plan.channel:
            entries.append(f'<li><a href="/hdjl/zxts/">咨询投诉</a></li><li><a href="/hdjl/zxts/">{box}</a></li>')
        else:
            entries.append('<li><a href="/hdjl/xzxx/">县长信箱</a></li>')
        entries.append('<li><a href="/hdjl/zxft/">在线访谈</a></li>')
        entries.append('<li><a href="https://www.gdwsxf.gov.cn/" target="_blank">网上信访</a></li>')
        entries.append('<li><a href="https://www.12388.gov.cn/" target="_blank">纪检举报</a></li>')
        self.pages["hdjl/index.html"] = self.frame(
            f"互动交流-{self.site.name}",
            f'<div class="crumbs"><a href="/">首页</a> &gt; 互动交流</div>\n<ul class="hd-entries">{"".join(entries)}</ul>')
        # 在线访谈: an interaction column with dated entries and no consultation function
        talks = "".join(f'<li>{_e(unit)}负责同志做客在线访谈：解读{_e(t)}<span>{d:%Y-%m-%d}</span></li>'
                        for d, t in ((self.plan.as_of - dt.timedelta(days=40), "稳经济政策"),
                                     (self.plan.as_of - dt.timedelta(days=130), "民生实事")))
        self.pages["hdjl/zxft/index.html"] = self.frame(
            f"在线访谈-{self.site.name}", f'<h2 class="col-title">在线访谈</h2><ul class="talks">{talks}</ul>')
        if not self.plan.channel:
            self.pages["hdjl/xzxx/index.html"] = self.frame(
                f"县长信箱-{self.site.name}",
                '<h2 class="col-title">县长信箱</h2>\n<div class="notice">系统升级维护中，留言功能暂停使用，恢复时间另行通知。</div>')
            return
        form = (
            '<form class="letter-form" action="/hdjl/zxts/submit" method="post">\n'
            '<p><label>姓名：<input type="text" name="name"></label></p>\n'
            '<p><label>联系电话：<input type="text" name="phone"></label></p>\n'
            '<p><label>标题：<input type="text" name="title"></label></p>\n'
            '<p><label>留言内容：<textarea name="content" rows="6"></textarea></label></p>\n'
            '<p><input type="submit" value="提交留言"></p>\n</form>')
        letters = self.plan.letters
        pages = [letters[:4], letters[4:]]
        for p, chunk in enumerate(pages):
            rows = []
            for i, lt in enumerate(chunk, start=1 + 4 * p):
                replied = f"{lt.replied:%Y-%m-%d}" if lt.replied else ""
                status = "已回复" if lt.replied else "办理中"
                if self.plan.letters_cut:
                    title = _e(lt.title[:6]) + "…"
                    rows.append(f"<tr><td>{i}</td><td>{title}</td><td>{_e(lt.question[:10])}…</td>"
                                f"<td>{lt.submitted:%Y-%m-%d}</td><td>{replied}</td><td>{status}</td></tr>")
                else:
                    href = f"/hdjl/zxts/{lt.submitted:%Y%m}/t{lt.submitted:%Y%m%d}_{lt.letter_id}.html"
                    rows.append(f'<tr><td>{i}</td><td><a href="{href}">{_e(lt.title)}</a></td>'
                                f"<td>{lt.submitted:%Y-%m-%d}</td><td>{replied}</td><td>{status}</td></tr>")
                    self.pages[self.file_of(href)] = self.letter_page(lt)
            head = ("<tr><th>序号</th><th>信件标题</th><th>内容</th><th>来信时间</th><th>回复时间</th><th>状态</th></tr>"
                    if self.plan.letters_cut else
                    "<tr><th>序号</th><th>信件标题</th><th>来信时间</th><th>回复时间</th><th>状态</th></tr>")
            nav = ('<div class="page">共2页 <span class="current">1</span> <a href="/hdjl/zxts/index_1.html">2</a> '
                   '<a class="next" href="/hdjl/zxts/index_1.html">下一页</a></div>' if p == 0 else
                   '<div class="page">共2页 <a href="/hdjl/zxts/">1</a> <span class="current">2</span></div>')
            body = (f'<div class="crumbs"><a href="/">首页</a> &gt; <a href="/hdjl/">互动交流</a> &gt; 咨询投诉</div>\n'
                    f'<h2 class="col-title">咨询投诉</h2>\n{form if p == 0 else ""}\n'
                    f'<table class="letters">\n{head}\n' + "\n".join(rows) + f"\n</table>\n{nav}")
            name = "hdjl/zxts/index.html" if p == 0 else "hdjl/zxts/index_1.html"
            self.pages[name] = self.frame(f"咨询投诉-{self.site.name}", body)

    def letter_page(self, lt: Letter) -> str:
        reply = (f'<div class="reply"><p>答复单位：{_e(self.site.sponsor)}</p><p>答复时间：{lt.replied:%Y-%m-%d}</p>'
                 f"<p>答复内容：{_e(lt.answer)}</p></div>" if lt.replied else '<div class="reply"><p>办理状态：办理中</p></div>')
        body = (f'<div class="letter"><h1>{_e(lt.title)}</h1><p>来信时间：{lt.submitted:%Y-%m-%d}</p>'
                f"<p>来信内容：{_e(lt.question)}</p>{reply}</div>")
        return self.frame(lt.title, body)


def render_site(site, seed: int, as_of: dt.date = AS_OF) -> dict[str, str]:
    """Relative file path (under the host directory) -> HTML, for one site."""
    return _Renderer(plan_site(site, seed, as_of)).render()


def write_site(site, seed: int, mirror: Path, as_of: dt.date = AS_OF) -> int:
    root = mirror / site.host
    count = 0
    dirs: set[Path] = set()
    for rel, content in render_site(site, seed, as_of).items():
        path = root / rel
        if path.parent not in dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            dirs.add(path.parent)
        path.write_text(content, encoding="utf-8")
        count += 1
    return count
