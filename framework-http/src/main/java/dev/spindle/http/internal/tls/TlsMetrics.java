package dev.spindle.http.internal.tls;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TLS meters: handshakes by protocol, handshake failures by reason, certificate reloads by result
 * and the served certificate's expiry (alert on it before a renewal silently stops working).
 */
final class TlsMetrics {

    private final MeterRegistry registry;
    private final Map<HandshakeFailure, Counter> failures = new EnumMap<>(HandshakeFailure.class);
    private final Map<String, Counter> handshakes = new ConcurrentHashMap<>();
    private final Counter reloaded;
    private final Counter reloadFailed;
    private volatile Instant expiry = Instant.EPOCH;

    TlsMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (HandshakeFailure reason : HandshakeFailure.values()) {
            failures.put(reason, Counter.builder("spindle.tls.handshake.failures")
                    .description("TLS handshakes that failed, by reason")
                    .tag("reason", reason.tag()).register(registry));
        }
        for (String protocol : TlsContexts.PROTOCOLS) {
            handshakes.put(protocol, handshakes(protocol));
        }
        reloaded = reloads("success");
        reloadFailed = reloads("failure");
        Gauge.builder("spindle.tls.certificate.expiry", this, metrics -> metrics.expiry.getEpochSecond())
                .description("When the served certificate expires, in seconds since the epoch")
                .baseUnit("seconds").register(registry);
    }

    private Counter reloads(String result) {
        return Counter.builder("spindle.tls.certificate.reloads")
                .description("Certificate reloads after the files changed, by result")
                .tag("result", result).register(registry);
    }

    void handshakeFailed(HandshakeFailure reason) {
        failures.get(reason).increment();
    }

    void handshakeSucceeded(String protocol) {
        handshakes.computeIfAbsent(protocol, this::handshakes).increment();
    }

    private Counter handshakes(String protocol) {
        return Counter.builder("spindle.tls.handshakes").description("TLS handshakes completed, by protocol version")
                .tag("protocol", protocol).register(registry);
    }

    void reloaded(Instant notAfter) {
        reloaded.increment();
        serving(notAfter);
    }

    void reloadFailed() {
        reloadFailed.increment();
    }

    void serving(Instant notAfter) {
        expiry = notAfter;
    }
}
