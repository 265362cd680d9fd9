"""Per-account scan: registry row + the account's posts + config -> one record.

Posts are JSONL, one post a line::

    {"account_id": "440600M020XL0001", "account_name": "佛山统计", "platform": "新浪微博",
     "published_at": "2022-06-20T10:00:00+08:00" | 1655690400 | 1655690400000, "title": "...", "url": "...",
     "content_html": "<p>...</p>" | "content_text": "...", "kind": "article"|"message"|"video"|"image"|"audio"}

``kind`` may be written as the platforms' exports write it (图文, 视频, 转发, 原创 …: ``KIND_ALIASES``).

A line that is not JSON, lacks ``account_id`` or has no valid ``published_at`` is a skip
with its line number; posts of accounts not in the registry are counted and left out.  A
file with no line that is a post at all (empty, or another file) is an input error.
An account with no lines has no posts.  Dates are Beijing calendar days; ``published_at``
is ISO 8601 (naive: Beijing time) or Unix time in seconds or milliseconds.  An account
with no update in the 2 weeks whose own lines were skipped is not judged on silence (a
skipped line may be the update): listed with the lines, never failed on partial data; an
other veto (泄露个人隐私 in a post that was read) still fails it, the record saying
``not_judged``.

Content checks are the pipeline's (``Reviewer.review_extracted`` on each post in the
inspection window); the unit checks are ``freshness.account_not_updated`` and
``scanner.checks.account``.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gzip
import json
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..checks.excerpt import mask_text
from ..errors import InputError
from ..findings import Finding, Severity
from ..settings import Settings
from ..text.dates import parse_date, parse_month_day, parse_timestamp
from ..types import Extracted, Source
from .registry import AccountEntry, code_text
from .scan import Worker, _finding_dicts, problems_of

KINDS = ("article", "message", "video", "image", "audio")

# ``kind`` as the platforms' own exports write it (a 公众号's 群发记录, a 微博 export, a 抖音 or
# 头条 list): 图文, 视频, 转发, 原创 … were unknown kinds, the posts skipped and their accounts not
# judged.  A repost (转发, 转载) and an original (原创) are what the account published: updates,
# articles.  文字/文本 is a 公众号's text message, shown in the chat box (the kind
# account.news_as_message looks at), on WeChat only: a 微博 of text alone is a post.
KIND_ALIASES = {
    **dict.fromkeys(("图文", "图文消息", "文章", "原创", "转发", "转载", "转帖", "分享", "微博", "头条", "头条文章",
                     "微头条", "动态", "长文", "帖子", "post", "repost"), "article"),
    **dict.fromkeys(("消息", "文字消息", "文本消息", "对话框", "对话框消息"), "message"),
    **dict.fromkeys(("视频", "短视频", "视频消息", "小视频", "直播回放"), "video"),
    **dict.fromkeys(("图片", "图片消息", "图集", "组图", "相册"), "image"),
    **dict.fromkeys(("语音", "语音消息", "音频"), "audio"),
}
_WECHAT_TEXT = ("文字", "文本", "纯文字", "纯文本", "text")  # message on WeChat (the code's platform WX), else article


def post_kind(value: object, code: str, platform: str = "") -> str | None:
    """The post's kind (one of ``KINDS``) from an export's ``kind``, English in any case or the
    platforms' Chinese (``KIND_ALIASES``); None when it is none of them.  No kind: article."""
    kind = re.sub(r"\s+", "", str(value or "article")).lower()
    if kind in KINDS:
        return kind
    if kind in _WECHAT_TEXT:
        return "message" if code[10:12] == "WX" or "微信" in platform or "公众号" in platform else "article"
    return KIND_ALIASES.get(kind)

# The notice checks accounts on three 单项否决 indicators: 安全问题, 内容更新 and 互动回应.  The
# posts file holds what an account published, never the public's messages to it or its
# replies, so 互动回应 (未提供有效互动功能, 留言未回应) has no data source: every record, the
# scan summary and the report say it was not checked; no account passes or fails on it.
NOT_CHECKED = {"互动回应": "发布记录中没有留言及答复数据"}


