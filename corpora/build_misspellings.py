"""Build ``lexicons/misspellings.tsv``: misspellings of government vocabulary (防讯 for 防汛,
做风 for 作风, 官僚主意 for 官僚主义, 坚绝 for 坚决), for ``wording.misspelling``.

A row is a word of government writing with one character replaced by a same-sound or
similar-shape character, kept when the evidence says the replacement is a slip and not another
word:

* the right word is a word of government writing (ECSpell's 公文写作 word lists, MIT) of 2-4
  characters, written at least ``MIN_RIGHT`` times in ../shared/data/gov-text (public domain:
  laws, policy documents, work and congress reports, about 22.5 million characters);
* the wrong form never occurs in gov-text (纠治, 因城施策, 稳字当头 are the reports' own words)
  where ``wording.misspelling`` would report it (做风 of 这样做风险较小 is two words: 风险 crosses
  its end);
* the wrong form is no common word of jieba's dictionary (frequency ``JIEBA_WORD`` or more: the
  dictionary holds misspellings too, 防讯 at 3), no person's or place's name (pycorrector
  person_name.txt / place_name.txt, Apache-2.0), no word of ECSpell's other word lists; no piece
  of it holding the replaced character is another 公文写作 word, and it does not split into two
  very common words of two or more characters (``COMMON_PART``: 一下|内容 is no 以下内容
  misspelt, 官僚|主意 is 官僚主义), nor into a character that is a very common word on its own
  (``FUNCTION_CHAR``: 之 中 上 也 是 了 地 得 …) and the rest, which may be a word (民之所望 holds
  之所, 中印关系 中印, 保护得好 保护得; 做风 stays: 做 is less common);
* the replacement is attested as an error: the pair (wrong character written for the right one)
  occurs in ECSpell's training sentences (law, med: MIT; odw, official-document writing, is kept
  out to measure recall on) or macro-correct's word confusion dictionary (Apache-2.0); or, for
  right words written ``MIN_RIGHT_SOUND`` times or more (``MIN_RIGHT_SOUND_2`` for a 2-character
  word, whose wrong forms two words meeting spell far more often), it has
  the same toneless reading (pypinyin, MIT: what a pinyin input method offers for the same keys)
  and is one of the corpus's ``TOP_CHARS`` commonest characters (offered first).  Broader sets
  (every same or near reading, every similar shape) gave over 600,000 rows.

Columns: wrong, right, right_count (occurrences of the right word in gov-text), source
(error-pair / same-reading / ecspell-list).  ECSpell's hand list of common misspellings
(常见错字错词.txt, MIT) is added where its wrong form passes the same tests.

Usage: python corpora/build_misspellings.py   (reads ../shared/data, writes lexicons/misspellings.tsv)
"""
from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scanner.resources import shared_data_dir  # noqa: E402
from scanner.text.normalize import normalize  # noqa: E402

MIN_RIGHT = 100  # occurrences of the right word in gov-text
JIEBA_WORD = 20  # a jieba dictionary entry this frequent is a word, not a misspelling
COMMON_PART = 5000  # a wrong form that splits into two words this frequent in jieba's dictionary is left out
FUNCTION_CHAR = 60000  # a character this frequent as a word of its own (之 中 上 也 是 了 地 得 …)
TOP_CHARS = 1000  # a same-reading replacement is one of the corpus's commonest characters
MIN_RIGHT_SOUND = 300  # a same-reading replacement not attested as an error: only for words this frequent
MIN_RIGHT_SOUND_2 = 1000  # ... and for 2-character words this frequent
# the source column: where the confusion of the replaced character comes from
SOURCE = {"seen": "error-pair", "sound": "same-reading", "hand": "ecspell-list"}
TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")
HAN = lambda s: all("\u4e00" <= c <= "\u9fff" for c in s)  # noqa: E731


def simp(s: str) -> str:
    return normalize(s).text


def dev_texts():
    base = shared_data_dir() / "gov-text"
    for path in sorted((base / "laws").rglob("*.md")):
        yield path.read_text(encoding="utf-8", errors="replace")
    for line in open(base / "policy-docs" / "policies.jsonl", encoding="utf-8"):
        r = json.loads(line)
        yield r.get("content") or ""


def report_texts():
    base = shared_data_dir() / "gov-text" / "work-reports"
    for fname in ("government_work_reports.jsonl", "cpc_congress_reports.jsonl"):
        for line in open(base / fname, encoding="utf-8"):
            yield json.loads(line).get("content") or ""


