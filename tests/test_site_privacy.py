"""泄露个人隐私 in a site scan beyond the HTML articles of the window: 公示名单 attachments in
XLSX and PDF (read by the privacy auditor's extractors, location = the attachment's URL and
its sheet/cell or page), and undated pages (a leak on a live page whatever its date).  A bad
attachment is a skip, never the end of the site's scan.  Synthetic people only."""
from __future__ import annotations

import csv
import json
import random

import pytest

from corpora.pii.generate import RENDER, Faker, make_doc
from scanner.cli import app
from tests.fixtures.sites import make_fixtures as M
from tests.pii_files import encrypted_pdf, xlsx_bytes

ID = "11010519491231002X"  # GB 11643's example
DOC = make_doc(Faker(random.Random(3)), "subsidy", masked_ratio=0.0)
MASKED_ROWS = [["关于2022年度高龄津贴发放名单的公示"], ["序号", "姓名", "身份证号码", "联系电话"],
               ["1", "张*", "110105********002X", "138****5678"], ["2", "李*", "440103********1234", "139****0000"]]


def _xlsx(rows) -> bytes:
    return xlsx_bytes(rows)


def _pdf(rows) -> bytes:
    from corpora.pii.pdfwriter import write_pdf

    return write_pdf([["  ".join(r) for r in rows]])


def _notice_site(code: str, href: str, text: str = "附件：补贴发放对象名单") -> dict:
    """A healthy site whose 2022-06-10 notice links one attachment."""
    files = M.standard_site(code=code, columns=[
        ("通知公告", "tzgg", ("list", [("关于补贴发放对象的公示", "2022-06-10", "2022-06-10")]))] + M.default_columns()[:2])
    for rel in list(files):
        if "/t20220610_" in rel:
            files[rel] = M.page("公示", "<h1>关于补贴发放对象的公示</h1><p>现将名单公示如下，详见附件。</p>"
                              f'<p><a href="{href}">{text}</a></p>', code=code)
    return files


def _undated_site(code: str, body: str) -> dict:
    """A healthy site with a 公示公告 column whose only item has no date anywhere."""
    cols = M.default_columns()[:3] + [("公示公告", "gsgg", ("nourl", [("补贴发放对象名单公示", "", "")]))]
    files = M.standard_site(code=code, columns=cols)
    for rel in list(files):
        if rel.startswith("gsgg/art_"):
            files[rel] = M.page("公示", f"<h1>补贴发放对象名单公示</h1><p>现将名单公示如下。</p>{body}", code=code)
    return files


TABLE = "<table><tr><td>姓名</td><td>身份证号</td></tr><tr><td>张三</td><td>{}</td></tr></table>"


def _letter_site(code: str, question: str) -> dict:
    """A healthy site whose letter of 2022-05-10 (answered 05-12) quotes the citizen's numbers."""
    files = M.standard_site(code=code)
    files["hdjl/zx/l1_0.html"] = M.page("关于公积金提取的咨询", "<h1>关于公积金提取的咨询</h1><p>来信时间：2022-05-10</p>"
                                        f"<p>来信内容：{question}</p><p>答复时间：2022-05-12</p>", code=code)
    return files
BROKEN_XLSX = b"PK\x03\x04" + b"\x00" * 200


def _wrapped_pdf() -> bytes:
    """A numbered list whose name cells wrap (王 / 建国) beside home phones."""
    from tests.pii_files import positioned_pdf

    head = [(50, "序号"), (100, "姓名"), (200, "性别"), (260, "家庭电话"), (420, "备注")]
    return positioned_pdf([[[(50, "补贴发放对象名单")], head,
                            [(50, "1"), (100, "王"), (200, "男"), (260, "020-83331234"), (420, "无")], [(100, "建国")]]])

def _docx_holding(text: str, members: dict[str, bytes]) -> bytes:
    """A DOCX whose body is ``text``, with ``members`` (word/embeddings/…) added."""
    import io
    import zipfile

    import docx

    buf = io.BytesIO()
    document = docx.Document()
    document.add_paragraph(text)
    document.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        for name, data in members.items():
            zout.writestr(name, data)
    return out.getvalue()


