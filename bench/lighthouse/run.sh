#!/usr/bin/env bash
# Lighthouse (mobile profile: simulated slow 4G and a 4x slower CPU) on the three heaviest citizen
# pages, against the production shape (nginx, gzip, production settings). Debian's chromium via
# CHROME_PATH. Prints performance, accessibility and LCP per page as a Markdown table.
#
#   bench/lighthouse/run.sh        # uses the running scripts/prod-shape.sh, or starts and stops one
#
# Lighthouse comes from bench/lighthouse/package.json (its own node_modules, not the root's:
# `npm ci` for the tests installs only axe-core).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/lighthouse"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
[ -x "$CHROME_PATH" ] || { echo "lighthouse: needs chromium at $CHROME_PATH (apt-get install chromium)" >&2; exit 1; }
if [ ! -x "$HERE/node_modules/.bin/lighthouse" ]; then
    (cd "$HERE" && npm ci --no-audit --no-fund --update-notifier=false --loglevel=error)
fi
[ -x "$ROOT/bench/load/.venv/bin/python" ] || {
    python3 -m venv "$ROOT/bench/load/.venv"
    "$ROOT/bench/load/.venv/bin/pip" install -q -r "$ROOT/bench/load/requirements.txt"; }

started=0
if ! "$ROOT/scripts/prod-shape.sh" status >/dev/null 2>&1; then
    "$ROOT/scripts/prod-shape.sh" start >/dev/null
    started=1
fi
trap 'if [ "$started" = 1 ]; then "$ROOT/scripts/prod-shape.sh" stop; fi' EXIT
eval "$("$ROOT/scripts/prod-shape.sh" env)"

out="$(mktemp -d)"
"$ROOT/bench/load/.venv/bin/python" "$HERE/fixtures.py" "$SHAPE_URL" "$SMS_URL" >"$out/fixtures.json"
cookie="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cookie"])' "$out/fixtures.json")"
headers="$(python3 -c 'import json,sys; print(json.dumps({"Cookie": sys.argv[1]}))' "$cookie")"

echo "| page | performance | accessibility | LCP (s) |"
echo "|---|---|---|---|"
python3 -c 'import json,sys; [print(k + "\t" + v) for k, v in json.load(open(sys.argv[1]))["pages"].items()]' \
    "$out/fixtures.json" | while IFS=$'\t' read -r label url; do
    n=$((${n:-0} + 1))
    "$HERE/node_modules/.bin/lighthouse" "$url" --quiet --form-factor=mobile \
        --only-categories=performance,accessibility --extra-headers="$headers" \
        --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
        --output=json --output-path="$out/lh-$n.json" >/dev/null 2>"$out/lh-$n.err" || {
        echo "| $label | failed: $(tail -1 "$out/lh-$n.err") | | |"; continue; }
    python3 - "$out/lh-$n.json" "$label" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c, a = r["categories"], r["audits"]
print(f"| {sys.argv[2]} | {round(c['performance']['score'] * 100)} | "
      f"{round(c['accessibility']['score'] * 100)} | "
      f"{a['largest-contentful-paint']['numericValue'] / 1000:.1f} |")
PY
done
rm -rf "$out"
