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
# shellcheck source=../.ci/lib.sh
source "$ROOT/.ci/lib.sh"
rungs_bin e2e

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
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ] ||
  [ "$(node -p 'require("./node_modules/playwright-core/package.json").version')" != \
    "$(node -p 'require("./package.json").dependencies["playwright-core"]')" ]; then
  echo "e2e: installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi

mkdir -p "$ROOT/test-output"
# The server runs only the app's own operations (--persisted-only), so any
# operation the app sends that is not in its extracted list fails a test.
export RUNGS_E2E_PERSISTED_ONLY="${RUNGS_E2E_PERSISTED_ONLY:-1}"
echo "e2e: $("$CHROMIUM" --version 2>/dev/null), node $(node --version), binary $RUNGS_BIN, persisted-only=$RUNGS_E2E_PERSISTED_ONLY"
node --test --test-concurrency=1 --test-reporter=spec web.test.mjs || {
  echo "e2e: failed; the server's log is in test-output/rungs.log, screenshots beside it" >&2
  exit 1
}
