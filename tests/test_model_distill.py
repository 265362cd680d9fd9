"""The GPU trainer (scanner/model/distill.py) run on a CPU with tiny models and a tiny
packed data file: every phase runs, the students are saved and measured, a continuation
starts from them, and the corruption keeps its labels aligned.  Needs the [train] extra."""
from __future__ import annotations

import json
import lzma
import pickle
import random

import pytest

torch = pytest.importorskip("torch", reason="torch not installed: pip install -e '.[train]' to run the training tests")

from scanner.model import distill  # noqa: E402
from scanner.model.runtime import model_path  # noqa: E402

SENTENCES = ["各级政府要坚持依法治国，全面推进依法行政。", "加强政务公开，及时回应社会关切。",
             "政府网站要确保信息发布及时、准确、权威。", "进一步优化营商环境，激发市场主体活力。"] * 6
TINY = {"teacher_cfg": dict(layers=1, hidden=16, heads=2, ffn=32, act="gelu"),
        "student_cfgs": {"student_a": dict(layers=1, hidden=16, heads=2, ffn=32, act="relu"),
                         "student_b": dict(layers=1, hidden=8, heads=2, ffn=16, act="relu")}}


def _blob() -> dict:
    vocab = (model_path() / "vocab.txt").read_text(encoding="utf-8").split("\n")[:-1]
    chars = set(vocab)
    sound = {"治": (["制", "志"], [1.0, 1.0]), "境": (["镜"], [1.0]), "务": (["物"], [1.0])}
    shape = {"环": (["坏"], [1.0])}
    assert all(c in chars for k, (vs, _) in {**sound, **shape}.items() for c in [k, *vs])
    pair = ("依法制国是基本方略。", "依法治国是基本方略。")
    return {"vocab": vocab, "sentences": SENTENCES, "domain": SENTENCES[:2], "dev_clean": SENTENCES[:4],
            "pairs": {"ecspell-law": [pair] * 3, "gen_xxqg": [pair]}, "pairs_dev": {"ecspell-law": [pair]},
            "sound": sound, "shape": shape, "words": {"环境": ["环镜"], "政务": ["政物"]},
            "eval": {"ecspell-law": [pair], "acc_xxqg": [(s, s) for s in SENTENCES[:3]]}}


@pytest.fixture
def packed(tmp_path):
    path = tmp_path / "data.pkl.xz"
    with lzma.open(path, "wb") as fh:
        pickle.dump(_blob(), fh)
    return path


def test_corruption_labels_mark_exactly_the_changed_characters():
    blob = _blob()
    cor = distill.Corruptor(blob["sound"], blob["shape"], blob["words"], random.Random(3))
    changed = 0
    for s in SENTENCES * 5:
        text, labels = cor.corrupt(s)
        assert len(text) == len(s) == len(labels)
        assert labels == [int(a != b) for a, b in zip(text, s)]
        changed += sum(labels)
    assert changed > 0


def test_batches_are_padded_with_ignored_labels():
    distill._worker_setup(_blob())
    ids, lab = distill.make_batch((7, 6, 0.5, 0.2))
    assert ids.shape == lab.shape and ids.shape[0] == 6
    assert ((lab == -1) == (ids == 0)).all()  # padding, and only padding, is ignored
    assert set(lab.ravel().tolist()) <= {-1, 0, 1}


def test_run_then_continue_on_cpu(packed, tmp_path):
    out = tmp_path / "run"
    summary = distill.run(packed, out, seconds=6, workers=0, device="cpu", batch=8, **TINY)
    assert not summary["errors"], summary["errors"]
    assert {"teacher_stage1", "teacher_stage2", "distill"} <= set(summary["phases"])
    assert summary["phases"]["distill"]["steps"] > 0
    for name in ("student_a", "student_b"):
        assert (out / name / "model.safetensors").is_file()
        m = summary["measure"][name]
        assert 0.5 <= m["threshold"] <= 1.0 and "ecspell-law" in m and "acc_xxqg" in m
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["seconds"] > 0
    again = distill.run(packed, tmp_path / "run2", seconds=3, workers=0, device="cpu", batch=8,
                        init_students=out, **TINY)
    assert not again["errors"] and "teacher_stage1" not in again["phases"] and again["phases"]["distill"]["steps"] > 0
    from safetensors.torch import load_file

    before = load_file(out / "student_a" / "model.safetensors")
    after = load_file(tmp_path / "run2" / "student_a" / "model.safetensors")
    assert any(not torch.equal(before[k], after[k]) for k in before)


