"""The experimental neural name tagger (``corpora.pii.names_tagger``, not used by the
scanner): decoding, the combination with the CRF's marginals, a missing file, and a training
smoke test with ONNX/torch parity."""
from __future__ import annotations

import numpy as np
import pytest

from corpora.pii.names_tagger import N_TYPES, NameTagger, combine, decode, type_ids
from scanner.checks.pii.names_crf import marginals
from scanner.errors import ResourceMissingError
from scanner.resources import models_dir


def test_type_ids():
    types = type_ids("记者王建国说")
    assert types.shape == (6,) and types.max() < N_TYPES and types.min() >= 0
    # the surname flag of 王 (a common surname) is set, that of 说 is not
    assert types[2] % 2 == 1 and types[5] % 2 == 0


@pytest.mark.model
def test_crf_marginals():
    probs = marginals("记者王建国说，李明也来了。")
    assert probs.shape == (13, 3)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-4)
    assert probs[2].argmax() == 1 and probs[0].argmax() == 0  # 王 begins a name, 记 does not


@pytest.mark.parametrize("labels, expected", [
    ("OBIIO", [(1, 4)]),
    ("BIBIO", [(0, 2), (2, 4)]),
    ("OIIOB", [(1, 3), (4, 5)]),  # an I after an O starts a name; a name may end the text
    ("OOOO", []),
])
def test_decode(labels, expected):
    probs = np.eye(3, dtype=np.float32)[["OBI".index(x) for x in labels]]
    assert [(s, e) for s, e, _ in decode(probs)] == expected


def test_decode_threshold():
    # P(B) + P(I) = 0.4: a name at threshold 0.35, none at 0.5
    probs = np.array([[1.0, 0.0, 0.0], [0.6, 0.3, 0.1], [0.6, 0.1, 0.3]], dtype=np.float32)
    assert [(s, e) for s, e, _ in decode(probs, 0.35)] == [(1, 3)]
    assert decode(probs, 0.5) == []


def test_combine_weights():
    nn = np.array([[0.2, 0.8, 0.0]], dtype=np.float32)
    crf = np.array([[1.0, 0.0, 0.0]], dtype=np.float32)
    assert np.allclose(combine(nn, crf, 0.25), [[0.4, 0.6, 0.0]])


def test_missing_model_is_a_one_line_error(tmp_path):
    with pytest.raises(ResourceMissingError) as err:
        NameTagger(tmp_path)
    message = str(err.value)
    assert "\n" not in message and "train_names_tagger" in message and "model.onnx" in message


# ------------------------------------------------------------ training and export

PIECES = [
    ("记者王建国报道，李明说。", [0, 0, 1, 2, 2, 0, 0, 1, 2, 0, 0, 0]),
    ("市政府召开常务会议。", [0] * 10),
    ("张华先生出席了会议。", [1, 2, 0, 0, 0, 0, 0, 0, 0, 0]),
] * 4


@pytest.fixture(scope="module")
def tiny_tagger(tmp_path_factory):
    pytest.importorskip("torch", reason="torch not installed: pip install -e '.[train]' for the training tests")
    if not (models_dir() / "wording-detector" / "torch" / "config.json").is_file():
        pytest.skip("the pretrained encoder models/wording-detector/torch is not present")
    from corpora.pii.train_names_tagger import export, train

    out = tmp_path_factory.mktemp("names-tagger")
    logs: list[str] = []
    summary = train(None, out, pieces=PIECES, epochs=1, batch_size=4, log=logs.append)
    return out, summary, logs, export


def test_training_smoke(tiny_tagger):
    out, summary, logs, _export = tiny_tagger
    assert summary["steps"] == 3 and summary["pieces"] == len(PIECES)
    assert (out / "torch" / "model.safetensors").is_file()
    assert any("step 3/3" in line for line in logs)


@pytest.mark.parametrize("quantize, tolerance", [(False, 1e-4), (True, 0.08)])
def test_onnx_parity_with_torch(tiny_tagger, quantize, tolerance):
    import torch
    from transformers import BertForTokenClassification

    from scanner.model.vocab import CharVocab

    out, _summary, _logs, export = tiny_tagger
    export(out, quantize=quantize)
    tagger = NameTagger(out)
    assert tagger.type_features
    model = BertForTokenClassification.from_pretrained(out / "torch").eval()
    vocab = CharVocab.load(out / "vocab.txt")
    for text in ("记者王建国报道，李明说。", "2024年3月5日，ETF基金", "张"):
        ids = torch.tensor([vocab.encode(text)])
        types = torch.tensor(type_ids(text)).unsqueeze(0)
        with torch.no_grad():
            logits = model(input_ids=ids, attention_mask=torch.ones_like(ids), token_type_ids=types).logits
            expected = torch.softmax(logits, -1)[0].numpy()
        (got,) = tagger.probs([text])
        assert np.abs(got - expected).max() < tolerance, text
