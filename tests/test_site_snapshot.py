"""Snapshot readers: wget mirrors and WARC files (warcio), truncated records, huge pages,
redirect loops; the site model over each encoding and each list date form."""
import datetime as dt
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scanner.extract import mirror as mirror_mod
from scanner.extract.mirror import MirrorSnapshot
from scanner.extract.snapshot import open_snapshot, url_key
from scanner.extract.warc import WarcSnapshot
from scanner.site.model import build_site_model

FIXTURES = Path(__file__).parent / "fixtures" / "sites"
MIRROR = FIXTURES / "mirror"
D = dt.date.fromisoformat


def model_of(host, snapshot=None):
    snap = snapshot or MirrorSnapshot(MIRROR)
    return build_site_model(host, f"http://{host}/", snap.site(host))


@pytest.mark.parametrize("url, key", [
    ("http://A.gov.cn/x/../y/index.html#top", "a.gov.cn/y/index.html"),
    ("https://a.gov.cn", "a.gov.cn/"),
    ("http://a.gov.cn:8080/p?q=1", "a.gov.cn:8080/p?q=1"),
    ("http://a.gov.cn/%E6%B5%8B.html", "a.gov.cn/测.html"),
])
def test_url_key(url, key):
    assert url_key(url) == key


def test_mirror_lookup():
    site = MirrorSnapshot(MIRROR).site("ok.fixture.gov.cn")
    assert site.get("http://ok.fixture.gov.cn/").status == 200  # index.html
    assert site.get("http://ok.fixture.gov.cn/yw/").data.startswith(b"<!DOCTYPE html>")
    assert site.get("http://ok.fixture.gov.cn/gzdt/index_1.html") is not None
    assert site.get("http://ok.fixture.gov.cn/nothing/") is None
    assert site.get("http://ok.fixture.gov.cn/../../etc/passwd") is None


@pytest.mark.parametrize("stored", [
    "list.jsp?page=2", "list.jsp?page=2.html",
    # wget on Windows (--restrict-file-names=windows, its default there) writes ? as @: such a
    # mirror's paginated lists and download links were "not in the snapshot"
    "list.jsp@page=2", "list.jsp@page=2.html",
])
def test_mirror_query_file_names(tmp_path, stored):
    (tmp_path / "x.gov.cn" / "yw").mkdir(parents=True)
    (tmp_path / "x.gov.cn" / "yw" / stored).write_text("<html><body>第2页</body></html>", encoding="utf-8")
    page = MirrorSnapshot(tmp_path).site("x.gov.cn").get("http://x.gov.cn/yw/list.jsp?page=2")
    assert page is not None and page.media_type == "text/html" and "第2页".encode() in page.data


# ------------------------------------------------------------------ each date form of a list
def test_list_date_forms():
    model = model_of("ok.fixture.gov.cn")
    cols = {c.name: c for c in model.columns}
    assert list(cols) == ["要闻", "工作动态", "通知公告", "政策文件", "人事信息", "统计数据", "规划计划", "机构职能", "互动交流"]
    kinds = {c.name: c.kind for c in model.columns}
    assert kinds["要闻"] == "news" and kinds["通知公告"] == "notice" and kinds["人事信息"] == "other"
    assert kinds["互动交流"] == "interaction"
    latest = {n: c.latest for n, c in cols.items()}
    assert latest["要闻"] == D("2022-06-20")  # 2022-06-20 and 2022/06/10
    assert [i.date for i in cols["工作动态"].items] == [D("2022-06-06"), D("2022-05-20"), D("2022-05-01"), D("2022-04-10")]
    assert cols["工作动态"].pages == 2  # pagination followed (2022.06.06, 2022-5-20, 2022年5月1日 | 2022年04月10日)
    assert latest["通知公告"] == D("2021-12-20")  # 2021年12月20日 in a table
    assert [i.date for i in cols["政策文件"].items] == [D("2022-05-18"), D("2022-03-02")]  # [05-18] under 2022年
    assert latest["人事信息"] == D("2022-05-10")  # 二〇二二年五月十日
    assert (latest["统计数据"], cols["统计数据"].items[0].date_source) == (D("2022-04-15"), "url")  # t20220415
    assert (latest["规划计划"], cols["规划计划"].items[0].date_source) == (D("2022-02-15"), "meta")  # PubDate
    assert not cols["机构职能"].blank and not cols["机构职能"].items
    assert [(l.submitted, l.replied) for l in model.letters][:2] == [(D("2022-03-20"), D("2022-06-20")),
                                                                     (D("2022-03-21"), None)]
    assert len(model.letters) == 3  # letter list pagination followed
    assert any(ch.works for ch in model.channels)
    assert "4401000001" in model.footer and model.zhaocuo


@pytest.mark.parametrize("entries, expected", [
    # a calendar-style date block, the day apart from the year and month: the entries were undated
    # (their column "not updated" unless every article page was in the snapshot and dated)
    ("<li><div class='date'><b>17</b><span>2022-06</span></div><a href='/a/1.html'>标题一</a></li>"
     "<li><div class='date'><b>9</b><span>2022-06</span></div><a href='/a/2.html'>标题二</a></li>",
     [("标题一", "2022-06-17"), ("标题二", "2022-06-09")]),
    ("<li><div class='date'><p>2022.06</p><p>17</p></div><a href='/a/1.html'>标题一</a></li>", [("标题一", "2022-06-17")]),
    ("<li><span class='day'>17</span><span class='ym'>2022/06</span><a href='/a/1.html'>标题一</a></li>", [("标题一", "2022-06-17")]),
    ("<li><a href='/a/1.html'><div class='date'><b>17</b><span>2022.06</span></div><h3>标题一</h3></a></li>",
     [("标题一", "2022-06-17")]),
    # lists written without li/tr: blocks of one link and one date beside blocks of their kind (the column was blank)
    ("<div class='item'><a href='/a/1.html'>标题一</a><span>2022-06-17</span></div>"
     "<div class='item'><a href='/a/2.html'>标题二</a><span>2022-06-16</span></div>",
     [("标题一", "2022-06-17"), ("标题二", "2022-06-16")]),
    ("<div class='news'><div class='date'><b>17</b><span>2022-06</span></div><div class='t'><a href='/a/1.html'>标题一</a></div></div>"
     "<div class='news'><div class='date'><b>16</b><span>2022-06</span></div><div class='t'><a href='/a/2.html'>标题二</a></div></div>",
     [("标题一", "2022-06-17"), ("标题二", "2022-06-16")]),
    ("<dl><dt><a href='/a/1.html'>标题一</a></dt><dd>2022-06-17</dd><dt><a href='/a/2.html'>标题二</a></dt><dd>2022-06-16</dd></dl>",
     [("标题一", "2022-06-17"), ("标题二", "2022-06-16")]),
    ("<p><a href='/a/1.html'>标题一</a> 2022-06-17</p><p><a href='/a/2.html'>标题二</a> 2022-06-16</p>",
     [("标题一", "2022-06-17"), ("标题二", "2022-06-16")]),
    # near-misses: an article's info line, undated blocks, a block holding two entries, a number beside a title
    ("<h1>某某通知</h1><div class='info'>发布时间：2022-06-17 <a href='/print.html'>打印</a></div><p>正文</p>", []),
    ("<div class='x'><a href='/a/1.html'>标题一</a></div><div class='x'><a href='/a/2.html'>标题二</a></div>", []),
    ("<div class='box'><div class='item'><a href='/a/1.html'>标题一</a> 2022-06-17</div>"
     "<div class='item'><a href='/a/2.html'>标题二</a> 2022-06-16</div></div><div class='box'><a href='/b/'>更多</a></div>",
     [("标题一", "2022-06-17"), ("标题二", "2022-06-16")]),
    ("<li><a href='/a/1.html'>2022年第17期</a><span>浏览 17</span></li>", [("2022年第17期", None)]),
])
def test_list_layouts_and_split_dates(entries, expected):
    from scanner.site.html import list_items, parse_html

    tree, _ = parse_html(f"<html><body><div class='main'>{entries}</div></body></html>".encode(), "t.html")
    got = [(i.title, i.date.isoformat() if i.date else None) for i in list_items(tree, "http://x.gov.cn/a/")]
    assert got == expected


# ------------------------------------------------------------------ encodings
def _summary(model):
    return [(c.name, c.kind, [(i.title, i.date) for i in c.items]) for c in model.columns]


