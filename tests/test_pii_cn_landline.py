"""CN_LANDLINE: area code + 7/8 digits, brackets, extensions; hotlines, 400 and postcodes never."""
import pytest

from pii_helpers import detect, values


@pytest.mark.parametrize("text, expected", [
    ("家庭电话：020-83331234", ["020-83331234"]),
    ("电话(0755)2345678转123", ["(0755)2345678转123"]),
    ("电话（020）83331234", ["（020）83331234"]),
    ("座机0757-8123456", ["0757-8123456"]),
    ("固话 010-6512 3456", ["010-6512 3456"]),
    # a dash typed as 一, —, or full-width －, as published contact lists have it
    ("联系人：张娴 010一67558129", ["010一67558129"]),
    ("电话：010－68205630", ["010－68205630"]),
    ("电话 0757—8123456", ["0757—8123456"]),
    # digits only: needs a context word
    ("电话02083331234", ["02083331234"]),
    ("编码02083331234", []),
    # Guangzhou has 8-digit local numbers
    ("电话：020-2345678", []),
    # hotlines, 400/800 numbers, postcodes
    ("拨打12345或12315，400-800-1234，邮编510000", []),
    # a local number never starts with 0 or 1
    ("电话020-13312345", []),
])
def test_cn_landline(text, expected):
    assert values(text, "CN_LANDLINE") == expected


def test_masked_landline():
    assert detect("家庭电话：020-8333****", "CN_LANDLINE") == [("CN_LANDLINE", "020-8333****", True)]
