#!/usr/bin/env bash
# bench/cpu-ab.sh with a third server: Spindle from another checkout (before), Spindle from this one (after),
# raw Netty; the server on CPU 0, wrk on CPU 1, alternating runs, medians. Usage:
#   BEFORE=/path/to/other/checkout/bench/target bench/before-after.sh [path] [seconds per run] [rounds, a multiple of 3]
# (build both with: mvn -B -q -Pbench -pl bench -am package -DskipTests)
set -Eeuo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
path=${1:-/plaintext}
secs=${2:-5}
rounds=${3:-6}
flags=(-Xms256m -Xmx256m -XX:+UseParallelGC)
PORT=18112 taskset -c 0 java "${flags[@]}" -jar "${BEFORE:?set BEFORE to the bench/target of the other checkout}/bench-spindle.jar" >/dev/null 2>&1 & before=$!
PORT=18114 taskset -c 0 java "${flags[@]}" -jar "$HERE"/target/bench-spindle.jar >/dev/null 2>&1 & after=$!
PORT=18113 taskset -c 0 java "${flags[@]}" -jar "$HERE"/target/bench-netty.jar >/dev/null 2>&1 & netty=$!
trap 'kill $before $after $netty 2>/dev/null || true' EXIT
for port in 18112 18113 18114; do
    until curl -sf -o /dev/null "http://127.0.0.1:$port$path"; do sleep 0.05; done
done
measure() { # pid port -> "rps user_us sys_us"
    local pid=$1 port=$2 u0 s0 u1 s1 out
    read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$pid/stat")
    out=$(taskset -c 1 wrk -t1 -c64 -d"${secs}s" "http://127.0.0.1:$port$path")
    read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$pid/stat")
    local requests rps tick
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    tick=$(getconf CLK_TCK)
    python3 -c "print($rps, ($u1-$u0)*1e6/$tick/$requests, ($s1-$s0)*1e6/$tick/$requests)"
}
# warm-up: two runs each
for i in 1 2; do measure $before 18112 >/dev/null; measure $after 18114 >/dev/null; measure $netty 18113 >/dev/null; done
# The order rotates every round: whichever server is measured in a given position gains or loses
# by it (an A/A run, the same jar as before and after, showed about 10% between positions).
measure_named() { # name
    case $1 in
        before) echo "before $(measure $before 18112)" ;;
        after) echo "after $(measure $after 18114)" ;;
        netty) echo "netty $(measure $netty 18113)" ;;
    esac
}
orders=("before after netty" "after netty before" "netty before after")
results=$(for round in $(seq "$rounds"); do
    for name in ${orders[$(( (round - 1) % 3 ))]}; do
        measure_named "$name"
    done
done)
echo "$results"
python3 - "$results" <<'PY'
import statistics, sys
rows = [line.split() for line in sys.argv[1].splitlines()]
med = {}
for name in ("before", "after", "netty"):
    r = [list(map(float, row[1:])) for row in rows if row[0] == name]
    med[name] = [statistics.median(col) for col in zip(*r)]
    m = med[name]
    print(f"{name:7s} {m[0]:9.0f} req/s   user {m[1]:.2f} us/req   sys {m[2]:.2f} us/req   cpu {m[1]+m[2]:.2f} us/req")
# ratio of medians, per round too
for name in ("before", "after"):
    ratios = []
    rs = [float(row[1]) for row in rows if row[0] == name]
    ns = [float(row[1]) for row in rows if row[0] == "netty"]
    ratios = [a / b for a, b in zip(rs, ns)]
    cpu = (med["netty"][1] + med["netty"][2]) / (med[name][1] + med[name][2])
    print(f"{name}: throughput x netty median-of-rounds {statistics.median(ratios):.2f} (rounds {', '.join(f'{x:.2f}' for x in ratios)}); netty cpu/req / {name} cpu/req {cpu:.2f}")
PY
