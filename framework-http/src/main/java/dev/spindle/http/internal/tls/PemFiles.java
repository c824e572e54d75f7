package dev.spindle.http.internal.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;

/** A PEM certificate chain (leaf first) and its PKCS#8 private key, optionally encrypted. */
record PemFiles(Path certificate, Path privateKey, Optional<String> password) implements CertificateFiles {

    @Override
    public List<Path> paths() {
        return List.of(certificate, privateKey);
    }

    /** The paths only: a record's own toString would print the password. */
    @Override
    public String toString() {
        return describe();
    }

    @Override
    public KeyMaterial parse(List<byte[]> contents) throws GeneralSecurityException, IOException {
        return KeyMaterial.checked(NettyPem.privateKey(contents.get(1), password.orElse(null)),
                NettyPem.certificates(contents.get(0)));
    }
}
