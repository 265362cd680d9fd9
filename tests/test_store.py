"""The quarterly results store: the same tests against SQLite and PostgreSQL.

PostgreSQL runs when GOVSCAN_TEST_PG holds a URL (``scripts/start-postgres.sh`` prints one);
those cases carry the ``postgres`` marker.  The tests drop and recreate the store's tables
in that database.
"""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from store_backends import BACKENDS, store_target

from scanner.store import (SCHEMA_VERSION, StoreError, StoreLockedError, StoreSchemaError, default_deadline,
                           open_store, quarter_of, rectification_deadline)

AS_OF = dt.date(2022, 6, 20)


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path):
    return store_target(request.param, tmp_path)


@pytest.fixture
def store(store_url):
    s = open_store(store_url)
    yield s
    s.close()


def registry(n: int = 4, region: str = "广州") -> list[dict]:
    return [{"地区": region, "网站名称": f"站点{i}", "主办单位": f"单位{i}", "网站地址": f"http://s{i}.gz.gov.cn/",
             "网站标识码": f"440100{i:04d}", "line": i + 1} for i in range(1, n + 1)]


def record(code: str, problems: list[str] | None = None) -> dict:
    return {"code": code, "name": f"站点{int(code[-4:])}", "region": "广州", "host": "h",
            "verdict": "fail" if problems else "pass", "problems": problems or [],
            "findings": [{"code": "freshness.columns_not_updated", "severity": "veto"}] if problems else []}


# --- writing and reading -----------------------------------------------------------------

def test_save_and_load_keeps_registry_order_and_fields(store):
    reg = registry(3)
    recs = [record("4401000001"), record("4401000002", ["多个栏目长期未更新"]), record("4401000003")]
    store.save_unit_results("2022Q2", "sites", recs, registry=reg, as_of=AS_OF)
    res = store.load("2022Q2", "sites")
    assert [u.unit.code for u in res.units] == ["4401000001", "4401000002", "4401000003"]
    assert res.units[1].unit.sponsor == "单位2" and res.units[1].unit.url == "http://s2.gz.gov.cn/"
    assert res.units[1].failed and res.units[1].problems == ["多个栏目长期未更新"]
    assert res.units[1].findings[0]["code"] == "freshness.columns_not_updated"
    assert res.as_of == AS_OF and res.since == dt.date(2022, 4, 1)
    assert store.quarters() == ["2022Q2"] and store.load("2022Q1", "sites") is None


def test_unit_without_result_is_not_inspected(store):
    store.save_unit_results("2022Q2", "sites", [record("4401000001")], registry=registry(2), as_of=AS_OF)
    units = store.load("2022Q2", "sites").units
    assert [u.inspected for u in units] == [True, False]


def test_rescan_replaces_the_quarter(store):
    store.save_unit_results("2022Q2", "sites", [record("4401000001", ["互动回应差"]), record("4401000002")],
                            registry=registry(2), as_of=AS_OF)
    store.save_unit_results("2022Q2", "sites", [record("4401000003")], registry=registry(3)[2:], as_of=AS_OF)
    units = store.load("2022Q2", "sites").units
    assert [u.unit.code for u in units] == ["4401000003"]
    # the problem of the replaced scan is gone from the rectification list too
    assert store.rectifications("2022Q2") == []


def test_running_scan_is_invisible_until_finish(store):
    store.save_unit_results("2022Q2", "sites", [record("4401000001")], registry=registry(1), as_of=AS_OF)
    run = store.begin_scan("2022Q2", "sites", registry(2), as_of=AS_OF)
    run.save([record("4401000001", ["首页长期未更新"])])
    # the report still sees the previous complete scan
    assert [u.problems for u in store.load("2022Q2", "sites").units] == [[]]
    run.save([record("4401000002")])
    run.finish()
    assert [u.problems for u in store.load("2022Q2", "sites").units] == [["首页长期未更新"], []]


def test_interrupted_scan_resumes_with_saved_units(store_url):
    s = open_store(store_url)
    run = s.begin_scan("2022Q2", "sites", registry(4), as_of=AS_OF)
    run.save([record("4401000001"), record("4401000002")])
    s.close()  # the process dies here
    s = open_store(store_url)
    assert s.running()[0]["saved"] == 2 and s.running()[0]["total"] == 4
    run = s.begin_scan("2022Q2", "sites", registry(4), as_of=AS_OF)
    assert run.resumed and run.done == {"4401000001", "4401000002"}
    run.save([record("4401000003"), record("4401000004", ["多个栏目为空白"])])
    run.finish()
    assert [u.verdict for u in s.load("2022Q2", "sites").units] == ["pass", "pass", "pass", "fail"]
    assert s.running() == []
    s.close()


