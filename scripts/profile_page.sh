#!/bin/bash
# Profiles a side-by-side shape (issue 15; default the "first 100 employees"
# page; SHAPE=b_employee or SHAPE=e_progression for one employee by id) on the
# database sidebyside.py seeded (rungs_side): starts `rungs serve`, logs in
# as the harness's account, runs wrk (32 connections, 15 s, the peers' gql.lua)
# and records 5 s of `perf --call-graph dwarf` in the middle.
# Usage: [SHAPE=..] [ID_FILE=/tmp/rungs-side-*/ids.txt] bash scripts/profile_page.sh [target/release/rungs]   (run as root; perf installed)
# Then: perf report -i /tmp/profile_page.perf --children --sort symbol --stdio -g none | head -80
set -euo pipefail
BIN=${1:-target/release/rungs}
PEERS="$(cd "$(dirname "$0")/../../shared/peers" && pwd)"
PORT=18903
"$BIN" serve --database-url postgres://postgres@127.0.0.1:5432/rungs_side --bind 127.0.0.1:$PORT > /tmp/profile_page_server.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
sleep 3
TOKEN=$(curl -s -X POST -H 'Content-Type: application/json' http://127.0.0.1:$PORT/graphql \
  -d '{"query":"mutation { login(email: \"side@bench.test\", password: \"side-by-side-password-2026\") { token } }"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["login"]["token"])')
SHAPE=${SHAPE:-c_first100}
case "$SHAPE" in
  c_first100) echo '{"query":"{ employees(first: 100) { nodes { id name role { code } manager { name } certifications { kind status } } } }"}' ;;
  b_employee) echo '{"query":"query($id: ID!) { employee(id: $id) { id employeeNumber name email site market hiredOn roleSince salary { amount currency } role { code title level } certifications { kind belt language cefr status issuedOn expiresOn } } }","variables":{"id":__ID__}}' ;;
  e_progression) echo '{"query":"query($id: ID!) { employee(id: $id) { progression { eligible options { targetRole { code } status eligibleOn gaps { kind } } } } }","variables":{"id":__ID__}}' ;;
  *) echo "unknown SHAPE $SHAPE" >&2; exit 2 ;;
esac > /tmp/profile_page_body.json
# Employees' ids as the API spells them (opaque ids), one a line.
curl -s -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" http://127.0.0.1:$PORT/graphql \
  -d '{"query":"{ employees(first: 100) { nodes { id } } }"}' \
  | python3 -c 'import json,sys; print("\n".join(n["id"] for n in json.load(sys.stdin)["data"]["employees"]["nodes"]))' > /tmp/profile_page_ids.txt
# ID_FILE=<sidebyside's results folder>/ids.txt draws ids from every employee
# as sidebyside.py does (first reads, mostly); by default the first page's 100
# ids are read again and again.
env GQL_BODY_FILE=/tmp/profile_page_body.json GQL_NAME=$SHAPE GQL_TOKEN=$TOKEN GQL_ID_FILE=${ID_FILE:-/tmp/profile_page_ids.txt} \
  wrk -t1 -c32 -d15s --latency -s "$PEERS/gql.lua" http://127.0.0.1:$PORT/graphql > /tmp/profile_page_wrk.txt &
WRK=$!
sleep 4
perf record -F ${PERF_FREQ:-199} --call-graph dwarf,16384 -p $PID -o /tmp/profile_page.perf -- sleep 5 2>/dev/null
wait $WRK
grep -E "RESULT" /tmp/profile_page_wrk.txt
