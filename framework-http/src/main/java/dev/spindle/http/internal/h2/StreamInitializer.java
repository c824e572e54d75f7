package dev.spindle.http.internal.h2;

import dev.spindle.http.internal.HttpServer;
import dev.spindle.http.internal.ServerContext;
import dev.spindle.http.internal.tls.FileRegionChunker;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.channel.ChannelInitializer;

/**
 * Builds each HTTP/2 stream's pipeline: frames to HTTP/1.x objects and back, the HSTS header
 * when HTTPS has it, files as flow-controlled chunks, then the same request handlers as an
 * HTTP/1.1 connection. A stream reset or a closed connection closes the stream's channel, which
 * those handlers treat as a client gone: the request's work is cancelled.
 */
final class StreamInitializer extends ChannelInitializer<Http2StreamChannel> {

    private final ServerContext server;
    private final ChannelHandler hsts;

    StreamInitializer(ServerContext server, ChannelHandler hsts) {
        this.server = server;
        this.hsts = hsts;
    }

    @Override
    protected void initChannel(Http2StreamChannel stream) {
        ChannelPipeline pipeline = stream.pipeline();
        pipeline.addLast("h2-http", new Http2StreamFrameToHttpObjectCodec(true, true));
        if (hsts != null) {
            pipeline.addLast("tls-hsts", hsts);
        }
        pipeline.addLast("h2-files", new FileRegionChunker(FileChunks::new));
        pipeline.addLast("h2-errors", StreamErrors.INSTANCE);
        HttpServer.installRequestChain(stream, server);
    }
}
