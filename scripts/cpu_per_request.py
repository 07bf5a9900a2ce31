#!/usr/bin/env python3
"""CPU per request of the side-by-side shapes, for comparing builds of rungs.

Throughput on this shared 2-core machine moves by a third between runs of
one binary; the CPU a request costs moves much less. This script starts each
binary in turn on the database the side-by-side harness seeded (rungs_side),
drives one shape with wrk (the peers' gql.lua, 32 connections), and reads
from /proc how much CPU the rungs process and the PostgreSQL backends used.
Binaries are interleaved run by run, and the median of the runs is printed.

    python3 scripts/cpu_per_request.py --rungs /tmp/rungs-a --rungs /tmp/rungs-b \
        [--shape c_first100] [--runs 3] [--seconds 8]

Needs wrk, psql, and `python3 ../shared/peers/sidebyside.py` run once (it seeds
rungs_side and creates side@bench.test).
"""
import argparse
import json
import os
import statistics
import subprocess
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.join(HERE, "..", "..", "shared", "peers")
LUA = os.path.join(PEERS, "gql.lua")
DB = "postgres://postgres@127.0.0.1:5432/rungs_side"
PORT = 18904
TICK = os.sysconf("SC_CLK_TCK")

SHAPES = {
    "a_typename_token": ("{ __typename }", False),
    "b_employee": ("query($id: ID!) { employee(id: $id) { id employeeNumber name email site market hiredOn "
                   "roleSince salary { amount currency } role { code title level } "
                   "certifications { kind belt language cefr status issuedOn expiresOn } } }", True),
    "c_first100": ("{ employees(first: 100) { nodes { id name role { code } manager { name } "
                   "certifications { kind status } } } }", False),
    "e_progression": ("query($id: ID!) { employee(id: $id) { progression { eligible options { "
                      "targetRole { code } status eligibleOn gaps { kind } } } } }", True),
}


def cpu_ticks(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime
        except OSError:
            pass
    return total


def postgres_pids():
    out = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def post(url, query, token=None):
    req = urllib.request.Request(url, json.dumps({"query": query}).encode(),
                                 {"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    return json.load(urllib.request.urlopen(req))


def one_run(binary, shape, seconds, conns):
    url = f"http://127.0.0.1:{PORT}/graphql"
    server = subprocess.Popen([binary, "serve", "--database-url", DB, "--bind", f"127.0.0.1:{PORT}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        token = post(url, 'mutation { login(email: "side@bench.test", '
                          'password: "side-by-side-password-2026") { token } }')["data"]["login"]["token"]
        query, vary = SHAPES[shape]
        body = {"query": query}
        if vary:
            ids = post(url, "{ employees(first: 100) { nodes { id } } }", token)["data"]["employees"]["nodes"]
            with open("/tmp/cpu_ids.txt", "w") as f:
                f.write("\n".join(n["id"] for n in ids))
            body["variables"] = {"id": "__ID__"}
        text = json.dumps(body, separators=(",", ":")).replace('"__ID__"', "__ID__")
        with open("/tmp/cpu_body.json", "w") as f:
            f.write(text)
        env = dict(os.environ, GQL_BODY_FILE="/tmp/cpu_body.json", GQL_NAME=shape, GQL_TOKEN=token)
        if vary:
            env["GQL_ID_FILE"] = "/tmp/cpu_ids.txt"
        subprocess.run(["wrk", "-t1", f"-c{conns}", "-d2s", "-s", LUA, url], env=env, capture_output=True)
        pg = postgres_pids()
        before = (cpu_ticks([server.pid]), cpu_ticks(pg))
        out = subprocess.run(["wrk", "-t1", f"-c{conns}", f"-d{seconds}s", "-s", LUA, url],
                             env=env, capture_output=True, text=True).stdout
        after = (cpu_ticks([server.pid]), cpu_ticks(pg))
        line = next(l for l in out.splitlines() if l.startswith("RESULT"))
        res = dict(kv.split("=", 1) for kv in line.split()[1:])
        n = int(res["requests"])
        assert res["gql_errors"] == "0" and res["non200"] == "0", line
        return {"rps": float(res["rps"]),
                "rungs_us": (after[0] - before[0]) / TICK / n * 1e6,
                "pg_us": (after[1] - before[1]) / TICK / n * 1e6}
    finally:
        server.terminate()
        server.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rungs", action="append", required=True)
    ap.add_argument("--shape", action="append")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--conns", type=int, default=32)
    a = ap.parse_args()
    shapes = a.shape or ["c_first100"]
    print("| shape | binary | req/s | rungs CPU µs/request | PostgreSQL CPU µs/request |")
    print("|---|---|---:|---:|---:|")
    for shape in shapes:
        runs = {b: [] for b in a.rungs}
        for _ in range(a.runs):
            for b in a.rungs:
                runs[b].append(one_run(b, shape, a.seconds, a.conns))
        for b in a.rungs:
            med = {k: statistics.median(r[k] for r in runs[b]) for k in ("rps", "rungs_us", "pg_us")}
            print(f"| {shape} | {os.path.basename(b)} | {med['rps']:,.0f} | {med['rungs_us']:,.0f} | "
                  f"{med['pg_us']:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
