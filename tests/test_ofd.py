"""OFD (版式文档, GB/T 33190-2016) everywhere govscan reads documents: the privacy audit,
site-scan attachments, the web upload; review and mask refuse it with one line.

OFD files are built with ``corpora.pii.ofdwriter`` (synthetic people: GB 11643's example
ID, fictitious mobiles)."""
from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from corpora.pii.ofdwriter import table_objects, write_ofd
from scanner.cli import app
from scanner.errors import InputError
from scanner.extract.ofd import deltas, extract_ofd
from scanner.privacy.audit import audit_source
from tests.pii_files import xlsx_bytes
from scanner.privacy.policy import Policy
from scanner.types import Source

ID = "11010519491231002X"  # GB 11643's example
MOBILE = "13812345678"
HOTLINE = [(60, 285, "监督电话：0766-8812345　地址：云浮市世纪大道")]  # the agency's, in the page template
NOTICE = [(20, 25, "关于王建国同志的任前公示"),
          (20, 35, f"王建国，男，汉族，1980年5月生，身份证号{ID}，联系电话{MOBILE}。")]
ROWS = [["序号", "姓名", "性别", "身份证号", "手机"],
        ["1", "王芳", "女", ID, MOBILE],
        ["2", "欧阳娜娜", "女", "110105********002X", "138****5678"]]
MASKED_ROWS = [["序号", "姓名", "身份证号", "手机"], ["1", "王*", "110105********002X", "138****5678"],
               ["2", "欧阳**", "440103********1234", "139****0000"]]


@pytest.fixture(scope="module")
def policy():
    return Policy.load()


def audit(data: bytes, policy, name: str = "notice.ofd"):
    return audit_source(Source(name, data), policy)


def summary(record):
    return [(i["entity"], i["value_masked"], i["violation"], i["location"].get("page")) for i in record.items]


# ---------------------------------------------------------------- reading order

def test_page_location_as_a_child_element(policy):
    """Some producers write <Page ID="1"><BaseLoc>Doc_0/Pages/…</BaseLoc></Page>, from the
    package root: read as the attribute is."""
    data = write_ofd([NOTICE])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        doc = zf.read("Doc_0/Document.xml").decode()
    doc = doc.replace('<ofd:Page ID="10" BaseLoc="Pages/Page_0/Content.xml"/>',
                      '<ofd:Page ID="10"><ofd:BaseLoc>Doc_0/Pages/Page_0/Content.xml</ofd:BaseLoc></ofd:Page>')
    record = audit(write_ofd([NOTICE], members={"Doc_0/Document.xml": doc}), policy)
    assert record.verdict == "violation" and "未能读取" not in record.reason, record.reason


@pytest.mark.parametrize("variant", [
    {},  # namespaced (ofd:), locations relative to the file naming them
    {"ns": False},  # no namespace: files exist without it
    {"absolute": True},  # /Doc_0/... from the package root
])
def test_table_is_read_as_rows_and_cells(variant, policy):
    """A 名单 laid out as a table (its cells drawn at their columns' positions, no spaces
    between them) reads as rows of tab-separated cells, as a PDF's does: the name in the
    row of an unmasked ID is a violation, the masked row is not."""
    data = write_ofd([[(20, 25, "公示名单"), *table_objects(ROWS)]], **variant)
    extracted = extract_ofd(Source("list.ofd", data))
    lines = extracted.text.splitlines()
    assert [[c.strip() for c in line.split("\t")] for line in lines[1:]] == ROWS
    assert summary(audit(data, policy)) == [
        ("PERSON", "王*", True, 1), ("CN_RESIDENT_ID", "110105********002X", True, 1), ("CN_MOBILE", "138****5678", True, 1),
        ("PERSON", "欧阳**", False, 1), ("CN_RESIDENT_ID", "110105********002X", False, 1),
        ("CN_MOBILE", "138****5678", False, 1)]


def spread(text: str, extra: float, x: float = 20, size: float = 3.5) -> list:
    """Each character its own text object, ``extra`` mm after the previous one's width."""
    out = []
    for ch in text:
        out.append((x, 30, ch))
        x += (size if ord(ch) > 0x2E80 else size / 2) + extra
    return out


