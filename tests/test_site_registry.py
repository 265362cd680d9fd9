"""Registry CSV loading: 网站标识码 / 新媒体标识码 validation (GB/T 2260), bad rows with line numbers."""
import re

import pytest

from scanner.errors import InputError
from scanner.site.registry import (host_of, load_accounts, load_sites, read_regions, validate_account_code,
                                   validate_site_code)


@pytest.mark.parametrize("code, ok", [
    ("bm55000001", True),  # State Council department
    ("4404030001", True),  # county: 斗门区
    ("4406000012", True),  # city: 佛山市
    ("4400000077", True),  # province: 广东省
    ("3406000012", True),  # 淮北市 (the footer example)
    # near-misses
    ("4499990001", False),  # not a GB/T 2260 code
    ("440403001", False),  # 9 digits
    ("44040300011", False),  # 11 digits
    ("BM55000001", False),  # bm is lower case
    ("bm5500001", False),
    ("", False),
])
def test_validate_site_code(code, ok):
    assert (validate_site_code(code) is None) is ok


@pytest.mark.parametrize("code, ok", [
    ("440600M020XL0001", True),
    ("440000M009DY0001", True),
    ("445300M034WX0001", True),
    ("440600M020QQ0001", False),  # unknown platform code
    ("449999M020XL0001", False),  # unknown region
    ("440600X020XL0001", False),  # no M
    ("440600M20XL0001", False),  # 2-digit unit
    ("440600M020xl0001", False),
])
def test_validate_account_code(code, ok):
    assert (validate_account_code(code) is None) is ok


def test_platform_codes_are_configurable():
    assert validate_account_code("440600M020QQ0001", {"QQ": "QQ空间"}) is None


@pytest.mark.parametrize("url, host", [
    ("http://www.gd.gov.cn/", "www.gd.gov.cn"),
    ("www.gd.gov.cn", "www.gd.gov.cn"),
    ("https://WWW.GD.GOV.CN/index.html", "www.gd.gov.cn"),
    ("ftp://www.gd.gov.cn/", None),
    ("http:///nohost", None),
    ("", None),
])
def test_host_of(url, host):
    assert host_of(url) == host


