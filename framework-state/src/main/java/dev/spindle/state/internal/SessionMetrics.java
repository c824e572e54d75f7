package dev.spindle.state.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code spindle.sessions.*}: new sessions stored (named {@code new}, since the Prometheus client
 * drops a {@code _created} suffix), loads found or missing, regenerated and invalidated sessions.
 */
public final class SessionMetrics {

    final Counter created;
    final Counter found;
    final Counter missing;
    final Counter regenerated;
    final Counter invalidated;

    public SessionMetrics(MeterRegistry registry) {
        this.created = Counter.builder("spindle.sessions.new").description("Sessions stored for the first time")
                .register(registry);
        this.found = Counter.builder("spindle.sessions.loads").tag("result", "found")
                .description("Session loads by outcome").register(registry);
        this.missing = Counter.builder("spindle.sessions.loads").tag("result", "missing")
                .description("Session loads by outcome").register(registry);
        this.regenerated = Counter.builder("spindle.sessions.regenerated").description("Session ids replaced")
                .register(registry);
        this.invalidated = Counter.builder("spindle.sessions.invalidated").description("Sessions deleted by logout")
                .register(registry);
    }
}
