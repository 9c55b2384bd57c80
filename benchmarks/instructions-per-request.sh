#!/bin/bash
# Instructions per request, counted by valgrind's callgrind: unlike time, the count does not move
# with the machine's load, so a before/after of one page is meaningful to a few per cent on a
# busy 2-core machine. Counts the whole server process (event loop, worker, middleware, the page
# and its queries) while the requests run, one worker thread, after 20 warm-up requests and
# after the modules' warm-up (`whenServing`) has finished.
#
#   benchmarks/instructions-per-request.sh BINARY CONFIG PORT [COOKIE] PATH...
#   benchmarks/instructions-per-request.sh .build/release/pln data/pln.star 8426 "$cookie" /account /messages/151
#   UNIQUE=1 benchmarks/instructions-per-request.sh …  /search?q=phonics+workshop   # every query new
#
# CONFIG is a pln.star whose server() line says `port = PORT`; it is copied with
# `workers = 1` added. Needs valgrind (apt-get install valgrind). REQUESTS (default 200) per path.
# UNIQUE=1 appends an excluded nonsense word numbered per request ("+-zqcg…"), so a search is
# never answered from the result cache (as benchmarks/lib/search-unique.lua does under wrk).
#
# Until stop 32 the count was limited to `WebApplication.handle` with --toggle-collect; on this
# toolchain that collected only thread start-up (7k a request), so the whole process is counted:
# figures from before are the handler alone and a little lower.
set -euo pipefail
bin=$1 config=$2 port=$3
shift 3
cookie=""
if [[ $# -gt 0 && $1 != /* ]]; then cookie=$1; shift; fi
requests=${REQUESTS:-200}
work=$(mktemp -d /tmp/pln-callgrind.XXXXXX)
sed "s/port = $port,/port = $port, workers = 1,/" "$config" > "$work/pln.star"
grep -q "workers = 1" "$work/pln.star" || { echo "the config's server() has no 'port = $port,'" >&2; exit 2; }
valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$bin" serve --config "$work/pln.star" \
    > "$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 240); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.5; done
# The modules' warm-up runs once after the start; it must not be counted with the requests.
for _ in $(seq 120); do grep -aq "warmed up\|warm-up failed" "$work/serve.log" && break; sleep 1; done
get() {
    local suffix=""
    [[ -n ${UNIQUE:-} ]] && suffix="+-zqcg$2x$RANDOM"
    curl -s -o /dev/null ${cookie:+-H "Cookie: $cookie"} "http://127.0.0.1:$port$1$suffix"
}
for path in "$@"; do
    for i in $(seq 20); do get "$path" "w$i"; done
    callgrind_control -z $server > /dev/null 2>&1
    for i in $(seq "$requests"); do get "$path" "m$i"; done
    callgrind_control -d $server > /dev/null 2>&1
    sleep 1
    dump=$(ls -t "$work"/cg.out.* | head -1)
    total=$(callgrind_annotate "$dump" 2>/dev/null | awk '/PROGRAM TOTALS/{gsub(",","",$1); print $1; exit}')
    echo "$path: $((total / requests / 1000))k instructions/request"
done
