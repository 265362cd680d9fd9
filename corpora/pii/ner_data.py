"""The NER training sets for person names, read in place from ../shared/data/ner.

CLUENER 2020 (label ``name``), Weibo NER v2 (``PER.NAM``) and Resume NER (``NAME``) are
research-only data sets: they are read where they lie and never copied into the project.
Each sentence comes as (text, tags) with one tag per character: ``B``/``I`` for a
personal name, ``O`` otherwise.

Model choices are made on a held-out part of the *train* splits (``held_out``: a fixed
10% hash split of each sentence's text), never on the dev splits, which are kept for the
final measurement (``benchmarks/bench_pii_accuracy.py --ner``); test splits are not used.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

SETS = ("cluener", "weibo", "resume")


def held_out(text: str) -> bool:
    """The fixed 10% of training sentences kept for model choices (md5 of the text)."""
    return hashlib.md5(text.encode("utf-8")).digest()[0] % 10 == 0


def fit_slice(text: str) -> int:
    """Which tenth (0-9) of the fit part a sentence is in (a second md5 byte): a CRF
    trained with ``train_names_crf --part fit --leave-out-slice K`` has not seen slice K,
    so three such CRFs give a second, cross-fitted held-out set (``eval_names_heldout
    --cross-fit``)."""
    return hashlib.md5(text.encode("utf-8")).digest()[1] % 10


def _bio(n: int, spans) -> list[str]:
    tags = ["O"] * n
    for s, e in spans:
        tags[s] = "B"
        for k in range(s + 1, e):
            tags[k] = "I"
    return tags


def cluener(data: Path, split: str = "train") -> Iterator[tuple[str, list[str]]]:
    for line in (data / "cluener2020" / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        spans = [(s, e + 1) for ss in obj.get("label", {}).get("name", {}).values() for s, e in ss]
        yield obj["text"], _bio(len(obj["text"]), spans)


def _conll(path: Path, suffix: str, first_char: bool) -> Iterator[tuple[str, list[str]]]:
    chars: list[str] = []
    tags: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        parts = raw.split()
        if not parts:
            if chars:
                yield "".join(chars), tags
            chars, tags = [], []
            continue
        lab = parts[-1]
        chars.append(parts[0][0] if first_char else parts[0])
        tags.append(("B" if lab[0] in "BS" else "I") if lab.endswith(suffix) else "O")


def weibo(data: Path, split: str = "train") -> Iterator[tuple[str, list[str]]]:
    return _conll(data / "weibo" / f"weiboNER_2nd_conll.{split}", "PER.NAM", True)


def resume(data: Path, split: str = "train") -> Iterator[tuple[str, list[str]]]:
    return _conll(data / "resume" / f"{split}.char.bmes", "NAME", False)


READERS = {"cluener": cluener, "weibo": weibo, "resume": resume}


def sentences(data: Path, name: str, part: str = "all") -> list[tuple[str, list[str]]]:
    """The train split of set ``name``: ``part`` "all", "fit" (without the held-out 10%),
    "held_out" (only it) or "slice-K" (the fit sentences of ``fit_slice`` K)."""
    out = []
    for text, tags in READERS[name](data, "train"):
        if part.startswith("slice-"):
            if not held_out(text) and fit_slice(text) == int(part[6:]):
                out.append((text, tags))
        elif part == "all" or (part == "held_out") == held_out(text):
            out.append((text, tags))
    return out
