#!/usr/bin/env bash
# The production shape, on loopback, for load and fault runs (docs/DEPLOY.md says how a real
# centre runs the same pieces under systemd):
#
#   PostgreSQL 15 ─┐
#   Redis ─────────┼─ app server A (gunicorn, deploy/gunicorn.conf.py) ─┐
#   fake SMS ──────┤                                                   ├─ nginx (upstream) ─ clients
#                  └─ app server B (gunicorn) ──────────────────────────┘
#   + the periodic jobs: `flask jobs run` every $MEKENJAI_JOBS_EVERY seconds
#   + two SMS workers (`flask sms worker`, one per app machine): the web requests only commit
#     their SMS to the outbox; the workers, woken by PostgreSQL's NOTIFY, send them
#
#   scripts/prod-shape.sh start       # start everything (migrate, seed the demo registries); prints the URL
#   scripts/prod-shape.sh stop        # stop everything and delete the state dir; fine to repeat
#   scripts/prod-shape.sh status      # what runs (exit 1 if something is down)
#   scripts/prod-shape.sh env         # the settings of the running shape (shell syntax; `eval` it)
#   scripts/prod-shape.sh pg-restart [fast|immediate]   # restart PostgreSQL, keeping the data
#   scripts/prod-shape.sh flask ARGS  # run a flask command against the shape's settings
#
# Everything lives under one state dir, $MEKENJAI_PROD_DIR (default /tmp/mekenjai-prod-<cksum of
# this checkout>), so two clones can run a shape at once. Ports: the first free ones from
# $MEKENJAI_PROD_PORT (default 18000 + cksum mod 1000 x 10). As root, missing Debian packages
# (postgresql, nginx, redis-server) are installed; PostgreSQL then runs as `postgres` (initdb
# refuses root). Redis runs with --save '' --appendonly no: a TEST shape. Production keeps
# Redis' AOF (sessions, rate limits) — see docs/DEPLOY.md.
#
# The app runs with PORTAL_ENV=staging: every check production makes (docs/DEPLOY.md, "What
# production refuses"), except that it runs on the demo stand-ins for the state registries
# and the NCA (demo_registries, demo/ecp-trust), which production refuses. So: the HTTP SMS
# backend (the fake provider here), a secret key, SMS token and webhook secret of 32 random
# bytes each (64 hex digits), Redis for sessions (PORTAL_REDIS_URL) and rate limits
# (PORTAL_RATELIMIT_STORAGE), PORTAL_TRUSTED_PROXIES=1 (nginx)
# believed only from nginx's own address (PORTAL_PROXY_ADDRESSES=127.0.0.1); the app servers listen
# on loopback only, so nothing but nginx reaches them (docs/DEPLOY.md: app ports must not be
# reachable); ЭЦП on with OCSP hard-fail.
# Cookies are not Secure here (PORTAL_SECURE_COOKIES=0): the shape speaks plain HTTP on
# loopback; production terminates TLS.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUM="$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
STATE="${MEKENJAI_PROD_DIR:-/tmp/mekenjai-prod-$SUM}"
BASE_PORT="${MEKENJAI_PROD_PORT:-$((18000 + (SUM % 1000) * 10))}"
WORKERS="${MEKENJAI_PROD_WORKERS:-2}"          # gunicorn workers per app server
JOBS_EVERY="${MEKENJAI_JOBS_EVERY:-30}"         # seconds between `flask jobs run`
PY="$ROOT/.venv/bin/python"
DB_NAME=mekenjai

