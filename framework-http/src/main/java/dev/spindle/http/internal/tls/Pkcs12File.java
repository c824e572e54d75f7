package dev.spindle.http.internal.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A PKCS#12 keystore (empty password when none); its first private-key entry and that entry's chain are served. */
record Pkcs12File(Path keystore, String password) implements CertificateFiles {

    @Override
    public List<Path> paths() {
        return List.of(keystore);
    }

    /** The paths only: a record's own toString would print the password. */
    @Override
    public String toString() {
        return describe();
    }

    @Override
    public KeyMaterial parse(List<byte[]> contents) throws GeneralSecurityException, IOException {
        return parse(contents.get(0), password.toCharArray());
    }

    static KeyMaterial parse(byte[] bytes, char[] password) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new ByteArrayInputStream(bytes), password);
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate certificate : store.getCertificateChain(alias)) {
                    chain.add((X509Certificate) certificate);
                }
                return KeyMaterial.checked((PrivateKey) store.getKey(alias, password), chain);
            }
        }
        throw new KeyStoreException("no private key entry in the keystore");
    }
}
