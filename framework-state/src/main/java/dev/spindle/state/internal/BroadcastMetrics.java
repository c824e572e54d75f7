package dev.spindle.state.internal;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * The broadcaster's meters, {@code spindle.broadcast.*}: what was published, read, delivered,
 * dropped and refused, and gauges of topics, subscribers and queued messages.
 */
final class BroadcastMetrics {

    final Clock clock;
    final Counter published;
    final Counter publishFailures;
    final Counter received;
    final Counter duplicates;
    final Counter delivered;
    final Counter dropped;
    final Counter closedByOverflow;
    final Counter listenerFailures;
    final Counter refused;
    final Counter readerFailures;
    private final MeterRegistry registry;

    BroadcastMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.clock = registry.config().clock();
        published = counter("spindle.broadcast.published", "Messages published and stored");
        publishFailures = counter("spindle.broadcast.publish.failures", "Publishes that failed (in doubt)");
        received = counter("spindle.broadcast.received", "Messages read for topics with subscribers here");
        duplicates = counter("spindle.broadcast.duplicates", "Second copies of a message, dropped by the reader");
        delivered = counter("spindle.broadcast.delivered", "Messages handed to listeners");
        dropped = counter("spindle.broadcast.dropped", "Messages dropped from full subscriber queues");
        closedByOverflow = counter("spindle.broadcast.overflow.closed", "Subscriptions ended by a full queue");
        listenerFailures = counter("spindle.broadcast.listener.failures", "Listener calls that threw");
        refused = counter("spindle.broadcast.delivery.refused", "Deliveries an executor refused (retried)");
        readerFailures = counter("spindle.broadcast.reader.failures", "Failed reads of Redis (each is retried)");
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).register(registry);
    }
}