@pytest.mark.parametrize("host, marker", [
    ("gbk.fixture.gov.cn", "（镕）"),
    ("gb2312.fixture.gov.cn", ""),
    ("gb18030.fixture.gov.cn", "（𠮷）"),  # a 4-byte GB18030 character
    ("wrongenc.fixture.gov.cn", "（镕）"),  # GBK bytes declared as UTF-8
])
def test_encodings_read_like_utf8(host, marker):
    ok = _summary(model_of("ok.fixture.gov.cn"))
    other = model_of(host)
    got = _summary(other)
    expected = [(n, k, [(t + marker if t == "市政府召开常务会议" else t, d) for t, d in items]) for n, k, items in ok]
    assert got == expected
    assert "网站标识码" in other.footer


# ------------------------------------------------------------------ WARC
def _warc(path: Path, records, gzip=True):
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=gzip)
        for url, status, headers, body in records:
            http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))


def _mirror_records(host):
    out = []
    for p in sorted((MIRROR / host).rglob("*")):
        if p.is_file():
            rel = p.relative_to(MIRROR / host).as_posix()
            rel = rel[: -len("index.html")] if rel.endswith("index.html") and "_" not in rel.rsplit("/", 1)[-1] else rel
            out.append((f"http://{host}/{rel}", "200 OK", [("Content-Type", "text/html")], p.read_bytes()))
    return out


@pytest.mark.parametrize("gzip", [True, False])
def test_warc_gives_the_same_model_as_the_mirror(tmp_path, gzip):
    path = tmp_path / ("s.warc.gz" if gzip else "s.warc")
    _warc(path, _mirror_records("gbk.fixture.gov.cn"), gzip)
    snap = open_snapshot(path)
    assert isinstance(snap, WarcSnapshot) and snap.hosts() == ["gbk.fixture.gov.cn"] and not snap.problems
    assert _summary(model_of("gbk.fixture.gov.cn", snap)) == _summary(model_of("gbk.fixture.gov.cn"))


def test_warc_truncated_record_is_a_recorded_problem(tmp_path):
    path = tmp_path / "t.warc.gz"
    _warc(path, _mirror_records("ok.fixture.gov.cn"))
    data = path.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 700])
    snap = WarcSnapshot(cut)
    assert snap.problems and "truncated" in snap.problems[0][1]
    assert len(snap.site("ok.fixture.gov.cn").refs) < len(_mirror_records("ok.fixture.gov.cn"))
    # the rest is still usable
    assert model_of("ok.fixture.gov.cn", snap).home_ok


@pytest.mark.parametrize("gzip", [True, False])
@pytest.mark.parametrize("cut, problem", [
    (0, False),
    (4, False),      # only the record's closing blank line: its body is whole
    (60, True),      # inside the last record's body
    (300, True),
])
def test_warc_cut_inside_its_last_record_is_a_recorded_problem(tmp_path, gzip, cut, problem):
    """A WARC cut inside its last record (a crawl or a download interrupted) read as complete:
    no 快照问题, until that page happened to be read."""
    path = tmp_path / "t.warc"
    body = "<html><body><p>正文</p></body></html>".encode() * 40
    _warc(path, [(f"http://x.gov.cn/{i}.html", "200 OK", [("Content-Type", "text/html")], body) for i in range(3)],
          gzip=gzip)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - cut])
    snap = WarcSnapshot(path)
    got = [reason for _, reason in snap.problems]
    if problem:
        # (a gzip member cut before its body: the other wording, "… hold no complete record")
        assert len(got) == 1 and got[0].startswith("truncated WARC: ")
        assert "(http://x.gov.cn/2.html) is cut short" in got[0] or "hold no complete record" in got[0]
    else:
        assert got == []
    assert len(snap.site("x.gov.cn").refs) >= 2  # the records before the cut are all there


def test_warc_uncompressed_truncated_body_is_a_skip(tmp_path):
    path = tmp_path / "t.warc"
    body = "<html><body><ul><li><a href='/a.html'>新闻</a>2022-06-20</li></ul></body></html>".encode() * 20
    _warc(path, [("http://x.gov.cn/", "200 OK", [("Content-Type", "text/html")], body)], gzip=False)
    cut = tmp_path / "cut.warc"
    cut.write_bytes(path.read_bytes()[:-300])
    page = WarcSnapshot(cut).site("x.gov.cn").get("http://x.gov.cn/")
    assert page.error and "truncated" in page.error
    model = model_of("x.gov.cn", WarcSnapshot(cut))
    assert not model.home_ok and any("truncated" in r for _, r in model.skips)


@pytest.mark.parametrize("name, data", [
    ("empty.warc", b""),
    ("text.warc.gz", b"hello, this is not a WARC file\n" * 10),  # warcio reads it as one odd ARC record
])
def test_warc_without_pages_is_a_recorded_problem(tmp_path, name, data):
    """A file that yields no page (empty, or not a WARC at all) says so; it was silent, and
    every site of the scan then read "home page not in the snapshot"."""
    path = tmp_path / name
    path.write_bytes(data)
    snap = open_snapshot(path)
    assert snap.hosts() == []
    assert snap.problems[-1] == (str(path), "no response or resource record with a URL (an empty file, or not a WARC)")


def test_warcio_warnings_become_one_problem(tmp_path, capfd):
    """A record whose Content-Length is wrong made warcio print its remaining bytes (page
    text, possibly personal data) to stderr; now it is one recorded problem."""
    path = tmp_path / "s.warc"
    _warc(path, [("http://x.gov.cn/", "200 OK", [("Content-Type", "text/html")], b"<p>x</p>"),
                 ("http://x.gov.cn/a.html", "200 OK", [("Content-Type", "text/html")], b"<p>y</p>")], gzip=False)
    data = path.read_bytes()
    first_end = data.index(b"WARC/1.0", 10)
    path.write_bytes(data[:first_end - 4] + b"\xe5\xbc\xa0\xe4\xb8\x89 13812345678\r\n\r\n" + data[first_end:])
    snap = WarcSnapshot(path)
    err = capfd.readouterr().err
    assert "13812345678" not in err and "WARNING" not in err
    assert any("not followed by a blank line" in reason for _, reason in snap.problems)


def test_arc_file_is_read(tmp_path):
    """A legacy .arc.gz was accepted as a snapshot but none of its records was indexed."""
    import gzip

    body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>\xe7\xbd\x91\xe7\xab\x99</p></body></html>"
    head = b"1 0 test\nURL IP-address Archive-date Content-type Archive-length\n\n"
    path = tmp_path / "old.arc.gz"
    path.write_bytes(gzip.compress(b"filedesc://old.arc 0.0.0.0 20220620000000 text/plain %d\n" % len(head) + head + b"\n")
                     + gzip.compress(b"http://x.gov.cn/ 1.2.3.4 20220620000000 text/html %d\n" % len(body) + body + b"\n"))
    snap = open_snapshot(path)
    assert snap.hosts() == ["x.gov.cn"] and not snap.problems
    page = snap.site("x.gov.cn").get("http://x.gov.cn/")
    assert page.status == 200 and page.error is None and "网站" in page.data.decode("utf-8")


def test_redirect_loop_is_a_skip(tmp_path):
    path = tmp_path / "r.warc.gz"
    _warc(path, [
        ("http://x.gov.cn/", "302 Found", [("Location", "http://x.gov.cn/a/")], b""),
        ("http://x.gov.cn/a/", "302 Found", [("Location", "http://x.gov.cn/")], b""),
    ])
    model = model_of("x.gov.cn", WarcSnapshot(path))
    assert not model.home_ok
    assert ("http://x.gov.cn/", "redirect loop") in model.skips


def test_redirect_is_followed(tmp_path):
    path = tmp_path / "r.warc.gz"
    home = "<html><body><div class='nav'><a href='/yw/'>要闻</a></div><p>网站标识码：4401000001</p></body></html>"
    _warc(path, [
        ("http://x.gov.cn/", "301 Moved", [("Location", "/index.shtml")], b""),
        ("http://x.gov.cn/index.shtml", "200 OK", [("Content-Type", "text/html")], home.encode()),
        ("http://x.gov.cn/yw/", "404 Not Found", [("Content-Type", "text/html")], b"not found"),
    ])
    model = model_of("x.gov.cn", WarcSnapshot(path))
    assert model.home_ok and model.columns[0].status == "error"
    assert ("http://x.gov.cn/yw/", "HTTP 404") in model.skips


