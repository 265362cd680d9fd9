"""The demo province's registry: every website and account of the notice, with valid codes.

Counts per region, the region order and the named units (with their exact 标识码, 主办单位
and 账号类型) come from the notice (``notice.py``); every other unit is made up from the
GB/T 2260 divisions of Guangdong (``gd-divisions.csv``, from the 国家统计局 2023 list) and a
table of government departments, deterministically from a seed.

Each unit carries a ``profile``: what the snapshot generator plants on it (``healthy``,
``stale_columns``, ``blank_columns`` ...).  The profile is generator-internal: it is never
written to the registry CSV, and nothing downstream of the scan reads it.
"""
from __future__ import annotations

import csv
import dataclasses
import random
from pathlib import Path

from pypinyin import lazy_pinyin

from corpora.demo.notice import load_notice

DIVISIONS_CSV = Path(__file__).with_name("gd-divisions.csv")

SITE_COLUMNS = ["地区", "网站名称", "主办单位", "网站地址", "网站标识码"]
ACCOUNT_COLUMNS = ["地区", "新媒体名称", "账号类型", "主办单位", "新媒体标识码", "账号地址"]

# 账号类型 -> platform code of the 新媒体标识码
PLATFORM_CODES = {
    "微信订阅号": "WX",
    "微信服务号": "WX",
    "新浪微博": "XL",
    "南方号": "NF",
    "抖音短视频": "DY",
    "今日头条": "TT",
    "快手": "KS",
}
_PLATFORM_WEIGHTS = [("微信订阅号", 40), ("微信服务号", 14), ("新浪微博", 16), ("南方号", 10),
                     ("抖音短视频", 10), ("今日头条", 7), ("快手", 3)]

