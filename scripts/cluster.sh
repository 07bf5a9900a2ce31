#!/usr/bin/env bash
# Rungs behind a real load balancer (issue 17): three `rungs serve` against
# one PostgreSQL database, HAProxy in front, and four checks.
#
# Usage:
#   RUNGS_BIN=target/release/rungs bash scripts/cluster.sh     # full: 10 s load runs
#   CLUSTER_QUICK=1 bash scripts/cluster.sh                     # CI: 3 s runs, about a minute
#
# Environment:
#   RUNGS_BIN           the binary (default target/release/rungs, else target/debug/rungs)
#   RUNGS_CLUSTER_PG    PostgreSQL server URL without a database
#                       (default postgres://postgres@127.0.0.1:5432); the script
#                       creates the database rungs_cluster_<pid> and drops it at exit
#   CLUSTER_QUICK=1     short load runs (3 s) for CI
#   CLUSTER_POOL        --db-pool of each instance (default 8)
#   CLUSTER_CONNS       wrk connections (default 32; 2 threads)
#   CLUSTER_DRAIN       how the rolling restart takes an instance out of rotation:
#                       auto (default): "server" when `rungs serve` has --drain-ms, else "api";
#                       server: SIGTERM alone (instances run with --drain-ms 1500): the
#                               script checks that /readyz answers 503 at once and
#                               that HAProxy's health check takes the instance out;
#                       api:    HAProxy runtime API `set server be_rungs/sN state drain`,
#                               wait until it has no session, then SIGTERM;
#                       none:   SIGTERM alone without --drain-ms (shows what a plain
#                               graceful shutdown costs).
#   CLUSTER_KEEP_LOGS=1 keep the temporary folder (logs, haproxy.cfg) at exit
#
# What it checks (each prints its figures; any that does not hold makes the
# script exit 1 with a line starting "FAIL"):
#   a. events: a `nominationChanged` subscriber connected directly to
#      instance 1 (graphql-transport-ws) hears nominations made and approved
#      through instance 2 within 1 s (median and max delay printed); a second
#      subscriber through HAProxy (WebSocket tunnel) hears them too.
#   b. throughput through HAProxy of `{ me { id name } }` with a token, one
#      instance in rotation (the others in MAINT) vs three: req/s and p50.
#      Fails on any failed request.
#   c. kill -9 of instance 2 under load through HAProxy: wrk reads (32
#      connections), wrk writes (recordReview, 4 connections) and an
#      acknowledged-writes writer (recordReview, 4 threads): failed reads
#      (must be 0: HAProxy retries them on another instance), failed writes
#      (at most those in flight, 4 + 4: they are never retried), acknowledged
#      writes missing from the database (read with psql; must be 0), writes
#      applied twice (must be 0), and that the other instances kept answering.
#   d. rolling restart of the three instances (one at a time, drained first,
#      SIGTERM, started again on the same port, back in rotation once
#      /readyz answers) under the same load: failed requests (must be 0) and
#      acknowledged writes lost (must be 0).
# Installs haproxy, wrk and the PostgreSQL client with apt-get when missing,
# and the python package `websockets` in a venv under ~/.cache/rungs-cluster.
# Everything it started (instances, HAProxy, wrk, writers) and the database
# are removed at exit, whatever happens.

set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
QUICK="${CLUSTER_QUICK:-0}"
if [[ "$QUICK" == 1 ]]; then LOAD_S=3; EVENTS=3; else LOAD_S=10; EVENTS=5; fi
PG="${RUNGS_CLUSTER_PG:-postgres://postgres@127.0.0.1:5432}"
PG="${PG%/}"
POOL="${CLUSTER_POOL:-8}"
CONNS="${CLUSTER_CONNS:-32}"
DRAIN="${CLUSTER_DRAIN:-auto}"
DB="rungs_cluster_$$"
DB_URL="$PG/$DB"
ADMIN_URL="$PG/postgres"
N=3
if [[ -z "${RUNGS_BIN:-}" ]]; then
    if [[ -x "$ROOT/target/release/rungs" ]]; then RUNGS_BIN="$ROOT/target/release/rungs"
    else RUNGS_BIN="$ROOT/target/debug/rungs"; fi
