#!/usr/bin/env python3
"""Helpers of scripts/cluster.sh (issue 17): GraphQL calls, the live-event
check over graphql-ws, the acknowledged-writes writer and its verification,
and HAProxy's runtime API. Standard library only, except `events`, which
needs the `websockets` package (cluster.sh runs it from a venv).

Each subcommand prints what it measured; a check that does not hold exits
with status 1 and a line starting with "FAIL".
"""

import argparse
import base64
import datetime as dt
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

QUERY_ME = "{ me { id name } }"
NOMINATE = (
    "mutation($id: ID!, $override: Boolean!, $reason: String) { nominate(input: {"
    "nomineeId: $id, targetRoleCode: \"TEAM_LEAD\", justification: \"cluster check\","
    " override: $override, overrideReason: $reason}) { id status } }"
)
APPROVE = "mutation($id: ID!) { approveNomination(id: $id, raisePercent: 20) { id status } }"
RECORD = (
    "mutation($e: ID!, $d: Date!) { recordReview(input: {employeeId: $e, periodEnd: $d,"
    " rating: 3.5}) { id periodEnd } }"
)
SUBSCRIPTION = "subscription { nominationChanged { id status } }"
# The writer's period ends: day `seq` after this one (unique per write).
WRITER_EPOCH = dt.date(1950, 1, 1)


def fail(message):
    print(f"FAIL: {message}", flush=True)
    sys.exit(1)


def post(base, query, variables=None, token=None, timeout=10.0):
    """POST /graphql at `base` (http://host:port): (HTTP status, JSON body)."""
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = json.dumps({"query": query, "variables": variables or {}})
        conn.request("POST", "/graphql", body, headers)
        response = conn.getresponse()
        raw = response.read()
        try:
            return response.status, json.loads(raw)
        except ValueError:
            return response.status, {"raw": raw[:200].decode("utf-8", "replace")}
    finally:
        conn.close()


def data_of(status, body, what):
    if status != 200 or body.get("errors") or not body.get("data"):
        fail(f"{what}: HTTP {status} {json.dumps(body)[:300]}")
    return body["data"]


# ---------------------------------------------------------------- login


def cmd_login(args):
    status, body = post(
        args.url,
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
        {"e": args.email, "p": os.environ["CLUSTER_PASSWORD"]},
    )
    print(data_of(status, body, f"login {args.email}")["login"]["token"])


def cmd_me(args):
    status, body = post(args.url, QUERY_ME, token=args.token)
    print(data_of(status, body, "me")["me"]["id"])


# ---------------------------------------------------------------- events