def test_changed_registry_starts_over(store):
    run = store.begin_scan("2022Q2", "sites", registry(4), as_of=AS_OF)
    run.save([record("4401000001")])
    run2 = store.begin_scan("2022Q2", "sites", registry(3), as_of=AS_OF)
    assert not run2.resumed and run2.done == set()
    with pytest.raises(StoreError, match="已结束或已被另一次扫描取代"):
        run.save([record("4401000002")])


@pytest.mark.parametrize("bad, message", [
    # duplicate code, with both line numbers
    ([{"地区": "广州", "网站名称": "甲", "网站标识码": "4401000001", "line": 2},
      {"地区": "广州", "网站名称": "乙", "网站标识码": "4401000001", "line": 3}], "第3行标识码“4401000001”与第2行重复"),
    # a required field missing
    ([{"地区": "", "网站名称": "甲", "网站标识码": "4401000001", "line": 2}], "第2行缺少地区"),
])
def test_bad_registry_is_refused_with_line_numbers(store, bad, message):
    with pytest.raises(StoreError, match=message):
        store.begin_scan("2022Q2", "sites", bad, as_of=AS_OF)
    assert store.running() == []


def test_unknown_region_is_refused(store):
    reg = registry(2)
    reg[1]["地区"] = "广洲"
    with pytest.raises(StoreError, match="第3行地区“广洲”不在地区列表中"):
        store.begin_scan("2022Q2", "sites", reg, as_of=AS_OF, regions=["广州", "深圳"])


def test_result_for_unknown_unit_or_bad_verdict_is_refused(store):
    run = store.begin_scan("2022Q2", "sites", registry(1), as_of=AS_OF)
    with pytest.raises(StoreError, match="不在本次扫描的名单中"):
        run.save([record("4401009999")])
    with pytest.raises(StoreError, match="结论"):
        run.save([{**record("4401000001"), "verdict": "maybe"}])


# --- rectification ---------------------------------------------------------------------

def test_rectification_opened_then_checked_after_deadline(store):
    reg = registry(3)
    store.save_unit_results("2022Q2", "sites", [record("4401000001", ["多个栏目长期未更新"]),
                                                record("4401000002", ["互动回应差", "多个栏目为空白"]),
                                                record("4401000003")], registry=reg, as_of=AS_OF)
    items = store.rectifications("2022Q2")
    assert [(r.code, r.problem, r.status) for r in items] == [
        ("4401000001", "多个栏目长期未更新", "open"), ("4401000002", "互动回应差", "open"),
        ("4401000002", "多个栏目为空白", "open")]
    assert all(r.deadline == dt.date(2022, 7, 20) for r in items)
    # a re-scan before the deadline changes nothing
    store.save_unit_results("2022Q3", "sites", [record("4401000001"), record("4401000002"), record("4401000003")],
                            registry=reg, as_of=dt.date(2022, 7, 15))
    assert {r.status for r in store.rectifications("2022Q2")} == {"open"}
    # after the deadline: 0001 fixed, 0002 fixed one of two problems
    store.save_unit_results("2022Q3", "sites", [record("4401000001"), record("4401000002", ["互动回应差"]),
                                                record("4401000003")], registry=reg, as_of=dt.date(2022, 9, 20))
    got = {(r.code, r.problem): r for r in store.rectifications("2022Q2")}
    assert got[("4401000001", "多个栏目长期未更新")].status == "rectified"
    assert got[("4401000001", "多个栏目长期未更新")].rectified_on == dt.date(2022, 9, 20)
    assert got[("4401000002", "多个栏目为空白")].status == "rectified"
    still = got[("4401000002", "互动回应差")]
    assert still.status == "open" and still.overdue and still.checked_quarter == "2022Q3"
    # and 2022Q3's own problem is a new item
    assert [(r.code, r.problem) for r in store.rectifications("2022Q3")] == [("4401000002", "互动回应差")]


