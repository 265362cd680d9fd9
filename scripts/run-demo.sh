#!/usr/bin/env bash
# The main job (`make run`): generate the demo province, scan it through the real pipeline,
# store the results in SQLite, write the quarterly report in every format, print 附件1 and 附件3.
# The site scan reads the generator's probe log (data/probes.db, a week of hourly probes) and so
# judges 站点无法访问 too (the summary line 站点无法访问（探测记录 …）：判定N个，否决N个 on stderr).
#
#   scripts/run-demo.sh                 # full demo: 562 sites, 3,354 accounts -> out/demo/
#   DEMO_REDUCED=1 scripts/run-demo.sh  # the reduced registry (fast)      -> out/demo-reduced/
#   DEMO_Q3=1 scripts/run-demo.sh       # then 2022Q3 (2022-09-20, past the 7月20日 deadline):
#                                       # all fixed but 龙门县 and 佛山统计; prints rectification
#                                       # status and the 2022Q3-vs-2022Q2 comparison
#
# Environment: BIN (default .venv/bin), DEMO_OUT, WORKERS (default: number of cores).
# The report comes only from the store: afterwards
#   govscan report --store out/demo/govscan.db --quarter 2022Q2 --format json
# prints it again without rescanning.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
if [ -n "${DEMO_REDUCED:-}" ]; then
  OUT=${DEMO_OUT:-out/demo-reduced}
  GEN_ARGS=(--reduced)
else
  OUT=${DEMO_OUT:-out/demo}
  GEN_ARGS=()
fi
WORKERS=${WORKERS:-$(nproc)}
AS_OF=2022-06-20
QUARTER=2022Q2
DB="$OUT/govscan.db"
start=$(date +%s)

# govscan scan exits 1 when it found a 单项否决 problem: expected here, so only >1 is an error
scan() { "$@" || { rc=$?; [ "$rc" -eq 1 ] || exit "$rc"; }; }

"$BIN/python" -m corpora.demo.generate --out "$OUT/data" "${GEN_ARGS[@]}"
scan "$BIN/govscan" scan sites --registry "$OUT/data/registry/sites.csv" --snapshot "$OUT/data/mirror" \
  --as-of "$AS_OF" --probes "$OUT/data/probes.db" --workers "$WORKERS" --store "$DB" --format jsonl > "$OUT/sites.jsonl"
scan "$BIN/govscan" scan accounts --registry "$OUT/data/registry/accounts.csv" --posts "$OUT/data/posts.jsonl" \
  --as-of "$AS_OF" --store "$DB" --format jsonl > "$OUT/accounts.jsonl"
"$BIN/govscan" report --store "$DB" --quarter "$QUARTER" --format all --output "$OUT" 2>/dev/null
"$BIN/govscan" report --store "$DB" --quarter "$QUARTER" --attachment 1 --attachment 3
if [ -n "${DEMO_Q3:-}" ]; then
  Q3_AS_OF=2022-09-20
  "$BIN/python" -m corpora.demo.generate --out "$OUT/q3" "${GEN_ARGS[@]}" --as-of "$Q3_AS_OF" \
    --rectify --keep 4413240044,440600M020XL0001
  scan "$BIN/govscan" scan sites --registry "$OUT/q3/registry/sites.csv" --snapshot "$OUT/q3/mirror" \
    --as-of "$Q3_AS_OF" --probes "$OUT/q3/probes.db" --workers "$WORKERS" --store "$DB" --format jsonl > "$OUT/sites-2022Q3.jsonl"
  scan "$BIN/govscan" scan accounts --registry "$OUT/q3/registry/accounts.csv" --posts "$OUT/q3/posts.jsonl" \
    --as-of "$Q3_AS_OF" --store "$DB" --format jsonl > "$OUT/accounts-2022Q3.jsonl"
  "$BIN/govscan" report --store "$DB" --rectification --quarter "$QUARTER"
  "$BIN/govscan" report --store "$DB" --quarter 2022Q3 --compare "$QUARTER"
fi
echo "demo done in $(( $(date +%s) - start ))s: report files under $OUT/ (report-$QUARTER.{md,json,xlsx,docx}, CSV per attachment)" >&2
