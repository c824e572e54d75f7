#!/usr/bin/env bash
# CPU per request, Spindle against raw Netty: both bench servers up side by side, six alternating
# wrk runs each, medians of requests/s and of user and system CPU microseconds per request (from
# /proc/<pid>/stat). Steadier than throughput on a shared machine. Needs the bench jars
# (bench/run.sh builds them). Usage: bench/cpu-ab.sh [path] [seconds per run]
set -Eeuo pipefail
path=${1:-/plaintext}
secs=${2:-6}
cd "$(dirname "${BASH_SOURCE[0]}")"
flags=(-Xms256m -Xmx256m -XX:+UseParallelGC)
PORT=18112 java "${flags[@]}" -jar target/bench-spindle.jar >/dev/null 2>&1 & spindle=$!
PORT=18113 java "${flags[@]}" -jar target/bench-netty.jar >/dev/null 2>&1 & netty=$!
trap 'kill $spindle $netty 2>/dev/null || true' EXIT
for port in 18112 18113; do
    until curl -sf -o /dev/null "http://127.0.0.1:$port$path"; do sleep 0.05; done
done
measure() { # port -> "rps user_us sys_us"
    local pid=$1 port=$2 u0 s0 u1 s1 out
    read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$pid/stat")
    out=$(wrk -t2 -c64 -d"${secs}s" "http://127.0.0.1:$port$path")
    read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$pid/stat")
    local requests rps tick
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    tick=$(getconf CLK_TCK)
    python3 -c "print($rps, ($u1-$u0)*1e6/$tick/$requests, ($s1-$s0)*1e6/$tick/$requests)"
}
for port in 18112 18113; do measure $([ $port = 18112 ] && echo $spindle || echo $netty) $port >/dev/null; done
results=$(for round in 1 2 3 4 5 6; do
    echo "spindle $(measure $spindle 18112)"
    echo "netty $(measure $netty 18113)"
done)
python3 - "$results" <<'PY'
import statistics, sys
rows = [line.split() for line in sys.argv[1].splitlines()]
for name in ("spindle", "netty"):
    r = [list(map(float, row[1:])) for row in rows if row[0] == name]
    med = [statistics.median(col) for col in zip(*r)]
    print(f"{name:8s} {med[0]:9.0f} req/s   user {med[1]:.2f} us/req   sys {med[2]:.2f} us/req")
PY
