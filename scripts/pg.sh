#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: scripts/pg.sh install|start|stop|url|status
#
# Loopback only, a non-default port ($POSTLOAN_PG_PORT, default 54329), trust auth, fsync off, data
# under /tmp/postloan-pg-<port> (removed by `stop`). initdb and postgres refuse to run as root, so
# as root they run as the `postgres` OS user. `start` installs Debian's postgresql when missing.
set -euo pipefail

PORT="${POSTLOAN_PG_PORT:-54329}"
BASE="${POSTLOAN_PG_DIR:-/tmp/postloan-pg-${PORT}}"
DATA="$BASE/data"
LOG="$BASE/server.log"

log() { echo "pg.sh: $*" >&2; }

pg_bindir() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -n "$dir" && -x "$dir/postgres" ]]; then echo "$dir"; fi
}

as_owner() {
    # Run a command as the data directory's owner: `postgres` when we are root, else ourselves.
    if [[ "$(id -u)" == 0 ]]; then
        (cd "$BASE" && runuser -u postgres -- "$@")
    else
        (cd "$BASE" && "$@")
    fi
}

cmd_install() {
    if [[ -n "$(pg_bindir)" ]]; then return 0; fi
    local sudo=""
    if [[ "$(id -u)" != 0 ]]; then
        command -v sudo >/dev/null || { log "PostgreSQL missing and not root: install postgresql"; exit 1; }
        sudo="sudo"
    fi
    log "installing PostgreSQL from apt"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y -q --no-install-recommends postgresql >/dev/null \
        || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q --no-install-recommends postgresql >/dev/null; }
    [[ -n "$(pg_bindir)" ]] || { log "postgresql installed but no server binary found"; exit 1; }
}

is_running() {
    local bin="$1"
    [[ -f "$DATA/postmaster.pid" ]] && as_owner "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

cmd_start() {
    cmd_install
    local bin
    bin="$(pg_bindir)"
    mkdir -p "$BASE"
    if [[ "$(id -u)" == 0 ]]; then chown postgres: "$BASE"; fi
    if is_running "$bin"; then
        log "already running on 127.0.0.1:$PORT"
        return 0
    fi
    if [[ ! -f "$DATA/PG_VERSION" ]]; then
        rm -rf "$DATA"
        as_owner "$bin/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --no-locale \
            >"$BASE/initdb.log" 2>&1 || { cat "$BASE/initdb.log" >&2; exit 1; }
    fi
    if ! as_owner "$bin/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$BASE" \
        -o "-c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        -o "-c max_connections=100 -c shared_buffers=256MB" start >/dev/null; then
        log "server did not start; its log follows"
        cat "$LOG" >&2 || true
        exit 1
    fi
    log "running on 127.0.0.1:$PORT (data $DATA)"
}

cmd_stop() {
    local bin
    bin="$(pg_bindir)"
    if [[ -n "$bin" && -d "$DATA" ]] && is_running "$bin"; then
        as_owner "$bin/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
        log "stopped 127.0.0.1:$PORT"
    fi
    rm -rf "$BASE"
}

cmd_status() {
    local bin
    bin="$(pg_bindir)"
    if [[ -n "$bin" && -d "$DATA" ]] && is_running "$bin"; then echo "running"; else echo "stopped"; exit 3; fi
}

case "${1:-}" in
    install) cmd_install ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    url) echo "postgresql+psycopg://postgres@127.0.0.1:${PORT}/postgres" ;;
    *) echo "usage: $0 install|start|stop|url|status" >&2; exit 64 ;;
esac
