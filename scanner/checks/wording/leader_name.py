"""wording.leader_name: a Party or state leader's name written wrongly (严重表述错误).

The 2015 rules' canonical example of a serious error: "将党和国家领导人姓名写错".  The names
are those of ``lexicons/leaders.tsv`` (national leaders 1992-, with earlier leaders whose names
recur) and the province add-on (``leaders_<province>.tsv``).  Variants one edit away (a
same/similar-sound or similar-shape character, a missing, extra or swapped character: see
:mod:`.variants`) are in the shared automaton of :mod:`.lexicon`, matched over normalized,
compacted text: traditional characters, look-alike ideographs, zero-width characters and
spaces or dots inside a name do not hide it.

A variant of 3+ characters of a name of 3+ characters is reported on its own unless it is listed
in ``lexicons/variant_stoplist.tsv`` (strings found in clean text, dictionary words, other
people's names), or it is a character plus the rest of the name that jieba reads as the end of
one word and the next word (合国强 in 联合国强调, 称全国 in 堪称全国: :func:`straddles_words`).  Otherwise (2-character variants such as 习平 or 李墙, stop-listed strings) it
needs leader context: a national office title right before or
after it (国务院总理李墙, 李墙总理), 同志 after a variant of a 3+ character name (邓平同志), words
that only follow a leader's name (习平新时代…, 重要讲话), or a place in a list of leaders
(习近平、李墙、赵乐际).
Names that merely contain a leader's name are not variants: 李强强调, 学习习近平, 能力强.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from ...findings import Finding, Severity
from ...types import Document
from ..base import Check
from ...text.spans import SpanIndex, sentence_bounds
from ..registry import register
from .variants import edit_variants
from .lexicon import (CONTEXT_AFTER, CONTEXT_BEFORE, INDICATOR_WORDING, NAME, NAMEVAR, PROVINCE_TITLES, TITLE, TITLES_AFTER, TITLES_BEFORE,
                      scan_document, title_before)

EDIT_LABEL = {"sub": "同音或形近字", "del": "漏字", "ins": "多字", "swap": "字序颠倒"}
LIST_SEPARATORS = "、，,"


def _overlaps_name(s: int, e: int, names: SpanIndex) -> bool:
    """Overlaps a correctly written leader name, other than one lying inside the span (克李强
    holds 李强 and is still a misspelling of 李克强)."""
    return any(s < ne and ns < e and not (s <= ns and ne <= e and (ns, ne) != (s, e)) for ns, ne in names.near(s, e))


def context_candidates(text: str, hits, province_titles: dict, variants: dict,
                       stoplist: frozenset[str] = frozenset()) -> dict[tuple[int, int], str]:
    """Spans next to leader context whose text is a context-only variant: (start, end) -> why."""
    found: dict[tuple[int, int], str] = {}

    def look_after(p: int, why: str) -> None:
        for k in (4, 3, 2):
            if text[p:p + k] in variants:
                found.setdefault((p, p + k), why)
                return

    def look_before(p: int, why: str, min_len: int = 0, soft: bool = False) -> None:
        for k in (4, 3, 2):
            key = text[p - k:p] if p - k >= 0 else ""
            if key in variants and len(variants[key][0]) >= min_len and not (soft and key in stoplist):
                found.setdefault((p - k, p), why)
                return

    for s, e, p in hits:
        if p[0] == TITLE:
            title = p[1]
            if title in TITLES_BEFORE or title in province_titles or title in CONTEXT_BEFORE:
                look_after(e, f"title '{title}' before it")
            if title in TITLES_AFTER:
                look_before(s, f"title '{title}' after it")
            if title in CONTEXT_AFTER:  # the phrases of any leader (重要讲话, 为核心), rare strings only
                look_before(s, f"'{title}' after it", soft=True)
            if title == "同志":  # 邓平同志; not for 2-character names (a local 李墙同志)
                look_before(s, "同志 after it", min_len=3)
        elif p[0] == NAME:  # in a list of leaders: 习近平、李墙、赵乐际
            q = e + 2 if text.startswith("同志", e) else e
            if text[q:q + 1] in LIST_SEPARATORS and q < len(text):
                look_after(q + 1, "in a list of leaders")
            q = s
            if q > 0 and text[q - 1] in LIST_SEPARATORS:
                q -= 1
                if text.startswith("同志", q - 2):
                    q -= 2
                look_before(q, "in a list of leaders")
    return found


_SENTENCE_END = "。！？；!?;\n，,、：:"


def straddles_words(text: str, s: int, e: int, canonical: str) -> bool:
    """True for a standalone substitution variant at a name's edge that is a character plus
    the rest of the name, where that rest is a word and the variant's own edges fall inside
    the words around it: 合国强 in 联合国强调, 称全国 in 堪称全国, 往沪宁 in 前往沪宁, 湖锦涛 in
    西湖锦涛园.  A misspelled name stands as its own words (由合国强主持: 由|合|国强|主持).
    jieba without its HMM, so unknown characters stay single and are not glued to neighbours."""
    variant = text[s:e]
    if len(variant) != 3 or len(canonical) != 3:
        return False
    if variant[1:] == canonical[1:]:
        rest = canonical[1:]
    elif variant[:2] == canonical[:2]:
        rest = canonical[:2]
    else:
        return False
    from ...text.tokenize import get_jieba

    tk = get_jieba()
    if not tk.FREQ.get(rest):
        return False
    a, b = sentence_bounds(text, s, e, _SENTENCE_END, 20)
    bounds = {a, b}
    for _word, ws, we in tk.tokenize(text[a:b], HMM=False):
        bounds.add(a + ws)
        bounds.add(a + we)
    return s not in bounds or e not in bounds


_CLAUSE_CLOSE = "。！？；!?;，,、：:）)”\n"


def verb_object_phrase(text: str, s: int, e: int, canonical: str) -> bool:
    """True for a standalone variant that is a verb-object phrase closing its clause: the
    surname replaced by a verb that is no surname, the rest of the name a noun of jieba's
    dictionary, the clause ending right after it: 向贫困立战书， (立 + 战书 ~ 栗战书), 立军令状、
    立战书。  A misspelled name stands where a name does, before its predicate or after a title
    (粟战书出席会议, 会议由合国强主持, 委员长立战书: context reports that one)."""
    variant = text[s:e]
    if len(variant) != 3 or len(canonical) != 3 or variant[1:] != canonical[1:]:
        return False
    if e < len(text) and text[e] not in _CLAUSE_CLOSE:
        return False
    from ..pii.common import SINGLE_SURNAMES

    if variant[0] in SINGLE_SURNAMES:
        return False
    import jieba.posseg

    tags = jieba.posseg.dt.word_tag_tab  # jieba's dictionary tags, loaded once (0.5 s) on first need
    return tags.get(variant[0], "").startswith("v") and tags.get(variant[1:], "").startswith("n")


# Ordinary people share names one character from a leader's (村民王小红 ~ 王小洪, 刘国忠 ~ 刘国中):
# a standalone variant is another person when a role no national leader is named by stands
# before it (a ministry's 主任 or 局长 is: 国家发展和改革委员会主任何立峰), a form of address follows
# it (女士, 同学; not 先生: 邓小平先生), it is appointed to a local office, or it is one of a list
# of three or more names (、) holding no leader's name (拟表彰人员：刘国忠、王小红、张国青).
_ORDINARY_ROLE = re.compile(
    r"(?:村民|居民|群众|市民|农民|牧民|渔民|职工|员工|工人|同学|学生|老师|教师|患者|病人|申请人|当事人|户主|家属|"
    r"选手|运动员|演员|作者|记者|通讯员|民警|辅警|医生|护士|志愿者|网友|退役军人|"
    r"[村镇乡街]长|[村居]委会?主任|支部书记|处长|科长|股长|站长|所长|园长|馆长|经理|董事长|队长|组长|班长|会计|网格员|"
    r"(?:[区县镇乡村市]|街道|社区)[^，。、；]{0,8}?(?:主任|局长|校长|院长))[:：]?$")
_ADDRESS_AFTER = ("女士", "同学", "老师", "医生", "师傅", "家中", "家人", "家属")  # not 先生: 邓小平先生
_LOCAL_APPOINTMENT = re.compile(r"同志任[^。；，,;]{0,16}?(?:区|县|镇|乡|街道|村|社区|局|科|股|站|所|中心|学校|医院)")


def _list_items(text: str, s: int, e: int, a: int, b: int) -> int:
    """How many short items (4 characters or fewer: names) the 、-list holding [s, e) has."""
    count, p = 1, s
    while p > a and text[p - 1] == "、":
        q = p - 1
        while q > a and text[q - 1] not in "、：:，,（(":
            q -= 1
        if p - 1 - q > 4:
            break
        count, p = count + 1, q
    p = e
    while p < b and text[p] == "、":
        q = p + 1
        while q < b and text[q] not in "、，,。；;：:）)":
            q += 1
        if q - p - 1 > 4:
            break
        count, p = count + 1, q
    return count


# a name that is a whole table cell (tab- or |-separated) or a numbered list item: a roll of
# ordinary people (优秀志愿者名单: 1\t刘国忠\t区教育局; 1.王小红（区卫健局）)
_CELL_LEFT = re.compile(r"(?:[\t|]|^[ \u3000]*(?:\d{1,3}[.、．]|[（(]\d{1,3}[）)]))[ \u3000]*$")
_CELL_RIGHT = re.compile(r"[ \u3000]*(?:$|[\t|（(])")
_ROW_START = re.compile(r"^[ \u3000]*$")
_CELL_END = re.compile(r"[ \u3000]*[\t|]")


def whole_cell(doc: Document, ns: int, ne: int) -> bool:
    """Whether normalized [ns, ne) is, in the original text, a table cell or numbered item of its
    own (a name alone on a line is neither)."""
    text = doc.text
    a, b = doc.norm.span_to_original(ns, ne)
    line_start = text.rfind("\n", 0, a) + 1
    line_end = text.find("\n", b)
    left, right = text[line_start:a], text[b:len(text) if line_end < 0 else line_end]
    return bool((_CELL_LEFT.search(left) and _CELL_RIGHT.match(right)) or (_ROW_START.match(left) and _CELL_END.match(right)))


def ordinary_person(text: str, s: int, e: int, names) -> bool:
    """Whether a standalone variant at [s, e) reads as another person's name (see above); one
    followed by a leader's title or phrase (毛慑东思想, 习进平同志), or in a list that holds an
    exact leader's name, never does."""
    if text.startswith(tuple(TITLES_AFTER) + tuple(CONTEXT_AFTER) + ("同志", "思想", "理论"), e) \
            and not _LOCAL_APPOINTMENT.match(text, e):
        return False
    a, b = sentence_bounds(text, s, e, "。！？；!?;\n", 80)
    if _ORDINARY_ROLE.search(text[max(a, s - 12):s]) and not title_before(text, s, dict(TITLES_BEFORE)):
        return True
    if text.startswith(_ADDRESS_AFTER, e) or _LOCAL_APPOINTMENT.match(text, e):
        return True
    return (_list_items(text, s, e, a, b) >= 3
            and not any(a <= ns and ne <= b for ns, ne in names.near(a, b)))


