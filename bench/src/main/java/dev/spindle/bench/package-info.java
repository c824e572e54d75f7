/**
 * Benchmark servers and microbenchmarks. Each target lives in its own package and is shaded into
 * its own jar; {@link dev.spindle.bench.BenchContract} is what they all answer.
 */
package dev.spindle.bench;
