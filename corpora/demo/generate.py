"""Generate the demo province: registry CSVs, a website mirror and account posts.

Usage::

    python -m corpora.demo.generate --out out/demo/data [--seed 20220620] [--reduced]

Writes ``registry/sites.csv``, ``registry/accounts.csv``, ``mirror/<host>/...`` (wget's
layout), ``posts.jsonl`` and ``manifest.json`` (counts and seed only) under ``--out``.
The same seed gives byte-identical output.  ``--reduced`` keeps every unit the notice
names, the deduction-level and near-miss cases, and a few healthy units per region.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from corpora.demo.posts import write_posts
from corpora.demo.registry import build_registry, reduce_registry
from corpora.demo.sites import AS_OF, write_site

DEFAULT_SEED = 20220620


def generate(out: Path, seed: int = DEFAULT_SEED, reduced: bool = False) -> dict:
    registry = build_registry(seed)
    if reduced:
        registry = reduce_registry(registry)
    if out.exists():
        for name in ("registry", "mirror", "posts.jsonl", "manifest.json"):
            target = out / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    out.mkdir(parents=True, exist_ok=True)
    sites_csv, accounts_csv = registry.write(out / "registry")
    mirror = out / "mirror"
    pages = sum(write_site(site, seed, mirror) for site in registry.sites)
    posts = write_posts(registry.accounts, seed, out / "posts.jsonl")
    manifest = {
        "seed": seed, "reduced": reduced, "as_of": AS_OF.isoformat(), "since": "2022-04-01",
        "regions": registry.regions, "sites": len(registry.sites), "accounts": len(registry.accounts),
        "pages": pages, "posts": posts,
        "registry": {"sites": str(sites_csv.relative_to(out)), "accounts": str(accounts_csv.relative_to(out))},
        "mirror": "mirror", "posts_file": "posts.jsonl",
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpora.demo.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("out/demo/data"), help="output directory")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)")
    parser.add_argument("--reduced", action="store_true", help="small registry subset for fast tests")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    m = generate(args.out, args.seed, args.reduced)
    print(f"demo province written to {args.out}: {m['sites']} sites ({m['pages']} pages), "
          f"{m['accounts']} accounts ({m['posts']} posts), {time.perf_counter() - start:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
