#!/usr/bin/env bash
# Real GraphQL clients against Rungs (issue 18), each a short script:
#   - GraphQL Code Generator types the README's operations (scalars as the
#     README's Clients section says) and tsc typechecks code that uses them;
#   - relay-compiler compiles a @refetchable fragment on Employee and a
#     @connection, and their generated queries run against the server;
#   - Apollo Client normalises every entity of the README's operations with
#     no cache warning (--conditions=development turns its warnings on);
#   - graphql-ws receives nominationChanged.
# Against an already-built binary (RUNGS_BIN, default target/debug/rungs)
# serving the demo organisation on a fresh SQLite file.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=../.ci/lib.sh
source "$ROOT/.ci/lib.sh"
rungs_bin clients
cd "$ROOT/clients"
need_npm_packages @apollo/client
echo "clients: node $(node --version); $(node -p 'const d=require("./package.json").dependencies; Object.entries(d).map(([k,v])=>k+" "+v).join(", ")')"

# The README's GraphQL operations, one file each.
rm -rf operations generated relay/__generated__
mkdir -p operations relay/__generated__
python3 - "$ROOT/README.md" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for i, block in enumerate(re.findall(r"```graphql\n(.*?)```", text, re.S)):
    open(f"operations/readme{i + 1}.graphql", "w").write(block)
PY

./node_modules/.bin/graphql-codegen --config codegen.ts --silent
./node_modules/.bin/tsc --noEmit --strict --target es2022 --module esnext --moduleResolution bundler check.ts
echo "codegen: $(ls operations | wc -l) README operations typed and typechecked"
./node_modules/.bin/relay-compiler >/dev/null
echo "relay-compiler: compiled $(ls relay/__generated__ | wc -l) artifacts"

start_rungs clients --demo
export RUNGS_URL="http://127.0.0.1:$PORT/graphql"
node relay.mjs
node --conditions=development apollo.mjs
node ws.mjs
