#!/usr/bin/env bash
# Samples the streaming replica's lag (pg_stat_replication on the primary,
# every 200 ms) while a command runs, then prints the median and the
# largest, in bytes of WAL and in replay time. For issue 17's figure
# "replica lag under the write stream from rungs bench":
#
#     bash scripts/replica.sh bash scripts/replica_lag.sh \
#       target/release/rungs bench --dashboards-only --employees 20000 --runs 3 --load-seconds 10
set -euo pipefail
PG_URL="${RUNGS_CI_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
samples="$(mktemp)"
(
  while true; do
    psql "$PG_URL" -qAtc "SELECT COALESCE(pg_wal_lsn_diff(sent_lsn, replay_lsn), 0)::bigint, COALESCE(EXTRACT(EPOCH FROM replay_lag) * 1000, 0)::numeric(12,1) FROM pg_stat_replication LIMIT 1" >>"$samples" 2>/dev/null || true
    sleep 0.2
  done
) &
sampler=$!
trap 'kill $sampler 2>/dev/null || true; rm -f "$samples"' EXIT
"$@"
kill "$sampler" 2>/dev/null || true
python3 - "$samples" <<'PY'
import statistics, sys
rows = [l.strip().split('|') for l in open(sys.argv[1]) if '|' in l]
if not rows:
    print("replica lag: no samples (is a replica streaming?)"); sys.exit(1)
b = [int(r[0]) for r in rows]; t = [float(r[1]) for r in rows]
print(f"replica lag over {len(rows)} samples (every 200 ms): "
      f"bytes median {statistics.median(b):.0f}, max {max(b)}; "
      f"replay time median {statistics.median(t):.1f} ms, max {max(t):.1f} ms")
PY
