"""Legacy Office readers against an independent writer: LibreOffice converts generated 公示
documents (corpora/pii/generate.py, DOCX and XLSX) to Word 97 .doc and Excel 97 .xls; the
audit of each legacy copy must equal the audit of its source: the same extracted text, and
the same items (entity, masked value, verdict, location).

    .venv/bin/python benchmarks/check_legacy_office.py [--docs 8] [--seed 100]

Needs ``soffice`` (LibreOffice Writer and Calc, e.g. apt's libreoffice-writer-nogui and
libreoffice-calc-nogui) on PATH; without it, says so and exits 2 (nothing is checked, nothing
passes).  Prints a Markdown table; exits 1 when any file differs.  Not part of the tests:
LibreOffice is no dependency of govscan.
"""
from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = ("subsidy", "hire", "contact", "renqian")
FILTERS = {"docx": ("doc", "doc:MS Word 97"), "xlsx": ("xls", "xls:MS Excel 97")}


def _items(record) -> list:
    return sorted((i["entity"], i["value_masked"], i["violation"], str(i["location"])) for i in record.items)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=8, help="generated documents per format")
    parser.add_argument("--seed", type=int, default=100)
    args = parser.parse_args()
    soffice = shutil.which("soffice")
    if soffice is None:
        print("check_legacy_office: soffice (LibreOffice) not found on PATH: nothing checked", file=sys.stderr)
        return 2

    from corpora.pii.generate import RENDER, Faker, make_doc
    from scanner.privacy.audit import audit_source, extract_for_audit
    from scanner.privacy.policy import Policy
    from scanner.types import Source

    policy = Policy.load()
    rows, bad = [], 0
    with tempfile.TemporaryDirectory(prefix="govscan-legacy-") as tmp:
        work = Path(tmp)
        for fmt, (legacy, filt) in FILTERS.items():
            sources = []
            for i in range(args.docs):
                doc = make_doc(Faker(random.Random(args.seed + i)), KINDS[i % len(KINDS)], masked_ratio=0.3)
                path = work / f"{fmt}{i}_{KINDS[i % len(KINDS)]}.{fmt}"
                path.write_bytes(RENDER[fmt](doc))
                sources.append(path)
            subprocess.run([soffice, "--headless", "--convert-to", filt, "--outdir", str(work), *map(str, sources)],
                           check=True, capture_output=True, timeout=600)
            for path in sources:
                copy = path.with_suffix(f".{legacy}")
                if not copy.exists():
                    rows.append((copy.name, "-", "-", "not written by LibreOffice", 0.0))
                    bad += 1
                    continue
                a, b = Source(path.name, path.read_bytes()), Source(copy.name, copy.read_bytes())
                started = time.perf_counter()
                text_b = extract_for_audit(b).text
                read_ms = 1000 * (time.perf_counter() - started)
                same_text = extract_for_audit(a).text == text_b
                items_a, items_b = _items(audit_source(a, policy)), _items(audit_source(b, policy))
                ok = same_text and items_a == items_b
                bad += not ok
                rows.append((copy.name, "yes" if same_text else "NO", f"{len(items_b)}/{len(items_a)}",
                             "equal" if ok else "DIFFERS", read_ms))
    print("| file | same text | items (legacy/source) | audit | read ms |")
    print("|---|---|---|---|---|")
    for name, text, items, verdict, ms in rows:
        print(f"| {name} | {text} | {items} | {verdict} | {ms:.0f} |")
    print(f"\n{len(rows) - bad}/{len(rows)} legacy copies audit exactly as their sources")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
