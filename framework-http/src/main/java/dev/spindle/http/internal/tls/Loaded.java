package dev.spindle.http.internal.tls;

import dev.spindle.core.ConfigException;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The context a server starts with, and for a certificate from files what to watch: {@code files}
 * and {@code snapshot} are null for a generated one.
 */
record Loaded(SslContext context, CertificateFiles files, CertificateFiles.Snapshot snapshot, String description,
              Instant notAfter) {

    private static final Logger log = LoggerFactory.getLogger(Loaded.class);

    static Loaded from(CertificateFiles files, TlsContexts contexts) {
        try {
            CertificateFiles.Snapshot snapshot = files.read();
            KeyMaterial material = files.parse(snapshot.contents());
            return new Loaded(contexts.build(material), files, snapshot, material.describe(), material.notAfter());
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("Cannot serve TLS with " + files.describe() + ": " + e);
        }
    }

    static Loaded selfSigned(TlsContexts contexts) {
        try {
            KeyMaterial material = SelfSignedCertificate.generate();
            log.warn("Serving a self-signed development certificate ({}); clients will not trust it. "
                    + "Never use server.tls.self-signed in production", material.describe());
            return new Loaded(contexts.build(material), null, null, "self-signed " + material.describe(),
                    material.notAfter());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot generate the self-signed development certificate: " + e, e);
        }
    }
}
