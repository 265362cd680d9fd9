"""Why an input could not be read, told to the people who read the review page and the API.

The readers (``scanner.extract``, ``scanner.text.decode``, ``scanner.pipeline``,
``scanner.privacy``) raise ``InputError`` with a one-line English reason, which the CLI prints
as it is (its other messages are English too).  The review page and the HTTP API are Chinese:
``explain(reason)`` gives a stable machine code (the API's ``reason`` field, for a CMS to act
on) and the Chinese message shown to the editor, with the figures of the English reason (sizes,
limits, byte offsets) carried over and the technical parts (exception names, stream names) left
out.

Codes (stable; add, never rename):

====================  ======================================================================
``empty``             no text at all (an empty file, a DOCX of blank paragraphs)
``no_text``           an HTML page without readable text
``scanned``           a PDF or OFD of scanned images, without a text layer (needs OCR)
``encrypted``         a password-protected DOCX, XLSX, DOC, XLS or PDF
``corrupt``           a damaged or truncated file (or one with a password the reader cannot tell)
``too_large``         over one of the readers' size limits (pages, rows, characters, MB)
``zip_bomb``          a ZIP member (DOCX, XLSX) that inflates far beyond its size
``encoding``          text in an encoding that cannot be recognised, or damaged bytes
``binary``            binary data where text was expected
``unsupported``       a format the endpoint does not read (.ppt, Word 6.0, ODF; PDF in a review)
``content_mismatch``  the extension says one format, the content another
``not_found``         (CLI) no such file, a directory, an unreadable path
``unwritable``        (mask) the de-identified copy could not be written
``partial``           (audit) the file was read but parts of it were not (an attachment, a
                      page, an embedded workbook): each part is listed with its own code
``unreadable``        any other reason (the English reason is kept in brackets)
====================  ======================================================================

``explain_unread(line)`` tells one line of what an audit could not read inside a file
(``Extracted.meta["unread"]``: ``attachment 名单.xlsx: cannot be read (corrupt XLSX …)``,
``page 3: no text layer …``, ``a.pdf > attachment 照片.jpg: not read …``) the same way.

First match wins.  ``tests/test_extract_reasons.py`` checks that every reason the readers can
raise has its own entry here: a new English reason without one fails it.
"""
from __future__ import annotations

import dataclasses
import re

__all__ = ["Explained", "explain", "explain_unread", "CODES"]


@dataclasses.dataclass(frozen=True, slots=True)
class Explained:
    code: str  # stable machine code (see the table above)
    message: str  # Chinese, one line, without the input's name


_KIND = r"(?P<kind>[A-Za-z0-9]+)"
_N = r"(?P<n>[\d,]+)"
_LIMIT = r"(?P<limit>[\d,]+)"
_AGAIN = "请用 Office 或 WPS 打开后另存为新文件再试"

