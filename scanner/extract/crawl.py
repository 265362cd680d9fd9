"""``govscan crawl``: registered websites -> a WARC snapshot (httpx + warcio).

Rules, each enforced here and tested against a local server:

* only the hosts of the registry are fetched; links and redirects to other hosts are not
  followed (the redirect response itself is recorded);
* private, loopback, link-local and reserved addresses are refused unless
  ``allow_private`` is set (for tests on 127.0.0.1);
* robots.txt is read once per host and respected (``Crawl-delay`` too), unless the
  operator turns it off;
* one request per ``delay`` seconds per host; at most ``max_pages`` pages per site and
  ``max_depth`` links from the home page, plus the files (.xlsx, .pdf, .docx ...) that pages
  at ``max_depth`` link; bodies over ``MAX_PAGE_BYTES`` are cut and
  recorded with ``WARC-Truncated: length``;
* pages are stored as received (GBK/GB2312/GB18030 bytes untouched) and decoded only to
  find links (``scanner.text.decode``).

Errors (DNS, refused connections, timeouts) are counted per site; a crawl never stops on
one bad page or site.
"""
from __future__ import annotations

import dataclasses
import io
import ipaddress
import socket
import time
import urllib.robotparser
from collections import Counter, deque
from collections.abc import Callable
from urllib.parse import urlsplit

from ..errors import InputError
from .snapshot import MAX_PAGE_BYTES, absolute, host_of_url

USER_AGENT = "govscan/0.1 (+government website inspection)"  # the crawler's and the prober's default

_DROP_HEADERS = {"content-encoding", "transfer-encoding", "content-length", "connection", "keep-alive"}


@dataclasses.dataclass(frozen=True)
class CrawlOptions:
    max_pages: int = 500
    max_depth: int = 3
    delay: float = 1.0
    timeout: float = 15.0
    allow_private: bool = False
    respect_robots: bool = True
    user_agent: str = "govscan/0.1"


@dataclasses.dataclass
class SiteCrawl:
    host: str
    pages: int = 0
    errors: Counter = dataclasses.field(default_factory=Counter)
    refused: str | None = None


@dataclasses.dataclass
class CrawlSummary:
    out: str
    sites: list[SiteCrawl] = dataclasses.field(default_factory=list)
    registry_errors: list = dataclasses.field(default_factory=list)
    elapsed: float = 0.0

    def lines(self) -> list[str]:
        pages = sum(s.pages for s in self.sites)
        errors = Counter()
        for s in self.sites:
            errors.update(s.errors)
        out = [f"已抓取网站{len(self.sites)}个、页面{pages}个，写入 {self.out}（用时{self.elapsed:.1f}秒）。"]
        refused = [s for s in self.sites if s.refused]
        for s in refused:
            out.append(f"拒绝抓取 {s.host}：{s.refused}")
        if errors:
            merged: Counter = Counter()
            for k, v in errors.items():
                merged[crawl_error_zh(k)] += v
            out.append("抓取错误：" + "，".join(f"{k} {v}" for k, v in merged.most_common()))
        for e in self.registry_errors:
            out.append(f"名单有误，未抓取：{e}")
        return out


# the crawl's error kinds (robots.txt, httpx's exception names) in the summary's words
_CRAWL_ERRORS_ZH = [
    ("robots.txt disallows", "robots.txt 禁止抓取"),
    ("Timeout", "请求超时"),
    ("ConnectError", "无法连接"),
    ("TooManyRedirects", "跳转次数过多"),
    ("ProtocolError", "协议错误"),
    ("ReadError", "读取中断"),
    ("WriteError", "发送中断"),
    ("DecodingError", "内容解码出错"),
    ("InvalidURL", "网址无效"),
    ("UnsupportedProtocol", "网址无效"),
]


def crawl_error_zh(kind: str) -> str:
    """A crawl error kind as the summary tells it (``ConnectTimeout`` -> 请求超时); another exception
    is 其他错误 with its name."""
    return next((label for key, label in _CRAWL_ERRORS_ZH if key in kind), f"其他错误（{kind}）")


def progress_line(site: "SiteCrawl") -> str:
    return f"{site.host}：已抓取{site.pages}个页面" + (f"（拒绝抓取：{site.refused}）" if site.refused else "")


