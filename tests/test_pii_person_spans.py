"""PERSON: span edges of the name CRF (``names_crf.refine_spans``), words that are never
names before a phone number, and structure over the CRF when both find a name."""
import pytest

from pii_helpers import detect, values
from scanner.checks.pii.analyzer import PiiAnalyzer
from scanner.checks.pii.names_crf import refine_spans
from scanner.text.normalize import normalize


@pytest.mark.parametrize("text, spans, expected", [
    # a bracket left open or closed at an edge is not part of the name
    ("Doerwin)所说的", [(0, 8)], [(0, 7)]),
    ("的(Lyn的说法)", [(1, 5)], [(2, 5)]),
    ("（陆明远", [(0, 4)], [(1, 4)]),
    ("“贾晓川说", [(0, 4)], [(1, 4)]),
    # balanced brackets and quotes stay: an alias in brackets, a quoted name
    ("卡杜（cadu）左膝", [(0, 8)], [(0, 8)]),
    ("“李时珍”医药", [(0, 5)], [(0, 5)]),
    # a gender after a three-character name in résumé style
    ("方培礼男1961年9月出生", [(0, 4)], [(0, 3)]),
    ("韦建林女，汉族", [(0, 4)], [(0, 3)]),
    # … but not a name that ends in 男 / 女, nor a compound surname's name, nor 女士
    ("李亚男，1961年", [(0, 3)], [(0, 3)]),
    ("欧阳一男1961年", [(0, 4)], [(0, 4)]),
    ("韦建林女士表示", [(0, 4)], [(0, 4)]),
    # a bracket opened inside and not closed ends the name
    ("史蒂夫奈尔斯(SteveNiles，作品", [(0, 17)], [(0, 6)]),
    ("朴俊（Panda.Lyn）", [(0, 13)], [(0, 13)]),
    ("朴俊（Panda.Lyn）", [(0, 12)], [(0, 2)]),
    # a title or a form of address at the end is not part of the name
    ("解杨同志以及", [(0, 4)], [(0, 2)]),
    ("王红主任介绍", [(0, 4)], [(0, 2)]),
    ("高先生说", [(0, 3)], [(0, 3)]),
    # a name separator at the end (a sentence cut there)
    ("与凯特·", [(1, 4)], [(1, 3)]),
    ("留意的是，马丁-", [(5, 8)], [(5, 7)]),
    ("提摩尔·贝克玛", [(0, 7)], [(0, 7)]),
    # nothing left of a lone bracket
    ("（）", [(0, 1)], [(0, 1)]),
])
def test_refine_spans(text, spans, expected):
    assert refine_spans(text, spans) == expected


@pytest.mark.parametrize("text", [
    "全天 13812345678",
    "咨询电话：全天 010-12345678",
    "上午 010-68591234",
    "工作日 13812345678",
])
def test_words_that_are_never_names_before_a_phone(text):
    assert values(text, "PERSON") == []
    assert values(text, "PERSON", text_names=True) == []


@pytest.mark.parametrize("text, value, pattern, masked", [
    # a contact row after an organ keeps the pattern the policy reads
    ("科技司 虞正夫 010-68591234", "虞正夫", "person_contact_organ", False),
    # a list keeps its names as the list cut them
    ("拟录用人员名单：王建国、李明、张晓华。", "李明", "person_list", False),
    # a masked form stays masked
    ("经查，张某某在会上说。", "张某某", "person_masked_form_masked", True),
])
def test_structure_over_the_crf(text, value, pattern, masked):
    norm = normalize(text).text
    found = [d for d in PiiAnalyzer(text_names=True, entities=["PERSON"]).analyze(norm) if d.entity == "PERSON"]
    hits = [d for d in found if norm[d.start:d.end] == value]
    assert [(d.pattern, d.masked) for d in hits] == [(pattern, masked)]
    assert ("PERSON", value, masked) in detect(text, "PERSON", text_names=True)


def test_fit_slices_are_tenths_of_the_fit_part(tmp_path):
    """``ner_data.sentences(..., "slice-K")``: the fit sentences of fit slice K, never a
    held-out one, each fit sentence in exactly one slice (a tiny Resume-style set)."""
    from corpora.pii import ner_data

    texts = [f"第{i}句张{i}说" for i in range(200)]
    folder = tmp_path / "resume"
    folder.mkdir()
    (folder / "train.char.bmes").write_text(
        "\n\n".join("\n".join(f"{ch} O" for ch in t) for t in texts) + "\n", encoding="utf-8")
    fit = {t for t, _ in ner_data.sentences(tmp_path, "resume", "fit")}
    held = {t for t, _ in ner_data.sentences(tmp_path, "resume", "held_out")}
    slices = [{t for t, _ in ner_data.sentences(tmp_path, "resume", f"slice-{k}")} for k in range(10)]
    assert fit | held == set(texts) and not fit & held
    assert set().union(*slices) == fit
    assert sum(map(len, slices)) == len(fit)
    assert all(ner_data.fit_slice(t) == k for k, s in enumerate(slices) for t in s)
    assert len(held) > 0 and all(len(s) > 0 for s in slices)
