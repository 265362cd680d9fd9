"""The disclosure policy: which detected personal values are violations.

Defaults in ``scanner/conf/privacy.toml`` (after GB/T 37964 and provincial practice):

* an unmasked ID number, bank card, passport, detailed address or mobile is a violation;
* a landline or e-mail is personal only in a person's record or row (a line or table
  row holding a name, masked or not); labelled as an agency's (办公电话, 咨询电话,
  监督电话, 值班电话, 传真 …), on a site-footer line, or beside a name given as an
  organ's work contact (科技司 虞正夫 010-6859…) it is not; nor is a landline beside a name
  given after a contact label (联系人：王芳，联系电话：020-8333…, the closing line of most
  notices: the office's line of the staff member handling the matter), nor an e-mail there
  on an organisation's own domain (…@shandong.cn); one on a public webmail domain (qq.com,
  163.com …) stays personal;
* a full name alone is not a violation; a full name with an unmasked identifier in the
  same record or row is;
* masked forms are not violations, unless one shows more characters than ``max_shown``
  allows for its kind (44010519900101****: a birth date; "insufficiently masked").

A violation maps to severity veto, indicator 单项否决·泄露个人隐私.
"""
from __future__ import annotations

import copy
import dataclasses
import functools
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from ..checks.pii.analyzer import Detection
from ..checks.pii.cn_person import ORGAN_AFTER
from ..checks.pii.common import text_cache
from ..errors import ConfigError

INDICATOR = "单项否决·泄露个人隐私"
# the PERSON pattern of a name standing after an organ's name in a contact row (cn_person)
ORGAN_CONTACT_PATTERN = "person_contact_organ"
SEVERITY = "veto"
LABELS = {
    "CN_RESIDENT_ID": "居民身份证号码",
    "CN_MOBILE": "手机号码",
    "CN_LANDLINE": "固定电话",
    "CN_BANK_CARD": "银行卡号",
    "EMAIL": "电子邮箱",
    "CN_PASSPORT": "护照号码",
    "CN_ADDRESS": "详细住址",
    "PERSON": "姓名",
}


@functools.lru_cache(maxsize=1)
def _default_config() -> dict[str, Any]:
    text = resources.files("scanner.conf").joinpath("privacy.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _merge(base: dict, override: dict, where: str) -> None:
    for key, value in override.items():
        path = f"{where}.{key}" if where else key
        if key not in base and where != "mask":
            raise ConfigError(f"unknown policy setting '{path}'")
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value, path)
        else:
            base[key] = value


@dataclasses.dataclass(frozen=True)
class Policy:
    always: frozenset[str]
    in_person_record: frozenset[str]
    name_with: frozenset[str]
    agency_exempt: frozenset[str]
    agency_labels: tuple[str, ...]
    organ_contact_exempt: frozenset[str]
    contact_labels: tuple[str, ...]
    contact_label_exempt: frozenset[str]
    webmail_domains: frozenset[str]
    footer_markers: tuple[str, ...]
    min_score: float
    mask: dict[str, Any]
    max_shown: dict[str, int] = dataclasses.field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | str | None = None) -> "Policy":
        """The packaged policy (built once per process), or it overridden by ``path``."""
        if path is None:
            return _packaged_policy()
        return cls._load(path)

    @classmethod
    def _load(cls, path: Path | str | None) -> "Policy":
        config = copy.deepcopy(_default_config())
        if path is not None:
            from ..settings import read_toml

            _merge(config, read_toml(path, "policy file"), "")
        pol = config["policy"]
        for key, value in pol.items():  # always = "CN_MOBILE" was read as a set of letters
            if isinstance(_default_config()["policy"].get(key), list) and not (
                    isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise ConfigError(f"policy: policy.{key} must be a list of strings, got {value!r}")
        try:
            return cls(
                always=frozenset(pol["always"]),
                in_person_record=frozenset(pol["in_person_record"]),
                name_with=frozenset(pol["name_with"]),
                agency_exempt=frozenset(pol["agency_exempt"]),
                agency_labels=tuple(pol["agency_labels"]),
                organ_contact_exempt=frozenset(pol["organ_contact_exempt"]),
                contact_labels=tuple(pol["contact_labels"]),
                contact_label_exempt=frozenset(pol["contact_label_exempt"]),
                webmail_domains=frozenset(d.lower() for d in pol["webmail_domains"]),
                footer_markers=tuple(pol["footer_markers"]),
                min_score=float(pol["min_score"]),
                mask=_checked_mask(config["mask"]),
                max_shown=_checked_max_shown(pol.get("max_shown", {})),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"policy: invalid value ({exc})") from None


def _checked_max_shown(table: Any) -> dict[str, int]:
    if not isinstance(table, dict) or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0
                                              for v in table.values()):
        raise ConfigError(f"policy: policy.max_shown must be a table of whole numbers >= 0, got {table!r}")
    return dict(table)