fi

say() { printf '%s\n' "$*"; }
FAILED=0
fail() { say "FAIL: $*"; FAILED=1; }
die() { say "FAIL: $*"; exit 1; }

# ------------------------------------------------------------ prerequisites
need=()
command -v haproxy >/dev/null || need+=(haproxy)
command -v wrk >/dev/null || need+=(wrk)
command -v psql >/dev/null || need+=(postgresql-client)
command -v curl >/dev/null || need+=(curl)
if ((${#need[@]})); then
    say "installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
[[ -x "$RUNGS_BIN" ]] || die "no rungs binary at $RUNGS_BIN (cargo build --release, or set RUNGS_BIN)"
VENV="${XDG_CACHE_HOME:-$HOME/.cache}/rungs-cluster/venv"
if ! "$VENV/bin/python" -c 'import websockets' 2>/dev/null; then
    say "installing the python package websockets in $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q websockets
fi
PY="$VENV/bin/python"
TOOL=("$PY" "$HERE/cluster_tool.py")
pg_isready -d "$ADMIN_URL" -q || die "PostgreSQL does not answer at $PG"

# ------------------------------------------------------------ cleanup
TMP="$(mktemp -d -t rungs-cluster.XXXXXX)"
declare -a PID PORT
HAPROXY_PID=""
BG_PIDS=()
DB_CREATED=0
cleanup() {
    local status=$?
    set +e
    for pid in "${BG_PIDS[@]}" "${PID[@]}" $HAPROXY_PID; do
        [[ -n "$pid" ]] && kill "$pid" 2>/dev/null
    done
    sleep 0.5
    for pid in "${BG_PIDS[@]}" "${PID[@]}" $HAPROXY_PID; do
        [[ -n "$pid" ]] && kill -9 "$pid" 2>/dev/null
    done
    wait 2>/dev/null
    if ((DB_CREATED)); then
        psql "$ADMIN_URL" -qAt -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 ||
            say "warning: could not drop database $DB"
    fi
    if [[ "${CLUSTER_KEEP_LOGS:-0}" == 1 || $status -ne 0 ]]; then
        say "logs kept in $TMP"
    else
        rm -rf "$TMP"
    fi
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------ database
PG_MAX=$(psql "$ADMIN_URL" -qAt -c "SHOW max_connections")
PG_USED=$(psql "$ADMIN_URL" -qAt -c "SELECT count(*) FROM pg_stat_activity")
NEED=$(( (POOL + 2) * N ))
say "setup: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine lowers the throughput figures)"
say "setup: PostgreSQL max_connections $PG_MAX, $PG_USED in use; $N instances x (--db-pool $POOL + 2) = $NEED"
(( NEED + PG_USED < PG_MAX )) || die "$N x (--db-pool $POOL + 2) = $NEED does not fit in max_connections $PG_MAX ($PG_USED in use)"
psql "$ADMIN_URL" -qAt -c "CREATE DATABASE $DB" >/dev/null
DB_CREATED=1
export RUST_LOG="${CLUSTER_RUST_LOG:-warn,rungs::startup=info}"
unset DATABASE_URL RUNGS_BIND RUNGS_DB_POOL
"$RUNGS_BIN" migrate --database-url "$DB_URL" >"$TMP/migrate.log" 2>&1 || { cat "$TMP/migrate.log"; die "rungs migrate"; }
"$RUNGS_BIN" seed --employees 2000 --seed 11 --database-url "$DB_URL" 2>&1 | grep '^seeded' | sed 's/^/setup: /'
PASSWORD="cluster-$$-$RANDOM$RANDOM"
export CLUSTER_PASSWORD="$PASSWORD"
for who in nominator approver watcher target1 target2 target3 target4; do
    printf '%s\n' "$PASSWORD" | "$RUNGS_BIN" create-user --database-url "$DB_URL" \
        --email "$who@cluster.test" --name "Cluster ${who^}" --access-role HR --password-stdin >/dev/null 2>>"$TMP/setup.log" ||
        die "create-user $who (see $TMP/setup.log)"
done

# ------------------------------------------------------------ instances
read -r -a PORT <<<"0 $("${TOOL[@]}" freeports $((N + 1)))"
LB_PORT=${PORT[N + 1]}
LB="http://127.0.0.1:$LB_PORT"
HAS_DRAIN_FLAG=0
"$RUNGS_BIN" serve --help | grep -q -- '--drain-ms' && HAS_DRAIN_FLAG=1
if [[ "$DRAIN" == auto ]]; then
    if ((HAS_DRAIN_FLAG)); then DRAIN=server; else DRAIN=api; fi
fi
SERVE_FLAGS=(--database-url "$DB_URL" --db-pool "$POOL" --log-format json --production)
if [[ "$DRAIN" == server ]]; then
    ((HAS_DRAIN_FLAG)) || die "CLUSTER_DRAIN=server but $RUNGS_BIN serve has no --drain-ms"
    # Past two health-check intervals (500 ms) and a check's round trip.
    SERVE_FLAGS+=(--drain-ms 1500)
fi
start_instance() {
    local i=$1
    "$RUNGS_BIN" serve "${SERVE_FLAGS[@]}" --bind "127.0.0.1:${PORT[i]}" >>"$TMP/rungs$i.log" 2>&1 &
    PID[i]=$!
}
wait_ready() {
    local i=$1 deadline=$((SECONDS + 60))
    until curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:${PORT[i]}/readyz"; do
        kill -0 "${PID[i]}" 2>/dev/null || { tail -20 "$TMP/rungs$i.log"; die "instance $i exited while starting"; }
        ((SECONDS < deadline)) || die "instance $i not ready after 60 s"
        sleep 0.1
    done
}
for i in $(seq 1 $N); do start_instance "$i"; done
for i in $(seq 1 $N); do wait_ready "$i"; done
say "setup: $N instances on ports ${PORT[*]:1:N} (pids ${PID[*]:1:N}), database $DB, rolling-restart drain: $DRAIN"

# ------------------------------------------------------------ haproxy
SOCK="$TMP/haproxy.sock"
cat >"$TMP/haproxy.cfg" <<EOF
global
    maxconn 4096
    stats socket $SOCK mode 600 level admin
    log stdout format raw local0

defaults
    mode http
    log global
    option httplog
    # Only requests that went wrong are logged (and every server state change).
$( [[ "${CLUSTER_HAPROXY_LOG_ALL:-0}" == 1 ]] || echo "    option dontlog-normal" )
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    timeout http-request 10s
    timeout http-keep-alive 10s
    # A WebSocket (/graphql/ws) lives this long once upgraded.
    timeout tunnel 1h
    timeout client-fin 5s
    # A connection refused or reset by a dead backend is tried again, on
    # another server (redispatch on every retry).
    retries 3
    option redispatch 1

frontend fe_rungs
    bind 127.0.0.1:$LB_PORT
    default_backend be_rungs

backend be_rungs
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    # A failed check takes a server out at once, one good check brings it back.
    default-server check inter 500ms fastinter 250ms downinter 500ms fall 1 rise 1
    # Layer-7 retries (a request sent, then the connection closed with no
    # answer: a killed instance) need the whole request buffered. They are
    # safe for queries only: GraphQL sends both over POST, so any body that
    # mentions "mutation" gets connection-failure retries only (nothing was
    # sent then), never a second delivery.
    option http-buffer-request
    retry-on conn-failure empty-response junk-response
    http-request disable-l7-retry if { req.body -m sub -i mutation }
EOF
for i in $(seq 1 $N); do
    printf '    server s%d 127.0.0.1:%d\n' "$i" "${PORT[i]}" >>"$TMP/haproxy.cfg"
done
haproxy -c -q -f "$TMP/haproxy.cfg" || die "haproxy.cfg does not parse ($TMP/haproxy.cfg)"
haproxy -db -f "$TMP/haproxy.cfg" >"$TMP/haproxy.log" 2>&1 &
HAPROXY_PID=$!
for _ in $(seq 50); do [[ -S "$SOCK" ]] && break; sleep 0.1; done
hap() { "${TOOL[@]}" hap "$SOCK" "$@"; }
wait_server() { "${TOOL[@]}" wait-server "$SOCK" be_rungs "$@"; }
for i in $(seq 1 $N); do wait_server "s$i" UP; done
say "setup: HAProxy on $LB_PORT (pid $HAPROXY_PID), config $TMP/haproxy.cfg"

NOMINATOR=$("${TOOL[@]}" login "$LB" nominator@cluster.test)
APPROVER=$("${TOOL[@]}" login "$LB" approver@cluster.test)
WATCHER=$("${TOOL[@]}" login "$LB" watcher@cluster.test)
# The writer records reviews about target1..4 (one per thread), wrk's
# writes about any seeded employee.
WRITE_TARGETS=$(psql "$DB_URL" -qAt -c "SELECT string_agg(id::text, ',' ORDER BY email) FROM employee WHERE email LIKE 'target_@cluster.test'")
read -r SEED_FIRST SEED_LAST SEED_COUNT < <(psql "$DB_URL" -qAt -F' ' -c "SELECT min(id), max(id), count(*) FROM employee WHERE email NOT LIKE '%@cluster.test'")
((SEED_LAST - SEED_FIRST + 1 == SEED_COUNT)) || die "seeded employee ids are not contiguous ($SEED_FIRST..$SEED_LAST, $SEED_COUNT)"
WRITER_TOKEN=$NOMINATOR
LOAD_TOKEN=$APPROVER

# wrk through HAProxy; prints the RESULT line into $2 (a file). wrk stops
# early, with its results, on SIGINT.
run_wrk() {
    local seconds=$1 out=$2 mode=$3
    exec wrk -t2 -c"$CONNS" -d"${seconds}s" --timeout 10s -s "$HERE/cluster_wrk.lua" "$LB/graphql" \
        -- "$LOAD_TOKEN" "$mode" "$SEED_FIRST" "$SEED_LAST" >"$out" 2>&1
}
field() { grep '^RESULT' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
failed_requests() { echo $(( $(field "$1" non2xx) + $(field "$1" socket_errors) + $(field "$1" gql_errors) )); }

# ------------------------------------------------------------ a. events
say ""
say "== a. an event across instances"
"${TOOL[@]}" events --direct "ws://127.0.0.1:${PORT[1]}" --lb "ws://127.0.0.1:$LB_PORT" \
    --via "http://127.0.0.1:${PORT[2]}" --watcher-token "$WATCHER" \
    --nominator-token "$NOMINATOR" --approver-token "$APPROVER" --count "$EVENTS" --limit-ms 1000 ||
    fail "events across instances"

# ------------------------------------------------------------ b. throughput
say ""
say "== b. throughput through HAProxy, { me { id name } } with a token, ${LOAD_S} s, $CONNS connections"
(run_wrk 1 "$TMP/warm.txt" read)
for i in $(seq 2 $N); do hap set server "be_rungs/s$i" state maint; done
for i in $(seq 2 $N); do wait_server "s$i" MAINT; done
(run_wrk "$LOAD_S" "$TMP/one.txt" read)
for i in $(seq 2 $N); do hap set server "be_rungs/s$i" state ready; done
for i in $(seq 2 $N); do wait_server "s$i" UP; done
(run_wrk "$LOAD_S" "$TMP/three.txt" read)
for f in one three; do
    grep -q '^RESULT' "$TMP/$f.txt" || { cat "$TMP/$f.txt"; die "wrk gave no result"; }
done
say "throughput: 1 instance:  $(field "$TMP/one.txt" rps) req/s, p50 $(field "$TMP/one.txt" p50_ms) ms, p99 $(field "$TMP/one.txt" p99_ms) ms, failed $(failed_requests "$TMP/one.txt")"
say "throughput: 3 instances: $(field "$TMP/three.txt" rps) req/s, p50 $(field "$TMP/three.txt" p50_ms) ms, p99 $(field "$TMP/three.txt" p99_ms) ms, failed $(failed_requests "$TMP/three.txt")"
say "throughput: ratio $(awk -v a="$(field "$TMP/three.txt" rps)" -v b="$(field "$TMP/one.txt" rps)" 'BEGIN { printf "%.2f", a / b }') (all on this machine's $(nproc) cores: wrk, HAProxy, PostgreSQL and the instances share them)"
for f in one three; do
    (( $(failed_requests "$TMP/$f.txt") == 0 )) || fail "throughput run ($f) had failed requests: $(grep FIRST_ERROR "$TMP/$f.txt")"
done

# ------------------------------------------------------------ c. kill -9
say ""
say "== c. kill -9 of instance 2 under load (wrk reads and writes, and a writer), ${LOAD_S} s"
SEQ_BASE=0
# Runs, through HAProxy, for $1 seconds: wrk reads ($CONNS connections),
# wrk writes (4 connections, recordReview), and the acknowledged-writes
# writer (4 threads), in the background.
start_load() {
    local seconds=$1 tag=$2
    "${TOOL[@]}" writer --url "$LB" --token "$WRITER_TOKEN" --employees "$WRITE_TARGETS" \
        --seconds "$seconds" --threads 4 --first-seq "$SEQ_BASE" --out "$TMP/writes-$tag.jsonl" &
    WRITER_PID=$!
    run_wrk "$seconds" "$TMP/wrk-$tag-read.txt" read &
    WRK_PID=$!
    CONNS=4 run_wrk "$seconds" "$TMP/wrk-$tag-write.txt" write &
    WRK_W_PID=$!
    BG_PIDS+=("$WRITER_PID" "$WRK_PID" "$WRK_W_PID")
    SEQ_BASE=$((SEQ_BASE + 20000))   # writer periodEnds: 1950 + SEQ_BASE days, ...
}
wait_load() { wait "$WRK_PID" || true; wait "$WRK_W_PID" || true; wait "$WRITER_PID" || true; }
stop_load() { kill -INT "$WRK_PID" "$WRK_W_PID" 2>/dev/null || true; kill -TERM "$WRITER_PID" 2>/dev/null || true; wait_load; }
# Prints the figures of a load run ($1: kill or rolling).
report_load() {
    local tag=$1 f
    for kind in read write; do
        f="$TMP/wrk-$tag-$kind.txt"
        grep -q '^RESULT' "$f" || { cat "$f"; die "wrk gave no result ($f)"; }
        say "$tag: wrk ${kind}s: $(field "$f" requests) requests, $(field "$f" rps) req/s, p50 $(field "$f" p50_ms) ms; failed: $(failed_requests "$f") (non-2xx $(field "$f" non2xx), socket errors $(field "$f" socket_errors), GraphQL errors $(field "$f" gql_errors))"
        grep '^FIRST_ERROR' "$f" | cut -c1-200 | sed "s/^/$tag: wrk ${kind}s: /" || true
    done
}
KILL_AFTER=$(awk -v s="$LOAD_S" 'BEGIN { printf "%.1f", s / 3 }')
hap clear counters all
start_load "$LOAD_S" kill
sleep "$KILL_AFTER"
KILLED_AT=$(date +%s.%N)
kill -9 "${PID[2]}"
wait "${PID[2]}" 2>/dev/null || true
# The others keep answering, directly and through HAProxy.
sleep 0.5
answering=0
for i in 1 3; do
    curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:${PORT[i]}/readyz" && answering=$((answering + 1))
done
wait_server s2 DOWN --timeout 5
say "kill: instance 2 killed at +$KILL_AFTER s; HAProxy marked s2 DOWN; instances 1 and 3 answering /readyz: $answering/2"
wait_load
report_load kill
KILL_READS_FAILED=$(failed_requests "$TMP/wrk-kill-read.txt")
KILL_WRITES_FAILED=$(failed_requests "$TMP/wrk-kill-write.txt")
"${TOOL[@]}" verify --log "$TMP/writes-kill.jsonl" --db "$DB_URL" --employees "$WRITE_TARGETS" \
    --label kill --after "$KILLED_AT" --max-failed 4 --summary "$TMP/verify-kill.json" || fail "acknowledged writes across kill -9"
"${TOOL[@]}" stat "$SOCK" be_rungs kill
((answering == 2)) || fail "instances 1 and 3 did not both answer after instance 2 was killed"
# Reads in flight on instance 2 are retried on another (retry-on
# empty-response); writes in flight are not (they may have committed), so at
# most the writes in flight may fail: wrk's 4 write connections.
((KILL_READS_FAILED == 0)) || fail "$KILL_READS_FAILED reads failed after kill -9 (HAProxy should retry them on another instance)"
((KILL_WRITES_FAILED <= 4)) || fail "$KILL_WRITES_FAILED wrk writes failed after kill -9 (more than the 4 in flight: HAProxy did not take s2 out)"
start_instance 2
wait_ready 2
wait_server s2 UP
say "kill: instance 2 started again (pid ${PID[2]}), back in rotation"

# ------------------------------------------------------------ d. rolling restart
say ""
say "== d. rolling restart of the $N instances under load (drain: $DRAIN)"
hap clear counters all
start_load 600 rolling
sleep 1
ROLL_START=$(date +%s.%N)
for i in $(seq 1 $N); do
    t0=$(date +%s.%N)
    case "$DRAIN" in
        api)
            hap set server "be_rungs/s$i" state drain
            wait_server "s$i" DRAIN --idle --timeout 15
            kill -TERM "${PID[i]}" ;;
        server)
            # The instance must answer /readyz 503 from SIGTERM on (while it
            # still serves), so that HAProxy's check takes it out.
            kill -TERM "${PID[i]}"
            code=000
            for _ in $(seq 40); do
                code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:${PORT[i]}/readyz" || true)
                [[ "$code" == 503 ]] && break
                sleep 0.05
            done
            [[ "$code" == 503 ]] || fail "instance $i: /readyz answered $code after SIGTERM, not 503: HAProxy cannot drain it"
            wait_server "s$i" DOWN --timeout 5
            say "rolling: instance $i: /readyz 503 after SIGTERM, HAProxy took it out $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') s after SIGTERM" ;;
        none)
            kill -TERM "${PID[i]}" ;;
        *) die "CLUSTER_DRAIN=$DRAIN: auto, server, api or none" ;;
    esac
    wait "${PID[i]}" 2>/dev/null || true
    t1=$(date +%s.%N)
    start_instance "$i"
    wait_ready "$i"
    [[ "$DRAIN" == api ]] && hap set server "be_rungs/s$i" state ready
    wait_server "s$i" UP --timeout 15
    t2=$(date +%s.%N)
    say "rolling: instance $i: out and stopped in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s, back in rotation $(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.2f", b - a }') s later (pid ${PID[i]})"
