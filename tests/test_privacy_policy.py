"""The disclosure policy: what is a violation (单项否决·泄露个人隐私)."""
import pytest

from scanner.checks.pii.analyzer import PiiAnalyzer
from scanner.privacy.policy import Policy, judge


def judged(text):
    pol = Policy.load()
    return [(j.detection.entity, text[j.detection.start:j.detection.end], j.violation) for j in judge(text, PiiAnalyzer().analyze(text), pol)]


@pytest.mark.parametrize("text, expected", [
    # an unmasked ID, card, detailed address or mobile is a violation on its own
    ("身份证号11010519491231002X", [("CN_RESIDENT_ID", True)]),
    ("卡号6222021234567894", [("CN_BANK_CARD", True)]),
    ("住址：广州市天河区体育西路123号1栋2单元501室", [("CN_ADDRESS", True)]),
    # a mobile is personal, also as a work contact
    ("咨询电话：13812345678", [("CN_MOBILE", True)]),
    # a full name alone is not a violation
    ("拟录用人员名单：王建国、李明、张晓华。", [("PERSON", False)] * 3),
    # a name with an identifier in the same row is
    ("姓名\t身份证号\n王芳\t11010519491231002X\n", [("PERSON", True), ("CN_RESIDENT_ID", True)]),
    # a landline in a person's row is personal
    ("姓名\t家庭电话\n王芳\t020-83331234\n", [("PERSON", True), ("CN_LANDLINE", True)]),
    # an agency line is not, and a landline without a person is not
    ("联系人：王芳，办公电话：020-83331234", [("PERSON", False), ("CN_LANDLINE", False)]),
    ("监督电话：020-83331234，传真：020-83331235", [("CN_LANDLINE", False), ("CN_LANDLINE", False)]),
    ("咨询电话：0766-8123456", [("CN_LANDLINE", False)]),
    # a name standing alone as an organ's work contact: its landline is the organ's,
    # its mobile is personal (and then the name with it is a violation)
    ("科技司 虞正夫 010-68591234", [("PERSON", False), ("CN_LANDLINE", False)]),
    ("联系人及电话：财政部经济建设司　虞正夫　010-61961234", [("PERSON", False), ("CN_LANDLINE", False)]),
    ("科技司 虞正夫 13812345678", [("PERSON", True), ("CN_MOBILE", True)]),
    ("科技司 虞** 010-68591234", [("PERSON", False), ("CN_LANDLINE", False)]),
    ("中国信息通信研究院　刘　迎　18610881234", [("PERSON", True), ("CN_MOBILE", True)]),
    # a name after a contact label (联系人：…, the closing line of most notices) is a work
    # contact: the landline is the office's; a mobile stays personal and takes the name with it
    ("联系人：虞正夫 010-68591234", [("PERSON", False), ("CN_LANDLINE", False)]),
    ("联系人：王芳，联系电话：020-83331234", [("PERSON", False), ("CN_LANDLINE", False)]),
    ("联系人及联系电话：王芳 020-83331234", [("PERSON", False), ("CN_LANDLINE", False)]),
    ("联 系 人：张维 010-68591234", [("PERSON", False), ("CN_LANDLINE", False)]),
    ("联系人：王芳，联系电话：020-83331234，13812345678", [("PERSON", True), ("CN_LANDLINE", False), ("CN_MOBILE", True)]),
    # an e-mail there is the office's on an organisation's domain, personal on public webmail
    ("山东省能源局联系人：王芳，联系电话：0531-86061234，邮箱：nyjzhc@shandong.cn",
     [("PERSON", False), ("CN_LANDLINE", False), ("EMAIL", False)]),
    ("联系人：王芳，联系电话：020-83331234，邮箱：wangfang@163.com",
     [("PERSON", True), ("CN_LANDLINE", False), ("EMAIL", True)]),
    ("联系人：王芳，邮箱：wf@vip.qq.com", [("PERSON", True), ("EMAIL", True)]),
    # near misses: the same name and line as a record, an emergency contact
    ("王芳 020-83331234", [("PERSON", True), ("CN_LANDLINE", True)]),
    ("姓名：王芳 电话：020-83331234", [("PERSON", True), ("CN_LANDLINE", True)]),
    ("紧急联系人：王芳 020-83331234", [("PERSON", True), ("CN_LANDLINE", True)]),
    # a footer line
    ("版权所有：云浮市人民政府　联系电话：0766-8123456　邮箱：yfzf@yunfu.gov.cn", [("CN_LANDLINE", False), ("EMAIL", False)]),
    # an e-mail next to a name
    ("联系人：王芳，邮箱：wangfang@qq.com", [("PERSON", True), ("EMAIL", True)]),
    # masked forms are never violations
    ("姓名\t身份证号\t手机\n张*\t440105********1234\t138****5678\n", [("PERSON", False), ("CN_RESIDENT_ID", False), ("CN_MOBILE", False)]),
])
def test_policy(text, expected):
    assert [(e, v) for e, _s, v in judged(text)] == expected