@pytest.mark.parametrize("objects, expected", [
    # one TextCode per line, no DeltaX: glyphs advance by their own width
    ([(20, 30, "身份证号" + ID)], "身份证号" + ID),
    # DeltaX with the g repeat syntax: 17 steps of a half-width digit
    ([(20, 30, ID, {"DeltaX": "g 17 1.75"})], ID),
    # every glyph stepped by the font size (digits drawn as wide as 汉字): no spaces inside
    ([(20, 30, "手机" + MOBILE, {"DeltaX": "g 12 3.5"})], "手机" + MOBILE),
    # a row written as one TextCode whose DeltaX jumps to the next column: the gap is a column
    ([(20, 30, "王芳" + MOBILE, {"DeltaX": "3.5 30 g 10 1.75"})], "王芳\t" + MOBILE),
    # each character its own object, drawn 2 mm apart (分散对齐, an OCR layer): joined
    (spread("申请人王芳，身份证号" + ID, 2), "申请人王芳，身份证号" + ID),
    (spread("申请人王芳，手机" + MOBILE, 1.2), "申请人王芳，手机" + MOBILE),
    # two objects on one baseline, out of order in the file: sorted by X
    ([(60, 30, MOBILE), (20, 30, "联系电话：")], "联系电话：\t" + MOBILE),
    # baselines a little apart (a superscript, a cell centred vertically) are one line
    ([(20, 30, "姓名：王芳"), (60, 30.8, MOBILE)], "姓名：王芳\t" + MOBILE),
    # lines sorted top to bottom, whatever the file's order
    ([(20, 40, "第二行"), (20, 30, "第一行")], "第一行\n第二行"),
    # a CTM flipping Y (as PDF-converted files write it: TextCode Y negative, in points)
    ([(20, 30, "第二行", {"CTM": "0.3528 0 0 -0.3528 0 0", "Size": 9.92, "Y": "-45"}),
      (20, 30, "第一行", {"CTM": "0.3528 0 0 -0.3528 0 0", "Size": 9.92, "Y": "-20"})], "第一行\n第二行"),
    # vertical text (ReadDirection 90: glyphs stepped down the page by DeltaY): one run
    ([(20, 30, "手机" + MOBILE, {"ReadDirection": "90", "DeltaX": "g 12 0", "DeltaY": "g 12 3.5"})], "手机" + MOBILE),
    # text turned by its CTM (a rotated 90°): the same
    ([(20, 30, "身份证号" + ID, {"CTM": "0 1 -1 0 0 0"})], "身份证号" + ID),
    # a CTM scaling the object: positions and size scale with it
    ([(20, 30, "手机" + MOBILE, {"CTM": "2 0 0 2 0 0", "Size": 1.75})], "手机" + MOBILE),
])
def test_reading_order(objects, expected):
    """(a column gap is a tab and the rest of its spaces: shown here as the tab alone)"""
    import re

    text = extract_ofd(Source("a.ofd", write_ofd([objects]))).text
    assert re.sub(r"\t +", "\t", text) == expected + "\n"


@pytest.mark.parametrize("value, expected", [
    ("", []),
    ("1.75 3.5", [1.75, 3.5]),
    ("g 3 5.2 1.5", [5.2, 5.2, 5.2, 1.5]),
    ("1 g 2 0.5 g 1 7", [1.0, 0.5, 0.5, 7.0]),
    ("g 2", [2.0]),  # a g without its value: the number alone
    ("3.5 x 1e1", [3.5, 10.0]),  # what is not a number is skipped
    ("1e999 g 2 1e400", [0.0, 0.0, 0.0]),  # off any page: 0
])
def test_deltas(value, expected):
    assert deltas(value) == expected


def test_deltas_read_no_more_steps_than_glyphs():
    """``g 99999999 1`` built a list of a hundred million steps for a few glyphs."""
    assert deltas("g 99999999 1 g 99999999 2", limit=5) == [1.0] * 5


def _shared_page_file(objects, n_pages: int) -> bytes:
    """An OFD whose ``n_pages`` pages all name page 1's file (one member, read many times)."""
    one = write_ofd([objects])
    with zipfile.ZipFile(io.BytesIO(one)) as zf:
        doc = zf.read("Doc_0/Document.xml").decode()
    refs = "".join(f'<ofd:Page ID="{20 + i}" BaseLoc="Pages/Page_0/Content.xml"/>' for i in range(n_pages - 1))
    return write_ofd([objects], members={"Doc_0/Document.xml": doc.replace("</ofd:Pages>", refs + "</ofd:Pages>")})


