#!/usr/bin/env bash
# HTTP/2 benchmark: h2load against Spindle, Vert.x-web and raw Netty h2 over h2c (prior
# knowledge), with many streams per connection, in one run. Each target is started in turn (the
# order rotates between rounds), checked, warmed up, measured and stopped; each cell of the
# report is the median of the rounds. See bench/README.md.
#
#   flock /work/bench.lock bench/h2.sh          # 3 rounds, 6 s cells after 5 s of warm-up, /plaintext
#   bench/h2.sh --rounds 1 --duration 3 --warmup 1                 # smoke: proves the harness works
#   bench/h2.sh --path /json --connections 8 --streams 100 --no-build
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(dirname "$BENCH_DIR")

TARGETS="spindle,vertx,netty-h2"
ROUNDS=3
DURATION=6
WARMUP=5
CONNECTIONS=4
STREAMS=100
THREADS=1
PATHS="/plaintext"
PORT=18090
JVM_FLAGS="-Xms256m -Xmx256m -XX:+UseParallelGC"
BUILD=1

usage() {
    cat <<USAGE
Usage: bench/h2.sh [options]
  --targets LIST      comma-separated, from spindle,vertx,netty-h2 (default $TARGETS)
  --paths LIST        comma-separated request paths (default $PATHS)
  --rounds N          rounds; each cell is the median (default $ROUNDS)
  --duration S        seconds measured per cell (default $DURATION)
  --warmup S          h2load warm-up seconds before each cell (default $WARMUP)
  --connections C     h2load connections (default $CONNECTIONS)
  --streams M         concurrent streams per connection, h2load -m (default $STREAMS)
  --threads T         h2load threads (default $THREADS)
  --port P            listen port of the targets (default $PORT)
  --jvm-flags "FLAGS" flags for every JVM target (default "$JVM_FLAGS")
  --no-build          use the jars already in bench/target
USAGE
}

while [[ $# -gt 0 ]]; do
    case $1 in
        --targets) TARGETS=$2; shift 2 ;;
        --paths) PATHS=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --streams) STREAMS=$2; shift 2 ;;
        --threads) THREADS=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        --jvm-flags) JVM_FLAGS=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "Unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done

OUT="$BENCH_DIR/results/h2-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT/raw" "$OUT/logs"
RUN_LOG="$OUT/run.log"
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$RUN_LOG" >&2; }
die() { log "ERROR: $*"; exit 1; }

SERVER_PID=""
stop_server() {
    local pid=$SERVER_PID
    SERVER_PID=""
    [[ -n $pid ]] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    log "Process group $pid ignored SIGTERM for 10 s; killing it"
    kill -KILL -- "-$pid" 2>/dev/null || true
}
trap stop_server EXIT
trap 'exit 130' INT TERM

command -v h2load >/dev/null || die "'h2load' is missing (apt-get install nghttp2-client)"
command -v curl >/dev/null || die "'curl' is missing"

if [[ $BUILD -eq 1 ]]; then
    log "Building the JVM bench servers (mvn -B -q -Pbench -pl bench -am package -DskipTests)"
    (cd "$ROOT_DIR" && mvn -B -q -Pbench -pl bench -am package -DskipTests) >"$OUT/logs/build.log" 2>&1 \
        || die "build failed; see $OUT/logs/build.log"
fi

command_for() {
    local jvm=(java $JVM_FLAGS)
    case $1 in
        spindle|vertx) CMD=("${jvm[@]}" -jar "$BENCH_DIR/target/bench-$1.jar") ;;
        netty-h2) CMD=("${jvm[@]}" -cp "$BENCH_DIR/target/bench-netty.jar" dev.spindle.bench.netty.NettyH2BenchServer) ;;
        *) die "unknown target $1" ;;
    esac
}

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cpus: $(nproc)"
    echo "java: $(java -version 2>&1 | head -2 | tail -1)"
    echo "h2load: $(h2load --version | head -1)"
    echo "jvm flags: $JVM_FLAGS"
    echo "h2load: -c $CONNECTIONS -m $STREAMS -t $THREADS -D $DURATION --warm-up-time $WARMUP, h2c prior knowledge"
} >"$OUT/environment.txt"

IFS=, read -r -a targets <<<"$TARGETS"
IFS=, read -r -a paths <<<"$PATHS"
CELLS="$OUT/cells.tsv"
: >"$CELLS"

for round in $(seq 1 "$ROUNDS"); do
    count=${#targets[@]}
    for i in $(seq 0 $((count - 1))); do
        target=${targets[$(((i + round - 1) % count))]}
        command_for "$target"
        log "Round $round: starting $target"
        PORT=$PORT setsid "${CMD[@]}" >"$OUT/logs/$target-$round.log" 2>&1 </dev/null &
        SERVER_PID=$!
        ready=0
        for _ in $(seq 1 300); do
            if curl -sf --http2-prior-knowledge -o /dev/null "http://127.0.0.1:$PORT/plaintext"; then
                ready=1
                break
            fi
            sleep 0.05
        done
        [[ $ready -eq 1 ]] || die "$target did not answer /plaintext over h2c within 15 s; see $OUT/logs"
        body=$(curl -sS --http2-prior-knowledge "http://127.0.0.1:$PORT/plaintext")
        [[ $body == "Hello, World!" ]] || die "$target answered /plaintext with '$body'"
        for path in "${paths[@]}"; do
            raw="$OUT/raw/$target-${path//\//}-$round.txt"
            h2load -c "$CONNECTIONS" -m "$STREAMS" -t "$THREADS" -D "$DURATION" --warm-up-time "$WARMUP" \
                "http://127.0.0.1:$PORT$path" >"$raw" 2>&1 || die "h2load failed against $target; see $raw"
            rps=$(sed -n 's/^finished in [^,]*, \([0-9.]*\) req\/s.*/\1/p' "$raw")
            failed=$(sed -n 's/^requests: .* \([0-9]*\) failed, \([0-9]*\) errored.*/\1+\2/p' "$raw")
            mean=$(awk '/^time for request:/ {print $6}' "$raw")
            [[ -n $rps ]] || die "no req/s in $raw"
            log "  $target $path: $rps req/s, failed+errored $failed, mean $mean"
            printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$path" "$round" "$rps" "$failed" "$mean" >>"$CELLS"
        done
        stop_server
    done
done

report="$OUT/results.md"
{
    echo "| target | path | req/s (median of $ROUNDS) | rounds | failed+errored | mean time per request |"
    echo "|---|---|---:|---|---|---|"
    for path in "${paths[@]}"; do
        for target in "${targets[@]}"; do
            awk -F'\t' -v t="$target" -v p="$path" '$1 == t && $2 == p {print $4}' "$CELLS" | sort -n >"$OUT/.values"
            n=$(wc -l <"$OUT/.values")
            median=$(awk -v n="$n" 'NR == int((n + 1) / 2) {printf "%.0f", $1}' "$OUT/.values")
            all=$(awk '{printf "%s%.0f", (NR > 1 ? ", " : ""), $1}' "$OUT/.values")
            failed=$(awk -F'\t' -v t="$target" -v p="$path" '$1 == t && $2 == p {print $5}' "$CELLS" | paste -sd' ')
            mean=$(awk -F'\t' -v t="$target" -v p="$path" '$1 == t && $2 == p {print $6}' "$CELLS" | paste -sd' ')
            echo "| $target | $path | $median | $all | $failed | $mean |"
        done
    done
    rm -f "$OUT/.values"
} >"$report"
cat "$OUT/environment.txt" "$report"
log "Report: $report"
