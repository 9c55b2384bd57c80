#!/usr/bin/env bash
# A throwaway PostgreSQL cluster in a temporary folder, for tests and benchmarks. Never the
# system cluster.
#
#   scripts/postgres-cluster.sh start [PORT]   # prints the folder and exports nothing; PORT
#                                              # is a first choice (taken: the next free one)
#   scripts/postgres-cluster.sh url FOLDER     # postgres://… for that cluster
#   scripts/postgres-cluster.sh stop FOLDER    # stops it and removes the folder
#
# The cluster listens on 127.0.0.1 and a socket in its folder, trusts local connections, uses
# the C locale (the byte order SQLite sorts in) and allows enough connections for a parallel
# test run. fsync stays on unless PLN_PG_FAST=1 (tests only).
set -euo pipefail

find_bin() {
    local name=$1
    for dir in /usr/local/bin /usr/lib/postgresql/*/bin; do
        [ -x "$dir/$name" ] && { echo "$dir/$name"; return; }
    done
    command -v "$name" || { echo "cannot find $name: install postgresql" >&2; exit 1; }
}

# Whether something accepts connections on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# A port a little above PORT (wrapping below 65000), varied so that runs side by side differ.
next_port() {
    local next=$(($1 + 1 + RANDOM % 37))
    [ "$next" -gt 65000 ] && next=$((20000 + RANDOM % 1000))
    echo "$next"
}

command=${1:-}
case "$command" in
start)
    port=${2:-55432}
    folder=$(mktemp -d /tmp/pln-pg.XXXXXX)
    initdb=$(find_bin initdb)
    pg_ctl=$(find_bin pg_ctl)
    # PostgreSQL refuses to run as root: run it as the owner of the folder (nobody under root).
    run=()
    if [ "$(id -u)" = 0 ]; then
        chown nobody "$folder"
        run=(runuser -u nobody --)
    fi
    # A failed start leaves nothing behind: its logs go to stderr, a server half started (one
    # slower than pg_ctl's wait) is stopped, the folder is removed.
    give_up() {
        cat "$@" >&2 2>/dev/null || true
        "${run[@]}" "$pg_ctl" -D "$folder/data" -m immediate -w stop >/dev/null 2>&1 || true
        rm -rf "$folder"
        exit 1
    }
    "${run[@]}" "$initdb" -D "$folder/data" -U pln --auth=trust --encoding=UTF8 --locale=C >"$folder/initdb.log" 2>&1 ||
        give_up "$folder/initdb.log"
    fast=""
    [ "${PLN_PG_FAST:-0}" = 1 ] && fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    # PORT is the first choice: when something already listens there (another run on this
    # machine, a cluster left behind), the next free port is taken and recorded in the folder.
    started=0
    for attempt in $(seq 1 40); do
        if port_in_use "$port"; then
            port=$(next_port "$port")
            continue
        fi
        rm -f "$folder/server.log"
        "${run[@]}" "$pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
            -o "-p $port -k $folder -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=128MB $fast" \
            start >/dev/null 2>"$folder/pg_ctl.err" && { started=1; break; }
        # Taken between the check and the start: try another; any other failure is reported.
        if grep -q "Address already in use" "$folder/server.log" && [ "$attempt" -lt 40 ]; then
            port=$(next_port "$port")
            continue
        fi
        give_up "$folder/pg_ctl.err" "$folder/server.log"
    done
    [ "$started" = 1 ] || { echo "postgres-cluster.sh: no free port found from ${2:-55432}" >&2; give_up; }
    echo "$port" >"$folder/port"
    echo "$folder"
    ;;
url)
    folder=${2:?folder}
    echo "postgres://pln@127.0.0.1:$(cat "$folder/port")/postgres"
    ;;
stop)
    folder=${2:?folder}
    pg_ctl=$(find_bin pg_ctl)
    run=()
    [ "$(id -u)" = 0 ] && run=(runuser -u nobody --)
    "${run[@]}" "$pg_ctl" -D "$folder/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$folder"
    ;;
*)
    echo "usage: $0 start [PORT] | url FOLDER | stop FOLDER" >&2
    exit 2
    ;;
esac
