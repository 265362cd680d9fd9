"""`govscan review`: the JSON contract, exit codes, formats and bad input."""
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from scanner.cli import app

ROOT = Path(__file__).resolve().parent.parent
ID_OK = "11010519491231002X"
FULL_WIDTH_ID = "１１０１０５１９４９１２３１００２Ｘ"

DRAFT = (
    "关于拟救助对象的公示\n"
    f"申请人身份证号：{FULL_WIDTH_ID}，错误号码110105194912310021，"
    "联系电话：１３８\u200b12345678，已脱敏4401**********123X。\n"
    "会议要求深入学习习\u200b进平总书记重要讲话精神。\n"
)


def run(cli_runner, *args, input=None):
    return cli_runner.invoke(app, list(args), input=input, catch_exceptions=False, terminal_width=120)


def write(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return p


def test_done_when_scenario(cli_runner, tmp_path):
    """Exactly the valid ID, the mobile and the misspelled name; offsets slice the original."""
    p = write(tmp_path, "draft.txt", DRAFT)
    result = run(cli_runner, "review", str(p), "--format", "json", "--as-of", "2022-06-20")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["source"] == str(p)
    assert data["length"] == len(DRAFT)
    got = sorted((f["code"], DRAFT[f["start"]:f["end"]]) for f in data["findings"])
    assert got == sorted([
        ("pii.cn_resident_id", FULL_WIDTH_ID),
        ("pii.cn_mobile", "１３８\u200b12345678"),
        ("wording.leader_name", "习\u200b进平"),
    ])
    for f in data["findings"]:
        assert set(f) >= {"id", "code", "category", "severity", "indicator", "start", "end",
                          "excerpt", "message", "suggestion", "score"}
    # nothing unmasked in the output
    assert FULL_WIDTH_ID not in result.stdout and ID_OK not in result.stdout
    assert "12345678" not in result.stdout.replace("110105194912310021", "")


def test_csv_is_read_as_rows_and_xlsx_sent_to_the_audit(cli_runner, tmp_path):
    """A CSV was reviewed as plain text: its name column unseen, 王芳 in full in every
    excerpt and the name-with-phone violation missed; an XLSX was refused as "a ZIP archive
    that is not a DOCX" and now names the command that reads it, as a PDF does."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "手机"])
    wb.active.append(["王芳", "13812345678"])
    buf = io.BytesIO()
    wb.save(buf)
    csv_path = write(tmp_path, "list.csv", "序号,姓名,手机\n1,王芳,13812345678\n")
    xlsx_path = write(tmp_path, "list.xlsx", buf.getvalue())
    result = run(cli_runner, "review", str(csv_path), str(xlsx_path), "--no-model", "--format", "jsonl")
    assert result.exit_code == 2
    assert f"{xlsx_path}: XLSX is not supported by review; use `govscan privacy audit`" in result.output
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["source"] == str(csv_path) and record["format"] == "csv"
    assert sorted(f["code"] for f in record["findings"]) == ["pii.cn_mobile", "pii.person"]
    assert "王芳" not in result.stdout and "13812345678" not in result.stdout


def test_directory_without_drafts_is_an_input_error(cli_runner, tmp_path):
    """It reviewed nothing, printed nothing and exited 0, like a clean draft."""
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    result = run(cli_runner, "review", str(tmp_path), "--no-model", "--format", "json")
    assert result.exit_code == 2
    assert f"{tmp_path}: no reviewable files" in result.output


def test_exit_code_zero_when_clean(cli_runner, tmp_path):
    p = write(tmp_path, "clean.txt", "我镇召开安全生产工作会议，部署防汛备汛工作。")
    result = run(cli_runner, "review", str(p), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["findings"] == []


def test_jsonl_one_object_per_input_in_order(cli_runner, tmp_path):
    a = write(tmp_path, "a.txt", "学习习进平讲话。")
    b = write(tmp_path, "b.txt", "今天天气很好。")
    result = run(cli_runner, "review", str(b), str(a), "--format", "jsonl")
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [x["source"] for x in lines] == [str(b), str(a)]
    assert result.exit_code == 1


def test_json_several_inputs(cli_runner, tmp_path):
    a = write(tmp_path, "a.txt", "学习习进平讲话。")
    b = write(tmp_path, "b.txt", "今天天气很好。")
    data = json.loads(run(cli_runner, "review", str(a), str(b), "-f", "json").stdout)
    assert [r["source"] for r in data["results"]] == [str(a), str(b)]


def test_text_format_shows_table_and_summary(cli_runner, tmp_path):
    p = write(tmp_path, "draft.txt", DRAFT)
    result = run(cli_runner, "review", str(p))
    assert result.exit_code == 1
    assert "3 项单项否决问题" in result.stdout
    assert "习近平" in result.stdout  # the suggestion
    assert FULL_WIDTH_ID not in result.stdout


@pytest.mark.parametrize("draft, hidden, shown", [
    # the mobile's row showed the contact's name beside it in full (only digit runs were masked)
    ("联系人：李娜，联系电话：13812345678\n", "李娜", "李*"),
    # two names in one record: neither is shown in the other's row
    ("申请人：王建国，身份证号：11010519491231002X，联系人：张晓明，电话：13912345678。\n", "张晓明", "张**"),
])
def test_text_table_masks_other_personal_values_in_view(cli_runner, tmp_path, draft, hidden, shown):
    p = write(tmp_path, "contact.txt", draft)
    result = run(cli_runner, "review", str(p))
    assert result.exit_code == 1
    assert shown in result.stdout
    assert hidden not in result.stdout


def test_stdin(cli_runner):
    result = run(cli_runner, "review", "-", "--format", "json", input="学习习进平讲话。")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["source"] == "-"


@pytest.mark.parametrize("name, data, reason", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\n ", "empty file"),
    ("binary.txt", bytes(range(256)) * 20, "binary file"),
    ("missing.txt", None, "no such file"),
    ("fake.docx", b"PK\x03\x04not really a zip", "corrupt"),
])
def test_bad_input_one_line_exit_2_others_reviewed(cli_runner, tmp_path, name, data, reason):
    bad = tmp_path / name
    if data is not None:
        bad.write_bytes(data)
    good = write(tmp_path, "good.txt", "学习习进平讲话。")
    result = run(cli_runner, "review", str(bad), str(good), "--format", "jsonl")
    assert result.exit_code == 2
    err_lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert len(err_lines) == 1 and str(bad) in err_lines[0] and reason in err_lines[0]
    assert "Traceback" not in result.output
    # the good file was still reviewed
    assert json.loads(result.stdout.splitlines()[0])["source"] == str(good)


def test_usage_error_exit_2(cli_runner, tmp_path):
    p = write(tmp_path, "a.txt", "正文")
    assert run(cli_runner, "review", str(p), "--as-of", "2022-13-40").exit_code == 2
    assert run(cli_runner, "review", str(p), "--format", "xml").exit_code == 2
    assert run(cli_runner, "review").exit_code == 2


def test_bad_config_exit_2(cli_runner, tmp_path):
    p = write(tmp_path, "a.txt", "正文")
    cfg = write(tmp_path, "c.toml", "[nonsense]\nx = 1\n")
    result = run(cli_runner, "review", str(p), "--config", str(cfg))
    assert result.exit_code == 2 and "nonsense" in result.stderr


def test_negative_number_in_config_exit_2(cli_runner, tmp_path):
    p = write(tmp_path, "a.txt", "正文")
    cfg = write(tmp_path, "c.toml", '[checks."wording.classifier"]\nthreshold = -0.5\n')
    result = run(cli_runner, "review", str(p), "--config", str(cfg))
    assert result.exit_code == 2 and "wording.classifier" in result.stderr and "negative" in result.stderr


def test_config_disables_a_check(cli_runner, tmp_path):
    p = write(tmp_path, "a.txt", "学习习进平讲话。")
    cfg = write(tmp_path, "c.toml", '[checks."wording.leader_name"]\nenabled = false\n')
    result = run(cli_runner, "review", str(p), "--config", str(cfg), "-f", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["findings"] == []


@pytest.mark.parametrize("name, text, code, message", [
    # over [review] max_chars: one line naming the file, its length and the limit; exit 2
    ("long.txt", "学" * 61, 2, "稿件 61 字，超过单篇审查上限 60 字"),
    ("long.html", "<html><body><p>" + "学" * 70 + "</p></body></html>", 2, "超过单篇审查上限 60 字"),
    # at the limit: reviewed
    ("ok.txt", "学" * 60, 0, None),
])
def test_too_long_draft_is_one_line_and_the_rest_is_reviewed(cli_runner, tmp_path, name, text, code, message):
    p = write(tmp_path, name, text)
    other = write(tmp_path, "short.txt", "学习习进平讲话。")
    cfg = write(tmp_path, "c.toml", "[review]\nmax_chars = 60\n")
    result = run(cli_runner, "review", str(p), str(other), "--config", str(cfg), "-f", "jsonl", "--no-model")
    assert [json.loads(line)["source"] for line in result.stdout.splitlines()] == ([str(p)] if code == 0 else []) + [str(other)]
    if message:
        assert result.exit_code == 2
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"govscan: {p}: ") and message in line and "max_chars" in line
    else:
        assert result.exit_code == 1  # the misspelled name in short.txt


def test_default_limit_is_in_the_packaged_config():
    from scanner.pipeline import DEFAULT_MAX_CHARS, Reviewer
    from scanner.settings import Settings

    assert Settings.load().section("review")["max_chars"] == DEFAULT_MAX_CHARS == 300_000
    assert Reviewer(Settings.load(overrides={"review": {"max_chars": 0}}), families=("pii",)).too_long(None, 10**7) is None


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-16-le", "utf-8-sig", "big5"])
def test_encodings(cli_runner, tmp_path, encoding):
    text = "公示：学习習進平讲话，联系电话13812345678。" if encoding == "big5" else "公示：学习习进平讲话，联系电话13812345678。"
    if encoding == "big5":
        text = "公示：學習習進平講話，聯系電話13812345678。"
    p = write(tmp_path, f"{encoding}.txt", text.encode(encoding))
    data = json.loads(run(cli_runner, "review", str(p), "-f", "json").stdout)
    got = {(f["code"], text[f["start"]:f["end"]]) for f in data["findings"]}
    assert ("pii.cn_mobile", "13812345678") in got
    assert any(code == "wording.leader_name" for code, _ in got)
    assert data["length"] == len(text)


def test_html_and_docx(cli_runner, tmp_path):
    import docx

    html = write(tmp_path, "a.html", "<html><head><meta charset='utf-8'><title>t</title></head><body>"
                 "<article><h1>通知</h1><p>会议要求深入学习习进平总书记重要讲话精神，全面贯彻落实各项部署要求。</p>"
                 "<p>联系电话：13812345678。</p></article></body></html>")
    d = docx.Document()
    d.add_paragraph("会议要求深入学习习进平总书记重要讲话精神。")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "姓名"
    table.cell(0, 1).text = "手机"
    table.cell(1, 0).text = "张某"
    table.cell(1, 1).text = "13812345678"
    docx_path = tmp_path / "b.docx"
    d.save(docx_path)
    result = run(cli_runner, "review", str(html), str(docx_path), "-f", "jsonl", "--show-text")
    for line in result.stdout.splitlines():
        rec = json.loads(line)
        got = {(f["code"], rec["text"][f["start"]:f["end"]]) for f in rec["findings"]}
        assert got == {("wording.leader_name", "习进平"), ("pii.cn_mobile", "13812345678")}, rec["source"]


@pytest.mark.parametrize("html, expected", [
    # short HTML drafts (a CMS body of a paragraph or two): trafilatura keeps no main text of
    # them, and review refused them with "HTML page without readable main text" (exit 2)
    ("<p>深入学习李克墙总理讲话。</p>", {("wording.leader_name", "李克墙")}),
    (f"<p>身份证号：{ID_OK}</p>", {("pii.cn_resident_id", ID_OK)}),
    ("<p>会议要求深入学习李克<span style='color:red'>墙</span>总理的重要讲话精神，全面贯彻落实各项部署要求。</p>",
     {("wording.leader_name", "李克墙")}),
    ("<p>深入学习&ldquo;四个自新&rdquo;。</p>", {("wording.formulation", "四个自新")}),
])
def test_short_html_draft_is_reviewed(cli_runner, tmp_path, html, expected):
    p = write(tmp_path, "fragment.html", html)
    result = run(cli_runner, "review", str(p), "-f", "json", "--show-text", "--no-model", "--as-of", "2024-06-20")
    assert result.exit_code == 1, result.output
    rec = json.loads(result.stdout)
    assert {(f["code"], rec["text"][f["start"]:f["end"]]) for f in rec["findings"]} == expected


@pytest.mark.parametrize("meta, expected, date", [
    # a saved page of 2019 states its date: 国务院总理李克强 is right at it (it was judged at --as-of)
    ('<meta name="PubDate" content="2019-03-05 10:00">', [], ("2019-03-05", "published")),
    ("<meta property='article:published_time' content='2019-03-05T10:00:00+08:00'>", [], ("2019-03-05", "published")),
    # no date of its own, or an impossible one: --as-of
    ("", ["wording.leader_office"], ("2026-11-27", "as-of")),
    ('<meta name="PubDate" content="2019-02-30">', ["wording.leader_office"], ("2026-11-27", "as-of")),
])
def test_html_page_is_judged_at_its_meta_date(cli_runner, tmp_path, meta, expected, date):
    p = write(tmp_path, "page.html", f"<html><head><meta charset='utf-8'>{meta}<title>t</title></head><body><article>"
              "<p>国务院总理李克强强调，要全面贯彻落实各项部署要求，推动各项工作落地见效，确保取得实效。</p></article></body></html>")
    result = run(cli_runner, "review", str(p), "-f", "json", "--no-model", "--as-of", "2026-11-27")
    rec = json.loads(result.stdout)
    assert [f["code"] for f in rec["findings"]] == expected
    assert (rec["date"], rec["date_basis"]) == date  # the JSON says which day the date rules used


@pytest.mark.parametrize("launcher", [
    [str(ROOT / "cli.py")],
    ["-m", "scanner"],
    # the module itself: a circular-import traceback (it ran as a second copy of scanner.cli)
    ["-m", "scanner.cli"],
])
def test_python_cli_shim_matches(tmp_path, launcher):
    """`python cli.py`, `python -m scanner` and `python -m scanner.cli` (a venv whose scripts are not
    on PATH) behave as `govscan`."""
    p = write(tmp_path, "a.txt", "学习习进平讲话。")
    out = subprocess.run([sys.executable, *launcher, "review", str(p), "-f", "json", "--no-model"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 1
    assert json.loads(out.stdout)["findings"][0]["suggestion"] == "习近平"


def test_readme_documents_every_command():
    """Every CLI command appears in the README (sqlite-utils' test_docs)."""
    import typer.main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    click_app = typer.main.get_command(app)

    def walk(cmd, prefix):
        for name, sub in getattr(cmd, "commands", {}).items():
            full = f"{prefix} {name}"
            yield full
            yield from walk(sub, full)

    missing = [c for c in walk(click_app, "govscan") if c not in readme]
    assert not missing, f"commands missing from README.md: {missing}"


def test_help_texts_keep_their_brackets(cli_runner):
    """Typer renders help as rich markup, which eats a bare [word]: `privacy mask --help`
    said "configurable in the policy's  table" for the [mask] table."""
    import inspect
    import re

    import typer.main

    def walk(cmd, path):
        for name, sub in getattr(cmd, "commands", {}).items():
            yield path + [name], sub
            yield from walk(sub, path + [name])

    checked = 0
    for path, cmd in walk(typer.main.get_command(app), []):
        doc = inspect.getdoc(getattr(cmd, "callback", None)) or ""
        words = set(re.findall(r"\[[a-z_]+\]", doc.replace("\\[", "[")))
        if not words:
            continue
        out = cli_runner.invoke(app, path + ["--help"], terminal_width=200).output
        for word in words:
            assert word in out, f"govscan {' '.join(path)} --help lost {word}"
        checked += 1
    assert checked  # at least privacy mask's [mask]


def test_file_name_not_utf8_under_a_strict_locale(tmp_path):
    """A GBK file name (unpacked from a Windows ZIP) under a UTF-8 locale whose stdout is
    strict: review (finding ids) and audit (printing the path) ended in UnicodeEncodeError."""
    import os

    name = "名单.txt".encode("gbk")
    with open(os.path.join(os.fsencode(tmp_path), name), "wb") as fh:
        fh.write("联系人手机13812345678".encode("utf-8"))
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    for args in (["review", str(tmp_path), "--no-model", "--format", "jsonl"], ["privacy", "audit", str(tmp_path)]):
        out = subprocess.run([sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, env=env, cwd=ROOT)
        assert out.returncode == 1, out.stderr.decode("utf-8", "replace")
        assert name in out.stdout and b"138****5678" in out.stdout and b"13812345678" not in out.stdout


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>关于开展春季植树活动的通知</title>
<meta name="PubDate" content="2026-03-01"></head><body>
<div class="nav"><a href="/">首页</a> <a href="/zt/">学习习进平新时代专题</a></div>
<div class="article"><h1>{headline}</h1>
<p>各街道办事处、区直各单位：为深入贯彻落实习近平生态文明思想，推进国土绿化行动，经研究，决定于2026年3月12日开展春季义务植树活动。现将有关事项通知如下。</p>
<p>一、活动时间：2026年3月12日上午9时。二、活动地点：区森林公园东门。三、参加人员：各单位干部职工代表各10名。</p>
<p>请各单位于3月10日前将参加人员名单报区绿化委员会办公室。各单位要高度重视，认真组织，确保活动安全有序开展。</p>
</div>
<div class="footer"><p>主办：某某区人民政府办公室 联系电话：020-12345678 邮箱：ban@example.gov.cn</p>
<p>{footer}</p></div>
</body></html>"""


@pytest.mark.parametrize("headline, footer, expected", [
    # a mobile in the page footer: found, as `privacy audit` finds it, and said to be outside the main text
    ("关于开展春季植树活动的通知", "网站负责人：李娜 13912345678",
     [("pii.person", "李娜", True), ("pii.cn_mobile", "13912345678", True)]),
    # the agency's footer contacts are not personal data (as in the audit)
    ("关于开展春季植树活动的通知", "版权所有", []),
    # the headline is reviewed like the text (trafilatura leaves it out of the main text)
    ("深入学习习进平生态文明思想", "版权所有", [("wording.leader_name", "习进平", False)]),
])
def test_saved_page_is_reviewed_with_its_headline_and_template(cli_runner, tmp_path, headline, footer, expected):
    p = write(tmp_path, "page.html", PAGE.format(headline=headline, footer=footer))
    result = run(cli_runner, "review", str(p), "-f", "json", "--show-text", "--no-model")
    data = json.loads(result.stdout)
    got = [(f["code"], data["text"][f["start"]:f["end"]], "页面正文以外" in f["message"]) for f in data["findings"]]
    assert got == expected  # the nav's 习进平 link is template, not the draft's wording
    assert ("——以下为页面正文以外的内容" in data["text"]) is True
    assert result.exit_code == (1 if expected else 0)
    audit = run(cli_runner, "privacy", "audit", str(p), "-f", "json")
    violations = [i for r in json.loads(audit.stdout) for i in r["items"] if i["violation"]]
    assert len(violations) == sum(1 for code, _, _ in expected if code.startswith("pii."))


def test_html_fragment_and_text_are_read_as_before(cli_runner, tmp_path):
    frag = write(tmp_path, "body.html", "<p>联系人：王芳，手机：13812345678。</p>")
    data = json.loads(run(cli_runner, "review", str(frag), "-f", "json", "--show-text", "--no-model").stdout)
    assert "页面正文以外" not in data["text"] and len(data["findings"]) == 2
    assert all("页面正文以外" not in f["message"] for f in data["findings"])


def test_a_pages_review_text_sent_back_is_reviewed_alike(cli_runner, tmp_path):
    """The web page re-reviews the text after 采纳建议 (as pasted text): the template part stays
    personal-data only, or the nav's 习进平 link became a veto on the second review."""
    p = write(tmp_path, "page.html", PAGE.format(headline="关于开展春季植树活动的通知", footer="网站负责人：李娜 13912345678"))
    first = json.loads(run(cli_runner, "review", str(p), "-f", "json", "--show-text", "--no-model").stdout)
    again = write(tmp_path, "again.txt", first["text"])
    second = json.loads(run(cli_runner, "review", str(again), "-f", "json", "--no-model").stdout)
    assert [(f["code"], f["start"]) for f in second["findings"]] == [(f["code"], f["start"]) for f in first["findings"]]


def test_standard_input_is_bounded_like_a_file(cli_runner, monkeypatch):
    import scanner.pipeline as pipeline

    monkeypatch.setattr(pipeline.read_source, "__defaults__", (2**20,))
    result = run(cli_runner, "review", "-", "--no-model", input=b"x" * (2**20 + 1))
    assert result.exit_code == 2
    assert result.stderr.strip() == "govscan: -: standard input too large (over the limit of 1 MB)"
    assert run(cli_runner, "review", "-", "--no-model", input="正文。".encode()).exit_code == 0


@pytest.mark.parametrize("arg", ["", "  "])
def test_empty_path_is_an_error_not_the_current_directory(cli_runner, tmp_path, monkeypatch, arg):
    """`govscan review "$f"` with $f unset: Path("") is ".", and every file below was reviewed."""
    write(tmp_path, "a.txt", "学习习进平讲话。")
    monkeypatch.chdir(tmp_path)
    result = run(cli_runner, "review", arg, "-f", "jsonl", "--no-model")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip() == "govscan: '': empty path (an unset variable?): name a file, a directory or - for standard input"


def test_csv_one_row_per_finding_for_excel(cli_runner, tmp_path):
    """--format csv: a BOM (Excel/WPS read UTF-8), one row per finding with the JSON's masked
    excerpt, a row for a file without findings, no cell a spreadsheet would run."""
    import csv as csv_module

    bad = write(tmp_path, "draft.txt", DRAFT)
    clean = write(tmp_path, "=clean.txt", "公示期为五个工作日。")
    result = run(cli_runner, "review", str(bad), str(clean), "-f", "csv", "--as-of", "2022-06-20", "--no-model")
    assert result.exit_code == 1
    assert result.stdout.startswith("\ufeff")
    rows = list(csv_module.DictReader(result.stdout[1:].splitlines()))
    expected = json.loads(run(cli_runner, "review", str(bad), "-f", "json", "--as-of", "2022-06-20", "--no-model").stdout)
    mine = [r for r in rows if r["source"] == str(bad)]
    assert [(r["code"], int(r["start"]), r["excerpt"]) for r in mine] == \
        [(f["code"], f["start"], f["excerpt"]) for f in expected["findings"]]
    assert ID_OK not in result.stdout and "12345678" not in result.stdout.replace("****5678", "")
    (empty,) = [r for r in rows if r["source"] != str(bad)]
    assert empty["code"] == "" and empty["date"] == "2022-06-20"


def test_other_commands_keep_their_formats(cli_runner):
    result = run(cli_runner, "scan", "sites", "--help")
    assert "csv" not in result.stdout.split("--format")[1].split("\n")[0]


@pytest.mark.parametrize("data, fmt, name_found", [
    # a CMS's rich-text body piped in: a fragment, no <html>; a name split by an inline tag
    ("<p style=\"text-indent:2em\">会议要求深入学习李克<span style='color:red'>墙</span>总理的重要讲话精神。</p>", "html", True),
    ("\ufeff\n  <P>会议要求深入学习李克墙总理的重要讲话精神。<BR></P>", "html", True),
    ("<div><span style=\"font-family:仿宋\">会议要求深入学习李克墙总理。</span></div>", "html", True),
    ("<table><tr><td>会议要求深入学习李克墙总理。</td></tr></table>", "html", True),
    # its first closing tag past the first 2 KB (a long first paragraph): it was read as text
    ("<p style=\"text-indent:2em\">" + "为深入贯彻落实省委省政府关于加强基层治理的决策部署，进一步提升服务水平，" * 25
     + "会议要求深入学习李克<span style='color:red'>墙</span>总理的重要讲话精神。</p>", "html", True),
    # near-misses: text that starts with "<" but is no markup
    ("<2022年工作要点> 会议要求深入学习李克墙总理。</p>", "txt", True),
    ("<p 会议要求深入学习李克墙总理。", "txt", True),
    ("会议要求深入学习李克墙总理。<p>", "txt", True),
])
def test_stdin_html_fragment_is_read_as_html(cli_runner, data, fmt, name_found):
    """`govscan review -` read a CMS body without <html> as plain text: its markup was reviewed
    (a leader's name split by <span> unseen, excerpts full of tags)."""
    result = run(cli_runner, "review", "-", "--format", "json", "--no-model", "--as-of", "2022-06-20",
                 input=data.encode("utf-8"))
    assert result.exit_code == 1, result.output
    review = json.loads(result.stdout)
    assert review["format"] == fmt
    names = [f for f in review["findings"] if f["code"] == "wording.leader_name"]
    assert bool(names) is name_found
    if fmt == "html":  # the extracted text: no markup in the excerpt
        assert all("<" not in f["excerpt"] for f in names)


def test_named_text_file_with_markup_stays_text(cli_runner, tmp_path):
    """Only standard input is typed by a fragment's tags: a .txt says what it is."""
    p = write(tmp_path, "body.txt", "<p>会议要求深入学习李克墙总理的重要讲话精神。</p>")
    review = json.loads(run(cli_runner, "review", str(p), "--format", "json", "--no-model").stdout)
    assert review["format"] == "txt" and review["length"] == len("<p>会议要求深入学习李克墙总理的重要讲话精神。</p>")


@pytest.mark.parametrize("promise", [
    "Exit codes: 0 no veto",  # the exit codes README documents were not in --help
    "1 at least one",
    "2 usage or input errors",
    ".rtf .mht .csv",  # inputs review reads and its help did not name
    "(not with csv)",
])
def test_review_help_documents_exit_codes_and_inputs(cli_runner, promise):
    out = " ".join(cli_runner.invoke(app, ["review", "--help"], terminal_width=200).output.replace("│", " ").split())
    assert promise in out


@pytest.mark.parametrize("args, code, stderr", [
    # --show-text with csv was accepted and did nothing
    (["--show-text", "--format", "csv"], 2, "--show-text does not go with --format csv"),
    (["--show-text", "-f", "csv"], 2, "--show-text does not go with --format csv"),
    (["--format", "csv"], 1, ""),
    (["--show-text", "--format", "jsonl"], 1, ""),
])
def test_show_text_with_csv_is_a_usage_error(cli_runner, tmp_path, args, code, stderr):
    p = write(tmp_path, "draft.txt", "会议要求深入学习李克墙总理的重要讲话精神。")
    result = run(cli_runner, "review", str(p), "--no-model", *args)
    assert result.exit_code == code, result.output
    assert stderr in result.stderr and len(result.stderr.splitlines()) == (1 if stderr else 0)


@pytest.mark.parametrize("files, args, sources", [
    # the shape follows the inputs named, not how many could be read
    ({"a.txt": "学习习进平讲话。", "empty.txt": ""}, ["a.txt", "empty.txt"], ["a.txt"]),
    ({"empty.txt": "", "b.txt": ""}, ["empty.txt", "b.txt"], []),
    ({"d/a.txt": "学习习进平讲话。"}, ["d"], ["d/a.txt"]),  # a directory of one file
    ({"a.txt": "学习习进平讲话。", "b.txt": "今天天气很好。"}, ["a.txt", "b.txt"], ["a.txt", "b.txt"]),
    ({"a.txt": "学习习进平讲话。"}, ["a.txt"], None),  # one input: its object
])
def test_json_shape_follows_the_inputs(cli_runner, tmp_path, monkeypatch, files, args, sources):
    """Two files, one empty, printed a bare object (and two unreadable files nothing): a script
    reading "results" broke on the one bad draft of a batch."""
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        write(tmp_path, name, text)
    monkeypatch.chdir(tmp_path)
    result = run(cli_runner, "review", *args, "-f", "json", "--no-model")
    data = json.loads(result.stdout)
    if sources is None:
        assert data["source"] == "a.txt" and "results" not in data
    else:
        assert [r["source"] for r in data["results"]] == sources
    assert result.exit_code == (2 if "empty.txt" in files else 1)


_TEXT = "会议要求深入学习李克墙总理的重要讲话精神。" * 20


@pytest.mark.parametrize("data, says", [
    # UTF-8 but for a stray byte or a copy cut inside a character: where it breaks
    (_TEXT.encode() + b"\xff" + _TEXT.encode(), "UTF-8 but for 1 invalid byte, the first at byte 1260"),
    (_TEXT.encode() + b"\xff\xfe\x80" + _TEXT.encode(), "UTF-8 but for 3 invalid bytes, the first at byte 1260"),
    # mostly not UTF-8: no such hint
    (bytes(range(0x80, 0x100)) * 8, None),
])
def test_damaged_utf8_file_says_where(cli_runner, tmp_path, data, says):
    """A UTF-8 draft with one bad byte was refused as "unknown text encoding" alone."""
    p = write(tmp_path, "draft.txt", data)
    result = run(cli_runner, "review", str(p), "--no-model")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    if says:
        assert says in result.stderr and "unknown text encoding" in result.stderr
    else:
        assert "UTF-8 but for" not in result.stderr


@pytest.mark.parametrize("beside, named, said", [
    # Word's / WPS's owner file of an open document: a "binary file" error, exit 2
    ("~$通知.docx", b"\x05user  \x00\x00", "Office 所有者文件或 macOS 资源文件 1 个（drafts/~$通知.docx）"),
    # macOS's resource fork of a draft copied from a Mac
    ("._draft.txt", b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X", "Office 所有者文件或 macOS 资源文件 1 个（drafts/._draft.txt）"),
    # anything hidden: a .git folder, an editor's backup
    (".git/notes.txt", "学习习进平讲话。".encode(), "版本库或工具目录 1 个（drafts/.git）"),
    (".backup.txt", "学习习进平讲话。".encode(), "隐藏的目录或文件 1 个（drafts/.backup.txt）"),
    ("sub/.hidden/old.txt", "学习习进平讲话。".encode(), "隐藏的目录或文件 1 个（drafts/sub/.hidden）"),
    # tools' folders were reviewed (a package's README, a cache): passed over too
    ("site/node_modules/pkg/README.md", "学习习进平讲话。".encode(), "版本库或工具目录 1 个（drafts/site/node_modules）"),
    ("__pycache__/notes.txt", "学习习进平讲话。".encode(), "版本库或工具目录 1 个（drafts/__pycache__）"),
])
def test_directory_skips_lock_files_and_hidden_ones(cli_runner, tmp_path, monkeypatch, beside, named, said):
    (tmp_path / "drafts" / beside).parent.mkdir(parents=True, exist_ok=True)
    write(tmp_path / "drafts", beside, named)
    write(tmp_path / "drafts", "draft.txt", "今天天气很好。")
    monkeypatch.chdir(tmp_path)
    result = run(cli_runner, "review", "drafts", "-f", "jsonl", "--no-model")
    assert result.exit_code == 0, result.output
    assert [json.loads(x)["source"] for x in result.stdout.splitlines()] == ["drafts/draft.txt"]
    # ... and said, in a note on stderr that is no error (they were passed over without a word)
    assert result.stderr == f"govscan: 已跳过（未检查）：{said}\n"
    # named on the command line, it is read as given
    assert run(cli_runner, "review", f"drafts/{beside}", "--no-model").exit_code in (1, 2)


@pytest.mark.parametrize("name", ["locked.docx", "locked.doc", "locked.wps"])
def test_password_protected_docx_is_named_as_such(cli_runner, tmp_path, name):
    """A DOCX saved with a password is an OLE file holding EncryptedPackage: the review said
    "legacy Office file holding neither a workbook nor a Word document (streams: EncryptionInfo …)"."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from pii_files import encrypted_ooxml

    p = write(tmp_path, name, encrypted_ooxml())
    result = run(cli_runner, "review", str(p), "--no-model")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"govscan: {p}: password-protected (encrypted Office file): remove the password and save it again"


def test_csv_names_the_place_of_a_finding_in_a_docx(cli_runner, tmp_path):
    """--format csv had offsets alone: a mobile in a DOCX's header, an ID in its table, could not
    be found in the file from the spreadsheet."""
    import csv as csv_module

    import docx

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "某某县人民政府办公室 联系电话：13812345678"
    d.add_paragraph("会议要求深入学习李克墙总理的重要讲话精神。")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "姓名", "身份证号"
    t.cell(1, 0).text, t.cell(1, 1).text = "张三", ID_OK
    d.save(tmp_path / "notice.docx")
    result = run(cli_runner, "review", str(tmp_path / "notice.docx"), "-f", "csv", "--as-of", "2022-06-20", "--no-model")
    rows = list(csv_module.DictReader(result.stdout[1:].splitlines()))
    places = {r["code"]: r["place"] for r in rows}
    assert places["pii.cn_mobile"] == "页眉"
    assert places["pii.cn_resident_id"] == "表格1 第2行第2列"
    assert places["wording.leader_name"] == ""  # the body's running text


def test_review_names_an_embedded_file_it_could_not_read(cli_runner, tmp_path):
    """A DOCX whose embedded workbook is damaged was 未发现问题 (exit 0) and nothing said the
    workbook went unchecked: the table says 未能检查, the JSON lists it in ``unread``."""
    from test_review_checks import _docx_embedding

    p = write(tmp_path, "draft.docx", _docx_embedding("关于拟救助对象的公示，名单见附表。",
                                                      ("Microsoft_Excel_Worksheet.xlsx", b"PK\x03\x04 cut short")))
    text = run(cli_runner, "review", str(p), "--no-model")
    assert text.exit_code == 0 and "未发现问题" in text.stdout
    assert "未能检查：嵌入文件 Microsoft_Excel_Worksheet.xlsx 无法读取" in text.stdout.replace("\n", "")
    data = json.loads(run(cli_runner, "review", str(p), "--no-model", "-f", "json").stdout)
    assert data["unread"] == [{"part": "嵌入文件 Microsoft_Excel_Worksheet.xlsx 无法读取：XLSX 文件已损坏："
                                       "请用 Office 或 WPS 打开后另存为新文件再试", "reason_code": "corrupt"}]
    # near-miss: a clean draft's JSON has no such key
    clean = write(tmp_path, "clean.txt", "我镇召开安全生产工作会议。".encode())
    assert "unread" not in json.loads(run(cli_runner, "review", str(clean), "--no-model", "-f", "json").stdout)
