"""Baidu LAC in numpy (scanner.checks.pii.lac), its import from the PyPI archive
(corpora.pii.import_lac) and its features in the running-text name CRF."""
import struct

import numpy as np
import pytest

from corpora.pii import import_lac
from scanner.checks.pii import lac as lac_mod
from scanner.checks.pii import names_crf
from scanner.errors import ResourceMissingError


def words_of(text, tags):
    words, kinds = [], []
    for ch, tag in zip(text, tags):
        if not words or tag.endswith("-B"):
            words.append(ch)
            kinds.append(tag[:-2])
        else:
            words[-1] += ch
    return words, kinds


def test_upstream_example():
    # LAC's README: lac.run("LAC是个优秀的分词工具") -> words and tags as below
    text = "LAC是个优秀的分词工具"
    assert words_of(text, lac_mod.lac_tags([text])[0]) == (
        ["LAC", "是", "个", "优秀", "的", "分词", "工具"], ["nz", "v", "q", "a", "u", "n", "n"])


@pytest.mark.parametrize("text, entities", [
    ("百度公司的李彦宏在北京说。", {"百度公司": "ORG", "李彦宏": "PER", "北京": "LOC"}),
    ("村民王小红和张建国领取了补贴。", {"王小红": "PER", "张建国": "PER"}),
    ("国务院总理李强昨日在人民大会堂发表讲话。", {"国务院": "ORG", "李强": "PER", "昨日": "TIME", "人民大会堂": "LOC"}),
])
def test_entities(text, entities):
    words, kinds = words_of(text, lac_mod.lac_tags([text])[0])
    assert {w: k for w, k in zip(words, kinds) if k in ("PER", "LOC", "ORG", "TIME")} == entities


def test_batch_equals_one_by_one_and_keeps_order():
    texts = ["李彦宏在北京。", "", "记者王建国报道，" * 30, "ＬＡＣ２０２２年", "张三", "a"]
    batched = lac_mod.get_lac().tag(texts, batch=2)
    assert batched == [lac_mod.lac_tags([t])[0] for t in texts]
    assert [len(t) for t in batched] == [len(t) for t in texts]
    assert batched[1] == []


def test_long_text_is_tagged_in_pieces_cut_after_punctuation():
    assert lac_mod.split_pieces("甲" * 10, limit=4) == ["甲甲甲甲", "甲甲甲甲", "甲甲"]
    assert lac_mod.split_pieces("王建国说，李明来了。张三", limit=6) == ["王建国说，", "李明来了。", "张三"]
    sentence = "记者王建国报道，李明在北京说。"
    text = sentence * 2000  # 30,000 characters in one line
    tags = lac_mod.lac_tags([text])[0]
    assert len(tags) == len(text)
    one = lac_mod.lac_tags([sentence])[0]
    assert tags[:len(one)] == one and tags[-len(one):] == one


def test_segmenter_joins_ascii_runs_and_prefers_dictionary_words():
    seg = lac_mod.get_lac().segment("LAC是个优秀的分词工具abc12")
    assert seg[0] == "LAC" and seg[-1] == "abc12" and "".join(seg) == "LAC是个优秀的分词工具abc12"


def test_missing_model_names_the_import_command(tmp_path):
    with pytest.raises(ResourceMissingError, match="import_lac"):
        lac_mod.Lac(tmp_path)


def paddle_tensor(a: np.ndarray, dtype: int = 5) -> bytes:
    dims = b"".join(b"\x10" + bytes([d]) for d in a.shape)  # field 2, varint (< 128)
    desc = b"\x08" + bytes([dtype]) + dims
    return (struct.pack("<IQ", 0, 0) + struct.pack("<I", 0) + struct.pack("<i", len(desc)) + desc
            + a.astype("<f4").tobytes())


def test_read_tensor():
    a = np.arange(12, dtype=np.float32).reshape(3, 4)
    assert np.array_equal(import_lac.read_tensor(paddle_tensor(a)), a)
    with pytest.raises(ValueError, match="FP32"):
        import_lac.read_tensor(paddle_tensor(a, dtype=6))


