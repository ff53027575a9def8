#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1 for the history-store tests (tests/test_history.py).
#
#   eval "$(.ci/postgres.sh)"        # installs Debian's postgresql if needed, starts, exports the URL
#   .ci/postgres.sh stop             # stops it
#
# Prints `export REPLYLINT_TEST_POSTGRES_URL=postgresql://replylint:replylint@127.0.0.1:PORT/replylint_test`
# on stdout (progress goes to stderr). Idempotent: a server already up on the port is reused.
# Settings: REPLYLINT_PG_PORT (default 54329), REPLYLINT_PG_DATA (default /tmp/replylint-pg).
set -euo pipefail

PORT="${REPLYLINT_PG_PORT:-54329}"
DATA="${REPLYLINT_PG_DATA:-/tmp/replylint-pg}"
SOCKETS="$DATA.sock"
USER_NAME=replylint
PASSWORD=replylint
DB=replylint_test
URL="postgresql://$USER_NAME:$PASSWORD@127.0.0.1:$PORT/$DB"

log() { echo "postgres.sh: $*" >&2; }
root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
# initdb and postgres refuse to run as root: run them as the postgres user when we are root.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

if [ -z "$(bindir)" ]; then
  log "installing Debian's postgresql"
  root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
BIN="$(bindir)"

if [ "${1:-}" = "stop" ]; then
  as_pg "$BIN/pg_ctl" -D "$DATA" -m fast stop >&2 || true
  exit 0
fi

if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  if [ ! -f "$DATA/PG_VERSION" ]; then
    log "creating a cluster in $DATA"
    mkdir -p "$DATA" "$SOCKETS"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA" "$SOCKETS"
    as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 >&2
  fi
  mkdir -p "$SOCKETS" && { [ "$(id -u)" != 0 ] || chown postgres:postgres "$SOCKETS"; }
  log "starting on 127.0.0.1:$PORT"
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $SOCKETS -c fsync=off" start >&2
fi

psql_admin() { as_pg "$BIN/psql" -v ON_ERROR_STOP=1 -q -h "$SOCKETS" -p "$PORT" -U postgres "$@"; }
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$USER_NAME'")" != 1 ]; then
  psql_admin -c "CREATE ROLE $USER_NAME LOGIN PASSWORD '$PASSWORD'" >&2
fi
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
  psql_admin -c "CREATE DATABASE $DB OWNER $USER_NAME" >&2
fi

PGPASSWORD="$PASSWORD" "$BIN/psql" -q -h 127.0.0.1 -p "$PORT" -U "$USER_NAME" -d "$DB" -c "SELECT 1" >/dev/null
log "ready: $URL"
echo "export REPLYLINT_TEST_POSTGRES_URL=$URL"
