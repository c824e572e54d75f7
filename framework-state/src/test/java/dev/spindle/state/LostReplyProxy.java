package dev.spindle.state;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A TCP proxy in front of a real Redis that can lose the reply to a chosen command: it forwards the
 * command and an {@code ECHO} of a marker, drops what Redis answers until the marker comes back (so
 * Redis ran the command), then cuts that connection. The client reconnects, not knowing it ran.
 */
final class LostReplyProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int redisPort;
    private final AtomicReference<Predicate<List<String>>> armed = new AtomicReference<>();
    private volatile CompletableFuture<List<String>> cut = new CompletableFuture<>();

    /** The command whose reply is being lost, the marker echoed after it, and who waits for the cut. */
    private record Lost(List<String> command, String echo, CompletableFuture<List<String>> cut) {}

    LostReplyProxy(int redisPort) throws IOException {
        this.redisPort = redisPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept);
    }

    String url() {
        return "redis://127.0.0.1:" + listener.getLocalPort();
    }

    /**
     * Loses the reply to the next command (name, then arguments) that {@code command} matches; the
     * stage completes with that command once Redis ran it and its connection is cut.
     */
    CompletableFuture<List<String>> loseReplyTo(Predicate<List<String>> command) {
        cut = new CompletableFuture<>();
        armed.set(command);
        return cut;
    }

    private void accept() {
        try {
            while (true) {
                Socket client = listener.accept();
                Socket redis = new Socket(InetAddress.getLoopbackAddress(), redisPort);
                AtomicReference<Lost> lost = new AtomicReference<>();
                daemon(() -> commands(client, redis, lost));
                daemon(() -> replies(redis, client, lost));
            }
        } catch (IOException e) {
            // closed
        }
    }

    /** Forwards commands one by one, and none after the one whose reply is lost. */
    private void commands(Socket client, Socket redis, AtomicReference<Lost> lost) {
        try (client; redis) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = redis.getOutputStream();
            while (lost.get() == null) {
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                List<String> command = new ArrayList<>();
                for (int i = 0, count = header(in, raw); i < count; i++) {
                    byte[] value = in.readNBytes(header(in, raw) + 2);
                    raw.write(value);
                    command.add(new String(value, 0, Math.max(0, value.length - 2), UTF_8));
                }
                Predicate<List<String>> match = armed.get();
                if (match != null && match.test(command) && armed.compareAndSet(match, null)) {
                    String echo = "lost-reply-" + UUID.randomUUID();
                    raw.writeBytes(("*2\r\n$4\r\nECHO\r\n$" + echo.length() + "\r\n" + echo + "\r\n").getBytes(UTF_8));
                    lost.set(new Lost(List.copyOf(command), echo, cut)); // before Redis can answer
                }
                raw.writeTo(out); // a socket's stream is unbuffered: no flush needed
            }
            in.transferTo(OutputStream.nullOutputStream()); // nothing more reaches Redis; the reply thread cuts
        } catch (IOException | RuntimeException e) {
            // a side closed, or the connection was cut
        }
    }

    /** Forwards replies until one is to be lost; then drops them until Redis echoes the marker, and cuts. */
    private void replies(Socket redis, Socket client, AtomicReference<Lost> lost) {
        StringBuilder dropped = new StringBuilder();
        byte[] buffer = new byte[8192];
        Lost ran = null;
        try (redis; client) {
            InputStream in = redis.getInputStream();
            OutputStream out = client.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                Lost losing = lost.get();
                if (losing == null) {
                    out.write(buffer, 0, n);
                } else if (dropped.append(new String(buffer, 0, n, ISO_8859_1)).indexOf(losing.echo()) >= 0) {
                    ran = losing;
                    break;
                }
            }
        } catch (IOException e) {
            // the other side closed
        }
        if (ran != null) {
            ran.cut().complete(ran.command());
        }
    }

    /** Reads a header line ({@code *3}, {@code $5}) into {@code raw}; answers its number. */
    private static int header(InputStream in, ByteArrayOutputStream raw) throws IOException {
        int number = 0;
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException();
            }
            raw.write(b);
            number = b >= '0' && b <= '9' ? number * 10 + b - '0' : number;
        }
        raw.write('\n');
        return number;
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task, "lost-reply-proxy");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops accepting connections; those proxied end with their client. */
    @Override
    public void close() throws IOException {
        listener.close();
    }
}
