"""Account unit checks: news as chat messages, bare hyperlinks, renamed accounts; posts JSONL."""
import json

import pytest

from scanner.checks.account.bare_link import BareLink, is_bare_link
from scanner.checks.account.news_as_message import NewsAsMessage
from scanner.checks.account.renamed import AccountRenamed
from scanner.errors import InputError
from scanner.findings import Severity
from scanner.site.accounts import html_to_text, load_posts
from tests.site_helpers import account, post

NEWS = "\n".join(["市商务局开展对接交流活动。"] * 3 + ["活动现场，企业代表踊跃发言，" * 8])


@pytest.mark.parametrize("posts, fires", [
    ([post("2022-06-10", "message", NEWS)], True),
    # a short reply sent as a message is what messages are for
    ([post("2022-06-10", "message", "您好，已收到您的留言，我们将尽快处理。")], False),
    # the same news as an article is fine
    ([post("2022-06-10", "article", NEWS)], False),
    # outside the window (before 2022-04-01): not judged
    ([post("2022-03-10", "message", NEWS)], False),
])
def test_news_as_message(posts, fires):
    found = list(NewsAsMessage().check(account(*posts)))
    assert bool(found) is fires
    if fires:
        assert found[0].severity is Severity.DEDUCTION


@pytest.mark.parametrize("text, expected", [
    ("https://mp.weixin.qq.com/s/abcdef", True),
    ("  http://www.gd.gov.cn/xxx.html \n", True),
    ("www.chaozhou.gov.cn/a.html。", True),
    # a link with words around it is a proper post
    ("点击查看：https://mp.weixin.qq.com/s/abcdef", False),
    ("今日信访接待安排", False),
    ("", False),
])
def test_is_bare_link(text, expected):
    assert is_bare_link(text) is expected


def test_bare_link_check():
    assert list(BareLink().check(account(post("2022-06-10", text="https://mp.weixin.qq.com/s/x"))))
    assert not list(BareLink().check(account(post("2022-06-10", text="信访动态：https://mp.weixin.qq.com/s/x"))))


def test_post_titles_in_messages_are_masked():
    unit = account(post("2022-06-10", "message", NEWS, title="请13812345678联系我们"),
                   post("2022-06-11", text="https://mp.weixin.qq.com/s/x", title="请13812345678联系我们"))
    for check in (NewsAsMessage(), BareLink()):
        found = list(check.check(unit))
        assert found and "13812345678" not in found[0].message and "138****5678" in found[0].message


@pytest.mark.parametrize("observed, fires", [
    ("测试发布", False),
    ("测试 发布", False),  # spacing is not a rename
    # nor an invisible character a scraped name carries (it was: 账号信息未及时变更)
    ("测试\u200b发布", False),
    ("\ufeff测试发布\u200d", False),
    ("ＸＸ测试发布", True),
    ("测试新发布", True),
])
def test_account_renamed(observed, fires):
    unit = account(post("2022-06-01", name="测试发布", line=1), post("2022-06-10", name=observed, line=2))
    found = list(AccountRenamed().check(unit))
    assert bool(found) is fires
    if fires:
        assert found[0].severity is Severity.DEDUCTION
        assert found[0].location["problem"] == "账号信息未及时变更"


@pytest.mark.parametrize("observed, registered, shown, hidden", [
    # a nickname carrying a mobile or an e-mail (a personal account registered by mistake): masked in the
    # message and the evidence (they were printed, stored and reported whole)
    ("张三装修13812345678", "测试发布", "张三装修138****5678", "13812345678"),
    ("测试发布 zhangsan@163.com", "测试发布", "测试发布 z*******@163.com", "zhangsan@163.com"),
    ("测试新发布", "测试发布13912345678", "测试新发布", "13912345678"),
    # near-misses: a name alone is quoted as the platform shows it (the product's rule: a full name alone
    # is not hidden; 附件4 prints the registry's name so); a number too short to be an identifier stays
    ("张三", "测试发布", "张三", None),
    ("测试发布2022", "测试发布", "测试发布2022", None),
])
def test_account_renamed_masks_identifiers_in_names(observed, registered, shown, hidden):
    import json

    from scanner.site.accounts import AccountUnit, scan_account
    from scanner.site.registry import AccountEntry
    from scanner.site.scan import Worker
    from scanner.settings import Settings
    from tests.site_helpers import AS_OF, SINCE

    entry = AccountEntry(2, "测试", registered, "微信订阅号", "测试单位", "440100M001WX0001")
    posts = [post("2022-06-10", name=observed, line=1)]
    [found] = list(AccountRenamed().check(AccountUnit(entry, posts, AS_OF, SINCE)))
    assert found.message.startswith(f"平台显示的账号名称“{shown}”")
    assert found.location["evidence"]["observed"] == shown
    if hidden:
        assert hidden not in found.message + found.excerpt + str(found.location)
    worker = Worker(Settings.load(as_of=AS_OF), SINCE, scope="account")
    record = scan_account(entry, posts, worker)
    assert record["observed_name"] == shown
    if hidden and hidden in observed:  # (the record's name is the registry's, as the report prints it)
        assert hidden not in json.dumps(record["findings"], ensure_ascii=False) + record["observed_name"]



