#!/usr/bin/env bash
# SO_REUSEPORT per-loop listeners against one acceptor, on the Spindle bench server: throughput
# with keep-alive connections and with a new connection per request, and how the loops shared
# the connections and requests (read from /metrics before and after each cell).
#
#   bench/reuseport.sh [--rounds 2] [--duration 10] [--connections 64]
#
# Needs bench/target/bench-spindle.jar (bench/run.sh builds it) and wrk. Hold /work/bench.lock
# (flock) where others share the machine. Unpinned: the server's two loops and wrk share the cores.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROUNDS=2 DURATION=10 CONNECTIONS=64 PORT=18080 LOOPS=2
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) ROUNDS=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
JAR="$BENCH_DIR/target/bench-spindle.jar"
[[ -f "$JAR" ]] || { echo "$JAR is missing: run bench/run.sh once, or mvn -Pbench -pl bench -am package -DskipTests" >&2; exit 1; }

per_loop() { # metric name -> "n0 n1 ..." in loop order
    curl -s "http://127.0.0.1:$PORT/metrics" | awk -v m="$1" '$1 ~ "^"m"\\{" {match($1, /loop="[0-9]+"/); l=substr($1, RSTART+6, RLENGTH-7); v[l]=$2} END {for (i=0; i in v; i++) printf "%d ", v[i]}'
}

diff_counts() { # "a0 a1" "b0 b1" -> "b0-a0/b1-a1" and the max/min ratio
    awk -v a="$1" -v b="$2" 'BEGIN {n=split(a, x, " "); split(b, y, " "); min=-1; max=0; out="";
        for (i=1; i<=n; i++) {d=y[i]-x[i]; out=out (i>1?"/":"") d; if (d>max) max=d; if (min<0||d<min) min=d}
        printf "%s %.2f", out, (min>0 ? max/min : 0)}'
}

echo "| layout | connections | req/s | p99 ms | connections per loop | requests per loop | max/min requests |"
echo "|---|---|---:|---:|---|---|---:|"
for round in $(seq 1 "$ROUNDS"); do
    for reuse in true false; do
        java -Xms256m -Xmx256m -XX:+UseParallelGC -Dspindle.event-loops=$LOOPS -Dspindle.server.reuse-port=$reuse \
            -Dspindle.server.port=$PORT -jar "$JAR" >/tmp/reuseport-server.log 2>&1 &
        pid=$!
        for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$PORT/plaintext" >/dev/null && break; sleep 0.05; done
        layout=$([[ $reuse == true ]] && echo "SO_REUSEPORT per loop" || echo "one acceptor")
        wrk -t2 -c"$CONNECTIONS" -d3s "http://127.0.0.1:$PORT/plaintext" >/dev/null # warm-up
        for mode in keep-alive close; do
            header=()
            [[ $mode == close ]] && header=(-H "Connection: close")
            c0=$(per_loop spindle_http_loop_connections_total); r0=$(per_loop spindle_http_loop_requests_total)
            out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "${header[@]}" "http://127.0.0.1:$PORT/plaintext")
            c1=$(per_loop spindle_http_loop_connections_total); r1=$(per_loop spindle_http_loop_requests_total)
            rps=$(awk '/Requests\/sec/ {printf "%d", $2}' <<<"$out")
            p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/, "", v); v/=1000} else if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /s$/) {sub(/s/, "", v); v*=1000}; printf "%.2f", v}' <<<"$out")
            read -r cspread _ <<<"$(diff_counts "$c0" "$c1")"
            read -r rspread rratio <<<"$(diff_counts "$r0" "$r1")"
            echo "| $layout (round $round) | $mode | $rps | $p99 | $cspread | $rspread | $rratio |"
        done
        kill -TERM $pid; wait $pid 2>/dev/null || true
    done
done
