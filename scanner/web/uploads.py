"""Uploaded files: read from a multipart form, named safely, checked by content.

The file's type is decided by its bytes (``scanner.extract.documents.sniff_format``:
ZIP/DOCX, PDF and OLE signatures, HTML markers) and must agree with its extension:
a PDF renamed ``.txt``, a text file renamed ``.docx`` or an image renamed ``.html``
is refused with 415 before any extraction runs.
"""
from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from ..extract.documents import sniff_format
from ..types import Source


class UploadRejected(Exception):
    """A request the API refuses: HTTP status, a short error code and a Chinese reason;
    ``reason_code``, where a file could not be read, says why in a stable word
    (``scanner.extract.reasons``: encrypted, scanned, corrupt, too_large ...)."""

    def __init__(self, status: int, error: str, detail: str, reason_code: str | None = None):
        super().__init__(detail)
        self.status = status
        self.error = error
        self.detail = detail
        self.reason_code = reason_code


@dataclass(frozen=True)
class Kinds:
    """Which extensions an endpoint accepts, and the sniffed formats each may hold."""

    by_suffix: dict[str, frozenset[str]]
    label: str  # for messages: ".txt、.html、.docx"
    hints: dict[str, str] = dataclasses.field(default_factory=dict)  # what to send instead of a refused suffix


_TEXTUAL = frozenset({"txt", "md", "html", "rtf", "mht"})  # (RTF, MHT: read with their tables, as a .doc)
# a password-protected DOCX/XLSX (an OLE file, whatever its name): taken, so the review or audit says
# it has a password (it was refused as "其他 OLE 文件（如 .ppt）或损坏的旧版 Office 文件")
_ENCRYPTED = "ole-encrypted"
_LEGACY_DOC = _TEXTUAL | {"doc", "docx", _ENCRYPTED}
_LEGACY_XLS = _TEXTUAL | {"xls", "xlsx", "csv", _ENCRYPTED}  # (a CMS's export to "Excel" is often an HTML table or text)
REVIEW_KINDS = Kinds(
    by_suffix={
        ".txt": _TEXTUAL, ".text": _TEXTUAL, ".md": _TEXTUAL, ".markdown": _TEXTUAL,
        ".html": _TEXTUAL, ".htm": _TEXTUAL, ".shtml": _TEXTUAL, ".xhtml": _TEXTUAL,
        ".docx": frozenset({"docx", _ENCRYPTED}),
        # Word 97-2003 / WPS, or what a CMS saves under that name (a DOCX, an HTML page)
        ".doc": _LEGACY_DOC, ".wps": _LEGACY_DOC,
        ".rtf": _LEGACY_DOC, ".mht": _LEGACY_DOC, ".mhtml": _LEGACY_DOC,  # (as `govscan review`/`privacy audit` read them)
    },
    label=".txt、.md、.html、.docx、.doc、.wps、.rtf、.mht",
    # an editor's PDF or OFD is the printed form of a draft: the review reads the draft itself
    hints={**dict.fromkeys((".pdf", ".ofd"), "：PDF、OFD 版式文件请上传其 Word、WPS 原稿或粘贴正文"),
           **dict.fromkeys((".xlsx", ".xls", ".et", ".csv"), "：表格中的个人信息请用个人信息审计检查（/api/privacy/audit）")},
)
PRIVACY_KINDS = Kinds(
    by_suffix={
        **REVIEW_KINDS.by_suffix,
        ".csv": _TEXTUAL | {"csv"},
        ".xlsx": frozenset({"xlsx", _ENCRYPTED}),
        ".xls": _LEGACY_XLS, ".et": _LEGACY_XLS,
        ".pdf": frozenset({"pdf"}),
        ".ofd": frozenset({"ofd"}),
    },
    label=".txt、.html、.csv、.docx、.xlsx、.doc、.xls、.wps、.et、.rtf、.mht、.pdf、.ofd",
)
MASK_KINDS = Kinds(
    by_suffix={k: v for k, v in PRIVACY_KINDS.by_suffix.items() if k not in (".pdf", ".ofd")},
    label=".txt、.html、.csv、.docx、.xlsx、.doc、.xls、.wps、.et、.rtf、.mht（.doc/.xls/.rtf/.mht 的脱敏副本为 .docx/.xlsx；PDF、OFD 只能审计，不能生成脱敏副本）",
)

