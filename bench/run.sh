#!/usr/bin/env bash
# Spindle benchmarks: Spindle side by side with raw Netty, Vert.x-web, node:http, Fastify and
# Express in one run. Builds what it needs, then for each round starts every target in turn
# (the order rotates between rounds), measures start-up and idle RSS, checks the contract,
# warms up, measures each scenario with wrk, measures RSS after load and stops the target.
# Each cell of the report is the median of the rounds. See bench/README.md.
#
#   bench/run.sh                                  # the full run: 3 rounds, 15 s cells
#   bench/run.sh --smoke                          # 1 round, 3 s cells: proves the harness works
#   bench/run.sh --targets spindle,netty --scenarios plaintext,json --rounds 5 --pin
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(dirname "$BENCH_DIR")

ALL_TARGETS="spindle,netty,vertx,node-http,fastify,express"
ALL_SCENARIOS="plaintext,json,routed,mixed-offload,mixed-inline"

ROUNDS=3
DURATION=15
WARMUP=10
CONNECTIONS=64
THREADS=""
CPU_CONNECTIONS=16
PING_CONNECTIONS=8
TARGETS=$ALL_TARGETS
SCENARIOS=$ALL_SCENARIOS
PORT=18080
PIN=0
SERVER_CPUS=0
WRK_CPUS=1
BUILD=1
JVM_FLAGS="-Xms256m -Xmx256m -XX:+UseParallelGC"
STARTUP_TIMEOUT=30
OUT=""

usage() {
    cat <<EOF
Usage: bench/run.sh [options]

  --rounds N             rounds; targets interleave within each round (default $ROUNDS)
  --duration S           seconds measured per cell (default $DURATION)
  --warmup S             seconds of warm-up before each cell (default $WARMUP)
  --connections N        wrk connections for plaintext, json and routed (default $CONNECTIONS)
  --threads N            wrk threads (default: the cores wrk may use)
  --cpu-connections N    background wrk connections on /cpu or /cpu-inline in mixed (default $CPU_CONNECTIONS)
  --ping-connections N   wrk connections measuring /ping in mixed (default $PING_CONNECTIONS)
  --targets LIST         comma-separated, from $ALL_TARGETS (default: all)
  --scenarios LIST       comma-separated, from $ALL_SCENARIOS (default: all;
                         start-up and RSS are measured whenever a target starts)
  --pin                  pin the server to --server-cpus and wrk to --wrk-cpus with taskset
  --server-cpus LIST     taskset CPU list for the server with --pin (default $SERVER_CPUS)
  --wrk-cpus LIST        taskset CPU list for wrk with --pin (default $WRK_CPUS)
  --jvm-flags "FLAGS"    flags for every JVM target (default "$JVM_FLAGS")
  --port N               port the targets listen on, on 127.0.0.1 (default $PORT)
  --out DIR              where raw outputs go (default bench/results/<timestamp>)
  --no-build             use the jars and node_modules already built
  --smoke                shorthand for --rounds 1 --duration 3 --warmup 1
  -h, --help             this help
EOF
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) ROUNDS=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --warmup) WARMUP=$2; shift 2 ;;
        --connections) CONNECTIONS=$2; shift 2 ;;
        --threads) THREADS=$2; shift 2 ;;
        --cpu-connections) CPU_CONNECTIONS=$2; shift 2 ;;
        --ping-connections) PING_CONNECTIONS=$2; shift 2 ;;
        --targets) TARGETS=$2; shift 2 ;;
        --scenarios) SCENARIOS=$2; shift 2 ;;
        --pin) PIN=1; shift ;;
        --server-cpus) SERVER_CPUS=$2; shift 2 ;;
        --wrk-cpus) WRK_CPUS=$2; shift 2 ;;
        --jvm-flags) JVM_FLAGS=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --smoke) ROUNDS=1; DURATION=3; WARMUP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "Unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done