_MASKED_BODY = "补贴发放对象：张*，身份证号110105********002X。"
# host: (site files, extra files {path: bytes}, verdict, problems, skip reason or None, where the leak is)
CASES = {
    # XLSX and PDF 公示名单 attachments were skipped ("not supported by review") and their sites passed
    "xlsx.qa.gov.cn": (lambda c: _notice_site(c, "/tzgg/fj/mingdan.xlsx"), {"tzgg/fj/mingdan.xlsx": RENDER["xlsx"](DOC)},
                       "fail", ["泄露个人隐私"], None, ("/tzgg/fj/mingdan.xlsx", "sheet")),
    "pdf.qa.gov.cn": (lambda c: _notice_site(c, "/tzgg/fj/mingdan.pdf"), {"tzgg/fj/mingdan.pdf": RENDER["pdf"](DOC)},
                      "fail", ["泄露个人隐私"], None, ("/tzgg/fj/mingdan.pdf", "page")),
    # a PDF list whose name cell wraps: no name was read, the home phone "not in a person's record"
    "pdfwrapped.qa.gov.cn": (lambda c: _notice_site(c, "/tzgg/fj/mingdan.pdf"), {"tzgg/fj/mingdan.pdf": _wrapped_pdf()},
                             "fail", ["泄露个人隐私"], None, ("/tzgg/fj/mingdan.pdf", "page")),
    # the same lists de-identified pass
    "xlsxmasked.qa.gov.cn": (lambda c: _notice_site(c, "/tzgg/fj/mingdan.xlsx"),
                             {"tzgg/fj/mingdan.xlsx": _xlsx(MASKED_ROWS)}, "pass", [], None, None),
    "pdfmasked.qa.gov.cn": (lambda c: _notice_site(c, "/tzgg/fj/mingdan.pdf"),
                            {"tzgg/fj/mingdan.pdf": _pdf(MASKED_ROWS)}, "pass", [], None, None),
    # a bad attachment is a skip with its reason; the site is still judged
    "brokenxlsx.qa.gov.cn": (lambda c: _notice_site(c, "/tzgg/fj/mingdan.xlsx"), {"tzgg/fj/mingdan.xlsx": BROKEN_XLSX},
                             "pass", [], "corrupt XLSX", None),
    "lockedpdf.qa.gov.cn": (lambda c: _notice_site(c, "/tzgg/fj/mingdan.pdf"),
                            {"tzgg/fj/mingdan.pdf": encrypted_pdf(["身份证号 " + ID])}, "pass", [], "password-protected PDF", None),
    # a 公示名单 page with no date anywhere went unjudged
    "undated.qa.gov.cn": (lambda c: _undated_site(c, TABLE.format(ID)), {}, "fail", ["泄露个人隐私"], None,
                          ("/gsgg/art_", None)),
    "undatedmasked.qa.gov.cn": (lambda c: _undated_site(c, TABLE.format("110105********002X")), {}, "pass", [], None, None),
    # a DOCX attachment, masked in its body, holding the 名单 as an embedded workbook (an Excel table
    # pasted as an object): the scan read the body alone and passed it; the embedded list is read,
    # located at its sheet and cell; a damaged embedded workbook is a skip (part not read), a masked one passes
    "docxembedded.qa.gov.cn": (lambda c: _notice_site(c, "/tzgg/fj/mingdan.docx"),
                               {"tzgg/fj/mingdan.docx": _docx_holding(_MASKED_BODY, {
                                   "word/embeddings/Microsoft_Excel_Worksheet.xlsx": _xlsx([["姓名", "身份证号"], ["王芳", ID]])})},
                               "fail", ["泄露个人隐私"], None, ("/tzgg/fj/mingdan.docx", "sheet")),
    "docxbroken.qa.gov.cn": (lambda c: _notice_site(c, "/tzgg/fj/mingdan.docx"),
                             {"tzgg/fj/mingdan.docx": _docx_holding(_MASKED_BODY, {
                                 "word/embeddings/Microsoft_Excel_Worksheet.xlsx": BROKEN_XLSX})},
                             "pass", [], "part of the document not read", None),
    "docxmasked.qa.gov.cn": (lambda c: _notice_site(c, "/tzgg/fj/mingdan.docx"),
                             {"tzgg/fj/mingdan.docx": _docx_holding(_MASKED_BODY, {
                                 "word/embeddings/Microsoft_Excel_Worksheet.xlsx": _xlsx(MASKED_ROWS)})},
                             "pass", [], None, None),
    # an attachment named after its person (percent-encoded in the link): the name leaks the ID
    # whatever the file holds, here a masked list, or when the snapshot lacks the file
    "linkname.qa.gov.cn": (lambda c: _notice_site(c, "/tzgg/fj/%E7%8E%8B%E8%8A%B311010519491231002X.xlsx", "附件：名单"), {},
                           "fail", ["泄露个人隐私"], None, ("/t20220610_", None)),
    "linknamemasked.qa.gov.cn": (lambda c: _notice_site(c, "/tzgg/fj/%E7%8E%8B%E8%8A%B3110105********002X.xlsx", "附件：名单"), {},
                                 "pass", [], None, None),
    # a published letter quoting the citizen's mobile and ID number was never read
    "letter.qa.gov.cn": (lambda c: _letter_site(c, f"我的手机号13812345678，身份证号{ID}，公积金无法提取。"), {},
                         "fail", ["泄露个人隐私"], None, ("/hdjl/zx/l1_0.html", None)),
    "lettermasked.qa.gov.cn": (lambda c: _letter_site(c, "我的手机号138****5678，公积金无法提取。"), {}, "pass", [], None, None),
}


