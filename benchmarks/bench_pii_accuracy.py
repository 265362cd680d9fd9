"""PII accuracy: per-entity precision and recall on generated 公示 documents in every
format, the mask-then-audit round trip, and person-name spans on the NER sets.

    python benchmarks/bench_pii_accuracy.py [--docs 60] [--seed 11] [--ner] [--check]

Generated set (``corpora.pii.generate``): each file is audited exactly as ``govscan
privacy audit`` does (extraction, normalization, analyzer, policy); a detection counts
when its entity and value (whitespace removed) match a gold label, masked flag
included.  Names (PERSON) here are names in lists, tables and 任前公示 paragraphs.
Round trip: ``govscan privacy mask`` on each maskable file, then the copy's verdict.

``--ner``: span precision/recall/F1 of PERSON on ../shared/data/ner (CLUENER 2020 dev
``name``, Weibo NER dev ``PER.NAM``, Resume dev ``NAME``) with running-text names on;
these sets are research-only and are read in place, never copied.  A name is an
unmasked PERSON span; masked forms (张某, 李*) are reported as masked, not as names, and
are counted apart (the F1 with them counted as names is printed beside).

``--check`` compares with the floors in ``benchmarks/baseline.json`` (key "pii") and
exits 1 when a measured value falls below its floor.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpora.pii.generate import FORMATS, generate  # noqa: E402
from scanner.privacy.audit import detect, extract_for_audit, read_file  # noqa: E402
from scanner.privacy.policy import Policy  # noqa: E402

ENTITIES = ("CN_RESIDENT_ID", "CN_MOBILE", "CN_BANK_CARD", "CN_LANDLINE", "EMAIL", "CN_PASSPORT", "CN_ADDRESS", "PERSON")


def norm(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


def evaluate_generated(n_docs: int, seed: int, verbose: bool = False) -> dict:
    policy = Policy.load()
    tp, fp, fn = Counter(), Counter(), Counter()
    masked_ok = Counter()
    by_format = defaultdict(lambda: [0, 0, 0])
    errors = []
    roundtrip = defaultdict(lambda: [0, 0])
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        manifest = generate(tmpdir, n_docs, seed)
        for entry in manifest:
            path = tmpdir / entry["path"]
            extracted = extract_for_audit(read_file(str(path)))
            judged, doc = detect(extracted, policy)
            pred = Counter()
            for j in judged:
                d = j.detection
                s, e = doc.norm.span_to_original(d.start, d.end)
                pred[(d.entity, norm(extracted.text[s:e]), d.masked)] += 1
            gold = Counter((e, norm(v), m) for e, v, m in entry["gold"])
            for key in set(pred) | set(gold):
                t = min(pred[key], gold[key])
                tp[key[0]] += t
                fp[key[0]] += pred[key] - t
                fn[key[0]] += gold[key] - t
                by_format[entry["format"]][0] += t
                by_format[entry["format"]][1] += pred[key] - t
                by_format[entry["format"]][2] += gold[key] - t
                if t and key[2]:
                    masked_ok[key[0]] += t
                if verbose and pred[key] != gold[key] and len(errors) < 60:
                    errors.append(f"{entry['path']}: {key[0]} {'FP' if pred[key] > gold[key] else 'FN'} masked={key[2]} {key[1][:3]}…")
        # round trip: mask, then audit the copy
        from scanner.privacy.mask import mask_file

        for entry in manifest:
            if entry["format"] in ("pdf", "ofd"):  # (mask refuses them: audit only)
                continue
            src = tmpdir / entry["path"]
            # a legacy .xls/.doc is copied as XLSX/DOCX (the binary formats cannot be written)
            copy_name = {"xls": "xlsx", "doc": "docx"}.get(entry["format"], entry["format"])
            out = tmpdir / f"masked-{Path(entry['path']).stem}.{copy_name}"
            record, _n = mask_file(str(src), str(out), policy)
            roundtrip[entry["format"]][0] += 1
            roundtrip[entry["format"]][1] += record.verdict == "compliant"
    per_entity = {}
    for ent in ENTITIES:
        p = tp[ent] / (tp[ent] + fp[ent]) if tp[ent] + fp[ent] else 1.0
        r = tp[ent] / (tp[ent] + fn[ent]) if tp[ent] + fn[ent] else 1.0
        per_entity[ent] = {"precision": round(p, 4), "recall": round(r, 4), "tp": tp[ent], "fp": fp[ent], "fn": fn[ent], "masked_tp": masked_ok[ent]}
    fmt = {k: {"precision": round(v[0] / (v[0] + v[1]), 4) if v[0] + v[1] else 1.0, "recall": round(v[0] / (v[0] + v[2]), 4) if v[0] + v[2] else 1.0} for k, v in sorted(by_format.items())}
    rt = {k: {"files": v[0], "compliant": v[1]} for k, v in sorted(roundtrip.items())}
    return {"docs": n_docs, "files": len(manifest), "entities": per_entity, "formats": fmt, "roundtrip": rt, "errors": errors}


# ---------------------------------------------------------------- NER sets

def _bio_sentences(path: Path, tag_of):
    chars, tags = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if chars:
                yield "".join(chars), _spans(tags)
            chars, tags = [], []
            continue
        ch, tag = tag_of(parts)
        chars.append(ch)
        tags.append(tag)
    if chars:
        yield "".join(chars), _spans(tags)


def _spans(tags):
    spans, start = set(), None
    for i, t in enumerate(tags + ["O"]):
        if t in ("B", "S") or t == "O" or (t in ("I", "M", "E") and start is None):
            if start is not None:
                spans.add((start, i))
                start = None
            if t in ("B", "S"):
                start = i
                if t == "S":
                    spans.add((i, i + 1))
                    start = None
        if t == "E" and start is not None:
            spans.add((start, i + 1))
            start = None
    return spans


def ner_sets(data: Path):
    def cluener():
        for line in (data / "cluener2020" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
            obj = json.loads(line)
            spans = {(s, e + 1) for ss in obj.get("label", {}).get("name", {}).values() for s, e in ss}
            yield obj["text"], spans

    def weibo():
        def tag(parts):
            ch, lab = parts[0][0], parts[-1]
            return ch, lab[0] if lab.endswith("PER.NAM") else "O"
        yield from _bio_sentences(data / "weibo" / "weiboNER_2nd_conll.dev", tag)

    def resume():
        def tag(parts):
            ch, lab = parts[0], parts[-1]
            return ch, lab[0] if lab.endswith("NAME") else "O"
        yield from _bio_sentences(data / "resume" / "dev.char.bmes", tag)

    return {"cluener_dev": cluener, "weibo_dev": weibo, "resume_dev": resume}


def evaluate_ner(data: Path) -> dict:
    from scanner.checks.pii.analyzer import PiiAnalyzer
    from scanner.text.normalize import normalize

    analyzer = PiiAnalyzer(text_names=True, entities=["PERSON"])
    out = {}
    for name, reader in ner_sets(data).items():
        tp = fp = fn = 0
        masked_tp = masked_fp = 0
        n = 0
        t0 = time.perf_counter()
        for text, gold in reader():
            n += 1
            norm_text = normalize(text).text
            found = [d for d in analyzer.analyze(norm_text) if d.entity == "PERSON"]
            # names: the unmasked PERSON spans (a masked form such as 张某 is reported as
            # masked, not as a name; counted separately below)
            pred = {(d.start, d.end) for d in found if not d.masked}
            masked = {(d.start, d.end) for d in found if d.masked}
            tp += len(pred & gold)
            fp += len(pred - gold)
            fn += len(gold - pred)
            masked_tp += len(masked & gold)
            masked_fp += len(masked - gold)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        # the same with the masked forms counted as name predictions too
        tp_all, fp_all = tp + masked_tp, fp + masked_fp
        p_all = tp_all / (tp_all + fp_all) if tp_all + fp_all else 0.0
        r_all = tp_all / (tp + fn) if tp + fn else 0.0
        f1_all = 2 * p_all * r_all / (p_all + r_all) if p_all + r_all else 0.0
        out[name] = {
            "sentences": n, "gold": tp + fn, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4),
            "masked_forms": masked_tp + masked_fp, "f1_with_masked_forms": round(f1_all, 4),
            "seconds": round(time.perf_counter() - t0, 1),
        }
    return out


def evaluate_gov(data: Path) -> dict:
    """Detections and policy violations on real government policy documents
    (../shared/data/gov-text/policy-docs, public domain): no labels, so every detection
    is listed (masked) for reading; a precision estimate comes from reading them."""
    from scanner.checks.pii.analyzer import PiiAnalyzer
    from scanner.privacy.mask import mask_value
    from scanner.text.normalize import normalize

    analyzer = PiiAnalyzer()
    policy = Policy.load()
    from scanner.privacy.policy import judge

    detections, violations, samples = Counter(), Counter(), defaultdict(list)
    docs = chars = 0
    for line in (data / "policy-docs" / "policies.jsonl").read_text(encoding="utf-8").splitlines():
        text = normalize(json.loads(line).get("content") or "").text
        docs += 1
        chars += len(text)
        for j in judge(text, analyzer.analyze(text), policy):
            d = j.detection
            detections[d.entity] += 1
            violations[d.entity] += j.violation
            if len(samples[d.entity]) < 30:
                shown = text[d.start:d.end] if d.entity == "PERSON" and not j.violation else mask_value(d.entity, text[d.start:d.end], policy)
                samples[d.entity].append((text[max(0, d.start - 8):d.start] + "[" + shown + "]").replace("\n", "/") + (" VIOLATION" if j.violation else ""))
    return {"docs": docs, "chars": chars, "detections": dict(detections), "violations": dict(violations), "samples": dict(samples)}


def check_floors(result: dict) -> list[str]:
    baseline = json.loads((ROOT / "benchmarks" / "baseline.json").read_text(encoding="utf-8")).get("pii", {})
    failures = []
    for ent, floors in baseline.get("entities", {}).items():
        got = result["generated"]["entities"].get(ent, {})
        for metric, floor in floors.items():
            if got.get(metric, 0) < floor:
                failures.append(f"{ent} {metric} {got.get(metric)} < floor {floor}")
    for name, floors in baseline.get("ner", {}).items():
        got = result.get("ner", {}).get(name)
        if got is None:
            continue
        for metric, floor in floors.items():
            if got.get(metric, 0) < floor:
                failures.append(f"{name} {metric} {got.get(metric)} < floor {floor}")
    for fmt, rt in result["generated"]["roundtrip"].items():
        if rt["compliant"] < rt["files"]:
            failures.append(f"round trip {fmt}: {rt['compliant']}/{rt['files']} compliant")
    return failures


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="PII accuracy benchmark")
    ap.add_argument("--docs", type=int, default=60, help="generated documents (each rendered in every format)")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--ner", action="store_true", help="also measure names on ../shared/data/ner")
    ap.add_argument("--gov", action="store_true", help="also list detections on ../shared/data/gov-text policy documents")
    ap.add_argument("--check", action="store_true", help="fail when below benchmarks/baseline.json floors")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    result = {"generated": evaluate_generated(args.docs, args.seed, args.verbose)}
    if args.ner:
        from scanner.resources import shared_data_dir

        result["ner"] = evaluate_ner(shared_data_dir() / "ner")
    if args.gov:
        from scanner.resources import shared_data_dir

        result["gov"] = evaluate_gov(shared_data_dir() / "gov-text")
    result["seconds"] = round(time.perf_counter() - t0, 1)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        g = result["generated"]
        print(f"generated set: {g['docs']} documents x {len(FORMATS)} formats = {g['files']} files")
        print(f"{'entity':<16}{'precision':>10}{'recall':>8}{'tp':>6}{'fp':>5}{'fn':>5}{'masked tp':>10}")
        for ent, m in g["entities"].items():
            print(f"{ent:<16}{m['precision']:>10.4f}{m['recall']:>8.4f}{m['tp']:>6}{m['fp']:>5}{m['fn']:>5}{m['masked_tp']:>10}")
        print("by format: " + ", ".join(f"{k} P {v['precision']:.4f} R {v['recall']:.4f}" for k, v in g["formats"].items()))
        print("mask-then-audit round trip: " + ", ".join(f"{k} {v['compliant']}/{v['files']}" for k, v in g["roundtrip"].items()))
        for e in g["errors"]:
            print("  ", e)
        if "ner" in result:
            print(f"{'names (span)':<16}{'precision':>10}{'recall':>8}{'F1':>8}{'gold':>6}{'masked forms':>14}{'F1 with them':>14}")
            for name, m in result["ner"].items():
                print(f"{name:<16}{m['precision']:>10.4f}{m['recall']:>8.4f}{m['f1']:>8.4f}{m['gold']:>6}{m['masked_forms']:>14}{m['f1_with_masked_forms']:>14.4f}")
        if "gov" in result:
            gv = result["gov"]
            print(f"policy documents: {gv['docs']} documents, {gv['chars']} characters; detections {gv['detections']}; violations {gv['violations']}")
            if args.verbose:
                for ent, rows in gv["samples"].items():
                    for row in rows:
                        print(f"   {ent}: {row}")
        print(f"({result['seconds']} s)")
    if args.check:
        failures = check_floors(result)
        for f in failures:
            print("BELOW FLOOR:", f, file=sys.stderr)
        return 1 if failures else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
