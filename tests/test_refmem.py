"""The reference memory of the (not adopted) quotation rescue, corpora/refmem.py."""
from corpora.refmem import RefMemory, build, candidates_from

LAW = "国家实行依法治国，建设社会主义法治国家。"


def test_memory_holds_its_grams_and_not_others(tmp_path):
    mem = build([LAW], 6, 0.001)
    assert mem.covered(LAW).min() >= 1  # every character stands in a stored stretch
    assert mem.covered("今天天气很好，我们去公园散步吧。").max() == 0
    path = tmp_path / "m.npz"
    mem.save(path)
    again = RefMemory.load(path)
    assert (again.covered(LAW) == mem.covered(LAW)).all() and again.k == 6


def test_one_wrong_character_in_a_quotation_is_found_with_its_correction():
    mem = build([LAW], 6, 0.001)
    cand = candidates_from({"制": "治志质", "国": "过"})
    wrong = "国家实行依法制国，建设社会主义法治国家。"
    assert mem.suggest(wrong, range(len(wrong)), cand, 6) == {6: "治"}
    assert mem.suggest(LAW, range(len(LAW)), cand, 6) == {}  # the quotation as it stands: nothing
    # with no confusable character that restores the stretch, nothing either
    assert mem.suggest(wrong, range(len(wrong)), candidates_from({"制": "志质"}), 6) == {}
