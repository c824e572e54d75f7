package dev.spindle.bench.netty;

import dev.spindle.bench.BenchContract;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.AsciiString;
import io.netty.util.CharsetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The physical limit for HTTP/2 on Netty: h2c with prior knowledge, Netty's frame codec and one
 * handler that answers each request's HEADERS frame with pre-encoded HEADERS and DATA frames on
 * the connection itself (no stream channels, no HTTP/1.x objects), flushed once per read batch.
 * Serves {@code /plaintext} and {@code /json} (per-request Jackson 3), 100 streams per connection.
 */
public final class NettyH2BenchServer {

    private NettyH2BenchServer() {}

    /** Binds and serves until SIGTERM. */
    public static void main(String[] args) throws InterruptedException {
        int cores = Runtime.getRuntime().availableProcessors();
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(cores,
                new DefaultThreadFactory("netty-h2-loop"), io);
        Channel listener = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(Http2FrameCodecBuilder.forServer()
                                .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(100))
                                .build(), new Handler());
                    }
                })
                .bind(BenchContract.HOST, BenchContract.port()).sync().channel();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            listener.close().awaitUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }, "netty-h2-bench-stop"));
    }

    /** Answers on the connection; one per connection. */
    private static final class Handler extends ChannelInboundHandlerAdapter {

        private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain; charset=utf-8");
        private static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");
        private static final ByteBuf HELLO = Unpooled.unreleasableBuffer(
                Unpooled.directBuffer().writeBytes(BenchContract.HELLO.getBytes(CharsetUtil.UTF_8))).asReadOnly();
        private static final ObjectWriter JSON = JsonMapper.builder().build().writer();
        private static volatile String date = "";
        private static volatile long dateSecond = -1;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame request && request.isEndStream()) {
                    CharSequence path = request.headers().path();
                    ByteBuf body;
                    AsciiString type;
                    if (AsciiString.contentEquals("/json", path)) {
                        body = Unpooled.wrappedBuffer(JSON.writeValueAsBytes(new BenchContract.Message(BenchContract.HELLO)));
                        type = APPLICATION_JSON;
                    } else {
                        body = HELLO.duplicate();
                        type = TEXT_PLAIN;
                    }
                    Http2Headers headers = new DefaultHttp2Headers(false).status("200")
                            .add("content-type", type)
                            .addInt("content-length", body.readableBytes())
                            .add("date", date());
                    ctx.write(new DefaultHttp2HeadersFrame(headers).stream(request.stream()), ctx.voidPromise());
                    ctx.write(new DefaultHttp2DataFrame(body, true).stream(request.stream()), ctx.voidPromise());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        private static String date() {
            long second = System.currentTimeMillis() / 1000;
            if (second != dateSecond) {
                date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(java.time.ZoneOffset.UTC));
                dateSecond = second;
            }
            return date;
        }
    }
}
