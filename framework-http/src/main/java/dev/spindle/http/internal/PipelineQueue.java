package dev.spindle.http.internal;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Decoded messages that arrived while the connection was busy: pipelined request heads and their
 * body chunks, in order. Bounded in requests and in bytes; at either bound it closes the read gate
 * (reason backlog) and opens it again once drained below both. Confined to the connection's loop.
 */
final class PipelineQueue {

    private static final int MAX_BYTES = 256 << 10;

    private final ArrayDeque<Object> messages = new ArrayDeque<>(4);
    private final int maxRequests;
    private ReadGate gate;
    private int requests;
    private int bytes;

    PipelineQueue(int maxRequests) {
        this.maxRequests = maxRequests;
    }

    void gate(ReadGate gate) {
        this.gate = gate;
    }

    boolean isEmpty() {
        return messages.isEmpty();
    }

    /** Whether a complete request waits: while shutting down, the last answer before it keeps the connection open. */
    boolean hasRequests() {
        return requests > 0;
    }

    Object peek() {
        return messages.peek();
    }

    void add(Object msg) {
        messages.add(msg);
        if (msg instanceof HttpRequest) {
            requests++;
        }
        if (msg instanceof HttpContent content) {
            bytes += content.content().readableBytes();
        }
        if (requests >= maxRequests || bytes >= MAX_BYTES) {
            gate.close(ReadGate.BACKLOG);
        }
    }

    Object poll() {
        Object msg = messages.poll();
        if (msg instanceof HttpRequest) {
            requests--;
        }
        if (msg instanceof HttpContent content) {
            bytes -= content.content().readableBytes();
        }
        return msg;
    }

    /** Opens the gate again once below both bounds. */
    void drained() {
        if (requests < maxRequests && bytes < MAX_BYTES) {
            gate.open(ReadGate.BACKLOG);
        }
    }

    /** Releases everything queued: the connection is closing. */
    void release() {
        Object queued;
        while ((queued = messages.poll()) != null) {
            ReferenceCountUtil.release(queued);
        }
        requests = 0;
        bytes = 0;
    }
}
