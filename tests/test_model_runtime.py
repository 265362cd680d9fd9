"""The inference path (scanner.model.runtime): batching by length, identical pieces scored
once, sentences without Chinese characters not scored, and results that do not depend on
how pieces are batched."""
from __future__ import annotations

import pytest

from scanner.model.runtime import plan_batches


@pytest.mark.parametrize("lengths, max_batch, call_cost, expected", [
    # one length: one batch, up to max_batch
    ([10, 10, 10], 64, 8, [[0, 1, 2]]),
    ([10, 10, 10], 2, 8, [[0, 1], [2]]),
    # sorted by length; a small step joins the batch (padding 2 x 3 = 6 <= 8) ...
    ([12, 10, 10, 10], 64, 8, [[1, 2, 3, 0]]),
    ([13, 10, 10, 10], 64, 8, [[1, 2, 3], [0]]),  # 3 x 3 = 9 > 8
    # ... a large one starts a new batch (padding 30 x 3 = 90 > 8)
    ([40, 10, 10, 10], 64, 8, [[1, 2, 3], [0]]),
    # call cost 0: only equal lengths share a batch
    ([5, 6, 5, 6], 64, 0, [[0, 2], [1, 3]]),
    ([], 64, 8, []),
])
def test_plan_batches(lengths, max_batch, call_cost, expected):
    assert plan_batches(lengths, max_batch, call_cost) == expected


def test_plan_batches_covers_every_piece_once():
    lengths = [(i * 37) % 64 + 1 for i in range(300)]
    batches = plan_batches(lengths, 16)
    assert sorted(i for b in batches for i in b) == list(range(300))
    assert all(len(b) <= 16 for b in batches)
    for b in batches:
        assert [lengths[i] for i in b] == sorted(lengths[i] for i in b)


class _Spy:
    """The real onnxruntime session, recording the shape of every call."""

    def __init__(self, session):
        self.session = session
        self.calls: list[tuple[int, int]] = []

    def run(self, names, feeds):
        self.calls.append(feeds["input_ids"].shape)
        return self.session.run(names, feeds)


@pytest.fixture
def detector():
    from scanner.model.runtime import Detector

    det = Detector()
    det.session = _Spy(det.session)
    return det


def _tolerance(det) -> float:
    return 0.05 if det.meta.get("quantized_int8") else 1e-4  # int8: activations quantized per batch


SENTENCES = [
    "依法治国是党领导人民治理国家的基本方略。",
    "县妇联召开专题会议，要求各级组织畅通联系渠道，做到下情上传、上情下达。",
    "现在，我代表国务院，向大会报告政府工作，请予审议，并请全国政协委员提出意见。过去一年，我国发展历程很不平凡，面对外部压力加大、内部困难增多的复杂严峻形势。",
    "政",
]


@pytest.mark.model
def test_batched_scores_equal_scores_alone(detector):
    together = detector.score_texts(SENTENCES)
    for text, scores in zip(SENTENCES, together):
        assert len(scores) == len(text)
        assert scores == pytest.approx(detector.score_texts([text])[0], abs=_tolerance(detector))


@pytest.mark.model
def test_identical_sentences_are_scored_once(detector):
    once = detector.score_texts(SENTENCES[:2])
    detector.session.calls.clear()
    thrice = detector.score_texts(SENTENCES[:2] * 3)
    rows = sum(n for n, _ in detector.session.calls)
    assert rows == 2
    assert thrice[:2] == once and thrice[2:4] == once and thrice[4:] == once


@pytest.mark.model
def test_document_without_chinese_is_not_scored(detector):
    assert detector.flag_document("2022-06-20\n440000M073NF0001\nETF 100%。\n") == []
    assert detector.session.calls == []


@pytest.mark.model
def test_document_flags_skip_only_the_sentences_without_chinese(detector):
    """At threshold 0 every scored character is flagged: the code line is not, the
    sentence after it is, at its offsets in the document."""
    code_line = "2022-06-20 440000M073NF0001\n"
    chinese = "会议要求各单位做到下情上传、上情下达。"
    flags = detector.flag_document(code_line + chinese, threshold=0.0, correct=False)
    assert [(f.start, f.end) for f in flags] == [(len(code_line), len(code_line) + len(chinese))]
    assert sum(n for n, _ in detector.session.calls) == 1  # one sentence scored


@pytest.mark.model
def test_long_sentence_uses_even_windows(detector):
    text = SENTENCES[2]  # 77 characters: two windows of 47, not two of 64
    assert len(text) == 77
    scores = detector.score_texts([text])[0]
    assert len(scores) == len(text)
    assert detector.session.calls == [(2, 47)]


@pytest.mark.model
def test_word_filter_prefilter_changes_nothing_but_the_work(detector):
    """Dropping, before their candidates are scored, the one-character flags that the word
    filter would drop anyway gives the same flags and suggestions, at a low threshold where
    there are many."""
    import scanner.model.runtime as rt

    if not detector.meta.get("word_filter"):
        pytest.skip("the shipped model has no word filter")
    texts = SENTENCES + ["广州、深圳、佛山等15个地级以上市合格率均达100%。", "要坚持艰苦奋斗，发扬斗争精神。",
                         "进一步优化营商坏境。", "当事人可以向人民法院提起诉松。"]
    try:
        rt.PREFILTER = False
        plain = detector.flag_texts(texts, threshold=0.3)
        rows_plain = sum(n for n, _ in detector.session.calls)
        detector.session.calls.clear()
        rt.PREFILTER = True
        fast = detector.flag_texts(texts, threshold=0.3)
        rows_fast = sum(n for n, _ in detector.session.calls)
    finally:
        rt.PREFILTER = True
    # the same flags and suggestions; scores within the int8 noise of other batch company
    assert [[(f.start, f.end, f.suggestion) for f in fl] for fl in fast] == \
        [[(f.start, f.end, f.suggestion) for f in fl] for fl in plain]
    for a, b in zip(sum(fast, []), sum(plain, [])):
        assert a.score == pytest.approx(b.score, abs=_tolerance(detector))
    assert any(plain) and rows_fast <= rows_plain


