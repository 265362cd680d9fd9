"""Training and evaluation data (development only: reads ``../shared/data``).

* Clean government text (work reports, congress reports, policy documents, laws) cut into
  sentences of at most ``max_len`` characters.  Sentences that contain an evaluation sentence
  (acc_xxqg, ECSpell and SIGHAN test) are dropped, so nothing measured is trained on.
* Corruption (stage 1, ELECTRA-style replaced-character detection): characters are replaced
  by characters of the same or similar pinyin (pycorrector same_pinyin, ECSpell
  soundConfusion) or similar shape (pycorrector same_stroke, ECSpell shapeConfusion), and
  whole words by their homophone or confusable words (macro-correct confusion_dict, csc-hard
  homophone groups).  The label of a character is 1 when it was replaced.
* Real-error pairs (stage 2): ECSpell law/med/odw train, SIGHAN 2013-2015 train, csc-hard,
  macro-correct gen_xxqg.  Only pairs of equal length are used (substitution errors).
"""
from __future__ import annotations

import collections
import dataclasses
import functools
import hashlib
import json
import random
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..resources import shared_data_dir
from ..text.normalize import normalize
from . import distill
from .windows import split_sentences, windows

MIN_SENTENCE = 6


def norm(text: str) -> str:
    return normalize(text).text


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def data_path(*parts: str) -> Path:
    path = shared_data_dir().joinpath(*parts)
    if not path.exists():
        from ..errors import ResourceMissingError

        raise ResourceMissingError(f"training data {path} not found: set GOVSCAN_SHARED_DATA to the shared data folder")
    return path


# ---------------------------------------------------------------- pairs (real errors)
@dataclasses.dataclass(frozen=True, slots=True)
class Pair:
    source: str  # the text as written (may contain errors)
    target: str  # the corrected text, same length

    @property
    def wrong(self) -> tuple[int, ...]:
        return tuple(i for i, (a, b) in enumerate(zip(self.source, self.target)) if a != b)


def _pair(src: str, tgt: str) -> Pair | None:
    src, tgt = norm(src.strip()), norm(tgt.strip())
    if not src or len(src) != len(tgt):
        return None
    return Pair(src, tgt)


def read_tsv_pairs(path: Path) -> list[Pair]:
    """ECSpell / SIGHAN TSV: n_errors<TAB>source<TAB>target."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) >= 3:
            p = _pair(cells[1], cells[2])
            if p:
                out.append(p)
    return out


def read_json_pairs(path: Path) -> list[Pair]:
    """macro-correct JSON: [{original_text, correct_text, wrong_ids}]."""
    out = []
    for row in json.loads(path.read_text(encoding="utf-8")):
        p = _pair(row["original_text"], row["correct_text"])
        if p:
            out.append(p)
    return out


def read_jsonl_pairs(path: Path) -> list[Pair]:
    """csc-hard JSONL: {source, target, label}."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            p = _pair(row["source"], row["target"])
            if p:
                out.append(p)
    return out


EVAL_SETS = {
    "ecspell-law": ("csc", "ecspell", "law.test.tsv"),
    "ecspell-med": ("csc", "ecspell", "med.test.tsv"),
    "sighan13": ("csc", "sighan", "test2013.tsv"),
    "sighan14": ("csc", "sighan", "test2014.tsv"),
}
FALSE_ALARM_SET = ("csc", "macro-correct", "acc_xxqg.tet.json")


def eval_pairs(name: str) -> list[Pair]:
    if name == "acc_xxqg":
        return read_json_pairs(data_path(*FALSE_ALARM_SET))
    return read_tsv_pairs(data_path(*EVAL_SETS[name]))


def finetune_pairs() -> dict[str, list[Pair]]:
    """Stage-2 training sets (real errors)."""
    sets = {
        "ecspell-law": read_tsv_pairs(data_path("csc", "ecspell", "law.train.tsv")),
        "ecspell-med": read_tsv_pairs(data_path("csc", "ecspell", "med.train.tsv")),
        "ecspell-odw": read_tsv_pairs(data_path("csc", "ecspell", "odw.train.tsv")),
        "sighan-train": [p for y in (2013, 2014, 2015) for p in read_tsv_pairs(data_path("csc", "sighan", f"train{y}.tsv"))],
        "csc-hard": read_jsonl_pairs(data_path("csc", "csc-hard", "people_daily_jieba.jsonl"))
        + read_jsonl_pairs(data_path("csc", "csc-hard", "people_daily_ltp.jsonl")),
        "gen_xxqg": read_json_pairs(data_path("csc", "macro-correct", "gen_xxqg.tet.json")),
    }
    return sets


