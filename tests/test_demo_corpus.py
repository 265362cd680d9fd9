"""The demo-province generator (corpora/demo): the registry is the notice's, codes are valid,
the output is deterministic, and the planted cases are where the notice says and nowhere else.

These tests read the generated files, as the scanner would; they do not test the scanner.
"""
from __future__ import annotations

import collections
import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pytest

from corpora.demo.generate import generate
from corpora.demo.notice import NOTICE_2022Q2, load_notice, parse_notice
from corpora.demo.registry import build_registry
from corpora.demo.text import id_check_digit

SHARED_NOTICE = Path(__file__).resolve().parents[2] / "shared" / "seed" / "guangdong-2022q2-notice.txt"
AS_OF = dt.date(2022, 6, 20)


@pytest.fixture(scope="module")
def notice():
    return load_notice()


@pytest.fixture(scope="module")
def registry():
    return build_registry()


@pytest.fixture(scope="module")
def reduced(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "data"
    manifest = generate(out, reduced=True)
    return out, manifest


def test_packaged_notice_is_the_seed_notice():
    if not SHARED_NOTICE.exists():
        pytest.skip("shared/seed not beside the repository")
    assert NOTICE_2022Q2.read_text(encoding="utf-8") == SHARED_NOTICE.read_text(encoding="utf-8")


def test_notice_parse(notice):
    assert notice["quarter"] == "2022Q2"
    assert notice["period"] == {"since": "2022-04-01", "as_of": "2022-06-20"}
    s, a = notice["sites"], notice["accounts"]
    assert (len(s["by_region"]), s["total"], s["problem"], s["pass_rate"]) == (22, 562, 7, 98.8)
    assert (len(a["by_region"]), a["total"], a["problem"], a["pass_rate"]) == (22, 3354, 16, 99.5)
    assert sum(r["total"] for r in s["by_region"]) == 562 and sum(r["problem"] for r in a["by_region"]) == 16
    assert s["problems"][5] == {"region": "清远", "name": "英德市政府门户网站", "sponsor": "英德市人民政府办公室",
                                "problem": "多个栏目为空白", "code": "4418810020"}
    assert notice["overview"]["full_pass_cities"] == 15 and notice["overview"]["accounts_silent"] == 15


def test_notice_parse_rejects_nothing_silently():
    with pytest.raises(ValueError, match="运行网站总数"):
        parse_notice("no tables here")


def test_registry_counts_and_order_are_the_notice(registry, notice):
    assert registry.regions == [r["region"] for r in notice["sites"]["by_region"]]
    for key, units in (("sites", registry.sites), ("accounts", registry.accounts)):
        counts = collections.Counter(u.region for u in units)
        assert [counts[r["region"]] for r in notice[key]["by_region"]] == [r["total"] for r in notice[key]["by_region"]]
        # regions appear in one block each, in the notice's order
        order = list(dict.fromkeys(u.region for u in units))
        assert order == registry.regions


def test_named_units_are_exact(registry, notice):
    sites = {s.code: s for s in registry.sites}
    for p in notice["sites"]["problems"]:
        s = sites[p["code"]]
        assert (s.region, s.name, s.sponsor) == (p["region"], p["name"], p["sponsor"])
    accounts = {a.code: a for a in registry.accounts}
    for p in notice["accounts"]["problems"]:
        a = accounts[p["code"]]
        assert (a.region, a.name, a.platform, a.sponsor) == (p["region"], p["name"], p["platform"], p["sponsor"])
    # within a region the named units keep the notice's order (附件2/4 list them in registry order)
    pos = {a.code: i for i, a in enumerate(registry.accounts)}
    codes = [p["code"] for p in notice["accounts"]["problems"]]
    assert sorted(codes, key=pos.get) == codes


def test_codes_are_valid_and_unique(registry):
    from scanner.site.registry import validate_account_code, validate_site_code

    site_codes = [s.code for s in registry.sites]
    account_codes = [a.code for a in registry.accounts]
    assert len(set(site_codes)) == 562 and len(set(account_codes)) == 3354
    assert len({s.host for s in registry.sites}) == 562
    assert [c for c in site_codes if validate_site_code(c)] == []
    assert [c for c in account_codes if validate_account_code(c)] == []
    # a unit's 6-digit prefix belongs to its region (省直: 440000)
    from corpora.demo.registry import load_divisions

    divisions = load_divisions()
    for s in registry.sites:
        prefix = s.code[:6]
        assert prefix in divisions
        if s.region == "省直":
            assert prefix == "440000"
        else:
            assert divisions[prefix[:4] + "00"][0].startswith(s.region), (s.name, s.code)


def test_registry_csv_loads_without_bad_rows(reduced):
    from scanner.site.registry import load_accounts, load_sites

    out, manifest = reduced
    sites, errors = load_sites(out / "registry" / "sites.csv")
    assert errors == [] and len(sites) == manifest["sites"]
    accounts, errors = load_accounts(out / "registry" / "accounts.csv")
    assert errors == [] and len(accounts) == manifest["accounts"]


def test_reduced_keeps_every_named_unit(reduced, notice):
    out, manifest = reduced
    text = (out / "registry" / "sites.csv").read_text(encoding="utf-8")
    assert all(p["code"] in text for p in notice["sites"]["problems"])
    text = (out / "registry" / "accounts.csv").read_text(encoding="utf-8")
    assert all(p["code"] in text for p in notice["accounts"]["problems"])
    assert manifest["sites"] < 100 and manifest["accounts"] < 150
    assert manifest["regions"] == [r["region"] for r in notice["sites"]["by_region"]]


def _tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def test_generation_is_deterministic(reduced, tmp_path):
    out, _ = reduced
    again = tmp_path / "again"
    generate(again, reduced=True)
    assert _tree_digest(again) == _tree_digest(out)
    other = tmp_path / "other"
    generate(other, reduced=True, seed=7)
    assert _tree_digest(other) != _tree_digest(out)


# --- planted cases, read from the generated files ----------------------------------------

def _host(out: Path, name: str) -> Path:
    import csv

    with (out / "registry" / "sites.csv").open(encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh) if r["网站名称"] == name)
    return out / "mirror" / row["网站地址"].split("://")[1].strip("/")