def test_html_to_text_keeps_table_rows_and_link_text():
    text = html_to_text('<p>一</p><p><a href="https://a.cn/x">https://a.cn/x</a></p><table><tr><td>1</td><td>张三</td></tr></table>')
    assert text.split("\n") == ["一", "https://a.cn/x", "1\t张三"]


def test_html_to_text_keeps_line_breaks_apart():
    """<br> between two numbers joined them (11010519491231002X13812345678): the ID, followed
    by a digit, escaped the resident-ID check of the post."""
    assert html_to_text("<p>11010519491231002X<br>13812345678</p>") == "11010519491231002X 13812345678"
    assert html_to_text("<p>张三<br/>李四</p><p>王五</p>").split("\n") == ["张三 李四", "王五"]


def test_load_posts_reports_bad_lines(tmp_path):
    good = {"account_id": "440100M001WX0001", "account_name": "测试发布", "platform": "微信订阅号",
            "published_at": "2022-06-19T16:30:00+00:00", "title": "t", "url": "u", "content_text": "正文", "kind": "article"}
    lines = [json.dumps(good, ensure_ascii=False), "{not json", json.dumps({"title": "no id"}),
             json.dumps({**good, "published_at": "yesterday"}), json.dumps({**good, "kind": "story"}),
             json.dumps({**good, "account_id": "440100M009WX0001"}), ""]
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    posts = load_posts(path, {"440100M001WX0001"})
    assert [p.date.isoformat() for p in posts.by_account["440100M001WX0001"]] == ["2022-06-20"]  # Beijing day
    assert [w for w, _ in posts.skips] == ["posts.jsonl:2", "posts.jsonl:3", "posts.jsonl:4", "posts.jsonl:5"]
    assert posts.unknown_accounts == {"440100M009WX0001": 1}