@pytest.mark.parametrize("rescan, status, checked", [
    # the rescan finds the problem still there: open again, overdue (it stayed rectified)
    ([record("4401000001", ["互动回应差"]), record("4401000002")], "open", "2022Q3"),
    # the rescan does not judge the unit (no result): open, not checked (it stayed rectified)
    ([record("4401000002")], "open", None),
    # the rescan confirms the fix
    ([record("4401000001"), record("4401000002")], "rectified", "2022Q3"),
])
def test_rectification_follows_a_rescan_of_the_checking_quarter(store, rescan, status, checked):
    """A rescan replaces the quarter's results: the earlier quarters' items the replaced scan
    marked rectified are judged again on the new results, not left as the replaced scan said."""
    reg = registry(2)
    store.save_unit_results("2022Q2", "sites", [record("4401000001", ["互动回应差"]), record("4401000002")],
                            registry=reg, as_of=AS_OF)
    store.save_unit_results("2022Q3", "sites", [record("4401000001"), record("4401000002")], registry=reg,
                            as_of=dt.date(2022, 9, 20))
    assert [r.status for r in store.rectifications("2022Q2")] == ["rectified"]
    store.save_unit_results("2022Q3", "sites", rescan, registry=reg, as_of=dt.date(2022, 9, 25))
    (item,) = store.rectifications("2022Q2")
    assert (item.status, item.checked_quarter) == (status, checked)
    assert item.rectified_on == (dt.date(2022, 9, 25) if status == "rectified" else None)
    assert item.overdue is (status == "open" and checked is not None)


def _unit(code: str, region: str = "广州") -> dict:
    return {"地区": region, "网站名称": f"站点{int(code[-4:])}", "主办单位": "单位", "网站地址": f"http://s{code}.gov.cn/",
            "网站标识码": code, "line": 2}


@pytest.mark.parametrize("q3_registry, q3_results, expected", [
    # closed or merged: gone from a registry that still lists 广州 -> delisted (it stayed 未整改 for ever)
    ([_unit("4401000002")], [record("4401000002")], ("delisted", "2022Q3", False)),
    # one region's registry scanned (深圳 only): says nothing about 广州's unit -> open, not checked
    ([_unit("4403000001", "深圳")], [record("4403000001")], ("open", None, False)),
    # still registered, not judged this time: open, not checked (as before)
    ([_unit("4401000001"), _unit("4401000002")], [record("4401000002")], ("open", None, False)),
    # still registered and judged: rectified, or open and overdue (as before)
    ([_unit("4401000001"), _unit("4401000002")], [record("4401000001"), record("4401000002")],
     ("rectified", "2022Q3", False)),
    ([_unit("4401000001"), _unit("4401000002")], [record("4401000001", ["互动回应差"]), record("4401000002")],
     ("open", "2022Q3", True)),
])
def test_unit_gone_from_the_registry_is_delisted(store, q3_registry, q3_results, expected):
    """A unit judged in 2022Q2 and missing from 2022Q3's registry is no longer an open item."""
    store.save_unit_results("2022Q2", "sites", [record("4401000001", ["互动回应差"]), record("4401000002")],
                            registry=registry(2), as_of=AS_OF)
    store.save_unit_results("2022Q3", "sites", q3_results, registry=q3_registry, as_of=dt.date(2022, 9, 20))
    (item,) = store.rectifications("2022Q2")
    assert (item.status, item.checked_quarter, item.overdue) == expected
    assert item.rectified_on == (dt.date(2022, 9, 20) if item.status == "rectified" else None)


@pytest.mark.parametrize("q4_registry, q4_results, expected", [
    # registered again with the problem: open and overdue; without it: rectified
    (registry(2), [record("4401000001", ["互动回应差"]), record("4401000002")], ("open", "2022Q4")),
    (registry(2), [record("4401000001"), record("4401000002")], ("rectified", "2022Q4")),
    # registered again, not judged: open, not checked
    (registry(2), [record("4401000002")], ("open", None)),
    # still gone: delisted by the latest check
    ([_unit("4401000002")], [record("4401000002")], ("delisted", "2022Q4")),
])
def test_delisted_unit_back_in_a_later_registry_is_checked_again(store, q4_registry, q4_results, expected):
    store.save_unit_results("2022Q2", "sites", [record("4401000001", ["互动回应差"]), record("4401000002")],
                            registry=registry(2), as_of=AS_OF)
    store.save_unit_results("2022Q3", "sites", [record("4401000002")], registry=[_unit("4401000002")],
                            as_of=dt.date(2022, 9, 20))
    assert [r.status for r in store.rectifications("2022Q2")] == ["delisted"]
    store.save_unit_results("2022Q4", "sites", q4_results, registry=q4_registry, as_of=dt.date(2022, 12, 20))
    (item,) = store.rectifications("2022Q2")
    assert (item.status, item.checked_quarter) == expected


