"""CN_BANK_CARD: 16-19 digits, Luhn, issuer prefix; groups of 4."""
import pytest

from pii_helpers import detect, values


@pytest.mark.parametrize("text, expected", [
    ("银行卡号6222021234567894", ["6222021234567894"]),
    ("卡号：6222 0212 3456 7894", ["6222 0212 3456 7894"]),
    ("账号6222 0212 3456 7890 128", ["6222 0212 3456 7890 128"]),
    # Luhn ok, 17 and 18 digits
    ("社保卡62284800123456782", ["62284800123456782"]),
    # Luhn fails
    ("卡号6222021234567890", []),
    # Luhn ok but an order number
    ("订单号6222021234567894", []),
    # a code built on a region and a date (Luhn ok by chance): a card only where a label says so
    ("采购计划号 440105202206100012", []),
    ("银行卡号：440105202206100012", ["440105202206100012"]),
    # ... a Visa or domestic number without a region and date there stays a card without context
    ("4367421234567896", ["4367421234567896"]),
    ("9558801234567890128", ["9558801234567890128"]),
    # 15 and 20 digits are not card numbers
    ("卡号622202123456789", []),
    ("卡号62220212345678940000", []),
])
def test_cn_bank_card(text, expected):
    assert values(text, "CN_BANK_CARD") == expected


@pytest.mark.parametrize("masked", ["6222 **** **** 1234", "622202******1234", "6222********1234"])
def test_masked_card(masked):
    assert detect(f"银行卡号：{masked}", "CN_BANK_CARD") == [("CN_BANK_CARD", masked, True)]


def test_resident_id_wins_over_card():
    # an 18-digit ID number that also passes Luhn is reported once, as an ID
    found = detect("身份证号440105199003071235", None)
    assert [e for e, _v, _m in found] == ["CN_RESIDENT_ID"]