# (code, pattern, message): the message is formatted with the pattern's named groups.
_CATALOGUE: list[tuple[str, str, str]] = [
    # ---- empty, no text
    ("empty", r"^empty (?:file|DOCX|DOC|RTF|CSV|XLSX|XLS)\b", "文件没有文字内容"),
    ("empty", r"^empty path", "路径为空（变量未赋值？）：请指定文件、目录或用 - 表示标准输入"),
    ("empty", r"^no reviewable files", "目录中没有可审查的文件（.txt、.md、.html、.docx、.doc、.wps、.rtf、.mht）"),
    ("no_text", r"^HTML page without (?:readable main )?text", "网页没有可读的正文"),
    # ---- scanned images
    ("scanned", r"^no text layer \(scanned image (?P<kind>PDF|OFD)",
     "{kind} 没有文字层（扫描图片），无法检查文字：请上传原稿，或先做文字识别（OCR）"),
    ("scanned", r"^no text layer: the DOCX holds pictures only",
     "DOCX 文件只有图片、没有文字（扫描件？），无法检查文字：请上传文字稿，或先做文字识别（OCR）"),
    ("scanned", r"^no text layer", "没有文字层（扫描图片），无法检查文字：请上传原稿，或先做文字识别（OCR）"),
    # ---- passwords
    ("encrypted", r"^password-protected (?P<kind>PDF|DOC|XLS)\b", "{kind} 文件设有打开密码：请去掉密码后另存，再试"),
    ("encrypted", r"^password-protected",
     "文件设有打开密码（加密的 Word 或 Excel 文件）：请去掉密码后另存，再试"),
    ("corrupt", r"^corrupt or protected " + _KIND, "{kind} 文件已损坏或设有密码：" + _AGAIN),
    # ---- size limits (before "corrupt": "corrupt DOC" never says "limit")
    ("zip_bomb", r"^" + _KIND + r" member \S+ inflates (?P<ratio>[\d,]+)x",
     "{kind} 文件中的一个部分解压后膨胀 {ratio} 倍，疑似压缩炸弹，拒绝读取"),
    ("too_large", r"^" + _KIND + r" decompresses to (?P<n>\d+) MB, over the (?P<limit>\d+) MB limit",
     "{kind} 文件解压后 {n} MB，超过 {limit} MB 的上限"),
    ("too_large", r"^DOCX part \S+ is (?P<n>\d+) MB of XML, over the (?P<limit>\d+) MB limit",
     "DOCX 文件的一个部分有 {n} MB，超过单个部分 {limit} MB 的上限"),
    ("too_large", r"^" + _KIND + r" has more than " + _LIMIT + r" rows", "{kind} 超过 {limit} 行的上限"),
    ("too_large", r"^" + _KIND + r" holds more than " + _LIMIT + r" million characters",
     "{kind} 的文字超过 {limit} 百万字的上限"),
    ("too_large", r"^" + _KIND + r" holds more than " + _LIMIT + r" characters", "{kind} 的文字超过 {limit} 字的上限"),
    ("too_large", r"^DOC holds " + _N + r" characters, over the " + _LIMIT + r" limit",
     "DOC 文件有 {n} 字，超过 {limit} 字的上限"),
    ("too_large", r"^more than " + _LIMIT + r" cells", "表格超过 {limit} 个单元格的上限"),
    ("too_large", r"^a file and the files inside it over " + _LIMIT + r" cells",
     "文件及其中附带的文件合计超过 {limit} 个单元格的上限"),
    ("too_large", r"^a file and the files inside it over " + _LIMIT + r" characters",
     "文件及其中附带的文件合计超过 {limit} 字的上限"),
    ("too_large", r"^a drawing part \(\S+\) over (?P<limit>\d+) MB of XML",
     "工作表中的图形部分（文本框、图片）超过 {limit} MB 的上限"),
    ("too_large", r"^a chart part \(\S+\) over (?P<limit>\d+) MB of XML",
     "工作表中的图表部分超过 {limit} MB 的上限"),
    ("too_large", r"^DOC has " + _N + r" text pieces, over the " + _LIMIT + r" limit",
     "DOC 文件有 {n} 个文字片段，超过 {limit} 个的上限：" + _AGAIN),
    ("too_large", r"^PDF has " + _N + r" pages, over the " + _LIMIT + r" page limit", "PDF 有 {n} 页，超过 {limit} 页的上限"),
    ("too_large", r"^(?P<kind>PDF|OFD) text over the size limit", "{kind} 的文字超过上限"),
    ("too_large", r"^HTML holds a text or attribute over 10 MB", "网页中有单个元素的文字或属性超过 10 MB，无法完整读取"),
    ("too_large", r"^standard input too large \(over the limit of (?P<limit>\d+) MB\)", "标准输入超过 {limit} MB 的上限"),
    ("too_large", r"^file too large \((?P<n>\d+) MB, limit (?P<limit>\d+) MB\)", "文件 {n} MB，超过 {limit} MB 的上限"),
    # ---- formats not read
    ("unsupported", r"^DOCX saved as Strict Open XML",
     "DOCX 文件保存为“Strict Open XML 文档”格式，不支持：请在 Word 中另存为“Word 文档（*.docx）”"),
    ("unsupported", r"^Word 6\.0/95 document", "Word 6.0/95 格式的旧文档不支持：请在 Word 或 WPS 中另存为 .docx"),
    ("unsupported", r"^" + _KIND + r" is not supported by review",
     "发布前审查不读取 {kind} 文件：请上传稿件原稿（.docx、.doc、.wps、.txt、.html）；{kind} 文件可做个人信息审计"),
    ("unsupported", r"^unsupported file type \(a ZIP archive that is not a DOCX\)", "ZIP 压缩包不是 DOCX 文档，不支持"),
    ("unsupported", r"^PowerPoint 97-2003 presentation", "PowerPoint 97-2003 演示文稿（.ppt/.dps）不支持：请另存为 PDF"),
    ("unsupported", r"^Visio drawing", "Visio 绘图不支持"),
    ("unsupported", r"^Outlook message", "Outlook 邮件（.msg）不支持"),
    ("unsupported", r"^legacy Office file holding neither a workbook nor a Word document",
     "旧版 Office 文件既不是 Word 文档也不是 Excel 工作簿，不支持"),
    ("unsupported", r"^not a Word document", "旧版 Office 文件不是 Word 文档，不支持"),
    ("unsupported", r"^OpenDocument text \(\.odt\)", "OpenDocument 文本（.odt）不支持：请另存为 .docx 或 PDF"),
    ("unsupported", r"^OpenDocument spreadsheet \(\.ods\)", "OpenDocument 表格（.ods）不支持：请另存为 .xlsx"),
    ("unsupported", r"^OpenDocument presentation \(\.odp\)", "OpenDocument 演示文稿（.odp）不支持：请另存为 PDF"),
    ("unsupported", r"^PowerPoint presentation \(\.pptx\)", "PowerPoint 演示文稿（.pptx）不支持：请另存为 PDF"),
    ("unsupported", r"^Excel binary workbook \(\.xlsb\)", "Excel 二进制工作簿（.xlsb）不支持：请另存为 .xlsx"),
    ("unsupported", r"^not a readable document \(a ZIP archive that is not XLSX or DOCX\)",
     "ZIP 压缩包不是 XLSX 或 DOCX 文档，不支持"),
    ("corrupt", r"^not a readable document \(a corrupt ZIP archive\)", "ZIP 压缩包已损坏，无法读取"),
    ("binary", r"^not a readable document \(binary data\)", "文件是二进制数据，不是可读取的文档"),
    ("unsupported", r"^not a readable document", "不是可读取的文档"),
    ("unsupported", r"^[^:]+: not supported, save it as", "不支持该文件格式：请另存为 .docx、.xlsx 或 PDF"),
    ("unsupported", r"^masking OFD is not supported",
     "OFD 文件不能生成脱敏副本（字形来自内嵌字体，改写后仍可能显示原值，签章也会失效）：请对源文档（.docx/.wps）脱敏后重新导出 OFD"),
    ("unsupported", r"^masking " + _KIND + r" is not supported", "{kind} 文件不能生成脱敏副本（支持 txt、md、html、csv、xlsx、docx）"),
    ("content_mismatch", r"^extension says (?P<claimed>\w+) but the content is (?P<actual>\w+)",
     "扩展名表明是 {claimed}，但内容是 {actual}（按内容检查，不只看扩展名）"),
    # ---- damaged files
    ("corrupt", r"^not an OFD package", "不是 OFD 文件（缺少 OFD.xml）"),
    ("corrupt", r"^OFD without pages", "OFD 文件没有页面"),
    ("corrupt", r"^no page could be read", "OFD 文件的页面都无法读取"),
    ("corrupt", r"^unreadable OFD\b", "OFD 文件已损坏，无法读取"),
    ("corrupt", r"^corrupt or truncated legacy Office file", "旧版 Office 文件已损坏或不完整：" + _AGAIN),
    ("corrupt", r"^corrupt RTF \(groups nested too deep\)", "RTF 文件嵌套层数过多，已损坏或不是正常的 RTF：" + _AGAIN),
    ("corrupt", r"^corrupt " + _KIND + r" \(.*(?:truncated|cut short)", "{kind} 文件不完整（可能未传完或已截断）：" + _AGAIN),
    ("corrupt", r"^corrupt " + _KIND + r"\b", "{kind} 文件已损坏：" + _AGAIN),
    ("corrupt", r"^unparseable HTML", "网页无法解析"),
    # ---- text
    ("encoding", r"^invalid (?P<enc>[\w-]+) after its byte-order mark at byte (?P<at>\d+)",
     "文件开头的字节序标记表明是 {enc} 编码，但从第 {at} 字节起不是有效的 {enc}"),
    ("encoding", r"^unknown text encoding[^;]*; UTF-8 but for (?P<bad>\d+) invalid bytes?, the first at byte (?P<at>\d+)",
     "文件基本是 UTF-8 编码，但有 {bad} 个无效字节（第一个在第 {at} 字节），文件可能已损坏：请另存为 UTF-8 后再试"),
    ("encoding", r"^unknown text encoding", "无法识别文字编码（不是 UTF-8、UTF-16、GB18030 或 Big5）：请另存为 UTF-8 后再试"),
    ("binary", r"^binary file, not text", "文件是二进制数据，不是文本"),
    # ---- paths (CLI), copies (mask)
    ("not_found", r"^no such file", "文件不存在"),
    ("not_found", r"^is a directory", "是一个目录，不是文件"),
    ("not_found", r"^unreadable \(", "文件无法读取（权限不足或设备错误）"),
    ("unwritable", r"^cannot write the copy", "无法写入脱敏副本"),
    ("unwritable", r"^cannot rewrite this XLSX", "XLSX 文件有损坏的部分，无法改写：请在 Excel 或 WPS 中打开并另存后再脱敏"),
]
CATALOGUE: list[tuple[str, re.Pattern, str]] = [(code, re.compile(p), m) for code, p, m in _CATALOGUE]
CODES = frozenset(code for code, _p, _m in _CATALOGUE) | {"unreadable", "partial"}
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


