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
RUNGS_BIN="$(realpath -m "${RUNGS_BIN:-$ROOT/${CARGO_TARGET_DIR:-target}/debug/rungs}")"
EXAMPLES="${FUZZ_EXAMPLES:-25}"
VENV="$ROOT/fuzz/.venv"
if [ ! -x "$VENV/bin/schemathesis" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "schemathesis==4.32.5"
fi
WORK="$(mktemp -d)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$RUNGS_BIN" serve --demo --database-url "sqlite://$WORK/fuzz.db?mode=rwc" --bind "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 300); do
  curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
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
