"""PERSON: Chinese personal names, offline, from structure first.

Names in lists and tables matter most (公示名单, 拟录用人员名单, 补贴发放名单), so the
evidence is, strongest first:

1. a table column whose header is a name column (姓名, 户主, 申请人 …): each cell of
   2-4 Han characters (maybe padded, 王　芳) is a name (0.9 with a known surname,
   0.6 without);
2. a header-less column where most cells look like surname-led names (0.8);
3. the 任前公示 paragraph form ``王建国，男，汉族，1980年5月生`` (0.9);
4. a label such as 姓名： 联系人： 申请人 before the name (0.85);
5. an enumeration after a list label (名单：甲、乙、丙; 同志： …) or a line made only of
   names separated by 、 or spaces (0.85 / 0.8);
6. a contact row: a name standing alone right before a phone number (科技司 虞正夫
   010-6859…, 中国信息通信研究院　刘　迎　1861088…, 电子信息司：喻一鸣 010-…), or after
   联系人： and an organ (联系人：流通发展司 陈程) (0.85).  When an organ's name comes
   before it, the name is that organ's work contact (pattern ``person_contact_organ``):
   the policy then treats a landline beside it as the agency's;
7. in running text, a surname-led word right before a form of address or title
   (王建国同志, 李明先生, 张华书记) or right after a title (局长王建国), on jieba word
   boundaries (0.6), and, when ``TEXT_NAMES`` is on, the character CRF of
   ``names_crf`` (0.5-0.9 by its marginal probability).

Masked forms (张*, 张**, 张某, 张某某, 张*明, 欧阳*) anywhere are reported as masked.
"""
from __future__ import annotations

import functools
import re

from .common import (
    SINGLE_SURNAMES,
    COMPOUND_SURNAMES,
    is_kv_label,
    is_masked_name,
    is_name_label,
    is_name_shape,
    label_text,
    layout_of,
    name_in_cell,
    surname_of,
)
from .engine import import_presidio

import_presidio()
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult  # noqa: E402

from .recognizer import MASKED_KEY, TYPED_DASHES  # noqa: E402

_HAN = "\u4e00-\u9fff"
_SURNAME_CLASS = "".join(sorted(SINGLE_SURNAMES))
_COMPOUND = "|".join(sorted(COMPOUND_SURNAMES))
_PAD = "[\u3000 ]?"
# a name candidate: surname + 1-2 Han characters, maybe padded with one space
_NAME = rf"(?:{_COMPOUND}|[{_SURNAME_CLASS}]){_PAD}[{_HAN}]{{1,2}}"
_MASKED = rf"(?:{_COMPOUND}|[{_SURNAME_CLASS}])(?:某某?|[*＊×][{_HAN}](?=[、，,。；;\s]|等|同志|$)|[*＊×]{{1,2}}|[Xx]{{2}})"

