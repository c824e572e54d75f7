package dev.spindle.http.internal.tls;

import dev.spindle.core.Config;
import dev.spindle.core.ConfigException;
import dev.spindle.http.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Files that hold a server's key material, read together and parsed from the bytes that were read. */
interface CertificateFiles {

    /** The files the settings name, if any; fails on a half or doubly configured certificate. */
    static Optional<CertificateFiles> configured(Config config) {
        Optional<String> certificate = config.get(TlsSettings.CERTIFICATE);
        Optional<String> key = config.get(TlsSettings.PRIVATE_KEY);
        Optional<String> keystore = config.get(TlsSettings.KEYSTORE);
        boolean pem = certificate.isPresent() || key.isPresent();
        if ((pem ? 1 : 0) + (keystore.isPresent() ? 1 : 0) + (config.get(TlsSettings.SELF_SIGNED) ? 1 : 0) > 1) {
            throw new ConfigException("Set one of " + TlsSettings.CERTIFICATE.key() + " (with " + TlsSettings.PRIVATE_KEY.key()
                    + "), " + TlsSettings.KEYSTORE.key() + " or " + TlsSettings.SELF_SIGNED.key() + ", not several");
        }
        if (pem && (certificate.isEmpty() || key.isEmpty())) {
            throw new ConfigException((certificate.isEmpty() ? TlsSettings.CERTIFICATE : TlsSettings.PRIVATE_KEY).key()
                    + " is missing (expected: both a PEM certificate chain and its private key)");
        }
        if (pem) {
            return Optional.of(new PemFiles(Path.of(certificate.get()), Path.of(key.get()),
                    config.get(TlsSettings.PRIVATE_KEY_PASSWORD)));
        }
        return keystore.map(path -> new Pkcs12File(Path.of(path), config.get(TlsSettings.KEYSTORE_PASSWORD).orElse("")));
    }

    /** The files, in the order {@link #parse} expects their contents. */
    List<Path> paths();

    /** The key material in {@code contents} (one entry per path). */
    KeyMaterial parse(List<byte[]> contents) throws GeneralSecurityException, IOException;

    /** What the operator configured, for messages. */
    default String describe() {
        return paths().toString();
    }

    /** One read of every file: their bytes and a digest that changes when any of them does. */
    default Snapshot read() throws IOException {
        List<byte[]> contents = new ArrayList<>();
        MessageDigest digest = sha256();
        for (Path path : paths()) {
            // Follows symbolic links, as Kubernetes swaps a secret's ..data link on renewal.
            byte[] bytes = Files.readAllBytes(path);
            contents.add(bytes);
            digest.update(bytes);
            digest.update((byte) 0);
        }
        return new Snapshot(List.copyOf(contents), digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** The files' bytes at one moment. */
    record Snapshot(List<byte[]> contents, byte[] digest) {

        boolean sameAs(Snapshot other) {
            return other != null && Arrays.equals(digest, other.digest);
        }
    }
}