# Signatures of files that are never drafts (images, archives, executables).
_BINARY_MAGIC = (
    (b"\x89PNG", "PNG 图片"), (b"\xff\xd8\xff", "JPEG 图片"), (b"GIF8", "GIF 图片"),
    (b"\x7fELF", "可执行文件"), (b"\x1f\x8b", "gzip 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"), (b"Rar!", "RAR 压缩包"),
)
_FORMAT_LABEL = {"ole-encrypted": "加密的 Office 文件", "pdf": "PDF", "ofd": "OFD", "ole": "其他 OLE 文件（如 .ppt）或损坏的旧版 Office 文件", "xls": "旧版 Excel（.xls/.et）", "doc": "旧版 Word（.doc/.wps）", "zip": "ZIP 压缩包", "docx": "DOCX",
                 "xlsx": "XLSX", "csv": "CSV", "txt": "纯文本", "md": "纯文本", "html": "HTML"}
_UNSAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def safe_name(filename: str | None) -> str:
    """The base name of an uploaded file, without directories or odd characters."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = _UNSAFE.sub("_", base).lstrip(".")[:120]
    return base or "upload"


def suffix_of(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def content_format(name: str, data: bytes) -> str:
    """The format by content: sniff_format, plus XLSX (a ZIP holding xl/workbook.xml) and
    ole-encrypted (a password-protected DOCX/XLSX)."""
    fmt = sniff_format(Source(name, data))
    if fmt == "ole":
        from ..extract.office import sniff

        return "ole-encrypted" if sniff(Source(name, data)) == "ole-encrypted" else fmt
    if fmt == "zip":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if "xl/workbook.xml" in zf.namelist():
                    return "xlsx"
        except zipfile.BadZipFile:
            pass
    return fmt


def check_upload(name: str, data: bytes, kinds: Kinds) -> str:
    """Return the sniffed format, or raise UploadRejected (415) naming the reason."""
    if not data:
        raise UploadRejected(400, "empty", f"{name}：文件为空")
    suffix = suffix_of(name)
    allowed = kinds.by_suffix.get(suffix)
    if allowed is None:
        shown = suffix or "（无扩展名）"
        raise UploadRejected(415, "unsupported_type",
                             f"{name}：不支持的文件类型 {shown}，只接受 {kinds.label}{kinds.hints.get(suffix, '')}")
    for magic, label in _BINARY_MAGIC:
        if data.startswith(magic):
            raise UploadRejected(415, "content_mismatch", f"{name}：内容是{label}，不是 {suffix} 文件")
    if data.startswith(b"MZ") and b"\x00" in data[:64]:
        raise UploadRejected(415, "content_mismatch", f"{name}：内容是可执行文件，不是 {suffix} 文件")
    fmt = content_format(name, data)
    if fmt not in allowed:
        raise UploadRejected(
            415, "content_mismatch",
            f"{name}：扩展名为 {suffix}，但内容是{_FORMAT_LABEL.get(fmt, fmt)}（按内容检查，不只看扩展名）",
        )
    return fmt


def charset_param(content_type: str) -> str | None:
    """The ``charset`` parameter of a Content-Type header, or None."""
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"\'')
    return None


def decode_body(data: bytes, charset: str | None, what: str) -> str:
    """Text sent in a request body or a form field: in ``charset`` when the client names one;
    else UTF-8, else GB18030 (what a form on a GBK page posts, with no charset said).  A
    byte-order mark (UTF-8, UTF-16, UTF-32) decides the encoding and is dropped.  Bytes that
    are not in the encoding are a 400 naming it."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                     (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):  # a byte-order mark says the encoding (.NET's Encoding.Unicode is UTF-16LE)
            data, charset = data[len(bom):], enc
            break
    if charset:
        try:
            codec = codecs.lookup(charset).name
        except LookupError:
            raise UploadRejected(400, "bad_encoding", f"{what}：不支持的字符集 {charset[:40]}") from None
        try:
            return data.decode(codec)
        except UnicodeDecodeError as exc:
            raise UploadRejected(400, "bad_encoding",
                                 f"{what}不是有效的 {charset[:40]} 编码（第 {exc.start} 字节起）") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise UploadRejected(400, "bad_encoding", f"{what}不是 UTF-8 或 GB18030 编码（第 {exc.start} 字节起）；"
                                                      "其他编码请在 Content-Type 中注明 charset") from None