def cmd_events(args):
    import asyncio

    try:
        import websockets
    except ImportError:
        fail("the python package `websockets` is missing (cluster.sh installs it in a venv)")

    async def subscribe(ws_url):
        socket_ = await websockets.connect(
            ws_url + "/graphql/ws", subprotocols=["graphql-transport-ws"], open_timeout=5
        )
        await socket_.send(json.dumps({
            "type": "connection_init",
            "payload": {"Authorization": f"Bearer {args.watcher_token}"},
        }))
        ack = json.loads(await asyncio.wait_for(socket_.recv(), 5))
        if ack.get("type") != "connection_ack":
            fail(f"{ws_url}: no connection_ack: {ack}")
        await socket_.send(json.dumps(
            {"id": "n", "type": "subscribe", "payload": {"query": SUBSCRIPTION}}))
        # A query sent after the subscription completes only once the
        # server has polled the subscription (as tests/api/events.rs does).
        await socket_.send(json.dumps(
            {"id": "ready", "type": "subscribe", "payload": {"query": "{ me { id } }"}}))
        while True:
            message = json.loads(await asyncio.wait_for(socket_.recv(), 5))
            if message.get("id") == "ready" and message.get("type") == "complete":
                return socket_

    async def wait_event(socket_, want_id, want_status, deadline):
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                raw = await asyncio.wait_for(socket_.recv(), left)
            except asyncio.TimeoutError:
                return None
            message = json.loads(raw)
            if message.get("id") != "n":
                continue
            if message.get("type") != "next":
                fail(f"subscription ended: {message}")
            n = message["payload"]["data"]["nominationChanged"]
            if n["id"] == want_id and n["status"] == want_status:
                return time.monotonic()

    async def mutate(query, variables, token):
        return await asyncio.to_thread(post, args.via, query, variables, token)

    async def main():
        direct = await subscribe(args.direct)
        through_lb = await subscribe(args.lb) if args.lb else None
        status, body = post(
            args.via,
            "{ employees(first: 100, filter: {eligibleFor: \"TEAM_LEAD\"}) { nodes { id } } }",
            token=args.nominator_token,
        )
        candidates = [n["id"] for n in data_of(status, body, "eligible employees")["employees"]["nodes"]]
        if not candidates:
            fail("nobody is ELIGIBLE for TEAM_LEAD in the seeded data")
        delays = []  # (event, from request sent, from answer received)
        lb_heard = 0
        for nominee in candidates:
            if len(delays) >= 2 * args.count:
                break
            sent = time.monotonic()
            status, body = await mutate(
                NOMINATE, {"id": nominee, "override": False, "reason": None}, args.nominator_token)
            if body.get("errors"):
                code = body["errors"][0].get("extensions", {}).get("code")
                if code in ("CONFLICT", "NOT_ELIGIBLE"):
                    continue  # an open nomination from the seed, or lapsed: next one
                fail(f"nominate through instance 2: {json.dumps(body)[:300]}")
            answered = time.monotonic()
            nomination = data_of(status, body, "nominate")["nominate"]["id"]
            for step, (query, token, want) in enumerate([
                (None, None, "PENDING"),
                (APPROVE, args.approver_token, "APPROVED"),
            ]):
                if query:
                    sent = time.monotonic()
                    status, body = await mutate(query, {"id": nomination}, token)
                    data_of(status, body, "approveNomination")
                    answered = time.monotonic()
                heard = await wait_event(direct, nomination, want, sent + args.timeout)
                if heard is None:
                    fail(f"nomination {nomination} {want}: made through instance 2, "
                         f"not heard on instance 1 within {args.timeout} s")
                delays.append((want, heard - sent, heard - answered))
                if through_lb and await wait_event(through_lb, nomination, want, time.monotonic() + 2):
                    lb_heard += 1
        if len(delays) < 2 * args.count:
            fail(f"only {len(delays) // 2} nominations could be made (need {args.count})")
        from_sent = [d[1] * 1000 for d in delays]
        from_answer = [d[2] * 1000 for d in delays]
        print(f"events: {len(delays)} events ({args.count} nominations made and approved through "
              f"instance 2), heard by a subscriber on instance 1")
        print(f"events: delay from request sent: median {statistics.median(from_sent):.1f} ms, "
              f"max {max(from_sent):.1f} ms")
        print(f"events: delay from the mutation's answer: median "
              f"{statistics.median(from_answer):.1f} ms, max {max(from_answer):.1f} ms")
        if through_lb:
            print(f"events: a subscriber through HAProxy heard {lb_heard}/{len(delays)}")
            if lb_heard != len(delays):
                fail("the subscriber connected through HAProxy missed events")
        worst = max(from_sent)
        if worst > args.limit_ms:
            fail(f"an event took {worst:.0f} ms (limit {args.limit_ms} ms)")
        await direct.close()
        if through_lb:
            await through_lb.close()

    asyncio.run(main())


# ---------------------------------------------------------------- writer


