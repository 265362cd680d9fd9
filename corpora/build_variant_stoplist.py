"""Build ``lexicons/variant_stoplist.tsv``: variants that must not be reported without context.

A leader-name or formulation variant is stop-listed when it
  * occurs in clean legal and policy text (../shared/data/gov-text/laws and policy-docs: the
    development corpus; the work reports and the 学习强国 sentences are kept out, for measuring);
  * is a word of jieba's dictionary (能力强 contains 力强; 学习平台 contains 习平);
  * is a known person's name (pycorrector person_name.txt, Apache-2.0): 李蔷 is someone else.
Stop-listed leader-name variants are still reported with leader context (国务院总理李蔷);
stop-listed formulation near-matches are not reported.

Usage: python corpora/build_variant_stoplist.py
"""
from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scanner.checks.wording import lexicon as lx  # noqa: E402
from scanner.checks.wording.formulation import near_matches  # noqa: E402
from scanner.resources import read_tsv, shared_data_dir  # noqa: E402
from scanner.text.normalize import normalize  # noqa: E402


def dev_texts():
    base = shared_data_dir() / "gov-text"
    for path in sorted((base / "laws").rglob("*.md")):
        yield path.read_text(encoding="utf-8", errors="replace")
    for line in open(base / "policy-docs" / "policies.jsonl", encoding="utf-8"):
        r = json.loads(line)
        yield " ".join(str(v) for v in r.values() if isinstance(v, str))


def main() -> int:
    read_tsv.cache_clear()
    lexicon = lx.get_lexicon("guangdong")
    reasons: dict[str, tuple[str, str]] = {}
    counts: collections.Counter[str] = collections.Counter()
    canon_of: dict[str, str] = {}
    n_chars = 0
    for raw in dev_texts():
        norm = normalize(raw).text
        view = lx.CompactView.of(norm)
        scan = lx.Scan(view, lexicon.scan(view.text), lexicon)
        n_chars += len(norm)
        names = [(s, e) for s, e, p in scan.hits if p[0] == lx.NAME]
        for s, e, p in scan.hits:
            if p[0] == lx.NAMEVAR and not any(s < ne and ns < e for ns, ne in names):
                counts[view.text[s:e]] += 1
                canon_of[view.text[s:e]] = p[1]
        for a, b, term, _edit in near_matches(scan, None, use_stoplist=False):
            counts[view.text[a:b]] += 1
            canon_of[view.text[a:b]] = term
    for v, c in counts.items():
        reasons[v] = (canon_of[v], f"clean laws/policies x{c}")
    import jieba
    from pypinyin import lazy_pinyin  # noqa: F401  (ensures the env matches the checks)

    tk = jieba.Tokenizer()
    tk.initialize()
    person = {l.split("\t")[0].strip() for l in open(shared_data_dir() / "lexicon-sources" / "pycorrector" / "person_name.txt", encoding="utf-8")}
    for key in lexicon.automaton.keys():
        _length, payloads = lexicon.automaton.get(key)
        for p in payloads:
            if p[0] not in (lx.NAMEVAR, lx.TERMVAR) or key in reasons:
                continue
            if tk.FREQ.get(key):
                reasons[key] = (p[1], "jieba dictionary word")
            elif p[0] == lx.NAMEVAR and key in person:
                reasons[key] = (p[1], "pycorrector person name")
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
