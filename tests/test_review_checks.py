"""The first checks through the whole review pipeline, as tables of cases.
Each expected value is the exact original substring the finding must slice."""
import pytest

from conftest import valid_resident_id

ID_OK = "11010519491231002X"  # GB 11643's example number
ID_OK2 = valid_resident_id("44010519800101123")


def flagged(reviewer, text, code):
    review = reviewer.review_text(text)
    return [text[f.start:f.end] for f in review.findings if f.code == code]


@pytest.mark.parametrize("text, expected", [
    # valid, checksum ok
    (f"身份证号{ID_OK}。", [ID_OK]),
    (f"公民身份号码：{ID_OK2}，", [ID_OK2]),
    # lower-case check letter
    (f"证件号码{ID_OK.lower()}", [ID_OK.lower()]),
    # right shape, wrong checksum
    ("订单号110105194912310021", []),
    # impossible birth date (month 13) even with a computed check digit
    (f"编号{valid_resident_id('11010519491331002')}", []),
    # full-width digits inside running text
    ("证件号码１１０１０５１９４９１２３１００２Ｘ", ["１１０１０５１９４９１２３１００２Ｘ"]),
    # zero-width characters inside the number do not hide it
    ("证号11010519\u200b491231002X", ["11010519\u200b491231002X"]),
    # masked forms are not leaks
    ("身份证号4401**********123X", []),
    ("身份证号440105********1234", []),
    # part of a longer digit run
    (f"流水号9{ID_OK}7", []),
])
def test_resident_id(reviewer, text, expected):
    assert flagged(reviewer, text, "pii.cn_resident_id") == expected


@pytest.mark.parametrize("text, expected", [
    ("联系电话：13812345678。", ["13812345678"]),
    ("手机 138-1234-5678 或 +86 139 1234 5678", ["138-1234-5678", "+86 139 1234 5678"]),
    ("手机１３８１２３４５６７８", ["１３８１２３４５６７８"]),
    # masked
    ("手机138****5678", []),
    # not a mobile: 12-digit run, landline, hotline, wrong second digit
    ("编号138123456789", []),
    ("监督电话：0763-12345", []),
    ("服务热线12345", []),
    ("号码12812345678", []),
    # inside an ID number
    (f"身份证号{ID_OK}", []),
])
def test_mobile(reviewer, text, expected):
    assert flagged(reviewer, text, "pii.cn_mobile") == expected


@pytest.mark.parametrize("text, expected", [
    ("深入学习贯彻习进平新时代中国特色社会主义思想", ["习进平"]),
    ("习近平总书记强调", []),
    ("習進平同志", ["習進平"]),
    ("习\u200b进平同志", ["习\u200b进平"]),
    ("赵乐记委员长", ["赵乐记"]),
])
def test_leader_name(reviewer, text, expected):
    assert flagged(reviewer, text, "wording.leader_name") == expected


def test_leader_name_suggestion_and_indicator(reviewer):
    review = reviewer.review_text("学习习进平讲话")
    (f,) = [f for f in review.findings if f.code == "wording.leader_name"]
    assert f.suggestion == "习近平"
    assert f.severity.value == "veto"
    assert f.indicator == "单项否决·严重表述错误"
    assert f.explanation and f.action


def test_pii_excerpt_is_masked(reviewer):
    text = f"申请人身份证号{ID_OK}，联系电话13812345678，住址某村。"
    review = reviewer.review_text(text)
    assert {f.code for f in review.findings} == {"pii.cn_resident_id", "pii.cn_mobile"}
    for f in review.findings:
        assert ID_OK not in f.excerpt and "13812345678" not in f.excerpt
        assert ID_OK not in f.message and "13812345678" not in f.message
        assert "*" in f.excerpt


def test_passport_without_context_is_masked_in_excerpts(reviewer):
    """A row of an HTML 公示 table as trafilatura gives it: the passport has no 护照 label
    near it, so no finding of its own, and the mobile's excerpt printed it unmasked."""
    text = "| 3 | 赵琳强 | 女 | 17712344155 | 0763-1237293 | EE2397560 |\n"
    review = reviewer.review_text(text)
    assert "pii.cn_mobile" in {f.code for f in review.findings}
    for f in review.findings:
        assert "EE2397560" not in f.excerpt and "17712344155" not in f.excerpt
        assert "E*****560" in f.excerpt


@pytest.mark.parametrize("text, passport, shown", [
    # a passport found with its label: its own excerpt and every other finding's showed E12**5678 (7 of 9)
    ("申请人王芳，手机13812345678，护照E12345678，已到场。", "E12345678", "E*****678"),
    ("申请人王芳，手机13812345678，护照号码EE2397560，已到场。", "EE2397560", "E*****560"),
    ("申请人王芳，手机13812345678，护照Ｅ１２３４５６７８，已到场。", "Ｅ１２３４５６７８", "Ｅ*****６７８"),
])
def test_found_passport_is_masked_in_excerpts_as_in_messages(reviewer, text, passport, shown):
    review = reviewer.review_text(text)
    assert {"pii.cn_passport", "pii.cn_mobile"} <= {f.code for f in review.findings}
    for f in review.findings:
        assert passport not in f.excerpt and shown in f.excerpt, f.excerpt
        assert passport[:3] not in f.excerpt  # never more than the first character and the last 3