IFS=, read -r -a TARGET_LIST <<<"$TARGETS"
IFS=, read -r -a SCENARIO_LIST <<<"$SCENARIOS"
for t in "${TARGET_LIST[@]}"; do
    [[ ",$ALL_TARGETS," == *",$t,"* ]] || { echo "Unknown target: $t (expected one of $ALL_TARGETS)" >&2; exit 2; }
done
for s in "${SCENARIO_LIST[@]}"; do
    [[ ",$ALL_SCENARIOS," == *",$s,"* ]] || { echo "Unknown scenario: $s (expected one of $ALL_SCENARIOS)" >&2; exit 2; }
done
for n in "$ROUNDS" "$DURATION" "$WARMUP" "$CONNECTIONS" "$CPU_CONNECTIONS" "$PING_CONNECTIONS" "$PORT"; do
    [[ "$n" =~ ^[0-9]+$ ]] || { echo "Not a whole number: $n" >&2; exit 2; }
done

OUT=${OUT:-$BENCH_DIR/results/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT/raw" "$OUT/logs"
CELLS="$OUT/cells.jsonl"
: >"$CELLS"
RUN_LOG="$OUT/run.log"

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$RUN_LOG" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------
# Process bookkeeping: every server runs in its own session (setsid), so its process group holds
# it and all its children (the Node cluster's workers); stopping kills the group. Background wrk
# processes are tracked too. The EXIT trap cleans up whatever is left, on errors and Ctrl-C.
# ---------------------------------------------------------------------------------------------
SERVER_PID=""
BACKGROUND_PIDS=()
SUMMARY=""

stop_group() {
    local pid=$1
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "Process group $pid ignored SIGTERM for 10 s; killing it"
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    # Node workers can outlive their primary by a moment: make sure the whole group is gone.
    if pgrep -g "$pid" >/dev/null 2>&1; then
        sleep 0.5
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    for pid in "${BACKGROUND_PIDS[@]}"; do
        pkill -TERM -P "$pid" 2>/dev/null || true
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [[ -n "$SERVER_PID" ]]; then
        log "Stopping server (pid $SERVER_PID)"
        stop_group "$SERVER_PID"
    fi
    if [[ $status -ne 0 ]]; then
        log "Run failed (exit $status); raw outputs and logs are in $OUT"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'log "Interrupted"; exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# Tools, build and machine description
# ---------------------------------------------------------------------------------------------
needs_jvm=0
needs_node=0
for t in "${TARGET_LIST[@]}"; do
    case "$t" in
        spindle|netty|vertx) needs_jvm=1 ;;
        *) needs_node=1 ;;
    esac
done

for tool in wrk curl pgrep setsid awk; do
    command -v "$tool" >/dev/null || die "'$tool' is missing (wrk: apt-get install wrk)"
done
[[ $needs_jvm -eq 0 ]] || command -v java >/dev/null || die "'java' is missing"
command -v node >/dev/null || die "'node' is missing (Node 20+ runs the Node targets and writes the report)"
[[ $PIN -eq 0 ]] || command -v taskset >/dev/null || die "'taskset' is missing (util-linux) and --pin needs it"

SERVER_PREFIX=()
WRK_PREFIX=()
if [[ $PIN -eq 1 ]]; then
    SERVER_PREFIX=(taskset -c "$SERVER_CPUS")
    WRK_PREFIX=(taskset -c "$WRK_CPUS")
fi
if [[ -z "$THREADS" ]]; then
    THREADS=$("${WRK_PREFIX[@]}" nproc)
fi

