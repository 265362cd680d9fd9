"""govscan crawl against a local http.server on 127.0.0.1 (allowed explicitly): robots.txt,
registered hosts only, loopback refused by default, GBK bytes stored as served, and the
WARC it writes scans like the mirror it was served from."""
import functools
import http.server
import shutil
import threading
import time
from pathlib import Path

import pytest

from scanner.cli import app
from scanner.extract.crawl import CrawlOptions, _RateLimiter, address_problem, crawl_registry
from scanner.extract.warc import WarcSnapshot

MIRROR = Path(__file__).parent / "fixtures" / "sites" / "mirror"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def served(tmp_path):
    root = tmp_path / "www"
    shutil.copytree(MIRROR / "gbk.fixture.gov.cn", root)
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /jgzn/\n", encoding="ascii")
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, server.server_address[1]
    server.shutdown()
    server.server_close()


def _registry(tmp_path, port):
    reg = tmp_path / "sites.csv"
    reg.write_text("地区,网站名称,主办单位,网站地址,网站标识码\n"
                   f"测试,本地网站,测试单位,http://127.0.0.1:{port}/,4401000002\n", encoding="utf-8")
    return reg


def test_loopback_refused_without_flag(tmp_path, served):
    _, port = served
    summary = crawl_registry(str(_registry(tmp_path, port)), str(tmp_path / "s.warc.gz"), CrawlOptions(delay=0))
    assert summary.sites[0].pages == 0 and "本机" in summary.sites[0].refused


def test_address_problem():
    assert address_problem("127.0.0.1", False)
    assert address_problem("127.0.0.1", True) is None
    assert address_problem("10.1.2.3", False)


def test_crawl_then_scan(tmp_path, served, cli_runner):
    root, port = served
    reg = _registry(tmp_path, port)
    out = tmp_path / "s.warc.gz"
    res = cli_runner.invoke(app, ["crawl", "-r", str(reg), "-o", str(out), "--allow-private", "--delay", "0",
                                  "--max-depth", "4"])
    assert res.exit_code == 0, res.output
    snap = WarcSnapshot(out)
    site = snap.site("127.0.0.1")
    urls = set(site.refs)
    assert f"127.0.0.1:{port}/" in urls
    assert not any("/jgzn/" in u for u in urls)  # robots.txt
    assert not any("gdwsxf" in u for u in urls)  # other hosts are not fetched
    # GBK bytes are stored as served
    page = site.get(f"http://127.0.0.1:{port}/")
    assert page.data == (root / "index.html").read_bytes()
    # the WARC scans like the mirror: the site passes, its columns are all read
    res = cli_runner.invoke(app, ["scan", "sites", "-r", str(reg), "-s", str(out), "--as-of", "2022-06-20", "-f", "json"])
    assert res.exit_code == 0, res.output
    import json

    rec = json.loads(res.stdout)["results"][0]
    assert rec["verdict"] == "pass" and rec["stats"]["columns"] >= 8


def test_rate_limiter_spaces_requests():
    limiter = _RateLimiter(0.05)
    start = time.monotonic()
    for _ in range(4):
        limiter.wait("a.gov.cn")
    assert time.monotonic() - start >= 0.15
    start = time.monotonic()
    limiter.wait("b.gov.cn")  # another host is not held back
    assert time.monotonic() - start < 0.05


@pytest.fixture
def served_attachment(tmp_path):
    root = tmp_path / "www"
    shutil.copytree(MIRROR / "attach.fixture.gov.cn", root)
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("depth, fetched", [
    # home (0) -> the 公示, one of the home page's newest items (1) -> its DOCX: at --max-depth 1 the
    # article was the last level, its links were not followed, and the 公示名单 never reached the WARC
    (1, True),
    (2, True),
    (0, False),  # the home page is the last level: the article is not fetched, nor its file
])
def test_files_linked_at_the_last_level_are_fetched(tmp_path, served_attachment, depth, fetched):
    _, port = served_attachment
    out = tmp_path / "s.warc.gz"
    summary = crawl_registry(str(_registry(tmp_path, port)), str(out),
                             CrawlOptions(delay=0, allow_private=True, max_depth=depth))
    assert summary.sites[0].pages > 0
    urls = set(WarcSnapshot(out).site("127.0.0.1").refs)
    assert any(u.endswith("/tzgg/fj/mingdan.docx") for u in urls) is fetched
    if depth == 1:  # pages beyond the last level are not fetched: only files
        assert not any(u.endswith("/hdjl/zx/l0_0.html") for u in urls)