@pytest.mark.parametrize("value, masked", [
    ("E12345678", "E*****678"),  # letter-led: the first and the last 3
    ("EE2397560", "E*****560"),
    ("13812345678", "138****5678"),  # digits: the first 3 and the last 4
    ("王芳", "王*"),
    ("广州市越秀区东风中路123号", "广州市*******123号"),  # a CJK-led value is not letter-led
])
def test_mask_all(value, masked):
    from scanner.checks.excerpt import mask_all

    assert mask_all(value) == masked


@pytest.mark.parametrize("text, masked", [
    # a date with separators is no identifier: it was shown wrong (202*-06-20, 201*-**-01 08:30:00)
    ("会议于2022-06-20召开", "会议于2022-06-20召开"),
    ("会议于2022-06-20 10:00召开", "会议于2022-06-20 10:00召开"),
    ("2019-10-01 08:30:00", "2019-10-01 08:30:00"),
    ("2022-06-20至2022-06-27", "2022-06-20至2022-06-27"),
    # near-misses: not a date, or a date run into other digits, stay masked
    ("编号2022-0001-3344", "编号202*-****-3344"),
    ("编号2022-13-20", "编号202*-13-20"),
    ("110105-1949-12-31-002X", "110***-****-**-**-002X"),
    ("2022-06-20 13812345678", "202*-**-** *******5678"),
    ("电话13812345678", "电话138****5678"),
])
def test_mask_text_leaves_dates(text, masked):
    from scanner.checks.excerpt import mask_text

    assert mask_text(text) == masked


def test_html_table_rows_are_reviewed_as_rows(reviewer):
    """An HTML 公示 table: trafilatura writes it as Markdown rows (| 1 | 王芳 | …), which the
    name and record logic read only as tab-separated rows: the names were never found (a
    name with an ID in its row not reported) and every excerpt showed them in full."""
    from scanner.types import Source

    page = ("<html><body><article><h1>拟录用人员公示</h1><p>现将拟录用人员名单公示如下。</p><table>"
            "<tr><th>序号</th><th>姓名</th><th>性别</th><th>身份证号</th><th>联系电话</th></tr>"
            f"<tr><td>1</td><td>李四明</td><td>男</td><td>{ID_OK}</td><td>13812345678</td></tr>"
            "<tr><td>2</td><td>王芳</td><td>女</td><td>440105********1234</td><td>139****5678</td></tr>"
            "</table></article></body></html>")
    review = reviewer.review_source(Source("gongshi.html", page.encode("utf-8")))
    persons = [f for f in review.findings if f.code == "pii.person"]
    assert [review.text[f.start:f.end] for f in persons] == ["李四明"]
    for f in review.findings:
        assert "李四明" not in f.excerpt and ID_OK not in f.excerpt and "13812345678" not in f.excerpt


def test_finding_ids_are_stable_across_rescans(reviewer):
    a = reviewer.review_text("前言。学习习进平讲话。", name="a.txt")
    b = reviewer.review_text("另一段前言，更长一些。学习习进平讲话。", name="a.txt")
    assert [f.id for f in a.findings] == [f.id for f in b.findings]
    assert a.findings[0].start != b.findings[0].start


def test_names_in_a_row_are_masked_in_every_excerpt(reviewer):
    """A 公示 row: the excerpts of the ID and phone findings must not show the person's name."""
    text = f"拟录用人员名单\n姓名\t性别\t身份证号\t联系电话\n李四明\t男\t{ID_OK}\t13812345678\n"
    review = reviewer.review_text(text)
    codes = {f.code for f in review.findings}
    assert {"pii.cn_resident_id", "pii.cn_mobile"} <= codes
    for f in review.findings:
        assert "李四明" not in f.excerpt and ID_OK not in f.excerpt and "13812345678" not in f.excerpt
        assert "李**" in f.excerpt


_BODY = "<p>各地区各部门要认真贯彻落实，确保各项工作取得实效。</p>"


