package dev.spindle.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.FileRegion;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A connection's timers, driven by its state: idle (close quietly), reading a head (408), reading
 * a body (408), and a write that does not drain (close). One periodic tick per connection, at a
 * fraction of the shortest timeout, counts time since the last state change or progress; state
 * changes only reset a counter, so a request costs no scheduling and no clock read here. Idle time
 * starts only once every byte written has left: a slow download is not idle.
 */
final class ConnectionClock {

    private final Connection connection;
    private final long idleNanos;
    private final long headNanos;
    private final long bodyNanos;
    private final long writeNanos;
    private final long tickNanos;
    private ScheduledFuture<?> timer;
    private long ticks;
    private long since;
    private long writeProgress = -1;
    private long writeSince;

    ConnectionClock(Connection connection, ServerContext server) {
        this.connection = connection;
        this.idleNanos = server.idleTimeoutNanos;
        this.headNanos = server.headerReadTimeoutNanos;
        this.bodyNanos = server.bodyReadTimeoutNanos;
        this.writeNanos = server.writeTimeoutNanos;
        long shortest = Math.min(Math.min(idleNanos, headNanos), Math.min(bodyNanos, writeNanos));
        this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(1), shortest / 5));
    }

    void start(ChannelHandlerContext ctx) {
        if (timer == null) {
            timer = ctx.executor().scheduleAtFixedRate(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        }
    }

    void stop() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** The state changed or the request made progress: its timer starts over. */
    void progress() {
        since = ticks;
    }

    private void tick() {
        ticks++;
        ChannelHandlerContext ctx = connection.context();
        if (connection.state() == Connection.State.CLOSING || !ctx.channel().isActive()) {
            return;
        }
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        if (out != null && !out.isEmpty()) {
            long position = writePosition(out);
            if (position != writeProgress) {
                writeProgress = position;
                writeSince = ticks;
            } else if (waited(writeSince) > writeNanos) {
                ctx.close(); // the client stopped reading: nobody listens, and the answers hold memory
                return;
            }
            if (connection.state() == Connection.State.IDLE) {
                since = ticks; // still writing: not idle yet
            }
            return;
        }
        writeProgress = -1;
        switch (connection.state()) {
            case IDLE -> {
                if (!connection.betweenRequests()) {
                    connection.enter(Connection.State.READING_HEAD);
                } else if (waited(since) > idleNanos) {
                    ctx.close();
                }
            }
            case READING_HEAD -> {
                if (waited(since) > headNanos) {
                    connection.headTimedOut();
                }
            }
            case READING_BODY -> {
                if (waited(since) > bodyNanos) {
                    connection.bodyTimedOut();
                }
            }
            default -> { }
        }
    }

    private long waited(long from) {
        return (ticks - from) * tickNanos;
    }

    /** Where the oldest pending write stands: changes whenever a byte of it leaves. */
    private static long writePosition(ChannelOutboundBuffer out) {
        Object current = out.current();
        long offset = current instanceof ByteBuf buffer ? buffer.readerIndex()
                : current instanceof FileRegion region ? region.transferred() : 0;
        return System.identityHashCode(current) * 31L + offset + out.size() * 1_000_003L;
    }
}
