package dev.spindle.test.realtime;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An SSE client over a plain socket with a read timeout (a stalled stream fails the test instead of
 * hanging it): reads the head, then de-chunks the body and parses it into events and comments.
 */
final class RawSse implements AutoCloseable {

    /** One dispatched block: its fields, or only comments (a heartbeat). */
    record Event(String id, String event, String data, String retry, List<String> comments) {}

    private final Socket socket;
    private final InputStream in;
    final int status;
    final Map<String, String> headers;
    private final StringBuilder pending = new StringBuilder();
    private boolean ended;

    private RawSse(Socket socket, int status, Map<String, String> headers) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.status = status;
        this.headers = headers;
    }

    static RawSse connect(int port, String path, String extraHeaders) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        int status = Integer.parseInt(line(in).split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        String header;
        while (!(header = line(in)).isEmpty()) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        return new RawSse(socket, status, headers);
    }

    static RawSse connect(int port, String path) throws IOException {
        return connect(port, path, "");
    }

    /** The next block of lines up to a blank line; null when the stream ended. */
    Event next() throws IOException {
        String id = null, event = null, retry = null;
        StringBuilder data = null;
        List<String> comments = new ArrayList<>();
        while (true) {
            String line = nextLine();
            if (line == null) {
                return null;
            }
            if (line.isEmpty()) {
                return new Event(id, event, data == null ? null : data.toString(), retry, comments);
            }
            if (line.startsWith(":")) {
                comments.add(line.substring(1).trim());
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
            switch (field) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "retry" -> retry = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> { }
            }
        }
    }

    /** The next event with data, skipping heartbeats and other comment-only blocks. */
    Event nextData() throws IOException {
        Event event;
        while ((event = next()) != null && event.data() == null) {
            // skip
        }
        return event;
    }

    /** Whether the body ended (terminating chunk), reading and discarding what comes before. */
    boolean ends() throws IOException {
        while (next() != null) {
            // discard
        }
        return ended;
    }

    private String nextLine() throws IOException {
        while (true) {
            int newline = pending.indexOf("\n");
            if (newline >= 0) {
                String line = pending.substring(0, newline);
                pending.delete(0, newline + 1);
                return line;
            }
            if (ended) {
                return null;
            }
            int size = Integer.parseInt(line(in).trim(), 16);
            if (size == 0) {
                line(in);
                ended = true;
                continue;
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) {
                throw new EOFException("The stream ended inside a chunk");
            }
            line(in);
            pending.append(new String(chunk, StandardCharsets.UTF_8));
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("The server closed the connection");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Sends another request on the same connection and returns its status line. */
    String sendAnother(String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return line(in);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