def test_load_sites_reports_bad_rows_and_keeps_extra_columns(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text(
        "地区,网站名称,主办单位,网站地址,网站标识码,备注\n"
        "珠海,斗门区政府门户网站,斗门区人民政府办公室,http://www.doumen.gov.cn/,4404030001,门户\n"
        "珠海,坏网站,某单位,http://bad.gov.cn/,4499990001,\n"
        "珠海,重复网站,某单位,http://dup.gov.cn/,4404030001,\n"
        "珠海,,某单位,http://empty.gov.cn/,4404030002,\n"
        ",,,,,\n"
        "珠海,无效地址,某单位,not a url at all,4404030003,\n", encoding="utf-8")
    entries, errors = load_sites(path)
    assert [e.code for e in entries] == ["4404030001"]
    assert entries[0].extra == {"备注": "门户"} and entries[0].host == "www.doumen.gov.cn" and entries[0].line == 2
    assert [e.line for e in errors] == [3, 4, 5, 7]
    assert "GB/T 2260" in errors[0].reason and "重复" in errors[1].reason and "网站名称" in errors[2].reason


@pytest.mark.parametrize("first, second, duplicate", [
    # the same site under two codes (a copied row whose code was changed, a re-registration)
    ("http://www.doumen.gov.cn/", "http://www.doumen.gov.cn/", True),
    ("http://www.doumen.gov.cn/", "https://WWW.doumen.gov.cn/index.html", True),
    ("www.doumen.gov.cn", "http://www.doumen.gov.cn/", True),
    ("http://www.gd.gov.cn/bmwz/jtt/", "http://www.gd.gov.cn/bmwz/jtt/index.shtml", True),
    # near misses: a platform's department sites differ by their path; www. is another host
    ("http://www.gd.gov.cn/bmwz/jtt/", "http://www.gd.gov.cn/bmwz/sft/", False),
    ("http://www.gd.gov.cn/", "http://www.gd.gov.cn/bmwz/sft/", False),
    ("http://www.doumen.gov.cn/", "http://doumen.gov.cn/", False),
])
def test_one_site_registered_twice_is_a_bad_row(tmp_path, first, second, duplicate):
    """A site listed twice under two codes was scanned twice: 附件1 counted it twice, a failing
    site was listed twice in 附件2, and the second code 'mismatched' the footer (网站标识加挂不规范)."""
    path = tmp_path / "sites.csv"
    path.write_text("地区,网站名称,主办单位,网站地址,网站标识码\n"
                    f"珠海,斗门区政府门户网站,斗门区人民政府办公室,{first},4404030001\n"
                    f"珠海,斗门区政府网站,斗门区人民政府办公室,{second},4404030002\n", encoding="utf-8")
    entries, errors = load_sites(path)
    if duplicate:
        assert [e.code for e in entries] == ["4404030001"]
        assert [(e.line, e.reason) for e in errors] == [
            (3, f"网站地址“{second}”与第2行（网站标识码“4404030001”）是同一网站：同一网站登记了两次（报告会把它计为两个网站）")]
    else:
        assert [e.code for e in entries] == ["4404030001", "4404030002"] and errors == []


_HEAD = "地区,网站名称,主办单位,网站地址,网站标识码\n"
_ROW = "珠海,斗门区政府门户网站,斗门区人民政府办公室,http://www.doumen.gov.cn/,4404030001\n"
_BAD = "珠海,坏网站,某单位,http://bad.gov.cn/,4499990001\n"


@pytest.mark.parametrize("text, codes, bad_lines", [
    # the filing system's XLSX saved as CSV: its merged title row (and notes) above the header row
    # (refused: "registry lacks the column(s) …", the XLSX itself being accepted)
    ("广东省政府网站名录,,,,\n" + _HEAD + _ROW + _BAD, ["4404030001"], [4]),
    ("\ufeff广东省政府网站名录\n填报单位：省政务服务数据管理局,,,,\n\n" + _HEAD + _ROW, ["4404030001"], []),
    # the header on the first line, as before (bad rows keep their file line numbers)
    (_HEAD + _BAD + _ROW, ["4404030001"], [2]),
])
def test_csv_header_row_below_a_title(tmp_path, text, codes, bad_lines):
    path = tmp_path / "sites.csv"
    path.write_text(text, encoding="utf-8")
    entries, errors = load_sites(path)
    assert [e.code for e in entries] == codes and [e.line for e in errors] == bad_lines


@pytest.mark.parametrize("text, reason", [
    # no row with the columns in the first 30: the first row with a value is quoted
    ("广东省政府网站名录,,,,\n" + "说明\n" * 30 + _HEAD + _ROW, "registry lacks the column(s) 地区, 网站名称, 主办单位, "
     "网站地址, 网站标识码 (header: 广东省政府网站名录)"),
    ("\n\n", "empty registry (no header row)"),
])
def test_csv_without_a_header_row_is_one_line(tmp_path, text, reason):
    path = tmp_path / "sites.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_sites(path)
    assert exc.value.reason == reason


def test_registry_cells_lose_invisible_characters(tmp_path):
    """A BOM, CRLF, blank lines, trailing and full-width spaces, a zero-width space after a
    pasted code, a control character in a name: the row is read as meant (the zero-width
    space made the code 'malformed'; the control character crashed the XLSX report)."""
    path = tmp_path / "sites.csv"
    path.write_bytes("\ufeff地区 ,网站名称,主办单位,网站地址,网站标识码\r\n\r\n"
                     "珠海 ,斗门区\x0b政府门户网站\u3000,斗门区人民政府办公室,http://www.doumen.gov.cn/ ,4404030001\u200b\r\n"
                     .encode("utf-8"))
    entries, errors = load_sites(path)
    assert not errors
    e = entries[0]
    assert (e.region, e.name, e.code, e.host, e.line) == ("珠海", "斗门区政府门户网站", "4404030001", "www.doumen.gov.cn", 3)


@pytest.mark.parametrize("cell, expected", [
    # Excel's Alt+Enter inside a long name or sponsor (a quoted CSV cell): the line break broke
    # the report's Markdown rows; the name reads as one line
    ('"斗门区政府\n门户网站"', "斗门区政府门户网站"),
    ('"斗门区政府 \r\n 门户网站"', "斗门区政府门户网站"),
    ('"斗门区政府门户网站\n"', "斗门区政府门户网站"),
    ("斗门区政府门户网站", "斗门区政府门户网站"),
])
def test_registry_cells_lose_line_breaks(tmp_path, cell, expected):
    path = tmp_path / "sites.csv"
    path.write_text(f"地区,网站名称,主办单位,网站地址,网站标识码\n珠海,{cell},\"斗门区人民政府\n办公室\","
                    "http://www.doumen.gov.cn/,4404030001\n", encoding="utf-8")
    entries, errors = load_sites(path)
    assert not errors and (entries[0].name, entries[0].sponsor) == (expected, "斗门区人民政府办公室")


def test_codes_in_another_case_are_read(tmp_path):
    """BM55000001 and 440600m020xl0001 were bad rows ("格式不正确"); the codes are the same."""
    sites = tmp_path / "sites.csv"
    sites.write_text("地区,网站名称,主办单位,网站地址,网站标识码\n省直,某部门网站,某部门,http://x.gov.cn/,BM55000001\n",
                     encoding="utf-8")
    entries, errors = load_sites(sites)
    assert not errors and entries[0].code == "bm55000001"
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("地区,新媒体名称,账号类型,主办单位,新媒体标识码\n佛山,佛山统计,新浪微博,佛山市统计局,440600m020xl0001\n"
                        "佛山,重复,新浪微博,佛山市统计局,440600M020XL0001\n", encoding="utf-8")
    entries, errors = load_accounts(accounts)
    assert [e.code for e in entries] == ["440600M020XL0001"]
    assert errors[0].line == 3 and "重复" in errors[0].reason  # the same code, whatever its case


def test_load_accounts(tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_text(
        "地区,新媒体名称,账号类型,主办单位,新媒体标识码\n"
        "佛山,佛山统计,新浪微博,佛山市统计局,440600M020XL0001\n"
        "佛山,坏账号,微信订阅号,某单位,440600M020QQ0001\n", encoding="utf-8")
    entries, errors = load_accounts(path)
    assert [(e.name, e.platform, e.platform_code, e.url) for e in entries] == [("佛山统计", "新浪微博", "XL", "")]
    assert errors[0].line == 3 and "QQ" in errors[0].reason


@pytest.mark.parametrize("platform, code, bad", [
    # one account on two platforms: the second row copied from the first, only the code changed
    ("微信订阅号", "440100M099XL0001", True),
    ("新浪微博", "440100M099WX0001", True),
    ("抖音短视频", "440100M099KS0001", True),
    ("微博", "440100M099WX0001", True),
    # the platform the code says, however the 账号类型 spells it
    ("微信订阅号", "440100M099WX0001", False),
    ("微信服务号", "440100M099WX0001", False),
    ("新浪微博", "440100M099XL0001", False),
    ("微博", "440100M099XL0001", False),
    ("抖音短视频", "440100M099DY0001", False),
    ("南方号", "440100M099NF0001", False),
    # a type naming no known platform cannot be told: kept
    ("政务号", "440100M099TT0001", False),
])
def test_account_type_must_match_the_codes_platform(tmp_path, platform, code, bad):
    """附件4 prints the 账号类型: a row whose type names another platform than its code's
    letters printed the wrong one (and the account's two platforms as one)."""
    path = tmp_path / "accounts.csv"
    path.write_text("地区,新媒体名称,账号类型,主办单位,新媒体标识码\n"
                    "广州,广州新账号,微信订阅号,广州市新单位,440100M099WX0009\n"
                    f"广州,广州新账号,{platform},广州市新单位,{code}\n", encoding="utf-8")
    entries, errors = load_accounts(path)
    assert len(entries) == (1 if bad else 2)
    if bad:
        assert errors[0].line == 3 and f"账号类型“{platform}”与新媒体标识码“{code}”的平台代码" in errors[0].reason


@pytest.mark.parametrize("site_code, account_code", [
    # an IME left in full-width mode, digits grouped with spaces: the same codes (they were "格式不正确")
    ("４４０１０００００１", "４４０１００Ｍ００１ＷＸ０００１"),
    ("4401 0000 01", "440100 M001 WX0001"),
    ("4401000001", "440100M001WX0001"),
])
def test_codes_typed_full_width_or_spaced_are_read(tmp_path, site_code, account_code):
    sites = tmp_path / "sites.csv"
    sites.write_text(f"地区,网站名称,主办单位,网站地址,网站标识码\n广州,网站,单位,http://a.gov.cn/,{site_code}\n", encoding="utf-8")
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(f"地区,新媒体名称,账号类型,主办单位,新媒体标识码\n广州,账号,微信订阅号,单位,{account_code}\n",
                        encoding="utf-8")
    assert [e.code for e in load_sites(sites)[0]] == ["4401000001"]
    assert [e.code for e in load_accounts(accounts)[0]] == ["440100M001WX0001"]


def test_gbk_registry_reads_like_utf8(tmp_path):
    """Excel's "CSV" on a Chinese Windows is GBK (it was refused as not UTF-8)."""
    text = ("地区,网站名称,主办单位,网站地址,网站标识码\n"
            "珠海,斗门区政府门户网站,斗门区人民政府办公室,http://www.doumen.gov.cn/,4404030001\n")
    for i, encoding in enumerate(("utf-8", "utf-8-sig", "gbk", "gb18030")):
        path = tmp_path / f"r{i}.csv"
        path.write_bytes(text.encode(encoding))
        entries, errors = load_sites(path)
        assert [(e.region, e.name, e.sponsor) for e in entries] == [("珠海", "斗门区政府门户网站", "斗门区人民政府办公室")]
        assert errors == []


@pytest.mark.parametrize("content, reason", [
    (b"\xff\xfe\x30\x57,\x00n\x00", "neither UTF-8 nor GB18030"),  # UTF-16 (Excel's "Unicode text")
    # a damaged XLSX (a ZIP that is none): read as a workbook, one line (an XLSX was refused; it is read now)
    (b"PK\x03\x04" + b"\x00" * 40, "corrupt XLSX (not a valid ZIP archive)"),
    ("地区,网站名称\n珠海,x\n".encode(), "lacks the column(s) 主办单位, 网站地址, 网站标识码"),
    (b"", "empty registry"),
    # the header alone (an export of an empty selection): the scan passed with 检查0个, exit 0
    ("地区,网站名称,主办单位,网站地址,网站标识码\n".encode(), "registry has no rows (only the header row)"),
    ("地区,网站名称,主办单位,网站地址,网站标识码\n,,,,\n\n".encode(), "registry has no rows (only the header row)"),
])
def test_unreadable_registry(tmp_path, content, reason):
    path = tmp_path / "r.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as exc:
        load_sites(path)
    assert reason in str(exc.value)


def test_missing_registry(tmp_path):
    with pytest.raises(InputError, match="registry file not found"):
        load_sites(tmp_path / "none.csv")


def test_region_list_refuses_rows_of_other_regions(tmp_path):
    regions = tmp_path / "regions.txt"
    regions.write_text("# 广东省的地区\n省直\n珠海\n\n佛山\n珠海\n", encoding="utf-8")
    allowed = read_regions(regions)
    assert allowed == ["省直", "珠海", "佛山"]  # comments, blanks and repeats dropped, order kept
    sites = tmp_path / "sites.csv"
    sites.write_text(
        "地区,网站名称,主办单位,网站地址,网站标识码\n"
        "珠海,斗门区政府门户网站,斗门区人民政府办公室,http://www.doumen.gov.cn/,4404030001\n"
        "珠海市,多写了市,某单位,http://a.gov.cn/,4404030002\n"
        "深圳,不在名单,某单位,http://b.gov.cn/,4403000001\n", encoding="utf-8")
    entries, errors = load_sites(sites, allowed)
    assert [e.code for e in entries] == ["4404030001"]
    assert [(e.line, e.reason.split("（")[0]) for e in errors] == [
        (3, "地区“珠海市”不在地区列表中"), (4, "地区“深圳”不在地区列表中")]
    # without a list every region is accepted, but one spelled two ways (珠海市 beside 珠海) is not
    assert [(e.line, e.reason.split("（")[0]) for e in load_sites(sites)[1]] == [(3, "地区“珠海市”与本名单其他1行的“珠海”写法不同")]
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(
        "地区,新媒体名称,账号类型,主办单位,新媒体标识码\n"
        "佛山,佛山统计,新浪微博,佛山市统计局,440600M020XL0001\n"
        "广州,广州统计,新浪微博,广州市统计局,440100M020XL0001\n", encoding="utf-8")
    entries, errors = load_accounts(accounts, regions=allowed)
    assert [e.code for e in entries] == ["440600M020XL0001"] and errors[0].line == 3


SITE_HEAD = "地区,网站名称,主办单位,网站地址,网站标识码\n"


@pytest.mark.parametrize("regions, bad", [
    # one region spelled two ways in one registry: the report counted them as two regions
    # (附件1 had a row 广州 and a row 广州市); the fewer rows' spelling is a bad row
    (["广州", "广州", "广州市"], [(4, "地区“广州市”与本名单其他2行的“广州”写法不同")]),
    (["广州市", "广州市", "广州"], [(4, "地区“广州”与本名单其他2行的“广州市”写法不同")]),
    (["广州", "广 州", "广州"], [(3, "地区“广 州”与本名单其他2行的“广州”写法不同")]),
    # a tie: the longer spelling is the bad one (the notice writes 广州)
    (["广州市", "广州"], [(2, "地区“广州市”与本名单其他1行的“广州”写法不同")]),
    # near misses: different regions, and one spelling throughout
    (["广州", "深圳", "省直"], []),
    (["广州市", "广州市", "深圳市"], []),
])
def test_a_region_spelled_two_ways_is_a_bad_row(tmp_path, regions, bad):
    path = tmp_path / "sites.csv"
    path.write_text(SITE_HEAD + "".join(f"{r},站{n},某单位,http://s{n}.gov.cn/,44010000{n:02d}\n"
                                        for n, r in enumerate(regions, 1)), encoding="utf-8")
    entries, errors = load_sites(path)
    assert [(e.line, e.reason.split("（")[0]) for e in errors] == bad
    assert len(entries) == len(regions) - len(bad)
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("地区,新媒体名称,账号类型,主办单位,新媒体标识码\n" + "".join(
        f"{r},号{n},新浪微博,某单位,440100M0{n:02d}XL0001\n" for n, r in enumerate(regions, 1)), encoding="utf-8")
    assert [(e.line, e.reason.split("（")[0]) for e in load_accounts(accounts)[1]] == bad


@pytest.mark.parametrize("content, reason", [
    # in Chinese, as the scan's 地区“…”不在地区列表中 and the report's messages (they were English)
    (b"# only a comment\n\n", "地区列表为空（每行一个地区）"),
    (b"\xff\xfe\x01\x00\n", "地区列表的文字编码无法识别（既不是UTF-8也不是GB18030/GBK，第0字节）"),
    (b"PK\x03\x04rest of a workbook", "地区列表是电子表格（XLSX/XLS）"),
    # a registry CSV given as --regions: each line was a "region" (附件1 a row per line, 0 0 0)
    ("地区,网站名称,主办单位\n广州,广州市人民政府门户网站,广州市人民政府办公室\n".encode(),
     "地区列表第1行“地区,网站名称,主办单位”含逗号或制表符，不是一个地区：--regions 应为每行一个地区的文本文件（不是名录CSV）"),
    ("# 广东省\n广州\n深圳\t440300\n".encode(), "地区列表第3行“深圳 440300”含逗号或制表符"),
    ("广州，深圳，珠海\n".encode(), "地区列表第1行“广州，深圳，珠海”"),
])
def test_bad_region_list(tmp_path, content, reason):
    path = tmp_path / "regions.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as exc:
        read_regions(path)
    assert reason in str(exc.value) and str(exc.value).startswith(str(path))
    # no English words but the names of formats and options
    assert not re.search(r"[A-Za-z]", re.sub(r"UTF-8|GB18030/GBK|XLSX/XLS|--regions|CSV", "",
                                             str(exc.value).removeprefix(str(path))))


@pytest.mark.parametrize("make, reason", [
    (lambda d: d / "none.txt", "none.txt: 地区列表文件不存在"),
    (lambda d: d, "地区列表是一个目录，应为每行一个地区的文本文件"),
])
def test_region_list_not_readable(tmp_path, make, reason):
    with pytest.raises(InputError) as exc:
        read_regions(make(tmp_path))
    assert reason in str(exc.value)


@pytest.mark.parametrize("content, regions", [
    # near-misses that are lists: GBK (Excel's "text"), a BOM, comments, blanks, repeats, spaces
    ("广州\n深圳\n".encode("gbk"), ["广州", "深圳"]),
    ("\ufeff# 广东省\n\n 广州 \n省直\n广州\n".encode(), ["广州", "省直"]),
    ("# 地区,网站名称 (a comment may hold a comma)\n广州\n".encode(), ["广州"]),
])
def test_region_list_read(tmp_path, content, regions):
    path = tmp_path / "regions.txt"
    path.write_bytes(content)
    assert read_regions(path) == regions


@pytest.mark.parametrize("value, shown", [
    # a contact or 负责人 cell shifted into another column: the name keeps its surname, numbers masked
    ("王小明 13812345678", "王** 138****5678"),
    ("赵六13912345678", "赵*139****5678"),
    ("联系人：李娜", "联系人：李*"),
    ("11010519491231002X", "110***********002X"),
    ("zhangsan@163.com", "z*******@163.com"),
    ("欧阳娜娜", "欧***"),
    # near-misses that stay as they are: regions, labels, organs, words, addresses
    ("江门市", "江门市"), ("江门", "江门"), ("黄埔区", "黄埔区"), ("珠海市", "珠海市"),
    ("联系人", "联系人"), ("负责人", "负责人"), ("管理员", "管理员"), ("单位名称", "单位名称"),
    ("网站名称", "网站名称"), ("主办单位", "主办单位"), ("广州市人民政府办公厅", "广州市人民政府办公厅"),
    ("高明", "高明"), ("白云区", "白云区"), ("not a url at all", "not a url at all"), ("http://www.gz.gov.cn/", "http://www.gz.gov.cn/"),
    ("440403", "440403"), ("文明", "文明"), ("金融", "金融"),  # a short number, frequent words
])
def test_shown_value(value, shown):
    from scanner.site.registry import shown_value

    assert shown_value(value) == shown


@pytest.mark.parametrize("row, leaked, shown", [
    # a 负责人 and a mobile shifted into 网站地址
    ("广州,某网站,某单位,王小明 13812345678,4401000002", ["王小明", "13812345678"], "网站地址“王** 138****5678”不是有效的网址"),
    # into the code cell: an ID number, a name and a mobile
    ("广州,某网站,某单位,http://b.gz.gov.cn/,赵六 13912345678", ["赵六", "13912345678"],
     "网站标识码“赵*139****5678”格式不正确"),
    ("广州,某网站,某单位,http://c.gz.gov.cn/,11010519491231002X", ["11010519491231002X"], "网站标识码“110***********002X”格式不正确"),
    # a name in 地区, refused by the region list
    ("王五,某网站,某单位,http://d.gz.gov.cn/,4401000003", ["王五"], "地区“王*”不在地区列表中"),
    # near-misses: a neighbouring city and a wrong code are quoted as they are
    ("珠海市,某网站,某单位,http://e.gz.gov.cn/,4401000004", [], "地区“珠海市”不在地区列表中"),
    ("广州,某网站,某单位,http://f.gz.gov.cn/,4499990001", [], "网站标识码“4499990001”的前6位"),
])
def test_registry_errors_mask_personal_data(tmp_path, row, leaked, shown):
    """A registry row's error quoted the cell whole: a person's name, mobile or ID number shifted into
    网站地址, 地区 or the code (one cell too many) reached the terminal, the JSON and the store's summary."""
    path = tmp_path / "sites.csv"
    path.write_text("地区,网站名称,主办单位,网站地址,网站标识码\n" + row + "\n", encoding="utf-8")
    _, errors = load_sites(path, regions=["广州"])
    [error] = errors
    assert shown in str(error) and not [x for x in leaked if x in str(error)]


def test_headerless_list_given_as_registry_masks_names(tmp_path):
    """A 公示名单 without a header given as -r: the first row is quoted, its name masked like its numbers."""
    path = tmp_path / "list.csv"
    path.write_text("1,张三,11010519491231002X,13812345678\n2,李四,110105194912310021,13912345678\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_sites(path)
    assert exc.value.reason.endswith("(header: 1, 张*, 110***********002X, 138****5678)")
