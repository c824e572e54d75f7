package dev.spindle.http.internal.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A development certificate for {@code localhost} (and 127.0.0.1, ::1), made by the JDK's own
 * {@code keytool}: Java 17 has no public API to sign a certificate, and Netty's generator needs
 * BouncyCastle or JDK internals and writes no subject alternative names, which browsers and curl
 * require.
 */
final class SelfSignedCertificate {

    private static final String PASSWORD_VARIABLE = "SPINDLE_DEV_KEYSTORE_PASSWORD";

    private SelfSignedCertificate() {
    }

    /** Generates a fresh EC P-256 key and a 90-day certificate; blocks for about a second. */
    static KeyMaterial generate() throws IOException, GeneralSecurityException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        String password = Base64.getUrlEncoder().encodeToString(secret);
        Path dir = Files.createTempDirectory("spindle-dev-cert");
        Path store = dir.resolve("dev.p12");
        Path log = dir.resolve("keytool.log");
        try {
            ProcessBuilder command = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "spindle-dev",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=localhost",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:0:0:0:0:0:0:0:1", "-validity", "90",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass:env", PASSWORD_VARIABLE)
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            command.environment().put(PASSWORD_VARIABLE, password);
            Process process = command.start();
            process.getOutputStream().close();
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(keytool + " did not finish within a minute");
            }
            if (process.exitValue() != 0) {
                throw new IOException(keytool + " failed: " + Files.readString(log, StandardCharsets.UTF_8).trim());
            }
            return Pkcs12File.parse(Files.readAllBytes(store), password.toCharArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while generating the development certificate", e);
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
