#!/usr/bin/env bash
# PLN's benchmark suite: one command, everything on 127.0.0.1, every server stopped on exit.
#
# Usage:
#   benchmarks/run.sh [--scales small,medium,large] [--quick] [--no-build] [--vapor]
#                     [--rounds N] [--skip-peers] [--skip-hold] [--skip-scales]
#
#   --scales LIST  data sets to seed and load (default small,medium,large)
#   --quick        short runs (3 s, 1 s warm-up, one repeat), small scale only, 1,000 held connections
#   --no-build     use the binaries already built (or PLN_BIN / PEER_BIN)
#   --vapor        also run the Vapor peer (its first build takes ~8 min)
#   --rounds N     peer-comparison passes, alternating the order of the servers (default 2)
#   --skip-peers   no side-by-side comparison with the Hummingbird/Vapor peers
#   --skip-hold    no load-while-holding-idle-connections runs
#   --skip-scales  no `pln serve` runs on seeded data
#
# What it does:
#   1. builds release in the repo root: products `pln` and `pln-bench-peer`;
#   2. peers: copies ../shared/bench (read-only) to a cache folder, builds the Hummingbird peer
#      there once, and runs its run-peers.sh with the Hummingbird peer and pln-bench-peer side by
#      side (same four routes, same data): req/s, p50, p99 per route and the PLN/Hummingbird ratio;
#   3. hold: each of those two servers, and `pln serve`, loaded with wrk while HOLD_N idle
#      keep-alive connections stay open, with the server's RSS (VmRSS) read meanwhile;
#   4. scales: for each scale, a fresh data folder seeded with `pln admin seed`, `pln serve` on it,
#      and wrk against the home page, activity, directory, a profile, and (when the modules answer)
#      a blog post with its comments, a group, the CPD sessions, a post through the JSON API, and
#      signed-in writes (statuses, comments, both mixed).
#   Raw outputs go to benchmarks/out/<timestamp>/, the tables to its summary.md (and stdout).
#
# Knobs (environment): DURATION=10s WARMUP=3s CONNS=64 THREADS=2 REPEATS=2 HOLD_N=5000
#   PEER_PORT=18080 PLN_PORT=18090 PLN_BIN=… PEER_BIN=… PEERS_DIR=~/.cache/pln-bench/peers
#   SHARED_BENCH=<path to shared/bench> REQUEST_LOG=0 (1 keeps pln serve's per-request log on)
#   SEED_TIMEOUT=3600 (seconds allowed for one `pln admin seed`)
#   MODULES=membership,groups,cpd,blog,moderation (the modules the generated config enables)
#   KEEP_DATA=1 keeps each scale's seeded database in the output folder (default: deleted)
#   WRK_TIMEOUT=10s (wrk's per-request timeout in this script's own runs; slower answers count as errors)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
LIB="$HERE/lib"

SCALES="small,medium,large"
QUICK=0
DO_BUILD=1
WITH_VAPOR=0
ROUNDS=2
DO_PEERS=1
DO_HOLD=1
DO_SCALES=1
while [ $# -gt 0 ]; do
  case "$1" in
    --scales) SCALES="${2:?--scales needs a list}"; shift ;;
    --scales=*) SCALES="${1#*=}" ;;
    --quick) QUICK=1 ;;
    --no-build) DO_BUILD=0 ;;
    --vapor) WITH_VAPOR=1 ;;
    --rounds) ROUNDS="${2:?--rounds needs a number}"; shift ;;
    --rounds=*) ROUNDS="${1#*=}" ;;
    --skip-peers) DO_PEERS=0 ;;
    --skip-hold) DO_HOLD=0 ;;
    --skip-scales) DO_SCALES=0 ;;
    -h|--help) sed -n '2,36p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ "$QUICK" = 1 ]; then
  DURATION="${DURATION:-3s}"; WARMUP="${WARMUP:-1s}"; REPEATS="${REPEATS:-1}"; HOLD_N="${HOLD_N:-1000}"
  [ "$SCALES" = "small,medium,large" ] && SCALES="small"
  ROUNDS=1