def test_bad_data_file_is_one_line(tmp_path, capsys):
    junk = tmp_path / "junk.pkl.xz"
    junk.write_bytes(b"not xz")
    for path in (tmp_path / "none.pkl.xz", junk):
        assert distill.main(["train", "--data", str(path), "--out", str(tmp_path / "out"), "--workers", "0"]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith(f"distill: {path}: not a packed data file") and "\n" not in err
    assert not (tmp_path / "out").exists()  # nothing written for a bad input


def _first_run(packed, tmp_path):
    """A short plain run whose students the continuation tests start from."""
    first = tmp_path / "first"
    assert not distill.run(packed, first, seconds=4, workers=0, device="cpu", batch=8, **TINY)["errors"]
    return first


def _assert_continued(first, out):
    """Both students of ``out`` continued those of ``first``: the same shape, other weights."""
    from safetensors.torch import load_file

    for name in ("student_a", "student_b"):
        before = load_file(first / name / "model.safetensors")
        after = load_file(out / name / "model.safetensors")
        assert before.keys() == after.keys()  # the same shape, continued
        assert any(not torch.equal(before[k], after[k]) for k in before)


def test_joint_run_trains_a_teacher_beside_the_continuing_students(packed, tmp_path):
    """--init-students --joint: a fresh teacher and the two students on the same batches, then
    student_a distilled from the teacher while student_b keeps to the true labels."""
    first = _first_run(packed, tmp_path)
    out = tmp_path / "joint"
    summary = distill.run(packed, out, seconds=6, workers=0, device="cpu", batch=8, init_students=first,
                          joint=True, alpha=0.5, **TINY)
    assert not summary["errors"], summary["errors"]
    assert set(summary["phases"]) == {"joint", "distill"}
    assert set(summary["phases"]["joint"]["loss"]) == {"teacher", "student_a", "student_b"}
    assert summary["phases"]["distill"]["steps"] > 0
    assert {"teacher", "student_a", "student_b"} == set(summary["measure"])
    _assert_continued(first, out)


def test_teacher_first_run_distils_a_fresh_teacher_into_the_continuing_students(packed, tmp_path):
    """--init-students --teacher-first: the teacher trains alone (stages 1 and 2), then student_a
    learns from it while student_b, the control, continues on the true labels."""
    first = _first_run(packed, tmp_path)
    out = tmp_path / "tf"
    summary = distill.run(packed, out, seconds=8, workers=0, device="cpu", batch=8, init_students=first,
                          teacher_first=True, alpha=0.7, **TINY)
    assert not summary["errors"], summary["errors"]
    assert set(summary["phases"]) == {"teacher_stage1", "teacher_stage2", "distill"}
    assert all(summary["phases"][k]["steps"] > 0 for k in summary["phases"])
    assert summary["students"]["student_a"]["from"].endswith("student_a")
    assert {"teacher", "student_a", "student_b"} == set(summary["measure"])
    _assert_continued(first, out)
    with pytest.raises(ValueError, match="teacher_first=True needs init_students"):
        distill.run(packed, tmp_path / "x", seconds=1, workers=0, teacher_first=True)


@pytest.mark.parametrize("spec, expected", [
    ("12x768", dict(layers=12, hidden=768, heads=12, ffn=3072, act="gelu")),
    ("6X384", dict(layers=6, hidden=384, heads=6, ffn=1536, act="gelu")),
    ("12x700", None), ("twelve", None), ("0x512", None), ("12x768x3", None),
])
def test_teacher_shape_option(spec, expected):
    import argparse

    if expected is None:
        with pytest.raises(argparse.ArgumentTypeError, match="teacher shape"):
            distill.teacher_shape(spec)
    else:
        assert distill.teacher_shape(spec) == expected


def test_teacher_first_needs_students(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        distill.main(["train", "--data", str(tmp_path / "d.pkl.xz"), "--out", str(tmp_path / "o"), "--teacher-first"])
    assert exc.value.code == 2 and "--teacher-first needs --init-students" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        distill.main(["train", "--data", str(tmp_path / "d.pkl.xz"), "--out", str(tmp_path / "o"), "--teacher", "big"])
    assert "teacher shape 'big'" in capsys.readouterr().err


def test_distill_phase_gives_each_student_its_alpha_and_rate(packed):
    """alpha 0 leaves a student on the true labels (it ends where a teacher-less phase ends on
    the same batches); a positive alpha does not; a learning rate of its own is applied."""
    blob = distill.load_packed(packed)
    distill._worker_setup(blob)
    V = len(blob["vocab"])
    torch.manual_seed(1)
    teacher = distill.bert(V, **TINY["teacher_cfg"]).eval()

    def phase(tch, alphas=None, lrs=None):
        torch.manual_seed(5)
        m = distill.bert(V, **TINY["student_cfgs"]["student_a"])
        stream = distill.BatchStream(None, 3, 4, real_share=0.5, domain_share=0.1, inflight=2)
        out = distill.distill_phase(tch, {"s": m}, stream, 600, 1e-3, 1, 0.7, "cpu", lambda msg: None,
                                    alphas=alphas, lrs=lrs, max_steps=3)
        assert out["steps"] == 3
        return m.state_dict()

    torch.manual_seed(5)
    init = distill.bert(V, **TINY["student_cfgs"]["student_a"]).state_dict()
    plain, alpha0, soft = phase(None), phase(teacher, {"s": 0.0}), phase(teacher, {"s": 0.9})
    frozen = phase(None, lrs={"s": 0.0})
    assert all(torch.allclose(plain[k], alpha0[k]) for k in plain)
    assert any(not torch.allclose(plain[k], soft[k]) for k in plain)
    assert any(not torch.equal(plain[k], init[k]) for k in plain)
    assert all(torch.equal(frozen[k], init[k]) for k in init)  # its own rate (0) used, not the phase's


def test_joint_without_students_is_a_usage_error(tmp_path, capsys):
    """--joint trains a teacher beside continuing students: without --init-students it used to be
    ignored silently (a plain teacher run); now it is refused before anything is read or written."""
    with pytest.raises(SystemExit) as exc:
        distill.main(["train", "--data", str(tmp_path / "none.pkl.xz"), "--out", str(tmp_path / "out"), "--joint"])
    assert exc.value.code == 2
    assert "--joint needs --init-students" in capsys.readouterr().err
    with pytest.raises(ValueError, match="joint=True needs init_students"):
        distill.run(tmp_path / "none.pkl.xz", tmp_path / "out", 1, 0, joint=True)
    assert not (tmp_path / "out").exists()