def _field_text(value: str, charset: str | None) -> str:
    """A multipart field or file name as starlette decoded it: in the request's charset, else
    UTF-8, and Latin-1 where that failed.  Without a charset, such a Latin-1 fallback (bytes
    that are not UTF-8: a form on a GBK page) is decoded again as GB18030."""
    if charset:
        return value
    try:
        raw = value.encode("latin-1")
    except UnicodeEncodeError:
        return value  # a character above U+00FF: decoded as UTF-8 already
    try:
        raw.decode("utf-8")
        return value  # valid UTF-8 bytes would have been decoded as UTF-8: this is the text
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return value


@dataclass(frozen=True)
class PastedDraft:
    """Draft text sent as a form field (``text``, optional ``name``) rather than as a file."""

    text: str
    name: str
    format: str = "txt"  # "html": the text is HTML
    published: dt.date | None = None  # the draft's publication date (field ``published``): date rules judged at it


def form_draft(body: bytes, content_type: str) -> PastedDraft:
    """An ``application/x-www-form-urlencoded`` body with fields ``text`` (the draft) and
    ``name``: percent-decoded to bytes, then decoded in the charset of the Content-Type, or
    of a ``_charset_`` field (as browsers fill it in), else UTF-8, else GB18030."""
    from urllib.parse import parse_qsl

    try:
        pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True, encoding="latin-1", errors="strict")
    except ValueError:
        raise UploadRejected(400, "bad_form", "表单无法解析（application/x-www-form-urlencoded）") from None
    fields: dict[str, bytes] = {}
    for key, value in pairs:
        fields.setdefault(key, value.encode("latin-1"))
    charset = charset_param(content_type) or (fields.get("_charset_") or b"").decode("latin-1") or None
    if "text" not in fields:
        raise UploadRejected(400, "bad_form", "表单缺少字段 text（稿件正文）")
    text = decode_body(fields["text"], charset, "表单字段 text")
    name = decode_body(fields["name"], charset, "表单字段 name")[:200] if fields.get("name") else "-"
    return PastedDraft(text, name, _format_field(fields.get("format", b"txt").decode("latin-1")),
                       _published_field(fields.get("published", b"").decode("latin-1")))


def _format_field(value: str) -> str:
    if value.strip().lower() not in ("txt", "html", ""):
        raise UploadRejected(400, "bad_form", "表单字段 format 只能是 txt 或 html")
    return value.strip().lower() or "txt"


def _published_field(value: str) -> dt.date | None:
    """The form field ``published`` (YYYY-MM-DD), None when absent or empty."""
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UploadRejected(400, "bad_form", "表单字段 published 应为 YYYY-MM-DD 日期") from None


@dataclass(frozen=True)
class UploadedDraft:
    """A draft uploaded as a file to the review endpoint, with the form's ``published`` field
    (the draft's publication date; the field was dropped when it came with a file)."""

    source: Source
    format: str  # as sniffed by content
    published: dt.date | None = None
    name: str | None = None  # the form's name field: how the result names the draft (the file's name otherwise)