# (city-level name, short name for account names, host label, provincial name or None)
DEPARTMENTS = [
    ("发展和改革局", "发改", "fgw", "发展和改革委员会"),
    ("教育局", "教育", "edu", "教育厅"),
    ("科学技术局", "科技", "kjj", "科学技术厅"),
    ("工业和信息化局", "工信", "gxj", "工业和信息化厅"),
    ("公安局", "公安", "gaj", "公安厅"),
    ("民政局", "民政", "mzj", "民政厅"),
    ("司法局", "司法", "sfj", "司法厅"),
    ("财政局", "财政", "czj", "财政厅"),
    ("人力资源和社会保障局", "人社", "hrss", "人力资源和社会保障厅"),
    ("自然资源局", "自然资源", "zrzyj", "自然资源厅"),
    ("生态环境局", "生态环境", "sthjj", "生态环境厅"),
    ("住房和城乡建设局", "住建", "zjj", "住房和城乡建设厅"),
    ("交通运输局", "交通", "jtj", "交通运输厅"),
    ("水务局", "水务", "swj", "水利厅"),
    ("农业农村局", "农业农村", "nyncj", "农业农村厅"),
    ("商务局", "商务", "com", "商务厅"),
    ("文化广电旅游体育局", "文旅", "wglt", "文化和旅游厅"),
    ("卫生健康局", "卫健", "wjj", "卫生健康委员会"),
    ("退役军人事务局", "退役军人", "tyjrj", "退役军人事务厅"),
    ("应急管理局", "应急管理", "yjgl", "应急管理厅"),
    ("审计局", "审计", "sjj", "审计厅"),
    ("市场监督管理局", "市场监管", "amr", "市场监督管理局"),
    ("统计局", "统计", "tjj", "统计局"),
    ("医疗保障局", "医保", "ybj", "医疗保障局"),
    ("林业局", "林业", "lyj", "林业局"),
    ("城市管理和综合执法局", "城管", "cgj", None),
    ("政务服务数据管理局", "政数", "zsj", "政务服务数据管理局"),
    ("信访局", "信访", "xfj", "信访局"),
    ("国有资产监督管理委员会", "国资", "gzw", "人民政府国有资产监督管理委员会"),
    ("人民政府外事办公室", "外事", "fao", "人民政府外事办公室"),
    ("民族宗教事务局", "民宗", "mzzj", "民族宗教事务委员会"),
    ("地方金融监督管理局", "金融", "jrj", "地方金融监督管理局"),
    ("能源局", "能源", "nyj", "能源局"),
    ("粮食和物资储备局", "粮食", "lsj", "粮食和物资储备局"),
    ("气象局", "气象", "qxj", "气象局"),
    ("人民防空办公室", "人防", "rfb", "人民防空办公室"),
    ("机关事务管理局", "机关事务", "jgswj", "机关事务管理局"),
    ("档案馆", "档案", "daj", "档案馆"),
    ("地方志办公室", "方志", "dfz", "地方志办公室"),
    ("公共资源交易中心", "公共资源交易", "ggzy", "公共资源交易中心"),
    ("住房公积金管理中心", "公积金", "gjj", None),
    ("投资促进局", "投资促进", "tzcj", "投资促进局"),
    ("供销合作联社", "供销", "gxs", "供销合作联社"),
    ("中小企业服务中心", "中小企业", "smes", None),
    ("海洋综合执法支队", "海洋执法", "hyzf", None),
    (None, "药监", "mpa", "药品监督管理局"),
    (None, "监狱", "jyj", "监狱管理局"),
    (None, "戒毒", "jdj", "戒毒管理局"),
    (None, "地质", "dzj", "地质局"),
    (None, "社科院", "gdass", "社会科学院"),
    (None, "科学院", "gdas", "科学院"),
    (None, "农科院", "gdaas", "农业科学院"),
    (None, "港澳", "hmo", "人民政府港澳事务办公室"),
    (None, "参事室", "css", "人民政府参事室"),
    (None, "文史馆", "wsg", "人民政府文史研究馆"),
    (None, "知识产权", "cnipa", "知识产权局"),
    (None, "体育", "tyj", "体育局"),
    (None, "乡村振兴", "xczx", "乡村振兴局"),
    (None, "海洋", "hy", "海洋局"),
]
# overflow for 省直: directly affiliated bodies of the departments
_AFFILIATES = [("信息中心", "xxzx"), ("事务中心", "swzx"), ("宣传教育中心", "xjzx"), ("培训中心", "pxzx")]


@dataclasses.dataclass
class Site:
    region: str
    name: str
    sponsor: str
    host: str
    code: str
    profile: str = "healthy"
    division: str = ""  # the 6-digit GB/T 2260 code the site belongs to
    kind: str = "dept"  # portal | dept | special

    @property
    def url(self) -> str:
        return f"http://{self.host}/"

    def row(self) -> dict:
        return {"地区": self.region, "网站名称": self.name, "主办单位": self.sponsor,
                "网站地址": self.url, "网站标识码": self.code}


@dataclasses.dataclass
class Account:
    region: str
    name: str
    platform: str
    sponsor: str
    code: str
    url: str = ""
    profile: str = "healthy"
    observed_name: str = ""  # the name the platform shows now (differs when renamed)

    def row(self) -> dict:
        return {"地区": self.region, "新媒体名称": self.name, "账号类型": self.platform,
                "主办单位": self.sponsor, "新媒体标识码": self.code, "账号地址": self.url}


@dataclasses.dataclass
class Registry:
    regions: list[str]
    sites: list[Site]
    accounts: list[Account]

    def write(self, directory: Path) -> tuple[Path, Path]:
        directory.mkdir(parents=True, exist_ok=True)
        paths = directory / "sites.csv", directory / "accounts.csv"
        for path, columns, units in ((paths[0], SITE_COLUMNS, self.sites),
                                     (paths[1], ACCOUNT_COLUMNS, self.accounts)):
            with path.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=columns)
                writer.writeheader()
                for unit in units:
                    writer.writerow(unit.row())
        return paths


# --- divisions -----------------------------------------------------------------------------

