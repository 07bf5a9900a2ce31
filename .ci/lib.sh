# Shared by audit/run.sh, schemathesis/run.sh and e2e/run.sh (sourced, not run).

# Sets RUNGS_BIN to the built binary: $RUNGS_BIN if given, else
# target/debug/rungs under CARGO_TARGET_DIR (absolute or relative to the
# repository root). Exits when there is none. $1 names the caller.
rungs_bin() {
  local root; root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  if [ -n "${RUNGS_BIN:-}" ]; then
    RUNGS_BIN="$(realpath -m "$RUNGS_BIN")"
  else
    RUNGS_BIN="$root/${CARGO_TARGET_DIR:-target}/debug/rungs"
    case "${CARGO_TARGET_DIR:-}" in /*) RUNGS_BIN="$CARGO_TARGET_DIR/debug/rungs" ;; esac
  fi
  export RUNGS_BIN
  if [ ! -x "$RUNGS_BIN" ]; then
    echo "$1: no rungs binary at $RUNGS_BIN (run cargo build, or set RUNGS_BIN)" >&2
    exit 1
  fi
}

# Starts `rungs serve` on a fresh SQLite file in a new temporary folder and
# waits until it is ready. Sets WORK, PORT and SERVER and a trap that stops
# the server and removes WORK on exit; on failure prints the server's log and
# exits. $1 names the caller; further arguments go to `rungs serve`.
#
# With RUNGS_CI_SERVE_PG set to a PostgreSQL server's URL (without the
# database), it serves a fresh database of its own there instead, dropped on
# exit (named with RUNGS_TEST_DB_PREFIX when set, so .ci/run's check for
# leftovers covers it).
start_rungs() {
  local who="$1"; shift
  WORK="$(mktemp -d)"
  PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  local url="sqlite://$WORK/$who.db?mode=rwc"
  PG_DB=""
  if [ -n "${RUNGS_CI_SERVE_PG:-}" ]; then
    PG_DB="${RUNGS_TEST_DB_PREFIX:-rungs_ci}_${who}_$$"
    psql "$RUNGS_CI_SERVE_PG/postgres" -qc "CREATE DATABASE \"$PG_DB\"" >/dev/null
    url="$RUNGS_CI_SERVE_PG/$PG_DB"
  fi
  "$RUNGS_BIN" serve "$@" --database-url "$url" --bind "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"; if [ -n "$PG_DB" ]; then psql "$RUNGS_CI_SERVE_PG/postgres" -qc "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null; fi' EXIT
  for _ in $(seq 1 300); do
    curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "$who: the server did not become ready; its log:" >&2
  cat "$WORK/server.log" >&2
  exit 1
}

# Installs Node.js and npm from Debian's packages when they are missing,
# then `npm ci` in the current folder when `node_modules/$1` is missing.
need_npm_packages() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
  fi
  [ -e "node_modules/$1" ] || npm ci --no-audit --no-fund --loglevel=error
}
