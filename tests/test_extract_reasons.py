"""Why an input could not be read, in Chinese with a stable code (scanner.extract.reasons): the
review page and the API told editors "not HTML", "corrupt DOCX (KeyError in a part)" in English.

Every reason a reader can raise must have its own entry: the readers' ``InputError(name, reason)``
calls are read from their source (placeholders filled with 7), so a new English reason without an
entry fails here rather than reaching an editor in English."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from scanner.extract.reasons import CODES, explain, explain_unread

ROOT = Path(__file__).resolve().parent.parent
READERS = ["scanner/extract/documents.py", "scanner/extract/office.py", "scanner/extract/legacy.py",
           "scanner/extract/ofd.py", "scanner/extract/html.py", "scanner/text/decode.py", "scanner/pipeline.py",
           "scanner/privacy/audit.py", "scanner/privacy/mask.py"]
# Latin words a Chinese message may hold: format names, encodings, the products an editor uses
_ALLOWED_LATIN = {"DOCX", "DOC", "XLSX", "XLS", "PDF", "OFD", "RTF", "CSV", "ZIP", "OCR", "UTF", "GB18030", "Big5",
                  "Word", "WPS", "Excel", "Office", "PowerPoint", "Visio", "Outlook", "OpenDocument", "MB", "XML",
                  "docx", "doc", "wps", "txt", "html", "md", "csv", "xlsx", "ppt", "dps", "msg", "odt", "ods", "odp",
                  "pptx", "xlsb", "ofd", "xls", "HTML", "TXT", "xml", "mht", "rtf",
                  "Strict", "Open"}  # (Word's own name of the format: Strict Open XML 文档)


def _sample(node) -> list[str]:
    """The reason a call can raise, its formatted values as 7 (both arms of a conditional)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value if isinstance(v, ast.Constant) else "7" for v in node.values)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [a + b for a in _sample(node.left) for b in (_sample(node.right) or ["7"])]
    if isinstance(node, ast.IfExp):
        return _sample(node.body) + _sample(node.orelse)
    return []  # a variable: a reason raised elsewhere, passed on


def raised_reasons() -> list[tuple[str, str]]:
    out = []
    for path in READERS:
        for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("InputError", "Skipped") \
                    and len(node.args) >= 2:
                out += [(f"{path}:{node.lineno}", reason) for reason in _sample(node.args[1])]
    return out


def other_reasons() -> list[tuple[str, str]]:
    """Reasons built away from an InputError call: an OLE file's kind, an ODF or .pptx package,
    the damaged-UTF-8 note, a password-protected DOCX."""
    from scanner.extract import legacy
    from scanner.privacy import audit
    from scanner.text.decode import _damage

    from scanner.extract.documents import STRICT_REASON

    out = [("legacy._OTHER_OLE", reason) for _stream, reason in legacy._OTHER_OLE]
    from scanner.extract.documents import IMAGES_ONLY_REASON

    out += [("documents.STRICT_REASON", STRICT_REASON), ("documents.IMAGES_ONLY_REASON", IMAGES_ONLY_REASON)]
    out += [("legacy.ole_reason", legacy.ENCRYPTED_OOXML_REASON),
            ("legacy.ole_reason", legacy.ole_reason(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100))]
    out += [("audit._ODF_KINDS", f"{what}: not supported, save it as {save_as}") for what, save_as in audit._ODF_KINDS.values()]
    out += [("audit._ZIP_MEMBERS", f"{what}: not supported, save it as {save_as}") for _m, what, save_as in audit._ZIP_MEMBERS]
    damaged = "正文。".encode() * 200 + b"\xff" + "后文。".encode()
    out += [("decode._damage", "unknown text encoding (not UTF-8, UTF-16, GB18030 or Big5)" + _damage(damaged))]
    return out


ALL = raised_reasons() + other_reasons()


def test_the_readers_reasons_were_found():
    assert len(raised_reasons()) > 80  # the AST walk sees the calls (a broken walk would pass everything)


@pytest.mark.parametrize("where, reason", ALL, ids=[f"{w}:{r[:30]}" for w, r in ALL])
def test_every_reason_has_a_chinese_message_and_a_code(where, reason):
    why = explain(reason)
    assert why.code in CODES
    assert why.code != "unreadable", f"{where}: no entry in scanner/extract/reasons.py for {reason!r}"
    assert re.search(r"[\u4e00-\u9fff]", why.message)
    latin = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", why.message)) - _ALLOWED_LATIN
    assert not latin, f"{where}: English left in {why.message!r}"


