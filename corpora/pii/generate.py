"""Labelled generator of realistic 公示 documents for the PII benchmarks and tests.

Every document is synthetic (seeded, reproducible): checksum-valid resident IDs (some
15-digit, some with a region code missing from the current GB/T 2260 table, some with
spaces, full-width digits or a lower-case x), valid mobile segments, Luhn-valid
UnionPay cards, landlines, e-mails, passports, detailed addresses, names in tables,
enumerations and the 任前公示 paragraph form; masked variants of each; and the hard
negatives that must never be flagged (统一社会信用代码 with a valid GB 32100 check,
文号, 网站标识码, ICP and 公安备案号, order and tender numbers, hotlines, 400 numbers,
postcodes, dates, amounts, village-level addresses, agency lines).

A document is a list of parts (paragraphs, one table, footer lines); each part carries
its gold labels ``(entity, value, masked)``, and each renderer (txt, html, csv, xlsx,
docx, pdf) returns the bytes and the gold labels of the parts it contains.

    python -m corpora.pii.generate OUT_DIR --docs 20 --seed 7
"""
from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import random
import sys
from pathlib import Path

from scanner.checks.pii.cn_bank_card import luhn_ok
from scanner.checks.pii.cn_resident_id import id_check_char
from scanner.checks.pii.cn_uscc import ALPHABET, uscc_check_char
from scanner.checks.pii.common import region_codes

FORMATS = ("txt", "html", "csv", "xlsx", "docx", "pdf", "xls", "doc", "ofd")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
COMPOUND = ["欧阳", "司马", "上官", "诸葛", "东方"]
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰德文斌海燕春梅鹏飞宇浩晨欣怡子涵梓轩思雨佳琪俊凯雪婷丹林峰辉波亮琳晓东雅婕"
ROADS = ["体育西路", "中山大道", "人民北路", "解放南路", "建设六马路", "环市东路", "东风中路", "江南大道", "滨江西路", "新港中路"]
ESTATES = ["锦绣花园", "翠苑小区", "阳光家园", "丽江新村", "金沙公寓", "碧桂园"]
VILLAGES = ["石井镇大朗村", "太平镇水口村", "大沥镇黄岐村", "龙山镇白石村"]
FILLER = [
    "根据《广东省政务公开工作要点》和有关规定，为进一步做好政务公开工作，主动接受社会监督，现将有关情况予以公示。",
    "公示期间，任何单位和个人如对公示对象有异议，可通过来信、来电或来访等方式向我局反映，反映情况应当实事求是、客观公正。",
    "以个人名义反映情况的，应当签署或告知本人真实姓名；以单位名义反映情况的，应当加盖单位公章。",
    "我局将严格按照有关规定对反映的问题进行调查核实，并对反映人的有关情况予以保密。",
    "本次评审工作坚持公开、公平、公正的原则，经个人申报、单位推荐、资格审查、专家评审等程序，确定了拟入选名单。",
    "补贴资金由财政部门按照国库集中支付有关规定直接发放至申请人本人社会保障卡银行账户。",
    "各镇（街道）要高度重视，认真组织实施，确保各项惠民政策落到实处，切实保障群众合法权益。",
    "公示结束后，如无异议，将按程序办理相关手续；如有异议，经调查核实后视情况作出处理。",
    "对公示内容有异议的，请于公示期内以书面形式实名反映，匿名或超出公示期限的反映原则上不予受理。",
    "此次公示的信息已经相关部门审核，申请人对所提交材料的真实性负责，如有弄虚作假的，一经查实取消资格。",
]
AGENCIES = ["广州市天河区人力资源和社会保障局", "云浮市自然资源局", "佛山市南海区民政局", "韶关市教育局", "江门市卫生健康局"]


@dataclasses.dataclass
class Part:
    kind: str  # "para", "table", "footer"
    lines: list = dataclasses.field(default_factory=list)  # paragraphs: str; table: rows (list[str])
    gold: list = dataclasses.field(default_factory=list)  # (entity, value, masked)


@dataclasses.dataclass
class GenDoc:
    title: str
    parts: list

    def gold(self, fmt: str) -> list:
        out = []
        for p in self.parts:
            if fmt == "csv" and p.kind != "table":
                continue
            out.extend(p.gold)
        return out


