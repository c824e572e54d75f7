package dev.spindle.cluster.internal;

import dev.spindle.cluster.Instance;
import dev.spindle.cluster.InstanceRegistry;
import dev.spindle.state.StateClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry over any {@link RegistryStore}: sends this instance's entry every interval, alive
 * for the TTL by this instance's clock.
 */
public final class Heartbeats implements InstanceRegistry {

    private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

    private final RegistryStore store;
    private final StateClock clock;
    private final Function<java.time.Instant, Instance> snapshot;
    private final Duration interval;
    private final Duration ttl;
    private final java.util.function.BooleanSupplier active;
    private volatile Instance self;
    private StateClock.Timer next;
    private boolean closed;
    private boolean failing;

    /** {@code snapshot} makes this instance's entry for a heartbeat at the given time. */
    public Heartbeats(RegistryStore store, StateClock clock, Function<java.time.Instant, Instance> snapshot,
                      Duration interval, Duration ttl, java.util.function.BooleanSupplier active) {
        this.active = active;
        this.store = store;
        this.clock = clock;
        this.snapshot = snapshot;
        this.interval = interval;
        this.ttl = ttl;
    }

    /** Sends the first heartbeat and schedules the next ones. */
    public Heartbeats start() {
        beat();
        return this;
    }

    private void beat() {
        Instance entry;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (!active.getAsBoolean()) {
                next = clock.schedule(this::beat, Duration.ofMillis(Math.min(100, interval.toMillis())));
                return;
            }
            entry = snapshot.apply(clock.now());
            self = entry;
            next = clock.schedule(this::beat, interval);
        }
        try {
            store.put(entry, clock.millis() + ttl.toMillis(), ttl.toMillis()).whenComplete((ignored, error) -> report(error));
        } catch (RuntimeException e) {
            report(e);
        }
    }

    private synchronized void report(Throwable error) {
        if (error != null && !failing) {
            log.warn("Instance registry: a heartbeat failed ({}); retrying every {} ms", error.toString(),
                    interval.toMillis());
        } else if (error == null && failing) {
            log.info("Instance registry: heartbeats reach the store again");
        }
        failing = error != null;
    }

    @Override
    public Instance self() {
        Instance sent = self;
        if (sent == null) {
            throw new IllegalStateException("No heartbeat sent yet");
        }
        return sent;
    }

    @Override
    public CompletionStage<List<Instance>> instances() {
        return store.list(clock.millis());
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (next != null) {
                next.cancel();
            }
        }
        Instance sent = self;
        if (sent != null) {
            store.remove(sent.id());
        }
    }

    /** Stops heartbeating without removing the entry: what a crash looks like to the others (tests). */
    public synchronized void abandon() {
        closed = true;
        if (next != null) {
            next.cancel();
        }
    }
}