@pytest.mark.parametrize("location, reason", [
    # the site moved to another host: a registry matter, said so (it read "home page not in the snapshot")
    ("http://www.x.gov.cn/", "home page redirects to another host (http://www.x.gov.cn/)"),
    ("https://new.gd.gov.cn/x/", "home page redirects to another host (https://new.gd.gov.cn/x/)"),
    # within the site to a page the snapshot lacks: not in the snapshot, as before
    ("/index.shtml", "home page not in the snapshot"),
])
def test_home_page_redirecting_to_another_host_is_named(tmp_path, location, reason):
    path = tmp_path / "r.warc.gz"
    home = "<html><body><div class='nav'><a href='/yw/'>要闻</a></div></body></html>"
    _warc(path, [("http://x.gov.cn/", "301 Moved", [("Location", location)], b""),
                 ("http://www.x.gov.cn/", "200 OK", [("Content-Type", "text/html")], home.encode())])
    model = model_of("x.gov.cn", WarcSnapshot(path))
    assert not model.home_ok and model.home_reason.startswith(reason)
    assert [why for _, why in model.skips] == [reason.split(" (")[0]]


@pytest.mark.parametrize("entry, expected", [
    # 8 digits with no separator, where a list entry gives its date (they were undated, so a
    # column listing only such dates counted as not updated)
    ("<li><a href='/a/1.html'>动态</a><span>20220617</span></li>", D("2022-06-17")),
    ("<li><a href='/a/1.html'>动态</a><span>[20220617]</span></li>", D("2022-06-17")),
    # the forms read before, unchanged
    ("<li><a href='/a/1.html'>动态</a><span>2022.06.17</span></li>", D("2022-06-17")),
    ("<li><a href='/a/1.html'>动态</a><span>2022年6月17日</span></li>", D("2022-06-17")),
    # full-width digits (an IME left in full-width mode): they were undated, the column "not updated"
    ("<li><a href='/a/1.html'>动态</a><span>２０２２－０６－１７</span></li>", D("2022-06-17")),
    ("<li><a href='/a/1.html'>动态</a><span>２０２２年６月１７日</span></li>", D("2022-06-17")),
    ("<li><a href='/a/1.html'>动态</a><span>[２０２２.０６.１７]</span></li>", D("2022-06-17")),
    # the whole row is the link, its date inside (they were undated: the column "not updated")
    ("<li><a href='/a/1.html'><span>动态</span><span>2022-06-17</span></a></li>", D("2022-06-17")),
    ("<li><a href='/a/1.html'><p class='tit'>动态</p><p class='time'>2022年06月17日</p></a></li>", D("2022-06-17")),
    ("<li><a href='/a/1.html'><span>动态</span><span>发布时间：2022-06-17</span></a></li>", D("2022-06-17")),
    ("<li><a href='/a/1.html'>动态 [2022-06-17]</a></li>", D("2022-06-17")),
    ("<li><a href='/a/1.html'>动态（2022-06-17）</a></li>", D("2022-06-17")),
    # near misses: a date in the title's own words; a number beside the title; no year known
    ("<li><a href='/a/1.html'><span>关于2021年12月1日起施行的通知</span></a></li>", None),
    ("<li><a href='/a/1.html'><span>动态</span><span>浏览 1234</span></a></li>", None),
    ("<li><a href='/a/1.html'><span>动态</span><span>06-17</span></a></li>", None),
    # near misses: not a date, or no year and no year heading
    ("<li><a href='/a/1.html'>动态</a><span>20221317</span></li>", None),
    ("<li><a href='/a/1.html'>动态</a><span>浏览 202206170</span></li>", None),
    ("<li><a href='/a/1.html'>动态</a><span>6月17日</span></li>", None),
    # a number in the title is not the entry's date
    ("<li><a href='/a/1.html'>编号20220617的通知</a></li>", None),
])
def test_list_entry_dates(entry, expected):
    from scanner.site.html import list_items, parse_html

    tree, _ = parse_html(f"<html><body><ul>{entry}</ul></body></html>".encode(), "t")
    items = list_items(tree, "http://x.gov.cn/")
    assert [i.date for i in items] == [expected]
    if expected is not None:  # the date is no part of the title
        assert [i.title for i in items] == ["动态"]


_DS = ('<div id="458795"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/'
       'dataproxy.jsp?page=1&columnid=1001"></a>]]></nextgroup><recordset>{}</recordset></datastore></script>'
       '<script src="/module/web/jpage/jpage.js"></script></div>')


@pytest.mark.parametrize("records, expected", [
    # 大汉 JCMS lists: the records sit in a text/xml script, drawn by jpage in the browser; they
    # were invisible, so each such column was blank (a 多个栏目为空白 veto for the whole site)
    ("<record><![CDATA[\n<li><a href='/art/2022/6/17/art_1001_1.html'>动态一</a><span>2022-06-17</span></li>\n]]></record>"
     "<record><![CDATA[<li><a href='/art/2022/6/1/art_1001_2.html'>动态二</a><span>2022-06-01</span></li>]]></record>",
     [("动态一", D("2022-06-17")), ("动态二", D("2022-06-01"))]),
    # records that are not list items, and table rows
    ("<record><![CDATA[<div class='item'><a href='/art/1.html'>动态一</a><span>2022-06-17</span></div>]]></record>",
     [("动态一", D("2022-06-17"))]),
    ("<record><![CDATA[<tr><td><a href='/art/1.html'>动态一</a></td><td>2022-06-17</td></tr>]]></record>",
     [("动态一", D("2022-06-17"))]),
    # an empty recordset stays empty
    ("", []),
])
def test_dahan_datastore_lists(records, expected):
    from scanner.site.html import list_items, parse_html

    tree, _ = parse_html(f"<html><body><h2>工作动态</h2>{_DS.format(records)}</body></html>".encode(), "t")
    assert [(i.title, i.date) for i in list_items(tree, "http://x.gov.cn/")] == expected


@pytest.mark.parametrize("html, expected", [
    ("<meta name='PubDate' content='20220617'><p>正文</p>", D("2022-06-17")),
    ("<p>发布时间：20220617 来源：本站</p><p>正文</p>", D("2022-06-17")),
    # running text: 8 digits are not taken for a date
    ("<p>共收到意见20220617条。</p>", None),
    # a meta time with its offset is a Beijing day: 16:30 UTC on March 31 is April 1 (read as the
    # bare date, the article fell out of the quarter's window)
    ("<meta property='article:published_time' content='2022-03-31T16:30:00+00:00'>", D("2022-04-01")),
    ("<meta name='PubDate' content='2022-06-30 23:59'>", D("2022-06-30")),
    ("<meta name='PubDate' content='2022-06-30T16:00:00Z'>", D("2022-07-01")),
])
def test_article_compact_dates(html, expected):
    from scanner.site.html import page_date, parse_html

    tree, _ = parse_html(f"<html><head></head><body>{html}</body></html>".encode(), "t")
    assert page_date(tree, "http://x.gov.cn/a/1.html")[0] == expected


def test_utf8_home_page_with_a_gbk_footer(tmp_path):
    """A UTF-8 template including a GBK footer: the home page was a skip ("unknown text
    encoding") and the site not judged; now it is read, the stray bytes replaced."""
    root = tmp_path / "m" / "x.gov.cn"
    (root / "gzdt").mkdir(parents=True)
    home = ("<html><body><div class='nav'><a href='/gzdt/'>工作动态</a></div>"
            "<ul><li><a href='/gzdt/1.html'>召开会议</a><span>2022-06-18</span></li></ul><div class='footer'>").encode()
    home += "版权所有：某某县人民政府办公室 ".encode("gbk") + "网站标识码：4401000001</div></body></html>".encode()
    (root / "index.html").write_bytes(home)
    (root / "gzdt" / "index.html").write_bytes(home)
    model = build_site_model("x.gov.cn", "http://x.gov.cn/", MirrorSnapshot(tmp_path / "m").site("x.gov.cn"))
    assert model.home_ok, model.home_reason
    assert [c.name for c in model.columns] == ["工作动态"] and model.home_items[0].date == D("2022-06-18")
    assert "4401000001" in model.footer


def test_huge_page_is_a_skip(monkeypatch):
    monkeypatch.setattr(mirror_mod, "MAX_PAGE_BYTES", 500)
    page = MirrorSnapshot(MIRROR).site("ok.fixture.gov.cn").get("http://ok.fixture.gov.cn/")
    assert page.error and page.error.startswith("huge page")


def test_broken_pages_become_skips_not_errors():
    model = model_of("broken.fixture.gov.cn")
    reasons = dict(model.skips)
    assert reasons["http://broken.fixture.gov.cn/rsxx/"] == "binary file, not text"
    cols = {c.name: c for c in model.columns}
    assert cols["人事信息"].status == "error"
    assert cols["通知公告"].latest == D("2021-12-20")  # unclosed table still read