@pytest.mark.parametrize("encode, note", [
    (lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"), "a BOM before the first line (it was 'not JSON')"),
    (lambda text: text.replace("\n", "\r\n").encode("gbk"), "GBK, as Chinese Windows tools save it (every line was 'not UTF-8')"),
])
def test_load_posts_reads_bom_and_gbk(tmp_path, encode, note):
    good = {"account_id": "440100M001WX0001", "account_name": "测试发布", "published_at": "2022-06-19T10:00:00+08:00",
            "title": "工作动态", "content_text": "正文"}
    path = tmp_path / "posts.jsonl"
    path.write_bytes(encode("\n".join(json.dumps({**good, "title": f"动态{i}"}, ensure_ascii=False) for i in range(3)) + "\n"))
    posts = load_posts(path, {"440100M001WX0001"})
    assert not posts.skips, note
    assert [p.title for p in posts.by_account["440100M001WX0001"]] == ["动态0", "动态1", "动态2"]


@pytest.mark.parametrize("write, expected, skips", [
    # a JSON array of posts (an API dump, indented or on one line) was 'no post in the posts file'
    (lambda posts: json.dumps(posts, ensure_ascii=False, indent=2), ["动态0", "动态1"], []),
    (lambda posts: "\ufeff" + json.dumps(posts, ensure_ascii=False), ["动态0", "动态1"], []),
    (lambda posts: json.dumps(posts + [{"title": "no id"}], ensure_ascii=False), ["动态0", "动态1"],
     [("posts.jsonl:[3]", "no account_id")]),
    # JSON Lines as before
    (lambda posts: "\n".join(json.dumps(x, ensure_ascii=False) for x in posts), ["动态0", "动态1"], []),
])
def test_load_posts_reads_a_json_array(tmp_path, write, expected, skips):
    base = {"account_id": "440100M001WX0001", "published_at": "2022-06-19T10:00:00+08:00", "content_text": "正文"}
    path = tmp_path / "posts.jsonl"
    path.write_text(write([{**base, "title": f"动态{i}", "url": f"u{i}"} for i in range(2)]), encoding="utf-8")
    posts = load_posts(path, {"440100M001WX0001"})
    assert [p.title for p in posts.by_account["440100M001WX0001"]] == expected and posts.skips == skips


def test_load_posts_broken_json_array_is_one_line(tmp_path):
    path = tmp_path / "posts.json"
    path.write_text('[{"account_id": "440100M001WX0001",\n', encoding="utf-8")
    with pytest.raises(InputError, match="a JSON array that does not parse"):
        load_posts(path, {"440100M001WX0001"})


def test_load_posts_counts_a_post_exported_twice_once(tmp_path):
    base = {"account_id": "440100M001WX0001", "published_at": "2022-06-19T10:00:00+08:00", "title": "动态",
            "content_text": "正文"}
    lines = [{**base, "url": "https://mp.weixin.qq.com/s/a"}, {**base, "url": "https://mp.weixin.qq.com/s/a"},
             {**base, "url": "https://mp.weixin.qq.com/s/b"},  # another post, same title and day
             base, base, {**base, "content_text": "另一条正文"}]  # no url: the whole post decides
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    posts = load_posts(path, {"440100M001WX0001"})
    assert [p.line for p in posts.by_account["440100M001WX0001"]] == [1, 3, 4, 6]
    assert posts.skips == [("posts.jsonl:2", "duplicate of line 1"), ("posts.jsonl:5", "duplicate of line 4")]
    assert not posts.unread  # a duplicate loses nothing: the account is judged


def test_load_posts_counts_a_broken_line_against_its_account(tmp_path):
    """A line cut short (not JSON) that still names its account: that account's silence is
    not judged (the lost line may be its update); a line naming no account is only a skip."""
    line = json.dumps({"account_id": "440100M001WX0001", "published_at": "2022-06-19T10:00:00+08:00",
                       "content_text": "正文"}, ensure_ascii=False)
    path = tmp_path / "posts.jsonl"
    path.write_text(line[:50] + "\n" + '{"title": "x"\n' + line.replace("440100M001WX0001", "440100M009WX0001")[:40] + "\n"
                    + line.replace("440100M001WX0001", "440100M002WX0001") + "\n", encoding="utf-8")
    posts = load_posts(path, {"440100M001WX0001", "440100M002WX0001"})
    assert len(posts.skips) == 3
    assert posts.unread == {"440100M001WX0001": ["posts.jsonl:1"]}  # 440100M009WX0001 is not registered


def test_load_posts_reads_account_ids_in_any_case(tmp_path):
    """An exporter writing 440100m001wx0001 (the registry's code in lower case): its posts were
    'not in the registry', and the registered account failed as silent."""
    line = {"account_id": " 440100m001wx0001 ", "published_at": "2022-06-19T10:00:00+08:00", "content_text": "正文"}
    path = tmp_path / "posts.jsonl"
    path.write_text(json.dumps(line) + "\n" + json.dumps(line)[:45] + "\n", encoding="utf-8")
    posts = load_posts(path, {"440100M001WX0001"})
    assert not posts.unknown_accounts and len(posts.by_account["440100M001WX0001"]) == 1
    assert posts.unread == {"440100M001WX0001": ["posts.jsonl:2"]}


def test_load_posts_reads_kind_in_any_case(tmp_path):
    line = {"account_id": "440100M001WX0001", "published_at": "2022-06-19T10:00:00+08:00", "content_text": "正文"}
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps({**line, "kind": k}) for k in ("Article", " MESSAGE ", "story")) + "\n",
                    encoding="utf-8")
    posts = load_posts(path, {"440100M001WX0001"})
    assert [p.kind for p in posts.by_account["440100M001WX0001"]] == ["article", "message"]
    assert posts.skips == [("posts.jsonl:3", "unknown kind 'story'")]


