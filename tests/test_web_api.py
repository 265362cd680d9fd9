"""The web API (issue 8) through FastAPI's TestClient: every endpoint, the JSON contract
shared with `govscan review --format json`, and each rejection (too large, wrong type,
missing token), CORS, security headers, logging and temporary files.

Synthetic data only: the ID is GB 11643's example number, the phone numbers are fictitious.
"""
from __future__ import annotations

import codecs
import io
import json
import logging
import re
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from scanner.cli import app as cli_app
from test_review_checks import _docx_embedding, _xlsx
from scanner.web import WebConfig, create_app
from scanner.web import privacy as web_privacy
from scanner.web.security import is_loopback
from scanner.web.uploads import content_format

ID_OK = "11010519491231002X"
PHONE = "13812345678"
DRAFT = (
    "关于拟救助对象的公示\n"
    f"申请人身份证号：{ID_OK}，联系电话：{PHONE}。\n"
    "会议要求深入学习李克墙总理的重要讲话精神。\n"
)
TOKEN = "s3cret-token-for-tests"
PRIVACY_MISSING = web_privacy.unavailable_reason()


NO_MODEL = {"checks": {"wording.classifier": {"enabled": False}}}


@pytest.fixture(scope="module")
def reviewer(settings):
    """The lexicon and PII checks without the wording model (as `govscan review --no-model`):
    the API's behaviour does not depend on the model, and these tests stay fast.
    test_review_with_model_equals_cli covers the model."""
    from scanner.pipeline import Reviewer
    from scanner.settings import Settings

    return Reviewer(Settings.load(as_of=settings.as_of, overrides=NO_MODEL))


def make_client(settings, reviewer, **options) -> TestClient:
    config = WebConfig(settings=settings, fixed_as_of=True, **options)
    return TestClient(create_app(config, reviewer))


@pytest.fixture(scope="module")
def client(settings, reviewer):
    with make_client(settings, reviewer) as c:
        yield c


