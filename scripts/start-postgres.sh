#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the store tests and print its URL on stdout.
#   export GOVSCAN_TEST_PG="$(bash scripts/start-postgres.sh)"
# Installs Debian's postgresql when it is missing (needs root), creates a private cluster in
# $GOVSCAN_PGDATA (default /tmp/govscan-pg) on 127.0.0.1:$GOVSCAN_PGPORT (default 54329) with
# trust authentication, and a database govscan_test.  Idempotent: a running server is reused.
# Stop it with: su postgres -c "$(ls -d /usr/lib/postgresql/*/bin | tail -1)/pg_ctl -D /tmp/govscan-pg stop"
set -euo pipefail
PORT=${GOVSCAN_PGPORT:-54329}
DATA=${GOVSCAN_PGDATA:-/tmp/govscan-pg}
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "installing postgresql (apt)" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
id postgres >/dev/null 2>&1 || useradd --system --create-home postgres
as_pg() { su postgres -s /bin/bash -c "$*"; }
if [ ! -s "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA"
  chown postgres "$DATA"
  chmod 700 "$DATA"
  as_pg "'$BIN/initdb' -D '$DATA' -A trust -U postgres -E UTF8 --no-locale" >&2
fi
if ! as_pg "'$BIN/pg_ctl' -D '$DATA' status" >/dev/null 2>&1; then
  as_pg "'$BIN/pg_ctl' -D '$DATA' -l '$DATA/server.log' -w -t 60 \
    -o \"-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off\" start" >&2
fi
if ! as_pg "'$BIN/psql' -h 127.0.0.1 -p $PORT -d postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='govscan_test'\"" | grep -q 1; then
  as_pg "'$BIN/createdb' -h 127.0.0.1 -p $PORT govscan_test" >&2
fi
echo "postgresql://postgres@127.0.0.1:$PORT/govscan_test"