@pytest.mark.parametrize("code, platform, kinds, expected", [
    # a 公众号's 群发记录: 图文 an article, 文字 a text message in the chat box, 视频, 图片, 语音
    ("440100M001WX0001", "微信公众号", ["图文", "图文消息", "文字", "视频", "图片", "语音"],
     ["article", "article", "message", "video", "image", "audio"]),
    # a 微博 export: 原创 and 转发 are what the account published (updates), a text-only 微博 a post
    ("440100M002XL0001", "新浪微博", ["原创", "转发", " 转发 ", "文字", "视频"],
     ["article", "article", "article", "article", "video"]),
    # 抖音 / 头条 lists
    ("440100M003DY0001", "抖音", ["短视频", "图文", "直播回放"], ["video", "article", "video"]),
    ("440100M004TT0001", "", ["微头条", "文章", "视频"], ["article", "article", "video"]),
    # WeChat told by the code's platform when the export names none
    ("440100M005WX0001", "", ["文本", "Article"], ["message", "article"]),
])
def test_load_posts_reads_the_platforms_chinese_kinds(tmp_path, code, platform, kinds, expected):
    """图文, 视频, 转发, 原创 … were unknown kinds: the posts skipped, the account not judged."""
    line = {"account_id": code, "platform": platform, "published_at": "2022-06-19T10:00:00+08:00"}
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps({**line, "kind": k, "content_text": f"正文{i}"}, ensure_ascii=False)
                             for i, k in enumerate(kinds)) + "\n", encoding="utf-8")
    posts = load_posts(path, {code})
    assert posts.skips == [] and [p.kind for p in posts.by_account[code]] == expected


@pytest.mark.parametrize("kind", [
    # near-misses: still unknown, skipped with the export's word (not guessed)
    "故事", "直播", "live", "图文视频", "转发评论",
])
def test_load_posts_unknown_chinese_kind_still_skipped(tmp_path, kind):
    line = {"account_id": "440100M001WX0001", "published_at": "2022-06-19T10:00:00+08:00", "content_text": "正文"}
    path = tmp_path / "posts.jsonl"
    path.write_text(json.dumps({**line, "kind": kind}, ensure_ascii=False) + "\n", encoding="utf-8")
    posts = load_posts(path, {"440100M001WX0001"})
    assert posts.skips == [("posts.jsonl:1", f"unknown kind {kind!r}")] and not posts.by_account


def test_wechat_text_message_kind_is_news_as_message(tmp_path):
    """A 公众号 news story sent as 文字 (the export's word for a chat-box message) is the notice's
    通过对话框发布新闻稿件; the same text as a 微博 of 文字 is a post."""
    import datetime as dt

    from scanner.settings import Settings
    from scanner.site.run import run_account_scan

    body = "据悉，" + "本市开展防汛应急演练，各部门协同处置。" * 12
    registry = tmp_path / "accounts.csv"
    registry.write_text("地区,新媒体名称,账号类型,主办单位,新媒体标识码\n"
                        "广州,广州发布,微信订阅号,广州市人民政府新闻办公室,440100M001WX0001\n"
                        "广州,广州微博,新浪微博,广州市人民政府新闻办公室,440100M002XL0001\n", encoding="utf-8")
    posts = tmp_path / "posts.jsonl"
    posts.write_text("\n".join(json.dumps({"account_id": c, "published_at": "2022-06-19T10:00:00+08:00",
                                           "title": "防汛演练", "content_text": body, "kind": "文字"},
                                          ensure_ascii=False) for c in ("440100M001WX0001", "440100M002XL0001")) + "\n",
                     encoding="utf-8")
    records = []
    run_account_scan(str(registry), str(posts), Settings.load(as_of=dt.date(2022, 6, 20)), emit=records.append)
    found = {r["code"]: [f["code"] for f in r["findings"]] for r in records}
    assert "account.news_as_message" in found["440100M001WX0001"]
    assert "account.news_as_message" not in found["440100M002XL0001"]
    assert all(not r.get("error") for r in records)


@pytest.mark.parametrize("content", [
    b"",
    b"\n\n",
    "地区,新媒体名称,账号类型,主办单位,新媒体标识码\n佛山,佛山统计,新浪微博,佛山市统计局,440600M020XL0001\n".encode(),
    b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5\xd8",
])
def test_posts_file_with_no_post_is_an_input_error(tmp_path, content):
    """The registry CSV given as -p, an XLSX, an empty export: every line a skip, and every
    account was failed as 监测时间点前2周内无更新 (veto)."""
    from scanner.errors import InputError

    path = tmp_path / "posts.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError, match="no post in the posts file"):
        load_posts(path, {"440600M020XL0001"})


