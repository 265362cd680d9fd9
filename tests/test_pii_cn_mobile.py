"""CN_MOBILE: 11-digit mobiles, +86, separators, 3-4-4 groups; never part of longer numbers."""
import pytest

from pii_helpers import detect, values


@pytest.mark.parametrize("text, expected", [
    ("联系电话13812345678。", ["13812345678"]),
    ("手机：138-1234-5678", ["138-1234-5678"]),
    ("手机 138 1234 5678", ["138 1234 5678"]),
    ("+86 13912345678", ["+86 13912345678"]),
    ("+8613912345678", ["+8613912345678"]),
    ("（+86）139-1234-5678", ["（+86）139-1234-5678"]),
    ("电话：１８９１２３４５６７８", ["１８９１２３４５６７８"]),
    ("手机号19912345678，", ["19912345678"]),
    # a dash typed as a Chinese character between the groups
    ("手机：138一1234一5678", ["138一1234一5678"]),
    ("手机 138—1234—5678", ["138—1234—5678"]),
    # 一 between small numbers is a range, not a separator
    ("第3一5条，2022年1一6月", []),
    # not a mobile segment (12x, 154)
    ("编号12012345678", []),
    ("号码15412345678", []),
    # part of a longer digit run
    ("流水号2013812345678", []),
    ("138123456789", []),
    # an order number context
    ("订单号13812345678", []),
    # an amount: a currency unit after it, or 金额/价款 before it
    ("采购金额：13812345678元", []),
    ("项目总投资13812345678元，其中财政资金1.5亿元", []),
    ("合同价款 13812345678", []),
    ("联系电话13812345678，元旦期间照常办公", ["13812345678"]),
    # hotlines and 400 numbers
    ("政务服务便民热线12345，400-123-4567，800-830-8300", []),
])
def test_cn_mobile(text, expected):
    assert values(text, "CN_MOBILE") == expected


@pytest.mark.parametrize("text, masked", [
    ("手机138****5678", "138****5678"),
    ("手机 138-****-5678", "138-****-5678"),
])
def test_masked_mobile(text, masked):
    assert detect(text, "CN_MOBILE") == [("CN_MOBILE", masked, True)]
