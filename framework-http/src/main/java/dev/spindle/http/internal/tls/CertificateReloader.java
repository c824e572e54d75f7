package dev.spindle.http.internal.tls;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the certificate files on its own thread (reading files blocks) and, when they changed and
 * then held still for one more check — so a renewal caught between writing the chain and the key
 * is not taken — builds a new context that new connections get; open connections keep theirs. A
 * change that cannot be used is logged once and counted, and the previous certificate stays.
 */
final class CertificateReloader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CertificateReloader.class);

    private final CertificateFiles files;
    private final TlsContexts contexts;
    private final AtomicReference<SslContext> target;
    private final TlsMetrics metrics;
    private ScheduledExecutorService timer;
    // Touched by the timer thread only.
    private CertificateFiles.Snapshot served;
    private CertificateFiles.Snapshot pending;
    private CertificateFiles.Snapshot rejected;
    private String unreadable;
    private boolean unreadableReported;

    CertificateReloader(CertificateFiles files, CertificateFiles.Snapshot served, TlsContexts contexts,
                        AtomicReference<SslContext> target, TlsMetrics metrics) {
        this.files = files;
        this.served = served;
        this.contexts = contexts;
        this.target = target;
        this.metrics = metrics;
    }

    void start(Duration interval) {
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "spindle-tls-reload");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::checkSafely, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            log.error("Checking the TLS certificate files {} failed", files.describe(), e);
        }
    }

    void check() {
        CertificateFiles.Snapshot now;
        try {
            now = files.read();
        } catch (IOException e) {
            unreadable(e);
            return;
        }
        unreadable = null;
        unreadableReported = false;
        if (now.sameAs(served) || now.sameAs(rejected)) {
            pending = null;
            return;
        }
        if (!now.sameAs(pending)) {
            pending = now;
            return;
        }
        pending = null;
        try {
            KeyMaterial material = files.parse(now.contents());
            target.set(contexts.build(material));
            served = now;
            rejected = null;
            metrics.reloaded(material.notAfter());
            log.info("Reloaded the TLS certificate from {}: {}", files.describe(), material.describe());
        } catch (Exception e) {
            rejected = now;
            metrics.reloadFailed();
            log.error("The TLS certificate files {} changed but cannot be used ({}); still serving the previous certificate",
                    files.describe(), e.toString());
        }
    }

    // A file missing for one check is a swap in progress; missing for two is reported, once.
    private void unreadable(IOException e) {
        pending = null;
        String reason = e.toString();
        if (reason.equals(unreadable) && !unreadableReported) {
            unreadableReported = true;
            metrics.reloadFailed();
            log.error("The TLS certificate files {} cannot be read ({}); still serving the previous certificate",
                    files.describe(), reason);
        }
        unreadable = reason;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
