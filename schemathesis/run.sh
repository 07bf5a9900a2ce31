#!/usr/bin/env bash
# schemathesis against the live GraphQL endpoint, signed in as HR, bounded
# in examples: it fuzzes every query and mutation from the schema. The
# verdict is ours: zero HTTP 5xx responses (read from schemathesis' HAR
# report) and no panic in the server's log. GraphQL errors such as
# BAD_USER_INPUT or FORBIDDEN are the right answers to fuzzed input, so
# schemathesis' own "GraphQL error" check is not the verdict. Sign-in,
# sign-out and password changes are left out: they would end the session.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=../.ci/lib.sh
source "$ROOT/.ci/lib.sh"
rungs_bin fuzz
EXAMPLES="${FUZZ_EXAMPLES:-25}"
VENV="$ROOT/schemathesis/.venv"
if [ ! -x "$VENV/bin/schemathesis" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "schemathesis==4.32.5"
fi
start_rungs fuzz --demo
TOKEN="$(curl -fsS "http://127.0.0.1:$PORT/graphql" -H 'content-type: application/json' \
  -d '{"query":"mutation { login(email: \"hr@rungs.example\", password: \"rungs-demo-2026\") { token } }"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["login"]["token"])')"
"$VENV/bin/schemathesis" run "http://127.0.0.1:$PORT/graphql" \
  -H "Authorization: Bearer $TOKEN" -n "$EXAMPLES" --phases fuzzing \
  --exclude-name-regex '(login|logout|changePassword)' \
  --checks not_a_server_error --report har --report-dir "$WORK/report" --no-color >"$WORK/schemathesis.log" 2>&1 || true
tail -n 12 "$WORK/schemathesis.log"
python3 - "$WORK/report" "$WORK/server.log" <<'PY'
import glob, json, sys
report_dir, log = sys.argv[1], sys.argv[2]
statuses = []
for path in glob.glob(report_dir + "/**/*", recursive=True):
    try:
        with open(path) as f:
            har = json.load(f)
    except (OSError, ValueError):
        continue
    if isinstance(har, dict) and "log" in har:
        for entry in har["log"].get("entries", []):
            statuses.append(entry["response"]["status"])
server_errors = [s for s in statuses if s >= 500]
panics = sum(1 for line in open(log, errors="replace") if "panicked" in line)
print(f"schemathesis: {len(statuses)} requests, {len(server_errors)} HTTP 5xx, {panics} panics in the server log")
if not statuses:
    sys.exit("schemathesis sent no request")
sys.exit(1 if server_errors or panics else 0)
PY