if [[ $BUILD -eq 1 ]]; then
    if [[ $needs_jvm -eq 1 ]]; then
        log "Building the JVM bench servers (mvn -B -q -Pbench -pl bench -am package -DskipTests)"
        (cd "$ROOT_DIR" && mvn -B -q -Pbench -pl bench -am package -DskipTests) >"$OUT/logs/build.log" 2>&1 \
            || die "Maven build failed; see $OUT/logs/build.log"
    fi
    if [[ $needs_node -eq 1 ]]; then
        log "Installing the Node targets' packages (npm ci in bench/node)"
        (cd "$BENCH_DIR/node" && npm ci --no-audit --no-fund) >"$OUT/logs/npm.log" 2>&1 \
            || die "npm ci failed; see $OUT/logs/npm.log"
    fi
    sleep 5 # let the machine settle after the build before the first target starts
fi
for t in spindle netty vertx; do
    if [[ ",$TARGETS," == *",$t,"* && ! -f "$BENCH_DIR/target/bench-$t.jar" ]]; then
        die "bench/target/bench-$t.jar is missing; run without --no-build"
    fi
done
if [[ $needs_node -eq 1 && ! -d "$BENCH_DIR/node/node_modules" ]]; then
    die "bench/node/node_modules is missing; run without --no-build"
fi

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git -C "$ROOT_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT_DIR" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "kernel: $(uname -srm)"
    echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo) x $(nproc)"
    echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    if [[ $needs_jvm -eq 1 ]]; then
        echo "java: $(java -version 2>&1 | head -2 | tail -1)"
    fi
    echo "node: $(node --version)"
    echo "wrk: $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')"
    echo "jvm flags: $JVM_FLAGS"
    echo "rounds: $ROUNDS; warm-up ${WARMUP} s and measurement ${DURATION} s per cell"
    echo "wrk: $THREADS thread(s), $CONNECTIONS connections; mixed: /cpu* $CPU_CONNECTIONS connections, /ping $PING_CONNECTIONS connections, 1 thread each"
    if [[ $PIN -eq 1 ]]; then
        echo "pinning: server on CPU(s) $SERVER_CPUS, wrk on CPU(s) $WRK_CPUS (taskset)"
    else
        echo "pinning: none"
    fi
    echo "targets: $TARGETS"
    echo "scenarios: $SCENARIOS"
} >"$OUT/machine.txt"
log "Writing to $OUT"
sed 's/^/  /' "$OUT/machine.txt" >&2

# ---------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------
target_command() {
    local target=$1
    # shellcheck disable=SC2206
    local jvm=(java $JVM_FLAGS)
    case "$target" in
        spindle|netty|vertx) CMD=("${jvm[@]}" -jar "$BENCH_DIR/target/bench-$target.jar") ;;
        node-http) CMD=(node "$BENCH_DIR/node/http.js") ;;
        fastify) CMD=(node "$BENCH_DIR/node/fastify.js") ;;
        express) CMD=(node "$BENCH_DIR/node/express.js") ;;
    esac
}

port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

now_ns() { date +%s%N; }

# RSS of the server and its children (the whole process group), in KiB.
rss_kb() {
    local pid=$1 total=0 p kb
    for p in $(pgrep -g "$pid" 2>/dev/null || echo "$pid"); do
        kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
        total=$((total + ${kb:-0}))
    done
    echo "$total"
}

# Starts a target and waits for its first 200 on /plaintext; sets SERVER_PID and STARTUP_MS.
start_target() {
    local target=$1 round=$2
    port_open && die "Something already listens on 127.0.0.1:$PORT; stop it or pass --port"
    target_command "$target"
    local server_log="$OUT/logs/$target-round$round.log"
    local t0 t1 code
    t0=$(now_ns)
    PORT=$PORT NODE_ENV=production setsid "${SERVER_PREFIX[@]}" "${CMD[@]}" >"$server_log" 2>&1 </dev/null &
    SERVER_PID=$!
    while true; do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT/plaintext" || true)
        if [[ "$code" == 200 ]]; then
            t1=$(now_ns)
            break
        fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            SERVER_PID=""
            tail -20 "$server_log" >&2 || true
            die "$target exited during start-up; see $server_log"
        fi
        if (( ($(now_ns) - t0) / 1000000000 >= STARTUP_TIMEOUT )); then
            die "$target did not answer 200 on /plaintext within $STARTUP_TIMEOUT s; see $server_log"
        fi
        sleep 0.005
    done
    STARTUP_MS=$(( (t1 - t0) / 1000000 ))
    local pgid
    pgid=$(ps -o pgid= -p "$SERVER_PID" | tr -d ' ')
    [[ "$pgid" == "$SERVER_PID" ]] || die "$target is not its own process group leader (pgid $pgid); cannot stop it cleanly"
}

