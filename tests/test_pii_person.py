"""PERSON: names in tables, lists, 任前公示 paragraphs, labels and title cues; masked forms."""
import pytest

from pii_helpers import detect, values


@pytest.mark.parametrize("text, expected", [
    # a name column, with a full-width padded name and a compound surname
    ("序号\t姓名\t性别\n1\t王　芳\t女\n2\t欧阳娜娜\t女\n3\t李建国\t男\n", ["王　芳", "欧阳娜娜", "李建国"]),
    # title rows before the header (XLSX, CSV exports)
    ("2022年补贴发放名单\t\n序号\t户主姓名\t金额\n1\t张伟\t300\n", ["张伟"]),
    # header-less column of names
    ("1\t王芳\t女\n2\t李建国\t男\n3\t陈晓明\t男\n", ["王芳", "李建国", "陈晓明"]),
    # a Markdown table (a .md draft; trafilatura writes an HTML page's tables so for review)
    ("| 序号 | 姓名 | 性别 |\n| --- | --- | --- |\n| 1 | 王　芳 | 女 |\n| 2 | 李建国 | 男 |\n", ["王　芳", "李建国"]),
    # a line of names whose gaps a text or PDF audit read as column gaps (a tab, then spaces)
    ("拟录用人员名单\n王　芳\t 李建国\t 张伟\n", ["王　芳", "李建国", "张伟"]),
    # bars in a line that is no table row: a site's navigation
    ("首页 | 王芳 | 李建国 | 陈晓明\n", []),
    # enumerations
    ("拟录用人员名单：王建国、李明、张晓华。", ["王建国", "李明", "张晓华"]),
    # 任前公示 paragraph form
    ("王建国，男，汉族，1980年5月生，大学学历。", ["王建国"]),
    # ... also a listed name that is a frequent word (李娜 was dropped as a common word)
    ("李娜，女，1985年3月生，中共党员。", ["李娜"]),
    # labels
    ("联系人：陈晓明，电话见附件。", ["陈晓明"]),
    # after 姓名： also a name that is a frequent word of jieba's dictionary (李娜 was
    # dropped as a common word: 姓名：李娜，电话：020-… came out compliant)
    ("姓名：李娜，电话：020-83331234", ["李娜"]),
    ("姓 名：李娜 身份证号码：11010519491231002X", ["李娜"]),
    # so after a person's label with its colon (联系人：李娜 was missed: the masked copy kept it)
    ("联系人：李娜\n联系电话：13812345678", ["李娜"]),
    ("经办人：王军 13812345678", ["王军"]),
    # without the colon, or after 考生：, a frequent word is still no name
    ("联系人李娜", []),
    # a blank form: no name after the label
    ("姓名：性别：出生年月：", []),
    # a title cue on jieba word boundaries
    ("王建国同志在会上强调", ["王建国"]),
    # near misses: words that start with a surname character
    ("办公室主任到会，拟任副局长，高度重视", []),
    ("各级党委和政府要加强领导", []),
    ("序号\t单位\t金额\n1\t财政局\t300\n2\t民政局\t500\n", []),
])
def test_person(text, expected):
    assert values(text, "PERSON") == expected


@pytest.mark.parametrize("masked", ["张*", "张**", "张某", "张某某", "张*明", "欧阳*"])
def test_masked_names_in_a_table(masked):
    text = f"姓名\t金额\n{masked}\t300\n"
    assert detect(text, "PERSON") == [("PERSON", masked, True)]


@pytest.mark.parametrize("text, masked", [
    ("经查，张某某在会上说。", "张某某"),
    ("另据核实，付*涛、李*等人已收到退款。", "付*涛"),
])
def test_masked_names_in_text(text, masked):
    assert ("PERSON", masked, True) in detect(text, "PERSON")


@pytest.mark.parametrize("text", [
    # 提高某些, 对于某 are not masked names
    "要提高某些方面的能力，对于某项工作",
    # nor a place's name withheld in an address (越秀区某某路: 区某某 was a masked name)
    "住址：广州市越秀区某某路",
    "住所：天河区某某街道某某社区",
    "地址：海珠区某某大道某某小区",
])
def test_masked_form_near_miss(text):
    assert detect(text, "PERSON") == []


