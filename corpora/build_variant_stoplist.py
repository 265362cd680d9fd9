"""Build ``lexicons/variant_stoplist.tsv``: variants that must not be reported without context.

A leader-name or formulation variant is stop-listed when it
  * occurs in clean legal and policy text (../shared/data/gov-text/laws and policy-docs: the
    development corpus; the work reports and the 学习强国 sentences are kept out, for measuring);
  * is a word of jieba's dictionary (能力强 contains 力强; 学习平台 contains 习平);
  * is a known person's name, or (2 characters) the start of one (pycorrector person_name.txt,
    Apache-2.0): 李蔷 is someone else, 王洪 (王小洪 less a character) starts 王洪文.
Stop-listed leader-name variants are still reported with leader context (国务院总理李蔷);
stop-listed formulation near-matches are not reported.

Usage: python corpora/build_variant_stoplist.py
"""
from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scanner.checks.wording import lexicon as lx  # noqa: E402
from scanner.checks.wording.formulation import near_matches  # noqa: E402
from scanner.resources import read_tsv, shared_data_dir  # noqa: E402
from scanner.text.normalize import normalize  # noqa: E402


# Coinages of the same pattern that local documents make freely (六位一体 工作格局), not
# miscounts of the formulation.
GENERIC = {"六位一体": ("五位一体", "generic N位一体 coinage (六位一体工作格局)")}
# Variants that ordinary phrases spell across a word boundary, from the hand-added shapes of
# build_confusion.py (not in the corpus yet): 学习近乎停滞 is 学习 + 近乎, not 习近平 misspelt.
PHRASES = {"习近乎": ("习近平", "phrase across words (学习近乎停滞)")}


COUNTED_PHRASE = re.compile(r"[一二两三四五六七八九十]个[\u4e00-\u9fff]{2}")


def dev_texts():
    base = shared_data_dir() / "gov-text"
    for path in sorted((base / "laws").rglob("*.md")):
        yield path.read_text(encoding="utf-8", errors="replace")
    for line in open(base / "policy-docs" / "policies.jsonl", encoding="utf-8"):
        r = json.loads(line)
        yield " ".join(str(v) for v in r.values() if isinstance(v, str))


def variant_names(names) -> dict[str, str]:
    """Every leader-name variant (normalized) -> the name it is a variant of.  A variant one edit
    from two names (刘奇: 刘淇 and 刘少奇, 李利强: 李克强 and 李强) goes to the name of its own length
    (a substitution or swap before a dropped or added character), then the first in code-point
    order: never the set's iteration order, which changes with PYTHONHASHSEED from run to run."""
    from scanner.checks.wording.variants import edit_variants

    names = set(names)
    owners: dict[str, set[str]] = {}
    for name in sorted(names):
        for variant, _edit in edit_variants(name):
            if name not in variant and variant not in names:
                owners.setdefault(normalize(variant).text, set()).add(name)
    return {key: min(owned, key=lambda n: (abs(len(n) - len(key)), n)) for key, owned in owners.items()}


def counted_near(phrase: str, counted) -> str | None:
    """The counted formulation one key character from ``phrase`` (四个方面 -> 四个全面), the first in
    code-point order when two are (not the set's order); None when none is."""
    near = sorted(t for t in counted if t != phrase and t[0] == phrase[0] and (t[2] == phrase[2]) != (t[3] == phrase[3]))
    return near[0] if near else None


def main() -> int:
    import ahocorasick

    read_tsv.cache_clear()
    lexicon = lx.get_lexicon("guangdong")
    # every leader-name variant, whether the lexicon keeps it in its automaton or not
    all_names = ahocorasick.Automaton()
    names = set(lexicon.leaders.offices)
    name_keys = variant_names(names)
    for key, name in name_keys.items():
        all_names.add_word(key, (key, name))
    all_names.make_automaton()
    norm_names = {normalize(n).text for n in names}
    reasons: dict[str, tuple[str, str]] = {}
    counts: collections.Counter[str] = collections.Counter()
    canon_of: dict[str, str] = {}
    n_chars = 0
    counted = {f.term for f in lexicon.formulations if f.kind == "enumeration" and len(f.term) == 4 and f.term[1] == "个"}
    for raw in dev_texts():
        norm = normalize(raw).text
        view = lx.CompactView.of(norm)
        scan = lx.Scan(view, lexicon.scan(view.text), lexicon)
        n_chars += len(norm)
        exact = [(s, e) for s, e, p in scan.hits if p[0] == lx.NAME]
        for end, (key, name) in all_names.iter(view.text):
            s, e = end - len(key) + 1, end + 1
            if key in norm_names or any(s < ne and ns < e for ns, ne in exact):
                continue
            counts[key] += 1
            canon_of[key] = name
        for a, b, term, _edit in near_matches(scan, None, use_stoplist=False):
            counts[view.text[a:b]] += 1
            canon_of[view.text[a:b]] = term
        # counted phrases one key character from a counted formulation (四个方面 ~ 四个全面, 两个确保 ~
        # 两个确立): wording.formulation's series_slips leaves them alone
        for m in COUNTED_PHRASE.finditer(view.text):
            phrase = m.group(0)
            near = counted_near(phrase, counted)
            if near:
                counts[phrase] += 1
                canon_of[phrase] = near
    for v, c in counts.items():
        reasons[v] = (canon_of[v], f"clean laws/policies x{c}")
    for v, (canon, why) in {**GENERIC, **PHRASES}.items():
        reasons.setdefault(v, (canon, why))
    import jieba
    from pypinyin import lazy_pinyin  # noqa: F401  (ensures the env matches the checks)

    tk = jieba.Tokenizer()
    tk.initialize()
    person = {l.split("\t")[0].strip() for l in open(shared_data_dir() / "lexicon-sources" / "pycorrector" / "person_name.txt", encoding="utf-8")}
    person_prefixes = {p[:2] for p in person if len(p) >= 3}
    for key, name in name_keys.items():
        if key in reasons:
            continue
        if tk.FREQ.get(key):
            reasons[key] = (name, "jieba dictionary word")
        elif key in person:
            reasons[key] = (name, "pycorrector person name")
        elif len(key) == 2 and key in person_prefixes:
            reasons[key] = (name, "start of a pycorrector person name (王洪 of 王洪文)")
    for raw_key, (_length, _nbytes, payloads) in lexicon.automaton.items():
        key = raw_key.encode("latin-1").decode("utf-8")  # the automaton runs over UTF-8 bytes
        for p in payloads:
            if p[0] == lx.TERMVAR and key not in reasons and tk.FREQ.get(key):
                reasons[key] = (p[1], "jieba dictionary word")
    out = ROOT / "lexicons" / "variant_stoplist.tsv"
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(
            "# variant_stoplist.tsv: leader-name and formulation variants that are reported only with leader\n"
            "# context (names) or not at all (formulations), because they occur in ordinary text.\n"
            "# Built by corpora/build_variant_stoplist.py. Sources: the laws and policy documents of\n"
            "# ../shared/data/gov-text (public domain), jieba's dictionary (MIT), pycorrector person_name.txt\n"
            "# (Apache-2.0). Columns: variant, canonical (the term it is a variant of), reason.\n"
            "variant\tcanonical\treason\n"
        )
        for v in sorted(reasons):
            fh.write(f"{v}\t{reasons[v][0]}\t{reasons[v][1]}\n")
    print(f"scanned {n_chars} chars; {len(counts)} variants in clean text; {len(reasons)} stop-listed -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
