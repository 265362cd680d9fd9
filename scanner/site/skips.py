"""The scan's reasons in the inspector's words: skips, units not judged, snapshot and input problems.

The scan records why a page or a post was skipped, why a unit was not judged and what was wrong
with a snapshot in its own (English) words, with details (``huge page (12 MB)``, ``duplicate of
line 12``, ``home page redirects to another host (http://www.x.gov.cn/); …``): the JSON output and
the store keep them so (programs count them).  What a person reads, the scan's summary on stderr
and the 通报's 总体情况, tells them in Chinese:

* ``skip_reason_zh``: a reason's kind, as both the summary and the report count them
  (``column page not in the snapshot`` -> 栏目页不在快照中, ``HTTP 404`` -> 页面返回错误代码404);
* ``reason_zh``: one reason with its details kept (URLs, line numbers, sizes), for the summary's
  lines that name a unit, a file or a line (未作判定, 快照问题, 输入问题).

Neither shows an English reason raw: one not in the tables is 其他原因.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

# First match wins.  Reasons that read the same are counted together.
SKIP_REASONS_ZH: list[tuple[re.Pattern, str]] = [(re.compile(p, re.I), label) for p, label in [
    # websites: the snapshot
    (r"^home page redirects", "首页跳转至其他域名"),
    (r"^home page is empty without its scripts", "首页只有脚本、没有内容（防火墙验证页面或浏览器生成的页面）"),
    (r"^page empty without its scripts", "页面只有脚本、没有内容（防火墙验证页面或浏览器生成的页面）"),
    (r"^home page", "首页不在快照中或无法读取"),
    (r"^column page not in", "栏目页不在快照中"),
    (r"^article not in", "文章页不在快照中"),
    (r"^linked page not in", "附件或链接页面不在快照中"),
    (r"^article limit", "超出单个网站的文章数上限"),
    (r"^column limit", "超出单个网站的栏目数上限（未检查）"),
    (r"^column list drawn by a script", "栏目列表由脚本加载（快照中只有空白页面）"),
    (r"^column page redirects to another host", "栏目页跳转至其他域名"),
    (r"^page not found", "页面不存在（返回200的错误页面）"),
    (r"revisit record", "重复采集记录所指的原始采集不在快照中"),
    (r"redirect", "页面跳转循环或跳转至站外"),
    (r"^HTTP 0\b", "页面无应答"),
    (r"^truncated|WARC record", "快照记录不完整或损坏"),
    (r"^unreadable (file|WARC)", "快照文件无法读取"),
    (r"^part of the document", "文档部分内容无法读取"),
    # pages and attachments too large to read (the size caps)
    (r"huge page|over the .*limit|more than|inflates|decompresses|text pieces|MB of XML|holds \d|over \d+ MB", "页面或附件过大"),
    (r"protected", "附件损坏或设有密码"),
    # (a .pdf link answered with an HTML error page: extension says PDF but the content is HTML)
    (r"corrupt|^unreadable|^not an? |^OFD without|^no page could be read|^an imported part|^extension says",
     "附件损坏或无法读取"),
    (r"^empty", "空文件"),
    (r"no text layer", "附件为无文字层的扫描件"),
    (r"encoding|byte-order mark|UTF-8", "文字编码无法识别"),
    (r"unparseable HTML", "网页无法解析"),
    (r"HTML page without", "网页无正文"),
    (r"binary file|unsupported|not supported|Word 6\.0", "不支持的文件格式"),
    (r"^scan error", "检查出错"),
    # new-media posts (the posts export)
    (r"^not JSON", "发布记录无法解析"),
    (r"^no account_id", "发布记录缺少新媒体标识码"),
    (r"^no published_at", "发布记录缺少发布时间"),
    (r"published_at is a relative", "发布时间为“昨天”等相对时间"),
    (r"published_at without a year", "发布时间缺少年份"),
    (r"published_at", "发布时间无法识别"),
    (r"^unknown kind", "发布类型无法识别"),
    (r"^duplicate", "重复的发布记录"),
]]
_HTTP_STATUS = re.compile(r"^HTTP (\d{3})\b")
SKIP_OTHER = "其他原因"
SKIP_REASONS_SHOWN = 5  # the report lists the first few; the rest are counted as 其他原因


def skip_reason_zh(reason: str) -> str:
    """A scan's skip reason in the report's words: ``column page not in the snapshot`` ->
    栏目页不在快照中, ``HTTP 404`` -> 页面返回错误代码404; a reason already in Chinese
    as it is; any other English one 其他原因 (never shown raw)."""
    m = _HTTP_STATUS.match(reason)
    if m:
        return f"页面返回错误代码{m.group(1)}"
    for pattern, label in SKIP_REASONS_ZH:
        if pattern.search(reason):
            return label
    return reason if reason and not re.search(r"[A-Za-z]", reason) else SKIP_OTHER


def skip_counts_zh(reasons: dict[str, int]) -> list[tuple[str, int]]:
    """The skip counts by reason, told in Chinese and merged, most frequent first (all of them)."""
    merged: Counter = Counter()
    for reason, n in reasons.items():
        merged[skip_reason_zh(str(reason))] += int(n)
    other = merged.pop(SKIP_OTHER, 0)
    return merged.most_common() + ([(SKIP_OTHER, other)] if other else [])


def skip_reasons_zh(reasons: dict[str, int]) -> list[tuple[str, int]]:
    """The scan's skip counts by reason, told in Chinese and merged, most frequent first; beyond
    the first few, the rest together as 其他原因 (it listed five and dropped the others)."""
    ranked = skip_counts_zh(reasons)
    other = ranked.pop()[1] if ranked and ranked[-1][0] == SKIP_OTHER else 0
    shown, rest = ranked[:SKIP_REASONS_SHOWN], ranked[SKIP_REASONS_SHOWN:]
    other += sum(n for _, n in rest)
    return shown + ([(SKIP_OTHER, other)] if other else [])


# One reason with its details, for the lines that name a unit, a file or a line.  Each pattern
# is the whole reason as the scan writes it; its groups are details (URLs, numbers, names) kept
# as they are, or reasons translated in turn (``home page unusable: HTTP 404``).
def _r(pattern: str, render: str | Callable[[re.Match], str]) -> tuple[re.Pattern, Callable[[re.Match], str]]:
    fn = render if callable(render) else (lambda m, t=render: t.format(*m.groups()))
    return re.compile(pattern, re.S), fn


def _held(text: str) -> str:
    return "无" if text == "nothing" else text


DETAILED_ZH: list[tuple[re.Pattern, Callable[[re.Match], str]]] = [
    # a site not judged (the record's error)
    _r(r"home page not in the snapshot", "首页不在快照中（采集未取得首页）"),
    _r(r"home page is empty without its scripts \(a web firewall's challenge, or a page drawn in the browser\); "
       r"crawl it again with a browser",
       "首页在快照中只有脚本、没有内容（网站防火墙的验证页面，或在浏览器中生成的页面）；请用浏览器方式重新采集"),
    _r(r"home page unusable: (.+)", lambda m: f"首页无法读取（{reason_zh(m.group(1))}）"),
    _r(r"home page redirects to another host \((.+?)\); update the registry's 网站地址 to the site's new address",
       "首页跳转至其他域名（{0}）；请将名单中的网站地址改为网站的新地址"),
    _r(r"home page not in the snapshot \((.+)\): only 站点无法访问 was judged, from the probe log",
       lambda m: f"{reason_zh(m.group(1))}：仅依据探测记录判定了站点无法访问"),
    _r(r"scan error: the worker process died scanning this site.*",
       "检查出错：检查该网站的进程意外退出（内存不足，或解析页面时崩溃）"),
    _r(r"scan error: (.+)", "检查出错（程序错误：{0}）"),
    # the snapshot as a whole
    _r(r"none of the registry's hosts is in the snapshot \(it holds: (.*)\)",
       lambda m: f"快照中没有名单上任何网站的域名（快照中有：{_held(m.group(1))}）；请检查快照的目录层级或是否为本地区的快照"),
    _r(r"(\d+) registered host\(s\) not in the snapshot, which holds the same name with or without www\. \((.*)\): "
       r"the registry's 网站地址 and the crawled hosts differ",
       "{0}个登记的域名不在快照中，快照中有加或不加 www. 的同名域名（{1}）：名单的网站地址与采集的域名不一致"),
    _r(r"unreadable WARC \((.*)\)", "WARC文件无法读取（{0}）"),
    _r(r"truncated or corrupt WARC record after offset (\d+): (\w+)", "WARC文件在偏移量{0}之后的记录不完整或损坏（{1}）"),
    _r(r"(\d+) record\(s\) not followed by a blank line \(a wrong Content-Length\?\)",
       "{0}条WARC记录后没有空行（Content-Length可能有误）"),
    _r(r"no response or resource record with a URL \(an empty file, or not a WARC\)",
       "没有带网址的response或resource记录（空文件，或不是WARC文件）"),
    _r(r"truncated WARC: its last record \((.*)\) is cut short \((\d+) bytes of its body missing\)",
       "WARC文件不完整：最后一条记录（{0}）被截断（正文缺少{1}字节）"),
    _r(r"truncated WARC: (\d+) bytes after offset (\d+) hold no complete record",
       "WARC文件不完整：偏移量{1}之后的{0}字节不是完整的记录"),
    # a post of the posts export
    _r(r"duplicate of line (\d+)", "重复的发布记录（与第{0}行相同）"),
    _r(r"duplicate of (.+)", "重复的发布记录（与{0}相同）"),
    _r(r"not JSON \((.*)\)", lambda m: "发布记录无法解析（不是JSON）"),
    _r(r"neither UTF-8 nor GB18030", "发布记录的文字编码无法识别（既不是UTF-8也不是GB18030）"),
    _r(r"no account_id", "发布记录缺少新媒体标识码（account_id）"),
    _r(r"no published_at", "发布记录缺少发布时间（published_at）"),
    _r(r"published_at is a relative time.*", "发布时间为“昨天”“3小时前”等相对时间，无法确定日期；请导出完整的日期和时间"),
    _r(r"published_at without a year.*", "发布时间缺少年份（只有月、日的时间不作推断）；请导出完整的日期和时间"),
    _r(r"invalid published_at", "发布时间无法识别"),
    _r(r"unknown kind (.+)", "发布类型{0}无法识别"),
    _r(r"huge page \((.+)\)", "页面过大（{0}）"),
    _r(r"HTTP (\d{3})", "页面返回错误代码{0}"),
    _r(r"column list drawn by a script \((.+)\)", "栏目列表由脚本从{0}加载，快照中没有，未作判定"),
    _r(r"column page redirects to another host \((.+)\)", "栏目页跳转至其他域名（{0}），未作判定"),
]


_HAN = re.compile(r"[\u4e00-\u9fff]")
_NAMES = re.compile(r"\S*[./:]\S*")  # a file, a URL, a line (posts.jsonl:3): no words to translate


def _chinese(text: str) -> bool:
    return bool(_HAN.search(text)) and not re.search(r"[A-Za-z]{3,}", _NAMES.sub("", text))


def reason_zh(reason: str) -> str:
    """One reason as a person reads it, its details kept: ``duplicate of line 12`` ->
    重复的发布记录（与第12行相同）; a reason of no detailed form is told by its kind
    (``skip_reason_zh``); one already in Chinese (the scan's own Chinese reasons, which may name
    a file: ``2条发布无法读取（posts.jsonl:3、…）``) as it is."""
    text = str(reason).strip()
    for pattern, render in DETAILED_ZH:
        m = pattern.fullmatch(text)
        if m:
            return render(m)
    if _chinese(text):
        return text
    return skip_reason_zh(text)
