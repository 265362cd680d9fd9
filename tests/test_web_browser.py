"""End-to-end: `govscan serve` in a subprocess (uvicorn, real HTTP on loopback), the page
driven in Debian's headless chromium through Playwright: paste a draft, see the highlights,
jump to a finding, apply a suggestion and check the text changed, mask all personal data.

Needs /usr/bin/chromium (scripts/ci-setup-web.sh installs it) and the playwright package
(the `test` extra); never `playwright install`.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parent.parent

ID_OK = "11010519491231002X"
PHONE = "13812345678"
# A non-BMP character first: the page must convert the API's code-point offsets correctly.
DRAFT = (
    "𠀀关于拟救助对象的公示\n"
    "会议要求深入学习李克墙总理的重要讲话精神。\n"
    f"申请人王某，身份证号：{ID_OK}，联系电话：{PHONE}。\n"
    "公示期为五个工作日。\n"
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} not installed (run scripts/ci-setup-web.sh)"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    log_path = tmp_path_factory.mktemp("serve") / "server.log"
    log = open(log_path, "wb")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from scanner.cli import main; main()", "serve", "--port", str(port), "--as-of", "2022-06-20"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail(f"govscan serve exited with {proc.returncode}: {log_path.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("govscan serve did not answer /api/health within 180 s")
            time.sleep(0.3)
        yield url, log_path
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def highlighted(page, code: str) -> tuple[str, set[str]]:
    """The text the page highlights for the (first) finding with ``code``, and the classes
    of its marks."""
    index = page.get_attribute(f"#findings .item[data-code='{code}']", "id").rsplit("-", 1)[1]
    parts = [(m.text_content(), m.get_attribute("class")) for m in page.query_selector_all("#doc mark")
             if index in (m.get_attribute("data-findings") or "").split()]
    return "".join(text for text, _ in parts), {cls for _, cls in parts}


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def test_review_page_end_to_end(server, browser, reviewer):
    from scanner.console import summary_line

    url, log_path = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    outside: list[str] = []
    page.on("request", lambda req: None if req.url.startswith(url) or req.url.startswith("data:") else outside.append(req.url))

    page.goto(url + "/")
    page.wait_for_selector("body[data-ready='1']")

    # paste and review
    page.fill("#draft", DRAFT)
    page.click("#review-btn")
    page.wait_for_selector("#doc mark")
    expected = summary_line(reviewer.review_text(DRAFT))
    assert page.text_content("#summary") == expected
    assert "项单项否决问题" in expected

    # highlights in place, coloured by severity; the side list grouped by category.  A span
    # that two findings share is cut at their boundaries (the model may flag 墙 inside 李克墙),
    # so a finding's highlight is the marks that list it.
    assert highlighted(page, "wording.leader_name") == ("李克墙", {"sev-veto"})
    assert highlighted(page, "pii.cn_resident_id") == (ID_OK, {"sev-veto"})
    assert highlighted(page, "pii.cn_mobile") == (PHONE, {"sev-veto"})
    assert page.text_content("#doc") == DRAFT  # the whole text, nothing lost or shifted
    groups = [g.get_attribute("data-category") for g in page.query_selector_all("#findings .group")]
    assert set(groups) >= {"wording", "pii"}
    assert len(groups) == len(set(groups))

    # click a finding: its span is marked and scrolled to
    item = page.locator("#findings .item[data-code='wording.leader_name']")
    item.click()
    flashed = page.locator("#doc mark.flash")
    assert "".join(flashed.all_text_contents()) == "李克墙"

    # 采纳建议: the span is replaced by the suggestion and the draft re-reviewed
    item.locator("button.adopt").click()
    page.wait_for_function("() => !document.getElementById('draft').value.includes('李克墙')")
    page.wait_for_function("() => !document.querySelector(\"#findings .item[data-code='wording.leader_name']\")")
    text = page.input_value("#draft")
    assert "深入学习李克强总理的重要讲话精神" in text
    assert text == DRAFT.replace("李克墙", "李克强")
    assert page.text_content("#summary") == summary_line(reviewer.review_text(text))

    # 一键脱敏: every personal value masked, then re-reviewed
    page.click("#mask-btn")
    page.wait_for_function(f"() => !document.getElementById('draft').value.includes('{ID_OK}')")
    page.wait_for_function("() => !document.querySelector(\"#findings .item[data-code^='pii.'][data-severity='veto']\")")
    masked = page.input_value("#draft")
    assert PHONE not in masked and ID_OK not in masked
    assert "138****5678" in masked and "深入学习李克强总理" in masked

    # editing the text marks the result stale and disables suggestions until re-reviewed
    page.fill("#draft", masked + "补充一句。")
    page.dispatch_event("#draft", "input")
    assert "正文已修改" in page.text_content("#summary")

    assert errors == [], errors
    assert outside == [], f"the page loaded something from elsewhere: {outside}"
    page.close()

    # the server never logged the draft
    logged = log_path.read_text(errors="replace")
    assert "POST /api/review" in logged
    from scanner.web.privacy import available

    if available():  # 一键脱敏 went through the privacy library's mask endpoint
        assert "POST /api/privacy/mask" in logged
    for secret in (ID_OK, PHONE, "李克墙", "王某"):
        assert secret not in logged


def test_upload_shows_extracted_text(server, browser, tmp_path):
    url, _ = server
    html = ("<html><head><meta charset='utf-8'><title>公示</title></head><body><article>"
            f"<p>会议要求深入学习李克墙总理的重要讲话精神。联系电话：{PHONE}。</p>"
            "<p>本公示期为五个工作日，如有异议请向镇民政办反映。</p></article></body></html>")
    path = tmp_path / "notice.html"
    path.write_text(html, encoding="utf-8")
    page = browser.new_page()
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready='1']")
    page.set_input_files("#file", str(path))
    page.wait_for_selector("#doc mark")
    assert "<p>" not in page.input_value("#draft")  # the extracted text, not the markup
    assert "notice.html" in page.text_content("#status")
    assert highlighted(page, "wording.leader_name")[0] == "李克墙"
    assert highlighted(page, "pii.cn_mobile")[0] == PHONE
    # a wrong type is refused with the server's reason
    bad = tmp_path / "fake.docx"
    bad.write_text("不是 DOCX", encoding="utf-8")
    page.set_input_files("#file", str(bad))
    page.wait_for_selector("#status.error")
    assert "内容是" in page.text_content("#status")
    page.close()


def test_domain_word_list_from_the_page(server, browser):
    """The 领域词表 menu lists the model's domains (from /api/health) and sends ?domain=: a
    broken medical word the model alone lets pass is marked with 医疗卫生 chosen, not with 通用."""
    url, _ = server
    bone = "桡骨远端骨析，如果没有明显错位，可以通过保守治疗。"  # a development sentence (ECSpell med train, MIT)
    page = browser.new_page()
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready='1']")
    assert page.is_visible("#domain")
    assert page.eval_on_selector_all("#domain option", "os => os.map(o => o.value)") == ["", "law", "medicine"]
    page.fill("#draft", bone)
    page.click("#review-btn")
    page.wait_for_selector("#summary")
    page.wait_for_function("() => document.getElementById('status').textContent.startsWith('审查完成')")
    # the status names the day the date rules were judged at (the server's --as-of here)
    assert page.text_content("#status") == "审查完成（日期规则按 2022-06-20 判断）"
    assert page.locator("#findings .item[data-code='wording.classifier']").count() == 0
    page.select_option("#domain", "medicine")
    page.click("#review-btn")
    page.wait_for_selector("#findings .item[data-code='wording.classifier']")
    assert highlighted(page, "wording.classifier")[0] == "析"
    page.close()


def test_api_docs_render_offline(server, browser):
    """/docs renders from the packaged Swagger UI files, with nothing fetched from elsewhere."""
    url, _ = server
    page = browser.new_page()
    outside: list[str] = []
    page.on("request", lambda req: None if req.url.startswith(url) or req.url.startswith("data:") else outside.append(req.url))
    page.goto(url + "/docs")
    page.wait_for_selector(".swagger-ui .opblock")
    paths = [e.text_content() for e in page.query_selector_all(".opblock-summary-path")]
    assert {"/api/review", "/api/privacy/audit", "/api/privacy/mask", "/api/health"} <= {p.replace("\u200b", "") for p in paths}
    assert outside == [], outside
    page.close()


def test_page_names_the_limits_and_refuses_a_longer_paste(server, browser):
    """The page says how long a draft may be and refuses a longer paste before sending it (a
    10 MB paste held the reviewer for minutes); the server answers 413 too_long as well."""
    url, _ = server
    page = browser.new_page()
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready='1']")
    assert page.text_content("#limits") == "（单篇不超过 300,000 字，文件不超过 10 MB）"
    page.fill("#draft", "学" * 300_001)
    page.click("#review-btn")
    page.wait_for_selector("#status.error")
    assert page.text_content("#status") == "正文 300,001 字，超过单篇审查上限 300,000 字：请分篇审查"
    page.close()
    r = httpx.post(url + "/api/review", json={"text": "学" * 300_001}, timeout=30)
    assert r.status_code == 413 and r.json()["error"] == "too_long"


def test_page_keeps_an_uploaded_pages_date_across_edits(server, browser, tmp_path):
    """An uploaded page with its PubDate is judged at that date; 采纳建议 sent its extracted text
    back without it, and the re-review, judged at the server's date, showed new vetoes (70周年
    wrong in 2022).  A new draft pasted over the whole text is no longer that page."""
    url, _ = server
    html = ("<html><head><meta charset='utf-8'><meta name='PubDate' content='2019-10-01'><title>国庆</title></head>"
            "<body><article><h1>国庆</h1><p>今年是新中国成立70周年。要坚定四个自新。</p>"
            "<p>各地区各部门要认真贯彻落实，确保各项工作取得实效。</p></article></body></html>")
    path = tmp_path / "国庆.html"
    path.write_text(html, encoding="utf-8")
    page = browser.new_page()
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready='1']")
    page.set_input_files("#file", str(path))
    page.wait_for_selector("#findings .item[data-code='wording.formulation']")
    assert "2019-10-01 即页面发布日期" in page.text_content("#status")
    assert not page.query_selector("#findings .item[data-code='wording.anniversary']")

    page.locator("#findings .item[data-code='wording.formulation'] button.adopt").click()
    page.wait_for_function("() => document.getElementById('draft').value.includes('四个自信')")
    page.wait_for_function("() => !document.querySelector(\"#findings .item[data-code='wording.formulation']\")")
    assert "2019-10-01 即页面发布日期" in page.text_content("#status")
    assert not page.query_selector("#findings .item[data-code='wording.anniversary']")

    # another draft pasted over everything: judged at the server's date again
    page.focus("#draft")
    page.keyboard.press("Control+A")
    page.evaluate("""() => {
        const box = document.getElementById('draft');
        const data = new DataTransfer();
        data.setData('text/plain', '今年是新中国成立70周年。');
        box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
        box.value = '今年是新中国成立70周年。';
        box.dispatchEvent(new Event('input', { bubbles: true }));
    }""")
    page.click("#review-btn")
    page.wait_for_selector("#findings .item[data-code='wording.anniversary']")
    assert "即页面发布日期" not in page.text_content("#status") and "2022-06-20" in page.text_content("#status")
    page.close()


def test_upload_names_where_a_finding_stands(server, browser, tmp_path):
    """A DOCX's header and tables are read after or among the body's lines: the page said nothing
    of where a finding stood in the file (a mobile in the header came at the end of the text)."""
    import docx

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = f"某某县人民政府办公室 联系电话：{PHONE}"
    d.add_paragraph("会议要求深入学习李克墙总理的重要讲话精神。")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "姓名", "身份证号"
    t.cell(1, 0).text, t.cell(1, 1).text = "张三", ID_OK
    path = tmp_path / "notice.docx"
    d.save(path)
    url, _ = server
    page = browser.new_page()
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready='1']")
    page.set_input_files("#file", str(path))
    page.wait_for_selector("#doc mark")
    place = lambda code: page.locator(f"#findings .item[data-code='{code}'] .place").all_text_contents()  # noqa: E731
    assert place("pii.cn_mobile") == ["位置：页眉"]
    assert place("pii.cn_resident_id") == ["位置：表格1 第2行第2列"]
    assert place("wording.leader_name") == []  # the body's running text: no place line
    assert page.text_content("#doc") == page.input_value("#draft")
    # 采纳建议 sent the text back as pasted text: the re-review had no 位置 lines left
    page.locator("#findings .item[data-code='wording.leader_name'] button.adopt").click()
    page.wait_for_function("() => document.getElementById('draft').value.includes('李克强')")
    page.wait_for_function("() => !document.querySelector(\"#findings .item[data-code='wording.leader_name']\")")
    assert place("pii.cn_mobile") == ["位置：页眉"]
    assert place("pii.cn_resident_id") == ["位置：表格1 第2行第2列"]
    # an edit typed before the table (the places move with the text), then 审查
    page.evaluate("""() => {
        const box = document.getElementById('draft');
        box.value = '（草稿）' + box.value;
        box.dispatchEvent(new Event('input', { bubbles: true }));
    }""")
    page.click("#review-btn")
    page.wait_for_function("() => document.getElementById('doc').textContent.startsWith('（草稿）')")
    assert place("pii.cn_mobile") == ["位置：页眉"]
    assert place("pii.cn_resident_id") == ["位置：表格1 第2行第2列"]
    # near-miss: a new draft pasted over everything is no longer the file: no places
    page.focus("#draft")
    page.keyboard.press("Control+A")
    page.evaluate(f"""() => {{
        const box = document.getElementById('draft');
        const text = '联系电话：{PHONE}';
        const data = new DataTransfer();
        data.setData('text/plain', text);
        box.dispatchEvent(new ClipboardEvent('paste', {{ clipboardData: data, bubbles: true, cancelable: true }}));
        box.value = text;
        box.dispatchEvent(new Event('input', {{ bubbles: true }}));
    }}""")
    page.click("#review-btn")
    page.wait_for_function("() => document.getElementById('doc').textContent.startsWith('联系电话')")
    assert place("pii.cn_mobile") == []
    page.close()


def test_upload_names_the_embedded_file_and_cell(server, browser, tmp_path):
    """A workbook embedded in a DOCX (an Excel 名单 pasted as an object) was never reviewed; its
    personal data is found, the page names the file and the cell, and keeps them after 采纳建议."""
    from test_review_checks import _docx_embedding, _xlsx

    path = tmp_path / "roster.docx"
    path.write_bytes(_docx_embedding("关于拟救助对象的公示，名单见附表。", ("Microsoft_Excel_Worksheet.xlsx", _xlsx(
        [["姓名", "身份证号", "联系电话"], ["张三", ID_OK, PHONE]]))))
    url, _ = server
    page = browser.new_page()
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready='1']")
    page.set_input_files("#file", str(path))
    page.wait_for_selector("#doc mark")
    place = lambda code: page.locator(f"#findings .item[data-code='{code}'] .place").all_text_contents()  # noqa: E731
    where = "位置：嵌入对象 Microsoft_Excel_Worksheet.xlsx/名单 "
    assert place("pii.cn_resident_id") == [where + "B2"] and place("pii.cn_mobile") == [where + "C2"]
    page.locator("#findings .item[data-code='pii.cn_mobile'] button.adopt").click()
    page.wait_for_function("() => document.getElementById('draft').value.includes('138****5678')")
    page.wait_for_function("() => !document.querySelector(\"#findings .item[data-code='pii.cn_mobile']\")")
    assert place("pii.cn_resident_id") == [where + "B2"]
    page.close()


def test_upload_says_what_it_could_not_read(server, browser, tmp_path):
    """A DOCX whose embedded workbook is damaged showed 未发现问题 alone; the summary says what was
    not checked, and still says it after an edit is reviewed again."""
    from test_review_checks import _docx_embedding

    path = tmp_path / "draft.docx"
    path.write_bytes(_docx_embedding("关于拟救助对象的公示，名单见附表。联系电话：" + PHONE,
                                     ("Microsoft_Excel_Worksheet.xlsx", b"PK\x03\x04 cut short")))
    url, _ = server
    page = browser.new_page()
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready='1']")
    page.set_input_files("#file", str(path))
    page.wait_for_selector("#summary .unread-note")
    assert "未能检查：嵌入文件 Microsoft_Excel_Worksheet.xlsx 无法读取" in page.text_content("#summary")
    page.locator("#findings .item[data-code='pii.cn_mobile'] button.adopt").click()
    page.wait_for_function("() => !document.querySelector(\"#findings .item[data-code='pii.cn_mobile']\")")
    assert "未能检查" in page.text_content("#summary")
    page.close()