@pytest.mark.parametrize("html, codes, shown", [
    # a short page (no <article>): trafilatura's fallback put each inline element on a line of its own
    (f"<html><body><p>为深入学习贯彻<b>习</b>进平新时代中国特色社会主义思想，现通知如下。</p>{_BODY}</body></html>",
     {"wording.leader_name"}, "为深入学习贯彻习进平新时代"),
    (f"<html><body><p>为深入学习贯彻<span style='color:red'>习</span><span>进平新时代</span>中国特色社会主义思想。</p>{_BODY}</body></html>",
     {"wording.leader_name"}, "为深入学习贯彻习进平新时代"),
    # Word's "save as web page": runs as <span>, <o:p>, a GB2312 page
    ("<html xmlns:o='urn:schemas-microsoft-com:office:office'><head><meta http-equiv=Content-Type "
     "content='text/html; charset=utf-8'></head><body><div class=WordSection1><p class=MsoNormal><span "
     "style='font-family:仿宋_GB2312'>为深入学习贯彻</span><span style='color:red'>习</span><span>进平新时代中国特色"
     "社会主义思想。<o:p></o:p></span></p><p class=MsoNormal><span>联系人：王芳，电话：</span><span lang=EN-US>"
     "13812345678</span><span>。</span></p></div></body></html>",
     {"wording.leader_name", "pii.person", "pii.cn_mobile"}, "联系人：王芳，电话：13812345678。"),
    (f"<html><body><p>联系人：王芳，电话：<font color=red>13812345678</font>。</p>{_BODY}</body></html>",
     {"pii.person", "pii.cn_mobile"}, "联系人：王芳，电话：13812345678。"),
    # a link in running text: the name lost its phone on a line of its own
    (f"<html><body><p>联系人：<a href='mailto:wf@example.com'>王芳</a>，电话：13812345678。</p>{_BODY}</body></html>",
     {"pii.person", "pii.cn_mobile"}, "联系人：王芳，电话：13812345678。"),
    (f"<html><body><p>请登录<a href='/x'>市政府网站</a>查看习进平总书记重要讲话。</p>{_BODY}</body></html>",
     {"wording.leader_name"}, "请登录市政府网站查看习进平总书记"),
    # a page with its article, and a fragment, read as before
    (f"<html><body><article><p>为深入学习贯彻<b>习</b>进平新时代中国特色社会主义思想。</p>{_BODY}</article></body></html>",
     {"wording.leader_name"}, "为深入学习贯彻习进平新时代"),
    ("<p>会议要求深入学习李克<span style='color:red'>墙</span>总理的重要讲话精神。</p>", {"wording.leader_name"}, "李克墙总理"),
])
def test_inline_formatting_does_not_split_the_text(reviewer, html, codes, shown):
    from scanner.types import Source

    review = reviewer.review_source(Source("draft.html", html.encode("utf-8")))
    assert codes <= {f.code for f in review.findings}, review.findings
    assert shown in review.text


@pytest.mark.parametrize("html, kept", [
    # menus keep their links: a list of links, a cell that is only a link, a <div> of links
    ("<ul><li><a href='/a'>首页</a></li><li><a href='/b'>信息公开</a></li></ul>", 2),
    ("<table><tr><td><a href='/a'>首页</a></td><td>说明文字</td></tr></table>", 1),
    ("<div><a href='/a'>首页</a> | <a href='/b'>新闻</a></div>", 2),
    # a link inside a paragraph or a cell with other text is unwrapped
    ("<p>联系人：<a href='mailto:wf@example.com'>王芳</a>，电话：13812345678。</p>", 0),
    ("<table><tr><td>详见<a href='/a'>附件</a>。</td></tr></table>", 0),
])
def test_running_links_are_unwrapped_menus_kept(html, kept):
    from scanner.extract.documents import unwrap_running_links
    from trafilatura.utils import load_html

    tree = load_html(f"<html><body>{html}</body></html>")
    text = tree.text_content()
    unwrap_running_links(tree)
    assert len(tree.findall(".//a")) == kept and tree.text_content() == text


@pytest.mark.parametrize("html, shown", [
    (f"<html><body><p>为深入学习贯彻<b>习</b>进平新时代中国特色社会主义思想，现通知如下。</p>{_BODY}</body></html>",
     "为深入学习贯彻习进平新时代"),
    (f"<html><body><p>联系人：王芳，电话：<span>13812345678</span>。</p>{_BODY}</body></html>",
     "联系人：王芳，电话：13812345678。"),
])
def test_site_scan_reads_inline_formatting_as_the_review_does(html, shown):
    """The site scan's article extractor split inline elements onto lines of their own as well."""
    from scanner.extract.html import extract_article
    from scanner.types import Source

    assert shown in extract_article(Source("http://www.example.gov.cn/a.html", html.encode("utf-8"))).text


@pytest.mark.parametrize("link, rest, outside", [
    # a main-text line whose link mails or dials came back whole below the template header (its
    # mobile reported twice, once as 页面正文以外); only the link's target does now
    ("<a href='mailto:wangfang@example.com'>王芳</a>", "mailto:wangfang@example.com", 0),
    ("<a href='tel:13812345678'>李娜</a>", "tel:13812345678", 1),  # the dialled number is published too
    # a link that does neither: nothing comes back
    ("<a href='/contact.html'>王芳</a>", None, 0),
])
def test_page_line_with_a_dialling_link_is_not_repeated(reviewer, link, rest, outside):
    from scanner.pipeline import PAGE_REST_HEADER
    from scanner.types import Source

    html = f"<html><body><p>联系人：{link}，电话：13812345678。</p>{_BODY}</body></html>"
    review = reviewer.review_source(Source("page.html", html.encode("utf-8")))
    mobiles = [f for f in review.findings if f.code == "pii.cn_mobile"]
    assert len([f for f in mobiles if "页面正文以外" not in f.message]) == 1
    assert len([f for f in mobiles if "页面正文以外" in f.message]) == outside
    tail = review.text.split(PAGE_REST_HEADER + "\n")[1] if PAGE_REST_HEADER in review.text else None
    assert tail == rest


