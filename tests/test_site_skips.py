"""The scan's reasons as the inspector reads them (scanner.site.skips): the summary on stderr told
skips, units not judged and snapshot problems in English (``跳过5个页面：article not in the
snapshot 2``, ``4401000001: home page not in the snapshot``) among Chinese lines; the JSON keeps
the scan's own words."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from scanner.site.run import ScanSummary
from scanner.site.skips import reason_zh, skip_counts_zh, skip_reason_zh

# Latin words a Chinese line may keep: file and format names, the HTTP header it means
_ALLOWED_LATIN = re.compile(r"https?://\S+|[\w.-]+\.(?:jsonl|csv|gz|warc|gov\.cn)\b|www\.|WARC|JSON|UTF-8|GB18030|"
                            r"Content-Length|response|resource|account_id|published_at|'[a-z]+'|[\w.-]+\.fixture\.gov\.cn")


def _english(line: str) -> list[str]:
    return re.findall(r"[A-Za-z]{3,}", _ALLOWED_LATIN.sub("", line))


@pytest.mark.parametrize("reason, expected", [
    # a site not judged: the record's error
    ("home page not in the snapshot", "首页不在快照中（采集未取得首页）"),
    ("home page unusable: HTTP 404", "首页无法读取（页面返回错误代码404）"),
    ("home page is empty without its scripts (a web firewall's challenge, or a page drawn in the browser); crawl it "
     "again with a browser", "首页在快照中只有脚本、没有内容（网站防火墙的验证页面，或在浏览器中生成的页面）；请用浏览器方式重新采集"),
    ("home page unusable: unknown text encoding (bytes 0x81 …)", "首页无法读取（文字编码无法识别）"),
    ("home page redirects to another host (http://www.x.gov.cn/); update the registry's 网站地址 to the site's new address",
     "首页跳转至其他域名（http://www.x.gov.cn/）；请将名单中的网站地址改为网站的新地址"),
    ("scan error: the worker process died scanning this site (out of memory, or a crash while parsing a page)",
     "检查出错：检查该网站的进程意外退出（内存不足，或解析页面时崩溃）"),
    ("scan error: RuntimeError: check exploded", "检查出错（程序错误：RuntimeError: check exploded）"),
    # the snapshot as a whole
    ("none of the registry's hosts is in the snapshot (it holds: nothing)",
     "快照中没有名单上任何网站的域名（快照中有：无）；请检查快照的目录层级或是否为本地区的快照"),
    ("2 registered host(s) not in the snapshot, which holds the same name with or without www. (www.a.gov.cn -> "
     "a.gov.cn, b.gov.cn -> www.b.gov.cn): the registry's 网站地址 and the crawled hosts differ",
     "2个登记的域名不在快照中，快照中有加或不加 www. 的同名域名（www.a.gov.cn -> a.gov.cn, b.gov.cn -> www.b.gov.cn）："
     "名单的网站地址与采集的域名不一致"),
    ("no response or resource record with a URL (an empty file, or not a WARC)",
     "没有带网址的response或resource记录（空文件，或不是WARC文件）"),
    ("truncated WARC: its last record (http://a.gov.cn/x.html) is cut short (120 bytes of its body missing)",
     "WARC文件不完整：最后一条记录（http://a.gov.cn/x.html）被截断（正文缺少120字节）"),
    ("truncated WARC: 37 bytes after offset 2048 hold no complete record", "WARC文件不完整：偏移量2048之后的37字节不是完整的记录"),
    ("3 record(s) not followed by a blank line (a wrong Content-Length?)", "3条WARC记录后没有空行（Content-Length可能有误）"),
    ("truncated or corrupt WARC record after offset 512: ArchiveLoadFailed",
     "WARC文件在偏移量512之后的记录不完整或损坏（ArchiveLoadFailed）"),
    ("unreadable WARC (Permission denied)", "WARC文件无法读取（Permission denied）"),
    # a line of the posts export
    ("duplicate of line 12", "重复的发布记录（与第12行相同）"),
    ("duplicate of posts.json:[3]", "重复的发布记录（与posts.json:[3]相同）"),
    ("not JSON (Expecting value)", "发布记录无法解析（不是JSON）"),
    ("neither UTF-8 nor GB18030", "发布记录的文字编码无法识别（既不是UTF-8也不是GB18030）"),
    ("no account_id", "发布记录缺少新媒体标识码（account_id）"),
    ("no published_at", "发布记录缺少发布时间（published_at）"),
    ("published_at is a relative time (昨天, 3小时前 … are never guessed: export the full date and time)",
     "发布时间为“昨天”“3小时前”等相对时间，无法确定日期；请导出完整的日期和时间"),
    ("published_at without a year (a month and day alone are never guessed)",
     "发布时间缺少年份（只有月、日的时间不作推断）；请导出完整的日期和时间"),
    ("invalid published_at", "发布时间无法识别"),
    ("unknown kind 'live'", "发布类型'live'无法识别"),
    # a page: detail kept where it is one
    ("huge page (12 MB)", "页面过大（12 MB）"),
    ("HTTP 503", "页面返回错误代码503"),
    ("column list drawn by a script (http://x.gov.cn/api/list?cid=12)",
     "栏目列表由脚本从http://x.gov.cn/api/list?cid=12加载，快照中没有，未作判定"),
    ("page not found (an error page answered with HTTP 200)", "页面不存在（返回200的错误页面）"),
    ("column page redirects to another host (http://xxgk.a.gov.cn/lm/)", "栏目页跳转至其他域名（http://xxgk.a.gov.cn/lm/），未作判定"),
    # no detailed form: the kind, as the report counts it
    ("corrupt XLS (CompDocError)", "附件损坏或无法读取"),
    ("WARC revisit record whose original capture is not in the snapshot (sha1:ABC)", "重复采集记录所指的原始采集不在快照中"),
    ("too many redirects", "页面跳转循环或跳转至站外"),
    # the scan's own Chinese reasons (which may name a file) stay as they are
    ("2条发布无法读取（posts.jsonl:3、posts.jsonl:4），无法判定监测时间点前2周内是否更新",
     "2条发布无法读取（posts.jsonl:3、posts.jsonl:4），无法判定监测时间点前2周内是否更新"),
    # never raw English
    ("something the tables do not know", "其他原因"),
])
def test_reason_zh(reason, expected):
    assert reason_zh(reason) == expected


# every skip kind the scan and the extractors it calls write (reason_kind: the words before a bracket or colon)
SKIP_KINDS = [
    "article not in the snapshot", "column page not in the snapshot", "linked page not in the snapshot",
    "article limit reached", "redirect loop", "too many redirects", "redirect loop or off-site redirect",
    "HTTP 404", "HTTP 0", "huge page", "truncated WARC record", "truncated or corrupt WARC record",
    "WARC revisit record whose original capture is not in the snapshot", "unreadable file", "unreadable",
    "part of the document not read", "HTML page without readable main text", "unparseable HTML",
    "binary file, not text", "empty file", "unknown text encoding", "invalid UTF-8 after its byte-order mark at byte 3",
    "corrupt DOCX", "corrupt or protected DOCX", "empty DOCX", "DOCX holds more than 2,000,000 characters",
    "DOCX decompresses to 300 MB, over the 200 MB limit", "corrupt XLS", "password-protected XLS",
    "XLS has more than 200000 rows", "empty XLS", "corrupt or truncated legacy Office file",
    "corrupt DOC", "password-protected DOC", "Word 6.0/95 document", "not a Word document",
    "DOC has 70000 text pieces, over the 65536 limit", "empty DOC", "corrupt RTF", "empty RTF",
    "corrupt OFD", "not an OFD package", "OFD without pages", "unreadable OFD", "no page could be read",
    "no text layer", "corrupt XLSX", "corrupt or protected XLSX", "empty XLSX", "XLSX has more than 200000 rows",
    "password-protected PDF", "PDF has 900 pages, over the 500 page limit", "PDF text over the size limit",
    "corrupt PDF", "empty CSV", "XLSX member xl/a.xml inflates 5,000x", "more than 2,000,000 cells",
    "unsupported file type", "home page not in the snapshot", "home page redirects to another host",
    "page not found", "column list drawn by a script", "home page is empty without its scripts",
    "page empty without its scripts", "column page redirects to another host", "column limit reached",
    "home page unusable", "scan error",
]


@pytest.mark.parametrize("kind", SKIP_KINDS)
def test_every_skip_kind_has_chinese_words(kind):
    label = skip_reason_zh(kind)
    assert label != "其他原因" and not _english(label), (kind, label)


def test_summary_lines_are_chinese():
    """The lines of a scan's summary that carried the scan's English: 跳过, 快照问题, 未作判定, 输入问题."""
    summary = ScanSummary("sites", "2022Q2", dt.date(2022, 6, 20), dt.date(2022, 4, 1), units=3)
    summary.skipped = Counter({"article not in the snapshot": 4, "HTTP 404": 2, "binary file, not text": 1,
                               "huge page": 1, "corrupt XLS": 1, "corrupt DOCX": 2})
    summary.snapshot_problems = [("snap.warc.gz", "3 record(s) not followed by a blank line (a wrong Content-Length?)")]
    summary.errors = [("4401000001", "home page not in the snapshot"),
                      ("4401000002", "home page redirects to another host (http://www.x.gov.cn/); update the "
                                     "registry's 网站地址 to the site's new address")]
    lines = summary.lines()
    assert "跳过11个页面：文章页不在快照中 4，附件损坏或无法读取 3，页面返回错误代码404 2，不支持的文件格式 1，页面或附件过大 1" in lines
    assert "快照问题：snap.warc.gz：3条WARC记录后没有空行（Content-Length可能有误）" in lines
    assert "2个单位未作判定（不计入存储）：" in lines
    assert "  4401000001：首页不在快照中（采集未取得首页）" in lines
    assert not [line for line in lines if _english(line)], lines
    # the JSON keeps the scan's own words (programs count them)
    assert summary.to_dict()["skip_reasons"]["article not in the snapshot"] == 4
    assert summary.to_dict()["errors"][0] == "4401000001: home page not in the snapshot"

    accounts = ScanSummary("accounts", "2022Q2", dt.date(2022, 6, 20), dt.date(2022, 4, 1), units=1)
    accounts.skipped = Counter({"duplicate of line 3": 1, "duplicate of line 9": 1, "unknown kind 'live'": 1})
    accounts.snapshot_problems = [("posts.jsonl:4", "duplicate of line 3"), ("posts.jsonl:7", "unknown kind 'live'")]
    lines = accounts.lines()
    assert "跳过3条发布：重复的发布记录 2，发布类型无法识别 1" in lines
    assert "输入问题：posts.jsonl:4：重复的发布记录（与第3行相同）" in lines
    assert not [line for line in lines if _english(line)], lines
