"""Hard negatives: identifiers and numbers of government pages that are never personal."""
import pytest

from pii_helpers import detect
from scanner.checks.pii.cn_uscc import is_valid_uscc


@pytest.mark.parametrize("text", [
    # 统一社会信用代码 (GB 32100 check valid), also all-digit-looking ones
    "统一社会信用代码：91350100M000100Y43",
    "发布机构：云浮市自然资源局　统一社会信用代码：11445300007030889Q",
    # 网站标识码, 新媒体标识码
    "网站标识码：4453000001",
    "新媒体标识码：4400000012345",
    # 文号
    "粤府办〔2022〕12号、云自然资〔2021〕138号",
    # ICP and 公安备案号
    "粤ICP备12345678号-1　粤公网安备 44010602000123号",
    # order and tender numbers
    "订单号：202205120001234567",
    "订单编号110105194912310021",
    "招标编号：GDZC2022-12345678，项目编号：0724-2022-12345",
    # codes built on a region and a date that pass Luhn: 4 (Visa) made them validated bank cards
    "采购计划号 440105202206100012",
    "登记流水：4403042021123100016（已办结）",
    "受理号4401062022061000019",
    # dates, amounts
    "2022年5月12日，2022-05-12，补贴金额12,345.67元，共计1234567.89元",
    # hotlines, 400/800 numbers, postcodes
    "政务服务便民热线12345，服务热线400-830-8300，800-820-1234，邮政编码：527300",
])
def test_never_flagged(text):
    assert detect(text) == []


def test_uscc_check():
    assert is_valid_uscc("91350100M000100Y43")
    assert not is_valid_uscc("91350100M000100Y44")


def test_uscc_suppresses_a_card_shaped_code():
    # an all-digit 统一社会信用代码 is not a card number or a phone
    from scanner.checks.pii.cn_uscc import uscc_check_char

    first = "91440101612345678"
    code = first + uscc_check_char(first)
    if code[-1].isdigit():
        assert detect(f"统一社会信用代码{code}") == []
    else:
        assert detect(f"代码{code}") == []