@pytest.mark.parametrize("html", [
    # invisible format characters a CMS leaves in: trafilatura drops them, the page's structured
    # text keeps them, so the line was "not in the main text" and came back whole below the
    # page-template header, its name and mobile reported twice (once as 页面正文以外)
    f"<html><body><p>联系人：王芳，电话：13812345678。习\u200b进平同志讲话。</p>{_BODY}</body></html>",
    f"<html><body><p>联系人：王芳，电话：138\u00ad12345678。</p>{_BODY}</body></html>",
    f"<html><body><p>\ufeff联系人：王芳，电话：13812345678。</p>{_BODY}</body></html>",
    f"<html><body><p>联系人：王\u2060芳，电话：13812345678。\u200d</p>{_BODY}</body></html>",
    # near-miss: a plain line, as before
    f"<html><body><p>联系人：王芳，电话：13812345678。</p>{_BODY}</body></html>",
])
def test_invisible_characters_do_not_repeat_a_line_below_the_page_template(reviewer, html):
    from scanner.pipeline import PAGE_REST_HEADER
    from scanner.types import Source

    review = reviewer.review_source(Source("page.html", html.encode("utf-8")))
    codes = [f.code for f in review.findings if f.category == "pii"]
    assert sorted(codes) == ["pii.cn_mobile", "pii.person"], review.findings
    assert PAGE_REST_HEADER not in review.text
    assert not any("页面正文以外" in f.message for f in review.findings)


_LONG = "各镇、各部门：近期我县将迎来强降雨天气过程，为切实做好防汛工作，确保人民群众生命财产安全，现将有关事项通知如下。"


@pytest.mark.parametrize("name, html, codes", [
    # a CMS body long enough for trafilatura: it took the line before the first <br> for a title,
    # which stood below the page-template header where only personal data is checked (veto unseen)
    ("-", f"<p>深入学习李克墙总理重要讲话精神<br>{_LONG}<br>联系人：王芳，电话：13812345678。</p>",
     ["pii.cn_mobile", "pii.person", "wording.leader_name"]),
    ("draft.html", f"<p>深入学习李克墙总理重要讲话精神<br>{_LONG}<br>{_LONG}</p>", ["wording.leader_name"]),
    ("draft.html", f"<p style='text-align:center'>关于深入学习习进平总书记讲话的通知</p><p>{_LONG}</p><p>{_LONG}</p>",
     ["wording.leader_name"]),
    # a Word document saved as a web page (a CMS's "export to Word", named .doc or .html): a document, no
    # site template; a part classed footer was left out of the main text and only its personal data checked
    ("notice.doc", '<html xmlns:w="urn:schemas-microsoft-com:office:word"><head><meta name=ProgId content=Word.Document>'
                   f"</head><body><div class=WordSection1><p class=MsoNormal>{_LONG}</p><p class=MsoNormal>{_LONG}</p>"
                   "<div class=footer>习进平办公室</div></div></body></html>", ["wording.leader_name"]),
    ("notice.html", "<html><head><meta name=ProgId content=Word.Document></head><body>"
                    f"<p>{_LONG}</p><p>{_LONG}</p><div class=footer>习进平办公室</div></body></html>", ["wording.leader_name"]),
    # near-miss: a page keeps its template apart (the menu's words are not the draft's wording)
    ("page.html", f"<html><body><div class=nav><a href=/a>习进平专题</a> <a href=/b>首页</a></div>"
                  f"<article><p>{_LONG}</p><p>{_LONG}</p></article></body></html>", []),
])
def test_cms_body_is_read_whole(reviewer, name, html, codes):
    from scanner.pipeline import PAGE_REST_HEADER
    from scanner.types import Source

    review = reviewer.review_source(Source(name, html.encode("utf-8"), media_type="text/html" if name == "-" else None))
    assert sorted({f.code for f in review.findings} - {"wording.classifier", "wording.misspelling"}) == codes, review.findings
    assert (PAGE_REST_HEADER in review.text) is (name == "page.html")


_ARTICLE = f"<h1>关于开展防汛检查的通知</h1><p>{_LONG}</p><p>{_LONG}</p>"
_NAV = "<div class=nav><a href=/>首页</a> <a href=/zwgk>政务公开</a></div>"
_SITE_FOOTER = "<div id=footer>版权所有：某某县人民政府 网站负责人：李娜 13912345678</div>"


