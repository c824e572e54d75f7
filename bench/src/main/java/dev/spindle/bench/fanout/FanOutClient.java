package dev.spindle.bench.fanout;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.Promise;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The fan-out load: N subscriber WebSockets and one publisher on {@code ws://127.0.0.1:PORT/fanout};
 * the publisher sends {@code rate} messages a second carrying their send time, the target relays
 * each to every socket, and the subscribers record publish-to-receive latency (10 µs buckets) for
 * the messages sent in the measured window. Prints one JSON line. The same client measures every
 * target, so the targets are compared under the same load.
 *
 * <pre>java -cp bench-spindle.jar dev.spindle.bench.fanout.FanOutClient --port 8080 --subscribers 1000 --rate 200</pre>
 */
public final class FanOutClient {

    private static final long BUCKET_NANOS = 10_000;
    private static final int BUCKETS = 1_000_000; // 10 s

    private final AtomicLongArray histogram = new AtomicLongArray(BUCKETS);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong beyond = new AtomicLong();
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int port = Integer.parseInt(options.getOrDefault("port", "8080"));
        int subscribers = Integer.parseInt(options.getOrDefault("subscribers", "1000"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "100"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
        int duration = Integer.parseInt(options.getOrDefault("duration", "15"));
        String label = options.getOrDefault("label", "target");
        new FanOutClient().run(port, subscribers, rate, warmup, duration, label);
    }

    private void run(int port, int subscribers, int rate, int warmup, int duration, String label) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            URI uri = URI.create("ws://127.0.0.1:" + port + "/fanout");
            List<Channel> channels = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                channels.add(connect(group, uri, true));
            }
            Channel publisher = connect(group, uri, false);
            long[] sent = new long[1];
            long periodNanos = TimeUnit.MILLISECONDS.toNanos(1);
            double perTick = rate / 1000.0;
            double[] owed = new double[1];
            long start = System.nanoTime();
            windowStart = start + TimeUnit.SECONDS.toNanos(warmup);
            windowEnd = windowStart + TimeUnit.SECONDS.toNanos(duration);
            long[] inWindow = new long[1];
            var ticker = publisher.eventLoop().scheduleAtFixedRate(() -> {
                long now = System.nanoTime();
                if (now >= windowEnd) {
                    return;
                }
                owed[0] += perTick;
                while (owed[0] >= 1) {
                    owed[0]--;
                    long at = System.nanoTime();
                    String message = sent[0]++ + ":" + at + ":................................";
                    if (at >= windowStart) {
                        inWindow[0]++;
                    }
                    publisher.write(new TextWebSocketFrame(message));
                }
                publisher.flush();
            }, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(windowEnd - System.nanoTime()) + 3000);
            ticker.cancel(false);
            long published = publisher.eventLoop().submit(() -> inWindow[0]).get(10, TimeUnit.SECONDS);
            long expected = published * subscribers;
            long got = delivered.get();
            System.out.printf("{\"target\":\"%s\",\"subscribers\":%d,\"rate\":%d,\"duration_s\":%d,\"published\":%d,"
                            + "\"delivered\":%d,\"expected\":%d,\"delivered_per_s\":%.0f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,"
                            + "\"p999_ms\":%.2f,\"max_ms\":%.2f,\"over_10s\":%d}%n",
                    label, subscribers, rate, duration, published, got, expected, got / (double) duration,
                    percentile(0.50), percentile(0.99), percentile(0.999), percentile(1.0), beyond.get());
            for (Channel channel : channels) {
                channel.close();
            }
            publisher.close().await(5, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    private Channel connect(EventLoopGroup group, URI uri, boolean record) throws Exception {
        Promise<Channel> open = group.next().newPromise();
        new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                                new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                        .webSocketUri(uri).handleCloseFrames(true).dropPongFrames(true).build()),
                                new Receiver(record, open));
                    }
                }).connect(uri.getHost(), uri.getPort()).addListener(done -> {
                    if (!done.isSuccess()) {
                        open.tryFailure(done.cause());
                    }
                });
        return open.get(30, TimeUnit.SECONDS);
    }

    private double percentile(double quantile) {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += histogram.get(i);
        }
        long rank = Math.max(1, (long) Math.ceil(total * quantile));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += histogram.get(i);
            if (seen >= rank) {
                return (i + 1) * BUCKET_NANOS / 1e6;
            }
        }
        return Double.NaN;
    }

    /** Records what a subscriber receives; completes {@code open} once the handshake is done. */
    private final class Receiver extends SimpleChannelInboundHandler<WebSocketFrame> {

        private final boolean record;
        private final Promise<Channel> open;

        Receiver(boolean record, Promise<Channel> open) {
            this.record = record;
            this.open = open;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                open.trySuccess(ctx.channel());
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (!record || !(frame instanceof TextWebSocketFrame text)) {
                return;
            }
            long now = System.nanoTime();
            String message = text.content().toString(StandardCharsets.US_ASCII);
            int first = message.indexOf(':');
            long sentAt = Long.parseLong(message.substring(first + 1, message.indexOf(':', first + 1)));
            if (sentAt < windowStart || sentAt >= windowEnd) {
                return;
            }
            delivered.incrementAndGet();
            long bucket = (now - sentAt) / BUCKET_NANOS;
            if (bucket >= BUCKETS) {
                beyond.incrementAndGet();
                bucket = BUCKETS - 1;
            }
            histogram.incrementAndGet((int) bucket);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            open.tryFailure(cause);
            ctx.close();
        }
    }
}