def confusion(data: Path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """right character -> wrong characters: ``sound`` the same toneless reading (pypinyin);
    ``seen`` pairs attested as real errors (wrong written for right) in ECSpell's training
    sentences (law, med: MIT; odw is kept out, to measure recall on) and macro-correct's word
    confusion dictionary (Apache-2.0)."""
    pyc = data / "lexicon-sources" / "pycorrector"
    common = {l.strip() for l in open(pyc / "common_char_set.txt", encoding="utf-8") if l.strip()}
    from pypinyin.pinyin_dict import pinyin_dict

    def gb(ch: str) -> bool:
        try:
            ch.encode("gb2312")
            return True
        except UnicodeEncodeError:
            return False

    by_sound: dict[str, set[str]] = collections.defaultdict(set)
    reading: dict[str, set[str]] = {}
    for cp, r in pinyin_dict.items():
        ch = chr(cp)
        if ch in common or gb(ch):
            reading[ch] = {x.translate(TONES) for x in r.split(",")}
            for x in reading[ch]:
                by_sound[x].add(ch)
    sound = {ch: {x for r in rs for x in by_sound[r] if x != ch} for ch, rs in reading.items()}
    seen: dict[str, set[str]] = collections.defaultdict(set)
    for path in sorted((data / "csc" / "ecspell").glob("*.train.tsv")):
        if path.name.startswith("odw"):
            continue  # official-document writing: kept out, to measure the list's recall on
        for line in open(path, encoding="utf-8"):
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3 and len(parts[1]) == len(parts[2]):
                for a, b in zip(simp(parts[1]), simp(parts[2])):
                    if a != b and HAN(a) and HAN(b):
                        seen[b].add(a)
    for wrong, right in json.load(open(data / "confusion" / "macro-correct" / "confusion_dict.json", encoding="utf-8")).items():
        wrong, right = simp(wrong), simp(right)
        if len(wrong) == len(right):
            for a, b in zip(wrong, right):
                if a != b and HAN(a) and HAN(b):
                    seen[b].add(a)
    return sound, dict(seen)


def count(keys, texts, where=None) -> collections.Counter:
    """Occurrences of ``keys`` in ``texts``; with ``where(text, start, end)``, only those it accepts."""
    import ahocorasick

    a = ahocorasick.Automaton()
    for k in keys:
        a.add_word(k, k)
    a.make_automaton()
    c: collections.Counter = collections.Counter()
    for t in texts:
        for end, k in a.iter(t):
            if where is None or where(t, end - len(k) + 1, end + 1):
                c[k] += 1
    return c


def header(total_chars: int) -> str:
    """The file's header comment and column row."""
    return (
        "# misspellings.tsv: misspellings of government vocabulary (wrong -> right), one confusable\n"
        "# character each, for wording.misspelling (advisory 提示·疑似错别字).  Built by\n"
        f"# corpora/build_misspellings.py: the right word is a 公文写作 word written at least {MIN_RIGHT} times\n"
        f"# in ../shared/data/gov-text (public domain, {total_chars} characters); the wrong form never occurs\n"
        "# there where the check would report it, is no common word of jieba's dictionary (MIT), does not\n"
        "# split into two common words or a very common character and a word (之|所, 保护|得), is no name\n"
        "# (pycorrector person_name/place_name, Apache-2.0), no word of ECSpell's word lists (MIT) and\n"
        "# holds no other 公文写作 word.\n"
        "# Columns: wrong; right; right_count (occurrences of the right word in gov-text); source of the\n"
        "# confusion: error-pair = wrong written for right in ECSpell's training sentences (law, med;\n"
        "# MIT) or macro-correct's confusion_dict (Apache-2.0); same-reading = the same toneless pinyin\n"
        f"# (pypinyin, MIT) among the {TOP_CHARS} commonest characters of gov-text, for right words written\n"
        f"# {MIN_RIGHT_SOUND}+ times ({MIN_RIGHT_SOUND_2}+ for two characters); ecspell-list = ECSpell's 常见错字错词 list (MIT).\n"
        "wrong\tright\tright_count\tsource\n"
    )


def main() -> int:
    data = shared_data_dir()
    wl = data / "lexicon-sources" / "ecspell-wordlists"
    gov = set()
    for fname in ("公文写作.txt", "vocab_公文写作.txt"):
        for line in open(wl / fname, encoding="utf-8-sig"):
            w = simp(line.split("\t")[0].strip())
            if 2 <= len(w) <= 4 and HAN(w):
                gov.add(w)
    texts = [simp(t) for t in dev_texts()]
    n_chars = sum(map(len, texts))
    reports = [simp(t) for t in report_texts()]
    right_counts = count(gov, texts + reports)
    rights = {w for w in gov if right_counts[w] >= MIN_RIGHT}
    sound, seen = confusion(data)
    # an input method offers frequent characters first: the replacement is one of the TOP_CHARS
    # commonest characters of the corpus
    chars = collections.Counter()
    for t in texts:
        chars.update(t)
    top = {c for c, _ in chars.most_common(TOP_CHARS * 2) if "\u4e00" <= c <= "\u9fff"}
    top = set(sorted(top, key=lambda c: -chars[c])[:TOP_CHARS])
    cands: dict[str, tuple[str, str]] = {}
    for w in sorted(rights):
        for i, ch in enumerate(w):
            # attested pairs first (any character), then same readings among the commonest characters
            floor = MIN_RIGHT_SOUND_2 if len(w) == 2 else MIN_RIGHT_SOUND
            same = sound.get(ch, set()) & top if right_counts[w] >= floor else set()
            for kind, wrongs in (("seen", seen.get(ch, set())), ("sound", same)):
                for x in sorted(wrongs):
                    v = w[:i] + x + w[i + 1:]
                    if v not in gov and v not in cands:
                        cands[v] = (w, kind)
    # hand list of common misspellings (right-wrong)
    hand = {}
    for line in open(wl / "常见错字错词.txt", encoding="utf-8-sig"):
        if "-" in line:
            right, wrong = (simp(x.strip()) for x in line.strip().split("-", 1))
            if HAN(right) and HAN(wrong) and len(right) == len(wrong):
                hand[wrong] = right
    import jieba

    from scanner.checks.wording.misspelling import two_words_meet

    tk = jieba.Tokenizer()
    tk.initialize()
    # an occurrence wording.misspelling would pass over (做风 of 这样做风险较小: 风险 crosses its end)
    # is no evidence against the wrong form
    wrong_counts = count(set(cands) | set(hand), texts + reports,
                         where=lambda t, s, e: not two_words_meet(t, s, e, tk.FREQ))
    names = set()
    pyc = data / "lexicon-sources" / "pycorrector"
    for fname in ("person_name.txt", "place_name.txt"):
        for line in open(pyc / fname, encoding="utf-8"):
            names.add(simp(line.split("\t")[0].strip()))
    other = set()
    for fname in ("成语.txt", "地名.txt", "历史名人.txt", "法律.txt", "财经.txt", "医学.txt", "诗词.txt", "饮食.txt", "IT.txt",
                  "动物.txt", "汽车.txt", "vocab_allNoun.txt"):
        path = wl / fname
        if path.exists():
            for line in open(path, encoding="utf-8-sig", errors="replace"):
                for part in line.replace("\r", "\n").split("\n"):
                    w = simp(part.split("\t")[0].strip())
                    if w:
                        other.add(w)

    def acceptable(v: str, w: str) -> bool:
        if wrong_counts[v] or tk.FREQ.get(v, 0) >= JIEBA_WORD or v in names or v in other:
            return False
        # a piece holding the replaced character that is a government word means the wrong form
        # may be two words meeting (做风 of 做风险 is checked where it is found, by the check)
        i = next(k for k in range(len(v)) if v[k] != w[k])
        if any(v[a:b] in gov for a in range(0, i + 1) for b in range(max(a + 2, i + 1), len(v) + 1) if (a, b) != (0, len(v))):
            return False
        # two very common words that an ordinary sentence puts side by side (看一下|内容); two rarer
        # ones are a misspelling far more often than a phrase (官僚|主意 for 官僚主义)
        if any(min(tk.FREQ.get(v[:k], 0), tk.FREQ.get(v[k:], 0)) >= COMMON_PART for k in range(2, len(v) - 1)):
            return False
        # a character that is a very common word on its own beside the rest (之|所, 中|印, 地|部分,
        # 保护|得): the form is two words meeting far more often than one misspelt
        if len(v) == 2:
            return all(tk.FREQ.get(c, 0) < FUNCTION_CHAR for c in v)
        return not any(tk.FREQ.get(single, 0) >= FUNCTION_CHAR and tk.FREQ.get(rest, 0) >= JIEBA_WORD
                       for single, rest in ((v[0], v[1:]), (v[-1], v[:-1])))

    rows = []
    for v, (w, kind) in cands.items():
        if acceptable(v, w):
            rows.append((v, w, right_counts[w], SOURCE[kind]))
    for v, w in hand.items():
        if v not in cands and acceptable(v, w):
            rows.append((v, w, right_counts[w], SOURCE["hand"]))
    rows.sort()
    out = ROOT / "lexicons" / "misspellings.tsv"
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(header(n_chars + sum(map(len, reports))))
        for r in rows:
            fh.write("\t".join(map(str, r)) + "\n")
    print(f"{len(gov)} government words, {len(rights)} written {MIN_RIGHT}+ times in {n_chars} characters; "
          f"{len(cands)} candidates; {len(rows)} rows -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