@pytest.mark.parametrize("html, inside, outside", [
    # the article's 落款 and contacts in a <div class="footer"> (or footer-ish parts trafilatura drops:
    # article-footer, meta, author) inside the article stood below the page-template header, where
    # only personal data is checked: 四个自新 went unseen, the mobile was "页面正文以外"
    (f"<html><body>{_NAV}<div class=article>{_ARTICLE}<div class=footer><p>联系人：王建国，联系电话：13812345678</p>"
     f"<p>某某县人民政府办公室</p><p>要坚定四个自新。</p></div></div>{_SITE_FOOTER}</body></html>",
     ["pii.cn_mobile", "pii.person", "wording.formulation"], ["pii.cn_mobile", "pii.person"]),
    (f"<html><body>{_NAV}<article>{_ARTICLE}<footer><p>要坚定四个自新。</p></footer></article>{_SITE_FOOTER}</body></html>",
     ["wording.formulation"], ["pii.cn_mobile", "pii.person"]),
    (f"<html><body>{_NAV}<div id=zoom>{_ARTICLE}<div class=article-meta>来源：学习习进平讲话精神专栏</div></div></body></html>",
     ["wording.leader_name"], []),
    # a page wrapper holding the menu, the article and the site's footer: the footer stays template
    (f"<html><body><div id=wrapper>{_NAV}<div class=article>{_ARTICLE}</div>"
     f"<div class=footer>习进平专题 网站负责人：李娜 13912345678</div></div></body></html>",
     [], ["pii.cn_mobile", "pii.person"]),
])
def test_article_lines_trafilatura_leaves_out_are_checked_as_the_main_text(reviewer, html, inside, outside):
    from scanner.pipeline import PAGE_REST_HEADER
    from scanner.types import Source

    review = reviewer.review_source(Source("page.html", html.encode("utf-8")))
    ignored = {"wording.classifier", "wording.misspelling"}
    main = sorted(f.code for f in review.findings if "页面正文以外" not in f.message and f.code not in ignored)
    rest = sorted(f.code for f in review.findings if "页面正文以外" in f.message)
    assert (main, rest) == (inside, outside), review.findings
    template = review.text.split(PAGE_REST_HEADER)[1] if PAGE_REST_HEADER in review.text else ""
    assert "四个自新" not in template and "来源" not in template
    for f in review.findings:  # offsets still slice the text
        assert review.text[f.start:f.end]


@pytest.mark.parametrize("html, held, not_held", [
    # the article's container: its footer-classed 落款 is the article's
    (f"<html><body>{_NAV}<div class=article>{_ARTICLE}<div class=footer>某某县人民政府办公室</div></div>{_SITE_FOOTER}</body></html>",
     ["某某县人民政府办公室"], ["首页", "版权所有"]),
    # near-misses inside it: a breadcrumb, a list of related links, a share bar, a pager are the template's
    (f"<html><body><div class=article><div class=position>当前位置：首页 &gt; 专题</div>{_ARTICLE}"
     "<ul class=list><li><a href=/1>专题报道一</a></li><li><a href=/2>专题报道二</a></li></ul>"
     "<div class=bdshare>分享到：微信</div><div class=pager><a href=/p>上一篇</a> <a href=/n>下一篇</a></div></div></body></html>",
     ["关于开展防汛检查的通知"], ["当前位置", "专题报道", "分享到", "上一篇"]),
    # the main text spanning the whole page (no container of its own): nothing is told apart
    (f"<html><body><p>{_LONG}</p><div class=footer>某某县人民政府办公室</div><p>{_LONG}1</p></body></html>", [], ["某某县"]),
])
def test_article_text_is_its_containers_without_the_template(html, held, not_held):
    from scanner.extract.documents import article_text, extract_html
    from scanner.types import Source

    source = Source("page.html", html.encode("utf-8"))
    article = article_text(source, extract_html(source).text)
    assert all(h in article for h in held) and not any(n in article for n in not_held), article


def test_places_of_many_findings_in_a_long_roster_are_quick():
    """with_places built the document's cell table again for each finding: a DOCX 公示名单 of
    2,000 rows (4,000 findings) took minutes.  Here 20,000 cells and 5,000 findings."""
    import time

    from scanner.findings import Finding, Severity
    from scanner.pipeline import Review, with_places
    from scanner.types import Cell, Extracted, Source

    rows, cols = 5000, 4
    text, cells = "", []
    for r in range(rows):
        for c in range(cols):
            value = f"{r:05d}{c}"
            cells.append(Cell(0, r, c, len(text), len(text) + len(value)))
            text += value + ("\t" if c < cols - 1 else "\n")
    extracted = Extracted(Source("roster.docx", b""), text, "docx", cells=tuple(cells))
    findings = tuple(Finding(str(i), "pii.cn_mobile", "pii", Severity.VETO, "单项否决·泄露个人隐私", cells[i * cols + 1].start,
                             cells[i * cols + 1].end, "", "", None, 1.0, "") for i in range(rows))
    started = time.perf_counter()
    placed = with_places(Review("roster.docx", text, "docx", findings), extracted)
    assert time.perf_counter() - started < 20  # (minutes before; well under a second now)
    assert [f.location for f in placed.findings[:2]] == [{"table": 0, "row": 0, "col": 1}, {"table": 0, "row": 1, "col": 1}]
    assert placed.findings[-1].location == {"table": 0, "row": rows - 1, "col": 1}