def test_crawl_follows_a_forwarding_home_page_and_frames(tmp_path, cli_runner):
    """index.html forwarding with a meta refresh, a column list framed in: neither is an <a> link,
    so the WARC held the stub only, and the scan judged it (首页长期未更新, 互动回应差)."""
    root = tmp_path / "www"
    shutil.copytree(MIRROR / "ok.fixture.gov.cn", root)
    (root / "portal").mkdir()
    (root / "index.html").rename(root / "portal" / "index.html")
    (root / "index.html").write_text("<html><head><meta http-equiv='refresh' content='0;url=/portal/index.html'>"
                                     "</head><body></body></html>", encoding="utf-8")
    (root / "yw" / "index.html").rename(root / "yw" / "list.html")
    (root / "yw" / "index.html").write_text("<html><body><h2>要闻</h2><iframe src='list.html'></iframe></body></html>",
                                            encoding="utf-8")
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        reg = tmp_path / "sites.csv"
        reg.write_text("地区,网站名称,主办单位,网站地址,网站标识码\n"
                       f"测试,本地网站,测试单位,http://127.0.0.1:{port}/,4401000001\n", encoding="utf-8")
        out = tmp_path / "s.warc.gz"
        summary = crawl_registry(str(reg), str(out), CrawlOptions(delay=0, allow_private=True, max_depth=3))
    finally:
        server.shutdown()
        server.server_close()
    urls = set(WarcSnapshot(out).site("127.0.0.1").refs)
    assert summary.sites[0].pages > 2
    assert any(u.endswith("/portal/index.html") for u in urls) and any(u.endswith("/yw/list.html") for u in urls)
    res = cli_runner.invoke(app, ["scan", "sites", "-r", str(reg), "-s", str(out), "--as-of", "2022-06-20", "-f", "json"])
    import json

    rec = json.loads(res.stdout)["results"][0]
    assert (rec["verdict"], rec["problems"]) == ("pass", []), rec["findings"]


@pytest.mark.parametrize("kind, label", [
    ("robots.txt disallows", "robots.txt 禁止抓取"),
    ("ConnectTimeout", "请求超时"), ("ReadTimeout", "请求超时"), ("PoolTimeout", "请求超时"),
    ("ConnectError", "无法连接"), ("TooManyRedirects", "跳转次数过多"), ("RemoteProtocolError", "协议错误"),
    ("ReadError", "读取中断"), ("DecodingError", "内容解码出错"),
    ("ValueError", "其他错误（ValueError）"),
])
def test_crawl_errors_are_told_in_chinese(kind, label):
    """The crawl's summary and progress lines read `抓取错误：robots.txt disallows 3，ConnectTimeout 2` and
    `127.0.0.1: 12 pages` among Chinese lines."""
    from scanner.extract.crawl import CrawlSummary, SiteCrawl, crawl_error_zh, progress_line

    assert crawl_error_zh(kind) == label
    site = SiteCrawl("x.gov.cn", pages=12)
    site.errors.update({kind: 2, "ReadTimeout": 1})
    lines = CrawlSummary("s.warc.gz", [site]).lines()
    assert any(line.startswith("抓取错误：") and f"{label} " in line for line in lines)
    assert progress_line(site) == "x.gov.cn：已抓取12个页面"
    assert progress_line(SiteCrawl("y.gov.cn", refused="无法解析域名")) == "y.gov.cn：已抓取0个页面（拒绝抓取：无法解析域名）"