def shown(value: str) -> int:
    """How many characters of a (masked) identifier are shown: its digits and letters."""
    return sum(1 for ch in value if ch.isascii() and ch.isalnum() or "０" <= ch <= "９")


def _checked_mask(mask: dict[str, Any]) -> dict[str, Any]:
    """The [mask] table, refused with the setting's name unless ``char`` is one character
    (masking keeps every value's length) and each style is { head = N, tail = N } with
    whole numbers N >= 0 (a bad value surfaced as a traceback while masking)."""
    char = mask.get("char", "*")
    if not isinstance(char, str) or len(char) != 1 or char.isdigit() or char.isspace():
        raise ConfigError(f"policy: mask.char must be one character that is no digit or space, got {char!r}")
    for entity, style in mask.items():
        if entity == "char":
            continue
        if not isinstance(style, dict):
            raise ConfigError(f"policy: mask.{entity} must be a table {{ head = N, tail = N }}, got {style!r}")
        for key, value in style.items():
            if key not in ("head", "tail"):
                raise ConfigError(f"unknown policy setting 'mask.{entity}.{key}' (head, tail)")
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"policy: mask.{entity}.{key} must be a whole number >= 0, got {value!r}")
    return mask


@dataclasses.dataclass(frozen=True, slots=True)
class Judged:
    """A detection with the policy's verdict on it."""

    detection: Detection
    violation: bool
    rule: str  # why it is (not) a violation, in English


# A record written as labelled lines (a 行政处罚决定书's 当事人：王某某 / 身份证号：… / 住址：…):
# a line "label：value" (a short label before the colon) is a field line; one whose label
# introduces a person starts a record, which runs over the field lines after it up to the
# next such line, a blank line or a line of prose (经查，…), at most RECORD_MAX_LINES lines.
# (not 法定代表人, 负责人, 经营者: a company's record, its phone the company's)
RECORD_HEAD_LABELS = ("当事人", "姓名", "名字", "被处罚人", "受处罚人", "违法行为人", "被处罚对象", "申请人",
                      "被申请人", "被检查人", "被执行人", "被告人", "户主", "联系人", "拟任人选", "考生", "学生", "患者")
RECORD_MAX_LINES = 15
_FIELD_LINE = re.compile(r"[ \t\u3000]*([\u4e00-\u9fff（）()、/ \u3000]{1,12}?)[ \t\u3000]*[：:]")


