#!/usr/bin/env bash
# The jobs benchmark: Spindle's job queue against BullMQ (npm, Node 20) on the same Redis.
# Each cell adds JOBS no-op jobs in bulks of 1,000 while a worker of the given concurrency runs
# them (jobs/s from the first add to the last job run; after a warm-up pass), then adds SAMPLES
# jobs one at a time to an idle worker for enqueue-to-start latency (p50, p99). Rounds interleave
# the targets and concurrencies; the report gives medians. Redis: --redis URL (default: a
# redis-server this script starts on a free port, no persistence). Hold `flock /work/bench.lock`.
set -euo pipefail

ROUNDS=3 JOBS=20000 SAMPLES=1000 CONCURRENCIES=8,32 BUILD=1 REDIS_URL="" JFR=0 TARGETS=spindle,bullmq BASE_JAR=""
JVM_FLAGS="-Xms256m -Xmx256m -XX:+UseParallelGC"
usage() {
    echo "Usage: bench/jobs.sh [--rounds N] [--jobs N] [--samples N] [--concurrency LIST] [--redis redis://host:port] [--no-build]"
    echo "                     [--targets spindle,bullmq] [--jfr] [--base-jar JAR]"
    echo "  --jfr: a flight recording of each Spindle cell, in the results directory"
    echo "  --base-jar: also run target spindle-base from JAR (a build of an earlier commit), for before/after"
}
while [[ $# -gt 0 ]]; do
    case $1 in
        --rounds) ROUNDS=$2; shift 2 ;;
        --jobs) JOBS=$2; shift 2 ;;
        --samples) SAMPLES=$2; shift 2 ;;
        --concurrency) CONCURRENCIES=$2; shift 2 ;;
        --redis) REDIS_URL=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --targets) TARGETS=$2; shift 2 ;;
        --jfr) JFR=1; shift ;;
        --base-jar) BASE_JAR=$2; TARGETS="spindle,spindle-base,bullmq"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
OUT="$BENCH_DIR/results/jobs-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT/logs"
log() { echo "[jobs-bench $(date -u +%H:%M:%S)] $*"; }
die() { log "ERROR: $*"; exit 1; }
for tool in redis-server redis-cli node npm java; do command -v $tool >/dev/null || die "'$tool' is missing"; done

REDIS_PID=""
cleanup() { [[ -n $REDIS_PID ]] && kill "$REDIS_PID" 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if [[ $BUILD -eq 1 ]]; then
    log "Building bench-spindle.jar (reactor package, no install)"
    (cd "$ROOT" && mvn -B -q -Pbench -pl bench -am package -DskipTests) >"$OUT/logs/build.log" 2>&1 \
        || die "build failed; see $OUT/logs/build.log"
fi
[[ -d "$BENCH_DIR/node/node_modules/bullmq" ]] || (cd "$BENCH_DIR/node" && npm ci --no-audit --no-fund >"$OUT/logs/npm.log" 2>&1) \
    || die "npm ci failed; see $OUT/logs/npm.log"

if [[ -z $REDIS_URL ]]; then
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    redis-server --port "$PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
        >"$OUT/logs/redis.log" 2>&1 &
    REDIS_PID=$!
    for _ in $(seq 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    REDIS_URL="redis://127.0.0.1:$PORT"
fi
HOSTPORT=${REDIS_URL#redis://}
HOST=${HOSTPORT%%:*}
PORT=${HOSTPORT##*:}
log "Redis $REDIS_URL ($(redis-server --version | awk '{print $3}')), $JOBS jobs per cell, $SAMPLES latency samples, $ROUNDS rounds"

RESULTS="$OUT/results.jsonl"
IFS=, read -ra LEVELS <<<"$CONCURRENCIES"
IFS=, read -ra CHOSEN <<<"$TARGETS"
for round in $(seq "$ROUNDS"); do
    for c in "${LEVELS[@]}"; do
        order=("${CHOSEN[@]}")
        if (( round % 2 == 0 )); then
            order=(); for (( i=${#CHOSEN[@]}-1; i>=0; i-- )); do order+=("${CHOSEN[i]}"); done
        fi
        for target in "${order[@]}"; do
            log "round $round, concurrency $c: $target"
            if [[ $target == spindle || $target == spindle-base ]]; then
                jar="$BENCH_DIR/target/bench-spindle.jar"
                [[ $target == spindle-base ]] && jar=$BASE_JAR
                flags="$JVM_FLAGS ${JOBS_EXTRA_JVM_FLAGS:-}"
                [[ $JFR -eq 1 ]] && flags="$flags -XX:StartFlightRecording=settings=profile,filename=$OUT/$target-c$c-r$round.jfr"
                # shellcheck disable=SC2086
                line=$(java $flags -cp "$jar" dev.spindle.bench.spindle.JobsBench \
                    "$REDIS_URL" "$JOBS" "$c" "$SAMPLES" 2>>"$OUT/logs/$target.log" | grep '^{' \
                    | sed "s/\"target\":\"spindle\"/\"target\":\"$target\"/" || true)
            else
                line=$(cd "$BENCH_DIR/node" && node jobs-bullmq.js "$HOST" "$PORT" "$JOBS" "$c" "$SAMPLES" \
                    2>>"$OUT/logs/bullmq.log" | grep '^{' || true)
            fi
            [[ -n $line ]] || die "$target at concurrency $c produced no result; see $OUT/logs"
            echo "$line" | sed "s/^{/{\"round\":$round,/" | tee -a "$RESULTS"
        done
    done
done

node "$BENCH_DIR/jobs-report.js" "$RESULTS" | tee "$OUT/report.md"
log "Results in $OUT"