def cmd_writer(args):
    """Writes reviews through the load balancer for `seconds`, `threads` at a
    time (thread k about employee k of --employees, so they do not queue on
    one person's rows); one JSON line per write: seq, employee, periodEnd,
    outcome."""
    import signal

    url = urllib.parse.urlsplit(args.url)
    lock = threading.Lock()
    counter = [args.first_seq]
    stop_at = [time.monotonic() + args.seconds]

    def stop(*_):
        stop_at[0] = 0.0  # SIGTERM: finish the writes in flight, then stop

    signal.signal(signal.SIGTERM, stop)
    out = open(args.out, "w")

    def next_seq():
        with lock:
            counter[0] += 1
            return counter[0]

    employees = args.employees.split(",")

    def worker(employee):
        conn = None
        while time.monotonic() < stop_at[0]:
            seq = next_seq()
            day = (WRITER_EPOCH + dt.timedelta(days=seq)).isoformat()
            record = {"seq": seq, "employee": employee, "periodEnd": day, "t": time.time()}
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=15)
                conn.request("POST", "/graphql", json.dumps({
                    "query": RECORD, "variables": {"e": global_id("Employee", employee), "d": day}}),
                    {"Content-Type": "application/json",
                     "Authorization": f"Bearer {args.token}"})
                response = conn.getresponse()
                raw = response.read()
                record["http"] = response.status
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {}
                review = (body.get("data") or {}).get("recordReview")
                if response.status == 200 and review and not body.get("errors"):
                    record["ack"] = row_of(review["id"])
                else:
                    record["error"] = (json.dumps(body.get("errors")) if body.get("errors")
                                       else raw[:120].decode("utf-8", "replace"))
                if response.getheader("connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as err:
                record["error"] = f"{type(err).__name__}: {err}"
                if conn is not None:
                    conn.close()
                conn = None
                time.sleep(0.01)
            record["done"] = time.time()
            with lock:
                out.write(json.dumps(record) + "\n")
                out.flush()

    threads = [threading.Thread(target=worker, args=(employees[k % len(employees)],))
               for k in range(args.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            thread.join(0.1)  # (signals reach the main thread between joins)
    out.close()


def global_id(kind, row):
    """The API's id of a row (graphql::ids: base64 of "Type:key")."""
    return base64.b64encode(f"{kind}:{row}".encode()).decode()


def row_of(global_id_text):
    """The row id behind an id the API answered."""
    return base64.b64decode(global_id_text).decode().split(":", 1)[1]


def cmd_verify(args):
    """Every acknowledged write of the writer's log is in the database (read
    with psql, not through the service); prints what failed around `kill_at`."""
    records = [json.loads(line) for line in open(args.log) if line.strip()]
    if not records:
        fail("the writer made no write")
    rows = subprocess.run(
        ["psql", args.db, "-AtF,", "-c",
         "SELECT id, employee_id, period_end FROM performance_review WHERE employee_id IN ("
         + ",".join(str(int(e)) for e in args.employees.split(",")) + ")"],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    by_id = {}
    per_day = {}
    for row in rows:
        rid, employee, day = row.split(",")
        by_id[rid] = (employee, day)
        per_day[(employee, day)] = per_day.get((employee, day), 0) + 1
    acked = [r for r in records if "ack" in r]
    failed = [r for r in records if "ack" not in r]
    key = lambda r: (str(r["employee"]), r["periodEnd"])
    lost = [r for r in acked if by_id.get(str(r["ack"])) != key(r)]
    duplicated = [k for k, n in per_day.items() if n > 1 and k[1] >= WRITER_EPOCH.isoformat()]
    unacked_present = [r for r in failed if per_day.get(key(r))]
    after = [r for r in acked if args.after and r["t"] > float(args.after)]
    print(f"{args.label}: writer: {len(records)} writes, {len(acked)} acknowledged, "
          f"{len(failed)} failed ({len(unacked_present)} of those committed anyway)")
    for r in failed[:5]:
        print(f"{args.label}:   failed write seq {r['seq']} sent at {r['t'] - float(args.after or r['t']):+.2f} s "
              f"of the event: {r.get('http', '-')} {' '.join(r.get('error', '').split())[:160]}")
    print(f"{args.label}: acknowledged writes lost: {len(lost)}; written twice: {len(duplicated)}")
    if args.after:
        print(f"{args.label}: acknowledged writes after the event: {len(after)}")
    ok = True
    if lost:
        print(f"FAIL: {args.label}: {len(lost)} acknowledged writes are not in the database, "
              f"e.g. {lost[:3]}")
        ok = False
    if duplicated:
        print(f"FAIL: {args.label}: {len(duplicated)} writes were applied twice (a non-idempotent "
              f"request was retried), e.g. periodEnd {duplicated[:3]}")
        ok = False
    if args.after and not after:
        print(f"FAIL: {args.label}: no write was acknowledged after the event")
        ok = False
    if args.max_failed is not None and len(failed) > args.max_failed:
        print(f"FAIL: {args.label}: {len(failed)} writes failed (at most {args.max_failed} allowed)")
        ok = False
    with open(args.summary, "w") as f:
        json.dump({"writes": len(records), "acked": len(acked), "failed": len(failed),
                   "lost": len(lost), "duplicated": len(duplicated)}, f)
    sys.exit(0 if ok else 1)


# ---------------------------------------------------------------- haproxy


def haproxy(sock, command):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(sock)
        s.sendall((command + "\n").encode())
        chunks = []
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks).decode()


def stats(sock, backend):
    lines = haproxy(sock, "show stat").splitlines()
    header = lines[0].lstrip("# ").split(",")
    out = {}
    for line in lines[1:]:
        if not line:
            continue
        row = dict(zip(header, line.split(",")))
        if row["pxname"] == backend:
            out[row["svname"]] = row
    return out


def cmd_hap(args):
    answer = haproxy(args.sock, " ".join(args.command))
    if answer.strip():
        print(answer.strip())


def cmd_wait_server(args):
    """Waits until server `server` has status `status` (UP, DOWN, DRAIN,
    MAINT: a prefix) and, with --idle, no current session."""
    deadline = time.monotonic() + args.timeout
    while True:
        row = stats(args.sock, args.backend).get(args.server)
        if row and row["status"].startswith(args.status) and (
                not args.idle or int(row["scur"] or 0) == 0):
            return
        if time.monotonic() > deadline:
            fail(f"HAProxy server {args.backend}/{args.server} not {args.status}"
                 f"{' and idle' if args.idle else ''} after {args.timeout} s: "
                 f"{row and (row['status'], row['scur'])}")
        time.sleep(0.05)


def cmd_stat(args):
    """One line per server: status, requests sent, retries, redispatches."""
    for name, row in stats(args.sock, args.backend).items():
        print(f"{args.label}: haproxy {name}: status {row['status']}, sessions {row['stot']}, "
              f"connection errors {row['econ'] or 0}, response errors {row['eresp'] or 0}, "
              f"retries {row['wretr'] or 0}, redispatches {row['wredis'] or 0}")


def cmd_freeports(args):
    sockets = []
    for _ in range(args.n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
    print(" ".join(str(s.getsockname()[1]) for s in sockets))
    for s in sockets:
        s.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("login", help="print a token (password in $CLUSTER_PASSWORD)")
    p.add_argument("url")
    p.add_argument("email")
    p.set_defaults(func=cmd_login)

    p = sub.add_parser("me", help="print the token's employee id")
    p.add_argument("url")
    p.add_argument("token")
    p.set_defaults(func=cmd_me)

    p = sub.add_parser("events", help="a decision through one instance is heard on another")
    p.add_argument("--direct", required=True, help="ws://host:port of instance 1")
    p.add_argument("--lb", help="ws://host:port of the load balancer (a second subscriber)")
    p.add_argument("--via", required=True, help="http://host:port of instance 2")
    p.add_argument("--watcher-token", required=True)
    p.add_argument("--nominator-token", required=True)
    p.add_argument("--approver-token", required=True)
    p.add_argument("--count", type=int, default=3)
    p.add_argument("--timeout", type=float, default=5.0)
    p.add_argument("--limit-ms", type=float, default=1000.0)
    p.set_defaults(func=cmd_events)

    p = sub.add_parser("writer", help="acknowledged writes through the load balancer")
    p.add_argument("--url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--employees", required=True, help="comma-separated ids")
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--first-seq", type=int, default=0)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_writer)

    p = sub.add_parser("verify", help="every acknowledged write is in the database")
    p.add_argument("--log", required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--employees", required=True, help="comma-separated ids")
    p.add_argument("--label", required=True)
    p.add_argument("--after", help="unix time of the event (kill, restart)")
    p.add_argument("--max-failed", type=int)
    p.add_argument("--summary", required=True)
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("hap", help="a command on HAProxy's runtime API")
    p.add_argument("sock")
    p.add_argument("command", nargs="+")
    p.set_defaults(func=cmd_hap)

    p = sub.add_parser("wait-server")
    p.add_argument("sock")
    p.add_argument("backend")
    p.add_argument("server")
    p.add_argument("status")
    p.add_argument("--idle", action="store_true")
    p.add_argument("--timeout", type=float, default=15.0)
    p.set_defaults(func=cmd_wait_server)

    p = sub.add_parser("stat")
    p.add_argument("sock")
    p.add_argument("backend")
    p.add_argument("label")
    p.set_defaults(func=cmd_stat)

    p = sub.add_parser("freeports")
    p.add_argument("n", type=int)
    p.set_defaults(func=cmd_freeports)

    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
