#!/usr/bin/env bash
# Rungs as an Apollo Federation 2 subgraph (issue 18): composes it with a
# payroll stub (@apollo/subgraph) through @apollo/gateway and runs queries
# that join both, against an already-built binary (RUNGS_BIN, default
# target/debug/rungs) serving the demo organisation on a fresh SQLite file.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=../.ci/lib.sh
source "$ROOT/.ci/lib.sh"
rungs_bin federation
cd "$ROOT/federation"
need_npm_packages @apollo/gateway
start_rungs federation --demo
RUNGS_URL="http://127.0.0.1:$PORT/graphql" node gateway.mjs