@pytest.mark.parametrize("stamps, expected", [
    # (published_at, account_name) in file order; the latest post by time names the account
    # a slash date later in the day: it sorted before the ISO one ('/' > '-' only by chance)
    ([("2022-06-30 21:00", "测试新发布"), ("2022/6/30 08:00", "测试发布")], "测试新发布"),
    ([("2022/6/30 21:00", "测试新发布"), ("2022-06-30 08:00", "测试发布")], "测试新发布"),
    # Unix time 1656594000 is 21:00 Beijing: as text it sorted before every ISO string (a missed rename)
    ([(1656594000, "测试新发布"), ("2022-06-30 09:00", "测试发布")], "测试新发布"),
    ([("1656594000000", "测试新发布"), ("2022-06-30 09:00", "测试发布")], "测试新发布"),
    # UTC written with Z: 03:30Z is 11:30 Beijing, after 10:00 (the text T10 > T03 gave a false rename)
    ([("2022-06-30T03:30:00Z", "测试发布"), ("2022-06-30T10:00:00+08:00", "旧名称")], "测试发布"),
    # 2022-06-30 23:59 Beijing written in UTC is the same day as 09:00 Beijing, and later
    ([("2022-06-30T15:59:00Z", "测试发布"), ("2022年6月30日 09:00", "旧名称")], "测试发布"),
    # a day alone counts as the day's first: a post with its time that day names the account
    ([("2022-06-30 08:00", "测试发布"), ("2022-06-30", "旧名称")], "测试发布"),
    # an earlier day never wins over a later one, whatever the text
    ([("2022-06-29 23:00", "旧名称"), ("2022/6/30 00:10", "测试发布")], "测试发布"),
    # 6月30日 without a year is unreadable (a skip): it never names the account
    ([("6月30日", "旧名称"), ("2022-06-30 08:00", "测试发布")], "测试发布"),
    # the same time: the later line
    ([("2022-06-30 09:00", "旧名称"), (1656550800, "测试发布")], "测试发布"),
])
def test_observed_name_is_the_latest_post_by_time(tmp_path, stamps, expected):
    import datetime as dt

    from scanner.site.accounts import AccountUnit
    from tests.site_helpers import ACCOUNT

    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps({"account_id": ACCOUNT.code, "account_name": name, "published_at": at,
                                          "url": f"u{i}", "content_text": "正文"}, ensure_ascii=False)
                              for i, (at, name) in enumerate(stamps)) + "\n", encoding="utf-8")
    posts = load_posts(path, {ACCOUNT.code}).by_account[ACCOUNT.code]
    unit = AccountUnit(ACCOUNT, posts, dt.date(2022, 6, 30), dt.date(2022, 4, 1))
    assert unit.observed_name == expected
    assert bool(list(AccountRenamed().check(unit))) is (expected != "测试发布")


@pytest.mark.parametrize("first, second", [
    # one post, two tools' exports joined: Unix time and Beijing text, ISO in UTC and in Beijing
    (1656550800, "2022-06-30 09:00"),
    ("1656550800000", "2022/6/30 09:00:00"),
    ("2022-06-30T01:00:00Z", "2022-06-30T09:00:00+08:00"),
    ("2022-06-30 01:00:00 UTC", "2022年6月30日 09:00"),
])
def test_load_posts_reads_a_post_with_its_time_written_two_ways_once(tmp_path, first, second):
    """Without a URL a post is the same post by its time: compared as text, the second
    export's copy was counted again (read 2 posts, 2 reviews, findings twice)."""
    base = {"account_id": "440100M001WX0001", "title": "动态", "content_text": "正文"}
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps({**base, "published_at": at}, ensure_ascii=False) for at in (first, second))
                    + "\n", encoding="utf-8")
    posts = load_posts(path, {"440100M001WX0001"})
    assert [p.line for p in posts.by_account["440100M001WX0001"]] == [1]
    assert posts.skips == [("posts.jsonl:2", "duplicate of line 1")]


