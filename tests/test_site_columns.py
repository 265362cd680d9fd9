"""Column classification by name, with config overrides; crawl metadata never dates an item."""
import datetime as dt
import io

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scanner.errors import ConfigError
from scanner.settings import Settings
from scanner.site.columns import ColumnClassifier
from scanner.site.scan import model_options


@pytest.mark.parametrize("name, kind", [
    ("要闻", "news"), ("工作动态", "news"), ("部门动态", "news"), ("新闻中心", "news"), ("图片新闻", "news"),
    ("通知公告", "notice"), ("政策文件", "notice"), ("政策法规", "notice"), ("政策解读", "notice"),
    ("领导信箱", "interaction"), ("在线访谈", "interaction"), ("留言咨询", "interaction"), ("互动交流", "interaction"),
    ("人事信息", "other"), ("统计数据", "other"), ("机构职能", "other"), ("规划计划", "other"),
])
def test_classify_by_name(name, kind):
    assert ColumnClassifier().classify(name) == kind


def test_overrides_from_config():
    settings = Settings.load(as_of=dt.date(2022, 6, 20),
                             overrides={"scan": {"column_overrides": {"人事信息": "news", "政策文件": "other"}}})
    classifier = model_options(settings).classifier
    assert classifier.classify("人事信息") == "news"
    assert classifier.classify("政策文件") == "other"
    assert classifier.classify("通知公告") == "notice"


def test_keyword_lists_from_config():
    settings = Settings.load(as_of=dt.date(2022, 6, 20), overrides={"scan": {"news_keywords": ["播报"]}})
    classifier = model_options(settings).classifier
    assert classifier.classify("每日播报") == "news" and classifier.classify("工作动态") == "other"


def test_bad_override_is_a_config_error():
    settings = Settings.load(as_of=dt.date(2022, 6, 20), overrides={"scan": {"column_overrides": {"人事信息": "fresh"}}})
    with pytest.raises(ConfigError, match="news, notice, interaction, other"):
        model_options(settings)


def test_crawl_metadata_never_dates_an_item(tmp_path):
    """A column whose entries carry no date stays undated even though the WARC record, the HTTP
    Date and Last-Modified headers are all fresh."""
    from scanner.extract.warc import WarcSnapshot
    from scanner.site.model import build_site_model

    home = "<html><body><div class='nav'><a href='/gzdt/'>工作动态</a></div></body></html>"
    col = "<html><body><ul class='list'><li><a href='/gzdt/a.html'>会议召开</a></li></ul></body></html>"
    art = "<html><body><h1>会议召开</h1><p>会议研究部署了下一阶段工作。</p></body></html>"
    fresh = [("Content-Type", "text/html"), ("Date", "Mon, 20 Jun 2022 02:00:00 GMT"),
             ("Last-Modified", "Sun, 19 Jun 2022 02:00:00 GMT")]
    path = tmp_path / "s.warc.gz"
    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for url, body in (("http://x.gov.cn/", home), ("http://x.gov.cn/gzdt/", col), ("http://x.gov.cn/gzdt/a.html", art)):
            rec = w.create_warc_record(url, "response", payload=io.BytesIO(body.encode()),
                                       http_headers=StatusAndHeaders("200 OK", fresh, protocol="HTTP/1.1"),
                                       warc_headers_dict={"WARC-Date": "2022-06-20T02:00:00Z"})
            w.write_record(rec)
    model = build_site_model("x.gov.cn", "http://x.gov.cn/", WarcSnapshot(path).site("x.gov.cn"))
    column = model.columns[0]
    assert [i.title for i in column.items] == ["会议召开"] and column.items[0].date is None
