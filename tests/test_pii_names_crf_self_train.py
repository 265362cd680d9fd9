"""Self-training of the running-text name CRF (corpora.pii.self_train,
train_names_crf --self-train): which pseudo-labelled sentences are kept."""
import json

from corpora.pii import self_train, train_names_crf


class FakeTagger:
    """A pycrfsuite.Tagger stand-in: the tags and confidences of each text are given."""

    def __init__(self, table):
        self.table = table  # text -> (tags, sequence probability, {position: marginal})

    def set(self, feats):
        self.text = "".join(next(f[3:] for f in fs if f.startswith("c0=")) for fs in feats)

    def tag(self):
        return list(self.table[self.text][0])

    def probability(self, tags):
        assert tags == list(self.table[self.text][0])
        return self.table[self.text][1]

    def marginal(self, label, i):
        return self.table[self.text][2].get(i, 1.0)


def test_unlabeled_sentences_reads_targets_deduplicated_in_order(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        "".join(json.dumps({"source": s, "target": t, "label": 1}, ensure_ascii=False) + "\n"
                for s, t in [("王建国说错话", "王建国说过话"), ("李明来了", "李明来了"), ("x", "ＡＢ都到了")]),
        encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"source": "李明来乐", "target": "李明来了"}, ensure_ascii=False) + "\n\n",
                                      encoding="utf-8")
    got = self_train.unlabeled_sentences(tmp_path, ["a.jsonl", "b.jsonl"])
    assert got == ["王建国说过话", "李明来了", "AB都到了"]  # the source side is never read; normalized


def test_pseudo_label_keeps_confident_sentences_and_a_share_without_names():
    table = {
        "王建国说好": ("BIIOO", 0.95, {}),
        "李明来了": ("BIOO", 0.95, {1: 0.6}),          # a name with one weak tag: dropped
        "张伟笑了": ("BIOO", 0.5, {}),                # an unsure sequence: dropped
        "解杨同志说": ("BIIIO", 0.99, {}),                # the edge rules apply: 解杨同志 -> 解杨
        "今天下雨": ("OOOO", 0.99, {}),
        "明天晴天": ("OOOO", 0.99, {}),
        "后天多云": ("OOOO", 0.99, {}),
        "大后天阴": ("OOOO", 0.3, {}),
    }
    stats = {}
    out = self_train.pseudo_label(FakeTagger(table), list(table), 0.9, 1 / 3, stats)
    assert out[:2] == [("王建国说好", list("BIIOO")), ("解杨同志说", list("BIOOO"))]
    assert len(out) == 3 and out[2][1] == ["O"] * 4 and out[2][0] in {"今天下雨", "明天晴天", "后天多云"}
    assert stats == {"sentences": 8, "named": 2, "confident_empty": 3, "empty": 1, "names": 2}
    # deterministic, and the order of the input does not pick the name-less sentence
    assert self_train.pseudo_label(FakeTagger(table), list(reversed(table)), 0.9, 1 / 3)[-1] == out[-1]
    assert [t for t, _g in self_train.pseudo_label(FakeTagger(table), list(table), 0.9, 0)] == ["王建国说好", "解杨同志说"]
    # the O right after a name counts toward its confidence
    table["王建国说好"] = ("BIIOO", 0.95, {3: 0.5})
    assert "王建国说好" not in [t for t, _g in self_train.pseudo_label(FakeTagger(table), list(table), 0.9, 0)]


def test_train_refuses_a_missing_self_train_crf(tmp_path, capsys):
    assert train_names_crf.main(["--self-train", str(tmp_path / "absent.crfsuite"), "--out", str(tmp_path / "m")]) == 2
    assert "not found" in capsys.readouterr().err
    assert not (tmp_path / "m").exists()
