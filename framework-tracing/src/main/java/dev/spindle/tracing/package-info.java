/** Server spans with Micrometer Tracing over OpenTelemetry, exported over OTLP: {@link dev.spindle.tracing.Tracing}. */
package dev.spindle.tracing;
