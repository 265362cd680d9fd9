"""Sentence banks and synthetic personal data for the demo corpus.

All text is plain, correct government prose; the only planted errors are the ones the
generator asks for explicitly.  Personal data is synthetic: resident ID numbers are made
from region codes, made-up birth dates and a valid GB 11643 check digit; phone numbers are
random in the 139 range.
"""
from __future__ import annotations

import random

TOPICS = [
    "安全生产", "防汛防风", "营商环境优化", "乡村振兴", "河长制", "消防安全", "食品安全", "政务公开",
    "助企纾困", "就业创业", "文明城市创建", "垃圾分类", "森林防火", "禁毒宣传", "民生实事",
    "数字政府建设", "减税降费", "稳经济一揽子政策措施", "耕地保护", "污染防治", "校园安全",
    "燃气安全", "城市更新", "高标准农田建设", "养老服务", "医疗保障", "法治政府建设", "招商引资",
]

NEWS_TITLES = [
    "{unit}召开{topic}工作会议",
    "{unit}部署推进{topic}工作",
    "{unit}开展{topic}专项检查",
    "{unit}组织{topic}业务培训",
    "{unit}召开{topic}工作推进会",
    "{unit}到基层调研{topic}工作",
    "{unit}扎实推进{topic}各项任务落实",
    "{unit}举办{topic}主题宣传活动",
]
NOTICE_TITLES = [
    "关于做好{topic}工作的通知",
    "关于开展{topic}专项行动的通告",
    "关于{topic}有关事项的公告",
    "关于征求《{topic}工作方案（征求意见稿）》意见的公告",
]
POLICY_TITLES = [
    "{unit}关于印发《{topic}实施方案》的通知",
    "{unit}关于进一步加强{topic}工作的意见",
    "{unit}关于印发《{topic}工作指引》的通知",
]
INTERPRET_TITLES = [
    "《{topic}实施方案》政策解读",
    "一图读懂《{topic}工作指引》",
]
OTHER_TITLES = {
    "人事信息": ["{unit}2022年公开招聘工作人员公告", "{unit}干部任前公示", "{unit}公开遴选公务员公告"],
    "规划计划": ["{unit}2022年工作要点", "{unit}“十四五”{topic}规划", "{unit}2021年工作总结"],
    "财政资金": ["{unit}2022年部门预算", "{unit}2021年部门决算", "{unit}2022年{topic}专项资金分配方案"],
    "统计数据": ["2022年1-5月主要经济指标", "2022年一季度{topic}统计数据", "2021年{topic}统计公报"],
    "建议提案办理": ["对市人大代表建议的答复", "对政协委员提案的答复", "建议提案办理工作总结"],
    "重点领域信息公开": ["{topic}信息公开", "{topic}项目信息公开", "{topic}行政许可信息公开"],
    "审计信息": ["{unit}2021年度预算执行审计结果公告", "{topic}专项审计调查结果"],
    "应急管理": ["{topic}应急预案", "{topic}风险提示", "{topic}应急演练情况"],
    "行政执法": ["{unit}行政处罚决定书", "{unit}“双随机、一公开”抽查结果公示", "{topic}执法检查情况通报"],
    "公共服务": ["{topic}服务指南", "{topic}办事流程", "{topic}服务网点一览表"],
    "就莞用": ["就莞用平台招聘会信息", "就莞用平台岗位推荐", "就莞用平台就业政策汇编"],
}

SENTENCES = [
    "会议强调，要进一步提高思想认识，压实工作责任，确保各项任务落到实处。",
    "会议要求，各有关单位要加强统筹协调，形成工作合力，推动{topic}工作取得新成效。",
    "活动现场，工作人员向群众发放宣传资料，耐心解答群众关心的问题。",
    "下一步，{unit}将继续加大工作力度，持续做好{topic}各项工作。",
    "检查组一行深入企业、社区实地查看，详细了解{topic}工作开展情况。",
    "各有关单位要严格落实主体责任，加强监督检查，及时发现和消除隐患。",
    "此次培训进一步提升了工作人员的业务能力和服务水平。",
    "据了解，今年以来全市{topic}工作总体平稳，各项指标完成情况良好。",
    "与会人员围绕{topic}工作中的重点难点问题进行了深入交流。",
    "{unit}主要负责同志出席会议并讲话。",
    "要坚持以人民为中心的发展思想，切实解决群众急难愁盼问题。",
    "本通知自印发之日起施行，执行中遇到的问题请及时向{unit}反映。",
]
POLITICAL = "会议指出，要深入学习贯彻{leader}新时代中国特色社会主义思想，全面贯彻落实党中央、国务院决策部署。"

SURNAMES = "陈林黄张李王吴刘蔡杨郑梁谢何许郭罗邓冯叶曾彭肖苏"
GIVEN = ["建华", "志强", "秀英", "丽娟", "国平", "伟明", "小玲", "海燕", "家豪", "晓东", "美玲", "俊杰", "桂芳", "振雄"]

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """GB 11643-1999 check character of the first 17 digits."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS)) % 11]


def synthetic_resident_id(rng: random.Random, region6: str) -> str:
    """A checksum-valid but made-up resident ID number in ``region6``."""
    year = rng.randint(1955, 1995)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    seq = rng.randint(100, 999)
    first17 = f"{region6}{year:04d}{month:02d}{day:02d}{seq:03d}"
    return first17 + id_check_digit(first17)


def synthetic_mobile(rng: random.Random) -> str:
    return f"139{rng.randint(10000000, 99999999)}"


def synthetic_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def mask_id(value: str) -> str:
    return value[:4] + "*" * 10 + value[-4:]


def mask_mobile(value: str) -> str:
    return value[:3] + "****" + value[-4:]


def mask_name(value: str) -> str:
    return value[0] + "*" + (value[2:] if len(value) > 2 else "")


def paragraphs(rng: random.Random, unit: str, topic: str, n: int, leader: str | None = None) -> list[str]:
    picked = rng.sample(SENTENCES, n)
    out = [s.format(unit=unit, topic=topic) for s in picked]
    if leader:
        out.insert(1, POLITICAL.format(leader=leader))
    return out
