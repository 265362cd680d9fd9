"""CN_PASSPORT: E/G/D/S/P + 8 digits, E + letter + 7 digits; needs context."""
import pytest

from pii_helpers import detect, values


@pytest.mark.parametrize("text, expected", [
    ("护照号码：E12345678", ["E12345678"]),
    ("护照号EA1234567", ["EA1234567"]),
    ("证件号码G12345678", ["G12345678"]),
    # no context: a generic code
    ("型号E12345678", []),
    ("产品E12345678上市", []),
    # lower case is not a passport number
    ("护照号码：e12345678", []),
    # wrong length
    ("护照号码：E1234567", []),
])
def test_cn_passport(text, expected):
    assert values(text, "CN_PASSPORT") == expected


@pytest.mark.parametrize("text, expected", [
    ("姓名\t护照号码\n王芳\tE12345678\n", ["E12345678"]),
    # a form: the label in the cell before the value (was missed: context stopped at the cell)
    ("姓名\t王芳\t护照号码\tE12345678\n", ["E12345678"]),
    # a text whose gap the audit read as a column gap (护照号码：  E12345678)
    ("护照号码：\t E12345678\n", ["E12345678"]),
    # the cell before is data, not a label
    ("序号\t金额\n1\tE12345678\n", []),
])
def test_passport_in_a_table(text, expected):
    assert values(text, "CN_PASSPORT") == expected


def test_masked_passport():
    assert detect("护照号码：E*****678", "CN_PASSPORT") == [("CN_PASSPORT", "E*****678", True)]