# 任前公示: "王建国，男，汉族，…" — found from the "，男，" anchor, the name read backwards
RENQIAN_ANCHOR = re.compile(r"[，,](?:男|女)[，,（(]")
RENQIAN_NAME = re.compile(rf"[ \t\u3000]*(?:\d{{1,3}}[.、．]\s*)?({_NAME}|[{_HAN}]{{2,3}})")
LABELLED = re.compile(
    rf"(?:姓\s*名|联系人|申请人|户主|收款人|领款人|负责人|经办人|法定代表人|法人代表|当事人|举报人|投诉人|患者|被执行人|"
    rf"被申请人|受助人|持卡人|户名|学生|考生)[：:]?[ \u3000]*({_NAME})(?![{_HAN}])"
)
_COLON = re.compile(r"[：:]")
# labels after which a word may follow as well as a name (考生：高考…): never "named"
_LOOSE_LABELS = ("学生", "考生", "患者")
LIST_LABEL = re.compile(r"(?:名单|人员|同志|人选|对象|考生|学员|获奖者|获得者|如下|代表|委员)[^：:\n。]{0,12}[：:]")
_ITEM_SPLIT = re.compile(r"[、，,；;\s\u3000]+")
TITLES_AFTER = (
    "同志|先生|女士|老师|教授|院士|律师|书记|副书记|主任|副主任|局长|副局长|处长|科长|市长|副市长|"
    "县长|区长|镇长|乡长|村长|主席|副主席|部长|厅长|省长|总经理|董事长|校长|院长|所长|队长|"
    "表示|指出|强调|介绍|认为|告诉|坦言|透露"
)
# a name right before a title: found from the title, the name read backwards
TITLE_AFTER_RX = re.compile(TITLES_AFTER)
NAME_RX = re.compile(_NAME)
CUE_BEFORE = re.compile(rf"(?:书记|主任|局长|市长|县长|区长|镇长|主席|部长|厅长|省长|校长|院长|记者|通讯员|编辑|审核|责任编辑|作者|摄影|撰稿|网友|市民|村民|居民|群众)[：:]?({_NAME})(?=[，,。；;、\s]|$|{TITLES_AFTER})")
# (某某 before 路, 街, 小区 … is a place's name withheld: 越秀区某某路 held no masked name 区某某)
MASKED = re.compile(rf"({_MASKED})(?![某*＊×]|些|种|项|类|地方|处|方面|路|街|巷|大道|小区|社区|大厦|花园|公司)")
MASK_MARK = re.compile(r"某|[*＊×]|[Xx]{2}")
# a name with a separating dot (买买提·艾力; the dot typed as ·, •, ・, ‧, ． or a hyphen-like ‐):
# two or three parts of 1-8 Han characters (or mask characters), at least one Han in the first
_DOT = "·•・‧．"
DOTTED_NAME = re.compile(rf"[{_HAN}][{_HAN}*＊×]{{0,7}}(?:[{_DOT}][{_HAN}*＊×]{{1,8}}){{1,2}}")
# surname characters that are also prepositions or verbs: 对于某, 提高某, 和某 are not names
# after a label (联系人：) the surname may be 任 or 于; never a conjunction
FUNCTION_CHARS = frozenset("和与及或并且而但")
# last characters of organ names (信软司, 财政局): not a personal name
ORGAN_ENDINGS = frozenset("司局部委办厅处所校会社队科站署")
AMBIGUOUS_SURNAMES = frozenset("于高向和从由任经同朝至到自当为将以比把让对跟据上")

# contact rows: a phone number (maybe masked) with the separators before it; between digit
# groups a space, a hyphen or a dash typed as 一 — – (recognizer.TYPED_DASHES, as the phone
# recognizers accept them)
_DASH = rf"[ \-{TYPED_DASHES}]"
CONTACT_PHONE = re.compile(
    rf"[ \t\u3000:：]+(?:[(（]?0\d{{2,3}}[)）]?{_DASH}?[\d*]{{3,4}}{_DASH}?[\d*]{{3,4}}"
    rf"|(?:\+?86{_DASH}?)?1[3-9]\d{_DASH}?[\d*]{{4}}{_DASH}?[\d*]{{4}})(?![\d*])"
)
# what may stand right before a contact's name: a separator, the line start, or the
# last character of an organ's name written without a space (科技司虞正夫)
CONTACT_BEFORE = frozenset(" \t\u3000:：、，,；;（(")
# an organ's name: Han characters ending in an organ word (司, 局, 中心, 研究院 …)
_ORGAN_END = "(?:[司局部委办厅处科室院所站队组会校]|中心|公司|集团|政府|银行)"
ORGAN_AFTER = re.compile(rf"{_ORGAN_END}$")
ORGAN_BEFORE = re.compile(rf"[{_HAN}]{_ORGAN_END}[ \t\u3000:：]*$")
CONTACT_LABEL_ORGAN = re.compile(
    rf"联系人(?:及(?:联系)?(?:电话|方式))?[：:][ \t\u3000]*[{_HAN}（）()]{{1,30}}{_ORGAN_END}[ \t\u3000:：]*(?=[{_SURNAME_CLASS}])"
)


TEXT_GROUP = 50_000  # characters of running text whose lines LAC tags in one call (memory)


