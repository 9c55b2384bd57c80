#!/bin/bash
# windows.sh PORT PATH [RUNS] [COOKIE]: RUNS (default 7) wrk runs of 10 s back to back at 64
# connections on a running server, printing each run's p99. Something that happens once a minute
# (a cache expiring) shows as one run's p99; one long run would hide it in its average.
# COOKIE is a Cookie header value (e.g. from benchmarks/lib/session.py); WRK_SCRIPT=file.lua
# passes `-s file.lua` to wrk (e.g. benchmarks/lib/search-unique.lua, so no search repeats).
port=$1; path=$2; runs=${3:-7}; cookie=$4
for _ in $(seq "$runs"); do
    wrk -t2 -c64 -d10s --latency ${WRK_SCRIPT:+-s "$WRK_SCRIPT"} ${cookie:+-H "Cookie: $cookie"} "http://127.0.0.1:$port$path" |
        awk '$1=="99%"{printf "%s ", $2}'
done
echo
