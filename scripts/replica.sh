#!/usr/bin/env bash
# Makes a real PostgreSQL streaming replica of the primary at
# 127.0.0.1:5432 (a second cluster from pg_basebackup, on port
# ${RUNGS_REPLICA_PORT:-5433}, in a temporary folder), runs the read-replica
# tests against it, then stops and removes it, whatever happened:
#
#     bash scripts/replica.sh            # builds the tests if needed
#     bash scripts/replica.sh CMD ARGS   # runs CMD instead, with the replica
#                                        # at $RUNGS_TEST_REPLICA_URL
#
# Needs root (to run the PostgreSQL tools as the `postgres` user) and the
# PostgreSQL server package; it allows replication connections from
# 127.0.0.1 in the primary's pg_hba.conf (trust, as the primary's other
# local connections) if they are not allowed yet.
set -euo pipefail
cd "$(dirname "$0")/.."
PG_URL="${RUNGS_CI_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
PORT="${RUNGS_REPLICA_PORT:-5433}"
BIN="/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -V | tail -n 1)/bin"
DIR="$(mktemp -d "${TMPDIR:-/tmp}/rungs-replica.XXXXXX")"
chown postgres "$DIR"
as_pg() { runuser -u postgres -- "$@"; }

stop() {
  as_pg "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop EXIT

hba="$(psql "$PG_URL" -qAtc 'SHOW hba_file')"
if ! grep -qE '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$hba"; then
  echo "host replication all 127.0.0.1/32 trust" >>"$hba"
  psql "$PG_URL" -qAtc 'SELECT pg_reload_conf()' >/dev/null
fi

echo "replica: pg_basebackup into $DIR/data"
as_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p 5432 -U postgres -D "$DIR/data" -R -X stream -c fast
# Debian keeps the configuration outside the data folder: give the copy its own.
cat >"$DIR/data/postgresql.conf" <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
hot_standby = on
max_connections = 100
CONF
cat >"$DIR/data/pg_hba.conf" <<CONF
local all all trust
host all all 127.0.0.1/32 trust
CONF
chown postgres "$DIR/data/postgresql.conf" "$DIR/data/pg_hba.conf"
as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w start >/dev/null
psql "postgres://postgres@127.0.0.1:$PORT/postgres" -qAtc 'SELECT pg_is_in_recovery()' | grep -q t
echo "replica: streaming on port $PORT"

export RUNGS_TEST_REPLICA_URL="postgres://postgres@127.0.0.1:$PORT"
if [ $# -gt 0 ]; then
  "$@"
else
  DATABASE_URL="$PG_URL" cargo test --test api replica:: -- --test-threads=1
fi
