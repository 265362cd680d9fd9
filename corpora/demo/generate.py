"""Generate the demo province: registry CSVs, a website mirror and account posts.

Usage::

    python -m corpora.demo.generate --out out/demo/data [--seed 20220620] [--reduced]
    python -m corpora.demo.generate --out out/demo-q3/data --as-of 2022-09-20 --rectify --keep 4413240044

Writes ``registry/sites.csv``, ``registry/accounts.csv``, ``mirror/<host>/...`` (wget's
layout), ``posts.jsonl``, ``probes.db`` (a week of hourly availability probes before the time
point, in the probe log's schema of ``govscan monitor probe``: ``corpora/demo/probes.py``) and
``manifest.json`` (counts and seed only) under ``--out``.
The same seed gives byte-identical output.  ``--reduced`` keeps every unit the notice
names, the deduction-level and near-miss cases, and a few healthy units per region.

A later quarter of the same province: ``--as-of`` moves every date with the time point, and
``--rectify`` makes the planted 单项否决 problems go away (the registry stays the same), except
on the units whose codes ``--keep`` lists; scanning that snapshot after the rectification
deadline shows the rectification status and the quarter-over-quarter comparison.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import time
from pathlib import Path

from corpora.demo.posts import write_posts
from corpora.demo.probes import write_probes
from corpora.demo.registry import build_registry, reduce_registry
from corpora.demo.sites import AS_OF, write_site

DEFAULT_SEED = 20220620


VETO_PROFILES = {"stale_columns", "blank_columns", "no_channel", "wording_error", "silent", "pii_leak"}


def generate(out: Path, seed: int = DEFAULT_SEED, reduced: bool = False, as_of: dt.date = AS_OF,
             rectify: bool = False, keep: frozenset[str] = frozenset()) -> dict:
    registry = build_registry(seed)
    if reduced:
        registry = reduce_registry(registry)
    rectified = []
    if rectify:
        for unit in [*registry.sites, *registry.accounts]:
            if unit.profile in VETO_PROFILES and unit.code not in keep:
                unit.profile = "healthy"
                rectified.append(unit.code)
    if out.exists():
        for name in ("registry", "mirror", "posts.jsonl", "probes.db", "manifest.json"):
            target = out / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    out.mkdir(parents=True, exist_ok=True)
    sites_csv, accounts_csv = registry.write(out / "registry")
    mirror = out / "mirror"
    pages = sum(write_site(site, seed, mirror, as_of) for site in registry.sites)
    posts = write_posts(registry.accounts, seed, out / "posts.jsonl", as_of)
    probes = write_probes(registry.sites, seed, out / "probes.db", as_of)
    since = dt.date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
    manifest = {
        "seed": seed, "reduced": reduced, "as_of": as_of.isoformat(), "since": since.isoformat(),
        "rectified": len(rectified),
        "regions": registry.regions, "sites": len(registry.sites), "accounts": len(registry.accounts),
        "pages": pages, "posts": posts, "probes": probes,
        "registry": {"sites": str(sites_csv.relative_to(out)), "accounts": str(accounts_csv.relative_to(out))},
        "mirror": "mirror", "posts_file": "posts.jsonl", "probe_log": "probes.db",
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpora.demo.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("out/demo/data"), help="output directory")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)")
    parser.add_argument("--reduced", action="store_true", help="small registry subset for fast tests")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=AS_OF,
                        help="time point the snapshot is taken at (default %(default)s)")
    parser.add_argument("--rectify", action="store_true", help="the planted 单项否决 problems are fixed")
    parser.add_argument("--keep", default="", help="with --rectify: comma-separated codes left unfixed")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    keep = frozenset(c.strip() for c in args.keep.split(",") if c.strip())
    m = generate(args.out, args.seed, args.reduced, args.as_of, args.rectify, keep)
    print(f"demo province written to {args.out}: {m['sites']} sites ({m['pages']} pages), "
          f"{m['accounts']} accounts ({m['posts']} posts), {m['probes']} probes, {time.perf_counter() - start:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