class Faker:
    """Synthetic personal values (seeded)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        codes = sorted(c for c in region_codes() if not c.endswith("00"))
        self.counties = [c for c in codes if c[:2] in ("44", "11", "31", "43", "45", "51", "36", "35")]
        known = set(region_codes())
        # retired / re-districted county codes: valid province, not in the 2023 table
        self.retired = [c for c in (f"44{m:02d}{k:02d}" for m in range(1, 21) for k in range(81, 99)) if c not in known][:40]

    def name(self) -> str:
        r = self.rng
        if r.random() < 0.04:
            sur = r.choice(COMPOUND)
        else:
            sur = r.choice(SURNAMES)
        return sur + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2, 2))))

    def masked_name(self, name: str) -> str:
        r = self.rng
        sur = name[:2] if name[:2] in COMPOUND else name[:1]
        style = r.choice(["*", "**", "某", "某某", "*x"])
        if style == "*x" and len(name) - len(sur) == 2:
            return sur + "*" + name[-1]
        if style == "*x":
            style = "*"
        return sur + (style if style in ("某", "某某") else "*" * (len(name) - len(sur)))

    def birth(self):
        r = self.rng
        return r.randint(1950, 2005), r.randint(1, 12), r.randint(1, 28)

    def resident_id(self, legacy: bool = False, retired: bool = False) -> str:
        r = self.rng
        region = r.choice(self.retired if retired else self.counties)
        y, m, d = self.birth()
        seq = f"{r.randint(0, 999):03d}"
        if legacy:
            return f"{region}{y % 100:02d}{m:02d}{d:02d}{seq}"
        first17 = f"{region}{y:04d}{m:02d}{d:02d}{seq}"
        return first17 + id_check_char(first17)

    def mobile(self) -> str:
        r = self.rng
        seg = r.choice(["13", "15", "18", "17", "19"]) + str(r.randint(0, 9))
        if seg in ("154", "194", "179"):
            seg = "138"
        return seg + "".join(str(r.randint(0, 9)) for _ in range(8))

    def card(self) -> str:
        r = self.rng
        n = r.choice((16, 19))
        body = r.choice(["622202", "622848", "621700", "622588", "623058"]) + "".join(str(r.randint(0, 9)) for _ in range(n - 7))
        for d in "0123456789":
            if luhn_ok(body + d):
                return body + d
        raise AssertionError

    def landline(self) -> str:
        r = self.rng
        area = r.choice(["020", "0755", "0757", "0751", "0766", "010"])
        local = str(r.randint(2, 8)) + "".join(str(r.randint(0, 9)) for _ in range(7 if area in ("020", "010") or r.random() < 0.5 else 6))
        return f"{area}-{local}"

    def email(self) -> str:
        r = self.rng
        user = "".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(r.randint(4, 9))) + str(r.randint(1, 999))
        return user + "@" + r.choice(["qq.com", "163.com", "126.com", "sina.com", "gmail.com"])

    def passport(self) -> str:
        r = self.rng
        if r.random() < 0.5:
            return "E" + "".join(str(r.randint(0, 9)) for _ in range(8))
        return "E" + r.choice("ABCDEFGH") + "".join(str(r.randint(0, 9)) for _ in range(7))

    def address(self) -> str:
        r = self.rng
        city = r.choice(["广州市天河区", "深圳市南山区", "佛山市南海区", "云浮市云城区", "韶关市浈江区"])
        if r.random() < 0.5:
            return f"{city}{r.choice(ROADS)}{r.randint(1, 300)}号{r.choice(ESTATES)}{r.randint(1, 30)}栋{r.randint(1, 4)}单元{r.randint(1, 33)}{r.randint(1, 4):02d}室"
        return f"{city}{r.choice(ROADS)}{r.randint(1, 300)}号{r.randint(1, 20)}{r.choice(['栋', '座', '号楼'])}{r.randint(1, 30)}{r.randint(1, 8):02d}{r.choice(['室', '房'])}"

    def uscc(self) -> str:
        r = self.rng
        first = "91" + r.choice(self.counties) + "".join(r.choice(ALPHABET[:10] + "ABCDEFGH") for _ in range(9))
        return first + uscc_check_char(first)

    def digits(self, n: int) -> str:
        return str(self.rng.randint(1, 9)) + "".join(str(self.rng.randint(0, 9)) for _ in range(n - 1))


def mask_id(v: str, rng) -> str:
    if rng.random() < 0.5:
        return v[:6] + "*" * (len(v) - 10) + v[-4:]
    return v[:4] + "*" * (len(v) - 8) + v[-4:]


def mask_card(v: str, rng) -> str:
    if rng.random() < 0.5:
        return v[:4] + " **** **** " + v[-4:]
    return v[:6] + "*" * (len(v) - 10) + v[-4:]


def fmt_id(v: str, rng) -> str:
    x = rng.random()
    if x < 0.08 and len(v) == 18:
        return f"{v[:6]} {v[6:14]} {v[14:]}"
    if x < 0.14 and v.endswith("X"):
        return v[:-1] + "x"
    return v


def fmt_mobile(v: str, rng) -> str:
    x = rng.random()
    if x < 0.1:
        return f"{v[:3]}-{v[3:7]}-{v[7:]}"
    if x < 0.18:
        return f"{v[:3]} {v[3:7]} {v[7:]}"
    if x < 0.24:
        return "+86 " + v
    return v


def fmt_card(v: str, rng) -> str:
    if rng.random() < 0.4:
        return " ".join(v[i:i + 4] for i in range(0, len(v), 4))
    return v


def _hard_negative_lines(f: Faker, agency: str) -> list[str]:
    r = f.rng
    lines = [
        f"发布机构：{agency}　统一社会信用代码：{f.uscc()}",
        f"文号：粤{r.choice(['府办', '人社发', '民发', '自然资发'])}〔{r.randint(2019, 2023)}〕{r.randint(1, 150)}号　发布日期：{r.randint(2019, 2023)}年{r.randint(1, 12)}月{r.randint(1, 28)}日",
        f"项目编号：GZ{r.randint(2019, 2023)}-{f.digits(8)}　订单号：{f.digits(18)}　招标编号：{r.randint(2019, 2023)}0{f.digits(13)}",
        f"补贴金额合计：{r.randint(10, 999)},{r.randint(100, 999)}.{r.randint(10, 99)}元，政务服务便民热线12345，服务热线400-{f.digits(3)}-{f.digits(4)}，邮政编码：5{f.digits(5)}。",
        f"如有疑问请拨打咨询电话：{f.landline()}，监督电话：{f.landline()}。",
    ]
    return lines


def _footer_lines(f: Faker, agency: str) -> list[str]:
    r = f.rng
    return [
        f"主办单位：{agency}　网站标识码：44{f.digits(8)}",
        f"粤ICP备{f.digits(8)}号-{r.randint(1, 3)}　粤公网安备 44{f.digits(12)}号",
    ]


def make_doc(f: Faker, kind: str | None = None, masked_ratio: float = 0.3) -> GenDoc:
    """One 公示 document with its gold labels."""
    r = f.rng
    agency = r.choice(AGENCIES)
    kind = kind or r.choice(["subsidy", "hire", "renqian", "contact"])
    parts: list[Part] = []
    year = r.randint(2019, 2023)
    if kind == "subsidy":
        title = f"关于{year}年度{r.choice(['高龄津贴', '困难群众临时救助', '耕地地力保护补贴', '就业创业补贴'])}发放名单的公示"
    elif kind == "hire":
        title = f"{agency}{year}年公开招聘工作人员拟聘用人员名单公示"
    elif kind == "renqian":
        title = f"{agency}干部任前公示"
    else:
        title = f"{agency}关于{r.choice(['办理', '受理'])}{r.choice(['申请', '投诉'])}事项的情况通报"
    parts.append(Part("para", [title]))
    parts.append(Part("para", [r.choice(FILLER)]))
    all_masked = r.random() < masked_ratio
    if kind in ("subsidy", "hire"):
        cols = ["序号", "姓名", "性别"]
        extra = r.sample(["身份证号码", "联系电话", "家庭住址", "银行卡号", "护照号码", "电子邮箱", "家庭电话"], k=r.randint(2, 4))
        cols += extra + (["补贴金额（元）"] if kind == "subsidy" else ["报考岗位"])
        table = Part("table", [cols])
        for i in range(r.randint(8, 22)):
            name = f.name()
            row = [str(i + 1)]
            masked = all_masked or r.random() < 0.1
            if masked:
                shown = f.masked_name(name)
                table.gold.append(("PERSON", shown, True))
            else:
                shown = name if len(name) != 2 or r.random() < 0.7 else name[0] + "\u3000" + name[1]
                table.gold.append(("PERSON", shown, False))
            row += [shown, r.choice("男女")]
            for col in extra:
                masked = all_masked or r.random() < 0.1
                if col == "身份证号码":
                    v = f.resident_id(legacy=r.random() < 0.05, retired=r.random() < 0.08)
                    v = mask_id(v, r) if masked and len(v) == 18 else fmt_id(v, r)
                    table.gold.append(("CN_RESIDENT_ID", v, masked and "*" in v))
                elif col == "联系电话":
                    v = f.mobile()
                    v = v[:3] + "****" + v[-4:] if masked else fmt_mobile(v, r)
                    table.gold.append(("CN_MOBILE", v, masked))
                elif col == "家庭住址":
                    if r.random() < 0.2:
                        v = r.choice(VILLAGES)  # village level: not detailed
                    else:
                        v = f.address()
                        if masked:
                            v = "".join("*" if ch.isdigit() else ch for ch in v)
                        table.gold.append(("CN_ADDRESS", v, masked))
                elif col == "银行卡号":
                    v = f.card()
                    v = mask_card(v, r) if masked else fmt_card(v, r)
                    table.gold.append(("CN_BANK_CARD", v, masked))
                elif col == "护照号码":
                    v = f.passport()
                    if masked:
                        v = v[0] + "*" * (len(v) - 4) + v[-3:]
                    table.gold.append(("CN_PASSPORT", v, masked))
                elif col == "电子邮箱":
                    v = f.email()
                    if masked:
                        v = v[0] + "***" + v[v.index("@"):]
                    table.gold.append(("EMAIL", v, masked))
                elif col == "家庭电话":
                    v = f.landline()
                    if masked:
                        v = v[:-4] + "****"
                    table.gold.append(("CN_LANDLINE", v, masked))
                row.append(v)
            row.append(str(r.randint(100, 3000)) if kind == "subsidy" else r.choice(["综合管理岗", "专业技术岗", "财务岗"]))
            table.lines.append(row)
        parts.append(table)
        # an enumeration paragraph
        names = [f.name() for _ in range(r.randint(3, 6))]
        enum = Part("para", [f"{r.choice(['拟录用人员名单', '获奖人员名单', '递补人员名单'])}：{'、'.join(names)}。"])
        enum.gold = [("PERSON", n, False) for n in names]
        parts.append(enum)
    elif kind == "renqian":
        parts.append(Part("para", ["根据干部选拔任用有关规定，经研究，拟任用以下同志，现予以公示："]))
        for _ in range(r.randint(2, 5)):
            name = f.name()
            y, m, _d = f.birth()
            p = Part("para", [f"{name}，{r.choice('男女')}，汉族，{y}年{m}月生，{r.choice(['大学', '研究生'])}学历，中共党员，现任{agency}{r.choice(['办公室主任', '科长', '副局长'])}，拟任{r.choice(['副局长', '二级调研员', '局长'])}。"])
            p.gold = [("PERSON", name, False)]
            parts.append(p)
    else:
        name, mobile = f.name(), f.mobile()
        masked = all_masked
        shown_m = mobile[:3] + "****" + mobile[-4:] if masked else fmt_mobile(mobile, r)
        p = Part("para", [f"经查，投诉人反映的问题属实。联系人：{name}，联系电话：{shown_m}。"])
        p.gold = [("PERSON", name, False), ("CN_MOBILE", shown_m, masked)]
        parts.append(p)
        addr = f.address()
        shown_a = "".join("*" if ch.isdigit() else ch for ch in addr) if masked else addr
        p = Part("para", [f"当事人家住{shown_a}，已于{year}年{r.randint(1, 12)}月办结。"])
        p.gold = [("CN_ADDRESS", shown_a, masked)]
        parts.append(p)
        others = [f.masked_name(f.name()) for _ in range(2)]
        p = Part("para", [f"另据核实，{others[0]}、{others[1]}等人已收到退还款项。"])
        p.gold = [("PERSON", o, True) for o in others]
        parts.append(p)
    # filler to about 2,000 characters, hard negatives, footer
    hard = Part("para", _hard_negative_lines(f, agency))
    for line in hard.lines:
        if "咨询电话" in line:
            for seg in line.replace("。", "").split("，"):
                hard.gold.append(("CN_LANDLINE", seg.split("：")[1], False))
    parts.append(hard)
    size = sum(len(x) if isinstance(x, str) else sum(len(c) + 1 for c in x) for p in parts for x in p.lines)
    while size < 1800:
        s = r.choice(FILLER)
        parts.insert(2, Part("para", [s]))
        size += len(s)
    parts.append(Part("para", [f"{agency}", f"{year}年{r.randint(1, 12)}月{r.randint(1, 28)}日"]))
    parts.append(Part("footer", _footer_lines(f, agency)))
    return GenDoc(title, parts)


# ---------------------------------------------------------------- renderers

def render_txt(doc: GenDoc) -> bytes:
    lines = []
    for p in doc.parts:
        if p.kind == "table":
            lines.extend("\t".join(row) for row in p.lines)
        else:
            lines.extend(p.lines)
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_html(doc: GenDoc) -> bytes:
    out = ["<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>", html.escape(doc.title), "</title></head><body>"]
    out.append("<div class=\"header\">首页 &gt; 政务公开 &gt; 公示公告</div><div class=\"content\">")
    for p in doc.parts:
        if p.kind == "table":
            out.append("<table border=\"1\">")
            for i, row in enumerate(p.lines):
                tag = "th" if i == 0 else "td"
                out.append("<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in row) + "</tr>")
            out.append("</table>")
        elif p.kind == "footer":
            out.append("</div><div class=\"footer\">" + "".join(f"<p>{html.escape(x)}</p>" for x in p.lines))
        else:
            out.extend(f"<p>{html.escape(x)}</p>" for x in p.lines)
    out.append("</div></body></html>")
    return "\n".join(out).encode("utf-8")


def render_csv(doc: GenDoc) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for p in doc.parts:
        if p.kind == "table":
            for row in p.lines:
                w.writerow(row)
    if not buf.getvalue():
        w.writerow(["标题"])
        w.writerow([doc.title])
    return buf.getvalue().encode("utf-8")


def render_xlsx(doc: GenDoc, hidden_sheet: bool = False) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "公示名单"
    for p in doc.parts:
        if p.kind == "table":
            for row in p.lines:
                ws.append(row)
        else:
            for x in p.lines:
                ws.append([x])
    if hidden_sheet:
        hs = wb.create_sheet("备份")
        hs.sheet_state = "hidden"
        hs.append(["说明"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def render_docx(doc: GenDoc) -> bytes:
    import docx

    d = docx.Document()
    for p in doc.parts:
        if p.kind == "table":
            t = d.add_table(rows=0, cols=len(p.lines[0]))
            for row in p.lines:
                cells = t.add_row().cells
                for c, value in enumerate(row):
                    cells[c].text = value
        else:
            for x in p.lines:
                d.add_paragraph(x)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def render_pdf(doc: GenDoc) -> bytes:
    from .pdfwriter import write_pdf

    lines = []
    for p in doc.parts:
        if p.kind == "table":
            lines.extend("   ".join(c.replace(" ", "") if i else c for i, c in enumerate(row)) for row in p.lines)
        else:
            lines.extend(p.lines)
    pages = [lines[i:i + 45] for i in range(0, len(lines), 45)]
    return write_pdf(pages)


def render_xls(doc: GenDoc) -> bytes:
    """As ``render_xlsx``, an Excel 97-2003 workbook (xlwt, the test extra): every value as text."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("公示名单")
    r = 0
    for p in doc.parts:
        for row in (p.lines if p.kind == "table" else [[x] for x in p.lines]):
            for c, value in enumerate(row):
                ws.write(r, c, value)
            r += 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def render_doc(doc: GenDoc) -> bytes:
    """As ``render_docx``, a Word 97-2003 document (``corpora.pii.docwriter``: paragraphs, and
    tables as rows of cells with cell and row-end marks)."""
    from .docwriter import write_doc

    blocks: list = []
    for p in doc.parts:
        if p.kind == "table":
            blocks.append([list(row) for row in p.lines])
        else:
            blocks.extend(p.lines)
    return write_doc(blocks)


