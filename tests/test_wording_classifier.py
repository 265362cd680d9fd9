"""wording.classifier: the severity rule, the model end to end, and review without torch."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from scanner.checks.wording.classifier import ClassifierCheck
from scanner.findings import Severity
from scanner.model.runtime import Flag
from scanner.pipeline import to_document
from scanner.settings import Settings
from scanner.types import Extracted, Source
from tests.conftest import ROOT

AS_OF = dt.date(2024, 6, 1)


def _doc(text: str):
    return to_document(Extracted(Source("t", text.encode()), text, "txt"), Settings.load(as_of=AS_OF))


@pytest.mark.parametrize("text, char, suggestion, expected", [
    # on a leader name written with a confusable character: veto
    ("国务院总理李墙主持会议。", "墙", "强", "veto"),
    # on a canonical formulation with a confusable character: veto
    ("坚持中国特色社会主意道路。", "意", "义", "veto"),
    # the model's correction writes a canonical formulation there: veto
    ("全面贯彻习近平新时代中国特色社会主义思相。", "相", "想", "veto"),
    # an ordinary typo: advisory
    ("做到下请上传。", "请", "情", "advisory"),
    # near-miss: a leader name in the same sentence, but the span is elsewhere: advisory
    ("李强主持会议，做到下请上传。", "请", "情", "advisory"),
    # near-miss: right after a leader name, no correction that makes a lexicon term: advisory
    ("学习贯彻习近平总书记重要讲话精神。", "记", None, "advisory"),
    # inside an exactly written leader name or formulation: the lexicon vouches for it, no finding
    ("国务院总理李强主持会议。", "强", None, None),
    ("坚持中国特色社会主义道路。", "义", None, None),
])
def test_severity_rule(text, char, suggestion, expected):
    doc = _doc(text)
    i = text.index(char)
    found = list(ClassifierCheck().findings_for(doc, [Flag(i, i + 1, 0.9, suggestion, 0.1 if suggestion else None)], 0.5))
    if expected is None:
        assert found == []
        return
    (f,) = found
    assert f.severity is Severity(expected)
    assert (f.start, f.end) == (i, i + 1) and text[f.start : f.end] == char
    assert f.suggestion == suggestion
    assert f.indicator == ("单项否决·严重表述错误" if expected == "veto" else "提示·疑似错别字")
    assert f.explanation and f.action and "0.90" in f.explanation


@pytest.mark.parametrize("text, char", [
    # a province's abbreviation opening a registration or document number (every site footer)
    ("网站标识码4400000001　粤ICP备05070829号　粤公网安备 44010402000001号", "粤"),
    ("网站标识码4400000001　粤ICP备05070829号　粤公网安备 44010402000001号", "公"),
    ("关于印发方案的通知（粤府办〔2022〕12号）", "粤"),
    # a name and an address in a 公示 list row: personal values, not the model's to judge
    ("拟录用人员名单\n序号\t姓名\t性别\t住址\n1\t贾文强\t男\t广州市天河区滨江西路186号3栋1303室\n", "贾"),
    ("拟录用人员名单\n序号\t姓名\t性别\t住址\n1\t贾文强\t男\t广州市天河区滨江西路186号3栋1303室\n", "栋"),
])
def test_names_addresses_and_code_prefixes_are_not_judged(text, char):
    doc = _doc(text)
    i = text.index(char)
    found = list(ClassifierCheck().findings_for(doc, [Flag(i, i + 1, 0.995, "约", 0.1)], 0.5))
    if char == "公":  # only the abbreviation is exempt: a flag beside it is reported
        assert [(f.start, f.end) for f in found] == [(i, i + 1)]
    else:
        assert found == []


def test_a_leader_name_variant_inside_a_detected_name_is_still_a_veto():
    text = "参会人员名单：李墙、王芳、张伟。"
    doc = _doc(text)
    from scanner.checks.wording.classifier import not_judged

    i = text.index("墙")
    assert any(s <= i < e for s, e, what in not_judged(doc) if what == "PERSON")  # the list names it
    (f,) = ClassifierCheck().findings_for(doc, [Flag(i, i + 1, 0.995, "强", 0.1)], 0.5)
    assert f.severity is Severity.VETO


@pytest.mark.model
def test_public_list_and_footer_give_no_model_findings_but_a_typo_beside_them_does():
    text = ("当事人可以向人民法院提起诉松。\n"
            "| 序号 | 姓名 | 性别 | 住址 |\n| 5 | 高文静 | 女 | 广州市天河区江南大道186号阳光家园6栋4单元1303室 |\n"
            "| 9 | 沈建国 | 男 | 深圳市南山区人民北路12号2栋602室 |\n"
            "粤ICP备05070829号　粤公网安备 44010402000001号\n")
    found = list(ClassifierCheck().run(_doc(text)))
    assert [text[f.start:f.end] for f in found] == ["松"], [(f.excerpt, f.score) for f in found]


def test_offsets_map_back_through_normalization():
    # full-width spaces and a zero-width character before the span: the finding still slices the original
    text = "通知\u200b：做到　下请上传。"
    doc = _doc(text)
    i = doc.norm.text.index("请")
    (f,) = ClassifierCheck().findings_for(doc, [Flag(i, i + 1, 0.95, "情", 0.05)], 0.5)
    assert text[f.start : f.end] == "请"


@pytest.mark.model
@pytest.mark.parametrize("text, flagged", [
    # clean government sentences: nothing
    ("现在，我代表国务院，向大会报告政府工作，请予审议，并请全国政协委员提出意见。", False),
    ("本办法自2022年3月15日起施行，网站标识码4400000001。", False),
])
def test_model_end_to_end_clean(text, flagged):
    found = list(ClassifierCheck().run(_doc(text)))
    assert bool(found) is flagged, [(f.excerpt, f.score) for f in found]


@pytest.mark.model
@pytest.mark.parametrize("wrong, right", [
    ("当事人可以向人民法院提起诉松。", "当事人可以向人民法院提起诉讼。"),
    ("进一步优化营商坏境。", "进一步优化营商环境。"),
    pytest.param("要求做到下请上传、上情下达。", "要求做到下情上传、上情下达。", marks=pytest.mark.xfail(
        strict=True, reason="the distilled model (2026-11-27) scores 请 below 0.05 here and finds 传 odder "
        "(下情上达 is the common form): a known miss, models/README.md")),
    ("国务院总理李墙主持会议。", "国务院总理李强主持会议。"),
])
def test_model_scores_wrong_character_above_its_clean_twin(wrong, right):
    """The shipped model gives the wrong character a higher error probability than the right
    one in the same place (a ranking, not the threshold: see models/README.md for recall)."""
    from scanner.model.runtime import load_detector

    (i,) = [k for k, (a, b) in enumerate(zip(wrong, right)) if a != b]
    w, r = load_detector().score_texts([wrong, right])
    assert w[i] > 5 * r[i]


@pytest.mark.model
def test_model_flags_and_corrects_a_clear_typo():
    text = "当事人可以向人民法院提起诉松。"
    (f,) = ClassifierCheck().run(_doc(text))
    assert text[f.start : f.end] == "松" and f.suggestion == "讼"
    assert f.severity is Severity.ADVISORY and f.score >= 0.9


def test_review_without_torch(tmp_path):
    """`govscan review` runs the model check with torch unimportable."""
    draft = tmp_path / "draft.txt"
    draft.write_text("县妇联召开专题会议，要求做到下情上传、上情下达。\n", encoding="utf-8")
    code = (
        "import sys; sys.modules['torch'] = None\n"  # any `import torch` now raises ImportError
        "from scanner.cli import app\n"
        "from typer.testing import CliRunner\n"
        f"r = CliRunner().invoke(app, ['review', {str(draft)!r}, '--format', 'json'])\n"
        "import scanner.checks.registry as reg\n"
        "assert 'wording.classifier' in reg.all_checks()\n"
        "import scanner.model.runtime as rt\n"
        "assert rt.load_detector.cache_info().currsize == 1, 'the model did not run'\n"
        "print(r.exit_code); print(r.output)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    exit_code, output = proc.stdout.split("\n", 1)
    assert exit_code == "0"
    assert '"findings"' in output


def test_no_model_flag_switches_the_check_off(cli_runner, tmp_path):
    from scanner.cli import app

    draft = tmp_path / "draft.txt"
    draft.write_text("做到下请上传。\n", encoding="utf-8")
    result = cli_runner.invoke(app, ["review", str(draft), "--format", "json", "--no-model"])
    assert result.exit_code == 0, result.output
    assert "wording.classifier" not in result.output


@pytest.mark.model
def test_review_domain_option(cli_runner, tmp_path):
    """--domain names a word list of the model: the rescued flag appears with it, not without;
    an unknown domain is a one-line usage error."""
    import json

    from scanner.cli import app

    draft = tmp_path / "draft.txt"
    draft.write_text("桡骨远端骨析，如果没有明显错位，可以通过保守治疗。\n", encoding="utf-8")
    plain = cli_runner.invoke(app, ["review", str(draft), "--format", "json"])
    assert plain.exit_code == 0 and "wording.classifier" not in plain.output
    result = cli_runner.invoke(app, ["review", str(draft), "--format", "json", "--domain", "medicine"])
    assert result.exit_code == 0, result.output
    (f,) = [f for f in json.loads(result.output)["findings"] if f["code"] == "wording.classifier"]
    assert (f["start"], f["end"], f["suggestion"]) == (5, 6, "折") and "骨折" in f["explanation"]
    bad = cli_runner.invoke(app, ["review", str(draft), "--domain", "finance"])
    assert bad.exit_code == 2 and "--domain finance: no such word list" in bad.output
    assert "Traceback" not in bad.output


def _finding(code: str, category: str, severity: Severity, start: int, end: int):
    from scanner.findings import Finding

    return Finding(id=f"{code}{start}", code=code, category=category, severity=severity, indicator="x",
                   start=start, end=end, excerpt="", message="", suggestion=None, score=1.0, explanation="")


@pytest.mark.parametrize("other, kept", [
    (("wording.leader_name", "wording", Severity.VETO, 6, 9), False),   # 李克墙 reported by the lexicon: one error, one finding
    (("wording.leader_name", "wording", Severity.VETO, 9, 11), True),   # beside it, not over it
    (("wording.typo", "wording", Severity.ADVISORY, 6, 9), True),       # an advisory covers nothing
    (("pii.cn_mobile", "pii", Severity.VETO, 0, 20), True),             # another family
])
def test_model_finding_inside_a_lexicon_veto_is_merged(other, kept):
    from scanner.findings import merge_findings

    model = _finding("wording.classifier", "wording", Severity.VETO, 8, 9)
    out = merge_findings([model, _finding(*other)])
    assert (model in out) is kept and len(out) == 1 + kept


@pytest.mark.model
def test_review_counts_a_misspelt_leader_name_once():
    from scanner.pipeline import Reviewer

    review = Reviewer(Settings.load(as_of=dt.date(2022, 6, 20))).review_text("深入学习贯彻李克墙总理在国务院常务会议上的讲话精神。")
    codes = [f.code for f in review.findings]
    assert codes.count("wording.leader_name") == 1 and "wording.classifier" not in codes


@pytest.mark.model
def test_classifier_domains_option_explains_a_rescued_flag():
    text = "桡骨远端骨析，如果没有明显错位，可以通过保守治疗。"
    assert not list(ClassifierCheck().run(_doc(text)))  # no domain named: below the threshold
    (f,) = ClassifierCheck(domains=["medicine"]).run(_doc(text))
    assert text[f.start:f.end] == "析" and f.suggestion == "折"
    assert "domain word '骨折'" in f.explanation and f.severity is Severity.ADVISORY


@pytest.mark.model
def test_classifier_lm_option_explains_a_rescued_flag():
    text = "先予执行的适用条件之一是被身请人有履行能力"
    assert not list(ClassifierCheck().run(_doc(text)))  # off by default: below the threshold
    (f,) = ClassifierCheck(lm=True).run(_doc(text))
    assert text[f.start:f.end] == "身" and f.suggestion == "申"
    assert "n-gram model" in f.explanation and f.severity is Severity.ADVISORY


@pytest.mark.model
def test_review_lm_option(cli_runner, tmp_path):
    """--lm switches on the model's n-gram rescue (off by default); with --no-model it is a
    one-line usage error, as --domain is."""
    import json

    from scanner.cli import app

    draft = tmp_path / "draft.txt"
    draft.write_text("先予执行的适用条件之一是被身请人有履行能力。\n", encoding="utf-8")  # ECSpell law train (MIT)
    # 身请 is also on the list of misspellings, which would take the model's flag into its finding
    cfg = tmp_path / "no-list.toml"
    cfg.write_text('[checks."wording.misspelling"]\nenabled = false\n', encoding="utf-8")
    plain = cli_runner.invoke(app, ["review", str(draft), "--format", "json", "--config", str(cfg)])
    assert plain.exit_code == 0 and "wording.classifier" not in plain.output
    result = cli_runner.invoke(app, ["review", str(draft), "--format", "json", "--lm", "--config", str(cfg)])
    assert result.exit_code == 0, result.output
    (f,) = [f for f in json.loads(result.output)["findings"] if f["code"] == "wording.classifier"]
    assert (f["start"], f["suggestion"]) == (13, "申") and "n-gram" in f["explanation"]
    both = cli_runner.invoke(app, ["review", str(draft), "--format", "json", "--lm", "--domain", "law", "--config", str(cfg)])
    assert both.exit_code == 0 and "wording.classifier" in both.output
    for args in (["--lm"], ["--domain", "law"]):
        bad = cli_runner.invoke(app, ["review", str(draft), "--no-model", *args])
        assert bad.exit_code == 2 and "needs the wording model: drop --no-model" in bad.output
        assert "Traceback" not in bad.output


def _damage(folder, how):
    """A copy of the shipped model folder with one file damaged as ``how`` says."""
    import shutil

    from scanner.model.runtime import model_path

    src = model_path()
    folder.mkdir()
    for name in ("model.onnx", "meta.json", "vocab.txt", "confusion.tsv"):
        shutil.copy(src / name, folder / name)
    if how == "onnx cut short":
        data = (folder / "model.onnx").read_bytes()
        (folder / "model.onnx").write_bytes(data[: len(data) // 3])
    elif how == "onnx empty":
        (folder / "model.onnx").write_bytes(b"")
    elif how == "onnx is another file":
        (folder / "model.onnx").write_text("<html>404</html>", encoding="utf-8")
    elif how == "meta missing":
        (folder / "meta.json").unlink()
    elif how == "meta not JSON":
        (folder / "meta.json").write_text('{"threshold": 0.99', encoding="utf-8")
    elif how == "meta without threshold":
        (folder / "meta.json").write_text('{"max_len": 64}', encoding="utf-8")
    elif how == "vocab of another format":
        (folder / "vocab.txt").write_text("a\nb\n", encoding="utf-8")
    elif how == "vocab larger than the model's":
        with open(folder / "vocab.txt", "a", encoding="utf-8") as fh:
            fh.write("".join(chr(0x20000 + i) + "\n" for i in range(300)))
    elif how == "confusion set missing":
        (folder / "confusion.tsv").unlink()
    return folder


@pytest.mark.model
@pytest.mark.parametrize("how, file, reason", [
    ("onnx cut short", "model.onnx", "cannot be loaded (["),
    ("onnx empty", "model.onnx", "cannot be loaded ("),
    ("onnx is another file", "model.onnx", "cannot be loaded ("),
    ("meta missing", "meta.json", "not found"),
    ("meta not JSON", "meta.json", "cannot be loaded (Expecting"),
    ("meta without threshold", "meta.json", "cannot be loaded ('threshold')"),
    ("vocab of another format", "vocab.txt", "cannot be loaded (vocabulary must start with the special tokens"),
    ("vocab larger than the model's", "vocab.txt", "cannot be loaded (6453 tokens: model.onnx rejects"),
    ("confusion set missing", "confusion.tsv", "not found"),
])
def test_damaged_model_files_are_one_line_errors(tmp_path, how, file, reason):
    """A model file that is missing or cannot be used is a ResourceMissingError naming the file and
    the reason, with the way out (--no-model): the CLI prints it as one line, the web page as 审查服务不可用."""
    from scanner.errors import ResourceMissingError
    from scanner.model.runtime import Detector

    folder = _damage(tmp_path / "model", how)
    with pytest.raises(ResourceMissingError) as err:
        Detector(folder)
    message = str(err.value)
    assert message.startswith(f"wording model {folder / file} {reason}"), message
    assert "--no-model" in message and "\n" not in message


@pytest.mark.model
def test_review_with_a_damaged_model_says_so_and_runs_with_no_model(tmp_path):
    """`govscan review` with a damaged model.onnx: exit 2 and one line naming the file (it was a
    traceback of onnxruntime's InvalidProtobuf); --no-model reviews the draft with the lexicon checks."""
    import os

    folder = _damage(tmp_path / "model", "onnx cut short")
    draft = tmp_path / "draft.txt"
    draft.write_text("国务院总理李克墙出席会议。\n", encoding="utf-8")
    env = {**os.environ, "GOVSCAN_MODEL": str(folder)}
    run = [sys.executable, str(ROOT / "cli.py"), "review", str(draft), "--format", "json", "--as-of", "2020-01-01"]
    proc = subprocess.run(run, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()]
    assert proc.stderr.startswith(f"govscan: wording model {folder / 'model.onnx'} cannot be loaded")
    assert "Traceback" not in proc.stderr
    proc = subprocess.run(run + ["--no-model"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert proc.returncode == 1, proc.stderr[-2000:]  # the misspelt leader name is a veto of the lexicon check
    assert "wording.leader_name" in proc.stdout and "wording.classifier" not in proc.stdout


@pytest.mark.model
@pytest.mark.parametrize("text, flagged", [
    # an emoticon code of a Weibo/WeChat post: flagged by the model before (嘻嘻 -> 远远, 泪 -> 沪)
    ("欢迎广大市民朋友关注我们的政务微博[嘻嘻]。", []),
    ("请广大市民注意防范电信诈骗[泪]。", []),
    # an @mention of an account (蚊 of the handle was flagged)
    ("//@小胖蚊_nancy:今天的活动圆满结束，感谢大家的参与！", []),
    ("回复@小胖蚊_nancy:今天的活动圆满结束，感谢大家的参与！", []),
    # near-misses: a typo beside an emoticon or a mention is still reported
    ("当事人可以向人民法院提起诉松。[嘻嘻]", ["松"]),
    ("//@广州公安:当事人可以向人民法院提起诉松。", ["松"]),
])
def test_emoticon_codes_and_mentions_are_not_judged(text, flagged):
    found = [text[f.start:f.end] for f in ClassifierCheck().run(_doc(text))]
    assert found == flagged


@pytest.mark.parametrize("text, spans", [
    ("关注我们[嘻嘻][good]", ["[嘻嘻]", "[good]"]),
    ("//@广州公安:请注意。回复@小胖蚊_nancy：好", ["@广州公安", "@小胖蚊_nancy"]),
    ("@深圳交警 提醒", ["@深圳交警"]),
    # not codes or mentions: a citation number, a heading bracket, an address, a mention without an end
    ("见文献[1]。【通知】", []),
    ("来信请寄 service@example.com", []),
    ("@人民日报发布了一条很长很长很长很长的消息而没有停顿", []),
])
def test_emoticon_and_mention_patterns(text, spans):
    from scanner.checks.wording.classifier import EMOTICON_RE, MENTION_RE

    assert [m.group() for r in (EMOTICON_RE, MENTION_RE) for m in r.finditer(text)] == spans
