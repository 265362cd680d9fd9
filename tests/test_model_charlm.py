"""The character n-gram model of the language-model rescue (scanner.model.charlm) and the
rescue itself (runtime.LM_LOW, LM_GAIN, LM_MAX_VARIANT)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from scanner.model import charlm

CORPUS = ["人民法院", "人民政府", "人民法院审理", "法院"]


@pytest.fixture(scope="module")
def lm():
    return charlm.CharLM(charlm.count_ngrams(charlm.encode(CORPUS), 3))


def _codes(s):
    return [charlm.BOS if ch == "^" else charlm.EOS if ch == "$" else ord(ch) for ch in s]


# (context, character, expected probability) by hand: stupid backoff, factor 0.4.
# counts: 人民 3, 人民法 2, 民法 2, 法院 3, 审 1 ...; 24 tokens (16 characters, 4 BOS, 4 EOS).
SCORES = [
    ("人民", "法", 2 / 3),            # c(人民法) / c(人民)
    ("人民", "政", 1 / 3),
    ("民法", "院", 2 / 2),
    ("^人", "民", 3 / 3),             # BOS is context
    ("政府", "$", 1 / 1),             # EOS is predicted
    ("人民", "审", 0.4 * 0.4 * 1 / 24),  # no 民审, no 人民审: two back-offs to the unigram
    ("法院", "审", 1 / 3),            # c(法院审) / c(法院)
    ("政法", "院", 0.4 * 3 / 3),      # 政法 never written: one back-off, c(法院) / c(法)
    ("人民", "猫", 0.4 * 0.4 * charlm.UNSEEN),  # an unseen character: the floor
]


@pytest.mark.parametrize("context, ch, expected", SCORES)
def test_stupid_backoff_scores(lm, context, ch, expected):
    (got,) = lm.logprobs([(_codes(context), _codes(ch)[0])])
    assert math.exp(got) == pytest.approx(expected, rel=1e-9)


def test_counts_do_not_cross_sentences(lm):
    # 院 ends two sentences and 人 starts the next: 院人 was never written
    key = charlm.ngram_key(_codes("院人"))
    assert key not in set(lm.keys[2].tolist())
    assert charlm.ngram_key(_codes("院$")) in set(lm.keys[2].tolist())


# (text, position, candidates, which candidate gains most, gain sign of the first)
GAINS = [
    ("人民去院", 2, "法政", 0, +1),   # 人民法院 is known, 去 is not
    ("人民法院", 2, "去政", 1, -1),   # the written text is best: every change loses
    ("人民政府", 3, "院府", 1, -1),   # 府 itself is a candidate: gain 0
]


@pytest.mark.parametrize("text, i, cands, best, sign", GAINS)
def test_gains_rank_candidates(lm, text, i, cands, best, sign):
    (g,) = lm.gains(text, [(i, cands)])
    assert int(np.argmax(g)) == best
    assert np.sign(g[0]) == sign


def test_vectorized_gains_equal_the_reference(lm):
    sites = [("人民去院审理", 2, "法政去"), ("法院", 0, "人法"), ("人民政府", 3, "院府"), ("民", 0, "人")]
    fast = lm.gains_many(sites)
    for (text, i, cands), got in zip(sites, fast):
        (ref,) = lm.gains(text, [(i, cands)])
        np.testing.assert_allclose(got, ref, rtol=1e-12)
    (same,) = lm.gains_many([("人民政府", 3, "府")])
    assert same[0] == 0.0


@pytest.mark.parametrize("count", [1, 5, 127, 128, 300, 5000, 10**6])
def test_count_quantization(count):
    back = charlm.dequantize_counts(charlm.quantize_counts(np.array([count])))[0]
    if count < 128:
        assert back == count
    else:
        assert abs(math.log(back / min(count, 128 * 2 ** (127 / 16)))) <= math.log(2) / 32 + 1e-9


def test_save_and_load_round_trip(tmp_path, lm):
    counts = charlm.count_ngrams(charlm.encode(CORPUS), 3)
    charlm.save(tmp_path / "t.npz", counts, {"total": int(counts[1][1].sum())})
    back = charlm.CharLM.load(tmp_path / "t.npz")
    for n in (1, 2, 3):
        np.testing.assert_array_equal(back.keys[n], lm.keys[n])
        np.testing.assert_array_equal(back.counts[n], lm.counts[n])
    assert back.gains("人民去院", [(2, "法")])[0][0] == pytest.approx(lm.gains("人民去院", [(2, "法")])[0][0])


def test_missing_table_says_how_to_build_it(tmp_path):
    from scanner.errors import ResourceMissingError

    with pytest.raises(ResourceMissingError, match="corpora/build_charlm.py"):
        charlm.CharLM.load(tmp_path / "charlm.npz")


# ---------------------------------------------------------------- the rescue, shipped model
@pytest.fixture(scope="module")
def detector():
    from scanner.model.runtime import Detector

    return Detector()


# Development sentences (held-out ECSpell train pairs, MIT): the model scores the wrong
# character between LM_LOW and the threshold; the n-gram model prefers the right one by far.
LM_CASES = [
    ("下列关于选举程序的表述,哪些是正缺的?", "缺", "确"),
    ("先予执行的适用条件之一是被身请人有履行能力", "身", "申"),
    ("要定期化验杆功能检查，如果转氨酶升高，提示体内病毒复制，积极采取保肝抗病毒治疗。", "杆", "肝"),
]


@pytest.mark.model
@pytest.mark.parametrize("text, wrong, right", LM_CASES)
def test_lm_rescue_flags_below_the_threshold(detector, text, wrong, right):
    from scanner.model.runtime import LM_LOW, LM_MAX_VARIANT

    i = text.index(wrong)
    assert LM_LOW <= detector.score_texts([text])[0][i] < detector.threshold
    assert not any(f.start <= i < f.end for f in detector.flag_texts([text], lm=False)[0])
    (f,) = [f for f in detector.flag_texts([text], lm=True)[0] if f.start <= i < f.end]
    assert (f.start, f.end, f.suggestion) == (i, i + 1, right)
    assert f.suggestion_score is not None and f.suggestion_score <= LM_MAX_VARIANT
    fixed = text[:i] + right + text[i + 1:]
    assert not detector.flag_texts([fixed], lm=True)[0]  # the repaired sentence is clean


@pytest.mark.model
def test_lm_rescue_is_off_by_default_and_leaves_clean_text_alone(detector):
    text, wrong, _right = LM_CASES[0]
    assert not detector.lm_default  # acc_xxqg false alarms over the goal with it (models/README.md)
    assert detector.flag_texts([text]) == detector.flag_texts([text], lm=False) != detector.flag_texts([text], lm=True)
    (f,) = detector.flag_texts([text], lm=True)[0]
    assert f.gain is not None and f.gain >= 15 and f.word is None
    clean = ["当事人可以向人民法院提起诉讼，医院消化内科负责诊治。", "国务院办公厅关于进一步优化营商环境的意见"]
    assert detector.flag_texts(clean, lm=True) == [[], []]


@pytest.mark.model
def test_lm_rescue_without_a_table_is_an_error_naming_the_fix(tmp_path):
    import json
    import shutil

    from scanner.errors import ResourceMissingError
    from scanner.model.runtime import Detector, model_path

    src = model_path()
    for name in ("model.onnx", "vocab.txt", "confusion.tsv"):
        shutil.copy(src / name, tmp_path / name)
    meta = json.loads((src / "meta.json").read_text(encoding="utf-8"))
    (tmp_path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    det = Detector(tmp_path)
    text = LM_CASES[0][0]
    assert det.flag_texts([text]) == [[]]  # without the rescue the model runs as before ...
    with pytest.raises(ResourceMissingError, match="build_charlm.py"):
        det.flag_texts([text], lm=True)  # ... with it, the missing table says how to build it
    meta["charlm"]["default"] = True
    (tmp_path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ResourceMissingError, match="build_charlm.py"):
        Detector(tmp_path).flag_texts([text])  # on by default in meta.json: the same error
    meta.pop("charlm")
    (tmp_path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    det = Detector(tmp_path)
    assert not det.lm_default and det.flag_texts([text]) == det.flag_texts([text], lm=False)


# ---------------------------------------------------------------- the builder
@pytest.mark.parametrize("sentence, kept", [
    ("甲乙丙丁戊己庚辛壬癸子丑寅卯", False),  # holds the held-out sentence's 12-character stretch
    ("乙丙丁戊己庚辛壬癸子丑寅", False),      # equal to a stretch of it
    ("甲乙丙丁戊己庚辛壬癸子", True),        # 11 characters in common: kept
    ("完全不同的一个句子而已呢", True),
])
def test_builder_drops_fit_sentences_overlapping_development_ones(sentence, kept):
    import importlib.util

    from scanner.resources import PROJECT_ROOT

    spec = importlib.util.spec_from_file_location("build_charlm", PROJECT_ROOT / "corpora" / "build_charlm.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    held_out = ["零甲乙丙丁戊己庚辛壬癸子丑寅卯辰"]
    assert mod.drop_overlapping([sentence], held_out) == ([sentence] if kept else [])


def _grid_module():
    import importlib.util

    from scanner.resources import PROJECT_ROOT

    spec = importlib.util.spec_from_file_location("charlm_grid", PROJECT_ROOT / "corpora" / "charlm_grid.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("base, added, expected", [
    ([set(), set(), set()], {}, 0.0),                        # nothing flagged
    ([{1}, set(), set()], {}, 2 * 1 * 0.5 / 1.5),            # one of two errors, exactly: P 1, R 0.5
    ([{1}, set(), set()], {1: {2}}, 2 * 1 * 1 / 2),          # the rescue finds the second: F1 1
    ([{1}, set(), set()], {0: {3}}, 0.0),                    # a wrong extra flag spoils the sentence
    ([{1}, set(), set()], {2: {0}}, 2 * 0.5 * 0.5 / 1.0),    # a flag on the clean sentence: P 0.5
])
def test_grid_sentence_f1(base, added, expected):
    from scanner.model.data import Pair

    pairs = [Pair("甲乙丙丁", "甲己丙丁"), Pair("甲乙丙丁", "甲乙戊丁"), Pair("甲乙丙丁", "甲乙丙丁")]
    assert _grid_module().sentence_f1(pairs, base, added) == pytest.approx(expected)


def test_grid_false_alarm_percent_on_clean_sets():
    from scanner.model.data import Pair

    pairs = [Pair("甲乙", "甲乙")] * 4
    assert _grid_module().sentence_f1(pairs, [set(), {0}, set(), set()], {2: {1}}) == 50.0
