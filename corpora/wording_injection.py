"""Injected serious wording errors for measuring recall (kept apart from the detection code).

Takes clean government sentences that hold a leader's name or a canonical formulation and
corrupts exactly one occurrence, the way typists and input methods do:

* ``sub``  one character replaced by a same/similar-sound or similar-shape character, drawn
           from the confusion sets in ../shared/data (ECSpell soundConfusion/shapeConfusion,
           pycorrector same_pinyin/same_stroke), read here independently of
           lexicons/confusion_chars.tsv;  ``sub_ncu``: from the NCU set only (characters the
           detector's table does not list: an out-of-table stress test, not a target);
* ``del``  one interior character dropped (names and terms of 3+ characters);
* ``ins``  one character inserted inside: a repeated neighbour or a confusable of a neighbour;
* ``swap`` two adjacent characters exchanged (3+ characters);
* enumerations: two adjacent members of a fixed list exchanged (``order``) or one dropped after
  its count term (``missing``).

Edges are left alone on purpose: a character dropped at the edge of a name, or one added
after it, cannot be told from the next word (李强强调 is right).

Sentences: the work reports 1992-2025, the congress reports 14-20, the 学习强国 sentences and
the policy documents, plus template sentences built from lexicons/leaders.tsv (an office and
its holder at a date inside the term) so that every listed leader is covered.  2-character
names are taken only where the sentence marks them as a leader (an office title next to the
name, or a list of leaders): 汪洋 in 汪洋大海 is not a name.

Usage: python corpora/wording_injection.py --out /tmp/injected.jsonl [--seed 7] [--per-kind 600]
Each line: {"text", "date", "target" ("name"|"formulation"|"enumeration"), "kind", "canonical",
"wrong", "start", "end"} with [start, end) the corrupted span in "text".
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scanner.resources import read_tsv, shared_data_dir  # noqa: E402
from scanner.text.normalize import normalize  # noqa: E402

SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")
# national titles that mark a 2-character name as a leader's (同志 alone does not: 王钢同志 may be anyone)
TITLES = ("总书记", "国家主席", "主席", "总理", "副总理", "委员长", "国务委员", "国家副主席", "政治局常委",
          "政治局委员", "军委副主席", "广东省委书记", "广东省省长")
TEMPLATES = ("{office}{name}出席会议并讲话。", "会议由{office}{name}主持。", "{office}{name}在京会见了代表团一行。",
             "{office}{name}近日到基层调研。")


def _simp(s: str) -> str:
    return normalize(s).text


def injection_confusions(ncu: bool = False) -> dict[str, list[str]]:
    data = shared_data_dir()
    table: dict[str, set[str]] = {}
    if ncu:
        for line in open(data / "confusion" / "ecspell" / "NCU_NLPLab_ConfusionSet.txt", encoding="utf-8"):
            if "," in line:
                k, v = line.rstrip("\n").split(",", 1)
                table.setdefault(_simp(k), set()).update(_simp(c) for c in v if "\u4e00" <= c <= "\u9fff")
    else:
        for name in ("soundConfusion.json", "shapeConfusion.json"):
            for k, vs in json.load(open(data / "confusion" / "ecspell" / name, encoding="utf-8")).items():
                table.setdefault(_simp(k), set()).update(_simp(v) for v in vs)
        pyc = data / "lexicon-sources" / "pycorrector"
        for line in open(pyc / "same_pinyin.txt", encoding="utf-8"):
            if not line.startswith("#") and line.strip():
                parts = line.rstrip("\n").split("\t")
                table.setdefault(parts[0], set()).update("".join(parts[1:]))
        for line in open(pyc / "same_stroke.txt", encoding="utf-8"):
            parts = line.split()
            for c in parts:
                table.setdefault(c, set()).update(x for x in parts if x != c)
    return {k: sorted(c for c in v if c != k and len(c) == 1) for k, v in table.items()}


def corrupt(word: str, kind: str, rng: random.Random, conf: dict[str, list[str]]) -> str | None:
    n = len(word)
    if kind in ("sub", "sub_ncu"):
        positions = [i for i in range(n) if conf.get(word[i])]
        if not positions:
            return None
        i = rng.choice(positions)
        return word[:i] + rng.choice(conf[word[i]]) + word[i + 1:]
    if kind == "del" and n >= 3:
        i = rng.randrange(1, n - 1)
        return word[:i] + word[i + 1:]
    if kind == "ins" and n >= 2:
        i = rng.randrange(1, n)
        pool = [word[i - 1], word[i], *conf.get(word[i - 1], []), *conf.get(word[i], [])]
        return word[:i] + rng.choice(pool) + word[i:]
    if kind == "swap" and n >= 3:
        i = rng.randrange(0, n - 1)
        if word[i] == word[i + 1]:
            return None
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return None


def clean_sentences() -> Iterator[tuple[str, dt.date]]:
    base = shared_data_dir()
    wr = base / "gov-text" / "work-reports"
    for line in open(wr / "government_work_reports.jsonl", encoding="utf-8"):
        r = json.loads(line)
        if r.get("year") and int(r["year"]) >= 1992:
            on = dt.date(int(r["year"]), 3, 5)
            for m in SENTENCE.finditer(r["content"]):
                yield m.group(0).strip(), on
    congress_dates = {14: dt.date(1992, 10, 12), 15: dt.date(1997, 9, 12), 16: dt.date(2002, 11, 8),
                      17: dt.date(2007, 10, 15), 18: dt.date(2012, 11, 8), 19: dt.date(2017, 10, 18),
                      20: dt.date(2022, 10, 16)}
    for line in open(wr / "cpc_congress_reports.jsonl", encoding="utf-8"):
        r = json.loads(line)
        if r.get("congress") in congress_dates:
            for m in SENTENCE.finditer(r["content"]):
                yield m.group(0).strip(), congress_dates[r["congress"]]
    for x in json.load(open(base / "csc" / "macro-correct" / "acc_xxqg.tet.json", encoding="utf-8")):
        yield x["original_text"], dt.date(2024, 6, 20)
    for line in open(base / "gov-text" / "policy-docs" / "policies.jsonl", encoding="utf-8"):
        r = json.loads(line)
        text = r.get("content") or r.get("text") or ""
        for m in SENTENCE.finditer(text):
            yield m.group(0).strip(), dt.date(2024, 6, 20)


def template_sentences(rng: random.Random) -> Iterator[tuple[str, dt.date]]:
    for row in read_tsv("leaders.tsv"):
        start = dt.date.fromisoformat(row["start"])
        end = dt.date.fromisoformat(row["end"]) if row["end"] else dt.date(2025, 6, 1)
        if (end - start).days < 120:
            continue
        on = start + dt.timedelta(days=60 + rng.randrange(max(1, (end - start).days - 120)))
        office = row["office"].replace("中央政治局常委", "中共中央政治局常委").replace("中央政治局委员", "中共中央政治局委员")
        yield rng.choice(TEMPLATES).format(office=office, name=row["name"]), on


ENUM_TEMPLATES = ("坚定“{term}”，即{listed}。", "要增强{term}，即{listed}。", "深刻领会{term}：{listed}。")


def template_enumerations(rng: random.Random) -> Iterator[tuple]:
    """Template sentences for the counted enumerations (the reports seldom spell the lists out)."""
    for r in read_tsv("formulations.tsv"):
        if r["kind"] != "enumeration":
            continue
        members = r["members"].split("|")
        listed = ("，" if any("、" in m for m in members) else "、").join(members)
        start = dt.date.fromisoformat(r["start"])
        end = dt.date.fromisoformat(r["end"]) if r["end"] else dt.date(2025, 6, 1)
        for tpl in ENUM_TEMPLATES:
            text = tpl.format(term=r["term"], listed=listed)
            on = start + dt.timedelta(days=70 + rng.randrange(max(1, (end - start).days - 140)))
            yield text, on, text.index(listed), listed, r["term"], members


def leader_mentions(text: str, names: list[str]) -> list[tuple[int, int, str]]:
    out = []
    for name in names:
        for m in re.finditer(re.escape(name), text):
            s, e = m.span()
            if len(name) <= 2:
                before, after = text[max(0, s - 6):s], text[e:e + 4]
                listed = any(text[e:e + 1] == "、" and text[e + 1:].startswith(o) for o in names if o != name) or \
                    any(text[:s].endswith(o + "、") for o in names if o != name)
                if not (before.endswith(TITLES) or after.startswith(TITLES) or listed):
                    continue
            out.append((s, e, name))
    # drop names inside longer names (李强 inside 李强强 is not the case here; 王刚 in 王刚毅 …)
    return [x for x in out if not any(o[0] <= x[0] and x[1] <= o[1] and o[1] - o[0] > x[1] - x[0] for o in out)]


def _round_robin(groups: dict[str, list], rng: random.Random) -> Iterator[tuple]:
    """One sentence per canonical string in turn (shuffled), so that every leader and every
    formulation is corrupted, not only the most frequent (习近平)."""
    queues = {k: rng.sample(v, len(v)) for k, v in groups.items()}
    keys = sorted(queues)
    while keys:
        rng.shuffle(keys)
        for k in list(keys):
            if queues[k]:
                yield queues[k].pop()
            else:
                keys.remove(k)


def generate(seed: int, per_kind: int) -> list[dict]:
    rng = random.Random(seed)
    conf = injection_confusions()
    ncu = injection_confusions(ncu=True)
    names = sorted({r["name"] for r in read_tsv("leaders.tsv")} | {r["name"] for r in read_tsv("leaders_guangdong.tsv")},
                   key=lambda n: (-len(n), n))  # deterministic whatever PYTHONHASHSEED is
    forms = [r for r in read_tsv("formulations.tsv") if r["near_match"] == "yes"]
    terms = sorted({r["term"] for r in forms}, key=lambda t: (-len(t), t))
    enum_rows = [r for r in read_tsv("formulations.tsv") if r["members"]]
    name_pool, term_pool, enum_pool = [], [], []
    sentences = list(clean_sentences()) + list(template_sentences(rng))
    for text, on in sentences:
        if len(text) < 6 or len(text) > 300:
            continue
        for s, e, name in leader_mentions(text, names):
            name_pool.append((text, on, s, e, name))
        for term in terms:
            i = text.find(term)
            if i >= 0:
                term_pool.append((text, on, i, i + len(term), term))
        for r in enum_rows:
            members = r["members"].split("|")
            listed = ("，" if any("、" in m for m in members) else "、").join(members)
            i = text.find(listed)
            if i >= 0 and dt.date.fromisoformat(r["start"]) <= on:
                enum_pool.append((text, on, i, listed, r["term"], members))
    # leaders in rank order are written many times; add every name at least once via templates
    rng.shuffle(name_pool)
    rng.shuffle(term_pool)
    out: list[dict] = []
    for target, pool in (("name", name_pool), ("formulation", term_pool)):
        by_canonical: dict[str, list] = {}
        for item in pool:
            by_canonical.setdefault(item[4], []).append(item)
        for kind in ("sub", "del", "ins", "swap", "sub_ncu"):
            made = 0
            for text, on, s, e, canonical in _round_robin(by_canonical, rng):
                if made >= per_kind:
                    break
                wrong = corrupt(canonical, kind, rng, ncu if kind == "sub_ncu" else conf)
                if not wrong or canonical in wrong or wrong in names or wrong in terms or \
                        wrong.replace("·", "") == canonical.replace("·", ""):
                    continue  # 吴官正正 is 吴官正 followed by 正在: not a misspelling
                if kind == "sub_ncu":
                    i = next(k for k in range(len(canonical)) if canonical[k] != wrong[k])
                    if wrong[i] in conf.get(canonical[i], ()):
                        continue  # keep only pairs outside the main sets
                out.append({"text": text[:s] + wrong + text[e:], "date": on.isoformat(), "target": target,
                            "kind": kind, "canonical": canonical, "wrong": wrong, "start": s, "end": s + len(wrong)})
                made += 1
    for kind in ("order", "missing"):
        made = 0
        pool = list(enum_pool) + list(template_enumerations(rng))
        rng.shuffle(pool)
        for text, on, i, listed, term, members in pool:
            if made >= per_kind // 3:
                break
            ms = list(members)
            if kind == "order":
                k = rng.randrange(len(ms) - 1)
                ms[k], ms[k + 1] = ms[k + 1], ms[k]
            else:
                # a member dropped is an error only after the count term (四个自信，即…)
                if len(ms) < 3 or term not in text[max(0, i - 12):i]:
                    continue
                ms.pop(rng.randrange(len(ms)))
            sep = "，" if any("、" in m for m in ms) else "、"
            body = sep.join(ms)
            new = text[:i] + body + text[i + len(listed):]
            out.append({"text": new, "date": on.isoformat(), "target": "enumeration", "kind": kind,
                        "canonical": listed, "wrong": body, "start": i, "end": i + len(body)})
            made += 1
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--per-kind", type=int, default=600)
    args = ap.parse_args(argv)
    rows = generate(args.seed, args.per_kind)
    with open(args.out, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(rows)} injected sentences -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
