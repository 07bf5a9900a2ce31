#!/usr/bin/env bash
# End-to-end tests of the web app in headless Chromium. Installs Debian's
# chromium and this folder's npm dependencies when they are missing, then
# runs the tests against an already-built binary:
#
#   cargo build && bash e2e/run.sh
#   RUNGS_BIN=/path/to/rungs bash e2e/run.sh
#
# Screenshots land in test-output/ at the repository root (gitignored).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ -n "${RUNGS_BIN:-}" ]; then
  RUNGS_BIN="$(realpath -m "$RUNGS_BIN")"
else
  RUNGS_BIN="$ROOT/${CARGO_TARGET_DIR:-target}/debug/rungs"
  case "${CARGO_TARGET_DIR:-}" in /*) RUNGS_BIN="$CARGO_TARGET_DIR/debug/rungs" ;; esac
fi
export RUNGS_BIN
if [ ! -x "$RUNGS_BIN" ]; then
  echo "e2e: no rungs binary at $RUNGS_BIN (run cargo build, or set RUNGS_BIN)" >&2
  exit 1
fi

export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  echo "e2e: installing Debian's chromium"
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "e2e: installing Node.js and npm"
  apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
fi

cd "$ROOT/e2e"
if [ ! -d node_modules/playwright-core ] ||
  [ "$(node -p 'require("./node_modules/playwright-core/package.json").version')" != \
    "$(node -p 'require("./package.json").dependencies["playwright-core"]')" ]; then
  echo "e2e: installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi

mkdir -p "$ROOT/test-output"
echo "e2e: $("$CHROMIUM" --version 2>/dev/null), node $(node --version), binary $RUNGS_BIN"
node --test --test-concurrency=1 --test-reporter=spec web.test.mjs || {
  echo "e2e: failed; the server's log is in test-output/rungs.log, screenshots beside it" >&2
  exit 1
}