def _recoded(code: str, url: str) -> dict:
    return {**_unit(code), "网站名称": "站点1", "网站地址": url}


@pytest.mark.parametrize("q3_registry, q3_results, expected", [
    # the same site (same address) under a new 网站标识码 (re-coded after 集约化): checked on the new
    # code's result; it was delisted and its overdue item no longer counted
    ([_recoded("4401000009", "http://s1.gz.gov.cn/"), _unit("4401000002")],
     [record("4401000009", ["互动回应差"]), record("4401000002")], ("open", "2022Q3", True)),
    ([_recoded("4401000009", "http://s1.gz.gov.cn/"), _unit("4401000002")],
     [record("4401000009"), record("4401000002")], ("rectified", "2022Q3", False)),
    # the address as the registry compares two: https, index.html, no trailing slash
    ([_recoded("4401000009", "https://s1.gz.gov.cn/index.html"), _unit("4401000002")],
     [record("4401000009", ["互动回应差"]), record("4401000002")], ("open", "2022Q3", True)),
    # re-coded, not judged this time: open, not checked (not delisted)
    ([_recoded("4401000009", "http://s1.gz.gov.cn"), _unit("4401000002")], [record("4401000002")],
     ("open", None, False)),
    # near misses: a new code at another address is another site (the old one closed): delisted
    ([_recoded("4401000009", "http://s9.gz.gov.cn/"), _unit("4401000002")],
     [record("4401000009", ["互动回应差"]), record("4401000002")], ("delisted", "2022Q3", False)),
    # another path on the same host is another site of a platform: delisted
    ([_recoded("4401000009", "http://s1.gz.gov.cn/bm/"), _unit("4401000002")],
     [record("4401000009", ["互动回应差"]), record("4401000002")], ("delisted", "2022Q3", False)),
])
def test_unit_recoded_at_the_same_address_is_checked_on_its_new_code(store, q3_registry, q3_results, expected):
    store.save_unit_results("2022Q2", "sites", [record("4401000001", ["互动回应差"]), record("4401000002")],
                            registry=registry(2), as_of=AS_OF)
    store.save_unit_results("2022Q3", "sites", q3_results, registry=q3_registry, as_of=dt.date(2022, 9, 20))
    (item,) = store.rectifications("2022Q2")
    assert (item.status, item.checked_quarter, item.overdue) == expected
    assert item.code == "4401000001"  # the item keeps the code it was notified under


def _account(code: str, name: str = "广州发布", platform: str = "微信订阅号", sponsor: str = "广州市政府新闻办",
             url: str = "") -> dict:
    return {"地区": "广州", "新媒体名称": name, "账号类型": platform, "主办单位": sponsor, "新媒体标识码": code,
            "账号地址": url, "line": 2}


def _silent(code: str, silent: bool = True) -> dict:
    return {"code": code, "verdict": "fail" if silent else "pass",
            "problems": ["监测时间点前2周内无更新"] if silent else []}


@pytest.mark.parametrize("q3_account, expected", [
    # re-filed under a new code, same name, type and sponsor: the same account
    (_account("440100M001WX0009"), ("open", "2022Q3", True)),
    # the same 账号地址, renamed: the same account
    (_account("440100M001WX0009", name="广州发布厅", url="https://weibo.com/gzfb"), ("open", "2022Q3", True)),
    # near misses: another type or another sponsor under a new code is another account
    (_account("440100M001XL0009", platform="新浪微博"), ("delisted", "2022Q3", False)),
    (_account("440100M001WX0009", sponsor="广州市统计局"), ("delisted", "2022Q3", False)),
])
def test_account_refiled_under_a_new_code_is_the_same_account(store, q3_account, expected):
    store.save_unit_results("2022Q2", "accounts", [_silent("440100M001WX0001")],
                            registry=[_account("440100M001WX0001", url="https://weibo.com/gzfb")], as_of=AS_OF)
    store.save_unit_results("2022Q3", "accounts", [_silent(q3_account["新媒体标识码"])], registry=[q3_account],
                            as_of=dt.date(2022, 9, 20))
    (item,) = store.rectifications("2022Q2")
    assert (item.status, item.checked_quarter, item.overdue) == expected


