package dev.spindle.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A failed start takes back the framework meters it registered, and only those. */
class FrameworkMetersTest {

    private final Metrics metrics = Metrics.prometheus();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void removesTheFrameworkMetersRegisteredSinceAndKeepsEveryOtherMeter() {
        Counter kept = Counter.builder("spindle.before").register(metrics.registry());
        Set<Meter.Id> before = metrics.frameworkMeters();
        AtomicInteger deadLoop = new AtomicInteger(7);
        Gauge.builder("spindle.loop.thing", deadLoop, AtomicInteger::get).register(metrics.registry());
        Counter users = Counter.builder("orders.placed").register(metrics.registry());

        metrics.removeFrameworkMetersSince(before);

        assertThat(metrics.registry().find("spindle.loop.thing").gauge()).isNull();
        assertThat(metrics.registry().find("spindle.before").counter()).isSameAs(kept);
        assertThat(metrics.registry().find("orders.placed").counter()).isSameAs(users);
        AtomicInteger liveLoop = new AtomicInteger(1);
        assertThat(Gauge.builder("spindle.loop.thing", liveLoop, AtomicInteger::get).register(metrics.registry()).value())
                .isEqualTo(1);
    }
}
