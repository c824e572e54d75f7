package dev.spindle.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a real Redis that can swallow Redis's replies and then cut the
 * connections: the client's commands have run, but it never heard so, and Lettuce re-sends them
 * after reconnecting (the duplicate-publish case a broadcaster has to survive).
 */
final class ReplyDroppingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int redisPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean dropReplies;

    ReplyDroppingProxy(int redisPort) {
        this.redisPort = redisPort;
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "redis://127.0.0.1:" + listener.getLocalPort();
    }

    /** From now on, bytes from Redis to the clients are discarded. */
    void dropReplies(boolean drop) {
        dropReplies = drop;
    }

    /** Closes every proxied connection, both sides; clients may connect again. */
    void cutConnections() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket redis = new Socket(InetAddress.getLoopbackAddress(), redisPort);
                sockets.add(client);
                sockets.add(redis);
                pump(client, redis, false);
                pump(redis, client, true);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean replies) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (!(replies && dropReplies)) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // The other side closed or was cut.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing anyway.
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        cutConnections();
    }
}
