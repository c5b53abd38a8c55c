#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite, on 127.0.0.1 only.
#
#   scripts/pg-test-server.sh start   # prints the SQLAlchemy URL on stdout (everything else: stderr)
#   scripts/pg-test-server.sh stop    # stops the server and deletes its data; fine to repeat
#   scripts/pg-test-server.sh status  # exit 0 and the URL if running, else exit 1
#   scripts/pg-test-server.sh url     # the URL of the running server
#
# Both start and stop are idempotent: `start` on a running server prints its URL again.
# Data lives in $MEKENJAI_PG_DIR (default /tmp/mekenjai-pg), with fsync off: never real data.
# PostgreSQL refuses to run as root, so as root everything runs as the `postgres` user via
# runuser. When no server binaries are found and we are root, Debian's `postgresql` is installed.
# Settings: MEKENJAI_PG_DIR, MEKENJAI_PG_PORT (default 55432, or the next free port above it),
# MEKENJAI_PG_DB (default mekenjai_test).
set -euo pipefail

STATE_DIR="${MEKENJAI_PG_DIR:-/tmp/mekenjai-pg}"
DATA_DIR="$STATE_DIR/data"
DB_NAME="${MEKENJAI_PG_DB:-mekenjai_test}"
DEFAULT_PORT="${MEKENJAI_PG_PORT:-55432}"

log() { printf 'pg-test-server: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

find_bindir() {
    # The highest major version under /usr/lib/postgresql that has initdb and pg_ctl.
    local dir found=""
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5n); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then found="$dir"; fi
    done
    [ -n "$found" ] && printf '%s\n' "$found"
}

ensure_installed() {
    BINDIR="$(find_bindir)" && return 0
    if is_root && command -v apt-get >/dev/null 2>&1; then
        log "no PostgreSQL server binaries found; installing Debian's postgresql package"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update >&2
        apt-get install -y postgresql >&2
        BINDIR="$(find_bindir)" || die "postgresql was installed but no initdb was found"
    else
        die "PostgreSQL server binaries (initdb, pg_ctl) not found. Install them, e.g. as root:
    apt-get update && apt-get install -y postgresql"
    fi
}

# Run a PostgreSQL tool as the server's owner: `postgres` when we are root, else ourselves.
as_owner() {
    if is_root; then
        id postgres >/dev/null 2>&1 || die "user 'postgres' is missing (install Debian's postgresql)"
        (cd "$STATE_DIR" && runuser -u postgres -- "$@")
    else
        (cd "$STATE_DIR" && "$@")
    fi
}

port_in_use() {
    # Something answers on 127.0.0.1:$1?  (bash's /dev/tcp; no extra tools needed)
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

url_for_port() {
    printf 'postgresql+psycopg://postgres@127.0.0.1:%s/%s\n' "$1" "$DB_NAME"
}

alive() {
    # A live process (a zombie, which kill -0 still finds, counts as gone).
    [ -n "$1" ] && kill -0 "$1" 2>/dev/null \
        && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

running() {
    # The server of $STATE_DIR is up and answers on its port.
    [ -f "$DATA_DIR/postmaster.pid" ] && [ -f "$STATE_DIR/port" ] || return 1
    [ -n "${BINDIR:-}" ] || BINDIR="$(find_bindir)" || return 1
    alive "$(head -n 1 "$DATA_DIR/postmaster.pid")" || return 1
    "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$(cat "$STATE_DIR/port")" -t 5
}

cmd_start() {
    ensure_installed
    if running; then
        local port
        port="$(cat "$STATE_DIR/port")"
        log "already running on port $port ($STATE_DIR)"
        create_database "$port"
        url_for_port "$port"
        return 0
    fi
    # Leftovers of a crashed or half-finished run: clear them.
    cmd_stop

    local port="$DEFAULT_PORT" tries=0
    while port_in_use "$port"; do
        tries=$((tries + 1))
        [ "$tries" -lt 100 ] || die "no free port in $DEFAULT_PORT..$((DEFAULT_PORT + 99))"
        port=$((port + 1))
    done

    mkdir -p "$STATE_DIR"
    chmod 0700 "$STATE_DIR"
    if is_root; then chown postgres: "$STATE_DIR"; fi
    # If anything below fails, leave nothing behind.
    STARTED=0
    trap 'if [ "$STARTED" != 1 ]; then log "start failed; cleaning up"; cmd_stop; fi' EXIT

    log "initdb in $DATA_DIR ($("$BINDIR/postgres" --version))"
    as_owner "$BINDIR/initdb" -D "$DATA_DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        >"$STATE_DIR/initdb.log" 2>&1 || { cat "$STATE_DIR/initdb.log" >&2; false; }

    log "starting on 127.0.0.1:$port"
    as_owner "$BINDIR/pg_ctl" -D "$DATA_DIR" -l "$STATE_DIR/server.log" -w -t 60 \
        -o "-p $port -k $STATE_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
        start >&2 || { cat "$STATE_DIR/server.log" >&2 || true; false; }
    printf '%s\n' "$port" >"$STATE_DIR/port"

    create_database "$port"
    STARTED=1
    url_for_port "$port" | tee "$STATE_DIR/url"
}

create_database() {
    local port="$1" exists
    exists="$(as_owner "$BINDIR/psql" -h "$STATE_DIR" -p "$port" -U postgres -d postgres -Atqc \
        "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")"
    if [ "$exists" != 1 ]; then
        as_owner "$BINDIR/createdb" -h "$STATE_DIR" -p "$port" -U postgres -E UTF8 -T template0 "$DB_NAME"
        log "created database $DB_NAME"
    fi
}

cmd_stop() {
    [ -d "$STATE_DIR" ] || return 0
    if [ -f "$DATA_DIR/postmaster.pid" ]; then
        local pid
        pid="$(head -n 1 "$DATA_DIR/postmaster.pid" 2>/dev/null || true)"
        BINDIR="${BINDIR:-$(find_bindir || true)}"
        if [ -n "$BINDIR" ]; then
            as_owner "$BINDIR/pg_ctl" -D "$DATA_DIR" -m fast -w -t 60 stop >/dev/null 2>&1 || true
        fi
        # pg_ctl could not stop it (or is gone): end the postmaster this script started, by its pid.
        if alive "$pid" && grep -q postgres "/proc/$pid/comm" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.2; done
            if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; sleep 0.5; fi
        fi
        if alive "$pid"; then
            die "the server (pid $pid) is still running; not deleting $STATE_DIR"
        fi
    fi
    rm -rf "$STATE_DIR"
}

cmd_status() {
    if running; then
        url_for_port "$(cat "$STATE_DIR/port")"
    else
        log "not running"
        return 1
    fi
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status | url) cmd_status ;;
    *) printf 'usage: %s start|stop|status|url\n' "$0" >&2; exit 2 ;;
esac
