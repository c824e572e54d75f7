package dev.spindle.http.internal.ws;

import static java.util.Objects.requireNonNull;

import dev.spindle.core.Deadline;
import dev.spindle.http.Context;
import dev.spindle.http.OverflowPolicy;
import dev.spindle.http.WebSocket;
import dev.spindle.http.WebSocketEndpoint;
import dev.spindle.http.WebSocketOptions;
import dev.spindle.http.internal.ConnectionHooks;
import dev.spindle.http.internal.LongLivedConnections;
import dev.spindle.http.internal.OnLoop;
import dev.spindle.http.internal.OutboundQueue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket after its upgrade, confined to its event loop. Its life is one state machine:
 * {@code OPEN} (messages both ways) → {@code CLOSING} (our close frame sent, waiting for the
 * client's, at most the close timeout) → {@code CLOSED} (the client's close answered, the
 * protocol failed, or the connection dropped); the close listener and the metrics see the end once.
 */
final class WebSocketConnection implements WebSocket, LongLivedConnections.Member {

    private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);

    private enum State { OPEN, CLOSING, CLOSED }

    /** A queued message: UTF-8 text or binary, as it will be framed. */
    private record Outbound(byte[] bytes, boolean text) {}

    private final Channel channel;
    private final EventLoop loop;
    private final Context request;
    private final WebSocketOptions options;
    private final WebSocketMeters meters;
    private final LongLivedConnections longLived;
    private final OutboundQueue<Outbound> queue;
    private final Runnable flush = this::flushNow;
    private String subprotocol;
    private Consumer<String> onText = text -> {};
    private Consumer<byte[]> onBinary = bytes -> {};
    private Consumer<CloseStatus> onClose = status -> {};
    private State state = State.OPEN;
    private boolean registered;
    private boolean flushScheduled;
    private ScheduledFuture<?> pingTimer;
    private ScheduledFuture<?> pongTimer;
    private ScheduledFuture<?> closeTimer;
    private int closeCode = ABNORMAL_CLOSURE;
    private String closeReason = "";
    private String initiator = "none";
    private volatile long queuedBytes;
    private volatile long dropped;

    WebSocketConnection(Channel channel, Context request, WebSocketOptions options, WebSocketMeters meters,
                        LongLivedConnections longLived) {
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.request = request;
        this.options = options;
        this.meters = meters;
        this.longLived = longLived;
        this.queue = new OutboundQueue<>(options.maxQueuedBytes(), options.overflow(), dropped -> meters.dropped.increment());
    }

    /** The 101 is on its way: count the socket, start the keep-alive and let the endpoint set up. */
    void opened(String subprotocol, WebSocketEndpoint endpoint) {
        this.subprotocol = subprotocol;
        meters.open.incrementAndGet();
        registered = longLived.add(this);
        long ping = options.pingInterval().toNanos();
        if (ping > 0) {
            pingTimer = loop.scheduleAtFixedRate(this::ping, ping, ping, TimeUnit.NANOSECONDS);
        }
        try {
            endpoint.open(this);
        } catch (Throwable failure) {
            listenerFailed("open", failure);
        }
        if (!registered) {
            close(GOING_AWAY, "Server shutting down");
        }
    }

    // ---- inbound, called by the frame handler on the loop ----

    void text(String text) {
        alive();
        if (state == State.OPEN) {
            meters.messagesIn.increment();
            try {
                onText.accept(text);
            } catch (Throwable failure) {
                listenerFailed("text", failure);
            }
        }
    }

    void binary(byte[] bytes) {
        alive();
        if (state == State.OPEN) {
            meters.messagesIn.increment();
            try {
                onBinary.accept(bytes);
            } catch (Throwable failure) {
                listenerFailed("binary", failure);
            }
        }
    }

    void ping(ByteBuf payload) {
        alive();
        if (state != State.CLOSED) {
            channel.write(new PongWebSocketFrame(payload.retain()), channel.voidPromise());
            scheduleFlush();
        }
    }

    /** Any frame from the client shows it is alive: a pong stuck behind a large message counts late otherwise. */
    void alive() {
        if (pongTimer != null) {
            pongTimer.cancel(false);
            pongTimer = null;
        }
    }

    /** The client's close frame: answered (same code) and the connection closed, or the answer to ours. */
    void closeFrame(int code, String reason) {
        alive();
        if (state == State.OPEN) {
            end(code < 0 ? 1005 : code, reason, "client");
            queue.clear();
            queuedBytes = 0;
            CloseWebSocketFrame answer = code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, "");
            channel.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
        } else if (state == State.CLOSING) {
            state = State.CLOSED;
            channel.close();
        }
    }

    /** The client broke the protocol (or a limit): fail the connection with {@code code}, not waiting for an answer. */
    void protocolError(int code, String message) {
        if (state == State.CLOSED) {
            return;
        }
        log.debug("WebSocket {} on {} failed with {}: {}", channel.remoteAddress(), request.route(), code, message);
        boolean canSend = state == State.OPEN;
        end(code, message, "server");
        queue.clear();
        queuedBytes = 0;
        if (canSend) {
            channel.writeAndFlush(new CloseWebSocketFrame(code, truncate(message))).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    void writabilityChanged() {
        writeQueued();
    }

    /** The TCP connection closed: the one place the end is reported. */
    void closed() {
        if (state != State.CLOSED) {
            end(ABNORMAL_CLOSURE, "", "none");
        }
        cancel(pingTimer);
        cancel(pongTimer);
        cancel(closeTimer);
        queue.clear();
        queuedBytes = 0;
        if (registered) {
            longLived.remove(this);
        }
        meters.open.decrementAndGet();
        meters.closed(closeCode, initiator);
        try {
            onClose.accept(new CloseStatus(closeCode, closeReason));
        } catch (Throwable failure) {
            log.warn("The close listener of the WebSocket on {} failed", request.route(), failure);
        }
    }

    // ---- the user's API: any thread ----

    @Override
    public Context request() {
        return request;
    }

    @Override
    public Optional<String> subprotocol() {
        return Optional.ofNullable(subprotocol);
    }

    @Override
    public WebSocket onText(Consumer<String> listener) {
        onText = requireNonNull(listener, "listener");
        return this;
    }

    @Override
    public WebSocket onBinary(Consumer<byte[]> listener) {
        onBinary = requireNonNull(listener, "listener");
        return this;
    }

    @Override
    public WebSocket onClose(Consumer<CloseStatus> listener) {
        onClose = requireNonNull(listener, "listener");
        return this;
    }

    @Override
    public void send(String text) {
        Outbound message = new Outbound(Utf8Cache.encode(requireNonNull(text, "text")), true);
        if (loop.inEventLoop()) {
            offer(message);
        } else {
            onLoop(() -> offer(message));
        }
    }

    @Override
    public void send(byte[] bytes) {
        Outbound message = new Outbound(requireNonNull(bytes, "bytes"), false);
        onLoop(() -> offer(message));
    }

    @Override
    public void close(int code, String reason) {
        CloseCodes.checkSendable(code);
        requireNonNull(reason, "reason");
        onLoop(() -> startClose(code, reason, false));
    }

    @Override
    public boolean isOpen() {
        return state == State.OPEN;
    }

    @Override
    public long queuedBytes() {
        return queuedBytes;
    }

    @Override
    public long dropped() {
        return dropped;
    }

    @Override
    public Executor executor() {
        return loop;
    }

    @Override
    public <T> CompletionStage<T> offload(Callable<T> work) {
        return ConnectionHooks.offloadPool(request).submit(requireNonNull(work, "work"), loop, Deadline.none(), false);
    }

    @Override
    public <T> CompletionStage<T> blocking(Callable<T> work) {
        return ConnectionHooks.blockingPool(request).submit(requireNonNull(work, "work"), loop, Deadline.none(), false);
    }

    @Override
    public void drain() {
        onLoop(() -> startClose(GOING_AWAY, "Server shutting down", false));
    }

    // ---- on the loop ----

    private void onLoop(Runnable task) {
        if (!OnLoop.runUnlessShutDown(loop, task)) {
            log.debug("A WebSocket message was not sent: the event loop is shutting down");
        }
    }

    private void offer(Outbound message) {
        if (state != State.OPEN) {
            return;
        }
        if (queue.isEmpty() && channel.isWritable()) {
            write(message);
            return;
        }
        OutboundQueue.Outcome outcome = queue.offer(message, message.bytes().length);
        queuedBytes = queue.bytes();
        dropped = queue.dropped();
        if (outcome == OutboundQueue.Outcome.OVERFLOW) {
            int code = options.overflow() == OverflowPolicy.CLOSE_POLICY_VIOLATION ? POLICY_VIOLATION : TRY_AGAIN_LATER;
            log.debug("WebSocket {} on {} reads too slowly ({} bytes queued); closing with {}", channel.remoteAddress(),
                    request.route(), queue.bytes(), code);
            startClose(code, "Client too slow", true);
        }
    }

    private void write(Outbound message) {
        if (options.compression()) {
            ByteBuf content = Unpooled.wrappedBuffer(message.bytes());
            channel.write(message.text() ? new TextWebSocketFrame(content) : new BinaryWebSocketFrame(content),
                    channel.voidPromise());
        } else {
            // The frame's wire bytes, shared by every socket of this loop the same message goes to.
            channel.write(FrameCache.frame(channel.alloc(), message.bytes(), message.text()), channel.voidPromise());
        }
        meters.messagesOut.increment();
        if (channel.isWritable()) {
            scheduleFlush();
        } else {
            // A burst filled the channel's buffer: hand it to the socket now rather than queue behind it.
            channel.flush();
        }
    }

    private void writeQueued() {
        Outbound next;
        while (channel.isWritable() && (next = queue.poll()) != null) {
            write(next);
        }
        queuedBytes = queue.bytes();
    }

    /** Writes are flushed once per loop task, so a batch of messages costs one system call. */
    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flush);
        }
    }

    private void flushNow() {
        flushScheduled = false;
        channel.flush();
    }

    /** Sends our close frame: after the queued messages, or (overflow, failure) instead of them. */
    private void startClose(int code, String reason, boolean discardQueue) {
        if (state != State.OPEN) {
            return;
        }
        if (discardQueue) {
            queue.clear();
        } else {
            Outbound next;
            while ((next = queue.poll()) != null) {
                write(next);
            }
        }
        queuedBytes = 0;
        end(code, reason, "server");
        state = State.CLOSING;
        channel.writeAndFlush(new CloseWebSocketFrame(code, truncate(reason)), channel.voidPromise());
        closeTimer = loop.schedule(() -> {
            log.debug("WebSocket {} on {} did not answer our close frame in time; dropping it", channel.remoteAddress(),
                    request.route());
            channel.close();
        }, options.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Records how the socket ends, the first time it is decided. */
    private void end(int code, String reason, String by) {
        if (initiator.equals("none") && state == State.OPEN) {
            closeCode = code;
            closeReason = reason == null ? "" : reason;
            initiator = by;
        }
        state = State.CLOSED;
    }

    private void listenerFailed(String listener, Throwable failure) {
        if (state != State.OPEN) {
            log.debug("The {} listener of a closing WebSocket on {} failed", listener, request.route(), failure);
            return;
        }
        log.warn("The {} listener of the WebSocket on {} failed; closing it with 1011", listener, request.route(),
                failure);
        startClose(INTERNAL_ERROR, "Internal error", true);
    }

    private void ping() {
        if (state != State.OPEN || pongTimer != null) {
            return;
        }
        channel.writeAndFlush(new PingWebSocketFrame(Unpooled.copyLong(System.nanoTime())), channel.voidPromise());
        pongTimer = loop.schedule(() -> {
            pongTimer = null;
            log.debug("WebSocket {} on {} did not answer a ping in time; dropping it", channel.remoteAddress(),
                    request.route());
            end(ABNORMAL_CLOSURE, "No pong in time", "server");
            channel.close();
        }, options.pongTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** A close reason fits in a control frame: 123 bytes of UTF-8 at most. */
    private static String truncate(String reason) {
        if (reason == null) {
            return "";
        }
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= 123) {
            return reason;
        }
        int end = Math.min(reason.length(), 120);
        while (end > 0 && reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > 123) {
            end--;
        }
        return reason.substring(0, end);
    }
}
