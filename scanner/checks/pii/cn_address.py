"""CN_ADDRESS: detailed addresses, down to a building, unit or room (GB/T 35273 个人
信息 examples: 详细住址).  A village- or street-level address (某某村, 某某路12号)
without 栋/幢/座/号楼/单元/室/房 is not detailed and is not matched, nor is a span with no
digit, letter or ``*`` at all (街区里一座石头城: a measure word, not a building number).

Cheap by construction: a literal-anchored regex finds the building/unit/room tail
(``3栋2单元501室``); only there is the text walked left, over the address characters,
to where the address starts (after 住址：, 家住 …).  The span must contain a road,
community or village word (路, 街, 小区, 村 …) before the tail.  Digits replaced by
``*`` (``体育西路**号*栋*单元***室``) make the match masked.
"""
from __future__ import annotations

import re

from .engine import import_presidio

import_presidio()
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult  # noqa: E402

from .recognizer import MASKED_KEY  # noqa: E402

_NUM = r"(?:[0-9*]{1,4}|[A-Za-z]|[一二三四五六七八九十]{1,3})"
# one space may stand between a number and the characters beside it: a PDF exported from Word
# or WPS draws the gap they put between Han characters and digits (中文与数字间距), and its text
# layer reads it as a space (江南大道中 213 号12 栋 1659房: no address was found)
_S = " ?"
_ROOM = rf"(?:{_S}[0-9*]{{1,5}}{_S}(?:室|房|号房|号)|[0-9*]{{1,5}})"
TAIL = re.compile(
    rf"{_NUM}{_S}(?:栋|幢|座|号楼)(?:{_S}{_NUM}{_S}单元)?(?:{_S}[0-9*]{{1,3}}{_S}(?:层|楼))?{_ROOM}?"
    rf"|{_NUM}{_S}单元(?:{_S}[0-9*]{{1,3}}{_S}(?:层|楼))?{_ROOM}?"
    rf"|[0-9*]{{2,5}}{_S}(?:室|房|号房)"
)
ANCHOR = re.compile(r"[栋幢座单室房]")
_ADDR_CHAR = re.compile(r"[\u4e00-\u9fff0-9A-Za-z*\-－#之]")
ROAD = re.compile(r"路|街|巷|弄|胡同|里|村|社区|小区|花园|新村|苑|园|城|广场|大厦|公寓|家园|山庄|府|庄|组|号|大院|宿舍")
_LEAD = re.compile(r"^.{0,8}?(?:详细住址|家庭住址|现住址|户籍地址|居住地址|住址|地址|家住|住在|现住|居住在|居住于|户籍地|所在地|位于|住于|住)")
MAX_LEFT = 40
# a detailed address numbers its street, building or room in digits or letters (or masks them)
_HAS_NUMBER = re.compile(r"[0-9０-９A-Za-z*]")


def _spaced_digit(text: str, pos: int) -> bool:
    """A single space at ``pos`` between a digit and a Han character (either way round): the
    gap Word and WPS draw there, read as a space from a PDF (中 213 号)."""
    if text[pos] != " " or pos == 0 or pos + 1 >= len(text):
        return False
    a, b = text[pos - 1], text[pos + 1]
    return (a.isdigit() and "\u4e00" <= b <= "\u9fff") or ("\u4e00" <= a <= "\u9fff" and b.isdigit())


class CnAddressRecognizer(EntityRecognizer):
    ENTITY = "CN_ADDRESS"
    CONTEXT = ["住址", "地址", "家庭住址", "详细地址", "现住址", "户籍地址", "居住地", "家住", "通讯地址"]
    NEGATIVE_CONTEXT: tuple[str, ...] = ()
    SCORE = 0.7

    def __init__(self, **kwargs):
        kwargs.setdefault("supported_entities", [self.ENTITY])
        kwargs.setdefault("context", list(self.CONTEXT))
        kwargs.setdefault("supported_language", "zh")
        super().__init__(**kwargs)

    def load(self) -> None:
        pass

    @staticmethod
    def _tails(text: str):
        """TAIL matches, searched only near the literal anchors (栋 幢 座 单元 室 房)."""
        pos = 0
        for a in ANCHOR.finditer(text):
            if a.end() <= pos:
                continue
            m = TAIL.search(text, max(pos, a.start() - 8), min(len(text), a.end() + 12))
            if m:
                yield m
                pos = m.end()

    def analyze(self, text, entities, nlp_artifacts=None):
        results = []
        last_end = -1
        for m in self._tails(text):
            if m.start() < last_end:
                continue
            left = m.start()
            while left > 0 and m.start() - left < MAX_LEFT and (
                    _ADDR_CHAR.match(text[left - 1]) or _spaced_digit(text, left - 1)):
                left -= 1
            prefix = text[left:m.start()]
            lead = _LEAD.match(prefix)
            if lead:
                left += lead.end()
                prefix = text[left:m.start()]
            if len(prefix) < 3 or not ROAD.search(prefix):
                continue
            span = text[left:m.end()]
            if not _HAS_NUMBER.search(span):
                continue  # no digit, letter or mask anywhere: 一座 is a measure word (整个街区俨然一座石头城)
            tail = m.group(0)
            masked = "*" in tail and not any(ch.isdigit() for ch in tail)
            why = AnalysisExplanation(
                recognizer=self.name,
                original_score=self.SCORE,
                pattern_name="cn_address_masked" if masked else "cn_address_detailed",
                pattern=TAIL.pattern[:60],
                textual_explanation=f"address with building/unit/room '{'masked' if masked else 'detailed'}' tail",
            )
            results.append(
                RecognizerResult(
                    self.ENTITY, left, left + len(span), self.SCORE, why,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        MASKED_KEY: masked,
                    },
                )
            )
            last_end = m.end()
        return results