def address_problem(host: str, allow_private: bool) -> str | None:
    """Why ``host`` may not be fetched (private/loopback address, unresolvable), or None."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        return f"无法解析域名（{exc.strerror or exc}）"
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast
                or ip.is_unspecified) and not allow_private:
            return f"地址 {ip} 为内网或本机地址（测试时可用 --allow-private）"
    return None


class _RateLimiter:
    def __init__(self, delay: float):
        self.delay = delay
        self.last: dict[str, float] = {}

    def wait(self, host: str, delay: float | None = None) -> None:
        gap = self.delay if delay is None else delay
        now = time.monotonic()
        last = self.last.get(host)
        if last is not None and now - last < gap:
            time.sleep(gap - (now - last))
        self.last[host] = time.monotonic()


def _robots(client, base: str, limiter: _RateLimiter, host: str, options: CrawlOptions):
    parser = urllib.robotparser.RobotFileParser()
    url = base.rstrip("/") + "/robots.txt"
    try:
        limiter.wait(host)
        resp = client.get(url)
    except Exception:  # noqa: BLE001 - no robots.txt reachable: everything allowed
        parser.allow_all = True
        return parser
    if resp.status_code in (401, 403):
        parser.disallow_all = True
    elif resp.status_code >= 400:
        parser.allow_all = True
    else:
        parser.parse(resp.text.splitlines())
    return parser


def crawl_site(client, writer, home: str, options: CrawlOptions, limiter: _RateLimiter) -> SiteCrawl:
    from warcio.statusandheaders import StatusAndHeaders

    from ..site.html import forward_target, iframe_sources, is_attachment_link, links, parse_html

    host = host_of_url(home)
    result = SiteCrawl(host)
    why = address_problem(host, options.allow_private)
    if why:
        result.refused = why
        return result
    parts = urlsplit(home)
    base = f"{parts.scheme}://{parts.netloc}"
    robots = _robots(client, base, limiter, host, options) if options.respect_robots else None
    delay = options.delay
    if robots is not None:
        cd = robots.crawl_delay(options.user_agent)
        if cd:
            delay = max(delay, float(cd))
    queue: deque[tuple[str, int]] = deque([(home, 0)])
    seen = {home}
    while queue and result.pages < options.max_pages:
        url, depth = queue.popleft()
        if robots is not None and not robots.can_fetch(options.user_agent, url):
            result.errors["robots.txt disallows"] += 1
            continue
        limiter.wait(host, delay)
        try:
            with client.stream("GET", url) as resp:
                chunks, size, truncated = [], 0, False
                for chunk in resp.iter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > MAX_PAGE_BYTES:
                        truncated = True
                        break
                body = b"".join(chunks)[:MAX_PAGE_BYTES]
        except Exception as exc:  # noqa: BLE001 - one page never stops the crawl
            result.errors[type(exc).__name__] += 1
            continue
        headers = [(k, v) for k, v in resp.headers.items() if k.lower() not in _DROP_HEADERS]
        headers.append(("Content-Length", str(len(body))))
        status_line = f"{resp.status_code} {resp.reason_phrase or 'OK'}"
        http_headers = StatusAndHeaders(status_line, headers, protocol="HTTP/1.1")
        warc_headers = {"WARC-Truncated": "length"} if truncated else None
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http_headers,
                                           warc_headers_dict=warc_headers)
        writer.write_record(record)
        result.pages += 1
        if 300 <= resp.status_code < 400:
            target = absolute(url, resp.headers.get("location"))
            if target and host_of_url(target) == host and target not in seen:
                seen.add(target)
                queue.append((target, depth))
            continue
        ctype = resp.headers.get("content-type", "")
        if resp.status_code >= 400 or "html" not in ctype.lower() or depth > options.max_depth or truncated:
            continue
        # at the last level only the files a page links (a 公示名单 .xlsx/.pdf) are fetched: they
        # are leaves, and the articles there (page 2 of a list) are what carry them
        files_only = depth == options.max_depth
        try:
            tree, _ = parse_html(body, url)
        except InputError:
            continue
        # parts of this page, at its depth: where it forwards to (a meta refresh or script on an
        # index.html stub) and its frames (a list framed in); the scan reads both
        for target in [forward_target(tree, url), *iframe_sources(tree, url)]:
            if target and host_of_url(target) == host and target not in seen:
                seen.add(target)
                queue.append((target, depth))
        for link in links(tree, url):
            target = link.url
            if host_of_url(target) != host or target in seen:
                continue
            if files_only and not is_attachment_link(target, link.text):
                continue
            seen.add(target)
            queue.append((target, depth + 1))
    return result


def crawl_registry(registry: str, out: str, options: CrawlOptions,
                   progress: Callable[[str], None] | None = None) -> CrawlSummary:
    import httpx
    from warcio.warcwriter import WARCWriter

    from ..site.registry import load_sites

    started = time.perf_counter()
    entries, errors = load_sites(registry)
    summary = CrawlSummary(out, registry_errors=errors)
    limiter = _RateLimiter(options.delay)
    try:
        fh = open(out, "wb")
    except OSError as exc:
        raise InputError(out, f"cannot write the WARC ({exc.strerror or exc})") from None
    with fh, httpx.Client(follow_redirects=False, timeout=options.timeout,
                          headers={"User-Agent": options.user_agent}) as client:
        writer = WARCWriter(fh, gzip=out.endswith(".gz"))
        for entry in entries:
            home = entry.url if "://" in entry.url else f"http://{entry.url}"
            site = crawl_site(client, writer, home, options, limiter)
            summary.sites.append(site)
            if progress:
                progress(progress_line(site))
    summary.elapsed = time.perf_counter() - started
    return summary
