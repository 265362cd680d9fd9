"""CN_RESIDENT_ID: GB 11643 checksum, birth date, GB/T 2260 region, 15-digit legacy numbers."""
import pytest

from pii_helpers import detect, values
from scanner.checks.pii.cn_resident_id import id_check_char, is_valid_resident_id


@pytest.mark.parametrize("text, expected", [
    # the standard's example, checksum X
    ("身份证号11010519491231002X。", ["11010519491231002X"]),
    # lower-case x
    ("公民身份号码：11010519491231002x", ["11010519491231002x"]),
    # generated, valid checksum, region in the table
    ("证件号码 440105199003071235 已核验", ["440105199003071235"]),
    # full-width digits inside running text
    ("证件号码１１０１０５１９４９１２３１００２Ｘ", ["１１０１０５１９４９１２３１００２Ｘ"]),
    # spaces and hyphens between the groups
    ("身份证：110105 19491231 002X", ["110105 19491231 002X"]),
    ("身份证：110105-19491231-002X", ["110105-19491231-002X"]),
    # zero-width space inside the number still found, offsets in the original
    ("身份证号1101051949\u200b1231002X", ["1101051949\u200b1231002X"]),
    # region code missing from the 2023 table (re-districted county): still reported
    ("身份证号44018119850612234X", ["44018119850612234X"]),
    # 15-digit legacy number with context
    ("身份证号码：440105800101123", ["440105800101123"]),
    # right shape, wrong checksum: no ID, unless a label names it (a mistyped ID, below)
    ("订单号110105194912310021", []),
    # impossible birth date (Feb 30) with a matching checksum is still not an ID
    ("编码11010519490230" + "0013", []),
    # invalid province prefix
    ("号码990105194912310028", []),
    # longer digit runs are not IDs
    ("流水1101051949123100211", []),
    # letters glued on the left
    ("ID11010519491231002X", []),
    # only the check character hidden: it follows from the 17 digits shown, the ID is
    # published whole (was not found at all: neither an ID nor a masked form)
    ("身份证号：11010519491231002*", ["11010519491231002*"]),
    ("身份证号：１１０１０５１９４９１２３１００２＊", ["１１０１０５１９４９１２３１００２＊"]),
    # ... but not a number that would be no ID whatever its last character (bad region)
    ("编号99999919491231002*", []),
    # an ID a spreadsheet kept as a number and wrote out whole, its last three digits lost to 0
    # (a CSV saved by Excel): region and birth date still shown; with context it is an ID (it
    # failed the checksum and the list came out compliant)
    ("身份证号：440105198001010000", ["440105198001010000"]),
    ("姓名\t身份证号\n王芳\t440105197512300000\n", ["440105197512300000"]),
    # ... not without context, nor with an impossible date or a region not in the table
    ("编号440105198001010000", []),
    ("身份证号：440105199013071000", []),
    ("身份证号：449999199003071000", []),
    # ... nor where the context word labels something else: it must label the number (right
    # before it, its column's header, the cell before it), with no negative word (a 身份证 word
    # anywhere in the 16 characters before an 18-digit 编号 ending in 000 made it an ID, a veto)
    ("凭身份证办理，受理编号440105198001010000。", []),
    ("申请人持居民身份证原件，案卷号440105198001010000", []),
    ("姓名\t核验\t订单号\n王芳\t身份证已核验\t440105198001010000\n", []),
    ("身份证号码为440105198001010000", ["440105198001010000"]),
    ("姓名\t证件类型\t编号\n王芳\t居民身份证\t440105197512300000\n", ["440105197512300000"]),
    # a checksum-valid ID needs no label
    ("凭身份证办理，受理编号11010519491231002X。", ["11010519491231002X"]),
])
def test_cn_resident_id(text, expected):
    assert values(text, "CN_RESIDENT_ID") == expected


def test_retired_region_scores_lower_but_above_threshold():
    found = {v: s for v, s in _scores("身份证号44018119850612234X，另一人身份证号440105199003071235")}
    assert found["440105199003071235"] == 1.0
    assert 0.5 <= found["44018119850612234X"] < 1.0


def _scores(text):
    from scanner.checks.pii.analyzer import PiiAnalyzer

    return [(text[d.start:d.end], d.score) for d in PiiAnalyzer().analyze(text) if d.entity == "CN_RESIDENT_ID"]


@pytest.mark.parametrize("first17, check", [("11010519491231002", "X"), ("44010519900307123", "5")])
def test_check_character(first17, check):
    assert id_check_char(first17) == check
    assert is_valid_resident_id(first17 + check)


def test_masked_ids_are_masked():
    found = detect("身份证号4401**********123X、440105********1234", "CN_RESIDENT_ID")
    assert found == [("CN_RESIDENT_ID", "4401**********123X", True), ("CN_RESIDENT_ID", "440105********1234", True)]


