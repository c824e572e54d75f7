package dev.spindle.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Scrapes have their own thread and their own small bound, shared with no application pool. */
class MetricsScrapeTest {

    private final Metrics metrics = Metrics.prometheus();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger reads = new AtomicInteger();

    @AfterEach
    void close() {
        release.countDown();
        metrics.close();
    }

    /** A gauge whose reading waits for the test: the scrape reading it holds the scrape thread. */
    private void registerSlowGauge() {
        Gauge.builder("test.slow", () -> {
            reads.incrementAndGet();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 1;
        }).register(metrics.registry());
    }

    @Test
    void scrapesOnItsOwnThreadInTheRequestedFormat() {
        byte[] text = metrics.scrapeAsync(Metrics.OPENMETRICS_TEXT).toCompletableFuture().join();

        assertThat(new String(text, StandardCharsets.UTF_8)).contains("jvm_memory_used_bytes").endsWith("# EOF\n");
    }

    @Test
    void refusesAFifthConcurrentScrapeWithRetryAfter() {
        registerSlowGauge();
        List<CompletableFuture<byte[]>> pending = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pending.add(metrics.scrapeAsync(Metrics.PROMETHEUS_TEXT).toCompletableFuture());
        }
        await().until(() -> reads.get() == 1);

        CompletableFuture<byte[]> refused = metrics.scrapeAsync(Metrics.PROMETHEUS_TEXT).toCompletableFuture();

        assertThat(refused).isCompletedExceptionally();
        OverloadException cause = (OverloadException) refused.handle((bytes, e) -> e).join();
        assertThat(cause.reason()).isEqualTo(OverloadException.Reason.QUEUE_FULL);
        assertThat(cause.retryAfter()).hasSeconds(1);
        release.countDown();
        pending.forEach(scrape -> assertThat(scrape.join()).isNotEmpty());
        assertThat(metrics.scrapeAsync(Metrics.PROMETHEUS_TEXT).toCompletableFuture().join()).isNotEmpty();
    }

    @Test
    void aScrapeAfterCloseIsRefusedNotLost() {
        metrics.close();

        CompletableFuture<byte[]> late = metrics.scrapeAsync(Metrics.PROMETHEUS_TEXT).toCompletableFuture();

        assertThat(late).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(OverloadException.class);
    }
}