@pytest.mark.parametrize("data, reason", [
    # 2,000 pages naming one file of 80,000 characters: refused at the text limit, not built
    (lambda: _shared_page_file([(20, 10 + i * 0.01, "王芳" * 40) for i in range(1000)], 2000),
     "OFD text over the size limit (20000000 characters)"),
    # a page of over 100,000 characters (a dense A4 page holds about 3,000)
    (lambda: _shared_page_file([(20, 10 + i * 0.01, "王芳" * 40) for i in range(1300)], 3),
     "no page could be read (page 1: over 100000 characters on one page (limit)"),
    # more pages than the PDF limit
    (lambda: _shared_page_file([(20, 30, "公示")], 2001), "unreadable OFD: over 2000 pages (limit)"),
])
def test_limits(data, reason):
    import time

    started = time.perf_counter()
    with pytest.raises(InputError) as exc:
        extract_ofd(Source("big.ofd", data()))
    assert exc.value.reason.startswith(reason), exc.value.reason
    assert time.perf_counter() - started < 10


def test_odd_coordinates_and_locations_stay_one_line(policy):
    """A glyph placed at 1e999 mm, a location holding a line break and 500 characters: the
    text is read and the reason is one line."""
    odd = [(20, 30, f"手机{MOBILE}"), (20, 40, "远处", {"X": "1e999"})]
    data = write_ofd([odd, NOTICE])
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        doc = zf.read("Doc_0/Document.xml").replace(b"Pages/Page_1/Content.xml", b"Pages/Pa&#10;ge_1/" + b"x" * 500)
    record = audit(write_ofd([odd, NOTICE], members={"Doc_0/Document.xml": doc}), policy)
    assert record.verdict == "violation" and "\n" not in record.reason and len(record.reason) < 400, record.reason
    assert "page 2: Pages/Pa ge_1/xxx" in record.reason and "(named in Doc_0/Document.xml) is missing" in record.reason


# ---------------------------------------------------------------- audit verdicts

def test_two_pages_template_footer_and_notice(policy):
    """A 任前公示 paragraph on page 1, the list on page 2, the agency's 监督电话 in the page
    template (a footer on every page): the leaks are located by page, the hotline is the
    agency's (not a leak), and no unmasked value is in the record."""
    data = write_ofd([NOTICE, table_objects(ROWS[:2])], template=HOTLINE)
    record = audit(data, policy)
    assert record.format == "ofd" and record.verdict == "violation", record.reason
    got = summary(record)
    assert ("CN_RESIDENT_ID", "110105********002X", True, 1) in got and ("CN_RESIDENT_ID", "110105********002X", True, 2) in got
    assert [g for g in got if g[0] == "CN_LANDLINE"] == [("CN_LANDLINE", "0766-*****45", False, 1),
                                                         ("CN_LANDLINE", "0766-*****45", False, 2)]
    dumped = json.dumps(record.to_dict(), ensure_ascii=False)
    assert ID not in dumped and MOBILE not in dumped
    # offsets inside the page slice the page's text to the value
    extracted = extract_ofd(Source("a.ofd", data))
    start, end = extracted.pages[1]
    item = next(i for i in record.items if i["entity"] == "CN_MOBILE" and i["location"]["page"] == 2)
    assert extracted.text[start:end][item["location"]["start"]:item["location"]["end"]] == MOBILE


@pytest.mark.parametrize("pages, template, verdict", [
    # de-identified list, the agency's hotline in the footer: compliant
    ([table_objects(MASKED_ROWS)], HOTLINE, "compliant"),
    # the same with an unmasked mobile in one row
    ([table_objects(MASKED_ROWS[:2] + [["2", "欧阳**", "440103********1234", MOBILE]])], HOTLINE, "violation"),
    # a mobile in the template (a 经办人's, printed on every page) is a leak too
    ([table_objects(MASKED_ROWS)], [(20, 285, f"经办人：李娜 {MOBILE}")], "violation"),
])
def test_masked_lists_and_templates(pages, template, verdict, policy):
    record = audit(write_ofd(pages, template=template), policy)
    assert record.verdict == verdict, record.reason


def test_annotation_text_is_audited(policy):
    """An annotation's remark and the text it draws are published with the page (a
    reviewer's note with the applicant's mobile): each a line after the page's text."""
    data = write_ofd([[(20, 30, "关于补贴发放的公示")]],
                     annotations={0: [(f"申请人王芳电话{MOBILE}", []), (None, [(20, 200, f"身份证号{ID}")])]})
    text = extract_ofd(Source("a.ofd", data)).text
    assert text.split("\n")[1:3] == [f"申请人王芳电话{MOBILE}", f"身份证号{ID}"]
    record = audit(data, policy)
    assert {(i["entity"], i["violation"]) for i in record.items} >= {("CN_MOBILE", True), ("CN_RESIDENT_ID", True)}