_IMPORTED = re.compile(r"^an imported part \((?P<name>[^)]*)\) cannot be read: (?P<rest>.*)$", re.S)


def explain(reason: str) -> Explained:
    """The code and Chinese message of an input's English reason.  A reason already in Chinese
    (a length limit) is kept; one the catalogue lacks is ``unreadable`` with the reason in
    brackets (never dropped: it is what a maintainer needs).  A part of a DOCX imported from
    another file (w:altChunk) is told with its own reason."""
    reason = (reason or "").strip()
    m = _IMPORTED.match(reason)
    if m:
        if m.group("rest") == "nested too deep":
            return Explained("corrupt", f"文档中导入的内容（{m.group('name')}）嵌套层数过多，无法读取")
        inner = explain(m.group("rest"))
        return Explained(inner.code if inner.code != "unreadable" else "corrupt",
                         f"文档中导入的内容（{m.group('name')}）无法读取：{inner.message}")
    for code, pattern, message in CATALOGUE:
        m = pattern.search(reason)
        if m:
            return Explained(code, message.format(**m.groupdict()))
    if _CHINESE.search(reason):
        return Explained("unreadable", reason)
    return Explained("unreadable", f"无法读取（{reason}）" if reason else "无法读取")


# ---- what an audit could not read inside a file (``meta["unread"]``, one line each)
_WHAT = {"attachment": "附件", "embedded file": "嵌入文件"}
_PART_LINE = re.compile(r"^(?P<what>attachment|embedded file) (?P<name>.+?): (?P<rest>.+)$", re.S)
# (the longest name before a reason the audit writes: a name may hold ": ")
_PART_LINE_NAMED = re.compile(r"^(?P<what>attachment|embedded file) (?P<name>.+): (?P<rest>(?:not read|cannot be read) \(.*\)|over [\d,]+ MB)$", re.S)
_EXCEPTION = re.compile(r"^[A-Z]\w*$")  # a Python exception's name (BadZipFile, KeyError …)
# (code, pattern, message) of why a part was not read; the message is formatted with the groups
_NOT_READ: list[tuple[str, re.Pattern, str]] = [(c, re.compile(p), m) for c, p, m in [
    ("unsupported", r"^not read \(the audit reads (?P<kinds>[^)]*)\)$", "未读取（审计只读取 {kinds} 文件）"),
    ("too_large", r"^not read \(files inside files are read (?P<n>\d+) levels deep\)$",
     "未读取（文件中的文件只读取 {n} 层）"),
    ("too_large", r"^not read \(over (?P<n>[\d,]+) attachments\)$", "未读取（附件超过 {n} 个的上限）"),
    ("too_large", r"^not read \(over (?P<n>[\d,]+) files inside the file in all \(limit\)\)$",
     "未读取（文件中的文件合计超过 {n} 个的上限）"),
    ("too_large", r"^not read \(the files inside the file over (?P<n>[\d,]+) MB in all \(limit\)\)$",
     "未读取（文件中的文件合计超过 {n} MB 的上限）"),
    ("too_large", r"^not read \(attached files over (?P<n>[\d,]+) MB in all: limit\)$", "未读取（附件合计超过 {n} MB 的上限）"),
    ("too_large", r"^over (?P<n>[\d,]+) MB$", "超过单个附件 {n} MB 的上限，未读取"),
]]
# an OFD's part that could not be read (its _PartError): the member's path is kept, it names the part
_OFD_PART: list[tuple[str, re.Pattern, str]] = [(c, re.compile(p, re.S), m) for c, p, m in [
    ("corrupt", r"^(?P<path>.+?) names an empty location$", "{path} 引用的位置为空"),
    ("corrupt", r"^(?P<loc>.+?) \(named in (?P<path>.+)\) is missing$", "{path} 引用的 {loc} 不存在"),
    ("corrupt", r"^(?P<path>.+?) cannot be read \((?P<exc>\w+)\)$", "{path} 已损坏，无法读取"),
    ("too_large", r"^(?P<path>.+?): over (?P<n>\d+) MB of XML in one part \(limit\)$", "{path} 超过单个部分 {n} MB 的上限"),
    ("corrupt", r"^(?P<path>.+?) is empty or not XML$", "{path} 为空或不是 XML"),
    ("corrupt", r"^(?P<path>.+?) declares a DTD", "{path} 声明了 DTD（OFD 中不允许实体），未读取"),
    ("corrupt", r"^(?P<path>.+?) is broken XML, read up to line (?P<line>\d+)", "{path} 的 XML 已损坏，只读到第 {line} 行"),
    ("too_large", r"^over (?P<n>[\d,]+) characters on one page \(limit\)$", "单页超过 {n} 字的上限"),
    ("too_large", r"^over (?P<n>[\d,]+) pages \(limit\)$", "超过 {n} 页的上限"),
    ("corrupt", r"^(?P<path>.+?) names no document \((?P<what>[^)]*)\)$", "{path} 中没有文档（{what}）"),
    ("too_large", r"^(?P<path>.+?): over (?P<n>[\d,]+) characters of annotations \(limit\)$", "{path} 的批注超过 {n} 字的上限"),
    ("scanned", r"^no text layer \(a scanned image: needs OCR\)$", "没有文字层（扫描图片），需先做文字识别（OCR）"),
    ("corrupt", r"^page not read$", "未读取"),
]]
_SCOPES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^page (?P<n>\d+) annotations: (?P<rest>.+)$", re.S), "第 {n} 页的批注"),
    (re.compile(r"^page (?P<n>\d+): (?P<rest>.+)$", re.S), "第 {n} 页"),
    (re.compile(r"^template (?P<n>.+?): (?P<rest>.+)$", re.S), "模板页 {n}"),
    (re.compile(r"^annotations: (?P<rest>.+)$", re.S), "批注"),
    (re.compile(r"^attachments: (?P<rest>.+)$", re.S), "附件列表"),
    (re.compile(r"^XFA form data: (?P<rest>.+)$", re.S), "PDF 表单（XFA）的数据"),
]


