"""corpora/build_variant_stoplist.py picks the canonical of a variant that is one edit from two
names (刘奇: 刘淇 / 刘少奇) or near two counted formulations by a rule, not by set order: the file it
writes was different from run to run (PYTHONHASHSEED)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from corpora import build_variant_stoplist as b
from scanner.checks.wording import lexicon as lx
lexicon = lx.get_lexicon("guangdong")
names = b.variant_names(lexicon.leaders.offices)
counted = {f.term for f in lexicon.formulations if f.kind == "enumeration" and len(f.term) == 4 and f.term[1] == "个"}
near = {p: b.counted_near(p, counted) for p in ("四个方面", "四个自觉", "两个确保", "两个坚持", "四个面对", "五个方面")}
print(json.dumps({"names": names, "near": near}, ensure_ascii=False, sort_keys=True))
"""


def _run(seed: str) -> dict:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600, check=True)
    return json.loads(out.stdout)


def test_same_canonicals_under_two_hash_seeds():
    a, b = _run("1"), _run("3")  # seeds under which the old set order gave 刘少奇 / 刘淇 for 刘奇
    assert a == b
    names = a["names"]
    # one edit from two names: the one of the variant's own length, then code-point order
    assert names["刘奇"] == "刘淇"          # not 刘少奇 (a dropped character)
    assert names["李利强"] == "李克强"      # not 李强 (an added one)
    assert names["陈霁"] == min("陈云", "陈希")
    assert a["near"]["四个方面"] == "四个全面" and a["near"]["五个方面"] is None


@pytest.mark.parametrize("phrase, counted, expected", [
    ("四个方面", {"四个全面", "四个意识"}, "四个全面"),
    ("四个自觉", {"四个自信", "四个自强"}, "四个自信"),   # two near: the first in code-point order
    ("四个自觉", {"四个自强", "四个自信"}, "四个自信"),
    ("四个全面", {"四个全面"}, None),                  # itself
    ("三个方面", {"四个全面"}, None),                  # another count
])
def test_counted_near(phrase, counted, expected):
    from corpora.build_variant_stoplist import counted_near

    assert counted_near(phrase, counted) == expected