def test_snapshot_errors():
    from scanner.errors import InputError

    with pytest.raises(InputError, match="snapshot not found"):
        open_snapshot("/nonexistent/snap")
    with pytest.raises(InputError, match="not a snapshot"):
        open_snapshot(FIXTURES / "registry.csv")


def test_home_page_without_a_nav_container(tmp_path):
    """Columns are still found from short links to listings when no element is named nav/menu."""
    root = tmp_path / "m" / "x.gov.cn"
    (root / "gzdt").mkdir(parents=True)
    (root / "tzgg").mkdir()
    (root / "index.html").write_text(
        "<html><body><table><tr><td><a href='/gzdt/'>工作动态</a></td><td><a href='/tzgg/index.html'>通知公告</a></td>"
        "<td><a href='/gzdt/202206/t20220618_1.html'>一篇文章的标题</a></td></tr></table></body></html>", encoding="utf-8")
    (root / "gzdt" / "index.html").write_text(
        "<html><body><ul><li><a href='/gzdt/202206/t20220618_1.html'>会议召开</a>2022-06-18</li></ul></body></html>",
        encoding="utf-8")
    (root / "tzgg" / "index.html").write_text("<html><body><p>暂无信息</p></body></html>", encoding="utf-8")
    model = model_of("x.gov.cn", MirrorSnapshot(tmp_path / "m"))
    assert [(c.name, c.kind) for c in model.columns] == [("工作动态", "news"), ("通知公告", "notice")]
    assert model.columns[0].latest == D("2022-06-18") and model.columns[1].blank


@pytest.mark.parametrize("html, expected", [
    # a table with 来信时间 / 答复时间 / 状态 headers
    ("<table><tr><th>标题</th><th>来信时间</th><th>答复时间</th><th>状态</th></tr>"
     "<tr><td><a href='/l/1.html'>关于路灯</a></td><td>2022-03-01</td><td>2022-03-05</td><td>已答复</td></tr></table>",
     [("关于路灯", D("2022-03-01"), D("2022-03-05"), False)]),
    # a labelled list, one letter per li
    ("<ul><li><a href='/l/2.html'>关于积水</a> 留言时间：2022年3月1日 回复时间：2022年6月2日</li>"
     "<li><a href='/l/3.html'>关于噪音</a> 留言时间：2022-05-01 状态：办理中</li></ul>",
     [("关于积水", D("2022-03-01"), D("2022-06-02"), False), ("关于噪音", D("2022-05-01"), None, False)]),
    # cut off, no link: cannot be read whole
    ("<table><tr><th>标题</th><th>提交时间</th><th>状态</th></tr><tr><td>关于小区…</td><td>2022-05-01</td><td>已回复</td></tr></table>",
     [("关于小区…", D("2022-05-01"), None, True)]),
    # headers written with 日期, 反馈 for the reply, a caption row above the header: such tables were no
    # letter list (a 信箱 page showing its letters "had no form or letter list", a 互动回应差 veto)
    ("<table><tr><th>序号</th><th>标题</th><th>提交日期</th><th>办结日期</th></tr>"
     "<tr><td>1</td><td><a href='/l/1.html'>问题一</a></td><td>2022-01-05</td><td>2022-05-20</td></tr></table>",
     [("问题一", D("2022-01-05"), D("2022-05-20"), False)]),
    ("<table><tr><td>信件标题</td><td>写信日期</td><td>办理状态</td></tr>"
     "<tr><td><a href='/l/1.html'>问题一</a></td><td>2022-01-05</td><td>办理中</td></tr></table>",
     [("问题一", D("2022-01-05"), None, False)]),
    ("<table><tr><td>标题</td><td>来信时间</td><td>反馈时间</td></tr>"
     "<tr><td><a href='/l/1.html'>问题一</a></td><td>2022-01-05</td><td>2022-05-20</td></tr></table>",
     [("问题一", D("2022-01-05"), D("2022-05-20"), False)]),
    ("<table><tr><td colspan='3'>信件列表</td></tr><tr><td>标题</td><td>来信时间</td><td>回复时间</td></tr>"
     "<tr><td><a href='/l/1.html'>问题一</a></td><td>2022-01-05</td><td>2022-05-20</td></tr></table>",
     [("问题一", D("2022-01-05"), D("2022-05-20"), False)]),
    ("<ul><li><a href='/l/2.html'>关于积水</a> 提问日期：2022-03-01 反馈日期：2022-04-02</li></ul>",
     [("关于积水", D("2022-03-01"), D("2022-04-02"), False)]),
    # a table that is not a letter list
    ("<table><tr><th>序号</th><th>名称</th></tr><tr><td>1</td><td>张三</td></tr></table>", []),
    ("<table><tr><th>文件名称</th><th>发布日期</th></tr><tr><td><a href='/f/1.html'>通知</a></td><td>2022-01-05</td></tr></table>", []),
])
def test_letter_rows(html, expected):
    from scanner.site.html import letter_rows, parse_html

    tree, _ = parse_html(f"<html><body>{html}</body></html>".encode(), "t")
    got = [(r.title, r.submitted, r.replied, r.cut) for r in letter_rows(tree, "http://x.gov.cn/hdjl/")]
    assert got == expected


@pytest.mark.parametrize("framed, items, blank", [
    # a column whose list is framed in (<iframe src="list.html">) was blank: no items on its own page
    ("<ul><li><a href='/yw/1.html'>动态一</a><span>2022-06-17</span></li></ul>", [("动态一", D("2022-06-17"))], False),
    # framed text (机构职能) is the column's text
    ("<p>" + "负责全市政务公开工作的组织协调和监督检查，承担政府信息公开日常工作。" * 2 + "</p>", [], False),
    # a framed page that says 暂无信息 stays blank, and so does a frame missing from the snapshot
    ("<div>暂无信息</div>", [], True),
    (None, [], True),
])
def test_column_list_in_an_iframe(tmp_path, framed, items, blank):
    from scanner.site.model import build_site_model

    root = tmp_path / "x.gov.cn"
    (root / "yw").mkdir(parents=True)
    (root / "index.html").write_text("<html><body><div class='nav'><a href='/yw/'>要闻</a></div></body></html>",
                                     encoding="utf-8")
    (root / "yw" / "index.html").write_text(
        "<html><body><h2>要闻</h2><iframe src='list.html' frameborder='0'></iframe></body></html>", encoding="utf-8")
    if framed is not None:
        (root / "yw" / "list.html").write_text(f"<html><body>{framed}</body></html>", encoding="utf-8")
    model = build_site_model("x.gov.cn", "http://x.gov.cn/", open_snapshot(tmp_path).site("x.gov.cn"))
    column = model.columns[0]
    assert [(i.title, i.date) for i in column.items] == items
    assert column.blank is blank


_SUB = "<div class='subnav'><ul>{}</ul></div>"


@pytest.mark.parametrize("gateway, blank", [
    # a first-level column whose page only leads to its sub-columns (政务公开 -> 通知公告, 政策文件)
    # was a blank column: five such gateways failed a site 多个栏目为空白
    (_SUB.format("<li><a href='/zwgk/tzgg/'>通知公告</a></li><li><a href='/zwgk/zcwj/'>政策文件</a></li>"), False),
    # a side menu listing only other first-level columns is no sub-column: the page stays blank
    (_SUB.format("<li><a href='/yw/'>要闻</a></li>"), True),
    ("<div>暂无信息</div>", True),
])
def test_gateway_column_is_not_blank(tmp_path, gateway, blank):
    from scanner.site.model import build_site_model

    root = tmp_path / "x.gov.cn"
    for d in ("zwgk/tzgg", "zwgk/zcwj", "yw"):
        (root / d).mkdir(parents=True)
    (root / "index.html").write_text("<html><body><div class='nav'><a href='/yw/'>要闻</a><a href='/zwgk/'>政务公开</a>"
                                     "</div></body></html>", encoding="utf-8")
    (root / "zwgk" / "index.html").write_text(f"<html><body><h2>政务公开</h2>{gateway}</body></html>", encoding="utf-8")
    sibling = _SUB.format("<li><a href='/zwgk/tzgg/'>通知公告</a></li><li><a href='/zwgk/zcwj/'>政策文件</a></li>")
    for d in ("zwgk/tzgg", "zwgk/zcwj"):  # blank sub-columns whose side menu lists their siblings: still blank
        (root / d / "index.html").write_text(f"<html><body>{sibling}<div>暂无信息</div></body></html>", encoding="utf-8")
    (root / "yw" / "index.html").write_text("<html><body><ul><li><a href='/yw/1.html'>动态</a><span>2022-06-17</span>"
                                            "</li></ul></body></html>", encoding="utf-8")
    model = build_site_model("x.gov.cn", "http://x.gov.cn/", open_snapshot(tmp_path).site("x.gov.cn"))
    got = {c.name: c.blank for c in model.columns}
    assert got["政务公开"] is blank
    assert got.get("通知公告", True) and got.get("政策文件", True) and got["要闻"] is False


