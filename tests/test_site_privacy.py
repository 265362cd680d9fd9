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
from tests.pii_files import encrypted_pdf

ID = "11010519491231002X"  # GB 11643's example
DOC = make_doc(Faker(random.Random(3)), "subsidy", masked_ratio=0.0)
MASKED_ROWS = [["关于2022年度高龄津贴发放名单的公示"], ["序号", "姓名", "身份证号码", "联系电话"],
               ["1", "张*", "110105********002X", "138****5678"], ["2", "李*", "440103********1234", "139****0000"]]


def _xlsx(rows) -> bytes:
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "公示名单"
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _pdf(rows) -> bytes:
    from corpora.pii.pdfwriter import write_pdf

    return write_pdf([["  ".join(r) for r in rows]])


def _notice_site(code: str, href: str) -> dict:
    """A healthy site whose 2022-06-10 notice links one attachment."""
    files = M.standard_site(code=code, columns=[
        ("通知公告", "tzgg", ("list", [("关于补贴发放对象的公示", "2022-06-10", "2022-06-10")]))] + M.default_columns()[:2])
    for rel in list(files):
        if "/t20220610_" in rel:
            files[rel] = M.page("公示", "<h1>关于补贴发放对象的公示</h1><p>现将名单公示如下，详见附件。</p>"
                              f'<p><a href="{href}">附件：补贴发放对象名单</a></p>', code=code)
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
BROKEN_XLSX = b"PK\x03\x04" + b"\x00" * 200

# host: (site files, extra files {path: bytes}, verdict, problems, skip reason or None, where the leak is)
CASES = {
    # XLSX and PDF 公示名单 attachments were skipped ("not supported by review") and their sites passed
    "xlsx.qa.gov.cn": (lambda c: _notice_site(c, "/tzgg/fj/mingdan.xlsx"), {"tzgg/fj/mingdan.xlsx": RENDER["xlsx"](DOC)},
                       "fail", ["泄露个人隐私"], None, ("/tzgg/fj/mingdan.xlsx", "sheet")),
    "pdf.qa.gov.cn": (lambda c: _notice_site(c, "/tzgg/fj/mingdan.pdf"), {"tzgg/fj/mingdan.pdf": RENDER["pdf"](DOC)},
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
}


@pytest.fixture(scope="module")
def records(tmp_path_factory):
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
    return {r["host"]: r for r in map(json.loads, res.stdout.splitlines())}


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
