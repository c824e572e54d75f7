package dev.spindle.http.internal.tls;

import java.security.GeneralSecurityException;
import java.security.KeyException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/** A private key and its certificate chain, leaf first, checked to belong together. */
record KeyMaterial(PrivateKey key, List<X509Certificate> chain) {

    private static final SecureRandom RANDOM = new SecureRandom();

    KeyMaterial {
        chain = List.copyOf(chain);
    }

    /** Key material whose key signs what the leaf certificate's public key verifies. */
    static KeyMaterial checked(PrivateKey key, List<X509Certificate> chain) throws GeneralSecurityException {
        if (chain.isEmpty()) {
            throw new CertificateException("no certificate found");
        }
        KeyMaterial material = new KeyMaterial(key, chain);
        material.verifyPair();
        return material;
    }

    X509Certificate leaf() {
        return chain.get(0);
    }

    Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /** The leaf's subject and validity, for the logs. */
    String describe() {
        return leaf().getSubjectX500Principal().getName() + ", valid until " + notAfter();
    }

    // A renewal caught between writing the certificate and the key would otherwise fail every handshake.
    private void verifyPair() throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        byte[] probe = new byte[32];
        RANDOM.nextBytes(probe);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        try {
            verifier.initVerify(leaf().getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException mismatch) {
            // a key of another type or curve than the certificate's: reported below
        }
        throw new KeyException("the private key does not belong to the certificate "
                + leaf().getSubjectX500Principal().getName());
    }
}