_T = "认真学习习进平总书记重要讲话精神"
_P = "<div class='content'><p>我局近日召开专题会议，研究部署下一阶段重点工作，要求各科室压实责任、狠抓落实。</p>" * 2 + "</div>"


@pytest.mark.parametrize("article, title, kept", [
    # the article's own header holding its headline was dropped as page chrome: the title's
    # 错别字 (a leader's name) was never checked
    (f"<article><header><h1>{_T}</h1></header>{_P}</article>", _T, True),
    (f"<div class='article-header'><h1>{_T}</h1><p>发布时间：2022-06-15</p></div>{_P}", _T, True),
    (f"<header class='article-header'><h1>{_T}</h1></header>{_P}", None, True),  # the title from <title>
    (f"<div class='article'><h1>{_T}</h1>{_P}</div>", _T, True),
])
def test_article_headline_is_kept(article, title, kept):
    from scanner.extract.html import extract_article
    from scanner.types import Source

    html = (f"<html><head><title>{_T}_某某市人民政府</title></head><body><header class='site-header'><h1>某某市人民政府"
            f"</h1><div class='nav'>首页 要闻</div></header><div class='crumb'>当前位置：首页 &gt; {_T}</div>"
            f"<div class='main'>{article}</div><div class='footer'>版权所有</div></body></html>")
    text = extract_article(Source("http://x.gov.cn/a.html", html.encode()), None, title).text
    assert (text.count("习进平") == 1) is kept
    assert "某某市人民政府" not in text and "当前位置" not in text and "版权所有" not in text  # chrome still dropped


_NAV = "".join(f"<a href='/c{i}/'>栏目{i}</a>" for i in range(8))


@pytest.mark.parametrize("head, body, expected", [
    # index.html forwarding to the real home page: the stub was judged as the home page (no dated
    # item, no channel: 首页长期未更新 and 互动回应差 for a healthy site)
    ("<meta http-equiv='refresh' content='0; url=/portal/index.shtml'>", "", "http://x.gov.cn/portal/index.shtml"),
    ("<meta http-equiv='Refresh' content='1;URL=index.shtml'>", "", "http://x.gov.cn/index.shtml"),
    ("<script>window.location.href = \"/portal/index.shtml\";</script>", "", "http://x.gov.cn/portal/index.shtml"),
    ("<script>location.replace('/default.htm')</script>", "<p>正在跳转…</p>", "http://x.gov.cn/default.htm"),
    # a page-wide iframe: the wrapper was judged as the home page
    ("", "<iframe src='/portal/index.html' width='100%' height='100%' frameborder='0'></iframe>",
     "http://x.gov.cn/portal/index.html"),
    # near misses: a home page reloading itself, a real home page whose script sends a button elsewhere
    ("<meta http-equiv='refresh' content='300'>", "", None),
    ("<script>function go(){window.location.href='/search/';}</script>", _NAV, None),
    # a real home page with a small iframe (weather, a video) among its links; a frameset of two
    # frames none of them named main; a blank frame
    ("", _NAV + "<iframe src='/weather.html'></iframe>", None),
    ("</head><frameset cols='50%,50%'><frame src='/a.html'><frame src='/b.html'></frameset><head>", "", None),
    ("", "<iframe src='about:blank'></iframe>", None),
    # a home page of few links (its menu drawn by a script) with a weather or video iframe: its
    # text is the home page's, not the widget's
    ("", "<h1>某某县人民政府</h1><ul><li>2022-06-17 关于开展安全生产大检查的通知</li><li>2022-06-16 "
         "县政府召开常务会议研究部署近期重点工作</li></ul><iframe src='/weather.html' width='200' height='60'></iframe>",
     None),
    # ... a wrapper without a size, or sized in its style: followed
    ("", "<iframe src='/portal/index.html' frameborder='0'></iframe>", "http://x.gov.cn/portal/index.html"),
    ("", "<p>欢迎</p><iframe src='/portal/' style='width:100%;height:100vh'></iframe>", "http://x.gov.cn/portal/"),
])
def test_forward_target(head, body, expected):
    from scanner.site.html import forward_target, parse_html

    tree, _ = parse_html(f"<html><head>{head}</head><body>{body}</body></html>".encode(), "t")
    assert forward_target(tree, "http://x.gov.cn/") == expected


@pytest.mark.parametrize("html, expected", [
    # a body onload and framesets wrapping the real home page (older county sites): the wrapper was
    # judged as the home page, no dated item and no channel (首页长期未更新, 互动回应差)
    ("<html><body onload=\"location.href='/index.shtml'\"></body></html>", "http://x.gov.cn/index.shtml"),
    ("<html><head></head><frameset rows='100%'><frame src='/portal/index.html'></frameset></html>",
     "http://x.gov.cn/portal/index.html"),
    ("<html><head></head><frameset rows='80,*'><frame name='top' src='/top.html'>"
     "<frame name='mainFrame' src='/main.html'></frameset></html>", "http://x.gov.cn/main.html"),
    # near misses: two frames, none named main; a blank frame
    ("<html><head></head><frameset cols='50%,50%'><frame src='/a.html'><frame src='/b.html'></frameset></html>", None),
    ("<html><head></head><frameset rows='100%'><frame src='about:blank'></frameset></html>", None),
])
def test_forward_target_of_whole_pages(html, expected):
    from scanner.site.html import forward_target, parse_html

    tree, _ = parse_html(html.encode(), "t")
    assert forward_target(tree, "http://x.gov.cn/") == expected


def test_home_page_forwarded_by_a_meta_refresh(tmp_path):
    from scanner.site.model import build_site_model

    root = tmp_path / "x.gov.cn"
    (root / "portal").mkdir(parents=True)
    (root / "index.html").write_text("<html><head><meta http-equiv='refresh' content='0;url=/portal/index.shtml'>"
                                     "</head><body></body></html>", encoding="utf-8")
    (root / "portal" / "index.shtml").write_text(
        "<html><body><ul><li><a href='/yw/1.html'>动态</a><span>2022-06-17</span></li></ul>"
        "<a href='/hdjl/'>领导信箱</a><div class='footer'>网站标识码：4401000001</div></body></html>", encoding="utf-8")
    model = build_site_model("x.gov.cn", "http://x.gov.cn/", open_snapshot(tmp_path).site("x.gov.cn"))
    assert model.home_ok and model.home_url == "http://x.gov.cn/portal/index.shtml"
    assert [i.date for i in model.home_items] == [D("2022-06-17")] and "4401000001" in model.footer


_FORM = "<form action='/gb/submit' method='post'><textarea name='c'></textarea><input type='submit' value='提交'></form>"


@pytest.mark.parametrize("frame, framed, works, reason", [
    # a 信箱 page whose form is framed in had 'no form or letter list': a 互动回应差 veto
    ("<iframe src='/gb/index.jsp'></iframe>", _FORM, True, "有留言表单（页面内嵌）"),
    ("<iframe src='https://www.gd.gov.cn/hdjl/form.html'></iframe>", None, True, "嵌入外部平台的留言页面（未在快照中核验）"),
    # a framed page out of service, or none, stays a channel that does not work
    ("<iframe src='/gb/index.jsp'></iframe>", "<div>系统维护中，暂停使用。</div>", False, "内嵌页面显示“系统维护”"),
    ("<iframe src='/gb/index.jsp'></iframe>", None, False, "页面没有留言表单或信件列表"),
])
def test_channel_form_in_a_frame(tmp_path, frame, framed, works, reason):
    from scanner.site.model import build_site_model

    root = tmp_path / "x.gov.cn"
    (root / "xx").mkdir(parents=True)
    (root / "index.html").write_text("<html><body><a href='/xx/'>领导信箱</a></body></html>", encoding="utf-8")
    (root / "xx" / "index.html").write_text(f"<html><body><h2>领导信箱</h2>{frame}</body></html>", encoding="utf-8")
    if framed is not None:
        (root / "gb").mkdir()
        (root / "gb" / "index.jsp").write_text(f"<html><body>{framed}</body></html>", encoding="utf-8")
    model = build_site_model("x.gov.cn", "http://x.gov.cn/", open_snapshot(tmp_path).site("x.gov.cn"))
    assert [(c.works, c.reason) for c in model.channels] == [(works, reason)]