def _line_at(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _field_label(text: str, start: int, end: int) -> str | None:
    """The label of a field line ``label：value`` (spaces inside removed), None for another line."""
    m = _FIELD_LINE.match(text, start, end)
    return re.sub(r"[ \t\u3000]", "", m.group(1)) if m else None


# a field line of an organisation ends a person's record: the body that handles the matter
# (办案机关：…局 / 联系电话：…, its phone the agency's), not the person's 工作单位
ORG_FIELD_ENDS = ("机关", "机构", "部门", "单位", "名称")
# (证件名称：居民身份证 is the person's own field: it ended the 信息公开申请表's record)
ORG_FIELD_OWN = ("工作", "所在", "就读", "就职", "任职", "毕业", "原", "证件", "证书")
_VALUE_END = re.compile(r"[，,；;（(\s]")


def _is_head(label: str | None) -> bool:
    return label is not None and any(label.endswith(h) for h in RECORD_HEAD_LABELS) and not label.startswith(("紧急", "家庭", "亲属"))


def _organisation_value(text: str, start: int, end: int) -> bool:
    """Whether the field line's value (up to a comma or bracket) names an organisation
    (当事人：广州市某某贸易有限公司, …局, …店): 5+ characters ending in an organ's word."""
    colon = min((i for i in (text.find("：", start, end), text.find(":", start, end)) if i >= 0), default=-1)
    value = _VALUE_END.split(text[colon + 1:end].strip(" \t\u3000"), maxsplit=1)[0] if colon >= 0 else ""
    return len(value) >= 5 and bool(ORGAN_AFTER.search(value) or value.endswith(("店", "厂", "社", "馆", "场", "部")))


def _person_head(text: str, start: int, end: int) -> bool:
    """A line starting a person's record: a person's label whose value is no organisation's
    name (当事人：某某有限公司 / 法定代表人：王芳 / 联系电话：… is the company's record)."""
    return _is_head(_field_label(text, start, end)) and not _organisation_value(text, start, end)


# the agency's staff on the matter (执法人员：李娜、张华 / 联系电话：…): their line ends a record too
AGENCY_STAFF_LABELS = ("执法人员", "办案人员", "承办人", "经办人", "执法证号")
# a record holding one of these is an organisation's (当事人：恒达贸易 / 统一社会信用代码：… / 法定代表人：王芳)
ORG_ID_LABELS = ("统一社会信用代码", "信用代码", "营业执照号", "注册号", "组织机构代码")


def _org_field(label: str) -> bool:
    return ((label.endswith(ORG_FIELD_ENDS) and not label.startswith(ORG_FIELD_OWN))
            or label.endswith(AGENCY_STAFF_LABELS))


def record_span(text: str, pos: int, records: dict[int, tuple[int, int]] | None = None) -> tuple[int, int]:
    """The record holding ``pos``: its line (a table row, a paragraph, a list entry), the
    labelled lines of one person's record (``RECORD_HEAD_LABELS``) that the line is part of,
    or the rows of a person's record in a key-value table (``kv_records``; ``records``: those
    of ``text``, when the caller has them)."""
    start, end = _line_at(text, pos)
    if "\t" in text[start:end] or "|" in text[start:end]:  # (a Markdown row: | 姓名 | 王建国 |)
        found = (kv_records(text) if records is None else records).get(start)
        if found:
            return found
    label = _field_label(text, start, end)
    if label is None:
        return start, end
    head = start
    for _ in range(RECORD_MAX_LINES):
        head_end = _line_at(text, head)[1]
        if _person_head(text, head, head_end):
            break
        here = _field_label(text, head, head_end)
        if _is_head(here) or _org_field(here):
            # an organisation's record (当事人：某某有限公司) or one of its fields (办案机关：…)
            # above or at the line: in no person's record
            return start, end
        if head == 0:
            return start, end
        prev = _line_at(text, head - 1)[0]
        if _field_label(text, prev, head - 1) is None:
            return start, end  # no person's label above: the line alone, as before
        head = prev
    else:
        return start, end
    tail = end
    for _ in range(RECORD_MAX_LINES):
        if tail >= len(text):
            break
        nxt_end = _line_at(text, tail + 1)[1]
        nxt = _field_label(text, tail + 1, nxt_end)
        if nxt is None or _is_head(nxt) or _org_field(nxt):
            break
        if nxt.endswith(ORG_ID_LABELS):
            return start, end  # an organisation's record: its phone is its own
        tail = nxt_end
    if any((_field_label(text, a, b) or "").endswith(ORG_ID_LABELS)
           for a, b in _lines_between(text, head, start)):
        return start, end
    return head, tail


@text_cache()
def kv_records(text: str) -> dict[int, tuple[int, int]]:
    """The records of the key-value tables of ``text`` (a 登记表: 姓名 | 王建国 | 性别 | 男 /
    联系电话 | 020-… | 身份证号 | …), as {line start: (record start, record end)} for each row
    in one.  A record starts at a row whose name label is a person's (姓名, 户主, 申请人 …, as
    ``RECORD_HEAD_LABELS``; not 负责人 or 法定代表人: a company's form) and runs over the rows
    below it up to the next person's name label (several people stacked in one table), a
    list's header (家庭成员 | 姓名 | 关系), a row of the agency's or an organisation's fields
    (办案机关, 单位名称, 承办人) or the table's end; one holding a 统一社会信用代码 row is an
    organisation's, its rows records of their own.  Rows were judged one by one, so a landline
    below the name was "not in a person's record" and the name with it "name alone"."""
    from ..checks.pii.common import label_text, layout_of

    out: dict[int, tuple[int, int]] = {}
    if "\t" not in text and "|" not in text:
        return out
    for block in layout_of(text).blocks:
        if not block.kv_heads:
            continue
        rows = block.rows
        heads = dict(block.kv_heads)

        def labels(r: int) -> list[str]:
            return [label_text(text[c.start:c.end]) for c in rows[r]]

        for h, c in block.kv_heads:
            head = labels(h)[c]
            if not _is_head(head):
                # 紧急联系人 | 李娜 inside a person's form is that person's record; on its own, its own
                if not (head.startswith(("紧急", "家庭", "亲属")) and head.endswith(RECORD_HEAD_LABELS)):
                    continue
                if _line_at(text, rows[h][0].start)[0] in out:
                    continue
            last = h
            for r in range(h + 1, len(rows)):
                here = labels(r)
                if r in heads and _is_head(here[heads[r]]) or r not in block.kv_rows:
                    break
                if any(lb and _org_field(lb) for lb in here):
                    break
                last = r
            if any(lb.endswith(ORG_ID_LABELS) for r in range(h, last + 1) for lb in labels(r) if lb):
                continue  # an organisation's form: its phone is its own
            start = _line_at(text, rows[h][0].start)[0]
            span = (start, _line_at(text, rows[last][-1].end)[1])
            for r in range(h, last + 1):
                out[_line_at(text, rows[r][0].start)[0]] = span
    return out


def _lines_between(text: str, start: int, end: int):
    """(start, end) of the lines from ``start`` up to the one starting at ``end`` (excluded)."""
    while start < end:
        stop = _line_at(text, start)[1]
        yield start, stop
        start = stop + 1


_GAPS = re.compile(r"[ \t\u3000]{2,}")


def _agency_labelled(text: str, det: Detection, labels: tuple[str, ...]) -> str:
    line_start = text.rfind("\n", 0, det.start) + 1
    # (the gaps of a PDF's or OFD's cells, read as runs of spaces, do not count: 办公电话 was
    # 20 characters away in a form exported from Word, its line a person's)
    window = _GAPS.sub("", text[max(line_start, det.start - 80):det.start])[-14:]
    for label in labels:
        if label in window or (det.header and label in det.header):
            return label
    return ""


def _webmail(address: str, domains: frozenset[str]) -> bool:
    """Whether an e-mail address is on a public webmail domain (a person's own mailbox)."""
    domain = address.rpartition("@")[2].lower()
    return any(domain == d or domain.endswith("." + d) for d in domains)


def _after_contact_label(text: str, det: Detection, line_start: int, labels: tuple[str, ...]) -> str:
    """The contact label (联系人 …) that the name ``det`` follows on its line, if any: the
    label, then at most a colon, an organ's name or other names between it and the name."""
    before = text[line_start:det.start]
    for label in labels:
        # the label as written, also spaced out (联 系 人：)
        found = list(re.finditer(r"[ \t\u3000]*".join(map(re.escape, label)), before))
        if not found:
            continue
        k, end = found[-1].span()
        if len(before) - end <= 24 and not any(c in before[end:] for c in "。；;"):
            if before[max(0, k - 2):k] in ("紧急", "家庭", "亲属"):
                continue  # 紧急联系人: a person's own record
            return label
    return ""


def _contact_label(text: str, dets: list[Detection], line_start: int, labels: tuple[str, ...]) -> str:
    """The contact label that a name of the record follows, if any (``_after_contact_label``)."""
    for d in dets:
        if d.entity == "PERSON":
            label = _after_contact_label(text, d, line_start, labels)
            if label:
                return label
    return ""


def _id_flaw(value: str) -> str:
    from ..checks.pii.cn_resident_id import id_flaw  # (imports presidio: when a detection needs it)

    return id_flaw(value)


SUSPECTED = "unmasked identifier: 疑似"  # the rule of a mistyped ID: unmasked identifier: 疑似身份证号（校验位不符）


def suspected_label(rule: str) -> str:
    """The Chinese label a finding or a count gives a mistyped ID (疑似身份证号（校验位不符）), or ""."""
    return rule.split(": ", 1)[1] if rule.startswith(SUSPECTED) else ""


def judge(text: str, detections: list[Detection], policy: Policy, footer_spans=()) -> list[Judged]:
    """Apply the policy to detections on ``text`` (the analyzed text)."""
    by_record: dict[tuple[int, int], list[Detection]] = {}
    # (once, not for each detection: the cache can have let the text go, another thread's in)
    records = kv_records(text) if detections else {}
    for det in detections:
        by_record.setdefault(record_span(text, det.start, records), []).append(det)
    out: list[Judged] = []
    for record, dets in by_record.items():
        line = text[record[0]:record[1]]
        has_name = any(d.entity == "PERSON" for d in dets)
        # a name given as an organ's work contact (科技司 虞正夫 010-…): its line is the organ's
        organ_contact = any(d.entity == "PERSON" and d.pattern.startswith(ORGAN_CONTACT_PATTERN) for d in dets)
        # a name after a contact label (联系人：王芳，联系电话：020-…): its landline is the office's
        contact_label = _contact_label(text, dets, record[0], policy.contact_labels)
        in_footer = any(m in line for m in policy.footer_markers) or any(s <= record[0] < e for s, e in footer_spans)
        personal_ids: list[Detection] = []
        partial: list[Judged] = []
        for det in dets:
            if det.masked:
                limit = policy.max_shown.get(det.entity)
                n = shown(text[det.start:det.end])
                if limit is not None and n > limit:
                    partial.append(Judged(det, True, f"insufficiently masked: {n} characters shown, at most {limit}"))
                    personal_ids.append(det)
                else:
                    partial.append(Judged(det, False, "masked form"))
                continue
            label = _agency_labelled(text, det, policy.agency_labels) if det.entity in policy.agency_exempt else ""
            if det.entity in policy.always and not label:
                # (a mistyped ID after its label: 疑似身份证号（校验位不符）, unmasked all the same)
                flaw = _id_flaw(text[det.start:det.end]) if det.entity == "CN_RESIDENT_ID" else ""
                partial.append(Judged(det, True, f"unmasked identifier: {flaw}" if flaw else "unmasked identifier"))
                personal_ids.append(det)
            elif det.entity in policy.always or det.entity in policy.in_person_record:
                if label:
                    partial.append(Judged(det, False, f"agency contact (labelled {label})"))
                elif in_footer:
                    partial.append(Judged(det, False, "agency contact (site footer)"))
                elif organ_contact and det.entity in policy.organ_contact_exempt:
                    partial.append(Judged(det, False, "agency contact (an organ's work contact)"))
                elif (contact_label and det.entity in policy.contact_label_exempt
                      and not (det.entity == "EMAIL" and _webmail(text[det.start:det.end], policy.webmail_domains))):
                    partial.append(Judged(det, False, f"agency contact (a work contact after {contact_label})"))
                elif has_name:
                    partial.append(Judged(det, True, "in a person's record"))
                    personal_ids.append(det)
                else:
                    partial.append(Judged(det, False, "not in a person's record"))
            elif det.entity == "PERSON":
                partial.append(Judged(det, False, "name alone"))
            else:
                partial.append(Judged(det, False, "not covered by the policy"))
        linked = [d for d in personal_ids if d.entity in policy.name_with]
        for j in partial:
            if j.detection.entity == "PERSON" and not j.detection.masked and linked:
                out.append(Judged(j.detection, True, f"name with {linked[0].entity} in the same record"))
            else:
                out.append(j)
    out.sort(key=lambda j: (j.detection.start, j.detection.end))
    return out


@functools.lru_cache(maxsize=1)
def _packaged_policy() -> Policy:
    return Policy._load(None)