def _part(rest: str) -> Explained:
    """Why an OFD's part (or a PDF's list of attachments) was not read."""
    m = re.match(r"^cannot be read \((?P<exc>\w+)\)$", rest)
    if m:
        return Explained("corrupt", "已损坏，无法读取")
    m = re.match(r"^not read \(over (?P<n>[\d,]+) MB, limit\)$", rest)
    if m:
        return Explained("too_large", f"超过 {m.group('n')} MB 的上限，未读取")
    if rest.startswith("broken XML, read as far as it goes"):
        return Explained("corrupt", "XML 已损坏，只读取了损坏处之前的部分")
    m = re.match(r"^those after the first (?P<n>[\d,]+) not read", rest)
    if m:
        return Explained("too_large", f"超过 {m.group('n')} 个，其后的未读取")
    for code, pattern, message in _OFD_PART:
        m = pattern.search(rest)
        if m:
            return Explained(code, message.format(**m.groupdict()))
    why = explain(rest)
    return why if why.code != "unreadable" or _CHINESE.search(rest) else Explained("corrupt", f"无法读取（{rest}）")


def explain_unread(line: str) -> Explained:
    """The code and Chinese message of one line of what an audit could not read inside a file
    (``Extracted.meta["unread"]``), the part's name kept: ``attachment 名单.xlsx: cannot be read
    (corrupt XLSX (…))`` -> 附件 名单.xlsx 无法读取：XLSX 文件已损坏：…; ``a.pdf > attachment
    照片.jpg: not read (…)`` -> a.pdf 中的附件 照片.jpg 未读取（…）; ``page 3: no text layer …`` ->
    第 3 页没有文字层….  The CLI prints the lines as they are (English)."""
    line = (line or "").strip()
    outer, sep, inner = line.partition(" > ")
    if sep and not _PART_LINE.match(outer) and not any(p.match(outer) for p, _s in _SCOPES):
        why = explain_unread(inner)  # (what a file inside the file could not read itself)
        space = "" if _CHINESE.match(why.message) else " "
        return Explained(why.code, f"{outer} 中的{space}{why.message}")
    m = _PART_LINE_NAMED.match(line) or _PART_LINE.match(line)
    if m:
        what, name, rest = _WHAT[m.group("what")], m.group("name"), m.group("rest")
        for code, pattern, message in _NOT_READ:
            r = pattern.match(rest)
            if r:
                return Explained(code, f"{what} {name} " + message.format(**r.groupdict()))
        r = re.match(r"^(?P<how>not read|cannot be read) \((?P<why>.*)\)$", rest, re.S)
        if r and _EXCEPTION.match(r.group("why")):
            return Explained("corrupt", f"{what} {name} 已损坏，无法读取")
        if r:
            why = explain(r.group("why"))
            verb = "未读取" if r.group("how") == "not read" else "无法读取"
            return Explained(why.code, f"{what} {name} {verb}：{why.message}")
        why = _part(rest)
        return Explained(why.code, f"{what} {name}：{why.message}")
    m = re.match(r"^embedded files: not read \((?P<n>[\d,]+) characters, over the review's limit\)$", line)
    if m:  # (govscan review: embedded files that would take the draft past [review] max_chars)
        return Explained("too_large", f"文档中嵌入的文件共 {m.group('n')} 字，超过单篇审查上限，未检查：请用个人信息审计检查该文件")
    m = re.match(r"^embedded files: (?P<n>[\d,]+) not read \(over (?P<limit>[\d,]+) embedded workbooks\)$", line)
    if m:
        return Explained("too_large", f"另有 {m.group('n')} 个嵌入文件未读取（嵌入的工作簿超过 {m.group('limit')} 个的上限）")
    m = re.match(r"^工作表 (?P<n>\d+)（\w+）$", line)  # (a legacy workbook's sheet: the exception's name left out)
    if m:
        return Explained("corrupt", f"工作表 {m.group('n')} 已损坏，无法读取")
    for pattern, scope in _SCOPES:
        m = pattern.match(line)
        if m:
            why = _part(m.group("rest"))
            sep = "" if why.message.startswith(("没有", "超过")) else "："
            return Explained(why.code, scope.format(**m.groupdict()) + sep + why.message)
    why = _part(line)
    return why