def test_two_units_at_one_address_match_neither():
    """A key two units share says nothing of which one a unit became: no match, delisted as before."""
    from scanner.store import Unit, renumbered

    before = [Unit("4401000001", "广州", "站点1", url="http://s1.gz.gov.cn/"),
              Unit("4401000002", "广州", "站点2", url="http://s1.gz.gov.cn/")]
    after = [Unit("4401000009", "广州", "站点1", url="http://s1.gz.gov.cn/")]
    assert renumbered("sites", before, after) == {}
    assert renumbered("sites", before[:1], after) == {"4401000001": "4401000009"}
    # a code the later registry still lists is never matched to another
    assert renumbered("sites", before[:1], after + [before[0]]) == {}


def test_rescan_of_the_checking_quarter_with_the_unit_back_reopens_it(store):
    """2022Q3 scanned first without the unit (delisted), then again with the full registry: judged anew."""
    store.save_unit_results("2022Q2", "sites", [record("4401000001", ["互动回应差"])], registry=registry(2),
                            as_of=AS_OF)
    store.save_unit_results("2022Q3", "sites", [record("4401000002")], registry=[_unit("4401000002")],
                            as_of=dt.date(2022, 9, 20))
    assert [r.status for r in store.rectifications("2022Q2")] == ["delisted"]
    store.save_unit_results("2022Q3", "sites", [record("4401000001", ["互动回应差"]), record("4401000002")],
                            registry=registry(2), as_of=dt.date(2022, 9, 25))
    (item,) = store.rectifications("2022Q2")
    assert (item.status, item.checked_quarter, item.overdue) == ("open", "2022Q3", True)


def test_rectification_set_by_hand_survives_a_rescan(store):
    reg = registry(1)
    store.save_unit_results("2022Q2", "sites", [record("4401000001", ["互动回应差"])], registry=reg, as_of=AS_OF)
    store.save_unit_results("2022Q3", "sites", [record("4401000001", ["互动回应差"])], registry=reg,
                            as_of=dt.date(2022, 9, 20))
    store.set_rectification("2022Q2", "sites", "4401000001", status="rectified")
    store.save_unit_results("2022Q3", "sites", [], registry=reg, as_of=dt.date(2022, 9, 25))
    assert [r.status for r in store.rectifications("2022Q2")] == ["rectified"]


@pytest.mark.parametrize("first, second, unjudged", [
    # a partial recrawl: 0002 judged before, not this time: its result goes, and finish says so
    (["4401000001", "4401000002"], ["4401000001"], ["4401000002"]),
    # not judged either time, or judged both times: nothing to say
    (["4401000001"], ["4401000001"], []),
    (["4401000001", "4401000002"], ["4401000002", "4401000001"], []),
])
def test_rescan_names_units_judged_before_and_not_now(store, first, second, unjudged):
    reg = registry(2)
    store.save_unit_results("2022Q2", "sites", [record(c) for c in first], registry=reg, as_of=AS_OF)
    run = store.begin_scan("2022Q2", "sites", reg, as_of=AS_OF)
    run.save([record(c) for c in second])
    assert run.finish() == [] and run.unjudged == unjudged


def test_scan_of_an_empty_registry_is_stored_empty(store):
    """No units: the INSERT of an empty list failed with NOT NULL, which the CLI reported as a
    store that cannot be read (not a govscan store?)."""
    store.save_unit_results("2022Q2", "sites", [], registry=[], as_of=AS_OF)
    res = store.load("2022Q2", "sites")
    assert res is not None and res.units == []


def test_manual_status_and_deadline(store):
    store.save_unit_results("2022Q2", "sites", [record("4401000001", ["互动回应差"])], registry=registry(1),
                            as_of=AS_OF)
    assert store.set_rectification("2022Q2", "sites", "4401000001", deadline=dt.date(2022, 8, 1)) == 1
    assert store.set_rectification("2022Q2", "sites", "4401000001", status="rectified") == 1
    (item,) = store.rectifications("2022Q2")
    assert item.deadline == dt.date(2022, 8, 1) and item.status == "rectified"
    with pytest.raises(StoreError):
        store.set_rectification("2022Q2", "sites", "4401000001", status="done")


