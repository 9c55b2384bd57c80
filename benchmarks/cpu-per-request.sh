#!/bin/bash
# cpureq.sh PORT PATH [SECONDS] [COOKIE] : server CPU µs per request under wrk -c64 (robust to other load),
# with req/s and wrk's p50/p99; COOKIE (a Cookie header value, e.g. from benchmarks/lib/session.py)
# loads a signed-in page. WRK_SCRIPT=file.lua passes `-s file.lua` to wrk (e.g.
# benchmarks/lib/search-unique.lua, so no search repeats).
port=$1; path=$2; secs=${3:-5}; cookie=$4
pid=$(ss -ltnp "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
t0=$(awk '{print $14+$15}' /proc/$pid/stat)
out=$(wrk -t2 -c64 -d${secs}s --latency ${WRK_SCRIPT:+-s "$WRK_SCRIPT"} ${cookie:+-H "Cookie: $cookie"} "http://127.0.0.1:$port$path")
t1=$(awk '{print $14+$15}' /proc/$pid/stat)
reqs=$(echo "$out" | awk '/requests in/{print $1}')
rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
p50=$(echo "$out" | awk '$1=="50%"{print $2}'); p99=$(echo "$out" | awk '$1=="99%"{print $2}')
hz=$(getconf CLK_TCK)
python3 -c "print(f'port $port: {($t1-$t0)/$hz/$reqs*1e6:7.1f} µs CPU/request, {float($rps):8.0f} req/s, p50 $p50, p99 $p99')"