@pytest.mark.parametrize("reason, code, message", [
    # password, scan, damage: what the editor does next
    ("password-protected PDF", "encrypted", "PDF 文件设有打开密码：请去掉密码后另存，再试"),
    ("password-protected (encrypted Office file): remove the password and save it again", "encrypted",
     "文件设有打开密码（加密的 Word 或 Excel 文件）：请去掉密码后另存，再试"),
    ("no text layer (scanned image PDF: needs OCR)", "scanned",
     "PDF 没有文字层（扫描图片），无法检查文字：请上传原稿，或先做文字识别（OCR）"),
    ("corrupt DOCX (KeyError in a part)", "corrupt", "DOCX 文件已损坏：请用 Office 或 WPS 打开后另存为新文件再试"),
    ("corrupt or protected XLSX (InvalidFileException)", "corrupt", "XLSX 文件已损坏或设有密码：请用 Office 或 WPS 打开后另存为新文件再试"),
    ("corrupt DOC (the file header is cut short)", "corrupt", "DOC 文件不完整（可能未传完或已截断）：请用 Office 或 WPS 打开后另存为新文件再试"),
    # the figures are carried over
    ("DOCX decompresses to 700 MB, over the 256 MB limit", "too_large", "DOCX 文件解压后 700 MB，超过 256 MB 的上限"),
    ("DOCX member word/document.xml inflates 1,024x (ZIP bomb?)", "zip_bomb",
     "DOCX 文件中的一个部分解压后膨胀 1,024 倍，疑似压缩炸弹，拒绝读取"),
    ("PDF has 2001 pages, over the 2000 page limit", "too_large", "PDF 有 2001 页，超过 2000 页的上限"),
    ("invalid utf-16-le after its byte-order mark at byte 12", "encoding",
     "文件开头的字节序标记表明是 utf-16-le 编码，但从第 12 字节起不是有效的 utf-16-le"),
    ("unknown text encoding (not UTF-8, UTF-16, GB18030 or Big5); UTF-8 but for 3 invalid bytes, the first at byte 450: "
     "a damaged file? save it again as UTF-8", "encoding",
     "文件基本是 UTF-8 编码，但有 3 个无效字节（第一个在第 450 字节），文件可能已损坏：请另存为 UTF-8 后再试"),
    ("unknown text encoding (not UTF-8, UTF-16, GB18030 or Big5)", "encoding",
     "无法识别文字编码（不是 UTF-8、UTF-16、GB18030 或 Big5）：请另存为 UTF-8 后再试"),
    ("empty DOCX (no text)", "empty", "文件没有文字内容"),
    ("HTML page without text", "no_text", "网页没有可读的正文"),
    ("PDF is not supported by review; use `govscan privacy audit`", "unsupported",
     "发布前审查不读取 PDF 文件：请上传稿件原稿（.docx、.doc、.wps、.txt、.html）；PDF 文件可做个人信息审计"),
    # near-misses: "corrupt" inside a limit, "empty" inside another word, Chinese kept, an unknown reason kept
    ("DOC holds 12,000,000 characters, over the 10,000,000 limit", "too_large", "DOC 文件有 12,000,000 字，超过 10,000,000 字的上限"),
    ("emptyish thing", "unreadable", "无法读取（emptyish thing）"),
    ("稿件 400,000 字，超过单篇审查上限 300,000 字", "unreadable", "稿件 400,000 字，超过单篇审查上限 300,000 字"),
    ("", "unreadable", "无法读取"),
    # limits of the files inside a file (attachments of a PDF, objects in a DOCX)
    ("a file and the files inside it over 2,000,000 cells in all (limit)", "too_large",
     "文件及其中附带的文件合计超过 2,000,000 个单元格的上限"),
    ("a file and the files inside it over 20,000,000 characters in all (limit)", "too_large",
     "文件及其中附带的文件合计超过 20,000,000 字的上限"),
    ("a drawing part (xl/drawings/drawing1.xml) over 16 MB of XML (limit)", "too_large",
     "工作表中的图形部分（文本框、图片）超过 16 MB 的上限"),
    ("a chart part (xl/charts/chart1.xml) over 16 MB of XML (limit)", "too_large", "工作表中的图表部分超过 16 MB 的上限"),
])
def test_explain(reason, code, message):
    why = explain(reason)
    assert (why.code, why.message) == (code, message)


