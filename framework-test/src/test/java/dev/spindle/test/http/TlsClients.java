package dev.spindle.test.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/** TLS clients that an HTTP client library will not be: a bare handshake, plaintext or an old hello. */
final class TlsClients {

    /**
     * A TLS 1.1 ClientHello offering two CBC suites and no extensions, as old clients and scanners
     * send it; the JDK's own client will not send one any more.
     */
    private static final byte[] TLS11_HELLO = {
        0x16, 0x03, 0x01, 0x00, 0x2f,                       // handshake record, 47 bytes
        0x01, 0x00, 0x00, 0x2b,                             // ClientHello, 43 bytes
        0x03, 0x02,                                         // TLS 1.1
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
        17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
        0x00,                                               // no session id
        0x00, 0x04, (byte) 0xc0, 0x13, 0x00, 0x2f,          // ECDHE-RSA-AES128-SHA, AES128-SHA
        0x01, 0x00                                          // no compression
    };

    private TlsClients() {
    }

    /** Completes a handshake with 127.0.0.1:{@code port} and returns its session; throws when refused. */
    static SSLSession handshake(int port, SSLContext context, SSLParameters parameters) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket.getSession();
        }
    }

    /** Sends {@code bytes} and reads until the server closes; returns what it answered. */
    static byte[] exchange(int port, byte[] bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            return in.readAllBytes();
        }
    }

    /** Sends a TLS 1.1 ClientHello and reads until the server closes. */
    static byte[] helloTls11(int port) throws IOException {
        return exchange(port, TLS11_HELLO);
    }
}