# --- bad stores --------------------------------------------------------------------------

def test_newer_schema_is_refused_and_left_untouched(store_url):
    from sqlalchemy import update

    from scanner.store import schema as S

    s = open_store(store_url)
    s.save_unit_results("2022Q2", "sites", [record("4401000001")], registry=registry(1), as_of=AS_OF)
    with s._write() as conn:
        conn.execute(update(S.meta).where(S.meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION + 1)))
    s.close()
    with pytest.raises(StoreSchemaError, match=f"结构版本为 {SCHEMA_VERSION + 1}"):
        open_store(store_url)
    # still there, still the newer version
    from sqlalchemy import create_engine, select

    from scanner.store.store import normalize_url

    engine = create_engine(normalize_url(store_url)[0])
    with engine.connect() as conn:
        assert conn.execute(select(S.meta.c.value).where(S.meta.c.key == "schema_version")).scalar() == str(SCHEMA_VERSION + 1)
        assert conn.execute(select(S.results.c.code)).scalars().all() == ["4401000001"]
    engine.dispose()


def test_foreign_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE not_ours (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreSchemaError, match="不是 govscan 的存储"):
        open_store(path)
    assert path.read_bytes() == before


def test_a_folder_given_as_the_store_is_named(tmp_path):
    """--store out/ (a folder): it read 'unable to open database file'."""
    with pytest.raises(StoreError, match=r"是一个文件夹：--store 应为 SQLite 文件（例如 .*govscan\.db）"):
        open_store(str(tmp_path))


def test_garbage_file_is_refused(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="无法"):
        open_store(path)
    assert path.read_bytes() == b"this is not a database" * 100


def test_a_second_writer_waits_then_gets_one_line_on_either_backend(store_url):
    """SQLite lets one process write at a time (BEGIN IMMEDIATE); PostgreSQL let two scans of a
    quarter finish together, each publishing its results (the report then took either)."""
    holder = open_store(store_url)
    holder.save_unit_results("2022Q2", "sites", [record("4401000001")], registry=registry(1), as_of=AS_OF)
    s = open_store(store_url, busy_timeout=0.3)
    with holder._write():  # another scan in the middle of a write
        with pytest.raises(StoreLockedError, match="正被其他进程锁定"):
            s.save_unit_results("2022Q2", "sites", [record("4401000001", ["互动回应差"])], registry=registry(1),
                                as_of=AS_OF)
    assert s.load("2022Q2", "sites").units[0].verdict == "pass"  # nothing written
    s.save_unit_results("2022Q2", "sites", [record("4401000001", ["互动回应差"])], registry=registry(1), as_of=AS_OF)
    assert s.load("2022Q2", "sites").units[0].verdict == "fail"  # and it writes once the other is done
    s.close()
    holder.close()


def test_a_read_sees_one_state_of_the_store(store_url):
    """load reads the scan, then its units: a rescan published between the two left PostgreSQL's
    reader (READ COMMITTED) with a scan whose units were gone (an empty quarter); SQLite's WAL keeps
    the reader's snapshot."""
    from sqlalchemy import select

    from scanner.store import schema as S

    s = open_store(store_url)
    s.save_unit_results("2022Q2", "sites", [record("4401000001")], registry=registry(1), as_of=AS_OF)
    other = open_store(store_url)
    with s._read() as conn:
        scan_id = conn.execute(select(S.scans.c.id).where(S.scans.c.status == "complete")).scalar()
        other.save_unit_results("2022Q2", "sites", [record("4401000001", ["互动回应差"])], registry=registry(1),
                                as_of=AS_OF)
        units = conn.execute(select(S.units.c.code).where(S.units.c.scan_id == scan_id)).scalars().all()
    assert units == ["4401000001"]
    assert s.load("2022Q2", "sites").units[0].verdict == "fail"  # a new read sees the rescan
    other.close()
    s.close()


