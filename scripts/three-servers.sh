#!/usr/bin/env bash
# Several servers, proved: a throwaway PostgreSQL cluster, three `pln serve` processes on it and
# nginx in front (round robin). A stream of writes (statuses, through nginx, from several
# clients) runs while one server is killed with SIGKILL; then
#   - every write nginx acknowledged (201) is in the database, none twice;
#   - the two other servers kept answering (every request after the kill got an answer);
#   - each one-off job ran once (the `jobs` table keeps no job claimed twice: attempts = 1).
# (Not yet: the real-browser journeys through nginx; Tests/journeys/run.sh starts its own server.)
#
#   scripts/three-servers.sh               # uses .build/debug/pln (built if missing)
#   PLN=.build/release/pln scripts/three-servers.sh
#
# Ports: nginx on $BASE (8460), servers on BASE+1..3, PostgreSQL on $PG_PORT (55460).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
base=${BASE:-8460}
pg_port=${PG_PORT:-55460}
pln=${PLN:-$root/.build/debug/pln}
[ -x "$pln" ] || (cd "$root" && swift build --product pln)
pln=$(cd "$(dirname "$pln")" && pwd)/$(basename "$pln")

work=$(mktemp -d /tmp/pln-three.XXXXXX)
cluster=$("$root/scripts/postgres-cluster.sh" start "$pg_port")
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    "$root/scripts/postgres-cluster.sh" stop "$cluster"
    rm -rf "$work"
}
trap cleanup EXIT
export DATABASE_URL
DATABASE_URL=$("$root/scripts/postgres-cluster.sh" url "$cluster")
echo "== PostgreSQL at $DATABASE_URL"

cd "$work"
mkdir -p config
cp "$root/config/pln.star" config/pln.star
"$pln" admin migrate >/dev/null
"$pln" admin members create --admin --name "Ada Head" --email ada@school.example --password "a long passphrase" >/dev/null
for i in 1 2 3; do
    port=$((base + i))
    PLN_PORT=$port "$pln" serve >"server$i.log" 2>&1 &
    pids+=($!)
done
cat >nginx.conf <<EOF
pid $work/nginx.pid;
error_log $work/nginx-error.log;
worker_processes 1;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx-body;
    proxy_temp_path $work/nginx-proxy;
    fastcgi_temp_path $work/nginx-fastcgi;
    uwsgi_temp_path $work/nginx-uwsgi;
    scgi_temp_path $work/nginx-scgi;
    upstream pln { server 127.0.0.1:$((base + 1)); server 127.0.0.1:$((base + 2)); server 127.0.0.1:$((base + 3)); keepalive 32; }
    server {
        listen 127.0.0.1:$base;
        location / {
            proxy_pass http://pln; proxy_http_version 1.1; proxy_set_header Connection "";
            proxy_set_header Host \$host; proxy_set_header X-Forwarded-For \$remote_addr;
            proxy_next_upstream error timeout http_502;
        }
    }
}
EOF
for i in $(seq 1 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$((base + 1))/" && curl -fsS -o /dev/null "http://127.0.0.1:$((base + 2))/" \
        && curl -fsS -o /dev/null "http://127.0.0.1:$((base + 3))/" && break
    sleep 0.2
done
nginx -c "$work/nginx.conf" -p "$work"
echo "== three servers behind nginx on 127.0.0.1:$base"

python3 - "$base" "${pids[1]}" "$DATABASE_URL" <<'EOF'
import json, os, signal, subprocess, sys, threading, time, urllib.request, urllib.error
base, victim, url = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
nginx = f"http://127.0.0.1:{base}"

def call(method, path, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(nginx + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token: request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None
    except Exception as error:
        return 0, str(error)

status, session = call("POST", "/api/v1/sessions", {"login": "ada@school.example", "password": "a long passphrase"})
assert status in (200, 201), (status, session)
token = session["token"]
acknowledged, refused, failed = [], [], []
lock = threading.Lock()
after_kill = {"answered": 0, "unanswered": 0}
killed = threading.Event()

deadline = time.time() + 6.0

def writer(number):
    i = 0
    while time.time() < deadline:
        i += 1
        body = f"stream {number}-{i}"
        status, answer = call("POST", "/api/v1/statuses", {"body": body}, token)
        with lock:
            if status == 201: acknowledged.append(body)
            elif status == 0: failed.append((body, answer))
            else: refused.append((body, status))
            if killed.is_set():
                after_kill["answered" if status != 0 else "unanswered"] += 1

threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
for thread in threads: thread.start()
time.sleep(2.0)
os.kill(victim, signal.SIGKILL)
killed.set()
print(f"== killed server pid {victim} with SIGKILL in the middle of the write stream")
for thread in threads: thread.join()

def psql(sql):
    return subprocess.run(["psql", url, "-Atc", sql], check=True, capture_output=True, text=True).stdout.strip()

stored = psql("SELECT body FROM membership_statuses WHERE body LIKE 'stream %'").splitlines()
missing = [b for b in acknowledged if b not in stored]
twice = len(stored) - len(set(stored))
print(f"acknowledged {len(acknowledged)}, refused {len(refused)}, no answer {len(failed)}; stored {len(stored)}")
print(f"after the kill: {after_kill['answered']} answered, {after_kill['unanswered']} unanswered")
claimed_twice = psql("SELECT count(*) FROM jobs WHERE period_seconds IS NULL AND attempts > 1")
print(f"one-off jobs claimed more than once: {claimed_twice}")
ok = not missing and twice == 0 and after_kill["answered"] > 0 and claimed_twice == "0"
with urllib.request.urlopen(nginx + "/", timeout=10) as home:
    print(f"home page through nginx after the kill: {home.status}")
    ok = ok and home.status == 200
unacknowledged_stored = [b for b, _ in refused + failed if b in stored]
print(f"not acknowledged but stored (in flight on the killed server): {len(unacknowledged_stored)}")
if refused: print("refused:", refused[:5])
if failed: print("no answer:", failed[:5])
print("PASS" if ok else f"FAIL: missing {missing[:5]}, stored twice {twice}")
sys.exit(0 if ok else 1)
EOF
