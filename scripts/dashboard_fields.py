#!/usr/bin/env python3
"""Times each dashboard field alone in a fresh `rungs serve` (or the whole
dashboard three times with `full`), printing the answer's size and the
server's VmHWM / VmRSS after each: how issue 14's cold 1,000,000-employee
dashboard was taken apart.

Usage (release build; an HR account must exist on the database):
    echo probe-password-2026 | target/release/rungs create-user --email probe-hr@example.com \
        --name "Probe HR" --access-role HR --password-stdin --database-url 'sqlite:///tmp/s1m.db?mode=rwc'
    python3 scripts/dashboard_fields.py target/release/rungs 'sqlite:///tmp/s1m.db?mode=rwc' [FIELD ... | full]
FIELD is a key of Q below (hRole, cRole, vel, ...); one field per run gives a clean peak.
PLOG=rungs::sql=trace writes every statement with its time to /tmp/dashboard_fields_server.log.
"""
import json, subprocess, sys, time, urllib.request, os, signal
exe, url = sys.argv[1], sys.argv[2]
fields = sys.argv[3:] or None
port = 18091
env = dict(os.environ, RUST_LOG=os.environ.get("PLOG","warn"))
p = subprocess.Popen([exe, "serve", "--database-url", url, "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=open("/tmp/dashboard_fields_server.log","w"), env=env)
def post(q, v=None, tok=None):
    h = {"Content-Type": "application/json"}
    if tok: h["Authorization"] = "Bearer " + tok
    r = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", json.dumps({"query": q, "variables": v or {}}).encode(), h)
    t = time.time(); body = urllib.request.urlopen(r, timeout=120).read(); return (time.time()-t)*1000, body
for _ in range(300):
    try: post("{ __typename }"); break
    except Exception: time.sleep(0.2)
def hwm():
    for l in open(f"/proc/{p.pid}/status"):
        if l.startswith(("VmHWM","VmRSS")): print("   ", l.strip(), end="")
    print()
_, b = post('mutation { login(email: "probe-hr@example.com", password: "probe-password-2026") { token } }')
tok = json.loads(b)["data"]["login"]["token"]
hwm()
Q = {
 "hRole": "headcount(groupBy: ROLE) { key count }", "hSite": "headcount(groupBy: SITE) { key count }",
 "hMarket": "headcount(groupBy: MARKET) { key count }", "hManager": "headcount(groupBy: MANAGER) { key count }",
 "eSite": "eligibility(groupBy: SITE) { key total eligible fastTrack notYet ineligible stalled }",
 "eRole": "eligibility(groupBy: ROLE) { key total eligible fastTrack notYet ineligible stalled }",
 "eMarket": "eligibility(groupBy: MARKET) { key total eligible }", "eManager": "eligibility(groupBy: MANAGER) { key total eligible }",
 "cov": "certificationCoverage { kind level holders share }",
 "cRole": "compaRatios(groupBy: ROLE) { key count min p25 median p75 max belowMin aboveMax }",
 "cMarket": "compaRatios(groupBy: MARKET) { key count min p25 median p75 max belowMin aboveMax }",
 "funnel": "nominationFunnel { pending approved rejected withdrawn medianDaysToDecision }",
 "lead": "leadershipCoverage { site csrs teamLeads neededAtMost15 neededAt10 understaffed }",
 "vel": "promotionVelocity { roleCode promotions medianMonthsToPromotion }",
 "course": "courseImpact { course { title } peopleUnblocked seatsLeft nextSessionOn }",
}
if fields == ["full"]:
    full = "{ dashboard { " + " ".join(f"{k}: {v}" for k, v in Q.items()) + " } }"
    ms, body = post("{ dashboard { eligibility(groupBy: SITE) { key total } } }", tok=tok)
    print(f"eSite first {ms:9.1f} ms", end=""); hwm()
    for i in range(3):
        ms, body = post(full, tok=tok)
        j = json.loads(body)
        print(f"full #{i+1} {ms:9.1f} ms {len(body)} bytes {('ERR '+json.dumps(j.get('errors'))[:300]) if j.get('errors') else ''}", end=""); hwm()
    fields = []
for name in (fields if fields is not None else Q):
    ms, body = post("{ dashboard { %s } }" % Q[name], tok=tok)
    j = json.loads(body)
    err = j.get("errors")
    print(f"{name:10s} {ms:9.1f} ms  {len(body):9d} bytes {('ERR '+json.dumps(err)[:200]) if err else ''}", end="")
    hwm()
p.send_signal(signal.SIGTERM); p.wait()