def test_locked_sqlite_store_is_a_clear_error_and_nothing_is_written(tmp_path):
    path = tmp_path / "govscan.db"
    s = open_store(path)
    s.save_unit_results("2022Q2", "sites", [record("4401000001")], registry=registry(1), as_of=AS_OF)
    s.close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another scan holds the write lock
    try:
        s = open_store(path, busy_timeout=0.2)
        with pytest.raises(StoreLockedError, match="正被其他进程锁定"):
            s.save_unit_results("2022Q2", "sites", [record("4401000001", ["互动回应差"])], registry=registry(1),
                                as_of=AS_OF)
        # reading still works while another process writes (WAL)
        assert s.load("2022Q2", "sites").units[0].verdict == "pass"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert s.load("2022Q2", "sites").units[0].verdict == "pass"
    s.close()


def test_sqlite_store_uses_wal(tmp_path):
    path = tmp_path / "govscan.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


@pytest.mark.parametrize("day, quarter, deadline", [
    (dt.date(2022, 6, 20), "2022Q2", dt.date(2022, 7, 20)),
    (dt.date(2022, 4, 1), "2022Q2", dt.date(2022, 7, 20)),
    (dt.date(2022, 12, 31), "2022Q4", dt.date(2023, 1, 20)),
])
def test_quarter_helpers(day, quarter, deadline):
    assert quarter_of(day) == quarter
    assert default_deadline(quarter) == deadline


@pytest.mark.parametrize("quarter, as_of, deadline", [
    # the notice: sampling to 6月20日, rectification reported by 7月20日
    ("2022Q2", dt.date(2022, 6, 20), dt.date(2022, 7, 20)),
    ("2022Q2", dt.date(2022, 4, 1), dt.date(2022, 7, 20)),
    ("2022Q2", dt.date(2022, 6, 19), dt.date(2022, 7, 20)),  # near-miss: 31 days, the 20th stays
    # a time point less than 30 days before the 20th: 30 days after it
    ("2022Q2", dt.date(2022, 6, 30), dt.date(2022, 7, 30)),
    # a late inspection filed under Q2 (run on 25 July): it got 7月20日, before the inspection
    ("2022Q2", dt.date(2022, 7, 25), dt.date(2022, 8, 24)),
    ("2022Q4", dt.date(2022, 12, 20), dt.date(2023, 1, 20)),
    ("2022Q4", dt.date(2023, 1, 10), dt.date(2023, 2, 9)),
])
def test_rectification_deadline_never_before_the_inspection(quarter, as_of, deadline):
    assert rectification_deadline(quarter, as_of) == deadline
    assert rectification_deadline(quarter, as_of) >= as_of + dt.timedelta(days=30) or deadline == default_deadline(quarter)


def test_late_inspection_items_not_overdue_at_once(store):
    """A Q2 scan run on 25 July: its items' deadline is after the inspection, and a Q3 scan on
    10 August (before that deadline) does not check them; one on 20 September does."""
    reg = registry(2)
    store.save_unit_results("2022Q2", "sites", [record("4401000001", ["互动回应差"]), record("4401000002")],
                            registry=reg, as_of=dt.date(2022, 7, 25))
    [item] = store.rectifications("2022Q2")
    assert item.deadline == dt.date(2022, 8, 24) and not item.overdue
    store.save_unit_results("2022Q3", "sites", [record("4401000001", ["互动回应差"]), record("4401000002")],
                            registry=reg, as_of=dt.date(2022, 8, 10))
    [item] = store.rectifications("2022Q2")
    assert item.checked_quarter is None and not item.overdue
    store.save_unit_results("2022Q3", "sites", [record("4401000001", ["互动回应差"]), record("4401000002")],
                            registry=reg, as_of=dt.date(2022, 9, 20))
    [item] = store.rectifications("2022Q2")
    assert item.overdue and item.checked_quarter == "2022Q3"


def test_explicit_deadline_before_the_inspection_refused(store):
    with pytest.raises(StoreError, match="早于检查时间点"):
        store.save_unit_results("2022Q2", "sites", [record("4401000001", ["互动回应差"])], registry=registry(1),
                                as_of=dt.date(2022, 7, 25), deadline=dt.date(2022, 7, 20))
    assert store.load("2022Q2", "sites") is None


def test_bad_quarter_and_url():
    with pytest.raises(StoreError, match="季度"):
        default_deadline("2022-2")
    with pytest.raises(StoreError, match="不支持的存储地址"):
        open_store("mysql://x/y")
