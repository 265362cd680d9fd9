#!/usr/bin/env bash
# CI set-up for the web page's browser test (issue 8): Debian's chromium, driven by
# Playwright's Python package (the `test` extra) with executable_path=/usr/bin/chromium.
# Never `playwright install`: it downloads browser builds, which CI cannot fetch.
# Idempotent; for Debian, as root.  Also installs a small CJK font so that screenshots
# (scripts/web_screenshot.py) show Chinese instead of empty boxes.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends "${need[@]}"
fi
/usr/bin/chromium --version

# the Python driver, into the project's virtualenv when there is one
PY=${PYTHON:-}
if [ -z "$PY" ]; then
    if [ -x .venv/bin/python ]; then PY=.venv/bin/python; else PY=python3; fi
fi
"$PY" -c "import playwright" 2>/dev/null || "$PY" -m pip install -q "playwright>=1.40"