# ---- what an audit could not read inside a file (meta["unread"]): the web API listed it in English
UNREAD_WRITERS = ["scanner/extract/office.py", "scanner/extract/legacy.py", "scanner/extract/ofd.py",
                  "scanner/privacy/audit.py"]


def _value(node) -> str:
    """A formatted value of an unread line as the reader fills it: an exception's name, a
    reader's reason, an OFD part's error, a list of suffixes, else 7."""
    src = ast.unparse(node.value)
    if isinstance(node.value, ast.IfExp) and isinstance(node.value.body, ast.Constant):
        return node.value.body.value
    if src == "what":
        return "attachment"
    if "__name__" in src:
        return "KeyError"
    if src.endswith(".reason") or src == "why":
        return "corrupt XLSX (not a valid ZIP archive)"
    if src == "exc":
        return "Doc_0/Pages/Page_1/Content.xml is empty or not XML"
    if "join" in src:
        return ".xlsx .docx .pdf"
    return "7"


def _line(node) -> list[str]:
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value if isinstance(v, ast.Constant) else _value(v) for v in node.values)]
    return _sample(node)


def unread_lines() -> list[tuple[str, str]]:
    """The lines the readers add to ``unread`` (or to an OFD's ``broken`` parts, or build as
    ``over_total``), their formatted values as 7; an OFD part's error (``_PartError``) as a
    page's line, and a file inside a file's line under its parent's name."""
    out = []
    for path in UNREAD_WRITERS:
        for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append" \
                    and (getattr(node.func.value, "id", None) == "unread" or getattr(node.func.value, "attr", None) == "broken") \
                    and node.args:
                out += [(f"{path}:{node.lineno}", line) for line in _line(node.args[0])]
            elif isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "over_total":
                out += [(f"{path}:{node.lineno}", line) for line in _line(node.value)]
            elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_PartError" and node.args:
                out += [(f"{path}:{node.lineno}", f"page 7: {line}") for line in _line(node.args[0])]
    out += [("ofd.NO_TEXT_PAGE", "page 7: no text layer (a scanned image: needs OCR)")]
    out += [(f"{w} (nested)", f"附件.pdf > {line}") for w, line in out[:3]]
    return out


UNREAD = unread_lines()


def test_the_unread_lines_were_found():
    assert len(UNREAD) > 25


@pytest.mark.parametrize("where, line", UNREAD, ids=[f"{w}:{r[:30]}" for w, r in UNREAD])
def test_every_unread_line_has_a_chinese_message_and_a_code(where, line):
    why = explain_unread(line)
    assert why.code in CODES and why.code not in ("unreadable", "partial"), (where, why)
    assert re.search(r"[\u4e00-\u9fff]", why.message)
    words = re.sub(r"[\w.]*[/.][\w./]*", "", why.message)  # (a file's or a part's name: Doc_0/Pages/Page_1/Content.xml)
    latin = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", words)) - _ALLOWED_LATIN - {"DTD", "XFA"}
    assert not latin, f"{where}: English left in {why.message!r}"


