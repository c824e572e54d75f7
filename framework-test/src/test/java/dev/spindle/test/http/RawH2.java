package dev.spindle.test.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An HTTP/2 client over a plain socket with prior knowledge, writing frames by hand: for what a
 * well-behaved client library will not send (resets in bulk, CONTINUATION floods, unread PINGs,
 * HPACK bombs). Header blocks are encoded and decoded with Netty's HPACK; reads time out after
 * 30 s so a broken server fails the test instead of hanging it.
 */
final class RawH2 implements AutoCloseable {

    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;
    static final int WINDOW_UPDATE = 0x8;
    static final int CONTINUATION = 0x9;
    static final int END_STREAM = 0x1;
    static final int ACK = 0x1;
    static final int END_HEADERS = 0x4;
    static final long PROTOCOL_ERROR = 0x1;
    static final long REFUSED_STREAM = 0x7;
    static final long CANCEL = 0x8;
    static final long ENHANCE_YOUR_CALM = 0xb;

    /** One frame read from the server. */
    record Frame(int type, int flags, int stream, byte[] payload) {

        /** The error code of a GOAWAY or RST_STREAM frame. */
        long errorCode() {
            int offset = type == GOAWAY ? 4 : 0;
            return ((payload[offset] & 0xffL) << 24) | ((payload[offset + 1] & 0xff) << 16)
                    | ((payload[offset + 2] & 0xff) << 8) | (payload[offset + 3] & 0xff);
        }

        /** The last stream id of a GOAWAY frame. */
        int lastStreamId() {
            return int31(payload);
        }

        /** The first four bytes of {@code bytes} as a 31-bit number (stream ids, window increments). */
        static int int31(byte[] bytes) {
            return ((bytes[0] & 0x7f) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final DefaultHttp2HeadersEncoder encoder =
            new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, true);
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false, 1 << 20);
    private final Map<Integer, String> statuses = new HashMap<>();
    private final Map<Integer, ByteArrayOutputStream> bodies = new HashMap<>();
    private final Map<Integer, String> ended = new HashMap<>();

    private RawH2(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects and sends the preface and an empty SETTINGS frame. */
    static RawH2 connect(int port) {
        return connect(port, 0);
    }

    /** As {@link #connect(int)}, with a small receive buffer when {@code receiveBuffer} > 0 (to stop reading sooner). */
    static RawH2 connect(int port, int receiveBuffer) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
            socket.setSoTimeout(30_000);
            RawH2 h2 = new RawH2(socket);
            h2.out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            h2.frame(SETTINGS, 0, 0, new byte[0]);
            return h2;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The HPACK block of a request: {@code :method}, {@code :path}, the scheme and authority, then {@code headers}. */
    byte[] block(String method, String path, Map<String, String> headers) {
        Http2Headers h2 = new DefaultHttp2Headers().method(method).path(path).scheme("http").authority("127.0.0.1");
        headers.forEach(h2::add);
        ByteBuf buffer = Unpooled.buffer();
        try {
            encoder.encodeHeaders(1, h2, buffer);
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            return bytes;
        } catch (Http2Exception e) {
            throw new IllegalStateException(e);
        } finally {
            buffer.release();
        }
    }

    /** A request without a body on {@code stream}. */
    void get(int stream, String path) {
        frame(HEADERS, END_HEADERS | END_STREAM, stream, block("GET", path, Map.of()));
    }

    void rst(int stream, long code) {
        frame(RST_STREAM, 0, stream, int32(code));
    }

    void ping(long data) {
        byte[] payload = new byte[8];
        for (int i = 0; i < 8; i++) {
            payload[i] = (byte) (data >>> (56 - 8 * i));
        }
        frame(PING, 0, 0, payload);
    }

    /** Writes one frame; the server closing the connection under us is not an error here. */
    void frame(int type, int flags, int stream, byte[] payload) {
        byte[] header = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8),
                (byte) stream};
        try {
            out.write(header);
            out.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the same frame over and over, in 64 KiB writes, until {@code max} frames are sent or
     * the server closes the connection; returns how many were sent.
     */
    int flood(int type, int flags, int stream, byte[] payload, int max) {
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        int perBatch = Math.max(1, (64 << 10) / (9 + payload.length));
        for (int i = 0; i < perBatch; i++) {
            batch.writeBytes(new byte[] {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8),
                    (byte) payload.length, (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16),
                    (byte) (stream >>> 8), (byte) stream});
            batch.writeBytes(payload);
        }
        byte[] bytes = batch.toByteArray();
        int sent = 0;
        try {
            while (sent < max) {
                out.write(bytes);
                sent += perBatch;
            }
        } catch (SocketException e) {
            return sent;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sent;
    }

    /** Whether writing {@code frame} failed because the server had closed the connection. */
    boolean tryFrame(int type, int flags, int stream, byte[] payload) {
        try {
            frame(type, flags, stream, payload);
            return true;
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof SocketException) {
                return false;
            }
            throw e;
        }
    }

    /** The next frame, or null at the end of the connection. */
    Frame read() {
        try {
            int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = new byte[length];
            in.readFully(payload);
            return new Frame(type, flags, stream, payload);
        } catch (EOFException | SocketException e) {
            // The end of the connection, or a reset because the server closed while our frames were still arriving.
            return null;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("No frame from the server within 30 s", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads until a frame of {@code type} (returned) or the end of the connection (null). */
    Frame readUntil(int type) {
        Frame frame;
        while ((frame = read()) != null && frame.type() != type) {
            // skip SETTINGS, their acknowledgements, window updates and the like
        }
        return frame;
    }

    /**
     * Reads the response of {@code stream}: its status and body (or how it ended otherwise). Every
     * header block on the way is decoded, whatever its stream, to keep the HPACK table in step.
     */
    String[] response(int stream) {
        while (!ended.containsKey(stream)) {
            Frame frame = read();
            if (frame == null) {
                return new String[] {statuses.get(stream), "connection closed"};
            }
            int id = frame.stream();
            if (frame.type() == HEADERS) {
                statuses.putIfAbsent(id, decode(frame.payload()).status().toString());
            } else if (frame.type() == DATA) {
                bodies.computeIfAbsent(id, any -> new ByteArrayOutputStream()).writeBytes(frame.payload());
            } else if (frame.type() == RST_STREAM) {
                ended.put(id, "RST " + frame.errorCode());
            }
            if ((frame.type() == HEADERS || frame.type() == DATA) && (frame.flags() & END_STREAM) != 0) {
                ByteArrayOutputStream body = bodies.get(id);
                ended.put(id, body == null ? "" : body.toString(StandardCharsets.UTF_8));
            }
        }
        return new String[] {statuses.get(stream), ended.get(stream)};
    }

    /** Reads every frame until the connection ends, on another thread: for attacks that write without pause. */
    CompletableFuture<List<Frame>> readAllAsync() {
        return CompletableFuture.supplyAsync(() -> {
            List<Frame> frames = new ArrayList<>();
            Frame frame;
            while ((frame = read()) != null) {
                frames.add(frame);
            }
            return frames;
        });
    }

    private Http2Headers decode(byte[] block) {
        ByteBuf buffer = Unpooled.wrappedBuffer(block);
        try {
            return decoder.decodeHeaders(1, buffer);
        } catch (Http2Exception e) {
            throw new IllegalStateException(e);
        } finally {
            buffer.release();
        }
    }

    static byte[] int32(long value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
