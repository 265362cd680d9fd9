"""CN_ADDRESS: detailed addresses down to building, unit or room; village/street level never."""
import pytest

from pii_helpers import detect, values


@pytest.mark.parametrize("text, expected", [
    ("住址：广东省广州市天河区体育西路123号1栋2单元501室。", ["广东省广州市天河区体育西路123号1栋2单元501室"]),
    ("家住深圳市南山区翠苑小区3栋1203房，", ["深圳市南山区翠苑小区3栋1203房"]),
    ("地址：佛山市南海区人民北路8号金沙公寓B座1602", ["佛山市南海区人民北路8号金沙公寓B座1602"]),
    ("家庭住址\n韶关市浈江区解放南路12号3单元402室", ["韶关市浈江区解放南路12号3单元402室"]),
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
