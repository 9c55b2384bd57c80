#!/usr/bin/env bash
# The posting request's latency with and without a 2,000-member fan-out (issue 16):
#
#   benchmarks/fanout.sh [PORT] [MEMBERS]      # defaults: 8401, 2000; PLN_BIN=… to choose the binary
#
# A fresh data folder with membership and groups (no moderation: no posting rate limit), a
# poster, MEMBERS members in one public group who all follow its "busy" discussion, and a
# "quiet" discussion followed by the poster only. Then, for each discussion in turn: wrk posting
# replies through the web form (lib/write-mix.lua, 4 connections, 10 s) and a paced loop of
# 10 replies a second for 20 s (lib/post-latency.py), which is how members post. Each busy reply
# enqueues the notifications.fanout job (2,000 recipients), which `pln serve` runs meanwhile.
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
for round in 1 2; do
    for which in quiet busy; do
        path=$(field "$targets" "$which")
        echo "== round $round, $which discussion ($path)"
        PLN_COOKIE="$cookie" PLN_CSRF="$csrf" PLN_WRITE_PATHS="$path" \
            wrk -t2 -c4 -d10s --latency -s "$here/lib/write-mix.lua" "http://127.0.0.1:$port" \
            | grep -E "Requests/sec|50%|90%|99%|Non-2xx|requests in"
        python3 "$here/lib/post-latency.py" --port "$port" --cookie "$cookie" --csrf "$csrf" --path "$path" \
            --rate 10 --seconds 20
        # Let the fan-out jobs this round queued finish before the next one measures.
        for _ in $(seq 1 600); do
            queued=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM jobs WHERE name = ? AND status IN (?, ?)", ("notifications.fanout", "queued", "running")).fetchone()[0])' "$dir/data/pln.sqlite")
            [ "$queued" = 0 ] && break
            sleep 1
        done
        echo "   fan-out jobs still queued after the round: $queued"
    done
done
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print("notifications:", c.execute("SELECT count(*) FROM notifications").fetchone()[0], "jobs:", c.execute("SELECT status, count(*) FROM jobs GROUP BY status").fetchall())' "$dir/data/pln.sqlite"