def render_ofd(doc: GenDoc) -> bytes:
    from .ofdwriter import render_ofd as _render

    return _render(doc)


RENDER = {"txt": render_txt, "html": render_html, "csv": render_csv, "xlsx": render_xlsx, "docx": render_docx, "pdf": render_pdf,
          "xls": render_xls, "doc": render_doc, "ofd": render_ofd}


def gold_for(doc: GenDoc, fmt: str) -> list:
    gold = doc.gold(fmt)
    if fmt in ("pdf", "ofd"):  # the PDF and OFD table renderers drop spaces inside cells
        gold = [(e, v.replace(" ", "") if e != "PERSON" else v, m) for e, v, m in gold]
    return gold


def generate(out_dir: Path, n_docs: int, seed: int = 7, formats=FORMATS) -> list[dict]:
    rng = random.Random(seed)
    f = Faker(rng)
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = []
    for i in range(n_docs):
        doc = make_doc(f)
        for fmt in formats:
            path = out_dir / f"doc{i:04d}.{fmt}"
            path.write_bytes(RENDER[fmt](doc))
            manifest.append({"path": path.name, "format": fmt, "gold": gold_for(doc, fmt)})
    (out_dir / "labels.jsonl").write_text("\n".join(json.dumps(m, ensure_ascii=False) for m in manifest) + "\n", encoding="utf-8")
    return manifest


def main(argv=None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--docs", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    manifest = generate(args.out_dir, args.docs, args.seed)
    print(f"{len(manifest)} files in {args.out_dir} (labels.jsonl)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