fi
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-3s}"
CONNS="${CONNS:-64}"
THREADS="${THREADS:-2}"
REPEATS="${REPEATS:-2}"
HOLD_N="${HOLD_N:-5000}"
PEER_PORT="${PEER_PORT:-18080}"
PLN_PORT="${PLN_PORT:-18090}"
PEERS_DIR="${PEERS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pln-bench/peers}"
REQUEST_LOG="${REQUEST_LOG:-0}"
SEED_TIMEOUT="${SEED_TIMEOUT:-3600}"
MODULES="${MODULES:-membership,groups,cpd,blog,moderation}"
WRK_TIMEOUT="${WRK_TIMEOUT:-10s}"
export PATH="/opt/swift/usr/bin:$PATH"

# ---- tools ------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing wrk (apt-get install -y wrk)"
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y wrk >/dev/null 2>&1; }
  fi
  command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }
fi
for tool in curl python3 timeout; do
  command -v "$tool" >/dev/null || { echo "$tool not found" >&2; exit 1; }
done

# Idle connections and wrk's sockets need far more descriptors than the default 1024.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# ---- locate shared/bench: walk up from the repository until a folder holds shared/bench -------
find_shared() {
  local dir="$ROOT"
  while [ "$dir" != "/" ]; do
    if [ -f "$dir/shared/bench/run-peers.sh" ]; then echo "$dir/shared/bench"; return 0; fi
    dir="$(dirname "$dir")"
  done
  return 1
}
SHARED_BENCH="${SHARED_BENCH:-$(find_shared || true)}"

OUT="$HERE/out/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
RUNS="$OUT/runs.tsv"
METRICS="$OUT/metrics.tsv"
: > "$RUNS"
: > "$METRICS"
echo "results: $OUT"
{
  echo "date: $(date -Is)"
  echo "kernel: $(uname -sr)"
  echo "cpus: $(nproc)"
  echo "mem: $(awk '/MemTotal/{print $2" kB"}' /proc/meminfo)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "swift: $(swift --version 2>&1 | head -1)"
  echo "wrk: $(wrk -v 2>&1 | head -1)"
  echo "ulimit -n: $(ulimit -n)"
  echo "knobs: DURATION=$DURATION WARMUP=$WARMUP CONNS=$CONNS THREADS=$THREADS REPEATS=$REPEATS HOLD_N=$HOLD_N ROUNDS=$ROUNDS SCALES=$SCALES WRK_TIMEOUT=$WRK_TIMEOUT"
  echo "modules: $MODULES"
} > "$OUT/machine.txt"

metric() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$METRICS"; }

