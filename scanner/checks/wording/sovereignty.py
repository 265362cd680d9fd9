"""wording.sovereignty: sovereignty and naming errors about Taiwan, Hong Kong, Macao and territory.

* the terms of ``lexicons/sovereignty.tsv`` and the ``veto`` rows of ``lexicons/xinhua_banned.tsv``
  (台湾国, 台湾总统, 台湾政府, 两岸三地, 尖阁群岛 …), with their exceptions; 中华民国 only outside
  a historical context (a year before 1949, 民国时期, 辛亥革命, 孙中山 … in the sentence) and
  outside quotation marks (所谓“中华民国”, as the mainland writes it, is right);
* 中国 listed beside 香港, 澳门 or 台湾 as a peer (中国、香港和新加坡; 台湾和中国), but not
  中国香港, 中国台湾, 中国内地 / 中国大陆, 中国台北 (中国、中国香港、中国澳门、中国台北代表队);
* 香港, 澳门 or 台湾 counted among 国家: a list holding one of them and ending 等国家 / 等国
  (等国家和地区 is right).

台湾 in 台湾地区, 台湾省, 台湾同胞 … is never flagged.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from ...findings import Finding, Severity
from ...text.spans import sentence_bounds
from ...types import Document
from ..base import Check
from ..registry import register
from .lexicon import INDICATOR_WORDING, SOV, XINHUA, scan_document

REGIONS = ("香港", "澳门", "台湾")
_HISTORY = re.compile(r"(?:1[89][0-9]{2}|19[0-4][0-9])年|民国时期|民国年间|辛亥|孙中山|孙文|北洋|南京临时政府|临时大总统|"
                      r"旧中国|抗战|抗日|国民政府|国民党政府|蒋介石|袁世凯|民国[一二三四五六七八九十]|历史|文物|旧址|纪年|建立|成立|宣告|覆灭|灭亡|推翻|时期")
_PEER_AFTER = re.compile(r"中国(?:、|和|与|及|同)(香港|澳门|台湾)(?!同胞|居民|地区同胞|问题)")
# not 中国香港、中国澳门、中国台北 (the official names in sports and APEC lists)
_PEER_BEFORE = re.compile(r"(?<!中国)(香港|澳门|台湾)(?:地区)?(?:、|和|与|及|同)中国(?!内地|大陆|香港|澳门|台湾|台北|政府|共产党|人民|特色|式)")
_COUNTRY_END = re.compile(r"等(?:[0-9一二三四五六七八九十]+个)?(?:国家|国)(?![和或及与]?地区|（地区）|\(地区\)|[家内际民企有务籍产货旗歌])")
_LIST_BEFORE = re.compile(r"(?:[\u4e00-\u9fff]{2,8}[、，,和及与]){1,15}[\u4e00-\u9fff]{2,8}$")
_SENTENCE_END = "。！？；!?;\n"
_OPEN_QUOTES = "“\"「『‘'"
_CLOSE_QUOTES = "”\"」』’'"


def _in_book_title(text: str, start: int, end: int, width: int = 30) -> bool:
    """Whether [start, end) lies inside 《…》 (a title: 《中华民国史》, 《中华民国临时约法》)."""
    before = text[max(0, start - width):start]
    after = text[end:end + width]
    opened = before.rfind("《")
    closed = after.find("》")
    return opened >= 0 and "》" not in before[opened:] and closed >= 0 and "《" not in after[:closed] \
        and "\n" not in before[opened:] and "\n" not in after[:closed]


class _ListMatch:
    """A list of places ending 等国家: group(1) is the list, group(0) the list and 等国家."""

    def __init__(self, text: str, start: int, list_end: int, end: int):
        self.text, self._start, self._list_end, self._end = text, start, list_end, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, i: int = 0) -> str:
        return self.text[self._start:self._end] if i == 0 else self.text[self._start:self._list_end]


def _country_lists(text: str):
    """Lists ending 等国家 / 等国 (not 等国家和地区): the cheap 等国 is found first, then the list
    before it is read backwards (a regex scanning for the list everywhere was the slow part)."""
    for m in _COUNTRY_END.finditer(text):
        before = _LIST_BEFORE.search(text, max(0, m.start() - 160), m.start())
        if before:
            yield _ListMatch(text, before.start(), m.start(), m.end())


def _sentence(text: str, start: int, end: int) -> str:
    a, b = sentence_bounds(text, start, end, _SENTENCE_END, 120)
    return text[a:b]


@register
class SovereigntyCheck(Check):
    """Taiwan as a country, 中国 beside 香港/澳门/台湾 as peers, banned territorial names."""

    CODE = "wording.sovereignty"
    CATEGORY = "wording"
    SEVERITY = Severity.VETO
    INDICATOR = INDICATOR_WORDING
    ACTION = "按涉台、涉港澳及领土表述规范更正。"
    PROVINCE = "guangdong"

    def run(self, doc: Document) -> Iterable[Finding]:
        scan = scan_document(doc, self.PROVINCE or None)
        text = scan.text
        rules = {r["term"]: r for r in scan.lexicon.sovereignty}
        for r in scan.lexicon.xinhua:
            if r["level"] == "veto" and r["term"] not in rules:
                rules[r["term"]] = {"term": r["term"], "rule": "historical" if r["term"] == "中华民国" else "exact",
                                    "suggestion": r["suggestion"], "except_after": "", "except_before": "",
                                    "source": "新华社禁用词慎用词 (ECSpell list)"}
        found: list[tuple[int, int, str, str, str]] = []
        for s, e, p in scan.hits:
            if p[0] not in (SOV, XINHUA):
                continue
            rule = rules.get(p[1])
            if rule is None:
                continue
            after = [x for x in rule.get("except_after", "").split("|") if x]
            before = [x for x in rule.get("except_before", "").split("|") if x]
            if any(text.startswith(x, e) for x in after) or any(text.endswith(x, 0, s) for x in before):
                continue
            if rule["rule"] == "historical" and (_HISTORY.search(_sentence(text, s, e)) or
                                                 (text[s - 1:s] in _OPEN_QUOTES and text[e:e + 1] in _CLOSE_QUOTES) or
                                                 text[e:e + 1] == "史" or _in_book_title(text, s, e)):
                continue  # placed in history, quoted as the mainland writes it (所谓“中华民国”), a history (中华民国史)
                # or a title (《中华民国史》, 《中华民国临时约法》)
            found.append((s, e, rule["suggestion"], f"'{p[1]}' ({rule['source']})", "涉台港澳及领土表述错误"))
        for m in _PEER_AFTER.finditer(text):
            found.append((m.start(), m.end(), "内地（大陆）" + text[m.start() + 2:m.end()],
                          "中国 listed beside a region of China as a peer", "将中国与港澳台并列"))
        for m in _PEER_BEFORE.finditer(text):
            found.append((m.start(), m.end(), text[m.start():m.end() - 2] + "内地（大陆）",
                          "a region of China listed beside 中国 as a peer", "将港澳台与中国并列"))
        for m in _country_lists(text):
            items = re.split(r"[、，,和及与]", m.group(1))
            if any(r in x for r in REGIONS for x in items):
                span = m.group(0)
                fixed = re.sub(r"等((?:[0-9一二三四五六七八九十]+个)?)(?:国家|国)$", r"等\1国家和地区", span)
                found.append((m.start(), m.end(), fixed, "a list counted as 国家 holds 香港/澳门/台湾",
                              "将港澳台列为国家"))
        seen: set[tuple[int, int]] = set()
        for s, e, suggestion, why, label in sorted(found):
            if any(s < b and a < e for a, b in seen):
                continue
            seen.add((s, e))
            ns, ne = scan.view.span_to_norm(s, e)
            yield self.finding(
                doc, ns, ne,
                message=f"{label}：“{text[s:e]}”应为“{suggestion}”",
                explanation=why,
                suggestion=suggestion or None,
                score=0.9,
            )