log() { printf 'prod-shape: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
alive() {
    [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null \
        && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}
pid_of() { [ -f "$STATE/$1.pid" ] && head -n 1 "$STATE/$1.pid" || true; }

pg_bindir() {
    local dir found=""
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5n); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then found="$dir"; fi
    done
    [ -n "$found" ] && printf '%s\n' "$found"
}

ensure_packages() {
    local missing=()
    pg_bindir >/dev/null || missing+=(postgresql)
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
    command -v redis-server >/dev/null || missing+=(redis-server)
    [ ${#missing[@]} -eq 0 ] && return 0
    if is_root && command -v apt-get >/dev/null; then
        log "installing Debian packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update >&2
        apt-get install -y "${missing[@]}" >&2
    else
        die "missing: ${missing[*]}. Install as root: apt-get install -y ${missing[*]}"
    fi
}

ensure_venv() {
    if [ ! -x "$ROOT/.venv/bin/gunicorn" ] || ! ls "$ROOT"/translations/*/LC_MESSAGES/messages.mo >/dev/null 2>&1; then
        log "installing the app's virtualenv and catalogues (make .venv/.installed catalogues)"
        make -C "$ROOT" .venv/.installed catalogues >&2
    fi
}

as_pg() {
    if is_root; then (cd "$STATE" && runuser -u postgres -- "$@"); else (cd "$STATE" && "$@"); fi
}

next_free_port() {
    local port="$1"
    while port_in_use "$port" || grep -qx "$port" "$STATE/.taken" 2>/dev/null; do port=$((port + 1)); done
    echo "$port" >>"$STATE/.taken"
    printf '%s\n' "$port"
}

# The settings every app process (servers, jobs, migrations) gets.
write_env() {
    local secret token inbound
    secret="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    token="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    inbound="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    cat >"$STATE/env" <<EOF
PG_PORT=$PG_PORT
REDIS_PORT=$REDIS_PORT
APP1_PORT=$APP1_PORT
APP2_PORT=$APP2_PORT
NGINX_PORT=$NGINX_PORT
SMS_PORT=$SMS_PORT
SHAPE_URL=http://127.0.0.1:$NGINX_PORT
SMS_URL=http://127.0.0.1:$SMS_PORT
SHAPE_STATE=$STATE
PG_SOCKET_DIR=$STATE
PORTAL_ENV=staging
PORTAL_SECRET_KEY=$secret
PORTAL_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/$DB_NAME
PORTAL_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
PORTAL_RATELIMIT_STORAGE=redis://127.0.0.1:$REDIS_PORT/1
PORTAL_TRUSTED_PROXIES=1
PORTAL_PROXY_ADDRESSES=127.0.0.1
PORTAL_SMS_BACKEND=http
PORTAL_SMS_HTTP_URL=http://127.0.0.1:$SMS_PORT/send
PORTAL_SMS_HTTP_TOKEN=$token
PORTAL_SMS_INBOUND_SECRET=$inbound
PORTAL_PUBLIC_URL=http://127.0.0.1:$NGINX_PORT
PORTAL_SECURE_COOKIES=0
PORTAL_INSTANCE_DIR=$STATE/instance
PORTAL_ECP_TRUST_DIR=$ROOT/demo/ecp-trust
PORTAL_ECP_OCSP=on
EOF
    # Before the lead merges the Redis work, the app's venv has no redis client: limits then
    # fall back to per-process memory (the cross-server cap check will say so and fail).
    if ! "$PY" -c 'import redis' 2>/dev/null; then
        log "WARNING: no redis client in .venv (flask-limiter[redis] not installed yet):"
        log "         rate limits fall back to memory:// (per process, NOT shared across servers)"
        sed -i 's|^PORTAL_RATELIMIT_STORAGE=.*|PORTAL_RATELIMIT_STORAGE=memory://|' "$STATE/env"
    fi
    chmod 600 "$STATE/env"
}

load_env() { set -a; # shellcheck disable=SC1091
    . "$STATE/env"; set +a; }

flask_cmd() { (load_env; cd "$ROOT" && "$PY" -m flask --app wsgi "$@"); }

start_pg() {
    local bindir; bindir="$(pg_bindir)"
    mkdir -p "$STATE/pg"
    if is_root; then chown postgres: "$STATE/pg"; fi
    chmod 700 "$STATE/pg"
    log "PostgreSQL ($("$bindir/postgres" --version | awk '{print $3}')) on 127.0.0.1:$PG_PORT"
    as_pg "$bindir/initdb" -D "$STATE/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        >"$STATE/pg/initdb.log" 2>&1 || { cat "$STATE/pg/initdb.log" >&2; false; }
    # Durable settings (fsync, synchronous_commit on: the defaults), unlike the test server:
    # the fault run restarts PostgreSQL and checks that acknowledged applications survived.
    as_pg "$bindir/pg_ctl" -D "$STATE/pg/data" -l "$STATE/pg/server.log" -w -t 60 \
        -o "-p $PG_PORT -k $STATE/pg -c listen_addresses=127.0.0.1 -c max_connections=200" \
        start >&2
    as_pg "$bindir/createdb" -h "$STATE/pg" -p "$PG_PORT" -U postgres -E UTF8 -T template0 "$DB_NAME"
}

stop_pg() {
    [ -f "$STATE/pg/data/postmaster.pid" ] || return 0
    local bindir pid; bindir="$(pg_bindir || true)"
    pid="$(head -n 1 "$STATE/pg/data/postmaster.pid" 2>/dev/null || true)"
    [ -n "$bindir" ] && as_pg "$bindir/pg_ctl" -D "$STATE/pg/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    if alive "$pid" && grep -q postgres "/proc/$pid/comm" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true; sleep 2
        alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
    fi
}

start_redis() {
    log "Redis on 127.0.0.1:$REDIS_PORT (no persistence: test shape)"
    mkdir -p "$STATE/redis"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
        --daemonize yes --pidfile "$STATE/redis.pid" --dir "$STATE/redis" \
        --logfile "$STATE/redis/redis.log" >&2
    for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
    die "redis did not answer"
}

start_sms() {
    log "fake SMS provider on 127.0.0.1:$SMS_PORT (log: $STATE/sms.jsonl)"
    (load_env; setsid "$PY" "$ROOT/bench/fake_sms.py" --port "$SMS_PORT" \
        --token "$PORTAL_SMS_HTTP_TOKEN" --log "$STATE/sms.jsonl" \
        >>"$STATE/sms.log" 2>&1 </dev/null & echo $! >"$STATE/sms.pid")
}

start_app() {  # name port
    log "app server $1 (gunicorn, $WORKERS workers) on 127.0.0.1:$2"
    (load_env; cd "$ROOT" && GUNICORN_BIND="127.0.0.1:$2" GUNICORN_WORKERS="$WORKERS" \
        GUNICORN_ACCESSLOG="$STATE/$1.access.log" GUNICORN_ERRORLOG="$STATE/$1.error.log" \
        GUNICORN_PROC_NAME="mekenjai-$1" \
        "$PY" -m gunicorn -c "$ROOT/deploy/gunicorn.conf.py" --daemon --pid "$STATE/$1.pid" wsgi:app)
}

wait_http() {  # url what
    for _ in $(seq 1 150); do
        if "$PY" - "$1" <<'EOF' 2>/dev/null; then return 0; fi
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=2).read()
EOF
        sleep 0.2
    done
    die "$2 did not answer at $1 (see $STATE/*.log)"
}

write_nginx_conf() {
    mkdir -p "$STATE/nginx/logs" "$STATE/nginx/tmp"
    local user_line=""
    # As root without `user`, workers run as nobody and cannot write request bodies under a
    # 700 dir (STACK_NOTES §8): run them as root here (loopback test only).
    is_root && user_line="user root;"
    sed -e "s|@USER@|$user_line|" -e "s|@APP1@|127.0.0.1:$APP1_PORT|" -e "s|@APP2@|127.0.0.1:$APP2_PORT|" \
        -e "s|@LISTEN@|127.0.0.1:$NGINX_PORT|" -e "s|@STATIC@|$ROOT/static|" \
        "$ROOT/deploy/nginx.conf" >"$STATE/nginx/nginx.conf"
}

start_nginx() {
    log "nginx on 127.0.0.1:$NGINX_PORT -> :$APP1_PORT, :$APP2_PORT"
    write_nginx_conf
    /usr/sbin/nginx -p "$STATE/nginx/" -c nginx.conf -t >"$STATE/nginx/test.log" 2>&1 \
        || { cat "$STATE/nginx/test.log" >&2; false; }
    /usr/sbin/nginx -p "$STATE/nginx/" -c nginx.conf
}

start_jobs() {
    log "periodic jobs: flask jobs run every ${JOBS_EVERY}s"
    # `setsid CMD &` alone (no `cd && …` list): a list would run in a forked subshell that keeps
    # this script's stdout open — and `URL=$(prod-shape.sh start)` would wait for it forever.
    # setsid execs in place (a background job is not a group leader), so $! is the loop's pid
    # and its process group, which `stop` ends as a whole.
    (load_env; cd "$ROOT"
     setsid bash -c "while :; do \"$PY\" -m flask --app wsgi jobs run; sleep $JOBS_EVERY; done" \
        >>"$STATE/jobs.log" 2>&1 </dev/null &
     echo $! >"$STATE/jobs.pid")
}

start_sms_workers() {
    local name
    for name in smsworker1 smsworker2; do
        log "SMS worker $name (flask sms worker, LISTEN/NOTIFY)"
        # setsid, as for the jobs loop: nothing keeps this script's stdout open.
        (load_env; cd "$ROOT"
         setsid "$PY" -m flask --app wsgi sms worker >>"$STATE/$name.log" 2>&1 </dev/null &
         echo $! >"$STATE/$name.pid")
    done
}

cmd_start() {
    if [ -f "$STATE/env" ] && cmd_status >/dev/null 2>&1; then
        load_env; log "already running ($STATE)"; echo "$SHAPE_URL"; return 0
    fi
    cmd_stop
    ensure_packages
    ensure_venv
    mkdir -p "$STATE" "$STATE/instance"
    chmod 755 "$STATE"
    STARTED=0
    trap 'if [ "$STARTED" != 1 ]; then log "start failed; stopping what started"; cmd_stop; fi' EXIT
    PG_PORT="$(next_free_port "$BASE_PORT")"
    REDIS_PORT="$(next_free_port $((PG_PORT + 1)))"
    APP1_PORT="$(next_free_port $((REDIS_PORT + 1)))"
    APP2_PORT="$(next_free_port $((APP1_PORT + 1)))"
    NGINX_PORT="$(next_free_port $((APP2_PORT + 1)))"
    SMS_PORT="$(next_free_port $((NGINX_PORT + 1)))"
    write_env
    start_pg
    start_redis
    start_sms
    log "migrations and demo registries"
    flask_cmd db upgrade >"$STATE/migrate.log" 2>&1 || { cat "$STATE/migrate.log" >&2; false; }
    flask_cmd demo seed >>"$STATE/migrate.log" 2>&1 || { cat "$STATE/migrate.log" >&2; false; }
    start_app app1 "$APP1_PORT"
    start_app app2 "$APP2_PORT"
    wait_http "http://127.0.0.1:$APP1_PORT/healthz" app1
    wait_http "http://127.0.0.1:$APP2_PORT/healthz" app2
    start_nginx
    wait_http "http://127.0.0.1:$NGINX_PORT/healthz" nginx
    start_jobs
    start_sms_workers
    STARTED=1
    log "up: http://127.0.0.1:$NGINX_PORT/  (state: $STATE; logs: $STATE/*.log)"
    echo "http://127.0.0.1:$NGINX_PORT"
}

stop_pidfile() {  # name [signal]
    local pid; pid="$(pid_of "$1")"
    if alive "$pid"; then
        kill -"${2:-TERM}" "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
        alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$STATE/$1.pid"
}

cmd_stop() {
    [ -d "$STATE" ] || return 0
    if [ -f "$STATE/nginx/tmp/nginx.pid" ]; then
        /usr/sbin/nginx -p "$STATE/nginx/" -c nginx.conf -s quit 2>/dev/null || true
        local npid; npid="$(cat "$STATE/nginx/tmp/nginx.pid" 2>/dev/null || true)"
        for _ in $(seq 1 50); do alive "$npid" || break; sleep 0.1; done
        alive "$npid" && kill -TERM "$npid" 2>/dev/null || true
    fi
    # The jobs loop runs in its own session: end its whole process group (pgid = its pid).
    local jpid; jpid="$(pid_of jobs)"
    if alive "$jpid"; then kill -TERM -- "-$jpid" 2>/dev/null || kill -TERM "$jpid" 2>/dev/null || true; fi
    rm -f "$STATE/jobs.pid"
    stop_pidfile smsworker1
    stop_pidfile smsworker2
    stop_pidfile app1
    stop_pidfile app2
    stop_pidfile sms
    if [ -f "$STATE/redis.pid" ]; then stop_pidfile redis; fi
    stop_pg
    local pgpid; pgpid="$(head -n 1 "$STATE/pg/data/postmaster.pid" 2>/dev/null || true)"
    if alive "$pgpid"; then die "PostgreSQL (pid $pgpid) still runs; not deleting $STATE"; fi
    rm -rf "$STATE"
}

cmd_status() {
    [ -f "$STATE/env" ] || { log "not running ($STATE)"; return 1; }
    load_env
    local bad=0 name pid
    for name in app1 app2 sms smsworker1 smsworker2 jobs redis; do
        pid="$(pid_of "$name")"
        if alive "$pid"; then printf '%-8s running  pid %s\n' "$name" "$pid"; else printf '%-8s DOWN\n' "$name"; bad=1; fi
    done
    pid="$(cat "$STATE/nginx/tmp/nginx.pid" 2>/dev/null || true)"
    if alive "$pid"; then printf '%-8s running  pid %s  %s\n' nginx "$pid" "$SHAPE_URL"; else printf '%-8s DOWN\n' nginx; bad=1; fi
    pid="$(head -n 1 "$STATE/pg/data/postmaster.pid" 2>/dev/null || true)"
    if alive "$pid"; then printf '%-8s running  pid %s  port %s\n' postgres "$pid" "$PG_PORT"; else printf '%-8s DOWN\n' postgres; bad=1; fi
    printf 'workers: app1 %s, app2 %s\n' \
        "$(pgrep -P "$(pid_of app1)" 2>/dev/null | tr '\n' ' ')" "$(pgrep -P "$(pid_of app2)" 2>/dev/null | tr '\n' ' ')"
    printf 'state: %s\n' "$STATE"
    return "$bad"
}

cmd_pg_restart() {
    load_env
    local bindir; bindir="$(pg_bindir)"
    log "PostgreSQL restart (${1:-fast})"
    as_pg "$bindir/pg_ctl" -D "$STATE/pg/data" -m "${1:-fast}" -w -t 60 stop >&2
    as_pg "$bindir/pg_ctl" -D "$STATE/pg/data" -l "$STATE/pg/server.log" -w -t 60 \
        -o "-p $PG_PORT -k $STATE/pg -c listen_addresses=127.0.0.1 -c max_connections=200" start >&2
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) [ -f "$STATE/env" ] || die "not running"; sed 's/^/export /' "$STATE/env" ;;
    pg-restart) cmd_pg_restart "${2:-fast}" ;;
    flask) shift; flask_cmd "$@" ;;
    *) printf 'usage: %s start|stop|status|env|pg-restart [fast|immediate]|flask ARGS\n' "$0" >&2; exit 2 ;;
esac