_JS_FORM = ("<script src='/js/letter.js'></script><form action='javascript:void(0)'><textarea name='c'></textarea>"
            "<input type='button' value='提交' onclick='sendLetter()'></form>")


@pytest.mark.parametrize("page, script, works, reason", [
    # the sending code in a script file the mirror holds (wget -p): read there
    (_JS_FORM, "function sendLetter(){ $.post('/hdjl/letter/save', $('form').serialize()); }",
     True, "有留言表单（由脚本提交至/hdjl/letter/save）"),
    (_JS_FORM, "function sendLetter(){ alert('系统升级，暂停受理'); }", False, "留言表单无法提交（提交脚本没有指向任何提交地址）"),
    # the script file not captured (a crawl fetches no scripts): cannot be verified, counts
    (_JS_FORM, None, True, "有留言表单（提交脚本不在快照中，未核验）"),
    # a form that sends nothing was a working channel: the site passed 互动回应差
    ("<form action='javascript:void(0)'><textarea name='c'></textarea><input type='submit' value='提交'></form>", None,
     False, "留言表单无法提交（提交地址为“javascript:void(0)”，页面中没有发送表单的脚本）"),
])
def test_channel_form_that_sends(tmp_path, page, script, works, reason):
    from scanner.checks.site.consultation_channel import NoConsultationChannel
    from scanner.site.model import build_site_model
    from scanner.site.scan import SiteUnit
    from tests.site_helpers import AS_OF, ENTRY, SINCE

    root = tmp_path / "x.gov.cn"
    (root / "xx").mkdir(parents=True)
    (root / "index.html").write_text("<html><body><a href='/xx/'>领导信箱</a></body></html>", encoding="utf-8")
    (root / "xx" / "index.html").write_text(f"<html><body><h2>领导信箱</h2>{page}</body></html>", encoding="utf-8")
    if script is not None:
        (root / "js").mkdir()
        (root / "js" / "letter.js").write_text(script, encoding="utf-8")
    model = build_site_model("x.gov.cn", "http://x.gov.cn/", open_snapshot(tmp_path).site("x.gov.cn"))
    assert [(c.works, c.reason) for c in model.channels] == [(works, reason)]
    found = list(NoConsultationChannel().check(SiteUnit(ENTRY, model, AS_OF, SINCE)))
    assert bool(found) is not works
    if found:
        assert reason in found[0].message and found[0].indicator and found[0].action


@pytest.mark.parametrize("entries, items, blank", [
    # a column reprinting the State Council's or the province's news links each item to gov.cn /
    # gd.gov.cn: its dated entries were dropped, the column was blank (five such: 多个栏目为空白)
    ("<li><a href='https://www.gov.cn/xinwen/2022-06/17/content_1.htm'>国务院常务会议</a><span>2022-06-17</span></li>",
     [("国务院常务会议", D("2022-06-17"))], False),
    # undated links elsewhere (友情链接) are still no items
    ("<li><a href='https://www.gd.gov.cn/'>广东省人民政府</a></li>", [], True),
    ("<li><a href='/gwy/1.html'>本站转载</a><span>2022-06-16</span></li>", [("本站转载", D("2022-06-16"))], False),
])
def test_dated_items_linking_elsewhere_belong_to_the_column(tmp_path, entries, items, blank):
    from scanner.site.model import build_site_model

    root = tmp_path / "x.gov.cn"
    (root / "gwy").mkdir(parents=True)
    (root / "index.html").write_text("<html><body><div class='nav'><a href='/gwy/'>国务院信息</a></div></body></html>",
                                     encoding="utf-8")
    (root / "gwy" / "index.html").write_text(f"<html><body><h2>国务院信息</h2><ul>{entries}</ul></body></html>",
                                             encoding="utf-8")
    model = build_site_model("x.gov.cn", "http://x.gov.cn/", open_snapshot(tmp_path).site("x.gov.cn"))
    column = model.columns[0]
    assert [(i.title, i.date) for i in column.items] == items and column.blank is blank


# ------------------------------------------------------------------ WARC: repeated captures, revisits
def _capture(w, url, body, date, refers=None, refers_by=("WARC-Refers-To", "digest", "uri"), status="200 OK"):
    """A response (``refers`` None) or a revisit of the response record ``refers``."""
    http = StatusAndHeaders(status, [("Content-Type", "text/html")], protocol="HTTP/1.1")
    if refers is None:
        record = w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                      warc_headers_dict={"WARC-Date": date})
    else:
        head = refers.rec_headers.get_header
        record = w.create_revisit_record(url, head("WARC-Payload-Digest"), head("WARC-Target-URI"), head("WARC-Date"),
                                         http_headers=http, warc_headers_dict={"WARC-Date": date})
        if "digest" not in refers_by:
            record.rec_headers.remove_header("WARC-Payload-Digest")
        if "uri" not in refers_by:
            record.rec_headers.remove_header("WARC-Refers-To-Target-URI")
            record.rec_headers.remove_header("WARC-Refers-To-Date")
        if "WARC-Refers-To" in refers_by:
            record.rec_headers.add_header("WARC-Refers-To", head("WARC-Record-ID"))
    w.write_record(record)
    return record


APRIL, JUNE = "2022-04-10T08:00:00Z", "2022-06-15T08:00:00Z"
OTHER = object()  # a response written to another file of the folder, not to this one


@pytest.mark.parametrize("captures, url, body, error", [
    # the same page crawled in April and again in June (changed): the June capture is read
    # (the April one was: a home page updated in June read as not updated since April)
    ([("/", b"APRIL", APRIL, None), ("/", b"JUNE", JUNE, None)], "/", b"JUNE", None),
    # position does not matter, the capture time does (a folder's files in another order)
    ([("/", b"JUNE", JUNE, None), ("/", b"APRIL", APRIL, None)], "/", b"JUNE", None),
    # June's capture is a revisit (unchanged, deduplicated): April's payload
    ([("/", b"APRIL", APRIL, None), ("/", None, JUNE, 0)], "/", b"APRIL", None),
    # a revisit under another URL (the same 名单.xlsx linked from two pages) by payload digest
    # only, by target URI only, or by record id only: it was "not in the snapshot"
    ([("/a.xlsx", b"XLSX", APRIL, None), ("/b.xlsx", None, JUNE, (0, ("digest",)))], "/b.xlsx", b"XLSX", None),
    ([("/a.xlsx", b"XLSX", APRIL, None), ("/b.xlsx", None, JUNE, (0, ("uri",)))], "/b.xlsx", b"XLSX", None),
    ([("/a.xlsx", b"XLSX", APRIL, None), ("/b.xlsx", None, JUNE, (0, ("WARC-Refers-To",)))], "/b.xlsx", b"XLSX", None),
    # the original in another file of the snapshot folder
    ([("/a.xlsx", b"XLSX", APRIL, OTHER), ("/b.xlsx", None, JUNE, 0)], "/b.xlsx", b"XLSX", None),
    # the original not in the snapshot (an earlier crawl's WARC not given): a skip with its
    # reason, never an empty page or a silent "missing"
    ([("/", b"OLD", APRIL, "drop"), ("/b.xlsx", None, JUNE, 0)], "/b.xlsx", b"", "revisit record whose original capture is not in the snapshot"),
    # ... unless an earlier response of the same URL is there
    ([("/", b"APRIL", APRIL, None), ("/", b"OLD", APRIL, "drop"), ("/", None, JUNE, (1, ("WARC-Refers-To",)))], "/", b"APRIL", None),
    # a later capture that failed for the moment (the site down during June's crawl) does not
    # hide the earlier page; one that says the page is gone (404) does
    ([("/", b"APRIL", APRIL, None), ("/", b"DOWN", JUNE, "503 Service Unavailable")], "/", b"APRIL", None),
    ([("/", b"DOWN", APRIL, "503 Service Unavailable")], "/", b"DOWN", None),
    ([("/", b"APRIL", APRIL, None), ("/", b"GONE", JUNE, "404 Not Found")], "/", b"GONE", None),
])
def test_warc_latest_capture_and_revisits(tmp_path, captures, url, body, error):
    folder = tmp_path / "warcs"
    folder.mkdir()
    main, other, dropped = (io.BytesIO() for _ in range(3))
    writers = {id(main): WARCWriter(main, gzip=True), id(other): WARCWriter(other, gzip=True),
               id(dropped): WARCWriter(dropped, gzip=True)}
    written = []
    for path, payload, date, refers in captures:
        status = refers if isinstance(refers, str) and refers[:1].isdigit() else "200 OK"
        target = {OTHER: other, "drop": dropped}.get(refers, main) if not isinstance(refers, (int, tuple)) else main
        w = writers[id(target)]
        if isinstance(refers, int):
            refers = (refers, ("WARC-Refers-To", "digest", "uri"))
        if isinstance(refers, tuple):
            written.append(_capture(w, "http://x.gov.cn" + path, None, date, written[refers[0]], refers[1]))
        else:
            written.append(_capture(w, "http://x.gov.cn" + path, payload, date, status=status))
    (folder / "b-2022q2.warc.gz").write_bytes(main.getvalue())
    if other.getvalue():
        (folder / "a-2022q1.warc.gz").write_bytes(other.getvalue())
    snap = open_snapshot(folder)
    page = snap.site("x.gov.cn").get("http://x.gov.cn" + url)
    assert page is not None and page.data == body
    assert (page.error is None) if error is None else (error in page.error)
    assert not snap.problems


