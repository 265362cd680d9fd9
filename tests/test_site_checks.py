"""Site unit checks: interaction (3 months to the day), identifiers, test content."""
import pytest

from scanner.checks.site.consultation_channel import NoConsultationChannel
from scanner.checks.site.identifier import SiteIdentifier
from scanner.checks.site.letters_cut_off import LettersCutOff
from scanner.checks.site.letters_overdue import LettersOverdue
from scanner.checks.site.test_content import is_test_title
from scanner.findings import Severity
from scanner.site.model import Channel
from tests.site_helpers import site


@pytest.mark.parametrize("letter, fires", [
    # answered exactly 3 months after submission: in time; a day later: late
    (("问", "2022-03-20", "2022-06-20", "已回复", False), False),
    (("问", "2022-03-19", "2022-06-20", "已回复", False), True),
    # unanswered: late once the time point passes the deadline
    (("问", "2022-03-20", None, "办理中", False), False),
    (("问", "2022-03-19", None, "办理中", False), True),
    # month ends clamp: 2022-02-28 + 3 months = 2022-05-28
    (("问", "2022-02-28", "2022-05-28", "已回复", False), False),
    (("问", "2022-02-28", "2022-05-29", "已回复", False), True),
    # only messages of the year before the time point: 2021-06-20 counts, 2021-06-19 does not
    (("问", "2021-06-20", None, "办理中", False), True),
    (("问", "2021-06-19", None, "办理中", False), False),
    # invalid messages do not count
    (("问", "2022-01-01", None, "无效留言", False), False),
    # a reply dated after the time point is not yet a reply
    (("问", "2022-03-10", "2022-06-25", "已回复", False), True),
    # marked answered, the reply date shown nowhere (no 回复时间 column, none on the letter's page):
    # not judged late (it was a 互动回应差 veto, "至今未答复")
    (("问", "2022-01-05", None, "已回复", False), False),
    (("问", "2022-01-05", None, "已办结", False), False),
    # unanswered or no status: late as before
    (("问", "2022-01-05", None, "未回复", False), True),
    (("问", "2022-01-05", None, "", False), True),
    # undated letters cannot be judged
    (("问", None, None, "", False), False),
])
def test_letters_overdue(letter, fires):
    found = list(LettersOverdue().check(site(letters=[letter])))
    assert bool(found) is fires
    if fires:
        assert found[0].location["problem"] == "互动回应差"
        assert found[0].severity is Severity.VETO


@pytest.mark.parametrize("body, expected", [
    ("<h1>关于医保报销的咨询</h1><p>来信时间：2022-01-05</p><p>答复时间：2022-01-20</p>", "2022-01-20"),
    ("<table><tr><td>来信时间</td><td>2022-01-05</td></tr><tr><td>回复时间</td><td>2022年1月20日</td></tr></table>",
     "2022-01-20"),
    ("<div>办结日期: 2022/02/03</div>", "2022-02-03"),
    # a submission date alone is no reply date
    ("<p>来信时间：2022-01-05</p><p>正在办理。</p>", None),
])
def test_reply_date_of_a_letter_page(body, expected):
    import datetime as dt

    from scanner.site.html import parse_html, reply_date

    tree, _ = parse_html(f"<html><body>{body}</body></html>".encode(), "l.html")
    assert reply_date(tree) == (dt.date.fromisoformat(expected) if expected else None)


def test_letter_list_without_a_reply_column_is_dated_by_the_letter_pages(tmp_path):
    """标题 | 来信时间 | 状态: the reply date is on each letter's page (it was read as unanswered)."""
    from scanner.extract.snapshot import open_snapshot
    from scanner.site.model import build_site_model

    root = tmp_path / "t.gov.cn"
    (root / "hdjl").mkdir(parents=True)
    (root / "index.html").write_text('<html><body><div class="nav"><a href="/hdjl/">领导信箱</a></div></body></html>',
                                     encoding="utf-8")
    rows = "".join(f'<tr><td><a href="/hdjl/{i}.html">问{i}</a></td><td>{sub}</td><td>{st}</td></tr>'
                   for i, (sub, st) in enumerate([("2022-01-05", "已回复"), ("2022-01-06", "已回复"), ("2022-01-07", "办理中")]))
    (root / "hdjl" / "index.html").write_text(
        '<html><body><form action="/hdjl/post"><textarea name="c"></textarea><input type="submit"></form>'
        f'<table><tr><th>标题</th><th>来信时间</th><th>状态</th></tr>{rows}</table></body></html>', encoding="utf-8")
    (root / "hdjl" / "0.html").write_text("<html><body><p>答复时间：2022-01-20</p></body></html>", encoding="utf-8")
    (root / "hdjl" / "1.html").write_text("<html><body><p>答复时间：2022-05-10</p></body></html>", encoding="utf-8")
    (root / "hdjl" / "2.html").write_text("<html><body><p>答复时间：2022-01-08</p></body></html>", encoding="utf-8")
    model = build_site_model("t.gov.cn", "http://t.gov.cn/", open_snapshot(str(tmp_path)).site("t.gov.cn"))
    replied = {letter.title: letter.replied and letter.replied.isoformat() for letter in model.letters}
    # 办理中 is not looked up: the list says it is unanswered
    assert replied == {"问0": "2022-01-20", "问1": "2022-05-10", "问2": None}