done
sleep 1
ROLL_END=$(date +%s.%N)
stop_load
report_load rolling
ROLL_FAILED=$(( $(failed_requests "$TMP/wrk-rolling-read.txt") + $(failed_requests "$TMP/wrk-rolling-write.txt") ))
"${TOOL[@]}" verify --log "$TMP/writes-rolling.jsonl" --db "$DB_URL" --employees "$WRITE_TARGETS" \
    --label rolling --max-failed 0 --summary "$TMP/verify-rolling.json" || fail "acknowledged writes across the rolling restart"
"${TOOL[@]}" stat "$SOCK" be_rungs rolling
((ROLL_FAILED == 0)) || fail "$ROLL_FAILED requests failed during the rolling restart (target 0)"

# ------------------------------------------------------------ summary
say ""
# Request lines of HAProxy's log (only those that were not plain: a retry, an
# error, an abort); idle client connections closed unused (CR, <BADREQ>) are
# left out. A request whose server connection closed without an answer on a
# reused client connection is not logged: HAProxy closes the client
# connection silently so that the client may retry (wrk: a read error).
HLOG="$TMP/haproxy.log"
retried=$(grep ' fe_rungs be_rungs/' "$HLOG" | awk '{ split($11, a, "/"); if (a[5] != "0") n++ } END { print n + 0 }')
errored=$(grep ' fe_rungs be_rungs/' "$HLOG" | awk '$6 >= 500 || $10 != "----" { n++ } END { print n + 0 }')
say "haproxy: requests retried or redispatched (logged): $retried; answered with an error or cut (logged): $errored"
if ((FAILED)); then
    say "cluster: FAILED (logs in $TMP)"
    CLUSTER_KEEP_LOGS=1
    exit 1
fi
say "cluster: all checks passed"
