package dev.spindle.http.internal.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;

/** Writes key material as the PEM files operators have, with the JDK alone (no BouncyCastle here). */
final class PemWriter {

    private static final String PBES2 = "PBEWithHmacSHA256AndAES_256";

    private PemWriter() {
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static String chain(KeyMaterial material) throws GeneralSecurityException {
        return pem("CERTIFICATE", material.leaf().getEncoded());
    }

    static String key(KeyMaterial material) {
        return pem("PRIVATE KEY", material.key().getEncoded());
    }

    /** The key as encrypted PKCS#8 with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), as OpenSSL 3 writes it. */
    static String encryptedKey(KeyMaterial material, String password) throws GeneralSecurityException, IOException {
        byte[] salt = new byte[16];
        byte[] iv = new byte[16];
        SecureRandom random = new SecureRandom();
        random.nextBytes(salt);
        random.nextBytes(iv);
        Cipher cipher = Cipher.getInstance(PBES2);
        cipher.init(Cipher.ENCRYPT_MODE, SecretKeyFactory.getInstance(PBES2).generateSecret(new PBEKeySpec(password.toCharArray())),
                new PBEParameterSpec(salt, 10_000, new IvParameterSpec(iv)));
        byte[] encrypted = cipher.doFinal(material.key().getEncoded());
        // Java 17's EncryptedPrivateKeyInfo cannot name PBES2 parameters, so the DER is spelled out:
        // SEQUENCE { SEQUENCE { OID pkcs5PBES2, PBES2-params }, OCTET STRING encrypted }
        byte[] algorithm = der(0x30, concat(PBES2_OID, cipher.getParameters().getEncoded()));
        return pem("ENCRYPTED PRIVATE KEY", der(0x30, concat(algorithm, der(0x04, encrypted))));
    }

    private static final byte[] PBES2_OID = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x05, 0x0d};

    private static byte[] der(int tag, byte[] content) {
        int length = content.length;
        byte[] head = length < 0x80 ? new byte[] {(byte) tag, (byte) length}
                : length < 0x100 ? new byte[] {(byte) tag, (byte) 0x81, (byte) length}
                : new byte[] {(byte) tag, (byte) 0x82, (byte) (length >> 8), (byte) length};
        return concat(head, content);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** Replaces {@code file} atomically, as cert-manager and certbot do. */
    static void write(Path file, String text) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, text, StandardCharsets.US_ASCII);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
