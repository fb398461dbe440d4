#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on 127.0.0.1 for the storage tests and print its URL.
# Usage: eval "$(bash scripts/postgres.sh start)"  …  bash scripts/postgres.sh stop
set -euo pipefail
PGDIR="${PGDIR:-/tmp/steunwijzer-pg}"
PORT="${PGPORT_TEST:-55432}"
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-start}" in
  start)
    if [ ! -f "$PGDIR/PG_VERSION" ]; then
      mkdir -p "$PGDIR"; [ "$(id -u)" -eq 0 ] && chown postgres "$PGDIR"
      as_pg "$BIN/initdb" -D "$PGDIR" -U steunwijzer --auth=trust >/dev/null
    fi
    if ! as_pg "$BIN/pg_ctl" -D "$PGDIR" status >/dev/null 2>&1; then
      as_pg "$BIN/pg_ctl" -D "$PGDIR" -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1" -l "$PGDIR/log" -w start >/dev/null
    fi
    as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U steunwijzer steunwijzer_test 2>/dev/null || true
    echo "export STEUNWIJZER_TEST_DATABASE_URL=postgresql+psycopg://steunwijzer@127.0.0.1:$PORT/steunwijzer_test"
    ;;
  stop)
    as_pg "$BIN/pg_ctl" -D "$PGDIR" -m fast stop >/dev/null || true
    ;;
esac