@dataclasses.dataclass
class Post:
    line: int
    account_id: str
    account_name: str
    platform: str
    date: dt.date
    published_at: str
    title: str
    url: str
    kind: str
    text: str
    html: bool
    at: dt.datetime | None = None  # the instant, when published_at gives a time of day (Beijing)

    def order(self) -> tuple:
        """The post's place in time: by its instant, never by the text of ``published_at``
        (an export mixing ``2022-06-30 09:00``, ``2022/6/30 21:00`` and ``1656550800`` sorted
        the Unix time first).  A post dated by its day alone counts as that day's first; at the
        same time, the later line of the file."""
        at = self.at
        if at is None:  # a day alone, or a post built without its instant
            stamp = parse_timestamp(self.published_at)
            at = stamp.at if stamp else None
        return (self.date, at is not None, at.timestamp() if at is not None else 0.0, self.line)


@dataclasses.dataclass
class AccountUnit:
    entry: AccountEntry
    posts: list[Post]
    as_of: dt.date
    since: dt.date

    @property
    def source(self) -> str:
        return self.entry.code

    @property
    def observed_name(self) -> str | None:
        dated = [p for p in self.posts if p.date <= self.as_of and p.account_name]
        if not dated:
            return None
        return max(dated, key=Post.order).account_name

    def posts_in_window(self) -> list[Post]:
        return [p for p in self.posts if self.since <= p.date <= self.as_of]


_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "blockquote", "pre"}


def html_to_text(markup: str) -> str:
    """Paragraph text of a post's HTML body, one block a line (table rows tab-separated);
    links keep their visible text, so a body that is only a link stays only a link."""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except Exception:  # noqa: BLE001 - broken markup falls back to the raw text
        return markup
    for br in root.iter("br"):  # a line break separates, as on screen: ID<br>phone were one number
        br.tail = "\n" + (br.tail or "")
    lines: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "tr":
            cells = [" ".join(c.text_content().split()) for c in el if isinstance(c.tag, str)]
            lines.append("\t".join(cells))
        elif el.tag in _BLOCKS and el is not root:
            if any(isinstance(d.tag, str) and (d.tag in _BLOCKS or d.tag == "tr") for d in el.iterdescendants()):
                continue
            if any(a.tag == "tr" for a in el.iterancestors()):
                continue
            line = " ".join(el.text_content().split())
            if line:
                lines.append(line)
    return "\n".join(lines) if lines else " ".join(root.text_content().split())


@dataclasses.dataclass
class PostsFile:
    by_account: dict[str, list[Post]]
    skips: list[tuple[str, str]]
    unknown_accounts: Counter
    lines: int
    unread: dict[str, list[str]] = dataclasses.field(default_factory=dict)  # account -> its skipped lines


_ACCOUNT_ID = re.compile(rb'"account_id"\s*:\s*"?\s*([0-9A-Za-z]+)')


