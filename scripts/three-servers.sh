#!/usr/bin/env bash
# Several servers, proved: a throwaway PostgreSQL cluster, three `pln serve` processes on it and
# nginx in front (round robin: consecutive requests of one browser reach different servers).
#
#   1. The real-browser journeys (Tests/journeys) run through nginx: sign-in sessions, CSRF
#      tokens, flash messages, uploads and rate limits hold when every request may land on
#      another server.
#   2. One-off jobs with an effect one can count, and mail, while the servers run their schedulers
#      and `pln admin jobs run` / `pln admin outbox deliver` claim beside them: JOBS follow-up
#      jobs of one CPD attendance (each run mails the attendee once, so N runs are N mails) and
#      MAILS outbox messages with distinct subjects, delivered to a sendmail that keeps each
#      message it is given in a file.
#   3. A stream of writes (statuses, through nginx, from several clients) while one server is
#      killed with SIGKILL.
# Then:
#   - every write nginx acknowledged (201) is in the database, none twice;
#   - the two other servers kept answering (every request after the kill got an answer);
#   - each job ran once: every job is gone from `jobs` and the attendee got exactly one mail per
#     job (a job the killed server held waits for its lease, 10 minutes, and is reported);
#   - each mail went out once: every subject reached sendmail exactly once (a message the killed
#     server held waits for its lease and is reported).
#
#   scripts/three-servers.sh               # uses .build/debug/pln (built if missing)
#   PLN=.build/release/pln scripts/three-servers.sh
#   JOURNEYS=0 scripts/three-servers.sh    # without the browser journeys (no chromium needed)
#
# Ports: nginx on $BASE (8460), servers on BASE+1..3, PostgreSQL on $PG_PORT (55460); each a
# first choice, moved to free ports when something already listens there.
# Needs nginx (`apt-get install nginx`; .ci/run installs it), PostgreSQL and psql.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
base=${BASE:-8460}
pg_port=${PG_PORT:-55460}
journeys=${JOURNEYS:-1}
pln=${PLN:-$root/.build/debug/pln}
[ -x "$pln" ] || (cd "$root" && swift build --product pln)
pln=$(cd "$(dirname "$pln")" && pwd)/$(basename "$pln")
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || { echo "three-servers.sh: needs nginx (apt-get install nginx)" >&2; exit 2; }

# BASE is a first choice: when something already listens on one of the four ports (another run
# on this machine), the next free run of four is taken.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for attempt in $(seq 1 50); do
    busy=0
    for i in 0 1 2 3; do port_in_use $((base + i)) && busy=1; done
    [ "$busy" = 0 ] && break
    [ "$attempt" = 50 ] && { echo "three-servers.sh: no four free ports from ${BASE:-8460}" >&2; exit 1; }
    base=$((base + 4 + RANDOM % 40))
done

work=$(mktemp -d /tmp/pln-three.XXXXXX)
cluster=$("$root/scripts/postgres-cluster.sh" start "$pg_port")
config=""
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    "$root/scripts/postgres-cluster.sh" stop "$cluster"
    [ -n "$config" ] && rm -rf "$(dirname "$config")"
    if [ -n "${KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
export PLN_JOURNEY_DATABASE_URL
PLN_JOURNEY_DATABASE_URL=$("$root/scripts/postgres-cluster.sh" url "$cluster")
echo "== PostgreSQL at $PLN_JOURNEY_DATABASE_URL"

# The journeys' config (base URL: nginx), on PostgreSQL, with a sendmail that keeps every message.
config=$(PLN_JOURNEY_CONFIG_ONLY=1 PLN_JOURNEY_BASE="http://127.0.0.1:$base" bash "$root/Tests/journeys/run.sh")
mkdir -p "$work/mail"
printf '#!/bin/sh\ncat > "$(mktemp %s/mail/message.XXXXXXXX)"\n' "$work" >"$work/sendmail.sh"
chmod +x "$work/sendmail.sh"
echo "mail(sendmail = [\"$work/sendmail.sh\"], from = \"pln@school.example\")" >>"$config"

admin_password="journey administrator password"
"$pln" admin migrate --config "$config" >/dev/null
"$pln" admin members create --admin --name "Ada Admin" --email ada@example.org --handle ada \
    --password "$admin_password" --config "$config" >/dev/null
"$pln" admin members create --name "Bob Booker" --email bob@school.example --handle bob-booker \
    --password "a long passphrase" --config "$config" >/dev/null
for i in 1 2 3; do
    PLN_JOURNEY_PORT=$((base + i)) "$pln" serve --config "$config" >"$work/server$i.log" 2>&1 &
    pids+=($!)
done
cat >"$work/nginx.conf" <<EOF
pid $work/nginx.pid;
error_log $work/nginx-error.log;
worker_processes 1;
events { worker_connections 1024; }
http {
    access_log off;
    client_max_body_size 20m;
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
            proxy_set_header Host \$http_host; proxy_set_header X-Forwarded-For \$remote_addr;
            proxy_next_upstream error timeout http_502;
        }
    }
}
EOF
for i in $(seq 1 150); do
    curl -fsS -o /dev/null "http://127.0.0.1:$((base + 1))/" 2>/dev/null \
        && curl -fsS -o /dev/null "http://127.0.0.1:$((base + 2))/" 2>/dev/null \
        && curl -fsS -o /dev/null "http://127.0.0.1:$((base + 3))/" 2>/dev/null && break
    [ "$i" = 150 ] && { tail -n 20 "$work"/server*.log >&2; exit 1; }
    sleep 0.2
done
"$nginx" -c "$work/nginx.conf" -p "$work"
echo "== three servers behind nginx on 127.0.0.1:$base"

status=0
if [ "$journeys" = 1 ]; then
    echo "== the real-browser journeys through nginx"
    PLN_JOURNEY_BASE="http://127.0.0.1:$base" PLN_JOURNEY_CONFIG="$config" PLN_JOURNEY_ADMIN_LOGIN=ada \
        PLN_JOURNEY_ADMIN_PASSWORD="$admin_password" PLN_BIN="$pln" bash "$root/Tests/journeys/run.sh" || {
        status=1
        echo "FAIL: the journeys through nginx"
        tail -n 30 "$work"/server*.log
    }
fi

echo "== jobs, mail and a write stream; one server killed with SIGKILL"
python3 "$root/scripts/three-servers-check.py" "$base" "${pids[1]}" "$PLN_JOURNEY_DATABASE_URL" "$pln" "$config" \
    "$work/mail" "$(IFS=,; echo "${pids[*]}")" || status=1
exit $status