class CnPersonRecognizer(EntityRecognizer):
    ENTITY = "PERSON"
    CONTEXT = ["姓名", "名字", "户主", "申请人", "联系人", "同志", "先生", "女士"]
    NEGATIVE_CONTEXT: tuple[str, ...] = ()
    TEXT_NAMES = False  # jieba POS on running text (slower); lists and tables always

    def __init__(self, text_names: bool | None = None, **kwargs):
        kwargs.setdefault("supported_entities", [self.ENTITY])
        kwargs.setdefault("context", list(self.CONTEXT))
        kwargs.setdefault("supported_language", "zh")
        super().__init__(**kwargs)
        if text_names is not None:
            self.TEXT_NAMES = text_names

    def load(self) -> None:
        pass

    # ------------------------------------------------------------ helpers
    def _result(self, start: int, end: int, score: float, how: str, masked: bool = False) -> RecognizerResult:
        why = AnalysisExplanation(
            recognizer=self.name,
            original_score=score,
            pattern_name=f"person_{how}{'_masked' if masked else ''}",
            textual_explanation=f"personal name ({how})",
        )
        return RecognizerResult(
            self.ENTITY, start, end, score, why,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                MASKED_KEY: masked,
            },
        )

    @staticmethod
    def _strip(text: str, start: int, end: int) -> tuple[int, int]:
        while start < end and text[start] in " \u3000\t":
            start += 1
        while end > start and text[end - 1] in " \u3000\t":
            end -= 1
        return start, end

    def _dotted(self, text: str, start: int, end: int, how: str, out: list) -> bool:
        """A name written with a separating dot in a 姓名 column or after a name label
        (买买提·艾力, 阿依古丽·吐尔逊: Uyghur, Kazakh, Tibetan and foreign names in Chinese;
        masked, 买*·艾* or 阿依古丽·**): none was a name, so beside an unmasked ID it was no
        violation and ``mask`` left it whole while it masked every other name of the list."""
        start, end = self._strip(text, start, end)
        value = text[start:end]
        if not DOTTED_NAME.fullmatch(value):
            return False
        masked = any(ch in "*＊×" for ch in value)
        out.append(self._result(start, end, 0.9, how + "_dotted", masked=masked))
        return True

    def _classify(self, text: str, start: int, end: int, score_known: float, score_unknown: float, how: str, out: list, *, strict: bool = True) -> bool:
        start, end = self._strip(text, start, end)
        value = text[start:end]
        if not value:
            return False
        if is_masked_name(value):
            out.append(self._result(start, end, 0.9, how, masked=True))
            return True
        if is_name_shape(value):
            bare = "".join(value.split())
            if strict and _common_word(bare):
                return False
            score = score_known if surname_of(bare) else score_unknown
            if score > 0:
                out.append(self._result(start, end, score, how))
                return True
        return False

    # ------------------------------------------------------------ analysis
    def analyze(self, text, entities, nlp_artifacts=None):
        out: list[RecognizerResult] = []
        self._tables(text, out)
        for a in RENQIAN_ANCHOR.finditer(text):
            line_start = max(text.rfind(ch, 0, a.start()) for ch in "\n。；;") + 1
            m = RENQIAN_NAME.fullmatch(text, line_start, a.start())
            if m:
                # a listed name that is also a frequent word (李娜) is a name in this form
                listed = "".join(m.group(1).split()) in _listed_names()
                self._classify(text, m.start(1), m.end(1), 0.9, 0.7, "renqian", out, strict=not listed)
        for m in LABELLED.finditer(text):
            # after 姓名： (or a person's label with its colon: 联系人：, 经办人：) the value is a
            # name by definition, as in a 姓名 column: also one that is a frequent word of
            # jieba's dictionary (李娜, 王军; 联系人：李娜 was missed and left unmasked)
            label = text[m.start():m.start(1)]
            named = label[0] == "姓" or (bool(_COLON.search(label)) and not label.startswith(_LOOSE_LABELS))
            if _on_token_boundaries(text, m.start(1), m.end(1), labelled=True, named=named):
                self._classify(text, m.start(1), m.end(1), 0.85, 0.0, "label", out, strict=not named)
        self._enumerations(text, out)
        self._contacts(text, out)
        if not self.TEXT_NAMES:  # with the CRF on, running text is the model's
            self._title_cues(text, out)
        last = -1
        for mark in MASK_MARK.finditer(text):
            for start in (mark.start() - 2, mark.start() - 1):
                if start < 0 or start < last:
                    continue
                m = MASKED.match(text, start)
                if not m or m.end(1) <= mark.start():
                    continue
                if m.group(1)[0] in AMBIGUOUS_SURNAMES and start > 0 and "\u4e00" <= text[start - 1] <= "\u9fff":
                    continue
                out.append(self._result(m.start(1), m.end(1), 0.85, "masked_form", masked=True))
                last = m.end(1)
                break
        if self.TEXT_NAMES:
            self._text_names(text, out)
        return out

    def _title_cues(self, text: str, out: list) -> None:
        """A name right before a title (王建国同志) or right after one (局长王建国), on
        jieba word boundaries."""
        for t in TITLE_AFTER_RX.finditer(text):
            for k in (3, 2, 4):
                start = t.start() - k
                if start >= 0 and NAME_RX.fullmatch(text, start, t.start()) and _on_token_boundaries(text, start, t.start()):
                    self._classify(text, start, t.start(), 0.6, 0.0, "title_after", out)
                    break
        for m in CUE_BEFORE.finditer(text):
            if _on_token_boundaries(text, m.start(1), m.end(1)):
                self._classify(text, m.start(1), m.end(1), 0.6, 0.0, "title_before", out)

    def _contacts(self, text: str, out: list) -> None:
        """Contact rows: a name standing alone before a phone number, or a list of names
        after 联系人： and an organ."""
        for m in CONTACT_PHONE.finditer(text):
            end = m.start()
            line_start = text.rfind("\n", 0, end) + 1
            for k in (3, 2, 4):
                start = end - k
                candidate = text[start:end]
                # a masked name has no padding here: 汪* 男 is a name and a gender
                if start < line_start or not (
                    NAME_RX.fullmatch(candidate) or (is_masked_name(candidate) and not any(ch.isspace() for ch in candidate))
                ):
                    continue
                before = text[start - 1] if start > line_start else " "
                if before not in CONTACT_BEFORE and before not in ORGAN_ENDINGS:
                    continue
                # separators on both sides bound the name; an organ written against it needs jieba
                if before in CONTACT_BEFORE or _on_token_boundaries(text, start, end, labelled=True):
                    how = "contact_organ" if ORGAN_BEFORE.search(text, line_start, start) else "contact"
                    self._classify(text, start, end, 0.85, 0.0, how, out)
                break
        for m in CONTACT_LABEL_ORGAN.finditer(text):
            stop = m.end()
            while stop < len(text) and text[stop] not in "\n，,。；;：:0123456789（(":
                stop += 1
            found: list = []
            self._items(text, m.end(), stop, 0.85, "contact_organ", found, min_ratio=0.5)
            # the rest of an organ's name (最高人民法院|信息中心) is not a name
            out.extend(r for r in found if not ORGAN_AFTER.search(text, r.start, r.end))

    def _tables(self, text: str, out: list) -> None:
        layout = layout_of(text)
        for block in layout.blocks:
            # a key-value table (姓名 | 王建国 | 性别 | 男): the cell after a name label is a name,
            # as in a 姓名 column (its label cells were read as names under a "header" 姓名)
            # (and the names after it, one a column: 姓名 | 王建国 | 李娜 / 联系电话 | … | …)
            for r, c in block.kv_heads:
                for cell in block.rows[r][c + 1:]:
                    span = name_in_cell(text, cell.start, cell.end)
                    if not span:
                        if self._dotted(text, cell.start, cell.end, "table_kv", out):
                            continue
                        break
                    self._classify(text, span[0], span[1], 0.9, 0.6, "table_kv", out, strict=False)
            name_cols = {c for c, h in enumerate(block.headers) if is_name_label(h)}
            first = block.header_row + 1 if block.header_row >= 0 else 0
            body = [row for r, row in enumerate(block.rows[first:], first) if r not in block.kv_rows]
            if not name_cols and len(body) >= 3:
                # header-less: a column where most cells look like surname-led names
                ncols = max(len(r) for r in body)
                for c in range(ncols):
                    values = ["".join(text[r[c].start:r[c].end].split()) for r in body if c < len(r)]
                    hits = sum(1 for v in values if (is_name_shape(v) and surname_of(v)) or is_masked_name(v))
                    if values and hits / len(values) >= 0.8:
                        name_cols.add(c)
                score_known, score_unknown = 0.8, 0.0
            else:
                score_known, score_unknown = 0.9, 0.6
            strict = score_known < 0.9  # a 姓名 column is evidence enough
            for row in body:
                for c in name_cols:
                    if c < len(row):
                        value = text[row[c].start:row[c].end]
                        if is_kv_label(value) and not surname_of(label_text(value)):
                            continue  # a label under a title row (申请人信息 | … / 备注 | 无)
                        if not strict and self._dotted(text, row[c].start, row[c].end, "table", out):
                            continue
                        # (a role after the name: 张华（户主）, 李娜(联系人))
                        span = name_in_cell(text, row[c].start, row[c].end) or (row[c].start, row[c].end)
                        self._classify(text, span[0], span[1], score_known, score_unknown, "table", out, strict=strict)

    def _enumerations(self, text: str, out: list) -> None:
        for m in LIST_LABEL.finditer(text):
            end = text.find("\n", m.end())
            end = len(text) if end < 0 else end
            stop = text.find("。", m.end(), end)
            end = stop if stop >= 0 else end
            self._items(text, m.end(), end, 0.85, "list", out, min_ratio=0.5)
        # lines made only of names: 王　芳  李建国  张伟 (in a text or PDF their gaps were read
        # as column gaps, a tab then spaces: such a line was no names line, and no table either)
        pos = 0
        for line in text.split("\n"):
            gaps = "\t " in line and "\t" not in line.replace("\t ", "")
            if ("\t" not in line or gaps) and 2 <= len(line) <= 400 and ("、" in line or "  " in line or "\u3000" in line or gaps):
                self._items(text, pos, pos + len(line), 0.8, "name_line", out, min_ratio=0.9, min_items=3)
            pos += len(line) + 1

    def _items(self, text: str, start: int, end: int, score: float, how: str, out: list, *, min_ratio: float, min_items: int = 1) -> None:
        segment = text[start:end]
        # split on separators, but keep a single padding space inside a 2-character name (王　芳)
        items = []
        pos = 0
        for m in re.finditer(r"[、，,；;]+|[\s\u3000]{2,}|(?<=[\u4e00-\u9fff]{2})[\s\u3000](?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])[\s\u3000](?=[\u4e00-\u9fff]{2})", segment):
            items.append((pos, m.start()))
            pos = m.end()
        items.append((pos, len(segment)))
        items = [(s, e) for s, e in items if segment[s:e].strip()]
        if len(items) < min_items:
            return
        found: list = []
        for s, e in items:
            self._classify(text, start + s, start + e, score, 0.0, how, found)
        if found and len(found) / len(items) >= min_ratio:
            out.extend(found)

    def _text_names(self, text: str, out: list) -> None:
        """Running text: the character CRF (``names_crf``) on each line, a long one in pieces
        (``names_crf.MAX_LINE``), LAC on about ``TEXT_GROUP`` characters of lines at a time."""
        from . import names_crf
        from .lac import split_pieces

        # what structure found (a list, a contact row, a masked form) stays as found: the
        # CRF's span over it would take the pattern the policy reads (contact_organ) or the
        # masked flag away, or cut it differently
        taken = bytearray(len(text) + 1)  # (each CRF span was compared with every one found)
        for r in out:
            taken[r.start:r.end] = b"\x01" * (r.end - r.start)
        group: list[tuple[int, str]] = []  # (start in text, piece)

        def tag_group() -> None:
            for (at, piece), lac in zip(group, names_crf.lac_for([p for _at, p in group])):
                for s, e, p in names_crf.tag_names(piece, lac=lac):
                    s, e = at + s, at + e
                    if e - s >= 2 and taken.find(1, s, e) < 0:
                        out.append(self._result(s, e, round(0.5 + 0.4 * p, 3), "crf"))
            group.clear()

        # (the whole text's LAC tags, and a line's CRF features whole, were held at once: a
        # line of 200,000 characters took 1.25 GB)
        size = pos = 0
        for line in text.split("\n"):
            if line.strip() and "\t" not in line:
                at = pos
                for piece in split_pieces(line, names_crf.MAX_LINE):
                    group.append((at, piece))
                    at += len(piece)
                    size += len(piece)
                    if size >= TEXT_GROUP:
                        tag_group()
                        size = 0
            pos += len(line) + 1
        tag_group()