def test_generated_notice(policy):
    """A generated 公示 (every kind of value, masked and not) as an OFD: a violation, and
    no unmasked value of the document in the record."""
    import random

    from corpora.pii.generate import Faker, make_doc
    from corpora.pii.ofdwriter import render_ofd
    from pii_files import unmasked_values

    doc = make_doc(Faker(random.Random(5)), "subsidy")
    record = audit(render_ofd(doc), policy)
    assert record.verdict == "violation"
    dumped = json.dumps(record.to_dict(), ensure_ascii=False)
    values = unmasked_values(doc, "pdf")
    assert values and not [v for v in values if v in dumped]
    found = {i["value_masked"] for i in record.items if i["entity"] == "CN_RESIDENT_ID" and i["violation"]}
    assert len(found) == len({v for e, v, m in doc.gold("pdf") if e == "CN_RESIDENT_ID" and not m})


# ---------------------------------------------------------------- bad input

def _zip(members: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _bomb() -> bytes:
    from pii_files import zip_bomb

    buf = io.BytesIO(zip_bomb("Doc_0/Pages/Page_0/Content.xml"))
    with zipfile.ZipFile(buf, "a") as zf:
        zf.writestr("OFD.xml", "<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>")
    return buf.getvalue()


def _future_zip_version() -> bytes:
    """An OFD whose central directory says its first member needs "zip file version 14.5"
    (a damaged byte): zipfile raises NotImplementedError, which was a traceback."""
    data = bytearray(write_ofd([NOTICE]))
    first = data.find(b"PK\x01\x02")  # the central directory's first entry
    data[first + 6] = 145  # its "version needed to extract"
    return bytes(data)


def _damaged_member(data: bytes, member: str) -> bytes:
    """``data`` with the compressed bytes of ``member`` overwritten (a download damaged in transit)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(member)
    out = bytearray(data)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    out[start + 2:start + 40] = b"\xff" * 38
    return bytes(out)


DTD_PAGE = ('<?xml version="1.0"?><!DOCTYPE Page [<!ENTITY id "' + ID + '">]>'
            '<Page><Content><Layer><TextObject Boundary="0 0 100 5" Size="3.5"><TextCode X="0" Y="3.5">&id;</TextCode>'
            '</TextObject></Layer></Content></Page>')


@pytest.mark.parametrize("name, data, reason", [
    # scanned pages: images, no text (the agency's header in the template is no text layer)
    ("scan.ofd", write_ofd([[], []], images=(0, 1)), "no text layer (scanned image OFD: needs OCR)"),
    ("scan.ofd", write_ofd([[]], images=(0,), template=HOTLINE), "no text layer (scanned image OFD: needs OCR)"),
    ("corrupt.ofd", b"PK\x03\x04" + b"\x00" * 200, "corrupt OFD (not a valid ZIP archive)"),
    ("notofd.ofd", _zip({"Doc_0/Document.xml": "<Document/>"}), "not an OFD package (no OFD.xml at its root)"),
    ("nodoc.ofd", write_ofd([NOTICE], members={"Doc_0/Document.xml": None}),
     "unreadable OFD: Doc_0/Document.xml (named in OFD.xml) is missing"),
    ("noroot.ofd", _zip({"OFD.xml": "<OFD><DocBody/></OFD>"}), "unreadable OFD: OFD.xml names no document (DocBody/DocRoot)"),
    ("nopage.ofd", write_ofd([NOTICE], members={"Doc_0/Pages/Page_0/Content.xml": None}),
     "no page could be read (page 1: Pages/Page_0/Content.xml (named in Doc_0/Document.xml) is missing)"),
    ("bomb.ofd", _bomb(), "OFD member Doc_0/Pages/Page_0/Content.xml inflates"),
    ("dtd.ofd", write_ofd([NOTICE], members={"Doc_0/Pages/Page_0/Content.xml": DTD_PAGE}),
     "no page could be read (page 1: Doc_0/Pages/Page_0/Content.xml declares a DTD (entities are not allowed in OFD))"),
    ("dtd.ofd", write_ofd([NOTICE], members={"OFD.xml": '<!DOCTYPE OFD SYSTEM "http://example.invalid/ofd.dtd">'
                                                        '<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>'}),
     "unreadable OFD: OFD.xml declares a DTD (entities are not allowed in OFD)"),
    ("empty.ofd", b"", "empty file"),
    ("version.ofd", _future_zip_version(), "corrupt OFD (not a valid ZIP archive)"),
    # extensions that lie
    ("scan.ofd", b"%PDF-1.7\n%%EOF\n", "extension says OFD but the content is PDF"),
    ("list.pdf", write_ofd([NOTICE]), "extension says PDF but the content is OFD"),
])
def test_bad_input_is_unreadable_with_its_reason(name, data, reason, policy):
    record = audit(data, policy, name)
    assert (record.verdict, record.format) == ("unreadable", "ofd" if name.endswith(".ofd") else "pdf")
    assert record.reason.startswith(reason), record.reason
    assert "\n" not in record.reason and not record.items


@pytest.mark.parametrize("members, verdict, reason", [
    # page 2 missing: page 1's leaks are still found, the reason names the page
    ({"Doc_0/Pages/Page_1/Content.xml": None}, "violation", "page 2: Pages/Page_1/Content.xml (named in Doc_0/Document.xml) is missing"),
    # page 2 declares entities: the same
    ({"Doc_0/Pages/Page_1/Content.xml": DTD_PAGE}, "violation", "page 2: Doc_0/Pages/Page_1/Content.xml declares a DTD"),
])
def test_a_broken_page_does_not_lose_the_others(members, verdict, reason, policy):
    record = audit(write_ofd([NOTICE, NOTICE], members=members), policy)
    assert record.verdict == verdict
    assert "未能读取：" + reason in record.reason, record.reason
    assert {i["location"]["page"] for i in record.items} == {1}


def test_an_unread_page_is_never_a_clean_audit(policy):
    """Page 1 de-identified, page 2 broken: not compliant (unreadable, naming the page);
    page 2 a scanned image: the same."""
    pages = [table_objects(MASKED_ROWS), NOTICE]
    # cut short: read as far as it goes, what followed the break never read
    broken = audit(write_ofd(pages, members={"Doc_0/Pages/Page_1/Content.xml": "<Page><Content><Layer>"}), policy)
    assert broken.verdict == "unreadable", broken.reason
    assert "Doc_0/Pages/Page_1/Content.xml is broken XML, read up to line 1 (Premature end of data" in broken.reason
    missing = audit(write_ofd(pages, members={"Doc_0/Pages/Page_1/Content.xml": None}), policy)
    assert missing.verdict == "unreadable" and missing.reason.startswith("未发现未去标识化的个人信息"), missing.reason
    assert "page 2:" in missing.reason and missing.items
    scanned = audit(write_ofd([table_objects(MASKED_ROWS), []], images=(1,)), policy)
    assert scanned.verdict == "unreadable" and "page 2: no text layer (a scanned image: needs OCR)" in scanned.reason


# ---------------------------------------------------------------- commands

def test_audit_cli_and_directory(tmp_path, cli_runner):
    (tmp_path / "名单.ofd").write_bytes(write_ofd([table_objects(ROWS)]))
    (tmp_path / "公示.ofd").write_bytes(write_ofd([table_objects(MASKED_ROWS)], template=HOTLINE))
    result = cli_runner.invoke(app, ["privacy", "audit", str(tmp_path), "--format", "jsonl"])
    assert result.exit_code == 1, result.output
    records = {r["path"].rsplit("/", 1)[-1]: r for r in map(json.loads, result.stdout.splitlines())}
    assert {k: (r["format"], r["verdict"]) for k, r in records.items()} == {
        "公示.ofd": ("ofd", "compliant"), "名单.ofd": ("ofd", "violation")}
    assert ID not in result.stdout and MOBILE not in result.stdout
    text = cli_runner.invoke(app, ["privacy", "audit", str(tmp_path / "名单.ofd")])
    assert "第1页 " in text.stdout and "[ofd]" in text.stdout


def test_mask_refuses_ofd_with_one_line(tmp_path, cli_runner):
    src = tmp_path / "名单.ofd"
    src.write_bytes(write_ofd([table_objects(ROWS)]))
    result = cli_runner.invoke(app, ["privacy", "mask", str(src), "-o", str(tmp_path / "out.ofd")])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "masking OFD is not supported" in result.output and "export the OFD again" in result.output
    assert not (tmp_path / "out.ofd").exists()


def test_review_points_to_the_audit(tmp_path, cli_runner):
    src = tmp_path / "公告.ofd"
    src.write_bytes(write_ofd([NOTICE]))
    result = cli_runner.invoke(app, ["review", str(src)])
    assert result.exit_code == 2
    assert "OFD is not supported by review; use `govscan privacy audit`" in result.output


@pytest.mark.parametrize("name, data, kinds, outcome", [
    ("名单.ofd", write_ofd([NOTICE]), "privacy", "ofd"),
    ("名单.ofd", b"%PDF-1.7\n%%EOF\n", "privacy", 415),  # a PDF renamed .ofd
    ("名单.ofd", write_ofd([NOTICE]), "mask", 415),  # mask: audit only
    ("名单.ofd", write_ofd([NOTICE]), "review", 415),
])
def test_web_upload(name, data, kinds, outcome):
    from scanner.web.uploads import MASK_KINDS, PRIVACY_KINDS, REVIEW_KINDS, UploadRejected, check_upload

    kind = {"privacy": PRIVACY_KINDS, "mask": MASK_KINDS, "review": REVIEW_KINDS}[kinds]
    if isinstance(outcome, str):
        assert check_upload(name, data, kind) == outcome
        return
    with pytest.raises(UploadRejected) as exc:
        check_upload(name, data, kind)
    assert exc.value.status == outcome and "\n" not in exc.value.detail


def test_web_audit_record(policy):
    from scanner.web import privacy

    if privacy.unavailable_reason():
        pytest.skip(privacy.unavailable_reason())
    record = privacy.audit(Source("名单.ofd", write_ofd([table_objects(ROWS)])), policy)
    assert (record["format"], record["verdict"]) == ("ofd", "violation")
    assert ID not in json.dumps(record, ensure_ascii=False)


# ---------------------------------------------------------------- site scans

# (.ofd links as attachments: test_site_privacy.test_is_attachment_link)


SITE_CASES = {
    # an OFD 公示名单 attachment was skipped (not an attachment suffix) and the site passed
    "ofd.qa.gov.cn": (write_ofd([NOTICE, table_objects(ROWS)], template=HOTLINE), "fail", ["泄露个人隐私"], None),
    "ofdmasked.qa.gov.cn": (write_ofd([table_objects(MASKED_ROWS)], template=HOTLINE), "pass", [], None),
    # a broken page is a skip with its reason; the other page is judged
    "ofdbroken.qa.gov.cn": (write_ofd([table_objects(MASKED_ROWS), NOTICE], members={"Doc_0/Pages/Page_1/Content.xml": None}),
                            "pass", [], "part of the document not read (page 2: Pages/Page_1/Content.xml"),
    "ofdscan.qa.gov.cn": (write_ofd([[]], images=(0,)), "pass", [], "no text layer (scanned image OFD: needs OCR)"),
}


@pytest.fixture(scope="module")
def site_records(tmp_path_factory):
    import csv

    from typer.testing import CliRunner

    from tests.fixtures.sites import make_fixtures as M
    from tests.test_site_privacy import _notice_site

    root = tmp_path_factory.mktemp("ofd-sites")
    M.MIRROR = root / "mirror"
    rows = []
    for n, (host, (data, *_)) in enumerate(SITE_CASES.items()):
        code = f"44010000{n + 70}"
        M.write(host, _notice_site(code, "/tzgg/fj/mingdan.ofd"))
        path = M.MIRROR / host / "tzgg/fj/mingdan.ofd"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        rows.append(["测试", host, "测试单位", f"http://{host}/", code])
    with (root / "registry.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["地区", "网站名称", "主办单位", "网站地址", "网站标识码"], *rows])
    res = CliRunner().invoke(app, ["scan", "sites", "-r", str(root / "registry.csv"), "-s", str(M.MIRROR),
                                   "--as-of", "2022-06-20", "-f", "jsonl"])
    assert res.exit_code in (0, 1), res.output
    return {r["host"]: r for r in map(json.loads, res.stdout.splitlines())}


@pytest.mark.parametrize("host", list(SITE_CASES))
def test_site_scan_audits_ofd_attachments(site_records, host):
    _data, verdict, problems, skip = SITE_CASES[host]
    rec = site_records[host]
    assert (rec["verdict"], rec["problems"]) == (verdict, problems), rec.get("error")
    assert rec["stats"]["privacy_checked"] >= (0 if skip and "no text" in skip else 1)
    if skip:  # (counted by kind: the reason up to its details)
        kind = re.split(r"[(:（]", skip, maxsplit=1)[0].strip()
        assert kind in rec["stats"]["skip_reasons"], rec["stats"]["skip_reasons"]
    pii = [f for f in rec["findings"] if f["category"] == "pii"]
    assert bool(pii) == (verdict == "fail")
    assert all("/tzgg/fj/mingdan.ofd" in f["location"]["url"] and "page" in f["location"]["place"] for f in pii)
    assert ID not in json.dumps(rec["findings"], ensure_ascii=False)


# ---------------------------------------------------------------- wrapped cells (privacy.wrapped)

def _lines(lines, size: float = 3.5, leading: float = 5.5):
    """Lines of (x in mm, text), one under the other, as text objects."""
    return [(x, 30 + k * leading, text, {"Size": size}) for k, line in enumerate(lines) for x, text in line]


WRAP_HEADER = [(18, "序号"), (35, "姓名"), (70, "性别"), (92, "家庭电话"), (148, "备注")]


def wrap_row(n, name, phone, note="无"):
    return [(18, str(n)), (35, name), (70, "男"), (92, phone), (148, note)]


@pytest.mark.parametrize("lines, expected", [
    # a name cell too narrow wraps under itself (王 / 建国): read as the PDF's is, put back
    ([wrap_row(1, "王", "020-83331234"), [(35, "建国")]],
     [("PERSON", "王**", True), ("CN_LANDLINE", "020-8*****34", True)]),
    ([wrap_row(1, "王", "020-83331234", "低保"), [(35, "建国"), (148, "对象")]],
     [("PERSON", "王**", True), ("CN_LANDLINE", "020-8*****34", True)]),
    ([wrap_row(1, "王", "020-83331234"), [(35, "建国")], wrap_row(2, "欧阳", "020-83335678"), [(35, "娜娜")]],
     [("PERSON", "王**", True), ("CN_LANDLINE", "020-8*****34", True),
      ("PERSON", "欧阳**", True), ("CN_LANDLINE", "020-8*****78", True)]),
    # near miss: prose after the table, at the left margin, stays its own line
    ([wrap_row(1, "王建国", "020-83331234"), [(18, "以上名单公示五个工作日，如有异议请反映。")]],
     [("PERSON", "王**", True), ("CN_LANDLINE", "020-8*****34", True)]),
])
def test_wrapped_cells_in_an_ofd_list(lines, expected, policy):
    """Columns stand at the character column of their X (as pypdf's layout mode writes a
    PDF), so a wrapped cell's rest stands under its cell and is put back as a PDF's is."""
    record = audit(write_ofd([_lines([[(18, "公示名单")], WRAP_HEADER, *lines])]), policy)
    assert [(i["entity"], i["value_masked"], i["violation"]) for i in record.items] == expected


# ---------------------------------------------------------------- attached files (Attachs)

def _xlsx(rows) -> bytes:
    return xlsx_bytes(rows, "名单")


@pytest.mark.parametrize("attachments, expected, unread", [
    # an 电子公文's 附件: the 名单 travels in the OFD as an attached workbook (the page says 详见附件)
    ([("公示名单", "xlsx", "att_1.xlsx", _xlsx(ROWS[:2]))],
     [("PERSON", True, {"sheet": "嵌入对象 公示名单.xlsx/名单", "cell": "B2"}),
      ("CN_RESIDENT_ID", True, {"sheet": "嵌入对象 公示名单.xlsx/名单", "cell": "D2"}),
      ("CN_MOBILE", True, {"sheet": "嵌入对象 公示名单.xlsx/名单", "cell": "E2"})], None),
    # a de-identified attachment: nothing
    ([("名单.xlsx", "xlsx", "a.xlsx", _xlsx(MASKED_ROWS))], None, None),
    # one the audit cannot read (an image): named, never a clean audit
    ([("身份证复印件", "jpg", "id.jpg", b"\xff\xd8\xff" + b"\x00" * 64)], None,
     "attachment 身份证复印件.jpg: not read (the audit reads"),
    # ... named with the ID it shows: the reason masks it (it printed the number whole)
    ([(f"王芳{ID}", "jpg", "id.jpg", b"\xff\xd8\xff" + b"\x00" * 64)], None,
     "attachment 王芳110***********002X.jpg: not read (the audit reads"),
    # a broken reference
    ([("名单", "xlsx", "a.xlsx", None)], None, "attachment 名单.xlsx: a.xlsx (named in Doc_0/Attachs/Attachments.xml) is missing"),
    # a damaged member (its deflate stream overwritten: a zlib error was a traceback)
    ([("名单", "xlsx", "a.xlsx", "damaged")], None, "attachment 名单.xlsx: cannot be read ("),
])
def test_attached_files_are_audited(attachments, expected, unread, policy):
    drop = {f"Doc_0/Attachs/{fn}": None for _n, _f, fn, data in attachments if data is None}
    atts = [(n, f, fn, _xlsx(ROWS) if data in (None, "damaged") else data) for n, f, fn, data in attachments]
    data = write_ofd([[(20, 30, "关于补贴发放对象的公示，名单详见附件。")]], attachments=atts, members=drop)
    for _n, _f, fn, how in attachments:
        if how == "damaged":
            data = _damaged_member(data, f"Doc_0/Attachs/{fn}")
    record = audit(data, policy)
    got = [(i["entity"], i["violation"], i["location"]) for i in record.items if i["violation"]]
    assert got == (expected or [])
    if unread:
        assert record.verdict == "unreadable" and "未能读取：" + unread in record.reason, record.reason
    else:
        assert record.verdict == ("violation" if expected else "compliant"), record.reason


@pytest.mark.parametrize("fmt, data", [
    ("pdf", lambda: __import__("corpora.pii.pdfwriter", fromlist=["write_pdf"]).write_pdf([[f"申请人王芳，身份证号{ID}"]])),
    ("csv", lambda: f"姓名,身份证号\n王芳,{ID}\n".encode("utf-8")),
])
def test_attached_pdf_and_csv(fmt, data, policy):
    record = audit(write_ofd([[(20, 30, "名单详见附件。")]], attachments=[("名单", fmt, f"a.{fmt}", data())]), policy)
    assert record.verdict == "violation", record.reason
    assert ("CN_RESIDENT_ID", "110105********002X") in {(i["entity"], i["value_masked"]) for i in record.items}
    assert ID not in json.dumps(record.to_dict(), ensure_ascii=False)


def test_paragraph_name_split_by_a_line_break_is_found(policy):
    """申请人欧阳 / 娜娜，身份证号…: a paragraph's line break inside a name (the name was 欧阳
    alone, "name alone" beside the ID), put back as in a PDF."""
    data = write_ofd([[(20, 30, "根据有关规定现将本街道最低生活保障对象经审核申请人欧阳"),
                       (20, 36, f"娜娜，身份证号码{ID}，符合条件")]])
    got = [(i["entity"], i["value_masked"], i["violation"], i["rule"]) for i in audit(data, policy).items]
    assert got == [("PERSON", "欧阳**", True, "name with CN_RESIDENT_ID in the same record"),
                   ("CN_RESIDENT_ID", "110105********002X", True, "unmasked identifier")]


def test_one_missing_annotation_file_keeps_the_others(policy):
    data = write_ofd([[(20, 30, "第一页")], [(20, 30, "第二页")]],
                     annotations={0: [("备注一", [])], 1: [(f"申请人王芳电话{MOBILE}", [])]},
                     members={"Doc_0/Annots/Page_0/Annotation.xml": None})
    record = audit(data, policy)
    assert record.verdict == "violation"
    assert [(i["entity"], i["location"]["page"]) for i in record.items if i["entity"] == "CN_MOBILE"] == [("CN_MOBILE", 2)]
    assert "未能读取：annotations: Page_0/Annotation.xml (named in Doc_0/Annots/Annotations.xml) is missing" in record.reason


@pytest.mark.parametrize("objects, cap, reason", [
    # a page's XML over the part limit: refused before lxml builds its tree (about 15 times the
    # XML: 3 million TextCodes, 160 MB inside the ZIP limits, peaked at 2.4 GB)
    ([(20, 10 + i * 0.01, "王芳") for i in range(12000)], 2**20,
     "no page could be read (page 1: Doc_0/Pages/Page_0/Content.xml: over 1 MB of XML in one part (limit)"),
    # under it: read
    ([(20, 30, "公示")], 2**20, None),
])
def test_part_size_limit(monkeypatch, objects, cap, reason):
    import scanner.extract.ofd as ofd

    monkeypatch.setattr(ofd, "MAX_PART_BYTES", cap)
    data = write_ofd([objects])
    if reason is None:
        assert "公示" in extract_ofd(Source("p.ofd", data)).text
        return
    with pytest.raises(InputError) as exc:
        extract_ofd(Source("p.ofd", data))
    assert exc.value.reason.startswith(reason), exc.value.reason