ID_A, ID_B = "11010519491231002X", "440105199002020022"


@pytest.mark.parametrize("text, expected", [
    # one person's record written as labelled lines (a 行政处罚决定书): the name is a
    # violation with the ID, address or phone of the lines below it (it was "name alone")
    (f"当事人：王建国\n身份证号：{ID_A}\n住址：广州市越秀区\n", [("PERSON", True), ("CN_RESIDENT_ID", True)]),
    (f"姓名：王建国\n性别：男\n公民身份号码：{ID_A}\n", [("PERSON", True), ("CN_RESIDENT_ID", True)]),
    ("当事人：李建华\n联系地址：广州市天河区\n联系电话：020-83331234\n", [("PERSON", True), ("CN_LANDLINE", True)]),
    # the record's first line after the head's: the ID line reaches the name above it too
    (f"经查，情况如下。\n当事人：王建国，男，1980年1月1日出生\n住址：广州市越秀区\n公民身份号码：{ID_A}\n",
     [("PERSON", True), ("CN_RESIDENT_ID", True)]),
    # two people one after the other are two records: the first's name does not take the
    # second's ID (masked name, unmasked ID: only the ID)
    (f"当事人：王建国\n住址：广州市\n当事人：李某\n身份证号：{ID_B}\n",
     [("PERSON", False), ("PERSON", False), ("CN_RESIDENT_ID", True)]),
    (f"当事人：王某某\n身份证号：440105********0012\n当事人：李建华\n联系电话：020-83331234\n",
     [("PERSON", False), ("CN_RESIDENT_ID", False), ("PERSON", True), ("CN_LANDLINE", True)]),
    # a blank line or a line of prose ends the record
    (f"当事人：王建国\n\n身份证号：{ID_A}\n", [("PERSON", False), ("CN_RESIDENT_ID", True)]),
    (f"当事人：王建国\n经查，当事人存在违法行为。\n身份证号：{ID_A}\n", [("PERSON", False), ("CN_RESIDENT_ID", True)]),
    # labelled lines without a person's label above them stay lines of their own; so do a
    # company's (its 法定代表人's line is the company's record, the phone the company's)
    ("企业名称：某某有限公司\n法定代表人：王芳\n联系电话：020-83331234\n", [("PERSON", False), ("CN_LANDLINE", False)]),
    (f"审核：王建国\n身份证号：{ID_A}\n", [("PERSON", False), ("CN_RESIDENT_ID", True)]),
    # a 行政处罚决定书 whose 当事人 is a company: its 法定代表人 and the company's phone are no
    # person's record (the labelled-lines record made both a veto)
    ("当事人：广州市恒达贸易有限公司\n法定代表人：王芳\n联系电话：020-83331234\n",
     [("PERSON", False), ("CN_LANDLINE", False)]),
    ("当事人：广州市越秀区恒达五金店（个体工商户）\n负责人：王芳\n住所：广州市越秀区\n联系电话：020-83331234\n",
     [("PERSON", False), ("CN_LANDLINE", False)]),
    # the agency's fields after a person's record end it: the 办案机关's phone is not the person's
    ("当事人：王建国\n身份证号：440105********1234\n办案机关：广州市越秀区市场监督管理局\n联系电话：020-83335678\n",
     [("PERSON", False), ("CN_RESIDENT_ID", False), ("CN_LANDLINE", False)]),
    ("申请人：王建国\n受理单位：广州市越秀区民政局\n联系电话：020-83335678\n", [("PERSON", False), ("CN_LANDLINE", False)]),
    ("当事人：王建国\n住址：广州市越秀区\n执法人员：李娜、张华\n联系电话：020-83335678\n",
     [("PERSON", False), ("PERSON", False), ("CN_LANDLINE", False)]),
    # a company named without an organ's word is told by its 统一社会信用代码 line
    ("当事人：恒达贸易\n统一社会信用代码：91440101MA59ABCD1X\n法定代表人：王芳\n联系电话：020-83331234\n",
     [("PERSON", False), ("CN_LANDLINE", False)]),
    # ... not the person's own 工作单位: the phone below it is still in the record
    ("姓名：王建国\n工作单位：广州市恒达贸易有限公司\n联系电话：020-83335678\n", [("PERSON", True), ("CN_LANDLINE", True)]),
    # a contact block over lines is a work contact as on one line; an emergency contact is not
    ("联系人：王芳\n联系电话：020-83331234\n", [("PERSON", False), ("CN_LANDLINE", False)]),
    ("联系人：王芳\n手机：13812345678\n", [("PERSON", True), ("CN_MOBILE", True)]),
    ("姓名：张*\n紧急联系人：王芳\n联系电话：020-83331234\n", [("PERSON", False), ("PERSON", True), ("CN_LANDLINE", True)]),
    # masked forms over lines stay masked
    ("当事人：王某某\n身份证号：440105********0012\n手机：138****5678\n",
     [("PERSON", False), ("CN_RESIDENT_ID", False), ("CN_MOBILE", False)]),
])
def test_record_over_labelled_lines(text, expected):
    assert [(e, v) for e, _s, v in judged(text)] == expected