def _docx_with_chunk(chunk: bytes | None, partname: str = "/word/afchunk.htm", content_type: str = "text/html",
                     before: str | None = "关于开展学习活动的通知", after: str | None = "特此通知。") -> bytes:
    """A DOCX as a CMS's "export to Word" writes it: an alternative-format chunk (w:altChunk) Word
    shows in place, document.xml holding none of its text."""
    import io

    import docx
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    r_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    d = docx.Document()
    if before:
        d.add_paragraph(before)
    if chunk is not None:
        rid = d.part.relate_to(Part(PackURI(partname), content_type, chunk, d.part.package), r_ns + "/aFChunk")
        d.element.body.insert(1 if before else 0, parse_xml(
            f'<w:altChunk xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="{r_ns}" r:id="{rid}"/>'))
    if after:
        d.add_paragraph(after)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


_CHUNK_HTML = "<html><body><p>会议要求深入学习李克墙总理的重要讲话精神。</p><p>联系人：王芳，电话：13812345678。</p></body></html>".encode()


@pytest.mark.parametrize("data, text, codes", [
    # the page in the middle: read where Word shows it (the review said 未发现问题 of a file with a veto)
    (_docx_with_chunk(_CHUNK_HTML), "关于开展学习活动的通知\n会议要求深入学习李克墙总理的重要讲话精神。\n联系人：王芳，电话：13812345678。\n特此通知。\n",
     ["pii.cn_mobile", "pii.person", "wording.leader_name"]),
    # the whole document one chunk (it was "empty DOCX (no text)")
    (_docx_with_chunk(_CHUNK_HTML, before=None, after=None), None, ["pii.cn_mobile", "pii.person", "wording.leader_name"]),
    # an RTF chunk
    (_docx_with_chunk(rb"{\rtf1\ansi\ansicpg936 {\f0 \'c0\'ee\'bf\'cb\'c7\'bd\'d7\'dc\'c0\'ed}\par}", "/word/afchunk.rtf",
                      "application/rtf"), None, ["wording.leader_name"]),
    # near-miss: no chunk, as before
    (_docx_with_chunk(None), "关于开展学习活动的通知\n特此通知。\n", []),
])
def test_docx_imported_chunks_are_reviewed_in_place(reviewer, data, text, codes):
    from scanner.types import Source

    review = reviewer.review_source(Source("export.docx", data))
    assert sorted({f.code for f in review.findings} - {"wording.classifier", "wording.misspelling"}) == codes, review
    if text is not None:
        assert review.text == text