def test_letters_cut_off_is_a_deduction():
    cut = site(letters=[("关于小区…", "2022-06-01", None, "", True)])
    found = list(LettersCutOff().check(cut))
    assert found and found[0].severity is Severity.DEDUCTION
    assert not list(LettersCutOff().check(site(letters=[("关于小区道路", "2022-06-01", None, "", False)])))


@pytest.mark.parametrize("check, letter", [
    (LettersOverdue(), ("13812345678业主反映小区噪音", "2022-01-10", None, "办理中", False)),
    (LettersCutOff(), ("身份证11010519491231002X的补办…", "2022-06-01", None, "", True)),
])
def test_letter_titles_in_messages_are_masked(check, letter):
    """A citizen's letter title may hold a phone or ID number: the message (printed, stored,
    reported) shows it masked; only the evidence in the location keeps the title as listed."""
    found = list(check.check(site(letters=[letter])))
    assert found
    text = found[0].message + found[0].excerpt
    assert "13812345678" not in text and "11010519491231002X" not in text
    assert "138****5678" in text or "110***********002X" in text


def test_mask_text_is_idempotent():
    from scanner.checks.excerpt import mask_text

    for raw in ("电话13812345678", "020-83331234", "11010519491231002X", "4401000001", "护照EE2397560", "G12345678"):
        once = mask_text(raw)
        assert once != raw and mask_text(once) == once


@pytest.mark.parametrize("channels, fires", [
    ([Channel("领导信箱", "http://t.gov.cn/x/", True, "有留言表单")], False),
    ([Channel("领导信箱", "http://t.gov.cn/x/", False, "页面显示“维护中”")], True),
    ([], True),
    ([Channel("咨询", "http://a/", False, "页面未采集到"), Channel("留言", "http://b/", True, "有信件列表")], False),
])
def test_consultation_channel(channels, fires):
    assert bool(list(NoConsultationChannel().check(site(channels=channels)))) is fires


_HEADER = '<div class="header"><form action="/search/"><input type="text" name="q"><input type="submit" value="搜索"></form></div>'


@pytest.mark.parametrize("body, expected", [
    # a letter form
    ('<form action="/hdjl/submit" method="post"><input type="text" name="title"><textarea name="c"></textarea>'
     '<input type="submit" value="提交"></form>', True),
    ('<div class="main"><form action="/xx/post"><input name="title"><button>我要写信</button></form></div>', True),
    # a site search box (in the header of most sites' every page) is not one: a 信箱 page that
    # says 暂停使用 was a working channel because of it
    (_HEADER + "<div>系统维护中，暂停使用。</div>", False),
    ('<form name="searchform" action="http://search.gd.gov.cn/search/all"><input type="text" name="keywords">'
     '<button type="submit">站内搜索</button></form>', False),
    ('<form action="/s"><input type="text" name="w"><input type="submit" value="检 索"></form>', False),
    ('<form action="http://so.xx.gov.cn/"><input type="text" name="w"><input type="submit" value="Go"></form>', False),
    # a letter lookup (查询码) is not a way to write either
    ('<form action="/hdjl/check"><input type="text" name="code"><input type="submit" value="信件查询"></form>', False),
    # the search box and a real form on the same page
    (_HEADER + '<form action="/hdjl/submit"><textarea name="c"></textarea><input type="submit" value="提交"></form>', True),
])
def test_has_form(body, expected):
    from scanner.site.html import has_form, parse_html

    tree, _ = parse_html(f"<html><body>{body}</body></html>".encode(), "t.html")
    assert has_form(tree) is expected