def test_revisit_of_a_redirect_keeps_its_own_location(tmp_path):
    """Redirects have the same (empty) payload digest: a revisit of one, matched by digest,
    took another redirect's Location; it is matched by its target URI instead."""
    path = tmp_path / "r.warc.gz"
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=True)
        first = {}
        for url, where in (("http://x.gov.cn/a", "/elsewhere/"), ("http://x.gov.cn/", "/index.shtml")):
            http = StatusAndHeaders("302 Found", [("Location", where)], protocol="HTTP/1.1")
            first[url] = w.create_warc_record(url, "response", payload=io.BytesIO(b""), http_headers=http,
                                              warc_headers_dict={"WARC-Date": APRIL})
            w.write_record(first[url])
        head = first["http://x.gov.cn/"].rec_headers.get_header
        http = StatusAndHeaders("302 Found", [("Location", "/index.shtml")], protocol="HTTP/1.1")
        w.write_record(w.create_revisit_record("http://x.gov.cn/", head("WARC-Payload-Digest"), head("WARC-Target-URI"),
                                               head("WARC-Date"), http_headers=http, warc_headers_dict={"WARC-Date": JUNE}))
    page = WarcSnapshot(path).site("x.gov.cn").get("http://x.gov.cn/")
    assert (page.status, page.location) == (302, "/index.shtml")


@pytest.mark.parametrize("page, status", [
    # a capture the crawl cut short (an interrupted WARC): the snapshot's fault, not judged
    (dict(status=200, data=b"<html><body><ul><li>", error="truncated WARC record (body shorter than Content-Length)"),
     "missing"),
    (dict(status=0, data=b"", error="truncated WARC record (no record at its offset)"), "missing"),
    (dict(status=0, data=b"", error="truncated or corrupt WARC record (EOFError)"), "missing"),
    # the site's own errors still count as a column that cannot be read
    (dict(status=500, data=b"error"), "error"),
    (dict(status=404, data=b"not found"), "error"),
    # a readable page
    (dict(status=200, data="<html><body><ul><li><a href='/a/1.html'>动态</a><span>2022-06-19</span></li></ul></body></html>"
                              .encode()), "ok"),
])
def test_column_page_cut_short_by_the_crawl_is_not_judged(page, status):
    """Column pages at the end of an interrupted WARC (records cut short) were unreadable columns,
    counted as not updated: five of them vetoed the site 多个栏目长期未更新."""
    from scanner.checks.freshness.columns_not_updated import ColumnsNotUpdated
    from scanner.extract.snapshot import Page
    from scanner.site.scan import SiteUnit

    names = ["要闻", "工作动态", "部门动态", "基层动态", "图片新闻"]
    nav = "".join(f"<li><a href='/c{i}/'>{n}</a></li>" for i, n in enumerate(names))
    home = (f"<html><body><div class='nav'><ul>{nav}</ul></div><ul class='list'><li><a href='/a/1.html'>动态</a>"
            "<span>2022-06-19</span></li></ul></body></html>").encode()
    pages = {"http://x.gov.cn/": Page("http://x.gov.cn/", 200, home, "text/html")}
    pages.update({f"http://x.gov.cn/c{i}/": Page(f"http://x.gov.cn/c{i}/", media_type="text/html", **page)
                  for i in range(len(names))})

    class Pages:
        def get(self, url):
            return pages.get(url)

    model = build_site_model("x.gov.cn", "http://x.gov.cn/", Pages())
    assert [c.status for c in model.columns] == [status] * len(names)
    unit = SiteUnit(None, model, dt.date(2022, 6, 20), dt.date(2022, 4, 1))
    stale = ColumnsNotUpdated().stale(unit)
    assert len(stale) == (len(names) if status == "error" else 0)


_NAV = "<div class='nav'><a href='/lm/'>工作动态</a></div>"


@pytest.mark.parametrize("status, body, column_status, blank, skip", [
    # a capture that failed for the moment (a server error, the crawler rate-limited or challenged by the
    # site's firewall, no answer) is not judged: it counted as a column not updated
    ("503 Service Unavailable", "<html><body>Service Unavailable</body></html>", "missing", False, "HTTP 503"),
    ("502 Bad Gateway", "<html><body>Bad Gateway</body></html>", "missing", False, "HTTP 502"),
    ("429 Too Many Requests", "<html><body>访问过于频繁</body></html>", "missing", False, "HTTP 429"),
    ("412 Precondition Failed", "<html><script>var $_ts=window['$_ts'];</script></html>", "missing", False, "HTTP 412"),
    # a page that is gone still counts (not updated), as before
    ("404 Not Found", "<html><body>404</body></html>", "error", False, "HTTP 404"),
    # an error page answered with 200 is gone too: it was a blank column
    ("200 OK", "<html><head><title>404</title></head><body>" + _NAV + "<div class='main'><p>抱歉，您访问的页面不存在！</p>"
     "<a href='/'>返回首页</a></div></body></html>", "error", False, "page not found (an error page answered with HTTP 200)"),
    ("200 OK", "<html><head><title>页面未找到</title></head><body><h1>Page Not Found</h1></body></html>", "error", False,
     "page not found (an error page answered with HTTP 200)"),
    # a list drawn by a script from an address the snapshot lacks: not judged (it was blank and not updated)
    ("200 OK", "<html><body>" + _NAV + "<ul id='list'></ul><script>$.getJSON('/api/list?cid=12', function(d){ var h='';"
     " $.each(d.rows, function(i, r){ h += '<li><a href=\"' + r.url + '\">' + r.title + '</a></li>'; }); $('#list').html(h); });"
     "</script></body></html>", "missing", False, "column list drawn by a script (http://x.gov.cn/api/list?cid=12)"),
    ("200 OK", "<html><body><div id='app'><li v-for='r in rows'>{{r.title}}</li></div><script>axios.get('/lm/data.json')"
     ".then(function(r){ vm.rows = r.data; });</script></body></html>", "missing", False,
     "column list drawn by a script (http://x.gov.cn/lm/data.json)"),
    # near-misses: a blank column stays blank, with a visit counter's script or a 暂无信息 notice
    ("200 OK", "<html><body>" + _NAV + "<div class='main'>暂无信息</div><script>$.ajax({url: '/count.jsp?id=3', success:"
     " function(n){ $('#hits').html(n); }});</script></body></html>", "ok", True, None),
    ("200 OK", "<html><body>" + _NAV + "<div class='main'></div></body></html>", "ok", True, None),
])
def test_column_page_failed_gone_or_drawn_by_script(tmp_path, status, body, column_status, blank, skip):
    home = ("<html><body>" + _NAV + "<ul><li><a href='/lm/1.html'>动态</a><span>2022-06-17</span></li></ul>"
            "<div class='footer'>网站标识码：4401000001</div></body></html>")
    path = tmp_path / "s.warc.gz"
    _warc(path, [("http://x.gov.cn/", "200 OK", [("Content-Type", "text/html")], home.encode()),
                 ("http://x.gov.cn/lm/", status, [("Content-Type", "text/html")], body.encode())])
    model = model_of("x.gov.cn", open_snapshot(path))
    [column] = model.columns
    assert (column.status, column.blank) == (column_status, blank)
    assert [r for u, r in model.skips if u == "http://x.gov.cn/lm/"] == ([skip] if skip else [])