def cli_json(cli_runner, tmp_path, monkeypatch, name: str, data: bytes, model: bool = False) -> dict:
    """What `govscan review NAME --format json --no-model` prints (with the model when
    ``model``), run in tmp_path so the source is NAME."""
    (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    args = ["review", name, "--format", "json", "--as-of", "2022-06-20"] + ([] if model else ["--no-model"])
    result = cli_runner.invoke(cli_app, args, catch_exceptions=False, terminal_width=120)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def docx_bytes(*paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


HTML = ("<html><head><meta charset='utf-8'><title>公示</title></head><body><article>"
        "<h1>关于拟救助对象的公示</h1>"
        f"<p>申请人身份证号：{ID_OK}，联系电话：{PHONE}。会议要求深入学习李克墙总理的重要讲话精神。</p>"
        "<p>本公示期为五个工作日，如有异议请向镇民政办反映。</p></article></body></html>")


# ---------------------------------------------------------------- health, page, docs
def test_health(client, reviewer):
    r = client.get("/api/health")
    assert r.status_code == 200
    data = r.json()
    assert data["status"] == "ok"
    assert data["checks"] == [c.CODE for c in reviewer.checks]
    assert data["domains"] == []  # this reviewer runs without the wording model
    assert data["token_required"] is False
    assert data["max_upload_bytes"] == 10 * 2**20
    assert PRIVACY_MISSING is None and data["privacy"] is True  # the privacy library ships with govscan


def test_page_and_assets_are_local(client):
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert "发布前审查" in r.text and 'lang="zh-CN"' in r.text
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    for asset, kind in (("/static/app.js", "javascript"), ("/static/style.css", "css")):
        a = client.get(asset)
        assert a.status_code == 200 and kind in a.headers["content-type"]
        # no CDN: nothing the page loads refers to another host
        assert not re.search(r"(src|href|url)\s*[=(]\s*[\"']?(https?:)?//", a.text), asset
    assert not re.search(r"(src|href)=\"(https?:)?//", r.text)


def test_openapi_docs_offline(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/health", "/api/review", "/api/privacy/audit", "/api/privacy/mask"} <= set(spec["paths"])
    body = spec["paths"]["/api/review"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(body)
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "cdn." not in docs.text and "/static-docs/swagger-ui-bundle.js" in docs.text
    assert client.get("/static-docs/swagger-ui-bundle.js").status_code == 200


# ---------------------------------------------------------------- the review contract
def test_review_text_equals_cli(client, cli_runner, tmp_path, monkeypatch):
    expected = cli_json(cli_runner, tmp_path, monkeypatch, "draft.txt", DRAFT.encode("utf-8"))
    r = client.post("/api/review", json={"text": DRAFT, "name": "draft.txt"})
    assert r.status_code == 200
    assert r.json() == expected
    timing = re.fullmatch(r"review;dur=([\d.]+), cpu;dur=([\d.]+), model;dur=([\d.]+), total;dur=([\d.]+)",
                          r.headers["server-timing"])
    assert timing and float(timing[3]) == 0.0  # no model in this reviewer
    codes = sorted(f["code"] for f in expected["findings"])
    assert codes == ["pii.cn_mobile", "pii.cn_resident_id", "wording.leader_name"]


@pytest.mark.model
def test_review_with_model_equals_cli(settings, cli_runner, tmp_path, monkeypatch):
    """With every check of the default configuration on, the trained model included."""
    from scanner.pipeline import Reviewer

    full = Reviewer(settings)
    assert "wording.classifier" in [c.CODE for c in full.checks]
    expected = cli_json(cli_runner, tmp_path, monkeypatch, "draft.txt", DRAFT.encode("utf-8"), model=True)
    with make_client(settings, full) as c:
        assert c.get("/api/health").json()["checks"] == [ch.CODE for ch in full.checks]
        r = c.post("/api/review", json={"text": DRAFT, "name": "draft.txt"})
    assert r.status_code == 200 and r.json() == expected
    timing = dict(part.split(";dur=") for part in r.headers["server-timing"].split(", "))
    assert 0 < float(timing["model"]) <= float(timing["cpu"]) + 0.1  # the model's CPU time is part of the review's


@pytest.mark.parametrize("name, data", [
    ("draft.txt", DRAFT.encode("utf-8")),
    ("draft-gbk.txt", DRAFT.encode("gb18030")),
    ("notice.html", HTML.encode("utf-8")),
    ("notice.docx", docx_bytes("关于拟救助对象的公示", f"申请人身份证号：{ID_OK}。",
                               table=[["姓名", "联系电话"], ["张三", PHONE]])),
])
def test_review_upload_equals_cli(client, cli_runner, tmp_path, monkeypatch, name, data):
    expected = cli_json(cli_runner, tmp_path, monkeypatch, name, data)
    r = client.post("/api/review", files={"file": (name, data, "application/octet-stream")})
    assert r.status_code == 200, r.text
    assert r.json() == expected
    assert expected["findings"], "the fixture must produce findings for the comparison to mean something"


def test_review_show_text_offsets_slice_the_text(client):
    r = client.post("/api/review?show_text=true", files={"file": ("notice.html", HTML.encode(), "text/html")})
    data = r.json()
    assert data["format"] == "html" and data["length"] == len(data["text"])
    spans = {f["code"]: data["text"][f["start"]:f["end"]] for f in data["findings"]}
    assert spans == {"pii.cn_resident_id": ID_OK, "pii.cn_mobile": PHONE, "wording.leader_name": "李克墙"}


def _placed(places: list[dict], start: int, end: int) -> dict:
    """A finding's place from the API's places, as the page works it out (app.js placeFindings)."""
    def is_cell(p):
        return "table" in p["location"] or "cell" in p["location"]

    part = next((p for p in places if not is_cell(p) and p["start"] <= start < p["end"]), None)
    where = {"part": part["location"]["part"]} if part else {}
    cell = next((p for p in places if is_cell(p) and p["start"] <= start and end <= p["end"]), None)
    if cell:
        where.update(cell["location"])
    return where


def _docx_with_header(header: str, *paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    import docx

    d = docx.Document(io.BytesIO(docx_bytes(*paragraphs, table=table)))
    d.sections[0].header.paragraphs[0].text = header
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("name, data, places", [
    # a header and a table: the page kept no record of them and lost the 位置 after an edit
    ("notice.docx", _docx_with_header(f"某某县人民政府办公室 联系电话：{PHONE}", "会议要求深入学习李克墙总理的重要讲话精神。",
                                      table=[["姓名", "身份证号"], ["张三", ID_OK]]),
     {"页眉", "表格1 第1行第1列", "表格1 第1行第2列", "表格1 第2行第1列", "表格1 第2行第2列"}),
    # a workbook embedded in the draft (its cells: 嵌入对象 NAME/SHEET and the cell)
    ("roster.docx", _docx_embedding("关于拟救助对象的公示。", ("Microsoft_Excel_Worksheet.xlsx", _xlsx(
        [["序号", "姓名", "身份证号", "联系电话"], ["1", "张三", ID_OK, PHONE]]))),
     {"嵌入对象 Microsoft_Excel_Worksheet.xlsx"} | {f"嵌入对象 Microsoft_Excel_Worksheet.xlsx/名单 {c}{r}"
                                                 for c in "ABCD" for r in (1, 2)}),
    # near-misses: running text alone has no places, nor has an HTML page or pasted text
    ("plain.docx", docx_bytes("会议要求深入学习李克墙总理的重要讲话精神。"), None),
    ("notice.html", HTML.encode(), None),
])
def test_review_show_text_gives_the_files_places(client, cli_runner, tmp_path, monkeypatch, name, data, places):
    from scanner.pipeline import place_label

    r = client.post("/api/review?show_text=true", files={"file": (name, data, "application/octet-stream")})
    record = r.json()
    if places is None:
        assert "places" not in record
        return
    assert {place_label(p["location"]) for p in record["places"]} == places
    text = record["text"]
    held = [text[p["start"]:p["end"]] for p in record["places"]
            if place_label(p["location"]) in ("表格1 第2行第2列", "嵌入对象 Microsoft_Excel_Worksheet.xlsx/名单 C2")]
    assert held == [ID_OK]
    assert record == {**cli_json(cli_runner, tmp_path, monkeypatch, name, data), "text": text, "places": record["places"]}
    # every finding's location is the one its offsets give in the places (the page's re-review)
    for f in record["findings"]:
        assert _placed(record["places"], f["start"], f["end"]) == {k: v for k, v in (f.get("location") or {}).items()
                                                                   if k in ("part", "table", "row", "col", "cell")}, f
    # and without ?show_text the record is the CLI's, no places
    assert "places" not in client.post("/api/review", files={"file": (name, data, "application/octet-stream")}).json()


def test_review_offsets_are_code_points(client):
    text = "𠀀😀 联系电话：" + PHONE + "。"
    data = client.post("/api/review", json={"text": text}).json()
    assert data["source"] == "-"
    [f] = data["findings"]
    assert text[f["start"]:f["end"]] == PHONE


def test_review_clean_text(client):
    r = client.post("/api/review", json={"text": "我镇召开安全生产工作会议，部署防汛备汛工作。"})
    assert r.status_code == 200 and r.json()["findings"] == []


# ---------------------------------------------------------------- rejections
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _zip(member: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(member, "x")
    return buf.getvalue()


@pytest.mark.parametrize("name, data, status, error", [
    # extension not accepted
    ("report.pdf", PDF, 415, "unsupported_type"),
    ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00", 415, "unsupported_type"),
    ("noextension", DRAFT.encode(), 415, "unsupported_type"),
    # accepted extension, other content: checked by content, not only by extension
    ("draft.txt", PDF, 415, "content_mismatch"),
    ("draft.docx", DRAFT.encode(), 415, "content_mismatch"),
    ("page.html", PNG, 415, "content_mismatch"),
    ("draft.txt", docx_bytes("正文"), 415, "content_mismatch"),
    ("draft.txt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, 415, "content_mismatch"),
    # right type, unreadable content
    ("draft.docx", _zip("word/other.xml"), 422, "unreadable"),
    ("draft.txt", b"\x00\x01\x02\x03" * 300, 422, "unreadable"),
    ("draft.txt", b"", 400, "empty"),
])
def test_review_upload_rejected(client, name, data, status, error):
    r = client.post("/api/review", files={"file": (name, data, "application/octet-stream")})
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"] == error
    assert "\n" not in body["detail"] and body["detail"]


@pytest.mark.parametrize("kwargs, status, error", [
    ({"content": b"plain text body", "headers": {"content-type": "application/octet-stream"}}, 415, "unsupported_media_type"),
    ({"content": b"  ", "headers": {"content-type": "text/plain"}}, 400, "empty"),
    ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "invalid_json"),
    ({"json": {"name": "x.txt"}}, 400, "invalid_json"),
    ({"json": {"text": 12}}, 400, "invalid_json"),
    ({"json": {"text": "   \n"}}, 400, "empty"),
    ({"files": {"other": ("a.txt", b"abc", "text/plain")}}, 400, "missing_file"),
])
def test_review_bad_requests(client, kwargs, status, error):
    r = client.post("/api/review", **kwargs)
    assert r.status_code == status, r.text
    assert r.json()["error"] == error


def _multipart(fields: dict[str, bytes], boundary: str = "b0undary") -> bytes:
    """A multipart/form-data body with these text fields, their bytes as given (a browser on
    a GBK page sends GBK bytes and no charset)."""
    out = b""
    for key, value in fields.items():
        out += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{key}\"\r\n\r\n".encode() + value + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


def _urlencoded(fields: dict[str, str], encoding: str) -> bytes:
    from urllib.parse import urlencode

    return urlencode(fields, encoding=encoding).encode("ascii")


FORM = "application/x-www-form-urlencoded"
MULTI = "multipart/form-data; boundary=b0undary"


@pytest.mark.parametrize("body, content_type", [
    # JSON with a byte-order mark (Windows clients), or in the charset its Content-Type names
    (b"\xef\xbb\xbf" + json.dumps({"text": DRAFT, "name": "draft.txt"}, ensure_ascii=False).encode(), "application/json"),
    (json.dumps({"text": DRAFT, "name": "draft.txt"}, ensure_ascii=False).encode("gbk"), "application/json; charset=GBK"),
    (codecs.BOM_UTF16_LE + json.dumps({"text": DRAFT, "name": "draft.txt"}, ensure_ascii=False).encode("utf-16-le"),
     "application/json"),
    # an HTML form (urlencoded): UTF-8, GBK as named, GBK unnamed (a form on a GBK page), _charset_
    (_urlencoded({"text": DRAFT, "name": "draft.txt"}, "utf-8"), FORM),
    (_urlencoded({"text": DRAFT, "name": "draft.txt"}, "gbk"), FORM + "; charset=gbk"),
    (_urlencoded({"text": DRAFT, "name": "draft.txt"}, "gbk"), FORM),
    (_urlencoded({"_charset_": "GB18030", "text": DRAFT, "name": "draft.txt"}, "gb18030"), FORM),
    # a multipart form with a text field instead of a file: UTF-8, and GBK bytes with no charset
    (_multipart({"text": DRAFT.encode(), "name": b"draft.txt"}), MULTI),
    (_multipart({"text": DRAFT.encode("gbk"), "name": b"draft.txt"}), MULTI),
    # the draft itself as the body (curl --data-binary @draft.txt): UTF-8, or GBK as named
    (DRAFT.encode(), "text/plain"),
    (DRAFT.encode("gbk"), "text/plain; charset=GBK"),
])
def test_review_text_sent_as_a_form_or_in_another_charset(client, body, content_type):
    """It was refused: urlencoded forms with 415, a JSON body with a BOM or in GBK and a
    multipart form without a file with 400."""
    bare = content_type.startswith("text/plain")  # a bare body has no name: source "-"
    expected = client.post("/api/review", json={"text": DRAFT} if bare else {"text": DRAFT, "name": "draft.txt"}).json()
    r = client.post("/api/review", content=body, headers={"content-type": content_type})
    assert r.status_code == 200, r.text
    assert r.json() == expected


@pytest.mark.parametrize("html", [
    HTML,
    # a CMS's rich-text body: a fragment, a name split by an inline tag, entities
    f"<p>会议要求深入学习李克<span style='color:red'>墙</span>总理的重要讲话精神。</p><p>身份证号：{ID_OK}&nbsp;</p>",
])
def test_review_html_sent_as_json_text(client, html):
    """{"text": "<p>…</p>", "format": "html"} is reviewed as the same HTML uploaded (as plain
    text, the tags were part of the text: a name split by a tag was missed, excerpts held markup)."""
    expected = client.post("/api/review?show_text=true", files={"file": ("body.html", html.encode(), "text/html")}).json()
    r = client.post("/api/review?show_text=true", json={"text": html, "name": "body.html", "format": "html"})
    assert r.status_code == 200, r.text
    assert r.json() == expected
    assert "<" not in r.json()["text"] and {f["code"] for f in expected["findings"]} >= {"wording.leader_name",
                                                                                          "pii.cn_resident_id"}
    form = client.post("/api/review?show_text=true",
                       data={"text": html, "name": "body.html", "format": "html"})
    assert form.json() == expected
    bare = client.post("/api/review?show_text=true", content=html.encode(), headers={"content-type": "text/html"})
    assert bare.json() == client.post("/api/review?show_text=true", json={"text": html, "format": "html"}).json()
    assert bare.json()["text"] == expected["text"]


def test_upload_with_a_gbk_file_name(client):
    """A form on a GBK page (or an old client) sends the file name as GBK bytes: it was shown as
    Latin-1 mojibake in "source"."""
    body = (b"--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + "公示.txt".encode("gbk")
            + b"\"\r\nContent-Type: text/plain\r\n\r\n" + DRAFT.encode("gbk") + b"\r\n--b0undary--\r\n")
    r = client.post("/api/review", content=body, headers={"content-type": MULTI})
    assert r.status_code == 200, r.text
    assert r.json()["source"] == "公示.txt"


@pytest.mark.parametrize("body, content_type, status, error", [
    (json.dumps({"text": "我镇召开会议。"}, ensure_ascii=False).encode("utf-8"), "application/json; charset=x-nonesuch", 400, "bad_encoding"),
    (_urlencoded({"text": "我镇召开会议。"}, "utf-8"), FORM + "; charset=ascii", 400, "bad_encoding"),
    (b"{\"text\": \"\xff\xff\"}", "application/json", 400, "bad_encoding"),
    (_urlencoded({"body": "我镇召开会议。"}, "utf-8"), FORM, 400, "bad_form"),
    (_urlencoded({"text": " "}, "utf-8"), FORM, 400, "empty"),
    (_urlencoded({"text": "<p>x</p>", "format": "pdf"}, "utf-8"), FORM, 400, "bad_form"),
    (json.dumps({"text": "<p>x</p>", "format": "pdf"}).encode(), "application/json", 400, "invalid_json"),
    (json.dumps({"text": "<html><body></body></html>", "format": "html"}).encode(), "application/json", 422, "unreadable"),
])
def test_review_form_and_charset_rejected(client, body, content_type, status, error):
    r = client.post("/api/review", content=body, headers={"content-type": content_type})
    assert r.status_code == status, r.text
    assert r.json()["error"] == error and "\n" not in r.json()["detail"]


def test_errors_do_not_echo_input(client):
    secret = f"身份证{ID_OK}"
    r = client.post("/api/review", json={"text": 12, "name": secret})
    assert ID_OK not in r.text


@pytest.mark.parametrize("name, data", [
    (f"张三{ID_OK}.pdf", PDF),  # unsupported type
    (f"张三{ID_OK}.txt", PDF),  # content mismatch
    (f"张三{ID_OK}.txt", b"\x00\x01\x02\x03" * 300),  # unreadable
    (f"张三{ID_OK}.txt", b""),  # empty
])
def test_errors_mask_an_id_in_the_file_name(client, name, data):
    """An upload named after a person's ID was echoed unmasked in the error detail."""
    r = client.post("/api/review", files={"file": (name, data, "application/octet-stream")})
    assert r.status_code >= 400 and ID_OK not in r.text
    assert "110***********002X" in r.json()["detail"]


@pytest.fixture(scope="module")
def small_client(settings, reviewer):
    with make_client(settings, reviewer, max_body_bytes=64 * 1024) as c:
        yield c


@pytest.mark.parametrize("how", ["json", "upload", "chunked"])
def test_too_large(small_client, how):
    big = ("正文" * 20000 + ID_OK)  # ~120 KB in UTF-8, over the 64 KB limit
    if how == "json":
        r = small_client.post("/api/review", json={"text": big})
    elif how == "upload":
        r = small_client.post("/api/review", files={"file": ("big.txt", big.encode(), "text/plain")})
    else:  # no Content-Length: the limit counts the bytes as they arrive
        def chunks():
            data = json.dumps({"text": big}).encode()
            for i in range(0, len(data), 8192):
                yield data[i:i + 8192]
        r = small_client.post("/api/review", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error"] == "too_large" and "MB" in r.json()["detail"]
    assert not re.search(r"[a-z]{3,}", r.json()["detail"])  # it ended "（request body too large）"


def test_under_the_limit_passes(small_client):
    r = small_client.post("/api/review", json={"text": "正文" * 1000})
    assert r.status_code == 200


@pytest.fixture(scope="module")
def short_client(settings):
    """A server whose review limit is 100 characters ([review] max_chars)."""
    from scanner.pipeline import Reviewer
    from scanner.settings import Settings

    short = Reviewer(Settings.load(as_of=settings.as_of, overrides={**NO_MODEL, "review": {"max_chars": 100}}))
    with make_client(settings, short) as c:
        yield c


@pytest.mark.parametrize("how, chars, status", [
    # over the length limit: 413 too_long naming the limit, before any review
    ("json", 101, 413),
    ("plain", 101, 413),
    ("form", 101, 413),
    ("upload-txt", 101, 413),
    ("upload-docx", 101, 413),
    # at the limit: reviewed
    ("json", 100, 200),
    ("upload-docx", 99, 200),  # the extracted text ends with a line break
])
def test_too_long_for_one_review(short_client, how, chars, status):
    text = ("李" * (chars - len(PHONE) - 1)) + PHONE + "。"
    if how == "json":
        r = short_client.post("/api/review", json={"text": text})
    elif how == "plain":
        r = short_client.post("/api/review", content=text.encode(), headers={"content-type": "text/plain; charset=utf-8"})
    elif how == "form":
        r = short_client.post("/api/review", data={"text": text})
    elif how == "upload-txt":
        r = short_client.post("/api/review", files={"file": ("draft.txt", text.encode(), "text/plain")})
    else:
        r = short_client.post("/api/review", files={"file": ("draft.docx", docx_bytes(text), "application/octet-stream")})
    assert r.status_code == status, r.text
    if status == 413:
        body = r.json()
        assert body["error"] == "too_long" and "上限 100 字" in body["detail"]
        # the editor is told what to do; the server's --config file and English were the CLI's words
        assert re.search(r"(^|：)稿件 10[12] 字，超过单篇审查上限 100 字：请分篇审查$", body["detail"]), body
        assert "max_chars" not in body["detail"] and "config" not in body["detail"]
        assert PHONE not in r.text  # the input is never echoed


@pytest.mark.parametrize("toml, limit, wait", [
    # fractions as well as whole numbers (max_upload_mb = 1.5 was refused: "must be int, got float")
    ("[web]\nmax_upload_mb = 1.5\nqueue_timeout_s = 2.5\n", int(1.5 * 2**20), 2.5),
    ("[web]\nmax_upload_mb = 20\nqueue_timeout_s = 5\n", 20 * 2**20, 5.0),
    ("", 10 * 2**20, 30.0),
])
def test_web_limits_from_the_config(tmp_path, toml, limit, wait):
    from scanner.settings import Settings

    cfg = tmp_path / "c.toml"
    cfg.write_text(toml, encoding="utf-8")
    config = WebConfig.from_settings(Settings.load(cfg))
    assert (config.max_body_bytes, config.queue_timeout_s) == (limit, wait)


def test_health_names_the_limits(short_client):
    h = short_client.get("/api/health").json()
    assert h["max_chars"] == 100 and h["max_upload_bytes"] == 10 * 2**20
    assert h["leader_data_until"] == "2025-10-31"  # a CMS can tell how far the leader data reaches


def test_busy_reviewer_answers_503_not_an_endless_wait(settings, reviewer):
    with make_client(settings, reviewer, queue_timeout_s=0.2) as c:
        service = c.app.state.service
        assert service._lock.acquire()  # another review is running
        try:
            r = c.post("/api/review", json={"text": "正文。"})
        finally:
            service._lock.release()
        assert r.status_code == 503
        assert r.json()["error"] == "busy" and r.headers["retry-after"] == "10"
        assert c.post("/api/review", json={"text": "正文。"}).status_code == 200  # free again


@pytest.mark.parametrize("body, detail", [
    (b'{"text": 12}', "text：应为字符串"),
    (b'{"name": "a.txt"}', "text：缺少该字段"),
    (b'["x"]', "请求体：应为 JSON 对象"),
    (b"{not json", "请求体：不是合法的 JSON"),
    (json.dumps({"text": "x", "name": "n" * 201}).encode(), "name：过长（最多 200 个字符）"),
    (json.dumps({"text": "x", "format": "pdf"}).encode(), "format：只能是 txt 或 html"),
])
def test_invalid_json_says_what_to_change(client, body, detail):
    r = client.post("/api/review", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["error"] == "invalid_json"
    assert detail in r.json()["detail"] and "nnnn" not in r.text  # values are never echoed


def test_default_limit_is_10_mb(client):
    r = client.post("/api/review", content=b"x" * (10 * 2**20 + 1), headers={"content-type": "application/json"})
    assert r.status_code == 413


# ---------------------------------------------------------------- token
@pytest.fixture(scope="module")
def token_client(settings, reviewer):
    with make_client(settings, reviewer, token=TOKEN) as c:
        yield c


@pytest.mark.parametrize("headers, status", [
    ({}, 401),
    ({"Authorization": "Bearer wrong"}, 401),
    ({"Authorization": f"Basic {TOKEN}"}, 401),
    ({"X-Govscan-Token": ""}, 401),
    ({"Authorization": f"Bearer {TOKEN}"}, 200),
    ({"X-Govscan-Token": TOKEN}, 200),
])
def test_token_required(token_client, headers, status):
    r = token_client.post("/api/review", json={"text": "我镇召开会议。"}, headers=headers)
    assert r.status_code == status
    if status == 401:
        assert r.json()["error"] == "unauthorized" and r.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("path", ["/api/privacy/audit", "/api/privacy/mask"])
def test_token_guards_privacy_endpoints(token_client, path):
    r = token_client.post(path, files={"file": ("a.txt", DRAFT.encode(), "text/plain")})
    assert r.status_code == 401


def test_token_checked_before_the_body_is_read(settings, reviewer):
    with make_client(settings, reviewer, token=TOKEN, max_body_bytes=1024) as c:
        r = c.post("/api/review", json={"text": "短"})  # small body, no token
        assert r.status_code == 401
    health = make_client(settings, reviewer, token=TOKEN).get("/api/health")
    assert health.status_code == 200 and health.json()["token_required"] is True


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.8.0.1", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.10", False), ("10.0.0.1", False), ("example.gov.cn", False),
])
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_non_loopback_requires_token(settings, reviewer):
    from scanner.errors import ConfigError

    with pytest.raises(ConfigError, match="requires an API token"):
        create_app(WebConfig(settings=settings, host="0.0.0.0"), reviewer)
    create_app(WebConfig(settings=settings, host="0.0.0.0", token=TOKEN), reviewer)  # accepted


def test_serve_refuses_public_bind_without_token(cli_runner, monkeypatch):
    monkeypatch.delenv("GOVSCAN_WEB_TOKEN", raising=False)
    result = cli_runner.invoke(cli_app, ["serve", "--host", "0.0.0.0"], terminal_width=120)
    assert result.exit_code == 2
    assert "requires an API token" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("args, message", [
    (["--max-upload-mb", "0"], "upload limit must be a positive number"),
    (["--cors-origin", "cms.example.gov.cn"], "must start with http:// or https://"),
    (["--port", "0"], "Invalid value for '--port'"),
    (["--as-of", "2022-13-01"], "not a date"),
])
def test_serve_bad_options(cli_runner, args, message):
    result = cli_runner.invoke(cli_app, ["serve", *args], terminal_width=200)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_serve_on_a_taken_port_or_unknown_host_is_one_line(cli_runner, monkeypatch):
    """uvicorn logged the failure after the models had loaded and exited with its own status 3."""
    import socket

    import scanner.pipeline

    def no_reviewer(*a, **k):
        raise AssertionError("the models must not load before the port is known to be free")

    monkeypatch.setattr(scanner.pipeline, "Reviewer", no_reviewer)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli_runner.invoke(cli_app, ["serve", "--no-model", "--port", str(port)], terminal_width=200)
    assert result.exit_code == 2, result.output
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    result = cli_runner.invoke(cli_app, ["serve", "--no-model", "--host", "no-such-host.invalid", "--token", TOKEN],
                               terminal_width=200)
    assert result.exit_code == 2, result.output
    assert "--host no-such-host.invalid: unknown host" in result.output


def test_media_types_are_case_insensitive(client):
    """RFC 9110: Application/JSON is application/json (it was refused with 415)."""
    r = client.post("/api/review", content=json.dumps({"text": "我镇召开会议。"}).encode(),
                    headers={"Content-Type": "Application/JSON; charset=UTF-8"})
    assert r.status_code == 200, r.text
    assert r.json()["source"] == "-"


# ---------------------------------------------------------------- CORS
def test_cors_off_by_default(client):
    r = client.post("/api/review", json={"text": "我镇召开会议。"}, headers={"Origin": "https://cms.example.gov.cn"})
    assert "access-control-allow-origin" not in r.headers
    pre = client.options("/api/review", headers={"Origin": "https://cms.example.gov.cn",
                                                 "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in pre.headers


def test_cors_when_configured(settings, reviewer):
    with make_client(settings, reviewer, cors_origins=("https://cms.example.gov.cn",)) as c:
        ok = c.post("/api/review", json={"text": "我镇召开会议。"}, headers={"Origin": "https://cms.example.gov.cn"})
        assert ok.headers["access-control-allow-origin"] == "https://cms.example.gov.cn"
        other = c.post("/api/review", json={"text": "我镇召开会议。"}, headers={"Origin": "https://evil.example.com"})
        assert "access-control-allow-origin" not in other.headers


# ---------------------------------------------------------------- nothing logged
def test_text_and_names_never_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    client.post("/api/review", json={"text": DRAFT, "name": f"张三{PHONE}.txt"})
    client.post("/api/review", files={"file": (f"{ID_OK}.txt", DRAFT.encode(), "text/plain")})
    client.post("/api/review", files={"file": ("x.docx", DRAFT.encode(), "text/plain")})  # rejected
    assert any(r.name == "scanner.web" for r in caplog.records), "the web log line is expected"
    logged = caplog.text
    for secret in (ID_OK, PHONE, "李克墙", "张三"):
        assert secret not in logged


def test_internal_error_is_generic_and_not_logged(settings, caplog):
    """A check that fails with the draft in its message: a generic 500, nothing of the text logged."""
    from scanner.checks.base import Check
    from scanner.pipeline import Reviewer

    class Exploding(Check):
        CODE = "test.exploding"

        def run(self, doc):
            raise ValueError(f"cannot handle {doc.text}")

    failing = Reviewer(settings, families=("pii",))
    failing.checks = [Exploding()]
    caplog.set_level(logging.DEBUG)
    with make_client(settings, failing, warm_up=False) as c:
        r = c.post("/api/review", json={"text": DRAFT})
    assert r.status_code == 500
    assert r.json() == {"error": "internal_error", "detail": "服务器内部错误（ValueError），请联系管理员"}
    assert "ValueError" in caplog.text
    for secret in (ID_OK, PHONE, "李克墙"):
        assert secret not in caplog.text and secret not in r.text


# ---------------------------------------------------------------- privacy endpoints
@pytest.fixture
def work_client(settings, reviewer, tmp_path):
    workdir = tmp_path / "work"
    workdir.mkdir()
    with make_client(settings, reviewer, workdir=workdir) as c:
        yield c, workdir


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


ROSTER = [["序号", "姓名", "身份证号", "联系电话"], ["1", "张三", ID_OK, PHONE]]
needs_privacy = pytest.mark.skipif(PRIVACY_MISSING is not None, reason=f"privacy library missing: {PRIVACY_MISSING}")


def cli_audit_json(cli_runner, tmp_path, monkeypatch, name: str, data: bytes) -> dict:
    (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    result = cli_runner.invoke(cli_app, ["privacy", "audit", name, "--format", "json"],
                               catch_exceptions=False, terminal_width=120)
    assert result.exit_code in (0, 1), result.output
    [record] = json.loads(result.stdout)
    return record


@needs_privacy
@pytest.mark.parametrize("name, data, verdict", [
    ("gongshi.txt", DRAFT.encode("utf-8"), "violation"),
    ("gongshi.docx", docx_bytes("关于拟救助对象的公示", table=ROSTER), "violation"),
    ("gongshi.xlsx", xlsx_bytes(ROSTER), "violation"),
    ("clean.txt", "我镇召开安全生产工作会议，部署防汛备汛工作。".encode(), "compliant"),
    # right extension, unreadable content: a record saying why, as the CLI gives
    ("broken.docx", _zip("word/other.xml"), "unreadable"),
])
def test_privacy_audit_equals_cli(work_client, cli_runner, tmp_path, monkeypatch, name, data, verdict):
    c, workdir = work_client
    r = c.post("/api/privacy/audit", files={"file": (name, data, "application/octet-stream")})
    assert r.status_code == 200, r.text
    record = r.json()
    assert record["verdict"] == verdict and record["path"] == name
    cli = cli_audit_json(cli_runner, tmp_path, monkeypatch, name, data)
    if verdict == "unreadable":  # the CLI's English reason, told in Chinese with its code
        from scanner.extract.reasons import explain

        why = explain(cli["reason"])
        cli = {**cli, "reason": why.message, "reason_code": why.code}
    assert record == cli
    if verdict == "violation":
        assert {i["entity"] for i in record["items"]} >= {"CN_RESIDENT_ID", "CN_MOBILE"}
    assert ID_OK not in r.text and PHONE not in r.text
    assert list(Path(workdir).iterdir()) == []


@needs_privacy
@pytest.mark.parametrize("name, data", [
    ("gongshi.txt", DRAFT.encode("utf-8")),
    ("gongshi.html", HTML.encode("utf-8")),
    ("gongshi.docx", docx_bytes("关于拟救助对象的公示", table=ROSTER)),
    ("gongshi.xlsx", xlsx_bytes(ROSTER)),
])
def test_privacy_mask_round_trip(work_client, name, data):
    c, workdir = work_client
    r = c.post("/api/privacy/mask", files={"file": (name, data, "application/octet-stream")})
    assert r.status_code == 200, r.text
    assert name in r.headers["content-disposition"]
    assert int(r.headers["x-govscan-masked-count"]) >= 2 and r.headers["x-govscan-verdict"] == "compliant"
    masked = r.content
    assert content_format(name, masked) == content_format(name, data)  # same format
    again = c.post("/api/privacy/audit", files={"file": (name, masked, "application/octet-stream")}).json()
    assert again["verdict"] == "compliant", again
    assert list(Path(workdir).iterdir()) == []  # the request's directory is gone


@needs_privacy
def test_privacy_mask_text_for_the_page(client):
    r = client.post("/api/privacy/mask", files={"file": ("draft.txt", DRAFT.encode(), "text/plain")})
    text = r.content.decode("utf-8")
    assert len(text) == len(DRAFT)  # length-preserving: the page keeps its offsets
    assert ID_OK not in text and PHONE not in text
    assert "110105********002X" in text and "138****5678" in text and "李克墙" in text


@needs_privacy
def test_privacy_mask_keeps_the_upload_encoding(client):
    """A GBK CSV comes back in GBK, and the Content-Type says so (was UTF-8 bytes
    under charset=utf-8: an Excel opening the copy showed mojibake)."""
    csv = "姓名,身份证号,手机\n王芳,11010519491231002X,13812345678\n"
    r = client.post("/api/privacy/mask", files={"file": ("list.csv", csv.encode("gbk"), "text/csv")})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/csv; charset=gb18030"
    assert r.content == "姓名,身份证号,手机\n王*,110105********002X,138****5678\n".encode("gbk")


@pytest.mark.parametrize("path, name, data", [
    ("/api/privacy/audit", "a.exe", b"MZ\x90\x00"),
    ("/api/privacy/audit", "a.xlsx", DRAFT.encode()),
    ("/api/privacy/audit", "a.pdf", PNG),
    ("/api/privacy/audit", "a.csv", docx_bytes("正文")),
    ("/api/privacy/mask", "a.pdf", PDF),  # PDF can be audited, not masked
    ("/api/privacy/mask", "a.docx", DRAFT.encode()),
])
def test_privacy_upload_rejected(client, path, name, data):
    r = client.post(path, files={"file": (name, data, "application/octet-stream")})
    assert r.status_code == (415 if PRIVACY_MISSING is None else 501), r.text


# ---------------------------------------------------------------- per-request domain word lists
BONE = "桡骨远端骨析，如果没有明显错位，可以通过保守治疗。\n"  # a development sentence (ECSpell med train, MIT)


@pytest.mark.model
def test_review_domain_per_request_equals_cli(settings, cli_runner, tmp_path, monkeypatch):
    """?domain=medicine gives what `govscan review --domain medicine` gives, for that request
    only: the next request without it is reviewed as before, with the server's own setting."""
    from scanner.pipeline import Reviewer

    (tmp_path / "bone.txt").write_text(BONE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    cli = cli_runner.invoke(cli_app, ["review", "bone.txt", "--format", "json", "--as-of", "2022-06-20",
                                      "--domain", "medicine"], catch_exceptions=False)
    expected = json.loads(cli.stdout)
    (f,) = [f for f in expected["findings"] if f["code"] == "wording.classifier"]
    assert f["suggestion"] == "折"
    with make_client(settings, Reviewer(settings)) as c:
        assert c.get("/api/health").json()["domains"] == ["law", "medicine"]
        plain = c.post("/api/review", json={"text": BONE, "name": "bone.txt"})
        assert plain.status_code == 200
        assert "wording.classifier" not in [f["code"] for f in plain.json()["findings"]]
        r = c.post("/api/review?domain=medicine", json={"text": BONE, "name": "bone.txt"})
        assert r.status_code == 200 and r.json() == expected
        upload = c.post("/api/review?domain=medicine", files={"file": ("bone.txt", BONE.encode("utf-8"), "text/plain")})
        assert upload.status_code == 200 and upload.json()["findings"] == expected["findings"]
        again = c.post("/api/review", json={"text": BONE, "name": "bone.txt"})
        assert again.json() == plain.json()  # the domain was for one request
        bad = c.post("/api/review?domain=finance", json={"text": BONE})
        assert bad.status_code == 400 and bad.json()["error"] == "invalid_domain"
        assert "finance" in bad.json()["detail"] and "law" in bad.json()["detail"]
        assert c.post("/api/review", json={"text": BONE}).json() == {**plain.json(), "source": "-"}


def test_review_domain_without_the_model_is_refused(client):
    r = client.post("/api/review?domain=law", json={"text": "债全人会议成员中。"})
    assert r.status_code == 400 and r.json()["error"] == "invalid_domain"
    assert "--no-model" in r.json()["detail"]


# ---------------------------------------------------------------- the draft's publication date
# A page saved with its PubDate is judged at that date; its extracted text, sent back by the page
# after 采纳建议 or 一键脱敏, was judged at today's (new anniversary and office vetoes appeared
# on the re-review of a page that had none).  `published` carries the date with the text.
DATED_TEXT = "今年是新中国成立70周年。要坚定四个自新。"
DATED_PAGE = ("<html><head><meta charset='utf-8'><meta name='PubDate' content='2019-10-01'><title>国庆</title></head>"
              f"<body><article><h1>国庆</h1><p>{DATED_TEXT}</p>"
              "<p>各地区各部门要认真贯彻落实，确保各项工作取得实效。</p></article></body></html>")


@pytest.mark.parametrize("body, content_type, date, basis, anniversary", [
    # no date given: the server's (2022-06-20), where 70周年 is wrong
    (json.dumps({"text": DATED_TEXT}, ensure_ascii=False).encode(), "application/json", "2022-06-20", "as-of", True),
    # the text's own date, by JSON, an urlencoded form, a multipart form
    (json.dumps({"text": DATED_TEXT, "published": "2019-10-01"}, ensure_ascii=False).encode(), "application/json",
     "2019-10-01", "published", False),
    (_urlencoded({"text": DATED_TEXT, "published": "2019-10-01"}, "utf-8"), FORM, "2019-10-01", "published", False),
    (_multipart({"text": DATED_TEXT.encode(), "published": b"2019-10-01"}), MULTI, "2019-10-01", "published", False),
    # an empty field is no date
    (_urlencoded({"text": DATED_TEXT, "published": ""}, "utf-8"), FORM, "2022-06-20", "as-of", True),
    # HTML text: the field's date wins over the page's own
    (json.dumps({"text": f"<p>{DATED_TEXT}</p>", "format": "html", "published": "2019-10-01"},
                ensure_ascii=False).encode(), "application/json", "2019-10-01", "published", False),
    (json.dumps({"text": DATED_PAGE.replace("2019-10-01", "2022-01-01"), "format": "html", "published": "2019-10-01"},
                ensure_ascii=False).encode(), "application/json", "2019-10-01", "published", False),
])
def test_review_text_with_its_publication_date(client, body, content_type, date, basis, anniversary):
    r = client.post("/api/review", content=body, headers={"content-type": content_type})
    assert r.status_code == 200, r.text
    data = r.json()
    assert (data["date"], data["date_basis"]) == (date, basis)
    codes = [f["code"] for f in data["findings"]]
    assert ("wording.anniversary" in codes) is anniversary
    assert "wording.formulation" in codes  # the other checks run as before


def test_page_text_sent_back_with_its_date_is_reviewed_as_the_page(client):
    """The page's round trip: upload a saved page, send its text back with the review's date."""
    page = client.post("/api/review?show_text=true", files={"file": ("国庆.html", DATED_PAGE.encode(), "text/html")}).json()
    assert (page["date"], page["date_basis"]) == ("2019-10-01", "published")
    key = lambda review: [(f["code"], f["start"], f["end"], f["severity"]) for f in review["findings"]]  # noqa: E731
    again = client.post("/api/review", json={"text": page["text"], "name": page["source"], "published": page["date"]}).json()
    assert key(again) == key(page) and (again["date"], again["date_basis"]) == ("2019-10-01", "published")
    undated = client.post("/api/review", json={"text": page["text"], "name": page["source"]}).json()
    assert "wording.anniversary" in [f["code"] for f in undated["findings"]]  # why the date must travel


@pytest.mark.parametrize("body, content_type, error, detail", [
    (b'{"text": "x", "published": "2019-13-01"}', "application/json", "invalid_json", "published：应为 YYYY-MM-DD 日期"),
    (b'{"text": "x", "published": "yesterday"}', "application/json", "invalid_json", "published：应为 YYYY-MM-DD 日期"),
    (b'{"text": "x", "published": 20191001}', "application/json", "invalid_json", "published：应为 YYYY-MM-DD 日期"),
    (_urlencoded({"text": "x", "published": "2019/10/01"}, "utf-8"), FORM, "bad_form", "表单字段 published 应为 YYYY-MM-DD 日期"),
    (_multipart({"text": b"x", "published": b"10-01"}), MULTI, "bad_form", "表单字段 published 应为 YYYY-MM-DD 日期"),
])
def test_review_bad_publication_date(client, body, content_type, error, detail):
    r = client.post("/api/review", content=body, headers={"content-type": content_type})
    assert r.status_code == 400 and r.json()["error"] == error, r.text
    assert detail in r.json()["detail"]


# ---------------------------------------------------------------- binary pasted text, Chinese details
@pytest.mark.parametrize("kwargs, status, error", [
    # binary data sent as text: `govscan review` and an upload refuse it; the pasted path reviewed it ("未发现问题")
    ({"content": b"\x00\x01\x02binary\x00\x00", "headers": {"content-type": "text/plain"}}, 422, "unreadable"),
    ({"json": {"text": "\x00\x01\x02\x03\x04\x05\x06\x07binary"}}, 422, "unreadable"),
    ({"data": {"text": "\x00\x01\x02\x03\x04\x05\x06\x07binary"}}, 422, "unreadable"),
    ({"content": "\ufffd".encode() * 50 + "正文".encode(), "headers": {"content-type": "text/plain"}}, 422, "unreadable"),
    # text with a few control characters (a form feed, an escape) is still text
    ({"json": {"text": "会议要求深入学习李克墙总理的重要讲话精神。\f第二页。\x1b"}}, 200, None),
    ({"json": {"text": "会议要求深入学习李克墙总理的重要讲话精神。\x00"}}, 200, None),
])
def test_pasted_binary_is_refused_as_the_cli_refuses_it(client, kwargs, status, error):
    r = client.post("/api/review", **kwargs)
    assert r.status_code == status, r.text
    if error:
        assert r.json()["error"] == error and "二进制" in r.json()["detail"]
    else:
        assert [f["code"] for f in r.json()["findings"]] == ["wording.leader_name"]


@pytest.mark.parametrize("method, path, kwargs, status, detail", [
    ("get", "/api/nothing", {}, 404, "没有这个地址（API 见 /docs）"),
    ("get", "/api/review", {}, 405, "该地址不接受这种请求方法（API 见 /docs）"),
    ("post", "/api/review?show_text=maybe", {"json": {"text": "正文。"}}, 422, "请求参数不正确：show_text：应为 true 或 false"),
])
def test_http_errors_are_explained_in_chinese(client, method, path, kwargs, status, detail):
    """Starlette's and pydantic's own messages ("Not Found", "Input should be a valid boolean")
    reached the editor and the CMS in English."""
    r = getattr(client, method)(path, **kwargs)
    assert r.status_code == status and r.json()["detail"] == detail


@pytest.mark.parametrize("suffix", sorted(__import__("scanner.web.uploads", fromlist=["REVIEW_KINDS"]).REVIEW_KINDS.by_suffix))
def test_page_file_picker_offers_every_reviewable_type(client, suffix):
    """The page's file picker offered .txt/.md/.html/.docx/.doc/.wps only: an .rtf or .mht the API
    reviews could not be chosen (the dialog filters by the accept list)."""
    accept = re.search(r'id="file" type="file" accept="([^"]+)"', client.get("/").text).group(1).split(",")
    assert suffix in accept


@pytest.mark.parametrize("name, data", [
    ("blank.txt", b"   \n\n\t "),  # spaces only: 422 unreadable, while an empty upload was 400 empty
    ("blank.txt", "\u3000\u3000\n".encode("utf-8")),
    ("blank.docx", docx_bytes("", "  ")),
    ("blank.md", b"\xef\xbb\xbf\n"),
])
def test_upload_without_text_is_empty_as_an_empty_upload(client, name, data):
    r = client.post("/api/review", files={"file": (name, data, "application/octet-stream")})
    assert r.status_code == 400, r.text
    assert r.json() == {"error": "empty", "detail": f"{name}：文件没有文字内容"}


@pytest.mark.parametrize("query, kwargs, date, basis", [
    # ?published= for any body: an uploaded file (its form had no place for the date), a bare body
    ("?published=2019-10-01", {"files": {"file": ("d.txt", DATED_TEXT.encode(), "text/plain")}}, "2019-10-01", "published"),
    ("?published=2019-10-01", {"files": {"file": ("d.docx", docx_bytes(DATED_TEXT), "application/octet-stream")}},
     "2019-10-01", "published"),
    ("?published=2019-10-01", {"content": DATED_TEXT.encode(), "headers": {"content-type": "text/plain"}}, "2019-10-01", "published"),
    ("?published=2019-10-01", {"json": {"text": DATED_TEXT}}, "2019-10-01", "published"),
    # the body's field wins
    ("?published=2022-01-01", {"json": {"text": DATED_TEXT, "published": "2019-10-01"}}, "2019-10-01", "published"),
    # an upload's date without it: the server's
    ("", {"files": {"file": ("d.txt", DATED_TEXT.encode(), "text/plain")}}, "2022-06-20", "as-of"),
])
def test_review_publication_date_in_the_query(client, query, kwargs, date, basis):
    r = client.post("/api/review" + query, **kwargs)
    assert r.status_code == 200, r.text
    assert (r.json()["date"], r.json()["date_basis"]) == (date, basis)
    assert ("wording.anniversary" in [f["code"] for f in r.json()["findings"]]) is (date == "2022-06-20")


def test_review_bad_publication_date_in_the_query(client):
    r = client.post("/api/review?published=2019-13-01", json={"text": DATED_TEXT})
    assert r.status_code == 422
    assert r.json() == {"error": "invalid_request", "detail": "请求参数不正确：published：应为 YYYY-MM-DD 日期"}


@pytest.mark.parametrize("files, data, status, date, basis", [
    # the form's published field beside an uploaded file: it was dropped, the draft judged at the server's day
    ({"file": ("d.txt", DATED_TEXT.encode(), "text/plain")}, {"published": "2019-10-01"}, 200, "2019-10-01", "published"),
    ({"file": ("d.docx", docx_bytes(DATED_TEXT), "application/octet-stream")}, {"published": "2019-10-01"},
     200, "2019-10-01", "published"),
    # the field wins over a saved page's own PubDate, as with JSON
    ({"file": ("国庆.html", DATED_PAGE.replace("2019-10-01", "2022-01-01").encode(), "text/html")},
     {"published": "2019-10-01"}, 200, "2019-10-01", "published"),
    # an empty field is no date; an empty text beside a file changes nothing
    ({"file": ("d.txt", DATED_TEXT.encode(), "text/plain")}, {"published": ""}, 200, "2022-06-20", "as-of"),
    ({"file": ("d.txt", DATED_TEXT.encode(), "text/plain")}, {"text": "  "}, 200, "2022-06-20", "as-of"),
])
def test_review_upload_with_its_publication_date_field(client, files, data, status, date, basis):
    r = client.post("/api/review", files=files, data=data)
    assert r.status_code == status, r.text
    assert (r.json()["date"], r.json()["date_basis"]) == (date, basis)
    assert ("wording.anniversary" in [f["code"] for f in r.json()["findings"]]) is (basis == "as-of")


@pytest.mark.parametrize("data, detail", [
    ({"published": "2019/10/01"}, "表单字段 published 应为 YYYY-MM-DD 日期"),
    ({"published": "yesterday"}, "表单字段 published 应为 YYYY-MM-DD 日期"),
    # a file and a pasted text: which one? the text was dropped and the file reviewed
    ({"text": "另一篇稿件。"}, "表单同时含有上传文件 file 和正文 text"),
])
def test_review_upload_with_a_bad_field_is_refused(client, data, detail):
    r = client.post("/api/review", files={"file": ("d.txt", DATED_TEXT.encode(), "text/plain")}, data=data)
    assert r.status_code == 400 and r.json()["error"] == "bad_form", r.text
    assert detail in r.json()["detail"]


# ---------------------------------------------------------------- why a file could not be read, in Chinese
def _locked_ooxml() -> bytes:
    """A password-protected DOCX/XLSX: an OLE file holding EncryptionInfo and EncryptedPackage."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from pii_files import encrypted_ooxml

    return encrypted_ooxml()


def _picture_docx() -> bytes:
    """A DOCX holding one picture and no text (a 1x1 PNG)."""
    import struct
    import zlib

    import docx

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))
    d = docx.Document()
    d.add_picture(io.BytesIO(png))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _pdf(encrypt: bool = False) -> bytes:
    import pypdf

    w = pypdf.PdfWriter()
    w.add_blank_page(200, 200)  # no text layer: a scan
    if encrypt:
        w.encrypt("pw")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize("name, data, status, code, detail", [
    # the readers' English reasons ("corrupt DOCX (not a valid ZIP archive)", "binary file, not text") reached the page
    ("broken.docx", _zip("word/other.xml"), 422, "corrupt", "无法读取 broken.docx：DOCX 文件已损坏或设有密码：请用 Office 或 WPS 打开后另存为新文件再试"),
    ("cut.docx", docx_bytes("正文。")[:600], 422, "corrupt", "DOCX 文件已损坏"),
    ("draft.txt", b"\x00\x01\x02\x03" * 300, 422, "binary", "无法读取 draft.txt：文件是二进制数据，不是文本"),
    ("page.html", b"<html><body><img src=a.png></body></html>", 422, "no_text", "无法读取 page.html：网页没有可读的正文"),
    ("damaged.txt", "正文。".encode() * 200 + b"\xff" + "后文。".encode(), 422, "encoding", "有 1 个无效字节（第一个在第 1800 字节）"),
    ("utf16.txt", b"\xff\xfe" + "正文".encode("utf-16-le") + b"\x00", 422, "encoding", "字节序标记表明是 utf-16-le 编码"),
    # a password-protected DOCX was refused as "其他 OLE 文件（如 .ppt）或损坏的旧版 Office 文件" (415)
    ("locked.docx", _locked_ooxml(), 422, "encrypted", "无法读取 locked.docx：文件设有打开密码（加密的 Word 或 Excel 文件）"),
    ("locked.doc", _locked_ooxml(), 422, "encrypted", "文件设有打开密码"),
    # a scanned notice pasted into Word as pictures: it was 400 "文件没有文字内容"
    ("scan.docx", _picture_docx(), 422, "scanned", "无法读取 scan.docx：DOCX 文件只有图片、没有文字（扫描件？）"),
    # near-miss: an empty file keeps its 400 without a reason code
    ("blank.docx", docx_bytes(""), 400, None, "blank.docx：文件没有文字内容"),
])
def test_review_unreadable_upload_is_told_in_chinese_with_a_code(client, name, data, status, code, detail):
    r = client.post("/api/review", files={"file": (name, data, "application/octet-stream")})
    assert r.status_code == status, r.text
    body = r.json()
    assert body.get("reason_code") == code and detail in body["detail"], body
    assert not re.search(r"\b(?:corrupt|binary|file|text|invalid|HTML page|password)\b", body["detail"])


@needs_privacy
@pytest.mark.parametrize("name, data, code, reason", [
    ("locked.docx", _locked_ooxml(), "encrypted", "文件设有打开密码"),
    ("locked.xlsx", _locked_ooxml(), "encrypted", "文件设有打开密码"),
    ("locked.pdf", _pdf(encrypt=True), "encrypted", "PDF 文件设有打开密码"),
    ("scan.pdf", _pdf(), "scanned", "PDF 没有文字层（扫描图片）"),
    ("broken.docx", _zip("word/other.xml"), "unsupported", "ZIP 压缩包不是 XLSX 或 DOCX 文档"),
])
def test_privacy_audit_unreadable_reason_in_chinese_with_a_code(work_client, name, data, code, reason):
    r = work_client[0].post("/api/privacy/audit", files={"file": (name, data, "application/octet-stream")})
    assert r.status_code == 200, r.text
    record = r.json()
    assert record["verdict"] == "unreadable" and record["reason_code"] == code and reason in record["reason"], record


@needs_privacy
def test_privacy_verdicts_with_a_reason_in_chinese_have_no_code(work_client):
    """Only a file that could not be read gets a reason_code: the other records are the CLI's."""
    r = work_client[0].post("/api/privacy/audit", files={"file": ("gongshi.txt", DRAFT.encode(), "text/plain")})
    assert r.json()["verdict"] == "violation" and "reason_code" not in r.json()


@needs_privacy
def test_privacy_mask_of_a_locked_file_is_refused_in_chinese(work_client):
    r = work_client[0].post("/api/privacy/mask", files={"file": ("locked.docx", _locked_ooxml(), "application/octet-stream")})
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "mask_failed" and r.json()["reason_code"] == "encrypted"
    assert r.json()["detail"].startswith("无法脱敏 locked.docx：文件设有打开密码"), r.json()


def _pdf_with(*files) -> bytes:
    """A one-page PDF with ``files`` ((name, bytes)) attached."""
    from pypdf import PdfReader, PdfWriter

    from corpora.pii.pdfwriter import write_pdf

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(write_pdf([["附件", "详见附件。"]]))))
    for name, data in files:
        writer.add_attachment(name, data)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


_MASKED_ROSTER = [["序号", "姓名", "身份证号"], ["1", "张*", "110105********002X"]]
_ENGLISH = re.compile(r"\b(?:attachment|embedded|not read|cannot be read|corrupt|page|levels|limit)\b")


@needs_privacy
@pytest.mark.parametrize("files, verdict, parts, reason_code", [
    # a damaged attachment, and a picture the audit does not read: listed in English after 未能读取
    ([("名单.xlsx", b"PK\x03\x04 cut short"), ("照片.jpg", b"\xff\xd8\xff")], "unreadable",
     [("附件 照片.jpg 未读取（审计只读取 ", "unsupported"), ("附件 名单.xlsx 无法读取：XLSX 文件已损坏", "corrupt")], "partial"),
    # a PDF attached to the PDF, holding what it cannot read
    ([("附件.pdf", _pdf_with(("照片.jpg", b"\xff\xd8\xff")))], "unreadable",
     [("附件.pdf 中的附件 照片.jpg 未读取（审计只读取 ", "unsupported")], "partial"),
    # a violation keeps its verdict, and the parts not read are listed all the same (no reason_code:
    # the file was read)
    ([("名单.xlsx", xlsx_bytes(ROSTER)), ("照片.jpg", b"\xff\xd8\xff")], "violation",
     [("附件 照片.jpg 未读取（审计只读取 ", "unsupported")], None),
    # near-miss: everything read, nothing listed
    ([("名单.xlsx", xlsx_bytes(_MASKED_ROSTER))], "compliant", [], None),
])
def test_privacy_audit_parts_not_read_in_chinese_with_codes(work_client, cli_runner, tmp_path, monkeypatch,
                                                            files, verdict, parts, reason_code):
    """The audit's 未能读取 list (an attachment, a page, an embedded workbook the file holds but the
    audit could not read) was the CLI's English (``attachment 名单.xlsx: cannot be read (corrupt
    XLSX …)``) in an otherwise Chinese record; it is told in Chinese in the reason and listed in
    ``unread`` with a code for each part, the record's other fields the CLI's."""
    data = _pdf_with(*files)
    r = work_client[0].post("/api/privacy/audit", files={"file": ("公示.pdf", data, "application/pdf")})
    assert r.status_code == 200, r.text
    record = r.json()
    assert record["verdict"] == verdict, record
    assert not _ENGLISH.search(record["reason"]), record["reason"]
    assert record.get("reason_code") == reason_code
    if parts:
        assert "；未能读取：" in record["reason"]
        assert [u["reason_code"] for u in record["unread"]] == [code for _m, code in parts]
        for (message, _code), told in zip(parts, record["unread"]):
            assert told["part"].startswith(message) and told["part"] in record["reason"], told
    else:
        assert "unread" not in record and "未能读取" not in record["reason"]
    cli = cli_audit_json(cli_runner, tmp_path, monkeypatch, "公示.pdf", data)  # the CLI keeps its English
    assert {k: v for k, v in record.items() if k not in ("reason", "reason_code", "unread")} == \
        {k: v for k, v in cli.items() if k != "reason"}
    assert ("未能读取" in cli["reason"]) == bool(parts)
    assert cli["reason"].split("；")[0] == record["reason"].split("；")[0]


@needs_privacy
def test_privacy_audit_parts_not_read_are_masked_and_counted(work_client):
    """A part's name is the file's text (an attachment named 王芳110105….jpg): masked; past five
    parts the reason counts them, ``unread`` lists every one."""
    pictures = [(f"照片{i}.jpg", b"\xff\xd8\xff") for i in range(6)] + [(f"王芳{ID_OK}.jpg", b"\xff\xd8\xff")]
    r = work_client[0].post("/api/privacy/audit", files={"file": ("公示.pdf", _pdf_with(*pictures), "application/pdf")})
    record = r.json()
    assert ID_OK not in r.text
    assert len(record["unread"]) == 7 and "（共 7 处）" in record["reason"], record
    assert any(u["part"].startswith("附件 王芳110") and "*" in u["part"] for u in record["unread"]), record["unread"]


@needs_privacy
def test_privacy_audit_unreadable_file_with_an_id_in_its_name_in_chinese(work_client):
    """A file that cannot be read but whose name publishes an ID is a violation: its 无法读取
    reason was the reader's English."""
    name = f"王芳{ID_OK}.docx"
    r = work_client[0].post("/api/privacy/audit", files={"file": (name, _locked_ooxml(), "application/octet-stream")})
    record = r.json()
    assert record["verdict"] == "violation", record
    assert "无法读取：文件设有打开密码" in record["reason"] and record["reason_code"] == "encrypted", record
    assert not re.search(r"password|protected|encrypted Office", record["reason"]) and ID_OK not in record["reason"]


@pytest.mark.parametrize("kwargs, detail", [
    # starlette's own messages reached the page in English ("Too many files. Maximum number of files is 1.")
    ({"files": [("file", ("a.txt", "正文".encode(), "text/plain")), ("file", ("b.txt", "正文".encode(), "text/plain"))]},
     "上传表单无法解析：一次只能上传一个文件（字段 file）"),
    ({"files": {"file": ("a.txt", "正文".encode(), "text/plain")}, "data": {f"f{i}": "x" for i in range(9)}},
     "上传表单无法解析：表单字段过多（最多 8 个）"),
    ({"content": b"--b0undary\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n" + "稿".encode() * 400_000
      + b"\r\n--b0undary--\r\n", "headers": {"content-type": MULTI}},
     "上传表单无法解析：表单字段超过 1024 KB 的上限：长稿请作为文件（字段 file）上传"),
    ({"content": b"x", "headers": {"content-type": "multipart/form-data"}}, "上传表单无法解析：Content-Type 缺少 boundary 参数"),
])
def test_unparseable_form_is_explained_in_chinese(client, kwargs, detail):
    r = client.post("/api/review", **kwargs)
    assert r.status_code == 400 and r.json() == {"error": "bad_form", "detail": detail}


def _docx_with_parts() -> bytes:
    import docx

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = f"某某县人民政府办公室 联系电话：{PHONE}"
    d.add_paragraph("会议要求深入学习李克墙总理的重要讲话精神。")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "姓名", "身份证号"
    t.cell(1, 0).text, t.cell(1, 1).text = "张三", ID_OK
    d.add_paragraph("特此通知。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("name, data, expected", [
    # a DOCX's header is read after the body, its table among it: where each finding stands in the file
    ("notice.docx", _docx_with_parts(), {"wording.leader_name": None, "pii.cn_mobile": {"part": "页眉"},
                                         "pii.cn_resident_id": {"table": 0, "row": 1, "col": 1}}),
    # near-misses: plain text and a pasted text have no parts
    ("notice.txt", f"会议要求深入学习李克墙总理的重要讲话精神。\n联系电话：{PHONE}\n".encode(),
     {"wording.leader_name": None, "pii.cn_mobile": None}),
])
def test_review_upload_says_where_a_finding_stands(client, cli_runner, tmp_path, monkeypatch, name, data, expected):
    r = client.post("/api/review", files={"file": (name, data, "application/octet-stream")})
    assert r.status_code == 200, r.text
    got = {f["code"]: f.get("location") for f in r.json()["findings"] if f["code"] in expected}
    assert got == expected
    assert r.json() == cli_json(cli_runner, tmp_path, monkeypatch, name, data)  # the CLI's JSON says the same


def test_place_label():
    from scanner.pipeline import place_label

    assert [place_label(x) for x in (None, {}, {"part": "页眉"}, {"table": 0, "row": 1, "col": 2},
                                       {"part": "批注", "table": 1, "row": 0, "col": 0}, {"url": "http://x"})] == \
        ["", "", "页眉", "表格1 第2行第3列", "批注 表格2 第1行第1列", ""]


@pytest.mark.parametrize("data, source", [
    # the form's name beside a file was dropped: a script uploading a Blob got "blob.txt" back
    ({"name": "关于防汛工作的通知.docx"}, "关于防汛工作的通知.docx"),
    ({"name": "通知", "published": "2019-10-01"}, "通知"),
    # near-misses: no name, an empty one: the file's name
    ({}, "blob.txt"),
    ({"name": "  "}, "blob.txt"),
])
def test_review_upload_named_by_the_form(client, data, source):
    r = client.post("/api/review", files={"file": ("blob.txt", DATED_TEXT.encode(), "text/plain")}, data=data)
    assert r.status_code == 200, r.text
    assert r.json()["source"] == source


@pytest.mark.parametrize("name, data, hint", [
    # an editor's PDF was refused with the accepted list alone: what to send instead
    ("notice.pdf", b"%PDF-1.4\n", "PDF、OFD 版式文件请上传其 Word、WPS 原稿或粘贴正文"),
    ("notice.ofd", b"PK\x03\x04", "PDF、OFD 版式文件请上传其 Word、WPS 原稿或粘贴正文"),
    ("名单.xlsx", b"PK\x03\x04", "表格中的个人信息请用个人信息审计检查"),
    # near-miss: another type, the list alone
    ("photo.png", b"\x89PNG", None),
])
def test_review_refused_type_says_what_to_send(client, name, data, hint):
    r = client.post("/api/review", files={"file": (name, data, "application/octet-stream")})
    assert r.status_code == 415 and r.json()["error"] == "unsupported_type"
    detail = r.json()["detail"]
    assert "只接受 .txt" in detail
    assert (hint in detail) if hint else detail.endswith(".mht"), detail