@pytest.mark.parametrize("text, expected", [
    # masked within the policy's max_shown: de-identified
    ("身份证号440105********1234，手机138****5678", [("CN_RESIDENT_ID", False), ("CN_MOBILE", False)]),
    ("身份证号4401**********123X", [("CN_RESIDENT_ID", False)]),
    ("银行卡号6222 **** **** 1234", [("CN_BANK_CARD", False)]),
    ("银行卡号622202******1234", [("CN_BANK_CARD", False)]),  # the first 6 and last 4 (PCI DSS)
    # masked too little: a violation, and the name in the row with it
    ("身份证号44010519900101****", [("CN_RESIDENT_ID", True)]),  # a birth date shown
    ("身份证号4401051990010112**", [("CN_RESIDENT_ID", True)]),
    ("手机13812345***", [("CN_MOBILE", True)]),
    ("手机1381234*678", [("CN_MOBILE", True)]),
    ("银行卡号6222 0212 3456 ****", [("CN_BANK_CARD", True)]),
    ("姓名\t身份证号\n王芳\t44010519900101****\n", [("PERSON", True), ("CN_RESIDENT_ID", True)]),
    # not identifiers: too few digits shown, or no context for a card-like run
    ("编号1***************", []),
    # no ID has what these show (region 123456 or 999999, birth year 7890, 1234): no masked ID;
    # and a negative word (订单号, 编号) drops a card-like form masked too little, as it drops
    # an unmasked one (each was an "insufficiently masked" ID or card: a veto)
    ("订单号：123456789012345***", []),
    ("编号999999199003071***", []),
    ("订单号：6222021234567890**", []),
    ("编号\t金额\n2022051012345678**\t5\n", []),
    # ... the same forms with a context word stay violations
    ("身份证号：440105199003071***", [("CN_RESIDENT_ID", True)]),
    ("卡号：6222021234567890**", [("CN_BANK_CARD", True)]),
])
def test_insufficiently_masked(text, expected):
    assert [(e, v) for e, _t, v in judged(text)] == expected