@pytest.mark.parametrize("value, reason", [
    ("6月30日", "published_at without a year (a month and day alone are never guessed)"),
    ("06-30 21:00", "published_at without a year (a month and day alone are never guessed)"),
    ("yesterday", "invalid published_at"),
    # relative times, as a platform's list shows recent posts (they were 'invalid published_at')
    ("昨天 12:30", "published_at is a relative time (昨天, 3小时前 … are never guessed: export the full date and time)"),
    ("3小时前", "published_at is a relative time (昨天, 3小时前 … are never guessed: export the full date and time)"),
    ("刚刚", "published_at is a relative time (昨天, 3小时前 … are never guessed: export the full date and time)"),
    ("前天 08:00", "published_at is a relative time (昨天, 3小时前 … are never guessed: export the full date and time)"),
    ("2022-02-30 10:00", "invalid published_at"),
    ("", "no published_at"),
    (None, "no published_at"),
])
def test_load_posts_says_why_a_time_is_unreadable(tmp_path, value, reason):
    """Every unreadable time was 'invalid published_at': an export writing this year's posts as
    6月30日 (every account then not judged on silence) did not say what to fix."""
    path = tmp_path / "posts.jsonl"
    path.write_text(json.dumps({"account_id": "440100M001WX0001", "published_at": value, "content_text": "正文"},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    posts = load_posts(path, {"440100M001WX0001"})
    assert posts.skips == [("posts.jsonl:1", reason)] and posts.unread == {"440100M001WX0001": ["posts.jsonl:1"]}


@pytest.mark.parametrize("array", [False, True])
def test_load_posts_reads_a_gzip_export(tmp_path, array):
    """posts.jsonl.gz as platforms' export tools write it: every line was 'neither UTF-8 nor
    GB18030', and the file 'no post in the posts file'."""
    import gzip

    recs = [{"account_id": "440100M001WX0001", "published_at": "2022-06-19T10:00:00+08:00", "title": f"动态{i}",
             "url": f"u{i}", "content_text": "正文"} for i in range(3)]
    text = json.dumps(recs, ensure_ascii=False) if array else "\n".join(json.dumps(r, ensure_ascii=False) for r in recs)
    path = tmp_path / "posts.jsonl.gz"
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    posts = load_posts(path, {"440100M001WX0001"})
    assert [p.title for p in posts.by_account["440100M001WX0001"]] == ["动态0", "动态1", "动态2"] and not posts.skips


@pytest.mark.parametrize("cut", [20, -10])
def test_load_posts_refuses_a_damaged_gzip_export(tmp_path, cut):
    """Never half read: the accounts after the damage would fail as silent."""
    import gzip

    line = json.dumps({"account_id": "440100M001WX0001", "published_at": "2022-06-19T10:00:00+08:00",
                       "content_text": "正文" * 50}, ensure_ascii=False)
    path = tmp_path / "posts.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join([line] * 50).encode("utf-8"))[:cut])
    with pytest.raises(InputError, match="gzip-compressed posts file cannot be read"):
        load_posts(path, {"440100M001WX0001"})


@pytest.mark.parametrize("ids, error", [
    # the platform's own ids (gh_…), another region's export: every account failed as silent (91 vetoes)
    (["gh_12345", "gh_67890"], True),
    (["440300M001WX0001"], True),
    # one registry account among others: judged, the others counted as not in the registry
    (["gh_12345", "440100M001WX0001"], False),
])
def test_posts_of_no_registry_account_are_an_input_error(tmp_path, ids, error):
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps({"account_id": i, "published_at": "2022-06-19T10:00:00+08:00",
                                          "content_text": "正文"}) for i in ids) + "\n", encoding="utf-8")
    if error:
        with pytest.raises(InputError, match="no post of a registry account: .* account_id must be the registry's 新媒体标识码"):
            load_posts(path, {"440100M001WX0001", "440100M002WX0001"})
    else:
        assert len(load_posts(path, {"440100M001WX0001", "440100M002WX0001"}).by_account["440100M001WX0001"]) == 1


def test_load_posts_reads_a_full_width_account_id(tmp_path):
    """An export keyed by ４４０１００Ｍ００１ＷＸ０００１ (full width): its posts were 'not in the
    registry', and the account failed as silent."""
    path = tmp_path / "posts.jsonl"
    path.write_text(json.dumps({"account_id": "４４０１００Ｍ００１ＷＸ０００１", "published_at": "2022-06-19 10:00",
                                "content_text": "正文"}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert len(load_posts(path, {"440100M001WX0001"}).by_account["440100M001WX0001"]) == 1
