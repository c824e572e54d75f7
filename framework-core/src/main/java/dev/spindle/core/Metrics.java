package dev.spindle.core;

import dev.spindle.core.internal.CoarseClock;
import io.micrometer.core.instrument.Meter;
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
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one metrics registry of an instance, shared by every module: Prometheus-backed, with
 * JVM memory, GC, thread, class-loader, processor, uptime and file-descriptor metrics bound.
 * Scrapes run on the registry's own thread, never on an application pool: metrics must answer
 * exactly when the application's pools are saturated.
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
    private static final String FRAMEWORK_PREFIX = "spindle.";

    /** Scrapes running or waiting beyond which another is refused: a few scrapers, not a stampede. */
    private static final int MAX_PENDING_SCRAPES = 4;

    private final PrometheusMeterRegistry registry;
    private final CompletableFuture<JvmGcMetrics> gcMetrics;
    private final AtomicInteger pendingScrapes = new AtomicInteger();
    // Lock-free queue bounded by the counter: submitting from an event loop takes no lock once the thread exists.
    private final ThreadPoolExecutor scraper = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedTransferQueue<>(), task -> {
                Thread thread = new Thread(task, "spindle-metrics-scrape");
                thread.setDaemon(true);
                return thread;
            });

    private Metrics(Executor binding) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), CoarseClock.INSTANCE);
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

    /** The ids of the framework's own meters ({@code spindle.*}) registered so far. */
    public Set<Meter.Id> frameworkMeters() {
        Set<Meter.Id> ids = new HashSet<>();
        registry.forEachMeter(meter -> {
            if (meter.getId().getName().startsWith(FRAMEWORK_PREFIX)) {
                ids.add(meter.getId());
            }
        });
        return ids;
    }

    /**
     * Removes the framework's meters registered since {@code before} was taken with
     * {@link #frameworkMeters()}: what a start that failed registered. Its gauges read objects of
     * that attempt, and a retry would otherwise get those meters back instead of its own.
     */
    public void removeFrameworkMetersSince(Set<Meter.Id> before) {
        Set<Meter.Id> added = frameworkMeters();
        added.removeAll(before);
        added.forEach(registry::remove);
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

    /**
     * Scrapes on the registry's own thread and completes there with the exposition bytes. More
     * than a few concurrent scrapes, or a scrape after {@link #close()}, fail with
     * {@link OverloadException} (503 with {@code Retry-After} when a handler returns it).
     */
    public CompletionStage<byte[]> scrapeAsync(String contentType) {
        if (pendingScrapes.incrementAndGet() > MAX_PENDING_SCRAPES) {
            pendingScrapes.decrementAndGet();
            return refused(OverloadException.Reason.QUEUE_FULL, "Metrics are being scraped by several clients at once");
        }
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        try {
            scraper.execute(() -> {
                try {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(16 << 10);
                    scrape(out, contentType);
                    result.complete(out.toByteArray());
                } catch (IOException | RuntimeException e) {
                    result.completeExceptionally(e);
                } finally {
                    pendingScrapes.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            pendingScrapes.decrementAndGet();
            return refused(OverloadException.Reason.SHUTDOWN, "Metrics are closed");
        }
        return result;
    }

    private static CompletionStage<byte[]> refused(OverloadException.Reason reason, String message) {
        return CompletableFuture.failedFuture(new OverloadException(reason, message + "; retry shortly",
                Duration.ofSeconds(1)));
    }

    @Override
    public void close() {
        scraper.shutdownNow();
        gcMetrics.join().close();
        registry.close();
    }
}