# ---- process bookkeeping: whatever we start is stopped on exit --------------------------------
SERVER_PID=""
HOLD_PID=""
CHILD_PID=""
cleanup() {
  [ -n "$HOLD_PID" ] && kill "$HOLD_PID" 2>/dev/null || true
  [ -n "$CHILD_PID" ] && kill -TERM "$CHILD_PID" 2>/dev/null || true
  if [ -n "$SERVER_PID" ]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    sleep 0.5
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  [ -n "$CHILD_PID" ] && wait "$CHILD_PID" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { echo "$EPOCHREALTIME"; }
elapsed_ms() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.0f", (b-a)*1000}'; }
status_kb() { awk -v k="$2:" '$1==k{print $2}' "/proc/$1/status" 2>/dev/null || echo "?"; }
mib() { awk -v k="$1" 'BEGIN{ if (k ~ /^[0-9]+$/) printf "%.1f MiB", k/1024; else print k }'; }
cpu_ticks() { local s; s=$(<"/proc/$1/stat"); s=${s##*) }; set -- $s; echo $(( ${12} + ${13} )); }

port_free() { ! curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/"; }

# start_server NAME LOG PROBE_URL CMD... : starts CMD in the background, waits for PROBE_URL to
# answer 200, sets SERVER_PID and STARTUP_MS.
start_server() {
  local name=$1 log=$2 probe=$3 t0 i
  shift 3
  t0=$(now)
  "$@" >> "$log" 2>&1 &
  SERVER_PID=$!
  for i in $(seq 1 1200); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$probe")" = 200 ]; then
      STARTUP_MS=$(elapsed_ms "$t0" "$(now)")
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "$name exited during start-up; see $log" >&2; tail -5 "$log" >&2; exit 1; }
    sleep 0.05
  done
  echo "$name did not answer $probe within 60 s" >&2
  exit 1
}

stop_server() {
  local i
  [ -z "$SERVER_PID" ] && return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  for i in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# load SECTION SERVER ENDPOINT URL [wrk options…]: one warm-up and REPEATS measured wrk runs
# against the running SERVER_PID, recorded in runs.tsv with the server's CPU share.
load() {
  local section=$1 server=$2 endpoint=$3 url=$4 rep file c0 c1 t0 t1 cpu
  shift 4
  local slug="${section//[^a-zA-Z0-9]/_}.${endpoint//[^a-zA-Z0-9]/_}"
  wrk "-t$THREADS" "-c$CONNS" "-d$WARMUP" --timeout "$WRK_TIMEOUT" "$@" "$url" > "$OUT/$slug.warmup.wrk" 2>&1 || true
  for rep in $(seq 1 "$REPEATS"); do
    file="$OUT/$slug.run$rep.wrk"
    c0=$(cpu_ticks "$SERVER_PID"); t0=$(now)
    { echo "# cmd: wrk -t$THREADS -c$CONNS -d$DURATION --timeout $WRK_TIMEOUT --latency $* $url"
      wrk "-t$THREADS" "-c$CONNS" "-d$DURATION" --timeout "$WRK_TIMEOUT" --latency "$@" "$url"; } > "$file" 2>&1 || true
    c1=$(cpu_ticks "$SERVER_PID"); t1=$(now)
    cpu=$(awk -v d=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v a="$t0" -v b="$t1" 'BEGIN{printf "%.0f", 100*d/hz/(b-a)}')
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$section" "$server" "$endpoint" "$file" "/${url#http://*/}" "$cpu" >> "$RUNS"
    printf '   %-22s %s  (server CPU %s%%)\n' "$endpoint" "$(python3 "$LIB/report.py" wrk "$file")" "$cpu"
  done
}

# ---- 1. build ---------------------------------------------------------------------------------
if [ "$DO_BUILD" = 1 ]; then
  echo "== building release (swift build -c release) in $ROOT"
  t0=$(now)
  (cd "$ROOT" && swift build -c release --product pln && swift build -c release --product pln-bench-peer) \
    > "$OUT/build.log" 2>&1 || { echo "build failed; see $OUT/build.log" >&2; tail -20 "$OUT/build.log" >&2; exit 1; }
  metric build "swift build -c release (pln, pln-bench-peer)" "$(elapsed_ms "$t0" "$(now)") ms"
fi
BIN_DIR="$ROOT/.build/release"
PLN_BIN="${PLN_BIN:-$BIN_DIR/pln}"
PEER_BIN="${PEER_BIN:-$BIN_DIR/pln-bench-peer}"
# The peers' runner works in its own folder: paths given relative to here must not break there.
case "$PLN_BIN" in /*) ;; *) PLN_BIN="$PWD/$PLN_BIN" ;; esac
case "$PEER_BIN" in /*) ;; *) PEER_BIN="$PWD/$PEER_BIN" ;; esac
echo "pln: $PLN_BIN" >> "$OUT/machine.txt"
echo "pln-bench-peer: $PEER_BIN" >> "$OUT/machine.txt"

# ---- 2. peers ---------------------------------------------------------------------------------
prepare_peers() {
  [ -n "$SHARED_BENCH" ] || { echo "shared/bench not found above $ROOT (set SHARED_BENCH)" >&2; return 1; }
  mkdir -p "$PEERS_DIR"
  # Refresh the sources (the shared folder is read-only), keep earlier builds.
  (cd "$SHARED_BENCH" && find . \( -name .build -o -name out \) -prune -o -type f -print) | while read -r f; do
    mkdir -p "$PEERS_DIR/$(dirname "$f")"
    cmp -s "$SHARED_BENCH/$f" "$PEERS_DIR/$f" 2>/dev/null || { rm -f "$PEERS_DIR/$f"; cp "$SHARED_BENCH/$f" "$PEERS_DIR/$f"; }
    chmod u+w "$PEERS_DIR/$f"
  done
  chmod +x "$PEERS_DIR/run-peers.sh"
  local peer
  for peer in "$@"; do
    if [ "$DO_BUILD" = 1 ] || [ ! -x "$PEERS_DIR/$peer/.build/release/$peer" ]; then
      echo "== building $peer in $PEERS_DIR/$peer (the first build fetches packages and takes minutes)"
      (cd "$PEERS_DIR/$peer" && swift build -c release) > "$OUT/$peer.build.log" 2>&1 \
        || { echo "building $peer failed; see $OUT/$peer.build.log" >&2; return 1; }
    fi
  done
}

# record_peer_run DIR: adds run-peers.sh's wrk outputs and measurements to runs.tsv / metrics.tsv
record_peer_run() {
  local dir=$1 meta name ep file rep path key value
  for meta in "$dir"/*.meta; do
    [ -e "$meta" ] || continue
    name=$(basename "$meta" .meta)
    for ep in plaintext api-post post-page post-views; do
      case "$ep" in
        plaintext) path=/plaintext ;; api-post) path=/api/posts/42 ;;
        post-page) path=/posts/42 ;; post-views) path="/api/posts/42/views (POST)" ;;
      esac
      for file in "$dir/$name.$ep".run*.wrk; do
        [ -e "$file" ] || continue
        rep=${file##*.run}; rep=${rep%.wrk}
        cpu=$(awk '{split($1,a,"="); split($2,b,"="); if (b[2] > 0) printf "%.0f", 100*a[2]/b[2]}' "$dir/$name.$ep.run$rep.cpu" 2>/dev/null || true)
        printf 'peers (side by side, run-peers.sh)\t%s\t%s\t%s\t%s\t%s\n' "${name/#pln*/pln}" "$ep" "$file" "$path" "$cpu" >> "$RUNS"
      done
    done
    while IFS='=' read -r key value; do
      case "$key" in
        startup_s|rss_idle_kb|rss_hwm_kb|rss_after_load_kb|hold_rss_before_kb|hold_rss_kb|threads_idle|threads_after_load)
          metric "peers (side by side, run-peers.sh)" "$name $key ($(basename "$dir"))" "$value" ;;
      esac
    done < "$meta"
    if [ -s "$dir/$name.hold.json" ]; then
      metric "peers (side by side, run-peers.sh)" "$name idle-connections client ($(basename "$dir"))" "$(cat "$dir/$name.hold.json")"
    fi
  done
}

if [ "$DO_PEERS" = 1 ] || [ "$DO_HOLD" = 1 ]; then
  [ -x "$PEER_BIN" ] || { echo "no pln-bench-peer binary at $PEER_BIN" >&2; exit 1; }
  PEER_LIST=(hummingbird-peer)
  [ "$WITH_VAPOR" = 1 ] && PEER_LIST+=(vapor-peer)
  prepare_peers "${PEER_LIST[@]}"
fi

if [ "$DO_PEERS" = 1 ]; then
  port_free "$PEER_PORT" || { echo "port $PEER_PORT is in use" >&2; exit 1; }
  for round in $(seq 1 "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then order=("${PEER_LIST[@]}" "pln=$PEER_BIN"); else order=("pln=$PEER_BIN" "${PEER_LIST[@]}"); fi
    echo "== peers, round $round of $ROUNDS: ${order[*]}"
    (cd "$PEERS_DIR" && DURATION="$DURATION" WARMUP="$WARMUP" CONNS="$CONNS" THREADS="$THREADS" REPEATS="$REPEATS" \
      PORT="$PEER_PORT" HOLD_N="$HOLD_N" HOLD_SECS=10 ./run-peers.sh --no-build "${order[@]}") \
      > "$OUT/peers.round$round.log" 2>&1 &
    CHILD_PID=$!
    wait "$CHILD_PID" || { echo "run-peers.sh failed; see $OUT/peers.round$round.log" >&2; tail -5 "$OUT/peers.round$round.log" >&2; exit 1; }
    CHILD_PID=""
    dir=$(sed -n 's/^results: //p' "$OUT/peers.round$round.log" | head -1)
    echo "   raw: $dir"
    record_peer_run "$dir"
  done
  python3 "$LIB/report.py" summary "$OUT" | sed -n '/^### peers/,/^### /p' | sed '$d'
fi

# ---- 3. hold: load while HOLD_N idle keep-alive connections stay open --------------------------
# hold_load SECTION SERVER PROBE_PATH URL...: the server must be running (SERVER_PID, port in URL).
hold_load() {
  local section=$1 server=$2 probe=$3 port=$4 ready rss_before rss_held
  shift 4
  ready="$OUT/${section//[^a-zA-Z0-9]/_}.hold.ready"
  rm -f "$ready"
  rss_before=$(status_kb "$SERVER_PID" VmRSS)
  # Held long enough to outlast every wrk run below, then released.
  local hold_secs=$(( (${DURATION%s} + ${WARMUP%s} + 2) * REPEATS * $# + 20 ))
  python3 "$SHARED_BENCH/tools/holdconns.py" --port "$port" -n "$HOLD_N" --path "$probe" --hold "$hold_secs" \
    --ready-file "$ready" > "$OUT/${section//[^a-zA-Z0-9]/_}.hold.json" 2> "$OUT/${section//[^a-zA-Z0-9]/_}.hold.err" &
  HOLD_PID=$!
  local i
  for i in $(seq 1 1200); do [ -s "$ready" ] && break; kill -0 "$HOLD_PID" 2>/dev/null || break; sleep 0.1; done
  sleep 2
  rss_held=$(status_kb "$SERVER_PID" VmRSS)
  metric "$section" "$server idle connections opened (ok/failed)" "$(cat "$ready" 2>/dev/null || echo 'not ready')"
  metric "$section" "$server RSS before / with $HOLD_N idle connections" "$(mib "$rss_before") / $(mib "$rss_held")"
  local url path
  for url in "$@"; do
    path="${url#http://127.0.0.1:$port}"
    load "$section" "$server" "$path while holding" "$url"
  done
  metric "$section" "$server RSS after the loads (connections still held)" "$(mib "$(status_kb "$SERVER_PID" VmRSS)")"
  metric "$section" "$server open fds" "$(ls "/proc/$SERVER_PID/fd" 2>/dev/null | wc -l)"
  kill "$HOLD_PID" 2>/dev/null || true
  wait "$HOLD_PID" 2>/dev/null || true
  HOLD_PID=""
}

if [ "$DO_HOLD" = 1 ]; then
  for spec in "hummingbird-peer=$PEERS_DIR/hummingbird-peer/.build/release/hummingbird-peer" "pln-bench-peer=$PEER_BIN"; do
    name=${spec%%=*}; bin=${spec#*=}
    section="hold $HOLD_N idle connections: $name"
    echo "== $section"
    db="$OUT/hold-$name.db"
    port_free "$PEER_PORT" || { echo "port $PEER_PORT is in use" >&2; exit 1; }
    start_server "$name" "$OUT/hold-$name.log" "http://127.0.0.1:$PEER_PORT/plaintext" env PORT="$PEER_PORT" DB="$db" "$bin"
    sleep 2
    hold_load "$section" "$name" /plaintext "$PEER_PORT" "http://127.0.0.1:$PEER_PORT/plaintext" "http://127.0.0.1:$PEER_PORT/posts/42"
    stop_server
    rm -f "$db" "$db-wal" "$db-shm"
  done
fi

# ---- 4. scales: pln serve on seeded data --------------------------------------------------------
write_config() {   # write_config DIR PORT
  cat > "$1/pln.star" <<EOF
# Generated by benchmarks/run.sh: every module on, data in this folder, loopback only.
network(name = "PLN benchmark", base_url = "http://127.0.0.1:$2")
server(host = "127.0.0.1", port = $2, request_log = $([ "$REQUEST_LOG" = 1 ] && echo True || echo False), max_connections = 20000)
storage(path = "$1/data/pln.sqlite")
modules($(echo "$MODULES" | sed 's/[^,][^,]*/"&"/g; s/,/, /g'))
EOF
}

json_field() { python3 -c 'import json,sys; v=json.load(sys.stdin).get(sys.argv[1]); print("" if v is None else v)' "$1"; }

run_scale() {
  local scale=$1 dir section t0 targets login profile post comments group session cookie csrf base code
  dir="$OUT/scale-$scale"
  section="pln serve, $scale data set"
  mkdir -p "$dir/data"
  write_config "$dir" "$PLN_PORT"
  echo "== $section: seeding"
  t0=$(now)
  if ! timeout "$SEED_TIMEOUT" "$PLN_BIN" admin seed --scale "$scale" --config "$dir/pln.star" > "$dir/seed.log" 2>&1; then
    echo "seeding $scale failed; see $dir/seed.log" >&2
    tail -5 "$dir/seed.log" >&2
    metric "$section" "pln admin seed --scale $scale" "FAILED after $(elapsed_ms "$t0" "$(now)") ms: $(tail -1 "$dir/seed.log")"
    return 1
  fi
  metric "$section" "pln admin seed --scale $scale" "$(elapsed_ms "$t0" "$(now)") ms, database $(du -ch "$dir/data" | tail -1 | cut -f1)"
  tail -n 3 "$dir/seed.log" | sed 's/^/   /'
  targets=$(python3 "$LIB/targets.py" "$dir/data/pln.sqlite")
  echo "$targets" > "$dir/targets.json"
  login=$(echo "$targets" | json_field login)
  profile=$(echo "$targets" | json_field profile)
  post=$(echo "$targets" | json_field blog_post)
  comments=$(echo "$targets" | json_field blog_comments)
  group=$(echo "$targets" | json_field group)
  metric "$section" "targets" "$targets"

  port_free "$PLN_PORT" || { echo "port $PLN_PORT is in use" >&2; return 1; }
  base="http://127.0.0.1:$PLN_PORT"
  start_server "pln serve" "$dir/serve.log" "$base/healthz" "$PLN_BIN" serve --config "$dir/pln.star"
  metric "$section" "start-up to first /healthz 200 (exec to answer, polled every 50 ms)" "$STARTUP_MS ms"
  sleep 3
  metric "$section" "RSS idle after start" "$(mib "$(status_kb "$SERVER_PID" VmRSS)")"

  session=$(python3 "$LIB/session.py" --port "$PLN_PORT" --login "$login" 2> "$dir/session.err" || true)
  cookie=$(echo "${session:-{\}}" | json_field cookie)
  csrf=$(echo "${session:-{\}}" | json_field csrf)
  if [ -z "$cookie" ]; then
    echo "   could not sign in as $login ($(cat "$dir/session.err")): signed-in pages are skipped"
    metric "$section" "sign-in" "failed for $login: $(cat "$dir/session.err")"
  fi

  # probe PATH COOKIE: the status a GET answers
  probe() { curl -s -o /dev/null -w '%{http_code}' --max-time 30 ${2:+-H "Cookie: $2"} "$base$1" || true; }
  # page NAME PATH [signed-in]: loads the page if it answers 200, else records why not
  page() {
    local name=$1 path=$2 who=${3:-}
    local with=()
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "   pln serve is no longer running (see $dir/serve.log): $name skipped" >&2
      metric "$section" "$name" "skipped: pln serve had stopped (see serve.log)"
      return 0
    fi
    if [ -n "$who" ]; then
      [ -n "$cookie" ] || { metric "$section" "$name" "skipped: not signed in"; return 0; }
      with=(-H "Cookie: $cookie")
    fi
    code=$(probe "$path" "${who:+$cookie}")
    if [ "$code" != 200 ]; then
      echo "   $name: $path answered $code, skipped"
      metric "$section" "$name" "skipped: $path answered $code"
      return 0
    fi
    load "$section" pln "$name" "$base$path" "${with[@]}"
  }

  echo "== $section: reads"
  page "healthz" /healthz
  page "home (anonymous)" /
  page "home (signed in)" / member
  page "activity" /activity member
  page "member directory" /members member
  [ -n "$profile" ] && page "member profile" "/members/$profile" member
  if [ -n "$post" ]; then
    page "blog post ($comments comments)" "/blog/posts/$post" member
    page "blog post, JSON API" "/api/v1/blog/posts/$post"
  else
    metric "$section" "blog" "skipped: no published blog post in the data set"
  fi
  if [ -n "$group" ]; then page "group page" "/groups/$group" member; else metric "$section" "group page" "skipped: no group"; fi
  page "CPD sessions" /cpd member

  # Before the writes: they add activities, and the pages read the activity stream.
  if [ "$DO_HOLD" = 1 ] && [ "$scale" = "$(echo "$SCALES" | cut -d, -f1)" ]; then
    echo "== $section: loads while $HOLD_N idle connections are held"
    hold_load "hold $HOLD_N idle connections: pln serve ($scale)" "pln serve" /healthz "$PLN_PORT" "$base/healthz" "$base/"
  fi

  if [ -n "$cookie" ] && [ -n "$csrf" ]; then
    echo "== $section: writes"
    local writes=() code_status code_comment
    code_status=$(curl -s --max-time 60 -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" \
      --data-urlencode "body=Benchmark probe status" "$base/statuses" || true)
    if [ "$code_status" = 303 ]; then writes+=(/statuses); else metric "$section" "write: statuses" "skipped: POST /statuses answered $code_status"; fi
    if [ -n "$post" ]; then
      code_comment=$(curl -s --max-time 60 -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" \
        --data-urlencode "body=Benchmark probe comment" "$base/blog/posts/$post/comments" || true)
      if [ "$code_comment" = 303 ]; then writes+=("/blog/posts/$post/comments")
      else metric "$section" "write: comments" "skipped: POST /blog/posts/$post/comments answered $code_comment"; fi
    fi
    local w
    for w in "${writes[@]}"; do
      case "$w" in /statuses) name="write: statuses" ;; *) name="write: comments" ;; esac
      PLN_COOKIE="$cookie" PLN_CSRF="$csrf" PLN_WRITE_PATHS="$w" load "$section" pln "$name" "$base$w" -s "$LIB/write-mix.lua"
    done
    if [ ${#writes[@]} -gt 1 ]; then
      PLN_COOKIE="$cookie" PLN_CSRF="$csrf" PLN_WRITE_PATHS="$(IFS=,; echo "${writes[*]}")" \
        load "$section" pln "write mix (statuses + comments)" "$base/statuses" -s "$LIB/write-mix.lua"
    fi
  fi
  metric "$section" "peak RSS under load (VmHWM)" "$(mib "$(status_kb "$SERVER_PID" VmHWM)")"
  sleep 2
  metric "$section" "RSS after load" "$(mib "$(status_kb "$SERVER_PID" VmRSS)")"

  stop_server
  # The large data set is ~650 MB: keep it only when asked.
  [ "${KEEP_DATA:-0}" = 1 ] || rm -rf "$dir/data"
}

if [ "$DO_SCALES" = 1 ]; then
  [ -x "$PLN_BIN" ] || { echo "no pln binary at $PLN_BIN" >&2; exit 1; }
  IFS=',' read -r -a scale_list <<< "$SCALES"
  for scale in "${scale_list[@]}"; do
    case "$scale" in small|medium|large) ;; *) echo "unknown scale $scale" >&2; exit 2 ;; esac
    # A failed scale (say, a seeder error) is recorded and the next scale still runs.
    if ! run_scale "$scale"; then
      metric "pln serve, $scale data set" "result" "failed: see $OUT/scale-$scale/ (seed.log, serve.log)"
      stop_server
    fi
  done
fi

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
{
  echo "# PLN benchmark run $(basename "$OUT")"
  echo
  echo '```'
  cat "$OUT/machine.txt"
  echo '```'
  echo
  python3 "$LIB/report.py" summary "$OUT"
} > "$OUT/summary.md"
echo
cat "$OUT/summary.md"
