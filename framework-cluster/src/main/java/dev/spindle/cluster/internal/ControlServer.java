package dev.spindle.cluster.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor's end of the control channel: a loopback socket each worker connects to and
 * proves itself on with the token from its environment. A worker says {@code HELLO <token> <pid>},
 * then {@code READY <metrics port>} once it serves, and may ask for a rolling restart with
 * {@code ROLLING-RESTART}. The supervisor never writes: a worker that reads end-of-stream knows
 * its supervisor is gone and stops, so no worker outlives it. Plain blocking sockets on daemon
 * threads: the supervisor serves no request traffic and has no event loop.
 */
public final class ControlServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);

    /** What the channel reports, keyed by the worker's process id. */
    public interface Listener {
        void ready(long pid, int metricsPort);

        void rollingRestartRequested(long pid);
    }

    private final ServerSocket socket;
    private final String token = HexFormat.of().formatHex(random());
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private volatile Listener listener;

    private ControlServer(ServerSocket socket) {
        this.socket = socket;
    }

    private static byte[] random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /** Listens on a free loopback port; workers are accepted once {@link #accept(Listener)} is called. */
    public static ControlServer open() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        return new ControlServer(socket);
    }

    /** Accepts workers on a daemon thread, reporting what they say to {@code listener}. */
    public void accept(Listener listener) {
        this.listener = listener;
        Thread acceptor = new Thread(this::accept, "spindle-cluster-control");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code host:port} for the workers' {@code cluster.control-address}. */
    public String address() {
        return socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort();
    }

    /** The secret a worker must present. */
    public String token() {
        return token;
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                Thread reader = new Thread(() -> read(connection), "spindle-cluster-control-reader");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    log.warn("Control channel failed to accept a worker: {}", e.toString());
                }
            }
        }
    }

    private void read(Socket connection) {
        connections.add(connection);
        try (connection; BufferedReader in = new BufferedReader(
                new InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII))) {
            String[] hello = words(in.readLine());
            if (hello.length != 3 || !hello[0].equals("HELLO") || !MessageDigest.isEqual(
                    hello[1].getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.US_ASCII))) {
                log.warn("Control channel: refused a connection from {} that did not present the token",
                        connection.getRemoteSocketAddress());
                return;
            }
            long pid = Long.parseLong(hello[2]);
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] words = words(line);
                switch (words[0]) {
                    case "READY" -> listener.ready(pid, Integer.parseInt(words[1]));
                    case "ROLLING-RESTART" -> listener.rollingRestartRequested(pid);
                    default -> log.warn("Control channel: unknown message '{}' from worker pid {}", line, pid);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!socket.isClosed()) {
                log.debug("Control channel connection ended: {}", e.toString());
            }
        } finally {
            connections.remove(connection);
        }
    }

    private static String[] words(String line) {
        return line == null ? new String[0] : line.trim().split(" ");
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("Closing the control channel: {}", e.toString());
        }
        for (Socket connection : connections) {
            try {
                connection.close();
            } catch (IOException e) {
                log.debug("Closing a control connection: {}", e.toString());
            }
        }
    }
}