def _decode_line(raw: bytes) -> str | None:
    """A line as UTF-8 (a BOM allowed), else GB18030 (GBK, GB2312); None when neither."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _json_array(p: Path, fh) -> list[tuple[int, str, bytes, object]]:
    """The elements of a posts file that is one JSON array: (n, where, raw, element)."""
    data = fh.read()
    text = _decode_line(data)
    try:
        items = json.loads(text) if text is not None else None
    except json.JSONDecodeError as exc:
        raise InputError(str(p), f"a JSON array that does not parse (line {exc.lineno}: {exc.msg}); "
                                 "or give JSON Lines, one post a line") from None
    if not isinstance(items, list):
        raise InputError(str(p), "neither JSON Lines nor a JSON array of posts")
    return [(i, f"{p.name}:[{i}]", json.dumps(rec, ensure_ascii=False).encode("utf-8"), rec)
            for i, rec in enumerate(items, start=1)]


@contextlib.contextmanager
def _open_posts(p: Path):
    """The posts file's bytes; a gzip-compressed export (``posts.jsonl.gz``) is read through
    (it was 'neither UTF-8 nor GB18030' on every line).  A damaged one is an input error, never
    half read: accounts judged on the part before the damage would fail as silent."""
    with p.open("rb") as raw:
        if raw.read(2) != b"\x1f\x8b":
            raw.seek(0)
            yield raw
            return
        raw.seek(0)
        try:
            with gzip.GzipFile(fileobj=raw) as fh:
                yield fh
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise InputError(str(p), f"gzip-compressed posts file cannot be read ({exc})") from None


# a time relative to when the page was scraped, as a platform's list shows recent posts
_RELATIVE_TIME = re.compile(r"刚刚|[前昨今]天|\d+\s*(?:秒|分钟|分|小时|天|周|个月)前|半小时前")


def _bad_time(value: object) -> str:
    """The skip reason of a ``published_at`` that is no time: a month and day without a year
    (``6月30日``, ``06-30 21:00``, as a platform's list shows this year's posts) says so, and so
    does a relative time (``昨天 12:30``, ``3小时前``: it was 'invalid published_at', saying nothing
    of what to fix in the export)."""
    if value is None or value == "":
        return "no published_at"
    if isinstance(value, str) and _RELATIVE_TIME.search(value):
        return "published_at is a relative time (昨天, 3小时前 … are never guessed: export the full date and time)"
    if isinstance(value, str) and parse_date(value) is None and parse_month_day(value, 2000) is not None:
        return "published_at without a year (a month and day alone are never guessed)"
    return "invalid published_at"


def load_posts(path: Path | str, codes: set[str] | None = None) -> PostsFile:
    """Read the JSONL file once; posts grouped by account id.  A skipped line whose account
    can still be told (``"account_id": "..."`` in its bytes) is counted against that account
    (``unread``): its silence is then not judged."""
    p = Path(path)
    if p.is_dir():  # a folder of exports: it read "not found", which it is not
        raise InputError(str(path), "posts file is a directory (give one JSONL file; join several exports into one)")
    if not p.is_file():
        raise InputError(str(path), "posts file not found")
    by_account: dict[str, list[Post]] = defaultdict(list)
    skips: list[tuple[str, str]] = []
    unknown: Counter = Counter()
    unread: dict[str, list[str]] = defaultdict(list)
    n = readable = 0
    seen: dict[tuple, int] = {}  # a post's identity -> the line that first gave it

    def skip(where: str, reason: str, raw: bytes) -> None:
        skips.append((where, reason))
        m = _ACCOUNT_ID.search(raw)
        code = m.group(1).decode("ascii").upper() if m else None
        if code and (codes is None or code in codes):
            unread[code].append(where)

    with _open_posts(p) as fh:
        head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
        fh.seek(0)
        # a JSON array of posts (an API dump, a tool's export) is read like JSON Lines, its
        # elements numbered from 1 (it was 'no post in the posts file')
        lines = _json_array(p, fh) if head.startswith(b"[") else (
            (n, f"{p.name}:{n}", raw, None) for n, raw in enumerate(fh, start=1))
        for n, where, raw, rec in lines:
            if rec is None:
                if not raw.strip():
                    continue
                line = _decode_line(raw)
                if line is None:
                    skip(where, "neither UTF-8 nor GB18030", raw)
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    skip(where, f"not JSON ({exc.msg})", raw)
                    continue
            if not isinstance(rec, dict) or not rec.get("account_id"):
                skips.append((where, "no account_id"))
                continue
            readable += 1
            code = code_text(str(rec["account_id"])).upper()  # 新媒体标识码 letters are capitals: 440600m020xl0001 is 440600M020XL0001
            if codes is not None and code not in codes:
                unknown[code] += 1
                continue
            stamp = parse_timestamp(rec.get("published_at"))
            if stamp is None:
                skips.append((where, _bad_time(rec.get("published_at"))))
                unread[code].append(where)
                continue
            kind = post_kind(rec.get("kind"), code, str(rec.get("platform") or ""))
            if kind is None:
                skips.append((where, f"unknown kind {str(rec.get('kind')).strip()!r}"))
                unread[code].append(where)
                continue
            html = rec.get("content_html")
            text = html_to_text(html) if isinstance(html, str) and html.strip() else str(rec.get("content_text") or "")
            url = str(rec.get("url") or "").strip()
            # the time as an instant (or a day): one post exported as 1656550800 and as
            # 2022-06-30 09:00 by two tools is one post
            key = (code, url) if url else (code, stamp.at or stamp.day, kind, str(rec.get("title") or ""), text)
            if key in seen:  # the same post exported twice (overlapping exports joined): counted once
                skips.append((where, f"duplicate of line {seen[key]}"))
                continue
            seen[key] = n
            by_account[code].append(Post(n, code, str(rec.get("account_name") or ""), str(rec.get("platform") or ""),
                                         stamp.day, str(rec.get("published_at")), str(rec.get("title") or ""),
                                         str(rec.get("url") or ""), kind, text, bool(html), stamp.at))
    if not readable:
        # a wrong file (the registry CSV, an XLSX) or an empty export: judging on it would fail
        # every account as silent
        first = f"; {skips[0][0]}: {skips[0][1]}" if skips else ""
        raise InputError(str(path), f"no post in the posts file ({n} lines, none a JSON object with account_id{first})")
    if codes and unknown and not by_account and not unread:
        # every post names an account the registry lacks (the platform's own ids such as gh_…,
        # another region's export, the wrong registry): every account failed as silent
        shown = ", ".join(c for c, _ in unknown.most_common(3)) + (" …" if len(unknown) > 3 else "")
        raise InputError(str(path), f"no post of a registry account: {sum(unknown.values())} posts of {len(unknown)} "
                                    f"other account_id(s) ({shown}); account_id must be the registry's 新媒体标识码")
    return PostsFile(dict(by_account), skips, unknown, n, dict(unread))


def scan_account(entry: AccountEntry, posts: list[Post], worker: Worker, unread: list[str] = ()) -> dict[str, Any]:
    """One account's record.  ``unread``: the account's lines of the posts file that were
    skipped; with them an account that shows no update is not judged (``error``)."""
    unit = AccountUnit(entry, posts, worker.as_of, worker.since)
    findings: list[Finding] = []
    reviewed = 0
    for post in unit.posts_in_window():
        body = (post.title + "\n" + post.text).strip() if post.title else post.text
        if not body.strip():
            continue
        name = post.url or f"{entry.code}#{post.line}"
        extracted = Extracted(Source(name, body.encode("utf-8"), url=post.url or None), body, "post",
                              encoding="utf-8", title=post.title or None, published=post.date)
        findings += worker.review(extracted, post.url or name, post.title)
        reviewed += 1
    for check in worker.unit_checks:
        findings.extend(check.check(unit))
    not_judged = None
    if unread and any(f.code == "freshness.account_not_updated" for f in findings):
        # a skipped line may be the update: silence is not judged; any other veto still stands
        shown = "、".join(unread[:5]) + ("等" if len(unread) > 5 else "")
        not_judged = f"{len(unread)}条发布无法读取（{shown}），无法判定监测时间点前2周内是否更新"
        findings = [f for f in findings if f.code != "freshness.account_not_updated"]
        if not any(f.severity is Severity.VETO for f in findings):
            return error_record(entry, worker, not_judged, posts=len(posts))
    problems = problems_of(findings, Severity.VETO)
    record = {
        "kind": "account",
        "code": entry.code,
        "name": entry.name,
        "region": entry.region,
        "platform": entry.platform,
        "sponsor": entry.sponsor,
        "host": "",
        "url": entry.url,
        "line": entry.line,
        # as the platform shows it, a number in it masked (a nickname carrying a mobile: account.renamed)
        "observed_name": mask_text(unit.observed_name) if unit.observed_name else unit.observed_name,
        "verdict": "fail" if problems else "pass",
        "problems": problems,
        "deductions": problems_of(findings, Severity.DEDUCTION),
        "findings": _finding_dicts(findings),
        "as_of": unit.as_of.isoformat(),
        "since": unit.since.isoformat(),
        "stats": {"posts": len(posts), "reviewed": reviewed,
                  "latest": max((p.date for p in posts if p.date <= unit.as_of), default=None) and
                  max(p.date for p in posts if p.date <= unit.as_of).isoformat()},
    }
    record["not_checked"] = list(NOT_CHECKED)
    if not_judged:
        record["not_judged"] = not_judged
    return record


def scan_accounts(entries: list[AccountEntry], posts: PostsFile, settings: Settings,
                  since: dt.date | None = None) -> Iterator[dict[str, Any]]:
    """Records in registry order (accounts are cheap: one process)."""
    worker = Worker(settings, since, scope="account")
    for entry in entries:
        try:
            yield scan_account(entry, posts.by_account.get(entry.code, []), worker, posts.unread.get(entry.code, []))
        except Exception as exc:  # noqa: BLE001 - one account never ends the scan; it is reported unjudged
            yield error_record(entry, worker, f"scan error: {type(exc).__name__}: {exc}", skip="scan error")


def error_record(entry: AccountEntry, worker: Worker, reason: str, *, posts: int = 0,
                 skip: str | None = None) -> dict[str, Any]:
    """An account not judged (``error`` set, ``verdict`` "not_judged", as a site's): listed, left out
    of the store, exit 2."""
    return {"kind": "account", "code": entry.code, "name": entry.name, "region": entry.region,
            "platform": entry.platform, "sponsor": entry.sponsor, "host": "", "url": entry.url,
            "line": entry.line, "verdict": "not_judged", "error": reason, "problems": [], "deductions": [],
            "findings": [], "as_of": worker.as_of.isoformat(), "since": worker.since.isoformat(),
            "stats": {"posts": posts, "reviewed": 0, "skip_reasons": {skip: 1} if skip else {}}}