def _common_word(word: str) -> bool:
    """A frequent word of jieba's dictionary (商务, 任务, 高度), or one that its POS
    dictionary gives a class no name has (全天, 上午: time; 万一: numeral; 何地: pronoun),
    that is not one of the names the lexicons or the name list add: not a name outside a
    姓名 column."""
    from ...resources import lexicon_terms
    from ...text.tokenize import get_jieba

    if word in _lexicon_names(lexicon_terms):
        return False
    if get_jieba().FREQ.get(word, 0) >= COMMON_WORD_FREQ:
        return True
    tag = _word_tags().get(word)
    return bool(tag) and tag[0] in NOT_NAME_TAGS and word not in _listed_names()


COMMON_WORD_FREQ = 300
# jieba POS classes of words that are never a personal name: time (t), numeral (m),
# quantifier (q), locality (f), pronoun (r), preposition (p), conjunction (c), auxiliary
# (u), interjection (e), onomatopoeia (o), modal particle (y); not adverbs (d: 何新, 高远)
NOT_NAME_TAGS = frozenset("tmqfrpcueoy")


@functools.lru_cache(maxsize=1)
def _word_tags() -> dict[str, str]:
    from .names_crf import _pos_tagger

    return _pos_tagger().word_tag_tab


@functools.lru_cache(maxsize=1)
def _listed_names() -> frozenset[str]:
    """The name list beside the name CRF (``person_names.txt``): 顺治, 金近 are names."""
    from .names_crf import gazetteer

    return gazetteer()[0]


