#!/usr/bin/env bash
# Fan-out benchmark: 1,000 WebSocket subscribers (by default) on one target, one publisher at a
# fixed rate; delivered messages/s and publish-to-receive latency (bench/README.md, "Fan-out").
# Targets: spindle (FanOutServer: broadcaster + app.websocket) and ws (Node `ws`, one process).
# Holds /work/bench.lock (or $BENCH_LOCK) while measuring; one JSON line per cell in the output.
set -euo pipefail
cd "$(dirname "$0")/.."

targets="spindle,ws"
rates="100,500,1000"
subscribers=1000
warmup=5
duration=15
port=18090
while [ $# -gt 0 ]; do
    case "$1" in
        --targets) targets="$2"; shift 2 ;;
        --rates) rates="$2"; shift 2 ;;
        --subscribers) subscribers="$2"; shift 2 ;;
        --duration) duration="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --help) sed -n '2,6p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

jar=bench/target/bench-spindle.jar
[ -f "$jar" ] || mvn -B -q -Pbench -pl bench -am package -DskipTests
[ -d bench/node/node_modules/ws ] || (cd bench/node && npm ci --silent)
out="bench/results/fanout-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
ulimit -n 65536 2>/dev/null || true

server_pid=""
stop_server() {
    if [ -n "$server_pid" ]; then
        kill -TERM -- "-$server_pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$server_pid" 2>/dev/null || true
        server_pid=""
    fi
}
trap stop_server EXIT

exec 9>"${BENCH_LOCK:-/work/bench.lock}"
flock 9
for target in ${targets//,/ }; do
    case "$target" in
        spindle) setsid env PORT=$port java -cp "$jar" dev.spindle.bench.fanout.FanOutServer >"$out/$target.log" 2>&1 & ;;
        ws) setsid env PORT=$port node bench/node/ws-fanout.js >"$out/$target.log" 2>&1 & ;;
        *) echo "unknown target $target" >&2; exit 2 ;;
    esac
    server_pid=$!
    for _ in $(seq 1 200); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.05
    done
    for rate in ${rates//,/ }; do
        java -cp "$jar" dev.spindle.bench.fanout.FanOutClient --port "$port" --subscribers "$subscribers" \
            --rate "$rate" --warmup "$warmup" --duration "$duration" --label "$target" 2>>"$out/client.log" \
            | tee -a "$out/cells.jsonl"
    done
    stop_server
done
echo "results in $out/cells.jsonl"