def _optimized_ops(tmp_path, monkeypatch, disabled):
    """The op types of the shipped model's graph as onnxruntime optimizes it at load."""
    onnx = pytest.importorskip("onnx", reason="onnx (the [train] extra) reads the optimized graph")
    from scanner.model import runtime

    monkeypatch.setattr(runtime, "DISABLED_OPTIMIZERS", disabled)
    out = tmp_path / "optimized.onnx"
    runtime.open_session(runtime.model_path() / "model.onnx", 1, optimized_model_filepath=str(out))
    return {node.op_type for node in onnx.load(str(out)).graph.node}


def test_session_leaves_out_skip_layer_norm_fusion(tmp_path, monkeypatch):
    """SkipLayerNormalization, onnxruntime's fusion of a residual Add with the LayerNormalization
    after it, is 5x slower than the two ops on this model's shapes (a quarter of its time): the
    runtime's session must keep them apart.  Without the setting the fusion does happen."""
    from scanner.model import runtime

    ops = _optimized_ops(tmp_path, monkeypatch, runtime.DISABLED_OPTIMIZERS)
    assert "SkipLayerNormalization" not in ops
    assert "LayerNormalization" in ops
    assert "SkipLayerNormalization" in _optimized_ops(tmp_path, monkeypatch, ())


# Development sentences (held-out ECSpell train pairs, MIT) with one broken domain word each:
# the model scores the wrong character below its threshold; a confusable character in its
# place makes a word of the named domain's list.
RESCUE_CASES = [
    ("law", "根据企业破产法规定,债全人会议成员中,下列人享有表决权的有", "全", "权", "债权人"),
    ("medicine", "桡骨远端骨析，如果没有明显错位，可以通过保守治疗。", "析", "折", "骨折"),
]


@pytest.mark.model
@pytest.mark.parametrize("domain, text, wrong, right, word", RESCUE_CASES)
def test_domain_word_rescue_flags_below_the_threshold_only_for_a_named_domain(detector, domain, text, wrong, right, word):
    from scanner.model.runtime import RESCUE_LOW

    i = text.index(wrong)
    score = detector.score_texts([text])[0][i]
    assert RESCUE_LOW <= score < detector.threshold  # the model alone does not flag it
    assert not any(f.start <= i < f.end for f in detector.flag_texts([text], lm=False)[0])
    (f,) = [f for f in detector.flag_texts([text], domains=(domain,), lm=False)[0] if f.start <= i < f.end]
    assert (f.start, f.end, f.suggestion, f.word) == (i, i + 1, right, word)
    assert f.suggestion_score is not None and f.suggestion_score <= 0.2
    fixed = text[:i] + right + text[i + 1:]
    assert not detector.flag_texts([fixed], domains=(domain,))[0]  # the repaired sentence is clean


@pytest.mark.model
def test_domain_word_rescue_leaves_words_and_unknown_domains_alone(detector):
    from scanner.errors import ResourceMissingError

    clean = "当事人可以向人民法院提起诉讼，医院消化内科负责诊治。"
    assert detector.flag_texts([clean], domains=("law", "medicine")) == [[]]
    assert set(detector.domains) == {"law", "medicine"} and all(p.is_file() for p in detector.domains.values())
    with pytest.raises(ResourceMissingError, match="no domain word list for finance"):
        detector.flag_texts(["债全人会议成员中"], domains=("finance",))


# Signs outside the model's vocabulary (emoji of a new-media post, ★): the model sees each as the
# same [UNK] token, so their scores say only that they are rare, and a sign is no 错别字.  Each of
# these was flagged (score >= 0.9963 at the sign) before such characters were left out.
OOV_CASES = [
    ("今天天气很好😀，我们去公园玩🎉。", "😀🎉"),
    ("点赞👍👍👍，欢迎关注我们的公众号！", "👍"),
    ("★重点工作推进情况★", "★"),
]


@pytest.mark.model
@pytest.mark.parametrize("text, unknown", OOV_CASES)
def test_signs_outside_the_vocabulary_are_not_flagged(detector, text, unknown):
    scores = detector.score_texts([text])[0]
    assert all(c not in detector.vocab for c in unknown)
    assert max(s for c, s in zip(text, scores) if c in unknown) >= detector.threshold  # the model's score is high
    assert detector.flag_texts([text]) == [[]]
    assert detector.flag_document(text, threshold=0.0, correct=False)  # the other characters are still judged
    assert not any(text[i] in unknown for f in detector.flag_document(text, threshold=0.0, correct=False)
                   for i in range(f.start, f.end))


@pytest.mark.model
@pytest.mark.parametrize("text, wrong, right", [
    # a typo beside an emoji is still flagged and corrected (near-miss)
    ("当事人可以向人民法院提起诉松👍。", "松", "讼"),
    # a Chinese character outside the vocabulary is still judged: a rare one is often the typo
    ("我明天就要恛家了。", "恛", None),
])
def test_typo_beside_a_sign_or_a_rare_chinese_character_is_still_flagged(detector, text, wrong, right):
    i = text.index(wrong)
    (f,) = detector.flag_texts([text])[0]
    assert (f.start, f.end, f.suggestion) == (i, i + 1, right)
