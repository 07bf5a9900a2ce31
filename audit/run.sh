#!/usr/bin/env bash
# The GraphQL-over-HTTP audit (graphql-http's auditServer) against a live
# server started from an already-built binary (RUNGS_BIN, default
# target/debug/rungs) on a fresh SQLite file.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=../.ci/lib.sh
source "$ROOT/.ci/lib.sh"
rungs_bin audit
cd "$ROOT/audit"
need_npm_packages graphql-http
start_rungs audit
RUNGS_URL="http://127.0.0.1:$PORT/graphql" node audit.mjs