@pytest.mark.parametrize("text, expected", [
    # the whole 18 characters, also when the last ones are hidden (was its first 15)
    ("身份证号440105********1***", [("CN_RESIDENT_ID", "440105********1***", True)]),
    ("身份证号440105************", [("CN_RESIDENT_ID", "440105************", True)]),
    # shown parts no ID has: no masked ID (invalid province 99, birth year 7890)
    ("编号999999199003071***", []),
    ("编号123456789012345***", []),
])
def test_masked_id_span_and_shown_parts(text, expected):
    assert detect(text, "CN_RESIDENT_ID") == expected


def test_check_character_hidden_is_a_violation_and_masked():
    from scanner.privacy.audit import audit_extracted
    from scanner.privacy.policy import Policy
    from scanner.types import Extracted, Source

    text = "申请人王芳，身份证号：11010519491231002*。"
    record = audit_extracted(Extracted(Source("a.txt", text.encode()), text, "txt"), Policy.load())
    assert record.verdict == "violation"
    [item] = [i for i in record.items if i["entity"] == "CN_RESIDENT_ID"]
    assert not item["masked"] and item["value_masked"] == "110105********002*"  # the 18 positions: 6 and 4 kept


@pytest.mark.parametrize("text, expected, flaw", [
    # a mistyped ID right after its label, or under its column's header: 18 digits with a wrong
    # check character, 17 digits (one missing), spaces or hyphens anywhere inside; unmasked all the
    # same (region and birth date shown), reported as a suspected ID (they were not found at all)
    ("身份证号110105194912310021", ["110105194912310021"], "疑似身份证号（校验位不符）"),
    ("证件号码：11010519491231002，联系地址略。", ["11010519491231002"], "疑似身份证号（17位，缺一位）"),
    ("身份证号码为 1101 0519 4912 3100 21", ["1101 0519 4912 3100 21"], "疑似身份证号（校验位不符）"),
    ("姓名\t身份证号\n王芳\t110105-1949-1231-0021\n", ["110105-1949-1231-0021"], "疑似身份证号（校验位不符）"),
    # a valid ID grouped as a card is an ID (not a suspected one) after its label
    ("身份证号：1101 0519 4912 3100 2X", ["1101 0519 4912 3100 2X"], ""),
    # near-misses: the same numbers without a label naming them, or with another label
    ("订单号110105194912310021，已发货。", [], ""),
    ("订单号：11010519491231002", [], ""),
    ("凭身份证办理，受理编号110105194912310021。", [], ""),
    ("身份证号：11010519491231002X，订单号：110105194912310021", ["11010519491231002X"], ""),
    ("合同编号 1101 0519 4912 3100 2X", [], ""),
    # ... a licence's number built on region and date (证号 alone labels none), in text or as a header
    ("执业证号：110105194912310021", [], ""),
    ("许可证号 11010519491231002", [], ""),
    ("姓名\t执业证号\n王芳\t110105194912310021\n", [], ""),
    ("执业证号：440105198001010000", [], ""),
    # ... while a valid ID after it is an ID
    ("执业证号：11010519491231002X", ["11010519491231002X"], ""),
    ("姓名\t订单号\n王芳\t110105194912310021\n", [], ""),
    # ... nor a number no ID could be: a bad province, an impossible birth date, 16 or 19 digits
    ("身份证号：990105194912310021", [], ""),
    ("身份证号：110105194913310021", [], ""),
    ("身份证号：1101051949123100", [], ""),
    ("身份证号：1101051949123100211", [], ""),
])
def test_mistyped_id_after_its_label(text, expected, flaw):
    from scanner.checks.pii.cn_resident_id import id_flaw

    found = values(text, "CN_RESIDENT_ID")
    assert found == expected
    assert [id_flaw(v) for v in found] == [flaw] * len(found)


@pytest.mark.parametrize("text, label", [
    ("申请人王芳，身份证号：110105194912310021。", "疑似身份证号（校验位不符）"),
    ("申请人王芳，身份证号：11010519491231002。", "疑似身份证号（17位，缺一位）"),
    ("申请人王芳，身份证号：11010519491231002X。", "居民身份证号码"),
])
def test_mistyped_id_is_a_violation_named_as_suspected(tmp_path, text, label):
    from scanner.privacy.audit import audit_paths

    path = tmp_path / "公示.txt"
    path.write_text(text, encoding="utf-8")
    [record] = audit_paths([str(path)])
    assert record.verdict == "violation" and f"{label}×1" in record.reason, record.reason
    [item] = [i for i in record.items if i["entity"] == "CN_RESIDENT_ID"]
    assert item["violation"] and (label in item["rule"]) == label.startswith("疑似")
    assert "49123100" not in repr(record.to_dict())  # masked


def test_mistyped_id_finding_says_suspected(reviewer):
    review = reviewer.review_text("申请人王芳，身份证号：110105194912310021。")
    [finding] = [f for f in review.findings if f.code == "pii.cn_resident_id"]
    assert finding.message.startswith("未去标识化的疑似身份证号（校验位不符）：110105")
