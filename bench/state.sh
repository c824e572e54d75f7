#!/usr/bin/env bash
# The state benchmark: a session-reading route and a cache-hit route on Spindle, Vert.x-web (Redis
# session store), Express (express-session + connect-redis) and Fastify (@fastify/session + a Redis
# store), the Node targets in cluster mode one worker per core, all against one redis-server this
# script starts on a free port. Rounds interleave the targets; report: median req/s and p99 per cell.
# Wrap it in `flock /work/bench.lock` on a shared machine.
set -euo pipefail

ROUNDS=3 DURATION=10 WARMUP=5 CONNECTIONS=64 THREADS=2 BUILD=1
TARGETS=spindle,vertx,express,fastify
JVM_FLAGS="-Xms256m -Xmx256m -XX:+UseParallelGC"
usage() {
    cat <<USAGE
Usage: bench/state.sh [--targets LIST] [--rounds N] [--duration S] [--warmup S] [--connections N]
                      [--threads N] [--no-build] [--label TEXT]
Targets: spindle, vertx, express, fastify. Scenarios: session (GET /state/session with the cookie
a POST /state/session issued), cache (GET /state/cache, a hit after the first request).
USAGE
}
LABEL=""
while [[ $# -gt 0 ]]; do
    case $1 in
        --targets) TARGETS=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --threads) THREADS=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --label) LABEL=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
OUT="$BENCH_DIR/results/state-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT/raw" "$OUT/logs"
log() { echo "[state-bench $(date -u +%H:%M:%S)] $*"; }
die() { log "ERROR: $*"; exit 1; }
for tool in wrk curl redis-server setsid node java; do command -v $tool >/dev/null || die "'$tool' is missing"; done

PIDS=()
stop() { # stops a process group started with setsid, politely first
    local pid=$1
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
}
cleanup() { for pid in "${PIDS[@]:-}"; do [[ -n $pid ]] && stop "$pid"; done; }
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

if [[ $BUILD -eq 1 ]]; then
    log "Building the bench jars (reactor package, no install)"
    (cd "$ROOT" && mvn -B -q -Pbench -pl bench -am package -DskipTests) >"$OUT/logs/build.log" 2>&1 \
        || die "build failed; see $OUT/logs/build.log"
    (cd "$BENCH_DIR/node" && npm ci --no-audit --no-fund) >"$OUT/logs/npm.log" 2>&1 || die "npm ci failed"
fi

REDIS_PORT=$(free_port)
setsid redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
    >"$OUT/logs/redis.log" 2>&1 </dev/null &
REDIS_PID=$!
PIDS+=("$REDIS_PID")
for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
log "redis-server $(redis-server --version | awk '{print $3}') on port $REDIS_PORT (pid $REDIS_PID)"
{
    echo "date: $(date -u +%FT%TZ)"; echo "commit: $(git -C "$ROOT" rev-parse --short HEAD)"; echo "label: $LABEL"
    echo "cores: $(nproc)"; echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "rounds: $ROUNDS, warm-up ${WARMUP}s, cells ${DURATION}s, $CONNECTIONS connections, $THREADS wrk threads"
} >"$OUT/meta.txt"

command_of() {
    case $1 in
        spindle) echo java $JVM_FLAGS -cp "$BENCH_DIR/target/bench-spindle.jar" dev.spindle.bench.spindle.SpindleStateServer ;;
        vertx) echo java $JVM_FLAGS -cp "$BENCH_DIR/target/bench-vertx.jar" dev.spindle.bench.vertx.VertxStateServer ;;
        express) echo node "$BENCH_DIR/node/express-state.js" ;;
        fastify) echo node "$BENCH_DIR/node/fastify-state.js" ;;
        *) die "unknown target $1" ;;
    esac
}

IFS=, read -r -a TARGET_LIST <<<"$TARGETS"
for round in $(seq "$ROUNDS"); do
    count=${#TARGET_LIST[@]}
    for i in $(seq 0 $((count - 1))); do
        target=${TARGET_LIST[$(((i + round - 1) % count))]}
        port=$(free_port)
        # shellcheck disable=SC2046
        PORT=$port NODE_ENV=production setsid $(command_of "$target") >"$OUT/logs/$target-$round.log" 2>&1 </dev/null &
        pid=$!
        PIDS+=("$pid")
        base="http://127.0.0.1:$port"
        for _ in $(seq 600); do
            [[ $(curl -s -o /dev/null -w '%{http_code}' "$base/plaintext" || true) == 200 ]] && break
            kill -0 "$pid" 2>/dev/null || die "$target died at start; see $OUT/logs/$target-$round.log"
            sleep 0.05
        done
        cookie=$(curl -s -D - -o /dev/null -X POST "$base/state/session" | tr -d '\r' \
            | awk 'tolower($1)=="set-cookie:" {split($2, c, ";"); print c[1]; exit}')
        [[ -n $cookie ]] || die "$target issued no session cookie"
        body=$(curl -s -H "Cookie: $cookie" "$base/state/session")
        [[ $body == "hello bench" ]] || die "$target answered '$body' to the session read"
        body=$(curl -s "$base/state/cache")
        [[ $body == '{"message":"Hello, World!"}' ]] || die "$target answered '$body' to the cache read"
        for scenario in session cache; do
            path=/state/$scenario
            header=()
            [[ $scenario == session ]] && header=(-H "Cookie: $cookie")
            wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "${header[@]}" "$base$path" >/dev/null
            raw="$OUT/raw/$target-$scenario-$round.txt"
            wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$BENCH_DIR/wrk/summary.lua" \
                "${header[@]}" "$base$path" >"$raw"
            json=$(grep '^JSON ' "$raw" | cut -c6-)
            echo "{\"round\":$round,\"target\":\"$target\",\"scenario\":\"$scenario\",\"wrk\":$json}" >>"$OUT/cells.jsonl"
            log "round $round $target $scenario: $(echo "$json" | grep -o '"rps":[0-9.]*')"
        done
        stop "$pid"
    done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/meta.txt"
node "$BENCH_DIR/state-report.js" "$OUT" >"$OUT/results.md"
cat "$OUT/results.md"
