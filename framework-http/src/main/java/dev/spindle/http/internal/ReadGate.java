package dev.spindle.http.internal;

import io.netty.channel.Channel;

/**
 * The one place that decides whether a connection reads from its socket. Each reason to stop
 * holds the gate closed on its own; reading resumes only when no reason is left, so two parts
 * of the connection can never undo each other's pause. Confined to the connection's loop.
 */
final class ReadGate {

    /** Too many pipelined requests are waiting behind the current one. */
    static final int BACKLOG = 1;
    /** A streamed upload's subscriber has no demand. */
    static final int UPLOAD = 1 << 1;
    /** The client is not reading its answers: the channel is not writable. */
    static final int UNWRITABLE = 1 << 2;
    /** The server is shutting down: no new requests are read. */
    static final int DRAINING = 1 << 3;

    private final Channel channel;
    private int closedBy;

    ReadGate(Channel channel) {
        this.channel = channel;
    }

    /** Stops reading for {@code reason} (until {@link #open(int)} with the same reason). */
    void close(int reason) {
        if (closedBy == 0) {
            channel.config().setAutoRead(false);
        }
        closedBy |= reason;
    }

    /** Lifts {@code reason}; reading resumes once no other reason holds the gate. */
    void open(int reason) {
        if ((closedBy & reason) == 0) {
            return;
        }
        closedBy &= ~reason;
        if (closedBy == 0) {
            // Turning autoRead back on also asks for the next read.
            channel.config().setAutoRead(true);
        }
    }

    /** Lifts every reason: the connection only reads to discard now (a lingering close). */
    void openAll() {
        if (closedBy != 0) {
            closedBy = 0;
            channel.config().setAutoRead(true);
        }
    }

    /** Opens or closes for {@code reason} as {@code closed} says. */
    void set(int reason, boolean closed) {
        if (closed) {
            close(reason);
        } else {
            open(reason);
        }
    }

    boolean isClosed(int reason) {
        return (closedBy & reason) != 0;
    }

    @Override
    public String toString() {
        return closedBy == 0 ? "open" : "closed by " + Integer.toBinaryString(closedBy);
    }
}
