"""Build ``lexicons/confusion_chars.tsv``: confusable characters for every character that occurs
in a leader name or a canonical formulation.

Sources (all redistributable, attributed in the TSV header):
  * pycorrector same_pinyin.txt / same_stroke.txt (Apache-2.0)
  * ECSpell soundConfusion.json / shapeConfusion.json (MIT)
  * pypinyin's character table (MIT): characters with the same toneless reading, restricted to
    GB 2312 (6,763 characters) and pycorrector's common_char_set, so that rare glyphs do not bloat it
Traditional characters in the sources are simplified (OpenCC, as the normalizer does).

Usage: python corpora/build_confusion.py   (reads ../shared/data, writes lexicons/confusion_chars.tsv)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scanner.resources import read_tsv, shared_data_dir  # noqa: E402
from scanner.text.normalize import normalize  # noqa: E402

# Similar shapes the sources lack, added by hand after a wording review (2026-11-28): 习近乎 for
# 习近平 and 赵东际 for 赵乐际 went unreported.  Each pair is added both ways.
EXTRA_SHAPE = ("平乎", "乐东")

TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")


def lexicon_chars() -> set[str]:
    chars: set[str] = set()
    for name in ("leaders.tsv", "leaders_guangdong.tsv"):
        for row in read_tsv(name):
            chars.update(row["name"])
    for row in read_tsv("formulations.tsv"):
        chars.update(row["term"])
        chars.update(row["members"])
    return {c for c in chars if "\u4e00" <= c <= "\u9fff"}


def _gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def simp(s: str) -> str:
    return normalize(s).text


def main() -> int:
    data = shared_data_dir()
    pyc = data / "lexicon-sources" / "pycorrector"
    common = {l.strip() for l in open(pyc / "common_char_set.txt", encoding="utf-8") if l.strip()}
    sound: dict[str, set[str]] = {}
    shape: dict[str, set[str]] = {}
    for line in open(pyc / "same_pinyin.txt", encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        parts = line.rstrip("\n").split("\t")
        sound.setdefault(parts[0], set()).update("".join(parts[1:]))
    for line in open(pyc / "same_stroke.txt", encoding="utf-8"):
        parts = line.split()
        for c in parts:  # each line is a group of similar shapes
            shape.setdefault(c, set()).update(x for x in parts if x != c)
    ecs = data / "confusion" / "ecspell"
    for fname, target in (("soundConfusion.json", sound), ("shapeConfusion.json", shape)):
        for k, vs in json.load(open(ecs / fname, encoding="utf-8")).items():
            target.setdefault(simp(k), set()).update(simp(v) for v in vs)
    for a, b in EXTRA_SHAPE:
        shape.setdefault(a, set()).add(b)
        shape.setdefault(b, set()).add(a)
    from pypinyin.pinyin_dict import pinyin_dict

    by_sound: dict[str, set[str]] = {}
    reading: dict[str, set[str]] = {}
    for cp, r in pinyin_dict.items():
        ch = chr(cp)
        if ch in common or _gb2312(ch):
            rs = {x.translate(TONES) for x in r.split(",")}
            reading[ch] = rs
            for x in rs:
                by_sound.setdefault(x, set()).add(ch)
    chars = sorted(lexicon_chars())
    out = ROOT / "lexicons" / "confusion_chars.tsv"
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(
            "# confusion_chars.tsv: confusable characters (same/similar sound, similar shape) for every\n"
            "# character of a leader name or canonical formulation in this folder; built by\n"
            "# corpora/build_confusion.py.\n"
            "# Columns: char; sound (same or similar pinyin); shape (similar shape); source.\n"
            "# Sources: pycorrector data same_pinyin.txt, same_stroke.txt (Apache-2.0, (c) XuMing / shibing624);\n"
            "# ECSpell Data/confusion soundConfusion.json, shapeConfusion.json (MIT, (c) the ECSpell authors);\n"
            "# pypinyin character readings (MIT), toneless, restricted to GB 2312 and pycorrector common_char_set.\n"
            f"# Added by hand (similar shapes the sources lack): {', '.join('/'.join(p) for p in EXTRA_SHAPE)}.\n"
            "char\tsound\tshape\tsource\n"
        )
        for c in chars:
            s = set(sound.get(c, ()))
            for r in reading.get(c, ()):
                s |= by_sound.get(r, set())
            s = {x for x in s if x != c and "\u4e00" <= x <= "\u9fff" and len(x) == 1}
            sh = {x for x in shape.get(c, ()) if x != c and "\u4e00" <= x <= "\u9fff" and len(x) == 1}
            fh.write(f"{c}\t{''.join(sorted(s))}\t{''.join(sorted(sh))}\tpycorrector+ECSpell+pypinyin\n")
    print(f"wrote {out} ({len(chars)} characters)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