# ---------------------------------------------------------------- clean government text
def _gov_documents() -> Iterator[str]:
    root = data_path("gov-text")
    for name in ("work-reports/government_work_reports.jsonl", "work-reports/cpc_congress_reports.jsonl",
                 "policy-docs/policies.jsonl"):
        with open(root / name, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line).get("content") or ""
    for path in sorted((root / "laws").rglob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        yield text.split("<!-- INFO END -->", 1)[-1]


def _held_out_sentences() -> list[str]:
    """Sentences that are measured: never trained on."""
    out = [p.target for p in eval_pairs("acc_xxqg")]
    for name in EVAL_SETS:
        out.extend(p.target for p in eval_pairs(name))
    return out


def gov_sentences(max_len: int = 64, limit: int | None = None) -> list[str]:
    """Clean government sentences (windows of at most ``max_len`` characters), deduplicated,
    without any sentence that contains (or is contained in) an evaluation sentence."""
    import ahocorasick

    guard = ahocorasick.Automaton()
    for s in _held_out_sentences():
        core = s.strip().rstrip("。！？；，,.!?;")
        if len(core) >= 8:
            guard.add_word(core[:24], True)  # any 24-character stretch of a measured sentence head
    guard.make_automaton()
    seen: set[str] = set()
    out: list[str] = []
    for doc in _gov_documents():
        text = norm(doc)
        for start, end in split_sentences(text):
            sent = text[start:end].strip().lstrip("#*-> ").strip()
            if len(sent) < MIN_SENTENCE or sum(map(_is_cjk, sent)) < len(sent) * 0.5:
                continue
            if next(guard.iter(sent), None) is not None:
                continue
            for ws, we in windows(0, len(sent), max_len, max_len // 4):
                piece = sent[ws:we]
                if piece not in seen:
                    seen.add(piece)
                    out.append(piece)
        if limit and len(out) >= limit:
            break
    return out


def is_dev(sentence: str, percent: int = 1) -> bool:
    """A stable ``percent``% split of sentences kept for choosing the threshold."""
    return int(hashlib.md5(sentence.encode("utf-8")).hexdigest()[:8], 16) % 100 < percent


# ---------------------------------------------------------------- confusion sets
def _pycorrector(name: str) -> Path:
    return data_path("lexicon-sources", "pycorrector", name)


@functools.lru_cache(maxsize=1)
def confusion_sets() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(sound, shape): character -> confusable simplified CJK characters.  Permissive
    sources only (pycorrector Apache-2.0, ECSpell MIT), so they may ship with the model."""
    sound: dict[str, set[str]] = collections.defaultdict(set)
    shape: dict[str, set[str]] = collections.defaultdict(set)
    for line in _pycorrector("same_pinyin.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cells = line.split("\t")
        for cell in cells[1:]:
            sound[cells[0]].update(cell.strip())
    for line in _pycorrector("same_stroke.txt").read_text(encoding="utf-8").splitlines():
        group = [c for c in line.split("\t") if len(c.strip()) == 1]
        for a in group:
            shape[a].update(b for b in group if b != a)
    for fname, dest in (("soundConfusion.json", sound), ("shapeConfusion.json", shape)):
        d = json.loads(data_path("confusion", "ecspell", fname).read_text(encoding="utf-8"))
        for k, vs in d.items():
            if len(k) == 1:
                dest[k].update(v for v in vs if len(v) == 1)

    def clean(d):
        return {k: tuple(sorted(c for c in v if _is_cjk(c) and c != k)) for k, v in d.items() if _is_cjk(k) and v}

    return clean(sound), clean(shape)


@functools.lru_cache(maxsize=1)
def word_confusions() -> dict[str, tuple[str, ...]]:
    """correct word -> confusable words of the same length (macro-correct confusion_dict
    reversed; csc-hard homophone groups)."""
    out: dict[str, set[str]] = collections.defaultdict(set)
    d = json.loads(data_path("confusion", "macro-correct", "confusion_dict.json").read_text(encoding="utf-8"))
    for wrong, right in d.items():
        wrong, right = norm(wrong), norm(right)
        if len(wrong) == len(right) and wrong != right and len(right) >= 2:
            out[right].add(wrong)
    for line in data_path("csc", "csc-hard", "jieba_homophones.txt").read_text(encoding="utf-8").splitlines():
        words = line.split()
        if len(words) >= 2:
            head = words[0]
            out[head].update(w for w in words[1:] if len(w) == len(head) and w != head)
    return {k: tuple(sorted(v)) for k, v in out.items()}


# ---------------------------------------------------------------- corruption
def corruption_tables(vocab_chars: set[str], char_freq: dict[str, int]):
    """(sound, shape, words) for ``distill.Corruptor``: character -> (confusable characters in
    the vocabulary, weights = square root of their corpus frequency), and correct word ->
    confusable words written in the vocabulary."""

    def keep(d):
        out = {}
        for k, vs in d.items():
            vs = [v for v in vs if v in vocab_chars]
            if vs:
                out[k] = (vs, [max(char_freq.get(v, 0), 1) ** 0.5 for v in vs])
        return out

    sound, shape = confusion_sets()
    words = {w: [v for v in vs if all(c in vocab_chars for c in v)] for w, vs in word_confusions().items()}
    return keep(sound), keep(shape), {w: vs for w, vs in words.items() if vs}


class Corruptor(distill.Corruptor):
    """Replaces characters of clean text with confusable ones; returns (text, labels).  The
    rules live in ``distill.Corruptor`` (shared with the GPU trainer, which runs without this
    module); this builds its tables from the shared data."""

    def __init__(self, vocab_chars: set[str], char_freq: dict[str, int], seed: int = 0):
        super().__init__(*corruption_tables(vocab_chars, char_freq), random.Random(seed))


def char_frequencies(sentences: Iterable[str]) -> collections.Counter:
    freq: collections.Counter = collections.Counter()
    for s in sentences:
        freq.update(s)
    return freq
