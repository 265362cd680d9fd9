"""The audit of an HTML page: what the page publishes outside its shown text (linked files'
names, a select's options).  Synthetic data only: the standard's example ID, 138/139 phones."""
from __future__ import annotations

import pytest

from scanner.extract.office import extract_html_structured, linked_file_names
from scanner.privacy.audit import audit_paths
from scanner.types import Source

ID = "11010519491231002X"


def _page(body: str) -> str:
    return f"<html><body><p>2022年第二季度补贴公示</p>{body}</body></html>"


def _audit(tmp_path, body: str, name: str = "page.html"):
    path = tmp_path / name
    path.write_text(_page(body), encoding="utf-8")
    [record] = audit_paths([str(path)])
    return record


@pytest.mark.parametrize("address, names", [
    # percent-encoded UTF-8 (王芳), GB18030 (王芳), a raw Chinese name, a query value
    ("/files/%E7%8E%8B%E8%8A%B311010519491231002X.xlsx", ["王芳11010519491231002X.xlsx"]),
    ("/files/%CD%F5%B7%BC13812345678.pdf", ["王芳13812345678.pdf"]),
    ("/files/王芳11010519491231002X.xlsx", ["王芳11010519491231002X.xlsx"]),
    ("/download.jsp?file=%E6%9D%8E%E5%A8%9C13912345678.docx&id=1234567", ["李娜13912345678.docx"]),
    # near-misses: a CMS's generated names, a dated folder, no Chinese character or fewer than 7 digits
    ("/uploads/2022/0617/16512345678.jpg", []),
    ("/files/P020220610549876543210.pdf", []),
    ("/files/2022年第二季度名单.xlsx", []),
    ("/art/2022/6/17/art_1229_16512345678.html", []),
])
def test_linked_file_names(address, names):
    assert linked_file_names(address) == names


@pytest.mark.parametrize("body, verdict, entities", [
    # the ID in a linked file's name, percent-encoded, whatever the link's text says
    (f'<p><a href="/files/%E7%8E%8B%E8%8A%B3{ID}.xlsx">下载附件</a></p>', "violation", ["CN_RESIDENT_ID"]),
    # a GB18030-encoded name, a download's name, a picture, a frame's viewer query
    ('<p><a href="/files/%CD%F5%B7%BC13812345678.pdf">附件2</a></p>', "violation", ["CN_MOBILE"]),
    (f'<p><a href="/dl?id=7" download="王芳{ID}.xlsx">附件</a></p>', "violation", ["CN_RESIDENT_ID"]),
    (f'<p><img src="/uploads/王芳{ID}.jpg" alt="照片"></p>', "violation", ["CN_RESIDENT_ID"]),
    (f'<iframe src="/pdfjs/viewer.html?file=/files/王芳{ID}.pdf"></iframe>', "violation", ["CN_RESIDENT_ID"]),
    (f'<p><img data-src="/uploads/王芳{ID}.jpg" src="/img/blank.gif"></p>', "violation", ["CN_RESIDENT_ID"]),
    # the link's text names the file
    (f'<p><a href="/files/list.xlsx">王芳{ID}.xlsx</a></p>', "violation", ["CN_RESIDENT_ID"]),
    # near-misses: generated names and dated folders are no one's; a masked name is masked
    ('<p><a href="/uploads/2022/0617/16512345678.jpg">附件</a><a href="/files/2022年第二季度名单.xlsx">名单</a></p>',
     "compliant", []),
    ('<p><a href="/files/%E7%8E%8B%E8%8A%B3110105********002X.xlsx">附件</a></p>', "compliant", []),
])
def test_linked_file_name_is_audited(tmp_path, body, verdict, entities):
    record = _audit(tmp_path, body)
    assert record.verdict == verdict, record.reason
    assert sorted({i["entity"] for i in record.items if i["violation"]}) == entities
    assert ID not in repr(record.to_dict()) and "13812345678" not in repr(record.to_dict())


def test_mask_leaves_a_linked_name_and_its_reaudit_reports_it(tmp_path, cli_runner):
    from scanner.cli import app

    src, out = tmp_path / "page.html", tmp_path / "page-masked.html"
    href = f"/files/%E7%8E%8B%E8%8A%B3{ID}.xlsx"
    src.write_text(_page(f'<p><a href="{href}">下载附件</a></p><p>联系人王芳，电话13812345678</p>'), encoding="utf-8")
    result = cli_runner.invoke(app, ["privacy", "mask", str(src), "-o", str(out)])
    assert result.exit_code == 1, result.output  # the file on the server keeps its name: rename it
    page = out.read_text(encoding="utf-8")
    assert f'href="{href}"' in page and "138****5678" in page  # the link still finds its file
    [again] = audit_paths([str(out)])
    assert again.verdict == "violation" and [i["entity"] for i in again.items if i["violation"]] == ["CN_RESIDENT_ID"]


@pytest.mark.parametrize("body, verdict, entities", [
    # a select's choices: an ID as an option's value, a mobile in its text (they were never read)
    (f'<select name="sqr"><option value="">请选择</option><option value="{ID}">王芳</option></select>',
     "violation", ["CN_RESIDENT_ID"]),
    ('<select><option>李娜 13912345678</option><option>王芳 13812345678</option></select>', "violation", ["CN_MOBILE", "PERSON"]),
    ('<datalist id="lxr"><option value="13812345678">王芳</option></datalist>', "violation", ["CN_MOBILE", "PERSON"]),
    # ... in a table cell too
    (f'<table><tr><td>申请人</td><td><select><option value="{ID}">王芳</option></select></td></tr></table>',
     "violation", ["CN_RESIDENT_ID"]),
    # near-misses: choices of years, places and masked values; an option whose value is an address
    ('<select><option value="2022">2022年</option><option value="440100">广州市</option><option>王*</option></select>',
     "compliant", []),
    ('<select onchange="go(this.value)"><option value="/art/2022/6/17/art_16512345678.html">公示</option></select>',
     "compliant", []),
    (f'<select><option value="110105********002X">王*</option></select>', "compliant", []),
])
def test_select_options_are_audited(tmp_path, body, verdict, entities):
    record = _audit(tmp_path, body)
    assert record.verdict == verdict, record.reason
    assert sorted({i["entity"] for i in record.items if i["violation"]}) == entities


def test_mask_masks_select_options(tmp_path, cli_runner):
    from scanner.cli import app

    src, out = tmp_path / "page.html", tmp_path / "page-masked.html"
    src.write_text(_page(f'<select><option value="{ID}">王芳</option><option>李娜 13912345678</option></select>'), encoding="utf-8")
    result = cli_runner.invoke(app, ["privacy", "mask", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert ID not in page and "13912345678" not in page and 'value="110105********002X"' in page and "139****5678" in page
