package dev.spindle.http.internal.tls;

import java.security.GeneralSecurityException;
import java.security.KeyException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
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
        PublicKey publicKey = leaf().getPublicKey();
        String algorithm = switch (publicKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> publicKey.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        byte[] probe = new byte[32];
        RANDOM.nextBytes(probe);
        try {
            // Re-read through the JDK's provider: the PEM reader may have used BouncyCastle's.
            PrivateKey jdkKey = KeyFactory.getInstance(publicKey.getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(jdkKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (InvalidKeySpecException | InvalidKeyException | SignatureException mismatch) {
            // a key of another type or curve than the certificate's: reported below
        }
        throw new KeyException("the private key does not belong to the certificate "
                + leaf().getSubjectX500Principal().getName());
    }
}
