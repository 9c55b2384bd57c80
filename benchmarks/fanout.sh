#!/usr/bin/env bash
# The posting request's latency with and without a 2,000-member fan-out (issue 16):
#
#   benchmarks/fanout.sh [PORT] [MEMBERS]      # defaults: 8401, 2000; PLN_BIN=… to choose the binary
#
# A fresh data folder with membership and groups (no moderation: no posting rate limit), a
# poster, MEMBERS members in one public group who all follow its "busy" discussion, and a
# "quiet" discussion followed by the poster only. Then replies through the web form: a paced
# loop (RATE a second, default 1, for SECONDS_PACED, default 40: lib/post-latency.py), which is
# how members post, into each discussion, ROUNDS times (default 1: quiet, busy, wait for the
# fan-out to finish, again), and the paced latencies of all rounds compared (lib/compare-latency.py:
# p99 of each, and the difference with a bootstrap interval); then wrk (lib/write-mix.lua, 4
# connections, 10 s) into each, a stress test. Each busy reply enqueues the notifications.fanout job (MEMBERS recipients),
# which `pln serve` runs meanwhile on the same cores.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
port="${1:-8401}"
members="${2:-2000}"
pln="${PLN_BIN:-$root/.build/release/pln}"
dir="$(mktemp -d "${TMPDIR:-/tmp}/pln-fanout.XXXXXX")"
mkdir -p "$dir/data"
cat > "$dir/pln.star" <<STAR
network(name = "PLN fan-out benchmark", base_url = "http://127.0.0.1:$port")
server(host = "127.0.0.1", port = $port, request_log = False, max_connections = 20000)
storage(path = "$dir/data/pln.sqlite")
modules("membership", "groups")
STAR
password="benchmark password 1"
"$pln" admin members create --admin --name "Poster Person" --email poster@example.org --handle poster \
    --password "$password" --config "$dir/pln.star" > /dev/null
"$pln" serve --config "$dir/pln.star" > "$dir/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
targets=$(python3 "$here/lib/fanout-setup.py" --port "$port" --db "$dir/data/pln.sqlite" --login poster \
    --password "$password" --members "$members")
echo "targets: $targets"
session=$(python3 "$here/lib/session.py" --port "$port" --login poster --password "$password")
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
cookie=$(field "$session" cookie)
csrf=$(field "$session" csrf)
rate="${RATE:-1}"
seconds="${SECONDS_PACED:-40}"
pending() {
    python3 - "$dir/data/pln.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=30)
print(db.execute("SELECT count(*) FROM jobs WHERE name = 'notifications.fanout' AND status IN ('queued', 'running')").fetchone()[0])
PY
}
drain() {   # waits (at most 5 minutes) for the fan-out jobs, and says how long that took
    local began=$SECONDS left
    for _ in $(seq 1 300); do left=$(pending); [ "$left" = 0 ] && break; sleep 1; done
    echo "   fan-out jobs drained in $((SECONDS - began)) s (left: $left)"
}
wrk_post() {   # wrk_post PATH SECONDS
    PLN_COOKIE="$cookie" PLN_CSRF="$csrf" PLN_WRITE_PATHS="$1" \
        wrk -t2 -c4 -d"$2"s --latency -s "$here/lib/write-mix.lua" "http://127.0.0.1:$port" \
        | grep -E "Requests/sec|50%|90%|99%|Non-2xx|requests in"
}
paced() {   # paced PATH FILE: members posting, RATE replies a second for SECONDS_PACED seconds
    python3 "$here/lib/post-latency.py" --port "$port" --cookie "$cookie" --csrf "$csrf" --path "$1" \
        --rate "$rate" --seconds "$seconds" --samples "$2"
}
quiet=$(field "$targets" quiet)
busy=$(field "$targets" busy)
rounds="${ROUNDS:-1}"
for round in $(seq 1 "$rounds"); do
    echo "== round $round of $rounds: quiet discussion (1 follower): paced, $rate/s for $seconds s"
    paced "$quiet" "$dir/quiet.txt"
    echo "== round $round of $rounds: busy discussion ($members followers): paced, $rate/s for $seconds s"
    paced "$busy" "$dir/busy.txt"; drain
done
echo "== paced replies of all rounds (quiet, then busy)"
python3 "$here/lib/compare-latency.py" "$dir/quiet.txt" "$dir/busy.txt"
echo "== quiet discussion: wrk -t2 -c4 -d10s"; wrk_post "$quiet" 10
echo "== busy discussion: wrk -t2 -c4 -d10s (every reply enqueues a $members-recipient fan-out)"; wrk_post "$busy" 10
echo "   fan-out jobs still queued or running: $(pending)"
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print("notifications:", c.execute("SELECT count(*) FROM notifications").fetchone()[0], "jobs:", c.execute("SELECT status, count(*) FROM jobs GROUP BY status").fetchall())' "$dir/data/pln.sqlite"