@pytest.fixture(scope="module")
def records(privacy_scan):
    return {r["host"]: r for r in map(json.loads, privacy_scan.stdout.splitlines())}


@pytest.fixture(scope="module")
def privacy_scan(tmp_path_factory):
    from typer.testing import CliRunner

    root = tmp_path_factory.mktemp("privacy-sites")
    M.MIRROR = root / "mirror"
    rows = []
    for n, (host, (files, extra, *_)) in enumerate(CASES.items()):
        code = f"44010000{n + 40}"
        M.write(host, files(code))
        for rel, data in extra.items():
            path = M.MIRROR / host / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        rows.append(["测试", host, "测试单位", f"http://{host}/", code])
    with (root / "registry.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["地区", "网站名称", "主办单位", "网站地址", "网站标识码"], *rows])
    res = CliRunner().invoke(app, ["scan", "sites", "-r", str(root / "registry.csv"), "-s", str(M.MIRROR),
                                   "--as-of", "2022-06-20", "-f", "jsonl"])
    assert res.exit_code in (0, 1), res.output
    return res


def test_summary_counts_the_pages_given_the_privacy_checks(privacy_scan, records):
    total = sum(r["stats"]["privacy_checked"] for r in records.values())
    assert total >= len(CASES) and f"另对{total}个无日期页面、表格（XLSX/XLS）和版式（PDF/OFD）附件及留言页面做了个人信息检查。" in privacy_scan.stderr


@pytest.mark.parametrize("host", list(CASES))
def test_site_privacy(records, host):
    _, _, verdict, problems, skip, where = CASES[host]
    rec = records[host]
    assert "error" not in rec
    assert (rec["verdict"], rec["problems"]) == (verdict, problems)
    if skip:
        assert any(reason.startswith(skip) for reason in rec["stats"]["skip_reasons"]), rec["stats"]["skip_reasons"]
    pii = [f for f in rec["findings"] if f["category"] == "pii"]
    if where is None:
        assert not pii
        return
    url_part, place_key = where
    assert pii and all(url_part in f["location"]["url"] for f in pii)
    if place_key:
        assert all(place_key in f["location"]["place"] for f in pii)
    text = json.dumps(rec["findings"], ensure_ascii=False)
    assert ID not in text  # messages and excerpts mask the value


# --- attachments in a WARC: download scripts, redirects, names only in the link text ----------
XLSX_HEADERS = [("Content-Type", "application/octet-stream"), ("Content-Disposition", "attachment; filename=mingdan.xlsx")]
WARC_CASES = {
    # host: (the article's link, the extra records) -- each site's XLSX lists unmasked IDs; all three passed
    "dl.qa.gov.cn": ("/module/download/downfile.jsp?classid=0&filename=2206101234.xlsx",
                     [("/module/download/downfile.jsp?classid=0&filename=2206101234.xlsx", "200 OK", XLSX_HEADERS)]),
    "redir.qa.gov.cn": ("/tzgg/fj/mingdan.xlsx",  # answered 302: the empty redirect was read as an empty file
                        [("/tzgg/fj/mingdan.xlsx", "302 Found", [("Location", "/uploads/2022/06/abc.xlsx")]),
                         ("/uploads/2022/06/abc.xlsx", "200 OK", XLSX_HEADERS)]),
    "noext.qa.gov.cn": ("/attach/get?id=991", [("/attach/get?id=991", "200 OK", XLSX_HEADERS)]),
}


@pytest.fixture(scope="module")
def warc_records(tmp_path_factory):
    import io

    from typer.testing import CliRunner
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    root = tmp_path_factory.mktemp("privacy-warc")
    data = RENDER["xlsx"](DOC)
    recs, rows = [], []
    for n, (host, (href, extra)) in enumerate(WARC_CASES.items()):
        code = f"44010000{n + 70}"
        files = _notice_site(code, href, "补贴发放对象名单.xlsx")
        for rel, html in files.items():
            if rel.endswith("index.html") and "_" not in rel.rsplit("/", 1)[-1]:
                rel = rel[: -len("index.html")]
            recs.append((f"http://{host}/{rel}", "200 OK", [("Content-Type", "text/html; charset=utf-8")], html.encode()))
        recs += [(f"http://{host}{path}", status, headers, b"" if status.startswith("3") else data)
                 for path, status, headers in extra]
        rows.append(["测试", host, "测试单位", f"http://{host}/", code])
    with (root / "s.warc.gz").open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, status, headers, body in recs:
            http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))
    with (root / "registry.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["地区", "网站名称", "主办单位", "网站地址", "网站标识码"], *rows])
    res = CliRunner().invoke(app, ["scan", "sites", "-r", str(root / "registry.csv"), "-s", str(root / "s.warc.gz"),
                                   "--as-of", "2022-06-20", "-f", "jsonl"])
    assert res.exit_code in (0, 1), res.output
    return {r["host"]: r for r in map(json.loads, res.stdout.splitlines())}


@pytest.mark.parametrize("host", list(WARC_CASES))
def test_attachment_behind_a_download_link(warc_records, host):
    rec = warc_records[host]
    assert (rec["verdict"], rec["problems"]) == ("fail", ["泄露个人隐私"]), rec["stats"]
    href = WARC_CASES[host][0]
    assert {f["location"]["url"] for f in rec["findings"] if f["category"] == "pii"} == {f"http://{host}{href}"}


@pytest.mark.parametrize("url, text, expected", [
    ("http://t.gov.cn/fj/a.xlsx", "", True),
    ("http://t.gov.cn/fj/A.PDF?v=2", "下载", True),
    ("http://t.gov.cn/module/download/downfile.jsp?classid=0&filename=2206101234.xlsx", "名单", True),
    ("http://t.gov.cn/attach/get?id=991", "补贴发放对象名单.xlsx", True),
    ("http://t.gov.cn/attach/get?id=991", "附件：名单.DOCX（25KB）", True),
    # near misses: a page, a script with no file named, a word that only starts like a suffix
    ("http://t.gov.cn/tzgg/t20220610_1.html", "关于补贴发放对象的公示", False),
    ("http://t.gov.cn/attach/get?id=991", "附件1", False),
    ("http://t.gov.cn/a.html", "见.pdfx文件", False),
    # OFD (版式文档) attachments
    ("http://t.gov.cn/fj/名单.ofd", "", True),
    ("http://t.gov.cn/module/download/downfile.jsp?filename=2206101234.ofd", "名单", True),
    ("http://t.gov.cn/attach/get?id=991", "补贴发放对象名单.ofd", True),
    ("http://t.gov.cn/a.html", "见.ofdx文件", False),
])
def test_is_attachment_link(url, text, expected):
    from scanner.site.scan import is_attachment_link

    assert is_attachment_link(url, text) is expected
