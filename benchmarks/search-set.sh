#!/bin/bash
# Issue 18's benchmark lines on a seeded network, one binary: a fresh server, then p99 at 64
# connections (benchmarks/cpu-per-request.sh: wrk -t2 -c64 -d10s, with the server's CPU) for an
# uncached search page and API search (every query new: lib/search-unique.lua), the repeated
# (cached) search page, the directory filter and /terms.
#
#   benchmarks/search-set.sh BINARY DIR [LABEL]
#
# DIR holds the seeded network: config/pln.star (its server() port from env PLN_PORT, as the
# large-seed benchmark configs write it), data/, and `cookie` (a signed-in member's Cookie
# header value). The server listens on PORT (default 8440).
set -euo pipefail
bin=$1 dir=$2 label=${3:-$(basename "$1")}
port=${PORT:-8440}
here=$(cd "$(dirname "$0")" && pwd)
cd "$dir"
(PLN_PORT=$port nohup "$bin" serve --config config/pln.star > serve.log 2>&1 &)
trap 'pkill -f "serve --config config/pln.star" || true' EXIT
for _ in $(seq 60); do curl -s -o /dev/null "http://127.0.0.1:$port/terms" && break; sleep 1; done
cookie=$(cat cookie)
unique=$here/lib/search-unique.lua
warm() { wrk -t2 -c16 -d3s ${2:+-s $2} -H "Cookie: $cookie" "http://127.0.0.1:$port$1" > /dev/null; }
measure() {  # NAME PATH RUNS [SCRIPT]
    warm "$2" "${4:-}"
    for _ in $(seq "$3"); do
        echo -n "$label $1: "
        WRK_SCRIPT=${4:-} "$here/cpu-per-request.sh" "$port" "$2" 10 "$cookie"
    done
}
measure "page uncached" "/search?q=phonics+workshop" 3 "$unique"
measure "api uncached" "/api/v1/search?q=safeguarding+course" 3 "$unique"
measure "page repeated" "/search?q=phonics+workshop" 2
measure "directory" "/members?key_stage=KS2&subjects=Computing&other_school=1" 2
measure "terms" "/terms" 2