# starlette's messages for a form it cannot parse, told in Chinese (they reached the page in English)
_MULTIPART_PROBLEMS = [(re.compile(p), m) for p, m in (
    (r"^Too many files", "一次只能上传一个文件（字段 file）"),
    (r"^Too many fields\. Maximum number of fields is (?P<n>\d+)", "表单字段过多（最多 {n} 个）"),
    (r"^(?:Field|Part) exceeded maximum size of (?P<n>\d+)KB",
     "表单字段超过 {n} KB 的上限：长稿请作为文件（字段 file）上传"),
    (r'^The Content-Disposition header field "name" must be provided', "表单的一部分缺少字段名（Content-Disposition 的 name）"),
    (r"^Missing boundary", "Content-Type 缺少 boundary 参数"),
)]


def multipart_problem(message: str) -> str:
    """What is wrong with a multipart form, in Chinese: starlette's message (English) matched."""
    for pattern, text in _MULTIPART_PROBLEMS:
        m = pattern.search(message)
        if m:
            return text.format(**m.groupdict())
    return "multipart 数据格式不正确"


class _InMemoryMultiPartParser(MultiPartParser):
    """Keeps uploads in memory (the request body is already capped by BodySizeLimit), so an
    upload never spills into a temporary file outside the request's own directory."""

    spool_max_size = 2**31


async def read_upload(request: Request, kinds: Kinds, *,
                      text_field: bool = False) -> tuple[Source, str] | PastedDraft | UploadedDraft:
    """The single uploaded file of a multipart form (field ``file``), checked by content.
    With ``text_field`` (the review endpoint), a form without a file may send the draft as a
    field ``text`` (and ``name``), as an HTML form with a textarea does: a ``PastedDraft`` is
    returned; a file comes back as an ``UploadedDraft`` with the form's ``published`` field,
    and a form holding both a file and a non-empty ``text`` is refused (400: which to review?)."""
    content_type = request.headers.get("content-type", "")
    if "multipart/form-data" not in content_type.lower():
        raise UploadRejected(415, "unsupported_media_type", "请以 multipart/form-data 上传文件（字段 file）")
    parser = _InMemoryMultiPartParser(request.headers, request.stream(), max_files=1, max_fields=8)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise UploadRejected(400, "bad_form", f"上传表单无法解析：{multipart_problem(exc.message)}") from None
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            text = form.get("text")
            if text_field and isinstance(text, str):
                charset = charset_param(content_type)
                name = form.get("name")
                name = _field_text(name, charset)[:200] if isinstance(name, str) and name else "-"
                fmt = form.get("format")
                published = form.get("published")
                return PastedDraft(_field_text(text, charset), name, _format_field(fmt if isinstance(fmt, str) else "txt"),
                                   _published_field(published if isinstance(published, str) else ""))
            raise UploadRejected(400, "missing_file", "缺少上传文件（multipart 表单字段 file）")
        published = label = None
        if text_field:
            text = form.get("text")
            if isinstance(text, str) and text.strip():
                raise UploadRejected(400, "bad_form", "表单同时含有上传文件 file 和正文 text：一次只能审查一篇，请只提交其中之一")
            published = form.get("published")
            published = _published_field(published if isinstance(published, str) else "")
            label = form.get("name")  # (it was dropped: the result named the file's name, "blob" from a script)
            label = _field_text(label, charset_param(content_type))[:200] if isinstance(label, str) and label.strip() else None
        name = safe_name(_field_text(upload.filename or "", charset_param(content_type)))
        data = await upload.read()
    finally:
        await form.close()
    fmt = check_upload(name, data, kinds)
    if text_field:
        return UploadedDraft(Source(name, data), fmt, published, label)
    return Source(name, data), fmt