stop_target() {
    local pid=$SERVER_PID
    SERVER_PID=""
    stop_group "$pid"
    for _ in $(seq 1 50); do
        port_open || return 0
        sleep 0.1
    done
    die "Port $PORT is still open after stopping the server"
}

# Fails the run when a target does not answer the contract: status, content type and body.
EXPECTED_CPU=7e6e1e32fb1fa01e42865bacef5d5affaf4c522c4474a7f49b950d7c99c5607e
check_contract() {
    local target=$1 body
    check() {
        local path=$1 status=$2 type=$3 expected=$4 got
        got=$(curl -s --max-time 10 -o "$OUT/contract-body" -w '%{http_code} %{content_type}' "http://127.0.0.1:$PORT$path") \
            || die "$target: GET $path failed (curl exit $?)"
        body=$(cat "$OUT/contract-body")
        [[ "${got%% *}" == "$status" ]] || die "$target breaks the contract: GET $path answered ${got%% *}, expected $status"
        [[ -z "$type" || "${got#* }" == "$type"* ]] \
            || die "$target breaks the contract: GET $path has Content-Type '${got#* }', expected $type"
        [[ -z "$expected" || "$body" == "$expected" ]] \
            || die "$target breaks the contract: GET $path answered '$body', expected '$expected'"
    }
    check /plaintext 200 text/plain 'Hello, World!'
    check /json 200 application/json '{"message":"Hello, World!"}'
    check /ping 200 text/plain pong
    check /cpu 200 text/plain "$EXPECTED_CPU"
    check /cpu-inline 200 text/plain "$EXPECTED_CPU"
    check /users/42 200 text/plain 'user 42'
    check /users/abc-7 200 text/plain 'user abc-7'
    check /no/such/route 404 "" ""
    rm -f "$OUT/contract-body"
}

# ---------------------------------------------------------------------------------------------
# Measurements: every wrk output is kept whole under raw/; its JSON line goes to cells.jsonl.
# ---------------------------------------------------------------------------------------------
wrk_run() { # file threads connections seconds path
    local file=$1 threads=$2 connections=$3 seconds=$4 path=$5
    "${WRK_PREFIX[@]}" wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 10s --latency \
        -s "$BENCH_DIR/wrk/summary.lua" "http://127.0.0.1:$PORT$path" >"$file" 2>&1 \
        || die "wrk failed on $path; see $file"
}

# Appends a wrk run's summary to cells.jsonl and sets SUMMARY to a one-line digest.
record() { # round target scenario role wrk-output-file
    local json errors
    json=$(sed -n 's/^JSON //p' "$5" | tail -1)
    [[ -n "$json" ]] || die "No summary in $5"
    printf '{"round":%d,"target":"%s","scenario":"%s","role":"%s","wrk":%s}\n' "$1" "$2" "$3" "$4" "$json" >>"$CELLS"
    errors=$(node -e 'const e = JSON.parse(process.argv[1]).errors; const n = e.connect + e.read + e.write + e.status + e.timeout; if (n) console.log(JSON.stringify(e));' "$json")
    [[ -z "$errors" ]] || log "WARNING: $2 $3 ($4) had errors: $errors (see $5)"
    SUMMARY=$(node -e 'const j = JSON.parse(process.argv[1]); console.log(`${Math.round(j.rps)} req/s, p50 ${(j.latency_us.p50 / 1000).toFixed(2)} ms, p99 ${(j.latency_us.p99 / 1000).toFixed(2)} ms`)' "$json")
}