@pytest.mark.parametrize("text, expected", [
    ("彭小军认为，国内银行现在走的是台湾的发卡模式。", ["彭小军"]),
    ("记者从市政府获悉，王建国同志已于近日到任。", ["王建国"]),
    # no name
    ("市政府召开常务会议，研究部署安全生产工作。", []),
])
def test_running_text_names_with_the_crf(text, expected):
    assert values(text, "PERSON", text_names=True) == expected


@pytest.mark.parametrize("text, expected", [
    # a surname that is also a verb, after a label
    ("联系人：任建春，联系电话见附件。", ["任建春"]),
    # jieba joins the surname with a given-name character (许亮|雪): still a name after a label
    ("联系人：许亮雪，联系电话：17177296618。", ["许亮雪"]),
    # labels followed by words, not names
    ("申请人应根据《国家自然科学基金条例》提交材料", []),
    ("为患者和医护人员提供服务", []),
    # running text from policy documents: titles and organs
    ("国家发展和改革委员会主任", []),
    ("负责人须具有高级职称", []),
    ("信软司表示，将加快推进", []),
    ("工业司副司长瞿国春指出，要加快", ["瞿国春"]),
])
def test_labels_and_cues_on_real_text(text, expected):
    assert values(text, "PERSON") == expected


@pytest.mark.parametrize("text, expected", [
    # an organ, then a name standing alone, then its phone (contact lists of notices)
    ("科技司 虞正夫 010-68591234", ["虞正夫"]),
    ("财政部经济建设司　　　　虞正夫　010-61961234", ["虞正夫"]),
    ("工业和信息化部电子信息司：喻一鸣 010-68201234", ["喻一鸣"]),
    # the organ written without a space before the name
    ("科技司王芳 010-68591234", ["王芳"]),
    # padded names, two contacts on one line, mobiles
    ("中国信息通信研究院　　刘　迎　18610881234　李　铮　18910961234", ["刘　迎", "李　铮"]),
    # a compound surname
    ("规划司 欧阳建国 (010)68591234", ["欧阳建国"]),
    # after 联系人： and an organ, with or without a phone
    ("联系人：流通发展司 陈程", ["陈程"]),
    ("联系人：建筑市场监管司　杨光　王广明", ["杨光", "王广明"]),
    ("联系人及电话：科技司 虞正夫 010-68591234；财务司 王晓 010-68592345", ["虞正夫", "王晓"]),
    # a dash typed as 一, — or – between the digit groups, as the phone recognizers read it
    ("科技司 虞正夫 010一68591234", ["虞正夫"]),
    ("科技司 虞正夫 010—68591234", ["虞正夫"]),
    ("中国信息通信研究院　　刘　迎　186一1088一1234", ["刘　迎"]),
    ("办公室 010—68591234", []),
    # the label alone still works
    ("联系人：虞正夫", ["虞正夫"]),
    # near misses: agency lines and words before a phone are not names
    ("监督电话：020-83331234，传真：020-83331235", []),
    ("咨询电话 010-68591234（科技司）", []),
    ("办公室 010-68591234", []),
    ("单位 010-68591234", []),
    ("江苏省 025-83331234", []),
    ("全天 12345678901", []),
    ("联系人：建设司，电话：010-68591234", []),
    # an organ whose name holds a surname character (信) is not cut into a name
    ("联系人：最高人民法院信息中心", []),
    ("联系人：最高人民法院信息中心 赵子骏", ["赵子骏"]),
])
def test_contact_rows(text, expected):
    assert values(text, "PERSON") == expected


@pytest.mark.parametrize("text, expected", [
    # a masked contact keeps its own span
    ("科技司 虞** 010-68591234", [("PERSON", "虞**", True)]),
    # a masked name, then a gender, then a phone: the name alone, not "汪* 男"
    ("汪* 男 138****5678", [("PERSON", "汪*", True)]),
    ("汪*　女　13812345678", [("PERSON", "汪*", True)]),
])
def test_contact_rows_masked(text, expected):
    assert detect(text, "PERSON") == expected