def _site_text(root: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.html")))


def test_wording_error_only_on_jiedong(reduced):
    out, _ = reduced
    hits = [p for p in (out / "mirror").rglob("*.html") if "习进平" in p.read_text(encoding="utf-8")]
    assert hits and all("www.jiedong.gov.cn" in str(p) for p in hits)
    page = hits[0].read_text(encoding="utf-8")
    assert re.search(r'name="PubDate" content="2022-05-18', page)


def test_blank_columns_six_on_yingde_four_on_near_miss(reduced):
    out, _ = reduced
    assert _site_text(_host(out, "英德市政府门户网站")).count("暂无信息") == 6
    assert _site_text(_host(out, "阳江市统计局网站")).count("暂无信息") == 4
    healthy = _site_text(_host(out, "广州市人民政府门户网站"))
    assert "暂无信息" not in healthy


def test_longmen_has_no_working_channel(reduced):
    out, _ = reduced
    root = _host(out, "龙门县政府门户网站")
    text = _site_text(root)
    assert "<form" not in text and "暂停使用" in text
    assert "<form" in _site_text(_host(out, "揭东区政府门户网站"))


def test_every_footer_carries_its_code_and_the_jiucuo_entry(reduced):
    import csv

    out, _ = reduced
    with (out / "registry" / "sites.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            home = (out / "mirror" / row["网站地址"].split("://")[1].strip("/") / "index.html").read_text(encoding="utf-8")
            assert f"网站标识码：{row['网站标识码']}" in home and "我为政府网站找错" in home


def _posts(out: Path) -> dict[str, list[dict]]:
    by = collections.defaultdict(list)
    with (out / "posts.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            by[rec["account_id"]].append(rec)
    return by


def test_silent_accounts_and_the_14_day_edge(reduced, notice):
    out, _ = reduced
    posts = _posts(out)
    silent = {p["code"] for p in notice["accounts"]["problems"] if p["problem"] == "监测时间点前2周内无更新"}
    assert len(silent) == 15
    edge = AS_OF - dt.timedelta(days=14)
    for code in silent:
        days = [dt.date.fromisoformat(p["published_at"][:10]) for p in posts.get(code, [])]
        assert all(d < edge for d in days), code
    assert posts.get("440000M025NF0001") is None  # one silent account has no posts at all
    # every other account posted on or after the edge day (and on or before the time point)
    for code, items in posts.items():
        if code in silent:
            continue
        days = [dt.date.fromisoformat(p["published_at"][:10]) for p in items]
        assert any(edge <= d <= AS_OF for d in days), code
    # the near-miss: a last post exactly 14 days before the time point
    edges = [c for c, items in posts.items()
             if max(dt.date.fromisoformat(p["published_at"][:10]) for p in items if p["published_at"][:10] <= "2022-06-20") == edge]
    assert edges


ID_RE = re.compile(r"(?<!\d)\d{17}[\dX](?!\d)")


def test_unmasked_ids_only_in_yunfu_natural_resources(reduced):
    out, _ = reduced
    posts = _posts(out)
    found = collections.defaultdict(list)
    for code, items in posts.items():
        for p in items:
            body = p.get("content_html") or p.get("content_text") or ""
            for m in ID_RE.findall(body):
                found[code].append(m)
    assert list(found) == ["445300M034WX0001"]
    assert all(id_check_digit(i[:17]) == i[17] for i in found["445300M034WX0001"])
    # masked lists elsewhere
    masked = [c for c, items in posts.items() for p in items if "**********" in (p.get("content_html") or "")]
    assert masked and "445300M034WX0001" not in masked
    # and no unmasked ID number anywhere on the websites
    assert not any(ID_RE.search(p.read_text(encoding="utf-8")) for p in (out / "mirror").rglob("*.html"))


def test_deduction_cases_are_planted(reduced):
    out, _ = reduced
    posts = _posts(out)
    by_name = {}
    import csv

    with (out / "registry" / "accounts.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            by_name[row["新媒体名称"]] = row["新媒体标识码"]
    assert any(p["kind"] == "message" for p in posts[by_name["湛江市人民政府驻北京联络处"]])
    assert any(re.fullmatch(r'<p><a href="[^"]+">[^<]+</a></p>', p.get("content_html", ""))
               for p in posts[by_name["潮州信访"]])
    assert {p["account_name"] for p in posts[by_name["品质大塘"]]} == {"三水大塘"}
    assert {p["account_name"] for p in posts[by_name["东莞反诈"]]} == {"东莞市反诈中心"}
    assert "就莞用" in _site_text(_host(out, "东莞市人力资源和社会保障局网站"))
    cut = _site_text(_host(out, "韶关市教育局网站"))
    assert "…</td>" in cut and "<form" in cut
