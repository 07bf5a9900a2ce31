#!/usr/bin/env python3
"""Runs the attacks of issue 13 against a real `rungs serve --demo` and
prints, per attack, what the server answered, its peak memory (VmHWM is
reset between attacks by reading VmRSS samples) and the /healthz latency
(p50 / p99 / max) measured while the attack ran.

    cargo build --release
    python3 scripts/attacks.py --rungs target/release/rungs

Standard library only; every request goes to 127.0.0.1.
"""

import argparse
import concurrent.futures as cf
import http.client
import json
import os
import socket
import subprocess
import tempfile
import threading
import time

DEMO_PASSWORD = "rungs-demo-2026"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, extra):
        self.dir = tempfile.mkdtemp(prefix="rungs-attacks-")
        self.port = free_port()
        self.proc = subprocess.Popen(
            [binary, "serve", "--demo", "--production", "--bind", f"127.0.0.1:{self.port}",
             "--database-url", f"sqlite://{self.dir}/attacks.db?mode=rwc", *extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "RUST_LOG": "error"})
        for _ in range(600):
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit("the server did not start")

    def rss_mib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def get(self, path, timeout=5):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        c.request("GET", path)
        r = c.getresponse()
        r.read()
        c.close()
        return r.status, None

    def gql(self, query, variables=None, token=None, timeout=30, source=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout,
                                       source_address=(source, 0) if source else None)
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        c.request("POST", "/graphql", json.dumps({"query": query, "variables": variables or {}}), headers)
        r = c.getresponse()
        body = json.loads(r.read() or b"{}")
        c.close()
        return body

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)


def code(body):
    errors = body.get("errors") or []
    return errors[0].get("extensions", {}).get("code", "?") if errors else "OK"


class Watch:
    """Samples RSS and /healthz latency every 20 ms while an attack runs."""

    def __init__(self, server):
        self.server = server
        self.stop = threading.Event()
        self.peak = server.rss_mib()
        self.latencies = []
        self.failures = 0
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stop.is_set():
            self.peak = max(self.peak, self.server.rss_mib())
            started = time.perf_counter()
            try:
                self.server.get("/healthz", timeout=5)
                self.latencies.append((time.perf_counter() - started) * 1000)
            except OSError:
                self.failures += 1
            time.sleep(0.02)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    def figures(self):
        values = sorted(self.latencies) or [float("nan")]
        pick = lambda q: values[min(len(values) - 1, int(q * len(values)))]
        return self.peak, pick(0.5), pick(0.99), values[-1], self.failures


def chain(levels, end):
    q = "query { ...F0 }\n"
    for i in range(levels):
        q += f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}\n"
    return q + f"fragment F{levels} on Query {{ {end} }}\n"


def login(server, email, password, source=None):
    return server.gql("mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
                      {"e": email, "p": password}, source=source)


def attacks(server, token):
    fan_out = "{ me { manager { reports { manager { reports { manager { reports { name } } } } } } } }"

    def many(n, fn):
        def timed(i):
            started = time.perf_counter()
            result = fn(i)
            return result, (time.perf_counter() - started) * 1000
        with cf.ThreadPoolExecutor(max_workers=min(n, 300)) as pool:
            return [f.result() for f in [pool.submit(timed, i) for i in range(n)]]

    def summary(results):
        counts = {}
        for r, _ in results:
            counts[r] = counts.get(r, 0) + 1
        answers = sorted(ms for _, ms in results)
        median = answers[len(answers) // 2]
        return ", ".join(f"{k} x{v}" for k, v in sorted(counts.items())) + f" (median answer {median:.1f} ms)"

    def one_at_a_time(n, fn):
        results = []
        for i in range(n):
            started = time.perf_counter()
            results.append((fn(i), (time.perf_counter() - started) * 1000))
        return results

    yield "21- and 27-level fragment chains, one at a time, x20 each", lambda: summary(
        one_at_a_time(20, lambda _: code(server.gql(chain(21, "__schema { __typename }"))))
        + one_at_a_time(20, lambda _: code(server.gql(chain(27, "...Unknown")))))
    yield "21-level fragment chain ending in __schema, anonymous, x200", lambda: summary(
        many(200, lambda _: code(server.gql(chain(21, "__schema { __typename }")))))
    yield "27-level fragment chain ending in an unknown fragment, x200", lambda: summary(
        many(200, lambda _: code(server.gql(chain(27, "...Unknown")))))
    yield "fan-out me{manager{reports{...}}} as a CSR, x200", lambda: summary(
        many(200, lambda _: code(server.gql(fan_out, token=token))))
    yield "60 parallel logins on one account, right password last", lambda: summary(
        many(59, lambda i: code(login(server, "nao.fujii@rungs.example", f"wrong password {i}")))
        + many(1, lambda _: code(login(server, "nao.fujii@rungs.example", DEMO_PASSWORD))))
    # From 250 loopback addresses, so the per-address throttle does not
    # stop them before argon2: this measures the argon2 gate.
    yield "300 concurrent logins (unknown emails, 250 source addresses)", lambda: summary(
        many(300, lambda i: code(login(server, f"nobody{i}@attack.example", "wrong password!!",
                                       source=f"127.0.{1 + i // 250}.{1 + i % 250}"))))

    def idle_connections(n):
        socks, refused = [], 0
        for _ in range(n):
            s = socket.create_connection(("127.0.0.1", server.port))
            socks.append(s)
        time.sleep(0.5)
        for s in socks:
            s.setblocking(False)
            try:
                if s.recv(1) == b"":
                    refused += 1
            except BlockingIOError:
                pass
        for s in socks:
            s.close()
        return f"{refused} of {n} closed at once"

    yield "3,000 idle connections (cap 1,000): refused or evicted", lambda: idle_connections(3000)

    def trickle(n):
        socks = []
        for _ in range(n):
            s = socket.create_connection(("127.0.0.1", server.port))
            s.sendall(b"GET /healthz HTTP/1.1\r\n")
            socks.append(s)
        started, alive = time.time(), n
        while alive and time.time() - started < 60:
            alive = 0
            for s in socks:
                try:
                    s.sendall(b"X-Slow: 1\r\n")
                    alive += 1
                except OSError:
                    pass
            time.sleep(1)
        for s in socks:
            s.close()
        return f"{n - alive} of {n} cut off after {time.time() - started:.0f} s"

    yield "200 connections trickling headers (client timeout 5 s)", lambda: trickle(200)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rungs", default="target/release/rungs")
    args = parser.parse_args()
    server = Server(args.rungs, ["--max-connections", "1000", "--client-timeout-secs", "5"])
    try:
        token = login(server, "nao.fujii@rungs.example", DEMO_PASSWORD)["data"]["login"]["token"]
        print(f"idle RSS {server.rss_mib():.0f} MiB")
        print("| attack | answers | peak RSS MiB | /healthz p50 ms | p99 ms | max ms | healthz failures |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for name, attack in attacks(server, token):
            with Watch(server) as watch:
                answers = attack()
            peak, p50, p99, worst, failures = watch.figures()
            print(f"| {name} | {answers} | {peak:.0f} | {p50:.1f} | {p99:.1f} | {worst:.1f} | {failures} |",
                  flush=True)
            time.sleep(1)
        print(f"RSS after the attacks {server.rss_mib():.0f} MiB")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