def load_divisions() -> dict[str, tuple[str, str]]:
    """code -> (name, level) for Guangdong: the province, its 21 cities and their counties."""
    with DIVISIONS_CSV.open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return {row["code"]: (row["name"], row["level"]) for row in csv.DictReader(lines)}


def _pinyin(name: str) -> str:
    for suffix in ("自治县", "区", "县", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    return "".join(lazy_pinyin(name)).replace("ü", "v")


def _initials(name: str) -> str:
    return "".join(p[0] for p in lazy_pinyin(name.rstrip("市")))


# --- the special units: the notice's and the planted near-misses ---------------------------

# Site profiles the notice names, by 网站标识码 (the problem decides the profile).
_PROBLEM_PROFILES = {
    "多个栏目长期未更新": "stale_columns",
    "多个栏目为空白": "blank_columns",
    "互动回应差": "no_channel",
    "出现严重表述错误": "wording_error",
    "监测时间点前2周内无更新": "silent",
    "泄露个人隐私": "pii_leak",
}

# Deduction-level cases of the notice and near-misses: (region, name, sponsor, profile, division)
_EXTRA_SITES = [
    ("东莞", "东莞市人力资源和社会保障局网站", "东莞市人力资源和社会保障局", "test_content", "441900"),
    ("韶关", "韶关市教育局网站", "韶关市教育局", "letters_cut", "440200"),
    ("韶关", "韶关市民政局网站", "韶关市民政局", "letters_cut", "440200"),
    ("韶关", "韶关市住房和城乡建设局网站", "韶关市住房和城乡建设局", "letters_cut", "440200"),
    ("阳江", "阳江市统计局网站", "阳江市统计局", "blank_columns_4", "441700"),
    ("茂名", "茂名市商务局网站", "茂名市商务局", "stale_columns_4", "440900"),
    ("中山", "中山市民政局网站", "中山市民政局", "edge_14_days", "442000"),
    ("江门", "江门市自然资源局网站", "江门市自然资源局", "masked_list", "440700"),
    ("广州", "广州市卫生健康局网站", "广州市卫生健康局", "masked_list", "440100"),
    ("省直", "广东省教育厅网站", "广东省教育厅", "edge_14_days", "440000"),
]
# (region, name, platform, sponsor, profile, division, observed name)
_EXTRA_ACCOUNTS = [
    ("湛江", "湛江市人民政府驻北京联络处", "微信订阅号", "湛江市人民政府驻北京联络处", "chat_news", "440800", ""),
    ("潮州", "潮州信访", "微信服务号", "潮州市信访局", "bare_links", "445100", ""),
    ("佛山", "品质大塘", "微信订阅号", "佛山市三水区大塘镇人民政府", "renamed", "440607", "三水大塘"),
    ("东莞", "东莞反诈", "微信订阅号", "东莞市公安局", "renamed", "441900", "东莞市反诈中心"),
    ("广州", "广州民政", "微信订阅号", "广州市民政局", "edge_14_days", "440100", ""),
    ("揭阳", "揭阳统计", "新浪微博", "揭阳市统计局", "edge_14_days", "445200", ""),
    ("梅州", "梅州自然资源", "微信订阅号", "梅州市自然资源局", "masked_list", "441400", ""),
    ("云浮", "云浮人社", "微信订阅号", "云浮市人力资源和社会保障局", "masked_list", "445300", ""),
    ("河源", "河源发布", "新浪微博", "河源市人民政府办公室", "correct_names", "441600", ""),
]


class _Codes:
    """Allocates unique codes: serials per prefix, avoiding codes already taken."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.next: dict[str, int] = {}
        self.units: dict[tuple[str, str], int] = {}  # (division, sponsor) -> unit number
        self.next_unit: dict[str, int] = {}
        self.units_taken: set[tuple[str, int]] = set()

    def reserve(self, code: str) -> None:
        self.taken.add(code)

    def site(self, division: str) -> str:
        n = self.next.get(division, 1)
        while f"{division}{n:04d}" in self.taken:
            n += 1
        self.next[division] = n + 1
        code = f"{division}{n:04d}"
        self.taken.add(code)
        return code

    def reserve_unit(self, division: str, sponsor: str, unit: int) -> None:
        self.units[(division, sponsor)] = unit
        self.units_taken.add((division, unit))

    def account(self, division: str, sponsor: str, platform_code: str) -> str:
        unit = self.units.get((division, sponsor))
        if unit is None:
            unit = self.next_unit.get(division, 1)
            while (division, unit) in self.units_taken:
                unit += 1
            self.next_unit[division] = unit + 1
            self.reserve_unit(division, sponsor, unit)
        serial = 1
        while f"{division}M{unit:03d}{platform_code}{serial:04d}" in self.taken:
            serial += 1
        code = f"{division}M{unit:03d}{platform_code}{serial:04d}"
        self.taken.add(code)
        return code


# --- generic units -------------------------------------------------------------------------

def _region_division(region: str, divisions: dict[str, tuple[str, str]]) -> str:
    if region == "省直":
        return "440000"
    for code, (name, level) in divisions.items():
        if level == "city" and name.startswith(region):
            return code
    raise ValueError(f"unknown region {region!r}")


def _counties(city: str, divisions: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    return [(code, name) for code, (name, level) in divisions.items()
            if level == "county" and code[:4] == city[:4] and code != city]


class _Hosts:
    def __init__(self) -> None:
        self.taken: set[str] = set()

    def unique(self, host: str) -> str:
        base, n = host, 2
        while host in self.taken:
            label, rest = base.split(".", 1)
            host = f"{label}{n}.{rest}"
            n += 1
        self.taken.add(host)
        return host


def _generic_sites(region: str, division: str, divisions, hosts: _Hosts) -> list[Site]:
    """Candidate sites of a region in registry order: portals, then departments."""
    out: list[Site] = []
    if region == "省直":
        out.append(Site(region, "广东省人民政府门户网站", "广东省人民政府办公厅", "www.gd.gov.cn", "",
                        division=division, kind="portal"))
        for _, _, label, prov in DEPARTMENTS:
            if prov:
                out.append(Site(region, f"广东省{prov}网站", f"广东省{prov}", f"{label}.gd.gov.cn", "",
                                division=division))
        for _, _, label, prov in DEPARTMENTS:
            for aff, aff_label in _AFFILIATES:
                if prov:
                    out.append(Site(region, f"广东省{prov}{aff}网站", f"广东省{prov}{aff}",
                                    f"{aff_label}.{label}.gd.gov.cn", "", division=division))
        return out
    city_name = divisions[division][0]
    city_label = _initials(city_name)
    out.append(Site(region, f"{city_name}人民政府门户网站", f"{city_name}人民政府办公室",
                    f"www.{city_label}.gov.cn", "", division=division, kind="portal"))
    counties = _counties(division, divisions)
    for code, name in counties:
        out.append(Site(region, f"{name}政府门户网站", f"{name}人民政府办公室",
                        f"www.{_pinyin(name)}.gov.cn", "", division=code, kind="portal"))
    for dept, _, label, _ in DEPARTMENTS:
        if dept:
            out.append(Site(region, f"{city_name}{dept}网站", f"{city_name}{dept}",
                            f"{label}.{city_label}.gov.cn", "", division=division))
    for dept, _, label, _ in DEPARTMENTS[:20]:
        for code, name in counties:
            out.append(Site(region, f"{name}{dept}网站", f"{name}{dept}",
                            f"{label}.{_pinyin(name)}.gov.cn", "", division=code))
    return out


def _generic_sponsors(region: str, division: str, divisions) -> list[tuple[str, str, str]]:
    """(division, sponsor, short name for account names) of a region, in registry order."""
    out = []
    if region == "省直":
        out.append((division, "广东省人民政府办公厅", "广东发布"))
        for _, short, _, prov in DEPARTMENTS:
            if prov:
                out.append((division, f"广东省{prov}", f"广东{short}"))
        return out
    city_name = divisions[division][0]
    city_short = city_name.rstrip("市")
    out.append((division, f"{city_name}人民政府办公室", f"{city_short}发布"))
    for dept, short, _, _ in DEPARTMENTS:
        if dept:
            out.append((division, f"{city_name}{dept}", f"{city_short}{short}"))
    counties = _counties(division, divisions)
    for code, name in counties:
        out.append((code, f"{name}人民政府办公室", f"{name.rstrip('市区县')}发布"))
    for dept, short, _, _ in DEPARTMENTS[:30]:
        for code, name in counties:
            out.append((code, f"{name}{dept}", f"{name.rstrip('市区县')}{short}"))
    return out


def _place(generic: list, special: list, total: int, rng: random.Random) -> list:
    """``total`` units: the specials at random positions (in their given order) among generics."""
    special_names = {u.name for u in special}
    generic = [u for u in generic if u.name not in special_names][: total - len(special)]
    if len(generic) + len(special) < total:
        raise ValueError(f"not enough generic units for {total}")
    positions = sorted(rng.sample(range(total), len(special)))
    out, gi, si = [], 0, 0
    for i in range(total):
        if si < len(special) and positions[si] == i:
            out.append(special[si])
            si += 1
        else:
            out.append(generic[gi])
            gi += 1
    return out


def build_registry(seed: int = 20220620, notice: dict | None = None) -> Registry:
    """The full demo registry: the notice's regions, counts and named units."""
    notice = notice or load_notice()
    rng = random.Random(seed)
    divisions = load_divisions()
    regions = [r["region"] for r in notice["sites"]["by_region"]]
    codes, hosts = _Codes(), _Hosts()

    named_sites: dict[str, list[Site]] = {r: [] for r in regions}
    for p in notice["sites"]["problems"]:
        codes.reserve(p["code"])
        name = p["name"]
        if name.endswith("政府门户网站"):
            host = f"www.{_pinyin(name[: -len('政府门户网站')])}.gov.cn"
        elif name.startswith("东莞市"):
            dept = name[len("东莞市"):].removesuffix("网站")
            label = next(d[2] for d in DEPARTMENTS if d[0] == dept)
            host = f"{label}.dg.gov.cn"
        else:
            host = f"www.{_initials(name.removesuffix('网站'))[:6]}.gov.cn"
        named_sites[p["region"]].append(Site(p["region"], name, p["sponsor"], host, p["code"],
                                             profile=_PROBLEM_PROFILES[p["problem"]],
                                             division=p["code"][:6], kind="special"))
    for region, name, sponsor, profile, division in _EXTRA_SITES:
        named_sites[region].append(Site(region, name, sponsor, "", "", profile=profile,
                                        division=division, kind="special"))

    named_accounts: dict[str, list[Account]] = {r: [] for r in regions}
    for p in notice["accounts"]["problems"]:
        codes.reserve(p["code"])
        codes.reserve_unit(p["code"][:6], p["sponsor"], int(p["code"][7:10]))
        named_accounts[p["region"]].append(Account(p["region"], p["name"], p["platform"], p["sponsor"],
                                                   p["code"], profile=_PROBLEM_PROFILES[p["problem"]],
                                                   observed_name=p["name"]))
    extra_accounts = []
    for region, name, platform, sponsor, profile, division, observed in _EXTRA_ACCOUNTS:
        acc = Account(region, name, platform, sponsor, "", profile=profile, observed_name=observed or name)
        acc._division = division  # type: ignore[attr-defined]
        named_accounts[region].append(acc)
        extra_accounts.append(acc)

    sites: list[Site] = []
    accounts: list[Account] = []
    site_counts = {r["region"]: r["total"] for r in notice["sites"]["by_region"]}
    account_counts = {r["region"]: r["total"] for r in notice["accounts"]["by_region"]}
    # reserve the named hosts first so generic ones never take them
    for region in regions:
        for s in named_sites[region]:
            if s.host:
                s.host = hosts.unique(s.host)
    for region in regions:
        division = _region_division(region, divisions)
        candidates = _generic_sites(region, division, divisions, hosts)
        # an extra site takes over its generic namesake's host
        for s in named_sites[region]:
            if not s.host:
                twin = next(c for c in candidates if c.name == s.name)
                s.host = hosts.unique(twin.host)
        special = named_sites[region]
        # notice units keep the notice's order; extras go anywhere
        notice_units = [s for s in special if s.code]
        extras = [s for s in special if not s.code]
        placed = _place(candidates, notice_units + extras, site_counts[region], rng)
        # shuffle the extras' slots among themselves is unnecessary: order is deterministic
        for s in placed:
            if s.kind != "special":
                s.host = hosts.unique(s.host)
            if not s.code:
                s.code = codes.site(s.division)
        sites.extend(placed)

        # accounts
        sponsors = _generic_sponsors(region, division, divisions)
        generic: list[Account] = []
        taken_names = {(a.name, a.platform) for a in named_accounts[region]}
        weights = [w for _, w in _PLATFORM_WEIGHTS]
        platforms = [p for p, _ in _PLATFORM_WEIGHTS]
        need = account_counts[region] + 5
        round_no = 0
        while len(generic) < need:
            for div, sponsor, short in sponsors:
                if len(generic) >= need:
                    break
                platform = rng.choices(platforms, weights)[0]
                name = short if round_no == 0 else (sponsor if round_no == 1 else f"{short}{platform[:2]}")
                if (name, platform) in taken_names:
                    continue
                taken_names.add((name, platform))
                acc = Account(region, name, platform, sponsor, "", observed_name=name)
                acc._division = div  # type: ignore[attr-defined]
                generic.append(acc)
            round_no += 1
        special = named_accounts[region]
        placed_acc = _place(generic, special, account_counts[region], rng)
        for a in placed_acc:
            if not a.code:
                a.code = codes.account(a._division, a.sponsor, PLATFORM_CODES[a.platform])  # type: ignore[attr-defined]
            a.url = _account_url(a)
        accounts.extend(placed_acc)
    return Registry(regions, sites, accounts)


def _account_url(a: Account) -> str:
    serial = int(a.code[-4:]) + 100 * int(a.code[7:10])
    if a.platform.startswith("微信"):
        return ""  # WeChat accounts have no public address
    if a.platform == "新浪微博":
        return f"https://weibo.com/u/{5000000000 + int(a.code[:6]) * 10 + serial}"
    if a.platform == "南方号":
        return f"https://static.nfapp.southcn.com/content/author/{int(a.code[:6])}{serial:05d}"
    if a.platform == "抖音短视频":
        return f"https://www.douyin.com/user/gd{a.code.lower()}"
    if a.platform == "今日头条":
        return f"https://www.toutiao.com/c/user/{int(a.code[:6])}{serial:05d}/"
    return f"https://www.kuaishou.com/profile/gd{a.code.lower()}"


def reduce_registry(registry: Registry, per_region_sites: int = 2, per_region_accounts: int = 3) -> Registry:
    """A small copy for fast tests: every special unit plus the first few healthy ones per region."""
    sites, accounts = [], []
    for region in registry.regions:
        healthy = 0
        for s in (s for s in registry.sites if s.region == region):
            if s.kind == "special" or healthy < per_region_sites:
                healthy += s.kind != "special"
                sites.append(s)
        healthy = 0
        for a in (a for a in registry.accounts if a.region == region):
            if a.profile != "healthy" or healthy < per_region_accounts:
                healthy += a.profile == "healthy"
                accounts.append(a)
    return Registry(registry.regions, sites, accounts)
