"""Training smoke test (a few steps of both stages on a tiny corpus), ONNX export, and
parity of onnxruntime with the torch model.  Needs the [train] extra (torch)."""
from __future__ import annotations

import json

import pytest

torch = pytest.importorskip("torch", reason="torch not installed: pip install -e '.[train]' to run the training tests")

from scanner.model.data import Pair  # noqa: E402
from scanner.model.runtime import Detector, model_path  # noqa: E402
from scanner.model.train import TrainConfig, load_checkpoint, train  # noqa: E402
from tests.conftest import SHARED_DATA  # noqa: E402

needs_data = pytest.mark.skipif(not (SHARED_DATA / "confusion").is_dir(),
                                reason=f"shared training data not found at {SHARED_DATA}")

SENTENCES = [
    "各级政府要坚持依法治国，全面推进依法行政。",
    "加强政务公开，及时回应社会关切。",
    "本办法自2022年3月15日起施行。",
    "县妇联召开会议，传达学习上级精神，做到下情上传。",
    "政府网站要确保信息发布及时、准确、权威。",
    "各地区各部门要结合实际认真贯彻落实。",
    "进一步优化营商环境，激发市场主体活力。",
    "网站标识码为4400000001，ICP备案号粤ICP备12345678号。",
] * 8
PAIRS = {"tiny": [Pair("依法制国是基本方略。", "依法治国是基本方略。"), Pair("做到下请上传。", "做到下情上传。"),
                  Pair("加强政务公开。", "加强政务公开。")]}

PARITY_TEXTS = ["依法制国是党领导人民治理国家的基本方略。", "做到下请上传，2024年3月5日。", "ETF基金", "政"]


def _torch_probs(model, vocab, text):
    ids = torch.tensor([vocab.encode(text)])
    with torch.no_grad():
        logits = model(input_ids=ids, attention_mask=torch.ones_like(ids)).logits
    return torch.softmax(logits, -1)[0, :, 1].numpy()


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("tiny-model")
    cfg = TrainConfig(out=out, layers=1, hidden=32, heads=2, intermediate=64, batch_size=8, stage1_steps=3,
                      stage2_steps=3, warmup=1, checkpoint_every=2, log_every=1, threads=1)
    logs: list[str] = []
    summary = train(cfg, sentences=SENTENCES, pairs=PAIRS, log=logs.append)
    return out, summary, logs


@needs_data
def test_training_smoke(tiny_run):
    out, summary, logs = tiny_run
    assert summary["stage1"]["steps"] == 3 and summary["stage2"]["steps"] == 3
    assert summary["stage1"]["tokens"] > 0
    for stage in ("stage1", "stage2"):
        assert (out / stage / "model.safetensors").is_file()
        assert json.loads((out / stage / "train_state.json").read_text())["step"] == 3
    assert any("stage2 step 3/3" in line for line in logs)
    # the loss is a real number (no NaN from padding or labels)
    assert summary["stage2"]["loss"] == summary["stage2"]["loss"] and summary["stage2"]["loss"] > 0


@needs_data
def test_training_is_reproducible(tiny_run, tmp_path):
    out, summary, _ = tiny_run
    cfg = TrainConfig(out=tmp_path, layers=1, hidden=32, heads=2, intermediate=64, batch_size=8, stage1_steps=3,
                      stage2_steps=3, warmup=1, checkpoint_every=2, log_every=1, threads=1)
    again = train(cfg, sentences=SENTENCES, pairs=PAIRS, log=lambda m: None)
    assert again["stage2"]["loss"] == pytest.approx(summary["stage2"]["loss"], rel=1e-5)


@needs_data
def test_export_parity_tiny(tiny_run, tmp_path):
    from scanner.model.export import export_onnx, write_confusion, write_meta

    out, _, _ = tiny_run
    export_onnx(out / "stage2", tmp_path)
    write_meta(tmp_path, {"threshold": 0.5, "max_len": 64, "overlap": 16})
    model, vocab = load_checkpoint(out / "stage2")
    write_confusion(vocab, tmp_path, {})  # the runtime refuses a model folder without its correction candidates
    det = Detector(tmp_path)
    for text, onnx_probs in zip(PARITY_TEXTS, det.score_texts(PARITY_TEXTS)):
        assert onnx_probs == pytest.approx(list(_torch_probs(model, vocab, text)), abs=1e-4)


def test_shipped_model_parity():
    """The committed ONNX graph computes what the committed torch weights compute."""
    path = model_path()
    meta = json.loads((path / "meta.json").read_text())
    model, vocab = load_checkpoint(path / "torch")
    det = Detector(path)
    tolerance = 0.05 if meta.get("quantized_int8") else 1e-4
    for text, onnx_probs in zip(PARITY_TEXTS, det.score_texts(PARITY_TEXTS)):
        assert onnx_probs == pytest.approx(list(_torch_probs(model, vocab, text)), abs=tolerance)
    # windowed: a sentence longer than the window still gets one probability per character
    long = "依法治国" * 40
    assert len(det.score_texts([long])[0]) == len(long)