@functools.lru_cache(maxsize=1)
def _lexicon_names(lexicon_terms) -> frozenset[str]:
    return frozenset(lexicon_terms())


def _on_token_boundaries(text: str, start: int, end: int, labelled: bool = False, named: bool = False) -> bool:
    """jieba, on the characters around, reads ``text[start:end]`` as a name: a word
    starts at ``start`` and one ends at ``end``, and inside there is one word (王建国),
    the surname and a rare word (宋 显珠), or single characters; never a frequent
    word (办公室主任 has no name 公室, 发展和改革 none 和改革, 高级职称 none 高级职);
    ``named`` (after 姓名：) lets one frequent word through."""
    from ...text.tokenize import get_jieba

    tk = get_jieba()
    lo = max(0, start - 8)
    window = text[lo:min(len(text), end + 6)]
    inside: list[str] = []
    bounds = set()
    for w, s, e in tk.tokenize(window):
        s, e = s + lo, e + lo
        bounds.add(s)
        bounds.add(e)
        if start <= s and e <= end:
            inside.append(w)
    if start not in bounds or end not in bounds or not inside:
        return False
    if text[end - 1] in ORGAN_ENDINGS:
        return False
    if len(inside) == 1:
        return named or not _common_word(inside[0])
    surname = surname_of(text[start:end]) or ""
    if not surname or surname in (FUNCTION_CHARS if labelled else AMBIGUOUS_SURNAMES):
        return False
    if inside[0] != surname:
        # after a label, jieba's HMM may join the surname with a given-name character
        # (联系人：许亮|雪): fine when that word is a rare one, never a dictionary word
        if not (labelled and inside[0].startswith(surname)):
            return False
        return all(len(w) == 1 or tk.FREQ.get(w, 0) < COMMON_WORD_FREQ for w in inside)
    return all(len(w) == 1 or tk.FREQ.get(w, 0) < COMMON_WORD_FREQ for w in inside[1:])