throughput() { # round target scenario path
    local dir="$OUT/raw/round$1/$2"
    mkdir -p "$dir"
    if [[ $WARMUP -gt 0 ]]; then
        wrk_run "$dir/$3.warmup.txt" "$THREADS" "$CONNECTIONS" "$WARMUP" "$4"
    fi
    wrk_run "$dir/$3.txt" "$THREADS" "$CONNECTIONS" "$DURATION" "$4"
    record "$1" "$2" "$3" main "$dir/$3.txt"
    log "  $3: $SUMMARY"
}

mixed() { # round target scenario cpu-path
    local dir="$OUT/raw/round$1/$2" bg
    mkdir -p "$dir"
    if [[ $WARMUP -gt 0 ]]; then
        wrk_run "$dir/$3.cpu.warmup.txt" 1 "$CPU_CONNECTIONS" "$WARMUP" "$4" &
        bg=$!
        BACKGROUND_PIDS+=("$bg")
        wrk_run "$dir/$3.ping.warmup.txt" 1 "$PING_CONNECTIONS" "$WARMUP" /ping
        wait "$bg" || die "Background wrk on $4 failed during warm-up"
    fi
    # The load runs a second longer on each side than the /ping measurement it surrounds.
    wrk_run "$dir/$3.cpu.txt" 1 "$CPU_CONNECTIONS" $((DURATION + 2)) "$4" &
    bg=$!
    BACKGROUND_PIDS+=("$bg")
    sleep 1
    wrk_run "$dir/$3.ping.txt" 1 "$PING_CONNECTIONS" "$DURATION" /ping
    wait "$bg" || die "Background wrk on $4 failed"
    BACKGROUND_PIDS=()
    record "$1" "$2" "$3" ping "$dir/$3.ping.txt"
    log "  $3 /ping: $SUMMARY"
    record "$1" "$2" "$3" cpu "$dir/$3.cpu.txt"
    log "  $3 $4 (background load): $SUMMARY"
}

# ---------------------------------------------------------------------------------------------
# The rounds
# ---------------------------------------------------------------------------------------------
count=${#TARGET_LIST[@]}
for ((round = 1; round <= ROUNDS; round++)); do
    for ((i = 0; i < count; i++)); do
        target=${TARGET_LIST[$(( (i + round - 1) % count ))]}
        log "Round $round/$ROUNDS: $target"
        start_target "$target" "$round"
        sleep 1
        rss_idle=$(rss_kb "$SERVER_PID")
        check_contract "$target"
        log "  start-up ${STARTUP_MS} ms, RSS idle $((rss_idle / 1024)) MiB, contract OK"
        for scenario in "${SCENARIO_LIST[@]}"; do
            case "$scenario" in
                plaintext) throughput "$round" "$target" plaintext /plaintext ;;
                json) throughput "$round" "$target" json /json ;;
                routed) throughput "$round" "$target" routed /users/42 ;;
                mixed-offload) mixed "$round" "$target" mixed-offload /cpu ;;
                mixed-inline) mixed "$round" "$target" mixed-inline /cpu-inline ;;
            esac
        done
        sleep 1
        rss_loaded=$(rss_kb "$SERVER_PID")
        log "  RSS after load $((rss_loaded / 1024)) MiB"
        printf '{"round":%d,"target":"%s","scenario":"startup","startup_ms":%d,"rss_idle_kb":%d,"rss_loaded_kb":%d}\n' \
            "$round" "$target" "$STARTUP_MS" "$rss_idle" "$rss_loaded" >>"$CELLS"
        stop_target
    done
done

node "$BENCH_DIR/report.js" "$OUT" >"$OUT/results.md" || die "The report could not be generated"
log "Report: $OUT/results.md"
cat "$OUT/results.md"
