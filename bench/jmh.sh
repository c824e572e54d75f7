#!/usr/bin/env bash
# JMH microbenchmarks: Spindle's router among 10/100/1000 routes (RouterBenchmark) and one
# request through the whole server pipeline, Spindle against raw Netty (ResponsePathBenchmark).
# Builds bench/target/benchmarks.jar unless --no-build; other arguments go to JMH, e.g.
#
#   bench/jmh.sh                                   # everything, with the defaults in the classes
#   bench/jmh.sh --quick                           # 1 fork, 3 warm-up x 2 s, 2 x 1 s: proves it works
#   bench/jmh.sh RouterBenchmark -p routes=1000    # JMH's own options
#   bench/jmh.sh ResponsePathBenchmark -prof gc    # with allocation rates
set -Eeuo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(dirname "$BENCH_DIR")
BUILD=1
ARGS=()
for arg in "$@"; do
    case "$arg" in
        --no-build) BUILD=0 ;;
        --quick) ARGS+=(-f 1 -wi 3 -w 2s -i 2 -r 1s) ;;
        *) ARGS+=("$arg") ;;
    esac
done
if [[ $BUILD -eq 1 ]]; then
    (cd "$ROOT_DIR" && mvn -B -q -Pbench -pl bench -am package -DskipTests)
fi
OUT="$BENCH_DIR/results/jmh-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
java -jar "$BENCH_DIR/target/benchmarks.jar" -rf json -rff "$OUT/jmh.json" "${ARGS[@]}" | tee "$OUT/jmh.txt"
echo "JMH results: $OUT"