@pytest.mark.parametrize("line, code, message", [
    # an attached or embedded file: its name kept, why told as a reader's reason is
    ("attachment 名单.xlsx: cannot be read (corrupt XLSX (not a valid ZIP archive))", "corrupt",
     "附件 名单.xlsx 无法读取：XLSX 文件已损坏：请用 Office 或 WPS 打开后另存为新文件再试"),
    ("attachment 扫描件.pdf: cannot be read (no text layer (scanned image PDF: needs OCR))", "scanned",
     "附件 扫描件.pdf 无法读取：PDF 没有文字层（扫描图片），无法检查文字：请上传原稿，或先做文字识别（OCR）"),
    ("embedded file oleObject1.bin: cannot be read (password-protected XLS)", "encrypted",
     "嵌入文件 oleObject1.bin 无法读取：XLS 文件设有打开密码：请去掉密码后另存，再试"),
    ("attachment 照片.jpg: not read (the audit reads .xlsx .docx .pdf .csv)", "unsupported",
     "附件 照片.jpg 未读取（审计只读取 .xlsx .docx .pdf .csv 文件）"),
    ("attachment 名单.xlsx: cannot be read (BadZipFile)", "corrupt", "附件 名单.xlsx 已损坏，无法读取"),
    # limits, their figures kept
    ("attachment 表51.csv: not read (over 50 attachments)", "too_large", "附件 表51.csv 未读取（附件超过 50 个的上限）"),
    ("attachment 表3.csv: not read (a file and the files inside it over 80 cells in all (limit))", "too_large",
     "附件 表3.csv 未读取：文件及其中附带的文件合计超过 80 个单元格的上限"),
    ("attachment 名单3.xlsx: not read (attached files over 64 MB in all: limit)", "too_large",
     "附件 名单3.xlsx 未读取（附件合计超过 64 MB 的上限）"),
    ("embedded files: 3 not read (over 50 embedded workbooks)", "too_large",
     "另有 3 个嵌入文件未读取（嵌入的工作簿超过 50 个的上限）"),
    # a file inside a file inside a file
    ("a.pdf > b.pdf > attachment 名单.xlsx: not read (files inside files are read 3 levels deep)", "too_large",
     "a.pdf 中的 b.pdf 中的附件 名单.xlsx 未读取（文件中的文件只读取 3 层）"),
    # an OFD's pages and parts: the member's path kept, it is what a maintainer opens
    ("page 3: no text layer (a scanned image: needs OCR)", "scanned", "第 3 页没有文字层（扫描图片），需先做文字识别（OCR）"),
    ("page 2: Doc_0/Pages/Page_1/Content.xml (named in Doc_0/Document.xml) is missing", "corrupt",
     "第 2 页：Doc_0/Document.xml 引用的 Doc_0/Pages/Page_1/Content.xml 不存在"),
    ("Doc_0/Document.xml is broken XML, read up to line 7 (Premature end of data)", "corrupt",
     "Doc_0/Document.xml 的 XML 已损坏，只读到第 7 行"),
    ("工作表 2（KeyError）", "corrupt", "工作表 2 已损坏，无法读取"),
    ("XFA form data: broken XML, read as far as it goes", "corrupt", "PDF 表单（XFA）的数据：XML 已损坏，只读取了损坏处之前的部分"),
    ("XFA form data: not read (over 16 MB, limit)", "too_large", "PDF 表单（XFA）的数据超过 16 MB 的上限，未读取"),
    ("embedded files: not read (12,345 characters, over the review's limit)", "too_large",
     "文档中嵌入的文件共 12,345 字，超过单篇审查上限，未检查：请用个人信息审计检查该文件"),
    # near-misses: a name holding " > " or ": " is kept whole; an unknown line is kept in brackets
    ("attachment a: b.xlsx: not read (over 50 attachments)", "too_large", "附件 a: b.xlsx 未读取（附件超过 50 个的上限）"),
    ("something else", "corrupt", "无法读取（something else）"),
])
def test_explain_unread(line, code, message):
    why = explain_unread(line)
    assert (why.code, why.message) == (code, message)


# ---- the inspector's words for the same reasons (scanner.site.skips: the scan summary's and the
# 通报's skip kinds): every reason a reader can raise in a scan has a kind there, of its code's family
# (a .pdf link answered with an HTML error page, "extension says PDF but the content is HTML", and
# a page over libxml2's 10 MB limit were 其他原因 in the report)
_KINDS_OF_CODE = {
    "corrupt": {"附件损坏或无法读取", "附件损坏或设有密码", "网页无法解析"},
    "encrypted": {"附件损坏或设有密码"},
    "too_large": {"页面或附件过大"}, "zip_bomb": {"页面或附件过大"},
    "empty": {"空文件"}, "scanned": {"附件为无文字层的扫描件"}, "encoding": {"文字编码无法识别"},
    "no_text": {"网页无正文"}, "binary": {"不支持的文件格式", "附件损坏或无法读取"},
    "unsupported": {"不支持的文件格式", "附件损坏或无法读取"}, "content_mismatch": {"附件损坏或无法读取"},
    "not_found": {"附件损坏或无法读取"},  # (unreadable (KeyError): what the scan says of a page that broke a reader)
}
# reasons no scan meets: a path on the command line, a folder, the mask's copy
_NOT_IN_SCANS = re.compile(r"^(?:no such file|is a directory|no reviewable files|empty path|cannot write the copy|"
                           r"cannot rewrite this XLSX|masking |file too large|standard input)")


@pytest.mark.parametrize("where, reason", [(w, r) for w, r in ALL if not _NOT_IN_SCANS.match(r)],
                         ids=[f"{w}:{r[:30]}" for w, r in ALL if not _NOT_IN_SCANS.match(r)])
def test_every_reason_has_the_inspectors_kind_of_its_code(where, reason):
    from scanner.site.skips import skip_reason_zh

    code = explain(reason).code
    assert skip_reason_zh(reason) in _KINDS_OF_CODE[code], (where, reason, code, skip_reason_zh(reason))