def test_form_channel_on_a_large_script_is_quick():
    """A handler's functions were each looked up by a regex over the page's scripts: a minified bundle of
    20,000 functions took seconds a handler (and a call chain through all of them, minutes)."""
    import time

    from scanner.site.html import form_channel, parse_html

    bundle = "".join(f"function f{i}(){{ var c = document.getElementById('lf'); f{i + 1}(); }}\n" for i in range(20000))
    calls = ";".join(f"f{i}()" for i in range(0, 20000, 500))  # a handler calling 40 of them
    html = (f"<html><body><form id='lf' action='#'><textarea name='c'></textarea><input type='button' onclick='{calls}' "
            f"value='提交'></form><script>{bundle}</script></body></html>")
    tree, _ = parse_html(html.encode(), "t.html")
    started = time.process_time()
    found = form_channel(tree, "http://t.gov.cn/hdjl/")
    assert time.process_time() - started < 2.0
    assert found is not None and not found.works


_TA = '<textarea name="content"></textarea>'
_NOT_SENT = "留言表单无法提交（提交地址为“{}”，页面中没有发送表单的脚本）"


@pytest.mark.parametrize("body, expected", [
    # a form that sends: a submit button and an address (or none: it posts to its own page)
    (f'<form action="/hdjl/submit" method="post">{_TA}<input type="submit" value="提交"></form>', (True, "有留言表单")),
    (f'<form method="post">{_TA}<input type="image" src="tj.gif"></form>', (True, "有留言表单")),
    (f'<form action="save.jsp" onsubmit="return check()">{_TA}<input type="submit" value="提交"></form>'
     '<script>function check(){ if(!document.f.content.value){ alert("请填写内容"); return false; } return true; }</script>',
     (True, "有留言表单")),
    # real forms posting through a script that names where it sends still count
    (f'<form action="javascript:void(0)">{_TA}<input type="button" value="提交" onclick="sendLetter()"></form>'
     '<script>function sendLetter(){ $.ajax({url: "/hdjl/save.do", type: "post", data: $("form").serialize()}); }</script>',
     (True, "有留言表单（由脚本提交至/hdjl/save.do）")),
    (f'<form id="letterForm" action="#">{_TA}<button type="submit">提交</button></form>'
     '<script>$("#letterForm").on("submit", function(){ $.post(ctx + "/api/letter/add", $(this).serialize()); return false; });</script>',
     (True, "有留言表单（由脚本提交至/api/letter/add）")),
    (f'<form name="form1" action="#">{_TA}<a href="javascript:;" onclick="go()">提交</a></form>'
     '<script>var go = function(){ document.form1.action = "/gbook/save.jsp"; document.form1.submit(); };</script>',
     (True, "有留言表单（由脚本提交至/gbook/save.jsp）")),
    (f'<form action="javascript:send()">{_TA}<input type="submit" value="提交"></form>'
     '<script>function send(){ check() && post(); } function check(){ return true; }'
     ' function post(){ var x = new XMLHttpRequest(); x.open("POST", "/letter/add"); x.send(); }</script>',
     (True, "有留言表单（由脚本提交至/letter/add）")),
    (f'<form action="/gb/add.do">{_TA}<input type="button" value="提交" onclick="if(ok()){{document.forms[0].submit()}}"></form>'
     '<script>function ok(){ return true; }</script>', (True, "有留言表单")),
    # a formless guestbook: fields and a link whose script sends them
    (f'<div class="xiexin">{_TA}<a href="javascript:void(0)" onclick="tj()">提交</a></div>'
     '<script>function tj(){ fetch("/hdjl/api/submit", {method: "POST"}); }</script>',
     (True, "有留言表单（由脚本提交至/hdjl/api/submit）")),
    # its sending script is a file of the site the snapshot lacks: cannot be verified, counts (as an external platform)
    (f'<script src="/js/letter.js"></script><form action="#">{_TA}<input type="button" value="提交" onclick="sendLetter()"></form>',
     (True, "有留言表单（提交脚本不在快照中，未核验）")),
    (f'<script src="/js/hdjl.js"></script><form id="lf" action="javascript:void(0)">{_TA}<button>提交</button></form>',
     (True, "有留言表单（提交脚本不在快照中，未核验）")),
    # a form that sends nothing (it was a working 互动交流 channel)
    (f'<form action="javascript:void(0)">{_TA}<input type="submit" value="提交"></form>',
     (False, _NOT_SENT.format("javascript:void(0)"))),
    (f'<form action="#">{_TA}<button>提交</button></form>', (False, _NOT_SENT.format("#"))),
    (f'<form action="javascript:;">{_TA}<input type="submit" value="提交"></form>', (False, _NOT_SENT.format("javascript:;"))),
    (f'<form action="/hdjl/submit">{_TA}</form>', (False, "留言表单无法提交（没有提交按钮，也没有提交脚本）")),
    (f'<form action="#">{_TA}<input type="button" value="提交" onclick="sendLetter()"></form>'
     '<script>function sendLetter(){ alert("系统升级中，暂停受理"); }</script>',
     (False, "留言表单无法提交（提交脚本没有指向任何提交地址）")),
    (f'<form action="/hdjl/submit">{_TA}<input type="submit" value="提交" onclick="alert(\'维护中\'); return false;"></form>',
     (False, "留言表单无法提交（提交按钮的脚本只是阻止提交或弹出提示）")),
    # a library is no sending script; a function no script defines, with nothing missing, sends nothing
    (f'<script src="/js/jquery-1.8.3.min.js"></script><form action="#">{_TA}<input type="button" value="提交" onclick="tj()"></form>',
     (False, "留言表单无法提交（提交脚本没有指向任何提交地址）")),
    (f'<script src="/js/jquery.min.js"></script><form action="#">{_TA}<button>提交</button></form>', (False, _NOT_SENT.format("#"))),
    # a visit counter's AJAX elsewhere on the page is not the form's
    (f'<form action="#">{_TA}<button>提交</button></form><script>$.ajax({{url: "/count.jsp?id=1"}});</script>',
     (False, _NOT_SENT.format("#"))),
    # no form to write in
    ('<form action="/hdjl/submit"><textarea disabled></textarea><input type="submit"></form>', None),
    ('<div>请拨打12345热线</div>', None),
])
def test_form_channel(body, expected):
    """What a form needs to count as a working 留言 channel: a way to send (table of near-misses)."""
    from scanner.site.html import form_channel, has_form, parse_html

    tree, _ = parse_html(f"<html><body>{body}</body></html>".encode(), "t.html")
    found = form_channel(tree, "http://t.gov.cn/hdjl/")
    assert (found and (found.works, found.reason)) == expected
    assert has_form(tree, "http://t.gov.cn/hdjl/") is bool(expected and expected[0])


