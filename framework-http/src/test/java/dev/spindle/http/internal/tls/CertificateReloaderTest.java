package dev.spindle.http.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.TlsSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reloader's decisions, one check at a time (the timer only calls {@link CertificateReloader#check}). */
class CertificateReloaderTest {

    private static KeyMaterial first;
    private static KeyMaterial second;

    @TempDir
    Path dir;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TlsContexts contexts = TlsContexts.create(TlsSettings.Engine.AUTO, TlsContexts.MODERN_CIPHERS,
            TlsContexts.http1());
    private final AtomicReference<SslContext> served = new AtomicReference<>();
    private PemFiles files;
    private CertificateReloader reloader;

    @BeforeAll
    static void generate() throws Exception {
        first = SelfSignedCertificate.generate();
        second = SelfSignedCertificate.generate();
    }

    @BeforeEach
    void serveTheFirst() throws Exception {
        write(first);
        files = new PemFiles(dir.resolve("tls.crt"), dir.resolve("tls.key"), Optional.empty());
        Loaded loaded = Loaded.from(files, contexts);
        served.set(loaded.context());
        reloader = new CertificateReloader(files, loaded.snapshot(), contexts, served, new TlsMetrics(registry));
    }

    private void write(KeyMaterial material) throws Exception {
        PemWriter.write(dir.resolve("tls.crt"), PemWriter.chain(material));
        PemWriter.write(dir.resolve("tls.key"), PemWriter.key(material));
    }

    private double reloads(String result) {
        return registry.get("spindle.tls.certificate.reloads").tag("result", result).counter().count();
    }

    @Test
    void takesAChangeOnceItHeldStillForOneCheck() throws Exception {
        SslContext before = served.get();
        write(second);

        reloader.check();
        assertThat(served.get()).isSameAs(before);

        reloader.check();
        assertThat(served.get()).isNotSameAs(before);
        assertThat(reloads("success")).isEqualTo(1);
        assertThat(registry.get("spindle.tls.certificate.expiry").gauge().value())
                .isEqualTo(second.notAfter().getEpochSecond());

        reloader.check();
        assertThat(reloads("success")).isEqualTo(1);
    }

    @Test
    void takesARenewalWrittenInTwoStepsWithoutReportingTheHalfWrittenState() throws Exception {
        PemWriter.write(dir.resolve("tls.crt"), PemWriter.chain(second));
        reloader.check();
        PemWriter.write(dir.resolve("tls.key"), PemWriter.key(second));
        reloader.check();
        reloader.check();

        assertThat(reloads("success")).isEqualTo(1);
        assertThat(reloads("failure")).isZero();
    }

    @Test
    void reportsAnUnusableChangeOnceAndKeepsServing() throws Exception {
        SslContext before = served.get();
        PemWriter.write(dir.resolve("tls.key"), "not a key");

        for (int i = 0; i < 5; i++) {
            reloader.check();
        }

        assertThat(reloads("failure")).isEqualTo(1);
        assertThat(served.get()).isSameAs(before);
    }

    @Test
    void reportsFilesThatStayUnreadableOnce() throws Exception {
        Files.delete(dir.resolve("tls.key"));

        reloader.check();
        assertThat(reloads("failure")).isZero();
        for (int i = 0; i < 5; i++) {
            reloader.check();
        }
        assertThat(reloads("failure")).isEqualTo(1);

        write(second);
        reloader.check();
        reloader.check();
        assertThat(reloads("success")).isEqualTo(1);
    }
}
