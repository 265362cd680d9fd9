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


@pytest.mark.parametrize("text, expected", [
    # a Latin label written against the number (微信 typed wx/vx, Tel_, sj): a contact all the same
    # (wx13812345678 was passed over as the tail of a code)
    ("联系人王芳，wx13812345678。", ["13812345678"]),
    ("联系人王芳，WX-13812345678", ["13812345678"]),
    ("联系人王芳，vx13812345678", ["13812345678"]),
    ("Tel_13812345678", ["13812345678"]),
    ("微信13912345678", ["13912345678"]),
    ("姓名\t联系方式\n王芳\twx13812345678\n", ["13812345678"]),
    ("姓名\t微信号\n王芳\t13812345678\n", ["13812345678"]),
    # ... other letters joined to it by a hyphen or underscore are a code's (合同 HT-…): no mobile
    ("合同HT-13812345678已签订", []),
    ("采购合同 HT-13812345678 已签订", []),
    ("姓名\t合同号\n王芳\tHT-13812345678\n", []),
    ("项目 ZB_13812345678", []),
    ("hotel13812345678", []),
    # a quantity: a measure word ending the number's phrase, 数量/件数 before it or as its header
    ("领取数量 13812345678 件。", []),
    ("发放物资13812345678件", []),
    ("姓名\t数量\n王芳\t13812345678\n", []),
    # ... but a mobile followed by a word that starts with a measure character is a mobile, and a
    # 数量 elsewhere does not hide a labelled one
    ("联系电话：13812345678 个人", ["13812345678"]),
    ("王芳 13812345678 件数2", ["13812345678"]),
    ("领取数量：2件，联系电话13812345678", ["13812345678"]),
    ("姓名\t数量\t联系电话\n王芳\t2\t13812345678\n", ["13812345678"]),
    ("王芳13812345678张三13912345678", ["13812345678", "13912345678"]),
])
def test_mobile_labels_codes_and_quantities(text, expected):
    assert values(text, "CN_MOBILE") == expected
