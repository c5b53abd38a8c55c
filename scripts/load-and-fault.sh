#!/usr/bin/env bash
# The load-and-fault proof, one command:
#
#   scripts/load-and-fault.sh            # report on stdout and in bench/results/load-and-fault.md
#
# 1. starts its own production shape (scripts/prod-shape.sh, state dir
#    /tmp/mekenjai-loadfault-<cksum>, jobs every 10 s) — never touching a shape you run yourself;
# 2. seeds load people (bench/load/seed_people.py);
# 3. Locust drives whole journeys (bench/load/locustfile.py): LOAD_USERS citizens (default 30)
#    for LOAD_SECONDS (default 60);
# 4. bench/fault_run.py: sessions and the 5-codes cap across both app servers, then 200
#    concurrent submissions while a worker is SIGKILLed and PostgreSQL restarted, and the
#    database checks;
# 5. stops everything it started, whatever happens. Exit status: the fault run's (0 = all held).
#
# The tools live in bench/load/.venv (locust pins pytest<10 and brings gevent: not in .venv).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SUM="$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
export MEKENJAI_PROD_DIR="${MEKENJAI_LOADFAULT_DIR:-/tmp/mekenjai-loadfault-$SUM}"
export MEKENJAI_PROD_PORT="${MEKENJAI_LOADFAULT_PORT:-$((28000 + (SUM % 1000) * 10))}"
export MEKENJAI_JOBS_EVERY="${MEKENJAI_JOBS_EVERY:-10}"
USERS="${LOAD_USERS:-30}"
SECONDS_="${LOAD_SECONDS:-60}"
SUBMISSIONS="${FAULT_SUBMISSIONS:-200}"
OUT="${LOAD_REPORT:-$ROOT/bench/results/load-and-fault.md}"
VENV="$ROOT/bench/load/.venv"

log() { printf 'load-and-fault: %s\n' "$*" >&2; }

if [ ! -x "$VENV/bin/locust" ] || [ "$ROOT/bench/load/requirements.txt" -nt "$VENV/.installed" ]; then
    log "making $VENV (locust, requests, psycopg, aiohttp)"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q -r "$ROOT/bench/load/requirements.txt"
    touch "$VENV/.installed"
fi

trap 'log "stopping the shape"; scripts/prod-shape.sh stop' EXIT
trap 'exit 130' INT TERM
scripts/prod-shape.sh stop   # leftovers of an interrupted run
URL="$(scripts/prod-shape.sh start)"
STATE="$MEKENJAI_PROD_DIR"
set -a; . "$STATE/env"; set +a

log "seeding load people"
.venv/bin/python bench/load/seed_people.py --owners $((SUBMISSIONS + 20 + USERS)) --pairs "$USERS" \
    --out "$STATE/people.json"

mkdir -p "$(dirname "$OUT")"
log "Locust: $USERS citizens for ${SECONDS_}s against $URL"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
LOAD_PEOPLE="$STATE/people.json" LOAD_SMS_URL="$SMS_URL" LOAD_OFFSET=$((SUBMISSIONS + 20)) \
    "$VENV/bin/locust" -f bench/load/locustfile.py --headless -u "$USERS" -r 5 -t "${SECONDS_}s" \
    --host "$URL" --only-summary --csv "$STATE/locust" >"$STATE/locust.out" 2>&1 || true
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
# The console summary is the complete one (the CSV is written ~1 s before the end).
{
    echo "## Locust: $USERS citizens, ${SECONDS_} s, whole journeys (shape: 2 app servers × ${MEKENJAI_PROD_WORKERS:-2} workers)"
    echo
    echo "Load level: $USERS citizens at once (started 5 a second), each walking whole journeys"
    echo "(bench/load/locustfile.py) for ${SECONDS_} s, Locust on the same $(nproc)-core machine."
    echo "Machine's load average (1, 5, 15 min): $LOAD_BEFORE before, $LOAD_AFTER after."
    echo
    "$VENV/bin/python" bench/load/p95_per_step.py "$STATE/locust_stats.csv" 300 || true
    echo
    echo '```'
    sed -n '/Type[[:space:]]*Name/,$p' "$STATE/locust.out" | grep -v '^\[' | head -80
    echo '```'
    echo
} >"$OUT.locust"

log "fault run: $SUBMISSIONS concurrent submissions, SIGKILL a worker, restart PostgreSQL"
status=0
"$VENV/bin/python" bench/fault_run.py --state "$STATE" --people "$STATE/people.json" \
    --submissions "$SUBMISSIONS" --report "$OUT.fault" || status=$?
cat "$OUT.fault" "$OUT.locust" >"$OUT"
rm -f "$OUT.fault" "$OUT.locust"
# Server-side errors the run caused (5xx in nginx's log), for the report.
{
    echo "## Server side"
    echo
    echo "- nginx 5xx responses: $(grep -c 'status=5' "$STATE/nginx/logs/access.log" || true)"
    echo "- gunicorn workers booted (incl. replacements): $(cat "$STATE"/app*.error.log | grep -ci 'booting worker' || true); killed/timed out: $(cat "$STATE"/app*.error.log | grep -ciE 'sigkill|worker timeout' || true)"
    echo "- rate-limit storage: $PORTAL_RATELIMIT_STORAGE (memory:// would mean per-process counters, not shared)"
} >>"$OUT"
cat "$OUT"
exit "$status"
