#!/usr/bin/env bash
# The GraphQL-over-HTTP audit (graphql-http's auditServer) against a live
# server started from an already-built binary (RUNGS_BIN, default
# target/debug/rungs) on a fresh SQLite file.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNGS_BIN="$(realpath -m "${RUNGS_BIN:-$ROOT/${CARGO_TARGET_DIR:-target}/debug/rungs}")"
if [ ! -x "$RUNGS_BIN" ]; then
  echo "audit: no rungs binary at $RUNGS_BIN (run cargo build, or set RUNGS_BIN)" >&2
  exit 1
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
fi
cd "$ROOT/audit"
[ -d node_modules/graphql-http ] || npm install --no-audit --no-fund --loglevel=error
WORK="$(mktemp -d)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$RUNGS_BIN" serve --database-url "sqlite://$WORK/audit.db?mode=rwc" --bind "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
ready=""
for _ in $(seq 1 300); do
  if curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then ready=1; break; fi
  sleep 0.1
done
if [ -z "$ready" ]; then
  echo "audit: the server did not become ready; its log:" >&2
  cat "$WORK/server.log" >&2
  exit 1
fi
RUNGS_URL="http://127.0.0.1:$PORT/graphql" node audit.mjs