@pytest.mark.parametrize("body", [
    # a column listing an item titled so is no error page
    "<ul><li><a href='/lm/1.html'>关于部分页面不存在问题的整改情况</a><span>2022-06-17</span></li></ul>",
])
def test_column_listing_not_found_words_is_no_error_page(tmp_path, body):
    home = "<html><body>" + _NAV + "</body></html>"
    path = tmp_path / "s.warc.gz"
    _warc(path, [("http://x.gov.cn/", "200 OK", [("Content-Type", "text/html")], home.encode()),
                 ("http://x.gov.cn/lm/", "200 OK", [("Content-Type", "text/html")], f"<html><body>{body}</body></html>".encode())])
    [column] = model_of("x.gov.cn", open_snapshot(path)).columns
    assert column.status == "ok" and column.latest == D("2022-06-17")


@pytest.mark.parametrize("home, judged", [
    # a web firewall's challenge (瑞数: $_ts and a script file) or an application shell drawn in the browser:
    # judged as it is, the site failed 首页长期未更新 and 互动回应差 (no dated item, no channel)
    ("<html><head><script type='text/javascript' r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=53219;</script>"
     "<script src='/4QbVtADbnLVIc/c.FxJzG50F.1c4ea3b.js' r='m'></script></head><body></body></html>", False),
    ("<html><head><title>某某市人民政府</title><script src='/static/js/app.8f3a.js'></script></head>"
     "<body><div id='app'></div><noscript>Please enable JavaScript</noscript></body></html>", False),
    # near-misses: a home page of content is judged, with or without scripts; a frameset is followed
    ("<html><body><div class='nav'><a href='/a/'>要闻</a><a href='/b/'>通知</a></div><script>var x=1;</script>"
     "<ul><li><a href='/a/1.html'>动态</a><span>2022-06-17</span></li></ul></body></html>", True),
    ("<html><body><p>本网站正在升级改造，请访问广东省人民政府门户网站获取相关信息。</p><script>var x=1;</script></body></html>", True),
])
def test_home_page_empty_without_its_scripts_is_not_judged(tmp_path, home, judged):
    path = tmp_path / "s.warc.gz"
    _warc(path, [("http://x.gov.cn/", "200 OK", [("Content-Type", "text/html")], home.encode())])
    model = model_of("x.gov.cn", open_snapshot(path))
    assert model.home_ok is judged
    if not judged:
        assert model.home_reason.startswith("home page is empty without its scripts")
        assert model.skips == [("http://x.gov.cn/", "home page is empty without its scripts")]


def test_column_page_empty_without_its_scripts_is_not_judged(tmp_path):
    home = "<html><body>" + _NAV + "<ul><li><a href='/lm/1.html'>动态</a><span>2022-06-17</span></li></ul></body></html>"
    challenge = "<html><head><script>$_ts=window['$_ts'];</script><script src='/x/c.js'></script></head><body></body></html>"
    path = tmp_path / "s.warc.gz"
    _warc(path, [("http://x.gov.cn/", "200 OK", [("Content-Type", "text/html")], home.encode()),
                 ("http://x.gov.cn/lm/", "200 OK", [("Content-Type", "text/html")], challenge.encode())])
    [column] = model_of("x.gov.cn", open_snapshot(path)).columns
    assert (column.status, column.blank, column.reason) == ("missing", False, "page empty without its scripts")


@pytest.mark.parametrize("label, channel", [
    # a channel named 问政 or 建议: the site "had no channel" (互动回应差)
    ("网上问政", True), ("阳光问政", True), ("我要建议", True), ("意见建议", True), ("投诉建议", True),
    ("领导信箱", True), ("咨询留言", True),
    # near-misses: deputies' motions, interviews, 信访, surveys are no consultation channel
    ("建议提案办理", False), ("人大代表建议答复", False), ("政协委员建议", False), ("在线访谈", False),
    ("网上信访", False), ("意见征集", False), ("网上调查", False),
])
def test_channel_names(tmp_path, label, channel):
    root = tmp_path / "x.gov.cn"
    (root / "xx").mkdir(parents=True)
    (root / "index.html").write_text(f"<html><body><a href='/xx/'>{label}</a></body></html>", encoding="utf-8")
    (root / "xx" / "index.html").write_text(f"<html><body><h2>{label}</h2>{_FORM}</body></html>", encoding="utf-8")
    model = model_of("x.gov.cn", open_snapshot(tmp_path))
    assert [(c.name, c.works) for c in model.channels] == ([(label, True)] if channel else [])


def test_column_redirecting_to_another_host_is_named(tmp_path):
    """A column kept on another platform (302 to the county's 信息公开 site) was skipped as "column page
    not in the snapshot", which sent the inspector looking for a crawl problem; it is not judged either way."""
    home = "<html><body>" + _NAV + "<ul><li><a href='/lm/1.html'>动态</a><span>2022-06-17</span></li></ul></body></html>"
    path = tmp_path / "s.warc.gz"
    _warc(path, [("http://x.gov.cn/", "200 OK", [("Content-Type", "text/html")], home.encode()),
                 ("http://x.gov.cn/lm/", "302 Found", [("Location", "http://xxgk.other.gov.cn/lm/")], b"")])
    model = model_of("x.gov.cn", open_snapshot(path))
    [column] = model.columns
    assert column.status == "missing" and not column.blank
    assert model.skips == [("http://x.gov.cn/lm/", "column page redirects to another host (http://xxgk.other.gov.cn/lm/)")]


@pytest.mark.parametrize("trust, works", [(True, True), (False, False)])
def test_unverified_form_follows_trust_external_channels(tmp_path, trust, works):
    """A form whose sending script the snapshot lacks is unverified: it counts as a channel on another
    platform does, that is unless trust_external_channels is off."""
    from scanner.site.model import ModelOptions, build_site_model

    root = tmp_path / "x.gov.cn"
    (root / "xx").mkdir(parents=True)
    (root / "index.html").write_text("<html><body><a href='/xx/'>领导信箱</a></body></html>", encoding="utf-8")
    (root / "xx" / "index.html").write_text(f"<html><body><h2>领导信箱</h2>{_JS_FORM}</body></html>", encoding="utf-8")
    model = build_site_model("x.gov.cn", "http://x.gov.cn/", open_snapshot(tmp_path).site("x.gov.cn"),
                             ModelOptions(trust_external_channels=trust))
    assert [(c.works, c.reason) for c in model.channels] == [(works, "有留言表单（提交脚本不在快照中，未核验）")]


def test_columns_beyond_the_limit_are_skips(tmp_path):
    """Columns beyond [scan] max_columns were left out without a word: the site was judged on the others
    and nothing said some were never read."""
    from scanner.site.model import ModelOptions, build_site_model

    root = tmp_path / "x.gov.cn"
    root.mkdir()
    nav = "".join(f"<a href='/c{i}/'>栏目{i}</a>" for i in range(5))
    (root / "index.html").write_text(f"<html><body><div class='nav'>{nav}</div></body></html>", encoding="utf-8")
    model = build_site_model("x.gov.cn", "http://x.gov.cn/", open_snapshot(tmp_path).site("x.gov.cn"),
                             ModelOptions(max_columns=3))
    assert [c.name for c in model.columns] == ["栏目0", "栏目1", "栏目2"]
    assert [(u, r) for u, r in model.skips if "limit" in r] == [
        (f"http://x.gov.cn/c{i}/", "column limit reached (3 columns a site)") for i in (3, 4)]


@pytest.mark.parametrize("column, page, channels", [
    # an interaction column whose own page is the channel, no link named 信箱 anywhere: it "had no channel"
    ("互动交流", _FORM, [("互动交流", True)]),
    ("政民互动", "<table><tr><th>标题</th><th>来信时间</th><th>回复时间</th></tr><tr><td><a href='/l/1.html'>问题</a></td>"
     "<td>2022-05-01</td><td>2022-05-10</td></tr></table>", [("政民互动", True)]),
    ("互动交流", "<form action='javascript:void(0)'><textarea name='c'></textarea><input type='submit'></form>",
     [("互动交流", False)]),
    # near-misses: an interview or a survey column with a form is no consultation channel; a page of links only
    ("在线访谈", _FORM, []),
    ("调查征集", _FORM, []),
    ("互动交流", "<ul><li><a href='/ft/'>在线访谈</a></li></ul>", []),
])
def test_interaction_column_that_is_the_channel(tmp_path, column, page, channels):
    root = tmp_path / "x.gov.cn"
    (root / "hd").mkdir(parents=True)
    (root / "index.html").write_text(f"<html><body><div class='nav'><a href='/hd/'>{column}</a></div></body></html>",
                                     encoding="utf-8")
    (root / "hd" / "index.html").write_text(f"<html><body><div class='main'>{page}</div></body></html>", encoding="utf-8")
    model = model_of("x.gov.cn", open_snapshot(tmp_path))
    assert model.columns[0].kind == "interaction"
    assert [(c.name, c.works) for c in model.channels] == channels