def test_docx_unreadable_chunk_is_named_not_passed_over(reviewer):
    from scanner.extract.reasons import explain
    from scanner.types import Skipped, Source

    data = _docx_with_chunk(b"PK\x03\x04 not a zip", "/word/afchunk.docx",
                            "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    skipped = reviewer.review_source(Source("export.docx", data))
    assert isinstance(skipped, Skipped)
    assert skipped.reason == "an imported part (afchunk.docx) cannot be read: corrupt DOCX (not a valid ZIP archive)"
    assert explain(skipped.reason).message.startswith("文档中导入的内容（afchunk.docx）无法读取：DOCX 文件已损坏")


def _strict(data: bytes) -> bytes:
    """The DOCX in Word's "Strict Open XML Document" form: the ISO strict namespaces."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            part = zin.read(info.filename)
            part = part.replace(b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                                b"http://purl.oclc.org/ooxml/wordprocessingml/main")
            part = part.replace(b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                                b"http://purl.oclc.org/ooxml/officeDocument/relationships")
            zout.writestr(info, part)
    return out.getvalue()


@pytest.mark.parametrize("strict, reviewed", [
    # Word's "Strict Open XML Document": refused as "corrupt or protected DOCX (KeyError)"
    (True, False),
    # near-miss: the same document saved as a Word document
    (False, True),
])
def test_strict_open_xml_docx_is_named_as_such(reviewer, strict, reviewed):
    from scanner.extract.reasons import explain
    from scanner.types import Skipped, Source

    data = _docx_with_chunk(None, before="会议要求深入学习李克墙总理的重要讲话精神。", after=None)
    result = reviewer.review_source(Source("notice.docx", _strict(data) if strict else data))
    assert isinstance(result, Skipped) is not reviewed
    if not reviewed:
        assert result.reason == "DOCX saved as Strict Open XML: not supported, save it as a Word Document (.docx)"
        assert explain(result.reason).code == "unsupported" and "另存为“Word 文档（*.docx）”" in explain(result.reason).message
    else:
        assert [f.code for f in result.findings if f.code != "wording.classifier"] == ["wording.leader_name"]


def test_docx_imported_page_is_read_whole(reviewer):
    """An HTML chunk is the document Word shows, all of it: read as a page, trafilatura's main
    text left out the part a class names its footer (习进平办公室 unseen)."""
    from scanner.types import Source

    page = ("<html><head><meta charset=utf-8><title>通知</title></head><body><div class=WordSection1>"
            "<p align=center><b><span>关于学习李克墙总理讲话的通知</span></b></p>"
            + "<p><span>各镇、各部门：近期我县将迎来强降雨天气过程，为切实做好防汛工作，确保人民群众生命财产安全。</span></p>" * 3
            + "<div class=footer>习进平办公室</div></div></body></html>").encode()
    review = reviewer.review_source(Source("export.docx", _docx_with_chunk(page, before=None, after=None)))
    flagged = {review.text[f.start:f.end] for f in review.findings if f.code == "wording.leader_name"}
    assert flagged == {"李克墙", "习进平"}, review.findings


@pytest.mark.parametrize("meta, shown", [
    # the software that wrote the page: a line "Microsoft Word 15" stood in a Word page's review text
    ('<meta name=Generator content="Microsoft Word 15">', False),
    ('<meta name="originator" content="Microsoft Word 15">', False),
    # near-miss: a description holding a number is still read (a CMS copies the article's first sentences there)
    ('<meta name="description" content="联系电话13812345678">', True),
])
def test_software_metas_are_not_read_as_text(meta, shown):
    from scanner.extract.documents import extract
    from scanner.types import Source

    html = (f'<html xmlns:w="urn:schemas-microsoft-com:office:word"><head><meta name=ProgId content=Word.Document>{meta}'
            "<title>通知</title></head><body><p>各镇：请做好防汛工作。</p></body></html>")
    text = extract(Source("notice.doc", html.encode())).text
    assert ("13812345678" in text or "Microsoft Word 15" in text) is shown, text
    assert "Word.Document" not in text and "各镇：请做好防汛工作。" in text


def _docx_embedding(body: str, *members: tuple[str, bytes]) -> bytes:
    """A DOCX of one paragraph with files embedded in it (word/embeddings/, as Word stores an
    Excel table pasted as an object)."""
    import io
    import zipfile

    import docx

    d = docx.Document()
    d.add_paragraph(body)
    buf = io.BytesIO()
    d.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zi, zipfile.ZipFile(out, "w") as zo:
        for info in zi.infolist():
            zo.writestr(info, zi.read(info))
        for name, data in members:
            zo.writestr(f"word/embeddings/{name}", data)
    return out.getvalue()


def _xlsx(rows) -> bytes:
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "名单"
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_EMBED_BODY = "关于拟救助对象的公示，名单见附表。"


@pytest.mark.parametrize("members, found", [
    # an Excel 名单 pasted into the draft as an object: the review read the body alone (未发现问题),
    # `privacy audit` found the IDs
    ([("Microsoft_Excel_Worksheet.xlsx", _xlsx([["姓名", "身份证号"], ["王芳", "11010519491231002X"]]))],
     [("pii.cn_resident_id", "11010519491231002X", "嵌入对象 Microsoft_Excel_Worksheet.xlsx/名单 B2"),
      ("pii.person", "王芳", "嵌入对象 Microsoft_Excel_Worksheet.xlsx/名单 A2")]),
    # a document embedded in the draft: its paragraphs are the object's part
    ([("Microsoft_Word_Document.docx", _docx_embedding("联系人：李娜，手机：13912345678。"))],
     [("pii.cn_mobile", "13912345678", "嵌入对象 Microsoft_Word_Document.docx"),
      ("pii.person", "李娜", "嵌入对象 Microsoft_Word_Document.docx")]),
    # near-misses: a masked 名单, and a workbook's wording is not the draft's (personal data only)
    ([("Microsoft_Excel_Worksheet.xlsx", _xlsx([["姓名", "身份证号"], ["王*", "110105********002X"]]))], []),
    ([("Microsoft_Excel_Worksheet.xlsx", _xlsx([["专题"], ["学习李克墙总理讲话精神"]]))], []),
    ([], []),
])
def test_files_embedded_in_a_docx_are_checked_for_personal_data(reviewer, members, found):
    from scanner.pipeline import EMBEDDED_HEADER, place_label
    from scanner.types import Source

    review = reviewer.review_source(Source("draft.docx", _docx_embedding(_EMBED_BODY, *members)))
    got = sorted((f.code, review.text[f.start:f.end], place_label(f.location)) for f in review.findings
                 if f.code not in ("wording.classifier", "wording.misspelling"))
    assert got == sorted(found), review.findings
    assert all(f.message.endswith("（文档中嵌入的文件）") for f in review.findings if f.category == "pii")
    assert (EMBEDDED_HEADER in review.text) is bool(members) and review.text.startswith(_EMBED_BODY)
    # the text sent back (采纳建议 on the page, --show-text) is judged the same way
    again = reviewer.review_text(review.text, "draft.docx")
    assert sorted((f.code, f.start, f.message) for f in again.findings if f.category == "pii") == \
        sorted((f.code, f.start, f.message) for f in review.findings if f.category == "pii")
    assert not any(f.category == "wording" and f.start > review.text.find(EMBEDDED_HEADER) >= 0 for f in again.findings)


def test_embedded_files_over_the_length_limit_leave_the_draft_reviewed(settings):
    """A draft whose embedded workbook would take it over ``[review] max_chars`` is reviewed
    without it (it was never refused as too long for a part the editor did not type)."""
    from scanner.pipeline import EMBEDDED_HEADER, Reviewer
    from scanner.types import Source

    rows = [["姓名", "身份证号"]] + [[f"王{i}", "11010519491231002X"] for i in range(40)]
    data = _docx_embedding(_EMBED_BODY, ("Microsoft_Excel_Worksheet.xlsx", _xlsx(rows)))
    reviewer = Reviewer(settings)
    reviewer.max_chars = 200
    review = reviewer.review_source(Source("draft.docx", data))
    assert EMBEDDED_HEADER not in review.text and review.text.strip() == _EMBED_BODY
    # ... and says so: they were not checked
    assert [u["reason_code"] for u in review.unread] == ["too_large"] and "超过单篇审查上限，未检查" in review.unread[0]["part"]
    reviewer.max_chars = 5000
    assert EMBEDDED_HEADER in reviewer.review_source(Source("draft.docx", data)).text


@pytest.mark.parametrize("members, unread", [
    # an embedded workbook that cannot be read: the review said 未发现问题 and nothing else
    ([("Microsoft_Excel_Worksheet.xlsx", b"PK\x03\x04 cut short")],
     [("corrupt", "嵌入文件 Microsoft_Excel_Worksheet.xlsx 无法读取：XLSX 文件已损坏")]),
    ([("Microsoft_Excel_Worksheet.xlsx", b"PK\x03\x04 cut short"),
      ("Microsoft_Excel_Worksheet1.xlsx", _xlsx([["姓名", "手机"], ["王芳", "13812345678"]]))],
     [("corrupt", "嵌入文件 Microsoft_Excel_Worksheet.xlsx 无法读取：XLSX 文件已损坏")]),
    # near-misses: read, or nothing embedded
    ([("Microsoft_Excel_Worksheet.xlsx", _xlsx([["序号"], ["1"]]))], []),
    ([], []),
])
def test_embedded_files_not_read_are_named(reviewer, members, unread):
    from scanner.types import Source

    review = reviewer.review_source(Source("draft.docx", _docx_embedding(_EMBED_BODY, *members)))
    assert [(u["reason_code"], u["part"][:len(m)]) for u, (_c, m) in zip(review.unread, unread)] == unread
    assert len(review.unread) == len(unread)
    assert ("unread" in review.to_dict()) is bool(unread)
    if len(members) == 2:  # the readable one is still checked
        assert {f.code for f in review.findings} >= {"pii.cn_mobile"}


def _docx_moved(moved_from: str | None, moved_to: str | None, plain: str = "各单位要认真贯彻落实。") -> bytes:
    """A DOCX where ``moved_from`` was moved (Track Changes on) from the first paragraph to the
    end of the second, as Word marks it: w:moveFrom where it stood, w:moveTo where it went."""
    import io

    import docx
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    d = docx.Document()
    first, second = d.add_paragraph(), d.add_paragraph(plain)
    for paragraph, tag, text in ((first, "moveFrom", moved_from), (second, "moveTo", moved_to)):
        if text is None:
            continue
        mark = etree.SubElement(paragraph._p, f"{w}{tag}", {f"{w}id": "1", f"{w}author": "编辑", f"{w}date": "2022-06-01T00:00:00Z"})
        etree.SubElement(etree.SubElement(mark, f"{w}r"), f"{w}t").text = text
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("moved_from, moved_to, found", [
    # a sentence moved with Track Changes on was read where it stood and where it went: each of its
    # findings reported twice, once in text that will not be published
    ("要深入学习李克墙总理讲话精神。", "要深入学习李克墙总理讲话精神。", ["李克墙"]),
    ("联系电话：13812345678。", "联系电话：13812345678。", ["13812345678"]),
    # near-misses: moved-to text alone counts; moved-from text alone is gone from the draft
    (None, "要深入学习李克墙总理讲话精神。", ["李克墙"]),
    ("要深入学习李克墙总理讲话精神。", None, []),
])
def test_text_moved_with_track_changes_is_read_once(reviewer, moved_from, moved_to, found):
    from scanner.types import Source

    review = reviewer.review_source(Source("draft.docx", _docx_moved(moved_from, moved_to)))
    got = [review.text[f.start:f.end] for f in review.findings if f.code in ("wording.leader_name", "pii.cn_mobile")]
    assert got == found, review.text


def test_text_moved_away_is_still_audited(tmp_path):
    """The file still holds text moved away (one click from view): the audit reads it, as a deletion."""
    from scanner.privacy.audit import audit_paths

    path = tmp_path / "moved.docx"
    path.write_bytes(_docx_moved("联系电话：13812345678。", None))
    [record] = audit_paths([str(path)])
    assert record.verdict == "violation", record.reason