@pytest.mark.parametrize("footer, zhaocuo, codes", [
    ("主办单位：测试单位 网站标识码：4401000001", True, []),
    ("网站标识码 4401000001", True, []),
    ("主办单位：测试单位", True, ["site.identifier"]),
    ("网站标识码：4401000002", True, ["site.identifier"]),
    ("网站标识码：4401000001", False, ["site.identifier"]),
    ("网站标识码：4401000002", False, ["site.identifier", "site.identifier"]),
    # full-width digits are the same code (it was a mismatch: 页脚网站标识码４４０１０００００１与登记的4401000001不一致)
    ("网站标识码：４４０１０００００１", True, []),
    ("网站标识码：４４０１０００００２", True, ["site.identifier"]),
    # as templates word it (a false 页脚未展示网站标识码)
    ("网站标识码为4401000001", True, []),
    ("网站标识码为：4401000001", True, []),
    ("【网站标识码】4401000001", True, []),
    ("网站标识码为4401000002", True, ["site.identifier"]),
    # as footers word it: 识别码, 标示码, 标识码 alone (it was "页脚未展示网站标识码")
    ("网站识别码：4401000001", True, []),
    ("网站标示码:4401000001", True, []),
    ("标识码：4401000001", True, []),
    ("网站识别码：4401000002", True, ["site.identifier"]),
    # near-misses: another code in the footer is no 网站标识码
    ("备案号：粤ICP备12345678号 公安备案号44010602001234", True, ["site.identifier"]),
    ("统一社会信用代码：4401000001", True, ["site.identifier"]),
])
def test_site_identifier(footer, zhaocuo, codes):
    found = list(SiteIdentifier().check(site(footer=footer, zhaocuo=zhaocuo)))
    assert [f.code for f in found] == codes
    assert all(f.severity is Severity.DEDUCTION for f in found)


@pytest.mark.parametrize("title, expected", [
    ("测试", True), ("测试数据", True), ("test", True), ("TEST 1", True), ("Lorem ipsum dolor", True),
    ("请输入标题", True), ("测试123", True), ("【测试】", True),
    # near-misses: real titles that contain 测试
    ("普通话水平测试报名通知", False), ("2022年学生体质健康测试结果公示", False), ("关于测试设备采购的公告", False),
    ("核酸检测点信息", False), ("", False),
])
def test_is_test_title(title, expected):
    assert is_test_title(title) is expected
