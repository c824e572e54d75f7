package dev.spindle.http.internal.tls;

import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Netty's PEM readers (certificate chains; PKCS#8 keys, encrypted or not, and PKCS#1 when
 * BouncyCastle is present), which it keeps as protected helpers of {@link SslContext}.
 */
abstract class NettyPem extends SslContext {

    private NettyPem() {
    }

    static List<X509Certificate> certificates(byte[] pem) throws GeneralSecurityException {
        return List.of(toX509Certificates(new ByteArrayInputStream(pem)));
    }

    static PrivateKey privateKey(byte[] pem, String password) throws GeneralSecurityException, IOException {
        return toPrivateKey(new ByteArrayInputStream(pem), password);
    }
}
