"""Freshness unit checks at their thresholds (国办秘函〔2019〕19号 首页不更新, 栏目不更新,
政务新媒体内容不更新): 14 vs 15 days, 6 months to the day, 4 vs 5 and 9 vs 10 columns."""
import pytest

from scanner.checks.freshness.account_not_updated import AccountNotUpdated
from scanner.checks.freshness.blank_columns import BlankColumns
from scanner.checks.freshness.columns_long_unupdated import ColumnsLongUnupdated
from scanner.checks.freshness.columns_not_updated import ColumnsNotUpdated
from scanner.checks.freshness.home_not_updated import HomeNotUpdated
from scanner.findings import Severity
from tests.site_helpers import account, column, post, site


@pytest.mark.parametrize("home, columns, fires", [
    # exactly 14 days before 2022-06-20: updated
    (["2022-06-06"], [], False),
    # 15 days: not updated
    (["2022-06-05"], [], True),
    # an item after the time point is ignored
    (["2022-06-05", "2022-06-25"], [], True),
    # undated items count as not updated
    ([None, None], [], True),
    # a navigation-only home page is judged by its columns
    ([], [column("要闻", "news", "2022-06-19")], False),
    ([], [column("要闻", "news", "2022-05-01")], True),
    # interaction columns do not date a home page
    ([], [column("在线访谈", "interaction", "2022-06-19"), column("要闻", "news", "2022-05-01")], True),
])
def test_home_not_updated(home, columns, fires):
    found = list(HomeNotUpdated().check(site(columns, home)))
    assert bool(found) is fires
    if fires:
        assert found[0].severity is Severity.VETO
        assert found[0].location["problem"] == "首页长期未更新"


def _news(n_stale, stale_date="2022-06-05"):
    fresh = [column(f"新闻{i}", "news", "2022-06-18") for i in range(3)]
    return fresh + [column(f"动态{i}", "news", stale_date) for i in range(n_stale)]


@pytest.mark.parametrize("columns, fires", [
    # 4 stale news columns: no veto; 5: veto
    (_news(4), False),
    (_news(5), True),
    # 14 days to the day is updated
    (_news(5, "2022-06-06"), False),
    # notice columns: 6 months to the day (2021-12-20) is updated, the day before is not
    (_news(4) + [column("通知公告", "notice", "2021-12-20")], False),
    (_news(4) + [column("通知公告", "notice", "2021-12-19")], True),
    # only first-level notice columns count
    (_news(4) + [column("通知公告", "notice", "2021-01-01", level=2)], False),
    # undated items, blank columns and broken column pages count as not updated
    (_news(4) + [column("部门动态", "news", None)], True),
    (_news(4) + [column("部门动态", "news", blank=True)], True),
    (_news(4) + [column("部门动态", "news", status="error")], True),
    # a column missing from the snapshot is not judged
    (_news(4) + [column("部门动态", "news", status="missing")], False),
    # later dates are ignored: only a future item means not updated
    (_news(4) + [column("部门动态", "news", "2022-06-30")], True),
    # other columns are not in this rule
    (_news(4) + [column("人事信息", "other", "2020-01-01")], False),
])
def test_columns_not_updated(columns, fires):
    found = list(ColumnsNotUpdated().check(site(columns)))
    assert bool(found) is fires
    if fires:
        assert found[0].location["problem"] == "多个栏目长期未更新"
        assert len(found[0].location["evidence"]) >= 5


def _others(n_stale, stale="2021-06-19"):
    return [column(f"栏目{i}", "other", stale) for i in range(n_stale)] + [column("人事", "other", "2022-05-01")]


@pytest.mark.parametrize("columns, fires", [
    (_others(9), False),
    (_others(10), True),
    # a year to the day (2021-06-20) is updated
    (_others(10, "2021-06-20"), False),
    # columns listing no dated items are not "should be updated" ones
    ([column(f"栏目{i}", "other", None) for i in range(12)], False),
    # news and notice columns are judged by rule 1
    ([column(f"栏目{i}", "notice", "2020-01-01", level=2) for i in range(12)], False),
])
def test_columns_long_unupdated(columns, fires):
    assert bool(list(ColumnsLongUnupdated().check(site(columns)))) is fires


def test_columns_long_unupdated_configurable():
    cols = [column(f"栏目{i}", "notice", "2020-01-01", level=2) for i in range(10)]
    assert list(ColumnsLongUnupdated(kinds=["other", "notice"]).check(site(cols)))
    assert not list(ColumnsLongUnupdated(threshold=11, kinds=["other", "notice"]).check(site(cols)))


@pytest.mark.parametrize("n_blank, extra, fires", [
    (4, [], False),
    (5, [], True),
    # blank interaction columns are the interaction rules' business
    (4, [column("留言", "interaction", blank=True)], False),
    # a column with items is not blank; a missing page is not blank
    (4, [column("动态", "news", "2022-06-01"), column("缺失", "other", status="missing")], False),
])
def test_blank_columns(n_blank, extra, fires):
    cols = [column(f"空白{i}", "other", blank=True) for i in range(n_blank)] + extra
    found = list(BlankColumns().check(site(cols)))
    assert bool(found) is fires
    if fires:
        assert found[0].location["problem"] == "多个栏目为空白"


def test_blank_column_definition():
    # no items and next to no text of its own -> blank; a text page (机构职能) is not
    assert column("空", "other", blank=True).blank
    text_page = column("机构职能", "other")
    assert not text_page.blank


@pytest.mark.parametrize("posts, fires", [
    ([post("2022-06-06")], False),  # 14 days: updated
    ([post("2022-06-05")], True),  # 15 days
    ([post("2022-06-05"), post("2022-06-22")], True),  # after the time point: ignored
    ([], True),  # no posts at all
    ([post("2022-06-20")], False),
])
def test_account_not_updated(posts, fires):
    found = list(AccountNotUpdated().check(account(*posts)))
    assert bool(found) is fires
    if fires:
        assert found[0].location["problem"] == "监测时间点前2周内无更新"
        assert found[0].severity is Severity.VETO