def test_insufficiently_masked_rule_names_the_count_and_mask_masks_it_further(tmp_path, cli_runner):
    from scanner.cli import app

    pol = Policy.load()
    text = "手机13812345***"
    (j,) = judge(text, PiiAnalyzer().analyze(text), pol)
    assert j.violation and j.detection.masked and j.rule == "insufficiently masked: 8 characters shown, at most 7"
    draft = tmp_path / "a.txt"
    draft.write_text("姓名：王芳，身份证号44010519900101****，手机13812345***。", encoding="utf-8")
    out = tmp_path / "b.txt"
    result = cli_runner.invoke(app, ["privacy", "mask", str(draft), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == "姓名：王*，身份证号440105************，手机138****5***。"
    audit = cli_runner.invoke(app, ["privacy", "audit", str(draft)])
    assert audit.exit_code == 1 and "去标识化不足" in audit.stdout and "44010519900101" not in audit.stdout


def test_max_shown_is_configurable(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text("[policy]\nmax_shown = { CN_MOBILE = 8 }\n", encoding="utf-8")
    pol = Policy.load(path)
    text = "手机13812345***"
    assert [j.violation for j in judge(text, PiiAnalyzer().analyze(text), pol)] == [False]
    path.write_text('[policy]\nmax_shown = { CN_MOBILE = "7" }\n', encoding="utf-8")
    from scanner.errors import ConfigError

    with pytest.raises(ConfigError, match="max_shown"):
        Policy.load(path)


def test_policy_override(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text('[policy]\nalways = ["CN_RESIDENT_ID", "CN_BANK_CARD", "CN_ADDRESS"]\n', encoding="utf-8")
    pol = Policy.load(path)
    text = "咨询电话：13812345678"
    assert [j.violation for j in judge(text, PiiAnalyzer().analyze(text), pol)] == [False]


def test_policy_unknown_key(tmp_path):
    from scanner.errors import ConfigError

    path = tmp_path / "policy.toml"
    path.write_text('[policy]\nalway = []\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="alway"):
        Policy.load(path)


@pytest.mark.parametrize("toml, message", [
    # a masking style that is no number: a ValueError traceback while masking
    ('[mask]\nCN_MOBILE = { head = "x" }\n', "mask.CN_MOBILE.head must be a whole number"),
    ('[mask.CN_MOBILE]\nhead = -2\n', "mask.CN_MOBILE.head must be a whole number >= 0"),
    ('[mask]\nCN_MOBILE = 3\n', "mask.CN_MOBILE must be a table"),
    ('[mask.CN_MOBILE]\nkeep = 2\n', "mask.CN_MOBILE.keep"),
    # two characters per hidden one: masking is length-preserving, mask failed with a RuntimeError
    ('[mask]\nchar = "##"\n', "mask.char must be one character"),
    ('[mask]\nchar = "0"\n', "mask.char must be one character"),
])
def test_policy_bad_mask_table_is_one_line(tmp_path, cli_runner, toml, message):
    from scanner.cli import app
    from scanner.errors import ConfigError

    path = tmp_path / "policy.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        Policy.load(path)
    draft = tmp_path / "a.txt"
    draft.write_text("手机13812345678", encoding="utf-8")
    result = cli_runner.invoke(app, ["privacy", "mask", str(draft), "-o", str(tmp_path / "b.txt"), "--policy", str(path)])
    assert result.exit_code == 2 and message in result.output


def test_policy_mask_char_other_than_star(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text('[mask]\nchar = "#"\n', encoding="utf-8")
    from scanner.privacy.mask import mask_value

    assert mask_value("CN_MOBILE", "13812345678", Policy.load(path)) == "138####5678"


def test_audit_value_masked_writes_star_whatever_the_mask_char(tmp_path, cli_runner):
    """value_masked writes each hidden character as '*' (the issue's format); the policy's
    [mask] char is the masked copy's."""
    import json

    from scanner.cli import app

    path = tmp_path / "policy.toml"
    path.write_text('[mask]\nchar = "#"\n', encoding="utf-8")
    draft = tmp_path / "a.txt"
    draft.write_text("联系人：王芳，手机13812345678", encoding="utf-8")
    result = cli_runner.invoke(app, ["privacy", "audit", str(draft), "--format", "json", "--policy", str(path)])
    (record,) = json.loads(result.stdout) if result.stdout.lstrip().startswith("[") else [json.loads(result.stdout)]
    got = {i["entity"]: i["value_masked"] for i in record["items"]}
    assert got["CN_MOBILE"] == "138****5678" and "#" not in result.stdout
    out = tmp_path / "b.txt"
    cli_runner.invoke(app, ["privacy", "mask", str(draft), "-o", str(out), "--policy", str(path)])
    assert "138####5678" in out.read_text(encoding="utf-8")


def test_policy_list_given_as_a_string_is_refused(tmp_path):
    """always = "CN_RESIDENT_ID" was read as the set of its letters: no entity was 'always'
    a violation any more and a leaked ID came out compliant."""
    from scanner.errors import ConfigError

    path = tmp_path / "policy.toml"
    path.write_text('[policy]\nalways = "CN_RESIDENT_ID"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="policy.always must be a list of strings"):
        Policy.load(path)


def test_review_reports_a_form_masked_too_little_without_showing_it(tmp_path, cli_runner):
    import json

    from scanner.cli import app

    draft = tmp_path / "list.txt"
    draft.write_text("公示名单\n姓名\t身份证号\t手机\n王芳\t44010519900101****\t13812345***\n", encoding="utf-8")
    result = cli_runner.invoke(app, ["review", str(draft), "--no-model", "-f", "json"])
    found = {f["code"]: f for f in json.loads(result.stdout)["findings"]}
    assert found["pii.cn_resident_id"]["message"] == "去标识化不足的居民身份证号码：440105************"
    assert found["pii.cn_mobile"]["message"] == "去标识化不足的手机号码：138****5***"
    assert found["pii.person"]["severity"] == "veto"  # the name with them in the row
    assert "19900101" not in result.stdout and "2345" not in result.stdout