def test_import_refuses_another_archive(tmp_path, capsys):
    bad = tmp_path / "LAC-2.1.2.tar.gz"
    bad.write_bytes(b"not the archive")
    assert import_lac.main([str(bad), "--out", str(tmp_path / "out")]) == 2
    assert "sha256" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name, reason", [
    # a missing file or a folder was a traceback (FileNotFoundError, IsADirectoryError)
    ("missing.tar.gz", "No such file"),
    (".", "Is a directory"),
])
def test_import_names_an_unreadable_archive(tmp_path, capsys, name, reason):
    path = tmp_path / name
    assert import_lac.main([str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}: cannot be read") and reason in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_name_crf_reads_lac_entities():
    assert "lac" in names_crf.EXTRA_FEATURES
    text = "百度公司的李彦宏说"
    feats = names_crf.char_features(text)
    assert [next(f for f in fs if f.startswith("lp=")) for fs in feats] == [
        "lp=G", "lp=G", "lp=G", "lp=G", "lp=o", "lp=PB", "lp=PI", "lp=PI", "lp=o"]
    assert "lp-1=<" in feats[0] and "lp+1=>" in feats[-1] and "lp-1=o" in feats[5]
    # tags computed by the caller for many lines give the same features
    assert names_crf.char_features(text, lac=names_crf.lac_for([text])[0]) == feats


@pytest.mark.parametrize("text, limit, pieces", [
    ("", 4, []),
    ("甲甲甲甲", 4, ["甲甲甲甲"]),
    ("甲" * 9, 4, ["甲甲甲甲", "甲甲甲甲", "甲"]),
    # a mark at a piece's first character: a piece of one character, as before
    ("，甲甲甲甲甲", 4, ["，", "甲甲甲甲", "甲"]),
    # the mark is looked for inside the piece, not in the text before it
    ("甲，甲甲甲甲甲甲甲", 4, ["甲，", "甲甲甲甲", "甲甲甲"]),
    ("甲甲，甲甲。甲甲甲甲乙", 5, ["甲甲，", "甲甲。", "甲甲甲甲乙"]),
])
def test_split_pieces_cases(text, limit, pieces):
    assert lac_mod.split_pieces(text, limit=limit) == pieces


def test_split_pieces_is_linear_in_the_text():
    # the rest of the text was copied after each piece: 3 million characters without a mark
    # took seconds (quadratic; the 20 million of the size cap, minutes)
    import time

    text = "李明说好" * 750_000
    t = time.perf_counter()
    pieces = lac_mod.split_pieces(text)
    assert time.perf_counter() - t < 1.0
    assert len(pieces) == -(-len(text) // lac_mod.MAX_PIECE) and "".join(pieces) == text


@pytest.mark.parametrize("text", [
    # one line of many sentences (a paragraph pasted without line breaks)
    "记者王建国报道，李明在北京说。" * 12,
    # a line without a mark: hard cuts
    "村民王小红和张建国领取了补贴" * 6,
    # lines of all lengths, a table row (tabs: not running text) and blank lines between
    "记者王建国报道。\n\n姓名\t李明\n" + "村民王小红和张建国领取了补贴。" * 8 + "\n张三说",
], ids=["sentences", "no-marks", "mixed-lines"])
def test_running_text_is_tagged_in_bounded_pieces(monkeypatch, text):
    # a line's CRF features (about 4 KB a character) and the whole text's LAC tags were held at
    # once: one line of 200,000 characters took 1.25 GB; now pieces of at most MAX_LINE
    # characters, LAC on about TEXT_GROUP characters at a time, names at their offsets
    from scanner.checks.pii import cn_person
    from scanner.checks.pii.analyzer import PiiAnalyzer

    analyzer = PiiAnalyzer(text_names=True, entities=["PERSON"])
    whole = [(d.start, d.end) for d in analyzer.analyze(text) if d.pattern == "person_crf"]
    monkeypatch.setattr(names_crf, "MAX_LINE", 40)
    monkeypatch.setattr(cn_person, "TEXT_GROUP", 60)
    tagged, batches = [], []
    tag_names, lac_for = names_crf.tag_names, names_crf.lac_for
    monkeypatch.setattr(names_crf, "tag_names", lambda t, lac=None: tagged.append(t) or tag_names(t, lac=lac))
    monkeypatch.setattr(names_crf, "lac_for", lambda lines: batches.append(lines) or lac_for(lines))
    found = [(d.start, d.end) for d in analyzer.analyze(text) if d.pattern == "person_crf"]
    assert tagged and max(map(len, tagged)) <= 40
    assert batches and max(sum(map(len, b)) for b in batches) < 60 + 40
    assert found == whole and found
    assert all(text[s:e] in ("王建国", "李明", "王小红", "张建国", "张三") for s, e in found)


@pytest.mark.parametrize("text, names", [
    # a lone surrogate (a JSON "\ud800" escape) raised SystemError out of CRFsuite
    ("\ud800记者王建国报道", ["王建国"]),
    ("记者王建国\udcff报道，李明说", ["王建国", "李明"]),
    # a surrogate pair's character (an emoji, a CJK extension B character) was and is fine
    ("😀记者王建国报道，𠀀李明说", ["王建国", "李明"]),
])
def test_running_text_with_lone_surrogates(text, names):
    from scanner.checks.pii.analyzer import PiiAnalyzer

    found = PiiAnalyzer(text_names=True, entities=["PERSON"]).analyze(text)
    assert [text[d.start:d.end] for d in found] == names
