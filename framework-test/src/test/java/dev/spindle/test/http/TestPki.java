package dev.spindle.test.http;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.net.ssl.SSLContext;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * A test certificate authority (root, then an intermediate) issuing server certificates for
 * {@code localhost} and 127.0.0.1, and the files a server is configured with, written the way
 * renewals write them (to a temporary file, then moved into place).
 */
final class TestPki {

    private static final X509Bundle ROOT = build(new CertificateBuilder().subject("CN=Spindle Test Root")
            .setIsCertificateAuthority(true).ecp256(), null);
    private static final X509Bundle INTERMEDIATE = build(new CertificateBuilder().subject("CN=Spindle Test Intermediate")
            .setIsCertificateAuthority(true).ecp256(), ROOT);

    private TestPki() {
    }

    /** A server certificate for localhost and 127.0.0.1 named {@code name}, issued by the intermediate. */
    static X509Bundle server(String name) {
        return build(new CertificateBuilder().subject("CN=" + name + ", O=Spindle Tests")
                .addSanDnsName("localhost").addSanIpAddress("127.0.0.1").addExtendedKeyUsageServerAuth()
                .notBefore(Instant.now().minus(1, ChronoUnit.DAYS)).notAfter(Instant.now().plus(30, ChronoUnit.DAYS))
                .ecp256(), INTERMEDIATE);
    }

    private static X509Bundle build(CertificateBuilder builder, X509Bundle issuer) {
        try {
            return issuer == null ? builder.buildSelfSigned() : builder.buildIssuedBy(issuer);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot build a test certificate", e);
        }
    }

    /** A client context trusting the test root only. */
    static SSLContext trust() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, ROOT.toTrustManagerFactory().getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The root certificate as PEM, for curl's {@code --cacert}. */
    static Path rootPem(Path dir) throws IOException {
        return write(dir.resolve("root.pem"), ROOT.getCertificatePEM());
    }

    /** The leaf, then the intermediate: the chain a server sends. */
    static String chainPem(X509Bundle server) {
        return server.getCertificatePEM() + INTERMEDIATE.getCertificatePEM();
    }

    /** Writes {@code server}'s chain and unencrypted PKCS#8 key to {@code cert} and {@code key}. */
    static void writePem(X509Bundle server, Path cert, Path key) throws IOException {
        write(cert, chainPem(server));
        write(key, server.getPrivateKeyPEM());
    }

    /** The key as encrypted PKCS#8 (PBES2, AES-256), as {@code openssl pkcs8 -topk8 -v2 aes-256-cbc} writes it. */
    static String encryptedKeyPem(X509Bundle server, String password) {
        try {
            StringWriter text = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
                writer.writeObject(new JcaPKCS8Generator(server.getKeyPair().getPrivate(),
                        new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                                .setPRF(JcaPKCS8Generator.PRF_HMACSHA256).setProvider(new BouncyCastleProvider())
                                .setPassword(password.toCharArray()).build()));
            }
            return text.toString();
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code server}'s key and chain as a PKCS#12 keystore. */
    static void writePkcs12(X509Bundle server, Path file, String password) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", server.getKeyPair().getPrivate(), password.toCharArray(),
                    new X509Certificate[] {server.getCertificate(), INTERMEDIATE.getCertificate()});
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(temp)) {
                store.store(out, password.toCharArray());
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces {@code file} atomically with {@code text}. */
    static Path write(Path file, String text) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, text, StandardCharsets.US_ASCII);
        return Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
