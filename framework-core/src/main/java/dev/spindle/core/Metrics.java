package dev.spindle.core;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The one metrics registry of an instance, shared by every module: Prometheus-backed, with
 * JVM memory, GC, thread, class-loader, processor, uptime and file-descriptor metrics bound.
 *
 * <pre>{@code
 * Metrics metrics = Metrics.prometheus();
 * Counter.builder("orders.placed").register(metrics.registry()).increment();
 * }</pre>
 */
public final class Metrics implements AutoCloseable {

    /** The Prometheus text exposition format. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** The OpenMetrics text exposition format. */
    public static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final CompletableFuture<JvmGcMetrics> gcMetrics;

    private Metrics(Executor binding) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.gcMetrics = CompletableFuture.supplyAsync(this::bindJvmMetrics, binding);
    }

    /** A new Prometheus registry with the JVM and process binders. */
    public static Metrics prometheus() {
        return new Metrics(Runnable::run);
    }

    /**
     * As {@link #prometheus()}, binding the JVM and process metrics on {@code binding}: they load
     * a few hundred classes, which start-up can do in parallel with everything else.
     */
    public static Metrics prometheus(Executor binding) {
        return new Metrics(binding);
    }

    private JvmGcMetrics bindJvmMetrics() {
        JvmGcMetrics gc = new JvmGcMetrics();
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        return gc;
    }

    /** The registry to register meters with. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * The exposition content type for an {@code Accept} header: OpenMetrics when the scraper asks
     * for it, the Prometheus text format otherwise.
     */
    public static String contentTypeFor(String accept) {
        return accept != null && accept.contains("application/openmetrics-text")
                ? OPENMETRICS_TEXT
                : PROMETHEUS_TEXT;
    }

    /** Writes every meter in the given content type (see {@link #contentTypeFor(String)}). */
    public void scrape(OutputStream out, String contentType) throws IOException {
        registry.scrape(out, contentType);
    }

    @Override
    public void close() {
        gcMetrics.join().close();
        registry.close();
    }
}