@functools.lru_cache(maxsize=1)
def title_variants() -> dict[str, str]:
    """Misspelt titles of 3+ characters that follow a leader's name (习近平总书计, 赵乐际委员常):
    a same/similar-sound or similar-shape character past the first (总 of 总书记 kept: 种书记 is
    no typing of a title), not a word of jieba's dictionary -> the title."""
    from ...text.tokenize import get_jieba

    words = get_jieba().FREQ
    out: dict[str, str] = {}
    for title in TITLES_AFTER:
        if len(title) < 3:
            continue  # 主席 -> 主持 (习近平主持会议), 总理 -> 总里: too close to ordinary words
        for variant, edit in edit_variants(title):
            if edit == "sub" and variant[0] == title[0] and not words.get(variant) and variant not in TITLES_AFTER:
                out.setdefault(variant, title)
    return out


@register
class LeaderNameCheck(Check):
    """A leader's name with a wrong, missing, extra or swapped character."""

    CODE = "wording.leader_name"
    CATEGORY = "wording"
    SEVERITY = Severity.VETO
    INDICATOR = INDICATOR_WORDING
    ACTION = "更正为领导人规范姓名，并按三审三校复核全文。"
    PROVINCE = "guangdong"

    def run(self, doc: Document) -> Iterable[Finding]:
        scan = scan_document(doc, self.PROVINCE or None)
        text = scan.text
        names = SpanIndex((s, e) for s, e, p in scan.hits if p[0] == NAME)
        reported: dict[tuple[int, int], tuple[str, str, str, float]] = {}
        for s, e, p in scan.hits:
            if p[0] != NAMEVAR:
                continue
            if len(p) > 3:  # a context-only variant followed by its leader's phrase (邓平理论)
                e = s + p[3]
                why, score = f"'{text[e:e + 6]}' after it", 0.9
            else:
                why, score = "standalone variant of a 3+ character name", 0.95
                if straddles_words(text, s, e, p[1]):
                    continue  # 联合国强调, 堪称全国: the end of one word and the next word; context still reports it
                if verb_object_phrase(text, s, e, p[1]):
                    continue  # 向贫困立战书: a phrase, not a name; context still reports it
                if ordinary_person(text, s, e, names) or whole_cell(doc, *scan.view.span_to_norm(s, e)):
                    continue  # 村民王小红, 拟表彰人员：刘国忠、王小红, a roll's cell: another person of a near name
            if not _overlaps_name(s, e, names):
                reported.setdefault((s, e), (p[1], p[2], why, score))
        variants = scan.lexicon.context_variants
        province_titles = PROVINCE_TITLES.get(self.PROVINCE, {})
        for (s, e), why in context_candidates(text, scan.hits, province_titles, variants,
                                              scan.lexicon.stoplist).items():
            if not _overlaps_name(s, e, names):
                canonical, edit = variants[text[s:e]]
                reported.setdefault((s, e), (canonical, edit, why, 0.9))
        titles = title_variants()
        for s, e, p in scan.hits:  # 习近平总书计: the title after a leader's name misspelt
            if p[0] != NAME:
                continue
            for k in (4, 3):
                title = titles.get(text[e:e + k])
                if title:
                    ns, ne = scan.view.span_to_norm(e, e + k)
                    yield self.finding(
                        doc, ns, ne,
                        message=f"领导人职务称谓疑似写错（同音或形近字）：“{text[e:e + k]}”应为“{title}”",
                        explanation=f"'{text[e:e + k]}' after the leader name '{p[1]}' is one confusable character "
                                    f"from the title '{title}' (lexicons/confusion_chars.tsv)",
                        suggestion=title,
                        score=0.9,
                        action="更正为领导人规范职务称谓，并按三审三校复核全文。",
                    )
                    break
        reported_spans = SpanIndex(reported)
        for (s, e), (canonical, edit, why, score) in sorted(reported.items()):
            if any(a <= s and e <= b and (a, b) != (s, e) for a, b in reported_spans.near(s, e)):
                continue  # a longer variant covers it
            variant = text[s:e]
            ns, ne = scan.view.span_to_norm(s, e)
            yield self.finding(
                doc, ns, ne,
                message=f"领导人姓名疑似写错（{EDIT_LABEL[edit]}）：“{variant}”应为“{canonical}”",
                explanation=f"'{variant}' is one edit ({edit}) from the leader name '{canonical}' "
                            f"(lexicons/leaders.tsv); reported because: {why}",
                suggestion=canonical,
                score=score,
            )
