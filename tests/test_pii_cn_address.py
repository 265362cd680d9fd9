"""CN_ADDRESS: detailed addresses down to building, unit or room; village/street level never."""
import pytest

from pii_helpers import detect, values


@pytest.mark.parametrize("text, expected", [
    ("住址：广东省广州市天河区体育西路123号1栋2单元501室。", ["广东省广州市天河区体育西路123号1栋2单元501室"]),
    ("家住深圳市南山区翠苑小区3栋1203房，", ["深圳市南山区翠苑小区3栋1203房"]),
    ("地址：佛山市南海区人民北路8号金沙公寓B座1602", ["佛山市南海区人民北路8号金沙公寓B座1602"]),
    ("家庭住址\n韶关市浈江区解放南路12号3单元402室", ["韶关市浈江区解放南路12号3单元402室"]),
    # a PDF exported from Word or WPS: the gap drawn between Han characters and digits is read
    # as a space (no address was found in such a 名单)
    ("住址：广州市海珠区江南大道中 213 号12 栋 1659房", ["广州市海珠区江南大道中 213 号12 栋 1659房"]),
    ("家住深圳市南山区翠苑小区 3 栋 2 单元 1203 房，", ["深圳市南山区翠苑小区 3 栋 2 单元 1203 房"]),
    ("11\t胡静\t广州市海珠区江南大道中 94 号 9 栋1255房", ["广州市海珠区江南大道中 94 号 9 栋1255房"]),
    # ... one space only, and only beside a digit: a column gap or a space between words ends it
    ("住址：广州市海珠区江南大道中  213 号12 栋 1659房", ["213 号12 栋 1659房"]),
    ("请于 5 月 10 日到 3 栋会议室", []),
    ("已建成 2 栋教学楼，共 12 栋 1200 户", []),
    # village or street level, no building/unit/room: not detailed
    ("住址：石井镇大朗村", []),
    ("地址：广州市天河区体育西路123号", []),
    ("云浮市云城区河口街道三组", []),
    # running text: 一座/一栋 is a measure word, no number anywhere (People's Daily, 2024)
    ("石头的碓窝石头的缸……整个街区俨然一座石头城大观园。", []),
    ("村里新建了一栋三层小楼，住着五户人家。", []),
    # rooms of an office without a street
    ("请到3楼会议室开会，302室为档案室", []),
])
def test_cn_address(text, expected):
    assert values(text, "CN_ADDRESS") == expected


def test_masked_address():
    found = detect("住址：广州市天河区体育西路***号*栋*单元***室", "CN_ADDRESS")
    assert found and all(masked for _e, _v, masked in found)
