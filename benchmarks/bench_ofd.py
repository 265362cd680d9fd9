"""OFD against PDF: the same documents audited in both formats (parity and speed).

    python benchmarks/bench_ofd.py [--docs 40] [--seed 11] [--json]

Corpus: ``--docs`` generated 公示 documents (``corpora.pii.generate``, 30 % of the values
masked), rendered as PDF (``corpora.pii.pdfwriter``) and as OFD (``corpora.pii.ofdwriter``:
table cells drawn at their columns' positions, no spaces between them).  Reports how many
documents give the same audit items (entity, masked value, violation) in both formats, the
verdicts, and the time per document of extraction and of the whole audit (CPU seconds of
this process, after one warm-up document), pinned to one core where the OS allows it.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=40)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[-1]})

    from corpora.pii.generate import RENDER, Faker, make_doc
    from corpora.pii.ofdwriter import render_ofd
    from scanner.privacy.audit import audit_source, extract_for_audit
    from scanner.privacy.policy import Policy
    from scanner.types import Source

    policy = Policy.load()
    faker = Faker(random.Random(args.seed))
    docs = [make_doc(faker, masked_ratio=0.3) for _ in range(args.docs)]
    audit_source(Source("warm.pdf", RENDER["pdf"](docs[0])), policy)
    audit_source(Source("warm.ofd", render_ofd(docs[0])), policy)
    out: dict = {"docs": args.docs}
    records = {}
    for fmt, render in (("pdf", RENDER["pdf"]), ("ofd", render_ofd)):
        blobs = [render(d) for d in docs]
        t = time.process_time()
        for b in blobs:
            extract_for_audit(Source(f"d.{fmt}", b))
        extract_ms = 1000 * (time.process_time() - t) / len(blobs)
        t = time.process_time()
        records[fmt] = [audit_source(Source(f"d.{fmt}", b), policy) for b in blobs]
        audit_ms = 1000 * (time.process_time() - t) / len(blobs)
        verdicts = {v: sum(r.verdict == v for r in records[fmt]) for v in ("violation", "compliant", "unreadable")}
        out[fmt] = {"bytes": sum(map(len, blobs)), "extract_ms_per_doc": round(extract_ms, 1),
                    "audit_ms_per_doc": round(audit_ms, 1), "verdicts": verdicts,
                    "items": sum(len(r.items) for r in records[fmt])}

    def key(record):
        return sorted((i["entity"], i["value_masked"], i["violation"]) for i in record.items)

    out["same_items"] = sum(key(a) == key(b) for a, b in zip(records["pdf"], records["ofd"]))
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        for fmt in ("pdf", "ofd"):
            r = out[fmt]
            print(f"{fmt}: {args.docs} docs, {r['bytes'] // 1024} KB, extract {r['extract_ms_per_doc']} ms/doc, "
                  f"audit {r['audit_ms_per_doc']} ms/doc, {r['items']} items, verdicts {r['verdicts']}")
        print(f"same audit items in PDF and OFD: {out['same_items']}/{args.docs} documents")
    return 0 if out["same_items"] == args.docs else 1


if __name__ == "__main__":
    sys.exit(main())
