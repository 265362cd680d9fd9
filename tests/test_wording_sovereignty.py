import pytest

from scanner.checks.wording.sovereignty import SovereigntyCheck
from tests.wording_cases import findings, flagged

CHECK = SovereigntyCheck()


@pytest.mark.parametrize("text, expected", [
    ("台湾总统发表讲话", ["台湾总统"]),
    ("所谓台湾国", ["台湾国"]),
    ("台湾政府宣布", ["台湾政府"]),
    ("两岸三地的合作", ["两岸三地"]),
    ("访问中华民国", ["中华民国"]),
    ("尖阁群岛", ["尖阁群岛"]),
    ("香港行政特区", ["香港行政特区"]),
    # 中国 beside 香港 / 澳门 / 台湾 as peers
    ("来自中国、香港和新加坡的代表", ["中国、香港"]),
    ("台湾和中国的贸易", ["台湾和中国"]),
    ("香港、中国和新加坡的代表", ["香港、中国"]),
    # the official names of sports and APEC lists are not peers
    ("参加比赛的有中国、中国香港、中国澳门、中国台北代表队", []),
    ("中国香港和中国台北的选手", []),
    ("澳门和中国台北的选手", []),
    # counted among 国家
    ("美国、日本、台湾等国家", ["美国、日本、台湾等国家"]),
    ("新加坡、香港等国", ["新加坡、香港等国"]),
    # near-misses that must not fire
    ("台湾地区领导人", []),
    ("台湾省", []),
    ("中国台湾", []),
    ("中国香港特别行政区", []),
    ("香港与中国内地", []),
    ("美国、日本、台湾等国家和地区", []),
    ("美国、日本等国家", []),
    ("巩固香港国际金融中心地位", []),
    # 香港国 inside words about Hong Kong (People's Daily): 国安条例, 国家安全, 国庆, 国情, 国泰, 国金
    ("随着香港国安条例的制定实施", []),
    ("坚决维护香港国家安全", []),
    ("香港国庆烟花汇演", []),
    ("加强香港国情教育", []),
    ("乘坐香港国泰航空航班", []),
    ("位于香港国金中心", []),
    ("香港国是一个独立的国家", ["香港国"]),
    # 中华民国 quoted, as the mainland writes it; unquoted and outside history it is an error
    ("台湾当局所谓“中华民国”的说法", []),
    ("所谓\"中华民国\"政府", []),
    ("中华民国政府发言人", ["中华民国"]),
    # a history or a title names the past (《中华民国史》 was a veto)
    ("《中华民国史》第三卷由中华书局出版。", []),
    ("他长期从事中华民国史研究", []),
    ("依据《中华民国临时约法》的规定", []),
    ("据《某某日报》报道，中华民国外交部发表声明", ["中华民国"]),  # a title elsewhere in the sentence
    ("《新闻联播》报道：中华民国政府发言人表示", ["中华民国"]),
    ("希望台湾国民党当局", []),
    ("中华民国成立于1912年", []),
    ("辛亥革命推翻清朝，建立中华民国", []),
    ("台湾政府采购", []),
])
def test_sovereignty(text, expected):
    assert flagged(CHECK, text) == expected


def test_suggestion_replaces_the_span():
    (f,) = findings(CHECK, "美国、日本、台湾等国家")
    assert f.suggestion == "美国、日本、台湾等国家和地区"
